"""Helpers of the per-interview environment tests (also used by benchmarks/interviews).

* ``AwsProxy``: a small HTTP proxy between boto3 and the moto server. It counts
  every AWS call by service and operation, and can fail the k-th call or return
  throttling errors, so rollback and retry behaviour is tested end to end.
* ``make_shared_infra``: the shared pieces seed 001 makes once (VPC, subnets, ALB,
  listener, hosted zone, ECS cluster, S3 bucket with challenge files).
* ``start_module``/``parse_result``: run a module's code as Ansible would (a JSON
  args file) in a subprocess and read its JSON result.
* ``inventory_of``: every piece that exists, read straight from moto.
"""

from __future__ import annotations

import http.client
import json
import os
import re
import subprocess
import sys
import tempfile
import threading
import urllib.parse
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from xml.sax.saxutils import escape as xml_escape

import boto3

ROOT = Path(__file__).resolve().parents[3]
COLLECTIONS = ROOT / ".tools" / "collections"
PYTHON = sys.executable
REGION = "us-east-1"
DOMAIN = "interviews.test"
PREFIX = "/interviewops/interviews"

_SCOPE = re.compile(r"Credential=[^/]+/\d+/[^/]+/([^/]+)/aws4_request")


class AwsProxy:
    """Counting, fault-injecting HTTP proxy in front of one moto server."""

    def __init__(self, upstream: str):
        self.upstream = urllib.parse.urlparse(upstream)
        self.lock = threading.Lock()
        self.calls: list[str] = []
        self.fail_at: int | None = None
        self.fail_code = "InjectedFault"
        self.fail_match: str | None = None
        self.throttle_match: str | None = None
        self.throttled = 0
        self._seen = 0
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):  # keep pytest output clean
                pass

            def _handle(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                op = proxy.operation(self.command, self.path, self.headers, body)
                fault = proxy.decide(op)
                if fault:
                    return self._fault(op, fault)
                conn = http.client.HTTPConnection(proxy.upstream.hostname, proxy.upstream.port, timeout=60)
                headers = {k: v for k, v in self.headers.items() if k.lower() not in ("connection",)}
                conn.request(self.command, self.path, body=body, headers=headers)
                resp = conn.getresponse()
                data = resp.read()
                self.send_response(resp.status)
                for key, value in resp.getheaders():
                    if key.lower() in ("transfer-encoding", "connection", "content-length"):
                        continue
                    self.send_header(key, value)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                if self.command != "HEAD":
                    self.wfile.write(data)
                conn.close()
                return None

            def _fault(self, op, code):
                service = op.split(":", 1)[0]
                op = xml_escape(op)
                if "json" in (self.headers.get("Content-Type") or ""):
                    if code == "Throttling":
                        code = "ThrottlingException"
                    data = json.dumps({"__type": code, "message": f"injected {code} on {op}"}).encode()
                    ctype = "application/x-amz-json-1.1"
                elif service == "s3":
                    data = (
                        f'<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>{code}</Code>'
                        f"<Message>injected {code} on {op}</Message><RequestId>x</RequestId></Error>"
                    ).encode()
                    ctype = "application/xml"
                else:
                    data = (
                        f"<ErrorResponse><Error><Type>Sender</Type><Code>{code}</Code>"
                        f"<Message>injected {code} on {op}</Message></Error><RequestId>x</RequestId></ErrorResponse>"
                    ).encode()
                    ctype = "text/xml"
                self.send_response(400)
                self.send_header("Content-Type", ctype)
                if ctype.startswith("application/x-amz-json"):
                    self.send_header("x-amzn-ErrorType", code)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = _handle  # noqa: N815 - http.server names

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @staticmethod
    def operation(method, path, headers, body):
        target = headers.get("X-Amz-Target")
        scope = _SCOPE.search(headers.get("Authorization") or "")
        service = scope.group(1) if scope else "?"
        if target:
            return f"{service}:{target.rsplit('.', 1)[-1]}"
        if body and b"Action=" in body:
            action = urllib.parse.parse_qs(body.decode()).get("Action", ["?"])[0]
            return f"{service}:{action}"
        parsed = urllib.parse.urlparse(path)
        if "Action=" in parsed.query:
            return f"{service}:{urllib.parse.parse_qs(parsed.query)['Action'][0]}"
        shape = re.sub(r"/(hostedzone|change)/[^/]+", r"/\1/{id}", parsed.path)
        if service == "s3":
            shape = "/{bucket}/{key}" if parsed.path.count("/") > 1 and not parsed.path.endswith("/") else "/{bucket}"
            shape += "?" + "&".join(sorted(k for k in urllib.parse.parse_qs(parsed.query, keep_blank_values=True)))
        return f"{service}:{method} {shape}"

    def decide(self, op):
        with self.lock:
            self.calls.append(op)
            if self.throttle_match is not None and re.search(self.throttle_match, op):
                self.throttled += 1
                return "Throttling"
            if self.fail_at is not None and (self.fail_match is None or re.search(self.fail_match, op)):
                self._seen += 1
                if self._seen == self.fail_at:
                    return self.fail_code
            return None

    # -- test API -------------------------------------------------------------

    def reset(self):
        with self.lock:
            self.calls = []
            self.fail_at = None
            self.fail_match = None
            self.fail_code = "InjectedFault"
            self.throttle_match = None
            self.throttled = 0
            self._seen = 0

    def fail(self, k, code="InjectedFault", match=None):
        """Fail the k-th call (1-based) counted from now, optionally among calls matching ``match``."""
        with self.lock:
            self.fail_at, self.fail_code, self.fail_match, self._seen = k, code, match, 0

    def throttle(self, match=r"."):
        with self.lock:
            self.throttle_match = match

    def counts(self):
        with self.lock:
            return Counter(self.calls)

    def close(self):
        self.server.shutdown()
        self.server.server_close()


def boto(service, endpoint):
    return boto3.client(
        service,
        region_name=REGION,
        endpoint_url=endpoint,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",  # noqa: S106 - moto's dummy credentials
    )


def interview_args(infra, interview_id, endpoint=None, **overrides):
    args = {
        "interview_id": interview_id,
        "cluster": infra["cluster"],
        "challenge": "python",
        "image": "codercom/code-server:4.96.4",
        "cpu": 1024,
        "memory": 2048,
        "subnets": infra["subnets"],
        "security_groups": [infra["security_group"]],
        "listener_arn": infra["listener_arn"],
        "hosted_zone_id": infra["zone_id"],
        "domain": DOMAIN,
        "ttl": "2h",
        "max_instances": 50,
        "endpoint_url": endpoint or infra["endpoint"],
        "region": REGION,
        "retries": 2,
    }
    args.update(overrides)
    return {k: v for k, v in args.items() if v is not None}


def start_module(module, args, env, check=False, diff=False):
    payload = dict(args)
    payload["_ansible_check_mode"] = check
    payload["_ansible_diff"] = diff
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as handle:
        json.dump({"ANSIBLE_MODULE_ARGS": payload}, handle)
        path = handle.name
    try:
        return subprocess.Popen(  # noqa: S603 - fixed argv
            [PYTHON, "-m", f"ansible_collections.interviewops.platform.plugins.modules.{module}", path],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        ), path
    except Exception:
        os.unlink(path)
        raise


def parse_result(proc, path):
    out, err = proc.communicate(timeout=300)
    os.unlink(path)
    try:
        return json.loads(out)
    except json.JSONDecodeError:
        raise AssertionError(f"module printed no JSON (rc={proc.returncode}): {out}\n{err}") from None


def inventory_of(endpoint, infra, interview_id=None):
    """Every piece that still exists for one interview (or for all), read straight from moto."""
    ecs = boto("ecs", endpoint)
    elbv2 = boto("elbv2", endpoint)
    ssm = boto("ssm", endpoint)
    r53 = boto("route53", endpoint)
    s3 = boto("s3", endpoint)
    arns = ecs.list_services(cluster=infra["cluster"])["serviceArns"]
    services = []
    for index in range(0, len(arns), 10):
        services += [
            s
            for s in ecs.describe_services(cluster=infra["cluster"], services=arns[index : index + 10])["services"]
            if s["status"] != "INACTIVE"
        ]
    families = [arn for arn in ecs.list_task_definitions(status="ACTIVE")["taskDefinitionArns"] if "/interview-" in arn]
    groups = [g for g in elbv2.describe_target_groups()["TargetGroups"] if g["TargetGroupName"].startswith("iv-")]
    rules = [r for r in elbv2.describe_rules(ListenerArn=infra["listener_arn"])["Rules"] if not r["IsDefault"]]
    records = [
        r
        for r in r53.list_resource_record_sets(HostedZoneId=infra["zone_id"])["ResourceRecordSets"]
        if r["Type"] == "A"
    ]
    params = []
    for page in ssm.get_paginator("get_parameters_by_path").paginate(Path=PREFIX, Recursive=True):
        params += [p["Name"] for p in page["Parameters"]]
    objects = [o["Key"] for o in s3.list_objects_v2(Bucket=infra["bucket"], Prefix="workspaces/").get("Contents", [])]
    found = {
        "services": [s["serviceName"] for s in services],
        "task_definitions": families,
        "target_groups": [g["TargetGroupName"] for g in groups],
        "rules": [
            v for r in rules for c in r["Conditions"] for v in c.get("Values") or c["HostHeaderConfig"]["Values"]
        ],
        "records": [r["Name"] for r in records],
        "parameters": params,
        "objects": objects,
    }
    if interview_id:
        needle = interview_id
        found = {k: [v for v in vs if needle in v] for k, vs in found.items()}
    return found


def make_shared_infra(moto_server):
    """Seed 001's shared infrastructure, made directly against moto (not counted)."""
    ec2 = boto("ec2", moto_server)
    elbv2 = boto("elbv2", moto_server)
    vpc = ec2.create_vpc(CidrBlock="10.20.0.0/16")["Vpc"]["VpcId"]
    subnets = [
        ec2.create_subnet(VpcId=vpc, CidrBlock=f"10.20.{i}.0/24", AvailabilityZone=f"{REGION}{az}")["Subnet"][
            "SubnetId"
        ]
        for i, az in ((1, "a"), (2, "b"))
    ]
    sg = ec2.create_security_group(GroupName="code-server", Description="code-server", VpcId=vpc)["GroupId"]
    lb = elbv2.create_load_balancer(Name="interviews", Subnets=subnets, SecurityGroups=[sg], Scheme="internet-facing")
    lb = lb["LoadBalancers"][0]
    listener = elbv2.create_listener(
        LoadBalancerArn=lb["LoadBalancerArn"],
        Protocol="HTTP",
        Port=80,
        DefaultActions=[
            {"Type": "fixed-response", "FixedResponseConfig": {"StatusCode": "404", "ContentType": "text/plain"}}
        ],
    )["Listeners"][0]
    zone = boto("route53", moto_server).create_hosted_zone(Name=DOMAIN, CallerReference="interviews")
    zone_id = zone["HostedZone"]["Id"].rsplit("/", 1)[-1]
    boto("ecs", moto_server).create_cluster(clusterName="interviews")
    s3 = boto("s3", moto_server)
    s3.create_bucket(Bucket="interviewops-instance")
    for name in ("python/main.py", "python/README.md", "graphs/solve.py"):
        s3.put_object(Bucket="interviewops-instance", Key=f"challenge/{name}", Body=b"# starter\n")
    return {
        "vpc": vpc,
        "subnets": subnets,
        "security_group": sg,
        "lb_arn": lb["LoadBalancerArn"],
        "lb_dns": lb["DNSName"],
        "listener_arn": listener["ListenerArn"],
        "zone_id": zone_id,
        "cluster": "interviews",
        "bucket": "interviewops-instance",
        "endpoint": moto_server,
    }
