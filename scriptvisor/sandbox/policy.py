"""Confinement policy as frozen data: which layers, which limits, which syscalls.

A `Policy` names every layer a child applies to itself (see `Layer`, in the order
`confine()` applies them) and how much each matters: required layers must be active or
confinement fails; `optional` layers may be unavailable on a host (reported with the
reason) when `allow_degraded` is set; `disabled` layers are skipped. Everything here is
hashable, so a compiled seccomp filter can be cached per policy and built before fork.
"""

from __future__ import annotations

import errno as _errno
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from enum import IntFlag, StrEnum
from types import MappingProxyType

KIB = 1024
MIB = 1024 * KIB
GIB = 1024 * MIB


class Layer(StrEnum):
    """One step of confinement, in the order `confine()` applies them."""

    ENVIRONMENT = "environment"  # scrub os.environ and the /proc/self/environ block
    FDS = "fds"  # stdio to /dev/null, close inherited fds except an allowlist
    RLIMITS = "rlimits"  # address space, CPU, files, file size, core, stack
    NET_NAMESPACE = "net_namespace"  # no network interfaces but a down loopback
    IPC_NAMESPACE = "ipc_namespace"  # no SysV IPC / POSIX queues shared with the host
    IDENTITY = "identity"  # never root: unprivileged uid/gid, no supplementary groups
    USER_NAMESPACE = "user_namespace"  # one mapped uid/gid, setgroups denied
    NO_NEW_PRIVS = "no_new_privs"  # PR_SET_NO_NEW_PRIVS (Landlock and seccomp need it)
    LANDLOCK = "landlock"  # no file-system access at all, no TCP, scoped signals
    CAPABILITIES = "capabilities"  # empty effective/permitted/inheritable/ambient/bounding
    PROCESS_LIMIT = "process_limit"  # RLIMIT_NPROC=0, after the caller's threads exist
    SECCOMP = "seccomp"  # syscall allowlist on every thread, applied last


LAYER_ORDER: tuple[Layer, ...] = tuple(Layer)


# --- rlimits -------------------------------------------------------------------------


@dataclass(frozen=True)
class Rlimits:
    """Resource limits, soft == hard (CPU: hard = soft + 1 s so SIGXCPU comes first).

    Every value is finite. `address_space` counts virtual memory (thread stacks, malloc
    arenas, the interpreter's mappings), so it must sit well above the idle footprint.
    """

    address_space: int = 1 * GIB
    cpu_seconds: int = 600
    open_files: int = 64
    processes: int = 0  # no new processes or threads once applied
    file_size: int = 0  # no bytes written to regular files (writes fail with EFBIG)
    core: int = 0
    stack: int = 8 * MIB

    def __post_init__(self) -> None:
        for name, value in self.items():
            if value < 0:
                raise ValueError(f"rlimit {name} must be >= 0, got {value}")
        if self.open_files < 3:
            raise ValueError("rlimit open_files must leave room for stdio")

    def items(self) -> tuple[tuple[str, int], ...]:
        return tuple((f, getattr(self, f)) for f in self.__dataclass_fields__)


# --- namespaces and identity -----------------------------------------------------------


@dataclass(frozen=True)
class Identity:
    """The unprivileged uid/gid a child runs as (outside when root, inside its user ns)."""

    uid: int = 65534
    gid: int = 65534

    def __post_init__(self) -> None:
        if self.uid <= 0 or self.gid <= 0:
            raise ValueError("a confined child never runs as uid or gid 0")


# --- Landlock --------------------------------------------------------------------------


class FsAccess(IntFlag):
    """Landlock file-system access rights (uapi `LANDLOCK_ACCESS_FS_*`)."""

    EXECUTE = 1 << 0
    WRITE_FILE = 1 << 1
    READ_FILE = 1 << 2
    READ_DIR = 1 << 3
    REMOVE_DIR = 1 << 4
    REMOVE_FILE = 1 << 5
    MAKE_CHAR = 1 << 6
    MAKE_DIR = 1 << 7
    MAKE_REG = 1 << 8
    MAKE_SOCK = 1 << 9
    MAKE_FIFO = 1 << 10
    MAKE_BLOCK = 1 << 11
    MAKE_SYM = 1 << 12
    REFER = 1 << 13  # ABI 2
    TRUNCATE = 1 << 14  # ABI 3
    IOCTL_DEV = 1 << 15  # ABI 5


class NetAccess(IntFlag):
    """Landlock network access rights (ABI 4)."""

    BIND_TCP = 1 << 0
    CONNECT_TCP = 1 << 1


class Scope(IntFlag):
    """Landlock IPC scoping (ABI 6): no reaching outside the domain."""

    ABSTRACT_UNIX_SOCKET = 1 << 0
    SIGNAL = 1 << 1


@dataclass(frozen=True)
class LandlockPolicy:
    """Rights to handle (deny) with no exceptions: an empty ruleset means no file access.

    Rights the running kernel's ABI does not know are dropped (best effort); the report
    says which ABI was used. Note `ABSTRACT_UNIX_SOCKET` scoping: talk to the supervisor
    over a path-named `ipc://` socket, not an abstract (`@name`) one.
    """

    fs: FsAccess = FsAccess(0xFFFF)
    net: NetAccess = NetAccess.BIND_TCP | NetAccess.CONNECT_TCP
    scoped: Scope = Scope.ABSTRACT_UNIX_SOCKET | Scope.SIGNAL


# --- seccomp ---------------------------------------------------------------------------


class Action(StrEnum):
    ALLOW = "allow"
    ERRNO = "errno"  # the call fails with `Outcome.errno`; Python raises an ordinary OSError
    KILL = "kill"  # SECCOMP_RET_KILL_PROCESS: the supervisor sees SIGSYS


@dataclass(frozen=True)
class Outcome:
    action: Action
    errno: int = 0

    def __post_init__(self) -> None:
        if (self.action is Action.ERRNO) != (0 < self.errno < 4096):
            raise ValueError(f"errno {self.errno} does not fit action {self.action}")

    def __str__(self) -> str:
        if self.action is Action.ERRNO:
            return f"errno {_errno.errorcode.get(self.errno, self.errno)}"
        return self.action.value


ALLOW = Outcome(Action.ALLOW)
KILL = Outcome(Action.KILL)
EACCES = Outcome(Action.ERRNO, _errno.EACCES)
ENOTTY = Outcome(Action.ERRNO, _errno.ENOTTY)


@dataclass(frozen=True)
class ArgCheck:
    """Holds when `(args[index] & mask)` is one of `values` (64-bit arithmetic)."""

    index: int
    mask: int
    values: tuple[int, ...]

    def __post_init__(self) -> None:
        if not 0 <= self.index < 6:
            raise ValueError(f"syscall argument index {self.index} out of range")
        if not 0 < self.mask < 1 << 64 or not self.values:
            raise ValueError("an argument check needs a 64-bit mask and some values")
        if any(v & ~self.mask for v in self.values):
            raise ValueError(f"values {self.values} have bits outside mask {self.mask:#x}")

    def holds(self, args: tuple[int, ...]) -> bool:
        return (args[self.index] & self.mask) in self.values


@dataclass(frozen=True)
class SyscallRule:
    """`then` when every check in `when` holds (or there are none), else `otherwise`."""

    name: str
    then: Outcome = ALLOW
    when: tuple[ArgCheck, ...] = ()
    otherwise: Outcome = KILL
    why: str = ""

    def decide(self, args: tuple[int, ...]) -> Outcome:
        return self.then if all(c.holds(args) for c in self.when) else self.otherwise


@dataclass(frozen=True)
class SeccompPolicy:
    """The syscall table: one rule per name (names absent on an arch are skipped)."""

    rules: tuple[SyscallRule, ...]
    default: Outcome = KILL

    def __post_init__(self) -> None:
        names = [r.name for r in self.rules]
        dupes = sorted({n for n in names if names.count(n) > 1})
        if dupes:
            raise ValueError(f"syscalls with more than one rule: {dupes}")

    def rule(self, name: str) -> SyscallRule | None:
        return next((r for r in self.rules if r.name == name), None)

    def decide(self, name: str, args: tuple[int, ...] = (0,) * 6) -> Outcome:
        """What the policy says for this call (the compiled filter must agree)."""
        rule = self.rule(name)
        return self.default if rule is None else rule.decide(args)


def allow(*names: str, why: str) -> tuple[SyscallRule, ...]:
    return tuple(SyscallRule(n, ALLOW, why=why) for n in names)


def fail(outcome: Outcome, *names: str, why: str) -> tuple[SyscallRule, ...]:
    return tuple(SyscallRule(n, outcome, why=why) for n in names)


PROT_EXEC = 0x4
AT_EMPTY_PATH = 0x1000
F_GETFD, F_SETFD, F_GETFL, F_SETFL = 1, 2, 3, 4
_NO_EXEC = (ArgCheck(2, PROT_EXEC, (0,)),)

# Hot calls first: the kernel caches always-allowed calls anyway, the rest are scanned.
# fmt: off
DEFAULT_SYSCALLS = SeccompPolicy(
    rules=(
        *allow(
            "getpid", "poll", "ppoll", "read", "write", "epoll_wait", "epoll_pwait",
            "epoll_pwait2", "epoll_ctl", "sendto", "recvfrom",
            why="serve loop: ZeroMQ polling, eventfd signalling, ipc socket I/O",
        ),
        *allow(
            "readv", "writev", "pread64", "sendmsg", "recvmsg", "close",
            why="I/O on descriptors the child already holds",
        ),
        *allow(
            "munmap", "brk", "madvise", "mremap",
            why="memory management (bounded by RLIMIT_AS)",
        ),
        SyscallRule("mmap", ALLOW, _NO_EXEC, KILL, why="memory, never executable"),
        SyscallRule("mprotect", ALLOW, _NO_EXEC, KILL, why="memory, never executable"),
        *allow(
            "futex", "gettid", "set_robust_list", "rseq", "membarrier", "sched_yield",
            why="threads that exist already (ZeroMQ I/O threads) and their locks",
        ),
        *allow(
            "rt_sigreturn", "rt_sigprocmask", "rt_sigaction", "sigaltstack",
            "restart_syscall", "setitimer", "getitimer",
            why="signal handling and the SIGALRM deadline ticks of the engine guard",
        ),
        *allow(
            "clock_gettime", "clock_getres", "clock_nanosleep", "nanosleep", "getrandom",
            "getrusage",
            why="time, randomness and CPU accounting",
        ),
        *allow("exit", "exit_group", why="ending a thread or the child"),
        *allow("getuid", "geteuid", "getgid", "getegid", why="identity queries"),
        *allow("fstat", why="size of a held descriptor"),
        SyscallRule(
            "newfstatat", ALLOW, (ArgCheck(3, AT_EMPTY_PATH, (AT_EMPTY_PATH,)),), EACCES,
            why="glibc's fstat(); path lookups fail with EACCES",
        ),
        SyscallRule(
            "fcntl", ALLOW, (ArgCheck(1, 0xFFFF_FFFF, (F_GETFD, F_SETFD, F_GETFL, F_SETFL)),),
            EACCES, why="descriptor flags only (no dup, locks or signal owners)",
        ),
        *fail(ENOTTY, "ioctl", why="isatty() answers False"),
        *fail(
            EACCES,
            "open", "openat", "openat2", "creat", "stat", "lstat", "statx", "access",
            "faccessat", "faccessat2", "readlink", "readlinkat", "getdents", "getdents64",
            "mkdir", "mkdirat", "rmdir", "unlink", "unlinkat", "rename", "renameat",
            "renameat2", "link", "linkat", "symlink", "symlinkat", "chdir", "fchdir",
            "getcwd", "chmod", "fchmod", "fchmodat", "fchmodat2", "chown", "fchown",
            "lchown", "fchownat", "truncate", "ftruncate", "statfs", "fstatfs", "utime",
            "utimes", "utimensat", "futimesat", "mknod", "mknodat",
            why="file-system access fails as an ordinary PermissionError",
        ),
    ),
    default=KILL,
)
# fmt: on


# --- the whole policy --------------------------------------------------------------------


@dataclass(frozen=True)
class Policy:
    """Everything a child applies to itself; see the module docstring for the knobs."""

    name: str
    rlimits: Rlimits = field(default_factory=Rlimits)
    identity: Identity = field(default_factory=Identity)
    landlock: LandlockPolicy = field(default_factory=LandlockPolicy)
    seccomp: SeccompPolicy = DEFAULT_SYSCALLS
    optional: frozenset[Layer] = frozenset()
    disabled: frozenset[Layer] = frozenset()
    allow_degraded: bool = True
    stdio_to_devnull: bool = True

    def __post_init__(self) -> None:
        both = self.optional & self.disabled
        if both:
            raise ValueError(f"layers both optional and disabled: {sorted(both)}")

    def wants(self, layer: Layer) -> bool:
        return layer not in self.disabled

    def may_lack(self, layer: Layer) -> bool:
        """Whether `layer` may be unavailable without failing confinement."""
        return self.allow_degraded and layer in self.optional

    def without(self, *layers: Layer) -> Policy:
        """This policy with `layers` switched off (tests: one guard at a time)."""
        gone = frozenset(layers)
        return replace(self, disabled=self.disabled | gone, optional=self.optional - gone)

    def only(self, *layers: Layer) -> Policy:
        """This policy with every layer but `layers` switched off."""
        return self.without(*(set(Layer) - set(layers)))


# Kernel features a host may lack (or an administrator may switch off).
HOST_DEPENDENT = frozenset(
    {Layer.USER_NAMESPACE, Layer.NET_NAMESPACE, Layer.IPC_NAMESPACE, Layer.LANDLOCK}
)

DEFAULT = Policy(name="default", optional=HOST_DEPENDENT)
STRICT = Policy(name="strict", allow_degraded=False)

PROFILES: Mapping[str, Policy] = MappingProxyType({p.name: p for p in (DEFAULT, STRICT)})


def profile(name: str) -> Policy:
    try:
        return PROFILES[name]
    except KeyError:
        raise KeyError(f"no sandbox profile {name!r}; known: {sorted(PROFILES)}") from None
