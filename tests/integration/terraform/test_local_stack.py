"""terraform/local (seed 003) applied for real with the docker provider on the local engine:
plan → apply → replan changed=0 → one variable → 1 update → protected destroy → destroy."""

from __future__ import annotations

import json
import socket
import subprocess
import uuid

import pytest

TEST_IMAGE = "interviewops-tftest/svc:1"
# Built from images/ by scripts/images.sh before the integration tests (make test).
REAL_IMAGES = ("interviewops/postgres:17", "interviewops/redis:7")
PASSWORD = "pg-password-" + uuid.uuid4().hex[:8]


def docker(*args: str, check: bool = True) -> str:
    return subprocess.run(["docker", *args], capture_output=True, text=True, check=check).stdout.strip()


def inspect(name: str) -> dict:
    return json.loads(docker("inspect", name))[0]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def test_image():
    """A tiny local image (the base image under another name); nothing is ever pulled."""
    if subprocess.run(
        ["docker", "image", "inspect", "debian:bookworm-slim"], capture_output=True, check=False
    ).returncode:
        pytest.fail("debian:bookworm-slim is missing: run `bash scripts/base_image.sh` first")
    docker("tag", "debian:bookworm-slim", TEST_IMAGE)
    yield TEST_IMAGE
    docker("rmi", TEST_IMAGE, check=False)


@pytest.fixture
def project():
    name = "tft-" + uuid.uuid4().hex[:6]
    yield name
    for kind in ("container", "network", "volume"):
        ids = docker(kind, "ls", "-q", *(["-a"] if kind == "container" else []), "--filter", f"label=project={name}")
        if ids:
            docker(kind, "rm", *(["-f"] if kind == "container" else []), *ids.split(), check=False)


def ok(result: dict) -> dict:
    assert result["_rc"] == 0 and not result.get("failed"), result.get("msg") or result["_raw"]
    return result


def test_local_stack_lifecycle(stack, module, test_image, project):
    path = stack("local")
    variables = {
        "project_name": project,
        "postgres_image": test_image,
        "redis_image": test_image,
        "postgres_command": ["sleep", "infinity"],
        "redis_command": ["sleep", "infinity"],
        "postgres_healthcheck": ["CMD", "true"],
        "redis_healthcheck": ["CMD", "true"],
        "postgres_password": PASSWORD,
        "redis_password": "redis-" + PASSWORD,
        "postgres_port": free_port(),
        "redis_port": free_port(),
    }
    args = {"project_path": str(path), "plan_file": str(path.parent / "local.tfplan"), "variables": variables}

    first = ok(module("terraform_plan", args))
    assert first["changed"] is True
    assert first["counts"]["add"] == 5
    assert sorted(first["addresses"]["add"]) == [
        "docker_container.postgres",
        "docker_container.redis",
        "docker_network.platform",
        "docker_volume.postgres_data",
        "docker_volume.redis_data",
    ]
    applied = ok(module("terraform_apply", {"project_path": str(path), "plan_file": first["plan_file"]}))
    assert applied["changed"] is True
    assert applied["outputs"]["network_name"] == f"{project}-network"
    assert set(applied["sensitive_outputs"]) == {"database_url", "redis_url"}
    assert PASSWORD not in applied["_raw"] and PASSWORD not in first["_raw"]

    pg = inspect(f"{project}-postgres")
    assert pg["State"]["Running"] and pg["State"]["Health"]["Status"] == "healthy"  # apply waited for it
    assert pg["Config"]["Labels"]["managed-by"] == "terraform"
    assert f"{project}-network" in pg["NetworkSettings"]["Networks"]
    assert pg["HostConfig"]["PortBindings"]["5432/tcp"] == [
        {"HostIp": "127.0.0.1", "HostPort": str(variables["postgres_port"])}
    ]
    assert [m["Name"] for m in pg["Mounts"]] == [f"{project}-postgres-data"]
    assert inspect(f"{project}-redis")["State"]["Health"]["Status"] == "healthy"

    again = ok(module("terraform_plan", args))
    assert again["changed"] is False and sum(again["counts"].values()) == 0

    args["variables"] = dict(variables, postgres_cpu_shares=256)
    update = ok(module("terraform_plan", args, diff=True))
    assert update["changed"] is True
    assert update["counts"] == {"add": 0, "change": 1, "destroy": 0, "replace": 0, "forget": 0}
    assert update["addresses"]["change"] == ["docker_container.postgres"]
    assert update["diff"]["after"]["docker_container.postgres"]["cpu_shares"] == 256
    assert PASSWORD not in json.dumps(update["diff"])  # env holds the password: redacted as sensitive
    container_id = pg["Id"]
    ok(module("terraform_apply", {"project_path": str(path), "plan_file": update["plan_file"]}))
    pg = inspect(f"{project}-postgres")
    assert pg["Id"] == container_id and pg["HostConfig"]["CpuShares"] == 256  # updated in place

    destroy = dict(args, state="absent", protected_types=["docker_volume"])
    refused = module("terraform_plan", destroy)
    assert refused.get("failed") and "docker_volume.postgres_data (destroy)" in refused["msg"]
    destroy["allow_destroy"] = ["docker_volume.*"]
    gone = ok(module("terraform_plan", destroy))
    assert gone["counts"]["destroy"] == 5
    ok(module("terraform_apply", {"project_path": str(path), "plan_file": gone["plan_file"]}))
    assert docker("ps", "-aq", "--filter", f"label=project={project}") == ""
    assert docker("volume", "ls", "-q", "--filter", f"label=project={project}") == ""


def test_missing_image_fails_clearly_without_pulling(stack, module, project):
    path = stack("local")
    variables = {
        "project_name": project,
        "postgres_image": "interviewops-tftest/absent:never",
        "postgres_password": PASSWORD,
        "redis_password": PASSWORD,
    }
    result = module(
        "terraform_plan",
        {"project_path": str(path), "plan_file": str(path.parent / "p.tfplan"), "variables": variables},
    )
    assert result.get("failed")
    assert result["msg"].startswith("Failed to plan: Error: "), result["msg"]
    assert "did not find docker image" in result["msg"] and 'data "docker_image" "postgres"' in result["msg"]
    # variable values are never echoed, not even harmless ones
    assert "interviewops-tftest/absent:never" not in result["msg"]
    assert docker("network", "ls", "-q", "--filter", f"label=project={project}") == ""


def test_weak_password_rejected_before_anything(stack, module, project):
    path = stack("local")
    result = module(
        "terraform_plan",
        {
            "project_path": str(path),
            "plan_file": str(path.parent / "p.tfplan"),
            "variables": {"project_name": project, "postgres_password": "short-pw", "redis_password": "x"},
        },
    )
    assert result.get("failed") and "at least 12 characters" in result["msg"], result["msg"]
    assert "short-pw" not in result["_raw"]


def test_local_stack_with_platform_images_has_pgvector(stack, module, project):
    missing = [
        i for i in REAL_IMAGES
        if subprocess.run(["docker", "image", "inspect", i], capture_output=True, check=False).returncode
    ]
    assert not missing, f"build the platform images first: bash scripts/images.sh (missing {missing})"
    path = stack("local")
    variables = {
        "project_name": project,
        "postgres_password": PASSWORD,
        "redis_password": "redis-" + PASSWORD,
        "postgres_port": None,
        "redis_port": None,
    }
    args = {"project_path": str(path), "plan_file": str(path.parent / "real.tfplan"), "variables": variables}
    ok(
        module(
            "terraform_apply", {"project_path": str(path), "plan_file": ok(module("terraform_plan", args))["plan_file"]}
        )
    )
    assert inspect(f"{project}-postgres")["State"]["Health"]["Status"] == "healthy"
    extensions = docker(
        "exec",
        f"{project}-postgres",
        "psql",
        "-U",
        "interviewops",
        "-d",
        "interviewops",
        "-Atc",
        "select extname from pg_extension",
    )
    assert "vector" in extensions.split()
    assert docker("exec", "-e", f"REDISCLI_AUTH=redis-{PASSWORD}", f"{project}-redis", "redis-cli", "ping") == "PONG"
    ok(
        module(
            "terraform_apply",
            {
                "project_path": str(path),
                "plan_file": ok(module("terraform_plan", dict(args, state="absent")))["plan_file"],
            },
        )
    )
