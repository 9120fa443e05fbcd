"""Landlock through raw syscalls: a ruleset that handles every known right and has no
rules, so this thread (and threads it starts later) may open no file at all.

Landlock only restricts the calling thread and its future threads: apply it while the
child is single-threaded, before ZeroMQ starts its I/O threads.
"""

from __future__ import annotations

import ctypes
import errno
import os

from scriptvisor.sandbox.policy import FsAccess, LandlockPolicy, NetAccess, Scope
from scriptvisor.sandbox.report import Unavailable

# Same numbers on x86_64 and aarch64 (unified syscall table since 5.x).
SYS_CREATE_RULESET, SYS_ADD_RULE, SYS_RESTRICT_SELF = 444, 445, 446
CREATE_RULESET_VERSION = 1 << 0

# Rights each ABI introduced; rights newer than the running kernel are left out.
FS_BY_ABI = {
    1: FsAccess(0x1FFF),
    2: FsAccess.REFER,
    3: FsAccess.TRUNCATE,
    5: FsAccess.IOCTL_DEV,
}
NET_ABI = 4
SCOPE_ABI = 6


class _RulesetAttr(ctypes.Structure):
    _fields_ = [
        ("handled_access_fs", ctypes.c_uint64),
        ("handled_access_net", ctypes.c_uint64),
        ("scoped", ctypes.c_uint64),
    ]


_libc = ctypes.CDLL(None, use_errno=True)
_libc.syscall.restype = ctypes.c_long


def _syscall(nr: int, *args: object) -> int:
    rc = int(_libc.syscall(nr, *args))
    if rc < 0:
        err = ctypes.get_errno()
        raise OSError(err, os.strerror(err))
    return rc


def abi_version() -> int:
    """The kernel's Landlock ABI, or 0 when Landlock is missing or switched off."""
    try:
        return _syscall(
            SYS_CREATE_RULESET, None, ctypes.c_size_t(0), ctypes.c_uint32(CREATE_RULESET_VERSION)
        )
    except OSError as exc:
        if exc.errno in (errno.ENOSYS, errno.EOPNOTSUPP):
            return 0
        raise


def supported_fs(abi: int) -> FsAccess:
    rights = FsAccess(0)
    for version, added in FS_BY_ABI.items():
        if abi >= version:
            rights |= added
    return rights


def restrict_self(policy: LandlockPolicy) -> str:
    """Deny the policy's rights to this thread and its future threads, irreversibly.

    Needs PR_SET_NO_NEW_PRIVS or CAP_SYS_ADMIN. Raises `Unavailable` on kernels
    without Landlock and OSError when restricting fails.
    """
    abi = abi_version()
    if abi == 0:
        raise Unavailable("kernel has no Landlock (or it is not in the lsm= list)")
    fs = policy.fs & supported_fs(abi)
    net = policy.net if abi >= NET_ABI else NetAccess(0)
    scoped = policy.scoped if abi >= SCOPE_ABI else Scope(0)
    attr = _RulesetAttr(int(fs), int(net), int(scoped))
    # An older kernel rejects a larger struct only when the extra fields are non-zero.
    size = 24 if abi >= SCOPE_ABI else 16 if abi >= NET_ABI else 8
    fd = _syscall(SYS_CREATE_RULESET, ctypes.byref(attr), ctypes.c_size_t(size), ctypes.c_uint32(0))
    try:
        _syscall(SYS_RESTRICT_SELF, ctypes.c_int(fd), ctypes.c_uint32(0))
    finally:
        os.close(fd)
    return (
        f"ABI {abi}: {bin(int(fs)).count('1')} fs rights, {bin(int(net)).count('1')} net "
        f"rights, {bin(int(scoped)).count('1')} scopes denied; no rules"
    )
