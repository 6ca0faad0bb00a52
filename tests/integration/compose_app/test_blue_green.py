"""Blue/green deploys of a real stack on this machine's Docker engine, with load running:
no request fails while a new version replaces the old one, while a broken version or a
failed migration is rolled back, or while the rollback playbook returns to the previous
version. Same inputs change nothing; check mode changes no container and no image; a
second deploy waits for the host's lock and names its holder.

The tests run in file order on one stack (its own project, port and directory)."""

from __future__ import annotations

import json
import os
import subprocess
import threading
import time
import urllib.request
from pathlib import Path

import pytest

from ..playbook import ROOT, run
from .load import Load

PROJECT = "iobg-test"
PORT = 18091
SITE = f"http://127.0.0.1:{PORT}"
LOCK = Path(f"/run/lock/{PROJECT}.deploy")
TEST_TAGS = ["0.2.0", "0.3.0", "0.3.1", "0.3.2", "0.4.0"]


@pytest.fixture(scope="module")
def project_dir(tmp_path_factory):
    path = tmp_path_factory.mktemp("bluegreen") / "project"
    yield path
    subprocess.run(["docker", "compose", "-p", PROJECT, "down", "--volumes", "--remove-orphans", "--timeout", "1"],
                   capture_output=True, check=False)
    subprocess.run(["docker", "rmi", *[f"interviewops/app:{tag}" for tag in TEST_TAGS]],
                   capture_output=True, check=False)


def deploy(project_dir, *extra, playbook="playbooks/deploy.yml"):
    return run(
        playbook, "-i", "inventories/local",
        "-e", f"compose_app_project_dir={project_dir}", "-e", f"compose_app_project_name={PROJECT}",
        "-e", f"compose_app_http_port={PORT}", "-e", "compose_app_wait_timeout=120",
        "-e", "compose_app_health_interval=1", "-e", "compose_app_health_retries=3",
        "-e", "compose_app_health_start_period=10", "-e", "compose_app_health_timeout=60",
        "-e", "compose_app_drain_seconds=2", "-e", "compose_app_lock_timeout=60",
        *extra,
    )


def get(path="/healthz"):
    with urllib.request.urlopen(SITE + path, timeout=5) as resp:  # noqa: S310 - loopback
        return json.loads(resp.read())


def containers():
    """Service -> (container id, start time) of the project, stopped ones included."""
    ids = subprocess.run(["docker", "ps", "-aq", "--filter", f"label=com.docker.compose.project={PROJECT}"],
                         capture_output=True, text=True, check=True).stdout.split()
    if not ids:
        return {}
    info = json.loads(subprocess.run(["docker", "inspect", *ids], capture_output=True, text=True, check=True).stdout)
    return {c["Config"]["Labels"]["com.docker.compose.service"]: (c["Id"], c["State"]["StartedAt"]) for c in info}


def images():
    out = subprocess.run(["docker", "images", "--no-trunc", "--format", "{{.Repository}}:{{.Tag}} {{.ID}}"],
                         capture_output=True, text=True, check=True).stdout
    return set(out.splitlines())


def manifest(project_dir):
    return json.loads((project_dir / "manifest.json").read_text())


def deploy_under_load(project_dir, *extra, playbook="playbooks/deploy.yml"):
    """Deploys with 50 requests a second running from before the deploy to 3 s after it."""
    with Load(SITE + "/", rate=50) as load:
        time.sleep(2)
        result = deploy(project_dir, *extra, playbook=playbook)
        time.sleep(3)
    return result, load


@pytest.fixture(scope="module")
def v1(project_dir):
    result = deploy(project_dir)
    assert result.rc == 0, result.output[-4000:]
    assert get()["version"] == "0.1.0"
    return result


def test_first_deploy_serves_blue_and_records_a_manifest(v1, project_dir):
    assert set(containers()) == {"postgres", "redis", "nginx", "app-blue", "worker-blue"}
    first = manifest(project_dir)
    assert first["version"] == "0.1.0"
    assert first["colour"] == "blue"
    assert first["environment"] == "local"
    assert first["image_ids"]["app"].startswith("sha256:")
    assert first["previous"] is None
    assert (project_dir / "manifest.json").stat().st_mode & 0o777 == 0o640


def test_new_version_under_load_has_no_failed_request(v1, project_dir):
    result, load = deploy_under_load(
        project_dir, "-e", "platform_version=0.2.0", "-e", '{"compose_app_migration_command": ["migrate"]}')
    assert result.rc == 0, result.output[-4000:]
    assert load.failed == 0, str(load)
    # Both versions answered while the load ran: the switch happened under it.
    assert load.versions["0.1.0"] > 0 and load.versions["0.2.0"] > 0, str(load)
    assert get()["version"] == "0.2.0"
    assert set(containers()) == {"postgres", "redis", "nginx", "app-green", "worker-green"}
    assert "migrate: applied 2" in result.output
    now = manifest(project_dir)
    assert (now["version"], now["colour"]) == ("0.2.0", "green")
    assert now["previous"]["version"] == "0.1.0"
    assert [entry["version"] for entry in now["history"]] == ["0.1.0"]


def test_same_version_again_changes_and_restarts_nothing(project_dir):
    before, manifest_before = containers(), (project_dir / "manifest.json").read_text()
    result = deploy(project_dir, "-e", "platform_version=0.2.0")
    assert result.rc == 0, result.output[-4000:]
    assert result.changed() == 0, result.output[-4000:]
    assert containers() == before
    assert (project_dir / "manifest.json").read_text() == manifest_before


def test_check_mode_changes_no_container_and_no_image(project_dir):
    before, images_before = containers(), images()
    result = deploy(project_dir, "-e", "platform_version=0.4.0", "--check", "--diff")
    assert result.rc == 0, result.output[-4000:]
    assert result.changed() > 0
    assert "would deploy version 0.4.0 as colour blue, replacing 0.2.0 (green)" in " ".join(result.output.split())
    # The diff shows the Compose and nginx changes; never the env files.
    assert "+  app-blue:" in result.output
    assert "+            set $app_upstream http://app-blue:8000;" in result.output
    assert "SECRET_KEY" not in result.output
    assert containers() == before
    assert images() == images_before
    assert get()["version"] == "0.2.0"


def assert_rolled_back(result, load, project_dir, before):
    assert result.rc != 0
    assert "Version 0.2.0 (colour green) keeps serving" in result.output, result.output[-4000:]
    assert load.failed == 0, str(load)
    assert set(load.versions) == {"0.2.0"}, str(load)
    assert get()["version"] == "0.2.0"
    # The new colour's containers (and one-off migration containers) are gone; the old ones never restarted.
    assert containers() == before
    assert manifest(project_dir)["version"] == "0.2.0"
    assert not LOCK.exists()


def test_broken_version_is_rolled_back_with_its_log(project_dir):
    before = containers()
    result, load = deploy_under_load(
        project_dir, "-e", "platform_version=0.3.0", "-e", '{"compose_app_env": {"APP_BROKEN": "schema v7 missing"}}')
    assert_rolled_back(result, load, project_dir, before)
    assert "Deploy of version 0.3.0 (colour blue) to localhost stopped" in result.output
    assert "--- app-blue: last 30 lines of its log:" in result.output
    assert "interviewops-app 0.3.0 is broken: schema v7 missing" in result.output


def test_failed_migration_aborts_before_the_switch(project_dir):
    before = containers()
    result, load = deploy_under_load(
        project_dir, "-e", "platform_version=0.3.1", "-e", '{"compose_app_migration_command": ["migrate", "99"]}')
    assert_rolled_back(result, load, project_dir, before)
    assert "the migration `migrate 99` failed with exit code 1" in result.output
    assert "migrate: no migration 99" in result.output


def test_missing_health_check_path_is_rolled_back(project_dir):
    before = containers()
    result = deploy(project_dir, "-e", "platform_version=0.3.2", "-e", "compose_app_health_path=/ready")
    assert result.rc != 0
    assert "Version 0.2.0 (colour green) keeps serving" in result.output, result.output[-4000:]
    assert "GET /ready: HTTP Error 404" in result.output
    assert containers() == before
    assert get()["version"] == "0.2.0"


@pytest.mark.parametrize(("pull", "message"), [
    ("never", "is not on localhost and compose_app_pull is never"),
    ("missing", "is not on localhost and could not be pulled"),
])
def test_unknown_version_fails_before_any_change(project_dir, pull, message):
    before = containers()
    compose_file = (project_dir / "compose.yml").read_text()
    result = deploy(project_dir, "-e", "platform_version=9.9.9", "-e", f"compose_app_pull={pull}",
                    "-e", '{"compose_app_build_contexts": {}}')
    assert result.rc != 0
    assert f"The app image interviewops/app:9.9.9 (version 9.9.9) {message}" in result.output, result.output[-3000:]
    assert result.changed() == 0
    assert containers() == before
    assert (project_dir / "compose.yml").read_text() == compose_file
    assert get()["version"] == "0.2.0"


def test_a_held_lock_makes_the_deploy_wait_then_fail_naming_the_holder(project_dir):
    before = containers()
    LOCK.mkdir()
    try:
        (LOCK / "holder").write_text("alice@laptop deploying 0.9.0 since 2026-01-01T00:00:00Z\n")
        started = time.monotonic()
        result = deploy(project_dir, "-e", "platform_version=0.3.0", "-e", "compose_app_lock_timeout=4")
        waited = time.monotonic() - started
        assert result.rc != 0
        assert "Holder: alice@laptop deploying 0.9.0 since 2026-01-01T00:00:00Z" in result.output, result.output[-3000:]
        assert waited >= 4
        assert LOCK.exists(), "the waiting deploy must not remove another deploy's lock"
    finally:
        (LOCK / "holder").unlink(missing_ok=True)
        LOCK.rmdir()
    assert containers() == before


def test_concurrent_deploys_second_names_the_first(project_dir):
    first: dict = {}
    thread = threading.Thread(target=lambda: first.update(result=deploy(project_dir, "-e", "platform_version=0.2.0")))
    thread.start()
    try:
        deadline = time.monotonic() + 60
        while not (LOCK / "holder").exists():
            assert time.monotonic() < deadline, "the first deploy never took the lock"
            time.sleep(0.2)
        second = deploy(project_dir, "-e", "platform_version=0.2.0", "-e", "compose_app_lock_timeout=2")
    finally:
        thread.join()
    assert second.rc != 0
    user = os.environ.get("USER") or subprocess.run(
        ["id", "-un"], capture_output=True, text=True, check=True).stdout.strip()
    assert f"Holder: {user}@" in second.output and "deploying 0.2.0 since" in second.output, second.output[-3000:]
    assert first["result"].rc == 0, first["result"].output[-3000:]
    assert not LOCK.exists()


def test_rollback_playbook_returns_to_the_previous_version(project_dir):
    result, load = deploy_under_load(project_dir, playbook="playbooks/rollback.yml")
    assert result.rc == 0, result.output[-4000:]
    assert load.failed == 0, str(load)
    assert get()["version"] == "0.1.0"
    now = manifest(project_dir)
    assert (now["version"], now["colour"]) == ("0.1.0", "blue")
    assert now["previous"]["version"] == "0.2.0"
    assert [entry["version"] for entry in now["history"]] == ["0.2.0", "0.1.0"]


def test_production_rolls_one_host_at_a_time_and_stops_at_the_first_failure():
    # The production inventory as it is, run on this machine: its first host fails
    # (in preflight, before any change), and the second is never started.
    first_fails = '{"compose_app_http_port": "{{ 70000 if inventory_hostname == \'prod-app-1\' else 8080 }}"}'
    result = run(
        "playbooks/deploy.yml", "-i", "inventories/production",
        "-e", "ansible_connection=local", "-e", f"ansible_python_interpreter={ROOT}/.tools/venv/bin/python",
        "-e", "platform_become=false", "-e", "compose_app_postgres_password=x", "-e", "compose_app_redis_password=x",
        "-e", "compose_app_secret_key=x", "-e", first_fails,
    )
    assert result.rc != 0
    assert "compose_app_http_port is 70000" in result.output, result.output[-3000:]
    assert result.recap["prod-app-1"]["failed"] == 1
    assert "prod-app-2" not in result.recap, result.output[-3000:]
