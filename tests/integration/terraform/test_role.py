"""The terraform role: pinned install from a local HTTP mirror (sha256 checked), plan → gated
apply → outputs as facts, idempotence, secrets kept out of -vvv, and the environment playbooks."""

from __future__ import annotations

import hashlib
import http.server
import json
import re
import threading
import zipfile
from functools import partial
from pathlib import Path

import pytest

from ..playbook import ROOT, run
from .tfhelpers import CLI_CONFIG, TOFU, copy_stack

VERSION = "1.12.6"
SECRET = "role-secret-value-never-logged"  # noqa: S105 - a test value that must never be echoed
ROLE_PLAYBOOK = str(Path(__file__).parent / "playbooks" / "role.yml")


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):  # noqa: D102 - keep the test output clean
        pass


@pytest.fixture(scope="module")
def mirror(tmp_path_factory, tofu):
    """A release mirror on 127.0.0.1 serving tofu/<version>/tofu_<version>_linux_amd64.zip."""
    root = tmp_path_factory.mktemp("mirror")
    release = root / "tofu" / VERSION / f"tofu_{VERSION}_linux_amd64.zip"
    release.parent.mkdir(parents=True)
    with zipfile.ZipFile(release, "w", compression=zipfile.ZIP_STORED) as archive:
        archive.write(tofu, "tofu")
        archive.writestr("LICENSE", "MPL-2.0\n")
    digest = hashlib.sha256(release.read_bytes()).hexdigest()
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), partial(QuietHandler, directory=str(root)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield {"url": f"http://127.0.0.1:{server.server_address[1]}", "sha256": digest}
    server.shutdown()


def facts(tmp_path: Path) -> dict:
    return json.loads((tmp_path / "report.json").read_text())


def role_vars(tmp_path: Path, mirror: dict, **extra) -> str:
    settings = {
        "terraform_mirror_url": mirror["url"],
        "terraform_checksum": mirror["sha256"],
        "terraform_version": VERSION,
        "terraform_install_dir": str(tmp_path / "opt"),
        "terraform_bin_dir": str(tmp_path / "bin"),
        "terraform_cli_config_file": str(CLI_CONFIG),
        "terraform_plan_dir": str(tmp_path / "plans"),
        "terraform_workspace": "dev",
        "report_file": str(tmp_path / "report.json"),
    }
    settings.update(extra)
    path = tmp_path / f"vars-{len(list(tmp_path.glob('vars-*')))}.json"
    path.write_text(json.dumps(settings))
    return f"@{path}"


def test_role_installs_verified_binary_and_runs_stack(tmp_path, mirror):
    (tmp_path / "bin").mkdir()
    stack = copy_stack("counter", tmp_path)
    variables = {"resource_count": 3, "secret": SECRET}
    extra = role_vars(
        tmp_path,
        mirror,
        terraform_action="plan_and_apply",
        terraform_project_path=str(stack),
        terraform_variables=variables,
    )
    first = run(ROLE_PLAYBOOK, "-vvv", "-e", extra)
    assert first.rc == 0, first.output[-4000:]
    installed = tmp_path / "opt" / f"tofu-{VERSION}" / "tofu"
    assert installed.is_file() and (tmp_path / "bin" / "tofu").resolve() == installed
    result = facts(tmp_path)
    assert result["plan"]["changed"] is True and result["plan"]["counts"]["add"] == 3
    assert result["outputs"] == {"item_count": 3}
    assert result["sensitive"] == ["secret_echo"]
    assert SECRET not in first.output  # neither the variable nor the sensitive output, even at -vvv
    state = json.loads((stack / "terraform.tfstate.d" / "dev" / "terraform.tfstate").read_text())
    assert len(state["resources"][0]["instances"]) == 3

    second = run(ROLE_PLAYBOOK, "-e", extra)
    assert second.rc == 0, second.output[-4000:]
    assert second.changed() == 1, second.output[-4000:]  # only the report file of this test playbook
    assert facts(tmp_path)["plan"]["changed"] is False

    # plan only: an artifact, nothing applied; then apply exactly that artifact by its sha256
    plan_only = run(
        ROLE_PLAYBOOK,
        "-e",
        role_vars(
            tmp_path,
            mirror,
            terraform_action="plan",
            terraform_project_path=str(stack),
            terraform_variables={**variables, "resource_count": 5},
        ),
    )
    assert plan_only.rc == 0, plan_only.output[-4000:]
    plan = facts(tmp_path)["plan"]
    assert plan["counts"]["add"] == 2
    assert (
        len(
            json.loads((stack / "terraform.tfstate.d" / "dev" / "terraform.tfstate").read_text())["resources"][0][
                "instances"
            ]
        )
        == 3
    )
    applied = run(
        ROLE_PLAYBOOK,
        "-e",
        role_vars(
            tmp_path,
            mirror,
            terraform_action="apply",
            terraform_project_path=str(stack),
            terraform_plan_sha256=plan["sha256"],
        ),
    )
    assert applied.rc == 0, applied.output[-4000:]
    assert facts(tmp_path)["outputs"] == {"item_count": 5}


def test_checksum_mismatch_installs_nothing(tmp_path, mirror):
    (tmp_path / "bin").mkdir()
    stack = copy_stack("counter", tmp_path)
    result = run(
        ROLE_PLAYBOOK, "-e", role_vars(tmp_path, mirror, terraform_checksum="0" * 64, terraform_project_path=str(stack))
    )
    assert result.rc != 0
    assert "did not match" in result.output or "checksum" in result.output.lower(), result.output[-3000:]
    assert not (tmp_path / "opt").exists() or not any((tmp_path / "opt").rglob("tofu"))
    assert not (tmp_path / "bin" / "tofu").exists()
    assert not list(stack.rglob("*.tfstate")) and not (tmp_path / "plans").exists()


def test_check_mode_installs_and_applies_nothing(tmp_path, mirror):
    (tmp_path / "bin").mkdir()
    stack = copy_stack("counter", tmp_path)
    extra = role_vars(
        tmp_path,
        mirror,
        terraform_action="plan_and_apply",
        terraform_project_path=str(stack),
        terraform_binary_path=str(TOFU),
        terraform_workspace="default",
    )
    result = run(ROLE_PLAYBOOK, "--check", "-e", extra)
    assert result.rc == 0, result.output[-4000:]
    assert not (tmp_path / "opt").exists() and not (tmp_path / "bin" / "tofu").exists()
    assert not list(stack.rglob("*.tfstate"))
    # the plan still ran (a plan changes nothing) and reported its changes
    assert re.search(r"Plan the stack counter in default\] \**\nchanged: \[localhost\]", result.output), result.output[
        -4000:
    ]


def test_preflight_rejects_bad_settings(tmp_path, mirror):
    stack = copy_stack("counter", tmp_path)
    result = run(
        ROLE_PLAYBOOK,
        "-e",
        role_vars(
            tmp_path,
            mirror,
            terraform_install=False,
            terraform_binary_path=str(TOFU),
            terraform_workspace="prod env",
            terraform_project_path=str(stack),
        ),
    )
    assert result.rc != 0 and "terraform_workspace must match" in result.output, result.output[-3000:]
    result = run(
        ROLE_PLAYBOOK, "-e", role_vars(tmp_path, mirror, terraform_checksum="abc", terraform_project_path=str(stack))
    )
    assert result.rc != 0 and "terraform_checksum must be the sha256" in result.output, result.output[-3000:]
    assert not (tmp_path / "opt").exists() and not list(stack.rglob("*.tfstate"))


def test_environment_playbooks_production_needs_plan_artifact(tmp_path):
    stack = copy_stack("counter", tmp_path)
    common = [
        "-i",
        "inventories/local",
        "-e",
        json.dumps(
            {
                "platform_environment": "production",
                "terraform_workspace": "production",
                "terraform_project_path": str(stack),
                "terraform_plan_dir": str(tmp_path / "plans"),
                "terraform_binary_path": str(TOFU),
                "terraform_variables": {"resource_count": 2},
                "terraform_protected_types": [],
            }
        ),
    ]
    refused = run("playbooks/terraform_apply.yml", *common)
    assert refused.rc != 0 and "applies only a plan made by playbooks/terraform_plan.yml" in refused.output
    assert not (tmp_path / "plans").exists()

    planned = run("playbooks/terraform_plan.yml", *common)
    assert planned.rc == 0, planned.output[-4000:]
    summary = json.loads((tmp_path / "plans" / "counter-production.tfplan.summary.json").read_text())
    sha = summary["sha256"]
    assert sha in planned.output.replace("\n", "").replace(" ", "")  # printed for the operator
    assert not list(stack.rglob("*.tfstate"))  # a plan run applies nothing

    wrong = run("playbooks/terraform_apply.yml", *common, "-e", "terraform_plan_sha256=" + "1" * 64)
    assert wrong.rc != 0 and "tampered plan" in wrong.output
    applied = run("playbooks/terraform_apply.yml", *common, "-e", f"terraform_plan_sha256={sha}")
    assert applied.rc == 0, applied.output[-4000:]
    assert "item_count: 2" in applied.output, applied.output[-3000:]
    state = json.loads((stack / "terraform.tfstate.d" / "production" / "terraform.tfstate").read_text())
    assert len(state["resources"][0]["instances"]) == 2
    assert ROOT.joinpath("terraform", "local", ".terraform").exists() is False
