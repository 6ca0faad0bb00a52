"""Helpers shared by the terraform integration tests (imported by conftest.py and the tests)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
TOOLS = Path(os.environ.get("INTERVIEWOPS_TOOLS", ROOT / ".tools"))
TOFU = TOOLS / "bin" / "tofu"
CLI_CONFIG = TOOLS / "terraform" / "cli.tfrc"
STACKS = Path(__file__).parent / "stacks"
COLLECTIONS = TOOLS / "collections"


def copy_stack(name: str, dest: Path) -> Path:
    """A private copy of a stack (from tests/.../stacks or the repository's terraform/)."""
    source = STACKS / name if (STACKS / name).is_dir() else ROOT / "terraform" / name
    target = dest / name
    shutil.copytree(source, target, ignore=shutil.ignore_patterns(".terraform*", "*.tfstate*", "terraform.tfvars"))
    return target


def run_module(name: str, args: dict, check: bool = False, diff: bool = False, env: dict | None = None) -> dict:
    """Run plugins/modules/<name>.py as Ansible runs it (args file → JSON result)."""
    payload = dict(args)
    payload.setdefault("binary_path", str(TOFU))
    payload.setdefault("cli_config_file", str(CLI_CONFIG))
    payload["_ansible_check_mode"] = check
    payload["_ansible_diff"] = diff
    payload["_ansible_tmpdir"] = None
    payload["_ansible_remote_tmp"] = tempfile.gettempdir()
    payload["_ansible_keep_remote_files"] = False
    fd, args_path = tempfile.mkstemp(prefix="tfargs-", suffix=".json")
    with os.fdopen(fd, "w") as handle:
        json.dump({"ANSIBLE_MODULE_ARGS": payload}, handle)
    args_file = Path(args_path)
    run_env = dict(env or os.environ)
    run_env["PYTHONPATH"] = str(COLLECTIONS)
    run_env.pop("TF_WORKSPACE", None)
    try:
        proc = subprocess.run(
            [sys.executable, "-m", f"ansible_collections.interviewops.platform.plugins.modules.{name}", str(args_file)],
            capture_output=True,
            text=True,
            env=run_env,
            timeout=600,
            check=False,
        )
    finally:
        args_file.unlink()
    try:
        result = json.loads(proc.stdout)
    except ValueError:
        raise AssertionError(f"{name} printed no JSON (rc={proc.returncode}):\n{proc.stdout}\n{proc.stderr}") from None
    result["_rc"] = proc.returncode
    result["_raw"] = proc.stdout + proc.stderr
    return result


def show_json(path: Path, plan_file: str, env: dict, workspace: str | None = None) -> dict:
    """The plan JSON straight from the binary: the reference our results must agree with."""
    run_env = dict(env)
    if workspace:
        run_env["TF_WORKSPACE"] = workspace
    out = subprocess.run(
        [str(TOFU), "show", "-json", "-no-color", plan_file],
        cwd=path,
        env=run_env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return json.loads(out)


def reference_counts(plan: dict) -> dict:
    """Counts computed independently of the module, from the raw resource_changes."""
    counts = {"add": 0, "change": 0, "destroy": 0, "replace": 0}
    for rc in plan.get("resource_changes", []):
        actions = rc["change"]["actions"]
        if actions == ["create"]:
            counts["add"] += 1
        elif actions == ["update"]:
            counts["change"] += 1
        elif actions == ["delete"]:
            counts["destroy"] += 1
        elif sorted(actions) == ["create", "delete"]:
            counts["replace"] += 1
    return counts
