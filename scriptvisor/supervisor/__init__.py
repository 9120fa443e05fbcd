"""The supervisor: a pool of warm, confined children, leasing, deadlines and kills, memory
watch, host-function RPC and metrics. See `engine.ScriptEngine`.

Imports are lazy: the zygote process runs `python -m scriptvisor.supervisor.zygote` and
must not load the supervisor's machinery (children never import the supervisor).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from scriptvisor.supervisor.engine import ScriptEngine, ScriptProvider, StaticScripts
    from scriptvisor.supervisor.errors import (
        EngineClosed,
        Overloaded,
        SupervisorError,
        SupervisorUnavailable,
    )
    from scriptvisor.supervisor.pool import PoolConfig
    from scriptvisor.supervisor.rpc import HostFunction, Publisher

__all__ = [
    "EngineClosed",
    "HostFunction",
    "Overloaded",
    "PoolConfig",
    "Publisher",
    "ScriptEngine",
    "ScriptProvider",
    "StaticScripts",
    "SupervisorError",
    "SupervisorUnavailable",
]

_HOMES = {
    "ScriptEngine": "engine",
    "ScriptProvider": "engine",
    "StaticScripts": "engine",
    "EngineClosed": "errors",
    "Overloaded": "errors",
    "SupervisorError": "errors",
    "SupervisorUnavailable": "errors",
    "PoolConfig": "pool",
    "HostFunction": "rpc",
    "Publisher": "rpc",
}


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(f"{__name__}.{home}"), name)
