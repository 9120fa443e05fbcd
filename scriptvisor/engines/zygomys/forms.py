"""The remaining special forms: quote and syntax quote, return, assert, macros
(defmac, macexpand and the startup macro rules), infix, expectError, package,
import, defmap, and indexing."""

from __future__ import annotations

import ast
from typing import Any

from scriptvisor.engines.zygomys import infix, reader
from scriptvisor.engines.zygomys.core import Compiler, MacroRule, has_array, plain_data
from scriptvisor.engines.zygomys.inline import index_value
from scriptvisor.engines.zygomys.pipeline import finish, run_program
from scriptvisor.engines.zygomys.scopes import ctuple
from scriptvisor.engines.zygomys.values import (
    CompileError,
    Pair,
    Symbol,
    make_list,
    sym,
    to_str,
)


def rule_quote(c: Compiler, form: Pair, args: list[Any]) -> ast.expr:
    if len(args) != 1:
        raise c.fail("quote takes one argument", form)
    return quoted(c, args[0])


def quoted(c: Compiler, value: Any) -> ast.expr:
    value = plain_data(value)
    if has_array(value):
        return c.helper("data", c.const(value))
    return c.const(value)


def rule_syntax_quote(c: Compiler, form: Pair, args: list[Any]) -> ast.expr:
    if len(args) != 1:
        raise c.fail("syntaxQuote takes one argument", form)
    return syntax_quote(c, args[0], form)


S_UNQUOTE = sym("unquote")
S_SPLICE = sym("unquote-splicing")


def _unquoted(x: Any, which: Symbol) -> Any:
    if type(x) is Pair and x.head is which and type(x.tail) is Pair:
        return x.tail.head
    return _NO


_NO = object()


def syntax_quote(c: Compiler, x: Any, form: Pair) -> ast.expr:
    inner = _unquoted(x, S_UNQUOTE)
    if inner is not _NO:
        return c.expr(inner)
    if type(x) is Pair or isinstance(x, list):
        items = list(x)
        tail: Any = None
        if type(x) is Pair:
            p: Any = x
            while type(p) is Pair:
                p = p.tail
            tail = p
        parts: list[Any] = []
        splices: list[bool] = []
        for item in items:
            spliced = _unquoted(item, S_SPLICE)
            parts.append(spliced if spliced is not _NO else _SQ(item))
            splices.append(spliced is not _NO)
        compiled = [syntax_quote(c, p.form, form) if type(p) is _SQ else c.expr(p)
                    for p in parts]
        return c.helper("sq_build", ast.List(compiled, ast.Load()),
                        ctuple(splices), quoted(c, tail),
                        ast.Constant(isinstance(x, list)))
    return quoted(c, x)


class _SQ:
    __slots__ = ("form",)

    def __init__(self, form: Any) -> None:
        self.form = form


def rule_return(c: Compiler, form: Pair, args: list[Any]) -> ast.expr:
    if not args:
        return ast.Constant(None)
    if len(args) == 1:
        return c.expr(args[0])
    return ast.List(c.exprs(args), ast.Load())


def rule_assert(c: Compiler, form: Pair, args: list[Any]) -> ast.expr:
    if len(args) != 1:
        raise c.fail("wrong number of arguments", form)
    t = c.test(args[0])
    c.emit(ast.If(ast.UnaryOp(ast.Not(), t), [ast.Raise(
        c.helper("assert_failed", ast.Constant(to_str(args[0]))), None)], []))
    return ast.Constant(None)


def rule_defmac(c: Compiler, form: Pair, args: list[Any]) -> ast.expr:
    if len(args) < 3:
        raise c.fail("Wrong number of arguments to defmac", form)
    if not isinstance(args[1], list):
        raise c.fail("defmac arguments must be in vector", form)
    if type(args[0]) is not Symbol:
        raise c.fail("defmac name must be symbol", form)
    name = args[0].name
    if name in c.builtins:
        raise c.fail(f"'{name}' is already a built-in function, cannot define macro with "
                     "same name.", form)
    if name not in c.macros:
        c.check_target(name, form, "defmac")
    fn_form = Pair(sym("fn"), make_list(args[1:]), form.pos)
    sub = Compiler(f"{c.name}#{name}", c.builtins, c.macros, c.resolver, c.imports,
                   rules=c.rules)
    sub.counter = c.counter + 1_000_000
    program = finish(sub, [fn_form])
    c.macros[name] = run_program(program, {})
    return ast.Constant(None)


def rule_macexpand(c: Compiler, form: Pair, args: list[Any]) -> ast.expr:
    if len(args) != 1:
        raise c.fail("macexpand takes one argument", form)
    target = args[0]
    if type(target) is not Pair or type(target.head) is not Symbol or target.head.colon:
        return quoted(c, target)
    name = target.head.name
    if name in c.macros:
        expanded = c.expand_macro(name, target, list(target)[1:])
    elif name in c.rules.macro and c.resolve(name) is None:  # startup macros upstream
        expanded = c.rules.macro[name](c, target, list(target)[1:])
    else:  # not a macro call: the form itself
        return quoted(c, target)
    # GenerateMacexpand: Cons(quote, expansion), so a list's items follow `quote`
    return quoted(c, Pair(sym("quote"), expanded, None))


def rule_infix(c: Compiler, form: Pair, args: list[Any]) -> ast.expr:
    if not args:
        return ast.Constant(None)
    return c.seq(infix.expand(args[0], form.pos))


def tail_infix(c: Compiler, form: Pair, args: list[Any]) -> None:
    if not args:
        c.ret(ast.Constant(None))
        return
    c.tail_seq(infix.expand(args[0], form.pos))


def rule_infix_expand(c: Compiler, form: Pair, args: list[Any]) -> ast.expr:
    if len(args) != 1:
        raise c.fail("infixExpand takes one argument", form)
    block = args[0]
    stmts = infix.expand(infix.block_tokens(block), form.pos) if infix.is_infix_block(
        block) else [block]
    return quoted(c, make_list([sym("quote"), *stmts]))


def rule_expect_error(c: Compiler, form: Pair, args: list[Any]) -> ast.expr:
    if len(args) != 2:
        raise c.fail("wrong number of arguments", form)
    message = c.expr(args[0])
    fn = c.thunk(args[1])
    return c.helper("expect_error", message, fn)


def rule_package(c: Compiler, form: Pair, args: list[Any]) -> ast.expr:
    if not args or type(args[0]) is not str:
        raise c.fail("package needs a name string", form)
    with c.new_scope() as scope:
        last = c.seq(args[1:])
        c.discard(last)
        keys = [ast.Constant(k) for k in scope.names]
        vals: list[ast.expr] = [c.load(v) for v in scope.names.values()]
    return c.helper("package", ast.Constant(args[0]), ast.Dict(list(keys), vals))


def rule_import(c: Compiler, form: Pair, args: list[Any]) -> ast.expr:
    if len(args) != 1 or type(args[0]) is not str:
        raise c.fail("import needs the name of a shared script", form)
    name = args[0]
    if name in c.imports:
        raise c.fail(f"cyclic import: {' -> '.join([*c.imports, name])}", form)
    source = c.resolver(name) if c.resolver is not None else None
    if source is None:
        raise c.fail(f"import: script '{name}' not found", form)
    try:
        forms = reader.read(source)
    except CompileError as exc:
        raise c.fail(f"import '{name}': {exc}", form) from None
    c.imports.append(name)
    try:
        c.predeclare(forms)
        return c.seq(forms)
    finally:
        c.imports.pop()


def rule_defmap(c: Compiler, form: Pair, args: list[Any]) -> ast.expr:
    if len(args) != 1 or type(args[0]) is not Symbol:
        raise c.fail("defmap needs one record name", form)
    name = args[0].name
    c.check_target(name, form, "defmap")
    py = c.bind(c.scope, name)
    c.emit(ast.Expr(c.store(c.scope, py, c.helper("record_ctor", ast.Constant(name)))))
    return ast.Constant(None)


def rule_colon(c: Compiler, form: Pair, args: list[Any]) -> ast.expr:
    if len(args) not in (2, 3):
        raise c.fail("wrong number of arguments", form)
    key = args[0]
    key_expr = c.const(sym(key.name) if type(key) is Symbol else key)
    value = index_value(c, key)
    rest = c.exprs(args[1:])
    if value is None:
        return c.helper("colon_get", key_expr, *rest)
    return c.helper("colon_get_with", value, key_expr, *rest)


def rule_arrayidx(c: Compiler, form: Pair, args: list[Any]) -> ast.expr:
    if len(args) != 2:
        raise c.fail("arrayidx needs a target and a selector", form)
    sel = args[1]
    if isinstance(sel, list):
        parts = [(c.const(x) if x is sym(":") else None, x) for x in sel]
        exprs = c.exprs([x for k, x in parts if k is None], c.expr(args[0]))
        target, values = exprs[0], iter(exprs[1:])
        sel_list = [k if k is not None else next(values) for k, _ in parts]
        return c.helper("arrayidx", target, ast.List(sel_list, ast.Load()))
    target, selv = c.exprs(args)
    return c.helper("arrayidx", target, selv)


def rule_hashidx(c: Compiler, form: Pair, args: list[Any]) -> ast.expr:
    if len(args) != 2:
        raise c.fail("hashidx needs a target and a field", form)
    return c.helper("hashidx", c.expr(args[0]), c.const(args[1]))


def rule_comma(c: Compiler, form: Pair, args: list[Any]) -> ast.expr:
    return ast.List(c.exprs(args), ast.Load())


def rule_unquote(c: Compiler, form: Pair, args: list[Any]) -> ast.expr:
    raise c.fail("unquote outside of a syntax quote", form)


# ---------------------------------------------------------------- startup macros

def macro_incr(op: str, with_arg: bool) -> MacroRule:
    def rule(c: Compiler, form: Pair, args: list[Any]) -> Any:
        if len(args) != (2 if with_arg else 1):
            raise c.fail("wrong number of arguments", form)
        amount = args[1] if with_arg else 1
        return Pair(sym("set"), make_list([args[0], make_list([sym(op), args[0], amount])]),
                    form.pos)

    return rule


MACRO_RULES: dict[str, MacroRule] = {
    "++": macro_incr("+", False),
    "--": macro_incr("-", False),
    "+=": macro_incr("+", True),
    "-=": macro_incr("-", True),
}
