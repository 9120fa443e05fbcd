"""The int fast paths' policy and the form analysis they use: which names are worth an
int-specialised copy, how big a body may be to get one, how deeply copies nest, and the
operators computed in place on ints."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from typing import Any

from scriptvisor.engines.zygomys.values import Pair, Symbol

# Small ints: CPython's one-digit ints, compared by specialised instructions; sums of a
# few of them cannot leave int64.
COMPACT_RANGE = (-(1 << 30) + 2, (1 << 30) - 2)
_MAX_SPECIALIZED_ATOMS = 400
# Compile work grows as attempts ** nesting: int copies nest at most this deep.
FAST_ATTEMPTS = 2
MAX_NESTED_VERSIONS = 3


def atoms(form: Any, depth: int = 0) -> Iterator[Any]:
    if depth > 200:
        yield from range(_MAX_SPECIALIZED_ATOMS)  # too deep to inspect: too big
        return
    if type(form) is Pair or isinstance(form, list):
        for x in form:
            yield from atoms(x, depth + 1)
    else:
        yield form


def small_enough(body: list[Any]) -> bool:
    """Is the body small enough to be compiled twice?"""
    return all(count < _MAX_SPECIALIZED_ATOMS for count, _ in enumerate(atoms(body)))


def int_operand(body: Any, name: str, depth: int = 0) -> bool:
    """Does `name` appear as a direct operand of an inlined operator in `body`?"""
    if depth > 200:
        return False
    if type(body) is Pair:
        head = body.head
        if type(head) is Symbol and head.name in INT_OPS and any(
            type(a) is Symbol and a.name == name for a in list(body)[1:]
        ):
            return True
    if type(body) is Pair or isinstance(body, list):
        return any(int_operand(x, name, depth + 1) for x in body)
    return False


ARITH_OPS: dict[str, type[ast.operator]] = {"+": ast.Add, "-": ast.Sub, "*": ast.Mult}
CMP_OPS: dict[str, type[ast.cmpop]] = {"<": ast.Lt, ">": ast.Gt, "<=": ast.LtE,
                                        ">=": ast.GtE, "==": ast.Eq, "!=": ast.NotEq}
INT_OPS = frozenset({*ARITH_OPS, *CMP_OPS, "mod"})  # operands worth guarding as ints


def all_checks(checks: list[ast.expr]) -> ast.expr:
    """`type(a) is type(b) is int` for checks of that shape, else an `and` chain."""
    if all(isinstance(k, ast.Compare) and len(k.ops) == 1 for k in checks):
        lefts = [k.left for k in checks if isinstance(k, ast.Compare)]
        int_name = checks[0].comparators[0] if isinstance(checks[0], ast.Compare) else None
        assert int_name is not None
        if len(lefts) == 1:
            return checks[0]
        return ast.Compare(lefts[0], [ast.Is()] * len(lefts), [*lefts[1:], int_name])
    return ast.BoolOp(ast.And(), checks)
