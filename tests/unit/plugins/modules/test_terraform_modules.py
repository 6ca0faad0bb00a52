"""terraform_plan / terraform_apply entry points: bad input fails before any command runs, and every
failure has the `Failed to <action>: <cause>` shape with no variable values in it."""

from __future__ import annotations

import json

import pytest
from ansible.module_utils.basic import AnsibleModule
from ansible.module_utils.testing import patch_module_args
from ansible_collections.interviewops.platform.plugins.modules import terraform_apply, terraform_plan


@pytest.fixture(autouse=True)
def _no_commands(monkeypatch):
    """Any attempt to run terraform fails the test: these paths must stop before it."""

    def refuse(*_args, **_kwargs):
        raise AssertionError("no command expected")

    monkeypatch.setattr(AnsibleModule, "run_command", refuse)


@pytest.fixture
def stack(tmp_path):
    (tmp_path / "main.tf").write_text('resource "terraform_data" "x" {}\n')
    binary = tmp_path / "tofu"
    binary.write_text("#!/bin/sh\nexit 1\n")
    binary.chmod(0o755)
    return tmp_path


def _run(module, args, capsys):
    with patch_module_args(args), pytest.raises(SystemExit) as exit_info:
        module.main()
    return exit_info.value.code, json.loads(capsys.readouterr().out)


@pytest.mark.parametrize(
    "extra,message",
    [
        ({"workspace": "prod env"}, "Failed to plan: workspace name 'prod env' does not match"),
        ({"lock_timeout": "forever"}, "Failed to plan: lock_timeout 'forever' is not a duration"),
        (
            {"variables_files": ["/nonexistent.tfvars"]},
            "Failed to plan: variables file /nonexistent.tfvars does not exist",
        ),
        (
            {"backend_config_files": ["/nonexistent.hcl"]},
            "Failed to plan: backend config file /nonexistent.hcl does not exist",
        ),
        ({"variables": {"bad name": "x"}}, "Failed to plan: variable name 'bad name' is not a valid identifier"),
        ({"binary_path": "/nonexistent/tofu"}, "Failed to plan: binary /nonexistent/tofu does not exist"),
    ],
)
def test_plan_rejects_bad_input_before_running_anything(stack, capsys, extra, message):
    args = {"project_path": str(stack), "plan_file": str(stack / "p.tfplan"), "binary_path": str(stack / "tofu")}
    args.update(extra)
    code, result = _run(terraform_plan, args, capsys)
    assert code == 1 and result["failed"] is True
    assert result["msg"].startswith(message), result["msg"]


def test_plan_rejects_missing_or_empty_stack(tmp_path, capsys):
    code, result = _run(
        terraform_plan, {"project_path": str(tmp_path / "nope"), "plan_file": str(tmp_path / "p")}, capsys
    )
    assert result["msg"] == f"Failed to plan: stack folder {tmp_path / 'nope'} does not exist"
    code, result = _run(terraform_plan, {"project_path": str(tmp_path), "plan_file": str(tmp_path / "p")}, capsys)
    assert result["msg"] == f"Failed to plan: stack folder {tmp_path} has no .tf files"


def test_variables_hidden_in_invocation(stack, capsys):
    args = {
        "project_path": str(stack),
        "plan_file": str(stack / "p.tfplan"),
        "binary_path": str(stack / "tofu"),
        "workspace": "bad/ws",
        "variables": {"db_password": "hunter2-hunter2"},
        "backend_config": {"bucket": "state", "secret_key": "aws-secret-value"},
    }
    _code, result = _run(terraform_plan, args, capsys)
    text = json.dumps(result)
    assert "hunter2-hunter2" not in text and "aws-secret-value" not in text
    assert result["invocation"]["module_args"]["variables"] == {"db_password": "HIDDEN"}
    assert result["invocation"]["module_args"]["backend_config"] == {"bucket": "state", "secret_key": "HIDDEN"}


def test_apply_needs_the_artifact(stack, capsys):
    args = {"project_path": str(stack), "plan_file": str(stack / "p.tfplan"), "binary_path": str(stack / "tofu")}
    _code, result = _run(terraform_apply, args, capsys)
    assert result["msg"] == f"Failed to apply: plan file {stack / 'p.tfplan'} does not exist; run terraform_plan first"
    (stack / "p.tfplan").write_bytes(b"plan")
    _code, result = _run(terraform_apply, args, capsys)
    assert "plan summary" in result["msg"] and "does not exist" in result["msg"]
    (stack / "p.tfplan.summary.json").write_text("{not json")
    _code, result = _run(terraform_apply, args, capsys)
    assert result["msg"].endswith("is not valid JSON")
    (stack / "p.tfplan.summary.json").write_text(json.dumps({"format": 1, "workspace": "dev"}))
    _code, result = _run(terraform_apply, args, capsys)
    assert result["msg"] == "Failed to apply: the plan was made for workspace dev, not default"
    summary = {"format": 1, "workspace": "default", "protection_violations": [{"address": "a.b", "action": "destroy"}]}
    (stack / "p.tfplan.summary.json").write_text(json.dumps(summary))
    _code, result = _run(terraform_apply, args, capsys)
    assert "refused by its protection rules" in result["msg"]
