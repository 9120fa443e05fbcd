"""The one error root scripts' authors see: a typed `ScriptError` that never leaks host internals."""

from __future__ import annotations

from datetime import UTC, datetime
from enum import StrEnum
from typing import Any


class ErrorType(StrEnum):
    """Why an execution failed; the names are the design's `ErrorType` values."""

    COMPILATION = "compilation"
    EXECUTION = "execution"
    TIMEOUT = "timeout"
    MEMORY_LIMIT = "memory_limit"
    SECURITY_VIOLATION = "security_violation"
    NOT_FOUND = "not_found"
    INVALID_SYNTAX = "invalid_syntax"


# How each type is introduced when printed, in the languages' own words where they have them.
_TITLES = {
    ErrorType.INVALID_SYNTAX: "Parse Error",
    ErrorType.COMPILATION: "Compile Error",
    ErrorType.EXECUTION: "Runtime Error",
}


class ScriptError(Exception):
    """A failure attributed to a script: type, where (module, script, line, column) and why.

    `message` is the bare cause in the language's own words; `str()` adds the position the
    way Tengo prints it (`Runtime Error: ...\\n\\tat script:line:col`).
    """

    def __init__(
        self,
        type: ErrorType,
        message: str,
        *,
        module: str = "",
        script: str = "",
        line: int | None = None,
        column: int | None = None,
        timestamp: datetime | None = None,
        logs: list[str] | None = None,
    ) -> None:
        super().__init__(message)
        self.type = ErrorType(type)
        self.message = message
        self.module = module
        self.script = script
        self.line = line
        self.column = column
        self.timestamp = timestamp or datetime.now(UTC)
        self.logs: list[str] = logs if logs is not None else []  # lines logged before failing

    def where(self) -> str:
        name = f"{self.module}/{self.script}" if self.module else self.script or "<script>"
        if self.line is None:
            return name
        return f"{name}:{self.line}:{self.column or 0}"

    def __str__(self) -> str:
        title = _TITLES.get(self.type, self.type.value.replace("_", " ").capitalize())
        return f"{title}: {self.message}\n\tat {self.where()}"

    def to_dict(self) -> dict[str, Any]:
        return {
            "type": self.type.value,
            "message": self.message,
            "module": self.module,
            "script": self.script,
            "line": self.line,
            "column": self.column,
            "timestamp": self.timestamp.isoformat(),
        }
