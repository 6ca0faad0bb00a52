"""Pure logic of plugins/module_utils/_terraform.py: plan JSON → counts, protection, redaction, errors."""

from __future__ import annotations

import json
import zipfile

import pytest
from ansible_collections.interviewops.platform.plugins.module_utils import _terraform as tf


def change(address, actions, rtype=None, mode="managed", **body):
    body.setdefault("before", None)
    body.setdefault("after", None)
    return {
        "address": address,
        "mode": mode,
        "type": rtype or "x",
        "change": dict(actions=actions, **body),
    }


PLAN = {
    "resource_changes": [
        change("docker_volume.data", ["create"], "docker_volume", after={"name": "d"}),
        change("docker_container.pg", ["update"], "docker_container", before={"env": ["A=1"]}, after={"env": ["A=2"]}),
        change("docker_network.net", ["delete"], "docker_network", before={"name": "n"}),
        change("docker_volume.old", ["delete", "create"], "docker_volume", before={"name": "o"}, after={"name": "o"}),
        change("docker_volume.keep", ["create", "delete"], "docker_volume", before={"name": "k"}, after={"name": "k2"}),
        change("terraform_data.same", ["no-op"], "terraform_data", before={}, after={}),
        change("data.docker_image.pg", ["read"], "docker_image", mode="data"),
        change("terraform_data.gone", ["forget"], "terraform_data", before={}),
    ],
    "output_changes": {"url": {"actions": ["no-op"]}},
}


def test_summary_counts_each_action_once():
    summary = tf.summarize_plan(PLAN)
    assert summary["counts"] == {"add": 1, "change": 1, "destroy": 1, "replace": 2, "forget": 1}
    assert summary["addresses"]["replace"] == ["docker_volume.old", "docker_volume.keep"]
    assert summary["changed"] is True


def test_no_op_and_reads_are_not_changes():
    plan = {"resource_changes": [change("a.b", ["no-op"], "a"), change("data.a.b", ["read"], "a", mode="data")]}
    summary = tf.summarize_plan(plan)
    assert summary["changed"] is False
    assert sum(summary["counts"].values()) == 0


def test_output_only_change_is_a_change():
    summary = tf.summarize_plan({"resource_changes": [], "output_changes": {"o": {"actions": ["create"]}}})
    assert summary["changed"] is True
    assert summary["output_changes"] == ["o"]


def test_empty_plan_document():
    assert tf.summarize_plan({})["changed"] is False


@pytest.mark.parametrize(
    "addresses,types,allow,expected",
    [
        ([], [], [], []),
        (["docker_volume.*"], [], [], [("docker_volume.old", "replace"), ("docker_volume.keep", "replace")]),
        ([], ["docker_network"], [], [("docker_network.net", "destroy")]),
        ([], ["docker_volume"], ["docker_volume.old"], [("docker_volume.keep", "replace")]),
        ([], ["docker_volume", "docker_network"], ["*"], []),
        # creates and updates of protected resources are fine
        (["docker_volume.data", "docker_container.pg"], [], [], []),
    ],
)
def test_protection(addresses, types, allow, expected):
    violations = tf.protection_violations(PLAN, addresses, types, allow)
    assert [(v["address"], v["action"]) for v in violations] == expected


def test_redact_masks_sensitive_and_unknown_values():
    value = {"env": ["A=1", "PASSWORD=secret"], "name": "pg", "nested": {"token": "t"}}
    sensitive = {"env": [False, True], "nested": {"token": True}}
    unknown = {"id": True}
    out = tf.redact(value, sensitive, unknown)
    assert out == {
        "env": ["A=1", tf.REDACTED],
        "name": "pg",
        "nested": {"token": tf.REDACTED},
        "id": tf.UNKNOWN,
    }
    assert tf.redact("x", True) == tf.REDACTED


def test_plan_diff_only_changes_and_redacted():
    plan = {
        "resource_changes": [
            change(
                "docker_container.pg",
                ["update"],
                "docker_container",
                before={"env": ["P=old"]},
                after={"env": ["P=new"]},
                before_sensitive={"env": [True]},
                after_sensitive={"env": [True]},
            ),
            change("terraform_data.same", ["no-op"], "terraform_data", before={"a": 1}, after={"a": 1}),
        ]
    }
    diff = tf.plan_diff(plan)
    assert diff == {
        "before": {"docker_container.pg": {"env": [tf.REDACTED]}},
        "after": {"docker_container.pg": {"env": [tf.REDACTED]}},
    }
    assert "old" not in json.dumps(diff) and "new" not in json.dumps(diff)


STDERR_LOCK = """
╷
│ Error: Error acquiring the state lock
│
│ Error message: resource temporarily unavailable
│ Lock Info:
│   ID:        5c3a1f0e-1111-2222-3333-444455556666
│   Path:      terraform.tfstate
│   Operation: OperationTypeApply
│   Who:       deploy@awx-node-1
│   Version:   1.12.6
│   Created:   2026-11-22 02:00:00.000 +0000 UTC
│   Info:
│
│ OpenTofu acquires a state lock to protect the state from being written
╵
"""


def test_lock_info_is_parsed():
    info = tf.parse_lock_info(STDERR_LOCK)
    assert info["who"] == "deploy@awx-node-1"
    assert info["operation"] == "OperationTypeApply"
    assert info["id"] == "5c3a1f0e-1111-2222-3333-444455556666"


def test_errors_lead_with_terraform_summary():
    stderr = (
        "\nWarning: something minor\n\nignored\n\n"
        'Error: No value for required variable\n\n  on variables.tf line 1:\n   1: variable "x" {\n\n'
        'The root module input variable "x" is not set.\n\n'
        "Error: Second problem\n\nmore\n"
    )
    blocks = tf.parse_errors(stderr)
    assert blocks[0].startswith("Error: No value for required variable")
    assert blocks[1].startswith("Error: Second problem")
    assert len(blocks) == 2


class FakeModule:
    def __init__(self, binary):
        self.binary = binary

    def get_bin_path(self, name):
        return self.binary if name == "tofu" else None


def test_error_message_names_lock_holder_and_scrubs_secrets(tmp_path):
    binary = tmp_path / "tofu"
    binary.write_text("#!/bin/sh\n")
    binary.chmod(0o755)
    cli = tf.TerraformCLI(FakeModule(str(binary)), secrets=["deploy@awx", "no"])
    message = cli.error_message(STDERR_LOCK)
    assert message.startswith("Error: Error acquiring the state lock: the state is locked by ")
    # the holder name is shown unless it is itself a variable value; short values are not scrubbed
    assert "********-node-1" in message
    assert "OperationTypeApply" in message and "5c3a1f0e" in message
    cli = tf.TerraformCLI(FakeModule(str(binary)), secrets=["hunter2-secret"])
    assert "hunter2" not in cli.error_message('Error: Invalid value\n\nvar.p is "hunter2-secret"\n')


def test_cli_refuses_missing_binary(tmp_path):
    with pytest.raises(tf.TerraformError, match="does not exist or is not executable"):
        tf.TerraformCLI(FakeModule(None), binary_path=str(tmp_path / "nope"))
    with pytest.raises(tf.TerraformError, match="neither tofu nor terraform"):
        tf.TerraformCLI(FakeModule(None))


def test_state_identity():
    assert tf.state_identity("") == (None, None)
    assert tf.state_identity('{"serial": 4, "lineage": "abc"}') == (4, "abc")
    with pytest.raises(tf.TerraformError):
        tf.state_identity("{nope")


def test_plan_state_identity_reads_embedded_state(tmp_path):
    plan = tmp_path / "p.tfplan"
    with zipfile.ZipFile(plan, "w") as archive:
        archive.writestr("tfplan", b"x")
        archive.writestr("tfstate", json.dumps({"serial": 7, "lineage": "L"}))
    assert tf.plan_state_identity(str(plan)) == (7, "L")
    (tmp_path / "bad").write_bytes(b"not a zip")
    assert tf.plan_state_identity(str(tmp_path / "bad")) is None


def test_workspace_pattern():
    assert tf.WORKSPACE_PATTERN.match("production")
    assert tf.WORKSPACE_PATTERN.match("dev_2")
    for bad in ("", "-x", "a b", "x/y", "a" * 70, "prod;rm"):
        assert not tf.WORKSPACE_PATTERN.match(bad)


@pytest.mark.parametrize(
    "pattern,value,expected",
    [
        ("terraform_data.item[0]", "terraform_data.item[0]", True),
        ("terraform_data.item[0]", "terraform_data.item0", False),
        ("terraform_data.item[*]", "terraform_data.item[12]", True),
        ("docker_volume.*", "docker_volume.pg", True),
        ("docker_volume.*", "module.x.docker_volume.pg", False),
        ("*.docker_volume.*", "module.x.docker_volume.pg", True),
        ("aws_s3_bucket", "aws_s3_bucket", True),
        ("aws_s3_bucket", "aws_s3_bucket_policy", False),
        ("aws_s3_?ucket", "aws_s3_bucket", True),
    ],
)
def test_address_match(pattern, value, expected):
    assert tf.address_match(pattern, value) is expected


def test_render_hcl_backend_file():
    text = tf.render_hcl(
        {
            "bucket": "state",
            "use_path_style": True,
            "max_retries": 3,
            "endpoints": {"s3": "http://127.0.0.1:5000", "dynamodb": "http://127.0.0.1:5000"},
            "weird": 'a"${b}',
        }
    )
    assert text.splitlines() == [
        'bucket = "state"',
        'endpoints = { "dynamodb" = "http://127.0.0.1:5000", "s3" = "http://127.0.0.1:5000" }',
        "max_retries = 3",
        "use_path_style = true",
        'weird = "a\\"$${b}"',
    ]
    with pytest.raises(tf.TerraformError, match="not a valid attribute name"):
        tf.render_hcl({"bad key": 1})
