"""Benchmark: per-interview environments with interview_service vs stock modules, and the inventory.

One moto server, one counting proxy in front of it (the same proxy the
integration tests use). In one run:

(a) ours.yml  - create then destroy N interviews with interviewops.platform.interview_service
(b) stock.yml - the same pieces with amazon.aws/community.aws modules
    (ssm_parameter, ecs_taskdefinition, elb_target_group, elb_application_lb rule,
    ecs_service, route53)
(c) the interviews inventory over M ECS services: API calls and seconds, cold and cached.

Prints API calls and wall time of each job and the ratios ours/stock.

    .tools/venv/bin/python benchmarks/interviews/run.py [--count 20] [--inventory 1000] [--json out.json]
"""

from __future__ import annotations

import argparse
import json
import math
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
BIN = Path(sys.executable).parent
sys.path.insert(0, str(ROOT / "tests" / "integration" / "interviews"))

import boto3  # noqa: E402
from interviews_support import AwsProxy  # noqa: E402 - the counting proxy of the integration tests

REGION = "us-east-1"
DOMAIN = "bench.test"


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_moto(log_dir):
    port = free_port()
    log = (log_dir / f"moto-bench-{port}.log").open("w")
    proc = subprocess.Popen(
        [str(BIN / "moto_server"), "-H", "127.0.0.1", "-p", str(port)], stdout=log, stderr=subprocess.STDOUT
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            urllib.request.urlopen(f"{url}/moto-api/", timeout=2).close()  # noqa: S310 - loopback only
            return proc, url
        except OSError:
            if time.monotonic() > deadline:
                proc.terminate()
                raise
            time.sleep(0.2)


def client(service, endpoint):
    return boto3.client(
        service,
        region_name=REGION,
        endpoint_url=endpoint,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",  # noqa: S106 - moto's dummy credentials
    )


def shared_infra(endpoint):
    ec2, elbv2 = client("ec2", endpoint), client("elbv2", endpoint)
    vpc = ec2.create_vpc(CidrBlock="10.30.0.0/16")["Vpc"]["VpcId"]
    subnets = [
        ec2.create_subnet(VpcId=vpc, CidrBlock=f"10.30.{i}.0/24", AvailabilityZone=f"{REGION}{az}")["Subnet"][
            "SubnetId"
        ]
        for i, az in ((1, "a"), (2, "b"))
    ]
    sg = ec2.create_security_group(GroupName="code-server", Description="code-server", VpcId=vpc)["GroupId"]
    lb = elbv2.create_load_balancer(Name="bench", Subnets=subnets, SecurityGroups=[sg])["LoadBalancers"][0]
    listener = elbv2.create_listener(
        LoadBalancerArn=lb["LoadBalancerArn"],
        Protocol="HTTP",
        Port=80,
        DefaultActions=[
            {"Type": "fixed-response", "FixedResponseConfig": {"StatusCode": "404", "ContentType": "text/plain"}}
        ],
    )["Listeners"][0]
    zone = client("route53", endpoint).create_hosted_zone(Name=DOMAIN, CallerReference="bench")
    client("ecs", endpoint).create_cluster(clusterName="bench")
    return {
        "bench_vpc": vpc,
        "bench_subnets": subnets,
        "bench_security_groups": [sg],
        "bench_lb_name": "bench",
        "bench_lb_dns": lb["DNSName"],
        "bench_lb_zone_id": lb["CanonicalHostedZoneId"],
        "bench_listener_arn": listener["ListenerArn"],
        "bench_zone_id": zone["HostedZone"]["Id"].rsplit("/", 1)[-1],
        "bench_domain": DOMAIN,
        "bench_cluster": "bench",
    }


def run_playbook(playbook, variables, phase, env, timeout):
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as handle:
        json.dump(dict(variables, bench_phase=phase), handle)
        path = handle.name
    try:
        started = time.monotonic()
        out = subprocess.run(
            [
                str(BIN / "ansible-playbook"),
                "-i",
                "localhost,",
                str(HERE / playbook),
                "-e",
                f"@{path}",
                "-e",
                f"ansible_python_interpreter={sys.executable}",
            ],
            env=env,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
            cwd=ROOT,
        )
        elapsed = time.monotonic() - started
    finally:
        os.unlink(path)
    if out.returncode != 0:
        raise SystemExit(f"{playbook} ({phase}) failed:\n{out.stdout[-4000:]}\n{out.stderr[-2000:]}")
    return elapsed


def measure(proxy, playbook, variables, env, timeout):
    figures = {}
    for phase in ("create", "destroy"):
        proxy.reset()
        seconds = run_playbook(playbook, variables, phase, env, timeout)
        figures[phase] = {"calls": len(proxy.calls), "seconds": round(seconds, 2), "by_operation": dict(proxy.counts())}
    figures["total"] = {
        "calls": figures["create"]["calls"] + figures["destroy"]["calls"],
        "seconds": round(figures["create"]["seconds"] + figures["destroy"]["seconds"], 2),
    }
    return figures


def leftovers(endpoint, variables):
    ecs = client("ecs", endpoint)
    arns = ecs.list_services(cluster="bench")["serviceArns"]
    live = []
    for index in range(0, len(arns), 10):
        live += [
            s
            for s in ecs.describe_services(cluster="bench", services=arns[index : index + 10])["services"]
            if s["status"] != "INACTIVE"
        ]
    rules = [
        r
        for r in client("elbv2", endpoint).describe_rules(ListenerArn=variables["bench_listener_arn"])["Rules"]
        if not r["IsDefault"]
    ]
    groups = client("elbv2", endpoint).describe_target_groups()["TargetGroups"]
    return len(live) + len(rules) + len(groups)


def inventory_benchmark(proxy, endpoint, count, env, tmp):
    ecs = client("ecs", endpoint)
    ecs.create_cluster(clusterName="inventory")
    task_def = ecs.register_task_definition(
        family="inv", containerDefinitions=[{"name": "code-server", "image": "code-server", "memory": 512}]
    )["taskDefinition"]["taskDefinitionArn"]
    for n in range(count):
        iid = f"inv-{n:04d}"
        ecs.create_service(
            cluster="inventory",
            serviceName=f"interview-{iid}",
            taskDefinition=task_def,
            desiredCount=1,
            tags=[
                {"key": "interview-id", "value": iid},
                {"key": "managed-by", "value": "interviewops.platform"},
                {"key": "challenge", "value": ("python", "sql", "javascript")[n % 3]},
                {"key": "expires-at", "value": "2099-01-01T00:00:00Z" if n % 4 else "2000-01-01T00:00:00Z"},
                {"key": "interview-host", "value": f"{iid}.{DOMAIN}"},
            ],
        )
    config = tmp / "bench.interviews.yml"
    config.write_text(
        "plugin: interviewops.platform.interviews\nclusters: [inventory]\nregions: [us-east-1]\n"
        f"endpoint_url: {proxy.url}\naccess_key: testing\nsecret_key: testing\ncache: true\n"
        f"cache_plugin: ansible.builtin.jsonfile\ncache_connection: {tmp / 'cache'}\ncache_timeout: 600\n"
    )
    figures = {}
    for label, extra in (("cold", ["--flush-cache"]), ("cached", [])):
        proxy.reset()
        started = time.monotonic()
        out = subprocess.run(
            [str(BIN / "ansible-inventory"), "-i", str(config), "--list", *extra],
            env=env,
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
            cwd=ROOT,
        )
        elapsed = time.monotonic() - started
        if out.returncode != 0:
            raise SystemExit(f"inventory failed: {out.stderr[-3000:]}")
        hosts = len(json.loads(out.stdout)["_meta"]["hostvars"])
        counts = proxy.counts()
        figures[label] = {
            "hosts": hosts,
            "calls": sum(counts.values()),
            "by_operation": dict(counts),
            "seconds": round(elapsed, 2),
        }
    figures["minimum"] = math.ceil(count / 100) + math.ceil(count / 10)
    return figures


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--count", type=int, default=20, help="interviews created and destroyed per job")
    parser.add_argument("--inventory", type=int, default=1000, help="services listed by the inventory")
    parser.add_argument("--timeout", type=int, default=900, help="seconds allowed per playbook run")
    parser.add_argument("--json", help="also write the figures to this file")
    args = parser.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="bench-interviews-"))
    log_dir = ROOT / ".tools" / "log"
    log_dir.mkdir(parents=True, exist_ok=True)
    moto, endpoint = start_moto(log_dir)
    proxy = AwsProxy(endpoint)
    env = dict(
        os.environ,
        AWS_ACCESS_KEY_ID="testing",
        AWS_SECRET_ACCESS_KEY="testing",  # noqa: S106 - moto's dummy credentials
        AWS_REGION=REGION,
        AWS_DEFAULT_REGION=REGION,
        ANSIBLE_CONFIG=str(ROOT / "ansible.cfg"),
        ANSIBLE_NOCOLOR="1",
    )
    env.pop("AWS_ENDPOINT_URL", None)
    try:
        variables = shared_infra(endpoint)
        ids = [f"bench-{n:02d}" for n in range(args.count)]
        rules = [
            {
                "Conditions": [{"Field": "host-header", "Values": [f"{i}.{DOMAIN}"]}],
                "Priority": 2000 + n,
                "Actions": [{"Type": "forward", "TargetGroupName": f"st-{i}"}],
            }
            for n, i in enumerate(ids)
        ]
        variables.update(bench_endpoint=proxy.url, bench_ids=ids, bench_rules=rules)

        ours = measure(proxy, "ours.yml", variables, env, args.timeout)
        left_ours = leftovers(endpoint, variables)
        stock = measure(proxy, "stock.yml", variables, env, args.timeout)
        left_stock = leftovers(endpoint, variables)
        inventory = inventory_benchmark(proxy, endpoint, args.inventory, env, tmp)
    finally:
        proxy.close()
        moto.terminate()
        moto.wait(timeout=10)

    figures = {
        "count": args.count,
        "ours": ours,
        "stock": stock,
        "leftovers": {"ours": left_ours, "stock": left_stock},
        "ratio_calls": round(ours["total"]["calls"] / stock["total"]["calls"], 3),
        "ratio_seconds": round(ours["total"]["seconds"] / stock["total"]["seconds"], 3),
        "inventory": {"services": args.inventory, **inventory},
    }
    print(f"create+destroy {args.count} interviews against one moto server (calls counted at the proxy)")
    print(
        f"{'job':<8}{'create calls':>14}{'destroy calls':>15}{'total calls':>13}{'create s':>10}"
        f"{'destroy s':>11}{'total s':>9}"
    )
    for name, data in (("ours", ours), ("stock", stock)):
        print(
            f"{name:<8}{data['create']['calls']:>14}{data['destroy']['calls']:>15}{data['total']['calls']:>13}"
            f"{data['create']['seconds']:>10}{data['destroy']['seconds']:>11}{data['total']['seconds']:>9}"
        )
    print(f"ratio ours/stock: API calls {figures['ratio_calls']}, wall time {figures['ratio_seconds']}")
    print(f"left over after destroy: ours {left_ours}, stock {left_stock}")
    inv = figures["inventory"]
    print(
        f"inventory, {args.inventory} services: cold {inv['cold']['calls']} calls "
        f"({inv['cold']['by_operation']}) in {inv['cold']['seconds']}s for {inv['cold']['hosts']} hosts; "
        f"cached {inv['cached']['calls']} calls in {inv['cached']['seconds']}s; "
        f"AWS minimum ceil(N/100)+ceil(N/10) = {inv['minimum']} (moto answers ListServices in one page)"
    )
    if args.json:
        Path(args.json).write_text(json.dumps(figures, indent=2))
    ok = (
        figures["ratio_calls"] <= 1 / 3
        and figures["ratio_seconds"] < 1
        and inv["cached"]["calls"] == 0
        and inv["cold"]["calls"] <= inv["minimum"]
        and left_ours == 0
    )
    print("targets (calls <= 1/3, less time, inventory at the minimum, zero calls cached):", "met" if ok else "NOT met")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
