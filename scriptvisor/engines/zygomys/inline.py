"""Inline common cases of builtins: int operators computed in place with wrap checks
only on the int64 bounds a proven range may cross, and a few container builtins."""

from __future__ import annotations

import ast
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from scriptvisor.engines.zygomys.core import Compiler, is_int_check
from scriptvisor.engines.zygomys.ints import ARITH_OPS, CMP_OPS, all_checks
from scriptvisor.engines.zygomys.names import Range, mangle
from scriptvisor.engines.zygomys.values import (
    INT_MAX,
    INT_MIN,
    Pair,
    Symbol,
    sym,
)

# An operator on ints is computed in place; anything else calls the generic helper. An
# operand is "proven" when its int range is known at compile time (literals, guarded
# names, results of proven operations): it needs no type check, and a result whose range
# stays inside int64 needs no wrap check. Otherwise `type(x) is int` is checked at run
# time and the result is compared with the int64 bounds that it may cross.

_HELPER_OF = {"+": "add", "-": "sub", "*": "mul", "<": "lt", ">": "gt", "<=": "le",
              ">=": "ge", "==": "eq", "!=": "ne"}


INT64_RANGE = (INT_MIN, INT_MAX)


@dataclass(slots=True)
class Operands:
    uses: list[ast.expr]  # how each operand is read (a name, a literal or a temp)
    checks: list[ast.expr]  # run-time type checks for the unproven ones
    ranges: list[Range]  # each operand's range when the checks pass


def _operands(c: Compiler, args: list[Any]) -> Operands:
    """Proven operands are used as they are (they are pure and cannot fail, so where they
    are evaluated does not matter); a name is checked in place, any other expression is
    evaluated once into a temporary by its check."""
    exprs = c.exprs(args)
    out = Operands([], [], [])
    for e in exprs:
        known = c.bounds(e)
        if known is not None:
            out.uses.append(e)
            out.ranges.append(known)
            continue
        if isinstance(e, ast.Name):
            out.uses.append(e)
            out.checks.append(is_int_check(c, e))
        else:
            t = c.tmp()
            out.uses.append(c.load(t))
            out.checks.append(is_int_check(c, ast.NamedExpr(ast.Name(t, ast.Store()), e)))
        out.ranges.append(INT64_RANGE)
    return out


def _range_of(op: str, a: Range, b: Range) -> Range:
    if op == "+":
        return a[0] + b[0], a[1] + b[1]
    if op == "-":
        return a[0] - b[1], a[1] - b[0]
    corners = [x * y for x in a for y in b]
    return min(corners), max(corners)


def wrapped(c: Compiler, value: ast.expr, rng: Range) -> ast.expr:
    """`value` (an int in `rng`) brought back into int64, checking only the crossed sides."""
    low, high = rng[0] < INT_MIN, rng[1] > INT_MAX
    if not (low or high):
        return c.proven(value, *rng)
    t = c.tmp()
    ops: list[ast.cmpop] = []
    comparators: list[ast.expr] = []
    left: ast.expr = ast.NamedExpr(ast.Name(t, ast.Store()), value)
    if low:
        ops.append(ast.LtE())
        comparators.append(left)
        left = ast.Constant(INT_MIN)
    if high:
        ops.append(ast.LtE())
        comparators.append(ast.Constant(INT_MAX))
    out = ast.IfExp(ast.Compare(left, ops, comparators), c.load(t),
                    c.helper("wrap", c.load(t)))
    return c.proven(out, max(rng[0], INT_MIN), min(rng[1], INT_MAX))


def inline_arith(op: str) -> Callable[[Compiler, Pair, list[Any]], ast.expr | None]:
    def rule(c: Compiler, form: Pair, args: list[Any]) -> ast.expr | None:
        if len(args) != 2:
            return None
        o = _operands(c, args)
        rng = _range_of(op, o.ranges[0], o.ranges[1])
        fast = wrapped(c, ast.BinOp(o.uses[0], ARITH_OPS[op](), o.uses[1]), rng)
        if not o.checks:
            return fast
        return ast.IfExp(all_checks(o.checks), fast, c.helper(_HELPER_OF[op], *o.uses))

    return rule


def inline_mod(c: Compiler, form: Pair, args: list[Any]) -> ast.expr | None:
    """`(mod a k)` for a literal k > 0: Go's `%` (the sign follows the dividend)."""
    if len(args) != 2 or type(args[1]) is not int or args[1] <= 0:
        return None
    k = args[1]
    o = _operands(c, args)
    a = o.uses[0]
    if o.ranges[0][0] >= 0:
        fast: ast.expr = c.proven(ast.BinOp(a, ast.Mod(), ast.Constant(k)), 0, k - 1)
    else:
        first: ast.expr = a
        if not isinstance(a, ast.Name | ast.Constant):
            t = c.tmp()
            first, a = ast.NamedExpr(ast.Name(t, ast.Store()), a), c.load(t)
        negated = ast.UnaryOp(ast.USub(), ast.BinOp(ast.UnaryOp(ast.USub(), a), ast.Mod(),
                                                    ast.Constant(k)))
        fast = c.proven(ast.IfExp(ast.Compare(first, [ast.GtE()], [ast.Constant(0)]),
                                  ast.BinOp(a, ast.Mod(), ast.Constant(k)), negated),
                        1 - k, k - 1)
    if not o.checks:
        return fast
    return ast.IfExp(all_checks(o.checks), fast,
                     ast.Call(c.load(mangle("mod")), [a, ast.Constant(k)], []))


def inline_compare(op: str) -> Callable[[Compiler, Pair, list[Any]], ast.expr | None]:
    def rule(c: Compiler, form: Pair, args: list[Any]) -> ast.expr | None:
        if len(args) != 2:
            return None
        o = _operands(c, args)
        fast = ast.Compare(o.uses[0], [CMP_OPS[op]()], [o.uses[1]])
        if not o.checks:
            return fast
        return ast.IfExp(all_checks(o.checks), fast, c.helper(_HELPER_OF[op], *o.uses))

    return rule


def inline_not(c: Compiler, form: Pair, args: list[Any]) -> ast.expr | None:
    if len(args) != 1:
        return None
    return ast.UnaryOp(ast.Not(), c.test(args[0]))


# ---------------------------------------------------------------- inline builtins
#
# The common case of a few builtins computed in place; any other case (wrong types, out
# of range, odd argument counts) calls the builtin itself, which reports the error.

SHORT_STRING = 1 << 16  # longer results of an in-place concat are checked against the budget


def simple_expr(c: Compiler, e: ast.expr) -> bool:
    return isinstance(e, ast.Name | ast.Constant)


def _hold(c: Compiler, e: ast.expr) -> tuple[ast.expr, ast.expr]:
    """(first use, later uses) of a value: names and constants as they are, others
    through a walrus temp (the first use must be evaluated before the others)."""
    if simple_expr(c, e):
        return e, e
    t = c.tmp()
    known = c.bounds(e)
    if known is not None:
        c.int_bounds[t] = known
    return ast.NamedExpr(ast.Name(t, ast.Store()), e), c.load(t)


def type_is(c: Compiler, e: ast.expr, klass: str) -> ast.expr:
    return ast.Compare(ast.Call(c.load("_h_type"), [e], []), [ast.Is()], [c.load(klass)])


def _builtin_call(c: Compiler, name: str, args: list[ast.expr]) -> ast.expr:
    return ast.Call(c.load(mangle(name)), args, [])


def _array_index(c: Compiler, args: list[Any]) -> tuple[ast.expr, ast.expr, ast.expr]:
    """(check that arr[i] is in range, arr, i) for `(aget arr i)` / `(aset arr i v)`;
    both operands are evaluated by the check, whatever its outcome."""
    arr, idx = c.exprs(args[:2])
    arr_first, arr_use = _hold(c, arr)
    idx_first, idx_use = _hold(c, idx)
    types = type_is(c, arr_first, "_h_list")
    if c.bounds(idx) is None:
        int_check = type_is(c, idx_first, "_h_int")
        types = ast.BinOp(types, ast.BitAnd(), int_check) if idx_first is not idx_use \
            else ast.BoolOp(ast.And(), [types, int_check])
    elif idx_first is not idx_use:  # a proven int: evaluated for the temp, never None
        types = ast.BinOp(types, ast.BitAnd(), ast.Compare(idx_first, [ast.IsNot()],
                                                           [ast.Constant(None)]))
    in_range = ast.Compare(ast.Constant(0), [ast.LtE(), ast.Lt()],
                           [idx_use, ast.Call(c.load("_h_len"), [arr_use], [])])
    return ast.BoolOp(ast.And(), [types, in_range]), arr_use, idx_use


def inline_aget(c: Compiler, form: Pair, args: list[Any]) -> ast.expr | None:
    if len(args) != 2:
        return None
    check, arr, idx = _array_index(c, args)
    return ast.IfExp(check, ast.Subscript(arr, idx, ast.Load()),
                     _builtin_call(c, "aget", [arr, idx]))


def inline_aset(c: Compiler, form: Pair, args: list[Any]) -> ast.expr | None:
    if len(args) != 3:
        return None
    values = c.exprs(args)
    for k, v in enumerate(values):  # evaluated in order before the check
        if not simple_expr(c, v):
            t = c.tmp()
            known = c.bounds(v)
            if known is not None:
                c.int_bounds[t] = known
            c.emit(ast.Assign([ast.Name(t, ast.Store())], v))
            values[k] = c.load(t)
    arr, idx, value = values
    checks = [type_is(c, arr, "_h_list")]
    if c.bounds(idx) is None:
        checks.append(type_is(c, idx, "_h_int"))
    checks.append(ast.Compare(ast.Constant(0), [ast.LtE(), ast.Lt()],
                              [idx, ast.Call(c.load("_h_len"), [arr], [])]))
    c.emit(ast.If(ast.BoolOp(ast.And(), checks),
                  [ast.Assign([ast.Subscript(arr, idx, ast.Store())], value)],
                  [ast.Expr(_builtin_call(c, "aset", [arr, idx, value]))]))
    return ast.Constant(None)


def inline_str(c: Compiler, form: Pair, args: list[Any]) -> ast.expr | None:
    """`(str i)` of an int is its decimal digits."""
    if len(args) != 1:
        return None
    (e,) = c.exprs(args)
    if c.bounds(e) is not None:
        return ast.Call(c.load("_h_pystr"), [e], [])
    first, use = _hold(c, e)
    return ast.IfExp(type_is(c, first, "_h_int"), ast.Call(c.load("_h_pystr"), [use], []),
                     _builtin_call(c, "str", [use]))


def inline_concat(c: Compiler, form: Pair, args: list[Any]) -> ast.expr | None:
    """`(concat a b)` of two strings."""
    if len(args) != 2:
        return None
    a, b = c.exprs(args)
    a_first, a_use = _hold(c, a)
    b_first, b_use = _hold(c, b)
    check = ast.Compare(ast.Call(c.load("_h_type"), [a_first], []), [ast.Is(), ast.Is()],
                        [ast.Call(c.load("_h_type"), [b_first], []), c.load("_h_pystr")])
    t = c.tmp()
    joined = ast.NamedExpr(ast.Name(t, ast.Store()), ast.BinOp(a_use, ast.Add(), b_use))
    fast = ast.IfExp(ast.Compare(ast.Call(c.load("_h_len"), [joined], []), [ast.LtE()],
                                 [ast.Constant(SHORT_STRING)]),
                     c.load(t), c.helper("checked_str", c.load(t)))
    return ast.IfExp(check, fast, _builtin_call(c, "concat", [a_use, b_use]))


def inline_hget(c: Compiler, form: Pair, args: list[Any]) -> ast.expr | None:
    """`(hget h k)` of a string key present in a hash."""
    if len(args) != 2:
        return None
    h, k = c.exprs(args)
    h_first, h_use = _hold(c, h)
    k_first, k_use = _hold(c, k)
    types = ast.BinOp(type_is(c, h_first, "_h_Hash"), ast.BitAnd(),
                      type_is(c, k_first, "_h_pystr"))  # `&`: both operands evaluated
    t = c.tmp()
    found = ast.Compare(
        ast.NamedExpr(ast.Name(t, ast.Store()),
                      ast.Call(ast.Attribute(h_use, "get", ast.Load()),
                               [k_use, c.load("_h_missing")], [])),
        [ast.IsNot()], [c.load("_h_missing")])
    return ast.IfExp(ast.BoolOp(ast.And(), [types, found]), c.load(t),
                     _builtin_call(c, "hget", [h_use, k_use]))


def inline_len(c: Compiler, form: Pair, args: list[Any]) -> ast.expr | None:
    if len(args) != 1:
        return None
    (e,) = c.exprs(args)
    first, use = _hold(c, e)
    out = ast.IfExp(type_is(c, first, "_h_list"), ast.Call(c.load("_h_len"), [use], []),
                    _builtin_call(c, "len", [use]))
    return c.proven(out, 0, INT_MAX)


def index_value(c: Compiler, key: Any) -> ast.expr | None:
    """A function evaluating an array index given as a form (`y` in `(:y arr)`, `(f)` in
    `(aget arr %(f))`) in this scope, for a call or a name bound here; other names are
    looked up in the namespace at run time (input variables)."""
    if type(key) is Symbol and not key.colon and not key.dot and c.resolve(key.name):
        return c.thunk(key)
    if type(key) is Pair and key.head is not sym("quote"):
        return c.thunk(key)
    return None


def inline_quoted_index(c: Compiler, form: Pair, args: list[Any]) -> ast.expr | None:
    """`(aget arr %y)` / `(hget arr %(f))`: see `index_value` and runtime.index_with."""
    if len(args) not in (2, 3):
        return None
    index = args[1]
    if type(index) is not Pair or index.head is not sym("quote") or type(index.tail) is not Pair:
        return None
    value = index_value(c, index.tail.head)
    if value is None:
        return None
    name = form.head.name
    values = c.exprs([args[0], index, *args[2:]])
    return c.helper("index_with", value, c.load(mangle(name)), ast.Constant(name), *values)


INLINE: dict[str, Callable[[Compiler, Pair, list[Any]], ast.expr | None]] = {
    **{op: inline_arith(op) for op in ARITH_OPS},
    **{op: inline_compare(op) for op in CMP_OPS},
    "mod": inline_mod,
    "not": inline_not,
    "aget": lambda c, form, args: inline_quoted_index(c, form, args) or inline_aget(c, form, args),
    "aset": inline_aset,
    "str": inline_str,
    "concat": inline_concat,
    "len": inline_len,
    "hget": lambda c, form, args: inline_quoted_index(c, form, args) or inline_hget(c, form, args),
}
