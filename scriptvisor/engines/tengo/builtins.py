"""Tengo's builtin functions, one small function per builtin, registered in `BUILTINS`.

Every builtin takes positional Tengo values and returns a Tengo value (None = undefined).
Wrong arity raises `RuntimeErr("wrong number of arguments")` and a bad argument type
raises `RuntimeErr("invalid type for argument 'first': expected ..., found ...")`, in
Tengo's words; the runtime adds the "in call to '...'" part as the Go VM does.
Results whose size the script controls are checked against the memory budget first.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any

from scriptvisor.engines import limits
from scriptvisor.engines.tengo import convert, formatter, values
from scriptvisor.engines.tengo.values import (
    SLOT_BYTES,
    Array,
    Char,
    Error,
    ImmutableArray,
    ImmutableMap,
    RuntimeErr,
)

MAX_BYTES_LEN = 2147483647  # Go Tengo's MaxBytesLen
_ARG_NAMES = ("first", "second", "third")


# ---------------------------------------------------------------- errors and helpers

def wrong_args() -> RuntimeErr:
    return RuntimeErr("wrong number of arguments")


def bad_type(name: str, expected: str, found: Any) -> RuntimeErr:
    """Tengo's ErrInvalidArgumentType for argument `name` holding the value `found`."""
    return RuntimeErr(
        f"invalid type for argument '{name}': expected {expected}, "
        f"found {values.type_name(found)}"
    )


def appended_cap(n: int) -> int:
    """Capacity of a Go slice built by `n` single appends from nil (array literals, copy,
    range): what a later `append` may overwrite in place."""
    cap = 0
    while cap < n:
        cap = values.go_grow(cap, cap + 1)
    return cap


def grown_array(items: list[Any]) -> Array:
    """An array holding `items` with the capacity Go's one-by-one appends would give."""
    n = len(items)
    cap = appended_cap(n)
    if cap > n:
        items.extend([None] * (cap - n))
    return Array.view(items, 0, n, cap)


def _one(args: tuple[Any, ...]) -> Any:
    if len(args) != 1:
        raise wrong_args()
    return args[0]


def _one_or_two(args: tuple[Any, ...]) -> Any:
    if not 1 <= len(args) <= 2:
        raise wrong_args()
    return args[0]


def _fallback(args: tuple[Any, ...]) -> Any:
    """The optional second argument conversions return on failure (else undefined)."""
    return args[1] if len(args) == 2 else None


# ---------------------------------------------------------------- containers

def builtin_len(*args: Any) -> int:
    v = _one(args)
    t = type(v)
    if t is str:
        return values.byte_len(v)
    if t is Array or t is ImmutableArray:
        return int(v.n)
    if t is dict or t is bytes:
        return len(v)
    if t is ImmutableMap:
        return len(v.d)
    raise bad_type("first", "array/string/bytes/map", v)


def builtin_copy(*args: Any) -> Any:
    """Deep copy (Go's `Object.Copy`): immutable containers come back mutable."""
    return _Copier().copy(_one(args))


_COPIED_TYPES = frozenset((Array, ImmutableArray, dict, ImmutableMap, Error))
"""What `_Copier.copy` copies; every other value is immutable or shared, as in Go."""


class _Copier:
    """Deep copy that charges every copied slot to the memory budget."""

    __slots__ = ("slots",)

    def __init__(self) -> None:
        self.slots = 0

    def charge(self, n: int) -> None:
        self.slots += n
        limits.check_alloc(self.slots * SLOT_BYTES)

    def copy(self, v: Any) -> Any:
        t = type(v)
        if t is Array or t is ImmutableArray:
            self.charge(v.n)
            items = v.items()
            if _COPIED_TYPES.isdisjoint(map(type, items)):  # only shared leaves: a slice
                return grown_array(items)
            return grown_array([self.copy(e) for e in items])
        if t is dict or t is ImmutableMap:
            d = v if t is dict else v.d
            self.charge(len(d))
            if _COPIED_TYPES.isdisjoint(map(type, d.values())):
                return dict(d)
            return {k: self.copy(e) for k, e in d.items()}
        if t is Error:
            return Error(self.copy(v.value))
        return v  # scalars are immutable in Python; functions and time are shared like Go


def builtin_append(*args: Any) -> Array:
    if len(args) < 2:
        raise wrong_args()
    arr = args[0]
    t = type(arr)
    if t is not Array and t is not ImmutableArray:
        raise bad_type("first", "array", arr)
    grown: Array = arr.appended(list(args[1:]))
    return grown


def builtin_delete(*args: Any) -> None:
    if len(args) != 2:
        raise wrong_args()
    m, key = args
    if type(m) is not dict:
        raise bad_type("first", "map", m)
    if type(key) is not str:
        raise bad_type("second", "string", key)
    m.pop(key, None)
    return None


def builtin_splice(*args: Any) -> Array:
    """`splice(array[, start[, count[, items...]]])`: edits in place, returns the removed."""
    if not args:
        raise wrong_args()
    arr = args[0]
    if type(arr) is not Array:
        raise bad_type("first", "array", arr)
    start = _splice_int(args, 1, 0)
    if start < 0 or start > arr.n:
        raise RuntimeErr("index out of bounds")
    count = _splice_int(args, 2, arr.n)
    if count < 0:
        raise RuntimeErr("index out of bounds")
    if start + count > values.INT_MAX:  # Go's int overflows here and the slice panics
        raise RuntimeErr(f"slice bounds out of range [:{values.wrap_int(start + count)}]")
    end = min(start + count, arr.n)
    lo = arr.lo
    removed = arr.buf[lo + start : lo + end]
    tail = list(args[3:])
    tail.extend(arr.buf[lo + end : lo + arr.n])
    # Go: array = append(array[:start], tail...), so it may write into the shared buffer.
    head = Array.view(arr.buf, lo, start, arr.cap)
    edited = head.appended(tail)
    arr.buf, arr.lo, arr.n, arr.cap = edited.buf, edited.lo, edited.n, edited.cap
    return Array(removed)


def _splice_int(args: tuple[Any, ...], i: int, default: int) -> int:
    if len(args) <= i:
        return default
    v = args[i]
    if type(v) is not int:
        raise bad_type(_ARG_NAMES[i], "int", v)
    return int(v)


def builtin_range(*args: Any) -> Array:
    """`range(start, stop[, step])`: counts down when start > stop; step must be > 0."""
    if not 2 <= len(args) <= 3:
        raise wrong_args()
    for name, v in zip(("start", "stop", "step"), args, strict=False):
        if type(v) is not int:
            raise bad_type(name, "int", v)
        if name == "step" and v <= 0:
            raise RuntimeErr("range step must be greater than 0")
    start, stop = args[0], args[1]
    step = args[2] if len(args) == 3 else 1
    count = (abs(stop - start) + step - 1) // step
    limits.check_alloc(count * SLOT_BYTES)
    r = range(start, stop, step) if start <= stop else range(start, stop, -step)
    return grown_array(list(r))


def builtin_freeze(*args: Any) -> Any:
    """Deep immutable copy; already-immutable parts are reused, cycles are preserved."""
    return _Freezer().freeze(_one(args))


class _Freezer:
    __slots__ = ("memo", "busy")

    def __init__(self) -> None:
        self.memo: dict[int, Any] = {}  # id(mutable container) -> its frozen copy
        self.busy: set[int] = set()  # immutable containers being walked (a cycle guard)

    def freeze(self, v: Any) -> Any:
        t = type(v)
        if t is Array or t is dict:
            done = self.memo.get(id(v))
            return done if done is not None else self._mutable(v)
        if (t is ImmutableArray or t is ImmutableMap) and id(v) not in self.busy:
            self.busy.add(id(v))
            try:
                return self._immutable(v)
            finally:
                self.busy.discard(id(v))
        return v

    def _mutable(self, v: Any) -> Any:
        if type(v) is Array:
            arr = ImmutableArray([])
            self.memo[id(v)] = arr
            items = [self.freeze(e) for e in v.values()]
            arr.buf, arr.n, arr.cap = items, len(items), len(items)
            return arr
        frozen = ImmutableMap({})
        self.memo[id(v)] = frozen
        frozen.d.update((k, self.freeze(e)) for k, e in v.items())
        return frozen

    def _immutable(self, v: Any) -> Any:
        if type(v) is ImmutableArray:
            old = v.items()
            items = [self.freeze(e) for e in old]
            changed = any(a is not b for a, b in zip(items, old, strict=True))
            return ImmutableArray(items) if changed else v
        d = {k: self.freeze(e) for k, e in v.d.items()}
        changed = any(d[k] is not e for k, e in v.d.items())
        return ImmutableMap(d) if changed else v


# ---------------------------------------------------------------- conversions

def builtin_string(*args: Any) -> Any:
    v = _one_or_two(args)
    s = convert.to_string(v)
    return _fallback(args) if s is None else s


def builtin_int(*args: Any) -> Any:
    v = _one_or_two(args)
    if type(v) is int:
        return v
    i = convert.to_int(v)
    return _fallback(args) if i is None else i


def builtin_float(*args: Any) -> Any:
    v = _one_or_two(args)
    f = convert.to_float(v)
    return _fallback(args) if f is None else f


def builtin_bool(*args: Any) -> bool:
    return convert.to_bool(_one(args))


def builtin_char(*args: Any) -> Any:
    c = convert.to_char(_one_or_two(args))
    return _fallback(args) if c is None else c


def builtin_bytes(*args: Any) -> Any:
    """`bytes(n)` makes n zero bytes; otherwise converts a string or bytes."""
    v = _one_or_two(args)
    if type(v) is int:
        if v > MAX_BYTES_LEN:
            raise RuntimeErr("exceeding bytes size limit")
        if v < 0:
            raise RuntimeErr("makeslice: len out of range")  # Go panics with this
        limits.check_alloc(v)
        return bytes(v)
    b = convert.to_bytes(v)
    return _fallback(args) if b is None else b


def builtin_time(*args: Any) -> Any:
    """`time(v)`: a time as is, or an int as Unix seconds."""
    v = _one_or_two(args)
    if values.type_name(v) == "time":
        return v
    if type(v) is int:
        return _time_from_unix(v)
    return _fallback(args)


def _time_from_unix(seconds: int) -> Any:
    """Go's `time.Unix(seconds, 0)`: in the Local zone (UTC in the sandbox)."""
    # The time type lives with the `times` module (a layer above); imported on first use.
    times = importlib.import_module("scriptvisor.engines.tengo.stdlib.times")
    return times.Time(seconds * times.SECOND, times.LOCAL)


# ---------------------------------------------------------------- predicates

def _is_type(*types: type) -> Callable[..., bool]:
    def check(*args: Any) -> bool:
        return type(_one(args)) in types

    return check


def builtin_is_undefined(*args: Any) -> bool:
    return _one(args) is None


def builtin_is_time(*args: Any) -> bool:
    return values.type_name(_one(args)) == "time"


def builtin_is_function(*args: Any) -> bool:
    """True only for script functions (compiled functions and closures)."""
    return values.is_compiled_function(_one(args))


def builtin_is_callable(*args: Any) -> bool:
    return callable(_one(args))


# undefined is iterable in Go Tengo (as an empty sequence), so `for x in undefined` works.
_ITERABLE_TYPES = (str, bytes, dict, Array, ImmutableArray, ImmutableMap, type(None))


def builtin_is_iterable(*args: Any) -> bool:
    return type(_one(args)) in _ITERABLE_TYPES


def builtin_type_name(*args: Any) -> str:
    return values.type_name(_one(args))


def builtin_format(*args: Any) -> str:
    if not args:
        raise wrong_args()
    fmt = args[0]
    if type(fmt) is not str:
        raise bad_type("format", "string", fmt)
    if len(args) == 1:
        return str(fmt)
    return formatter.go_format(fmt, list(args[1:]))


# ---------------------------------------------------------------- the table

BUILTINS: dict[str, Callable[..., Any]] = {
    "len": builtin_len,
    "copy": builtin_copy,
    "append": builtin_append,
    "delete": builtin_delete,
    "splice": builtin_splice,
    "string": builtin_string,
    "int": builtin_int,
    "bool": builtin_bool,
    "float": builtin_float,
    "char": builtin_char,
    "bytes": builtin_bytes,
    "time": builtin_time,
    "is_int": _is_type(int),
    "is_float": _is_type(float),
    "is_string": _is_type(str),
    "is_bool": _is_type(bool),
    "is_char": _is_type(Char),
    "is_bytes": _is_type(bytes),
    "is_array": _is_type(Array),
    "is_immutable_array": _is_type(ImmutableArray),
    "is_map": _is_type(dict),
    "is_immutable_map": _is_type(ImmutableMap),
    "is_iterable": builtin_is_iterable,
    "is_time": builtin_is_time,
    "is_error": _is_type(Error),
    "is_undefined": builtin_is_undefined,
    "is_function": builtin_is_function,
    "is_callable": builtin_is_callable,
    "type_name": builtin_type_name,
    "format": builtin_format,
    "range": builtin_range,
    "freeze": builtin_freeze,
}
"""Every Tengo builtin by name, in Go Tengo's order."""

for _name, _fn in BUILTINS.items():
    values.BUILTIN_NAMES[_fn] = _name
