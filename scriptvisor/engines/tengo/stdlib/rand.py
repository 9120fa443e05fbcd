"""Tengo's `rand` module: pseudo-random numbers (not for cryptography, as in Go).

Differences from Go Tengo, on purpose:
- The numbers come from Python's Mersenne Twister, not Go's `math/rand` source, so a given
  seed produces a different (but equally repeatable) sequence than in Go.
- Without `seed()`, every execution starts from fresh OS entropy, so forked children and
  successive scripts never share or replay a stream (Go 1.19 started every program at
  seed 1; Go 1.20 and later seed randomly too).
- `read(bytes)` cannot fill the buffer: bytes values are immutable in this runtime, and
  silently returning unchanged bytes as "random" would be dangerous, so it is a runtime
  error unless the buffer is empty.
- Where Go panics (`intn(0)`, `perm(-1)`) the script gets a runtime error.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from typing import Any

from scriptvisor.engines import limits
from scriptvisor.engines.tengo import convert, state
from scriptvisor.engines.tengo.stdlib.math import arg_error, tengo_name
from scriptvisor.engines.tengo.values import SLOT_BYTES, Array, ImmutableMap, RuntimeErr

_UINT64 = (1 << 64) - 1


class _ExecutionSource:
    """The module's default generator, reseeded from the OS at each new execution."""

    __slots__ = ("_rng", "_owner")

    def __init__(self) -> None:
        self._rng = random.Random()
        self._owner: object = None

    def __call__(self) -> random.Random:
        if self._owner is not state.current:
            self._rng = random.Random()  # seeded from os.urandom
            self._owner = state.current
        return self._rng


def _fixed(rng: random.Random) -> Callable[[], random.Random]:
    return lambda: rng


def _check_count(args: tuple[Any, ...], n: int) -> None:
    if len(args) != n:
        raise RuntimeErr("wrong number of arguments")


def _int_arg(args: tuple[Any, ...]) -> int:
    v = convert.to_int(args[0])
    if v is None:
        raise arg_error(0, "int(compatible)", args[0])
    return v


def _functions(source: Callable[[], random.Random]) -> dict[str, Callable[..., Any]]:
    """The rand functions, all drawing from `source()`; names are Tengo's."""

    def int_(*args: Any) -> int:
        _check_count(args, 0)
        return source().getrandbits(63)

    def float_(*args: Any) -> float:
        _check_count(args, 0)
        return source().random()

    def intn(*args: Any) -> int:
        _check_count(args, 1)
        n = _int_arg(args)
        if n <= 0:
            raise RuntimeErr(f"invalid argument to intn: {n} (must be > 0)")
        return source().randrange(n)

    def exp_float(*args: Any) -> float:
        _check_count(args, 0)
        return source().expovariate(1.0)

    def norm_float(*args: Any) -> float:
        _check_count(args, 0)
        return source().gauss(0.0, 1.0)

    def perm(*args: Any) -> Array:
        _check_count(args, 1)
        n = _int_arg(args)
        if n < 0:
            raise RuntimeErr(f"invalid argument to perm: {n} (must be >= 0)")
        limits.check_alloc(n * SLOT_BYTES)
        items = list(range(n))
        source().shuffle(items)
        return Array(items)

    def seed(*args: Any) -> None:
        _check_count(args, 1)
        source().seed(_int_arg(args) & _UINT64)  # Python folds negative seeds onto positive
        return None

    def read(*args: Any) -> int:
        _check_count(args, 1)
        buf = args[0]
        if type(buf) is not bytes:
            raise arg_error(0, "bytes", buf)
        if buf:
            raise RuntimeErr("rand.read cannot fill bytes in place: bytes are immutable here")
        return 0

    table: dict[str, Callable[..., Any]] = {
        "int": int_, "float": float_, "intn": intn, "exp_float": exp_float,
        "norm_float": norm_float, "perm": perm, "seed": seed, "read": read,
    }
    for name, fn in table.items():
        tengo_name(name, fn)
    return table


def rand_rand(*args: Any) -> ImmutableMap:
    """`rand.rand(seed)`: a Rand, an immutable map of the functions on its own generator."""
    _check_count(args, 1)
    rng = random.Random(_int_arg(args) & _UINT64)
    return ImmutableMap(_functions(_fixed(rng)))


tengo_name("rand", rand_rand)

_DEFAULT = _ExecutionSource()


def module() -> dict[str, Any]:
    """The members of `import("rand")`."""
    members: dict[str, Any] = dict(_functions(_DEFAULT))
    members["rand"] = rand_rand
    return members
