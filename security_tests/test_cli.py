"""`scriptvisor security-test` as a user runs it: a real subprocess of the installed command."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import uuid
from pathlib import Path

import psutil
import pytest

pytestmark = pytest.mark.timeout(120)


def command() -> list[str]:
    installed = shutil.which("scriptvisor", path=os.path.dirname(sys.executable))
    return [installed] if installed else [sys.executable, "-m", "scriptvisor.cli"]


def tagged(tag: str) -> list[psutil.Process]:
    """Processes still carrying the run's tag in their environment (a leaked zygote)."""
    found = []
    for proc in psutil.process_iter():
        try:
            if proc.environ().get("SCRIPTVISOR_TEST_TAG") == tag:
                found.append(proc)
        except (psutil.Error, OSError):
            continue
    return found


def test_security_test_json_for_one_category(private_tmp: Path) -> None:
    tag = uuid.uuid4().hex
    env = {**os.environ, "SCRIPTVISOR_TEST_TAG": tag, "TMPDIR": str(private_tmp)}
    done = subprocess.run(
        [*command(), "security-test", "--only", "signals", "--json"],
        capture_output=True, text=True, env=env, timeout=100, check=False,
    )
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report["ok"] is True
    assert {layer["state"] for layer in report["layers"]} == {"active"}
    probes = report["probes"]
    assert len(probes) == 3 and report["categories"] == {"signals": 3}
    assert all(p["blocked"] and p["passed"] and p["category"] == "signals" for p in probes)
    assert all(p["outcome"] == "security_violation" and p["control"]["outcome"] == "ok"
               for p in probes)
    assert "[3/3]" in done.stderr and "PASSED" in done.stderr  # progress goes to stderr
    assert tagged(tag) == []  # no zygote (hence no child) left running
    assert list(private_tmp.iterdir()) == []  # no temporary file or socket left


def test_security_test_table_and_bad_category() -> None:
    done = subprocess.run(
        [*command(), "security-test", "--only", "ptrace"],
        capture_output=True, text=True, timeout=100, check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "every confinement layer is active" in done.stdout
    assert "== ptrace (1/1 passed)" in done.stdout and "PASSED: 1 probes" in done.stdout
    bad = subprocess.run(
        [*command(), "security-test", "--only", "no-such-thing"],
        capture_output=True, text=True, timeout=30, check=False,
    )
    assert bad.returncode == 2 and "matches no probe" in bad.stderr
