"""Special forms that bind names: def, fn, defn, set, mdef, `=`/`:=` lists, begin,
newScope, let and letseq."""

from __future__ import annotations

import ast
from typing import Any

from scriptvisor.engines.zygomys import runtime
from scriptvisor.engines.zygomys.core import Compiler, Rule, TailRule, is_name, plain_symbol
from scriptvisor.engines.zygomys.inline import INT64_RANGE, simple_expr, type_is
from scriptvisor.engines.zygomys.names import mangle
from scriptvisor.engines.zygomys.scopes import Scope, ctuple
from scriptvisor.engines.zygomys.values import (
    ArrayForm,
    Pair,
    Symbol,
    sym,
    to_str,
)


def _name_of(c: Compiler, form: Pair, target: Any, op: str) -> str:
    if type(target) is Pair and target.head is sym("quote") and type(target.tail) is Pair:
        target = target.tail.head
    if type(target) is not Symbol or target.colon:
        raise c.fail(f"{op}: left-hand-side must be a symbol", form)
    return target.name


def rule_def(c: Compiler, form: Pair, args: list[Any]) -> ast.expr:
    if len(args) != 2:
        raise c.fail("Wrong number of arguments to def", form)
    name = _name_of(c, form, args[0], "def")
    c.check_target(name, form, "def")
    return define(c, name, args[1])


def define(c: Compiler, name: str, value_form: Any) -> ast.expr:
    scope = c.scope
    existed = name in scope.defined
    is_fn = type(value_form) is Pair and value_form.head is sym("fn")
    if is_fn:
        py = c.bind(scope, name)
        params, body = _fn_parts(c, value_form)
        _note_lazy(c, py, params)
        value = c.function(value_form, name, params, body, self_binding=(scope, py))
    else:
        value = c.expr(value_form)
        py = c.bind(scope, name)
    if existed:
        value = c.helper("redef", c.load(py), value)
    elif c.watches and not is_fn:
        _assume_int(c, scope, name, py, value)
    _mark_defined(c, name)
    return c.store(scope, py, value)


def _note_lazy(c: Compiler, py: str, params: Any) -> None:
    """Remember which fixed parameters of the function bound to `py` are lazy `#x` ones
    (a `#` sigil, upstream's isLazyFormalSymbol)."""
    if not isinstance(params, list):
        return
    names = [p.name if type(p) is Symbol else "" for p in params]
    if "&" in names:
        names = names[: names.index("&")]
    flags = [n.startswith("#") and len(n) > 1 for n in names]
    if any(flags):
        c.lazy_fns[py] = flags
    else:
        c.lazy_fns.pop(py, None)


def _assume_int(c: Compiler, scope: Scope, name: str, py: str, value: ast.expr) -> None:
    """A new binding inside code compiled for ints, first bound to a proven int: assume it
    stays one (the watch recompiles without it when a later store breaks that)."""
    watch = c.watches[-1]
    if name in watch.excluded or scope.fn is not c.fn or c.is_python_global(scope) or (
        py in c.escaped or c.bounds(value) is None
    ):
        return
    watch.bound[py] = name
    c.int_bounds[py] = INT64_RANGE


def _mark_defined(c: Compiler, name: str) -> None:
    c.scope.defined.add(name)


def _fn_parts(c: Compiler, form: Pair) -> tuple[Any, list[Any]]:
    items = list(form)
    if len(items) < 3:  # a vector and at least one body form (GenerateFn)
        raise c.fail("malformed function definition", form)
    return items[1], items[2:]


def rule_fn(c: Compiler, form: Pair, args: list[Any]) -> ast.expr:
    params, body = _fn_parts(c, form)
    return c.function(form, "__anon", params, body, None)


def rule_defn(c: Compiler, form: Pair, args: list[Any]) -> ast.expr:
    if len(args) < 3:  # a name, a vector and at least one body form (GenerateDefn)
        raise c.fail("wrong number of arguments", form)
    if not isinstance(args[1], list):
        raise c.fail("function arguments must be in vector", form)
    if type(args[0]) is not Symbol:
        raise c.fail("Definition name must be symbol", form)
    name = args[0].name
    c.check_target(name, form, "defn")
    py = c.bind(c.scope, name)
    _note_lazy(c, py, args[1])
    # the function keeps the whole defn form: printing it shows that (buildSexpFun's orig)
    value = c.function(form, name, args[1], args[2:], self_binding=(c.scope, py))
    _mark_defined(c, name)
    c.emit(ast.Expr(c.store(c.scope, py, value)))
    return ast.Constant(None)


def assign_to(c: Compiler, form: Pair, target: Any, value: ast.expr) -> ast.expr:
    """`set` of a symbol, a field path, a selector or a comma/array of targets."""
    if type(target) is Symbol and not target.colon:
        if target.dot:
            base, *rest = target.name.split(".")
            return c.helper("path_set", c.symbol(sym(base)), ctuple(rest), value)
        found = c.resolve(target.name)
        if found is None:
            c.check_target(target.name, form, "set")
            scope = c.scope
            py = c.bind(scope, target.name)
        else:
            scope, py = found
        return c.store(scope, py, value)
    if type(target) is Pair and type(target.head) is Symbol:
        head, parts = target.head.name, list(target)[1:]
        if head == "arrayidx" and len(parts) == 2:
            obj, sel = c.exprs(parts)
            return c.helper("arrayidx_set", obj, _selector(c, sel, parts[1]), value)
        if head == "hashidx" and len(parts) == 2:
            obj = c.expr(parts[0])
            field_ = parts[1]
            name = field_.name.lstrip(".") if type(field_) is Symbol else to_str(field_)
            return c.helper("path_set", obj, ctuple(name.split(".")), value)
        if head == "comma":
            return _multi_assign(c, form, parts, value)
        if head == "quote" and type(target.tail) is Pair:
            return assign_to(c, form, target.tail.head, value)
    if isinstance(target, list):
        return _multi_assign(c, form, list(target), value)
    raise c.fail(f"set: cannot assign to {to_str(target)}", form)


def _selector(c: Compiler, compiled: ast.expr, sel_form: Any) -> ast.expr:
    return compiled


def _multi_assign(c: Compiler, form: Pair, targets: list[Any], value: ast.expr) -> ast.expr:
    t = c.tmp()
    c.emit(ast.Assign([ast.Name(t, ast.Store())],
                      c.helper("unpack", value, ast.Constant(len(targets)))))
    for k, target in enumerate(targets):
        item = ast.Subscript(c.load(t), ast.Constant(k), ast.Load())
        c.emit(ast.Expr(assign_to(c, form, target, item)))
    return c.load(t)


def rule_set(c: Compiler, form: Pair, args: list[Any]) -> ast.expr:
    if len(args) != 2:
        raise c.fail("Wrong number of arguments to set", form)
    target = args[0]
    if type(target) is Pair and type(target.head) is Symbol and target.head.name == "comma":
        rhs = args[1]
        if type(rhs) is Pair and rhs.head is sym("comma"):
            rhs = ArrayForm(list(rhs)[1:])
        return assign_to(c, form, target, c.expr(rhs))
    if type(target) is Pair and type(target.head) is Symbol and target.head.name in (
        "arrayidx", "hashidx"
    ):
        obj_parts = list(target)[1:]
        if len(obj_parts) == 2:
            value_first = c.expr(args[1])
            t = c.tmp()
            c.emit(ast.Assign([ast.Name(t, ast.Store())], value_first))
            return assign_to(c, form, target, c.load(t))
    grown = _append_into(c, target, args[1])
    if grown is not None:
        value, stored = grown
        return value if stored else assign_to(c, form, target, value)
    return assign_to(c, form, target, c.expr(args[1]))


def _append_into(c: Compiler, target: Any, value: Any) -> tuple[ast.expr, bool] | None:
    """`(set x (append x v))` grows x's array in place when nothing else holds it:
    (the value of the `set`, whether x is already stored) or None for other forms."""
    if not (plain_symbol(target) and type(value) is Pair and value.head is sym("append")
            and c.is_builtin_ref("append")):
        return None
    args = list(value)[1:]
    if len(args) != 2 or not is_name(args[0], target.name):
        return None
    found = c.resolve(target.name)
    arr, item = c.exprs(args)
    grow = c.helper("append_into", arr, item, c.load(mangle("append")))
    if found is None or not runtime.UNIQUE_REFS_INLINE or not (
        isinstance(arr, ast.Name) and arr.id == found[1]
    ):
        return grow, False
    # inline when `x` alone holds its array: `x.append(v)` (the item is computed first,
    # after reading `x` as the call would)
    scope, py = found
    if not simple_expr(c, item):
        c.emit(ast.Expr(c.load(py)))
        t = c.tmp()
        c.emit(ast.Assign([ast.Name(t, ast.Store())], item))
        item = c.load(t)
        grow = c.helper("append_into", c.load(py), item, c.load(mangle("append")))
    unique = ast.BoolOp(ast.And(), [
        type_is(c, c.load(py), "_h_list"),
        ast.Compare(ast.Call(c.load("_h_refcount"), [c.load(py)], []), [ast.Eq()],
                    [ast.Constant(runtime.UNIQUE_REFS_INLINE)]),
        ast.BinOp(ast.Call(c.load("_h_len"), [c.load(py)], []), ast.BitAnd(),
                  ast.Constant(runtime.ALLOC_CHECK_MASK))])
    call = ast.Call(ast.Attribute(c.load(py), "append", ast.Load()), [item], [])
    c.emit(ast.If(unique, [ast.Expr(call)], [ast.Expr(c.store(scope, py, grow))]))
    return c.load(py), True


def assignment_list(c: Compiler, form: Pair, items: list[Any]) -> ast.expr:
    """`(x := 1)`, `(a b = 1 2)`: each pair is a `def`."""
    k = next(i for i, a in enumerate(items)
             if type(a) is Symbol and a.name in ("=", ":=") and not a.colon)
    lhs, rhs = items[:k], items[k + 1 :]
    if not rhs:
        raise c.fail("bad assignment syntax: no right-hand-side", form)
    if len(lhs) != len(rhs):
        raise c.fail(f"assignment imbalance: left-hand-side had {len(lhs)}, while "
                     f"right-hand-side had {len(rhs)}; in expression '{to_str(form)}'", form)
    out: ast.expr = ast.Constant(None)
    for target, value in zip(lhs, rhs, strict=True):
        if type(target) is not Symbol:
            raise c.fail("assignment error: left-hand-side element needs to be a symbol", form)
        c.check_target(target.name, form, "=")
        out = define(c, target.name, value)
        if len(lhs) > 1:
            c.emit(ast.Expr(out))
    return out


def rule_mdef(c: Compiler, form: Pair, args: list[Any]) -> ast.expr:
    if len(args) < 2:
        raise c.fail("mdef needs names and a list", form)
    names = args[:-1]
    value = c.expr(args[-1])
    t = c.tmp()
    c.emit(ast.Assign([ast.Name(t, ast.Store())],
                      c.helper("mdef_items", value, ast.Constant(len(names)))))
    for k, target in enumerate(names):
        name = _name_of(c, form, target, "mdef")
        c.check_target(name, form, "mdef")
        py = c.bind(c.scope, name)
        item = ast.Subscript(c.load(t), ast.Constant(k), ast.Load())
        c.emit(ast.Expr(c.store(c.scope, py, item)))
    return ast.Subscript(c.load(t), ast.Constant(len(names)), ast.Load())


def rule_begin(c: Compiler, form: Pair, args: list[Any]) -> ast.expr:
    return c.seq(args)


def tail_begin(c: Compiler, form: Pair, args: list[Any]) -> None:
    c.tail_seq(args)


def rule_new_scope(c: Compiler, form: Pair, args: list[Any]) -> ast.expr:
    with c.new_scope():
        return c.seq(args)


def tail_new_scope(c: Compiler, form: Pair, args: list[Any]) -> None:
    with c.new_scope():
        c.tail_seq(args)


def _let_bindings(c: Compiler, form: Pair, args: list[Any], sequential: bool) -> list[Any]:
    if len(args) < 2:
        raise c.fail("malformed let statement", form)
    if not isinstance(args[0], list):
        raise c.fail("let bindings must be in array", form)
    pairs = list(args[0])
    if len(pairs) % 2:
        raise c.fail("uneven let binding list", form)
    names = pairs[0::2]
    for n in names:
        if type(n) is not Symbol or n.colon or n.dot:
            raise c.fail("cannot bind to non-symbol", form)
    # Upstream generates the values inside the new scope: a closure made there sees every
    # name of the let once bound (a recursive `fn`), other values see the names bound so
    # far (letseq) or none (let), the outer ones otherwise.
    scope = c.scope
    pys: dict[str, str] = {}
    for n in names:
        pys.setdefault(n.name, f"{mangle(n.name)}_{c.fresh('')}")
    bound = dict(scope.names)
    temps: list[ast.expr] = []
    for n, v in zip(names, pairs[1::2], strict=True):
        scope.names = {**bound, **pys} if _is_fn_form(v) else dict(bound)
        try:
            value = c.expr(v)
        finally:
            scope.names = bound
        if sequential:
            bound[n.name] = pys[n.name]
            c.emit(ast.Expr(c.store(scope, pys[n.name], value)))
        elif isinstance(value, ast.Constant):
            temps.append(value)
        else:
            t = c.tmp()
            c.emit(ast.Assign([ast.Name(t, ast.Store())], value))
            temps.append(c.load(t))
    for n, value in zip(names if not sequential else [], temps, strict=True):
        bound[n.name] = pys[n.name]
        c.emit(ast.Expr(c.store(scope, pys[n.name], value)))
    return args[1:]


def _is_fn_form(form: Any) -> bool:
    return type(form) is Pair and form.head is sym("fn")


def _let_rule(sequential: bool) -> tuple[Rule, TailRule]:
    def rule(c: Compiler, form: Pair, args: list[Any]) -> ast.expr:
        with c.new_scope():
            body = _let_bindings(c, form, args, sequential)
            return c.seq(body)

    def tail(c: Compiler, form: Pair, args: list[Any]) -> None:
        with c.new_scope():
            body = _let_bindings(c, form, args, sequential)
            c.tail_seq(body)

    return rule, tail


rule_let, tail_let = _let_rule(False)
rule_letseq, tail_letseq = _let_rule(True)
