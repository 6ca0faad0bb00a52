"""Fixtures for the per-interview environment tests (helpers live in interviews_support.py).

* ``aws_proxy``: the counting, fault-injecting proxy in front of this module's moto server.
* ``module_env``: environment for module subprocesses and ansible-playbook.
* ``shared_infra``: the shared pieces seed 001 makes once.
* ``run_module``: runs a module's code as Ansible would and returns its JSON result.
"""

from __future__ import annotations

import os

import pytest
from interviews_support import COLLECTIONS, REGION, ROOT, AwsProxy, make_shared_infra, parse_result, start_module


@pytest.fixture(scope="module")
def aws_proxy(moto_server):
    proxy = AwsProxy(moto_server)
    yield proxy
    proxy.close()


@pytest.fixture(scope="module")
def module_env(moto_server):
    """Environment for module subprocesses and ansible-playbook (dummy creds; endpoint passed explicitly)."""
    env = dict(os.environ)
    env.update(
        {
            "AWS_ACCESS_KEY_ID": "testing",
            "AWS_SECRET_ACCESS_KEY": "testing",
            "AWS_SESSION_TOKEN": "testing",
            "AWS_DEFAULT_REGION": REGION,
            "AWS_REGION": REGION,
            "PYTHONPATH": str(COLLECTIONS),
            "ANSIBLE_CONFIG": str(ROOT / "ansible.cfg"),
            "ANSIBLE_NOCOLOR": "1",
        }
    )
    env.pop("AWS_ENDPOINT_URL", None)
    env.pop("AWS_PROFILE", None)
    return env


@pytest.fixture(scope="module")
def run_module(module_env):
    """run_module(name, args, check=False, diff=False) -> result dict."""

    def runner(module, args, check=False, diff=False):
        proc, path = start_module(module, args, module_env, check=check, diff=diff)
        return parse_result(proc, path)

    runner.start = lambda module, args: start_module(module, args, module_env)
    runner.finish = parse_result
    return runner


@pytest.fixture(scope="module")
def shared_infra(moto_server):
    """Seed 001's shared infrastructure, made directly against moto (not counted)."""
    return make_shared_infra(moto_server)
