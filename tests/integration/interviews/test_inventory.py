"""The interviews inventory plugin against moto: hosts, groups, vars, unsafe data, API calls cold and cached."""

from __future__ import annotations

import json
import math
import subprocess
from datetime import datetime, timedelta, timezone

import pytest
from interviews_support import DOMAIN, ROOT, boto

ANSIBLE_BIN = ROOT / ".tools" / "venv" / "bin"
LIVE = 23
EXPIRED = 4
FOREIGN = 3  # services without our tags: never hosts


def _iso(delta):
    return (datetime.now(timezone.utc) + delta).strftime("%Y-%m-%dT%H:%M:%SZ")


@pytest.fixture(scope="module")
def services(moto_server):
    """Interview services made straight in ECS (the inventory reads ECS only)."""
    ecs = boto("ecs", moto_server)
    ecs.create_cluster(clusterName="interviews")
    td = ecs.register_task_definition(
        family="interview-any", containerDefinitions=[{"name": "code-server", "image": "code-server", "memory": 512}]
    )["taskDefinition"]["taskDefinitionArn"]

    def make(name, tags, desired=1):
        ecs.create_service(
            cluster="interviews",
            serviceName=name,
            taskDefinition=td,
            desiredCount=desired,
            tags=[{"key": k, "value": v} for k, v in tags.items()],
        )

    challenges = ["python", "javascript", "sql"]
    for n in range(LIVE):
        iid = f"live-{n:02d}"
        make(
            f"interview-{iid}",
            {
                "interview-id": iid,
                "expires-at": _iso(timedelta(hours=1)),
                "challenge": challenges[n % 3],
                "managed-by": "interviewops.platform",
                "interview-host": f"{iid}.{DOMAIN}",
                "team": f"t{n % 2}",
            },
            desired=0 if n == 0 else 1,
        )
    for n in range(EXPIRED):
        iid = f"old-{n:02d}"
        make(
            f"interview-{iid}",
            {
                "interview-id": iid,
                "expires-at": _iso(-timedelta(minutes=5)),
                "challenge": "sql",
                "managed-by": "interviewops.platform",
                "interview-host": f"{iid}.{DOMAIN}",
            },
        )
    make(
        "interview-evil",
        {
            "interview-id": "evil",
            "expires-at": _iso(timedelta(hours=1)),
            "challenge": "{{ 6 * 7 }}",
            "managed-by": "interviewops.platform",
            "interview-host": f"evil.{DOMAIN}",
        },
    )
    for n in range(FOREIGN):
        make(f"portal-{n}", {"app": "portal"})
    return LIVE + EXPIRED + 1


def _plain(value):
    """ansible-inventory prints unsafe strings as {"__ansible_unsafe": value}."""
    if isinstance(value, dict):
        if set(value) == {"__ansible_unsafe"}:
            return value["__ansible_unsafe"]
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def _write_config(tmp_path, endpoint, cache=True, extra=""):
    path = tmp_path / "test.interviews.yml"
    path.write_text(
        "plugin: interviewops.platform.interviews\n"
        "clusters: [interviews]\n"
        "regions: [us-east-1]\n"
        f"endpoint_url: {endpoint}\n"
        "access_key: testing\nsecret_key: testing\n"
        f"cache: {'true' if cache else 'false'}\n"
        "cache_plugin: ansible.builtin.jsonfile\n"
        f"cache_connection: {tmp_path / 'cache'}\n"
        "cache_timeout: 600\n"
        "strict: true\n"
        "compose:\n  ansible_connection: \"'local'\"\n  shout: interview_id | upper\n"
        "groups:\n  ending_soon: not expired and remaining_seconds < 7200\n"
        "keyed_groups:\n  - key: tags['team'] | default('none')\n    prefix: team\n" + extra
    )
    return path


def _inventory(path, module_env, *args):
    out = subprocess.run(  # noqa: S603 - fixed argv
        [str(ANSIBLE_BIN / "ansible-inventory"), "-i", str(path), "--list", *args],
        env=module_env,
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
        timeout=120,
    )
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout)


def test_hosts_groups_vars_and_calls(services, aws_proxy, module_env, tmp_path):
    path = _write_config(tmp_path, aws_proxy.url)
    aws_proxy.reset()
    data = _inventory(path, module_env)
    calls = aws_proxy.counts()

    hostvars = data["_meta"]["hostvars"]
    assert len(hostvars) == services
    assert sorted(data["interviews"]["hosts"]) == sorted(hostvars)
    assert sorted(data["interviews_expired"]["hosts"]) == [f"interview_old-{n:02d}" for n in range(EXPIRED)]
    assert "interview_live-00" in data["status_stopped"]["hosts"]
    assert len(data["status_pending"]["hosts"]) == services - 1  # moto never starts tasks
    assert len(data["challenge_python"]["hosts"]) == 8
    assert len(data["challenge_sql"]["hosts"]) == 7 + EXPIRED
    assert len(data["team_t0"]["hosts"]) == 12
    assert sorted(data["ending_soon"]["hosts"]) == sorted(h for h in hostvars if "old-" not in h)

    raw = hostvars["interview_live-01"]
    assert raw["url"] == {"__ansible_unsafe": f"https://live-01.{DOMAIN}"}  # remote data is marked unsafe
    assert raw["tags"]["team"] == {"__ansible_unsafe": "t1"}
    one = _plain(raw)
    assert one["url"] == f"https://live-01.{DOMAIN}"
    assert one["challenge"] == "javascript"
    assert one["status"] == "pending"
    assert one["expired"] is False
    assert 3000 < one["remaining_seconds"] <= 3600
    assert one["service_arn"].endswith("/interviews/interview-live-01")
    assert one["shout"] == "LIVE-01"
    assert one["ansible_connection"] == "local"
    assert not any(h.startswith("portal") for h in hostvars)

    # Minimum calls: ListServices pages of 100 + DescribeServices batches of 10, nothing per host.
    total_services = services + FOREIGN
    assert calls["ecs:ListServices"] <= 1 + math.ceil(total_services / 100)
    assert calls["ecs:DescribeServices"] == math.ceil(total_services / 10)
    assert sum(calls.values()) == calls["ecs:ListServices"] + calls["ecs:DescribeServices"], calls

    # Cache hit: the same inventory with zero API calls.
    aws_proxy.reset()
    again = _inventory(path, module_env)
    assert sum(aws_proxy.counts().values()) == 0
    assert again["_meta"]["hostvars"].keys() == hostvars.keys()
    assert again["interviews_expired"] == data["interviews_expired"]

    # --flush-cache reads AWS again.
    aws_proxy.reset()
    _inventory(path, module_env, "--flush-cache")
    assert aws_proxy.counts()["ecs:DescribeServices"] == math.ceil(total_services / 10)


def test_remote_data_is_never_templated(services, aws_proxy, module_env, tmp_path):
    path = _write_config(tmp_path, aws_proxy.url, cache=False)
    out = subprocess.run(  # noqa: S603 - fixed argv
        [
            str(ANSIBLE_BIN / "ansible"),
            "-i",
            str(path),
            "interview_evil",
            "-m",
            "ansible.builtin.debug",
            "-a",
            "var=challenge",
        ],
        env=module_env,
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
        timeout=120,
    )
    assert out.returncode == 0, out.stdout + out.stderr
    assert "{{ 6 * 7 }}" in out.stdout
    assert "42" not in out.stdout


def test_config_from_environment_for_awx(services, moto_server, module_env, tmp_path):
    path = tmp_path / "awx.interviews.yml"
    path.write_text(f"plugin: interviewops.platform.interviews\nendpoint_url: {moto_server}\n")
    env = dict(module_env, INTERVIEWOPS_INTERVIEW_CLUSTERS="interviews", INTERVIEWOPS_INTERVIEW_REGIONS="us-east-1")
    data = _inventory(path, env)
    assert len(data["_meta"]["hostvars"]) == services
