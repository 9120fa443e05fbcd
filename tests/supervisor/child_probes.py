"""Python probes the tests run inside a real confined child (`Pool.spawn_probe`).

Each takes the child's `ProbeContext`; what it returns becomes the execution's result.
Imported by the zygote's child before confinement (this directory is put on sys.path
by the conftest, and the zygote inherits the supervisor's sys.path).
"""

from __future__ import annotations

import os
import signal
from typing import Any

import msgpack  # type: ignore[import-untyped]


def echo(ctx: Any) -> Any:
    return ctx.input


def spin_forever(ctx: Any) -> None:
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGALRM})
    while True:
        pass


def grow_forever(ctx: Any) -> None:
    hoard = []
    while True:
        hoard.append(bytearray(1 << 20))


def fork(ctx: Any) -> int:
    pid = os.fork()
    if pid == 0:
        os._exit(0)
    return pid


def send_garbage(ctx: Any) -> None:
    ctx.send_raw(b"\xc1 this is not msgpack")


def send_wrong_id(ctx: Any) -> None:
    frame = {"v": 1, "t": "result", "id": ctx.request_id + 1000, "value": 1, "logs": [],
             "published": [], "metrics": _metrics()}
    ctx.send_raw(msgpack.packb(frame))


def send_valid_result(ctx: Any) -> None:
    frame = {"v": 1, "t": "result", "id": ctx.request_id, "value": "forged but well-formed",
             "logs": [], "published": [], "metrics": _metrics()}
    ctx.send_raw(msgpack.packb(frame))


def _metrics() -> dict[str, Any]:
    return {"compilation_time": 0.0, "execution_time": 0.0, "memory_used": 0, "host_calls": 0}
