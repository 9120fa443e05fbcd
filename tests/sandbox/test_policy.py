"""The policy is data: validation, profiles, and every syscall rule exercised twice, once
against the compiled BPF (both architectures) and once against the kernel in a pair."""

from __future__ import annotations

import ctypes
import errno
import signal
from collections.abc import Callable
from dataclasses import replace
from typing import Any

import pytest

from scriptvisor.sandbox import DEFAULT, PROFILES, STRICT, Layer, profile
from scriptvisor.sandbox.policy import (
    ALLOW,
    DEFAULT_SYSCALLS,
    EACCES,
    KILL,
    Action,
    ArgCheck,
    Identity,
    Outcome,
    Policy,
    Rlimits,
    SeccompPolicy,
    SyscallRule,
)
from scriptvisor.sandbox.seccomp import (
    AARCH64,
    SYSCALLS,
    X86_64,
    build_filter,
    compile_filter,
    evaluate,
    native_arch,
)

U64 = (1 << 64) - 1
Child = Callable[..., Any]


# --- validation and profiles ---------------------------------------------------------------


def test_profiles_are_named_and_finite() -> None:
    assert set(PROFILES) == {"default", "strict"}
    assert profile("default") is DEFAULT and profile("strict") is STRICT
    for policy in PROFILES.values():
        for name, value in policy.rlimits.items():
            assert 0 <= value < 1 << 40, name
        assert policy.identity.uid > 0 and policy.identity.gid > 0
    assert STRICT.may_lack(Layer.LANDLOCK) is False
    assert DEFAULT.may_lack(Layer.LANDLOCK) and not DEFAULT.may_lack(Layer.SECCOMP)
    with pytest.raises(KeyError, match="no sandbox profile"):
        profile("lax")


def test_policies_are_hashable_and_frozen() -> None:
    assert hash(DEFAULT) == hash(replace(DEFAULT))
    with pytest.raises(AttributeError):
        DEFAULT.name = "changed"  # type: ignore[misc]


@pytest.mark.parametrize(
    "build",
    [
        lambda: Rlimits(address_space=-1),
        lambda: Rlimits(open_files=2),
        lambda: Identity(uid=0),
        lambda: Outcome(Action.ERRNO, 0),
        lambda: Outcome(Action.ALLOW, errno.EACCES),
        lambda: ArgCheck(6, 1, (0,)),
        lambda: ArgCheck(0, 0, (0,)),
        lambda: ArgCheck(0, 0x4, (0x8,)),
        lambda: SeccompPolicy((SyscallRule("read"), SyscallRule("read"))),
        lambda: Policy(
            "x", optional=frozenset({Layer.LANDLOCK}), disabled=frozenset({Layer.LANDLOCK})
        ),
    ],
)
def test_invalid_policy_data_is_refused(build: Callable[[], object]) -> None:
    with pytest.raises(ValueError):
        build()


def test_only_and_without_switch_layers() -> None:
    only = DEFAULT.only(Layer.SECCOMP, Layer.NO_NEW_PRIVS)
    assert {layer for layer in Layer if only.wants(layer)} == {Layer.SECCOMP, Layer.NO_NEW_PRIVS}
    assert not DEFAULT.without(Layer.LANDLOCK).wants(Layer.LANDLOCK)


def test_every_named_syscall_has_a_number() -> None:
    for rule in DEFAULT_SYSCALLS.rules:
        assert rule.name in SYSCALLS and any(n is not None for n in SYSCALLS[rule.name])
        assert rule.why, rule.name
    with pytest.raises(KeyError, match="unknown syscall"):
        build_filter(SeccompPolicy((SyscallRule("no_such_call"),)), X86_64)


def test_filter_is_built_once_per_policy() -> None:
    assert compile_filter(DEFAULT_SYSCALLS) is compile_filter(DEFAULT_SYSCALLS)


# --- every rule against the compiled program (both architectures) ------------------------


def cases(rule: SyscallRule) -> list[tuple[int, ...]]:
    """Arguments (all -1 otherwise) that take each branch of the rule."""
    args = [U64] * 6
    if not rule.when:
        return [tuple(args)]
    passing, failing = list(args), list(args)
    for check in rule.when:
        passing[check.index] = check.values[0]
    first = rule.when[0]
    failing[first.index] = next(
        v for v in (0, first.mask, 1, 2, 4, 8) if v & first.mask not in first.values
    )
    return [tuple(passing), tuple(failing)]


RULES = [rule.name for rule in DEFAULT_SYSCALLS.rules]


@pytest.mark.parametrize("arch", [X86_64, AARCH64], ids=lambda a: a.name)
@pytest.mark.parametrize("name", RULES)
def test_rule_compiles_to_what_the_table_says(arch: Any, name: str) -> None:
    rule = DEFAULT_SYSCALLS.rule(name)
    assert rule is not None
    nr = arch.number(name)
    if nr is None:
        pytest.skip(f"{name} does not exist on {arch.name}")
    program = build_filter(DEFAULT_SYSCALLS, arch)
    for args in cases(rule):
        assert evaluate(program, nr, args) == rule.decide(args), (name, args)
    if rule.when:  # both branches are reachable and differ
        verdicts = {evaluate(program, nr, a) for a in cases(rule)}
        assert verdicts == {rule.then, rule.otherwise}


@pytest.mark.parametrize("arch", [X86_64, AARCH64], ids=lambda a: a.name)
def test_unlisted_calls_other_arches_and_x32_are_killed(arch: Any) -> None:
    program = build_filter(DEFAULT_SYSCALLS, arch)
    listed = {arch.number(r.name) for r in DEFAULT_SYSCALLS.rules}
    for name in (
        "socket",
        "connect",
        "bind",
        "clone",
        "clone3",
        "execve",
        "kill",
        "ptrace",
        "setuid",
        "unshare",
        "mount",
        "prctl",
        "seccomp",
        "bpf",
        "process_vm_readv",
    ):
        nr = arch.number(name)
        assert nr not in listed and evaluate(program, nr) == KILL, name
    read = arch.number("read")
    assert read is not None
    assert evaluate(program, read) == ALLOW
    assert evaluate(program, read, audit_arch=0x4000_0003) == KILL  # i386 compat
    if arch.x32_bit:
        assert evaluate(program, read | arch.x32_bit) == KILL


def test_policy_decisions_for_the_documented_rules() -> None:
    p = DEFAULT_SYSCALLS
    assert p.decide("mmap", (0, 4096, 3, 0x22, U64, 0)) == ALLOW
    assert p.decide("mmap", (0, 4096, 7, 0x22, U64, 0)) == KILL
    assert p.decide("newfstatat", (3, 0, 0, 0x1000, 0, 0)) == ALLOW
    assert p.decide("newfstatat", (3, 0, 0, 0, 0, 0)) == EACCES
    assert p.decide("openat") == EACCES and p.decide("getdents64") == EACCES
    assert p.decide("fcntl", (0, 0, 0, 0, 0, 0)) == EACCES  # F_DUPFD
    assert p.decide("socket") == KILL
    assert 35 <= sum(r.then == ALLOW and not r.when for r in p.rules) <= 70


# --- every rule against the kernel, in pairs -----------------------------------------------

SECCOMP_ONLY = DEFAULT.only(Layer.NO_NEW_PRIVS, Layer.SECCOMP)
_libc = ctypes.CDLL(None, use_errno=True)
_libc.syscall.restype = ctypes.c_long


def raw_call(nr: int, args: tuple[int, ...]) -> Callable[[], tuple[bool, int]]:
    def call() -> tuple[bool, int]:
        ctypes.set_errno(0)
        rc = _libc.syscall(ctypes.c_long(nr), *(ctypes.c_ulong(a) for a in args))
        return rc == -1, ctypes.get_errno() if rc == -1 else 0

    return call


def outcome(result: Any) -> tuple[Any, ...]:
    """How a child ended, comparable between the guarded and the unguarded run."""
    if result.payload is None:
        return ("ended", result.code, result.signal)
    return ("returned", *result.value)


@pytest.mark.timeout(60)
@pytest.mark.parametrize("name", RULES)
def test_rule_holds_in_the_kernel(child: Child, name: str) -> None:
    rule = DEFAULT_SYSCALLS.rule(name)
    assert rule is not None
    nr = native_arch().number(name)
    if nr is None:
        pytest.skip(f"{name} does not exist here")
    for args in cases(rule):
        expected = rule.decide(args)
        probe = raw_call(nr, args)
        off, on = child(probe), child(probe, SECCOMP_ONLY)
        assert off.signal != signal.SIGSYS, (name, off)
        if expected.action is Action.ALLOW:  # the kernel ran it: same result as unguarded
            assert outcome(on) == outcome(off), (name, args, on, off)
        elif expected.action is Action.ERRNO:
            assert outcome(on) == ("returned", True, expected.errno), (name, on)
            assert outcome(off) != outcome(on), (name, off)  # the control differs
        else:
            assert on.killed_by(signal.SIGSYS), (name, args, on)


@pytest.mark.timeout(60)
@pytest.mark.parametrize(
    "name",
    [
        "socket",
        "kill",
        "ptrace",
        "setresuid",
        "unshare",
        "prctl",
        "mount",
        "bpf",
        "seccomp",
        "execve",
        "clone",
    ],
)
def test_default_rule_kills_in_the_kernel(child: Child, name: str) -> None:
    nr = native_arch().number(name)
    assert nr is not None
    # All-ones arguments make the unguarded call fail harmlessly (EINVAL, EFAULT, ...).
    probe = raw_call(nr, (U64,) * 6)
    assert child(probe).ok
    assert child(probe, SECCOMP_ONLY).killed_by(signal.SIGSYS)
