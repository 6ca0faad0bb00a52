# Copyright: (c) 2026, interviewops platform team
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations


class ModuleDocFragment:
    """Options shared by terraform_plan and terraform_apply."""

    DOCUMENTATION = r"""
options:
  project_path:
    description:
      - The folder of the Terraform/OpenTofu stack (root module).
      - Checked before anything runs; a missing folder or one without C(.tf) files fails.
    type: path
    required: true
  binary_path:
    description:
      - The C(tofu) or C(terraform) binary to run.
      - Default is C(tofu) found on E(PATH), else C(terraform).
    type: path
  workspace:
    description:
      - The workspace (one per environment) to plan or apply in.
      - Must match C(^[A-Za-z0-9][A-Za-z0-9_-]{0,62}$); anything else fails before any command runs.
      - M(interviewops.platform.terraform_plan) creates it when it does not exist (select-or-create);
        if that plan then fails, the workspace it created is deleted again.
    type: str
    default: default
  init:
    description:
      - Run C(init -reconfigure) with O(backend_config) and O(backend_config_files) first.
    type: bool
    default: true
  backend_config:
    description:
      - Backend settings passed as C(-backend-config=KEY=VALUE), for example the S3 C(bucket), C(key),
        C(region) and C(dynamodb_table) of an environment.
      - Nested values (such as C(endpoints)) are passed as JSON.
    type: dict
    default: {}
  backend_config_files:
    description:
      - Backend configuration files passed as C(-backend-config=PATH).
    type: list
    elements: path
    default: []
  lock:
    description:
      - Lock the state while planning or applying.
    type: bool
    default: true
  lock_timeout:
    description:
      - How long to wait for a state lock held by someone else, as a duration (C(30s), C(5m)).
      - When it runs out, the task fails and the message names the lock holder, its operation and lock ID.
    type: str
    default: 30s
  cli_config_file:
    description:
      - A CLI configuration file (exported as E(TF_CLI_CONFIG_FILE)), for example one whose
        C(provider_installation) block points at a provider mirror.
    type: path
notes:
  - Every command runs with C(-input=false) (where it applies) and C(-no-color).
  - Errors start with Terraform's own C(Error:) summary.
  - Values of input variables and backend credentials are never echoed in results or error messages.
  - Works with both C(terraform) and C(tofu).
"""
