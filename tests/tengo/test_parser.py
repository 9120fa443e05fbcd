"""The Tengo scanner and parser, pinned against Go Tengo (d5/tengo v2).

Error messages and positions were produced by the real `tengo` CLI (`Parse Error: <msg>
\\n\\tat <file>:<line>:<col>`); tree shapes and literal values were cross-checked against
Go's own parser package on the same sources.
"""

from __future__ import annotations

import math
import time

import pytest

from scriptvisor.engines.tengo import syntax as ast
from scriptvisor.engines.tengo.parser import MAX_NESTING, parse
from scriptvisor.engines.tengo.scanner import Scanner, Token
from scriptvisor.protocol.errors import ErrorType, ScriptError

# ---------------------------------------------------------------- helpers


def sx(node: object) -> str:
    """A compact, readable rendering of a syntax tree, for shape assertions."""
    match node:
        case None:
            return "_"
        case ast.Ident(name=name):
            return name
        case ast.IntLit(value=v) | ast.FloatLit(value=v):
            return repr(v)
        case ast.StringLit(value=v):
            return repr(v)
        case ast.CharLit(value=v):
            return f"c{v}"
        case ast.BoolLit(value=v):
            return "true" if v else "false"
        case ast.UndefinedLit():
            return "undefined"
        case ast.BinaryExpr(lhs=lhs, op=op, rhs=rhs):
            return f"({op} {sx(lhs)} {sx(rhs)})"
        case ast.UnaryExpr(op=op, expr=x):
            return f"({op}{sx(x)})"
        case ast.CondExpr(cond=c, true_expr=t, false_expr=f):
            return f"(? {sx(c)} {sx(t)} {sx(f)})"
        case ast.ParenExpr(expr=x):
            return f"(paren {sx(x)})"
        case ast.CallExpr(func=f, args=args, ellipsis=ellipsis):
            return f"(call {' '.join(sx(a) for a in [f, *args])}{' ...' if ellipsis else ''})"
        case ast.IndexExpr(expr=x, index=i):
            return f"(index {sx(x)} {sx(i)})"
        case ast.SliceExpr(expr=x, low=lo, high=hi):
            return f"(slice {sx(x)} {sx(lo)} {sx(hi)})"
        case ast.SelectorExpr(expr=x, sel=sel):
            return f"(. {sx(x)} {sel.value})"
        case ast.ArrayLit(elements=els):
            return "[" + " ".join(sx(e) for e in els) + "]"
        case ast.MapLit(elements=els):
            return "{" + ", ".join(f"{e.key}: {sx(e.value)}" for e in els) + "}"
        case ast.FuncLit(params=params, varargs=varargs, body=body):
            names = " ".join(p.name for p in params)
            return f"(func ({names}{' ...' if varargs else ''}) {sx(body)})"
        case ast.ErrorExpr(expr=x):
            return f"(error {sx(x)})"
        case ast.ImmutableExpr(expr=x):
            return f"(immutable {sx(x)})"
        case ast.ImportExpr(module_name=name):
            return f"(import {name})"
        case ast.ExprStmt(expr=x):
            return sx(x)
        case ast.AssignStmt(lhs=lhs, rhs=rhs, op=op):
            return f"({op} {' '.join(sx(e) for e in lhs)} {' '.join(sx(e) for e in rhs)})"
        case ast.IncDecStmt(expr=x, op=op):
            return f"({op} {sx(x)})"
        case ast.BlockStmt(stmts=stmts):
            return "{" + "; ".join(sx(s) for s in stmts) + "}"
        case ast.IfStmt(init=init, cond=cond, body=body, else_=else_):
            return f"(if {sx(init)} {sx(cond)} {sx(body)} {sx(else_)})"
        case ast.ForStmt(init=init, cond=cond, post=post, body=body):
            return f"(for {sx(init)} {sx(cond)} {sx(post)} {sx(body)})"
        case ast.ForInStmt(key=key, value=value, iterable=it, body=body):
            return f"(for-in {sx(key)} {sx(value)} {sx(it)} {sx(body)})"
        case ast.BranchStmt(op=op):
            return op
        case ast.ReturnStmt(result=x):
            return f"(return {sx(x)})"
        case ast.ExportStmt(result=x):
            return f"(export {sx(x)})"
        case ast.EmptyStmt():
            return "empty"
    raise AssertionError(f"unexpected node {node!r}")


def stmts(src: str | bytes) -> str:
    return "; ".join(sx(s) for s in parse(src).stmts)


def expr(src: str) -> ast.Expr:
    """The expression of `x := <src>`."""
    (stmt,) = parse("x := " + src).stmts
    assert isinstance(stmt, ast.AssignStmt)
    return stmt.rhs[0]


def error_of(src: str | bytes) -> tuple[str, int | None, int | None]:
    with pytest.raises(ScriptError) as info:
        parse(src, "t.tengo")
    err = info.value
    assert err.type is ErrorType.INVALID_SYNTAX
    assert err.script == "t.tengo"
    return err.message, err.line, err.column


# ---------------------------------------------------------------- errors, as the Go CLI gives them

CLI_ERRORS = [
    (b"x := 1 +", "expected operand, found 'EOF'", 1, 9),
    (b"f := func() { return 1 + }", "expected operand, found '}'", 1, 26),
    (b"x := 1 y", "expected ';', found y", 1, 8),
    (b"a := 08", "invalid integer", 1, 6),
    (b"a := -9223372036854775808", "invalid integer", 1, 7),
    (b"a := 99999999999999999999", "invalid integer", 1, 6),
    (b"a := [1, 2, 3,]", "expected array element, found ']'", 1, 15),
    (b"a := {x: 1,}", "expected map element, found '}'", 1, 12),
    (b"f(1, 2,)", "expected call argument, found ')'", 1, 8),
    (b"a := 1 @ 2", "illegal character U+0040 '@'", 1, 8),
    (b'a := "abc\nb := 1', "string literal not terminated", 1, 6),
    (b"a := `abc", "raw string literal not terminated", 1, 6),
    (b"a := 1 /* never closed", "comment not terminated", 1, 8),
    (b"a := 'x", "rune literal not terminated", 1, 6),
    (b"a := ''", "illegal rune literal", 1, 6),
    (b"a := 'ab'", "illegal rune literal", 1, 6),
    (b'a := "\\q"', "unknown escape sequence", 1, 8),
    (b'a := "\\xZZ"', "illegal character U+005A 'Z' in escape sequence", 1, 9),
    (b'a := "\\uD800"', "escape sequence is invalid Unicode code point", 1, 8),
    (b'a := "\\400"', "escape sequence is invalid Unicode code point", 1, 8),
    (b"a := 1\x00", "illegal character NUL", 1, 7),
    (b'a := "\xff"', "illegal UTF-8 encoding", 1, 7),
    (b"a := 1\n\xef\xbb\xbfb := 2", "illegal byte order mark", 2, 1),
    (b"a := 1e+", "exponent has no digits", 1, 9),
    (b"a := 0x1.8", "invalid float", 1, 6),
    (b"if {\n}", "missing condition in if statement", 1, 4),
    (b"if ; x {\n}", "missing init in if statement", 1, 4),
    (b"if x := 1 {\n}", "expected boolean expression, found assignment", 1, 4),
    (b"for x := 1 {\n}", "expected condition expression, found assignment", 1, 5),
    (b"if x {\n} else y", "expected if or {, found y", 2, 8),
    (b"a := {1: 2}", "expected map key, found 1", 1, 7),
    (b"a := {if: 1}", "expected map key, found 'if'", 1, 7),
    (b"a := b.1", "expected ';', found .1", 1, 7),
    (b"a := import(x)", "expected module name, found x", 1, 13),
    (b"a, b", "expected 1 expression", 1, 1),
    (b"for a.b in c {\n}", "expected identifier", 1, 5),
    (b"else {}", "expected statement, found 'else'", 1, 1),
    (b"a := [1,\n2,\n]", "expected array element, found ']'", 3, 1),
    (b"a := 1\n}", "expected 'EOF', found '}'", 2, 1),
    (b"f := func(a,) {}", "expected 'IDENT', found ')'", 1, 13),
    (b"f := func(...a, b) {}", "expected ')', found ','", 1, 15),
    (b"f(a..., b)", "expected ')', found b", 1, 9),
    (b"a := (1 + 2", "expected ')', found newline", 1, 12),
    (b"a := 1\nb := [1, 2\nc := 3", "expected ']', found c", 3, 1),
    (b"export", "expected operand, found newline", 1, 7),
]


@pytest.mark.parametrize(("src", "message", "line", "column"), CLI_ERRORS)
def test_error_message_and_position_match_go_cli(
    src: bytes, message: str, line: int, column: int
) -> None:
    assert error_of(src) == (message, line, column)


def test_error_str_is_tengo_format() -> None:
    with pytest.raises(ScriptError) as info:
        parse("x := 1 +", "main.tengo")
    assert str(info.value) == "Parse Error: expected operand, found 'EOF'\n\tat main.tengo:1:9"


def test_default_script_name() -> None:
    with pytest.raises(ScriptError) as info:
        parse("x :=")
    assert info.value.script == "script"


# Go keeps going after an error, keeps one error per line, and reports the first error in
# source order: these need that machinery, not just "stop at the first error seen".


def test_error_reported_later_but_earlier_in_source_wins() -> None:
    # the body error is found first; the condition error (line 1) is reported
    assert error_of("for x := 1 {\n  y +\n}") == (
        "expected condition expression, found assignment", 1, 5
    )


def test_second_error_on_same_line_is_dropped() -> None:
    # Go reads the NUL while scanning ')', so "expected operand" on that line is dropped
    assert error_of(b"x := )\x00") == ("illegal character NUL", 1, 7)


def test_scanner_error_inside_multiline_raw_string_loses_to_parser_error() -> None:
    assert error_of(b"x := 1 `a\n\x00`") == ("expected ';', found `a\n\x00`", 1, 8)


def test_many_errors_report_the_first() -> None:
    src = "\n".join(f"x{i} := ]" for i in range(50))
    assert error_of(src) == ("expected operand, found ']'", 1, 7)


# ---------------------------------------------------------------- literals


@pytest.mark.parametrize(
    ("src", "value"),
    [
        ("0", 0),
        ("42", 42),
        ("017", 15),
        ("0o17", 15),
        ("0O17", 15),
        ("0x1F", 31),
        ("0X1f", 31),
        ("0b101", 5),
        ("1_000_000", 1000000),
        ("0_17", 15),
        ("0x_1F", 31),
        ("00", 0),
        ("9223372036854775807", 9223372036854775807),
        ("0x7fffffffffffffff", 9223372036854775807),
    ],
)
def test_int_literals(src: str, value: int) -> None:
    x = expr(src)
    assert isinstance(x, ast.IntLit)
    assert (x.value, x.literal) == (value, src)


@pytest.mark.parametrize("src", ["08", "09", "0x", "0b", "0b_", "1__0", "1_", "0x8000000000000000"])
def test_invalid_int_literals(src: str) -> None:
    assert error_of("x := " + src) == ("invalid integer", 1, 6)


def test_binary_literal_stops_at_non_binary_digit() -> None:
    assert error_of("x := 0b102") == ("expected ';', found 2", 1, 10)


@pytest.mark.parametrize(
    ("src", "value"),
    [
        ("1.5", 1.5),
        (".5", 0.5),
        ("1.", 1.0),
        ("1e3", 1000.0),
        ("1E-3", 0.001),
        ("1.e2", 100.0),
        ("09.5", 9.5),
        ("1_0.5", 10.5),
        ("0x1p-2", 0.25),
        ("0x1.8p1", 3.0),
        ("1e-400", 0.0),
        ("1.7976931348623157e308", 1.7976931348623157e308),
        ("4.9e-324", 5e-324),
    ],
)
def test_float_literals(src: str, value: float) -> None:
    x = expr(src)
    assert isinstance(x, ast.FloatLit)
    assert (x.value, x.literal) == (value, src)


@pytest.mark.parametrize(
    "src", ["1e400", "0x1p2000", "1p5", "0b1e5", "1_.5", "0x1.8", "1.7976931348623159e308"]
)
def test_invalid_float_literals(src: str) -> None:
    assert error_of("x := " + src) == ("invalid float", 1, 6)


@pytest.mark.parametrize(
    ("src", "value"),
    [
        ("'a'", 97),
        ("'\\n'", 10),
        ("'\\''", 39),
        ("'\\\\'", 92),
        ("'\\x41'", 65),
        ("'\\xff'", 255),
        ("'\\101'", 65),
        ("'\\u00e9'", 0xE9),
        ("'\\U0001F600'", 0x1F600),
        ("'é'", 0xE9),
        ("'日'", 0x65E5),
        ('\'"\'', 34),
    ],
)
def test_char_literals(src: str, value: int) -> None:
    x = expr(src)
    assert isinstance(x, ast.CharLit)
    assert (x.value, x.literal) == (value, src)


def test_char_literal_rejects_double_quote_escape() -> None:
    assert error_of("x := '\\\"'") == ("unknown escape sequence", 1, 8)


@pytest.mark.parametrize(
    ("src", "value"),
    [
        ('""', ""),
        ('"plain"', "plain"),
        ('"a\\tb\\n"', "a\tb\n"),
        ('"\\a\\b\\f\\r\\v\\\\\\""', "\a\b\f\r\v\\\""),
        ('"\\x41\\101"', "AA"),
        ('"\\u00e9\\U0001F600"', "é\U0001F600"),
        ('"\\xc3\\xa9"', "é"),  # \x escapes are bytes: these two make UTF-8 é
        ('"\\xff"', "\udcff"),  # invalid UTF-8 byte, carried as a surrogate escape
        ('"\\u005c"', "\\"),
        ('"é日本"', "é日本"),
        ("`raw \\n string`", "raw \\n string"),
        ("`multi\nline`", "multi\nline"),
        ("`crlf\r\nline\r`", "crlf\nline"),  # Go strips carriage returns
    ],
)
def test_string_literals(src: str, value: str) -> None:
    x = expr(src)
    assert isinstance(x, ast.StringLit)
    assert x.value == value


def test_string_literal_keeps_its_source_text() -> None:
    x = expr('"a\\tb"')
    assert isinstance(x, ast.StringLit)
    assert x.literal == '"a\\tb"'


def test_escaped_quote_inside_string() -> None:
    assert stmts('x := "say \\"hi\\""') == "(:= x 'say \"hi\"')"


def test_single_quote_escape_not_allowed_in_string() -> None:
    assert error_of("x := \"\\'\"") == ("unknown escape sequence", 1, 8)


def test_keyword_literals() -> None:
    assert stmts("x := [true, false, undefined]") == "(:= x [true false undefined])"


# ---------------------------------------------------------------- precedence


@pytest.mark.parametrize(
    ("src", "tree"),
    [
        ("a + b * c", "(+ a (* b c))"),
        ("a * b + c", "(+ (* a b) c)"),
        ("a - b - c", "(- (- a b) c)"),
        ("a / b % c", "(% (/ a b) c)"),
        ("a || b && c", "(|| a (&& b c))"),
        ("a && b || c && d", "(|| (&& a b) (&& c d))"),
        ("a == b < c", "(< (== a b) c)"),
        ("a + b == c * d", "(== (+ a b) (* c d))"),
        ("a + b << c", "(+ a (<< b c))"),
        ("a | b & c", "(| a (& b c))"),
        ("a ^ b &^ c", "(^ a (&^ b c))"),
        ("a >= b != c <= d", "(<= (!= (>= a b) c) d)"),
        ("-a * b", "(* (-a) b)"),
        ("!a && b", "(&& (!a) b)"),
        ("^a | +b", "(| (^a) (+b))"),
        ("- -a", "(-(-a))"),
        ("-a.b[1]", "(-(index (. a b) 1))"),
        ("a || b ? c : d", "(? (|| a b) c d)"),
        ("a ? b : c ? d : e", "(? a b (? c d e))"),
        ("a ? b ? c : d : e", "(? a (? b c d) e)"),
        ("(a + b) * c", "(* (paren (+ a b)) c)"),
    ],
)
def test_operator_precedence(src: str, tree: str) -> None:
    assert sx(expr(src)) == tree


# ---------------------------------------------------------------- expressions


@pytest.mark.parametrize(
    ("src", "tree"),
    [
        ("a.b.c", "(. (. a b) c)"),
        ("a[1][2]", "(index (index a 1) 2)"),
        ("a[1:2]", "(slice a 1 2)"),
        ("a[:2]", "(slice a _ 2)"),
        ("a[1:]", "(slice a 1 _)"),
        ("a[:]", "(slice a _ _)"),
        ("f()", "(call f)"),
        ("f(1, 2)", "(call f 1 2)"),
        ("f(a, b...)", "(call f a b ...)"),
        ("f(b...)", "(call f b ...)"),
        ("f(1)(2)", "(call (call f 1) 2)"),
        ("a.b(c).d", "(. (call (. a b) c) d)"),
        ("func() {}", "(func () {})"),
        ("func(a, b) { return a + b }", "(func (a b) {(return (+ a b))})"),
        ("func(...rest) {}", "(func (rest ...) {})"),
        ("func(a, ...rest) {}", "(func (a rest ...) {})"),
        ("error(1)", "(error 1)"),
        ("immutable([1])", "(immutable [1])"),
        ('import("fmt")', "(import fmt)"),
        ("[]", "[]"),
        ("[1, [2, 3]]", "[1 [2 3]]"),
        ("{}", "{}"),
        ('{a: 1, "b c": 2}', "{a: 1, b c: 2}"),
        ("[1,\n2]", "[1 2]"),
        ("[1\n]", "[1]"),
        ("f(1\n)", "(call f 1)"),
        ('{\n  a: 1,\n  b: 2\n}', "{a: 1, b: 2}"),
    ],
)
def test_expressions(src: str, tree: str) -> None:
    assert sx(expr(src)) == tree


def test_selector_is_a_string_literal_at_the_name() -> None:
    x = expr("ab.cd")
    assert isinstance(x, ast.SelectorExpr)
    assert x.sel == ast.StringLit((1, 9), "cd", "cd")


def test_builtin_names_are_plain_identifiers() -> None:
    assert sx(expr("len(x)")) == "(call len x)"


# ---------------------------------------------------------------- statements


@pytest.mark.parametrize(
    ("src", "tree"),
    [
        ("x := 1", "(:= x 1)"),
        ("x = 1", "(= x 1)"),
        ("a, b = 1, 2", "(= a b 1 2)"),
        ("x.y[0] = 1", "(= (index (. x y) 0) 1)"),
        ("x++", "(++ x)"),
        ("a[1]--", "(-- (index a 1))"),
        ("f(1)", "(call f 1)"),
        ("{a: 1}", "{a: 1}"),  # a statement starting with `{` is a map literal
        ("{}", "{}"),
        ("if x { y() }", "(if _ x {(call y)} _)"),
        ("if a := f(); a { b }", "(if (:= a (call f)) a {b} _)"),
        ("if a { b } else { c }", "(if _ a {b} {c})"),
        ("if a { } else if b { } else { c }", "(if _ a {} (if _ b {} {c}))"),
        ("for { break }", "(for _ _ _ {break})"),
        ("for x < 3 { continue }", "(for _ (< x 3) _ {continue})"),
        ("for i := 0; i < 3; i++ {}", "(for (:= i 0) (< i 3) (++ i) {})"),
        ("for ; ; {}", "(for _ _ _ {})"),
        ("for i := 0; ; {}", "(for (:= i 0) _ _ {})"),
        ("for k, v in m {}", "(for-in k v m {})"),
        ("for v in m {}", "(for-in _ v m {})"),
        ("for _, v in m {}", "(for-in _ v m {})"),
        ("for break_ in [1] { break }", "(for-in _ break_ [1] {break})"),
        ("return", "(return _)"),
        ("return 1", "(return 1)"),
        ("export {a: 1}", "(export {a: 1})"),
        ("x := 1;;", "(:= x 1); empty"),
        ("for { break foo }", "(for _ _ _ {break})"),  # labels parse and are ignored
    ],
)
def test_statements(src: str, tree: str) -> None:
    assert stmts(src) == tree


@pytest.mark.parametrize(
    "op", ["+=", "-=", "*=", "/=", "%=", "&=", "|=", "^=", "<<=", ">>=", "&^="]
)
def test_compound_assignments(op: str) -> None:
    assert stmts(f"x {op} 2") == f"({op} x 2)"


def test_for_in_with_one_name_binds_the_value() -> None:
    (stmt,) = parse("for v in xs {}").stmts
    assert isinstance(stmt, ast.ForInStmt)
    assert stmt.key is None
    assert stmt.value == ast.Ident((1, 5), "v")


def test_for_in_with_three_names_is_rejected() -> None:
    # Go's parser accepts this and its compiler then crashes; we refuse it
    assert error_of("for a, b, c in x {}") == ("expected 1 or 2 identifiers", 1, 5)


def test_for_in_three_names_yields_to_errors_go_reports() -> None:
    assert error_of("for a, b, c in x {}\ny := )") == ("expected operand, found ')'", 2, 6)


# ---------------------------------------------------------------- semicolons


@pytest.mark.parametrize(
    ("src", "tree"),
    [
        ("x := 1\ny := 2", "(:= x 1); (:= y 2)"),
        ("x := 1 +\n  2", "(:= x (+ 1 2))"),
        ("x := a ||\n  b", "(:= x (|| a b))"),
        ("x := f(\n  1,\n  2)", "(:= x (call f 1 2))"),
        ("x := 1 /* c */\ny := 2", "(:= x 1); (:= y 2)"),
        ("x := 1 /* multi\nline */ y := 2", "(:= x 1); (:= y 2)"),
        ("x := 1 // c\ny := 2", "(:= x 1); (:= y 2)"),
        ("x := 1 /* a */ /* b */\ny := 2", "(:= x 1); (:= y 2)"),
        ("x := 1 // end", "(:= x 1)"),
        ("x := 1; y := 2", "(:= x 1); (:= y 2)"),
        ("f := func() { return }", "(:= f (func () {(return _)}))"),
        ("x++\ny--", "(++ x); (-- y)"),
        ("x := `a\nb`\ny := 1", "(:= x 'a\\nb'); (:= y 1)"),
        ("\n\n\tx := 1\r\n\r\n", "(:= x 1)"),
    ],
)
def test_semicolon_insertion(src: str, tree: str) -> None:
    assert stmts(src) == tree


def test_return_then_newline_returns_nothing() -> None:
    assert stmts("f := func() {\n  return\n  1\n}") == "(:= f (func () {(return _); 1}))"


def test_if_condition_then_newline_brace_parses_a_map() -> None:
    # as in Go, the newline ends `if x` and `{}` becomes the condition (a map literal)
    assert stmts("if x\n{} {}") == "(if x {} {} _)"


def test_newline_before_operator_ends_the_statement() -> None:
    assert error_of("x := 1\n+ 2\n)") == ("expected statement, found ')'", 3, 1)


# ---------------------------------------------------------------- positions


def test_binary_expr_positions() -> None:
    x = expr("ab   * cd")
    assert isinstance(x, ast.BinaryExpr)
    assert (x.pos, x.op_pos, x.lhs.pos, x.rhs.pos) == ((1, 6), (1, 11), (1, 6), (1, 13))


def test_compound_node_positions_follow_go() -> None:
    x = expr("f.g(1)[2]")
    assert isinstance(x, ast.IndexExpr)
    assert isinstance(x.expr, ast.CallExpr)
    assert x.pos == x.expr.pos == x.expr.func.pos == (1, 6)


def test_unary_expr_is_positioned_at_its_operand_like_go() -> None:
    # Go reports `-"s"` errors at the operand; Pos() of a UnaryExpr is its operand's
    x = expr("-  a")
    assert isinstance(x, ast.UnaryExpr)
    assert x.pos == x.expr.pos == (1, 9)


def test_statement_positions() -> None:
    prog = parse("if x {\n\tfor k in y {\n\t\tk++\n\t}\n}")
    (stmt,) = prog.stmts
    assert isinstance(stmt, ast.IfStmt)
    assert (stmt.pos, stmt.body.pos) == ((1, 1), (1, 6))
    (loop,) = stmt.body.stmts
    assert isinstance(loop, ast.ForInStmt)
    assert loop.pos == (2, 2)
    (inc,) = loop.body.stmts
    assert isinstance(inc, ast.IncDecStmt)
    assert inc.pos == (3, 3)


def test_columns_count_bytes() -> None:
    x = expr('"é日" + b')
    assert isinstance(x, ast.BinaryExpr)
    assert x.rhs.pos == (1, 16)  # "é日" is 7 bytes


def test_leading_bom_is_skipped_but_counted() -> None:
    (stmt,) = parse(b"\xef\xbb\xbfx := 1").stmts
    assert stmt.pos == (1, 4)


def test_map_element_and_key_positions() -> None:
    x = expr("{a: 1,\n  b: 2}")
    assert isinstance(x, ast.MapLit)
    assert [e.pos for e in x.elements] == [(1, 7), (2, 3)]


def test_error_at_end_of_file_after_final_newline() -> None:
    # like Go, a final newline does not start a new line
    assert error_of("x := 1 +\n") == ("expected operand, found 'EOF'", 1, 10)


def test_unicode_identifiers() -> None:
    assert stmts("été := 日本 + x2") == "(:= été (+ 日本 x2))"


def test_unicode_non_letter_is_illegal() -> None:
    assert error_of("x := €") == ("illegal character U+20AC '€'", 1, 6)


# ---------------------------------------------------------------- hostile input


DEEP = {
    "parens": "x := " + "(" * 10000 + "1" + ")" * 10000,
    "arrays": "x := " + "[" * 10000 + "]" * 10000,
    "maps": "x := " + "{a:" * 10000 + "1" + "}" * 10000,
    "funcs": "x := " + "func(){return " * 10000 + "1" + "}" * 10000,
    "minus": "x := " + "- " * 10000 + "1",
    "not": "x := " + "!" * 10000 + "1",
    "sum": "x := " + " + ".join(["1"] * 10000),
    "selectors": "x := a" + ".b" * 10000,
    "call-chain": "x := f" + "()" * 10000,
    "call-args": "x := " + "f(" * 10000 + ")" * 10000,
    "ternaries": "x := " + "a ? b : " * 10000 + "c",
    "else-ifs": "if a {} " + "else if a {} " * 10000,
    "ifs": "if a {" * 10000 + "}" * 10000,
}


@pytest.mark.parametrize("src", DEEP.values(), ids=DEEP.keys())
def test_deep_nesting_is_a_typed_error(src: str) -> None:
    assert error_of(src)[0] == "nesting too deep"


def test_nesting_within_the_limit_parses() -> None:
    depth = MAX_NESTING - 10
    assert parse("x := " + "(" * depth + "1" + ")" * depth).stmts
    assert parse("x := " + "[" * depth + "]" * depth).stmts
    assert parse("x := " + " + ".join(["1"] * depth)).stmts


def test_deep_nesting_from_a_deep_call_stack() -> None:
    def nested(levels: int) -> ast.File:
        return nested(levels - 1) if levels else parse("x := " + "[" * 400 + "]" * 400)

    assert nested(800).stmts


def test_huge_string_literal_is_fast() -> None:
    start = time.perf_counter()
    x = expr('"' + "a" * 10_000_000 + '"')
    assert isinstance(x, ast.StringLit)
    assert len(x.value) == 10_000_000
    assert time.perf_counter() - start < 5


def test_huge_int_literals_are_invalid_quickly() -> None:
    assert error_of("x := " + "1" * 1000) == ("invalid integer", 1, 6)
    start = time.perf_counter()
    assert error_of("x := " + "1" * 10_000_000) == ("invalid integer", 1, 6)
    assert time.perf_counter() - start < 5


def test_invalid_utf8_in_bytes_input() -> None:
    assert error_of(b"x := 1\ny := \xc3\x28") == ("illegal UTF-8 encoding", 2, 6)


def test_lone_surrogate_in_str_input_is_invalid_utf8() -> None:
    assert error_of("x := \ud800") == ("illegal UTF-8 encoding", 1, 6)


def test_invalid_utf8_identifier_byte() -> None:
    assert error_of(b"x := \xff") == ("illegal UTF-8 encoding", 1, 6)


def test_nul_inside_string_and_comment() -> None:
    assert error_of(b'x := "a\x00b"') == ("illegal character NUL", 1, 8)
    assert error_of(b"x := 1 // \x00\n") == ("illegal character NUL", 1, 11)


@pytest.mark.parametrize(
    ("src", "message"),
    [
        (b'x := "' + b"\\q" * 100_000, "string literal not terminated"),
        (b"x := '" + b"\\q" * 100_000, "unknown escape sequence"),  # no "not terminated"
        (b'x := "' + b"\x00" * 100_000 + b'"', "illegal character NUL"),
        (b"x /*" + b"\x00" * 100_000, "comment not terminated"),
        (b"x := " + b"\xff" * 100_000, "illegal UTF-8 encoding"),
    ],
    ids=["bad-escapes", "bad-char-escapes", "nuls-in-string", "nuls-in-comment", "bad-utf8"],
)
def test_floods_of_errors_report_the_first_quickly(src: bytes, message: str) -> None:
    start = time.perf_counter()
    assert error_of(src)[0] == message
    assert time.perf_counter() - start < 2


def test_megabytes_of_junk_after_an_error_are_fast() -> None:
    start = time.perf_counter()
    assert error_of(")" * 5_000_000) == ("expected statement, found ')'", 1, 1)
    assert time.perf_counter() - start < 5


def test_one_megabyte_script_parses_quickly() -> None:
    unit = (
        "f := func(a, b) {\n"
        "    // add two things\n"
        '    if a > b { return a - b } else if a == b { return "same" }\n'
        "    for i := 0; i < 10; i++ { b += i * 2 }\n"
        '    m := {name: "x", values: [1, 2.5, \'c\', `raw`]}\n'
        "    return m.values[1:] + [b]\n"
        "}\n"
    )
    src = unit * (1_000_000 // len(unit))
    start = time.perf_counter()
    prog = parse(src)
    elapsed = time.perf_counter() - start
    assert len(prog.stmts) == 1_000_000 // len(unit)
    assert elapsed < 3  # typically ~0.3 s; generous for loaded CI machines


def test_scanner_token_stream() -> None:
    toks = [t[:3] for t in _tokens(b"x := a.b // c\nreturn")]
    assert toks == [
        ("IDENT", "x", (1, 1)),
        (":=", ":=", (1, 3)),
        ("IDENT", "a", (1, 6)),
        (".", ".", (1, 7)),
        ("IDENT", "b", (1, 8)),
        (";", "\n", (1, 10)),  # the comment stands for the newline
        ("return", "return", (2, 1)),
        (";", "\n", (2, 7)),
        ("EOF", "", (2, 7)),
    ]


def _tokens(src: bytes) -> list[Token]:
    out: list[Token] = []
    for tok in Scanner(src, []).tokens():
        out.append(tok)
        if tok[0] == "EOF":
            return out
    raise AssertionError("no EOF")


def test_float_value_is_a_python_float() -> None:
    x = expr("1e308")
    assert isinstance(x, ast.FloatLit)
    assert math.isclose(x.value, 1e308)
