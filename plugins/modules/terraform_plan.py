#!/usr/bin/python
# Copyright: (c) 2026, interviewops platform team
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: terraform_plan
short_description: Make a Terraform/OpenTofu plan artifact that can be applied safely later
version_added: 0.1.0
description:
  - Runs C(init) (with backend configuration), selects or creates the workspace, and runs C(plan -out).
  - Writes a plan artifact, the plan file plus a summary file next to it (C(<plan_file>.summary.json)) holding
    the add/change/destroy/replace counts and addresses taken from C(show -json), the sha256 of the plan file
    and the serial and lineage of the state the plan was made from.
    M(interviewops.platform.terraform_apply) applies exactly that artifact or refuses it.
  - RV(ignore:changed) is true exactly when the plan has changes (resources or outputs), read from the plan's
    JSON representation, never from text.
  - A plan that destroys or replaces a protected resource fails unless O(allow_destroy) names it.
author:
  - interviewops platform team (@interviewops)
extends_documentation_fragment:
  - interviewops.platform.terraform
options:
  plan_file:
    description:
      - Where to write the plan file. Its folder is created (mode 0700) when missing.
      - The summary is written to C(<plan_file>.summary.json).
    type: path
    required: true
  state:
    description:
      - V(present) plans to reach the configuration; V(absent) plans to destroy everything (C(-destroy)).
    type: str
    choices: [present, absent]
    default: present
  variables:
    description:
      - Input variables. They are passed through a temporary file (mode 0600, removed afterwards), never on the
        command line, and their values never appear in results or error messages.
    type: dict
    default: {}
  variables_files:
    description:
      - C(.tfvars) files passed as C(-var-file).
    type: list
    elements: path
    default: []
  targets:
    description:
      - Resource addresses to limit the plan to (C(-target)).
    type: list
    elements: str
    default: []
  replace:
    description:
      - Resource addresses to force to be replaced (C(-replace)). Protection still applies to them.
    type: list
    elements: str
    default: []
  refresh:
    description:
      - Refresh the state before planning.
    type: bool
    default: true
  protected_addresses:
    description:
      - Address patterns (shell-style, for example C(docker_volume.*) or C(module.db.*)) of resources that must
        not be destroyed or replaced.
    type: list
    elements: str
    default: []
  protected_types:
    description:
      - Resource types (shell-style patterns, for example C(aws_s3_bucket)) that must not be destroyed or replaced.
    type: list
    elements: str
    default: []
  allow_destroy:
    description:
      - Address patterns of protected resources that this plan may destroy or replace.
    type: list
    elements: str
    default: []
attributes:
  check_mode:
    support: full
    description: Can run in check_mode and return changed status prediction without modifying target.
    details:
      - A plan changes no infrastructure, so it runs in check mode too and reports the same RV(ignore:changed).
        In check mode a missing workspace is not created; the module reports that it would be.
  diff_mode:
    support: full
    description: Will return details on what has changed (or possibly needs changing in check_mode), when in diff mode.
    details:
      - Shows the before and after of every resource that changes, with sensitive values redacted.
"""

EXAMPLES = r"""
- name: Plan the shared AWS infrastructure for production
  interviewops.platform.terraform_plan:
    project_path: "{{ playbook_dir }}/../terraform/aws_shared"
    workspace: production
    plan_file: /var/lib/interviewops/plans/aws_shared-production.tfplan
    backend_config:
      bucket: interviewops-tfstate
      key: aws_shared.tfstate
      region: eu-west-1
      dynamodb_table: interviewops-tflock
    variables:
      environment: production
      domain_name: interviewops.dev
    protected_types: [aws_s3_bucket, aws_route53_zone]
  register: plan

- name: Allow replacing the volume this once
  interviewops.platform.terraform_plan:
    project_path: terraform/local
    plan_file: /tmp/local.tfplan
    replace: [docker_volume.postgres_data]
    protected_types: [docker_volume]
    allow_destroy: [docker_volume.postgres_data]
"""

RETURN = r"""
plan_file:
  description: Absolute path of the plan file.
  returned: when a plan was made
  type: str
summary_file:
  description: Absolute path of the plan summary (JSON) written beside the plan file.
  returned: when a plan was made
  type: str
sha256:
  description:
    - sha256 of the plan file.
    - Pass it to M(interviewops.platform.terraform_apply) as
      O(interviewops.platform.terraform_apply#module:plan_sha256).
  returned: when a plan was made
  type: str
serial:
  description: Serial of the state the plan was made from (null when there was no state yet).
  returned: when a plan was made
  type: int
lineage:
  description: Lineage of the state the plan was made from (null when there was no state yet).
  returned: when a plan was made
  type: str
workspace:
  description: The workspace planned in.
  returned: always
  type: str
counts:
  description:
    - How many resources the plan adds, changes, destroys, replaces or forgets.
    - A replacement is counted under C(replace) only (not also under C(add) and C(destroy)).
  returned: when a plan was made
  type: dict
  sample: {add: 2, change: 1, destroy: 0, replace: 1, forget: 0}
addresses:
  description: The resource addresses behind each count.
  returned: when a plan was made
  type: dict
  sample: {add: [docker_volume.data], change: [], destroy: [], replace: [], forget: []}
output_changes:
  description: Names of root module outputs the plan changes.
  returned: when a plan was made
  type: list
  elements: str
binary:
  description: Name (V(tofu) or V(terraform)) and version of the binary that made the plan.
  returned: always
  type: dict
"""

from ansible.module_utils.basic import AnsibleModule
from ansible_collections.interviewops.platform.plugins.module_utils._terraform import (
    TerraformPlan,
    common_argument_spec,
    run_module,
)


def main():
    argument_spec = common_argument_spec()
    argument_spec.update(
        plan_file={"type": "path", "required": True},
        state={"type": "str", "choices": ["present", "absent"], "default": "present"},
        variables={"type": "dict", "default": {}, "no_log": False},
        variables_files={"type": "list", "elements": "path", "default": []},
        targets={"type": "list", "elements": "str", "default": []},
        replace={"type": "list", "elements": "str", "default": []},
        refresh={"type": "bool", "default": True},
        protected_addresses={"type": "list", "elements": "str", "default": []},
        protected_types={"type": "list", "elements": "str", "default": []},
        allow_destroy={"type": "list", "elements": "str", "default": []},
    )
    module = AnsibleModule(argument_spec=argument_spec, supports_check_mode=True)
    run_module(module, TerraformPlan)


if __name__ == "__main__":
    main()
