"""The syscall filter: compiled once from a `SeccompPolicy` to classic BPF, loaded last.

`compile_filter()` turns the rule table into a BPF program for the running architecture
(x86_64 or aarch64; x32 and 32-bit compat calls are killed) and caches it per policy, so
a zygote builds it once before forking. `load()` installs it with `seccomp(2)` and
`SECCOMP_FILTER_FLAG_TSYNC`, covering threads that already exist (ZeroMQ's I/O threads).
`evaluate()` runs a compiled program in Python: tests check every rule against it.
"""

from __future__ import annotations

import ctypes
import errno
import functools
import platform
import struct
from dataclasses import dataclass

from scriptvisor.sandbox.policy import (
    ALLOW,
    KILL,
    Action,
    ArgCheck,
    Outcome,
    SeccompPolicy,
    SyscallRule,
)

# Syscall numbers (x86_64, aarch64) of every name a policy may mention; None = no such call.
# fmt: off
SYSCALLS: dict[str, tuple[int | None, int | None]] = {
    "getuid": (102, 174), "geteuid": (107, 175), "getgid": (104, 176), "getegid": (108, 177),
    "read": (0, 63), "write": (1, 64), "readv": (19, 65), "writev": (20, 66), "pread64": (17, 67),
    "poll": (7, None), "ppoll": (271, 73), "epoll_wait": (232, None), "epoll_pwait": (281, 22),
    "epoll_pwait2": (441, 441), "epoll_ctl": (233, 21), "sendto": (44, 206), "recvfrom": (45, 207),
    "sendmsg": (46, 211), "recvmsg": (47, 212), "getpid": (39, 172), "gettid": (186, 178),
    "munmap": (11, 215), "brk": (12, 214), "madvise": (28, 233), "mremap": (25, 216),
    "futex": (202, 98), "close": (3, 57), "exit": (60, 93), "exit_group": (231, 94),
    "rt_sigreturn": (15, 139), "rt_sigprocmask": (14, 135), "rt_sigaction": (13, 134),
    "sigaltstack": (131, 132), "clock_gettime": (228, 113), "clock_getres": (229, 114),
    "clock_nanosleep": (230, 115), "nanosleep": (35, 101), "sched_yield": (24, 124),
    "getrandom": (318, 278), "restart_syscall": (219, 128), "getrusage": (98, 165),
    "set_robust_list": (273, 99), "rseq": (334, 293), "membarrier": (324, 283),
    "setitimer": (38, 103), "getitimer": (36, 102), "fstat": (5, 80), "mmap": (9, 222),
    "mprotect": (10, 226), "newfstatat": (262, 79), "fcntl": (72, 25), "ioctl": (16, 29),
    "open": (2, None), "openat": (257, 56), "openat2": (437, 437), "creat": (85, None),
    "stat": (4, None), "lstat": (6, None), "statx": (332, 291), "access": (21, None),
    "faccessat": (269, 48), "faccessat2": (439, 439), "readlink": (89, None),
    "readlinkat": (267, 78), "getdents": (78, None), "getdents64": (217, 61), "mkdir": (83, None),
    "mkdirat": (258, 34), "rmdir": (84, None), "unlink": (87, None), "unlinkat": (263, 35),
    "rename": (82, None), "renameat": (264, 38), "renameat2": (316, 276), "link": (86, None),
    "linkat": (265, 37), "symlink": (88, None), "symlinkat": (266, 36), "chdir": (80, 49),
    "fchdir": (81, 50), "getcwd": (79, 17), "chmod": (90, None), "fchmod": (91, 52),
    "fchmodat": (268, 53), "fchmodat2": (452, 452), "chown": (92, None), "fchown": (93, 55),
    "lchown": (94, None), "fchownat": (260, 54), "truncate": (76, 45), "ftruncate": (77, 46),
    "statfs": (137, 43), "fstatfs": (138, 44), "utime": (132, None), "utimes": (235, None),
    "utimensat": (280, 88), "futimesat": (261, None), "mknod": (133, None), "mknodat": (259, 33),
    "socket": (41, 198), "connect": (42, 203), "bind": (49, 200), "listen": (50, 201),
    "accept": (43, 202), "accept4": (288, 242), "clone": (56, 220), "clone3": (435, 435),
    "fork": (57, None), "vfork": (58, None), "execve": (59, 221), "execveat": (322, 281),
    "kill": (62, 129), "tkill": (200, 130), "tgkill": (234, 131), "ptrace": (101, 117),
    "setuid": (105, 146), "setgid": (106, 144), "setresuid": (117, 147), "setresgid": (119, 149),
    "setgroups": (116, 159), "unshare": (272, 97), "setns": (308, 268), "mount": (165, 40),
    "prctl": (157, 167), "seccomp": (317, 277), "bpf": (321, 280), "pkey_mprotect": (329, 288),
    "process_vm_readv": (310, 270), "process_vm_writev": (311, 271), "personality": (135, 92),
}
# fmt: on


@dataclass(frozen=True)
class Arch:
    name: str
    audit_arch: int  # AUDIT_ARCH_* as seen in seccomp_data.arch
    column: int  # index into SYSCALLS values
    x32_bit: int  # syscall numbers with this bit set belong to another ABI (0: none)

    def number(self, name: str) -> int | None:
        try:
            return SYSCALLS[name][self.column]
        except KeyError:
            raise KeyError(f"unknown syscall {name!r}: add it to seccomp.SYSCALLS") from None


X86_64 = Arch("x86_64", 0xC000003E, 0, 0x4000_0000)
AARCH64 = Arch("aarch64", 0xC00000B7, 1, 0)
ARCHES = {a.name: a for a in (X86_64, AARCH64)}


def native_arch() -> Arch:
    machine = platform.machine()
    arch = ARCHES.get({"amd64": "x86_64", "arm64": "aarch64"}.get(machine, machine))
    if arch is None:
        raise OSError(errno.ENOSYS, f"no seccomp syscall table for {machine}")
    return arch


# --- classic BPF ------------------------------------------------------------------------

LD_W_ABS = 0x20
ALU_AND_K = 0x54
JEQ_K = 0x15
JGE_K = 0x35
RET_K = 0x06

RET_KILL_PROCESS = 0x8000_0000
RET_ERRNO = 0x0005_0000
RET_ALLOW = 0x7FFF_0000
RET_ACTION_FULL = 0xFFFF_0000

OFF_NR, OFF_ARCH = 0, 4


def _arg_offset(index: int, high: bool) -> int:
    return 16 + 8 * index + (4 if high else 0)  # little-endian u64 args


@dataclass(frozen=True)
class Insn:
    code: int
    k: int
    jt: int = 0
    jf: int = 0


@dataclass(frozen=True)
class Filter:
    """A compiled program for one architecture (`program` is the kernel's sock_filter[])."""

    arch: Arch
    insns: tuple[Insn, ...]

    @functools.cached_property
    def program(self) -> bytes:
        return b"".join(struct.pack("<HBBI", i.code, i.jt, i.jf, i.k) for i in self.insns)


def ret_value(outcome: Outcome) -> int:
    if outcome.action is Action.ALLOW:
        return RET_ALLOW
    if outcome.action is Action.ERRNO:
        return RET_ERRNO | outcome.errno
    return RET_KILL_PROCESS


def outcome_of(ret: int) -> Outcome:
    action = ret & RET_ACTION_FULL
    if action == RET_ALLOW:
        return ALLOW
    if action == RET_ERRNO:
        return Outcome(Action.ERRNO, ret & 0xFFFF)
    return KILL


class _Assembler:
    """Instructions with symbolic forward jumps, resolved by `finish()`."""

    def __init__(self) -> None:
        self._items: list[tuple[int, int, object, object]] = []
        self._labels: dict[object, int] = {}

    def emit(self, code: int, k: int, jt: object = 0, jf: object = 0) -> None:
        self._items.append((code, k, jt, jf))

    def label(self, name: object) -> None:
        self._labels[name] = len(self._items)

    def finish(self) -> tuple[Insn, ...]:
        def offset(pc: int, target: object) -> int:
            if isinstance(target, int):
                return target
            rel = self._labels[target] - pc - 1
            if not 0 <= rel <= 255:
                raise ValueError(f"BPF jump of {rel} does not fit in 8 bits")
            return rel

        return tuple(
            Insn(code, k, offset(pc, jt), offset(pc, jf))
            for pc, (code, k, jt, jf) in enumerate(self._items)
        )


def _emit_check(
    asm: _Assembler, where: object, check: ArgCheck, passed: object, failed: object
) -> None:
    """Jump to `passed` when (arg & mask) is one of the values, else to `failed`."""
    lo_mask, hi_mask = check.mask & 0xFFFF_FFFF, check.mask >> 32
    for n, value in enumerate(check.values):
        nxt = failed if n == len(check.values) - 1 else (where, n + 1)
        if n:
            asm.label((where, n))
        halves = [(hi_mask, value >> 32, True), (lo_mask, value & 0xFFFF_FFFF, False)]
        halves = [h for h in halves if h[0]]
        for h, (mask, want, high) in enumerate(halves):
            asm.emit(LD_W_ABS, _arg_offset(check.index, high))
            if mask != 0xFFFF_FFFF:
                asm.emit(ALU_AND_K, mask)
            last = h == len(halves) - 1
            asm.emit(JEQ_K, want, passed if last else 0, nxt)


def _emit_rule(asm: _Assembler, nr: int, rule: SyscallRule) -> None:
    if not rule.when:
        asm.emit(JEQ_K, nr, 0, 1)
        asm.emit(RET_K, ret_value(rule.then))
        return
    asm.emit(JEQ_K, nr, 0, ("next", rule.name))
    for n, check in enumerate(rule.when):
        passed = ("then", rule.name) if n == len(rule.when) - 1 else ("check", rule.name, n + 1)
        if n:
            asm.label(("check", rule.name, n))
        _emit_check(asm, ("value", rule.name, n), check, passed, ("otherwise", rule.name))
    asm.label(("then", rule.name))
    asm.emit(RET_K, ret_value(rule.then))
    asm.label(("otherwise", rule.name))
    asm.emit(RET_K, ret_value(rule.otherwise))
    asm.label(("next", rule.name))


_compiled: dict[tuple[int, str], tuple[SeccompPolicy, Filter]] = {}


def compile_filter(policy: SeccompPolicy, arch: Arch | None = None) -> Filter:
    """Translate the policy into BPF for `arch` (default: this machine); cached.

    The cache is keyed by the policy object itself (hashing a large frozen table on
    every call would cost a child more than the lookup saves).
    """
    arch = arch or native_arch()
    cached = _compiled.get((id(policy), arch.name))
    if cached is not None and cached[0] is policy:
        return cached[1]
    program = build_filter(policy, arch)
    program.program  # noqa: B018 - pack the bytes now, not in the child
    _compiled[(id(policy), arch.name)] = (policy, program)
    return program


def build_filter(policy: SeccompPolicy, arch: Arch) -> Filter:
    """Translate the policy into BPF for `arch` (uncached)."""
    asm = _Assembler()
    kill = ret_value(KILL)
    asm.emit(LD_W_ABS, OFF_ARCH)
    asm.emit(JEQ_K, arch.audit_arch, 1, 0)
    asm.emit(RET_K, kill)
    asm.emit(LD_W_ABS, OFF_NR)
    if arch.x32_bit:
        asm.emit(JGE_K, arch.x32_bit, 0, 1)
        asm.emit(RET_K, kill)
    for rule in policy.rules:
        nr = arch.number(rule.name)
        if nr is not None:
            _emit_rule(asm, nr, rule)
    asm.emit(RET_K, ret_value(policy.default))
    insns = asm.finish()
    if len(insns) > 4096:
        raise ValueError(f"seccomp program of {len(insns)} instructions exceeds 4096")
    return Filter(arch, insns)


def evaluate(
    program: Filter, nr: int, args: tuple[int, ...] = (0,) * 6, audit_arch: int | None = None
) -> Outcome:
    """Run the program on one call the way the kernel would, and decode its verdict."""
    data = struct.pack(
        "<iIQ6Q", nr, program.arch.audit_arch if audit_arch is None else audit_arch, 0, *args
    )
    acc, pc = 0, 0
    while True:
        insn = program.insns[pc]
        pc += 1
        if insn.code == LD_W_ABS:
            acc = struct.unpack_from("<I", data, insn.k)[0]
        elif insn.code == ALU_AND_K:
            acc &= insn.k
        elif insn.code in (JEQ_K, JGE_K):
            hit = acc == insn.k if insn.code == JEQ_K else acc >= insn.k
            pc += insn.jt if hit else insn.jf
        elif insn.code == RET_K:
            return outcome_of(insn.k)
        else:
            raise ValueError(f"unexpected BPF opcode {insn.code:#x}")


# --- loading ---------------------------------------------------------------------------

SECCOMP_SET_MODE_FILTER = 1
SECCOMP_FILTER_FLAG_TSYNC = 1
_SECCOMP_NR = {"x86_64": 317, "aarch64": 277}


class _SockFilter(ctypes.Structure):
    _fields_ = [
        ("code", ctypes.c_ushort),
        ("jt", ctypes.c_ubyte),
        ("jf", ctypes.c_ubyte),
        ("k", ctypes.c_uint),
    ]


class _SockFprog(ctypes.Structure):
    _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.POINTER(_SockFilter))]


_libc = ctypes.CDLL(None, use_errno=True)
_libc.syscall.restype = ctypes.c_long


def load(program: Filter, *, tsync: bool = True) -> None:
    """Install the filter on this process (every thread when `tsync`); raises OSError.

    Needs PR_SET_NO_NEW_PRIVS (or CAP_SYS_ADMIN). Irreversible.
    """
    if program.arch != native_arch():
        raise OSError(errno.EINVAL, f"filter built for {program.arch.name}")
    insns = (_SockFilter * len(program.insns)).from_buffer_copy(program.program)
    prog = _SockFprog(len(program.insns), insns)
    flags = SECCOMP_FILTER_FLAG_TSYNC if tsync else 0
    rc = _libc.syscall(
        _SECCOMP_NR[program.arch.name], SECCOMP_SET_MODE_FILTER, flags, ctypes.byref(prog)
    )
    if rc < 0:
        err = ctypes.get_errno()
        raise OSError(err, f"seccomp(SET_MODE_FILTER): {errno.errorcode.get(err, err)}")
    if rc > 0:  # TSYNC: the id of a thread that could not be synchronised
        raise OSError(errno.EBUSY, f"seccomp TSYNC failed for thread {rc}")
