"""scriptvisor: run untrusted Tengo and Zygomys scripts inside a Python application.

The public API is these names; everything else is reachable through its subpackage.
`ScriptEngine` (the supervisor) and `Client`/`AsyncClient` (the stub that talks to a
running supervisor from another process) are imported on first use: they load ZeroMQ.
"""

from typing import TYPE_CHECKING, Any

from scriptvisor.engines.base import LanguageEngine, ScriptLanguage
from scriptvisor.engines.factory import EngineFactory
from scriptvisor.protocol.errors import ErrorType, ScriptError
from scriptvisor.protocol.models import (
    ExecutionRequest,
    ScriptInput,
    ScriptOutput,
    SecurityLimits,
)

if TYPE_CHECKING:
    from scriptvisor.client import AsyncClient, Client
    from scriptvisor.supervisor.engine import ScriptEngine

__all__ = [
    "AsyncClient",
    "Client",
    "EngineFactory",
    "ErrorType",
    "ExecutionRequest",
    "LanguageEngine",
    "ScriptEngine",
    "ScriptError",
    "ScriptInput",
    "ScriptLanguage",
    "ScriptOutput",
    "SecurityLimits",
]


def __getattr__(name: str) -> Any:
    if name == "ScriptEngine":
        from scriptvisor.supervisor.engine import ScriptEngine

        return ScriptEngine
    if name in ("Client", "AsyncClient"):
        from scriptvisor import client

        return getattr(client, name)
    raise AttributeError(f"module 'scriptvisor' has no attribute {name!r}")
