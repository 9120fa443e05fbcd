"""for and range loops, break and continue; a counting `for` becomes a Python `range`
loop and a loop body may get an int-specialised copy."""

from __future__ import annotations

import ast
from dataclasses import dataclass
from typing import Any

from scriptvisor.engines.zygomys.binding import assign_to
from scriptvisor.engines.zygomys.core import (
    Compiler,
    Rule,
    is_int_check,
    is_name,
    plain_symbol,
)
from scriptvisor.engines.zygomys.ints import INT_OPS, all_checks, atoms
from scriptvisor.engines.zygomys.scopes import LoopCtx
from scriptvisor.engines.zygomys.values import (
    INT_MAX,
    INT_MIN,
    ArrayForm,
    Pair,
    Symbol,
    make_list,
    sym,
)

# ---------------------------------------------------------------- loops

def _label_name(c: Compiler, form: Pair, x: Any) -> str | None:
    if type(x) is Symbol:
        return x.name
    if type(x) is Pair and x.head is sym("quote") and type(x.tail) is Pair and type(
        x.tail.head
    ) is Symbol:
        return str(x.tail.head.name)
    return None


BAD_LOOP = "for loop: first argument must be a label or a vector of [init predicate advance]"


def rule_for(c: Compiler, form: Pair, args: list[Any]) -> ast.expr:
    if not args:
        raise c.fail("malformed for loop", form)
    label = None
    if not isinstance(args[0], list):
        label = _label_name(c, form, args[0])
        if label is None:
            raise c.fail(BAD_LOOP, form)
        args = args[1:]
        if not args:
            raise c.fail("for loop: missing control vector after label", form)
        if not isinstance(args[0], list):
            raise c.fail("for loop: 2nd argument after the label must be a vector of "
                         "[init predicate advance]", form)
    if len(args[0]) != 3:
        raise c.fail("for loop: control vector argument wrong size; must be a vector of "
                     "three [init test advance]", form)
    init, test, step = list(args[0])
    body_forms = args[1:]
    with c.new_scope():
        e = c.expr(init)
        c.discard(e)
        fast = _fast_loop(c, label, init, test, step, body_forms) if c.versioning else None
        versioning = c.versioning
        c.versioning = versioning and fast is None  # the generic copy stays single
        try:
            with c.fresh_copy():
                _generic_loop(c, label, test, step, body_forms)
                slow = c.body
        finally:
            c.versioning = versioning
        if fast is None:
            c.body.extend(slow)
        else:
            guard, code = fast
            c.body.extend(guard)
            c.emit(ast.If(c.load(LOOP_OK), code, slow))
    return ast.Constant(None)


LOOP_OK = "_h_ok"  # the loop guard's verdict (one variable: it is used right away)


def _generic_loop(c: Compiler, label: str | None, test: Any, step: Any,
                  body_forms: list[Any]) -> None:
    """`init; loop { if !test break; body; step }` (the init is already emitted)."""
    loop = LoopCtx(label)
    with c.buffer() as tbuf:
        t = c.test(test) if test is not True else ast.Constant(True)
    with c.buffer() as sbuf:
        s = c.expr(step)
        c.discard(s)
    body = _compile_loop_body(c, loop, body_forms)
    check: list[ast.stmt] = [*tbuf]
    if not (isinstance(t, ast.Constant) and t.value is True):
        check.append(ast.If(ast.UnaryOp(ast.Not(), t), [ast.Break()], []))
    if sbuf and loop.continued:
        flag = c.tmp()
        c.emit(ast.Assign([ast.Name(flag, ast.Store())], ast.Constant(False)))
        step_part: list[ast.stmt] = [ast.If(
            c.load(flag), sbuf, [ast.Assign([ast.Name(flag, ast.Store())],
                                            ast.Constant(True))])]
        c.emit(ast.While(ast.Constant(True), step_part + check + body, []))
    else:
        c.emit(ast.While(ast.Constant(True), check + body + sbuf, []))


def _compile_loop_body(c: Compiler, loop: LoopCtx, body_forms: list[Any]) -> list[ast.stmt]:
    c.fn.loops.append(loop)
    try:
        with c.buffer() as body:
            b = c.seq(body_forms)
            c.discard(b)
    finally:
        c.fn.loops.pop()
    return _loop_body(c, loop, body)


@dataclass(slots=True)
class RangePlan:
    """`(for [(def i A) (< i B) (set i (+ i 1))] ...)` as `for i in range(i, B)`."""

    var: str  # Python name of i
    name: str
    stop: ast.expr  # B: a literal or a name nothing stores while the loop runs
    stop_py: str | None
    inclusive: bool  # `<=`
    low: int  # what is known of i's first value


def _fast_loop(c: Compiler, label: str | None, init: Any, test: Any, step: Any,
               body_forms: list[Any]) -> tuple[list[ast.stmt], list[ast.stmt]] | None:
    """The loop compiled for ints (as a `range` loop when it counts up by one), with the
    statements that decide at run time whether it applies; None when nothing is gained."""
    candidates = _loop_candidates(c, [test, step, *body_forms])
    plan = _range_plan(c, init, test, step)
    if plan is not None:
        assumed = dict(candidates)
        high = INT_MAX - 1
        if isinstance(plan.stop, ast.Constant) and type(plan.stop.value) is int:
            high = int(plan.stop.value) - (0 if plan.inclusive else 1)
        assumed[plan.var] = (plan.name, plan.low, high)
        frozen = {plan.var}
        if plan.stop_py is not None:
            assumed[plan.stop_py] = ("\0stop", INT_MIN, INT_MAX)
            frozen.add(plan.stop_py)
        fast = c.fast_version(assumed, lambda: _range_loop_code(c, label, plan, body_forms),
                              frozenset(frozen))
        if fast is not None:
            extra: list[ast.expr] = []
            if plan.inclusive and plan.stop_py is not None:
                extra.append(ast.Compare(plan.stop, [ast.Lt()], [ast.Constant(INT_MAX)]))
            return _loop_guard(c, fast[0], extra), fast[1]
    if not candidates:
        return None
    fast = c.fast_version(candidates, lambda: _generic_loop(c, label, test, step, body_forms))
    if fast is None:
        return None
    return _loop_guard(c, fast[0], []), fast[1]


def _loop_guard(c: Compiler, names: list[str], extra: list[ast.expr]) -> list[ast.stmt]:
    """`_h_ok = every name holds an int` (False, not a NameError, when one is unbound:
    the generic loop then fails where the script does)."""
    checks = [is_int_check(c, c.load(py)) for py in names]
    test = all_checks(checks)
    if extra:
        test = ast.BoolOp(ast.And(), [test, *extra])
    ok = ast.Name(LOOP_OK, ast.Store())
    return [ast.Try([ast.Assign([ok], test)],
                    [ast.ExceptHandler(c.load("_h_NameError"), None,
                                       [ast.Assign([ast.Name(LOOP_OK, ast.Store())],
                                                   ast.Constant(False))])], [], [])]


def _range_loop_code(c: Compiler, label: str | None, plan: RangePlan,
                     body_forms: list[Any]) -> None:
    body = _compile_loop_body(c, LoopCtx(label), body_forms)
    stop = plan.stop
    end = ast.BinOp(stop, ast.Add(), ast.Constant(1)) if plan.inclusive else stop
    # a finished loop leaves i one step past the last value, as the step would
    last = ast.If(ast.Compare(c.load(plan.var), [ast.LtE() if plan.inclusive else ast.Lt()],
                              [stop]),
                  [ast.Assign([ast.Name(plan.var, ast.Store())], end)], [])
    c.emit(ast.For(ast.Name(plan.var, ast.Store()),
                   ast.Call(c.load("_h_range"), [c.load(plan.var), end], []), body, [last]))


def _local_int_name(c: Compiler, name: str) -> str | None:
    """The Python name of `name` when only this function's own code can store it."""
    found = c.resolve(name)
    if found is None:
        return None
    scope, py = found
    if scope.fn is not c.fn or c.is_python_global(scope) or py in c.escaped:
        return None
    return py


def _loop_candidates(c: Compiler, forms: list[Any]) -> dict[str, tuple[str, int, int]]:
    """Names read as direct operands of inlined operators in `forms` that are visible
    now and stored by this function only: guarded ints for the loop's int copy."""
    out: dict[str, tuple[str, int, int]] = {}
    stack: list[tuple[Any, int]] = [(f, 0) for f in forms]
    while stack:
        form, depth = stack.pop()
        if depth > 100 or not (type(form) is Pair or isinstance(form, list)):
            continue
        items = list(form)
        if type(form) is Pair and items and type(items[0]) is Symbol:
            head = items[0].name
            if head == "quote":
                continue
            if head in INT_OPS and c.is_builtin_ref(head):
                for a in items[1:]:
                    if plain_symbol(a) and a.name not in out:
                        py = _local_int_name(c, a.name)
                        if py is not None and py not in c.int_bounds:
                            out[py] = (a.name, INT_MIN, INT_MAX)
        stack.extend((x, depth + 1) for x in items)
    return out


def _range_plan(c: Compiler, init: Any, test: Any, step: Any) -> RangePlan | None:
    if not (type(init) is Pair and type(test) is Pair and type(step) is Pair):
        return None
    head, *iargs = list(init)
    if head not in (sym("def"), sym("set")) or len(iargs) != 2 or not plain_symbol(iargs[0]):
        return None
    name = iargs[0].name
    op, *targs = list(test)
    if not (type(op) is Symbol and op.name in ("<", "<=") and c.is_builtin_ref(op.name)
            and len(targs) == 2 and is_name(targs[0], name) and _counts_up(c, step, name)):
        return None
    py = _local_int_name(c, name)
    if py is None:
        return None
    bound = targs[1]
    low = iargs[1] if type(iargs[1]) is int else INT_MIN
    if type(bound) is int:
        if bound >= INT_MAX and op.name == "<=":
            return None
        return RangePlan(py, name, ast.Constant(bound), None, op.name == "<=", low)
    if not plain_symbol(bound) or bound.name == name:
        return None
    stop_py = _local_int_name(c, bound.name)
    if stop_py is None:
        return None
    return RangePlan(py, name, c.load(stop_py), stop_py, op.name == "<=", low)


def _is_one(x: Any) -> bool:
    return type(x) is int and x == 1


def _counts_up(c: Compiler, step: Pair, name: str) -> bool:
    """`(set i (+ i 1))`, `(set i (+ 1 i))`, `(++ i)` or `(+= i 1)`."""
    head, *rest = list(step)
    if type(head) is not Symbol or not rest or not is_name(rest[0], name):
        return False
    if not c.is_builtin_ref("+"):  # `++` and `+=` expand to a call of whatever `+` is
        return False
    if head.name == "++" and c.resolve("++") is None:
        return len(rest) == 1
    if head.name == "+=" and c.resolve("+=") is None:
        return len(rest) == 2 and _is_one(rest[1])
    if head.name != "set" or len(rest) != 2:
        return False
    value = rest[1]
    if type(value) is not Pair or value.head is not sym("+"):
        return False
    operands = list(value)[1:]
    return len(operands) == 2 and (is_name(operands[0], name) and _is_one(operands[1])
                                   or _is_one(operands[0]) and is_name(operands[1], name))


def _loop_body(c: Compiler, loop: LoopCtx, body: list[ast.stmt]) -> list[ast.stmt]:
    if not loop.targeted:
        return body or [ast.Pass()]
    e = c.fresh("_e")
    handler_body: list[ast.stmt] = [
        ast.If(ast.Compare(ast.Attribute(c.load(e), "label", ast.Load()), [ast.NotEq()],
                           [ast.Constant(loop.label)]), [ast.Raise(None, None)], []),
        ast.If(ast.Attribute(c.load(e), "brk", ast.Load()), [ast.Break()], []),
        ast.Continue(),
    ]
    return [ast.Try(body or [ast.Pass()],
                    [ast.ExceptHandler(c.load("_h_LoopCtl"), e, handler_body)], [], [])]


def loop_ctl(brk: bool) -> Rule:
    word = "break" if brk else "continue"

    def rule(c: Compiler, form: Pair, args: list[Any]) -> ast.expr:
        if len(args) > 1:
            raise c.fail(f"too many arguments to {word}; ({word}) or ({word} label:) is the "
                         "form.", form)
        label = _label_name(c, form, args[0]) if args else None
        if args and label is None:
            raise c.fail(f"bad {word} label", form)
        loops = c.fn.loops
        if not loops:
            raise c.fail(f"({word}) found but not inside a loop.", form)
        if label is None:
            target = loops[-1]
        else:
            found = [lp for lp in loops if lp.label == label]
            if not found:
                raise c.fail(f"({word} {label}:) problem: could not find matching for-loop "
                             f"with label {label}:", form)
            target = found[-1]
        if not brk:
            target.continued = True
        if target is loops[-1]:
            c.emit(ast.Break() if brk else ast.Continue())
        else:
            target.targeted = True
            c.emit(ast.Raise(c.helper("LoopCtl", ast.Constant(target.label),
                                      ast.Constant(brk)), None))
        return ast.Constant(None)

    return rule


def _range_loop(c: Compiler, form: Pair, label: str | None, key: Any, val: Any,
                coll: Any, body_forms: list[Any], define_vars: bool) -> ast.expr:
    source = c.expr(coll)
    with c.new_scope():
        targets: list[ast.expr] = []
        assigns: list[ast.stmt] = []
        for target in (key, val):
            t = c.tmp()
            targets.append(ast.Name(t, ast.Store()))
            if target is None:
                continue
            if type(target) is not Symbol:
                raise c.fail("range: loop variables must be symbols", form)
            if define_vars:
                py = c.bind(c.scope, target.name)
                assigns.append(ast.Expr(c.store(c.scope, py, c.load(t))))
            else:
                assigns.append(ast.Expr(assign_to(c, form, target, c.load(t))))
        loop = LoopCtx(label)
        c.fn.loops.append(loop)
        try:
            with c.buffer() as body:
                b = c.seq(body_forms)
                c.discard(b)
        finally:
            c.fn.loops.pop()
        stmts = _loop_body(c, loop, body)
        c.emit(ast.For(ast.Tuple(targets, ast.Store()), c.helper("range_iter", source),
                       assigns + stmts, []))
    return ast.Constant(None)


def rule_range(c: Compiler, form: Pair, args: list[Any]) -> ast.expr:
    if len(args) < 3:
        raise c.fail("range needs a key name, a value name and a collection", form)
    if any(type(x) is Symbol and x.name in _RANGE_NAMES for x in atoms(args[3:])):
        return c.expr(_range_expansion(form, args))
    return _range_loop(c, form, None, args[0], args[1], args[2], args[3:], True)


_RANGE_NAMES = ("i", "n")  # bound by upstream's range macro around the body


def _range_expansion(form: Pair, args: list[Any]) -> Any:
    """Upstream's range macro (repl.go), expanded as it is: unhygienic, a body that reads
    `i` or `n` sees its loop counter and length (the collection is read on each step)."""
    key, value, coll, *body = args
    i, n, pos = sym("i"), sym("n"), form.pos

    def call(*items: Any) -> Pair:
        return Pair(items[0], make_list(list(items[1:])), pos)

    bind = call(sym("mdef"), call(sym("quote"), key), call(sym("quote"), value),
                call(sym("hpair"), coll, i))
    loop = call(sym("for"), ArrayForm([call(sym("def"), i, 0), call(sym("<"), i, n),
                                       call(sym("def"), i, call(sym("+"), i, 1))]),
                call(sym("begin"), bind, *body))
    return call(sym("let"), ArrayForm([n, call(sym("len"), coll)]), loop)


def rule_range_loop(c: Compiler, form: Pair, args: list[Any]) -> ast.expr:
    label, define_vars, key, val, coll, *body = args
    name = label.name if type(label) is Symbol else None
    return _range_loop(c, form, name, key, val, coll, body, bool(define_vars))
