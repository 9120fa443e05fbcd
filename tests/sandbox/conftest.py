"""Run a probe in a forked child, confined or not, and see how it ended.

The child reports through a pipe (JSON) and always leaves with `os._exit`; a child
killed by seccomp reports nothing and shows SIGSYS.
"""

from __future__ import annotations

import faulthandler
import json
import os
import signal
from collections.abc import Callable, Collection
from dataclasses import dataclass, replace
from typing import Any

import pytest

from scriptvisor.sandbox import Policy, confine, prepare
from scriptvisor.sandbox.policy import DEFAULT as DEFAULT_POLICY


@dataclass(frozen=True)
class ChildResult:
    code: int | None  # exit status when it exited
    signal: int | None  # the signal that killed it
    payload: dict[str, Any] | None

    @property
    def ok(self) -> bool:
        return self.code == 0 and self.payload is not None and self.payload["ok"]

    @property
    def value(self) -> Any:
        assert self.payload is not None, self
        return self.payload.get("value")

    @property
    def error(self) -> str | None:
        return None if self.payload is None else self.payload.get("error")

    @property
    def errno(self) -> int | None:
        return None if self.payload is None else self.payload.get("errno")

    def killed_by(self, sig: int) -> bool:
        return self.signal == sig and self.payload is None

    def failed_with(self, error: str, errno: int | None = None) -> bool:
        """The probe (not the confinement) raised `error` (with `errno`)."""
        if self.payload is None or self.payload.get("stage") != "probe":
            return False
        return self.error == error and (errno is None or self.errno == errno)


def fitted(policy: Policy) -> Policy:
    """`policy` with room for this process's address space when it uses the default limit.

    The probes fork the pytest process, whose virtual size grows with what earlier tests
    started (thread stacks, malloc arenas); a real child forks from the small zygote. A
    policy that sets its own address-space limit is left alone.
    """
    default = DEFAULT_POLICY.rlimits.address_space
    if policy.rlimits.address_space != default:
        return policy
    with open("/proc/self/statm") as statm:
        size = int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    if size + (256 << 20) <= default:
        return policy
    return replace(policy, rlimits=replace(policy.rlimits, address_space=size + (512 << 20)))


def run_child(
    probe: Callable[[], Any],
    policy: Policy | None = None,
    *,
    keep_fds: Collection[int] = (),
    start_io: Callable[[], object] | None = None,
    setup: Callable[[], object] | None = None,
) -> ChildResult:
    """Fork; in the child run `setup`, confine with `policy` (None: the guard is off),
    then run `probe`."""
    if policy is not None:
        policy = fitted(policy)
        prepare(policy)
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never return into pytest
        try:
            os.close(read_end)
            faulthandler.disable()  # probes that crash on purpose should not print
            payload: dict[str, Any] = {"ok": True, "stage": "confine"}
            try:
                if setup is not None:
                    setup()
                if policy is not None:
                    keep = {write_end, *keep_fds}
                    report = confine(policy, keep_fds=keep, start_io=start_io)
                    payload["report"] = report.as_dict()
                payload["stage"] = "probe"
                payload["value"] = probe()
            except BaseException as exc:
                payload.update(
                    ok=False,
                    error=type(exc).__name__,
                    errno=getattr(exc, "errno", None),
                    message=str(exc),
                    layer=str(getattr(exc, "layer", "")),
                )
            data = json.dumps(payload, default=repr).encode()
            while data:
                data = data[os.write(write_end, data) :]
        finally:
            os._exit(0)
    os.close(write_end)
    chunks = []
    while chunk := os.read(read_end, 1 << 16):
        chunks.append(chunk)
    os.close(read_end)
    _, status = os.waitpid(pid, 0)
    code = os.waitstatus_to_exitcode(status)
    result = json.loads(b"".join(chunks)) if chunks else None
    return ChildResult(code if code >= 0 else None, -code if code < 0 else None, result)


@pytest.fixture
def child() -> Callable[..., ChildResult]:
    return run_child


@pytest.fixture
def fit_policy() -> Callable[[Policy], Policy]:
    return fitted


SIGSYS = signal.SIGSYS
