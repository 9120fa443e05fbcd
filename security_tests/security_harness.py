"""Helpers of the security suite: the engines under test, running a probe in a fresh child,
and the checks every probe ends with (typed outcome, healthy supervisor)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from scriptvisor.protocol.errors import ErrorType
from scriptvisor.protocol.models import ScriptOutput, SecurityLimits
from scriptvisor.sandbox import DEFAULT, Layer
from scriptvisor.sandbox.policy import Policy
from scriptvisor.supervisor import exchange
from scriptvisor.supervisor.engine import ScriptEngine
from scriptvisor.supervisor.pool import PoolConfig
from scriptvisor.supervisor.rpc import HostSession

HERE = Path(__file__).parent
if str(HERE) not in sys.path:  # the zygote inherits sys.path: children import escape_probes
    sys.path.insert(0, str(HERE))

GUARD_OFF = DEFAULT.without(*Layer)
"""The control: the same children with every confinement layer switched off."""


def make_engine(policy: Policy) -> ScriptEngine:
    config = PoolConfig(size=2, allow_probes=True, policy=policy)
    return ScriptEngine(pool=config, limits=SecurityLimits())
def probe(
    engine: ScriptEngine,
    name: str,
    input: dict[str, Any] | None = None,
    limits: SecurityLimits | None = None,
) -> ScriptOutput:
    """Run `escape_probes.<name>` in a fresh child of `engine`."""
    limits = limits or SecurityLimits(max_execution_time=5.0)
    slot = engine.pool.spawn_probe(f"escape_probes:{name}")
    slot.remember("probe")  # nothing to compile: keep the hard deadline tight
    job = exchange.Job(
        "security", name, "tengo", "probe", "", dict(input or {}), limits, limits.to_wire(),
        HostSession({}, limits),
    )
    return exchange.run(engine.pool, slot, job)


def assert_error(out: ScriptOutput, kind: ErrorType, text: str = "") -> None:
    assert out.error is not None, out
    assert out.error.type is kind, out.error
    assert text in out.error.message, out.error


def assert_healthy(engine: ScriptEngine) -> None:
    """The supervisor survived: every child serves again and a normal script runs."""
    assert engine.pool.wait_ready(timeout=10), engine.pool.children()
    out = engine.execute_source('text := import("text")\nresult := text.to_upper("ok")')
    assert out.ok and out.result == "OK", out
