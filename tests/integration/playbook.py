"""Run ansible-playbook from the repository root the way a user does, and read its recap."""

from __future__ import annotations

import os
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ANSIBLE_PLAYBOOK = Path(os.environ.get("INTERVIEWOPS_TOOLS", ROOT / ".tools")) / "venv" / "bin" / "ansible-playbook"
RECAP = re.compile(
    r"^(?P<host>\S+)\s*: ok=(?P<ok>\d+)\s+changed=(?P<changed>\d+)\s+unreachable=(?P<unreachable>\d+)"
    r"\s+failed=(?P<failed>\d+)",
    re.MULTILINE,
)


@dataclass
class Result:
    rc: int
    output: str

    @property
    def recap(self) -> dict[str, dict[str, int]]:
        return {
            m["host"]: {k: int(m[k]) for k in ("ok", "changed", "unreachable", "failed")}
            for m in RECAP.finditer(self.output)
        }

    def changed(self, host: str = "localhost") -> int:
        return self.recap[host]["changed"]


def run(*args: str, env: dict[str, str] | None = None, timeout: int = 900) -> Result:
    """ansible-playbook ARGS from the repository root; output is stdout and stderr together."""
    full_env = {**os.environ, "ANSIBLE_CONFIG": str(ROOT / "ansible.cfg"), "ANSIBLE_NOCOLOR": "1", **(env or {})}
    proc = subprocess.run(  # noqa: S603 - fixed program, test-controlled args
        [str(ANSIBLE_PLAYBOOK), *args],
        cwd=ROOT,
        env=full_env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        timeout=timeout,
        check=False,
    )
    return Result(proc.returncode, proc.stdout)
