"""Plan+apply of the same stack through (a) interviewops.platform.terraform_plan/_apply,
(b) community.general.terraform and (c) the bare tofu CLI, in one run.

Each way gets its own copy of benchmarks/terraform/stack and goes through the same steps;
for each step the script times it and checks the `changed` the way reported against the
truth (the plan's JSON, read independently with `tofu show -json`). Both modules are run
the way Ansible runs them on a host (python module with an args file), so the ratios
measure the modules, not ansible-playbook's own start-up, which is the same for both.

    .tools/venv/bin/python benchmarks/terraform/run.py
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TOOLS = Path(os.environ.get("INTERVIEWOPS_TOOLS", ROOT / ".tools"))
TOFU = TOOLS / "bin" / "tofu"
CLI_CONFIG = TOOLS / "terraform" / "cli.tfrc"
STACK = Path(__file__).parent / "stack"
PYTHON = TOOLS / "venv" / "bin" / "python"

# (name, variables, check_mode, expected changed)
STEPS = [
    ("create 100+1", {}, False, True),
    ("no change", {}, False, False),
    ("update 100 in place", {"generation": "2"}, False, True),
    ("output-only change", {"generation": "2", "label": "b"}, False, True),
    ("replace (create_before_destroy), check mode", {"generation": "2", "label": "b", "cbd_key": "2"}, True, True),
    ("replace (create_before_destroy)", {"generation": "2", "label": "b", "cbd_key": "2"}, False, True),
    ("no change again", {"generation": "2", "label": "b", "cbd_key": "2"}, False, False),
]


def env() -> dict:
    run_env = dict(os.environ, TF_CLI_CONFIG_FILE=str(CLI_CONFIG), PYTHONPATH=str(TOOLS / "collections"))
    run_env.pop("TF_WORKSPACE", None)
    run_env["PATH"] = f"{TOFU.parent}:{run_env['PATH']}"
    return run_env


def module(fqcn: str, args: dict, check: bool) -> dict:
    payload = dict(args, _ansible_check_mode=check, _ansible_diff=False, _ansible_remote_tmp=tempfile.gettempdir())
    fd, name = tempfile.mkstemp(suffix=".json")
    with os.fdopen(fd, "w") as handle:
        json.dump({"ANSIBLE_MODULE_ARGS": payload}, handle)
    try:
        proc = subprocess.run(
            [str(PYTHON), "-m", f"ansible_collections.{fqcn.replace('.', '.', 1)}", name],
            capture_output=True,
            text=True,
            env=env(),
            check=False,
        )
    finally:
        os.unlink(name)
    result = json.loads(proc.stdout[proc.stdout.index("{") :])
    if result.get("failed"):
        raise RuntimeError(f"{fqcn}: {result.get('msg')}")
    return result


def tofu(path: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(TOFU), *args], cwd=path, env=env(), capture_output=True, text=True, check=False)


def truth(path: Path, variables: dict) -> bool:
    """Whether the step's plan has changes, from the plan JSON (computed outside the timings)."""
    var_args = [f"-var={k}={v}" for k, v in variables.items()]
    tofu(path, "plan", "-input=false", "-no-color", "-out=truth.tfplan", *var_args)
    plan = json.loads(tofu(path, "show", "-json", "truth.tfplan").stdout)
    (path / "truth.tfplan").unlink()
    resources = any(set(rc["change"]["actions"]) - {"no-op", "read"} for rc in plan.get("resource_changes", []))
    outputs = any(set(oc["actions"]) != {"no-op"} for oc in plan.get("output_changes", {}).values())
    return resources or outputs


def ours(path: Path, variables: dict, check: bool) -> bool:
    plan_file = str(path / "ours.tfplan")
    common = {"project_path": str(path), "binary_path": str(TOFU), "cli_config_file": str(CLI_CONFIG)}
    plan = module(
        "interviewops.platform.plugins.modules.terraform_plan",
        {**common, "plan_file": plan_file, "variables": variables},
        check,
    )
    if check:
        return plan["changed"]
    return module("interviewops.platform.plugins.modules.terraform_apply", {**common, "plan_file": plan_file}, False)[
        "changed"
    ]


def stock(path: Path, variables: dict, check: bool) -> bool:
    args = {
        "project_path": str(path),
        "binary_path": str(TOFU),
        "state": "present",
        "force_init": True,
        "variables": variables,
    }
    return module("community.general.plugins.modules.terraform", args, check)["changed"]


def bare(path: Path, variables: dict, check: bool) -> bool:
    """What a shell script does: init, plan -detailed-exitcode, apply the saved plan."""
    var_args = [f"-var={k}={v}" for k, v in variables.items()]
    init = tofu(path, "init", "-input=false", "-no-color")
    assert init.returncode == 0, init.stderr
    plan = tofu(path, "plan", "-input=false", "-no-color", "-detailed-exitcode", "-out=bare.tfplan", *var_args)
    assert plan.returncode in (0, 2), plan.stderr
    if not check and plan.returncode == 2:
        applied = tofu(path, "apply", "-input=false", "-no-color", "bare.tfplan")
        assert applied.returncode == 0, applied.stderr
    return plan.returncode == 2


WAYS = [("interviewops modules", ours), ("community.general.terraform", stock), ("bare tofu CLI", bare)]


def main() -> int:
    if not TOFU.is_file():
        print(f"{TOFU} is missing: run `bash scripts/tofu.sh` first", file=sys.stderr)
        return 1
    work = Path(tempfile.mkdtemp(prefix="tf-bench-"))
    rows, totals, wrong = [], {}, {}
    try:
        paths = {}
        for name, _way in WAYS:
            paths[name] = work / name.replace(" ", "_").replace(".", "_")
            shutil.copytree(STACK, paths[name])
        for step, variables, check, expected in STEPS:
            row = {"step": step}
            for name, way in WAYS:
                actual_truth = truth(paths[name], variables)
                assert actual_truth == expected, f"{step}: the stack did not do what the step expects"
                start = time.perf_counter()
                changed = way(paths[name], variables, check)
                elapsed = time.perf_counter() - start
                totals[name] = totals.get(name, 0.0) + elapsed
                ok = changed == actual_truth
                wrong.setdefault(name, [])
                if not ok:
                    wrong[name].append(step)
                row[name] = (elapsed, changed, ok)
            rows.append(row)
    finally:
        shutil.rmtree(work, ignore_errors=True)

    width = max(len(s[0]) for s in STEPS) + 2
    header = "step".ljust(width) + "".join(f"{name:>34}" for name, _way in WAYS)
    print(header)
    print("-" * len(header))
    for row in rows:
        cells = []
        for name, _way in WAYS:
            elapsed, changed, ok = row[name]
            cells.append(f"{elapsed:6.2f}s changed={str(changed):5} {'ok' if ok else 'WRONG':>5}".rjust(34))
        print(row["step"].ljust(width) + "".join(cells))
    print("-" * len(header))
    bare_total = totals["bare tofu CLI"]
    print("total".ljust(width) + "".join(f"{totals[name]:33.2f}s" for name, _way in WAYS))
    for name, _way in WAYS:
        print(
            f"{name}: {totals[name]:.2f}s = {totals[name] / bare_total:.2f}x the bare CLI; "
            f"changed correct in {len(STEPS) - len(wrong[name])}/{len(STEPS)} steps"
            + (f" (wrong: {', '.join(wrong[name])})" if wrong[name] else "")
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
