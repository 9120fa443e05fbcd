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
from collections.abc import Callable
from typing import Any

from scriptvisor.engines import limits
from scriptvisor.engines.tengo.formatter import go_format
from scriptvisor.engines.tengo.stdlib.regex import RegexSyntaxError, compile_regexp
from scriptvisor.engines.zygomys import runtime as rt
from scriptvisor.engines.zygomys import state
from scriptvisor.engines.zygomys.values import (
    SLOT_BYTES,
    Char,
    Hash,
    Lazy,
    Pair,
    SciFloat,
    Symbol,
    ZyError,
    byte_len,
    display,
    from_bytes,
    gensym,
    list_items,
    make_list,
    sym,
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
    "bitXor": rt.bit_xor, "bitNot": rt.bit_not, "<": rt.lt, ">": rt.gt, "<=": rt.le,
    ">=": rt.ge, "==": rt.eq, "!=": rt.ne, "not": rt.not_,
}.items():
    _register_plain(_name, _fn)
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


@builtin("isbase64")
def b_isbase64(*args: Any) -> bool:
    _n(args, 1)
    if type(args[0]) is not str:
        return False
    try:
        base64.b64decode(args[0], validate=True)
        return True
    except (binascii.Error, ValueError):
        return False


@builtin("type?")
def b_type(*args: Any) -> str:
    _n(args, 1)
    return str(type_name(args[0]))


@builtin("defined?")
def b_defined(*args: Any) -> bool:
    _n(args, 1)
    s = args[0]
    if type(s) is not Symbol:
        raise ZyError("defined? requires a symbol argument")
    ns = state.current.namespace
    from scriptvisor.engines.zygomys.compiler import mangle

    return s.name in BUILTINS or (ns is not None and mangle(s.name) in ns)


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
    raise ZyError("first/car called on non-list")


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
    raise ZyError("rest/cdr called on non-list")


@builtin("second")
def b_second(*args: Any) -> Any:
    _n(args, 1)
    v = args[0]
    if type(v) is Pair and type(v.tail) is Pair:
        return v.tail.head
    if isinstance(v, list) and len(v) >= 2:
        return v[1]
    raise ZyError("second called on a value with fewer than 2 elements")


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
        raise ZyError("makeArray requires an int size")
    if n < 0:
        raise ZyError("makeArray size must be non-negative")
    _check_items(n)
    return [args[1] if len(args) == 2 else None] * n


def _as_index(i: Any) -> int:
    if type(i) is Char:
        return int(i.code)
    if type(i) is not int:
        raise ZyError("Second argument of aget must be integer")
    return int(i)


@builtin("aget")
def b_aget(*args: Any) -> Any:
    _n(args, 2, 3)
    arr, i = args[0], _as_index(args[1])
    if not isinstance(arr, list):
        raise ZyError("First argument of aget must be array")
    if not 0 <= i < len(arr):
        if len(args) == 3:
            return args[2]
        raise ZyError("Array index out of bounds")
    return arr[i]


@builtin("aset")
def b_aset(*args: Any) -> Any:
    _n(args, 3)
    arr, i = args[0], _as_index(args[1])
    if not isinstance(arr, list):
        raise ZyError("First argument of aset must be array")
    if not 0 <= i < len(arr):
        raise ZyError("Array index out of bounds")
    arr[i] = args[2]
    return None


@builtin("slice")
def b_slice(*args: Any) -> Any:
    _n(args, 3)
    v, i, j = args
    if type(i) is not int or type(j) is not int:
        raise ZyError("Second and third arguments of slice must be integers")
    if type(v) is str:
        b = to_bytes(v)
        if not 0 <= i <= j <= len(b):
            raise ZyError(f"slice bounds out of range [{i}:{j}] with length {len(b)}")
        return from_bytes(b[i:j])
    if isinstance(v, list):
        if not 0 <= i <= j <= len(v):
            raise ZyError(f"slice bounds out of range [{i}:{j}] with length {len(v)}")
        return v[i:j]
    if type(v) is bytes:
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
    if isinstance(v, list) or type(v) is bytes or type(v) is Hash:
        return len(v)
    if type(v) is Pair:
        return len(list_items(v))
    raise ZyError("argument must be string, list, hash, raw, or array")


@builtin("append")
def b_append(*args: Any) -> Any:
    if len(args) < 2:
        raise rt.nargs_error()
    v = args[0]
    if isinstance(v, list):
        _check_items(len(v) + len(args))
        return [*v, *args[1:]]
    if type(v) is str:
        out = v
        for x in args[1:]:
            if type(x) is Char:
                out += chr(x.code)
            elif type(x) is str:
                out += x
            else:
                raise ZyError(f"second argument(s) to append must be char or string; "
                              f"we saw {type_name(x)}")
        limits.check_alloc(len(out))
        return out
    raise ZyError("First argument of append must be array or string")


@builtin("appendslice")
def b_appendslice(*args: Any) -> Any:
    _n(args, 2)
    a, b = args
    if not isinstance(a, list) or not isinstance(b, list):
        raise ZyError("appendslice requires two arrays")
    _check_items(len(a) + len(b))
    return [*a, *b]


@builtin("concat")
def b_concat(*args: Any) -> Any:
    if not args:
        return None
    first = args[0]
    if type(first) is str:
        parts = []
        for x in args:
            if type(x) is str:
                parts.append(x)
            elif type(x) is Char:
                parts.append(chr(x.code))
            else:
                raise ZyError("concat of string with non-string")
        limits.check_alloc(sum(len(p) for p in parts))
        return "".join(parts)
    if isinstance(first, list):
        out: list[Any] = []
        for x in args:
            if not isinstance(x, list):
                raise ZyError("concat of array with non-array")
            out.extend(x)
            _check_items(len(out))
        return out
    if type(first) is Pair or first is None:
        items: list[Any] = []
        for x in args:
            if x is not None and type(x) is not Pair:
                raise ZyError("concat of list with non-list")
            items.extend(list_items(x))
            _check_items(len(items))
        return make_list(items)
    if type(first) is bytes:
        return b"".join(x for x in args if type(x) is bytes)
    raise ZyError(f"expected strings, lists or arrays, got {type_name(first)}")


@builtin("flatten")
def b_flatten(*args: Any) -> Any:
    _n(args, 1)
    out: list[Any] = []

    def walk(v: Any) -> None:
        if type(v) is Pair or isinstance(v, list):
            for x in v:
                walk(x)
        elif v is not None:
            out.append(v)
            if len(out) % 4096 == 0:
                _check_items(len(out))

    walk(args[0])
    return make_list(out)


@builtin("quotelist")
def b_quotelist(*args: Any) -> Any:
    return make_list(args)


@builtin("map")
def b_map(*args: Any) -> Any:
    _n(args, 2)
    f, coll = args
    if isinstance(coll, list):
        return [f(x) for x in coll]
    if coll is None or type(coll) is Pair:
        return make_list([f(x) for x in list_items(coll)])
    raise ZyError("second argument of map must be array or list")


@builtin("apply")
def b_apply(*args: Any) -> Any:
    _n(args, 2)
    f, xs = args
    if isinstance(xs, list):
        return f(*xs)
    if xs is None or type(xs) is Pair:
        return f(*list_items(xs))
    raise ZyError("second argument of apply must be array or list")


@builtin("hpair")
def b_hpair(*args: Any) -> Any:
    _n(args, 2)
    h, i = args
    if type(i) is not int:
        raise ZyError("hpair position must be an int")
    if type(h) is Hash:
        entries = list(h.items())
        if not 0 <= i < len(entries):
            raise ZyError("hpair position out of range")
        return make_list(list(entries[i]))
    if isinstance(h, list):
        if not 0 <= i < len(h):
            raise ZyError("hpair position out of range")
        return make_list([i, h[i]])
    raise ZyError("hpair requires a hash or array")


# ---------------------------------------------------------------- hashes

@builtin("hash")
def b_hash(*args: Any) -> Any:
    return rt.build_hash(args)


@builtin("hget")
def b_hget(*args: Any) -> Any:
    _n(args, 2, 3)
    h, k = args[0], args[1]
    if isinstance(h, list):
        return b_aget(*args)
    if type(h) is not Hash:
        raise ZyError(f"hget: first argument must be a hash, got {type_name(h)}")
    if len(args) == 3:
        return h.get(k, args[2])
    return rt.hash_get(h, k)


@builtin("hset")
def b_hset(*args: Any) -> Any:
    _n(args, 3)
    h = args[0]
    if isinstance(h, list):
        return b_aset(*args)
    if type(h) is not Hash:
        raise ZyError(f"hset: first argument must be a hash, got {type_name(h)}")
    if not h.has(args[1]):
        limits.check_alloc((len(h) + 1) * SLOT_BYTES * 2)
    h.set(args[1], args[2])
    return None


@builtin("hdel")
def b_hdel(*args: Any) -> Any:
    _n(args, 2)
    h = args[0]
    if type(h) is not Hash:
        raise ZyError(f"hdel: first argument must be a hash, got {type_name(h)}")
    h.delete(args[1])
    return None


@builtin("keys")
def b_keys(*args: Any) -> Any:
    _n(args, 1)
    h = args[0]
    if type(h) is not Hash:
        raise ZyError(f"keys: argument must be a hash, got {type_name(h)}")
    return [k for k, _ in h.items()]


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
    if type(s) is not str or type(i) is not int:
        raise ZyError("sget requires a string and an int index")
    b = to_bytes(s)
    if not 0 <= i < len(b):
        raise ZyError(f"index out of range [{i}] with length {len(b)}")
    return Char(b[i])


@builtin("split")
def b_split(*args: Any) -> Any:
    _n(args, 2)
    s, sep = args
    if type(s) is not str or type(sep) is not str:
        raise ZyError("split requires two strings")
    if sep == "":
        return list(s)
    return s.split(sep)


@builtin("nsplit")
def b_nsplit(*args: Any) -> Any:
    _n(args, 1)
    if type(args[0]) is not str:
        raise ZyError("nsplit requires a string")
    return args[0].split("\n")


@builtin("chomp")
def b_chomp(*args: Any) -> Any:
    _n(args, 1)
    s = args[0]
    if type(s) is not str:
        raise ZyError("chomp requires a string")
    return s[:-1] if s.endswith("\n") else s


@builtin("trim")
def b_trim(*args: Any) -> Any:
    _n(args, 1)
    s = args[0]
    if type(s) is not str:
        raise ZyError("trim requires a string")
    return s.strip(" \t\n\r\v\f\x85\xa0")


def _fmt_arg(v: Any) -> Any:
    t = type(v)
    if t is Char:
        return v.code  # Go receives a rune: %v prints its code, %c the character
    if t is SciFloat:
        return float(v)
    if t in (int, float, bool):
        return v
    if t is str:  # bytes: the shared formatter prints them raw for %v, as Go prints strings
        return to_bytes(v)
    return to_bytes(to_str(v))


def sprintf(args: tuple[Any, ...]) -> str:
    if not args:
        raise rt.nargs_error()
    fmt = args[0]
    if type(fmt) is not str:
        raise ZyError("sprintf: first argument must be a format string")
    return go_format(fmt, [_fmt_arg(a) for a in args[1:]])


@builtin("sprintf")
def b_sprintf(*args: Any) -> str:
    return sprintf(args)


@builtin("str2sym")
def b_str2sym(*args: Any) -> Any:
    _n(args, 1)
    if type(args[0]) is not str:
        raise ZyError("str2sym requires a string")
    return sym(args[0])


@builtin("sym2str")
def b_sym2str(*args: Any) -> Any:
    _n(args, 1)
    if type(args[0]) is not Symbol:
        raise ZyError("sym2str requires a symbol")
    return args[0].name


@builtin("joinsym")
def b_joinsym(*args: Any) -> Any:
    parts: list[str] = []
    for a in args:
        items = list_items(a) if type(a) is Pair else a if isinstance(a, list) else [a]
        for x in items:
            if type(x) is Symbol:
                parts.append(x.name)
            elif type(x) is str:
                parts.append(x)
            else:
                raise ZyError("joinsym needs symbols or strings")
    return sym("".join(parts))


@builtin("gensym")
def b_gensym(*args: Any) -> Any:
    if args and type(args[0]) is Symbol:
        return gensym(args[0].name)
    return gensym()


@builtin("symnum")
def b_symnum(*args: Any) -> Any:
    _n(args, 1)
    if type(args[0]) is not Symbol:
        raise ZyError("symnum requires a symbol")
    return args[0].num


# ---------------------------------------------------------------- raw bytes, base64

@builtin("raw")
def b_raw(*args: Any) -> Any:
    out = bytearray()
    for a in args:
        if type(a) is str:
            out += to_bytes(a)
        elif type(a) is bytes:
            out += a
        else:
            raise ZyError(f"raw takes only string arguments, not {type_name(a)}")
        limits.check_alloc(len(out))
    return bytes(out)


@builtin("raw2str")
def b_raw2str(*args: Any) -> Any:
    _n(args, 1)
    if type(args[0]) is not bytes:
        raise ZyError("raw2str requires a raw argument")
    return from_bytes(args[0])


@builtin("copyraw")
def b_copyraw(*args: Any) -> Any:
    _n(args, 1)
    if type(args[0]) is not bytes:
        raise ZyError("copyraw requires a raw argument")
    return bytes(args[0])


@builtin("base64")
def b_base64(*args: Any) -> Any:
    _n(args, 1)
    v = args[0]
    data = v if type(v) is bytes else to_bytes(v) if type(v) is str else None
    if data is None:
        raise ZyError("base64 requires a raw or string argument")
    limits.check_alloc(len(data) * 4 // 3 + 4)
    return base64.b64encode(data).decode("ascii")


@builtin("unbase64")
def b_unbase64(*args: Any) -> Any:
    _n(args, 1)
    v = args[0]
    text = v.decode("latin-1") if type(v) is bytes else v if type(v) is str else None
    if text is None:
        raise ZyError("unbase64 requires a string argument")
    try:
        return base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise ZyError(f"illegal base64 data: {exc}") from None


@builtin("flipbase64")
def b_flipbase64(*args: Any) -> Any:
    _n(args, 1)
    v = args[0]
    if type(v) is bytes:
        return b_base64(v)
    return b_unbase64(v)


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


def _plain_json(v: Any, depth: int = 0) -> Any:
    if depth > 200:
        raise ZyError("json2: value nested too deeply")
    t = type(v)
    if t is Hash:
        return {(k.name if type(k) is Symbol else k if type(k) is str else to_str(k)):
                _plain_json(x, depth + 1) for k, x in v.items()}
    if isinstance(v, list) or t is Pair:
        return [_plain_json(x, depth + 1) for x in v]
    if t is Symbol:
        return v.name
    if t is Char:
        return chr(v.code)
    if t is bytes:
        return base64.b64encode(v).decode("ascii")
    if v is None or t in (bool, int, float, SciFloat, str):
        return v
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
    return to_bytes(text)


@builtin("json2")
def b_json2(*args: Any) -> Any:
    _n(args, 1)
    text = pyjson.dumps(_plain_json(args[0]), ensure_ascii=False, separators=(",", ":"))
    limits.check_alloc(len(text))
    return text


@builtin("unjson")
def b_unjson(*args: Any) -> Any:
    _n(args, 1)
    v = args[0]
    if type(v) is not bytes and type(v) is not str:
        raise ZyError(f"unjson error: SexpRaw required, but we got {type_name(v)} instead.")
    text = from_bytes(v) if type(v) is bytes else v
    limits.check_alloc(len(text) * 8)
    try:
        return from_json(pyjson.loads(text))
    except (ValueError, RecursionError) as exc:
        raise ZyError(f"unjson error: {exc}") from None


# ---------------------------------------------------------------- meta

@builtin("stop")
def b_stop(*args: Any) -> Any:
    raise ZyError(" ".join(display(a) for a in args))


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
        raise ZyError("read requires a string")
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
            raise ZyError(f"error parsing regexp: {exc}") from None


def _regexp(v: Any) -> CompiledRegexp:
    if type(v) is CompiledRegexp:
        return v
    if type(v) is str:
        return CompiledRegexp(v)
    raise ZyError("regexp functions need a compiled regexp or a pattern string")


@builtin("regexpCompile")
def b_regexp_compile(*args: Any) -> Any:
    _n(args, 1)
    if type(args[0]) is not str:
        raise ZyError("regexpCompile requires a string")
    return CompiledRegexp(args[0])


@builtin("regexpMatch")
def b_regexp_match(*args: Any) -> Any:
    _n(args, 2)
    rx = _regexp(args[0])
    if type(args[1]) is not str:
        raise ZyError("regexpMatch requires a string to match")
    return rx.rx.match(args[1])


@builtin("regexpFind")
def b_regexp_find(*args: Any) -> Any:
    _n(args, 2)
    rx, s = _regexp(args[0]), args[1]
    if type(s) is not str:
        raise ZyError("regexpFind requires a string")
    found = rx.rx.find_all(s, 1)
    if not found:
        return None
    m = found[0]
    return s[m[0] : m[1]]


@builtin("regexpFindIndex")
def b_regexp_find_index(*args: Any) -> Any:
    _n(args, 2)
    rx, s = _regexp(args[0]), args[1]
    if type(s) is not str:
        raise ZyError("regexpFindIndex requires a string")
    found = rx.rx.find_all(s, 1)
    if not found:
        return None
    m = found[0]
    return [byte_len(s[: m[0]]), byte_len(s[: m[1]])]


def builtin_names() -> frozenset[str]:
    return frozenset(BUILTINS)


def truthy_builtin(v: Any) -> bool:
    return truthy(v)
