"""Racing creates: max_instances holds and listener-rule priorities never collide.

Each create runs in its own process, all started at once, as AWX forks or
separate job runs would.
"""

from __future__ import annotations

from interviews_support import PREFIX, boto, interview_args, inventory_of


def _race(run_module, arg_list):
    started = [run_module.start("interview_service", args) for args in arg_list]
    return [run_module.finish(proc, path) for proc, path in started]


def _priorities(infra):
    rules = boto("elbv2", infra["endpoint"]).describe_rules(ListenerArn=infra["listener_arn"])["Rules"]
    return [int(r["Priority"]) for r in rules if not r["IsDefault"]]


def test_thirty_racing_creates_with_max_twenty(run_module, shared_infra):
    ids = [f"race-{n:02d}" for n in range(30)]
    results = _race(run_module, [interview_args(shared_infra, i, max_instances=20, retries=5) for i in ids])

    made = [r for r in results if r.get("changed") and not r.get("failed")]
    refused = [r for r in results if r.get("failed")]
    assert len(made) == 20, [r.get("msg") for r in refused]
    assert len(refused) == 10
    for result in refused:
        assert "capacity full" in result["msg"], result["msg"]
        assert "max_instances=20" in result["msg"]

    found = inventory_of(shared_infra["endpoint"], shared_infra)
    assert len(found["services"]) == 20
    assert len(found["target_groups"]) == 20
    assert len(found["rules"]) == 20
    assert len(found["records"]) == 20
    slots = [p for p in found["parameters"] if "/_slots/" in p]
    passwords = [p for p in found["parameters"] if p.endswith("/password")]
    assert len(slots) == 20
    assert len(passwords) == 20
    priorities = _priorities(shared_infra)
    assert len(set(priorities)) == 20
    # The refused ones left nothing behind.
    made_ids = {r["interview_id"] for r in made}
    for interview_id in set(ids) - made_ids:
        assert all(not v for v in inventory_of(shared_infra["endpoint"], shared_infra, interview_id).values())
    # Slot owners are exactly the interviews that were made.
    ssm = boto("ssm", shared_infra["endpoint"])
    owners = {
        p["Value"]
        for page in ssm.get_paginator("get_parameters_by_path").paginate(Path=f"{PREFIX}/_slots")
        for p in page["Parameters"]
    }
    assert owners == made_ids


def test_freed_capacity_is_usable_again(run_module, shared_infra):
    victim = sorted(inventory_of(shared_infra["endpoint"], shared_infra)["services"])[0].removeprefix("interview-")
    full = run_module("interview_service", interview_args(shared_infra, "late-one", max_instances=20))
    assert full["failed"] is True
    assert "capacity full" in full["msg"]
    absent = {
        "interview_id": victim,
        "state": "absent",
        "cluster": "interviews",
        "listener_arn": shared_infra["listener_arn"],
        "hosted_zone_id": shared_infra["zone_id"],
        "endpoint_url": shared_infra["endpoint"],
        "region": "us-east-1",
    }
    assert run_module("interview_service", absent)["changed"] is True
    made = run_module("interview_service", interview_args(shared_infra, "late-one", max_instances=20))
    assert made["changed"] is True, made


def test_racing_for_the_same_priority_is_retried(run_module, shared_infra):
    # A second listener whose slot-derived priorities (1000 + slot) are all taken,
    # so every racing create falls back to "lowest free priority" and they collide.
    elbv2 = boto("elbv2", shared_infra["endpoint"])
    fixed = [{"Type": "fixed-response", "FixedResponseConfig": {"StatusCode": "403", "ContentType": "text/plain"}}]
    listener = elbv2.create_listener(
        LoadBalancerArn=shared_infra["lb_arn"], Protocol="HTTP", Port=8081, DefaultActions=fixed
    )["Listeners"][0]["ListenerArn"]
    for priority in range(1000, 1010):
        elbv2.create_rule(
            ListenerArn=listener,
            Priority=priority,
            Actions=fixed,
            Conditions=[{"Field": "path-pattern", "Values": [f"/blocked-{priority}/*"]}],
        )
    ids = [f"prio-{n}" for n in range(6)]
    results = _race(
        run_module,
        [
            interview_args(
                shared_infra,
                i,
                max_instances=10,
                retries=5,
                listener_arn=listener,
                parameter_prefix="/interviewops/priority-race",
            )
            for i in ids
        ],
    )
    assert all(r.get("changed") and not r.get("failed") for r in results), [r.get("msg") for r in results]
    rules = elbv2.describe_rules(ListenerArn=listener)["Rules"]
    priorities = [int(r["Priority"]) for r in rules if not r["IsDefault"] and int(r["Priority"]) < 1000]
    assert sorted(priorities) == [1, 2, 3, 4, 5, 6]
