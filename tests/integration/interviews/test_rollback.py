"""Rollback and retries: a proxy between boto3 and moto fails the k-th AWS call of a create.

For every k the module must fail with ``Failed to <step>: <cause>`` and leave
nothing behind: no service, task definition, target group, rule, record,
parameter (password or capacity slot) or workspace file.
"""

from __future__ import annotations

import time

from interviews_support import boto, interview_args, inventory_of

IID = "roll-back"


def _nothing_left(infra):
    leftovers = inventory_of(infra["endpoint"], infra)
    assert all(not v for v in leftovers.values()), leftovers


def test_failure_at_every_call_rolls_back(run_module, shared_infra, aws_proxy):
    args = interview_args(shared_infra, IID, endpoint=aws_proxy.url, bucket=shared_infra["bucket"], retries=0)
    absent = {
        "interview_id": IID,
        "state": "absent",
        "cluster": "interviews",
        "endpoint_url": aws_proxy.url,
        "listener_arn": shared_infra["listener_arn"],
        "hosted_zone_id": shared_infra["zone_id"],
        "domain": args["domain"],
        "bucket": shared_infra["bucket"],
        "region": args["region"],
    }

    # A clean run tells how many calls a create makes.
    aws_proxy.reset()
    assert run_module("interview_service", args)["changed"] is True
    total = len(aws_proxy.calls)
    assert total >= 10, aws_proxy.calls
    assert run_module("interview_service", absent)["changed"] is True
    _nothing_left(shared_infra)

    failed_steps = set()
    for k in range(1, total + 1):
        aws_proxy.reset()
        aws_proxy.fail(k)
        result = run_module("interview_service", args)
        op = aws_proxy.calls[k - 1]
        assert result.get("failed") is True, (k, op, result)
        assert result["msg"].startswith("Failed to "), (k, result["msg"])
        assert "InjectedFault" in result["msg"], (k, result["msg"])
        assert "rollback also failed" not in result["msg"]
        failed_steps.add(result["msg"].split(": An error occurred", 1)[0])
        _nothing_left(shared_infra)
    aws_proxy.reset()
    # Every kind of write failed once somewhere along the way.
    joined = " | ".join(sorted(failed_steps))
    for step in (
        "reserve capacity slot",
        "create SSM parameter",
        "copy s3://",
        "register task definition",
        "create target group",
        "create listener rule",
        "create ECS service",
        "write DNS record",
    ):
        assert step in joined, joined
    # And the interview can still be created afterwards.
    assert run_module("interview_service", args)["changed"] is True
    assert run_module("interview_service", absent)["changed"] is True


def test_a_failed_update_keeps_the_running_revision(run_module, shared_infra, aws_proxy):
    args = interview_args(shared_infra, "upd-fail", endpoint=aws_proxy.url, retries=0)
    aws_proxy.reset()
    assert run_module("interview_service", args)["changed"] is True
    ecs = boto("ecs", shared_infra["endpoint"])
    before = ecs.describe_services(cluster="interviews", services=["interview-upd-fail"])["services"][0]
    aws_proxy.fail(1, match=r"ecs:UpdateService")
    result = run_module("interview_service", dict(args, image="codercom/code-server:9.9.9"))
    aws_proxy.reset()
    assert result["failed"] is True
    assert result["msg"].startswith("Failed to update ECS service interview-upd-fail: ")
    after = ecs.describe_services(cluster="interviews", services=["interview-upd-fail"])["services"][0]
    assert after["taskDefinition"] == before["taskDefinition"]
    active = ecs.list_task_definitions(familyPrefix="interview-upd-fail", status="ACTIVE")["taskDefinitionArns"]
    assert active == [before["taskDefinition"]]  # the revision this call registered is gone again
    assert run_module("interview_service", dict(args, state="absent"))["changed"] is True
    _nothing_left(shared_infra)


def test_a_short_throttle_is_retried(run_module, shared_infra, aws_proxy):
    args = interview_args(shared_infra, "thr-short", endpoint=aws_proxy.url, retries=3)
    aws_proxy.reset()
    aws_proxy.fail(1, code="Throttling", match=r"CreateTargetGroup")
    result = run_module("interview_service", args)
    assert result["changed"] is True, result
    assert aws_proxy.counts()["elasticloadbalancing:CreateTargetGroup"] == 2
    aws_proxy.reset()
    absent = dict(args, state="absent")
    assert run_module("interview_service", absent)["changed"] is True
    _nothing_left(shared_infra)


def test_a_throttling_storm_gives_up_with_a_clear_error(run_module, shared_infra, aws_proxy):
    args = interview_args(shared_infra, "thr-storm", endpoint=aws_proxy.url, retries=2)
    aws_proxy.reset()
    aws_proxy.throttle(r"ecs:CreateService")
    started = time.monotonic()
    result = run_module("interview_service", args)
    elapsed = time.monotonic() - started
    calls = aws_proxy.counts()
    aws_proxy.reset()
    assert result["failed"] is True
    assert result["msg"].startswith("Failed to create ECS service interview-thr-storm: ")
    assert "ThrottlingException" in result["msg"]
    assert calls["ecs:CreateService"] == 3  # first try + 2 retries, then it stops
    assert elapsed < 60
    _nothing_left(shared_infra)
