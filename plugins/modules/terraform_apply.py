#!/usr/bin/python
# Copyright: (c) 2026, interviewops platform team
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: terraform_apply
short_description: Apply exactly one Terraform/OpenTofu plan artifact, refusing stale or tampered plans
version_added: 0.1.0
description:
  - Applies a plan file made by M(interviewops.platform.terraform_plan), and nothing else.
  - Before applying it checks that the plan file's sha256 matches the artifact (or O(plan_sha256)),
    and that the state's serial and lineage are still the ones the plan was made from; otherwise it
    fails with C(tampered plan:) or C(stale plan:) and applies nothing. A plan job and an apply job
    (for example two AWX job templates with an approval between them) are safe this way.
  - RV(ignore:changed) is the plan's own verdict (from its JSON); a plan without changes is not applied.
  - Root module outputs are returned as RV(outputs); sensitive ones are left out unless
    O(return_sensitive_outputs) is set.
author:
  - interviewops platform team (@interviewops)
extends_documentation_fragment:
  - interviewops.platform.terraform
options:
  plan_file:
    description:
      - The plan file written by M(interviewops.platform.terraform_plan).
    type: path
    required: true
  summary_file:
    description:
      - The plan summary. Default is C(<plan_file>.summary.json).
    type: path
  plan_sha256:
    description:
      - The sha256 the plan job reported (RV(interviewops.platform.terraform_plan#module:sha256)).
      - Default is the one in the summary file. Passing it from the plan job guards against
        both files being replaced.
    type: str
  return_sensitive_outputs:
    description:
      - Also return the values of sensitive outputs in RV(outputs). Use C(no_log) on the task when you do.
    type: bool
    default: false
attributes:
  check_mode:
    support: full
    description: Can run in check_mode and return changed status prediction without modifying target.
    details:
      - Verifies the artifact (sha256, state serial and lineage) and reports RV(ignore:changed) without applying.
  diff_mode:
    support: none
    description: The plan module shows the diff; applying it has nothing more to show.
"""

EXAMPLES = r"""
- name: Apply the plan made (and approved) earlier
  interviewops.platform.terraform_apply:
    project_path: "{{ playbook_dir }}/../terraform/aws_shared"
    workspace: production
    plan_file: /var/lib/interviewops/plans/aws_shared-production.tfplan
    plan_sha256: "{{ plan_sha256 }}"
    backend_config:
      bucket: interviewops-tfstate
      key: aws_shared.tfstate
      region: eu-west-1
      dynamodb_table: interviewops-tflock
  register: applied

- name: Use an output
  ansible.builtin.debug:
    msg: "{{ applied.outputs.ecs_cluster_name }}"
"""

RETURN = r"""
outputs:
  description: Root module outputs after the apply (sensitive ones only with O(return_sensitive_outputs)).
  returned: success and not in check mode
  type: dict
  sample: {postgres_port: 15432}
sensitive_outputs:
  description: Names of the sensitive outputs.
  returned: success and not in check mode
  type: list
  elements: str
counts:
  description: The counts of the applied plan (see M(interviewops.platform.terraform_plan)).
  returned: success
  type: dict
addresses:
  description: The addresses of the applied plan.
  returned: success
  type: dict
sha256:
  description: sha256 of the applied plan file.
  returned: success
  type: str
serial:
  description: Serial of the state after the apply.
  returned: success and not in check mode
  type: int
lineage:
  description: Lineage of the state after the apply.
  returned: success and not in check mode
  type: str
workspace:
  description: The workspace applied in.
  returned: success
  type: str
binary:
  description: Name and version of the binary used.
  returned: always
  type: dict
"""

from ansible.module_utils.basic import AnsibleModule
from ansible_collections.interviewops.platform.plugins.module_utils._terraform import (
    TerraformApply,
    common_argument_spec,
    run_module,
)


def main():
    argument_spec = common_argument_spec()
    argument_spec.update(
        plan_file={"type": "path", "required": True},
        summary_file={"type": "path"},
        plan_sha256={"type": "str"},
        return_sensitive_outputs={"type": "bool", "default": False},
    )
    module = AnsibleModule(argument_spec=argument_spec, supports_check_mode=True)
    run_module(module, TerraformApply)


if __name__ == "__main__":
    main()
