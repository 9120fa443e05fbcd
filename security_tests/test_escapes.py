"""Escapes a compromised child would try, in pairs: the control child (every guard off)
must succeed, the confined child must be stopped in the expected, typed way.

The languages cannot express file, network or process access at all, so these probes are
Python code running inside a real child after confinement, as if a script had broken out
of the interpreter.
"""

from __future__ import annotations

import os
import socket
from pathlib import Path

import pytest
from security_harness import assert_error, assert_healthy, probe

from scriptvisor.protocol.errors import ErrorType
from scriptvisor.supervisor.engine import ScriptEngine

pytestmark = pytest.mark.timeout(60)

DENIED = "PermissionError"  # the call fails with EACCES (seccomp errno rule or Landlock)
KILLED = "seccomp"  # seccomp kills the child: security_violation

PROBES = {
    "read /etc/passwd": ("read_passwd", DENIED),
    "list /": ("list_root", DENIED),
    "read the supervisor's /proc/PID/environ": ("read_supervisor_environ", DENIED),
    "read /proc/self/environ": ("read_own_environ", DENIED),
    "read the supervisor's /proc/PID/maps": ("read_supervisor_memory_map", DENIED),
    "connect to a TCP port": ("connect_tcp", KILLED),
    "fork": ("fork", KILLED),
    "run a program": ("run_program", KILLED),
    "signal the zygote (parent)": ("signal_zygote", KILLED),
    "signal the supervisor": ("signal_supervisor", KILLED),
    "ptrace": ("ptrace_me", KILLED),
    "setuid(0)": ("become_root", KILLED),
    "map executable memory": ("executable_memory", KILLED),
    "unshare a namespace": ("new_namespace", KILLED),
}


@pytest.mark.parametrize("name", list(PROBES))
def test_escape_pair(
    confined: ScriptEngine,
    unconfined: ScriptEngine,
    listener: socket.socket,
    empty_dir: Path,
    name: str,
) -> None:
    function, blocked = PROBES[name]
    facts = {"port": listener.getsockname()[1], "supervisor": os.getpid(), "dir": str(empty_dir)}
    control = probe(unconfined, function, facts)
    assert control.ok, control
    out = probe(confined, function, facts)
    if blocked is KILLED:
        assert_error(out, ErrorType.SECURITY_VIOLATION, KILLED)
    else:
        assert_error(out, ErrorType.EXECUTION, DENIED)
    assert_healthy(confined)


def test_write_a_file_pair(
    confined: ScriptEngine, unconfined: ScriptEngine, tmp_path: Path, empty_dir: Path
) -> None:
    control_dir = tmp_path / "control"
    control_dir.mkdir()
    assert probe(unconfined, "write_file", {"dir": str(control_dir)}).ok
    assert (control_dir / "escaped.txt").read_text() == "escaped"
    out = probe(confined, "write_file", {"dir": str(empty_dir)})
    assert_error(out, ErrorType.EXECUTION, DENIED)
    assert_healthy(confined)


def test_exec_pair(confined: ScriptEngine, unconfined: ScriptEngine) -> None:
    control = probe(unconfined, "exec_program")  # /bin/true replaced the child and exited 0
    assert_error(control, ErrorType.EXECUTION, "exit status 0")
    assert_error(probe(confined, "exec_program"), ErrorType.SECURITY_VIOLATION, KILLED)
    assert_healthy(confined)
    assert_healthy(unconfined)
