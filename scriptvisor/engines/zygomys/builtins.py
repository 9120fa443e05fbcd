"""The builtin function table: the sandbox-safe set of the reference doc §9.

One entry per name. Builtins take positional arguments and raise `ZyError` with the
reason only; the engine reports "Error calling 'NAME': <reason>", finding NAME from the
failing builtin's code object (`CODE_NAMES`).
"""

from __future__ import annotations

import base64
import binascii
import json as pyjson
import math
import random as pyrandom
import re
from collections.abc import Callable
from typing import Any

from scriptvisor.engines import limits
from scriptvisor.engines.tengo.formatter import ftoa, go_format
from scriptvisor.engines.tengo.stdlib.regex import RegexSyntaxError, compile_regexp
from scriptvisor.engines.zygomys import runtime as rt
from scriptvisor.engines.zygomys import state
from scriptvisor.engines.zygomys.values import (
    SLOT_BYTES,
    Char,
    Hash,
    Lazy,
    Pair,
    Raw,
    SciFloat,
    Symbol,
    ZyError,
    byte_len,
    display,
    from_bytes,
    gensym,
    go_type,
    list_items,
    make_list,
    sym,
    symbol_rank,
    to_bytes,
    to_str,
    truthy,
    type_name,
    wrap,
)

Builtin = Callable[..., Any]
BUILTINS: dict[str, Builtin] = {}
CODE_NAMES: dict[Any, str] = {}


def builtin(*names: str) -> Callable[[Builtin], Builtin]:
    def register(fn: Builtin) -> Builtin:
        for name in names:
            BUILTINS[name] = fn
        CODE_NAMES.setdefault(fn.__code__, names[0])
        fn.zy_name = names[0]  # type: ignore[attr-defined]
        return fn

    return register


def _n(args: tuple[Any, ...], *counts: int) -> None:
    if len(args) not in counts:
        raise rt.nargs_error()


def _register_plain(name: str, fn: Builtin) -> None:
    BUILTINS[name] = fn
    code = getattr(fn, "__code__", None)
    if code is not None:
        CODE_NAMES.setdefault(code, name)


for _name, _fn in {
    "+": rt.add, "-": rt.sub, "*": rt.mul, "/": rt.div, "**": rt.power, "mod": rt.mod,
    "sll": rt.sll, "sra": rt.sra, "srl": rt.srl, "bitAnd": rt.bit_and, "bitOr": rt.bit_or,
    "bitXor": rt.bit_xor, "<": rt.lt, ">": rt.gt, "<=": rt.le,
    ">=": rt.ge, "==": rt.eq, "!=": rt.ne, "not": rt.not_,
}.items():
    _register_plain(_name, _fn)


@builtin("bitNot")
def bit_not(*args: Any) -> Any:
    """ComplementFunction: ints and chars only, with upstream's own message otherwise."""
    _n(args, 1)
    if type(args[0]) is int or type(args[0]) is Char:
        return rt.bit_not(args[0])
    raise ZyError("Argument to bitNot should be integer")
# the three bitwise ops share one closure's code: give each its own, for error names
for _name, _fn in (("bitAnd", rt.bit_and), ("bitOr", rt.bit_or), ("bitXor", rt.bit_xor)):
    _fn.__code__ = _fn.__code__.replace(co_name=_name)
    CODE_NAMES[_fn.__code__] = _name


# ---------------------------------------------------------------- predicates

def _pred(name: str, test: Callable[[Any], bool]) -> None:
    def check(*args: Any) -> bool:
        _n(args, 1)
        return test(args[0])

    check.__code__ = check.__code__.replace(co_name=f"pred_{len(BUILTINS)}")
    _register_plain(name, check)
    CODE_NAMES[check.__code__] = name


def _is_list(v: Any) -> bool:
    while type(v) is Pair:
        v = v.tail
    return v is None


_pred("list?", _is_list)
_pred("null?", lambda v: v is None)
_pred("array?", lambda v: isinstance(v, list))
_pred("hash?", lambda v: type(v) is Hash)
_pred("number?", lambda v: type(v) in (int, float, SciFloat, Char))
_pred("int?", lambda v: type(v) is int)
_pred("float?", lambda v: type(v) in (float, SciFloat))
_pred("char?", lambda v: type(v) is Char)
_pred("symbol?", lambda v: type(v) is Symbol)
_pred("string?", lambda v: type(v) is str)
_pred("zero?", lambda v: type(v) in (int, float, SciFloat) and v == 0 or
      type(v) is Char and v.code == 0)
_pred("empty?", lambda v: v is None or isinstance(v, list) and not v or
      type(v) is Hash and not len(v))
_pred("func?", lambda v: callable(v) and type(v) not in (Hash,))
_pred("isnan", lambda v: type(v) in (float, SciFloat) and math.isnan(v))
_pred("isNaN", lambda v: type(v) in (float, SciFloat) and math.isnan(v))


@builtin("type?")
def b_type(*args: Any) -> str:
    _n(args, 1)
    return str(type_name(args[0]))


@builtin("defined?")
def b_defined(*args: Any) -> bool:
    _n(args, 1)
    s = args[0]
    if callable(s):
        return True  # DefinedFunction: a function value is defined
    if type(s) is Symbol:
        name = s.name
    elif type(s) is str:
        name = s
    else:
        return False  # any other value is "not a name"
    ns = state.current.namespace
    from scriptvisor.engines.zygomys.compiler import mangle

    return name in BUILTINS or (ns is not None and mangle(name) in ns)


# ---------------------------------------------------------------- lists and arrays

def _check_items(n: int) -> None:
    limits.check_alloc(n * SLOT_BYTES)


@builtin("cons")
def b_cons(*args: Any) -> Any:
    _n(args, 2)
    return Pair(args[0], args[1])


@builtin("first", "car")
def b_first(*args: Any) -> Any:
    _n(args, 1)
    v = args[0]
    if type(v) is Pair:
        return v.head
    if isinstance(v, list):
        if not v:
            raise ZyError("first called on empty array")
        return v[0]
    raise ZyError(rt.WRONG_TYPE)


@builtin("rest", "cdr")
def b_rest(*args: Any) -> Any:
    _n(args, 1)
    v = args[0]
    if type(v) is Pair:
        return v.tail
    if v is None:
        return None
    if isinstance(v, list):
        return v[1:]
    raise ZyError(rt.WRONG_TYPE)


@builtin("second")
def b_second(*args: Any) -> Any:
    _n(args, 1)
    v = args[0]
    if type(v) is Pair:
        if type(v.tail) is Pair:
            return v.tail.head
        raise ZyError("list too small for second")
    if isinstance(v, list):
        if len(v) >= 2:
            return v[1]
        raise ZyError("array too small for second")
    raise ZyError(rt.WRONG_TYPE)


@builtin("list")
def b_list(*args: Any) -> Any:
    return make_list(args)


@builtin("array")
def b_array(*args: Any) -> Any:
    return list(args)


@builtin("makeArray")
def b_make_array(*args: Any) -> Any:
    _n(args, 1, 2)
    n = args[0]
    if type(n) is not int:
        raise ZyError("first argument must be integer")
    if n < 0:
        raise ZyError("makeslice: len out of range")
    _check_items(n)
    return [args[1] if len(args) == 2 else None] * n


@builtin("aget")
def b_aget(*args: Any) -> Any:
    _n(args, 2, 3)
    arr = args[0]
    if not isinstance(arr, list):
        raise ZyError("First argument of aget must be array")
    i = rt.as_index(args[1])
    if not 0 <= i < len(arr):
        if len(args) == 3:
            return args[2]
        raise ZyError("Array index out of bounds")
    return arr[i]


@builtin("aset")
def b_aset(*args: Any) -> Any:
    _n(args, 3)
    arr = args[0]
    if not isinstance(arr, list):
        raise ZyError("First argument of aget must be array")  # upstream shares aget's text
    i = rt.as_index(args[1])
    if not 0 <= i < len(arr):
        raise ZyError("Array index out of bounds")
    arr[i] = args[2]
    return None


@builtin("slice")
def b_slice(*args: Any) -> Any:
    _n(args, 3)
    v, i, j = args
    i = i.code if type(i) is Char else i
    j = j.code if type(j) is Char else j
    if type(i) is not int:
        raise ZyError("Second argument of slice must be integer")
    if type(j) is not int:
        raise ZyError("Third argument of slice must be integer")
    if type(v) is str:
        b = to_bytes(v)
        if not 0 <= i <= j <= len(b):
            raise ZyError(f"slice bounds out of range [{i}:{j}] with length {len(b)}")
        return from_bytes(b[i:j])
    if isinstance(v, list):
        if not 0 <= i <= j <= len(v):
            raise ZyError(f"slice bounds out of range [{i}:{j}] with length {len(v)}")
        return v[i:j]
    raise ZyError("First argument of slice must be array or string")


@builtin("len")
def b_len(*args: Any) -> int:
    _n(args, 1)
    v = args[0]
    if v is None:
        return 0
    if type(v) is str:
        return byte_len(v)
    if isinstance(v, list) or type(v) is Hash:
        return len(v)
    if type(v) is Pair:
        return len(list_items(v))
    raise ZyError("argument must be string, list, hash, or array")


@builtin("append")
def b_append(*args: Any) -> Any:
    _n(args, 2)
    v, x = args
    if isinstance(v, list):
        _check_items(len(v) + 1)
        return [*v, x]
    if type(v) is str:
        if type(x) is Char:
            out = v + chr(x.code)
        elif type(x) is str:
            out = v + x
        else:
            raise ZyError("second argument is not a char")  # AppendStr
        limits.check_alloc(len(out))
        return out
    raise ZyError("First argument of append must be array or string")


@builtin("appendslice")
def b_appendslice(*args: Any) -> Any:
    _n(args, 2)
    a, b = args
    if not isinstance(a, list):
        raise ZyError("First argument of append must be array or string")
    if not isinstance(b, list):
        raise ZyError("Second argument of appendslice must be slice")
    _check_items(len(a) + len(b))
    return [*a, *b]


@builtin("concat")
def b_concat(*args: Any) -> Any:
    if not args:
        raise rt.nargs_error()
    first = args[0]
    if type(first) is str:
        parts = []
        for i, x in enumerate(args):
            if type(x) is str:
                parts.append(x)
            elif type(x) is Char:
                parts.append(chr(x.code))
            else:
                raise ZyError(f"ConcatStr error: {i - 1}-th argument (0-based) is "
                              f"not a string (was {go_type(x)})")
        limits.check_alloc(sum(len(p) for p in parts))
        return "".join(parts)
    if isinstance(first, list):
        out: list[Any] = []
        for i, x in enumerate(args):
            if not isinstance(x, list):
                raise ZyError(f"ConcatArray error: {i - 1}-th argument (0-based) is not an array")
            out.extend(x)
            _check_items(len(out))
        return out
    if type(first) is Pair:
        items: list[Any] = []
        for x in args:
            if x is not None and type(x) is not Pair:
                raise ZyError("not a list")
            items.extend(list_items(x))
            _check_items(len(items))
        return make_list(items)
    raise ZyError(f"expected strings, lists or arrays, got {type_name(first)}")


@builtin("flatten")
def b_flatten(*args: Any) -> Any:
    """FlattenToWordsFunction (system.go): an array of words; strings split on spaces,
    symbols give their names, lists are walked; anything else is refused."""
    if not args:
        raise rt.nargs_error()
    words: list[str] = []

    def walk(items: Any) -> None:
        for v in items:
            if type(v) is str:
                words.extend(v.split(" "))
            elif type(v) is Symbol:
                words.append(v.name)
            elif type(v) is Pair:
                walk(list_items(v))
            else:
                raise ZyError(f"arguments to system must be strings; instead we have {go_type(v)}")
            if len(words) % 4096 == 0:
                _check_items(len(words))

    walk(args)
    return words


@builtin("quotelist")
def b_quotelist(*args: Any) -> Any:
    """QuoteListFunction: `(a b)` becomes `((quote a) (quote b))`."""
    _n(args, 1)
    if type(args[0]) is not Pair:
        raise ZyError("list required")
    return make_list([make_list([sym("quote"), v]) for v in list_items(args[0])])


@builtin("map")
def b_map(*args: Any) -> Any:
    _n(args, 2)
    f, coll = args
    if not callable(f):
        raise ZyError(f"first argument must be function, but we had {go_type(f)}")
    if isinstance(coll, list):
        return [f(x) for x in coll]
    if type(coll) is Pair:
        return make_list([f(x) for x in list_items(coll)])
    raise ZyError(f"second argument must be array or list; we saw {go_type(coll)}")


@builtin("apply")
def b_apply(*args: Any) -> Any:
    _n(args, 2)
    f, xs = args
    if not callable(f):
        raise ZyError("first argument must be function")
    if isinstance(xs, list):
        return f(*xs)
    if type(xs) is Pair:
        return f(*list_items(xs))
    raise ZyError("second argument must be array or list")


@builtin("hpair")
def b_hpair(*args: Any) -> Any:
    _n(args, 2)
    h, i = args
    if type(i) is not int:
        raise ZyError("hpair position request must be an integer")
    if type(h) is Hash:
        entries = list(h.items())
        if not 0 <= i < len(entries):
            raise ZyError(f"hpair position request {i} out of bounds")
        return make_list(list(entries[i]))
    if isinstance(h, list):
        if not 0 <= i < len(h):
            raise ZyError(f"hpair position request {i} out of bounds")
        return make_list([i, h[i]])
    raise ZyError("first argument of to hpair function must be hash, list, or array")


# ---------------------------------------------------------------- hashes

H_STAR_NOT_HASH = "first argument to h* function must be hash"  # HashAccessFunction


@builtin(":")
def b_colon(*args: Any) -> Any:
    """The colon builder seen as a value: `(hash 0:4)` reads as `(hash 0 : 4)`, and MakeHash
    drops the colon function from its arguments. Called directly it is colon access."""
    if len(args) < 2:
        raise rt.nargs_error()
    return rt.colon_get(*args)


@builtin("hash")
def b_hash(*args: Any) -> Any:
    return rt.build_hash([a for a in args if a is not b_colon])  # EliminateColonAndCommaFromArgs


@builtin("hget")
def b_hget(*args: Any) -> Any:
    _n(args, 2, 3)
    h, k = args[0], args[1]
    if isinstance(h, list):
        return b_aget(*args)
    if type(h) is not Hash:
        raise ZyError("first argument to hget function must be hash or array")
    if type(k) is Symbol and k.dot:
        return rt.path_get(h, tuple(p for p in k.name.split(".") if p))  # DotPathHashGet
    if len(args) == 3:
        return h.get(k, args[2])
    return rt.hash_get(h, k)


@builtin("hset")
def b_hset(*args: Any) -> Any:
    _n(args, 3)
    h = args[0]
    if type(h) is not Hash:
        raise ZyError(H_STAR_NOT_HASH)
    if not h.has(args[1]):
        limits.check_alloc((len(h) + 1) * SLOT_BYTES * 2)
    h.set(args[1], args[2])
    return None


@builtin("hdel")
def b_hdel(*args: Any) -> Any:
    _n(args, 2)
    h = args[0]
    if type(h) is not Hash:
        raise ZyError(H_STAR_NOT_HASH)
    h.delete(args[1])
    return None


@builtin("keys")
def b_keys(*args: Any) -> Any:
    _n(args, 1)
    h = args[0]
    if type(h) is not Hash:
        raise ZyError(H_STAR_NOT_HASH)
    return list(h.order)  # deleted keys included, as upstream (see `Hash.order`)


@builtin("->")
def b_thread(*args: Any) -> Any:
    if not args:
        raise rt.nargs_error()
    v = args[0]
    for k in args[1:]:
        if type(v) is not Hash:
            raise ZyError(f"-> needs a hash at each step, got {type_name(v)}")
        v = rt.hash_get(v, k)
    return v


# ---------------------------------------------------------------- strings and symbols

@builtin("str")
def b_str(*args: Any) -> str:
    _n(args, 1)
    return to_str(args[0])


@builtin("sget")
def b_sget(*args: Any) -> Any:
    _n(args, 2)
    s, i = args
    if type(s) is not str:
        raise ZyError("First argument of sget must be string")
    if type(i) is Char:
        i = i.code
    if type(i) is not int:
        raise ZyError("Second argument of sget must be integer")
    b = to_bytes(s)
    if not 0 <= i < len(b):
        raise ZyError(f"index out of range [{i}] with length {len(b)}")
    return Char(b[i])


@builtin("split")
def b_split(*args: Any) -> Any:
    _n(args, 2)
    s, sep = args
    if type(s) is not str:
        raise ZyError(f"split requires a string to split, got {go_type(s)}")
    if type(sep) is not str:
        raise ZyError(f"split requires a string as a delimiter, got {go_type(sep)}")
    if sep == "":
        return list(s)
    return s.split(sep)


@builtin("nsplit")
def b_nsplit(*args: Any) -> Any:
    _n(args, 1)
    if type(args[0]) is not str:
        raise ZyError(f"split requires a string to split, got {go_type(args[0])}")
    return args[0].split("\n")


# StringUtilFunction formats %T of its (empty) Go string, so it always says "got string".
STRING_REQUIRED = "string required, got string"


@builtin("chomp")
def b_chomp(*args: Any) -> Any:
    _n(args, 1)
    s = args[0]
    if type(s) is not str:
        raise ZyError(STRING_REQUIRED)
    return s[:-1] if s.endswith("\n") else s


@builtin("trim")
def b_trim(*args: Any) -> Any:
    _n(args, 1)
    s = args[0]
    if type(s) is not str:
        raise ZyError(STRING_REQUIRED)
    return s.strip(" \t\n\r\v\f\x85\xa0")


# Go fmt sees int64, float64, rune (int32), string and bool; other values pass as Sexp objects.
_GO_VERBS: dict[type, str] = {
    bool: "tv", int: "bcdoOqxXUv", Char: "bcdoOqxXUv", float: "beEfFgGxXv", SciFloat: "beEfFgGxXv",
    str: "sqxXv",
}
_GO_NAMES: dict[type, str] = {
    bool: "bool", int: "int64", Char: "int32", float: "float64", SciFloat: "float64", str: "string",
}
_DIRECTIVE = re.compile(r"%([-+# 0]*)(\*|\d+)?(?:(\.)(\*|\d+)?)?(.)?", re.S)


def _go_name(v: Any) -> str:
    return _GO_NAMES.get(type(v)) or go_type(v)


def _go_v(v: Any) -> str:
    """Go's %v text of one sprintf argument."""
    t = type(v)
    if t is bool:
        return "true" if v else "false"
    if t is int:
        return str(v)
    if t is Char:
        return str(v.code)
    if t is float or t is SciFloat:
        return ftoa(v, "g", -1)  # %v of a float64 is strconv 'g', shortest
    if t is str:
        return str(v)
    return to_str(v)


def _go_arg(v: Any) -> Any:
    """The value handed to the shared Go-verb formatter for a verb that fits the type."""
    t = type(v)
    if t is Char:
        return v.code
    if t is SciFloat:
        return float(v)
    if t is str:
        return to_bytes(v)  # bytes print raw, as Go prints strings
    return v


def _directive(spec: str, flags: str, width: str, verb: str, a: Any) -> str:
    if verb == "T":
        return go_format(f"%{flags}{width}s", [to_bytes(_go_name(a))])
    if verb == "v":
        t = type(a)
        if t is int or t is Char:
            return go_format(f"%{flags}{width}d", [_go_arg(a)])
        if t is bool:
            return go_format(f"%{flags}{width}t", [a])
        return go_format(f"%{flags}{width}s", [to_bytes(_go_v(a))])
    allowed = _GO_VERBS.get(type(a))
    if allowed is None and verb in "sq":  # a Sexp object: format its printed form
        return go_format(spec, [to_bytes(to_str(a))])
    if allowed is None or verb not in allowed:
        return f"%!{verb}({_go_name(a)}={_go_v(a)})"
    return go_format(spec, [_go_arg(a)])


def sprintf(args: tuple[Any, ...]) -> str:
    """`(sprintf fmt args...)` with Go's fmt rules for the values upstream hands to Go: int64,
    float64, rune, string, bool (bad verbs print `%!d(string=x)`, leftovers `%!(EXTRA ...)`)."""
    if not args:
        raise rt.nargs_error()
    fmt = args[0] if type(args[0]) is str else to_str(args[0])
    rest = args[1:]
    if "[" in fmt:  # explicit argument indexes: the shared formatter handles them
        return go_format(fmt, [_go_arg(a) for a in rest])
    out: list[str] = []
    k = pos = 0
    for m in _DIRECTIVE.finditer(fmt):
        out.append(fmt[pos:m.start()])
        pos = m.end()
        flags, width, dot, prec, verb = m.groups()
        if verb is None:
            out.append("%!(NOVERB)")
            continue
        if verb == "%":
            out.append("%")
            continue
        stars = []
        for part in (width, prec):
            if part == "*":
                if k >= len(rest) or type(rest[k]) is not int:
                    return go_format(fmt, [_go_arg(a) for a in rest])
                stars.append(str(rest[k]))
                k += 1
            else:
                stars.append(part or "")
        width, prec = stars
        if k >= len(rest):
            out.append(f"%!{verb}(MISSING)")
            continue
        spec = f"%{flags}{width}{dot or ''}{prec}{verb}"
        out.append(_directive(spec, flags, width, verb, rest[k]))
        k += 1
        limits.check_alloc(sum(len(x) for x in out))
    out.append(fmt[pos:])
    if k < len(rest):
        out.append("%!(EXTRA " + ", ".join(f"{_go_name(a)}={_go_v(a)}" for a in rest[k:]) + ")")
    return "".join(out)


@builtin("sprintf")
def b_sprintf(*args: Any) -> str:
    return sprintf(args)


@builtin("str2sym")
def b_str2sym(*args: Any) -> Any:
    _n(args, 1)
    if type(args[0]) is not str:
        raise ZyError("argument must be string")
    return sym(args[0])


@builtin("sym2str")
def b_sym2str(*args: Any) -> Any:
    _n(args, 1)
    if type(args[0]) is not Symbol:
        raise ZyError("argument must be symbol")
    return args[0].name


@builtin("joinsym")
def b_joinsym(*args: Any) -> Any:
    """JoinSymFunction: symbols, or arrays/lists of symbols, joined into one symbol."""
    if not args:
        return None
    parts: list[str] = []
    for a in args:
        if type(a) is Symbol:
            parts.append(a.name)
        elif type(a) is Pair or isinstance(a, list):
            for x in (list_items(a) if type(a) is Pair else a):
                if type(x) is not Symbol:
                    raise ZyError(f"not a symbol: '{to_str(x)}'")
                parts.append(x.name)
        else:
            raise ZyError(f"error cannot joinsym type '{go_type(a)}' / val = '{to_str(a)}'")
    return sym("".join(parts))


@builtin("gensym")
def b_gensym(*args: Any) -> Any:
    """GensymFunction: a fresh symbol, optionally with a string prefix."""
    if len(args) > 1:
        raise rt.nargs_error()
    if not args:
        return gensym()
    if type(args[0]) is not str:
        raise ZyError("argument must be string")
    return gensym(args[0])


@builtin("symnum")
def b_symnum(*args: Any) -> Any:
    _n(args, 1)
    if type(args[0]) is not Symbol:
        raise ZyError("argument must be symbol")
    return symbol_rank(args[0])


# ---------------------------------------------------------------- raw bytes, base64

@builtin("raw")
def b_raw(*args: Any) -> Any:
    """MakeRaw: the bytes of its string arguments; a raw first argument passes through."""
    if args and type(args[0]) is Raw:
        return args[0]
    out = bytearray()
    for a in args:
        if type(a) is not str:
            raise ZyError(f"raw takes only string arguments. We see {go_type(a)}")
        out += to_bytes(a)
        limits.check_alloc(len(out))
    return Raw(bytes(out))


def _raw_arg(args: tuple[Any, ...]) -> Raw:
    _n(args, 1)
    if type(args[0]) is not Raw:
        raise ZyError("argument must be raw")
    return args[0]  # type: ignore[no-any-return]


@builtin("raw2str")
def b_raw2str(*args: Any) -> Any:
    return from_bytes(_raw_arg(args).data)


@builtin("copyraw")
def b_copyraw(*args: Any) -> Any:
    r = _raw_arg(args)
    return Raw(r.data, r.b64)


@builtin("isbase64")
def b_isbase64(*args: Any) -> Any:
    _n(args, 1)
    return type(args[0]) is Raw and args[0].b64


def _decode64(parts: tuple[Any, ...]) -> Raw:
    """Raw64Builder: strings (backticks and newlines dropped) decoded as URL-alphabet base64."""
    text = ""
    for p in parts:
        if type(p) is not str:
            raise ZyError("argument must be raw or base64 encoded string")
        text += p.strip("`").replace("\n", "")
    limits.check_alloc(len(text))
    try:
        return Raw(base64.urlsafe_b64decode(text.encode("ascii")), True)
    except (binascii.Error, ValueError, UnicodeEncodeError) as exc:
        raise ZyError(f"illegal base64 data: {exc}") from None


def _display64(args: tuple[Any, ...], bit: bool | None) -> Any:
    """MakeRawUnbase64: on a raw value set (or flip, when `bit` is None) its base64 display
    bit in place; strings are decoded as base64 into a new raw value."""
    if not args:
        return Raw(b"")
    r = args[0]
    if type(r) is Raw:
        r.b64 = (not r.b64) if bit is None else bit
        return r
    return _decode64(args)


@builtin("base64")
def b_base64(*args: Any) -> Any:
    return _display64(args, True)


@builtin("unbase64")
def b_unbase64(*args: Any) -> Any:
    return _display64(args, False)


@builtin("flipbase64")
def b_flipbase64(*args: Any) -> Any:
    return _display64(args, None)


# ---------------------------------------------------------------- output

@builtin("println")
def b_println(*args: Any) -> Any:
    state.current.out.write((display(args[0]) if args else "") + "\n")
    return None


@builtin("print")
def b_print(*args: Any) -> Any:
    if args:
        state.current.out.write(display(args[0]))
    return None


@builtin("printf")
def b_printf(*args: Any) -> Any:
    if len(args) == 1:
        state.current.out.write(display(args[0]))
    else:
        state.current.out.write(sprintf(args))
    return None


# ---------------------------------------------------------------- json

def to_json(v: Any, depth: int = 0) -> str:
    if depth > 200:
        raise ZyError("json: value nested too deeply")
    t = type(v)
    if t is Hash:
        head = f'{{"Atype":"{v.typename}", '
        entries = list(v.items())
        if not entries:
            return head[:-2] + "}"
        parts = [f'"{to_str(k) if type(k) is not Symbol else k.name}":'
                 f"{to_json(val, depth + 1)}" for k, val in entries]
        order = ", ".join(f'"{to_str(k) if type(k) is not Symbol else k.name}"'
                          for k, _ in entries)
        return head + ", ".join(parts) + f', "zKeyOrder":[{order}]}}'
    if isinstance(v, list):
        return "[" + ", ".join(to_json(x, depth + 1) for x in v) + "]"
    if t is Symbol:
        return '"' + str(v.name) + '"'
    return to_str(v)


def json2_str(v: Any, depth: int = 0) -> str:
    """`str` form with upstream's PrintJSON flag: plain hashes as `{"k":v, ...}`, arrays with
    `, ` between elements; everything else prints as `str` does."""
    if depth > 200:
        raise ZyError("json2: value nested too deeply")
    t = type(v)
    if t is Hash:
        curly = v.typename == "hash"
        parts = []
        for k, x in v.items():
            if type(k) is str:
                key = f'"{k}":'
            elif type(k) is Symbol:
                key = f'"{k.name}":' if curly else f"{k.name}:"
            else:
                key = to_str(k) + ":"
            parts.append(key + json2_str(x, depth + 1))
        if curly:
            return "{" + ", ".join(parts) + "}"
        return " (" + str(v.typename) + " " + " ".join(parts) + ")"
    if isinstance(v, list):
        return "[" + ", ".join(json2_str(x, depth + 1) for x in v) + "]"
    if t is Pair:
        items, tail = [], v
        while type(tail) is Pair:
            items.append(json2_str(tail.head, depth + 1))
            tail = tail.tail
        end = ")" if tail is None else " \\ " + json2_str(tail, depth + 1) + ")"
        return "(" + " ".join(items) + end
    return to_str(v)


def from_json(v: Any) -> Any:
    if isinstance(v, dict):
        typename = v.get("Atype", "hash") if isinstance(v.get("Atype"), str) else "hash"
        order = v.get("zKeyOrder")
        keys = [k for k in sorted(v) if k not in ("Atype", "zKeyOrder")]
        if isinstance(order, list):
            keys = [k for k in order if isinstance(k, str) and k in v] + [
                k for k in keys if k not in order]
        h = Hash(typename)
        for k in keys:
            h.set(sym(k), from_json(v[k]))
        return h
    if isinstance(v, list):
        return [from_json(x) for x in v]
    if isinstance(v, int) and not isinstance(v, bool):
        return wrap(v)
    return v


@builtin("json")
def b_json(*args: Any) -> Any:
    _n(args, 1)
    text = to_json(args[0])
    limits.check_alloc(len(text))
    return Raw(to_bytes(text))


@builtin("json2")
def b_json2(*args: Any) -> Any:
    _n(args, 1)
    text = json2_str(args[0])
    limits.check_alloc(len(text))
    return text


@builtin("unjson")
def b_unjson(*args: Any) -> Any:
    _n(args, 1)
    v = args[0]
    if type(v) is not Raw:
        raise ZyError(f"unjson error: SexpRaw required, but we got {go_type(v)} instead.")
    text = from_bytes(v.data)
    limits.check_alloc(len(text) * 8)
    try:
        return from_json(pyjson.loads(text))
    except RecursionError:
        raise ZyError("unjson error: JSON nested too deeply") from None
    except ValueError as exc:
        raise ZyError(f"unjson error: {exc}") from None


# ---------------------------------------------------------------- meta

@builtin("stop")
def b_stop(*args: Any) -> Any:
    """StopFunction: stop with the given string, or with "stop"."""
    if len(args) > 1:
        raise rt.nargs_error()
    raise ZyError(args[0] if args and type(args[0]) is str else "stop")


@builtin("force")
def b_force(*args: Any) -> Any:
    _n(args, 1)
    return args[0].force() if type(args[0]) is Lazy else args[0]


@builtin("substitute")
def b_substitute(*args: Any) -> Any:
    _n(args, 1)
    return args[0].form if type(args[0]) is Lazy else args[0]


@builtin("read")
def b_read(*args: Any) -> Any:
    _n(args, 1)
    if type(args[0]) is not str:
        raise ZyError(rt.WRONG_TYPE)  # ReadFunction
    from scriptvisor.engines.zygomys import reader
    from scriptvisor.engines.zygomys.compiler import plain_data
    from scriptvisor.engines.zygomys.values import CompileError

    try:
        forms = reader.read(args[0])
    except CompileError as exc:
        raise ZyError(str(exc)) from None
    return plain_data(forms[0]) if forms else None


@builtin("eval")
def b_eval(*args: Any) -> Any:
    _n(args, 1)
    return state.current.evaluate(args[0])


@builtin("random")
def b_random(*args: Any) -> Any:
    return pyrandom.random()


# ---------------------------------------------------------------- regexp

class CompiledRegexp:
    __slots__ = ("rx", "pattern")

    def __init__(self, pattern: str) -> None:
        self.pattern = pattern
        try:
            self.rx = compile_regexp(pattern)
        except RegexSyntaxError as exc:
            raise ZyError(f"error during regexpCompile: '{exc}'") from None

    def sexp_string(self) -> str:
        return f'(regexpCompile "{self.pattern}")'  # SexpRegexp.SexpString


@builtin("regexpCompile")
def b_regexp_compile(*args: Any) -> Any:
    if not args:
        raise rt.nargs_error()
    if type(args[0]) is not str:
        raise ZyError("argument of regexpCompile should be a string")
    return CompiledRegexp(args[0])


def _regexp_args(name: str, args: tuple[Any, ...]) -> tuple[CompiledRegexp, str]:
    """RegexpFind's checks, haystack first as upstream does them."""
    _n(args, 2)
    if type(args[1]) is not str:
        raise ZyError(f"2nd argument of {name} should be a string")
    if type(args[0]) is not CompiledRegexp:
        raise ZyError(f"1st argument of {name} should be a compiled regular expression")
    return args[0], args[1]


@builtin("regexpMatch")
def b_regexp_match(*args: Any) -> Any:
    rx, s = _regexp_args("regexpMatch", args)
    return rx.rx.match(s)


@builtin("regexpFind")
def b_regexp_find(*args: Any) -> Any:
    rx, s = _regexp_args("regexpFind", args)
    found = rx.rx.find_all(s, 1)
    if not found:
        return ""  # Go FindString: empty when there is no match
    return s[found[0][0] : found[0][1]]


@builtin("regexpFindIndex")
def b_regexp_find_index(*args: Any) -> Any:
    rx, s = _regexp_args("regexpFindIndex", args)
    found = rx.rx.find_all(s, 1)
    if not found:
        return []  # FindStringIndex gives nil, turned into an empty array
    m = found[0]
    return [byte_len(s[: m[0]]), byte_len(s[: m[1]])]


def builtin_names() -> frozenset[str]:
    return frozenset(BUILTINS)


def truthy_builtin(v: Any) -> bool:
    return truthy(v)
