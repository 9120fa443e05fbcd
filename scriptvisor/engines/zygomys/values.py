"""Zygomys runtime values, mapped onto Python objects chosen for speed.

| Zygomys        | Python                                                              |
|----------------|---------------------------------------------------------------------|
| int (int64)    | `int`, kept in int64 range by the operators (never `bool`)          |
| float (float64)| `float`; `SciFloat` for literals written with an exponent           |
| char           | `Char` (a rune)                                                     |
| string         | `str`; byte semantics (len, slicing) computed on UTF-8              |
| bool           | `bool`                                                              |
| symbol         | `Symbol`, interned (a `name:` keyword is the same symbol, flagged)  |
| nil / ()       | `None`                                                              |
| list           | `Pair` cons cells ending in `None`                                  |
| array          | `list` (mutable, shared by reference)                               |
| hash / record  | `Hash` (insertion-ordered, key rules of the reference doc §6)       |
| func           | Python callables (generated functions carry `zy_form`/`zy_name`)    |
| raw            | `bytes`                                                             |
| package        | `Package`                                                           |
"""

from __future__ import annotations

import base64
import math
from collections.abc import Callable, Iterator
from typing import Any

from scriptvisor.engines import limits
from scriptvisor.engines.tengo.formatter import ftoa, quote

INT_MIN = -(1 << 63)
INT_MAX = (1 << 63) - 1
COMPILED_FILENAME_PREFIX = "<zygomys"  # co_filename of emitted code: "<zygomys:NAME>"
SLOT_BYTES = 16  # rough cost of one Go interface slot, for budget checks


class ZyError(Exception):
    """A Zygomys runtime error, in the language's own words (without the builtin prefix)."""


class CompileError(Exception):
    """A compile-time error; `pos` is (line, column) when known."""

    def __init__(self, message: str, pos: tuple[int, int] | None = None) -> None:
        super().__init__(message)
        self.pos = pos


def wrap(v: int) -> int:
    """Wrap an unbounded Python int into int64 two's complement, as Go does silently."""
    if INT_MIN <= v <= INT_MAX:
        return v
    return ((v + (1 << 63)) & 0xFFFFFFFFFFFFFFFF) - (1 << 63)


class SciFloat(float):
    """A float literal written in exponent form: it prints in exponent form too."""

    __slots__ = ()


class Char:
    """A Zygomys char: one Unicode code point (Go rune)."""

    __slots__ = ("code",)

    def __init__(self, code: int) -> None:
        self.code = code

    def __eq__(self, other: object) -> bool:
        return type(other) is Char and other.code == self.code

    def __hash__(self) -> int:
        return hash(("char", self.code))

    def __repr__(self) -> str:
        return f"Char({self.code})"


class Symbol:
    """An interned symbol; `colon` marks the `name:` keyword form, `dot` a field path."""

    __slots__ = ("name", "num", "colon", "dot")

    def __init__(self, name: str, num: int, colon: bool) -> None:
        self.name = name
        self.num = num
        self.colon = colon
        self.dot = len(name) > 0 and "." in name and name != "."

    def __eq__(self, other: object) -> bool:
        return type(other) is Symbol and other.num == self.num

    def __hash__(self) -> int:
        return hash(("sym", self.num))

    def __repr__(self) -> str:
        return f"Symbol({self.name!r})"


_SYMBOLS: dict[tuple[str, bool], Symbol] = {}
_SYMBOL_NUMS: dict[str, int] = {}


def sym(name: str, colon: bool = False) -> Symbol:
    """The interned symbol `name` (`colon=True`: its `name:` keyword form)."""
    found = _SYMBOLS.get((name, colon))
    if found is not None:
        return found
    num = _SYMBOL_NUMS.setdefault(name, len(_SYMBOL_NUMS) + 1)
    made = _SYMBOLS[(name, colon)] = Symbol(name, num, colon)
    return made


# Upstream numbers symbols in the order one interpreter first meets them, and `<` on
# symbols compares those numbers. Our symbols are interned once per process (compiled code
# is cached and shared), so an execution ranks them in the order it first compares (or
# `symnum`s) them instead: deterministic, whatever ran before in the same child.
_ranks: dict[int, int] = {}


def symbol_rank(s: Symbol) -> int:
    rank = _ranks.get(s.num)
    if rank is None:
        rank = _ranks[s.num] = len(_ranks) + 1
    return rank


def reset_symbol_ranks() -> None:
    """Called by the engine as each execution starts."""
    _ranks.clear()


_gensym_counter = [0]


def gensym(prefix: str = "__gensym") -> Symbol:
    _gensym_counter[0] += 1
    return sym(f"{prefix}{_gensym_counter[0]}")


class Pair:
    """A cons cell; `pos` is the (line, column) of a list read from source, else None."""

    __slots__ = ("head", "tail", "pos")

    def __init__(self, head: Any, tail: Any, pos: tuple[int, int] | None = None) -> None:
        self.head = head
        self.tail = tail
        self.pos = pos

    def __eq__(self, other: object) -> bool:
        return type(other) is Pair and equal(self, other)

    __hash__ = None  # type: ignore[assignment]

    def __iter__(self) -> Iterator[Any]:
        """The elements of a proper list (stops at a non-pair tail)."""
        p: Any = self
        while type(p) is Pair:
            yield p.head
            p = p.tail

    def __repr__(self) -> str:
        return to_str(self)


class ArrayForm(list[Any]):
    """An array literal as read from source: a list that remembers its position."""

    __slots__ = ("pos",)

    def __init__(self, items: list[Any], pos: tuple[int, int] | None = None) -> None:
        super().__init__(items)
        self.pos = pos


class Hash:
    """An insertion-ordered hash; `typename` is "hash" or the record's name (defmap)."""

    __slots__ = ("d", "typename", "order")

    def __init__(self, typename: str = "hash") -> None:
        self.d: dict[Any, list[Any]] = {}  # normalized key -> [key, value]
        self.typename = typename
        # every key ever inserted, in order: upstream's `keys` reads this list, which
        # `hdel` never shortens (a documented upstream bug, kept for fidelity)
        self.order: list[Any] = []

    def get(self, key: Any, default: Any = None) -> Any:
        entry = self.d.get(hash_key(key))
        return default if entry is None else entry[1]

    def has(self, key: Any) -> bool:
        return hash_key(key) in self.d

    def set(self, key: Any, value: Any) -> None:
        nk = hash_key(key)
        entry = self.d.get(nk)
        if entry is None:
            self.d[nk] = [key, value]
            self.order.append(key)
        else:
            entry[1] = value

    def delete(self, key: Any) -> None:
        self.d.pop(hash_key(key), None)

    def items(self) -> Iterator[tuple[Any, Any]]:
        for entry in self.d.values():
            yield entry[0], entry[1]

    def __len__(self) -> int:
        return len(self.d)

    def __repr__(self) -> str:
        return to_str(self)


class Raw:
    """A raw byte buffer (SexpRaw). `b64` is upstream's display bit: `base64`, `unbase64` and
    `flipbase64` change it in place, so a raw value prints as `(raw64 "...")` or `[]byte{...}`."""

    __slots__ = ("data", "b64")

    def __init__(self, data: bytes, b64: bool = False) -> None:
        self.data = data
        self.b64 = b64

    def __eq__(self, other: object) -> bool:
        return type(other) is Raw and other.data == self.data

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return to_str(self)


class Package:
    """The value of `(package "name" ...)`: its top-level bindings."""

    __slots__ = ("name", "members")

    def __init__(self, name: str, members: dict[str, Any]) -> None:
        self.name = name
        self.members = members


class Lazy:
    """A lazy `#param` argument: the unevaluated form and a thunk computing it."""

    __slots__ = ("form", "thunk", "done", "value")

    def __init__(self, form: Any, thunk: Callable[[], Any]) -> None:
        self.form = form
        self.thunk = thunk
        self.done = False
        self.value: Any = None

    def force(self) -> Any:
        if not self.done:
            self.value = self.thunk()
            self.done = True
        return self.value


def hash_key(key: Any) -> Any:
    """The dict key of a hash key: symbol by number, char = int of same code point."""
    t = type(key)
    if t is str or t is int:
        return key
    if t is Symbol:
        return key
    if t is Char:
        return key.code
    if isinstance(key, list):
        return ("\0array", to_str(key))
    raise ZyError(f"cannot hash type {go_type(key)}")  # hashHelper


# ---------------------------------------------------------------- lists

def make_list(items: list[Any] | tuple[Any, ...], tail: Any = None) -> Any:
    out = tail
    for item in reversed(items):
        out = Pair(item, out)
    return out


def list_items(v: Any) -> list[Any]:
    """The elements of a proper list or nil (a dotted tail is dropped)."""
    out = []
    while type(v) is Pair:
        out.append(v.head)
        v = v.tail
    return out


# ---------------------------------------------------------------- type names

_TYPE_NAMES: dict[type, str] = {
    int: "int64", float: "float64", SciFloat: "float64", Char: "char", str: "string",
    bool: "bool", Symbol: "symbol", type(None): "nil", Pair: "list", list: "array",
    ArrayForm: "array", Raw: "raw", Package: "package", Lazy: "lazy",
}
_GO_TYPES: dict[str, str] = {
    "int64": "*zygo.SexpInt", "float64": "*zygo.SexpFloat", "char": "*zygo.SexpChar",
    "string": "*zygo.SexpStr", "bool": "*zygo.SexpBool", "symbol": "*zygo.SexpSymbol",
    "nil": "*zygo.SexpSentinel", "list": "*zygo.SexpPair", "array": "*zygo.SexpArray",
    "raw": "*zygo.SexpRaw", "func": "*zygo.SexpFunction",
}


def type_name(v: Any) -> str:
    """What `type?` says about `v`."""
    name = _TYPE_NAMES.get(type(v))
    if name is not None:
        return name
    if type(v) is Hash:
        return v.typename
    if callable(v):
        return "func"
    return type(v).__name__


def go_type(v: Any) -> str:
    """Go's %T of the value's Sexp type, for messages quoted from upstream."""
    if type(v) is Hash:
        return "*zygo.SexpHash"
    return _GO_TYPES.get(type_name(v), "*zygo.Sexp")


def byte_len(s: str) -> int:
    return len(s) if s.isascii() else len(s.encode("utf-8", "surrogateescape"))


def to_bytes(s: str) -> bytes:
    return s.encode("utf-8", "surrogateescape")


def from_bytes(b: bytes) -> str:
    return b.decode("utf-8", "surrogateescape")


# ---------------------------------------------------------------- truthiness, equality

def truthy(v: Any) -> bool:
    """IsTruthy: false, nil, int 0 and char 0 are false; everything else is true."""
    if v is None or v is False:
        return False
    t = type(v)
    if t is int:
        return bool(v != 0)
    if t is Char:
        return bool(v.code != 0)
    return True


def _num(v: Any) -> int | float | None:
    t = type(v)
    if t is int or t is float or t is SciFloat:
        return v  # type: ignore[no-any-return]
    if t is Char:
        return v.code  # type: ignore[no-any-return]
    return None


def _sign(x: float) -> int:
    return 1 if x > 0 else -1 if x < 0 else 0


def cannot_compare(a: Any, b: Any, code: int = 100) -> ZyError:
    return ZyError(f"err {code}: cannot compare {go_type(a)} to {go_type(b)}")


def compare(a: Any, b: Any) -> int:
    """Zygomys Compare: -1/0/1, or 2/3 when a NaN is involved; raises on unrelated types."""
    if a is None:
        return 0 if b is None else -1
    na = _num(a)
    if na is not None:
        nb = _num(b)
        if nb is None:
            raise cannot_compare(a, b, 92 if type(a) is int else 91)
        nans = (na != na) + (nb != nb)
        if nans:
            # Only compareFloat reports NaN (2/3); compareInt/compareChar take the sign of
            # the difference, and the sign of NaN is 0 (comparisons.go).
            return 1 + nans if type(a) is float or type(a) is SciFloat else 0
        return (na > nb) - (na < nb)
    t = type(a)
    if t is bool:
        if type(b) is not bool:
            raise cannot_compare(a, b, 98)
        return int(a) - int(b)
    if t is str:
        if type(b) is not str:
            raise cannot_compare(a, b, 94)
        ab, bb = to_bytes(a), to_bytes(b)
        return (ab > bb) - (ab < bb)
    if t is Symbol:
        if type(b) is not Symbol:
            raise cannot_compare(a, b, 95)
        return _sign(symbol_rank(a) - symbol_rank(b))
    if t is Pair:
        if type(b) is not Pair:
            raise cannot_compare(a, b, 96)
        c = compare(a.head, b.head)
        return c if c != 0 else compare(a.tail, b.tail)
    if isinstance(a, list):
        if not isinstance(b, list):
            raise cannot_compare(a, b, 97)
        for x, y in zip(a, b, strict=False):
            c = compare(x, y)
            if c != 0:
                return c
        return _sign(len(a) - len(b))
    if t is Hash:
        if type(b) is not Hash:
            raise cannot_compare(a, b, 99)
        return 0 if hash_equal(a, b) else 1
    if t is Raw:
        if type(b) is not Raw:
            raise cannot_compare(a, b)
        return int(a.data > b.data) - int(a.data < b.data)
    raise cannot_compare(a, b)


def hash_equal(a: Hash, b: Hash) -> bool:
    if a.typename != b.typename or len(a.d) != len(b.d):
        return False
    for nk, (_, v) in a.d.items():
        other = b.d.get(nk)
        if other is None or not equal(v, other[1]):
            return False
    return True


def equal(a: Any, b: Any) -> bool:
    """Structural equality that never raises (for hashes' values and Python `==`)."""
    try:
        return compare(a, b) == 0
    except ZyError:
        return a is b


# ---------------------------------------------------------------- printing

def float_str(v: float) -> str:
    if type(v) is SciFloat:
        return ftoa(v, "e", -1)
    return ftoa(v, "f", -1)


def raw_str(r: Raw) -> str:
    """SexpRaw.SexpString: base64 (URL alphabet, quoted 80-char chunks) or Go's `%#v` of []byte."""
    if r.b64:
        text = base64.urlsafe_b64encode(r.data).decode("ascii")
        chunks = [f'"{text[i:i + 80]}"' for i in range(0, len(text), 80)]
        return "(raw64 " + "\n".join(chunks) + ")"
    return "[]byte{" + ", ".join(f"{b:#x}" for b in r.data) + "}"


def to_str(v: Any) -> str:
    """The printed (`str`) form of a value, as upstream's SexpString."""
    out: list[str] = []
    _write(v, out, 0)
    return "".join(out)


MAX_PRINT_DEPTH = 200


def _write(v: Any, out: list[str], depth: int) -> None:
    if depth > MAX_PRINT_DEPTH:
        raise ZyError("value nested too deeply to print")
    t = type(v)
    if v is None:
        out.append("nil")
    elif t is bool:
        out.append("true" if v else "false")
    elif t is int:
        out.append(str(v))
    elif t is float or t is SciFloat:
        out.append(float_str(v))
    elif t is str:
        out.append(quote(v))
    elif t is Char:
        out.append(quote(chr(v.code) if 0 <= v.code <= 0x10FFFF else "\ufffd", "'"))
    elif t is Symbol:
        out.append(v.name)
    elif t is Pair:
        _write_pair(v, out, depth)
    elif isinstance(v, list):
        _write_array(v, out, depth)
    elif t is Hash:
        _write_hash(v, out, depth)
    elif t is Raw:
        out.append(raw_str(v))
    elif t is Package:
        out.append(f"(package {v.name})")
    elif t is Lazy:
        out.append("(lazyArg ")
        _write(v.form, out, depth + 1)
        out.append(")")
    elif callable(v):
        form = getattr(v, "zy_form", None)
        if form is not None:
            _write(form, out, depth + 1)
        else:
            out.append("fn [" + getattr(v, "zy_name", "?") + "]")
    else:
        printer = getattr(v, "sexp_string", None)  # builtin-defined values print themselves
        out.append(printer() if printer is not None else f"<{type(v).__name__}>")
    if len(out) > 4096:  # keep the budget honest on huge prints
        limits.check_alloc(sum(len(s) for s in out))


def _write_pair(v: Pair, out: list[str], depth: int) -> None:
    out.append("(")
    p: Any = v
    while type(p.tail) is Pair:
        _write(p.head, out, depth + 1)
        out.append(" ")
        p = p.tail
    _write(p.head, out, depth + 1)
    if p.tail is not None:
        out.append(" \\ ")
        _write(p.tail, out, depth + 1)
    out.append(")")


def _write_array(v: list[Any], out: list[str], depth: int) -> None:
    out.append("[")
    for i, item in enumerate(v):
        if i:
            out.append(" ")
        _write(item, out, depth + 1)
    out.append("]")


def _write_hash(v: Hash, out: list[str], depth: int) -> None:
    curly = v.typename == "hash"
    out.append("{" if curly else " (" + v.typename + " ")
    first = True
    for k, val in v.items():
        if not first:
            out.append(" ")
        first = False
        if type(k) is str:
            out.append('"' + k + '":')
        elif type(k) is Symbol:
            out.append(k.name + ":")
        else:
            _write(k, out, depth + 1)
            out.append(":")
        _write(val, out, depth + 1)
    out.append("}" if curly else ")")


def display(v: Any) -> str:
    """What `println`/`print` show: strings raw, everything else in `str` form."""
    if type(v) is str:
        return v
    return to_str(v)


def is_nan(v: Any) -> bool:
    return type(v) in (float, SciFloat) and math.isnan(v)
