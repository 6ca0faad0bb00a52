"""Inventory plugin logic without AWS: population, groups, unsafe values, and zero calls on a cache hit."""

from __future__ import annotations

import datetime
import json

import pytest
from ansible.inventory.data import InventoryData
from ansible.template import Templar

# ansible-test units needs boto3/botocore (tests/unit/requirements.txt) and amazon.aws next to
# this collection; without them these tests are skipped rather than broken.
pytest.importorskip("boto3")
pytest.importorskip("ansible_collections.amazon.aws.plugins.module_utils.modules")

from ansible_collections.interviewops.platform.plugins.inventory import interviews as plugin_module  # noqa: E402
from ansible_collections.interviewops.platform.plugins.inventory.interviews import InventoryModule, slim_service  # noqa: E402


def _service(iid, expires, challenge="python", running=0):
    tags = {
        "interview-id": iid,
        "expires-at": expires,
        "challenge": challenge,
        "managed-by": "interviewops.platform",
        "interview-host": f"{iid}.example.com",
    }
    return {
        "serviceName": f"interview-{iid}",
        "serviceArn": f"arn:svc/{iid}",
        "status": "ACTIVE",
        "desiredCount": 1,
        "runningCount": running,
        "taskDefinition": "td:1",
        "createdAt": datetime.datetime(2026, 1, 1, tzinfo=datetime.timezone.utc),
        "tags": [{"key": k, "value": v} for k, v in tags.items()],
        "events": [{"x": object()}],
    }


@pytest.fixture
def plugin(monkeypatch):
    inv = InventoryModule()
    inv.inventory = InventoryData()
    inv.templar = Templar(loader=None)
    options = {
        "strict": False,
        "compose": {},
        "groups": {},
        "keyed_groups": [],
        "leading_separator": True,
        "use_extra_vars": False,
    }
    monkeypatch.setattr(inv, "get_option", lambda name, hostvars=None: options.get(name))
    return inv


def test_slim_service_is_json_safe():
    slim = slim_service(_service("a-1", "2099-01-01T00:00:00Z"))
    json.dumps(slim)
    assert "events" not in slim
    assert slim["createdAt"] == "2026-01-01T00:00:00+00:00"


def test_populate_hosts_groups_and_vars(plugin):
    results = [
        {
            "region": "us-east-1",
            "cluster": "c",
            "services": [
                slim_service(_service("a-1", "2099-01-01T00:00:00Z", running=1)),
                slim_service(_service("b-2", "2000-01-01T00:00:00Z", challenge="my challenge")),
            ],
        }
    ]
    plugin._populate(results)
    inv = plugin.inventory
    assert sorted(inv.groups["interviews"].get_hosts(), key=str)[0].name == "interview_a-1"
    assert [h.name for h in inv.groups["interviews_expired"].get_hosts()] == ["interview_b-2"]
    assert [h.name for h in inv.groups["status_running"].get_hosts()] == ["interview_a-1"]
    assert [h.name for h in inv.groups["status_pending"].get_hosts()] == ["interview_b-2"]
    assert "challenge_my_challenge" in inv.groups  # sanitised group name
    host_vars = inv.get_host("interview_a-1").vars
    assert host_vars["url"] == "https://a-1.example.com"
    assert host_vars["expired"] is False
    assert host_vars["service_arn"] == "arn:svc/a-1"


def test_cache_hit_makes_no_api_call(plugin, monkeypatch):
    cached = [
        {"region": "us-east-1", "cluster": "c", "services": [slim_service(_service("a-1", "2099-01-01T00:00:00Z"))]}
    ]
    monkeypatch.setattr(plugin_module.AWSInventoryBase, "parse", lambda *a, **k: None)
    monkeypatch.setattr(plugin, "get_cached_result", lambda path, cache: (True, cached))
    monkeypatch.setattr(plugin, "update_cached_result", lambda path, cache, result: None)

    def refuse(*_a, **_k):
        raise AssertionError("a cache hit must not build a client")

    monkeypatch.setattr(plugin, "client", refuse)
    plugin.parse(plugin.inventory, None, "x.interviews.yml", cache=True)
    assert "interview_a-1" in plugin.inventory.hosts


def test_cache_miss_queries_once_and_stores(plugin, monkeypatch):
    monkeypatch.setattr(plugin_module.AWSInventoryBase, "parse", lambda *a, **k: None)
    monkeypatch.setattr(plugin, "get_cached_result", lambda path, cache: (False, None))
    stored = {}
    monkeypatch.setattr(plugin, "update_cached_result", lambda path, cache, result: stored.update(r=result))
    fresh = [{"region": "r", "cluster": "c", "services": []}]
    calls = []
    monkeypatch.setattr(plugin, "_query", lambda: calls.append(1) or fresh)
    plugin.parse(plugin.inventory, None, "x.interviews.yml", cache=True)
    assert calls == [1]
    assert stored["r"] == fresh


def test_verify_file_needs_the_suffix(tmp_path):
    good = tmp_path / "prod.interviews.yml"
    bad = tmp_path / "prod.aws_ec2.yml"
    good.write_text("plugin: interviewops.platform.interviews\n")
    bad.write_text("plugin: interviewops.platform.interviews\n")
    inv = InventoryModule()
    assert inv.verify_file(str(good))
    assert not inv.verify_file(str(bad))
