"""Helpers of the supervisor tests: engines with probe-capable pools, health checks,
Python probes run in confined children."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from scriptvisor.protocol.models import ScriptOutput, SecurityLimits
from scriptvisor.supervisor import exchange
from scriptvisor.supervisor.engine import ScriptEngine, StaticScripts
from scriptvisor.supervisor.pool import PoolConfig
from scriptvisor.supervisor.rpc import HostSession

HERE = Path(__file__).parent
if str(HERE) not in sys.path:  # the zygote inherits sys.path: children import child_probes
    sys.path.insert(0, str(HERE))


def make_engine(**pool: Any) -> ScriptEngine:
    scripts = StaticScripts()
    scripts.add("demo", "add", "result := a + b")
    scripts.add("demo", "greet", 'log("hello " + name)\nresult := "hi " + name')
    config = PoolConfig(**{"size": 2, "allow_probes": True, **pool})
    return ScriptEngine(scripts, pool=config, limits=SecurityLimits())


def assert_healthy(engine: ScriptEngine) -> None:
    assert engine.pool.wait_ready(timeout=10), engine.pool.children()
    out = engine.execute_source("result := 20 + 22")
    assert out.ok and out.result == 42, out


def run_probe(
    engine: ScriptEngine,
    probe: str,
    input: dict[str, Any] | None = None,
    limits: SecurityLimits | None = None,
) -> ScriptOutput:
    """Run `child_probes.<probe>` (or `module:function`) in a fresh confined child."""
    ref = probe if ":" in probe else f"child_probes:{probe}"
    limits = limits or SecurityLimits(max_execution_time=2.0)
    slot = engine.pool.spawn_probe(ref)
    job = exchange.Job(
        "probe", probe, "tengo", "probe", "", input or {}, limits, limits.to_wire(),
        HostSession({}, limits),
    )
    slot.remember("probe")  # no compile step: keep the hard deadline tight
    return exchange.run(engine.pool, slot, job)


def process_exists(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as f:
            state = f.read().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return False
    return state != "Z"
