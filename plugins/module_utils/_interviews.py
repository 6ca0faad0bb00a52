# -*- coding: utf-8 -*-
# Copyright: (c) 2026, interviewops platform team
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Private helpers for per-interview ECS environments.

One interview is a set of AWS pieces that all carry the same tags:

* an SSM parameter (create-if-absent) holding a capacity slot,
* an SSM SecureString with the code-server password,
* the challenge files copied into the interview's S3 workspace (optional),
* an ECS task definition and a Fargate service,
* an ALB target group and a host-header listener rule,
* a Route53 alias record ``<id>.<domain>``.

``InterviewManager`` reads the current state of every piece, computes what has
to change (also in check mode), applies it, and on any failure removes what the
call itself created.  Every AWS error is turned into ``Failed to <action>: <cause>``
in exactly one place: ``InterviewManager.step``.
"""

from __future__ import annotations

import datetime
import hashlib
import random
import re
import secrets
import string
import time
from contextlib import contextmanager

try:
    import botocore
except ImportError:
    pass  # handled by AnsibleAWSModule

from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry

TAG_ID = "interview-id"
TAG_EXPIRES = "expires-at"
TAG_CHALLENGE = "challenge"
TAG_MANAGED = "managed-by"
TAG_HOST = "interview-host"
TAG_SLOT = "interview-slot"
MANAGED_BY = "interviewops.platform"
RESERVED_TAGS = (TAG_ID, TAG_EXPIRES, TAG_CHALLENGE, TAG_MANAGED, TAG_HOST)

BUILTIN_CHALLENGES = ("python", "javascript", "sql")
ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]{1,30}[a-z0-9]$")
TTL_PATTERN = re.compile(r"^\s*(\d+)\s*([smhd])\s*$")
TTL_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}

CONTAINER_NAME = "code-server"
CONTAINER_PORT = 8080
SLOT_FOLDER = "_slots"
# A slot whose owner has no ECS service yet is only reclaimed after this long,
# so an interview that is being created right now keeps its slot.
SLOT_GRACE_SECONDS = 600
PRIORITY_MIN = 1
PRIORITY_MAX = 50000
PRIORITY_ATTEMPTS = 25
DESCRIBE_BATCH = 10
LIST_PAGE = 100


class InterviewError(Exception):
    """A failure with a user-facing message and, optionally, the AWS exception behind it."""

    def __init__(self, message, exception=None):
        super().__init__(message)
        self.message = message
        self.exception = exception

    @property
    def code(self):
        """AWS error code of the exception behind this error, or None."""
        return error_code(self.exception)


def error_code(exception):
    try:
        return exception.response["Error"]["Code"]
    except (AttributeError, KeyError, TypeError):
        return None


# ---------------------------------------------------------------------------
# Pure helpers (unit tested without AWS)
# ---------------------------------------------------------------------------


def validate_interview_id(interview_id):
    if not isinstance(interview_id, str) or not ID_PATTERN.match(interview_id):
        raise InterviewError(
            f"Invalid interview_id {interview_id!r}: use 3-32 lowercase letters, digits and hyphens, "
            "starting and ending with a letter or digit"
        )
    return interview_id


def parse_ttl(value):
    """``90m`` / ``2h`` / ``1d`` / ``45s`` -> datetime.timedelta."""
    match = TTL_PATTERN.match(str(value))
    if not match or int(match.group(1)) <= 0:
        raise InterviewError(f"Invalid ttl {value!r}: use a positive duration such as 90m, 2h or 1d")
    return datetime.timedelta(seconds=int(match.group(1)) * TTL_UNITS[match.group(2)])


def utcnow():
    return datetime.datetime.now(datetime.timezone.utc)


def format_time(moment):
    return moment.astimezone(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_time(value):
    """ISO 8601 (``2026-01-02T03:04:05Z``, offsets allowed) -> aware UTC datetime."""
    text = str(value).strip()
    if text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"
    try:
        moment = datetime.datetime.fromisoformat(text)
    except ValueError:
        raise InterviewError(f"Invalid expires_at {value!r}: use ISO 8601 in UTC, e.g. 2026-01-02T15:04:05Z") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=datetime.timezone.utc)
    return moment.astimezone(datetime.timezone.utc)


def resource_name(interview_id):
    """Name of the ECS service and task-definition family."""
    return f"interview-{interview_id}"


def target_group_name(interview_id):
    """Target group names are at most 32 characters; long ids get a stable hash suffix."""
    name = f"iv-{interview_id}"
    if len(name) <= 32:
        return name
    digest = hashlib.sha256(interview_id.encode()).hexdigest()[:8]
    return f"iv-{interview_id[:20].rstrip('-')}-{digest}"


def host_name(interview_id, domain):
    return f"{interview_id}.{domain.strip('.').lower()}"


def password_parameter(prefix, interview_id):
    return f"{normalise_prefix(prefix)}/{interview_id}/password"


def slot_path(prefix):
    return f"{normalise_prefix(prefix)}/{SLOT_FOLDER}"


def normalise_prefix(prefix):
    return "/" + prefix.strip("/")


def generate_password(length=24):
    alphabet = string.ascii_letters + string.digits
    return "".join(secrets.choice(alphabet) for _index in range(length))


def interview_tags(interview_id, challenge, expires_at, host, extra=None):
    tags = dict(extra or {})
    tags.update(
        {
            TAG_ID: interview_id,
            TAG_EXPIRES: expires_at,
            TAG_CHALLENGE: challenge,
            TAG_MANAGED: MANAGED_BY,
            TAG_HOST: host,
        }
    )
    return tags


def ecs_tags(tags):
    return [{"key": k, "value": str(v)} for k, v in sorted(tags.items())]


def aws_tags(tags):
    return [{"Key": k, "Value": str(v)} for k, v in sorted(tags.items())]


def tags_from_list(items):
    out = {}
    for item in items or []:
        key = item.get("Key", item.get("key"))
        value = item.get("Value", item.get("value"))
        out[key] = value
    return out


def missing_tags(current, desired):
    """Tags in ``desired`` that ``current`` lacks or holds with another value."""
    return {k: v for k, v in desired.items() if current.get(k) != v}


def free_priority(used, preferred=None, low=PRIORITY_MIN, high=PRIORITY_MAX):
    """Lowest free listener-rule priority, trying ``preferred`` first."""
    used = set(used)
    if preferred is not None and low <= preferred <= high and preferred not in used:
        return preferred
    for priority in range(low, high + 1):
        if priority not in used:
            return priority
    raise InterviewError("Failed to choose a listener rule priority: every priority is in use")


def interview_status(service):
    """Status name from an ECS service description."""
    status = (service.get("status") or "").upper()
    if status == "INACTIVE":
        return "deleted"
    if status == "DRAINING":
        return "draining"
    desired = service.get("desiredCount", 0)
    running = service.get("runningCount", 0)
    if desired == 0:
        return "stopped"
    if running >= desired:
        return "running"
    return "pending"


def summarise_service(service, cluster, region=None, now=None):
    """Plain dict describing one interview from a DescribeServices entry (with TAGS)."""
    tags = tags_from_list(service.get("tags"))
    now = now or utcnow()
    interview_id = tags.get(TAG_ID)
    expires_at = tags.get(TAG_EXPIRES)
    remaining = None
    expired = False
    if expires_at:
        try:
            remaining = int((parse_time(expires_at) - now).total_seconds())
            expired = remaining <= 0
            remaining = max(remaining, 0)
        except InterviewError:
            remaining = None
    host = tags.get(TAG_HOST)
    return {
        "interview_id": interview_id,
        "status": interview_status(service),
        "url": f"https://{host}" if host else None,
        "host": host,
        "challenge": tags.get(TAG_CHALLENGE),
        "expires_at": expires_at,
        "expired": expired,
        "remaining_seconds": remaining,
        "service_name": service.get("serviceName"),
        "service_arn": service.get("serviceArn"),
        "task_definition": service.get("taskDefinition"),
        "desired_count": service.get("desiredCount", 0),
        "running_count": service.get("runningCount", 0),
        "cluster": cluster,
        "region": region,
        "tags": tags,
    }


def is_interview_service(service):
    if (service.get("status") or "").upper() == "INACTIVE":
        return False
    tags = tags_from_list(service.get("tags"))
    return tags.get(TAG_MANAGED) == MANAGED_BY and bool(tags.get(TAG_ID))


def chunks(items, size):
    for index in range(0, len(items), size):
        yield items[index : index + size]


def list_interview_services(ecs, cluster, retry=None):
    """All interview services of a cluster with the fewest calls.

    ``ListServices`` pages of 100 plus ``DescribeServices`` (include TAGS) in
    batches of 10: nothing per service.  ``retry`` wraps each call (AWSRetry).
    """

    def call(func, **kwargs):
        return retry(func)(**kwargs) if retry else func(**kwargs)

    arns = []
    kwargs = {"cluster": cluster, "maxResults": LIST_PAGE}
    while True:
        page = call(ecs.list_services, **kwargs)
        arns.extend(page.get("serviceArns", []))
        token = page.get("nextToken")
        if not token:
            break
        kwargs["nextToken"] = token
    services = []
    for batch in chunks(arns, DESCRIBE_BATCH):
        response = call(ecs.describe_services, cluster=cluster, services=batch, include=["TAGS"])
        services.extend(s for s in response.get("services", []) if is_interview_service(s))
    return services


def wait_for_service(ecs, cluster, service_name, timeout, sleep=time.sleep, clock=time.monotonic, delay=5):
    """Poll DescribeServices until running == desired with one deployment.

    Returns the last service description; raises InterviewError on timeout.
    Separate from the manager so unit tests drive it with botocore's Stubber.
    """
    deadline = clock() + timeout
    last = None
    while True:
        response = ecs.describe_services(cluster=cluster, services=[service_name])
        found = [s for s in response.get("services", []) if s.get("status") != "INACTIVE"]
        if not found:
            raise InterviewError(f"Failed to wait for service {service_name}: it no longer exists")
        last = found[0]
        deployments = last.get("deployments") or []
        rollout_failed = any(d.get("rolloutState") == "FAILED" for d in deployments)
        if rollout_failed:
            reason = next((d.get("rolloutStateReason") for d in deployments if d.get("rolloutState") == "FAILED"), "")
            raise InterviewError(f"Failed to wait for service {service_name}: deployment failed: {reason}")
        if last.get("runningCount", 0) >= last.get("desiredCount", 0) and len(deployments) <= 1:
            return last
        if clock() >= deadline:
            raise InterviewError(
                f"Failed to wait for service {service_name}: not stable after {timeout}s "
                f"(running {last.get('runningCount', 0)} of {last.get('desiredCount', 0)})"
            )
        sleep(min(delay, max(deadline - clock(), 0.1)))


def make_retry(retries):
    """The one retry policy: jittered exponential backoff on throttling and 5xx codes."""
    # AWSRetry counts attempts: the first try plus ``retries`` retries.
    return AWSRetry.jittered_backoff(
        retries=retries + 1,
        delay=1,
        backoff=2.0,
        max_delay=20,
        # A 5xx whose body is not an AWS error shows up with the HTTP status as its code.
        catch_extra_error_codes=[
            "ThrottlingException",
            "ServiceUnavailableException",
            "SlowDown",
            "500",
            "502",
            "503",
            "504",
        ],
    )


# botocore's own retries are switched off so that AWSRetry is the one, bounded policy.
BOTOCORE_CONFIG = {"retries": {"mode": "standard", "total_max_attempts": 1}}


# ---------------------------------------------------------------------------
# The manager
# ---------------------------------------------------------------------------


class InterviewManager:
    """Creates, updates, reads and deletes one interview for the interview_service module."""

    def __init__(self, module):
        self.module = module
        self.params = module.params
        self.check_mode = module.check_mode
        self.retry = make_retry(self.params.get("retries", 8))
        self._clients = {}
        self.changed = False
        self.actions = []
        self._undo = []
        self.interview_id = self.params["interview_id"]
        self.cluster = self.params["cluster"]
        self.name = resource_name(self.interview_id)
        self.tg_name = target_group_name(self.interview_id)
        self.prefix = self.params.get("parameter_prefix") or "/interviewops/interviews"
        self.password_name = password_parameter(self.prefix, self.interview_id)

    # -- plumbing -----------------------------------------------------------

    def client(self, service):
        if service not in self._clients:
            self._clients[service] = self.module.client(service, retry_decorator=self.retry, config=BOTOCORE_CONFIG)
        return self._clients[service]

    def call(self, aws_service, operation, **kwargs):
        return getattr(self.client(aws_service), operation)(aws_retry=True, **kwargs)

    def paginate(self, service, operation, **kwargs):
        paginator = self.client(service).get_paginator(operation)
        return self.retry(lambda: paginator.paginate(**kwargs).build_full_result())()

    @contextmanager
    def step(self, action):
        """The single place where exceptions become ``Failed to <action>: <cause>``."""
        try:
            yield
        except InterviewError:
            raise
        except (botocore.exceptions.BotoCoreError, botocore.exceptions.ClientError) as e:
            raise InterviewError(f"Failed to {action}", exception=e) from e

    def record(self, action, undo=None):
        self.changed = True
        self.actions.append(action)
        if undo is not None:
            self._undo.append((action, undo))

    def rollback(self):
        """Undo what this call created, newest first. Returns the errors it met."""
        errors = []
        while self._undo:
            action, undo = self._undo.pop()
            try:
                undo()
            except Exception as e:  # noqa: BLE001 - keep undoing the rest, report every failure
                errors.append(f"{action}: {e}")
        return errors

    def rollback_after(self, exc):
        """Undo what this call created after ``exc``; name what could not be undone in its message."""
        errors = self.rollback()
        if errors and isinstance(exc, InterviewError):
            exc.message += "; rollback also failed for: " + "; ".join(errors)

    def waited(self, service):
        """The service after waiting for it to be stable, when the task asked to wait."""
        if not self.params.get("wait"):
            return service
        with self.step(f"wait for ECS service {self.name}"):
            return wait_for_service(self.client("ecs"), self.cluster, self.name, self.params["wait_timeout"])

    # -- validation -------------------------------------------------------

    def desired_expiry(self, current_expiry):
        if self.params.get("expires_at"):
            return format_time(parse_time(self.params["expires_at"]))
        if current_expiry:
            return current_expiry
        return format_time(utcnow() + parse_ttl(self.params.get("ttl") or "2h"))

    def validate_challenge(self):
        challenge = self.params["challenge"]
        bucket = self.params.get("bucket")
        if not re.match(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$", challenge or ""):
            raise InterviewError(f"Invalid challenge name {challenge!r}")
        files = []
        if bucket:
            prefix = f"{self.params['challenge_prefix'].strip('/')}/{challenge}/"
            with self.step(f"list challenge files in s3://{bucket}/{prefix}"):
                result = self.paginate("s3", "list_objects_v2", Bucket=bucket, Prefix=prefix)
            files = [obj["Key"] for obj in result.get("Contents", []) if not obj["Key"].endswith("/")]
        if challenge not in BUILTIN_CHALLENGES and not files:
            where = (
                f"s3://{bucket}/{self.params['challenge_prefix'].strip('/')}/{challenge}/" if bucket else "no bucket"
            )
            raise InterviewError(
                f"Unknown challenge {challenge!r}: not one of {', '.join(BUILTIN_CHALLENGES)} "
                f"and no files under {where}"
            )
        return files

    # -- reading the current state -------------------------------------------

    def read_service(self):
        with self.step(f"describe ECS service {self.name}"):
            response = self.call(
                "ecs", "describe_services", cluster=self.cluster, services=[self.name], include=["TAGS"]
            )
        for service in response.get("services", []):
            if service.get("status") != "INACTIVE":
                return service
        for failure in response.get("failures", []):
            if failure.get("reason") not in ("MISSING",):
                raise InterviewError(f"Failed to describe ECS service {self.name}: {failure.get('reason')}")
        return None

    def read_task_definition(self, arn):
        with self.step(f"describe task definition {arn}"):
            response = self.call("ecs", "describe_task_definition", taskDefinition=arn, include=["TAGS"])
        return response["taskDefinition"], tags_from_list(response.get("tags"))

    def read_load_balancer(self):
        """The listener's load balancer in one call: its ARN is part of the listener ARN.

        Falls back to DescribeListeners when the ARN has another shape.
        """
        arn = self.params["listener_arn"]
        match = re.match(r"^(arn:[^:]+:elasticloadbalancing:[^:]*:[^:]*:)listener/(app/[^/]+/[^/]+)/[^/]+$", arn)
        if not match:
            return self.read_listener()[1]
        lb_arn = f"{match.group(1)}loadbalancer/{match.group(2)}"
        try:
            with self.step(f"find listener {arn}"):
                return self.call("elbv2", "describe_load_balancers", LoadBalancerArns=[lb_arn])["LoadBalancers"][0]
        except InterviewError as e:
            if e.code == "LoadBalancerNotFound":
                raise InterviewError(
                    f"Failed to find listener {arn}: its load balancer does not exist", e.exception
                ) from None
            raise

    def read_listener(self):
        arn = self.params["listener_arn"]
        try:
            with self.step(f"find listener {arn}"):
                listener = self.call("elbv2", "describe_listeners", ListenerArns=[arn])["Listeners"][0]
        except InterviewError as e:
            if e.code == "ListenerNotFound":
                raise InterviewError(f"Failed to find listener {arn}: it does not exist", e.exception) from None
            raise
        with self.step(f"describe load balancer of listener {arn}"):
            lb = self.call("elbv2", "describe_load_balancers", LoadBalancerArns=[listener["LoadBalancerArn"]])
        return listener, lb["LoadBalancers"][0]

    def read_zone(self):
        zone_id = self.params["hosted_zone_id"]
        try:
            with self.step(f"find hosted zone {zone_id}"):
                zone = self.call("route53", "get_hosted_zone", Id=zone_id)["HostedZone"]
        except InterviewError as e:
            if e.code == "NoSuchHostedZone":
                raise InterviewError(f"Failed to find hosted zone {zone_id}: it does not exist", e.exception) from None
            raise
        zone_name = zone["Name"].rstrip(".").lower()
        domain = self.params["domain"].strip(".").lower()
        if domain != zone_name and not domain.endswith("." + zone_name):
            raise InterviewError(f"Domain {domain} is not inside hosted zone {zone_id} ({zone_name})")
        return zone

    def read_target_group(self):
        try:
            with self.step(f"describe target group {self.tg_name}"):
                groups = self.call("elbv2", "describe_target_groups", Names=[self.tg_name])["TargetGroups"]
        except InterviewError as e:
            if e.code == "TargetGroupNotFound":
                return None
            raise
        return groups[0] if groups else None

    def read_rules(self):
        rules = []
        kwargs = {"ListenerArn": self.params["listener_arn"]}
        try:
            with self.step("describe listener rules"):
                while True:
                    page = self.call("elbv2", "describe_rules", **kwargs)
                    rules.extend(page.get("Rules", []))
                    if not page.get("NextMarker"):
                        break
                    kwargs["Marker"] = page["NextMarker"]
        except InterviewError as e:
            if e.code == "ListenerNotFound":
                raise InterviewError(
                    f"Failed to find listener {kwargs['ListenerArn']}: it does not exist", e.exception
                ) from None
            raise
        return rules

    def find_rule(self, rules, host, tg_arn):
        found = self.find_rules(rules, host, tg_arn)
        return found[0] if found else None

    def find_rules(self, rules, host, tg_arn):
        """Every non-default rule for ``host`` or forwarding to ``tg_arn``."""
        found = []
        for rule in rules:
            if rule.get("IsDefault"):
                continue
            hosts = []
            for condition in rule.get("Conditions", []):
                if condition.get("Field") == "host-header":
                    values = condition.get("Values") or condition.get("HostHeaderConfig", {}).get("Values", [])
                    hosts.extend(v.lower() for v in values)
            forwards = [a.get("TargetGroupArn") for a in rule.get("Actions", [])]
            if (host and host in hosts) or (tg_arn and tg_arn in forwards):
                found.append(rule)
        return found

    def read_record(self, host):
        zone_id = self.params["hosted_zone_id"]
        with self.step(f"read DNS record {host}"):
            response = self.call(
                "route53",
                "list_resource_record_sets",
                HostedZoneId=zone_id,
                StartRecordName=host,
                StartRecordType="A",
                MaxItems="1",
            )
        for record in response.get("ResourceRecordSets", []):
            if record["Name"].rstrip(".").lower() == host and record["Type"] == "A":
                return record
        return None

    def read_password(self):
        try:
            with self.step(f"read SSM parameter {self.password_name}"):
                return self.call("ssm", "get_parameter", Name=self.password_name, WithDecryption=True)["Parameter"]
        except InterviewError as e:
            if e.code == "ParameterNotFound":
                return None
            raise

    def read_slots(self):
        with self.step("list capacity slots"):
            result = self.paginate("ssm", "get_parameters_by_path", Path=slot_path(self.prefix), Recursive=False)
        return result.get("Parameters", [])

    def read_workspace(self):
        bucket = self.params.get("bucket")
        if not bucket:
            return []
        prefix = f"{self.params['workspace_prefix'].strip('/')}/{self.interview_id}/"
        with self.step(f"list workspace s3://{bucket}/{prefix}"):
            result = self.paginate("s3", "list_objects_v2", Bucket=bucket, Prefix=prefix)
        return [obj["Key"] for obj in result.get("Contents", [])]

    def read_task_definition_arns(self):
        with self.step(f"list task definitions of {self.name}"):
            result = self.paginate("ecs", "list_task_definitions", familyPrefix=self.name, status="ACTIVE")
        # familyPrefix is a prefix: keep exactly this family.
        return [
            arn for arn in result.get("taskDefinitionArns", []) if arn.split("/")[-1].rsplit(":", 1)[0] == self.name
        ]

    # -- capacity ---------------------------------------------------------

    def claim_slot(self, slots, tags):
        """Reserve one of ``max_instances`` slots with an atomic create-if-absent.

        Each slot is the SSM parameter ``<prefix>/_slots/<n>`` (n < max_instances)
        written with ``Overwrite=False``: SSM lets exactly one writer create it, so
        at most ``max_instances`` interviews hold a slot however many creates race.
        A writer that loses a slot tries the next free one; when none is left,
        slots whose owner has no service and that are older than the grace period
        are reclaimed once, then the call fails with "capacity full".
        """
        limit = self.params["max_instances"]
        path = slot_path(self.prefix)
        if slots is None:
            # A new interview first tries one random slot without listing: one call when there is room.
            name = f"{path}/{random.randrange(limit):05d}"  # noqa: S311 - spreading, not a secret
            if self.try_slot(name, tags):
                return name
            slots = self.read_slots()
        for attempt in range(2):
            taken = {p["Name"].rsplit("/", 1)[-1] for p in slots}
            free = [n for n in range(limit) if f"{n:05d}" not in taken]
            # Spread racing writers over the free slots so they rarely collide.
            random.shuffle(free)
            for n in free:
                name = f"{path}/{n:05d}"
                if self.try_slot(name, tags):
                    return name
            if attempt == 0 and self.reclaim_stale_slots(self.read_slots()):
                slots = self.read_slots()
                continue
            break
        holders = len(self.read_slots())
        raise InterviewError(
            f"Failed to create interview {self.interview_id}: capacity full "
            f"({holders} of max_instances={limit} interviews exist)"
        )

    def try_slot(self, name, tags):
        """Create the slot parameter if absent; True when this call now holds it."""
        try:
            with self.step(f"reserve capacity slot {name}"):
                response = self.call(
                    "ssm",
                    "put_parameter",
                    Name=name,
                    Value=self.interview_id,
                    Type="String",
                    Overwrite=False,
                    Tags=aws_tags(tags),
                )
        except InterviewError as e:
            if e.code == "ParameterAlreadyExists":
                return False
            raise
        if response.get("Version", 1) != 1:  # somebody else's slot was overwritten: never expected
            return False
        self.record(f"reserve capacity slot {name}", undo=lambda: self.delete_parameter(name))
        # Read it back: if a store's create-if-absent is not atomic (moto's is not), two writers
        # may both "succeed"; only the one whose value stayed holds the slot.
        with self.step(f"confirm capacity slot {name}"):
            holder = self.call("ssm", "get_parameter", Name=name)["Parameter"]["Value"]
        if holder != self.interview_id:
            self._undo.pop()  # the slot is someone else's: never delete it
            self.actions.pop()
            return False
        return True

    def reclaim_stale_slots(self, slots):
        now = utcnow()
        owners = {}
        for slot in slots:
            modified = slot.get("LastModifiedDate")
            if modified and (now - modified).total_seconds() < SLOT_GRACE_SECONDS:
                continue
            owners.setdefault(slot["Value"], []).append(slot["Name"])
        if not owners:
            return False
        alive = set()
        for batch in chunks(sorted(owners), DESCRIBE_BATCH):
            with self.step("check owners of capacity slots"):
                response = self.call(
                    "ecs", "describe_services", cluster=self.cluster, services=[resource_name(i) for i in batch]
                )
            alive.update(s["serviceName"] for s in response.get("services", []) if s.get("status") != "INACTIVE")
        reclaimed = False
        for owner, names in owners.items():
            if resource_name(owner) in alive:
                continue
            for name in names:
                self.delete_parameter(name)
                reclaimed = True
        return reclaimed

    # -- deleting pieces (used by absent and by rollback) ---------------------

    def delete_parameter(self, name):
        try:
            with self.step(f"delete SSM parameter {name}"):
                self.call("ssm", "delete_parameter", Name=name)
        except InterviewError as e:
            if e.code == "ParameterNotFound":
                return False
            raise
        return True

    def delete_service(self):
        with self.step(f"delete ECS service {self.name}"):
            self.call("ecs", "delete_service", cluster=self.cluster, service=self.name, force=True)

    def delete_task_definition(self, arn):
        with self.step(f"deregister task definition {arn}"):
            self.call("ecs", "deregister_task_definition", taskDefinition=arn)

    def delete_target_group(self, arn):
        with self.step(f"delete target group {self.tg_name}"):
            # A target group stays "in use" for a moment after its rule/service go.
            self.retry_in_use(lambda: self.call("elbv2", "delete_target_group", TargetGroupArn=arn))

    def retry_in_use(self, func, attempts=10):
        for attempt in range(attempts):
            try:
                return func()
            except botocore.exceptions.ClientError as e:
                if error_code(e) != "ResourceInUse" or attempt == attempts - 1:
                    raise
                time.sleep(min(2**attempt, 10) * random.uniform(0.5, 1.0))  # noqa: S311 - jitter
        return None

    def delete_rule(self, arn):
        with self.step("delete listener rule"):
            self.call("elbv2", "delete_rule", RuleArn=arn)

    def delete_record(self, record):
        with self.step(f"delete DNS record {record['Name']}"):
            self.call(
                "route53",
                "change_resource_record_sets",
                HostedZoneId=self.params["hosted_zone_id"],
                ChangeBatch={"Changes": [{"Action": "DELETE", "ResourceRecordSet": record}]},
            )

    def delete_objects(self, keys):
        bucket = self.params["bucket"]
        for batch in chunks(list(keys), 1000):
            with self.step(f"delete workspace files in s3://{bucket}"):
                self.call(
                    "s3",
                    "delete_objects",
                    Bucket=bucket,
                    Delete={"Objects": [{"Key": k} for k in batch], "Quiet": True},
                )

    # -- desired pieces ---------------------------------------------------

    def container_definition(self, challenge):
        container = {
            "name": CONTAINER_NAME,
            "image": self.params["image"],
            "essential": True,
            "portMappings": [{"containerPort": CONTAINER_PORT, "protocol": "tcp"}],
            "environment": [
                {"name": "INTERVIEW_ID", "value": self.interview_id},
                {"name": "CHALLENGE", "value": challenge},
            ],
            "secrets": [{"name": "PASSWORD", "valueFrom": self.password_name}],
        }
        return container

    def task_definition_matches(self, current, challenge):
        if current is None:
            return False
        containers = current.get("containerDefinitions", [])
        if len(containers) != 1:
            return False
        have = containers[0]
        want = self.container_definition(challenge)
        env = sorted((e["name"], e["value"]) for e in have.get("environment", []))
        return (
            have.get("image") == want["image"]
            and str(current.get("cpu")) == str(self.params["cpu"])
            and str(current.get("memory")) == str(self.params["memory"])
            and env == sorted((e["name"], e["value"]) for e in want["environment"])
            and [s.get("valueFrom") for s in have.get("secrets", [])] == [self.password_name]
            and (current.get("executionRoleArn") or None) == (self.params.get("execution_role_arn") or None)
            and (current.get("taskRoleArn") or None) == (self.params.get("task_role_arn") or None)
        )

    def register_task_definition(self, challenge, tags):
        kwargs = {
            "family": self.name,
            "requiresCompatibilities": ["FARGATE"],
            "networkMode": "awsvpc",
            "cpu": str(self.params["cpu"]),
            "memory": str(self.params["memory"]),
            "containerDefinitions": [self.container_definition(challenge)],
            "tags": ecs_tags(tags),
        }
        if self.params.get("execution_role_arn"):
            kwargs["executionRoleArn"] = self.params["execution_role_arn"]
        if self.params.get("task_role_arn"):
            kwargs["taskRoleArn"] = self.params["task_role_arn"]
        with self.step(f"register task definition {self.name}"):
            arn = self.call("ecs", "register_task_definition", **kwargs)["taskDefinition"]["taskDefinitionArn"]
        return arn

    def network_configuration(self):
        return {
            "awsvpcConfiguration": {
                "subnets": list(self.params["subnets"]),
                "securityGroups": list(self.params.get("security_groups") or []),
                "assignPublicIp": "ENABLED" if self.params.get("assign_public_ip") else "DISABLED",
            }
        }

    # -- present ----------------------------------------------------------

    def ensure_present(self):
        """Create or converge the interview; returns the module result."""
        validate_interview_id(self.interview_id)
        if self.params.get("expires_at"):
            parse_time(self.params["expires_at"])
        if self.params.get("ttl"):
            parse_ttl(self.params["ttl"])
        for required in ("image", "subnets", "listener_arn", "hosted_zone_id", "domain", "challenge"):
            if not self.params.get(required):
                raise InterviewError(f"state=present requires {required}")

        host = host_name(self.interview_id, self.params["domain"])
        challenge = self.params["challenge"]
        challenge_files = self.validate_challenge()
        service = self.read_service()
        lb = self.read_load_balancer()
        if service is None and not self.check_mode:
            return self.create_new(host, challenge, challenge_files, lb)
        self.read_zone()
        current_tags = tags_from_list(service.get("tags")) if service else {}
        expires_at = self.desired_expiry(current_tags.get(TAG_EXPIRES))
        tags = interview_tags(self.interview_id, challenge, expires_at, host, self.params.get("tags"))

        task_def, task_def_tags = self.read_task_definition(service["taskDefinition"]) if service else (None, {})
        target_group = self.read_target_group()
        rules = self.read_rules()
        rule = self.find_rule(rules, host, target_group["TargetGroupArn"] if target_group else None)
        record = self.read_record(host)
        password = self.read_password()
        slots = self.read_slots()
        my_slot = next((s["Name"] for s in slots if s.get("Value") == self.interview_id), None)
        workspace = self.read_workspace()

        before = self.describe_state(service, task_def, current_tags, target_group, rule, record, password, my_slot)
        desired_password = self.params.get("password")
        password_changes = password is None or (desired_password is not None and password["Value"] != desired_password)
        plan = {
            "slot": my_slot is None,
            "password": password_changes,
            "workspace": bool(self.params.get("bucket")) and not workspace and bool(challenge_files),
            "task_definition": not self.task_definition_matches(task_def, challenge),
            "target_group": target_group is None,
            "rule": rule is None,
            "service": service is None,
            "record": not self.record_matches(record, lb),
        }
        after = self.describe_state_after(before, plan, tags, expires_at)
        result_diff = {"before": before, "after": after}

        tag_drift = bool(missing_tags(current_tags, tags)) if service else False
        if self.check_mode:
            changed = any(plan.values()) or tag_drift or (service is not None and self.service_drift(service))
            return self.result(
                changed,
                result_diff,
                service_arn=service["serviceArn"] if service else None,
                host=host,
                expires_at=expires_at,
                challenge=challenge,
                planned=[k for k, v in plan.items() if v],
            )

        generated = None
        try:
            if plan["slot"]:
                my_slot = self.claim_slot(slots, tags)
            if plan["password"]:
                value = desired_password
                if value is None:
                    value = generated = generate_password()
                self.put_password(value, tags, exists=password is not None)
            if plan["workspace"]:
                self.copy_challenge(challenge_files, tags)
            if plan["task_definition"]:
                new_td = self.register_task_definition(challenge, tags)
                self.record(
                    f"register task definition {new_td}", undo=lambda arn=new_td: self.delete_task_definition(arn)
                )
            else:
                new_td = task_def["taskDefinitionArn"]
                if missing_tags(task_def_tags, tags):
                    with self.step("tag task definition"):
                        self.call("ecs", "tag_resource", resourceArn=new_td, tags=ecs_tags(tags))
                    self.record("tag task definition")
            if target_group is None:
                target_group = self.create_target_group(lb, tags)
            else:
                self.ensure_elbv2_tags(target_group["TargetGroupArn"], tags, "target group")
            if rule is None:
                rule = self.create_rule(rules, host, target_group["TargetGroupArn"], tags, my_slot)
            else:
                self.converge_rule(rule, host, target_group["TargetGroupArn"], tags)
            if service is None:
                service = self.create_service(new_td, target_group["TargetGroupArn"], tags)
            else:
                service = self.converge_service(service, new_td, tags, task_def)
            if plan["record"]:
                self.upsert_record(host, lb, record)
        except Exception as e:  # any failure: undo what this call made, then report the first cause
            self.rollback_after(e)
            raise

        service = self.waited(service)
        return self.present_result(
            self.changed, result_diff, service, host, expires_at, challenge, new_td, target_group, rule, my_slot,
            generated, lambda: generated or desired_password or (password or {}).get("Value"),
        )

    def present_result(self, changed, diff, service, host, expires_at, challenge, task_definition, target_group,
                       rule, slot, generated, password):
        """The result of state=present; ``password`` is called only when the task asked for it."""
        result = self.result(
            changed,
            diff,
            service_arn=service["serviceArn"],
            host=host,
            expires_at=expires_at,
            challenge=challenge,
            task_definition=task_definition,
            target_group_arn=target_group["TargetGroupArn"],
            rule_arn=rule["RuleArn"],
            slot=slot,
        )
        if generated is not None:
            result["password_generated"] = True
        if self.params.get("return_password"):
            result["password"] = password()
        return result

    def create_new(self, host, challenge, challenge_files, lb):
        """Fast path for a new interview: no reads beyond the service and the load balancer.

        Every create below is atomic on the AWS side (slot and password with
        Overwrite=false, target group by name, rule priority) and whatever this
        call made is removed again if a later step fails. Leftovers of an
        interrupted earlier run are adopted (and removed on rollback), never duplicated,
        except a second host rule, which state=absent removes with the first.
        """
        expires_at = self.desired_expiry(None)
        tags = interview_tags(self.interview_id, challenge, expires_at, host, self.params.get("tags"))
        desired_password = self.params.get("password")
        generated = None
        try:
            slot = self.claim_slot(None, tags)
            value = desired_password
            if value is None:
                value = generated = generate_password()
            if not self.create_password(value, tags, overwrite=desired_password is not None):
                generated = None  # an earlier run's password is kept
            if self.params.get("bucket") and challenge_files:
                self.copy_challenge(challenge_files, tags)
            task_definition = self.register_task_definition(challenge, tags)
            self.record(
                f"register task definition {task_definition}",
                undo=lambda: self.delete_task_definition(task_definition),
            )
            target_group = self.create_target_group(lb, tags)
            rule = self.create_rule(None, host, target_group["TargetGroupArn"], tags, slot)
            service_tags = dict(tags, **{TAG_SLOT: slot.rsplit("/", 1)[-1]})
            service = self.create_service(task_definition, target_group["TargetGroupArn"], service_tags)
            self.upsert_record(host, lb, None)
        except Exception as e:  # any failure: undo what this call made, then report the first cause
            self.rollback_after(e)
            raise
        service = self.waited(service)
        plan = dict.fromkeys(("slot", "password", "task_definition", "target_group", "rule", "service", "record"), True)
        before = {"exists": False}
        return self.present_result(
            True, {"before": before, "after": self.describe_state_after(before, plan, tags, expires_at)},
            service, host, expires_at, challenge, task_definition, target_group, rule, slot,
            generated, lambda: value if generated is not None or desired_password else self.read_password()["Value"],
        )

    def create_password(self, value, tags, overwrite):
        """Create the SecureString; adopt an earlier run's (overwriting it when a password was given).

        Returns True when ``value`` is now the stored password.
        """
        kwargs = {
            "Name": self.password_name,
            "Value": value,
            "Type": "SecureString",
            "Description": f"code-server password of interview {self.interview_id}",
        }
        if self.params.get("kms_key_id"):
            kwargs["KeyId"] = self.params["kms_key_id"]
        stored = True
        try:
            with self.step(f"create SSM parameter {self.password_name}"):
                self.call("ssm", "put_parameter", Tags=aws_tags(tags), **kwargs)
        except InterviewError as e:
            if e.code != "ParameterAlreadyExists":
                raise
            stored = overwrite
            if overwrite:
                with self.step(f"update SSM parameter {self.password_name}"):
                    self.call("ssm", "put_parameter", Overwrite=True, **kwargs)
        self.record(f"create password {self.password_name}", undo=lambda: self.delete_parameter(self.password_name))
        return stored

    def service_drift(self, service):
        net = service.get("networkConfiguration", {}).get("awsvpcConfiguration", {})
        want = self.network_configuration()["awsvpcConfiguration"]
        return (
            service.get("desiredCount") != 1
            or sorted(net.get("subnets", [])) != sorted(want["subnets"])
            or sorted(net.get("securityGroups", [])) != sorted(want["securityGroups"])
        )

    def record_matches(self, record, lb):
        if record is None or "AliasTarget" not in record:
            return False
        alias = record["AliasTarget"]
        return alias.get("DNSName", "").rstrip(".").lower() == lb["DNSName"].rstrip(".").lower() and alias.get(
            "HostedZoneId"
        ) == lb.get("CanonicalHostedZoneId")

    def put_password(self, value, tags, exists):
        kwargs = {
            "Name": self.password_name,
            "Value": value,
            "Type": "SecureString",
            "Description": f"code-server password of interview {self.interview_id}",
        }
        if self.params.get("kms_key_id"):
            kwargs["KeyId"] = self.params["kms_key_id"]
        if exists:
            with self.step(f"update SSM parameter {self.password_name}"):
                self.call("ssm", "put_parameter", Overwrite=True, **kwargs)
            self.record(f"update password {self.password_name}")
        else:
            with self.step(f"create SSM parameter {self.password_name}"):
                self.call("ssm", "put_parameter", Tags=aws_tags(tags), **kwargs)
            self.record(f"create password {self.password_name}", undo=lambda: self.delete_parameter(self.password_name))

    def copy_challenge(self, files, tags):
        bucket = self.params["bucket"]
        source = f"{self.params['challenge_prefix'].strip('/')}/{self.params['challenge']}/"
        target = f"{self.params['workspace_prefix'].strip('/')}/{self.interview_id}/"
        copied = []
        self.record(
            f"copy challenge files to s3://{bucket}/{target}", undo=lambda: copied and self.delete_objects(copied)
        )
        tagging = "&".join(f"{k}={v}" for k, v in sorted(tags.items()) if k in RESERVED_TAGS)
        for key in files:
            new_key = target + key[len(source) :]
            with self.step(f"copy s3://{bucket}/{key}"):
                self.call(
                    "s3",
                    "copy_object",
                    Bucket=bucket,
                    Key=new_key,
                    CopySource={"Bucket": bucket, "Key": key},
                    TaggingDirective="REPLACE",
                    Tagging=tagging,
                )
            copied.append(new_key)

    def create_target_group(self, lb, tags):
        try:
            with self.step(f"create target group {self.tg_name}"):
                group = self.call(
                    "elbv2",
                    "create_target_group",
                    Name=self.tg_name,
                    Protocol="HTTP",
                    Port=CONTAINER_PORT,
                    VpcId=lb["VpcId"],
                    TargetType="ip",
                    HealthCheckPath=self.params["health_check_path"],
                    Matcher={"HttpCode": "200-399"},
                    Tags=aws_tags(tags),
                )["TargetGroups"][0]
        except InterviewError as e:
            # An interrupted earlier run left it (with other settings): adopt it.
            group = self.read_target_group() if e.code == "DuplicateTargetGroupName" else None
            if group is None:
                raise
        self.record(
            f"create target group {self.tg_name}",
            undo=lambda arn=group["TargetGroupArn"]: self.delete_target_group(arn),
        )
        return group

    def ensure_elbv2_tags(self, arn, tags, what):
        with self.step(f"read tags of {what}"):
            descriptions = self.call("elbv2", "describe_tags", ResourceArns=[arn])["TagDescriptions"]
        current = tags_from_list(descriptions[0]["Tags"]) if descriptions else {}
        todo = missing_tags(current, tags)
        if todo:
            with self.step(f"tag {what}"):
                self.call("elbv2", "add_tags", ResourceArns=[arn], Tags=aws_tags(todo))
            self.record(f"tag {what}")

    def create_rule(self, rules, host, tg_arn, tags, slot):
        """Create the host-header rule at a free priority; a lost race picks again.

        The slot number is tried first (``priority_offset + slot``) so that
        racing creates, which hold different slots, ask for different priorities.
        """
        preferred = None
        if slot:
            preferred = self.params["priority_offset"] + int(slot.rsplit("/", 1)[-1])
        used = {int(r["Priority"]) for r in rules or [] if r.get("Priority", "default") != "default"}
        for _attempt in range(PRIORITY_ATTEMPTS):
            priority = free_priority(used, preferred)
            try:
                with self.step(f"create listener rule for {host}"):
                    rule = self.call(
                        "elbv2",
                        "create_rule",
                        ListenerArn=self.params["listener_arn"],
                        Priority=priority,
                        Conditions=[{"Field": "host-header", "HostHeaderConfig": {"Values": [host]}}],
                        Actions=[{"Type": "forward", "TargetGroupArn": tg_arn}],
                        Tags=aws_tags(tags),
                    )["Rules"][0]
            except InterviewError as e:
                if e.code == "ListenerNotFound":
                    raise InterviewError(
                        f"Failed to find listener {self.params['listener_arn']}: it does not exist", e.exception
                    ) from None
                if e.code == "PriorityInUse":
                    used.add(priority)
                    preferred = None
                    used.update(int(r["Priority"]) for r in self.read_rules() if r.get("Priority") != "default")
                    time.sleep(random.uniform(0, 0.2))  # noqa: S311 - jitter
                    continue
                raise
            self.record(
                f"create listener rule {host} (priority {priority})",
                undo=lambda arn=rule["RuleArn"]: self.delete_rule(arn),
            )
            return rule
        raise InterviewError(
            f"Failed to create listener rule for {host}: no free priority after {PRIORITY_ATTEMPTS} tries"
        )

    def converge_rule(self, rule, host, tg_arn, tags):
        forwards = [a.get("TargetGroupArn") for a in rule.get("Actions", [])]
        if forwards != [tg_arn]:
            with self.step(f"update listener rule for {host}"):
                self.call(
                    "elbv2",
                    "modify_rule",
                    RuleArn=rule["RuleArn"],
                    Conditions=[{"Field": "host-header", "HostHeaderConfig": {"Values": [host]}}],
                    Actions=[{"Type": "forward", "TargetGroupArn": tg_arn}],
                )
            self.record(f"update listener rule {host}")
        self.ensure_elbv2_tags(rule["RuleArn"], tags, "listener rule")

    def create_service(self, task_definition, tg_arn, tags):
        with self.step(f"create ECS service {self.name}"):
            service = self.call(
                "ecs",
                "create_service",
                cluster=self.cluster,
                serviceName=self.name,
                taskDefinition=task_definition,
                desiredCount=1,
                launchType="FARGATE",
                networkConfiguration=self.network_configuration(),
                loadBalancers=[
                    {"targetGroupArn": tg_arn, "containerName": CONTAINER_NAME, "containerPort": CONTAINER_PORT}
                ],
                tags=ecs_tags(tags),
                propagateTags="SERVICE",
                enableECSManagedTags=True,
            )["service"]
        self.record(f"create ECS service {self.name}", undo=self.delete_service)
        return service

    def converge_service(self, service, task_definition, tags, old_task_def):
        update = {}
        if service.get("taskDefinition") != task_definition:
            update["taskDefinition"] = task_definition
        if self.service_drift(service):
            update["desiredCount"] = 1
            update["networkConfiguration"] = self.network_configuration()
        if update:
            with self.step(f"update ECS service {self.name}"):
                service = self.call("ecs", "update_service", cluster=self.cluster, service=self.name, **update)[
                    "service"
                ]
            self.record(f"update ECS service {self.name}")
            if "taskDefinition" in update and old_task_def:
                self.delete_task_definition(old_task_def["taskDefinitionArn"])
        current = tags_from_list(service.get("tags"))
        todo = missing_tags(current, tags)
        if todo:
            with self.step(f"tag ECS service {self.name}"):
                self.call("ecs", "tag_resource", resourceArn=service["serviceArn"], tags=ecs_tags(todo))
            self.record(f"tag ECS service {self.name}")
            service = dict(service, tags=ecs_tags(dict(current, **todo)))
        return service

    def upsert_record(self, host, lb, previous):
        record = {
            "Name": host + ".",
            "Type": "A",
            "AliasTarget": {
                "HostedZoneId": lb["CanonicalHostedZoneId"],
                "DNSName": lb["DNSName"],
                "EvaluateTargetHealth": False,
            },
        }
        zone_id = self.params["hosted_zone_id"]
        try:
            with self.step(f"write DNS record {host}"):
                self.call(
                    "route53",
                    "change_resource_record_sets",
                    HostedZoneId=zone_id,
                    ChangeBatch={
                        "Comment": f"interview {self.interview_id}",
                        "Changes": [{"Action": "UPSERT", "ResourceRecordSet": record}],
                    },
                )
        except InterviewError as e:
            if e.code == "NoSuchHostedZone":
                raise InterviewError(f"Failed to find hosted zone {zone_id}: it does not exist", e.exception) from None
            raise
        if previous is None:
            self.record(f"create DNS record {host}", undo=lambda: self.delete_record(record))
        else:
            self.record(f"update DNS record {host}")

    # -- absent -----------------------------------------------------------

    def ensure_absent(self):
        validate_interview_id(self.interview_id)
        service = self.read_service()
        current_tags = tags_from_list(service.get("tags")) if service else {}
        host = None
        if self.params.get("domain"):
            host = host_name(self.interview_id, self.params["domain"])
        elif current_tags.get(TAG_HOST):
            host = current_tags[TAG_HOST]
        # With the service present, its tags, task definition and load balancer name the slot,
        # the revision and the target group, and the password is deleted by name: fewer reads.
        # Check mode and leftovers of an interrupted run (no service) read every piece.
        fast = service is not None and not self.check_mode
        target_group = None
        if fast and service.get("loadBalancers"):
            target_group = {"TargetGroupArn": service["loadBalancers"][0]["targetGroupArn"]}
        elif not fast:
            target_group = self.read_target_group()
        # The revision the service runs; without a service, every ACTIVE revision of the family.
        task_defs = [service["taskDefinition"]] if fast else self.read_task_definition_arns()
        rules = []
        if self.params.get("listener_arn"):
            rules = self.find_rules(self.read_rules(), host, target_group["TargetGroupArn"] if target_group else None)
        record = None
        if self.params.get("hosted_zone_id") and host:
            record = self.read_record(host)
        if fast:
            password = True
            slot = current_tags.get(TAG_SLOT)
            slots = [f"{slot_path(self.prefix)}/{slot}"] if slot else None
        else:
            password = self.read_password() is not None
            slots = None
        if slots is None:
            slots = [p["Name"] for p in self.read_slots() if p.get("Value") == self.interview_id]
        workspace = self.read_workspace()

        pieces = {
            "record": record is not None,
            "rules": len(rules),
            "service": service is not None,
            "target_group": target_group is not None,
            "task_definitions": len(task_defs),
            "password": password,
            "workspace_files": len(workspace),
            "slots": len(slots),
        }
        before = {"exists": any(pieces.values()), "pieces": pieces}
        after = {
            "exists": False,
            "pieces": {k: (False if isinstance(v, bool) else 0) for k, v in pieces.items()},
        }
        changed = any(pieces.values())
        if self.check_mode or not changed:
            return self.result(changed, {"before": before, "after": after}, removed=[])

        if record is not None:
            self.delete_record(record)
            self.record(f"delete DNS record {host}")
        for rule in rules:
            self.delete_rule(rule["RuleArn"])
            self.record("delete listener rule")
        if service is not None:
            self.delete_service()
            self.record(f"delete ECS service {self.name}")
        if target_group is not None:
            self.delete_target_group(target_group["TargetGroupArn"])
            self.record(f"delete target group {self.tg_name}")
        for arn in task_defs:
            self.delete_task_definition(arn)
            self.record(f"deregister task definition {arn}")
        if password and self.delete_parameter(self.password_name):
            self.record(f"delete password {self.password_name}")
        if workspace:
            self.delete_objects(workspace)
            self.record(f"delete {len(workspace)} workspace files")
        for name in slots:
            if self.delete_parameter(name):
                self.record(f"release capacity slot {name}")
        return self.result(True, {"before": before, "after": after}, removed=list(self.actions))

    # -- result helpers ---------------------------------------------------

    def describe_state(self, service, task_def, tags, target_group, rule, record, password, slot):
        if not any((service, task_def, target_group, rule, record, password, slot)):
            return {"exists": False}
        container = (task_def or {}).get("containerDefinitions", [{}])[0] if task_def else {}
        return {
            "exists": service is not None,
            "image": container.get("image"),
            "cpu": str(task_def.get("cpu")) if task_def else None,
            "memory": str(task_def.get("memory")) if task_def else None,
            "challenge": tags.get(TAG_CHALLENGE),
            "expires_at": tags.get(TAG_EXPIRES),
            "tags": {k: v for k, v in sorted(tags.items()) if not k.startswith("aws:")},
            "pieces": {
                "slot": slot is not None,
                "password": password is not None,
                "task_definition": task_def is not None,
                "target_group": target_group is not None,
                "rule": rule is not None,
                "service": service is not None,
                "record": record is not None,
            },
        }

    def describe_state_after(self, before, plan, tags, expires_at):
        return {
            "exists": True,
            "image": self.params["image"],
            "cpu": str(self.params["cpu"]),
            "memory": str(self.params["memory"]),
            "challenge": self.params["challenge"],
            "expires_at": expires_at,
            "tags": dict(sorted(dict(before.get("tags") or {}, **tags).items())),
            "pieces": {
                k: True for k in ("slot", "password", "task_definition", "target_group", "rule", "service", "record")
            },
        }

    def result(self, changed, diff, **extra):
        result = {"changed": changed, "interview_id": self.interview_id, "actions": list(self.actions)}
        if self.module._diff:
            result["diff"] = diff
        result.update({k: v for k, v in extra.items() if v is not None or k in ("service_arn",)})
        if "host" in result:
            result["url"] = f"https://{result['host']}"
        return result


class InterviewInfo:
    """Reads interviews for interview_info."""

    def __init__(self, module):
        self.module = module
        self.retry = make_retry(module.params.get("retries", 8))
        self.ecs = module.client("ecs", retry_decorator=self.retry, config=BOTOCORE_CONFIG)

    def run(self):
        cluster = self.module.params["cluster"]
        interview_id = self.module.params.get("interview_id")
        now = utcnow()
        try:
            if interview_id:
                validate_interview_id(interview_id)
                response = self.ecs.describe_services(
                    aws_retry=True, cluster=cluster, services=[resource_name(interview_id)], include=["TAGS"]
                )
                services = [s for s in response.get("services", []) if is_interview_service(s)]
            else:
                services = list_interview_services(self.ecs.client, cluster, retry=self.retry)
        except (botocore.exceptions.BotoCoreError, botocore.exceptions.ClientError) as e:
            raise InterviewError(f"Failed to list interviews in cluster {cluster}", exception=e) from e
        interviews = [summarise_service(s, cluster, self.module.region, now) for s in services]
        if self.module.params.get("expired_only"):
            interviews = [i for i in interviews if i["expired"]]
        interviews.sort(key=lambda i: i["interview_id"])
        return {"changed": False, "interviews": interviews, "count": len(interviews)}


def run_module(module, manager_class):
    """Thin main(): run the manager and turn InterviewError into fail_json(_aws)."""
    if module.params.get("return_password") and not module.no_log:
        # The password may only travel in a result Ansible never prints or logs.
        module.fail_json(msg="return_password=true needs no_log: true on the task, so the password is never shown")
    try:
        manager = manager_class(module)
        if manager_class is InterviewManager:
            state = module.params["state"]
            result = manager.ensure_present() if state == "present" else manager.ensure_absent()
        else:
            result = manager.run()
    except InterviewError as e:
        if e.exception is not None:
            module.fail_json_aws(e.exception, msg=e.message)
        module.fail_json(msg=e.message)
    module.exit_json(**result)
