"""What every language engine offers: compile once, execute the compiled form many times.

The design's `LanguageEngine` and `EngineFactory`, in Python. Engines run inside whatever
process calls them; confinement is the sandbox's job, not theirs.
"""

from __future__ import annotations

import abc
import hashlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from scriptvisor.engines.limits import DEFAULT_MAX_BYTES, DEFAULT_MAX_DEPTH


class ScriptLanguage(StrEnum):
    TENGO = "tengo"
    ZYGOMYS = "zygomys"


LANGUAGE_EXTENSIONS: dict[str, ScriptLanguage] = {
    ".tengo": ScriptLanguage.TENGO,
    ".zygomys": ScriptLanguage.ZYGOMYS,
    ".zy": ScriptLanguage.ZYGOMYS,
}

ImportResolver = Callable[[str], "str | None"]
"""Returns the source of a script module by name (`import("shared/utils")`), or None."""


@dataclass(frozen=True, slots=True)
class EngineLimits:
    """Limits an engine enforces from inside the interpreter (the OS adds its own)."""

    max_execution_time: float = 5.0
    max_memory_bytes: int = DEFAULT_MAX_BYTES
    max_call_depth: int = DEFAULT_MAX_DEPTH
    allowed_modules: frozenset[str] = frozenset(
        {"fmt", "math", "text", "times", "rand", "json", "base64", "hex", "enum"}
    )
    allow_log: bool = True
    """Whether scripts get `log` (the supervisor sets it from `exposed_functions`)."""


@dataclass(slots=True)
class CompiledScript:
    """A script compiled once; `code` is engine-specific (a Python code object)."""

    name: str
    language: ScriptLanguage
    checksum: str
    code: Any
    compile_seconds: float = 0.0
    python_source: str = ""  # the generated Python, for `compile --emit-python`


@dataclass(slots=True)
class ExecutionOutcome:
    """What one execution produced: the script's `result`, its log lines, its timings."""

    result: Any
    logs: list[str] = field(default_factory=list)
    execution_seconds: float = 0.0


class LanguageEngine(abc.ABC):
    """Compiles scripts of one language and runs them with input variables and functions."""

    language: ScriptLanguage

    @abc.abstractmethod
    def compile(
        self, source: str, name: str = "script", *, resolver: ImportResolver | None = None
    ) -> CompiledScript:
        """Parse and compile; raises `ScriptError` (invalid_syntax or compilation)."""

    @abc.abstractmethod
    def execute(
        self,
        compiled: CompiledScript,
        variables: Mapping[str, Any] | None = None,
        functions: Mapping[str, Callable[..., Any]] | None = None,
        limits: EngineLimits | None = None,
    ) -> ExecutionOutcome:
        """Run with plain-Python `variables` bound as globals and host `functions` callable;
        returns the global `result` as a plain Python value; raises `ScriptError`."""

    def prepare_for_confinement(self) -> None:  # noqa: B027 - optional hook, empty by default
        """Load now whatever scripts may need later from files (a confined child cannot
        open any): called once in the zygote before children are forked."""


@dataclass(slots=True)
class RawOutcome:
    """An execution's result as a raw language value (conformance tests, the child)."""

    result: Any
    defined: bool
    logs: list[str]
    execution_seconds: float
    value: Any = None  # Zygomys: the value of the last top-level form


def source_checksum(source: str) -> str:
    """The compile cache key of a script's text."""
    return hashlib.sha256(source.encode("utf-8", "surrogateescape")).hexdigest()


class InProcessEngine(LanguageEngine):
    """An engine that runs scripts in this process; subclasses give the raw run and the
    conversion of the language's values to plain Python."""

    @abc.abstractmethod
    def execute_raw(
        self,
        compiled: CompiledScript,
        variables: Mapping[str, Any] | None = None,
        functions: Mapping[str, Callable[..., Any]] | None = None,
        limits_: EngineLimits | None = None,
    ) -> RawOutcome:
        """Run and return the result as the language's own value."""

    @staticmethod
    @abc.abstractmethod
    def to_plain(value: Any) -> Any:
        """The language's value as plain Python; TypeError/ValueError when it cannot be."""

    def execute(
        self,
        compiled: CompiledScript,
        variables: Mapping[str, Any] | None = None,
        functions: Mapping[str, Callable[..., Any]] | None = None,
        limits: EngineLimits | None = None,
    ) -> ExecutionOutcome:
        raw = self.execute_raw(compiled, variables, functions, limits)
        try:
            result = self.to_plain(raw.result)
        except (TypeError, ValueError) as exc:
            from scriptvisor.protocol.errors import ErrorType, ScriptError

            raise ScriptError(
                ErrorType.EXECUTION, f"result: {exc}", script=compiled.name
            ) from None
        return ExecutionOutcome(result, raw.logs, raw.execution_seconds)

    def run_source(
        self,
        source: str,
        name: str = "script",
        variables: Mapping[str, Any] | None = None,
        functions: Mapping[str, Callable[..., Any]] | None = None,
    ) -> RawOutcome:
        return self.execute_raw(self.compile(source, name), variables, functions)
