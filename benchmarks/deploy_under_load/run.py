"""Benchmark: a new app version under load, our blue/green deploy vs `docker compose up -d`.

One throwaway stack of the local environment (its own Compose project, directory and
port on 127.0.0.1), a steady load of RATE requests a second on the site through nginx
(bounded: it stops by itself), and three deploys:

(a) ours   - playbooks/deploy.yml, version 0.1.0 -> 0.2.0 (blue/green, health gate,
             graceful nginx reload, drain)
(b) broken - playbooks/deploy.yml with a version that never gets healthy (0.3.0):
             time until the play has rolled it back, requests failed meanwhile
(c) naive  - the new image written into compose.yml and `docker compose up -d`
             (containers replaced in place), until the new version answers

Prints failed requests of each, the deploy time ratio ours/naive and time-to-rollback.

    .tools/venv/bin/python benchmarks/deploy_under_load/run.py [--rate 50] [--json out.json]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
BIN = Path(sys.executable).parent
sys.path.insert(0, str(ROOT / "tests" / "integration" / "compose_app"))

from load import Load  # noqa: E402 - the load generator of the integration tests

PROJECT = "interviewops-bench"
PORT = 18095
SITE = f"http://127.0.0.1:{PORT}"
TAGS = ["0.2.0", "0.3.0", "0.4.0"]
SETTINGS = [
    "compose_app_health_interval=1", "compose_app_health_retries=3", "compose_app_health_start_period=10",
    "compose_app_health_timeout=60", "compose_app_drain_seconds=2",
]


def deploy(project_dir: Path, *extra: str) -> tuple[int, float, str]:
    args = [str(BIN / "ansible-playbook"), "playbooks/deploy.yml", "-i", "inventories/local",
            "-e", f"compose_app_project_dir={project_dir}", "-e", f"compose_app_project_name={PROJECT}",
            "-e", f"compose_app_http_port={PORT}"]
    for setting in [*SETTINGS, *extra]:
        args += ["-e", setting]
    env = {**os.environ, "ANSIBLE_CONFIG": str(ROOT / "ansible.cfg"), "ANSIBLE_NOCOLOR": "1"}
    started = time.monotonic()
    proc = subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    return proc.returncode, time.monotonic() - started, proc.stdout + proc.stderr


def version() -> str:
    try:
        with urllib.request.urlopen(SITE + "/", timeout=3) as resp:  # noqa: S310 - loopback
            return json.loads(resp.read())["version"]
    except Exception:  # noqa: BLE001 - not answering is "no version"
        return ""


def naive_update(project_dir: Path, new: str) -> float:
    """The new image and version written into compose.yml and the app env file in place,
    then `docker compose up -d`; seconds until the site answers with the new version."""
    compose = project_dir / "compose.yml"
    colour = re.search(r"^  app-(blue|green):$", compose.read_text(), re.MULTILINE)[1]
    image = f'image: "interviewops/app:{new}"'
    compose.write_text(re.sub(r'image: "interviewops/app:[^"]+"', image, compose.read_text()))
    env_file = project_dir / "env" / f"app-{colour}.env"
    env = re.sub(r"^APP_VERSION='[^']*'", f"APP_VERSION='{new}'", env_file.read_text(), flags=re.MULTILINE)
    env_file.write_text(env)
    started = time.monotonic()
    subprocess.run(["docker", "compose", "--project-directory", str(project_dir), "up", "-d"],  # noqa: S607
                   capture_output=True, check=True)
    while version() != new:
        if time.monotonic() - started > 120:
            raise SystemExit(f"naive update: {new} not served after 120 s")
        time.sleep(0.1)
    return time.monotonic() - started


def under_load(rate: int, action):
    """Runs action() with the load running from 2 s before to 3 s after it."""
    with Load(SITE + "/", rate=rate, max_seconds=400) as load:
        time.sleep(2)
        outcome = action()
        time.sleep(3)
    return outcome, load


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rate", type=int, default=50, help="requests a second (default 50)")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    opts = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="deploy-bench-"))
    project_dir = workdir / "project"
    figures: dict = {"rate": opts.rate}
    try:
        rc, seconds, out = deploy(project_dir)
        if rc != 0:
            print(out[-4000:])
            raise SystemExit("setup: the first deploy (0.1.0) failed")
        print(f"setup: 0.1.0 deployed in {seconds:.1f} s on {SITE}")

        (rc, seconds, out), load = under_load(opts.rate, lambda: deploy(project_dir, "platform_version=0.2.0"))
        if rc != 0 or version() != "0.2.0":
            print(out[-4000:])
            raise SystemExit("ours: the deploy of 0.2.0 failed")
        figures["ours"] = {"seconds": round(seconds, 1), "requests": load.sent, "failed": load.failed,
                           "versions": dict(load.versions)}

        broken = '{"compose_app_env": {"APP_BROKEN": "benchmark: never healthy"}}'
        (rc, seconds, out), load = under_load(opts.rate, lambda: deploy(project_dir, "platform_version=0.3.0", broken))
        if rc == 0 or "keeps serving" not in out or version() != "0.2.0":
            print(out[-4000:])
            raise SystemExit("broken: the broken version was not rolled back")
        figures["rollback"] = {"seconds": round(seconds, 1), "requests": load.sent, "failed": load.failed,
                               "versions": dict(load.versions)}

        subprocess.run(["docker", "tag", "interviewops/app:0.2.0", "interviewops/app:0.4.0"], check=True)  # noqa: S607
        seconds, load = under_load(opts.rate, lambda: naive_update(project_dir, "0.4.0"))
        figures["naive"] = {"seconds": round(seconds, 1), "requests": load.sent, "failed": load.failed,
                            "versions": dict(load.versions), "errors": load.errors[:3]}
    finally:
        subprocess.run(["docker", "compose", "-p", PROJECT, "down", "--volumes", "--remove-orphans", "--timeout", "1"],  # noqa: S607
                       capture_output=True, check=False)
        subprocess.run(["docker", "rmi", *[f"interviewops/app:{tag}" for tag in TAGS]],  # noqa: S607
                       capture_output=True, check=False)

    ours, naive, rollback = figures["ours"], figures["naive"], figures["rollback"]
    print(f"\ndeploy of a new version under load ({opts.rate} req/s through nginx on 127.0.0.1):")
    print(f"  ours  (blue/green, health gate, graceful reload): {ours['seconds']:6.1f} s, "
          f"{ours['requests']} requests, {ours['failed']} failed, versions seen {ours['versions']}")
    print(f"  naive (docker compose up -d with the new image):  {naive['seconds']:6.1f} s, "
          f"{naive['requests']} requests, {naive['failed']} failed, versions seen {naive['versions']}")
    print(f"  deploy time ratio ours/naive: {ours['seconds'] / naive['seconds']:.1f}x")
    print("broken version (never healthy), automatic rollback:")
    print(f"  time to rollback: {rollback['seconds']:.1f} s, {rollback['requests']} requests, "
          f"{rollback['failed']} failed, versions seen {rollback['versions']}")
    if naive["errors"]:
        print(f"  (naive errors, first ones: {naive['errors']})")
    if opts.json:
        opts.json.write_text(json.dumps(figures, indent=2) + "\n")
    return 0 if ours["failed"] == 0 and rollback["failed"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
