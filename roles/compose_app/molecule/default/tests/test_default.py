"""The stack on a systemd "VPS": it answers through nginx, reaches its data
services, keeps its data across restarts, and is locked down."""

import json
import time

import pytest

PROJECT = "interviewops-staging"
PROJECT_DIR = "/opt/interviewops/staging"
COMPOSE = f"docker compose --project-directory {PROJECT_DIR}"


def get_json(host, path):
    out = host.check_output(f"curl -fsS --max-time 5 http://127.0.0.1:8080{path}")
    return json.loads(out)


def manifest(host):
    return json.loads(host.file(f"{PROJECT_DIR}/manifest.json").content_string)


def container(host, service):
    """The container of a service; app and worker: of the serving colour."""
    if service in ("app", "worker"):
        service = f"{service}-{manifest(host)['colour']}"
    return json.loads(host.check_output(f"docker inspect {PROJECT}-{service}-1"))[0]


def wait_healthy(host, services, timeout=120):
    deadline = time.monotonic() + timeout
    while True:
        states = {s: container(host, s)["State"].get("Health", {}).get("Status") for s in services}
        if all(v == "healthy" for v in states.values()):
            return
        assert time.monotonic() < deadline, f"not healthy in {timeout}s: {states}"
        time.sleep(2)


def test_site_answers_through_nginx_with_the_deployed_version(host):
    health = get_json(host, "/healthz")
    assert health["version"] == "0.1.0"
    # The answer came through nginx: it names itself in the Server header.
    headers = host.check_output("curl -fsS -D - -o /dev/null http://127.0.0.1:8080/")
    assert "Server: nginx" in headers


def test_app_reaches_postgres_and_redis(host):
    health = get_json(host, "/healthz")
    assert health["postgres"] == "ok"
    assert health["redis"] == "ok"
    first = get_json(host, "/visits")
    second = get_json(host, "/visits")
    assert second["postgres_visits"] == first["postgres_visits"] + 1
    assert second["redis_visits"] == first["redis_visits"] + 1


def test_worker_heartbeats(host):
    wait_healthy(host, ["worker"])


def test_data_survives_recreated_containers(host):
    before = get_json(host, "/visits")
    host.check_output(f"{COMPOSE} up -d --force-recreate --wait postgres redis")
    wait_healthy(host, ["postgres", "redis", "app"])
    after = get_json(host, "/visits")
    assert after["postgres_visits"] == before["postgres_visits"] + 1
    assert after["redis_visits"] == before["redis_visits"] + 1


def test_site_is_published_on_loopback_only(host):
    bindings = container(host, "nginx")["HostConfig"]["PortBindings"]
    assert bindings == {"8080/tcp": [{"HostIp": "127.0.0.1", "HostPort": "8080"}]}
    for service in ("app", "postgres", "redis"):
        assert not container(host, service)["HostConfig"]["PortBindings"]


@pytest.mark.parametrize("service", ["app", "worker", "postgres", "redis", "nginx"])
def test_containers_are_hardened(host, service):
    info = container(host, service)
    hostcfg = info["HostConfig"]
    assert hostcfg["ReadonlyRootfs"] is True
    assert hostcfg["CapDrop"] == ["ALL"]
    assert "no-new-privileges:true" in hostcfg["SecurityOpt"]
    assert hostcfg["Memory"] > 0
    assert hostcfg["NanoCpus"] > 0
    assert hostcfg["RestartPolicy"]["Name"] == "unless-stopped"
    assert info["Config"]["User"] not in ("", "0", "root")


def test_secrets_only_in_root_only_env_files(host):
    env_dir = host.file(f"{PROJECT_DIR}/env")
    assert env_dir.mode == 0o700
    for name in (f"app-{manifest(host)['colour']}", "postgres", "redis"):
        env_file = host.file(f"{PROJECT_DIR}/env/{name}.env")
        assert env_file.user == "root"
        assert env_file.mode == 0o600
    compose = host.file(f"{PROJECT_DIR}/compose.yml").content_string
    for secret in ("molecule-postgres-secret", "molecule-redis-secret", "molecule-app-secret"):
        assert secret not in compose


def test_data_network_has_no_route_out(host):
    networks = json.loads(host.check_output(f"docker network inspect {PROJECT}_backend"))
    assert networks[0]["Internal"] is True


def test_manifest_records_the_deploy(host):
    manifest_file = host.file(f"{PROJECT_DIR}/manifest.json")
    assert manifest_file.user == "root"
    assert manifest_file.mode == 0o640
    record = manifest(host)
    assert record["environment"] == "staging"
    assert record["version"] == "0.1.0"
    assert record["images"]["app"] == "interviewops/app:0.1.0"
    assert record["image_ids"]["app"] == container(host, "app")["Image"]
    assert record["previous"] is None
    # nginx proxies to the colour the manifest names, and only that colour runs.
    assert f"http://app-{record['colour']}:8000" in host.file(f"{PROJECT_DIR}/nginx/nginx.conf").content_string
    services = host.check_output(f"{COMPOSE} ps --format '{{{{.Service}}}}'").split()
    colour = record["colour"]
    assert sorted(services) == sorted(["postgres", "redis", "nginx", f"app-{colour}", f"worker-{colour}"])


def test_no_deploy_lock_is_left(host):
    assert not host.file(f"/run/lock/{PROJECT}.deploy").exists
