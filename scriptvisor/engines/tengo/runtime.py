"""Tengo's operators on the value model of `values.py`, as called by generated code.

The compiler inlines the common case of an operator (two ints, say) and calls the
function here for everything else, so these functions are the *complete* semantics:
every operand pair Go Tengo accepts and, for the rest, Go's error message
(`invalid operation: int + string`). Each binary operator has a table keyed by the exact
Python types of its operands; a left operand of another type (the stdlib's `Time`) may
implement `binary_op(op, rhs)` and return `NotImplemented` for pairs it refuses.

Go quirks kept on purpose: float results equal to the left operand return that operand
(so `0.0 * -1` stays `0`), char arithmetic wraps at 32 bits, a shift by a negative count is
a huge unsigned shift, `minInt / -1` is minInt, integer division by zero is an error.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from scriptvisor.engines import limits, refcount
from scriptvisor.engines.tengo import convert
from scriptvisor.engines.tengo.values import (
    INT_MAX,
    INT_MIN,
    Array,
    Char,
    Error,
    ImmutableArray,
    ImmutableMap,
    RuntimeErr,
    go_grow,
    type_name,
    wrap_int,
)

BinaryFn = Callable[[Any, Any], Any]
_budget = limits.budget
_MASK64 = 0xFFFFFFFFFFFFFFFF


def invalid_op(op: str, a: Any, b: Any) -> RuntimeErr:
    return RuntimeErr(f"invalid operation: {type_name(a)} {op} {type_name(b)}")


def _dispatch(op: str, table: dict[tuple[type, type], BinaryFn], a: Any, b: Any) -> Any:
    """The slow path of every binary operator: the pair table, then `binary_op`."""
    fn = table.get((type(a), type(b)))
    if fn is not None:
        return fn(a, b)
    custom = getattr(type(a), "binary_op", None)
    if custom is not None:
        result = custom(a, op, b)
        if result is not NotImplemented:
            return result
    raise invalid_op(op, a, b)


# ---------------------------------------------------------------- int

def _wrapped(v: int) -> int:
    return v if INT_MIN <= v <= INT_MAX else wrap_int(v)


def int_div(a: int, b: int) -> int:
    """Go's `/` on int64: truncates toward zero; minInt / -1 wraps to minInt."""
    if b == 0:
        raise RuntimeErr("divide by zero")
    q = abs(a) // abs(b)
    return _wrapped(q if (a < 0) == (b < 0) else -q)


def int_mod(a: int, b: int) -> int:
    """Go's `%` on int64: the remainder takes the dividend's sign."""
    if b == 0:
        raise RuntimeErr("divide by zero")
    r = abs(a) % abs(b)
    return -r if a < 0 else r


def int_shl(a: int, b: int) -> int:
    """Go's `a << uint64(b)`: counts of 64 and more (negative ones too) give 0."""
    n = b & _MASK64
    return 0 if n >= 64 else _wrapped(a << n)


def int_shr(a: int, b: int) -> int:
    """Go's arithmetic `a >> uint64(b)`: large counts give 0 or -1."""
    n = b & _MASK64
    return a >> min(n, 63)


def _char(v: int) -> Char:
    return Char(convert.int32(v))


# ---------------------------------------------------------------- float

def _keep_left(a: float, r: float) -> float:
    """Go Tengo returns its left operand when the result compares equal to it."""
    return a if r == a else r


def float_div(a: float, b: float) -> float:
    """IEEE division: by zero gives an infinity or NaN, never an error."""
    if b:
        return a / b
    if a != a or a == 0:
        return math.nan
    return math.copysign(math.inf, a) * math.copysign(1.0, b)


# ---------------------------------------------------------------- strings and arrays

def str_concat(a: str, b: str) -> str:
    n = len(a) + len(b)
    if n > _budget.max_bytes:
        limits.check_alloc(n)
    return a + b


def str_plus(a: str, b: Any) -> str:
    """`string + anything`: the right side's `String()` (nested strings quoted)."""
    text: str = b if type(b) is str else convert.go_string(b)
    n = len(a) + len(text)
    if n > _budget.max_bytes:
        limits.check_alloc(n)
    return a + text


def str_less(a: str, b: str) -> bool:
    """Go compares strings bytewise; code point order agrees unless both hold non-ASCII
    text (an invalid byte, carried as a surrogate escape, sorts differently)."""
    if a.isascii() or b.isascii():
        return a < b
    return a.encode("utf-8", "surrogateescape") < b.encode("utf-8", "surrogateescape")


def bytes_concat(a: bytes, b: bytes) -> bytes:
    limits.check_alloc(len(a) + len(b))
    return a + b


def array_concat(a: Array, b: Array) -> Array:
    """Go's `append(a, b...)`: in place while `a` has capacity; `a` itself if `b` is empty."""
    if b.n == 0 and type(a) is Array:
        return a
    return a.appended(b.items())


# ---------------------------------------------------------------- operator tables

_I, _F, _C, _S = int, float, Char, str
_ARR, _IMM = Array, ImmutableArray
_ORDER_OPS: dict[str, Callable[[Any, Any], bool]] = {
    "<": lambda x, y: x < y,
    "<=": lambda x, y: x <= y,
    ">": lambda x, y: x > y,
    ">=": lambda x, y: x >= y,
}


def _ordering(op: str) -> dict[tuple[type, type], BinaryFn]:
    """The pairs Go Tengo orders: numbers (int converted to float), chars with ints,
    strings by bytes."""
    cmp = _ORDER_OPS[op]
    table: dict[tuple[type, type], BinaryFn] = {
        (_I, _I): cmp,
        (_I, _F): lambda a, b: cmp(float(a), b),
        (_F, _I): lambda a, b: cmp(a, float(b)),
        (_F, _F): cmp,
        (_I, _C): lambda a, b: cmp(a, b.v),
        (_C, _I): lambda a, b: cmp(a.v, b),
        (_C, _C): lambda a, b: cmp(a.v, b.v),
    }
    if op == "<":
        table[(_S, _S)] = str_less
    elif op == ">":
        table[(_S, _S)] = lambda a, b: str_less(b, a)
    elif op == "<=":
        table[(_S, _S)] = lambda a, b: not str_less(b, a)
    else:
        table[(_S, _S)] = lambda a, b: not str_less(a, b)
    return table


ADD: dict[tuple[type, type], BinaryFn] = {
    (_I, _I): lambda a, b: _wrapped(a + b),
    (_I, _F): lambda a, b: float(a) + b,
    (_F, _I): lambda a, b: _keep_left(a, a + float(b)),
    (_F, _F): lambda a, b: _keep_left(a, a + b),
    (_I, _C): lambda a, b: _char(convert.int32(a) + b.v),
    (_C, _I): lambda a, b: _char(a.v + convert.int32(b)),
    (_C, _C): lambda a, b: _char(a.v + b.v),
    (_S, _S): str_concat,
    (bytes, bytes): bytes_concat,
    (_ARR, _ARR): array_concat,
    (_IMM, _IMM): array_concat,
}
SUB: dict[tuple[type, type], BinaryFn] = {
    (_I, _I): lambda a, b: _wrapped(a - b),
    (_I, _F): lambda a, b: float(a) - b,
    (_F, _I): lambda a, b: _keep_left(a, a - float(b)),
    (_F, _F): lambda a, b: _keep_left(a, a - b),
    (_I, _C): lambda a, b: _char(convert.int32(a) - b.v),
    (_C, _I): lambda a, b: _char(a.v - convert.int32(b)),
    (_C, _C): lambda a, b: _char(a.v - b.v),
}
MUL: dict[tuple[type, type], BinaryFn] = {
    (_I, _I): lambda a, b: _wrapped(a * b),
    (_I, _F): lambda a, b: float(a) * b,
    (_F, _I): lambda a, b: _keep_left(a, a * float(b)),
    (_F, _F): lambda a, b: _keep_left(a, a * b),
}
DIV: dict[tuple[type, type], BinaryFn] = {
    (_I, _I): int_div,
    (_I, _F): lambda a, b: float_div(float(a), b),
    (_F, _I): lambda a, b: _keep_left(a, float_div(a, float(b))),
    (_F, _F): lambda a, b: _keep_left(a, float_div(a, b)),
}
MOD: dict[tuple[type, type], BinaryFn] = {(_I, _I): int_mod}
BAND: dict[tuple[type, type], BinaryFn] = {(_I, _I): lambda a, b: a & b}
BOR: dict[tuple[type, type], BinaryFn] = {(_I, _I): lambda a, b: a | b}
BXOR: dict[tuple[type, type], BinaryFn] = {(_I, _I): lambda a, b: a ^ b}
BANDNOT: dict[tuple[type, type], BinaryFn] = {(_I, _I): lambda a, b: a & ~b}
SHL: dict[tuple[type, type], BinaryFn] = {(_I, _I): int_shl}
SHR: dict[tuple[type, type], BinaryFn] = {(_I, _I): int_shr}
LT = _ordering("<")
LE = _ordering("<=")
GT = _ordering(">")
GE = _ordering(">=")


def add(a: Any, b: Any) -> Any:
    if type(a) is str:
        return str_plus(a, b)
    return _dispatch("+", ADD, a, b)


def sub(a: Any, b: Any) -> Any:
    return _dispatch("-", SUB, a, b)


def mul(a: Any, b: Any) -> Any:
    return _dispatch("*", MUL, a, b)


def div(a: Any, b: Any) -> Any:
    return _dispatch("/", DIV, a, b)


def mod(a: Any, b: Any) -> Any:
    return _dispatch("%", MOD, a, b)


def band(a: Any, b: Any) -> Any:
    return _dispatch("&", BAND, a, b)


def bor(a: Any, b: Any) -> Any:
    return _dispatch("|", BOR, a, b)


def bxor(a: Any, b: Any) -> Any:
    return _dispatch("^", BXOR, a, b)


def bandnot(a: Any, b: Any) -> Any:
    return _dispatch("&^", BANDNOT, a, b)


def shl(a: Any, b: Any) -> Any:
    return _dispatch("<<", SHL, a, b)


def shr(a: Any, b: Any) -> Any:
    return _dispatch(">>", SHR, a, b)


def lt(a: Any, b: Any) -> bool:
    return bool(_dispatch("<", LT, a, b))


def le(a: Any, b: Any) -> bool:
    return bool(_dispatch("<=", LE, a, b))


def gt(a: Any, b: Any) -> bool:
    return bool(_dispatch(">", GT, a, b))


def ge(a: Any, b: Any) -> bool:
    return bool(_dispatch(">=", GE, a, b))


BINARY: dict[str, BinaryFn] = {
    "+": add, "-": sub, "*": mul, "/": div, "%": mod,
    "&": band, "|": bor, "^": bxor, "&^": bandnot, "<<": shl, ">>": shr,
    "<": lt, "<=": le, ">": gt, ">=": ge,
}
"""Every binary operator but `==`, `!=`, `&&` and `||`, by its Tengo spelling."""


def binary_op(op: str, a: Any, b: Any) -> Any:
    """Apply a Tengo binary operator by name (for compound assignment and tests)."""
    if op == "==":
        return eq(a, b)
    if op == "!=":
        return not eq(a, b)
    return BINARY[op](a, b)


# ---------------------------------------------------------------- equality

_SCALARS = (int, float, str, bool, bytes)


def eq(a: Any, b: Any) -> bool:
    """Go Tengo's `Equals`: numbers across int/float, deep containers (an array equals
    an immutable array with equal elements), errors and functions by... never."""
    ta, tb = type(a), type(b)
    if ta is tb:
        if ta in _SCALARS:
            return bool(a == b)
        return _same_type_eq(a, b, ta)
    if ta is int and tb is float:
        return float(a) == b  # type: ignore[no-any-return]
    if ta is float and tb is int:
        return a == float(b)  # type: ignore[no-any-return]
    if (ta is Array or ta is ImmutableArray) and (tb is Array or tb is ImmutableArray):
        return _arrays_eq(a, b)
    if (ta is dict or ta is ImmutableMap) and (tb is dict or tb is ImmutableMap):
        return _maps_eq(a if ta is dict else a.d, b if tb is dict else b.d)
    return False


def ne(a: Any, b: Any) -> bool:
    return not eq(a, b)


def _same_type_eq(a: Any, b: Any, t: type) -> bool:
    if a is None:
        return True
    if t is Array or t is ImmutableArray:
        return _arrays_eq(a, b)
    if t is dict:
        return _maps_eq(a, b)
    if t is ImmutableMap:
        return _maps_eq(a.d, b.d)
    if t is Char:
        return bool(a.v == b.v)
    if t is Error:
        return a is b
    if callable(a):
        return False  # functions equal nothing, not even themselves
    return bool(a == b)


def _arrays_eq(a: Array, b: Array) -> bool:
    if a.n != b.n:
        return False
    return all(eq(x, y) for x, y in zip(a.values(), b.values(), strict=True))


_ABSENT = object()


def _maps_eq(a: dict[str, Any], b: dict[str, Any]) -> bool:
    if len(a) != len(b):
        return False
    for k, v in a.items():
        w = b.get(k, _ABSENT)
        if w is _ABSENT or not eq(v, w):
            return False
    return True


# ---------------------------------------------------------------- unary, truthiness

def neg(a: Any) -> Any:
    t = type(a)
    if t is int:
        return _wrapped(-a)
    if t is float:
        return -a
    raise RuntimeErr(f"invalid operation: -{type_name(a)}")


def complement(a: Any) -> Any:
    if type(a) is int:
        return ~a
    raise RuntimeErr(f"invalid operation: ^{type_name(a)}")


def truthy(v: Any) -> bool:
    """Tengo's `!IsFalsy()` as a Python bool."""
    t = type(v)
    if t is bool:
        return v  # type: ignore[no-any-return]
    if t is int or t is str or t is dict or t is bytes:
        return bool(v)
    if t is float:
        return v == v  # type: ignore[no-any-return]
    if v is None or t is Error:
        return False
    if t is Array or t is ImmutableArray:
        return v.n != 0  # type: ignore[no-any-return]
    if t is ImmutableMap:
        return bool(v.d)
    if t is Char:
        return v.v != 0  # type: ignore[no-any-return]
    custom = getattr(t, "is_falsy", None)
    return True if custom is None else not custom(v)


def falsy(v: Any) -> bool:
    return not truthy(v)


# ---------------------------------------------------------------- index and selector

def _rune(c: str) -> Char:
    """A string's character as Go's rune: an invalid byte reads as U+FFFD."""
    o = ord(c)
    return Char(0xFFFD if 0xDC80 <= o <= 0xDCFF else o)


def index(obj: Any, idx: Any) -> Any:
    """`obj[idx]` (and `obj.name`): Go Tengo's IndexGet with the VM's error messages."""
    t = type(obj)
    if t is dict:
        return obj.get(_map_key(idx))
    if t is Array or t is ImmutableArray:
        if type(idx) is not int:
            raise RuntimeErr(f"invalid index type: {type_name(idx)}")
        return obj.get(idx)
    if t is ImmutableMap:
        return obj.d.get(_map_key(idx))
    if t is str:
        if type(idx) is not int:
            raise RuntimeErr(f"invalid index type: {type_name(idx)}")
        return _rune(obj[idx]) if 0 <= idx < len(obj) else None
    if t is bytes:
        if type(idx) is not int:
            raise RuntimeErr(f"invalid index type: {type_name(idx)}")
        return obj[idx] if 0 <= idx < len(obj) else None
    if obj is None:
        return None
    if t is Error:
        if convert.to_string(idx) != "value":
            raise RuntimeErr("invalid index on error")
        return obj.value
    # Go names the *index* type here (`not indexable: string` for `1.x`).
    raise RuntimeErr(f"not indexable: {type_name(idx)}")


def _map_key(idx: Any) -> str:
    if type(idx) is str:
        return idx  # type: ignore[no-any-return]
    key = convert.to_string(idx)
    if key is None:
        raise RuntimeErr(f"invalid index type: {type_name(idx)}")
    return key


def set_index(obj: Any, idx: Any, value: Any) -> None:
    """`obj[idx] = value`: Go Tengo's IndexSet (the index is coerced like Go's ToInt)."""
    t = type(obj)
    if t is dict:
        key = idx if type(idx) is str else convert.to_string(idx)
        if key is None:
            raise RuntimeErr("invalid index type")
        obj[key] = value
    elif t is Array:
        i = idx if type(idx) is int else convert.to_int(idx)
        if i is None:
            raise RuntimeErr("invalid index type")
        if not 0 <= i < obj.n:
            raise RuntimeErr("index out of bounds")
        obj.buf[obj.lo + i] = value
    else:
        raise RuntimeErr(f"not index-assignable: {type_name(obj)}")


def assign_path(root: Any, value: Any, selectors: tuple[Any, ...]) -> None:
    """`root[s1][s2]...[sn] = value` as Go's indexAssign walks it: IndexGet down to the
    last container (with its own wording for failures), then IndexSet."""
    dst = root
    for sel in selectors[:-1]:
        dst = _walk(dst, sel)
    set_index(dst, selectors[-1], value)


def _walk(dst: Any, sel: Any) -> Any:
    try:
        return index(dst, sel)
    except RuntimeErr as exc:
        text = str(exc)
        if text.startswith("not indexable"):
            raise RuntimeErr(f"not indexable: {type_name(dst)}") from None
        if text.startswith("invalid index type"):
            raise RuntimeErr(f"invalid index type: {type_name(sel)}") from None
        raise


# ---------------------------------------------------------------- slicing

def slice_(obj: Any, low: Any, high: Any) -> Any:
    """`obj[low:high]`: bounds checked (low <= high) before clamping, as Go does."""
    lo = _slice_bound(low, 0)
    t = type(obj)
    if t is Array or t is ImmutableArray:
        n = obj.n
    elif t is str:
        raw = obj if obj.isascii() else obj.encode("utf-8", "surrogateescape")
        n = len(raw)
    elif t is bytes:
        n = len(obj)
    else:
        raise RuntimeErr(f"not indexable: {type_name(obj)}")
    hi = _slice_bound(high, n)
    if lo > hi:
        raise RuntimeErr(f"invalid slice index: {lo} > {hi}")
    lo = min(max(lo, 0), n)
    hi = min(max(hi, 0), n)
    if t is str:
        part = raw[lo:hi]
        return part if type(part) is str else part.decode("utf-8", "surrogateescape")
    if t is bytes:
        return obj[lo:hi]
    return Array.view(obj.buf, obj.lo + lo, hi - lo, obj.cap - lo)


def _slice_bound(v: Any, default: int) -> int:
    if v is None:
        return default
    if type(v) is not int:
        raise RuntimeErr(f"invalid slice index type: {type_name(v)}")
    return v  # type: ignore[no-any-return]


# ---------------------------------------------------------------- iteration

def _runes(s: str) -> Iterator[Char]:
    if s.isascii():
        return map(Char, map(ord, s))
    return map(_rune, s)


def iter_values(x: Any) -> Iterable[Any]:
    """`for v in x`: the values of any iterable Tengo value (map values are read as the
    loop reaches their key, over the keys present when the loop started)."""
    t = type(x)
    if t is Array or t is ImmutableArray:
        return x.values()  # type: ignore[no-any-return]
    if t is dict or t is ImmutableMap:
        d = x if t is dict else x.d
        return map(d.get, list(d))
    return (v for _, v in iter_pairs(x))


def iter_keys(x: Any) -> Iterable[Any]:
    """`for k, _ in x`: indexes or keys."""
    t = type(x)
    if t is Array or t is ImmutableArray:
        return range(x.n)
    if t is dict:
        return list(x)
    if t is ImmutableMap:
        return list(x.d)
    return (k for k, _ in iter_pairs(x))


def iter_pairs(x: Any) -> Iterable[tuple[Any, Any]]:
    """`for k, v in x`: (index, element), (key, value), (rune index, char), (i, byte);
    undefined iterates zero times; other types may offer `iterate()` yielding pairs."""
    t = type(x)
    if t is Array or t is ImmutableArray:
        return enumerate(x.values())
    if t is dict or t is ImmutableMap:
        d = x if t is dict else x.d
        return ((k, d.get(k)) for k in list(d))
    if t is str:
        return enumerate(_runes(x))
    if t is bytes:
        return enumerate(x)
    if x is None:
        return ()
    custom = getattr(t, "iterate", None)
    if custom is not None:
        return custom(x)  # type: ignore[no-any-return]
    raise RuntimeErr(f"not iterable: {type_name(x)}")


# ---------------------------------------------------------------- calls and values

def spread(x: Any) -> list[Any]:
    """The arguments of `f(a, xs...)`: only arrays spread."""
    if type(x) is Array or type(x) is ImmutableArray:
        return x.items()  # type: ignore[no-any-return]
    raise RuntimeErr(f"not an array: {type_name(x)}")


def varargs(rest: tuple[Any, ...]) -> Array:
    return Array(list(rest))


def immutable(x: Any) -> Any:
    """`immutable(x)`: arrays and maps become read-only views sharing their storage."""
    t = type(x)
    if t is Array:
        return ImmutableArray.view(x.buf, x.lo, x.n, x.cap)
    if t is dict:
        return ImmutableMap(x)
    return x


def make_error(x: Any) -> Error:
    return Error(x)


def append_one(arr: Any, value: Any) -> Array:
    """`append(arr, value)` (the builtin with one value): Go's in-place append while the
    array has capacity, without the builtin's argument packing."""
    if type(arr) is Array:
        n = arr.n
        if n < arr.cap:
            arr.buf[arr.lo + n] = value
            grown: Array = _new_array(Array)
            grown.buf = arr.buf
            grown.lo = arr.lo
            grown.n = n + 1
            grown.cap = arr.cap
            return grown
        return arr.appended([value])
    if type(arr) is ImmutableArray:
        return arr.appended([value])
    raise RuntimeErr(
        "invalid type for argument 'first' in call to 'builtin-function:append': "
        f"expected array, found {type_name(arr)}"
    )


_new_array = object.__new__


def append_into(arr: Any, value: Any) -> Array:
    """`x = append(x, value)`: like `append_one`, but when the array header is referenced
    by `x` alone (CPython's reference count says so), `x` is about to drop it, so it is
    extended in place instead of copied: nothing else can observe the difference."""
    if type(arr) is Array and _UNIQUE_REFS:
        n = arr.n
        if n < arr.cap and _refcount(arr) == _UNIQUE_REFS:
            arr.buf[arr.lo + n] = value
            arr.n = n + 1
            return arr
    return append_one(arr, value)


_refcount = refcount.refcount


def _probe(arr: Array) -> int:  # called as `append_into` is: the same count
    return _refcount(arr)


_UNIQUE_REFS = refcount.unique_refs(lambda: Array([]), _probe)
UNIQUE_REFS_INLINE = refcount.unique_refs_inline(lambda: Array([]))


def array_literal(items: list[Any]) -> Array:
    """`[a, b, c]`: Go builds a literal by appending one element at a time, so its
    capacity (what a later `append` may write in place) is that of repeated growth."""
    n = len(items)
    cap = _LITERAL_CAPS[n] if n < _LITERAL_CAPS_LEN else _appended_cap(n)
    if cap > n:
        items.extend([None] * (cap - n))
    arr: Array = _new_array(Array)  # Array.view, without its call
    arr.buf = items
    arr.lo = 0
    arr.n = n
    arr.cap = cap
    return arr


def _appended_cap(n: int) -> int:
    cap = 0
    while cap < n:
        cap = go_grow(cap, cap + 1)
    return cap


_LITERAL_CAPS = [_appended_cap(n) for n in range(64)]
_LITERAL_CAPS_LEN = len(_LITERAL_CAPS)
_new_array = Array.__new__
