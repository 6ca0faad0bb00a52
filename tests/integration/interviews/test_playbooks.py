"""The interview playbooks through ansible-playbook against moto: create, list, reap, destroy."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from datetime import datetime, timedelta, timezone

import pytest
from interviews_support import DOMAIN, PREFIX, REGION, ROOT, boto, interview_args, inventory_of

PLAYBOOK = ROOT / ".tools" / "venv" / "bin" / "ansible-playbook"


@pytest.fixture(scope="module")
def settings(shared_infra, tmp_path_factory):
    def write(endpoint):
        values = {
            "interviews_region": REGION,
            "interviews_endpoint_url": endpoint,
            "interviews_cluster": shared_infra["cluster"],
            "interviews_listener_arn": shared_infra["listener_arn"],
            "interviews_hosted_zone_id": shared_infra["zone_id"],
            "interviews_domain": DOMAIN,
            "interviews_subnets": shared_infra["subnets"],
            "interviews_security_groups": [shared_infra["security_group"]],
            "interviews_bucket": shared_infra["bucket"],
            "interviews_max_instances": 20,
        }
        path = tmp_path_factory.mktemp("vars") / "interviews.json"
        path.write_text(json.dumps(values))
        return path

    return write


def play(name, module_env, varsfile, *extra):
    out = subprocess.run(  # noqa: S603 - fixed argv
        [
            str(PLAYBOOK),
            "-i",
            "localhost,",
            f"playbooks/{name}.yml",
            "-e",
            f"@{varsfile}",
            "-e",
            f"ansible_python_interpreter={sys.executable}",
            *extra,
        ],
        env=module_env,
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
        timeout=300,
    )
    recap = re.search(r"localhost\s+:\s+ok=(\d+)\s+changed=(\d+)\s+unreachable=\d+\s+failed=(\d+)", out.stdout)
    return out, (int(recap.group(2)), int(recap.group(3))) if recap else (None, None)


def test_create_is_idempotent_and_never_prints_the_password(module_env, settings, shared_infra):
    varsfile = settings(shared_infra["endpoint"])
    out, (changed, failed) = play(
        "interview_create",
        module_env,
        varsfile,
        "-e",
        "interview_id=pb-one",
        "-e",
        "interview_challenge=python",
        "-vvv",
    )
    assert (changed, failed) == (1, 0), out.stdout + out.stderr
    assert f"pb-one at https://pb-one.{DOMAIN}" in out.stdout
    password = boto("ssm", shared_infra["endpoint"]).get_parameter(
        Name=f"{PREFIX}/pb-one/password", WithDecryption=True
    )["Parameter"]["Value"]
    assert password not in out.stdout + out.stderr
    again, (changed, failed) = play(
        "interview_create", module_env, varsfile, "-e", "interview_id=pb-one", "-e", "interview_challenge=python"
    )
    assert (changed, failed) == (0, 0), again.stdout


def test_check_mode_create_makes_nothing(module_env, settings, shared_infra):
    varsfile = settings(shared_infra["endpoint"])
    out, (changed, failed) = play(
        "interview_create",
        module_env,
        varsfile,
        "-e",
        "interview_id=pb-check",
        "-e",
        "interview_challenge=sql",
        "--check",
        "--diff",
    )
    assert (changed, failed) == (1, 0), out.stdout
    assert all(not v for v in inventory_of(shared_infra["endpoint"], shared_infra, "pb-check").values())


def test_bad_request_fails_in_preflight(module_env, settings, shared_infra):
    varsfile = settings(shared_infra["endpoint"])
    out, (_changed, failed) = play(
        "interview_create", module_env, varsfile, "-e", "interview_id=Bad_Id", "-e", "interview_challenge=python"
    )
    assert failed == 1
    assert "Give interview_id" in out.stdout


def test_list_shows_interviews(module_env, settings, shared_infra):
    out, (changed, failed) = play("interview_list", module_env, settings(shared_infra["endpoint"]))
    assert (changed, failed) == (0, 0), out.stdout
    assert (
        f"pb-one running https://pb-one.{DOMAIN}" in out.stdout
        or f"pb-one pending https://pb-one.{DOMAIN}" in out.stdout
    )


def test_reaper_removes_expired_keeps_live_and_reports_failures(
    module_env, settings, shared_infra, aws_proxy, run_module
):
    past = (datetime.now(timezone.utc) - timedelta(minutes=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
    expired = ["old-a", "old-b", "old-c"]
    started = [
        run_module.start(
            "interview_service",
            interview_args(shared_infra, i, ttl=None, expires_at=past, bucket=shared_infra["bucket"]),
        )
        for i in expired
    ] + [run_module.start("interview_service", interview_args(shared_infra, "live-a", ttl="3h"))]
    assert all(run_module.finish(*s).get("changed") for s in started)

    aws_proxy.reset()
    aws_proxy.fail(1, match=r"ecs:DeleteService")  # the first removal breaks half way
    out, (_changed, failed) = play("interview_reap", module_env, settings(aws_proxy.url))
    aws_proxy.reset()
    assert failed == 1, out.stdout  # the final "fail when any failed" task
    assert "Could not reap 1 interview(s): old-a: Failed to delete ECS service interview-old-a" in out.stdout
    summary = out.stdout[out.stdout.index("TASK [Show the summary]") :]
    assert "old-b" in summary
    assert "old-c" in summary
    for gone in ("old-b", "old-c"):
        assert all(not v for v in inventory_of(shared_infra["endpoint"], shared_infra, gone).values())
    assert inventory_of(shared_infra["endpoint"], shared_infra, "old-a")["services"] == ["interview-old-a"]
    assert inventory_of(shared_infra["endpoint"], shared_infra, "live-a")["services"] == ["interview-live-a"]

    # The next scheduled run finishes the job.
    out, (changed, failed) = play("interview_reap", module_env, settings(shared_infra["endpoint"]))
    assert (changed, failed) == (1, 0), out.stdout
    assert all(not v for v in inventory_of(shared_infra["endpoint"], shared_infra, "old-a").values())
    assert inventory_of(shared_infra["endpoint"], shared_infra, "live-a")["services"] == ["interview-live-a"]
    # Nothing expired left: a run changes nothing.
    out, (changed, failed) = play("interview_reap", module_env, settings(shared_infra["endpoint"]))
    assert (changed, failed) == (0, 0), out.stdout


def test_destroy_removes_everything_and_is_idempotent(module_env, settings, shared_infra):
    varsfile = settings(shared_infra["endpoint"])
    for interview_id in ("pb-one", "live-a"):
        out, (changed, failed) = play("interview_destroy", module_env, varsfile, "-e", f"interview_id={interview_id}")
        assert (changed, failed) == (1, 0), out.stdout
    leftovers = inventory_of(shared_infra["endpoint"], shared_infra)
    assert all(not v for v in leftovers.values()), leftovers
    out, (changed, failed) = play("interview_destroy", module_env, varsfile, "-e", "interview_id=pb-one")
    assert (changed, failed) == (0, 0), out.stdout


def test_returned_password_is_censored_in_task_output(module_env, settings, shared_infra, tmp_path):
    varsfile = settings(shared_infra["endpoint"])
    playbook = tmp_path / "secret.yml"
    playbook.write_text(
        "- hosts: localhost\n  connection: local\n  gather_facts: false\n  tasks:\n"
        "    - interviewops.platform.interview_service:\n"
        "        interview_id: pb-secret\n        cluster: '{{ interviews_cluster }}'\n        challenge: sql\n"
        "        image: codercom/code-server:4.96.4\n        subnets: '{{ interviews_subnets }}'\n"
        "        listener_arn: '{{ interviews_listener_arn }}'\n"
        "        hosted_zone_id: '{{ interviews_hosted_zone_id }}'\n"
        "        domain: '{{ interviews_domain }}'\n        endpoint_url: '{{ interviews_endpoint_url }}'\n"
        "        region: '{{ interviews_region }}'\n        return_password: true\n"
        "      register: made\n      no_log: true\n"
        "    - ansible.builtin.assert:\n        that: made.password | length == 24\n        quiet: true\n"
    )
    out = subprocess.run(  # noqa: S603 - fixed argv
        [
            str(PLAYBOOK),
            "-i",
            "localhost,",
            str(playbook),
            "-e",
            f"@{varsfile}",
            "-vvv",
            "-e",
            f"ansible_python_interpreter={sys.executable}",
        ],
        env=module_env,
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
        timeout=300,
    )
    assert out.returncode == 0, out.stdout + out.stderr
    password = boto("ssm", shared_infra["endpoint"]).get_parameter(
        Name=f"{PREFIX}/pb-secret/password", WithDecryption=True
    )["Parameter"]["Value"]
    assert password not in out.stdout + out.stderr
    assert "censored" in out.stdout
    absent = {
        "interview_id": "pb-secret",
        "state": "absent",
        "cluster": shared_infra["cluster"],
        "listener_arn": shared_infra["listener_arn"],
        "hosted_zone_id": shared_infra["zone_id"],
        "domain": DOMAIN,
    }
    absent_file = tmp_path / "absent.yml"
    absent_file.write_text(
        "- hosts: localhost\n  connection: local\n  gather_facts: false\n  tasks:\n"
        "    - interviewops.platform.interview_service: "
        + json.dumps(absent | {"endpoint_url": shared_infra["endpoint"], "region": REGION})
        + "\n"
    )
    out = subprocess.run(  # noqa: S603 - fixed argv
        [str(PLAYBOOK), "-i", "localhost,", str(absent_file), "-e", f"ansible_python_interpreter={sys.executable}"],
        env=module_env,
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
        timeout=300,
    )
    assert out.returncode == 0, out.stdout
    assert all(not v for v in inventory_of(shared_infra["endpoint"], shared_infra, "pb-secret").values())
