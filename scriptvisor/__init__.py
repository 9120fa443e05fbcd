"""scriptvisor: run untrusted Tengo and Zygomys scripts inside a Python application."""

from scriptvisor.engines.base import (
    CompiledScript,
    EngineLimits,
    ExecutionOutcome,
    LanguageEngine,
    ScriptLanguage,
)
from scriptvisor.engines.factory import EngineFactory, UnsupportedLanguage
from scriptvisor.protocol.errors import ErrorType, ScriptError

__all__ = [
    "CompiledScript",
    "EngineFactory",
    "EngineLimits",
    "ErrorType",
    "ExecutionOutcome",
    "LanguageEngine",
    "ScriptError",
    "ScriptLanguage",
    "UnsupportedLanguage",
]
