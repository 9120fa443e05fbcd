"""Namespaces and identity through libc (Python 3.11 has no `os.unshare`).

Root and non-root take different paths to the same end, a child that is uid/gid 65534
inside a user namespace where only that one id is mapped:

* root: unshare net+ipc while still root, drop the bounding set, become 65534:65534 in
  the initial namespace (no supplementary groups), then unshare the user namespace as
  that unprivileged user and map 65534 -> 65534.
* non-root: unshare user+net+ipc in one call (the user namespace is what makes the
  other two possible) and map 65534 -> the caller's uid/gid.
"""

from __future__ import annotations

import ctypes
import errno
import functools
import os
from pathlib import Path

from scriptvisor.sandbox.policy import Identity
from scriptvisor.sandbox.report import Unavailable

CLONE_NEWNS = 0x0002_0000
CLONE_NEWUTS = 0x0400_0000
CLONE_NEWIPC = 0x0800_0000
CLONE_NEWUSER = 0x1000_0000
CLONE_NEWNET = 0x4000_0000

PR_CAPBSET_DROP = 24
PR_SET_DUMPABLE = 4

_libc = ctypes.CDLL(None, use_errno=True)
_libc.unshare.argtypes = [ctypes.c_int]
_libc.prctl.argtypes = [
    ctypes.c_int,
    ctypes.c_ulong,
    ctypes.c_ulong,
    ctypes.c_ulong,
    ctypes.c_ulong,
]
_libc.capget.argtypes = _libc.capset.argtypes = [ctypes.c_void_p, ctypes.c_void_p]


def _check(rc: int, what: str) -> int:
    if rc < 0:
        err = ctypes.get_errno()
        raise OSError(err, f"{what}: {os.strerror(err)}")
    return rc


def prctl(option: int, arg2: int = 0, arg3: int = 0, arg4: int = 0, arg5: int = 0) -> int:
    return _check(int(_libc.prctl(option, arg2, arg3, arg4, arg5)), f"prctl({option})")


def unshare(flags: int) -> None:
    _check(int(_libc.unshare(flags)), f"unshare({flags:#x})")


@functools.cache
def last_cap() -> int:
    try:
        return int(Path("/proc/sys/kernel/cap_last_cap").read_text())
    except OSError:
        return 40


last_cap()  # read now: once Landlock is on, /proc is closed


def drop_bounding_set() -> None:
    """Empty the capability bounding set (needs CAP_SETPCAP in the current namespace)."""
    for cap in range(last_cap() + 1):
        prctl(PR_CAPBSET_DROP, cap)


def become(identity: Identity) -> str:
    """As root: give up root for `identity` in the current user namespace, for good."""
    os.setgroups([])
    os.setresgid(identity.gid, identity.gid, identity.gid)
    os.setresuid(identity.uid, identity.uid, identity.uid)
    if os.getresuid() != (identity.uid,) * 3 or os.getresgid() != (identity.gid,) * 3:
        raise OSError(errno.EPERM, "uid/gid did not change")
    if os.getgroups():
        raise OSError(errno.EPERM, "supplementary groups remain")
    return f"uid {identity.uid} gid {identity.gid}, no groups (was root)"


def enter_user_namespace(identity: Identity, extra_flags: int = 0) -> str:
    """unshare(CLONE_NEWUSER | extra_flags) and map `identity` to the caller's ids.

    Raises `Unavailable` when the kernel refuses the namespace, OSError on other failures.
    """
    outer_uid, outer_gid = os.geteuid(), os.getegid()
    # Changing ids cleared "dumpable", which makes /proc/self/* root's: take it back
    # for the map writes, then clear it so no same-uid process can ptrace us.
    prctl(PR_SET_DUMPABLE, 1)
    try:
        unshare(CLONE_NEWUSER | extra_flags)
    except OSError as exc:
        raise Unavailable(why_no_user_namespace(exc)) from exc
    Path("/proc/self/setgroups").write_text("deny")
    Path("/proc/self/uid_map").write_text(f"{identity.uid} {outer_uid} 1\n")
    Path("/proc/self/gid_map").write_text(f"{identity.gid} {outer_gid} 1\n")
    prctl(PR_SET_DUMPABLE, 0)
    if os.getresuid() != (identity.uid,) * 3 or os.getresgid() != (identity.gid,) * 3:
        raise OSError(errno.EPERM, "ids inside the user namespace are not the mapped ones")
    return f"uid {identity.uid}->{outer_uid}, gid {identity.gid}->{outer_gid}, setgroups denied"


def why_no_user_namespace(exc: OSError) -> str:
    """A short explanation for a failed unshare(CLONE_NEWUSER), with the relevant sysctls."""
    hints = []
    for knob in (
        "/proc/sys/user/max_user_namespaces",
        "/proc/sys/kernel/unprivileged_userns_clone",
        "/proc/sys/kernel/apparmor_restrict_unprivileged_userns",
    ):
        try:
            hints.append(f"{knob.rsplit('/', 1)[1]}={Path(knob).read_text().strip()}")
        except OSError:
            continue
    if threads := _thread_count():
        hints.append(f"threads={threads}")
    return f"{exc.strerror or exc}" + (f" ({', '.join(hints)})" if hints else "")


def _thread_count() -> int:
    try:
        return len(os.listdir("/proc/self/task"))
    except OSError:
        return 0


# --- capabilities ------------------------------------------------------------------------

CAP_SETPCAP = 8
PR_CAPBSET_READ = 23
PR_CAP_AMBIENT = 47
PR_CAP_AMBIENT_CLEAR_ALL = 4
_CAP_VERSION_3 = 0x2008_0522


class _CapHeader(ctypes.Structure):
    _fields_ = [("version", ctypes.c_uint32), ("pid", ctypes.c_int)]


class _CapData(ctypes.Structure):
    _fields_ = [
        ("effective", ctypes.c_uint32),
        ("permitted", ctypes.c_uint32),
        ("inheritable", ctypes.c_uint32),
    ]


def capabilities() -> tuple[int, int, int]:
    """(effective, permitted, inheritable) of this thread as 64-bit masks."""
    data = (_CapData * 2)()
    _check(int(_libc.capget(ctypes.byref(_CapHeader(_CAP_VERSION_3, 0)), data)), "capget")
    eff, prm, inh = (
        int(getattr(data[0], f)) | int(getattr(data[1], f)) << 32
        for f in ("effective", "permitted", "inheritable")
    )
    return eff, prm, inh


def bounding_set() -> list[int]:
    return [cap for cap in range(last_cap() + 1) if prctl(PR_CAPBSET_READ, cap)]


def drop_capabilities() -> str:
    """Empty every capability set this thread can empty; raise if any remains."""
    if capabilities()[0] & 1 << CAP_SETPCAP:
        drop_bounding_set()
    prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL)
    data = (_CapData * 2)()
    _check(int(_libc.capset(ctypes.byref(_CapHeader(_CAP_VERSION_3, 0)), data)), "capset")
    if any(capabilities()):
        raise OSError(errno.EPERM, f"capabilities remain: {capabilities()}")
    kept = bounding_set()
    if kept:  # an unprivileged caller cannot shrink it; harmless without exec
        return f"all sets empty but bounding ({len(kept)} kept: no CAP_SETPCAP)"
    return "effective, permitted, inheritable, ambient and bounding sets empty"
