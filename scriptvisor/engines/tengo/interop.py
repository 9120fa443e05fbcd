"""Crossing between plain Python values (the host's, msgpack-able) and Tengo values.

Rules (documented in the README): None <-> undefined; bool, int (int64), float, str,
bytes map to themselves; list/tuple -> array, dict -> map (keys become strings);
array and immutable-array -> list; map and immutable-map -> dict; char -> one-character
str; error -> {"error": <value>}; time -> its Go string; functions -> refused.
An int outside int64, a non-plain host object or a too-deep structure is refused with a
`TypeError`/`ValueError` that the engine reports with the variable's name.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from scriptvisor.engines.tengo import values
from scriptvisor.engines.tengo.values import (
    INT_MAX,
    INT_MIN,
    Array,
    Char,
    Error,
    ImmutableArray,
    ImmutableMap,
)

MAX_DEPTH = 64
_PLAIN_BASES: tuple[type, ...] = (bool, int, float, str, bytes)


def to_tengo(v: Any, depth: int = 0) -> Any:
    """A plain Python value as a Tengo value (deep copy of containers)."""
    if depth > MAX_DEPTH:
        raise ValueError(f"value nested deeper than {MAX_DEPTH} levels")
    t = type(v)
    if v is None or t is bool or t is float or t is str or t is bytes:
        return v
    if t is int:
        if not INT_MIN <= v <= INT_MAX:
            raise ValueError(f"integer {v} does not fit in 64 bits")
        return v
    if t is list or t is tuple:
        return Array([to_tengo(e, depth + 1) for e in v])
    if t is dict:
        return {str(k): to_tengo(e, depth + 1) for k, e in v.items()}
    for base in _PLAIN_BASES:  # subclasses such as IntEnum or StrEnum cross as their base
        if isinstance(v, base):
            return to_tengo(base(v), depth)
    raise TypeError(f"cannot pass a {t.__name__} to a script")


def to_plain(v: Any, depth: int = 0) -> Any:
    """A Tengo value as a plain Python value the host (and msgpack) understands."""
    if depth > MAX_DEPTH:
        raise ValueError(f"value nested deeper than {MAX_DEPTH} levels")
    t = type(v)
    if v is None or t is bool or t is int or t is float or t is bytes:
        return v
    if t is str:
        return v.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    if t is Array or t is ImmutableArray:
        return [to_plain(e, depth + 1) for e in v.values()]
    if t is dict:
        return {k: to_plain(e, depth + 1) for k, e in v.items()}
    if t is ImmutableMap:
        return {k: to_plain(e, depth + 1) for k, e in v.d.items()}
    if t is Char:
        return chr(v.v)
    if t is Error:
        return {"error": to_plain(v.value, depth + 1)}
    if callable(v):
        raise TypeError(f"a script cannot return a {values.type_name(v)}")
    return values.go_string(v)


def host_function(name: str, fn: Callable[..., Any]) -> Callable[..., Any]:
    """Wrap a host function so scripts call it with Tengo values.

    Arguments cross as plain values and the result comes back as a Tengo value. A host
    function that raises gives the script an error value, never a crash of the script.
    """

    def call(*args: Any) -> Any:
        try:
            return to_tengo(fn(*[to_plain(a) for a in args]))
        except Exception as exc:  # the host's failure becomes the script's error value
            return Error(f"{name}: {exc}")

    call.__name__ = name
    call.__qualname__ = name
    return call
