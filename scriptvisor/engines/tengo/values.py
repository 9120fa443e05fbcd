"""Tengo's runtime values, mapped onto Python objects chosen for speed.

| Tengo            | Python                                                        |
|------------------|---------------------------------------------------------------|
| int              | `int` kept in int64 range by the operators (never `bool`)     |
| float            | `float`                                                       |
| bool             | `bool`                                                        |
| string           | `str`; Go byte semantics (len, slicing) are computed on UTF-8; |
|                  | invalid UTF-8 is carried as surrogate escapes                 |
| bytes            | `bytes`                                                       |
| char             | `Char` (a rune)                                               |
| undefined        | `None`                                                        |
| array            | `Array`: a Go slice (shared buffer, offset, length, capacity) |
| immutable-array  | `ImmutableArray` (an `Array` that refuses writes)             |
| map              | `dict` with `str` keys                                        |
| immutable-map    | `ImmutableMap` wrapping (sharing) a `dict`                    |
| error            | `Error`                                                       |
| functions        | Python callables taking positional arguments (see `type_name`)|
| time             | `scriptvisor.engines.tengo.stdlib.times.Time`                 |

Scripts never see a Python attribute: every operation goes through the runtime's own
dispatch on these exact types, so no host object is reachable from a script.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from decimal import Decimal
from itertools import islice
from types import FunctionType
from typing import Any

from scriptvisor.engines import limits

INT_MIN = -(1 << 63)
INT_MAX = (1 << 63) - 1
COMPILED_FILENAME_PREFIX = "<tengo"  # co_filename of every emitted code object: "<tengo:NAME>"
SLOT_BYTES = 16  # what a Go interface value costs; used for budget checks on containers


class RuntimeErr(Exception):
    """A Tengo runtime error raised by an operator, builtin or stdlib function.

    The engine turns it into `ScriptError(execution)` with the script position of the
    failing expression. The message is Tengo's own wording (e.g. `invalid index type`).
    """


def wrap_int(v: int) -> int:
    """Wrap an unbounded Python int into int64 two's complement, as Go does silently."""
    return ((v + (1 << 63)) & 0xFFFFFFFFFFFFFFFF) - (1 << 63)


class Char:
    """A Tengo char: one Unicode code point (Go rune, int32)."""

    __slots__ = ("v",)
    TYPE_NAME = "char"

    def __init__(self, v: int) -> None:
        self.v = v

    def __eq__(self, other: object) -> bool:
        return type(other) is Char and other.v == self.v

    def __hash__(self) -> int:
        return hash(("char", self.v))

    def __repr__(self) -> str:
        return f"Char({self.v})"


class Error:
    """A Tengo error value (`error(v)`); it is a value, never raised."""

    __slots__ = ("value",)
    TYPE_NAME = "error"

    def __init__(self, value: Any) -> None:
        self.value = value


class Array:
    """A mutable Tengo array with Go slice semantics.

    `buf[lo:lo+n]` are the elements; `cap` is how far the slice may grow in place. Slicing
    shares `buf` (writes show through), and `append` writes in place while capacity remains
    and otherwise copies into a grown buffer, exactly like Go's `append`.
    """

    __slots__ = ("buf", "lo", "n", "cap")
    TYPE_NAME = "array"

    def __init__(self, items: list[Any]) -> None:
        self.buf = items
        self.lo = 0
        self.n = len(items)
        self.cap = self.n

    @classmethod
    def view(cls, buf: list[Any], lo: int, n: int, cap: int) -> Array:
        arr = cls.__new__(cls)
        arr.buf, arr.lo, arr.n, arr.cap = buf, lo, n, cap
        return arr

    def items(self) -> list[Any]:
        """A fresh Python list of the elements."""
        return self.buf[self.lo : self.lo + self.n]

    def values(self) -> Iterator[Any]:
        """Iterate the elements without copying (writes during iteration show, as in Go)."""
        if self.lo == 0 and self.n == len(self.buf):
            return iter(self.buf)
        return islice(self.buf, self.lo, self.lo + self.n)

    def __len__(self) -> int:
        return self.n

    def get(self, i: int) -> Any:
        """Element `i`, or undefined (None) when out of range."""
        if 0 <= i < self.n:
            return self.buf[self.lo + i]
        return None

    def appended(self, extra: list[Any]) -> Array:
        """Go's `append(a, extra...)`: in place while capacity lasts, else a grown copy."""
        need = self.n + len(extra)
        if need <= self.cap:
            start = self.lo + self.n
            self.buf[start : start + len(extra)] = extra
            return Array.view(self.buf, self.lo, need, self.cap)
        cap = go_grow(self.cap, need)
        limits.check_alloc(cap * SLOT_BYTES)
        buf = self.buf[self.lo : self.lo + self.n]
        buf.extend(extra)
        buf.extend([None] * (cap - need))
        return Array.view(buf, 0, need, cap)


class ImmutableArray(Array):
    """`immutable(array)`: shares the array's storage but refuses writes."""

    __slots__ = ()
    TYPE_NAME = "immutable-array"


class ImmutableMap:
    """`immutable(map)`: shares the map's dict but refuses writes."""

    __slots__ = ("d",)
    TYPE_NAME = "immutable-map"

    def __init__(self, d: dict[str, Any]) -> None:
        self.d = d


def go_grow(old_cap: int, need: int) -> int:
    """Go's slice growth rule (runtime.growslice, without size-class rounding)."""
    cap = old_cap
    if need > 2 * cap:
        return need
    if cap < 256:
        return 2 * cap
    while cap < need:
        cap += (cap + 3 * 256) >> 2
    return cap


# ---------------------------------------------------------------- type names

_NATIVE_TYPE_NAMES: dict[type, str] = {
    int: "int",
    float: "float",
    bool: "bool",
    str: "string",
    bytes: "bytes",
    dict: "map",
    type(None): "undefined",
}

BUILTIN_NAMES: dict[Callable[..., Any], str] = {}
"""Filled by the builtins module: builtin function object -> its Tengo name."""


def is_compiled_function(v: Any) -> bool:
    return type(v) is FunctionType and v.__code__.co_filename.startswith(COMPILED_FILENAME_PREFIX)


def type_name(v: Any) -> str:
    """Tengo's `type_name(v)`."""
    name = _NATIVE_TYPE_NAMES.get(type(v))
    if name is not None:
        return name
    tn = getattr(type(v), "TYPE_NAME", None)
    if tn is not None:
        return str(tn)
    if callable(v):
        if is_compiled_function(v):
            return "compiled-function"
        builtin = BUILTIN_NAMES.get(v)
        if builtin is not None:
            return "builtin-function:" + builtin
        return "user-function:" + getattr(v, "__name__", "")
    return "<unknown>"


# ---------------------------------------------------------------- truthiness

def is_falsy(v: Any) -> bool:
    """Tengo's IsFalsy: 0, "", empty containers, errors, undefined, false, NaN."""
    t = type(v)
    if t is bool:
        return not v
    if t is int or t is str or t is bytes or t is dict:
        return not v
    if t is float:
        return bool(v != v)  # only NaN is falsy; 0.0 is truthy
    if v is None or t is Error:
        return True
    if t is Array or t is ImmutableArray:
        return bool(v.n == 0)
    if t is ImmutableMap:
        return not v.d
    if t is Char:
        return bool(v.v == 0)
    return bool(getattr(type(v), "is_falsy", lambda _: False)(v))


# ---------------------------------------------------------------- strings

def byte_len(s: str) -> int:
    """Go's len(string): UTF-8 bytes (O(1) for ASCII)."""
    return len(s) if s.isascii() else len(s.encode("utf-8", "surrogateescape"))


def to_bytes(s: str) -> bytes:
    return s.encode("utf-8", "surrogateescape")


def from_bytes(b: bytes) -> str:
    """Decode Go string bytes; invalid UTF-8 survives as surrogate escapes."""
    return b.decode("utf-8", "surrogateescape")


def format_float(f: float) -> str:
    """Go's strconv.FormatFloat(f, 'f', -1, 64): shortest round-trip digits, no exponent."""
    if f != f:
        return "NaN"
    if math.isinf(f):
        return "+Inf" if f > 0 else "-Inf"
    r = repr(f)
    if "e" in r or "E" in r:
        r = format(Decimal(r), "f")
    if r.endswith(".0"):
        r = r[:-2]
    return r


def rune_text(code: int) -> str:
    """Go's string(rune): invalid code points and surrogates become U+FFFD."""
    if 0 <= code <= 0x10FFFF and not 0xD800 <= code <= 0xDFFF:
        return chr(code)
    return "\ufffd"


def go_quote(s: str) -> str:
    """Go's strconv.Quote (used by String() of a string nested in a container)."""
    out = ['"']
    for ch in s:
        c = ord(ch)
        if ch == '"' or ch == "\\":
            out.append("\\" + ch)
        elif 0xDC80 <= c <= 0xDCFF:  # an invalid UTF-8 byte carried as a surrogate escape
            out.append(f"\\x{c - 0xDC00:02x}")
        elif ch in _QUOTE_ESCAPES:
            out.append(_QUOTE_ESCAPES[ch])
        elif c < 0x20 or c == 0x7F:
            out.append(f"\\x{c:02x}")
        elif not ch.isprintable() and c > 0x7F:
            out.append(f"\\u{c:04x}" if c <= 0xFFFF else f"\\U{c:08x}")
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


_QUOTE_ESCAPES = {"\a": "\\a", "\b": "\\b", "\f": "\\f", "\n": "\\n", "\r": "\\r", "\t": "\\t", "\v": "\\v"}


def go_string(v: Any) -> str:
    """Tengo's Object.String(): strings quoted, containers recursive, `<undefined>`."""
    t = type(v)
    if t is str:
        return go_quote(v)
    if t is int:
        return str(v)
    if t is bool:
        return "true" if v else "false"
    if t is float:
        return format_float(v)
    if v is None:
        return "<undefined>"
    if t is Char:
        return rune_text(v.v)
    if t is bytes:
        return from_bytes(v)
    if t is Array or t is ImmutableArray:
        return "[" + ", ".join(go_string(e) for e in v.values()) + "]"
    if t is dict:
        return "{" + ", ".join(f"{k}: {go_string(e)}" for k, e in v.items()) + "}"
    if t is ImmutableMap:
        return "{" + ", ".join(f"{k}: {go_string(e)}" for k, e in v.d.items()) + "}"
    if t is Error:
        return "error: " + go_string(v.value)
    if callable(v):
        kind = type_name(v).split(":", 1)[0]
        return f"<{kind}>"
    custom = getattr(type(v), "go_string", None)
    if custom is not None:
        return str(custom(v))
    return "<unknown>"


def to_string(v: Any) -> str | None:
    """Tengo's ToString: a string's own text, None for undefined, else String()."""
    if type(v) is str:
        return v
    if v is None:
        return None
    return go_string(v)
