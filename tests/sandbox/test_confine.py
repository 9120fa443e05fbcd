"""Confinement in a forked child, tested in pairs: every probe runs once with the guard
off (it must work) and once with it on (it must be blocked in the expected way)."""

from __future__ import annotations

import contextlib
import ctypes
import errno
import mmap
import os
import shutil
import signal
import socket
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import msgpack  # type: ignore[import-untyped]
import pytest
import zmq

from scriptvisor.engines import guard
from scriptvisor.engines.limits import ExecutionTimeout
from scriptvisor.sandbox import (
    DEFAULT,
    STRICT,
    ConfinementError,
    ConfinementReport,
    Layer,
    State,
    confine,
)
from scriptvisor.sandbox import landlock as landlock_mod
from scriptvisor.sandbox import namespaces as namespaces_mod
from scriptvisor.sandbox.doctor import doctor
from scriptvisor.sandbox.policy import Policy, Rlimits

pytestmark = pytest.mark.timeout(60)

ROOT = os.geteuid() == 0
needs_root = pytest.mark.skipif(not ROOT, reason="the control needs root")
libc = ctypes.CDLL(None, use_errno=True)
Child = Callable[..., Any]


@pytest.fixture
def tcp_listener() -> Iterator[socket.socket]:
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(8)
    yield server
    server.close()


def _checked(rc: int) -> int:
    if rc < 0:
        err = ctypes.get_errno()
        raise OSError(err, os.strerror(err))
    return rc


# --- the probes ---------------------------------------------------------------------------


def read_file() -> int:
    return len(Path("/etc/passwd").read_bytes())


def list_directory() -> int:
    return len(os.listdir("/"))


def stat_path() -> int:
    return os.stat("/etc/passwd").st_size


def current_directory() -> str:
    return os.getcwd()


def read_environ_block() -> int:
    return len(Path("/proc/self/environ").read_bytes())


def start_child_process() -> int:
    pid = os.fork()
    if pid == 0:
        os._exit(7)
    return os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1])


def start_thread() -> bool:
    thread = threading.Thread(target=lambda: None)
    thread.start()
    thread.join()
    return True


def signal_parent() -> bool:
    os.kill(os.getppid(), 0)  # signal 0: the permission check without a signal
    return True


def trace_me() -> int:
    return _checked(libc.ptrace(0, 0, None, None))  # PTRACE_TRACEME


def map_executable() -> int:
    with mmap.mmap(-1, 4096, prot=mmap.PROT_READ | mmap.PROT_EXEC) as m:
        return len(m)


def make_writable_page_executable() -> int:
    page = mmap.mmap(-1, 4096)  # read-write, anonymous
    address = ctypes.addressof(ctypes.c_char.from_buffer(page))
    return _checked(libc.mprotect(ctypes.c_void_p(address), ctypes.c_size_t(4096), 5))  # R|X


def become_root_again() -> bool:
    os.setuid(0)
    return True


def unshare_again() -> int:
    return _checked(libc.unshare(0x1000_0000))  # CLONE_NEWUSER


def execute_program() -> None:
    os.execv("/bin/true", ["true"])


def map_two_gib() -> int:
    with mmap.mmap(-1, 2 << 30) as m:
        return len(m)


def make_socket() -> None:
    socket.socket().close()


PermissionDenied = ("PermissionError", errno.EACCES)

# name -> (probe, expected when confined: ("error", name, errno) or ("signal", SIGSYS))
PROBES: dict[str, tuple[Callable[[], Any], tuple[Any, ...]]] = {
    "open a file for reading": (read_file, ("error", *PermissionDenied)),
    "list a directory": (list_directory, ("error", *PermissionDenied)),
    "stat a path": (stat_path, ("error", *PermissionDenied)),
    "get the working directory": (current_directory, ("error", *PermissionDenied)),
    "read /proc/self/environ": (read_environ_block, ("error", *PermissionDenied)),
    "create a socket": (make_socket, ("signal", signal.SIGSYS)),
    "fork": (start_child_process, ("signal", signal.SIGSYS)),
    "start a thread": (start_thread, ("signal", signal.SIGSYS)),
    "kill the parent": (signal_parent, ("signal", signal.SIGSYS)),
    "ptrace": (trace_me, ("signal", signal.SIGSYS)),
    "mmap PROT_EXEC": (map_executable, ("signal", signal.SIGSYS)),
    "mprotect PROT_EXEC": (make_writable_page_executable, ("signal", signal.SIGSYS)),
    "unshare again": (unshare_again, ("signal", signal.SIGSYS)),
    "map 2 GiB": (map_two_gib, ("error", "OSError", errno.ENOMEM)),
}


def assert_blocked(result: Any, expected: tuple[Any, ...]) -> None:
    if expected[0] == "signal":
        assert result.killed_by(expected[1]), result
    else:
        assert result.failed_with(expected[1], expected[2]), result


@pytest.mark.parametrize("name", list(PROBES))
def test_probe_pair(child: Child, name: str) -> None:
    probe, expected = PROBES[name]
    off = child(probe)
    assert off.ok, off
    assert_blocked(child(probe, DEFAULT), expected)


def test_write_a_file_pair(child: Child, tmp_path: Path) -> None:
    target = tmp_path / "out.txt"
    probe = lambda: target.write_text("x")  # noqa: E731
    assert child(probe).ok
    assert child(probe, DEFAULT).failed_with(*PermissionDenied)
    assert target.read_text() == "x"  # only the unconfined run wrote


def test_connect_to_localhost_pair(child: Child, tcp_listener: socket.socket) -> None:
    port = tcp_listener.getsockname()[1]
    early = socket.socket()  # made before confinement: only connect() is probed
    probe = lambda: early.connect(("127.0.0.1", port))  # noqa: E731
    try:
        assert child(probe, keep_fds={early.fileno()}).ok
        assert child(probe, DEFAULT, keep_fds={early.fileno()}).killed_by(signal.SIGSYS)
    finally:
        early.close()


def test_bind_pair(child: Child) -> None:
    early = socket.socket()
    probe = lambda: early.bind(("127.0.0.1", 0))  # noqa: E731
    try:
        assert child(probe, keep_fds={early.fileno()}).ok
        assert child(probe, DEFAULT, keep_fds={early.fileno()}).killed_by(signal.SIGSYS)
    finally:
        early.close()


def test_exec_pair(child: Child) -> None:
    off = child(execute_program)
    assert off.code == 0 and off.payload is None  # /bin/true replaced the child
    assert child(execute_program, DEFAULT).killed_by(signal.SIGSYS)


@needs_root
def test_setuid_back_to_root_pair(child: Child) -> None:
    assert child(become_root_again).ok
    assert child(become_root_again, DEFAULT).killed_by(signal.SIGSYS)


# --- each layer alone (defence in depth: the others are off) ---------------------------------

LANDLOCK_ONLY = DEFAULT.only(Layer.NO_NEW_PRIVS, Layer.LANDLOCK)


@pytest.mark.parametrize("probe", [read_file, list_directory])
def test_landlock_alone_blocks_file_access(child: Child, probe: Callable[[], Any]) -> None:
    assert child(probe).ok
    assert child(probe, LANDLOCK_ONLY).failed_with(*PermissionDenied)


def test_landlock_alone_blocks_writes(child: Child, tmp_path: Path) -> None:
    probe = lambda: (tmp_path / "f").write_text("x")  # noqa: E731
    assert child(probe).ok
    assert child(probe, LANDLOCK_ONLY).failed_with(*PermissionDenied)


def test_net_namespace_alone_has_no_route(child: Child, tcp_listener: socket.socket) -> None:
    port = tcp_listener.getsockname()[1]

    def connect() -> None:
        with socket.create_connection(("127.0.0.1", port), timeout=5):
            pass

    policy = DEFAULT.only(Layer.NET_NAMESPACE, Layer.USER_NAMESPACE)
    assert child(connect).ok
    assert child(connect, policy).failed_with("OSError", errno.ENETUNREACH)


@needs_root
def test_identity_alone_cannot_become_root(child: Child) -> None:
    assert child(become_root_again).ok
    assert child(become_root_again, DEFAULT.only(Layer.IDENTITY)).failed_with(
        "PermissionError", errno.EPERM
    )


@needs_root
def test_capabilities_alone_take_root_powers(child: Child) -> None:
    become_nobody = lambda: os.setuid(65534)  # noqa: E731
    assert child(become_nobody).ok
    assert child(become_nobody, DEFAULT.only(Layer.CAPABILITIES)).failed_with(
        "PermissionError", errno.EPERM
    )


@pytest.mark.parametrize("probe", [start_child_process, start_thread])
def test_process_limit_blocks_new_processes_and_threads(
    child: Child, probe: Callable[[], Any]
) -> None:
    policy = DEFAULT.only(Layer.IDENTITY, Layer.PROCESS_LIMIT)  # root ignores RLIMIT_NPROC
    assert child(probe).ok
    blocked = child(probe, policy)
    assert blocked.failed_with("BlockingIOError") or blocked.failed_with("RuntimeError"), blocked


def test_file_size_limit_blocks_writes_to_held_files(child: Child, tmp_path: Path) -> None:
    held = os.open(tmp_path / "held", os.O_WRONLY | os.O_CREAT, 0o600)
    probe = lambda: os.write(held, b"data")  # noqa: E731
    try:
        assert child(probe, keep_fds={held}).ok
        blocked = child(probe, DEFAULT.only(Layer.RLIMITS), keep_fds={held})
        assert blocked.failed_with("OSError", errno.EFBIG), blocked
    finally:
        os.close(held)


def test_address_space_limit(child: Child) -> None:
    assert child(map_two_gib).ok
    assert child(map_two_gib, DEFAULT.only(Layer.RLIMITS)).failed_with("OSError", errno.ENOMEM)


def test_environment_scrub_alone(child: Child) -> None:
    def environment() -> tuple[int, bool]:
        return len(os.environ), b"=" in Path("/proc/self/environ").read_bytes()

    assert child(environment).value == [len(os.environ), True]
    assert child(environment, DEFAULT.only(Layer.ENVIRONMENT)).value == [0, False]


def test_inherited_descriptors_are_closed(child: Child, tmp_path: Path) -> None:
    stray = os.open(tmp_path / "stray", os.O_WRONLY | os.O_CREAT, 0o600)
    probe = lambda: os.fstat(stray).st_size  # noqa: E731
    try:
        assert child(probe).ok
        assert child(probe, DEFAULT.only(Layer.FDS)).failed_with("OSError", errno.EBADF)
    finally:
        os.close(stray)


# --- what still works inside --------------------------------------------------------------


def test_confined_child_keeps_what_it_needs(child: Child) -> None:
    read_end, write_end = os.pipe()
    os.write(write_end, b"held")
    statm = 60  # a known number, so the parent can name it in keep_fds

    def open_statm() -> None:  # what the engine's memory watch holds, opened after fork
        os.dup2(os.open("/proc/self/statm", os.O_RDONLY), statm)

    def work() -> dict[str, Any]:
        started = time.monotonic()
        with contextlib.suppress(ExecutionTimeout), guard.watched(0.05, 0):
            while True:  # the SIGALRM deadline ticks of the engine guard
                pass
        return {
            "pread": os.read(read_end, 4).decode(),
            "random": len(os.urandom(16)),
            "deadline_ms": (time.monotonic() - started) * 1e3,
            "pid": os.getpid() > 0,
            "uid": os.getuid(),
            "environ": dict(os.environ),
            "isatty": os.isatty(1),
            "rss_pages": int(os.pread(statm, 64, 0).split()[1]),
        }

    try:
        result = child(work, DEFAULT, keep_fds={read_end, statm}, setup=open_statm)
    finally:
        os.close(read_end)
        os.close(write_end)
    assert result.ok, result
    value = result.value
    assert value["pread"] == "held" and value["random"] == 16 and value["pid"]
    assert value["deadline_ms"] < 1000
    assert value["uid"] == 65534 and value["environ"] == {} and value["isatty"] is False
    assert value["rss_pages"] > 0


def test_report_lists_every_layer_active(child: Child) -> None:
    result = child(lambda: None, DEFAULT)
    assert result.ok, result
    report = ConfinementReport.from_dict(result.payload["report"])
    assert [s.layer for s in report.layers] == list(Layer)
    unavailable = {s.layer: s.detail for s in report.layers if s.state is not State.ACTIVE}
    assert not unavailable  # this kind of machine has every layer
    assert not report.degraded


def test_doctor_probes_without_changing_the_caller(
    fit_policy: Callable[[Policy], Policy],
) -> None:
    statuses = doctor(fit_policy(DEFAULT))
    assert [s.layer for s in statuses] == list(Layer)
    assert all(s.state is State.ACTIVE for s in statuses), statuses
    assert os.environ  # the caller kept its environment
    assert landlock_mod.abi_version() >= 1


def drop_to_uid_1000() -> None:
    os.setgroups([])
    os.setresgid(1000, 1000, 1000)
    os.setresuid(1000, 1000, 1000)


@needs_root
def test_a_non_root_caller_gets_every_layer_through_a_user_namespace(child: Child) -> None:
    result = child(read_file, DEFAULT, setup=drop_to_uid_1000)
    assert result.failed_with(*PermissionDenied), result
    report = ConfinementReport.from_dict(result.payload["report"])
    assert all(s.state is State.ACTIVE for s in report.layers), report
    assert "not root" in report.layers[list(Layer).index(Layer.IDENTITY)].detail


def refuse_user_namespaces(monkeypatch: pytest.MonkeyPatch) -> None:
    real = namespaces_mod.unshare

    def unshare(flags: int) -> None:
        if flags & namespaces_mod.CLONE_NEWUSER:
            raise OSError(errno.EPERM, "unshare: Operation not permitted")
        real(flags)

    monkeypatch.setattr(namespaces_mod, "unshare", unshare)


@pytest.mark.parametrize("as_root", [True, False], ids=["root", "non-root"])
def test_without_user_namespaces_the_policy_decides(
    child: Child, monkeypatch: pytest.MonkeyPatch, as_root: bool
) -> None:
    if not ROOT:
        pytest.skip("switching between root and non-root needs root")
    refuse_user_namespaces(monkeypatch)
    setup = None if as_root else drop_to_uid_1000
    degraded = child(read_file, DEFAULT, setup=setup)
    assert degraded.failed_with(*PermissionDenied), degraded  # still confined
    report = ConfinementReport.from_dict(degraded.payload["report"])
    assert report.state(Layer.USER_NAMESPACE) is State.UNAVAILABLE
    # root makes the net and ipc namespaces itself; anyone else needs the user namespace
    net = State.ACTIVE if as_root else State.UNAVAILABLE
    assert report.state(Layer.NET_NAMESPACE) is net
    assert report.state(Layer.IDENTITY) is State.ACTIVE
    assert report.state(Layer.SECCOMP) is State.ACTIVE
    strict = child(read_file, STRICT, setup=setup)
    assert strict.error == "ConfinementError", strict
    assert strict.payload["layer"] in ("user_namespace", "net_namespace")


# --- fail closed -----------------------------------------------------------------------------


def test_refuses_a_multithreaded_process(child: Child) -> None:
    def confine_with_a_thread() -> None:
        stop = threading.Event()
        threading.Thread(target=stop.wait, daemon=True).start()
        try:
            confine(DEFAULT)
        finally:
            stop.set()

    result = child(confine_with_a_thread)
    assert result.failed_with("ConfinementError"), result
    assert "thread" in result.payload["message"]


def test_failing_start_io_ends_confinement(child: Child) -> None:
    def broken() -> None:
        raise ConnectionError("supervisor gone")

    result = child(lambda: None, DEFAULT, start_io=broken)
    assert result.payload["stage"] == "confine" and result.error == "ConfinementError"
    assert "supervisor gone" in result.payload["message"]


def test_required_layer_failure_raises(child: Child) -> None:
    tiny = replace(DEFAULT, rlimits=Rlimits(address_space=1 << 20))
    result = child(lambda: None, tiny)
    assert result.error == "ConfinementError" and result.payload["layer"] == "rlimits", result


@pytest.mark.parametrize(("policy", "survives"), [(DEFAULT, True), (STRICT, False)])
def test_missing_landlock_is_fatal_only_when_required(
    child: Child, policy: Any, survives: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(landlock_mod, "abi_version", lambda: 0)  # a kernel without it
    result = child(lambda: None, policy)
    if survives:
        report = ConfinementReport.from_dict(result.payload["report"])
        assert report.state(Layer.LANDLOCK) is State.UNAVAILABLE and report.degraded
        assert report.state(Layer.SECCOMP) is State.ACTIVE
    else:
        assert result.error == "ConfinementError" and result.payload["layer"] == "landlock"


# --- a real ZeroMQ round trip in a fully confined child ----------------------------------------


def _status_of_threads(pid: int) -> list[dict[str, str]]:
    rows = []
    for task in sorted(os.listdir(f"/proc/{pid}/task")):
        try:
            text = Path(f"/proc/{pid}/task/{task}/status").read_text()
        except (FileNotFoundError, ProcessLookupError):
            continue  # a short-lived thread ended between listing and reading: nothing to audit
        fields = dict(line.split(":\t", 1) for line in text.splitlines() if ":\t" in line)
        rows.append({k: fields[k].strip() for k in ("Seccomp", "NoNewPrivs", "CapEff", "Uid")})
    return rows


@pytest.fixture
def ipc_dir() -> Iterator[str]:
    path = tempfile.mkdtemp(prefix="sv-sandbox-")
    os.chmod(path, 0o711)  # the child's uid must reach the socket
    yield path
    shutil.rmtree(path, ignore_errors=True)


def test_zeromq_round_trip_in_a_fully_confined_child(
    ipc_dir: str, fit_policy: Callable[[Policy], Policy]
) -> None:
    policy = fit_policy(DEFAULT)
    address = f"ipc://{ipc_dir}/supervisor.sock"
    context = zmq.Context()
    router = context.socket(zmq.ROUTER)
    old_umask = os.umask(0)  # anyone may connect: the child is uid 65534
    try:
        router.bind(address)
    finally:
        os.umask(old_umask)
    router.setsockopt(zmq.RCVTIMEO, 20_000)
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:
        try:
            os.close(read_end)
            _confined_dealer(address, write_end, policy)
        finally:
            os._exit(3)
    os.close(write_end)
    try:
        identity, hello = router.recv_multipart()
        assert msgpack.unpackb(hello) == {"t": "hello"}
        router.send_multipart([identity, msgpack.packb({"t": "welcome"})])
        identity, ready = router.recv_multipart()
        report = msgpack.unpackb(ready)
        assert report["t"] == "ready"
        threads = _status_of_threads(pid)  # the kernel's view while the child waits
        assert len(threads) >= 3  # main + ZeroMQ's I/O and reaper threads
        for row in threads:
            assert row["Seccomp"] == "2" and row["NoNewPrivs"] == "1", threads
            assert int(row["CapEff"], 16) == 0 and "0" not in row["Uid"].split(), threads
        for n in range(100):
            router.send_multipart([identity, msgpack.packb({"t": "exec", "n": n})])
            identity, reply = router.recv_multipart()
            assert msgpack.unpackb(reply) == {"t": "result", "n": n, "value": n * n}
        router.send_multipart([identity, msgpack.packb({"t": "stop"})])
        _, status = os.waitpid(pid, 0)
        assert os.waitstatus_to_exitcode(status) == 0, os.read(read_end, 4096)
    finally:
        os.close(read_end)
        router.close(0)
        context.term()


def _confined_dealer(address: str, report_fd: int, policy: Policy) -> None:
    """The child: connect in start_io, confine, then serve until told to stop."""
    held: dict[str, Any] = {}

    def start_io() -> None:
        context = zmq.Context(io_threads=1)
        dealer = context.socket(zmq.DEALER)
        dealer.setsockopt(zmq.LINGER, 0)
        dealer.setsockopt(zmq.RECONNECT_IVL, -1)  # a reconnect would need socket()
        dealer.connect(address)
        dealer.send(msgpack.packb({"t": "hello"}))
        if msgpack.unpackb(dealer.recv()) != {"t": "welcome"}:
            raise ConnectionError("no welcome")
        held.update(context=context, dealer=dealer)

    try:
        confine(policy, keep_fds={report_fd}, start_io=start_io)
    except ConfinementError as exc:
        os.write(report_fd, str(exc).encode())
        os._exit(121)
    dealer = held["dealer"]
    dealer.send(msgpack.packb({"t": "ready"}))
    while True:
        frame = msgpack.unpackb(dealer.recv())
        if frame["t"] == "stop":
            break
        dealer.send(msgpack.packb({"t": "result", "n": frame["n"], "value": frame["n"] ** 2}))
    dealer.close(0)
    held["context"].term()
    os._exit(0)
