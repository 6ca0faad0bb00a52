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
            ["docker", "compose", "--project-directory", str(project_dir), "down", "--volumes", "--timeout", "1"],
            capture_output=True, check=False,
        )


def deploy(project_dir, name, port, *extra):
    return run(
        "playbooks/deploy.yml", "-i", "inventories/local",
        "-e", f"compose_app_project_dir={project_dir}", "-e", f"compose_app_project_name={name}",
        "-e", f"compose_app_http_port={port}", "-e", "compose_app_wait_timeout=90", *extra,
    )


def test_unhealthy_service_is_named_with_its_log(tmp_path):
    project_dir = tmp_path / "broken"
    with throwaway_stack(project_dir):
        # A port that is no number: app and worker crash at start, over and over.
        result = deploy(project_dir, "interviewops-broken", 18081, "-e", '{"compose_app_env": {"APP_PORT": "eighty"}}')
        assert result.rc != 0
        assert re.search(r"The stack did not become healthy\. Failed: [a-z, ]*\bapp\b", result.output), result.output[-4000:]
        assert "ValueError" in result.output
        assert "not started: nginx" in result.output


def test_site_not_answering_through_nginx_is_named_with_logs(tmp_path):
    project_dir = tmp_path / "unrouted"
    with throwaway_stack(project_dir):
        # The app is healthy on its own port, but nginx proxies to 8000: 502.
        result = deploy(project_dir, "interviewops-unrouted", 18082, "-e", '{"compose_app_env": {"APP_PORT": "8001"}}')
        assert result.rc != 0
        assert "/healthz answered 502" in result.output, result.output[-4000:]
        assert "interviewops-app 0.1.0 listening on :8001" in result.output
