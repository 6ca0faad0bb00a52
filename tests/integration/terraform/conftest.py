"""Fixtures for the terraform integration tests: the real tofu binary built by scripts/tofu.sh,
its provider mirror, and a fast way to run our modules exactly as Ansible would."""

from __future__ import annotations

import os

import pytest

from .tfhelpers import CLI_CONFIG, TOFU, copy_stack, run_module


@pytest.fixture(scope="session")
def tofu():
    """Path of the OpenTofu binary; fails (never skips) when the build is missing."""
    if not (TOFU.is_file() and CLI_CONFIG.is_file()):
        pytest.fail(f"{TOFU} or {CLI_CONFIG} is missing: run `bash scripts/tofu.sh` first")
    return str(TOFU)


@pytest.fixture
def tf_env(monkeypatch, tofu):
    """Environment for raw tofu calls: our CLI config, never the machine's (~/.terraformrc)."""
    monkeypatch.setenv("TF_CLI_CONFIG_FILE", str(CLI_CONFIG))
    monkeypatch.delenv("TF_WORKSPACE", raising=False)
    return dict(os.environ)


@pytest.fixture
def stack(tmp_path, tofu):
    """Makes a private copy of a stack by name."""
    return lambda name: copy_stack(name, tmp_path)


@pytest.fixture
def module(tofu):
    """Runs one of our modules: module(name, args, check=False, diff=False, env=None) -> result."""
    return run_module
