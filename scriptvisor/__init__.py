"""scriptvisor: run untrusted Tengo and Zygomys scripts inside a Python application.

The public API is these names; everything else is reachable through its subpackage.
`ScriptEngine` (the supervisor) is imported on first use: it starts ZeroMQ machinery.
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
    from scriptvisor.supervisor.engine import ScriptEngine

__all__ = [
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
    raise AttributeError(f"module 'scriptvisor' has no attribute {name!r}")
