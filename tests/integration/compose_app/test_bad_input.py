"""Bad input fails in preflight, naming the variable, before the host changes; a
service that never gets healthy is named in the failure, with its log."""

import contextlib
import re
import subprocess

import pytest

from ..playbook import run


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ("platform_environment=qa", "compose_app_environment is 'qa', not a known environment"),
        ("compose_app_app_image=interviewops/app", "compose_app_app_image is 'interviewops/app': give a full image"),
        ("compose_app_nginx_image=nginx:", "compose_app_nginx_image is 'nginx:'"),
        ("compose_app_http_port=70000", "compose_app_http_port is 70000: use a port between 1 and 65535"),
        ("compose_app_redis_password=", "compose_app_redis_password is not set"),
        ("compose_app_http_port=eighty", "compose_app_http_port"),
    ],
)
def test_bad_input_fails_before_any_change(tmp_path, extra, message):
    project_dir = tmp_path / "project"
    result = run(
        "playbooks/deploy.yml", "-i", "inventories/local",
        "-e", f"compose_app_project_dir={project_dir}", "-e", "compose_app_project_name=interviewops-badinput",
        "-e", extra,
    )
    assert result.rc != 0
    assert message in result.output, result.output[-3000:]
    assert result.changed() == 0
    assert not project_dir.exists()


@contextlib.contextmanager
def throwaway_stack(project_dir):
    """Yields; then removes the Compose project in project_dir with its volumes."""
    try:
        yield
    finally:
        subprocess.run(
            ["docker", "compose", "--project-directory", str(project_dir), "down", "--volumes", "--remove-orphans",
             "--timeout", "1"],
            capture_output=True, check=False,
        )


def deploy(project_dir, name, port, *extra):
    return run(
        "playbooks/deploy.yml", "-i", "inventories/local",
        "-e", f"compose_app_project_dir={project_dir}", "-e", f"compose_app_project_name={name}",
        "-e", f"compose_app_http_port={port}", "-e", "compose_app_wait_timeout=90",
        "-e", "compose_app_health_timeout=60", *extra,
    )


def test_unhealthy_service_is_named_with_its_log(tmp_path):
    project_dir = tmp_path / "broken"
    with throwaway_stack(project_dir):
        # A port that is no number: app and worker crash at start, over and over.
        result = deploy(project_dir, "interviewops-broken", 18081, "-e", '{"compose_app_env": {"APP_PORT": "eighty"}}')
        assert result.rc != 0
        assert "Deploy of version 0.1.0 (colour blue) to localhost stopped" in result.output, result.output[-4000:]
        assert re.search(r"--- app-blue: .*\n--- app-blue: last 30 lines of its log:\n", result.output)
        assert "ValueError" in result.output
        assert "Nothing was serving before: nginx was not started" in result.output
        assert not containers_of("interviewops-broken", "app-blue", "worker-blue", "nginx")


def test_site_not_answering_through_nginx_is_named_with_logs(tmp_path):
    project_dir = tmp_path / "unrouted"
    with throwaway_stack(project_dir):
        # The app is healthy on its own port, but nginx would proxy to 8000: the gate asks
        # the app the way nginx does, before nginx is started or switched.
        result = deploy(project_dir, "interviewops-unrouted", 18082, "-e", '{"compose_app_env": {"APP_PORT": "8001"}}')
        assert result.rc != 0
        assert (
            "http://app-blue:8000/healthz did not answer 200 with version 0.1.0 on the network nginx uses"
            in result.output
        ), result.output[-4000:]
        assert "interviewops-app 0.1.0 listening on :8001" in result.output
        assert not containers_of("interviewops-unrouted", "app-blue", "worker-blue", "nginx")


def containers_of(project, *services):
    """Containers (stopped ones included) of these services of a Compose project."""
    out = subprocess.run(
        ["docker", "ps", "-a", "--format", '{{.Label "com.docker.compose.service"}}',
         "--filter", f"label=com.docker.compose.project={project}"],
        capture_output=True, text=True, check=True,
    ).stdout.split()
    return [service for service in out if service in services]
