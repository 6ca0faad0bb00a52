#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, interviewops platform team
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: interview_service
short_description: Create, update and destroy one per-interview code-server environment on ECS Fargate
version_added: 0.1.0
description:
  - Manages every AWS piece of one interview as a unit, tagged with C(interview-id), C(expires-at),
    C(challenge), C(managed-by) and C(interview-host). The service also carries C(interview-slot)
  - "The pieces: an ECS task definition and Fargate service running code-server, an ALB target group,
    a host-header listener rule, a Route53 alias record C(<interview_id>.<domain>), an SSM SecureString
    holding the password, a capacity slot (SSM parameter), and optionally the challenge files copied
    from S3 into the interview's workspace prefix."
  - O(state=present) is idempotent. Calling it again with the same inputs reports no change and registers
    no new task-definition revision. Changed inputs are applied in place.
  - "If any AWS call fails half way, the module removes what this call created (newest first) and fails
    with C(Failed to <step>: <cause>). Nothing half made is left behind."
  - O(state=absent) removes every piece that exists and reports no change when nothing is left. When the
    ECS service still exists, its tags and settings name the other pieces. Without it (leftovers of an
    interrupted run), every piece is looked up by name.
  - "B(AWS calls.) A new interview costs about ten calls. Only the service and the load balancer are read
    first. Every create after that is atomic on the AWS side, and a missing hosted zone, listener or
    permission fails at its own step and rolls back. An existing interview is read piece by piece, so that
    check mode, diff and convergence are exact."
  - "B(Capacity under concurrency.) O(max_instances) is enforced with slots. A slot is the SSM parameter
    C(<parameter_prefix>/_slots/<n>) for C(n < max_instances), written with C(Overwrite=false). SSM lets
    exactly one writer create a parameter, so however many creates race, at most O(max_instances)
    interviews hold a slot. The writer then reads the slot back and only holds it if its own value is
    there, which also guards stores whose create-if-absent is not atomic. A writer that loses a slot
    tries another free one. When none is free, slots whose owner has no ECS service and are older than
    10 minutes (left by an interrupted run) are reclaimed once. After that the module fails with
    C(capacity full). The slot is taken before anything else is created and released on rollback and
    by O(state=absent)."
  - "B(Listener-rule priority.) The rule first asks for priority O(priority_offset) + slot number. Racing
    creates hold different slots, so they ask for different priorities. If that priority is in use, the
    module takes the lowest free priority. ELBv2 rejects a duplicate priority with C(PriorityInUse), and
    the module then re-reads the rules and picks again, up to 25 times."
  - Retries use AWSRetry with jittered exponential backoff on throttling and 5xx errors, up to O(retries)
    times per call. botocore's own retries are off, so this is the only bound. Then the module fails with a
    clear message and rolls back.
author:
  - interviewops platform team (@interviewops)
options:
  interview_id:
    description:
      - Identifier of the interview. It becomes the DNS label C(<interview_id>.<domain>).
      - 3 to 32 lowercase letters, digits and hyphens, starting and ending with a letter or digit.
    type: str
    required: true
  state:
    description:
      - V(present) creates or updates the interview, V(absent) removes all of its pieces.
    type: str
    choices: [present, absent]
    default: present
  cluster:
    description: Name or ARN of the ECS cluster.
    type: str
    required: true
  challenge:
    description:
      - Challenge of the interview. One of V(python), V(javascript) and V(sql), or any name that has files
        under O(challenge_prefix)C(/<challenge>/) in O(bucket).
      - Required when O(state=present).
    type: str
  image:
    description: Container image of code-server. Required when O(state=present).
    type: str
  cpu:
    description: Fargate CPU units of the task.
    type: int
    default: 1024
  memory:
    description: Fargate memory of the task in MiB.
    type: int
    default: 2048
  subnets:
    description: Subnet IDs for the Fargate tasks. Required when O(state=present).
    type: list
    elements: str
  security_groups:
    description: Security group IDs for the Fargate tasks.
    type: list
    elements: str
    default: []
  assign_public_ip:
    description: Give the tasks a public IP (only for public subnets without a NAT gateway).
    type: bool
    default: false
  listener_arn:
    description:
      - ARN of the shared ALB's HTTPS listener that gets the host-header rule.
      - Required when O(state=present). With O(state=absent), the rule is removed only when it is given.
    type: str
  hosted_zone_id:
    description:
      - Route53 hosted zone that holds O(domain).
      - Required when O(state=present). With O(state=absent), the DNS record is removed only when it is given.
    type: str
  domain:
    description:
      - Domain under which the interview is reachable as C(<interview_id>.<domain>).
      - Required when O(state=present). With O(state=absent), the C(interview-host) tag is used when omitted.
    type: str
  ttl:
    description:
      - Lifetime of a new interview, such as V(90m), V(2h) or V(1d). Used only when the interview is created.
        An existing interview keeps its C(expires-at) unless O(expires_at) is given.
      - Defaults to V(2h) when neither O(ttl) nor O(expires_at) is given.
    type: str
  expires_at:
    description:
      - Exact expiry in ISO 8601, UTC (for example V(2026-05-01T18:00:00Z)). Also extends or shortens an
        existing interview.
    type: str
  max_instances:
    description:
      - Most interviews that may exist at once under O(parameter_prefix). Enforced with atomic capacity
        slots even when creates race. See the description.
    type: int
    default: 10
  password:
    description:
      - code-server password. It is stored as an SSM SecureString at
        O(parameter_prefix)C(/<interview_id>/password).
      - When omitted, an existing password is kept, or a random 24-character one is generated for a new
        interview.
    type: str
  return_password:
    description:
      - Return the password in RV(password).
      - Only allowed when the task has C(no_log) set to V(true), so the result is never printed or logged. Otherwise
        the module fails before it does anything.
    type: bool
    default: false
  parameter_prefix:
    description: SSM path under which passwords and capacity slots are stored.
    type: str
    default: /interviewops/interviews
  kms_key_id:
    description: KMS key for the SecureString. The account's default SSM key is used when omitted.
    type: str
  bucket:
    description:
      - S3 bucket that holds challenge files. When given, the files under O(challenge_prefix)C(/<challenge>/)
        are copied into O(workspace_prefix)C(/<interview_id>/) when the interview is created, and removed with it.
    type: str
  challenge_prefix:
    description: Key prefix of the challenge files in O(bucket).
    type: str
    default: challenge
  workspace_prefix:
    description: Key prefix of the interview workspaces in O(bucket).
    type: str
    default: workspaces
  execution_role_arn:
    description: Task execution role (needed by Fargate to read the password secret and pull the image).
    type: str
  task_role_arn:
    description: IAM role of the code-server task.
    type: str
  health_check_path:
    description: HTTP path the target group checks.
    type: str
    default: /healthz
  priority_offset:
    description: First listener-rule priority tried for the interview (plus its slot number).
    type: int
    default: 1000
  tags:
    description:
      - Extra tags for every piece. The reserved tags C(interview-id), C(expires-at), C(challenge),
        C(managed-by) and C(interview-host) always win. Tags are added or updated, never removed.
    type: dict
    default: {}
  wait:
    description:
      - Wait until the service runs its desired task count with one deployment.
    type: bool
    default: false
  wait_timeout:
    description: Seconds to wait when O(wait=true).
    type: int
    default: 600
  retries:
    description:
      - How often a throttled or 5xx-failed AWS call is retried with jittered exponential backoff before
        the module gives up.
    type: int
    default: 8
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
attributes:
  check_mode:
    support: full
    description: Reads every piece and reports what would be created, updated or removed, without changing anything.
  diff_mode:
    support: full
    description: Shows the interview (image, size, challenge, expiry, tags, which pieces exist) before and after.
notes:
  - moto does not run ECS tasks, so O(wait=true) only finishes against real AWS or when the desired count is 0.
  - The password is never part of the diff, the error messages or the log.
seealso:
  - module: interviewops.platform.interview_info
"""

EXAMPLES = r"""
- name: Create an interview for two hours
  interviewops.platform.interview_service:
    interview_id: cand-42
    cluster: interviews
    challenge: python
    image: 123456789012.dkr.ecr.eu-west-1.amazonaws.com/code-server:4.96
    subnets: [subnet-0123456789abcdef0]
    security_groups: [sg-0123456789abcdef0]
    listener_arn: "{{ shared_listener_arn }}"
    hosted_zone_id: Z0123456789ABCDEFGHIJ
    domain: interviews.example.com
    ttl: 2h
    max_instances: 20
    bucket: interviewops-instance
  register: interview

- name: Read the generated password once, without logging it
  interviewops.platform.interview_service:
    interview_id: cand-42
    cluster: interviews
    challenge: python
    image: 123456789012.dkr.ecr.eu-west-1.amazonaws.com/code-server:4.96
    subnets: [subnet-0123456789abcdef0]
    listener_arn: "{{ shared_listener_arn }}"
    hosted_zone_id: Z0123456789ABCDEFGHIJ
    domain: interviews.example.com
    return_password: true
  register: interview_secret
  no_log: true

- name: Extend the interview by setting a new expiry
  interviewops.platform.interview_service:
    interview_id: cand-42
    cluster: interviews
    challenge: python
    image: 123456789012.dkr.ecr.eu-west-1.amazonaws.com/code-server:4.96
    subnets: [subnet-0123456789abcdef0]
    listener_arn: "{{ shared_listener_arn }}"
    hosted_zone_id: Z0123456789ABCDEFGHIJ
    domain: interviews.example.com
    expires_at: "2026-05-01T18:00:00Z"

- name: Remove the interview and everything it owns
  interviewops.platform.interview_service:
    interview_id: cand-42
    state: absent
    cluster: interviews
    listener_arn: "{{ shared_listener_arn }}"
    hosted_zone_id: Z0123456789ABCDEFGHIJ
    domain: interviews.example.com
    bucket: interviewops-instance
"""

RETURN = r"""
interview_id:
  description: The interview.
  returned: always
  type: str
  sample: cand-42
url:
  description: Address of the interview's code-server.
  returned: when state=present
  type: str
  sample: https://cand-42.interviews.example.com
host:
  description: DNS name of the interview.
  returned: when state=present
  type: str
  sample: cand-42.interviews.example.com
expires_at:
  description: Expiry of the interview (ISO 8601, UTC), also in the C(expires-at) tag.
  returned: when state=present
  type: str
  sample: "2026-05-01T18:00:00Z"
challenge:
  description: Challenge of the interview.
  returned: when state=present
  type: str
  sample: python
service_arn:
  description: ARN of the ECS service (null in check mode for a new interview).
  returned: when state=present
  type: str
  sample: arn:aws:ecs:eu-west-1:123456789012:service/interviews/interview-cand-42
task_definition:
  description: ARN of the task-definition revision the service runs.
  returned: when state=present and not in check mode
  type: str
  sample: arn:aws:ecs:eu-west-1:123456789012:task-definition/interview-cand-42:1
target_group_arn:
  description: ARN of the interview's target group.
  returned: when state=present and not in check mode
  type: str
rule_arn:
  description: ARN of the host-header listener rule.
  returned: when state=present and not in check mode
  type: str
slot:
  description: SSM parameter name of the capacity slot the interview holds.
  returned: when state=present and not in check mode
  type: str
  sample: /interviewops/interviews/_slots/00003
planned:
  description: Pieces that would be created or replaced (check mode only).
  returned: in check mode with state=present
  type: list
  elements: str
  sample: [slot, password, task_definition, target_group, rule, service, record]
actions:
  description: What this call changed, in order.
  returned: always
  type: list
  elements: str
  sample: ["reserve capacity slot /interviewops/interviews/_slots/00003", "create ECS service interview-cand-42"]
removed:
  description: What O(state=absent) removed.
  returned: when state=absent
  type: list
  elements: str
password_generated:
  description: Whether a new password was generated by this call.
  returned: when a password was generated
  type: bool
password:
  description:
    - The code-server password (the task has C(no_log), see O(return_password)).
  returned: when O(return_password=true) and not in check mode
  type: str
"""

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule

from ansible_collections.interviewops.platform.plugins.module_utils._interviews import InterviewManager
from ansible_collections.interviewops.platform.plugins.module_utils._interviews import run_module


def main():
    argument_spec = dict(
        interview_id=dict(type="str", required=True),
        state=dict(type="str", choices=["present", "absent"], default="present"),
        cluster=dict(type="str", required=True),
        challenge=dict(type="str"),
        image=dict(type="str"),
        cpu=dict(type="int", default=1024),
        memory=dict(type="int", default=2048),
        subnets=dict(type="list", elements="str"),
        security_groups=dict(type="list", elements="str", default=[]),
        assign_public_ip=dict(type="bool", default=False),
        listener_arn=dict(type="str"),
        hosted_zone_id=dict(type="str"),
        domain=dict(type="str"),
        ttl=dict(type="str"),
        expires_at=dict(type="str"),
        max_instances=dict(type="int", default=10),
        password=dict(type="str", no_log=True),
        return_password=dict(type="bool", default=False, no_log=False),
        parameter_prefix=dict(type="str", default="/interviewops/interviews"),
        kms_key_id=dict(type="str"),
        bucket=dict(type="str"),
        challenge_prefix=dict(type="str", default="challenge"),
        workspace_prefix=dict(type="str", default="workspaces"),
        execution_role_arn=dict(type="str"),
        task_role_arn=dict(type="str"),
        health_check_path=dict(type="str", default="/healthz"),
        priority_offset=dict(type="int", default=1000),
        tags=dict(type="dict", default={}),
        wait=dict(type="bool", default=False),
        wait_timeout=dict(type="int", default=600),
        retries=dict(type="int", default=8),
    )
    module = AnsibleAWSModule(
        argument_spec=argument_spec,
        supports_check_mode=True,
        mutually_exclusive=[("ttl", "expires_at")],
        required_if=[
            ("state", "present", ("challenge", "image", "subnets", "listener_arn", "hosted_zone_id", "domain")),
        ],
    )
    if module.params["max_instances"] < 1:
        module.fail_json(msg="max_instances must be at least 1")
    run_module(module, InterviewManager)


if __name__ == "__main__":
    main()
