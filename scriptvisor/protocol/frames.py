"""The msgpack frames supervisor and children exchange, and their schemas.

Every frame is a msgpack map `{"v": PROTOCOL_VERSION, "t": TYPE, "id": REQUEST_ID, ...}`.

| type      | direction          | fields after v, t, id                                        |
|-----------|--------------------|--------------------------------------------------------------|
| `exec`    | supervisor → child | module, name, language, checksum, [source], [modules],        |
|           |                    | input, limits, functions                                     |
| `compile` | supervisor → child | module, name, language, checksum, source, [modules]          |
|           |                    | (validate only)                                              |
| `reply`   | supervisor → child | seq, value, error (str or null: the host function failed)    |
| `ping`    | supervisor → child | -                                                            |
| `call`    | child → supervisor | seq, name, args                                              |
| `result`  | child → supervisor | value, logs, published [{topic, payload}], metrics           |
| `error`   | child → supervisor | type, message, module, script, line, column, [timestamp],    |
|           |                    | [logs], [metrics]                                            |
| `ready`   | child → supervisor | pid                                                          |
| `pong`    | child → supervisor | -                                                            |

`[field]` may be absent. `modules` travels with `source`: the sources a script may import
(`{"shared/utils": source}`), so a confined child resolves imports without a file system;
the checksum covers them. `id` is the request the frame belongs to (`exec`/`compile` start
one; `call`, `reply`, `result`, `error` carry its id; `ready`/`ping`/`pong` use any id);
whether an id is known is the supervisor's business. `seq` numbers the host calls of one
request from 1, and a `reply` repeats the `seq` of the `call` it answers. `limits` and
`metrics` are maps with exactly the fields of `LIMITS_FIELDS` / `METRICS_FIELDS`; a compile
answers with a `result` whose value is null, or an `error`.

`decode` treats its input as hostile: the size is capped before unpacking, msgpack runs with
length caps and refuses every ext type, and each field is checked against a table of
(field, check) per message type. Anything wrong raises `FrameError` with the reason; the
supervisor kills a child that sent one. A check is a plain `type(x) is T`, so `True` is never
an int and `1` never a float. Floats in `limits` and `metrics` must be finite; in values
(input, result, args) NaN and infinities are allowed.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any, Literal, NoReturn, NotRequired, TypedDict, cast, overload

import msgpack  # type: ignore[import-untyped]

from scriptvisor.engines.base import ScriptLanguage
from scriptvisor.protocol.errors import ErrorType, ScriptError
from scriptvisor.protocol.values import (
    INT64_MAX,
    ValueMappingError,
    brief,
    check_wire,
    render_path,
)

PROTOCOL_VERSION = 1
DEFAULT_MAX_FRAME_BYTES = 8 * 1024 * 1024
LANGUAGES = frozenset(lang.value for lang in ScriptLanguage)
MAX_TIMESTAMP = 253402300799.0  # 9999-12-31T23:59:59Z: the last second a datetime can hold
MAX_NAME_LENGTH = 256  # script, checksum and host-function names


class FrameError(ValueError):
    """A frame is malformed: oversize, not msgpack, or outside its schema. Fatal for a child."""


# --- frame types -----------------------------------------------------------------------------


class LimitsWire(TypedDict):
    max_execution_time: float
    max_memory_bytes: int
    allowed_packages: list[str]
    max_host_calls: int
    max_host_payload_bytes: int
    max_log_lines: int


class MetricsWire(TypedDict):
    compilation_time: float
    execution_time: float
    memory_used: int
    host_calls: int


class PublishedWire(TypedDict):
    topic: str
    payload: Any


class ExecFrame(TypedDict):
    v: int
    t: Literal["exec"]
    id: int
    module: str
    name: str
    language: str
    checksum: str
    source: NotRequired[str]
    modules: NotRequired[dict[str, str]]
    input: dict[str, Any]
    limits: LimitsWire
    functions: list[str]


class CompileFrame(TypedDict):
    v: int
    t: Literal["compile"]
    id: int
    module: str
    name: str
    language: str
    checksum: str
    source: str
    modules: NotRequired[dict[str, str]]


class ReplyFrame(TypedDict):
    v: int
    t: Literal["reply"]
    id: int
    seq: int
    value: Any
    error: str | None


class PingFrame(TypedDict):
    v: int
    t: Literal["ping"]
    id: int


class CallFrame(TypedDict):
    v: int
    t: Literal["call"]
    id: int
    seq: int
    name: str
    args: list[Any]


class ResultFrame(TypedDict):
    v: int
    t: Literal["result"]
    id: int
    value: Any
    logs: list[str]
    published: list[PublishedWire]
    metrics: MetricsWire


class ErrorFrame(TypedDict):
    v: int
    t: Literal["error"]
    id: int
    type: str
    message: str
    module: str
    script: str
    line: int | None
    column: int | None
    timestamp: NotRequired[float]
    logs: NotRequired[list[str]]
    metrics: NotRequired[MetricsWire]


class ReadyFrame(TypedDict):
    v: int
    t: Literal["ready"]
    id: int
    pid: int


class PongFrame(TypedDict):
    v: int
    t: Literal["pong"]
    id: int


SupervisorFrame = ExecFrame | CompileFrame | ReplyFrame | PingFrame
ChildFrame = CallFrame | ResultFrame | ErrorFrame | ReadyFrame | PongFrame
Frame = SupervisorFrame | ChildFrame


# --- field checks ----------------------------------------------------------------------------
# A check takes the value and raises `_Invalid`; the enclosing maps and arrays add their field
# names on the way out, so a path string is only built for a frame that fails.

Check = Callable[[Any], None]
_TYPE_NAMES = {dict: "map", list: "array", str: "string", bytes: "binary", type(None): "null"}


class _Invalid(Exception):
    def __init__(self, reason: str, tail: str = "") -> None:
        super().__init__(reason)
        self.reason = reason
        self.tail = tail  # a path below the innermost segment (from a value check)
        self.segments: list[int | str] = []


def _wrong(expected: str, got: Any) -> _Invalid:
    return _Invalid(f"expected {expected}, got {_TYPE_NAMES.get(type(got), type(got).__name__)}")


def _int(lo: int = 0, hi: int = INT64_MAX, *, nullable: bool = False) -> Check:
    expected = f"int in [{lo}, {hi}]" + (" or null" if nullable else "")

    def check(x: Any) -> None:
        if type(x) is int:
            if lo <= x <= hi:
                return
            shown = x if x.bit_length() <= 64 else f"integer of {x.bit_length()} bits"
            raise _Invalid(f"{shown} is outside [{lo}, {hi}]")
        if x is None and nullable:
            return
        raise _wrong(expected, x)

    return check


def _float(lo: float, hi: float = math.inf, *, above: bool = False) -> Check:
    expected = f"finite float {'>' if above else '>='} {lo:g}"
    if hi < math.inf:
        expected += f" and <= {hi:g}"

    def check(x: Any) -> None:
        if type(x) is not float:
            raise _wrong(expected, x)
        if not math.isfinite(x) or x < lo or x > hi or (above and x == lo):
            raise _Invalid(f"{x!r} is not a {expected}")

    return check


def _str(x: Any) -> None:
    if type(x) is not str:
        raise _wrong("string", x)


def _name(x: Any) -> None:
    if type(x) is not str:
        raise _wrong("string", x)
    if not 0 < len(x) <= MAX_NAME_LENGTH:
        raise _Invalid(f"must be 1 to {MAX_NAME_LENGTH} characters")


def _str_or_null(x: Any) -> None:
    if x is not None and type(x) is not str:
        raise _wrong("string or null", x)


def _one_of(choices: Iterable[str]) -> Check:
    allowed = frozenset(choices)
    expected = " | ".join(sorted(allowed))

    def check(x: Any) -> None:
        if type(x) is not str:
            raise _wrong("string", x)
        if x not in allowed:
            raise _Invalid(f"{brief(repr(x))} is not one of {expected}")

    return check


def _str_list(x: Any) -> None:
    if type(x) is not list:
        raise _wrong("array of strings", x)
    for i, e in enumerate(x):
        if type(e) is not str:
            err = _wrong("string", e)
            err.segments.append(i)
            raise err


def _modules(x: Any) -> None:
    if type(x) is not dict:
        raise _wrong("map", x)
    for key, source in x.items():
        if type(key) is not str or len(key) > MAX_NAME_LENGTH:
            raise _Invalid(f"module name {brief(repr(key))} is not a string of at most "
                           f"{MAX_NAME_LENGTH} characters")
        if type(source) is not str:
            err = _wrong("string", source)
            err.segments.append(key)
            raise err


def _value(x: Any) -> None:
    try:
        check_wire(x, "")
    except ValueMappingError as exc:
        raise _Invalid(exc.reason, exc.path) from None


def _array(x: Any) -> None:
    if type(x) is not list:
        raise _wrong("array", x)
    _value(x)


def _variables(x: Any) -> None:
    if type(x) is not dict:
        raise _wrong("map", x)
    _value(x)


@dataclass(frozen=True, slots=True)
class _Schema:
    """Fields of one map: which must be present, which may be, and the check of each."""

    required: tuple[tuple[str, Check], ...]
    optional: tuple[tuple[str, Check], ...]
    allowed: frozenset[str]
    preset: int = 0  # fields the caller has already checked (a frame's `v` and `t`)


def _schema(
    required: Mapping[str, Check], optional: Mapping[str, Check] | None = None, preset: int = 0
) -> _Schema:
    optional = optional or {}
    allowed = frozenset(required) | frozenset(optional)
    return _Schema(tuple(required.items()), tuple(optional.items()), allowed, preset)


def _check_map(x: dict[Any, Any], schema: _Schema) -> None:
    for field, check in schema.required:
        try:
            check(x[field])
        except KeyError:
            missing = ", ".join(f for f, _ in schema.required if f not in x)
            raise _Invalid(f"missing field(s) {missing}") from None
        except _Invalid as exc:
            exc.segments.append(field)
            raise
    present = schema.preset + len(schema.required)
    for field, check in schema.optional:
        if field in x:
            present += 1
            try:
                check(x[field])
            except _Invalid as exc:
                exc.segments.append(field)
                raise
    if present != len(x):
        extra = ", ".join(sorted(brief(repr(k)) for k in x if k not in schema.allowed))
        raise _Invalid(f"unexpected field(s) {extra}")


def _map(schema: _Schema) -> Check:
    def check(x: Any) -> None:
        if type(x) is not dict:
            raise _wrong("map", x)
        _check_map(x, schema)

    return check


_LIMITS = _schema(
    {
        "max_execution_time": _float(0.0, above=True),
        "max_memory_bytes": _int(1),
        "allowed_packages": _str_list,
        "max_host_calls": _int(0),
        "max_host_payload_bytes": _int(1),
        "max_log_lines": _int(0),
    }
)
_METRICS = _schema(
    {
        "compilation_time": _float(0.0),
        "execution_time": _float(0.0),
        "memory_used": _int(0),
        "host_calls": _int(0),
    }
)
_PUBLISHED_ITEM = _map(_schema({"topic": _str, "payload": _value}))
LIMITS_FIELDS = _LIMITS.allowed
METRICS_FIELDS = _METRICS.allowed


def _published(x: Any) -> None:
    if type(x) is not list:
        raise _wrong("array", x)
    for i, e in enumerate(x):
        try:
            _PUBLISHED_ITEM(e)
        except _Invalid as exc:
            exc.segments.append(i)
            raise


# `v` and `t` are checked by `validate` itself before the type's schema is chosen.
_ID = {"id": _int(0)}
_SCRIPT = {"module": _str, "name": _name, "language": _one_of(LANGUAGES), "checksum": _name}


def _frame(required: Mapping[str, Check], optional: Mapping[str, Check] | None = None) -> _Schema:
    schema = _schema({**_ID, **required}, optional, preset=2)
    return replace(schema, allowed=schema.allowed | {"v", "t"})


SUPERVISOR_SCHEMAS: dict[str, _Schema] = {
    "exec": _frame(
        {**_SCRIPT, "input": _variables, "limits": _map(_LIMITS), "functions": _str_list},
        {"source": _str, "modules": _modules},
    ),
    "compile": _frame({**_SCRIPT, "source": _str}, {"modules": _modules}),
    "reply": _frame({"seq": _int(1), "value": _value, "error": _str_or_null}),
    "ping": _frame({}),
}
CHILD_SCHEMAS: dict[str, _Schema] = {
    "call": _frame({"seq": _int(1), "name": _name, "args": _array}),
    "result": _frame(
        {"value": _value, "logs": _str_list, "published": _published, "metrics": _map(_METRICS)}
    ),
    "error": _frame(
        {
            "type": _one_of(e.value for e in ErrorType),
            "message": _str,
            "module": _str,
            "script": _str,
            "line": _int(0, nullable=True),
            "column": _int(0, nullable=True),
        },
        {"timestamp": _float(0.0, MAX_TIMESTAMP), "logs": _str_list, "metrics": _map(_METRICS)},
    ),
    "ready": _frame({"pid": _int(0)}),
    "pong": _frame({}),
}
_ALL_SCHEMAS = {**SUPERVISOR_SCHEMAS, **CHILD_SCHEMAS}


# --- validation, encoding, decoding --------------------------------------------------------------


def _schema_of(frame: Any, schemas: dict[str, _Schema], sender: str) -> tuple[str, _Schema]:
    if type(frame) is not dict:
        raise FrameError(f"frame: {_wrong('map', frame).reason}")
    version = frame.get("v")
    if type(version) is not int or version != PROTOCOL_VERSION:
        raise FrameError(
            f"frame: protocol version {brief(repr(version))} is not {PROTOCOL_VERSION}"
        )
    kind = frame.get("t")
    if type(kind) is not str:
        raise FrameError(f"frame.t: {_wrong('string', kind).reason}")
    schema = schemas.get(kind)
    if schema is None:
        if kind in _ALL_SCHEMAS:
            raise FrameError(f"frame: type {kind!r} is not sent by {sender}")
        raise FrameError(f"frame: unknown type {brief(repr(kind))}")
    return kind, schema


def _check_frame(frame: dict[str, Any], kind: str, schema: _Schema) -> None:
    try:
        _check_map(frame, schema)
    except _Invalid as exc:
        path = render_path(kind, exc.segments[::-1]) + exc.tail
        raise FrameError(f"{path}: {exc.reason}") from None


@overload
def validate(frame: Any, *, from_child: Literal[True]) -> ChildFrame: ...
@overload
def validate(frame: Any, *, from_child: Literal[False]) -> SupervisorFrame: ...
@overload
def validate(frame: Any, *, from_child: bool) -> Frame: ...


def validate(frame: Any, *, from_child: bool) -> Frame:
    """`frame` (a decoded msgpack object) checked against its type's schema; `FrameError`
    otherwise. `from_child` selects the types a child may send (`call`, `result`, `error`,
    `ready`, `pong`) instead of those the supervisor sends."""
    if from_child:
        kind, schema = _schema_of(frame, CHILD_SCHEMAS, "a child")
    else:
        kind, schema = _schema_of(frame, SUPERVISOR_SCHEMAS, "the supervisor")
    _check_frame(frame, kind, schema)
    return cast(Frame, frame)


def encode(frame: Frame, *, max_size: int = DEFAULT_MAX_FRAME_BYTES, check: bool = True) -> bytes:
    """The msgpack bytes of `frame`; `FrameError` when it breaks its schema or is larger than
    `max_size`. `check=False` skips the schema for frames whose contents are already known
    good (values from `to_wire`, frames from the builders below) on a hot path."""
    if check:
        kind, schema = _schema_of(frame, _ALL_SCHEMAS, "anyone")
        _check_frame(cast(dict[str, Any], frame), kind, schema)
    try:
        data: bytes = msgpack.packb(frame, use_bin_type=True)
    except (TypeError, ValueError, OverflowError) as exc:  # only reachable with check=False
        raise FrameError(f"frame: cannot encode ({brief(str(exc))})") from None
    if len(data) > max_size:
        raise FrameError(f"frame: {len(data)} bytes exceed the {max_size}-byte cap")
    return data


def _refuse_ext(code: int, data: bytes) -> NoReturn:
    raise FrameError(f"frame: msgpack ext type {code} is not allowed")


def unpack(data: bytes, *, max_size: int = DEFAULT_MAX_FRAME_BYTES) -> Any:
    """Unpack untrusted msgpack `data` into plain objects, refusing oversize input and ext types
    (`FrameError`); no schema check."""
    if type(data) is not bytes:
        raise FrameError(f"frame: expected bytes, got {type(data).__name__}")
    size = len(data)
    if size > max_size:
        raise FrameError(f"frame: {size} bytes exceed the {max_size}-byte cap")
    try:
        return msgpack.unpackb(
            data,
            raw=False,
            strict_map_key=True,
            use_list=True,
            ext_hook=_refuse_ext,
            max_str_len=size,
            max_bin_len=size,
            max_array_len=size,
            max_map_len=size,
            max_ext_len=0,  # also refuses the timestamp ext (-1), which bypasses ext_hook
        )
    except FrameError:
        raise
    except msgpack.ExtraData:
        raise FrameError("frame: trailing bytes after the msgpack object") from None
    except msgpack.StackError:
        raise FrameError("frame: msgpack nested too deeply") from None
    except UnicodeDecodeError:
        raise FrameError("frame: string is not valid UTF-8") from None
    except ValueError as exc:
        text = str(exc)
        if "max_ext_len" in text:
            raise FrameError("frame: msgpack ext types are not allowed") from None
        raise FrameError(f"frame: bad msgpack ({brief(text) or type(exc).__name__})") from None
    except Exception as exc:  # hostile bytes must only ever produce a FrameError
        raise FrameError(f"frame: bad msgpack ({type(exc).__name__})") from None


@overload
def decode(data: bytes, *, from_child: Literal[True], max_size: int = ...) -> ChildFrame: ...
@overload
def decode(data: bytes, *, from_child: Literal[False], max_size: int = ...) -> SupervisorFrame: ...
@overload
def decode(data: bytes, *, from_child: bool, max_size: int = ...) -> Frame: ...


def decode(data: bytes, *, from_child: bool, max_size: int = DEFAULT_MAX_FRAME_BYTES) -> Frame:
    """Unpack and validate one frame (see `unpack` and `validate`); typed as a `ChildFrame`
    or `SupervisorFrame` when `from_child` is a literal."""
    return validate(unpack(data, max_size=max_size), from_child=from_child)


# --- builders ---------------------------------------------------------------------------------
# One per message type; they add the header and leave checking to `encode`.


def exec_frame(
    id: int,
    *,
    module: str,
    name: str,
    language: str,
    checksum: str,
    input: dict[str, Any],
    limits: LimitsWire,
    functions: Sequence[str],
    source: str | None = None,
    modules: dict[str, str] | None = None,
) -> ExecFrame:
    frame = ExecFrame(
        v=PROTOCOL_VERSION,
        t="exec",
        id=id,
        module=module,
        name=name,
        language=str(language),
        checksum=checksum,
        input=input,
        limits=limits,
        functions=list(functions),
    )
    if source is not None:
        frame["source"] = source
    if modules:
        frame["modules"] = modules
    return frame


def compile_frame(
    id: int,
    *,
    module: str,
    name: str,
    language: str,
    checksum: str,
    source: str,
    modules: dict[str, str] | None = None,
) -> CompileFrame:
    frame = CompileFrame(
        v=PROTOCOL_VERSION,
        t="compile",
        id=id,
        module=module,
        name=name,
        language=str(language),
        checksum=checksum,
        source=source,
    )
    if modules:
        frame["modules"] = modules
    return frame


def reply_frame(id: int, seq: int, value: Any = None, error: str | None = None) -> ReplyFrame:
    return ReplyFrame(v=PROTOCOL_VERSION, t="reply", id=id, seq=seq, value=value, error=error)


def ping_frame(id: int = 0) -> PingFrame:
    return PingFrame(v=PROTOCOL_VERSION, t="ping", id=id)


def call_frame(id: int, seq: int, name: str, args: Sequence[Any]) -> CallFrame:
    return CallFrame(v=PROTOCOL_VERSION, t="call", id=id, seq=seq, name=name, args=list(args))


def result_frame(
    id: int,
    value: Any,
    *,
    logs: Sequence[str] = (),
    published: Sequence[PublishedWire] = (),
    metrics: MetricsWire,
) -> ResultFrame:
    return ResultFrame(
        v=PROTOCOL_VERSION,
        t="result",
        id=id,
        value=value,
        logs=list(logs),
        published=list(published),
        metrics=metrics,
    )


def error_frame(
    id: int,
    error: ScriptError,
    *,
    logs: Sequence[str] | None = None,
    metrics: MetricsWire | None = None,
) -> ErrorFrame:
    """The `error` frame reporting `error`; `logs` default to the lines it carries."""
    frame = ErrorFrame(
        v=PROTOCOL_VERSION,
        t="error",
        id=id,
        type=error.type.value,
        message=error.message,
        module=error.module,
        script=error.script,
        line=error.line,
        column=error.column,
        timestamp=min(max(error.timestamp.timestamp(), 0.0), MAX_TIMESTAMP),
    )
    if logs is None:
        logs = error.logs  # what the script logged before failing
    if logs:
        frame["logs"] = list(logs)
    if metrics is not None:
        frame["metrics"] = metrics
    return frame


def ready_frame(pid: int, id: int = 0) -> ReadyFrame:
    return ReadyFrame(v=PROTOCOL_VERSION, t="ready", id=id, pid=pid)


def pong_frame(id: int = 0) -> PongFrame:
    return PongFrame(v=PROTOCOL_VERSION, t="pong", id=id)


def metrics_wire(
    compilation_time: float = 0.0,
    execution_time: float = 0.0,
    memory_used: int = 0,
    host_calls: int = 0,
) -> MetricsWire:
    return MetricsWire(
        compilation_time=float(compilation_time),
        execution_time=float(execution_time),
        memory_used=int(memory_used),
        host_calls=int(host_calls),
    )
