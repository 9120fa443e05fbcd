"""cond, and, or: branches compiled into their own buffers, with the int ranges a
test proves (`Facts`) narrowed into each branch."""

from __future__ import annotations

import ast
from collections.abc import Callable
from typing import Any

from scriptvisor.engines.zygomys.core import Compiler, Rule, plain_symbol, returns_bool
from scriptvisor.engines.zygomys.names import Range
from scriptvisor.engines.zygomys.values import (
    Pair,
    Symbol,
)


def _cond_parts(c: Compiler, form: Pair, args: list[Any]) -> tuple[list[Any], Any]:
    if len(args) % 2 == 0:
        raise c.fail("missing default case", form)
    return args[:-1], args[-1]


def rule_cond(c: Compiler, form: Pair, args: list[Any]) -> ast.expr:
    pairs, default = _cond_parts(c, form, args)
    if not pairs:
        return c.expr(default)
    tests: list[tuple[ast.expr, list[ast.stmt]]] = []
    branches: list[tuple[ast.expr, list[ast.stmt]]] = []
    first_test = c.test(pairs[0])
    for k in range(0, len(pairs), 2):
        if k:
            with c.buffer() as buf:
                t = c.test(pairs[k])
            tests.append((t, buf))
        with c.buffer() as buf:
            e = c.expr(pairs[k + 1])
        branches.append((e, buf))
    with c.buffer() as dbuf:
        d = c.expr(default)
    if not dbuf and all(not b for _, b in tests) and all(not b for _, b in branches):
        out: ast.expr = d
        all_tests = [first_test] + [t for t, _ in tests]
        for (e, _), t in zip(reversed(branches), reversed(all_tests), strict=True):
            out = ast.IfExp(t, e, out)
        return out
    r = c.tmp()

    def assign(e: ast.expr, buf: list[ast.stmt]) -> list[ast.stmt]:
        return [*buf, ast.Assign([ast.Name(r, ast.Store())], e)]

    chain: list[ast.stmt] = assign(d, dbuf)
    all_tests2: list[tuple[ast.expr, list[ast.stmt]]] = [(first_test, []), *tests]
    for (e, buf), (t, tbuf) in zip(reversed(branches), reversed(all_tests2), strict=True):
        chain = [*tbuf, ast.If(t, assign(e, buf), chain)]
    c.body.extend(chain)
    return c.load(r)


def tail_cond(c: Compiler, form: Pair, args: list[Any]) -> None:
    pairs, default = _cond_parts(c, form, args)
    if not pairs:
        c.tail(default)
        return
    first = c.test(pairs[0])
    facts = _test_facts(c, pairs[0])

    def then() -> list[ast.stmt]:
        with c.buffer() as buf:
            c.tail(pairs[1])
        return buf

    def others() -> tuple[list[tuple[ast.expr, list[ast.stmt]]], list[list[ast.stmt]],
                          list[ast.stmt]]:
        tests_bufs: list[tuple[ast.expr, list[ast.stmt]]] = []
        branches: list[list[ast.stmt]] = []
        for k in range(2, len(pairs), 2):
            with c.buffer() as buf:
                t = c.test(pairs[k])
            tests_bufs.append((t, buf))
            with c.buffer() as buf:
                c.tail(pairs[k + 1])
            branches.append(buf)
        with c.buffer() as dbuf:
            c.tail(default)
        return tests_bufs, branches, dbuf

    first_branch = _narrowed(c, facts, 0, then)
    tests_bufs, branches, dbuf = _narrowed(c, facts, 1, others)
    chain: list[ast.stmt] = dbuf
    all_tests: list[tuple[ast.expr, list[ast.stmt]]] = [(first, []), *tests_bufs]
    for buf, (t, tbuf) in zip(reversed([first_branch, *branches]), reversed(all_tests),
                              strict=True):
        chain = [*tbuf, ast.If(t, buf, chain)]
    c.body.extend(chain)


Facts = tuple[str, Range, Range]  # a guarded name's range where a test holds / fails
_FLIPPED = {"<": ">", ">": "<", "<=": ">=", ">=": "<="}


def _test_facts(c: Compiler, test: Any) -> Facts | None:
    """What `(< x K)` (or `>`, `<=`, `>=`, either way round) tells of a proven int x."""
    if type(test) is not Pair or type(test.head) is not Symbol:
        return None
    op, *args = list(test)
    if op.name not in _FLIPPED or len(args) != 2 or not c.is_builtin_ref(op.name):
        return None
    name, k, cmp = args[0], args[1], op.name
    if type(name) is int and not isinstance(name, bool):
        name, k, cmp = k, name, _FLIPPED[cmp]
    if not plain_symbol(name) or type(k) is not int or isinstance(k, bool):
        return None
    found = c.resolve(name.name)
    if found is None or found[1] not in c.int_bounds:
        return None
    py = found[1]
    lo, hi = c.int_bounds[py]
    below, above = (k - 1, k) if cmp in ("<", ">=") else (k, k + 1)
    low_part, high_part = (lo, min(hi, below)), (max(lo, above), hi)
    if cmp in ("<", "<="):
        return py, low_part, high_part
    return py, high_part, low_part


def _narrowed(c: Compiler, facts: Facts | None, which: int, compile_: Callable[[], Any]) -> Any:
    """Compile knowing the range facts give for branch `which` (0: the test held). If the
    code stores the name, the knowledge may be stale: compile it again without."""
    if facts is None:
        return compile_()
    py, rng = facts[0], facts[2] if which else facts[1]
    if rng[0] > rng[1]:
        return compile_()
    scope = c.scope
    names, defined = dict(scope.names), set(scope.defined)
    stores = c.store_counts.get(py, 0)
    outer = c.int_bounds.get(py)
    c.int_bounds[py] = rng
    try:
        out = compile_()
    finally:
        if outer is None:
            c.int_bounds.pop(py, None)
        else:
            c.int_bounds[py] = outer
    if c.store_counts.get(py, 0) == stores:
        return out
    scope.names.clear()
    scope.names.update(names)
    scope.defined.clear()
    scope.defined.update(defined)
    return compile_()


def _andor(is_and: bool) -> Rule:
    def rule(c: Compiler, form: Pair, args: list[Any]) -> ast.expr:
        if not args:
            return ast.Constant(is_and)
        first = c.expr(args[0])
        rest: list[tuple[ast.expr, list[ast.stmt]]] = []
        for a in args[1:]:
            with c.buffer() as buf:
                e = c.expr(a)
            rest.append((e, buf))
        if all(not b for _, b in rest):
            exprs = [first] + [e for e, _ in rest]
            out = exprs[-1]
            for e, a in reversed(list(zip(exprs[:-1], args, strict=False))):
                t = c.tmp()
                test: ast.expr = ast.NamedExpr(ast.Name(t, ast.Store()), e)
                if not returns_bool(c, a):
                    test = c.helper("truthy", test)
                out = ast.IfExp(test, out, c.load(t)) if is_and else \
                    ast.IfExp(test, c.load(t), out)
            return out
        r = c.tmp()
        chain: list[ast.stmt] = []
        exprs_bufs: list[tuple[ast.expr, list[ast.stmt]]] = [(first, []), *rest]
        last_e, last_buf = exprs_bufs[-1]
        chain = [*last_buf, ast.Assign([ast.Name(r, ast.Store())], last_e)]
        for e, buf in reversed(exprs_bufs[:-1]):
            test = c.helper("truthy", c.load(r))
            inner = chain
            chain = [*buf, ast.Assign([ast.Name(r, ast.Store())], e),
                     ast.If(test, inner, []) if is_and else
                     ast.If(test, [ast.Pass()], inner)]
        c.body.extend(chain)
        return c.load(r)

    return rule


rule_and = _andor(True)
rule_or = _andor(False)
