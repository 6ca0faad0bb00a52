"""Keep each role's interface in one piece: meta/argument_specs.yml lists exactly the
public defaults (defaults/main.yml), and every option is documented in README.md
(the project's or the role's own). Exit 1 with the differences."""

import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]


def main() -> int:
    problems = []
    readme = (ROOT / "README.md").read_text()
    for role in sorted(p for p in (ROOT / "roles").iterdir() if p.is_dir()):
        defaults_file, specs_file = role / "defaults" / "main.yml", role / "meta" / "argument_specs.yml"
        if not specs_file.exists():
            problems.append(f"{role.name}: no meta/argument_specs.yml")
            continue
        defaults = set(yaml.safe_load(defaults_file.read_text()) or {}) if defaults_file.exists() else set()
        options = set()
        for entry in (yaml.safe_load(specs_file.read_text())["argument_specs"] or {}).values():
            options |= set((entry or {}).get("options") or {})
        for name in sorted(defaults - options):
            problems.append(f"{role.name}: default {name} is not in meta/argument_specs.yml")
        for name in sorted(options - defaults):
            problems.append(f"{role.name}: option {name} has no entry in defaults/main.yml")
        role_readme = role / "README.md"
        docs = readme + (role_readme.read_text() if role_readme.exists() else "")
        for name in sorted(options):
            if f"`{name}`" not in docs:
                problems.append(f"{role.name}: option {name} is not documented in README.md")
    print("\n".join(problems) or "roles: argument specs, defaults and READMEs agree")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
