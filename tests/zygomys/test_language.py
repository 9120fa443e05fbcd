"""Table tests for the Zygomys reference doc's rules: each case is (source, printed value).

The printed value is `str` of the value of the program's last top-level form, as upstream
prints it (strings quoted, chars 'c', floats shortest, hashes {k:v}).
"""

from __future__ import annotations

import pytest

from scriptvisor.engines.zygomys.engine import ZygomysEngine
from scriptvisor.engines.zygomys.values import to_str
from scriptvisor.protocol.errors import ScriptError

ENGINE = ZygomysEngine()


def value_of(source: str) -> str:
    return to_str(ENGINE.run_source(source, "case").value)


def error_of(source: str) -> ScriptError:
    with pytest.raises(ScriptError) as info:
        ENGINE.run_source(source, "case")
    return info.value


LEXICAL = [
    ("1_000", "1000"), ("0x1f", "31"), ("0o17", "15"), ("0b101", "5"), ("255ULL", "255"),
    ("1.5", "1.5"), (".5", "0.5"), ("1.", "1"), ("1e3", "1e+03"), ("2.5E-1", "2.5e-01"),
    ("(str 1000.0)", '"1000"'), ("(+ 0 -3)", "-3"), ("[-1 -2]", "[-1 -2]"),
    ("{10-3}", "7"), ("(+ 1 2) // comment", "3"), ("(+ 1 /* in */ 2)", "3"),
    ("[1, 2]", "[1 2]"), ('"a\\tb"', '"a\\tb"'), ("`raw\\n`", '"raw\\\\n"'),
    ("'a'", "'a'"), ("'\\n'", "'\\n'"), ("true", "true"), ("false", "false"),
    ("nil", "nil"), ("null", "nil"), ("%()", "nil"), ("%a", "a"), ("%(1 2)", "(1 2)"),
    ("%(a \\ b)", "(a \\ b)"), ("(len \"héllo\")", "6"), ("(quote a:)", "a"),
    ("(def $A$1 5) $A$1", "5"), ("(type? NaN)", '"float64"'), ("(str -Inf)", '"-Inf"'),
    ("(str +Inf)", '"+Inf"'), ("(str nan)", '"NaN"'), ("(isNaN nan)", "true"),
    ("(def x 3) (def y 4) (* x y)", "12"), ("(+ 1 2); (+ 3 4)", "7"),
    ("%(a.b c)", "(a.b c)"), ("(symbol? %a)", "true"), ("(type? %.a)", '"symbol"'),
]

NUMBERS = [
    ("(+ 1 2 3)", "6"), ("(- 10 1 2)", "7"), ("(* 2 3 4)", "24"), ("(/ 7 2)", "3.5"),
    ("(/ 8 2)", "4"), ("(/ 1.0 0)", "+Inf"), ("(/ -1.0 0)", "-Inf"),
    ("(+ 9223372036854775807 1)", "-9223372036854775808"),
    ("(* 9223372036854775807 2)", "-2"), ("(- -9223372036854775808 1)", "9223372036854775807"),
    ("(** 2 10)", "1024"), ("(** 2 -1)", "0"), ("(** 2.0 0.5)", "1.4142135623730951"),
    ("(mod 7 3)", "1"), ("(mod -7 3)", "-1"), ("(mod 7 -3)", "1"), ("(- 5)", "5"),
    ("(+ 5)", "5"), ("(+ 1 2.5)", "3.5"), ("(+ 'a' 1)", "'b'"), ("(+ 1 'a')", "98"),
    ("(type? (+ 'a' 1))", '"char"'), ("(sll 1 4)", "16"), ("(sra -16 2)", "-4"),
    ("(srl -1 60)", "15"), ("(bitAnd 12 10)", "8"), ("(bitOr 12 10)", "14"),
    ("(bitXor 12 10)", "6"), ("(bitNot 0)", "-1"), ("(/ 6 4)", "1.5"),
    ("(* 1.5 2)", "3"), ("(- 0.5 1)", "-0.5"), ("(+ 0.1 0.2)", "0.30000000000000004"),
    ("(str (/ 10 4))", '"2.5"'), ("(** 3 3)", "27"), ("(mod 'a' 2)", "1"),
]

TRUTH_AND_COMPARE = [
    ("(cond 0 1 2)", "2"), ("(cond 0.0 1 2)", "1"), ('(cond "" 1 2)', "1"),
    ("(cond [] 1 2)", "1"), ("(cond nil 1 2)", "2"), ("(cond false 1 2)", "2"),
    ("(cond (hash) 1 2)", "1"), ("(< 1 2)", "true"), ("(< 2 1)", "false"),
    ("(<= 2 2)", "true"), ("(>= 1 2)", "false"), ("(== 1 1.0)", "true"),
    ("(!= 1 2)", "true"), ('(< "abc" "abd")', "true"), ('(== "a" "a")', "true"),
    ("(< [1 2] [1 3])", "true"), ("(== [1 2] [1 2])", "true"), ("(< [1] [1 0])", "true"),
    ("(< false true)", "true"), ("(== nil nil)", "true"), ("(== nil 3)", "false"),
    ("(< 'a' 'b')", "true"), ("(== 'a' 97)", "true"), ("(== nan nan)", "false"),
    ("(== (hash a: 1) (hash a: 1))", "true"), ("(== (hash a: 1) (hash a: 2))", "false"),
    ("(not 0)", "true"), ("(not 1)", "false"), ("(not nil)", "true"),
    ("(and 1 0 3)", "0"), ("(and 1 2 3)", "3"), ("(or nil false)", "false"),
    ("(or nil 5 6)", "5"), ("(and)", "true"), ("(or)", "false"),
    ("(== %(1 2) %(1 2))", "true"), ("(< %a %b)", "true"), ("(== 1.5 1.5)", "true"),
]

DEFS = [
    ("(def x 5)", "5"), ("(def x 1) (set x 2) x", "2"), ("(set y 3) y", "3"),
    ("(x := 4) x", "4"), ("(a b c = 1 2 3) (+ a b c)", "6"),
    ("(def x 1) (defn f [] (set x 10)) (f) x", "10"),
    ("(def x 1) (defn f [] (def x 10)) (f) x", "1"),
    ("(defn f [] 5)", "nil"), ("(mdef a b %(1 2)) (+ a b)", "3"),
    ("(def x 1) (def x 2) x", "2"), ("(def x [1]) (def x [\"s\"]) (len x)", "1"),
    ("(let [a 1 b 2] (+ a b))", "3"), ("(def a 10) (let [a 1 b a] b)", "10"),
    ("(letseq [a 1 b a] b)", "1"), ("(let [a 1] (def z 2) (+ a z))", "3"),
    ("(begin 1 2 3)", "3"), ("(def q 1) (newScope (def q 2)) q", "1"),
    ("(def q 1) (begin (def q 2)) q", "2"), ("(quote (1 2))", "(1 2)"),
    ("(return 5)", "5"), ("(return 1 2)", "[1 2]"),
    ("(defn f [a b] (+ a b)) (f 1 2)", "3"), ("((fn [x] (* x x)) 7)", "49"),
    ("(defn f [a & r] r) (f 1)", "nil"), ("(defn f [a & r] r) (f 1 2 3)", "(2 3)"),
    ("(def h (hash f: (fn [x] (+ x 1)))) (h.f 3)", "4"), ("(5)", "5"),
    ("(defn mk [] (let [n 0] (fn [] (set n (+ n 1)) n))) (def c (mk)) (c) (c) (c)", "3"),
    ("(defn f [x] (cond (== x 0) 0 (f (- x 1)))) (f 100000)", "0"),
    ("(defn loop [i acc] (cond (== i 0) acc (loop (- i 1) (+ acc i)))) (loop 100000 0)",
     "5000050000"),
    ("(defn even [n] (cond (== n 0) true (odd (- n 1)))) (defn odd [n] (cond (== n 0) false"
     " (even (- n 1)))) (even 100)", "true"),
    ("(def f (fn [n] (cond (< n 2) n (+ (f (- n 1)) (f (- n 2)))))) (f 15)", "610"),
    ("(defn fact [n] (cond (<= n 1) 1 (* n (fact (- n 1))))) (fact 20)",
     "2432902008176640000"),
    ("(str (fn [x] x))", '"(fn [x] x)"'), ("(type? (fn [] 1))", '"func"'),
]

LOOPS = [
    ("(def s 0) (for [(def i 0) (< i 5) (set i (+ i 1))] (set s (+ s i))) s", "10"),
    ("(for [(def i 0) (< i 5) (set i (+ i 1))] i)", "nil"),
    ("(def s 0) (for [(def i 0) (< i 10) (set i (+ i 1))] (cond (== i 3) (break) "
     "(set s (+ s i)))) s", "3"),
    ("(def s 0) (for [(def i 0) (< i 5) (set i (+ i 1))] (cond (== (mod i 2) 0) (continue) "
     "(set s (+ s i)))) s", "4"),
    ("(def n 0) (for outer: [(def i 0) (< i 3) (set i (+ i 1))] (for [(def j 0) (< j 3) "
     "(set j (+ j 1))] (cond (== j 1) (continue outer:) (set n (+ n 1))))) n", "3"),
    ("(def n 0) (for outer: [(def i 0) (< i 3) (set i (+ i 1))] (for [(def j 0) (< j 3) "
     "(set j (+ j 1))] (cond (== i 1) (break outer:) (set n (+ n 1))))) n", "3"),
    ("(def s 0) (range k v [10 20 30] (set s (+ s k v))) s", "63"),
    ("(def s \"\") (range k v (hash a: 1 b: 2) (set s (concat s (sym2str k)))) s", '"ab"'),
    ("(def i 0) (for [() (< i 3) ()] (set i (+ i 1))) i", "3"),
    ("(def n 0) (for [(def i 0) true (set i (+ i 1))] (cond (> i 4) (break) (set n i))) n",
     "4"),
    ("{s := 0; for i := 0; i < 4; i++ { s = s + i }; s}", "6"),
    ("{s := 0; for k, v := range [5, 6] { s = s + k + v }; s}", "12"),
    ("{n := 0; for i := range 4 { n = n + i }; n}", "6"),
    ("{i := 0; for i < 10 { i = i + 3 }; i}", "12"),
    ("{n := 0; for { n++; if n > 5 { break } }; n}", "6"),
]

INFIX = [
    ("{1 + 2 * 3}", "7"), ("{ {1 + 2} * 3}", "9"), ("{2 ** 3 ** 2}", "512"),
    ("{10 - 3 - 2}", "5"), ("{1 < 2 and 3 > 2}", "true"), ("{not {1 == 2}}", "true"),
    ("{a = 5; a * 2}", "10"), ("{a := [1, 2, 3]; a[1]}", "2"),
    ("{a := [1, 2, 3, 4]; a[1:3]}", "[2 3]"), ("{a := [1, 2, 3]; a[:2]}", "[1 2]"),
    ("{a := [1, 2, 3]; a[1:]}", "[2 3]"), ("{a := [1, 2]; a[0] = 9; a}", "[9 2]"),
    ("{h := {a: 1}; h.a}", "1"), ("(def h {a: {b: 2}}) h.a.b", "2"),
    ("{x := 1; if x > 0 { 10 } else { 20 }}", "10"),
    ("{x := -1; if x > 0 { 10 } else if x == 0 { 0 } else { -10 }}", "-10"),
    ("{if false { 1 }}", "nil"), ("{a, b := 1, 2; a + b}", "3"),
    ("{a, b, c := [1, 2, 3]; a + b + c}", "6"), ("{x := 1; x += 4; x}", "5"),
    ("{x := 5; x--; x}", "4"), ("{7 mod 4}", "3"), ("{1 + 2 == 3 && true}", "true"),
    ("{false || 0}", "0"), ("(infixExpand {1 + 2})", "(quote (+ 1 2))"),
    ("{}", "{}"), ('{"a": 1, "b": 2}', '{"a":1 "b":2}'), ("{a: 1 b: 2}", "{a:1 b:2}"),
    ("{6 / 4}", "1.5"), ("{(+ 1 2) }", "3"),
]

HASHES = [
    ("(hash a: 1 b: 2)", "{a:1 b:2}"), ('(hget (hash a: 1) %a)', "1"),
    ('(hget (hash "a" 1) "a")', "1"), ("(hget (hash a: 1) %b 0)", "0"),
    ("(def h (hash)) (hset h %x 1) h", "{x:1}"), ("(def h (hash a: 1 b: 2)) (hdel h %a) h",
                                                  "{b:2}"),
    ("(keys (hash a: 1 b: 2))", "[a b]"), ("(len (hash a: 1 b: 2))", "2"),
    ("(hpair (hash a: 1 b: 2) 1)", "(b 2)"), ("(hpair [5 6] 1)", "(1 6)"),
    ("(def h (hash a: 1)) (hset h %a 5) (hset h %b 6) h", "{a:5 b:6}"),
    ("(hget (hash 1 %one) 1)", "one"), ("(hget (hash 'a' 1) 97)", "1"),
    ("(hget (hash [1 2] 3) [1 2])", "3"), ("(defmap point) (point x: 1 y: 2)",
                                          " (point x:1 y:2)"),
    ("(defmap point) (type? (point x: 1))", '"point"'), ("(:a (hash a: 7))", "7"),
    ("(:b (hash a: 7) 0)", "0"), ("(:0 [4 5])", "4"), ("(-> (hash a: (hash b: 3)) a: b:)", "3"),
    ("(def h (hash a: (hash b: 1))) (set h.a.b 5) h", "{a:{b:5}}"),
    ("(hash? (hash))", "true"), ("(empty? (hash))", "true"), ("(hget [7 8] 1)", "8"),
    ('(str (hash "k" "v"))', '"{\\"k\\":\\"v\\"}"'), ("(== (hash a: 1) (hash a: 1))", "true"),
]

ARRAYS_LISTS_STRINGS = [
    ("(aget [1 2 3] 1)", "2"), ("(aget [1] 5 %d)", "d"), ("(def a [1 2]) (aset a 0 9) a", "[9 2]"),
    ("(slice [1 2 3 4] 1 3)", "[2 3]"), ("(append [1] 2)", "[1 2]"),
    ("(def a [1]) (append a 2) a", "[1]"), ("(appendslice [1] [2 3])", "[1 2 3]"),
    ("(concat [1] [2] [3])", "[1 2 3]"), ("(len [1 2 3])", "3"), ("(makeArray 3)", "[nil nil nil]"),
    ("(makeArray 2 0)", "[0 0]"), ("(first [1 2])", "1"), ("(second [1 2])", "2"),
    ("(rest [1 2 3])", "[2 3]"), ("(rest [])", "[]"), ("(array 1 2)", "[1 2]"),
    ("(map (fn [x] (* x 2)) [1 2 3])", "[2 4 6]"), ("(map (fn [x] (* x 2)) %(1 2))", "(2 4)"),
    ("(apply + [1 2 3])", "6"), ("(apply + %(1 2))", "3"), ("(cons 1 %(2))", "(1 2)"),
    ("(cons 1 2)", "(1 \\ 2)"), ("(car %(1 2))", "1"), ("(cdr %(1 2))", "(2)"),
    ("(cdr %(x))", "nil"), ("(list 1 2 3)", "(1 2 3)"), ("(len nil)", "0"),
    ("(len %(1 2))", "2"), ("(concat %(1) %(2 3))", "(1 2 3)"),
    ("(flatten %(a (b (c))) \"d e\")", '["a" "b" "c" "d" "e"]'), ('(concat "ab" "cd")', '"abcd"'),
    ("(concat \"a\" 'b')", '"ab"'), ('(append "ab" \'c\')', '"abc"'),
    ('(slice "hello" 1 3)', '"el"'), ('(sget "abc" 1)', "'b'"), ('(len "abc")', "3"),
    ('(split "a,b,c" ",")', '["a" "b" "c"]'), ('(split "abc" "")', '["a" "b" "c"]'),
    ('(chomp "x\\n")', '"x"'), ('(trim "  x  ")', '"x"'), ('(str "s")', '"\\"s\\""'),
    ("(str 'c')", "\"'c'\""), ("(str 1.5)", '"1.5"'), ("(str %(1 2))", '"(1 2)"'),
    ("(str [1 2])", '"[1 2]"'), ('(sym2str %abc)', '"abc"'), ('(str2sym "abc")', "abc"),
    ("(joinsym %a %b)", "ab"), ('(nsplit "a\\nb")', '["a" "b"]'), ("(symbol? (gensym))", "true"),
    ("(list? %(1))", "true"), ("(list? nil)", "true"), ("(null? nil)", "true"),
    ("(array? [1])", "true"), ("(number? 1.5)", "true"), ("(int? 1)", "true"),
    ("(float? 1)", "false"), ("(char? 'a')", "true"), ("(string? \"\")", "true"),
    ("(zero? 0)", "true"), ("(zero? 0.0)", "true"), ("(empty? [])", "true"),
    ("(empty? nil)", "true"), ("(func? +)", "true"), ("(type? [])", '"array"'),
    ("(type? %(1))", '"list"'), ("(type? nil)", '"nil"'), ("(type? 1)", '"int64"'),
    ("(type? \"s\")", '"string"'), ("(type? true)", '"bool"'), ("(type? (raw \"a\"))", '"raw"'),
    ("(raw2str (raw \"hi\"))", '"hi"'), ('(base64 (raw "hi"))', '(raw64 "aGk=")'),
    ('(raw2str (unbase64 "aGk="))', '"hi"'), ('(isbase64 "aGk=")', "false"), ('(isbase64 (unbase64 "aGk="))', "true"),
]

FORMAT_JSON_REGEX_META = [
    ('(sprintf "%d %s" 5 "x")', '"5 x"'), ('(sprintf "%5s|" "ab")', '"   ab|"'),
    ('(sprintf "%-5s|" "ab")', '"ab   |"'), ('(sprintf "%.2f" 3.14159)', '"3.14"'),
    ('(sprintf "%x %o %b" 255 8 5)', '"ff 10 101"'), ("(sprintf \"%c %v\" 'a' 'a')", '"a 97"'),
    ('(sprintf "%q" "hi")', '"\\"hi\\""'), ('(sprintf "%t %%" true)', '"true %"'),
    ('(sprintf "%e" 1500.0)', '"1.500000e+03"'), ('(sprintf "%g" 0.5)', '"0.5"'),
    ('(sprintf "%v" "s")', '"s"'), ('(raw2str (json [1 2]))', '"[1, 2]"'),
    ('(raw2str (json (hash a: 1)))', '"{\\"Atype\\":\\"hash\\", \\"a\\":1, \\"zKeyOrder\\":[\\"a\\"]}"'),
    ('(unjson (raw "[1, 2]"))', "[1 2]"), ('(hget (unjson (raw "{\\"a\\": 5}")) %a)', "5"),
    ('(json2 (hash a: [1 "x"]))', '"{\\"a\\":[1, \\"x\\"]}"'),
    ('(regexpMatch (regexpCompile "a+b") "xaab")', "true"),
    ('(regexpFind (regexpCompile "[0-9]+") "ab123c")', '"123"'),
    ('(regexpFindIndex (regexpCompile "[0-9]+") "ab123c")', "[2 5]"),
    ('(regexpMatch (regexpCompile "^z") "abc")', "false"),
    ("(eval %(+ 1 2))", "3"), ('(read "(+ 1 2)")', "(+ 1 2)"), ('(eval (read "(* 2 3)"))', "6"),
    ("(eval (list + 1 2))", "3"), ("(defmac m [x] ^(+ ~x 1)) (m 5)", "6"),
    ("(defmac twice [x] ^(begin ~x ~x)) (def n 0) (twice (set n (+ n 1))) n", "2"),
    ("(defmac lst [& xs] ^(list ~@xs)) (lst 1 2 3)", "(1 2 3)"),
    ("(defmac m [x] ^(+ ~x 1)) (macexpand (m 5))", "(quote + 5 1)"),
    # fixes of the compiler-bug list (/work/notes/zy_compiler_bugs.md)
    ("[?a (== ?a %?a)]", "[?a true]"),
    ("[(> nan 1.0) (<= 1.0 nan) (>= nan nan) (> 2.0 1.0) (>= 1.0 1.0)]",
     "[false false false true true]"),
    ("(def h (hash)) {h[1 2] = 5} [{h[1 2]} (hget h [1 2])]", "[5 5]"),
    ("(def a [4 5 6 7]) (defn g [] (let [y 2] [(:y a) (aget a %y) (hget a %(+ y 1))])) (g)",
     "[6 6 7]"),
    ("(let [f (fn [n] (cond (== n 0) 1 (* n (f (- n 1)))))] (f 5))", "120"),
    ("(let [g (fn [] h) h 3] (g))", "3"),
    # lazy `#x` parameters: the argument is passed unevaluated, forced at most once
    ("(defn lz [a #x] [a (str (substitute #x)) (force #x) (force #x)]) (def n 0) "
     "(lz 1 (begin (set n (+ n 1)) n))", '[1 "(begin (set n (+ n 1)) n)" 1 1]'),
    ("(defn cnt [#x k] (cond (== k 0) (str (substitute #x)) (cnt (+ 1 2) (- k 1)))) "
     "(cnt zz 3)", '"(+ 1 2)"'),
    ("(defn f [#x] (force #x)) (defn g [] (let [y 5] (f (* y 2)))) (g)", "10"),
    ("(def x 1) (letseq [y x x 2] [x y])", "[2 1]"),
    ("(def x (list 1)) (def x 3) x", "3"),  # a list has no registered type upstream
    ("(defn f [a & r] r) (str f)", '"(defn f [a & r] r)"'),
    ("(def i 100) (def s 0) (range k v [5 6 7] (set s (+ s (* i v)))) [s i]", "[20 100]"),
    ("(macexpand (-= y 2))", "(quote set y (- y 2))"),
    ("(macexpand sym)", "sym"),
    ("(def x 5) ^(a ~x)", "(a 5)"), ("(def xs %(1 2)) ^(a ~@xs b)", "(a 1 2 b)"),
    ("(def x 5) ^[a ~x]", "[a 5]"), ("(defmac when [c & body] ^(cond ~c (begin ~@body) nil))"
                                    " (when true 1 2)", "2"),
    ('(expectError "Error calling \'stop\': boom" (stop "boom"))', "nil"),
    ('(expectError "" (/ 1 0))', "nil"), ("(def p (package \"p\" (def Pub 1) (def priv 2))) p.Pub",
                                          "1"),
    ("(defined? %car)", "true"), ("(defined? %nope)", "false"),
    ("(def y 3) (defined? %y)", "true"), ("(number? (random))", "true"),
]


def _ids(cases: list[tuple[str, str]]) -> list[str]:
    return [src[:40] for src, _ in cases]


ALL = (LEXICAL + NUMBERS + TRUTH_AND_COMPARE + DEFS + LOOPS + INFIX + HASHES
       + ARRAYS_LISTS_STRINGS + FORMAT_JSON_REGEX_META)


@pytest.mark.parametrize(("source", "expected"), ALL, ids=_ids(ALL))
def test_value(source: str, expected: str) -> None:
    assert value_of(source) == expected


ERRORS = [
    ("(+ 1 \"a\")", "execution", "Error calling '+': operands have invalid type"),
    ("(/ 1 0)", "execution", "Error calling '/': runtime error: integer divide by zero"),
    ("(mod 1 0)", "execution", "Error calling 'mod': runtime error: integer divide by zero"),
    ("(mod 1.5 1)", "execution", "Error calling 'mod': operands have invalid type"),
    ("(== 3 nil)", "execution", "Error calling '==': err 92: cannot compare *zygo.SexpInt "
                                "to *zygo.SexpSentinel"),
    ('(< 1 "a")', "execution", "Error calling '<': err 92: cannot compare *zygo.SexpInt to "
                               "*zygo.SexpStr"),
    ("(undefined-fn 3)", "execution", "symbol `undefined` not found"),
    ("(nosuch 3)", "execution", "symbol `nosuch` not found"),
    ("(stop \"bye\")", "execution", "Error calling 'stop': bye"),
    ("(assert (== 1 2))", "execution", "Assertion failed: (== 1 2)\n"),
    ("(defn f [a] a) (f 1 2)", "execution", "f expected 1 arguments, got 2"),
    ("(defn f [a b] a) (f 1)", "execution", "f expected 2 arguments, got 1"),
    ("(5 1)", "execution", "5 is not a function"),
    ("(def x 1) (x 2)", "execution", "x is not a function"),
    ("(def x 1) (def x \"s\")", "execution", "cannot assign string to int64"),
    ("(def x 1.5) (def x 2)", "execution", "cannot assign int64 to float64"),
    ("(x := 1) (x := \"s\")", "execution", "cannot assign string to int64"),
    ("(cond true 1)", "compilation", "missing default case"),
    ("(def + 1)", "compilation", "already have built-in function '+', refusing to overwrite "
                                 "with def"),
    ("(defn car [] 1)", "compilation", "already have built-in function 'car', refusing to "
                                       "overwrite with defn"),
    ("(break)", "compilation", "(break) found but not inside a loop."),
    ("(for [(def i 0) (< i 1) (set i (+ i 1))] (continue nope:))", "compilation",
     "(continue nope:) problem: could not find matching for-loop with label nope:"),
    ("(for [(def i 0) (< i 1) (set i (+ i 1))] (break 3))", "compilation", "bad break label"),
    ("(let [a] a)", "compilation", "uneven let binding list"),
    ("(fn [])", "compilation", "malformed function definition"),
    ("(fn (a) a)", "compilation", "function arguments must be in vector"),
    ("(defn f [1] 1)", "compilation", "function argument must be symbol"),
    ("(defmac m [x])", "compilation", "Wrong number of arguments to defmac"),
    ("(def string 1)", "compilation", "already have reserved word 'string', refusing to "
                                      "overwrite with def"),
    ("(defn f [a b & r] a) (f 1)", "execution", "Expected >2 arguments, got 1"),
    ("(mdef a b (cons 1 2))", "execution", "not a list"),
    ("(def h (hash)) {h[1 :]}", "execution", "hash selector must be a single key"),
    ("(:a 5)", "execution", "second argument to ':' function must be hash or array"),
    ("(def a [1]) (def z \"s\") (aget a %z)", "execution",
     "Error calling 'aget': Second argument of aget could not be evaluated to integer"),
    ('(string "s")', "compilation", "'string' is not supported"),
    ("([] int64)", "compilation", "'[]' is not supported"),
    ("(msgpack 1)", "compilation", "'msgpack' is not supported"),
    ("(pretty true)", "compilation", "'pretty' is not supported"),
    ("(let [a 1])", "compilation", "malformed let statement"),
    ("(a =)", "compilation", "bad assignment syntax: no right-hand-side"),
    ("(+ 1 2", "invalid_syntax", "Error on line 1: parser needs more input"),
    ("(+ 1 2))", "invalid_syntax", "Error on line 1: Invalid syntax, don't know what to do "
                                   "with ')'"),
    ('"\\x41"', "invalid_syntax", "Error on line 1: invalid escape sequence"),
    ("(aget [1] 5)", "execution", "Error calling 'aget': Array index out of bounds"),
    ("(first [])", "execution", "Error calling 'first': first called on empty array"),
    ("(first %())", "execution", "Error calling 'first': operands have invalid type"),
    ("(append [1] 2 3)", "execution", "Error calling 'append': wrong number of arguments"),
    ("(hget (hash a: 1) %b)", "execution", "Error calling 'hget': hash has no field 'b' [err 1]"),
    ("(slice \"abc\" 1 9)", "execution", "Error calling 'slice': slice bounds out of range "
                                         "[1:9] with length 3"),
    ("(struct Foo)", "compilation", "'struct' is not supported"),
    ("(makeChan)", "compilation", "'makeChan' is not supported"),
    ("(system \"ls\")", "compilation", "'system' is not supported: scripts have no host access"),
    ("(slurpf \"/etc/passwd\")", "compilation", "scripts have no host access"),
    ("(getenv \"HOME\")", "compilation", "scripts have no host access"),
    ("(def p (package \"p\" (def priv 2))) p.priv", "execution",
     "Cannot access private member 'priv' of package 'p'"),
    ('(expectError "x" (+ 1 1))', "execution",
     "Error calling 'expectError': expectError expected 'x' but got no error"),
    ("(defn f [n] (+ 1 (f n))) (f 1)", "execution", "stack overflow"),
]


@pytest.mark.parametrize(("source", "kind", "message"), ERRORS, ids=[e[0][:40] for e in ERRORS])
def test_error(source: str, kind: str, message: str) -> None:
    err = error_of(source)
    assert err.type.value == kind
    assert message in err.message


def test_error_positions() -> None:
    err = error_of("(def a 1)\n(def b 2)\n  (stop \"x\")")
    assert (err.line, err.column) == (3, 3)
    err = error_of("(def a 1)\n(+ 1 (nosuch))")
    assert err.line == 2


def test_printing_goes_to_logs() -> None:
    out = ENGINE.run_source('(println "hi") (println 42) (print "a") (printf "%d\\n" 7)', "p")
    assert out.logs == ["hi", "42", "a7"]


# Host boundary: `publish` is a host function (as the supervisor binds it); input variables are
# bound as globals. Each case: (source, input variables, expected published (topic, payload) list).
PUBLISH = [
    ('(publish "t" 1)', {}, [("t", 1)]),
    ('(publish "t" (hash n: 2 "s" "x"))', {}, [("t", {"n": 2, "s": "x"})]),
    ('(publish "t" [1 2.5 nil true "s"])', {}, [("t", [1, 2.5, None, True, "s"])]),
    ('(publish "t" (list %a \'b\'))', {}, [("t", ["a", "b"])]),
    ('(publish "t" (raw "hi"))', {}, [("t", b"hi")]),
    ('(publish "a" 1) (publish "b" 2)', {}, [("a", 1), ("b", 2)]),
    ('(publish "t" (+ amount 1))', {"amount": 41}, [("t", 42)]),
    ('(publish "t" (hget msg "k"))', {"msg": {"k": [1, 2]}}, [("t", [1, 2])]),
    ('(publish "t" (raw2str data))', {"data": b"bytes"}, [("t", "bytes")]),
    ('(publish "t" (type? data))', {"data": b"x"}, [("t", "raw")]),
    ('(publish "t" (str 1e3))', {}, [("t", "1e+03")]),
    ('(publish "t" msg.k)', {"msg": {"k": 3}}, [("t", 3)]),
]


@pytest.mark.parametrize(("source", "variables", "expected"), PUBLISH,
                         ids=[c[0][:40] for c in PUBLISH])
def test_publish(source: str, variables: dict[str, object], expected: list[object]) -> None:
    published: list[tuple[str, object]] = []
    ENGINE.run_source(source, "pub", variables,
                      {"publish": lambda topic, payload: published.append((topic, payload))})
    assert published == expected


def test_log_lines_and_host_failure() -> None:
    out = ENGINE.run_source('(log "a") (println "b") (log "c")', "log")
    assert out.logs == ["a", "b", "c"]

    def refuse(topic: str, payload: object) -> None:
        raise RuntimeError("bus down")

    with pytest.raises(ScriptError) as info:
        ENGINE.run_source('(publish "t" 1)', "pub", None, {"publish": refuse})
    assert info.value.type.value == "execution"
    assert "publish: bus down" in info.value.message
