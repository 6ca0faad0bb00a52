"""terraform_plan / terraform_apply against the real tofu binary, on provider-free stacks."""

from __future__ import annotations

import json
import shutil
import subprocess
import threading
import time
from pathlib import Path

import pytest

from .tfhelpers import CLI_CONFIG, TOFU, reference_counts, show_json

SECRET = "s3cr3t-value-never-shown"  # noqa: S105 - a test value that must never be echoed


def plan_args(path: Path, **extra) -> dict:
    args = {"project_path": str(path), "plan_file": str(path.parent / "plans" / f"{path.name}.tfplan")}
    args.update(extra)
    return args


def state_of(path: Path) -> dict:
    state = path / "terraform.tfstate"
    return json.loads(state.read_text()) if state.exists() else {}


def ok(result: dict) -> dict:
    assert result["_rc"] == 0 and not result.get("failed"), result.get("msg") or result["_raw"]
    return result


def failed(result: dict) -> str:
    assert result["_rc"] != 0 and result.get("failed"), result["_raw"]
    return result["msg"]


@pytest.mark.parametrize("count", [1, 10, 20, 100])
def test_changed_and_counts_match_plan_json(stack, module, tf_env, count):
    path = stack("counter")
    args = plan_args(path, variables={"resource_count": count})
    first = ok(module("terraform_plan", args))
    reference = reference_counts(show_json(path, first["plan_file"], tf_env))
    assert first["changed"] is True
    assert (
        {k: first["counts"][k] for k in reference}
        == reference
        == {"add": count, "change": 0, "destroy": 0, "replace": 0}
    )
    assert len(first["addresses"]["add"]) == count

    applied = ok(module("terraform_apply", {"project_path": str(path), "plan_file": first["plan_file"]}))
    assert applied["changed"] is True
    assert applied["outputs"]["item_count"] == count
    assert len(state_of(path)["resources"][0]["instances"]) == count

    again = ok(module("terraform_plan", args))
    assert again["changed"] is False
    assert reference_counts(show_json(path, again["plan_file"], tf_env)) == {k: 0 for k in reference}
    assert sum(again["counts"].values()) == 0
    noop = ok(module("terraform_apply", {"project_path": str(path), "plan_file": again["plan_file"]}))
    assert noop["changed"] is False
    assert noop["serial"] == applied["serial"]  # nothing was written

    updated = ok(module("terraform_plan", plan_args(path, variables={"resource_count": count, "generation": "2"})))
    assert updated["changed"] is True
    assert (
        updated["counts"]["change"]
        == count
        == reference_counts(show_json(path, updated["plan_file"], tf_env))["change"]
    )


def test_check_mode_and_diff(stack, module):
    path = stack("counter")
    args = plan_args(path, variables={"resource_count": 2, "secret": SECRET})
    checked = ok(module("terraform_plan", args, check=True, diff=True))
    assert checked["changed"] is True and checked["counts"]["add"] == 2
    assert set(checked["diff"]["after"]) == {"terraform_data.item[0]", "terraform_data.item[1]"}
    assert checked["diff"]["after"]["terraform_data.item[0]"]["input"] == "1"
    assert SECRET not in checked["_raw"]
    ok(module("terraform_apply", {"project_path": str(path), "plan_file": checked["plan_file"]}))
    update = ok(
        module("terraform_plan", plan_args(path, variables={"resource_count": 2, "generation": "7"}), diff=True)
    )
    assert update["diff"]["before"]["terraform_data.item[1]"]["input"] == "1"
    assert update["diff"]["after"]["terraform_data.item[1]"]["input"] == "7"
    # check mode of apply verifies but changes nothing
    serial = state_of(path)["serial"]
    checked_apply = ok(
        module("terraform_apply", {"project_path": str(path), "plan_file": update["plan_file"]}, check=True)
    )
    assert checked_apply["changed"] is True
    assert state_of(path)["serial"] == serial


def test_stale_plan_refused(stack, module):
    path = stack("counter")
    ok(
        module(
            "terraform_apply",
            {"project_path": str(path), "plan_file": ok(module("terraform_plan", plan_args(path)))["plan_file"]},
        )
    )
    first = ok(
        module(
            "terraform_plan", plan_args(path, plan_file=str(path.parent / "a.tfplan"), variables={"generation": "a"})
        )
    )
    second = ok(
        module(
            "terraform_plan", plan_args(path, plan_file=str(path.parent / "b.tfplan"), variables={"generation": "b"})
        )
    )
    assert first["serial"] == second["serial"]
    ok(module("terraform_apply", {"project_path": str(path), "plan_file": first["plan_file"]}))
    state = state_of(path)
    msg = failed(module("terraform_apply", {"project_path": str(path), "plan_file": second["plan_file"]}))
    assert msg.startswith("Failed to apply: stale plan:"), msg
    assert str(first["serial"]) in msg
    assert state_of(path) == state  # nothing applied
    assert state["resources"][0]["instances"][0]["attributes"]["input"]["value"] == "a"


def test_tampered_plan_refused(stack, module):
    path = stack("counter")
    plan = ok(module("terraform_plan", plan_args(path, variables={"resource_count": 3})))
    original = Path(plan["plan_file"]).read_bytes()
    Path(plan["plan_file"]).write_bytes(original + b"\0")
    msg = failed(module("terraform_apply", {"project_path": str(path), "plan_file": plan["plan_file"]}))
    assert msg.startswith("Failed to apply: tampered plan:"), msg
    Path(plan["plan_file"]).write_bytes(original)
    # a plan job's sha256 given explicitly wins over the summary file beside the plan
    msg = failed(
        module("terraform_apply", {"project_path": str(path), "plan_file": plan["plan_file"], "plan_sha256": "0" * 64})
    )
    assert "tampered plan" in msg
    assert state_of(path) == {}  # nothing applied
    ok(
        module(
            "terraform_apply",
            {"project_path": str(path), "plan_file": plan["plan_file"], "plan_sha256": plan["sha256"]},
        )
    )
    assert len(state_of(path)["resources"][0]["instances"]) == 3


def test_protected_replace_and_destroy(stack, module):
    path = stack("counter")
    ok(
        module(
            "terraform_apply",
            {
                "project_path": str(path),
                "plan_file": ok(module("terraform_plan", plan_args(path, variables={"resource_count": 2})))[
                    "plan_file"
                ],
            },
        )
    )
    protect = {"protected_types": ["terraform_data"], "variables": {"resource_count": 2}}
    msg = failed(module("terraform_plan", plan_args(path, replace=["terraform_data.item[0]"], **protect)))
    assert "terraform_data.item[0] (replace)" in msg and "allow_destroy" in msg
    assert not Path(path.parent / "plans" / "counter.tfplan").exists()  # refused plans cannot be applied
    msg = failed(
        module("terraform_plan", plan_args(path, state="absent", protected_addresses=["terraform_data.item[*]"]))
    )
    assert "terraform_data.item[0] (destroy)" in msg and "terraform_data.item[1] (destroy)" in msg
    # shrinking the count destroys item[1]: protected too
    msg = failed(
        module(
            "terraform_plan",
            plan_args(path, protected_addresses=["terraform_data.item[1]"], variables={"resource_count": 1}),
        )
    )
    assert "terraform_data.item[1] (destroy)" in msg

    allowed = ok(
        module(
            "terraform_plan",
            plan_args(path, replace=["terraform_data.item[0]"], allow_destroy=["terraform_data.item[0]"], **protect),
        )
    )
    assert allowed["counts"]["replace"] == 1 and allowed["addresses"]["replace"] == ["terraform_data.item[0]"]
    before = state_of(path)["resources"][0]["instances"][0]["attributes"]["id"]
    ok(module("terraform_apply", {"project_path": str(path), "plan_file": allowed["plan_file"]}))
    assert state_of(path)["resources"][0]["instances"][0]["attributes"]["id"] != before


def test_outputs_and_secrets(stack, module):
    path = stack("counter")
    plan = ok(module("terraform_plan", plan_args(path, variables={"secret": SECRET})))
    assert SECRET not in plan["_raw"]
    assert SECRET not in Path(plan["summary_file"]).read_text()
    applied = ok(module("terraform_apply", {"project_path": str(path), "plan_file": plan["plan_file"]}))
    assert applied["outputs"] == {"item_count": 1}
    assert applied["sensitive_outputs"] == ["secret_echo"]
    assert SECRET not in applied["_raw"]
    again = ok(module("terraform_plan", plan_args(path, variables={"secret": SECRET})))
    asked = ok(
        module(
            "terraform_apply",
            {"project_path": str(path), "plan_file": again["plan_file"], "return_sensitive_outputs": True},
        )
    )
    assert asked["outputs"]["secret_echo"] == SECRET
    # a variable value never appears in an error either
    msg = failed(module("terraform_plan", plan_args(path, variables={"resource_count": "many-" + SECRET})))
    assert msg.startswith("Failed to plan: Error: "), msg
    assert SECRET not in msg and SECRET not in json.dumps(msg)


def test_bad_input_fails_before_any_change(stack, module, tmp_path):
    path = stack("counter")
    msg = failed(module("terraform_plan", plan_args(tmp_path / "missing")))
    assert msg == f"Failed to plan: stack folder {tmp_path / 'missing'} does not exist"
    msg = failed(module("terraform_plan", plan_args(path, workspace="prod/../x")))
    assert "workspace name 'prod/../x' does not match" in msg
    (path / "backend.tf").write_text('terraform {\n  backend "local" {}\n}\n')
    msg = failed(module("terraform_plan", plan_args(path, backend_config={"no_such_setting": "x"})))
    assert msg.startswith("Failed to plan: Error: "), msg
    assert "no_such_setting" in msg
    msg = failed(module("terraform_plan", plan_args(path, lock_timeout="soon")))
    assert "lock_timeout 'soon'" in msg
    slow = stack("slow")
    msg = failed(module("terraform_plan", plan_args(slow, workspace="fresh")))
    assert msg.startswith("Failed to plan: Error: No value for required variable"), msg
    # the workspace this failed plan created was taken away again; no state anywhere
    assert not (slow / "terraform.tfstate.d" / "fresh").exists()
    assert not list(slow.rglob("*.tfstate"))
    assert state_of(path) == {}
    msg = failed(module("terraform_apply", {"project_path": str(path), "plan_file": str(tmp_path / "none.tfplan")}))
    assert "does not exist; run terraform_plan first" in msg


def test_provider_not_in_mirror(stack, module):
    path = stack("aws_shared")
    (path / "versions.tf").write_text(
        (path / "versions.tf").read_text().replace('backend "s3"', 'backend "local"').replace("encrypt = true", "")
    )
    msg = failed(module("terraform_plan", plan_args(path)))
    assert msg.startswith("Failed to plan: Error: "), msg
    assert "hashicorp/aws" in msg
    assert not (path / "terraform.tfstate").exists()


def test_workspaces_select_or_create(stack, module):
    path = stack("counter")
    dev = ok(module("terraform_plan", plan_args(path, workspace="dev", variables={"resource_count": 2})))
    ok(module("terraform_apply", {"project_path": str(path), "workspace": "dev", "plan_file": dev["plan_file"]}))
    staging = ok(module("terraform_plan", plan_args(path, workspace="staging", variables={"resource_count": 1})))
    assert staging["counts"]["add"] == 1  # a fresh workspace sees none of dev's state
    assert staging["serial"] is None
    again = ok(module("terraform_plan", plan_args(path, workspace="dev", variables={"resource_count": 2})))
    assert again["changed"] is False
    msg = failed(
        module("terraform_apply", {"project_path": str(path), "workspace": "staging", "plan_file": again["plan_file"]})
    )
    assert "made for workspace dev, not staging" in msg


def test_concurrent_applies_one_waits_or_fails_naming_holder(stack, module, tf_env):
    path = stack("slow")
    base = ok(module("terraform_plan", plan_args(path, variables={"marker": "0", "sleep_seconds": 0})))
    ok(module("terraform_apply", {"project_path": str(path), "plan_file": base["plan_file"]}))
    plans = {}
    for marker in ("a", "b", "c"):
        plans[marker] = ok(
            module(
                "terraform_plan",
                plan_args(
                    path,
                    plan_file=str(path.parent / f"{marker}.tfplan"),
                    variables={"marker": marker, "sleep_seconds": 6},
                ),
            )
        )
    results = {}

    def apply(marker, timeout):
        results[marker] = module(
            "terraform_apply",
            {"project_path": str(path), "plan_file": plans[marker]["plan_file"], "lock_timeout": timeout},
        )

    holder = threading.Thread(target=apply, args=("a", "1s"))
    holder.start()
    lock_info = path / ".terraform.tfstate.lock.info"
    deadline = time.monotonic() + 20
    while not lock_info.exists() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert lock_info.exists(), "the first apply never took the lock"
    impatient = threading.Thread(target=apply, args=("b", "1s"))
    patient = threading.Thread(target=apply, args=("c", "60s"))
    impatient.start()
    patient.start()
    for thread in (holder, impatient, patient):
        thread.join()

    ok(results["a"])
    msg = failed(results["b"])
    assert "Error acquiring the state lock: the state is locked by " in msg, msg
    assert "operation OperationTypeApply" in msg and "lock ID " in msg
    # the one that waited got the lock after 'a' and then found its plan stale
    msg = failed(results["c"])
    assert "stale plan" in msg, msg
    state = state_of(path)
    assert state["resources"][0]["instances"][0]["attributes"]["input"]["value"] == "a"
    assert state["serial"] == results["a"]["serial"]
    check = subprocess.run(
        [str(TOFU), "plan", "-no-color", "-input=false", "-detailed-exitcode", "-var", "marker=a"],
        cwd=path,
        env={**tf_env, "TF_CLI_CONFIG_FILE": str(CLI_CONFIG)},
        capture_output=True,
        text=True,
        check=False,
    )
    assert check.returncode == 0, check.stdout + check.stderr  # state intact and consistent


TERRAFORM = shutil.which("terraform")


@pytest.mark.skipif(TERRAFORM is None, reason="no `terraform` binary on PATH; the same tests run with tofu")
def test_works_with_the_terraform_binary(stack, module):
    path = stack("counter")
    args = plan_args(path, binary_path=TERRAFORM, workspace="tfcli", variables={"resource_count": 2, "secret": SECRET})
    plan = ok(module("terraform_plan", args))
    assert plan["binary"]["name"] == "terraform"
    assert plan["changed"] is True and plan["counts"]["add"] == 2
    applied = ok(
        module(
            "terraform_apply",
            {"project_path": str(path), "binary_path": TERRAFORM, "workspace": "tfcli", "plan_file": plan["plan_file"]},
        )
    )
    assert applied["outputs"] == {"item_count": 2} and applied["sensitive_outputs"] == ["secret_echo"]
    assert ok(module("terraform_plan", args))["changed"] is False
    stale = ok(module("terraform_plan", dict(args, variables={"resource_count": 3})))
    ok(
        module(
            "terraform_apply",
            {
                "project_path": str(path),
                "binary_path": TERRAFORM,
                "workspace": "tfcli",
                "plan_file": ok(
                    module(
                        "terraform_plan",
                        dict(args, plan_file=str(path.parent / "x.tfplan"), variables={"resource_count": 1}),
                    )
                )["plan_file"],
            },
        )
    )
    msg = failed(
        module(
            "terraform_apply",
            {
                "project_path": str(path),
                "binary_path": TERRAFORM,
                "workspace": "tfcli",
                "plan_file": stale["plan_file"],
            },
        )
    )
    assert "stale plan" in msg
    assert SECRET not in plan["_raw"] + applied["_raw"]
