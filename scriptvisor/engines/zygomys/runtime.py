"""Operators and the helpers generated code calls: the number tower, comparisons, paths.

Every function here is either a builtin (registered by `builtins`) or a `_h_` helper the
compiler names in generated code. They raise `ZyError` with upstream's wording; the
engine prefixes builtin failures with "Error calling 'NAME': ".
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from typing import Any

from scriptvisor.engines import limits, refcount
from scriptvisor.engines.zygomys import state
from scriptvisor.engines.zygomys.values import (
    INT_MAX,
    INT_MIN,
    SLOT_BYTES,
    Char,
    Hash,
    Package,
    Pair,
    SciFloat,
    Symbol,
    ZyError,
    compare,
    make_list,
    to_str,
    truthy,
    type_name,
    wrap,
)

WRONG_NARGS = "wrong number of arguments"
WRONG_TYPE = "operands have invalid type"


def nargs_error() -> ZyError:
    return ZyError(WRONG_NARGS)


# ---------------------------------------------------------------- number tower

def _float_op(op: str, a: float, b: float) -> float:
    if op == "+":
        return a + b
    if op == "-":
        return a - b
    if op == "*":
        return a * b
    if op == "/":
        if b == 0:
            if a == 0 or a != a:
                return math.nan
            return math.copysign(math.inf, a) * math.copysign(1.0, b)
        return a / b
    return _float_pow(a, b)


def _float_pow(a: float, b: float) -> float:
    try:
        return math.pow(a, b)
    except ZeroDivisionError:
        return math.inf
    except (OverflowError, ValueError):
        if a != a or b != b:
            return math.nan
        if a < 0 and b != int(b):
            return math.nan
        return math.inf if a > 0 or b % 2 == 0 else -math.inf


def _int_op(op: str, a: int, b: int) -> int | float:
    if op == "+":
        return wrap(a + b)
    if op == "-":
        return wrap(a - b)
    if op == "*":
        return wrap(a * b)
    if op == "/":
        if b == 0:
            raise ZyError("runtime error: integer divide by zero")
        if a % b == 0:
            return wrap(a // b)
        return a / b
    result = _float_pow(float(a), float(b))
    if result != result or not -9.223372036854776e18 <= result < 9.223372036854776e18:
        return INT_MIN
    return int(result)


def numeric(op: str, a: Any, b: Any) -> Any:
    """One step of a numeric fold (`+ - * / **`), following numerictower.go."""
    ta, tb = type(a), type(b)
    if ta is int and tb is int:
        return _int_op(op, a, b)
    if ta is float or ta is SciFloat:
        if tb is int or tb is float or tb is SciFloat:
            return _float_op(op, float(a), float(b))
        if tb is Char:
            return _float_op(op, float(a), float(b.code))
        raise ZyError(WRONG_TYPE)
    if ta is int:
        if tb is float or tb is SciFloat:
            return _float_op(op, float(a), float(b))
        if tb is Char:
            return _int_op(op, a, b.code)
        raise ZyError(WRONG_TYPE)
    if ta is Char:
        if tb is int or tb is Char:
            res = _int_op(op, a.code, b if tb is int else b.code)
            return Char(int(res) & 0x7FFFFFFF) if type(res) is int else res
        if tb is float or tb is SciFloat:
            return _float_op(op, float(a.code), float(b))
        raise ZyError(WRONG_TYPE)
    raise ZyError(WRONG_TYPE)


def _fold(op: str, args: tuple[Any, ...]) -> Any:
    if not args:
        raise nargs_error()
    acc = args[0]
    for b in args[1:]:
        acc = numeric(op, acc, b)
    return acc


def add(*args: Any) -> Any:
    return _fold("+", args)


def sub(*args: Any) -> Any:
    return _fold("-", args)


def mul(*args: Any) -> Any:
    return _fold("*", args)


def div(*args: Any) -> Any:
    return _fold("/", args)


def power(*args: Any) -> Any:
    return _fold("**", args)


def _ints(a: Any, b: Any) -> tuple[int, int]:
    ia = a if type(a) is int else a.code if type(a) is Char else None
    ib = b if type(b) is int else b.code if type(b) is Char else None
    if ia is None or ib is None:
        raise ZyError(WRONG_TYPE)
    return ia, ib


def mod(*args: Any) -> Any:
    if len(args) != 2:
        raise nargs_error()
    a, b = _ints(*args)
    if b == 0:
        raise ZyError("runtime error: integer divide by zero")
    r = abs(a) % abs(b)
    return wrap(-r if a < 0 else r)


def _shift_count(b: int) -> int:
    return b if 0 <= b < 64 else 64


def sll(*args: Any) -> Any:
    if len(args) != 2:
        raise nargs_error()
    a, b = _ints(*args)
    n = _shift_count(b)
    return 0 if n >= 64 else wrap(a << n)


def sra(*args: Any) -> Any:
    if len(args) != 2:
        raise nargs_error()
    a, b = _ints(*args)
    return a >> min(_shift_count(b), 63)


def srl(*args: Any) -> Any:
    if len(args) != 2:
        raise nargs_error()
    a, b = _ints(*args)
    n = _shift_count(b)
    return 0 if n >= 64 else wrap((a & 0xFFFFFFFFFFFFFFFF) >> n)


def _bitwise(op: Callable[[int, int], int]) -> Callable[..., Any]:
    def run(*args: Any) -> Any:
        if len(args) != 2:
            raise nargs_error()
        a, b = _ints(*args)
        return wrap(op(a, b))

    return run


bit_and = _bitwise(lambda a, b: a & b)
bit_or = _bitwise(lambda a, b: a | b)
bit_xor = _bitwise(lambda a, b: a ^ b)


def bit_not(*args: Any) -> Any:
    if len(args) != 1:
        raise nargs_error()
    a = args[0]
    if type(a) is int:
        return ~a
    if type(a) is Char:
        return Char(~a.code & 0x7FFFFFFF)
    raise ZyError(WRONG_TYPE)


# ---------------------------------------------------------------- comparisons

def _cmp2(args: tuple[Any, ...]) -> int:
    if len(args) != 2:
        raise nargs_error()
    return compare(args[0], args[1])


def lt(*args: Any) -> bool:
    return _cmp2(args) < 0


# `compare` answers 2 or 3 when a NaN is involved: then only `!=` holds (CompareFunction)
def gt(*args: Any) -> bool:
    return _cmp2(args) == 1


def le(*args: Any) -> bool:
    return _cmp2(args) <= 0


def ge(*args: Any) -> bool:
    return 0 <= _cmp2(args) <= 1


def eq(*args: Any) -> bool:
    return _cmp2(args) == 0


def ne(*args: Any) -> bool:
    return _cmp2(args) != 0


def not_(*args: Any) -> bool:
    if len(args) != 1:
        raise nargs_error()
    return not truthy(args[0])


# ---------------------------------------------------------------- helpers for generated code

class LoopCtl(Exception):
    """A labelled `break`/`continue` crossing an inner loop."""

    def __init__(self, label: str, brk: bool) -> None:
        super().__init__(label)
        self.label = label
        self.brk = brk


def call0(f: Any) -> Any:
    """`(f)`: call a function; any other value is returned as-is."""
    if callable(f):
        return f()
    return f


def not_callable(name: str) -> ZyError:
    return ZyError(f"{name} is not a function")


def rest_list(args: tuple[Any, ...]) -> Any:
    return make_list(args) if args else None


def fn_meta(fn: Any, name: str, form: Any) -> Any:
    fn.zy_name = name
    fn.zy_form = form
    return fn


# values whose upstream Sexp type has no registered type (`Type()` is nil): a rebinding
# from or to one of them is not checked (scopes.go BindSymbol)
_UNTYPED = frozenset({"nil", "list", "func"})


def redef(old: Any, new: Any) -> Any:
    """Re-`def` in the same scope: the new value must have the old value's type."""
    to, tn = type_name(old), type_name(new)
    if to == tn or to in _UNTYPED or tn in _UNTYPED:
        return new
    raise ZyError(f"cannot assign {tn} to {to}")


def assert_failed(form_text: str) -> ZyError:
    return ZyError(f"Assertion failed: {form_text}\n")


def field_name(key: Any) -> str:
    return key.name if type(key) is Symbol else to_str(key)


def hash_get(h: Hash, key: Any) -> Any:
    found = h.get(key, _MISSING)
    if found is _MISSING:
        raise ZyError(f"{h.typename} has no field '{field_name(key)}' [err 1]")
    return found


_MISSING = object()


def get_field(target: Any, name: str) -> Any:
    """`target.name` for one path step."""
    if type(target) is Hash:
        found = target.get(Symbol_of(name), _MISSING)
        if found is _MISSING:
            found = target.get(name, _MISSING)
        if found is _MISSING:
            raise ZyError(f"{target.typename} has no field '{name}' [err 1]")
        return found
    if type(target) is Package:
        if not name[:1].isupper():
            raise ZyError(f"Cannot access private member '{name}' of package '{target.name}'")
        if name not in target.members:
            raise ZyError(f"package '{target.name}' has no member '{name}'")
        return target.members[name]
    raise ZyError(f"cannot access field '{name}' of a {type_name(target)}")


def Symbol_of(name: str) -> Symbol:  # noqa: N802 - reads as a constructor
    from scriptvisor.engines.zygomys.values import sym

    return sym(name)


def path_get(target: Any, names: tuple[str, ...]) -> Any:
    for name in names:
        target = get_field(target, name)
    return target


def path_set(target: Any, names: tuple[str, ...], value: Any) -> Any:
    for name in names[:-1]:
        target = get_field(target, name)
    last = names[-1]
    if type(target) is not Hash:
        raise ZyError(f"cannot set field '{last}' of a {type_name(target)}")
    key: Any = Symbol_of(last)
    if not target.has(key) and target.has(last):
        key = last
    target.set(key, value)
    return value


def _index(n: int, i: Any, what: str = "Array") -> int:
    if type(i) is Char:
        i = i.code
    if type(i) is not int:
        raise ZyError(f"{what} index must be an integer, not {type_name(i)}")
    if not 0 <= i < n:
        raise ZyError(f"{what} index out of bounds")
    return int(i)


def arrayidx(target: Any, sel: Any) -> Any:
    """`x[i]`, `x[a:b]` (infix indexing); selectors are arrays of evaluated parts."""
    if type(sel) is not list:
        sel = list(sel) if isinstance(sel, list) else [sel]
    colon = any(type(s) is Symbol and s.name == ":" for s in sel)
    if type(target) is Hash:
        if colon:
            raise ZyError("hash selector must be a single key")
        # several parts (`h[1 0]`) are one key: the selector array itself (hash.zy)
        return hash_get(target, sel[0] if len(sel) == 1 else sel)
    if not isinstance(target, list) and type(target) is not str:
        raise ZyError(f"cannot index a {type_name(target)}")
    if not colon:
        if len(sel) != 1:
            raise ZyError("array selector must be a single index")
        if type(target) is str:
            from scriptvisor.engines.zygomys.values import to_bytes

            b = to_bytes(target)
            return Char(b[_index(len(b), sel[0])])
        return target[_index(len(target), sel[0])]
    start, end = _slice_bounds(sel, len(target) if isinstance(target, list) else None, target)
    if type(target) is str:
        from scriptvisor.engines.zygomys.values import from_bytes, to_bytes

        return from_bytes(to_bytes(target)[start:end])
    return list(target[start:end])


def _slice_bounds(sel: list[Any], n: int | None, target: Any) -> tuple[int, int]:
    if n is None:
        from scriptvisor.engines.zygomys.values import byte_len

        n = byte_len(target)
    k = next(i for i, s in enumerate(sel) if type(s) is Symbol and s.name == ":")
    start = sel[0] if k == 1 else 0
    end = sel[k + 1] if k + 1 < len(sel) else n
    if type(start) is not int or type(end) is not int:
        raise ZyError("slice bounds must be integers")
    if start < 0 or end < 0:
        raise ZyError("negative slice index")
    if start > end or end > n:
        raise ZyError(f"slice bounds out of range [{start}:{end}] with length {n}")
    return start, end


def arrayidx_set(target: Any, sel: Any, value: Any) -> Any:
    if type(sel) is not list:
        sel = list(sel) if isinstance(sel, list) else [sel]
    if type(target) is Hash:  # several parts are one key, as in `arrayidx`
        target.set(sel[0] if len(sel) == 1 else sel, value)
        return value
    if len(sel) != 1:
        raise ZyError("array selector must be a single index")
    if not isinstance(target, list):
        raise ZyError(f"cannot index a {type_name(target)}")
    target[_index(len(target), sel[0])] = value
    return value


def append_into(arr: Any, value: Any, append: Callable[..., Any]) -> Any:
    """`(set x (append x v))`: when the array is held by `x` alone (CPython's reference
    count says so), `x` is about to drop it, so it grows in place instead of being copied,
    as Go's append does with spare capacity; nothing else can see the difference."""
    if type(arr) is list and _refcount(arr) == _UNIQUE_REFS:
        if not len(arr) & ALLOC_CHECK_MASK:  # the budget is checked every 1024 items
            limits.check_alloc((len(arr) + ALLOC_CHECK_MASK + 1) * SLOT_BYTES)
        arr.append(value)
        return arr
    return append(arr, value)


ALLOC_CHECK_MASK = 1023


_refcount = refcount.refcount


def _probe(arr: Any, value: Any = None, append: Any = None) -> int:  # as `append_into`
    return _refcount(arr)


_UNIQUE_REFS = refcount.unique_refs(list, _probe)
UNIQUE_REFS_INLINE = refcount.unique_refs_inline(list)


def checked_str(s: str) -> str:
    """A string built in generated code, held to the allocation budget once it is long."""
    limits.check_alloc(len(s))
    return s


def hashidx(target: Any, field: Any) -> Any:
    name = field.name.lstrip(".") if type(field) is Symbol else to_str(field)
    return path_get(target, tuple(name.split(".")))


def range_iter(coll: Any) -> Iterator[tuple[Any, Any]]:
    """What `range` walks: (index, element) of arrays, (key, value) of hashes, 0..n-1."""
    if isinstance(coll, list):
        i = 0
        while i < len(coll):
            yield i, coll[i]
            i += 1
    elif type(coll) is Hash:
        yield from list(coll.items())
    elif type(coll) is int:
        yield from ((i, i) for i in range(coll))
    elif type(coll) is Pair or coll is None:
        for i, x in enumerate(coll or ()):
            yield i, x
    else:
        raise ZyError(f"range: cannot range over a {type_name(coll)}")


def sq_build(parts: list[Any], splices: tuple[bool, ...], tail: Any, as_array: bool) -> Any:
    """Syntax-quote: assemble a list (or array) from parts, splicing the flagged ones."""
    items: list[Any] = []
    for part, splice in zip(parts, splices, strict=True):
        if not splice:
            items.append(part)
        elif part is None:
            continue
        elif type(part) is Pair or isinstance(part, list):
            items.extend(part)
        else:
            raise ZyError(f"unquote-splicing needs a list or array, got {type_name(part)}")
    limits.check_alloc(len(items) * SLOT_BYTES)
    if as_array:
        return items
    return make_list(items, tail)


def data(form: Any) -> Any:
    """A fresh runtime copy of quoted data (arrays are mutable, so never shared)."""
    if isinstance(form, list):
        return [data(x) for x in form]
    if type(form) is Pair:
        items = []
        p: Any = form
        while type(p) is Pair:
            items.append(data(p.head))
            p = p.tail
        return make_list(items, data(p))
    return form


def make_record_ctor(name: str) -> Callable[..., Any]:
    def ctor(*args: Any) -> Hash:
        return build_hash(args, name)

    ctor.zy_name = name  # type: ignore[attr-defined]
    return ctor


def build_hash(args: tuple[Any, ...] | list[Any], typename: str = "hash") -> Hash:
    if len(args) % 2:
        raise ZyError("hash requires even number of arguments")
    limits.check_alloc(len(args) * SLOT_BYTES)
    h = Hash(typename)
    for i in range(0, len(args), 2):
        h.set(args[i], args[i + 1])
    return h


def as_index(i: Any, value: Callable[[], Any] | None = None) -> int:
    """ArrayAccessFunction's index: an int or char, else the value of evaluating it (so a
    quoted symbol names a variable and a quoted list is a call). `value`, when given,
    evaluates it in the script's own scope (compiled code)."""
    if type(i) is Char:
        return int(i.code)
    if type(i) is int:
        return i
    try:
        res = value() if value is not None else state.current.evaluate(i)
    except ZyError as exc:
        raise ZyError(f"error during eval of array-access position argument: {exc}") from None
    if type(res) is not int:
        raise ZyError("Second argument of aget could not be evaluated to integer; "
                      f"got j = {to_str(res)}")
    return res


def index_with(value: Callable[[], Any], fn: Callable[..., Any], name: str, target: Any,
               key: Any, *rest: Any) -> Any:
    """`(aget arr %y)`, `(hget arr %(f))`: on an array the quoted index is evaluated in
    the script's scope by `value` (upstream evaluates it where the call is)."""
    if isinstance(target, list):
        try:
            key = as_index(key, value)
        except ZyError as exc:
            raise ZyError(f"Error calling '{name}': {exc}") from None
    return fn(target, key, *rest)


def colon_get(key: Any, target: Any, *default: Any) -> Any:
    """`(:key h [default])`; on an array `(:0 arr)`, or `(:y arr)` indexing with the
    value of `y` (ColonAccessBuilder defers to aget)."""
    return colon_get_with(None, key, target, *default)


def colon_get_with(value: Callable[[], Any] | None, key: Any, target: Any,
                   *default: Any) -> Any:
    if type(target) is Hash:
        found = target.get(key, _MISSING)
        if found is _MISSING:
            if default:
                return default[0]
            raise ZyError(f"{target.typename} has no field '{field_name(key)}' [err 1]")
        return found
    if isinstance(target, list):
        k = as_index(key, value)
        if 0 <= k < len(target):
            return target[k]
        if default:
            return default[0]
        raise ZyError("Array index out of bounds")
    raise ZyError("second argument to ':' function must be hash or array")


__all__ = ["INT_MAX", "INT_MIN"]


def unpack(value: Any, n: int) -> list[Any]:
    """The values of a multiple assignment `a, b = v` (an array or list of n items)."""
    items = list(value) if isinstance(value, list) else list(value) if type(value) is Pair \
        else [value]
    if len(items) != n:
        raise ZyError(f"assignment count mismatch {n} != {len(items)}")
    return items


def mdef_items(value: Any, n: int) -> list[Any]:
    """`(mdef a b lst)`: the first n elements of a list (the list itself last)."""
    items: list[Any] = []
    p = value
    while type(p) is Pair:
        items.append(p.head)
        p = p.tail
    if p is not None:  # BindlistInstr: ListToArray refuses anything but a proper list
        raise ZyError("not a list")
    if len(items) < n:
        raise ZyError(f"bindlist failing: {n} targets but only {len(items)} sources")
    return [*items[:n], value]


def package(name: str, members: dict[str, Any]) -> Package:
    return Package(name, members)
