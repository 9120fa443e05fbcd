"""The public data models: the design's Script, ExecutionRequest, ScriptInput, ScriptOutput,
SecurityLimits, ExecutionMetrics and ScriptError, as frozen pydantic models.

They live on the host side. What crosses to a child is plain wire data (see `frames`); the
`to_wire`/`from_wire`/`from_frame` methods convert between the two.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import Any, Self, TypeVar

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)

from scriptvisor.config import ConfigError, parse_duration, parse_size
from scriptvisor.engines.base import EngineLimits, ScriptLanguage
from scriptvisor.protocol.errors import ErrorType, ScriptError
from scriptvisor.protocol.frames import (
    ErrorFrame,
    LimitsWire,
    MetricsWire,
    PublishedWire,
    ResultFrame,
)
from scriptvisor.protocol.values import INT64_MAX, MAX_VALUE_BYTES, brief, to_wire

__all__ = [
    "STDLIB_MODULES",
    "BusMessage",
    "ErrorInfo",
    "ExecutionMetrics",
    "ExecutionRequest",
    "HTTPRequestData",
    "PublishedMessage",
    "Script",
    "ScriptErrorModel",
    "ScriptInput",
    "ScriptLanguage",
    "ScriptOutput",
    "ScriptSource",
    "SecurityLimits",
]

STDLIB_MODULES = ("fmt", "math", "text", "times", "rand", "json", "base64", "hex", "enum")
"""Every pure Tengo stdlib module, the default allowlist; `os` is never allowed."""

# The design's Go package names and the Tengo module that offers the same functions.
_GO_PACKAGES = {
    "strings": "text",
    "strconv": "text",
    "time": "times",
    "math/rand": "rand",
    "encoding/json": "json",
    "encoding/base64": "base64",
    "encoding/hex": "hex",
}
_FUNCTION_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,63}$")
_DEFAULT_MEMORY = 10 * 1024 * 1024
_MIB = 1024 * 1024


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


def _utcnow() -> datetime:
    return datetime.now(UTC)


def _aware(v: datetime) -> datetime:
    """Naive datetimes are taken to be UTC."""
    return v.replace(tzinfo=UTC) if v.tzinfo is None else v


def _seconds(v: Any, setting: str) -> Any:
    """`5`, `5.0`, `"250ms"` or a `timedelta` as float seconds (other input left to pydantic)."""
    if isinstance(v, bool):
        raise ValueError(f"{setting}: a bool is not a duration")
    if isinstance(v, timedelta):
        return v.total_seconds()
    if isinstance(v, str):
        return parse_duration(v, setting)
    return v


class ScriptSource(StrEnum):
    """Where a script was loaded from."""

    EMBEDDED = "embedded"
    EXTERNAL = "external"


class Script(_Model):
    """A script with its metadata, as the registry holds it."""

    module_name: str = Field(min_length=1)
    name: str = Field(min_length=1)
    language: ScriptLanguage
    content: str
    source: ScriptSource
    last_modified: datetime = Field(default_factory=_utcnow)
    checksum: str = Field(min_length=1)
    original_language: ScriptLanguage | None = None
    """The embedded script's language, for falling back when an external override fails."""

    @field_validator("last_modified", mode="after")
    @classmethod
    def _utc(cls, v: datetime) -> datetime:
        return _aware(v)

    @staticmethod
    def checksum_of(content: str, language: ScriptLanguage | str) -> str:
        """The checksum children cache compiled code by: SHA-256 of language and content (the
        same text is a different program in the other language)."""
        data = f"{ScriptLanguage(language).value}\0{content}".encode("utf-8", "surrogatepass")
        return hashlib.sha256(data).hexdigest()


class SecurityLimits(_Model):
    """Resource and capability limits of one execution; every default is finite.

    Durations and sizes also accept the human forms of the environment (`"250ms"`, `"10MB"`).
    `allowed_packages` takes Tengo module names or the design's Go names, which map onto them
    (strings/strconv -> text, time -> times, ...); unknown names and `os` are refused.
    """

    max_execution_time: float = Field(default=5.0, gt=0, allow_inf_nan=False)
    max_memory_bytes: int = Field(default=_DEFAULT_MEMORY, gt=0, strict=True, le=INT64_MAX)
    allowed_packages: Sequence[str] = STDLIB_MODULES  # stored as a tuple
    exposed_functions: Sequence[str] = ("log", "publish")  # stored as a tuple
    max_host_calls: int = Field(default=1000, ge=0, strict=True, le=INT64_MAX)
    max_host_payload_bytes: int = Field(default=_MIB, gt=0, strict=True, le=INT64_MAX)
    max_log_lines: int = Field(default=1000, ge=0, strict=True, le=INT64_MAX)

    @field_validator("max_execution_time", mode="before")
    @classmethod
    def _duration(cls, v: Any) -> Any:
        return _seconds(v, "max_execution_time")

    @field_validator("max_memory_bytes", "max_host_payload_bytes", mode="before")
    @classmethod
    def _size(cls, v: Any, info: ValidationInfo) -> Any:
        return parse_size(v, info.field_name or "size") if isinstance(v, str) else v

    @field_validator("allowed_packages", mode="after")
    @classmethod
    def _packages(cls, v: Sequence[str]) -> tuple[str, ...]:
        out: list[str] = []
        for name in v:
            module = _GO_PACKAGES.get(name, name)
            if module not in STDLIB_MODULES:
                why = "is never allowed" if name == "os" else "is not a stdlib module"
                raise ValueError(f"package {name!r} {why} (allowed: {', '.join(STDLIB_MODULES)})")
            if module not in out:
                out.append(module)
        return tuple(out)

    @field_validator("exposed_functions", mode="after")
    @classmethod
    def _functions(cls, v: Sequence[str]) -> tuple[str, ...]:
        for name in v:
            if not _FUNCTION_NAME.match(name):
                raise ValueError(f"function name {name!r} is not an identifier")
        return tuple(dict.fromkeys(v))

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, **overrides: Any) -> Self:
        """Defaults, then `SCRIPT_MAX_EXECUTION_TIME` (`5s`, `250ms`) and
        `SCRIPT_MAX_MEMORY_BYTES` (`10MB`) when set and not blank, then `overrides`.
        A bad value raises `ConfigError` naming the variable."""
        env = os.environ if environ is None else environ
        fields: dict[str, Any] = {}
        for var, field, parse in _ENV_LIMITS:
            text = env.get(var, "")
            if not text.strip():
                continue
            try:
                fields[field] = parse(text, var)
                cls.model_validate({field: fields[field]})
            except (OverflowError, ValidationError):  # an absurd number of digits
                raise ConfigError(f"{var}: '{brief(text)}' is out of range") from None
        return cls(**{**fields, **overrides})

    def to_wire(self) -> LimitsWire:
        """The limits as an `exec` frame carries them (exposed functions travel separately)."""
        return LimitsWire(
            max_execution_time=self.max_execution_time,
            max_memory_bytes=self.max_memory_bytes,
            allowed_packages=list(self.allowed_packages),
            max_host_calls=self.max_host_calls,
            max_host_payload_bytes=self.max_host_payload_bytes,
            max_log_lines=self.max_log_lines,
        )

    @classmethod
    def from_wire(cls, wire: LimitsWire, exposed_functions: Sequence[str] = ()) -> Self:
        """The limits an `exec` frame carried, with the frame's `functions`."""
        return cls.model_validate({**wire, "exposed_functions": tuple(exposed_functions)})

    def to_engine_limits(self) -> EngineLimits:
        """What an engine enforces from inside the interpreter."""
        return EngineLimits(
            max_execution_time=self.max_execution_time,
            max_memory_bytes=self.max_memory_bytes,
            allowed_modules=frozenset(self.allowed_packages),
        )


_ENV_LIMITS: tuple[tuple[str, str, Callable[[str, str], float]], ...] = (
    ("SCRIPT_MAX_EXECUTION_TIME", "max_execution_time", parse_duration),
    ("SCRIPT_MAX_MEMORY_BYTES", "max_memory_bytes", parse_size),
)


class HTTPRequestData(_Model):
    """The HTTP request that triggered a script."""

    method: str = "GET"
    path: str = "/"
    query: dict[str, str] = Field(default_factory=dict)
    headers: dict[str, str] = Field(default_factory=dict)
    body: str = ""
    endpoint: str = ""
    """The endpoint name the module registered; empty means the path."""

    @field_validator("method", mode="after")
    @classmethod
    def _upper(cls, v: str) -> str:
        return v.upper()


class BusMessage(_Model):
    """A pub/sub message that triggered a script. `payload` is raw (JSON or not)."""

    id: str = ""
    topic: str
    user_id: str = ""
    payload: str | bytes = ""
    metadata: dict[str, str] = Field(default_factory=dict)
    timestamp: datetime = Field(default_factory=_utcnow)

    @field_validator("timestamp", mode="after")
    @classmethod
    def _utc(cls, v: datetime) -> datetime:
        return _aware(v)

    def payload_text(self) -> str:
        """The payload as text (bytes decoded as UTF-8, invalid sequences replaced)."""
        p = self.payload
        return p.decode("utf-8", "replace") if isinstance(p, bytes) else p

    def payload_value(self) -> Any:
        """The payload decoded from JSON when it is JSON (and fits the wire value rules),
        otherwise its text."""
        text = self.payload_text()
        try:
            return to_wire(json.loads(text))
        except (ValueError, RecursionError):  # not JSON, or JSON no script could receive
            return text


class ScriptInput(_Model):
    """What an execution gets: the caller's context and, when a message or an HTTP request
    triggered it, that trigger."""

    context: dict[str, Any] = Field(default_factory=dict)
    message: BusMessage | None = None
    http_request: HTTPRequestData | None = None

    def variables(self, module: str, *, max_bytes: int = MAX_VALUE_BYTES) -> dict[str, Any]:
        """The script's input variables, as wire values (see ARCHITECTURE.md "Input variables").

        Context keys come first; the trigger's variables are bound after them and win on a
        clash. `timestamp` is the message's time in whole Unix seconds. Raises
        `ValueMappingError` (naming the path, e.g. `input.units[3]`) for a value that cannot
        cross to a child, or when all of them together exceed `max_bytes` (a message payload
        counts twice: decoded and raw).
        """
        out: dict[str, Any] = dict(self.context)
        if self.message is not None:
            m = self.message
            out.update(
                message={
                    "topic": m.topic,
                    "user_id": m.user_id,
                    "payload": m.payload_value(),
                    "metadata": dict(m.metadata),
                },
                message_topic=m.topic,
                message_user_id=m.user_id,
                message_payload=m.payload_text(),
                topic=m.topic,
                module=module,
                timestamp=int(m.timestamp.timestamp()),
            )
        if self.http_request is not None:
            h = self.http_request
            out.update(
                http_request={
                    "method": h.method,
                    "path": h.path,
                    "query": dict(h.query),
                    "headers": dict(h.headers),
                    "body": h.body,
                },
                http_method=h.method,
                http_path=h.path,
                http_query=dict(h.query),
                http_headers=dict(h.headers),
                http_body=h.body,
                endpoint=h.endpoint or h.path,
                module=module,
            )
        wire: dict[str, Any] = to_wire(out, "input", max_bytes=max_bytes)
        return wire


class ExecutionRequest(_Model):
    """One execution: which script, with what input, under which limits.

    `timeout` overrides the limits' `max_execution_time`; `security_limits` replaces the
    engine's defaults. Both accept the forms `SecurityLimits` does (`"250ms"`, timedelta).
    """

    module_name: str = Field(min_length=1)
    script_name: str = Field(min_length=1)
    input: ScriptInput = Field(default_factory=ScriptInput)
    timeout: float | None = Field(default=None, gt=0, allow_inf_nan=False)
    security_limits: SecurityLimits | None = None

    @field_validator("timeout", mode="before")
    @classmethod
    def _duration(cls, v: Any) -> Any:
        return _seconds(v, "timeout")

    def effective_limits(self, defaults: SecurityLimits) -> SecurityLimits:
        """The limits this execution runs under."""
        limits = self.security_limits or defaults
        if self.timeout is None:
            return limits
        return limits.model_copy(update={"max_execution_time": self.timeout})

    def variables(self, *, max_bytes: int = MAX_VALUE_BYTES) -> dict[str, Any]:
        """The input variables of this execution (see `ScriptInput.variables`)."""
        return self.input.variables(self.module_name, max_bytes=max_bytes)


class ExecutionMetrics(_Model):
    """How one execution went: times in seconds, memory in bytes."""

    compilation_time: float = Field(default=0.0, ge=0, allow_inf_nan=False)
    execution_time: float = Field(default=0.0, ge=0, allow_inf_nan=False)
    memory_used: int = Field(default=0, ge=0, strict=True, le=INT64_MAX)
    host_calls: int = Field(default=0, ge=0, strict=True, le=INT64_MAX)
    success: bool = True
    error_type: ErrorType | None = None

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        if self.success == (self.error_type is not None):
            raise ValueError("error_type is set exactly when success is false")
        return self

    @classmethod
    def from_wire(cls, wire: MetricsWire | None, error_type: ErrorType | None = None) -> Self:
        """Metrics from a `result` or `error` frame; `error_type` is None for a success."""
        fields: dict[str, Any] = dict(wire or {})
        return cls(**fields, success=error_type is None, error_type=error_type)


class ErrorInfo(_Model):
    """A `ScriptError` as data: what the script's author sees (never host internals)."""

    type: ErrorType
    message: str
    module: str = ""
    script: str = ""
    line: int | None = Field(default=None, ge=0, le=INT64_MAX)
    column: int | None = Field(default=None, ge=0, le=INT64_MAX)
    timestamp: datetime = Field(default_factory=_utcnow)

    @field_validator("timestamp", mode="after")
    @classmethod
    def _utc(cls, v: datetime) -> datetime:
        return _aware(v)

    @classmethod
    def from_exception(cls, exc: ScriptError) -> Self:
        return cls(
            type=exc.type,
            message=exc.message,
            module=exc.module,
            script=exc.script,
            line=exc.line,
            column=exc.column,
            timestamp=exc.timestamp,
        )

    def to_exception(self, logs: Sequence[str] = ()) -> ScriptError:
        """The exception, with the lines the script logged before failing."""
        return ScriptError(
            self.type,
            self.message,
            module=self.module,
            script=self.script,
            line=self.line,
            column=self.column,
            timestamp=self.timestamp,
            logs=list(logs),
        )

    @classmethod
    def from_frame(cls, frame: ErrorFrame) -> Self:
        """The error a child reported; without a child timestamp, the time of reading it."""
        stamp = frame.get("timestamp")
        return cls(
            type=ErrorType(frame["type"]),
            message=frame["message"],
            module=frame["module"],
            script=frame["script"],
            line=frame["line"],
            column=frame["column"],
            timestamp=_utcnow() if stamp is None else datetime.fromtimestamp(stamp, UTC),
        )


ScriptErrorModel = ErrorInfo
"""The name the design's `ScriptError` data model goes by where the exception is meant."""


class PublishedMessage(_Model):
    """A `publish(topic, payload)` call a script made."""

    topic: str
    payload: Any = None


class ScriptOutput(_Model):
    """What an execution produced: `result`, log lines, published messages, metrics and,
    when it failed, the error."""

    result: Any = None
    logs: tuple[str, ...] = ()
    published: tuple[PublishedMessage, ...] = ()
    metrics: ExecutionMetrics = Field(default_factory=ExecutionMetrics)
    error: ErrorInfo | None = None

    @property
    def ok(self) -> bool:
        return self.error is None

    def raise_for_error(self) -> None:
        """Raise the `ScriptError` of a failed execution; do nothing for a successful one."""
        if self.error is not None:
            raise self.error.to_exception(self.logs)

    @classmethod
    def from_frame(cls, frame: ResultFrame | ErrorFrame) -> Self:
        """The output a child's `result` or `error` frame (already validated) describes."""
        if frame["t"] == "result":  # the hot path: the schema has checked every field
            wire = frame["metrics"]
            metrics = trusted(
                ExecutionMetrics, compilation_time=wire["compilation_time"],
                execution_time=wire["execution_time"], memory_used=wire["memory_used"],
                host_calls=wire["host_calls"], success=True, error_type=None,
            )
            return trusted(
                cls, result=frame["value"], logs=tuple(frame["logs"]),
                published=tuple(_published(p) for p in frame["published"]), metrics=metrics,
                error=None,
            )
        error = ErrorInfo.from_frame(frame)
        return cls(
            logs=tuple(frame.get("logs", ())),
            metrics=ExecutionMetrics.from_wire(frame.get("metrics"), error.type),
            error=error,
        )


def _published(p: PublishedWire) -> PublishedMessage:
    return trusted(PublishedMessage, topic=p["topic"], payload=p["payload"])


_M = TypeVar("_M", bound=BaseModel)
_setattr = object.__setattr__


def trusted(cls: type[_M], **values: Any) -> _M:
    """A model from values a frame schema has already checked, without validating again:
    what `model_construct` does for models without defaults to fill in, post-init hooks or
    private attributes (`model_construct` spends ~5 us per model; this is the hot path)."""
    model = cls.__new__(cls)
    _setattr(model, "__dict__", values)
    _setattr(model, "__pydantic_fields_set__", set(values))
    _setattr(model, "__pydantic_extra__", None)
    _setattr(model, "__pydantic_private__", None)
    return model
