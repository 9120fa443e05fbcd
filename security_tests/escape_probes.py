"""Probes a compromised child would try, run as Python inside a real child.

The supervisor runs them through its test hook (`Pool.spawn_probe`): once in a child
confined with the default policy, once in a child with every layer switched off (the
control, which must succeed). Each takes the child's `ProbeContext` (`ctx.input` holds what
the test passed in) and returns something the supervisor can carry back.
"""

from __future__ import annotations

import ctypes
import mmap
import os
import signal
import socket
import subprocess
from pathlib import Path
from typing import Any

import msgpack  # type: ignore[import-untyped]

_libc = ctypes.CDLL(None, use_errno=True)


def _checked(rc: int) -> int:
    if rc < 0:
        err = ctypes.get_errno()
        raise OSError(err, os.strerror(err))
    return rc


# --- escapes ------------------------------------------------------------------------------


def read_passwd(ctx: Any) -> int:
    return len(Path("/etc/passwd").read_bytes())


def write_file(ctx: Any) -> int:
    return Path(ctx.input["dir"], "escaped.txt").write_text("escaped")


def list_root(ctx: Any) -> int:
    return len(os.listdir("/"))


def read_supervisor_environ(ctx: Any) -> int:
    return len(Path(f"/proc/{ctx.input['supervisor']}/environ").read_bytes())


def read_own_environ(ctx: Any) -> int:
    return len(Path("/proc/self/environ").read_bytes())


def read_supervisor_memory_map(ctx: Any) -> int:
    return len(Path(f"/proc/{ctx.input['supervisor']}/maps").read_bytes())


def connect_tcp(ctx: Any) -> bool:
    with socket.socket() as sock:  # not create_connection: no name lookup, just the calls
        sock.connect(("127.0.0.1", ctx.input["port"]))
        return True


def fork(ctx: Any) -> int:
    pid = os.fork()
    if pid == 0:
        os._exit(0)
    return os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1])


def run_program(ctx: Any) -> int:
    return subprocess.run(["/bin/true"], check=False).returncode


def exec_program(ctx: Any) -> None:
    os.execv("/bin/true", ["true"])


def signal_zygote(ctx: Any) -> bool:
    os.kill(os.getppid(), 0)  # signal 0: the permission check, no signal
    return True


def signal_supervisor(ctx: Any) -> bool:
    os.kill(ctx.input["supervisor"], 0)
    return True


def ptrace_me(ctx: Any) -> int:
    return _checked(_libc.ptrace(0, 0, None, None))  # PTRACE_TRACEME


def become_root(ctx: Any) -> bool:
    os.setuid(0)
    return True


def executable_memory(ctx: Any) -> int:
    with mmap.mmap(-1, 4096, prot=mmap.PROT_READ | mmap.PROT_EXEC) as m:
        return len(m)


def new_namespace(ctx: Any) -> int:
    # CLONE_NEWUTS: a multithreaded process (ZeroMQ's threads) cannot enter a user namespace,
    # so the control uses a namespace root can always enter.
    return _checked(_libc.unshare(0x0400_0000))


# --- resource abuse the child's own guard does not see (the supervisor's backstops) ---------


def spin_with_deadline_blocked(ctx: Any) -> None:
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGALRM})
    while True:
        pass


def hoard_memory(ctx: Any) -> None:
    hoard = []
    while True:
        hoard.append(bytearray(1 << 20))


# --- hostile frames ---------------------------------------------------------------------------


def _frame(ctx: Any, kind: str, **fields: Any) -> dict[str, Any]:
    return {"v": 1, "t": kind, "id": ctx.request_id, **fields}


def _result(ctx: Any, value: Any = "well-formed") -> dict[str, Any]:
    metrics = {"compilation_time": 0.0, "execution_time": 0.0, "memory_used": 0, "host_calls": 0}
    return _frame(ctx, "result", value=value, logs=[], published=[], metrics=metrics)


def _send(ctx: Any, frame: Any, **packb: Any) -> None:
    ctx.send_raw(msgpack.packb(frame, **packb))


def valid_result(ctx: Any) -> None:
    _send(ctx, _result(ctx))


def oversize(ctx: Any) -> None:
    ctx.send_raw(msgpack.packb(_result(ctx, "x" * (9 << 20))))


def bad_msgpack(ctx: Any) -> None:
    ctx.send_raw(b"\xc1\xc1\xc1 definitely not msgpack")


def trailing_bytes(ctx: Any) -> None:
    ctx.send_raw(msgpack.packb(_result(ctx)) + b"\x00")


def not_a_map(ctx: Any) -> None:
    _send(ctx, [1, "result", ctx.request_id])


def wrong_types(ctx: Any) -> None:
    frame = _result(ctx)
    frame["id"] = str(ctx.request_id)
    _send(ctx, frame)


def bool_as_int(ctx: Any) -> None:
    frame = _result(ctx)
    frame["metrics"]["memory_used"] = True
    _send(ctx, frame)


def ext_type(ctx: Any) -> None:
    _send(ctx, _result(ctx, msgpack.ExtType(42, b"payload")))


def timestamp_ext(ctx: Any) -> None:
    _send(ctx, _result(ctx, msgpack.Timestamp(0, 0)))


def huge_integer(ctx: Any) -> None:
    _send(ctx, _result(ctx, 2**64 - 1))


def deep_nesting(ctx: Any) -> None:
    value: Any = 1
    for _ in range(200):
        value = [value]
    _send(ctx, _result(ctx, value))


def binary_map_key(ctx: Any) -> None:
    _send(ctx, _result(ctx, {b"key": 1}), use_bin_type=True)


def extra_field(ctx: Any) -> None:
    frame = _result(ctx)
    frame["admin"] = True
    _send(ctx, frame)


def wrong_version(ctx: Any) -> None:
    frame = _result(ctx)
    frame["v"] = 99
    _send(ctx, frame)


def unknown_type(ctx: Any) -> None:
    _send(ctx, _frame(ctx, "shell", command="id"))


def supervisor_only_type(ctx: Any) -> None:
    _send(ctx, _frame(ctx, "exec", module="m", name="n", language="tengo", checksum="c",
                      input={}, limits={}, functions=[]))


def unknown_id(ctx: Any) -> None:
    frame = _result(ctx)
    frame["id"] = ctx.request_id + 12345
    _send(ctx, frame)


def ready_mid_request(ctx: Any) -> None:
    _send(ctx, _frame(ctx, "ready", pid=os.getpid()))


def call_unexposed_function(ctx: Any) -> None:
    _send(ctx, _frame(ctx, "call", seq=1, name="os_system", args=["id"]))


def call_out_of_sequence(ctx: Any) -> None:
    _send(ctx, _frame(ctx, "call", seq=7, name="publish", args=["t", 1]))


def call_flood(ctx: Any) -> None:
    for seq in range(1, 100_000):  # past max_host_calls, without waiting for replies
        _send(ctx, _frame(ctx, "call", seq=seq, name="publish", args=["t", seq]))


def call_oversize_payload(ctx: Any) -> None:
    _send(ctx, _frame(ctx, "call", seq=1, name="publish", args=["t", "p" * (2 << 20)]))


def frame_flood(ctx: Any) -> None:
    frame = _result(ctx, "y" * (1 << 20))
    frame["id"] = ctx.request_id + 1
    data = msgpack.packb(frame)
    for _ in range(256):
        ctx.send_raw(data)
