"""interview_service / interview_info entry points: argument handling that fails before any AWS call."""

from __future__ import annotations

import json

import pytest
from ansible.module_utils.testing import patch_module_args

# ansible-test units needs boto3/botocore (tests/unit/requirements.txt) and amazon.aws next to
# this collection; without them these tests are skipped rather than broken.
pytest.importorskip("boto3")
pytest.importorskip("ansible_collections.amazon.aws.plugins.module_utils.modules")

from ansible_collections.interviewops.platform.plugins.modules import interview_info, interview_service  # noqa: E402


def _run(module, args, capsys):
    with patch_module_args(args), pytest.raises(SystemExit) as exit_info:
        module.main()
    result = json.loads(capsys.readouterr().out)
    return exit_info.value.code, result


@pytest.fixture(autouse=True)
def _no_aws(monkeypatch):
    """Any attempt to build a client fails the test: these paths must not reach AWS."""
    from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule

    def refuse(*_args, **_kwargs):
        raise AssertionError("no AWS client expected")

    monkeypatch.setattr(AnsibleAWSModule, "client", refuse)


def test_invalid_id_fails_before_aws(capsys):
    code, result = _run(interview_service, {"interview_id": "Nope!", "cluster": "c", "state": "absent"}, capsys)
    assert code == 1
    assert result["failed"] is True
    assert result["msg"].startswith("Invalid interview_id 'Nope!'")


def test_present_requires_the_shared_settings(capsys):
    code, result = _run(interview_service, {"interview_id": "cand-1", "cluster": "c"}, capsys)
    assert code == 1
    for name in ("challenge", "image", "subnets", "listener_arn", "hosted_zone_id", "domain"):
        assert name in result["msg"]


def test_ttl_and_expires_at_exclude_each_other(capsys):
    args = {"interview_id": "cand-1", "cluster": "c", "state": "absent", "ttl": "1h", "expires_at": "2026-01-01T00:00Z"}
    code, result = _run(interview_service, args, capsys)
    assert code == 1
    assert "mutually exclusive" in result["msg"]


def test_max_instances_must_be_positive(capsys):
    code, result = _run(
        interview_service, {"interview_id": "cand-1", "cluster": "c", "state": "absent", "max_instances": 0}, capsys
    )
    assert code == 1
    assert result["msg"] == "max_instances must be at least 1"


def test_password_is_masked_in_failures(capsys):
    secret = "Very-Secret-Password-1"  # noqa: S105 - test value
    args = {"interview_id": "BAD", "cluster": "c", "state": "absent", "password": secret}
    code, result = _run(interview_service, args, capsys)
    assert code == 1
    assert secret not in json.dumps(result)


def test_info_rejects_a_bad_id(capsys, monkeypatch):
    from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule

    class FakeClient:
        client = None

        def __getattr__(self, name):
            raise AssertionError(f"no {name} call expected")

    monkeypatch.setattr(AnsibleAWSModule, "client", lambda *_a, **_k: FakeClient())
    code, result = _run(interview_info, {"cluster": "c", "interview_id": "X"}, capsys)
    assert code == 1
    assert "Invalid interview_id 'X'" in result["msg"]
