"""End to end: site.yml on the local environment brings the stack up on this machine,
a second run changes nothing, and check mode neither reports nor makes changes."""

import json
import subprocess
import urllib.request
from pathlib import Path

import pytest

from ..playbook import ROOT, run

SITE = "http://127.0.0.1:8080"
PROJECT_DIR = ROOT / ".tools" / "run" / "local"


def containers():
    """Container id -> start time of the local stack."""
    ids = subprocess.run(
        ["docker", "compose", "--project-directory", str(PROJECT_DIR), "ps", "-q"],
        capture_output=True, text=True, check=True,
    ).stdout.split()
    info = json.loads(subprocess.run(["docker", "inspect", *ids], capture_output=True, text=True, check=True).stdout)
    return {c["Id"]: c["State"]["StartedAt"] for c in info}


def get(path):
    with urllib.request.urlopen(SITE + path, timeout=5) as resp:  # noqa: S310 - loopback
        return resp.status, json.loads(resp.read())


@pytest.fixture(scope="module")
def converged():
    result = run("site.yml", "-i", "inventories/local")
    assert result.rc == 0, result.output[-4000:]
    return result


def test_site_answers_on_loopback_with_database_and_cache(converged):
    status, health = get("/healthz")
    assert status == 200
    assert health == {"version": "0.1.0", "role": "web", "postgres": "ok", "redis": "ok"}
    assert f"answers at {SITE}" in converged.output


def test_second_run_changes_nothing(converged):
    before = containers()
    result = run("site.yml", "-i", "inventories/local")
    assert result.rc == 0, result.output[-4000:]
    assert result.changed() == 0, result.output[-4000:]
    assert containers() == before


def test_check_mode_reports_and_makes_no_change(converged):
    before = containers()
    result = run("site.yml", "-i", "inventories/local", "--check", "--diff")
    assert result.rc == 0, result.output[-4000:]
    assert result.changed() == 0, result.output[-4000:]
    assert containers() == before


def test_check_mode_reports_a_pending_change_without_making_it(converged):
    before = containers()
    result = run("site.yml", "-i", "inventories/local", "--check", "-e", "platform_version=9.9.9")
    assert result.rc == 0, result.output[-4000:]
    assert result.changed() > 0
    assert containers() == before
    assert get("/healthz")[1]["version"] == "0.1.0"


def test_secrets_stay_out_of_output_and_loose_files(converged):
    secrets = [
        (Path.home() / ".local" / "share" / "interviewops" / "local" / n).read_text().strip()
        for n in ("postgres_password", "redis_password", "secret_key")
    ]
    result = run("site.yml", "-i", "inventories/local", "--check", "--diff", "-vvv")
    assert result.rc == 0
    for secret in secrets:
        assert secret not in result.output
        assert secret not in (PROJECT_DIR / "compose.yml").read_text()
    for env_file in (PROJECT_DIR / "env").iterdir():
        assert env_file.stat().st_mode & 0o777 == 0o600
    assert (PROJECT_DIR / "env").stat().st_mode & 0o777 == 0o700
