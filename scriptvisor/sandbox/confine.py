"""The fixed-order sequence a child applies to itself before it reads any work.

    environment -> fds -> rlimits -> namespaces and identity -> no_new_privs -> Landlock
    -> capabilities -> [start_io()] -> RLIMIT_NPROC=0 -> seccomp (all threads) -> audit

Fail closed: a required layer that cannot be applied raises `ConfinementError` and the
process must `os._exit(EXIT_CONFINEMENT_FAILED)`; a layer the policy marks optional is
reported as unavailable (with the reason) when the host lacks it. Import every module
the child will need before calling `confine()`: afterwards opening files fails.
"""

from __future__ import annotations

import ctypes
import functools
import os
import resource
import signal
import time
from collections.abc import Callable, Collection

from scriptvisor.sandbox import landlock, namespaces, seccomp
from scriptvisor.sandbox.policy import DEFAULT, LAYER_ORDER, Identity, Layer, Policy
from scriptvisor.sandbox.report import (
    ConfinementError,
    ConfinementReport,
    LayerStatus,
    State,
    Unavailable,
)

EXIT_CONFINEMENT_FAILED = 121
PR_SET_NO_NEW_PRIVS = 38
PR_GET_NO_NEW_PRIVS = 39

_libc = ctypes.CDLL(None, use_errno=True)
_libc.clearenv.argtypes = []  # resolve the symbol now, in the zygote


def prepare(policy: Policy = DEFAULT) -> seccomp.Filter:
    """Build (and cache) the policy's seccomp filter: call it in the zygote, before fork."""
    return seccomp.compile_filter(policy.seccomp)


def confine(
    policy: Policy = DEFAULT,
    *,
    keep_fds: Collection[int] = (),
    start_io: Callable[[], object] | None = None,
) -> ConfinementReport:
    """Apply every layer of `policy` to this (single-threaded) process, irreversibly.

    `keep_fds` survive the descriptor sweep (stdio is pointed at /dev/null unless kept).
    `start_io` runs after Landlock and the capability drop but before RLIMIT_NPROC and
    seccomp: start threads and connections there (a ZeroMQ context, connect, handshake);
    they inherit every layer so far, and seccomp covers them through TSYNC. It must not
    read work: a failure after it still ends the child.
    """
    run = _Run(policy, frozenset(keep_fds))
    try:
        threads = len(os.listdir("/proc/self/task"))
    except OSError as exc:
        raise ConfinementError(None, f"/proc is unreadable: {exc}") from exc
    if threads != 1:
        raise ConfinementError(None, f"{threads} threads: start threads in start_io")
    run.apply(Layer.ENVIRONMENT, _scrub_environment)
    run.apply(Layer.FDS, lambda: _close_fds(run.keep, policy.stdio_to_devnull))
    # Opened now, read at the end: Landlock closes /proc to us in between.
    status_fd = os.open("/proc/self/status", os.O_RDONLY | os.O_CLOEXEC)
    try:
        run.apply(Layer.RLIMITS, lambda: _set_rlimits(policy))
        _namespaces(run)
        run.apply(Layer.NO_NEW_PRIVS, _no_new_privs)
        run.apply(Layer.LANDLOCK, lambda: landlock.restrict_self(policy.landlock))
        run.apply(Layer.CAPABILITIES, namespaces.drop_capabilities)
        if start_io is not None:
            run.call_hook(start_io)
        run.apply(Layer.PROCESS_LIMIT, lambda: _set_nproc(policy.rlimits.processes))
        run.apply(Layer.SECCOMP, lambda: _load_seccomp(prepare(policy)))
        _audit(run, os.pread(status_fd, 8192, 0).decode())
    finally:
        os.close(status_fd)
    return run.report()


class _Run:
    """Applies layers one by one and keeps their statuses."""

    def __init__(self, policy: Policy, keep: frozenset[int]) -> None:
        self.policy = policy
        self.keep = keep
        self.statuses: dict[Layer, LayerStatus] = {}
        self.started = time.perf_counter()

    def apply(self, layer: Layer, step: Callable[[], str]) -> bool:
        """Run `step` for `layer` unless disabled; True when the layer is now active."""
        if not self.policy.wants(layer):
            self._record(layer, State.DISABLED, "disabled by policy", 0.0)
            return False
        began = time.perf_counter()
        try:
            detail = step()
        except Unavailable as exc:
            if not self.policy.may_lack(layer):
                raise self.error(layer, f"unavailable: {exc}") from exc
            self._record(layer, State.UNAVAILABLE, str(exc), time.perf_counter() - began)
            return False
        except ConfinementError:
            raise
        except Exception as exc:
            raise self.error(layer, f"{type(exc).__name__}: {exc}") from exc
        self._record(layer, State.ACTIVE, detail, time.perf_counter() - began)
        return True

    def call_hook(self, hook: Callable[[], object]) -> None:
        try:
            hook()
        except Exception as exc:
            raise self.error(None, f"start_io failed: {type(exc).__name__}: {exc}") from exc

    def error(self, layer: Layer | None, reason: str) -> ConfinementError:
        return ConfinementError(layer, reason, self._ordered())

    def report(self) -> ConfinementReport:
        return ConfinementReport(
            self.policy.name, self._ordered(), time.perf_counter() - self.started
        )

    def _record(self, layer: Layer, state: State, detail: str, seconds: float) -> None:
        self.statuses[layer] = LayerStatus(layer, state, detail, seconds)

    def _ordered(self) -> tuple[LayerStatus, ...]:
        return tuple(self.statuses[x] for x in LAYER_ORDER if x in self.statuses)


# --- the steps ---------------------------------------------------------------------------


def _scrub_environment() -> str:
    count = len(os.environ)
    for key in list(os.environ):  # os.environ.clear() is quadratic
        del os.environ[key]
    _libc.clearenv()
    # /proc/self/environ shows the block the kernel copied at exec, whatever libc does
    # with its `environ` array afterwards: overwrite it.
    fd = os.open("/proc/self/stat", os.O_RDONLY | os.O_CLOEXEC)
    try:
        fields = os.read(fd, 4096).rsplit(b")", 1)[1].split()
    finally:
        os.close(fd)
    start, end = int(fields[47]), int(fields[48])  # stat fields 50 and 51
    if 0 < start < end and end - start < 1 << 20:
        ctypes.memset(start, 0, end - start)
    return f"{count} variables removed, {max(end - start, 0)}-byte block zeroed"


def _close_fds(keep: frozenset[int], stdio_to_devnull: bool) -> str:
    """Close every descriptor but stdio and `keep`; stdio reads/writes /dev/null."""
    if stdio_to_devnull:
        null = os.open("/dev/null", os.O_RDWR)
        for fd in (0, 1, 2):
            if fd not in keep:
                os.dup2(null, fd)
        if null > 2:
            os.close(null)
    low = 3
    for fd in sorted(k for k in keep if k >= 3):
        os.closerange(low, fd)
        low = fd + 1
    os.closerange(low, 2**31 - 1)
    expected = keep | {0, 1, 2}
    # The listing holds one descriptor of its own; anything beyond that survived.
    stray = [fd for fd in map(int, os.listdir("/proc/self/fd")) if fd not in expected]
    if len(stray) > 1:
        raise OSError(f"descriptors survived the sweep: {stray}")
    return f"open: {sorted(expected)}"


_RLIMITS = {
    "address_space": resource.RLIMIT_AS,
    "cpu_seconds": resource.RLIMIT_CPU,
    "open_files": resource.RLIMIT_NOFILE,
    "file_size": resource.RLIMIT_FSIZE,
    "core": resource.RLIMIT_CORE,
    "stack": resource.RLIMIT_STACK,
}


def _lower(which: int, soft: int, hard: int) -> tuple[int, int]:
    """Set a limit, never above the current hard one (which only root could raise)."""
    current_hard = resource.getrlimit(which)[1]
    if current_hard != resource.RLIM_INFINITY:
        soft, hard = min(soft, current_hard), min(hard, current_hard)
    resource.setrlimit(which, (soft, hard))
    return soft, hard


def _set_rlimits(policy: Policy) -> str:
    limits = policy.rlimits
    fd = os.open("/proc/self/statm", os.O_RDONLY | os.O_CLOEXEC)
    try:
        size = int(os.read(fd, 256).split()[0]) * resource.getpagesize()
    finally:
        os.close(fd)
    if size > limits.address_space:
        raise ValueError(f"address_space {limits.address_space} is below the size {size}")
    applied = []
    for name, which in _RLIMITS.items():
        value = getattr(limits, name)
        hard = value + 1 if which == resource.RLIMIT_CPU else value
        applied.append(f"{name}={_lower(which, value, hard)[0]}")
    # A write past RLIMIT_FSIZE then fails with EFBIG instead of killing the child.
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    return ", ".join(applied)


def _set_nproc(value: int) -> str:
    soft, _ = _lower(resource.RLIMIT_NPROC, value, value)
    return f"RLIMIT_NPROC={soft}: no new processes or threads"


_NS_FLAGS = {
    Layer.NET_NAMESPACE: namespaces.CLONE_NEWNET,
    Layer.IPC_NAMESPACE: namespaces.CLONE_NEWIPC,
}


def _unshare(flag: int) -> str:
    try:
        namespaces.unshare(flag)
    except OSError as exc:
        raise Unavailable(f"unshare: {exc.strerror} (needs root or a user namespace)") from exc
    return "entered"


def _become(identity: Identity) -> str:
    if os.geteuid() != 0:
        os.seteuid(0)  # a saved or real uid of 0 could be taken back later: take it now
    namespaces.drop_bounding_set()  # only root can, and only now
    return namespaces.become(identity)


def _namespaces(run: _Run) -> None:
    """Net/ipc namespaces, identity and the user namespace, in the order that works.

    Root unshares net/ipc itself, then gives up root, then enters a user namespace as
    the unprivileged user. Anyone else gets net/ipc only through the user namespace.
    """
    policy = run.policy
    wanted = [layer for layer in _NS_FLAGS if policy.wants(layer)]
    if 0 in os.getresuid():
        for layer in wanted:
            run.apply(layer, functools.partial(_unshare, _NS_FLAGS[layer]))
        run.apply(Layer.IDENTITY, lambda: _become(policy.identity))
        run.apply(Layer.USER_NAMESPACE, lambda: namespaces.enter_user_namespace(policy.identity, 0))
        return
    run.apply(Layer.IDENTITY, lambda: f"not root: uid {os.getuid()} gid {os.getgid()}")
    extra = 0
    for layer in wanted:
        extra |= _NS_FLAGS[layer]
    in_userns = run.apply(
        Layer.USER_NAMESPACE, lambda: namespaces.enter_user_namespace(policy.identity, extra)
    )
    for layer in wanted:
        if in_userns:
            run.apply(layer, lambda: "entered with the user namespace")
        else:
            run.apply(layer, functools.partial(_unshare, _NS_FLAGS[layer]))


def _no_new_privs() -> str:
    namespaces.prctl(PR_SET_NO_NEW_PRIVS, 1)
    if namespaces.prctl(PR_GET_NO_NEW_PRIVS) != 1:
        raise OSError("PR_SET_NO_NEW_PRIVS did not stick")
    return "set"


def _load_seccomp(program: seccomp.Filter) -> str:
    seccomp.load(program, tsync=True)
    return f"{len(program.insns)} BPF instructions ({program.arch.name}), all threads"


def _audit(run: _Run, status: str) -> None:
    """Check the kernel's own view (/proc/self/status, opened before Landlock)."""
    fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
    value = {k: v.split() for k, v in fields.items()}
    checks = {
        Layer.NO_NEW_PRIVS: value["NoNewPrivs"] == ["1"],
        Layer.SECCOMP: value["Seccomp"] == ["2"],
        Layer.CAPABILITIES: all(
            int(value[k][0], 16) == 0 for k in ("CapInh", "CapPrm", "CapEff", "CapAmb")
        ),
        Layer.IDENTITY: "0" not in value["Uid"] + value["Gid"],
    }
    for layer, ok in checks.items():
        applied = run.statuses.get(layer)
        if not ok and applied is not None and applied.state is State.ACTIVE:
            raise run.error(layer, f"audit of /proc/self/status disagrees: {status!r}")
