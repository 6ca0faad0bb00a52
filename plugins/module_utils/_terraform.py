# Copyright: (c) 2026, interviewops platform team
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Private helpers for the terraform_plan and terraform_apply modules.

Everything here works with both the ``terraform`` and the ``tofu`` CLI: it only uses
commands and JSON formats the two share (``init``, ``workspace``, ``state pull``,
``plan -out``, ``show -json``, ``apply PLANFILE``, ``output -json``).

``changed`` and every count come from the plan's JSON representation, never from
human-readable text. Errors are raised as :class:`TerraformError` and turned into
``Failed to <action>: <cause>`` in exactly one place, :func:`run_module`.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import tempfile
import zipfile

# Workspace names: letters, digits, '-' and '_', starting with a letter or digit.
WORKSPACE_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,62}$")
ACTION_KEYS = ("add", "change", "destroy", "replace", "forget")
REDACTED = "(sensitive value)"
UNKNOWN = "(known after apply)"
SUMMARY_FORMAT = 1
# backend_config keys whose values are credentials (scrubbed from error messages).
SECRET_KEY = re.compile(r"(^|_)(access_key|secret_key|secret|token|password|sas_token|client_secret)$")


class TerraformError(Exception):
    """An error whose message is safe to show (no variable values, no secrets)."""


def common_argument_spec():
    """Options shared by terraform_plan and terraform_apply."""
    return {
        "project_path": {"type": "path", "required": True},
        "binary_path": {"type": "path"},
        "workspace": {"type": "str", "default": "default"},
        "init": {"type": "bool", "default": True},
        "backend_config": {"type": "dict", "default": {}, "no_log": False},
        "backend_config_files": {"type": "list", "elements": "path", "default": []},
        "lock": {"type": "bool", "default": True},
        "lock_timeout": {"type": "str", "default": "30s"},
        "cli_config_file": {"type": "path"},
    }


def sha256_file(path):
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def parse_errors(stderr):
    """Return Terraform's own diagnostics: a list of 'Error: summary' blocks (with detail)."""
    blocks = []
    current = None
    for line in stderr.splitlines():
        stripped = line.strip().lstrip("│").strip()
        if stripped.startswith("Error: "):
            if current:
                blocks.append(current)
            current = [stripped]
        elif current is not None:
            if stripped.startswith(("Warning: ", "Error: ")):
                blocks.append(current)
                current = None
            elif stripped or current[-1]:
                current.append(stripped)
    if current:
        blocks.append(current)
    return ["\n".join(block).strip() for block in blocks]


def parse_lock_info(stderr):
    """Fields of the 'Lock Info:' block Terraform prints when the state is locked."""
    info = {}
    in_block = False
    for line in stderr.splitlines():
        stripped = line.strip().lstrip("│").strip()
        if stripped.startswith("Lock Info:"):
            in_block = True
            continue
        if in_block:
            match = re.match(r"^(ID|Path|Operation|Who|Version|Created|Info):\s*(.*)$", stripped)
            if match:
                info[match.group(1).lower()] = match.group(2).strip()
            elif stripped:
                break
    return info


def redact(value, sensitive, unknown=None):
    """Replace the sensitive parts of a plan value (per its *_sensitive mask) with a marker."""
    if sensitive is True:
        return REDACTED
    if unknown is True:
        return UNKNOWN
    if isinstance(value, dict):
        sens = sensitive if isinstance(sensitive, dict) else {}
        unk = unknown if isinstance(unknown, dict) else {}
        keys = set(value) | {k for k, v in unk.items() if v is True}
        return {k: redact(value.get(k), sens.get(k), unk.get(k)) for k in sorted(keys)}
    if isinstance(value, list):
        sens = sensitive if isinstance(sensitive, list) else []
        unk = unknown if isinstance(unknown, list) else []
        return [
            redact(item, sens[i] if i < len(sens) else None, unk[i] if i < len(unk) else None)
            for i, item in enumerate(value)
        ]
    return value


def classify(actions):
    """Map a plan JSON ``change.actions`` list to one of ACTION_KEYS (or None for no-op/read)."""
    actions = list(actions or [])
    if actions in (["delete", "create"], ["create", "delete"]):
        return "replace"
    if actions == ["create"]:
        return "add"
    if actions == ["update"]:
        return "change"
    if actions == ["delete"]:
        return "destroy"
    if actions == ["forget"]:
        return "forget"
    return None


def summarize_plan(plan):
    """Counts and addresses from a ``show -json`` plan document."""
    addresses = {key: [] for key in ACTION_KEYS}
    for change in plan.get("resource_changes") or []:
        if change.get("mode") == "data":
            continue
        kind = classify(change.get("change", {}).get("actions"))
        if kind:
            addresses[kind].append(change["address"])
    outputs = sorted(
        name
        for name, change in (plan.get("output_changes") or {}).items()
        if any(action != "no-op" for action in change.get("actions") or [])
    )
    counts = {key: len(addresses[key]) for key in ACTION_KEYS}
    changed = any(counts.values()) or bool(outputs)
    return {"changed": changed, "counts": counts, "addresses": addresses, "output_changes": outputs}


def plan_diff(plan):
    """before/after of every changing resource, with sensitive values redacted."""
    before, after = {}, {}
    for change in plan.get("resource_changes") or []:
        body = change.get("change", {})
        if not classify(body.get("actions")):
            continue
        address = change["address"]
        if body.get("before") is not None:
            before[address] = redact(body.get("before"), body.get("before_sensitive"))
        if body.get("after") is not None or body.get("after_unknown"):
            after[address] = redact(body.get("after") or {}, body.get("after_sensitive"), body.get("after_unknown"))
    return {"before": before, "after": after}


def address_match(pattern, value):
    """Shell-style match where only '*' and '?' are wildcards, so 'x.y[0]' matches literally."""
    regex = re.escape(pattern).replace(r"\*", ".*").replace(r"\?", ".")
    return re.match(f"^{regex}$", value) is not None


def render_hcl(values):
    """A backend configuration file (HCL attributes) from a dict."""
    lines = []
    for key in sorted(values):
        if not re.match(r"^[A-Za-z_][A-Za-z0-9_-]*$", key):
            raise TerraformError(f"backend_config key {key!r} is not a valid attribute name")
        lines.append(f"{key} = {_hcl_value(values[key])}")
    return "\n".join(lines) + "\n"


def _hcl_value(value):
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if value is None:
        return "null"
    if isinstance(value, dict):
        return "{{ {} }}".format(", ".join(f"{json.dumps(str(k))} = {_hcl_value(v)}" for k, v in sorted(value.items())))
    if isinstance(value, (list, tuple)):
        return "[{}]".format(", ".join(_hcl_value(v) for v in value))
    return json.dumps(str(value)).replace("${", "$${").replace("%{", "%%{")


def protection_violations(plan, protected_addresses, protected_types, allow_destroy):
    """Resources a plan destroys or replaces that are protected and not explicitly allowed."""
    violations = []
    for change in plan.get("resource_changes") or []:
        if change.get("mode") == "data":
            continue
        kind = classify(change.get("change", {}).get("actions"))
        if kind not in ("destroy", "replace"):
            continue
        address = change["address"]
        rtype = change.get("type", "")
        protected = any(address_match(pattern, address) for pattern in protected_addresses) or any(
            address_match(pattern, rtype) for pattern in protected_types
        )
        allowed = any(address_match(pattern, address) for pattern in allow_destroy)
        if protected and not allowed:
            violations.append({"address": address, "action": kind})
    return violations


def load_json(text, what):
    """JSON printed by the CLI; text it printed before the document (CLI config warnings) is skipped."""
    try:
        return json.loads(text)
    except ValueError:
        start = text.find("\n{")
        if text.startswith("{") or start < 0:
            raise TerraformError(f"{what} did not return JSON") from None
    try:
        return json.loads(text[start + 1 :])
    except ValueError:
        raise TerraformError(f"{what} did not return JSON") from None


def state_identity(state_text):
    """(serial, lineage) of a state document; (None, None) when there is no state yet."""
    if not state_text or not state_text.strip():
        return None, None
    if not state_text.lstrip().startswith("{") and "\n{" not in state_text:
        return None, None
    state = load_json(state_text, "`state pull`")
    if not state.get("lineage"):
        return None, None  # the empty state a first plan is made from
    return state.get("serial"), state.get("lineage")


def plan_state_identity(plan_file):
    """(serial, lineage) of the prior state embedded in a plan file, or None if unreadable.

    A plan file is a zip holding the state it was made from (``tfstate``); that is exact,
    with no race between reading the state and planning. Encrypted plans return None.
    """
    try:
        with zipfile.ZipFile(plan_file) as archive:
            if "tfstate" not in archive.namelist():
                return None
            return state_identity(archive.read("tfstate").decode("utf-8"))
    except (zipfile.BadZipFile, OSError, ValueError, TerraformError):
        return None


class TerraformCLI:
    """Runs one binary against one stack folder, always with -input=false -no-color."""

    def __init__(self, module, binary_path=None, project_path=None, cli_config_file=None, secrets=()):
        self.module = module
        self.project_path = project_path
        self.secrets = sorted((s for s in secrets if len(s) >= 4), key=len, reverse=True)
        if binary_path:
            if not os.path.isfile(binary_path) or not os.access(binary_path, os.X_OK):
                raise TerraformError(f"binary {binary_path} does not exist or is not executable")
            self.binary = binary_path
        else:
            self.binary = module.get_bin_path("tofu") or module.get_bin_path("terraform")
            if not self.binary:
                raise TerraformError("neither tofu nor terraform was found on PATH; set binary_path")
        self.env = {"TF_IN_AUTOMATION": "1", "TF_INPUT": "0", "CHECKPOINT_DISABLE": "1"}
        if cli_config_file:
            if not os.path.isfile(cli_config_file):
                raise TerraformError(f"cli_config_file {cli_config_file} does not exist")
            self.env["TF_CLI_CONFIG_FILE"] = cli_config_file

    def scrub(self, text):
        for secret in self.secrets:
            text = text.replace(secret, "********")
        return text

    def run(self, args, workspace=None, check=True, input_flag=True):
        # args[0] is the (possibly multi-word) command, e.g. "state pull"; flags follow it.
        argv = (
            [self.binary] + args[0].split() + (["-input=false"] if input_flag else []) + ["-no-color"] + list(args[1:])
        )
        env = dict(self.env)
        if workspace:
            env["TF_WORKSPACE"] = workspace
        old = {k: os.environ.get(k) for k in ("TF_WORKSPACE",)}
        if not workspace:
            os.environ.pop("TF_WORKSPACE", None)
        try:
            rc, out, err = self.module.run_command(argv, cwd=self.project_path, environ_update=env)
        finally:
            for key, value in old.items():
                if value is not None:
                    os.environ[key] = value
        if check and rc != 0:
            raise TerraformError(self.error_message(err or out))
        return rc, out, err

    def error_message(self, stderr):
        """Terraform's own `Error:` summary first; lock holders named; secrets scrubbed."""
        blocks = parse_errors(stderr)
        if blocks and "Error acquiring the state lock" in blocks[0]:
            info = parse_lock_info(stderr)
            holder = info.get("who") or "an unknown holder"
            details = ", ".join(
                f"{label} {info[key]}"
                for key, label in (("operation", "operation"), ("id", "lock ID"), ("created", "since"))
                if info.get(key)
            )
            message = f"Error: Error acquiring the state lock: the state is locked by {holder}"
            if details:
                message += f" ({details})"
            return self.scrub(message)
        if blocks:
            text = blocks[0]
            if len(blocks) > 1:
                more = "; ".join(block.splitlines()[0] for block in blocks[1:])
                text += f"\n(and {len(blocks) - 1} more error(s): {more})"
            return self.scrub(text)
        tail = "\n".join(line for line in stderr.strip().splitlines()[-5:])
        return self.scrub(tail or "the command failed without a message")

    def version(self):
        _rc, out, _err = self.run(["version", "-json"], input_flag=False)
        try:
            data = load_json(out, "`version -json`")
        except TerraformError:
            return {"name": os.path.basename(self.binary), "version": "unknown"}
        name = "tofu" if "opentofu" in out.lower() or os.path.basename(self.binary).startswith("tofu") else "terraform"
        return {"name": name, "version": data.get("terraform_version")}

    def init(self, backend_config, backend_config_files, lock_timeout):
        args = ["init", "-reconfigure", f"-lock-timeout={lock_timeout}"]
        for path in backend_config_files:
            args.append(f"-backend-config={path}")
        if not backend_config:
            self.run(args)
            return
        # Settings go through a private file, not argv: they may hold credentials, and nested
        # values (the S3 backend's `endpoints`) need HCL syntax.
        fd, path = tempfile.mkstemp(prefix=".backend-", suffix=".tfbackend")
        try:
            with os.fdopen(fd, "w") as handle:
                handle.write(render_hcl(backend_config))
            self.run(args + [f"-backend-config={path}"])
        finally:
            os.unlink(path)

    def workspaces(self):
        _rc, out, _err = self.run(["workspace list"], input_flag=False)
        return [line.strip().lstrip("*").strip() for line in out.splitlines() if line.strip()]

    def new_workspace(self, name, lock_timeout):
        self.run(["workspace new", f"-lock-timeout={lock_timeout}", name], input_flag=False)

    def delete_workspace(self, name):
        self.run(["workspace select", "default"], input_flag=False, check=False)
        self.run(["workspace delete", name], input_flag=False, check=False)

    def state_identity(self, workspace):
        _rc, out, _err = self.run(["state pull"], workspace=workspace, input_flag=False)
        return state_identity(out)

    def show_plan(self, plan_file, workspace):
        _rc, out, _err = self.run(["show", "-json", plan_file], workspace=workspace, input_flag=False)
        return load_json(out, "`show -json`")

    def outputs(self, workspace):
        _rc, out, _err = self.run(["output", "-json"], workspace=workspace, input_flag=False)
        return load_json(out or "{}", "`output -json`")


class TerraformStack:
    """Validation, init and workspace handling shared by plan and apply."""

    action = "run"

    def __init__(self, module, secrets=()):
        self.module = module
        self.params = module.params
        secrets = list(secrets) + [
            str(value)
            for key, value in (self.params.get("backend_config") or {}).items()
            if SECRET_KEY.search(key) and not isinstance(value, (dict, list))
        ]
        self.result = {"changed": False}
        self.validate_common()
        self.cli = TerraformCLI(
            module,
            binary_path=self.params["binary_path"],
            project_path=self.params["project_path"],
            cli_config_file=self.params["cli_config_file"],
            secrets=secrets,
        )
        self.workspace = self.params["workspace"]
        self.lock_timeout = self.params["lock_timeout"] if self.params["lock"] else "0s"

    def validate_common(self):
        path = self.params["project_path"]
        if not os.path.isdir(path):
            raise TerraformError(f"stack folder {path} does not exist")
        if not any(name.endswith((".tf", ".tf.json", ".tofu", ".tofu.json")) for name in os.listdir(path)):
            raise TerraformError(f"stack folder {path} has no .tf files")
        if not WORKSPACE_PATTERN.match(self.params["workspace"]):
            raise TerraformError(
                "workspace name {!r} does not match {} (letters, digits, '-' and '_')".format(
                    self.params["workspace"], WORKSPACE_PATTERN.pattern
                )
            )
        if not re.match(r"^\d+(ms|s|m|h)$", self.params["lock_timeout"]):
            raise TerraformError(
                "lock_timeout {!r} is not a duration such as 30s or 5m".format(self.params["lock_timeout"])
            )
        for path in self.params["backend_config_files"]:
            if not os.path.isfile(path):
                raise TerraformError(f"backend config file {path} does not exist")

    def lock_args(self):
        return ["-lock=%s" % ("true" if self.params["lock"] else "false"), f"-lock-timeout={self.lock_timeout}"]

    def prepare(self, create_workspace):
        """init, then make sure the workspace exists. Returns True if this call created it."""
        self.result["binary"] = self.cli.version()
        if self.params["init"]:
            self.cli.init(self.params["backend_config"], self.params["backend_config_files"], self.lock_timeout)
        if self.workspace == "default":
            return False
        if self.workspace in self.cli.workspaces():
            return False
        if not create_workspace:
            return None
        self.cli.new_workspace(self.workspace, self.lock_timeout)
        return True


class TerraformPlan(TerraformStack):
    action = "plan"

    def __init__(self, module):
        variables = module.params.get("variables") or {}
        super().__init__(module, secrets=list(_leaf_strings(variables)))
        self.validate_plan()

    def validate_plan(self):
        for path in self.params["variables_files"]:
            if not os.path.isfile(path):
                raise TerraformError(f"variables file {path} does not exist")
        for name in self.params["variables"]:
            if not re.match(r"^[A-Za-z_][A-Za-z0-9_-]*$", name):
                raise TerraformError(f"variable name {name!r} is not a valid identifier")

    def run(self):
        check = self.module.check_mode
        created = self.prepare(create_workspace=not check)
        if created is None:
            self.result.update(
                changed=True, workspace=self.workspace, msg=f"workspace {self.workspace} would be created"
            )
            return self.result
        try:
            return self._plan()
        except Exception:
            if created:
                # This call made the workspace: take it away again so a failed plan leaves nothing behind.
                self.cli.delete_workspace(self.workspace)
            raise

    def _plan(self):
        plan_file = self.params["plan_file"]
        plan_dir = os.path.dirname(os.path.abspath(plan_file))
        if not os.path.isdir(plan_dir):
            os.makedirs(plan_dir, 0o700)
        fd, var_file = tempfile.mkstemp(prefix=".tfvars-", suffix=".tfvars.json", dir=plan_dir)
        try:
            with os.fdopen(fd, "w") as handle:
                json.dump(self.params["variables"], handle)
            args = ["plan", f"-out={plan_file}" + ".new", "-detailed-exitcode"] + self.lock_args()
            for path in self.params["variables_files"]:
                args.append(f"-var-file={path}")
            args.append(f"-var-file={var_file}")
            if self.params["state"] == "absent":
                args.append("-destroy")
            if not self.params["refresh"]:
                args.append("-refresh=false")
            for target in self.params["targets"]:
                args.append(f"-target={target}")
            for address in self.params["replace"]:
                args.append(f"-replace={address}")
            rc, _out, err = self.cli.run(args, workspace=self.workspace, check=False)
        finally:
            os.unlink(var_file)
        if rc not in (0, 2):
            _remove(plan_file + ".new")
            raise TerraformError(self.cli.error_message(err))
        os.rename(plan_file + ".new", plan_file)
        os.chmod(plan_file, 0o600)

        plan = self.cli.show_plan(plan_file, self.workspace)
        summary = summarize_plan(plan)
        identity = plan_state_identity(plan_file)
        if identity is None:
            identity = self.cli.state_identity(self.workspace)
        serial, lineage = identity
        artifact = {
            "format": SUMMARY_FORMAT,
            "plan_file": os.path.abspath(plan_file),
            "summary_file": os.path.abspath(self.summary_path()),
            "sha256": sha256_file(plan_file),
            "serial": serial,
            "lineage": lineage,
            "workspace": self.workspace,
            "project_path": os.path.abspath(self.params["project_path"]),
            "binary": self.result["binary"],
            "changed": summary["changed"],
            "counts": summary["counts"],
            "addresses": summary["addresses"],
            "output_changes": summary["output_changes"],
            "destroy": self.params["state"] == "absent",
        }
        violations = protection_violations(
            plan, self.params["protected_addresses"], self.params["protected_types"], self.params["allow_destroy"]
        )
        artifact["protection_violations"] = violations
        _write_json(self.summary_path(), artifact)
        self.result.update(
            changed=summary["changed"],
            plan_file=artifact["plan_file"],
            summary_file=artifact["summary_file"],
            sha256=artifact["sha256"],
            serial=serial,
            lineage=lineage,
            workspace=self.workspace,
            counts=summary["counts"],
            addresses=summary["addresses"],
            output_changes=summary["output_changes"],
        )
        if self.module._diff:
            self.result["diff"] = plan_diff(plan)
        if violations:
            _remove(plan_file)
            raise TerraformError(
                "the plan would {} protected resource(s) {}; name them in allow_destroy to allow it".format(
                    "/".join(sorted({v["action"] for v in violations})),
                    ", ".join("{} ({})".format(v["address"], v["action"]) for v in violations),
                )
            )
        return self.result

    def summary_path(self):
        return self.params["plan_file"] + ".summary.json"


class TerraformApply(TerraformStack):
    action = "apply"

    def __init__(self, module):
        super().__init__(module)
        self.plan_file = self.params["plan_file"]
        if not os.path.isfile(self.plan_file):
            raise TerraformError(f"plan file {self.plan_file} does not exist; run terraform_plan first")
        summary_file = self.params["summary_file"] or self.plan_file + ".summary.json"
        if not os.path.isfile(summary_file):
            raise TerraformError(f"plan summary {summary_file} does not exist; run terraform_plan first")
        try:
            with open(summary_file) as handle:
                self.artifact = json.load(handle)
        except ValueError:
            raise TerraformError(f"plan summary {summary_file} is not valid JSON") from None
        if self.artifact.get("format") != SUMMARY_FORMAT:
            raise TerraformError(f"plan summary {summary_file} has an unknown format")
        if self.artifact.get("workspace") != self.workspace:
            raise TerraformError(
                "the plan was made for workspace {}, not {}".format(self.artifact.get("workspace"), self.workspace)
            )
        if self.artifact.get("protection_violations"):
            raise TerraformError("the plan was refused by its protection rules; make a new plan")

    def verify(self):
        expected = self.params["plan_sha256"] or self.artifact.get("sha256")
        actual = sha256_file(self.plan_file)
        if actual != expected:
            raise TerraformError(
                f"tampered plan: sha256 of {self.plan_file} is {actual}, the plan artifact says {expected}"
            )
        serial, lineage = self.cli.state_identity(self.workspace)
        want_serial, want_lineage = self.artifact.get("serial"), self.artifact.get("lineage")
        if want_lineage is not None and lineage != want_lineage:
            raise TerraformError(f"stale plan: the state lineage is {lineage}, the plan was made from {want_lineage}")
        if serial != want_serial:
            raise TerraformError(
                f"stale plan: the state serial moved from {want_serial} to {serial} since the plan was made;"
                " make a new plan"
            )

    def run(self):
        created = self.prepare(create_workspace=False)
        if created is None:
            raise TerraformError(f"workspace {self.workspace} does not exist; run terraform_plan first")
        self.verify()
        changed = bool(self.artifact.get("changed"))
        self.result.update(
            workspace=self.workspace,
            counts=self.artifact.get("counts"),
            addresses=self.artifact.get("addresses"),
            sha256=self.artifact.get("sha256"),
        )
        if changed and not self.module.check_mode:
            rc, _out, err = self.cli.run(
                ["apply", "-auto-approve"] + self.lock_args() + [self.plan_file],
                workspace=self.workspace,
                check=False,
            )
            if rc != 0:
                message = self.cli.error_message(err)
                if "Saved plan is stale" in message:
                    message = f"stale plan: the state changed since the plan was made ({message})"
                raise TerraformError(message)
        self.result["changed"] = changed
        if not self.module.check_mode:
            self.result["outputs"], self.result["sensitive_outputs"] = self.split_outputs(
                self.cli.outputs(self.workspace)
            )
            serial, lineage = self.cli.state_identity(self.workspace)
            self.result.update(serial=serial, lineage=lineage)
        return self.result

    def split_outputs(self, outputs):
        plain, sensitive = {}, []
        for name, output in sorted(outputs.items()):
            if output.get("sensitive"):
                sensitive.append(name)
                if self.params["return_sensitive_outputs"]:
                    plain[name] = output.get("value")
            else:
                plain[name] = output.get("value")
        return plain, sensitive


def _leaf_strings(value):
    if isinstance(value, dict):
        for item in value.values():
            yield from _leaf_strings(item)
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from _leaf_strings(item)
    elif isinstance(value, str):
        yield value


def _remove(path):
    try:
        os.unlink(path)
    except OSError:
        pass


def _write_json(path, data):
    tmp = path + ".tmp"
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as handle:
        json.dump(data, handle, indent=2, sort_keys=True)
    shutil.move(tmp, path)


def module_invocation(module, hidden=("variables",)):
    """The module's arguments for the result: variable values and backend credentials hidden."""
    args = dict(module.params)
    for key in hidden:
        if isinstance(args.get(key), dict):
            args[key] = {name: "HIDDEN" for name in args[key]}
    if isinstance(args.get("backend_config"), dict):
        args["backend_config"] = {
            name: "HIDDEN" if SECRET_KEY.search(name) else value for name, value in args["backend_config"].items()
        }
    return {"module_args": args}


def run_module(module, manager_class):
    """Run a manager and turn every failure into `Failed to <action>: <cause>`."""
    invocation = module_invocation(module)
    try:
        manager = manager_class(module)
        result = manager.run()
    except TerraformError as exc:
        module.fail_json(msg=f"Failed to {manager_class.action}: {exc}", invocation=invocation)
    except Exception as exc:  # noqa: BLE001 - anything unexpected still gets the same shape
        module.fail_json(msg=f"Failed to {manager_class.action}: {type(exc).__name__}: {exc}", invocation=invocation)
    module.exit_json(invocation=invocation, **result)
