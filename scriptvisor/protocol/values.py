"""The values that cross the process boundary, and the rules for everything else.

A *wire value* is one of: `None`, `bool`, `int` (64-bit signed), `float` (any, NaN and
infinities included: scripts can compute them), `str` (valid Unicode), `bytes`, `list` of
wire values, `dict` with `str` keys and wire values; nested at most `MAX_DEPTH` containers deep.

`to_wire` converts a host value by these rules (and copies containers):

| host value                         | on the wire                                   |
|------------------------------------|-----------------------------------------------|
| None, bool, int, float, str, bytes | itself                                        |
| subclasses of those (IntEnum, ...) | the base value (`int(v)`, `str(v)`, ...)      |
| bytearray, memoryview              | bytes                                         |
| list, tuple                        | list                                          |
| dict with `str` keys               | dict                                          |
| int outside int64                  | refused                                       |
| str with lone surrogates           | refused (not encodable as UTF-8)              |
| dict with a non-`str` key          | refused: `{1: a, "1": b}` would collide       |
| set, frozenset, anything else      | refused: unordered or host-only               |

A refusal raises `ValueMappingError` naming the path of the offending value, for example
`input.units[3].name: cannot send a set`. `check_wire` validates an already-decoded value
(what msgpack produced from an untrusted frame) against the same rules without copying.
"""

from __future__ import annotations

import json
from typing import Any

INT64_MIN = -(1 << 63)
INT64_MAX = (1 << 63) - 1
MAX_DEPTH = 64
"""Containers nested deeper than this are refused (the engines' interop uses the same cap)."""
MAX_VALUE_BYTES = 4 * 1024 * 1024
"""Default cap on the (approximate, msgpack-sized) bytes of one converted value."""

_SCALAR_OVERHEAD = 9  # the largest msgpack header of a number
_CONTAINER_OVERHEAD = 5
_PLAIN_BASES: tuple[type, ...] = (bool, int, float, str, bytes)
_BRIEF = 40


class ValueMappingError(ValueError):
    """A value cannot cross the process boundary; `path` says where, `reason` why."""

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


class _Refused(Exception):
    """Raised at the offending value; each enclosing container adds its segment on the way
    out, so the path is only built on failure (the happy path pays nothing for it)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason
        self.segments: list[int | str] = []


def render_path(root: str, segments: list[int | str]) -> str:
    """`root` followed by `segments` (innermost last): `input.units[3].name`, `x["a b"]`."""
    parts = [root]
    for seg in segments:
        if isinstance(seg, int):
            parts.append(f"[{seg}]")
        elif seg.isidentifier():
            parts.append(f".{brief(seg)}")
        else:
            parts.append(f"[{json.dumps(brief(seg), ensure_ascii=False)}]")
    return "".join(parts)


def brief(text: str) -> str:
    """`text` cut to a length fit for an error message (hostile data can be megabytes)."""
    return text if len(text) <= _BRIEF else text[: _BRIEF - 3] + "..."


def _type_name(v: Any) -> str:
    t = type(v)
    if t is set or t is frozenset:
        return "set"
    if t is dict:
        return "map"
    return t.__name__


def _int_reason(v: int) -> str:
    # str() of a huge int raises ValueError past 4300 digits: describe it by its size instead.
    return f"integer of {v.bit_length()} bits does not fit in 64 bits"


class _TooLarge(_Refused):
    """The whole value is over budget (the path where the budget ran out says nothing)."""


# --- conversion of host values --------------------------------------------------------------


class _Converter:
    __slots__ = ("budget",)

    def __init__(self, max_bytes: int) -> None:
        self.budget = max_bytes

    def spend(self, n: int) -> None:
        self.budget -= n
        if self.budget < 0:
            raise _TooLarge("value is too large to send")

    def convert(self, v: Any, depth: int) -> Any:
        t = type(v)
        if v is None or t is bool or t is float:
            self.spend(_SCALAR_OVERHEAD)
            return v
        if t is int:
            if not INT64_MIN <= v <= INT64_MAX:
                raise _Refused(_int_reason(v))
            self.spend(_SCALAR_OVERHEAD)
            return v
        if t is str:
            self.spend(_CONTAINER_OVERHEAD + _utf8_len(v))
            return v
        if t is bytes:
            self.spend(_CONTAINER_OVERHEAD + len(v))
            return v
        if t is list or t is tuple:
            return self.convert_list(v, depth)
        if t is dict:
            return self.convert_dict(v, depth)
        if t is bytearray or t is memoryview:
            return self.convert(bytes(v), depth)
        for base in _PLAIN_BASES:  # IntEnum, StrEnum and friends cross as their base value
            if isinstance(v, base):
                return self.convert(base(v), depth)
        raise _Refused(f"cannot send a {_type_name(v)}")

    def convert_list(self, v: list[Any] | tuple[Any, ...], depth: int) -> list[Any]:
        if depth >= MAX_DEPTH:
            raise _Refused(f"nested deeper than {MAX_DEPTH} levels")
        self.spend(_CONTAINER_OVERHEAD)
        out = []
        for i, e in enumerate(v):
            try:
                out.append(self.convert(e, depth + 1))
            except _Refused as exc:
                exc.segments.append(i)
                raise
        return out

    def convert_dict(self, v: dict[Any, Any], depth: int) -> dict[str, Any]:
        if depth >= MAX_DEPTH:
            raise _Refused(f"nested deeper than {MAX_DEPTH} levels")
        self.spend(_CONTAINER_OVERHEAD)
        out = {}
        for k, e in v.items():
            if type(k) is not str:
                raise _Refused(f"map key {brief(repr(k))} is not a string")
            self.spend(_CONTAINER_OVERHEAD + _utf8_len(k))
            try:
                out[k] = self.convert(e, depth + 1)
            except _Refused as exc:
                exc.segments.append(k)
                raise
        return out


def _utf8_len(s: str) -> int:
    if s.isascii():
        return len(s)
    try:
        return len(s.encode("utf-8"))
    except UnicodeEncodeError:
        raise _Refused("string is not valid Unicode (lone surrogate)") from None


def to_wire(v: Any, path: str = "value", *, max_bytes: int = MAX_VALUE_BYTES) -> Any:
    """`v` converted to a wire value (containers copied), or `ValueMappingError`.

    `max_bytes` caps the approximate msgpack size of the whole value; use it with the
    limits' `max_host_payload_bytes` for host-call arguments and replies.
    """
    try:
        return _Converter(max_bytes).convert(v, 0)
    except _TooLarge:
        raise ValueMappingError(path, f"value is larger than {max_bytes} bytes") from None
    except _Refused as exc:
        raise ValueMappingError(render_path(path, exc.segments[::-1]), exc.reason) from None
    except RecursionError:  # a self-referencing container: refuse, never crash the caller
        raise ValueMappingError(path, f"nested deeper than {MAX_DEPTH} levels") from None


# --- validation of decoded values -----------------------------------------------------------


def _check(v: Any, depth: int) -> None:
    # Scalars inside containers are checked inline: a call per element would double the cost.
    t = type(v)
    if t is list:
        if depth >= MAX_DEPTH:
            raise _Refused(f"nested deeper than {MAX_DEPTH} levels")
        for i, e in enumerate(v):
            te = type(e)
            if te is str or te is int and INT64_MIN <= e <= INT64_MAX or te is float:
                continue
            if e is None or te is bool or te is bytes:
                continue
            try:
                _check(e, depth + 1)
            except _Refused as exc:
                exc.segments.append(i)
                raise
    elif t is dict:
        if depth >= MAX_DEPTH:
            raise _Refused(f"nested deeper than {MAX_DEPTH} levels")
        for k, e in v.items():
            if type(k) is not str:
                raise _Refused(f"map key {brief(repr(k))} is not a string")
            te = type(e)
            if te is str or te is int and INT64_MIN <= e <= INT64_MAX or te is float:
                continue
            if e is None or te is bool or te is bytes:
                continue
            try:
                _check(e, depth + 1)
            except _Refused as exc:
                exc.segments.append(k)
                raise
    elif t is int:
        if not INT64_MIN <= v <= INT64_MAX:
            raise _Refused(_int_reason(v))
    elif not (t is str or t is float or t is bool or v is None or t is bytes):
        raise _Refused(f"cannot send a {_type_name(v)}")


def check_wire(v: Any, path: str = "value") -> None:
    """Raise `ValueMappingError` unless `v` is already a wire value (nothing is copied).

    For values msgpack decoded from an untrusted frame: catches uint64 ints, `bytes` map
    keys, ext objects and excessive nesting.
    """
    try:
        _check(v, 0)
    except _Refused as exc:
        raise ValueMappingError(render_path(path, exc.segments[::-1]), exc.reason) from None
