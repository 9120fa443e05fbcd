"""The frames a `Client` and the supervisor's daemon endpoint exchange (ROUTER/DEALER).

Same envelope and rules as `frames` (msgpack map `{"v", "t", "id", ...}`, size cap before
unpacking, no ext types, exact type checks); `id` is chosen by the client, one per request.

| type      | direction         | fields after v, t, id                                          |
|-----------|-------------------|----------------------------------------------------------------|
| `run`     | client → daemon   | module, name, input, functions, [limits], [timeout]            |
| `source`  | client → daemon   | source, language, module, name, input, functions, [limits],    |
|           |                   | [timeout]                                                      |
| `reply`   | client → daemon   | seq, value, error (answers a `call`)                           |
| `ping`    | either way        | - (the daemon pings a client that owes a reply: is it there?)  |
| `call`    | daemon → client   | seq, name, args (a script calls a host function of the client) |
| `result`  | daemon → client   | value, logs, published, metrics (as a child's `result`)        |
| `error`   | daemon → client   | the script's error (as a child's `error`)                      |
| `refused` | daemon → client   | kind (`overloaded`, `closed`, `unavailable`, `invalid`),       |
|           |                   | message: nothing ran                                           |
| `pong`    | either way        | -                                                              |

`input` holds the input variables as wire values; `functions` names the host functions the
client serves for this request; `limits` is a `SecurityLimits` in JSON form (the daemon
validates it and caps it at its own limits); `timeout` overrides `max_execution_time`.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import zmq

from scriptvisor.protocol import frames
from scriptvisor.protocol.errors import ScriptError
from scriptvisor.protocol.frames import (  # the schema toolkit of `frames`, shared
    CHILD_SCHEMAS,
    LANGUAGES,
    PROTOCOL_VERSION,
    SUPERVISOR_SCHEMAS,
    FrameError,
    _check_frame,
    _float,
    _frame,
    _Invalid,
    _name,
    _one_of,
    _schema_of,
    _str,
    _str_list,
    _variables,
    _wrong,
)
from scriptvisor.protocol.models import ScriptOutput

REFUSALS = ("overloaded", "closed", "unavailable", "invalid")


def _limits(x: Any) -> None:
    if type(x) is not dict:
        raise _wrong("map", x)
    for key in x:
        if type(key) is not str:
            raise _Invalid("limit names must be strings")


_REQUEST = {"module": _str, "name": _name, "input": _variables, "functions": _str_list}
_OPTIONS = {"limits": _limits, "timeout": _float(0.0, above=True)}

CLIENT_SCHEMAS = {
    "run": _frame(_REQUEST, _OPTIONS),
    "source": _frame({**_REQUEST, "source": _str, "language": _one_of(LANGUAGES)}, _OPTIONS),
    "reply": SUPERVISOR_SCHEMAS["reply"],
    "ping": SUPERVISOR_SCHEMAS["ping"],
    "pong": CHILD_SCHEMAS["pong"],
}
DAEMON_SCHEMAS = {
    "call": CHILD_SCHEMAS["call"],
    "result": CHILD_SCHEMAS["result"],
    "error": CHILD_SCHEMAS["error"],
    "refused": _frame({"kind": _one_of(REFUSALS), "message": _str}),
    "ping": SUPERVISOR_SCHEMAS["ping"],
    "pong": CHILD_SCHEMAS["pong"],
}


def drain(socket: zmq.Socket[bytes]) -> Iterator[list[bytes]]:
    """Every message waiting on `socket` (as its parts), without blocking; asks the socket's
    events instead of ending on an `Again` exception, which costs more than a message."""
    while int(socket.getsockopt(zmq.EVENTS)) & zmq.POLLIN:
        yield socket.recv_multipart(zmq.NOBLOCK)


def decode(data: bytes, *, from_client: bool, max_size: int) -> dict[str, Any]:
    """Unpack and check one frame; `FrameError` for anything malformed."""
    frame = frames.unpack(data, max_size=max_size)
    schemas = CLIENT_SCHEMAS if from_client else DAEMON_SCHEMAS
    kind, schema = _schema_of(frame, schemas, "a client" if from_client else "the daemon")
    _check_frame(frame, kind, schema)
    return frame  # type: ignore[no-any-return]


def encode(frame: dict[str, Any], max_size: int) -> bytes:
    """Builders below make well-formed frames: only the size (and unencodable values) can fail."""
    return frames.encode(frame, check=False, max_size=max_size)  # type: ignore[arg-type]


def header(kind: str, id: int) -> dict[str, Any]:
    return {"v": PROTOCOL_VERSION, "t": kind, "id": id}


def refused(id: int, kind: str, message: str) -> dict[str, Any]:
    return {**header("refused", id), "kind": kind, "message": message}


def output_frame(id: int, output: ScriptOutput) -> dict[str, Any]:
    """The `result` or `error` frame a `ScriptOutput` travels as (`ScriptOutput.from_frame`
    reads it back)."""
    m = output.metrics
    metrics = frames.metrics_wire(m.compilation_time, m.execution_time, m.memory_used,
                                  m.host_calls)
    if output.error is None:
        published = [{"topic": p.topic, "payload": p.payload} for p in output.published]
        return dict(frames.result_frame(id, output.result, logs=output.logs,
                                        published=published,  # type: ignore[arg-type]
                                        metrics=metrics))
    error: ScriptError = output.error.to_exception(output.logs)
    return dict(frames.error_frame(id, error, logs=output.logs, metrics=metrics))


__all__ = ["CLIENT_SCHEMAS", "DAEMON_SCHEMAS", "REFUSALS", "FrameError", "decode", "drain",
           "encode", "header", "output_frame", "refused"]
