"""Crossing between plain Python values (the host's, msgpack-able) and Zygomys values.

Rules: None <-> nil; bool, int (int64), float, str, bytes (raw) map to themselves;
list/tuple -> array; dict -> hash with string keys. Back: arrays and lists -> list; hashes
and records -> dict (symbol keys by name, other keys by their printed form); chars ->
one-character str; symbols -> their name; packages and functions are refused.
An int outside int64 or a non-plain host object is refused with `TypeError`/`ValueError`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from scriptvisor.engines.zygomys.values import (
    INT_MAX,
    INT_MIN,
    Char,
    Hash,
    Pair,
    Raw,
    SciFloat,
    Symbol,
    ZyError,
    from_bytes,
    to_bytes,
    to_str,
    type_name,
)

MAX_DEPTH = 64
_PLAIN_BASES: tuple[type, ...] = (bool, int, float, str, bytes)


def to_zygo(v: Any, depth: int = 0) -> Any:
    """A plain Python value as a Zygomys value (deep copy of containers)."""
    if depth > MAX_DEPTH:
        raise ValueError(f"value nested deeper than {MAX_DEPTH} levels")
    t = type(v)
    if v is None or t is bool or t is float or t is str:
        return v
    if t is bytes:
        return Raw(v)
    if t is int:
        if not INT_MIN <= v <= INT_MAX:
            raise ValueError(f"integer {v} does not fit in 64 bits")
        return v
    if t is list or t is tuple:
        return [to_zygo(e, depth + 1) for e in v]
    if t is dict:
        h = Hash()
        for k, e in v.items():
            h.set(str(k), to_zygo(e, depth + 1))
        return h
    for base in _PLAIN_BASES:
        if isinstance(v, base):
            return to_zygo(base(v), depth)
    raise TypeError(f"cannot pass a {t.__name__} to a script")


def _key(k: Any) -> str:
    if type(k) is str:
        return from_bytes(to_bytes(k))
    if type(k) is Symbol:
        return str(k.name)
    return to_str(k)


def to_plain(v: Any, depth: int = 0) -> Any:
    """A Zygomys value as a plain Python value the host (and msgpack) understands."""
    if depth > MAX_DEPTH:
        raise ValueError(f"value nested deeper than {MAX_DEPTH} levels")
    t = type(v)
    if v is None or t is bool or t is int or t is float:
        return v
    if t is Raw:
        return v.data
    if t is SciFloat:
        return float(v)
    if t is str:
        return v.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    if isinstance(v, list) or t is Pair:
        return [to_plain(e, depth + 1) for e in v]
    if t is Hash:
        return {_key(k): to_plain(e, depth + 1) for k, e in v.items()}
    if t is Char:
        return chr(v.code) if 0 <= v.code <= 0x10FFFF else "\ufffd"
    if t is Symbol:
        return v.name
    raise TypeError(f"a script cannot return a {type_name(v)}")


def host_function(name: str, fn: Callable[..., Any]) -> Callable[..., Any]:
    """Wrap a host function so scripts call it with Zygomys values; a host failure stops
    the script with a runtime error naming the function."""

    def call(*args: Any) -> Any:
        try:
            plain = [to_plain(a) for a in args]
        except (TypeError, ValueError) as exc:
            raise ZyError(f"{name}: {exc}") from None
        try:
            return to_zygo(fn(*plain))
        except ZyError:
            raise
        except Exception as exc:  # the host's failure becomes the script's error
            raise ZyError(f"{name}: {exc}") from None

    call.__name__ = name
    call.__qualname__ = name
    call.zy_name = name  # type: ignore[attr-defined]
    return call
