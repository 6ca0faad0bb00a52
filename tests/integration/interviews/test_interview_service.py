"""interview_service and interview_info against a moto server: create, idempotence, update, destroy, bad input."""

from __future__ import annotations

import pytest
from interviews_support import DOMAIN, PREFIX, REGION, boto, interview_args, inventory_of


def test_check_mode_create_changes_nothing(run_module, shared_infra):
    args = interview_args(shared_infra, "check-only")
    result = run_module("interview_service", args, check=True, diff=True)
    assert result["changed"] is True, result
    assert set(result["planned"]) == {
        "slot",
        "password",
        "task_definition",
        "target_group",
        "rule",
        "service",
        "record",
    }
    assert result["diff"]["before"] == {"exists": False}
    assert result["diff"]["after"]["image"] == args["image"]
    assert all(not v for v in inventory_of(shared_infra["endpoint"], shared_infra, "check-only").values())


def test_create_makes_every_piece_tagged(run_module, shared_infra):
    args = interview_args(shared_infra, "cand-1", bucket=shared_infra["bucket"], tags={"team": "hiring"})
    result = run_module("interview_service", args, diff=True)
    assert result["changed"] is True, result
    assert result["url"] == f"https://cand-1.{DOMAIN}"
    assert "password" not in result
    assert result["password_generated"] is True
    found = inventory_of(shared_infra["endpoint"], shared_infra, "cand-1")
    assert found["services"] == ["interview-cand-1"]
    assert len(found["task_definitions"]) == 1
    assert found["target_groups"] == ["iv-cand-1"]
    assert found["rules"] == [f"cand-1.{DOMAIN}"]
    assert found["records"] == [f"cand-1.{DOMAIN}."]
    assert f"{PREFIX}/cand-1/password" in found["parameters"]
    assert sorted(found["objects"]) == ["workspaces/cand-1/README.md", "workspaces/cand-1/main.py"]

    endpoint = shared_infra["endpoint"]
    ecs = boto("ecs", endpoint)
    service = ecs.describe_services(cluster="interviews", services=["interview-cand-1"], include=["TAGS"])["services"][
        0
    ]
    tags = {t["key"]: t["value"] for t in service["tags"]}
    assert tags["interview-id"] == "cand-1"
    assert tags["challenge"] == "python"
    assert tags["managed-by"] == "interviewops.platform"
    assert tags["team"] == "hiring"
    assert tags["expires-at"] == result["expires_at"]
    task_def = ecs.describe_task_definition(taskDefinition=service["taskDefinition"], include=["TAGS"])
    assert {t["key"]: t["value"] for t in task_def["tags"]}["interview-id"] == "cand-1"
    container = task_def["taskDefinition"]["containerDefinitions"][0]
    assert container["secrets"] == [{"name": "PASSWORD", "valueFrom": f"{PREFIX}/cand-1/password"}]
    assert all("PASSWORD" != e["name"] for e in container["environment"])

    elbv2 = boto("elbv2", endpoint)
    tg = elbv2.describe_target_groups(Names=["iv-cand-1"])["TargetGroups"][0]
    rule = [r for r in elbv2.describe_rules(ListenerArn=shared_infra["listener_arn"])["Rules"] if not r["IsDefault"]]
    assert rule[0]["Actions"][0]["TargetGroupArn"] == tg["TargetGroupArn"]
    for arn in (tg["TargetGroupArn"], rule[0]["RuleArn"]):
        described = elbv2.describe_tags(ResourceArns=[arn])["TagDescriptions"][0]["Tags"]
        assert {t["Key"]: t["Value"] for t in described}["interview-id"] == "cand-1"
    record = [
        r
        for r in boto("route53", endpoint).list_resource_record_sets(HostedZoneId=shared_infra["zone_id"])[
            "ResourceRecordSets"
        ]
        if r["Name"] == f"cand-1.{DOMAIN}."
    ][0]
    assert record["AliasTarget"]["DNSName"].rstrip(".").lower() == shared_infra["lb_dns"].lower()

    ssm = boto("ssm", endpoint)
    param = ssm.get_parameter(Name=f"{PREFIX}/cand-1/password", WithDecryption=True)["Parameter"]
    assert param["Type"] == "SecureString"
    assert len(param["Value"]) == 24
    assert param["Value"] not in str(result)
    slot_tags = ssm.list_tags_for_resource(ResourceType="Parameter", ResourceId=result["slot"])["TagList"]
    assert {t["Key"]: t["Value"] for t in slot_tags}["interview-id"] == "cand-1"


def test_same_call_again_is_unchanged_without_new_revision(run_module, shared_infra, aws_proxy):
    args = interview_args(
        shared_infra, "cand-1", bucket=shared_infra["bucket"], tags={"team": "hiring"}, endpoint=aws_proxy.url
    )
    aws_proxy.reset()
    result = run_module("interview_service", args)
    assert result["changed"] is False, result
    assert result["actions"] == []
    calls = aws_proxy.counts()
    writes = ("Register", "Create", "Put", "Change", "Modify", "Copy", "Update", "Add", "Tag", "Delete", "POST", "PUT")
    assert not [c for c in calls if c.split(":", 1)[1].startswith(writes)], calls
    revisions = boto("ecs", shared_infra["endpoint"]).list_task_definitions(familyPrefix="interview-cand-1")
    assert len(revisions["taskDefinitionArns"]) == 1
    check = run_module("interview_service", args, check=True, diff=True)
    assert check["changed"] is False, check
    assert check["diff"]["before"] == check["diff"]["after"] or check["diff"]["before"]["image"] == args["image"]


def test_changed_image_updates_in_place(run_module, shared_infra):
    args = interview_args(shared_infra, "cand-1", image="codercom/code-server:4.97.0", bucket=shared_infra["bucket"])
    check = run_module("interview_service", args, check=True, diff=True)
    assert check["changed"] is True
    assert check["planned"] == ["task_definition"]
    assert check["diff"]["before"]["image"] == "codercom/code-server:4.96.4"
    assert check["diff"]["after"]["image"] == "codercom/code-server:4.97.0"
    ecs = boto("ecs", shared_infra["endpoint"])
    before = ecs.describe_services(cluster="interviews", services=["interview-cand-1"])["services"][0]
    result = run_module("interview_service", args)
    assert result["changed"] is True, result
    after = ecs.describe_services(cluster="interviews", services=["interview-cand-1"])["services"][0]
    assert after["serviceArn"] == before["serviceArn"]
    assert after["taskDefinition"] != before["taskDefinition"]
    assert after["taskDefinition"].endswith(":2")
    active = ecs.list_task_definitions(familyPrefix="interview-cand-1", status="ACTIVE")["taskDefinitionArns"]
    assert active == [after["taskDefinition"]]
    assert run_module("interview_service", args)["changed"] is False


def test_expires_at_extends_and_tags_follow(run_module, shared_infra):
    args = interview_args(
        shared_infra, "cand-1", image="codercom/code-server:4.97.0", ttl=None, expires_at="2099-01-01T10:00:00+00:00"
    )
    result = run_module("interview_service", args, diff=True)
    assert result["changed"] is True
    assert result["expires_at"] == "2099-01-01T10:00:00Z"
    assert result["diff"]["after"]["expires_at"] == "2099-01-01T10:00:00Z"
    elbv2 = boto("elbv2", shared_infra["endpoint"])
    tg = elbv2.describe_target_groups(Names=["iv-cand-1"])["TargetGroups"][0]
    tags = elbv2.describe_tags(ResourceArns=[tg["TargetGroupArn"]])["TagDescriptions"][0]["Tags"]
    assert {t["Key"]: t["Value"] for t in tags}["expires-at"] == "2099-01-01T10:00:00Z"
    # A ttl on an existing interview keeps the expiry: nothing changes.
    again = run_module("interview_service", interview_args(shared_infra, "cand-1", image="codercom/code-server:4.97.0"))
    assert again["changed"] is False
    assert again["expires_at"] == "2099-01-01T10:00:00Z"


def test_password_only_returned_with_no_log_and_given_one_is_stored(run_module, shared_infra):
    ssm = boto("ssm", shared_infra["endpoint"])
    name = f"{PREFIX}/cand-1/password"
    generated = ssm.get_parameter(Name=name, WithDecryption=True)["Parameter"]["Value"]
    args = interview_args(shared_infra, "cand-1", image="codercom/code-server:4.97.0", return_password=True)
    refused = run_module("interview_service", args)
    assert refused["failed"] is True
    assert "needs no_log: true on the task" in refused["msg"]
    assert generated not in str(refused)
    # What Ansible sends for a task with no_log: true.
    shown = run_module("interview_service", dict(args, _ansible_no_log=True))
    assert shown["changed"] is False
    assert shown["password"] == generated

    secret = "S3cret-given-pw-123"  # noqa: S105 - test value
    args = interview_args(shared_infra, "cand-1", image="codercom/code-server:4.97.0", password=secret)
    result = run_module("interview_service", args)
    assert result["changed"] is True
    assert result["actions"] == [f"update password {name}"]
    assert secret not in str(result)
    assert ssm.get_parameter(Name=name, WithDecryption=True)["Parameter"]["Value"] == secret
    again = run_module("interview_service", args)
    assert again["changed"] is False


def test_info_lists_one_and_all(run_module, shared_infra):
    second = interview_args(shared_infra, "cand-2", challenge="graphs", bucket=shared_infra["bucket"])
    assert run_module("interview_service", second)["changed"] is True
    base = {"cluster": "interviews", "endpoint_url": shared_infra["endpoint"], "region": REGION}
    everything = run_module("interview_info", base)
    assert everything["count"] == 2
    ids = [i["interview_id"] for i in everything["interviews"]]
    assert ids == ["cand-1", "cand-2"]
    one = run_module("interview_info", dict(base, interview_id="cand-2"))["interviews"]
    assert len(one) == 1
    assert one[0]["challenge"] == "graphs"
    assert one[0]["status"] == "pending"  # moto never starts tasks
    assert one[0]["url"] == f"https://cand-2.{DOMAIN}"
    assert 7000 < one[0]["remaining_seconds"] <= 7200
    assert one[0]["expired"] is False


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"interview_id": "Bad_ID"}, "Invalid interview_id 'Bad_ID'"),
        ({"interview_id": "ab"}, "Invalid interview_id 'ab'"),
        ({"challenge": "cobol"}, "Unknown challenge 'cobol'"),
        ({"ttl": "soon"}, "Invalid ttl 'soon'"),
        (
            {
                "listener_arn": "arn:aws:elasticloadbalancing:us-east-1:123456789012:"
                "listener/app/nope/0123456789abcdef/"
                "0123456789abcdef"
            },
            "Failed to find listener",
        ),
        ({"hosted_zone_id": "ZNOPE123456"}, "Failed to find hosted zone ZNOPE123456"),
    ],
)
def test_bad_input_is_clear_and_makes_nothing(run_module, shared_infra, overrides, message):
    args = interview_args(shared_infra, "bad-input", bucket=shared_infra["bucket"])
    args.update(overrides)
    result = run_module("interview_service", args)
    assert result.get("failed") is True, result
    assert message in result["msg"], result["msg"]
    assert all(not v for v in inventory_of(shared_infra["endpoint"], shared_infra, "bad-input").values())


def test_absent_removes_every_piece_and_is_idempotent(run_module, shared_infra):
    args = {
        "interview_id": "cand-2",
        "state": "absent",
        "cluster": "interviews",
        "listener_arn": shared_infra["listener_arn"],
        "hosted_zone_id": shared_infra["zone_id"],
        "domain": DOMAIN,
        "bucket": shared_infra["bucket"],
        "endpoint_url": shared_infra["endpoint"],
        "region": REGION,
    }
    check = run_module("interview_service", args, check=True, diff=True)
    assert check["changed"] is True
    assert check["diff"]["before"]["pieces"]["service"] is True
    assert inventory_of(shared_infra["endpoint"], shared_infra, "cand-2")["services"] == ["interview-cand-2"]
    result = run_module("interview_service", args)
    assert result["changed"] is True, result
    assert all(not v for v in inventory_of(shared_infra["endpoint"], shared_infra, "cand-2").values())
    assert inventory_of(shared_infra["endpoint"], shared_infra, "cand-1")["services"] == ["interview-cand-1"]
    again = run_module("interview_service", args)
    assert again["changed"] is False
    assert again["removed"] == []


def test_absent_without_domain_uses_the_host_tag(run_module, shared_infra):
    args = {
        "interview_id": "cand-1",
        "state": "absent",
        "cluster": "interviews",
        "listener_arn": shared_infra["listener_arn"],
        "hosted_zone_id": shared_infra["zone_id"],
        "bucket": shared_infra["bucket"],
        "endpoint_url": shared_infra["endpoint"],
        "region": REGION,
    }
    assert run_module("interview_service", args)["changed"] is True
    leftovers = inventory_of(shared_infra["endpoint"], shared_infra)
    assert all(not v for v in leftovers.values()), leftovers


def test_expired_credentials_are_a_clear_error(run_module, shared_infra, aws_proxy):
    aws_proxy.reset()
    aws_proxy.fail(1, code="ExpiredTokenException")
    result = run_module("interview_service", interview_args(shared_infra, "cand-9", endpoint=aws_proxy.url))
    aws_proxy.reset()
    assert result["failed"] is True
    assert result["msg"].startswith("Failed to ")
    assert "ExpiredToken" in result["msg"]
    assert all(not v for v in inventory_of(shared_infra["endpoint"], shared_infra, "cand-9").values())
