"""Pure logic of plugins/module_utils/_interviews.py, and the two loops that talk to ECS.

``wait_for_service`` and ``list_interview_services`` are driven with botocore's
Stubber: moto never starts ECS tasks (runningCount stays 0), so a real server
cannot show a service becoming stable, a failed rollout or a timeout, and it
ignores ``maxResults`` so it cannot show ListServices paging either.
"""

from __future__ import annotations

import datetime

import pytest

# ansible-test units needs boto3/botocore (tests/unit/requirements.txt) and amazon.aws next to
# this collection; without them these tests are skipped rather than broken.
pytest.importorskip("boto3")
pytest.importorskip("ansible_collections.amazon.aws.plugins.module_utils.modules")

import boto3  # noqa: E402
from ansible_collections.interviewops.platform.plugins.module_utils import _interviews as iv  # noqa: E402
from botocore.stub import Stubber  # noqa: E402

UTC = datetime.timezone.utc


@pytest.mark.parametrize("good", ["abc", "cand-42", "a1b", "x" * 32, "9-9"])
def test_valid_ids(good):
    assert iv.validate_interview_id(good) == good


@pytest.mark.parametrize("bad", ["ab", "x" * 33, "Cand", "cand_1", "-abc", "abc-", "a b", "", None, "abc.def"])
def test_invalid_ids(bad):
    with pytest.raises(iv.InterviewError, match="Invalid interview_id"):
        iv.validate_interview_id(bad)


@pytest.mark.parametrize(
    ("text", "seconds"), [("90m", 5400), ("2h", 7200), ("1d", 86400), ("45s", 45), (" 3h ", 10800)]
)
def test_parse_ttl(text, seconds):
    assert iv.parse_ttl(text).total_seconds() == seconds


@pytest.mark.parametrize("bad", ["0m", "-5m", "2 hours", "h", "", "1.5h", "10w"])
def test_parse_ttl_rejects(bad):
    with pytest.raises(iv.InterviewError, match="Invalid ttl"):
        iv.parse_ttl(bad)


def test_parse_time_normalises_to_utc():
    assert iv.format_time(iv.parse_time("2026-05-01T18:00:00Z")) == "2026-05-01T18:00:00Z"
    assert iv.format_time(iv.parse_time("2026-05-01T20:00:00+02:00")) == "2026-05-01T18:00:00Z"
    assert iv.format_time(iv.parse_time("2026-05-01T18:00:00")) == "2026-05-01T18:00:00Z"
    with pytest.raises(iv.InterviewError, match="Invalid expires_at"):
        iv.parse_time("tomorrow")


def test_target_group_names_fit_and_are_stable():
    assert iv.target_group_name("cand-42") == "iv-cand-42"
    long_a = "a" * 19 + "-" + "b" * 12
    long_b = "a" * 19 + "-" + "c" * 12
    name_a = iv.target_group_name(long_a)
    assert len(name_a) <= 32
    assert name_a == iv.target_group_name(long_a)
    assert name_a != iv.target_group_name(long_b)
    assert not name_a.endswith("-")
    assert "--" not in name_a


def test_free_priority_prefers_the_slot_priority_then_lowest():
    assert iv.free_priority({1, 2, 3}, preferred=1005) == 1005
    assert iv.free_priority({1, 2, 1005}, preferred=1005) == 3
    assert iv.free_priority(set()) == 1
    with pytest.raises(iv.InterviewError, match="every priority is in use"):
        iv.free_priority({1, 2}, low=1, high=2)


@pytest.mark.parametrize(
    ("service", "status"),
    [
        ({"status": "ACTIVE", "desiredCount": 1, "runningCount": 1}, "running"),
        ({"status": "ACTIVE", "desiredCount": 1, "runningCount": 0}, "pending"),
        ({"status": "ACTIVE", "desiredCount": 0, "runningCount": 0}, "stopped"),
        ({"status": "DRAINING", "desiredCount": 1, "runningCount": 1}, "draining"),
        ({"status": "INACTIVE"}, "deleted"),
    ],
)
def test_interview_status(service, status):
    assert iv.interview_status(service) == status


def _service(iid, expires, **extra):
    tags = {
        "interview-id": iid,
        "expires-at": expires,
        "challenge": "sql",
        "managed-by": iv.MANAGED_BY,
        "interview-host": f"{iid}.example.com",
    }
    service = {
        "serviceName": f"interview-{iid}",
        "serviceArn": f"arn:aws:ecs:us-east-1:1:service/c/interview-{iid}",
        "status": "ACTIVE",
        "desiredCount": 1,
        "runningCount": 1,
        "taskDefinition": "td:1",
        "tags": [{"key": k, "value": v} for k, v in tags.items()],
    }
    service.update(extra)
    return service


def test_summarise_service_expiry_and_url():
    now = datetime.datetime(2026, 1, 1, 12, 0, tzinfo=UTC)
    live = iv.summarise_service(_service("a-1", "2026-01-01T13:00:00Z"), "c", "us-east-1", now)
    assert live["expired"] is False
    assert live["remaining_seconds"] == 3600
    assert live["url"] == "https://a-1.example.com"
    assert live["status"] == "running"
    old = iv.summarise_service(_service("a-2", "2026-01-01T11:59:59Z"), "c", "us-east-1", now)
    assert old["expired"] is True
    assert old["remaining_seconds"] == 0
    broken = iv.summarise_service(_service("a-3", "not a time"), "c", None, now)
    assert broken["remaining_seconds"] is None
    assert broken["expired"] is False


def test_tags_helpers():
    tags = iv.interview_tags("a-1", "python", "2026-01-01T00:00:00Z", "a-1.x", {"team": "t", "interview-id": "evil"})
    assert tags["interview-id"] == "a-1"  # reserved tags win over user tags
    assert tags["team"] == "t"
    assert iv.tags_from_list(iv.ecs_tags(tags)) == tags
    assert iv.tags_from_list(iv.aws_tags(tags)) == tags
    assert iv.missing_tags({"a": "1", "b": "2"}, {"a": "1", "b": "3", "c": "4"}) == {"b": "3", "c": "4"}


def test_error_code_reads_client_errors_only():
    from botocore.exceptions import ClientError

    err = ClientError({"Error": {"Code": "PriorityInUse", "Message": "x"}}, "CreateRule")
    assert iv.error_code(err) == "PriorityInUse"
    assert iv.InterviewError("m", err).code == "PriorityInUse"
    assert iv.error_code(ValueError("x")) is None
    assert iv.InterviewError("m").code is None


def _ecs():
    return boto3.client("ecs", region_name="us-east-1", aws_access_key_id="a", aws_secret_access_key="b")  # noqa: S106


class _Clock:
    def __init__(self):
        self.now = 0.0
        self.sleeps = []

    def __call__(self):
        return self.now

    def sleep(self, seconds):
        self.sleeps.append(seconds)
        self.now += seconds


def _describe(stubber, **service):
    body = {
        "serviceName": "interview-a-1",
        "status": "ACTIVE",
        "desiredCount": 1,
        "runningCount": 0,
        "deployments": [{"id": "d1", "rolloutState": "IN_PROGRESS"}],
    }
    body.update(service)
    stubber.add_response("describe_services", {"services": [body]}, {"cluster": "c", "services": ["interview-a-1"]})


def test_wait_returns_once_running_matches_desired():
    ecs, clock = _ecs(), _Clock()
    with Stubber(ecs) as stubber:
        _describe(stubber)
        _describe(stubber, deployments=[{"id": "d1"}, {"id": "d0"}], runningCount=1)
        _describe(stubber, runningCount=1, deployments=[{"id": "d1", "rolloutState": "COMPLETED"}])
        service = iv.wait_for_service(ecs, "c", "interview-a-1", 60, sleep=clock.sleep, clock=clock, delay=5)
        stubber.assert_no_pending_responses()
    assert service["runningCount"] == 1
    assert clock.sleeps == [5, 5]


def test_wait_times_out_with_counts_in_the_message():
    ecs, clock = _ecs(), _Clock()
    with Stubber(ecs) as stubber:
        for _attempt in range(4):
            _describe(stubber)
        with pytest.raises(iv.InterviewError, match=r"not stable after 12s \(running 0 of 1\)"):
            iv.wait_for_service(ecs, "c", "interview-a-1", 12, sleep=clock.sleep, clock=clock, delay=5)
    assert sum(clock.sleeps) == pytest.approx(12)


def test_wait_stops_on_a_failed_rollout():
    ecs, clock = _ecs(), _Clock()
    with Stubber(ecs) as stubber:
        _describe(stubber, deployments=[{"id": "d1", "rolloutState": "FAILED", "rolloutStateReason": "circuit"}])
        with pytest.raises(iv.InterviewError, match="deployment failed: circuit"):
            iv.wait_for_service(ecs, "c", "interview-a-1", 60, sleep=clock.sleep, clock=clock)
    assert clock.sleeps == []


def test_wait_stops_when_the_service_is_gone():
    ecs, clock = _ecs(), _Clock()
    with Stubber(ecs) as stubber:
        _describe(stubber, status="INACTIVE")
        with pytest.raises(iv.InterviewError, match="no longer exists"):
            iv.wait_for_service(ecs, "c", "interview-a-1", 60, sleep=clock.sleep, clock=clock)


def test_listing_uses_pages_of_100_and_batches_of_10():
    ecs = _ecs()
    arns = [f"arn:aws:ecs:us-east-1:1:service/c/interview-s-{n:03d}" for n in range(123)]
    with Stubber(ecs) as stubber:
        stubber.add_response(
            "list_services", {"serviceArns": arns[:100], "nextToken": "t1"}, {"cluster": "c", "maxResults": 100}
        )
        stubber.add_response(
            "list_services", {"serviceArns": arns[100:]}, {"cluster": "c", "maxResults": 100, "nextToken": "t1"}
        )
        for index in range(0, 123, 10):
            batch = arns[index : index + 10]
            services = [_service(f"s-{n:03d}", "2099-01-01T00:00:00Z") for n in range(index, index + len(batch))]
            services[0]["tags"] = [{"key": "app", "value": "portal"}]  # not ours: filtered out
            stubber.add_response(
                "describe_services", {"services": services}, {"cluster": "c", "services": batch, "include": ["TAGS"]}
            )
        found = iv.list_interview_services(ecs, "c")
        stubber.assert_no_pending_responses()
    # 2 ListServices + 13 DescribeServices = ceil(123/100) + ceil(123/10); the Stubber fails on any extra call.
    assert len(found) == 123 - 13


@pytest.mark.parametrize(
    ("code", "retried"), [("Throttling", True), ("500", True), ("503", True), ("AccessDenied", False)]
)
def test_retry_policy_retries_throttling_and_5xx_only(monkeypatch, code, retried):
    from ansible_collections.amazon.aws.plugins.module_utils import cloud
    from botocore.exceptions import ClientError

    monkeypatch.setattr(cloud.time, "sleep", lambda _seconds: None)
    calls = []

    def flaky():
        calls.append(1)
        if len(calls) < 3:
            raise ClientError({"Error": {"Code": code, "Message": "x"}}, "Op")
        return "ok"

    wrapped = iv.make_retry(2)(flaky)
    if retried:
        assert wrapped() == "ok"
        assert len(calls) == 3
    else:
        with pytest.raises(ClientError):
            wrapped()
        assert len(calls) == 1
