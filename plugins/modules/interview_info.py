#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, interviewops platform team
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: interview_info
short_description: List per-interview code-server environments with status, URL and expiry
version_added: 0.1.0
description:
  - Returns one interview or all interviews of an ECS cluster that M(interviewops.platform.interview_service)
    manages (ECS services tagged C(managed-by=interviewops.platform)).
  - Listing all uses C(ListServices) pages of 100 and C(DescribeServices) with tags in batches of 10,
    with no call per interview.
author:
  - interviewops platform team (@interviewops)
options:
  cluster:
    description: Name or ARN of the ECS cluster.
    type: str
    required: true
  interview_id:
    description: Return only this interview. All interviews are returned when omitted.
    type: str
  expired_only:
    description: Return only interviews whose C(expires-at) has passed.
    type: bool
    default: false
  retries:
    description: How often a throttled AWS call is retried with jittered backoff.
    type: int
    default: 8
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
attributes:
  check_mode:
    support: full
    description: Only reads.
  diff_mode:
    support: none
    description: Nothing changes, so there is nothing to diff.
seealso:
  - module: interviewops.platform.interview_service
"""

EXAMPLES = r"""
- name: All interviews of the cluster
  interviewops.platform.interview_info:
    cluster: interviews
  register: all_interviews

- name: Only the expired ones
  interviewops.platform.interview_info:
    cluster: interviews
    expired_only: true
  register: expired

- name: One interview
  interviewops.platform.interview_info:
    cluster: interviews
    interview_id: cand-42
  register: one
"""

RETURN = r"""
count:
  description: Number of interviews returned.
  returned: always
  type: int
  sample: 2
interviews:
  description: The interviews, sorted by id.
  returned: always
  type: list
  elements: dict
  contains:
    interview_id:
      description: The interview.
      type: str
      sample: cand-42
    status:
      description: V(running), V(pending) (tasks starting), V(stopped) (desired count 0) or V(draining).
      type: str
      sample: running
    url:
      description: Address of the interview.
      type: str
      sample: https://cand-42.interviews.example.com
    host:
      description: DNS name of the interview.
      type: str
    challenge:
      description: Challenge of the interview.
      type: str
      sample: python
    expires_at:
      description: Expiry, ISO 8601 UTC.
      type: str
      sample: "2026-05-01T18:00:00Z"
    expired:
      description: Whether the expiry has passed.
      type: bool
    remaining_seconds:
      description: Seconds left until expiry (0 when expired).
      type: int
    service_name:
      description: Name of the ECS service.
      type: str
    service_arn:
      description: ARN of the ECS service.
      type: str
    task_definition:
      description: ARN of the running task definition.
      type: str
    desired_count:
      description: Desired task count.
      type: int
    running_count:
      description: Running task count.
      type: int
    cluster:
      description: Cluster of the service.
      type: str
    region:
      description: AWS region.
      type: str
    tags:
      description: Tags of the service.
      type: dict
"""

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule

from ansible_collections.interviewops.platform.plugins.module_utils._interviews import InterviewInfo
from ansible_collections.interviewops.platform.plugins.module_utils._interviews import run_module


def main():
    argument_spec = dict(
        cluster=dict(type="str", required=True),
        interview_id=dict(type="str"),
        expired_only=dict(type="bool", default=False),
        retries=dict(type="int", default=8),
    )
    module = AnsibleAWSModule(argument_spec=argument_spec, supports_check_mode=True)
    run_module(module, InterviewInfo)


if __name__ == "__main__":
    main()
