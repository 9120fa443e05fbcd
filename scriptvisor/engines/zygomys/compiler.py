"""Zygomys forms -> Python `ast` -> one code object (hy-style: one rule per special form).

Scoping is resolved at compile time: each Zygomys binding becomes a uniquely named Python
variable (a local or closure cell of `_h_main` for the top level, or a namespace global
when the program uses `eval`/`defined?`), so closures share captured variables exactly as
Zygomys scopes do. A compile rule returns a Python
expression and may emit statements before it into the current buffer; conditional forms
(`cond`, `and`, `or`) compile their branches into their own buffers and fall back to
`if` statements when a branch needed statements. Function bodies are compiled in tail
mode: a self call in tail position becomes a reassignment of the parameters and a
`continue` of the function's loop (constant stack space).

Speed without changing results: operators on ints are computed in place, with wrap
checks only on the int64 bounds a proven range may cross (`Range`s come from literals,
guards and `cond` tests); a loop or small function also gets an int copy behind one
type guard, compiled under a `Watch` that recompiles it without any name whose stores
break the assumption; `(for [(def i a) (< i b) (++ i)] ...)` becomes a `range` loop; a
self call in a function's int copy returns an int when every return there is one (and
the function's name is never stored again, else `NeedRecompile`); `(set x (append x v))`
grows x in place when nothing else holds the array; a few builtins have inline common
cases. tests/zygomys/test_fast_paths.py pins the edge cases.

Every generated node carries the script position of the form it came from; the engine
reads the position of the innermost generated frame of a traceback to report errors.

Layout (each module imports only the ones before it): `names` (mangling, reserved
words), `scopes` (scopes, `Program`, frame builders), `ints` (int fast-path policy and
form analysis), `core` (the `Compiler`, dispatching on a `Rules` table), `pipeline`
(compile to a code object, run), `inline` (inline builtins and int operators), then the
special-form rules `binding`, `branching`, `looping`, `forms`, and this module, which
assembles the tables and is the entry point.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from scriptvisor.engines.zygomys.binding import (
    assignment_list,
    rule_begin,
    rule_def,
    rule_defn,
    rule_fn,
    rule_let,
    rule_letseq,
    rule_mdef,
    rule_new_scope,
    rule_set,
    tail_begin,
    tail_let,
    tail_letseq,
    tail_new_scope,
)
from scriptvisor.engines.zygomys.branching import rule_and, rule_cond, rule_or, tail_cond
from scriptvisor.engines.zygomys.core import Compiler, Rule, Rules, TailRule, plain_data
from scriptvisor.engines.zygomys.forms import (
    MACRO_RULES,
    rule_arrayidx,
    rule_assert,
    rule_colon,
    rule_comma,
    rule_defmac,
    rule_defmap,
    rule_expect_error,
    rule_hashidx,
    rule_import,
    rule_infix,
    rule_infix_expand,
    rule_macexpand,
    rule_package,
    rule_quote,
    rule_return,
    rule_syntax_quote,
    rule_unquote,
    tail_infix,
)
from scriptvisor.engines.zygomys.inline import INLINE
from scriptvisor.engines.zygomys.looping import loop_ctl, rule_for, rule_range, rule_range_loop
from scriptvisor.engines.zygomys.names import Resolver, demangle, mangle
from scriptvisor.engines.zygomys.pipeline import (
    _compile,
    error_position,
    finish,
    install,
    namespace,
    run_program,
)
from scriptvisor.engines.zygomys.scopes import Program

# The names other modules and tests use (engine.py, builtins.py, the fuzz tests).
__all__ = [
    "INLINE", "MACRO_RULES", "RULES", "SPECIAL", "TAIL_RULES", "Compiler", "Program",
    "_compile", "compile_forms", "demangle", "error_position", "install", "mangle",
    "namespace", "plain_data", "run_program",
]


SPECIAL: dict[str, Rule] = {
    "def": rule_def, "set": rule_set, "mdef": rule_mdef, "fn": rule_fn, "defn": rule_defn,
    "begin": rule_begin, "newScope": rule_new_scope, "let": rule_let, "letseq": rule_letseq,
    "quote": rule_quote, "syntaxQuote": rule_syntax_quote, "cond": rule_cond,
    "and": rule_and, "or": rule_or, "for": rule_for, "break": loop_ctl(True),
    "continue": loop_ctl(False), "range": rule_range, "__rangeLoop": rule_range_loop,
    "return": rule_return, "assert": rule_assert, "defmac": rule_defmac,
    "macexpand": rule_macexpand, "infix": rule_infix, "infixExpand": rule_infix_expand,
    "expectError": rule_expect_error, "package": rule_package, "import": rule_import,
    "defmap": rule_defmap, ":": rule_colon, "arrayidx": rule_arrayidx,
    "hashidx": rule_hashidx, "comma": rule_comma, "unquote": rule_unquote,
    "unquote-splicing": rule_unquote,
}
TAIL_RULES: dict[str, TailRule] = {
    "cond": tail_cond, "begin": tail_begin, "newScope": tail_new_scope, "let": tail_let,
    "letseq": tail_letseq, "infix": tail_infix,
}


RULES = Rules(SPECIAL, TAIL_RULES, MACRO_RULES, INLINE, assignment_list)


def compile_forms(
    forms: list[Any],
    name: str,
    builtins: frozenset[str],
    macros: dict[str, Callable[..., Any]] | None = None,
    resolver: Resolver | None = None,
    *,
    toplevel_locals: bool = True,
) -> Program:
    """Compile top-level forms; raises `CompileError`. Code run by `eval` passes
    `toplevel_locals=False`: its top-level names must live in the shared namespace."""
    compiler = Compiler(name, builtins, macros, resolver, toplevel_locals=toplevel_locals,
                        rules=RULES)
    return finish(compiler, forms)
