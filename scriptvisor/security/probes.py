"""What a compromised child would try, as Python running inside a real confined child.

The supervisor's probe hook (`PoolConfig(allow_probes=True)`, `Pool.spawn_probe`) imports
this module in a freshly forked child and calls one function with the child's
`ProbeContext` (`ctx.input` holds the step's input). A probe returns a value when it got
through and raises when it was stopped; the catalog says which outcome is expected.

Hostile-frame probes send raw bytes to the supervisor; with `ctx.input["control"]` each
sends the well-formed neighbour of its frame instead, which the supervisor must accept.
"""

from __future__ import annotations

import ctypes
import encodings.idna  # noqa: F401  (dns_lookup: a lazy codec import would fail first)
import mmap
import os
import signal
import socket
import subprocess
import time
from pathlib import Path
from typing import Any

import msgpack

_libc = ctypes.CDLL(None, use_errno=True)
_libc.mmap.restype = ctypes.c_void_p
_libc.mmap.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int, ctypes.c_int,
                       ctypes.c_int, ctypes.c_long]
_libc.mprotect.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int]
_PTRACE_TRACEME = 0
_CLONE_NEWUTS = 0x0400_0000


def _checked(rc: int) -> int:
    if rc < 0:
        err = ctypes.get_errno()
        raise OSError(err, os.strerror(err))
    return rc


# --- files ------------------------------------------------------------------------------------


def read_passwd(ctx: Any) -> int:
    return len(Path("/etc/passwd").read_bytes())


def write_file(ctx: Any) -> int:
    return Path(ctx.input["dir"], "escaped.txt").write_text("escaped")


def make_directory(ctx: Any) -> bool:
    os.mkdir(Path(ctx.input["dir"], "escaped"))
    return True


def make_symlink(ctx: Any) -> bool:
    os.symlink("/etc/passwd", Path(ctx.input["dir"], "passwd-link"))
    return True


def list_root(ctx: Any) -> int:
    return len(os.listdir("/"))


def stat_file(ctx: Any) -> int:
    return os.stat("/etc/passwd").st_size


def list_supervisor_sockets(ctx: Any) -> int:
    """The supervisor's private directory of children's sockets."""
    return len(os.listdir(ctx.input["sockets"]))


# --- network ----------------------------------------------------------------------------------


def connect_tcp(ctx: Any) -> bool:
    with socket.socket() as sock:  # not create_connection: no name lookup, just the calls
        sock.connect(("127.0.0.1", ctx.input["port"]))
        return True


def bind_tcp(ctx: Any) -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen(1)
        return int(sock.getsockname()[1])


def send_udp(ctx: Any) -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        return sock.sendto(b"escaped", ("127.0.0.1", ctx.input["port"]))


def connect_unix(ctx: Any) -> bool:
    """Another child's ZeroMQ socket, by path."""
    with socket.socket(socket.AF_UNIX) as sock:
        sock.connect(ctx.input["socket"])
        return True


def dns_lookup(ctx: Any) -> int:
    """The name service itself (the `idna` codec it needs is imported before confinement,
    so the lookup gets as far as glibc's files and DNS back ends)."""
    return len(socket.getaddrinfo("localhost", 80, type=socket.SOCK_STREAM))


# --- processes --------------------------------------------------------------------------------


def fork(ctx: Any) -> int:
    pid = os.fork()
    if pid == 0:
        os._exit(0)
    return os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1])


def run_program(ctx: Any) -> int:
    return subprocess.run(["/bin/true"], check=False).returncode


def exec_program(ctx: Any) -> None:
    os.execv("/bin/true", ["true"])


def start_thread(ctx: Any) -> bool:
    import threading

    thread = threading.Thread(target=lambda: None)
    thread.start()
    thread.join()
    return True


# --- environment and /proc --------------------------------------------------------------------


def environ_canary(ctx: Any) -> str:
    """The supervisor's environment (the runner plants a canary variable in it)."""
    return os.environ[ctx.input["canary"]]


def read_own_environ(ctx: Any) -> int:
    data = Path("/proc/self/environ").read_bytes()
    if ctx.input["canary"].encode() not in data:
        raise LookupError("the canary is not in /proc/self/environ")
    return len(data)


def read_supervisor_environ(ctx: Any) -> int:
    return len(Path(f"/proc/{ctx.input['supervisor']}/environ").read_bytes())


def read_supervisor_cmdline(ctx: Any) -> int:
    return len(Path(f"/proc/{ctx.input['supervisor']}/cmdline").read_bytes())


def read_supervisor_memory_map(ctx: Any) -> int:
    return len(Path(f"/proc/{ctx.input['supervisor']}/maps").read_bytes())


def list_processes(ctx: Any) -> int:
    return sum(name.isdigit() for name in os.listdir("/proc"))


# --- signals, ptrace, privileges --------------------------------------------------------------


def signal_zygote(ctx: Any) -> bool:
    os.kill(os.getppid(), 0)  # signal 0: the permission check, no signal
    return True


def signal_supervisor(ctx: Any) -> bool:
    os.kill(ctx.input["supervisor"], 0)
    return True


def signal_everyone(ctx: Any) -> bool:
    os.kill(-1, 0)
    return True


def ptrace_me(ctx: Any) -> int:
    return _checked(_libc.ptrace(_PTRACE_TRACEME, 0, None, None))


def become_root(ctx: Any) -> bool:
    os.setuid(0)
    return True


def new_namespace(ctx: Any) -> int:
    # CLONE_NEWUTS: a multithreaded process (ZeroMQ's threads) cannot enter a user namespace,
    # so the control uses a namespace root can always enter.
    return _checked(_libc.unshare(_CLONE_NEWUTS))


def executable_memory(ctx: Any) -> int:
    with mmap.mmap(-1, 4096, prot=mmap.PROT_READ | mmap.PROT_EXEC) as m:
        return len(m)


def make_memory_executable(ctx: Any) -> int:
    """Writable memory first (allowed), then `mprotect` it executable."""
    prot_rw, private_anon = mmap.PROT_READ | mmap.PROT_WRITE, mmap.MAP_PRIVATE | mmap.MAP_ANONYMOUS
    address = _libc.mmap(None, 4096, prot_rw, private_anon, -1, 0)
    if address in (None, ctypes.c_void_p(-1).value):
        raise OSError(ctypes.get_errno(), "mmap failed")
    return _checked(_libc.mprotect(address, 4096, mmap.PROT_READ | mmap.PROT_EXEC))


def memfd_create(ctx: Any) -> int:
    """An anonymous file, the usual first step of fileless execution."""
    fd = os.memfd_create("x")
    os.close(fd)
    return fd


# --- resource abuse only the supervisor's backstops see -----------------------------------------


def spin_with_deadline_blocked(ctx: Any) -> int:
    """CPU with the child's own deadline signal blocked (`seconds`: None spins forever)."""
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGALRM})
    seconds = ctx.input.get("seconds")
    end = time.monotonic() + seconds if seconds is not None else None
    spins = 0
    while end is None or time.monotonic() < end:
        spins += 1
    return spins


def hoard_memory(ctx: Any) -> int:
    """Memory grown by Python code outside the engine (`mib`: None grows forever)."""
    hoard: list[bytearray] = []
    limit = ctx.input.get("mib")
    while limit is None or len(hoard) < limit:
        hoard.append(bytearray(1 << 20))
    return len(hoard)


# --- hostile frames ---------------------------------------------------------------------------


def _frame(ctx: Any, kind: str, **fields: Any) -> dict[str, Any]:
    return {"v": 1, "t": kind, "id": ctx.request_id, **fields}


def _result(ctx: Any, value: Any = "well-formed") -> dict[str, Any]:
    metrics = {"compilation_time": 0.0, "execution_time": 0.0, "memory_used": 0, "host_calls": 0}
    return _frame(ctx, "result", value=value, logs=[], published=[], metrics=metrics)


def _send(ctx: Any, frame: Any, **packb: Any) -> None:
    ctx.send_raw(msgpack.packb(frame, **packb))


def _hostile(ctx: Any) -> bool:
    return not ctx.input.get("control")


def _result_frame_probe(ctx: Any, hostile: dict[str, Any], **packb: Any) -> None:
    _send(ctx, hostile if _hostile(ctx) else _result(ctx), **packb)


def _call(ctx: Any, seq: int, name: str = "publish", *args: Any) -> None:
    _send(ctx, _frame(ctx, "call", seq=seq, name=name, args=list(args or ("t", seq))))


def _calls_then_result(ctx: Any, count: int, payload: Any = 1) -> None:
    """The well-formed exchange: each call waits for its reply, then the result."""
    for seq in range(1, count + 1):
        _send(ctx, _frame(ctx, "call", seq=seq, name="publish", args=["t", payload]))
        ctx._server.await_reply(ctx.request_id, seq)
    _send(ctx, _result(ctx, count))


def valid_result(ctx: Any) -> None:
    _send(ctx, _result(ctx))


def oversize(ctx: Any) -> None:
    _send(ctx, _result(ctx, "x" * ((9 << 20) if _hostile(ctx) else (1 << 20))))


def bad_msgpack(ctx: Any) -> None:
    if _hostile(ctx):
        ctx.send_raw(b"\xc1\xc1\xc1 definitely not msgpack")
    else:
        valid_result(ctx)


def trailing_bytes(ctx: Any) -> None:
    ctx.send_raw(msgpack.packb(_result(ctx)) + (b"\x00" if _hostile(ctx) else b""))


def not_a_map(ctx: Any) -> None:
    _result_frame_probe(ctx, [1, "result", ctx.request_id])  # type: ignore[arg-type]


def wrong_types(ctx: Any) -> None:
    frame = _result(ctx)
    frame["id"] = str(ctx.request_id)
    _result_frame_probe(ctx, frame)


def bool_as_int(ctx: Any) -> None:
    frame = _result(ctx)
    frame["metrics"]["memory_used"] = True
    _result_frame_probe(ctx, frame)


def ext_type(ctx: Any) -> None:
    _result_frame_probe(ctx, _result(ctx, msgpack.ExtType(42, b"payload")))


def timestamp_ext(ctx: Any) -> None:
    _result_frame_probe(ctx, _result(ctx, msgpack.Timestamp(0, 0)))


def huge_integer(ctx: Any) -> None:
    _send(ctx, _result(ctx, 2**64 - 1 if _hostile(ctx) else 2**63 - 1))


def deep_nesting(ctx: Any) -> None:
    value: Any = 1
    for _ in range(200 if _hostile(ctx) else 20):
        value = [value]
    _send(ctx, _result(ctx, value))


def binary_map_key(ctx: Any) -> None:
    key = b"key" if _hostile(ctx) else "key"
    _send(ctx, _result(ctx, {key: 1}), use_bin_type=True)


def extra_field(ctx: Any) -> None:
    frame = _result(ctx)
    frame["admin"] = True
    _result_frame_probe(ctx, frame)


def wrong_version(ctx: Any) -> None:
    frame = _result(ctx)
    frame["v"] = 99
    _result_frame_probe(ctx, frame)


def unknown_type(ctx: Any) -> None:
    _result_frame_probe(ctx, _frame(ctx, "shell", command="id"))


def supervisor_only_type(ctx: Any) -> None:
    _result_frame_probe(ctx, _frame(ctx, "exec", module="m", name="n", language="tengo",
                                    checksum="c", input={}, limits={}, functions=[]))


def unknown_id(ctx: Any) -> None:
    frame = _result(ctx)
    frame["id"] = ctx.request_id + 12345
    _result_frame_probe(ctx, frame)


def ready_mid_request(ctx: Any) -> None:
    _result_frame_probe(ctx, _frame(ctx, "ready", pid=os.getpid()))


def call_unexposed_function(ctx: Any) -> None:
    if _hostile(ctx):
        _call(ctx, 1, "os_system", "id")
    else:
        _calls_then_result(ctx, 1)


def call_out_of_sequence(ctx: Any) -> None:
    if _hostile(ctx):
        _call(ctx, 7)
    else:
        _calls_then_result(ctx, 2)


def call_flood(ctx: Any) -> None:
    if not _hostile(ctx):
        _calls_then_result(ctx, 5)
        return
    for seq in range(1, 100_000):  # past max_host_calls, without waiting for replies
        _call(ctx, seq)


def call_oversize_payload(ctx: Any) -> None:
    if _hostile(ctx):
        _call(ctx, 1, "publish", "t", "p" * (2 << 20))
    else:
        _calls_then_result(ctx, 1, "p" * (1 << 19))


def frame_flood(ctx: Any) -> None:
    if not _hostile(ctx):
        valid_result(ctx)
        return
    frame = _result(ctx, "y" * (1 << 20))
    frame["id"] = ctx.request_id + 1
    data = msgpack.packb(frame)
    for _ in range(256):
        ctx.send_raw(data)
