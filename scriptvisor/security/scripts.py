"""Script probes in both languages: reaching Python internals, and every DoS shape.

Each entry pairs an attack script with its control: for a breakout attempt, the allowed
neighbour of the same construct (which must work); for a DoS, the bounded form of the same
construct under the same limits (or the same script with generous limits). Both run in a
confined child of the real supervisor.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from scriptvisor.protocol.errors import ErrorType
from scriptvisor.security.model import ANY, OK, SUCCEEDS, Expect, Probe, Step, Via, expect

T, Z = Via.TENGO, Via.ZYGOMYS
TEXT = 'text := import("text")\n'
FMT = 'fmt := import("fmt")\n'
JSON = 'json := import("json")\n'
DOS = {"max_execution_time": 0.3}
MEMORY_DOS = {"max_execution_time": 2.0}
"""Memory bombs: time enough to reach the memory limit on a loaded machine."""
ROOMY = {"max_execution_time": 5.0, "max_memory_bytes": 64 * 1024 * 1024}

TIMEOUT = expect(ErrorType.TIMEOUT, text="time limit")
MEMORY = expect(ErrorType.MEMORY_LIMIT, text="memory limit")
CPU_OR_MEMORY = expect(ErrorType.MEMORY_LIMIT, ErrorType.TIMEOUT, text="limit")
UNRESOLVED = expect(ErrorType.COMPILATION, text="unresolved reference")
ZY_UNKNOWN = expect(ErrorType.EXECUTION, text="not found")


def script(
    category: str,
    name: str,
    via: Via,
    control: str,
    attack: str,
    blocked: Expect,
    *,
    limits: Mapping[str, Any] | None = None,
    control_limits: Mapping[str, Any] | None = None,
    functions: tuple[str, ...] = (),
    control_result: Any = ANY,
    input: Mapping[str, Any] | None = None,
    control_input: Mapping[str, Any] | None = None,
) -> Probe:
    if limits is None and category.startswith("dos"):
        limits = MEMORY_DOS if blocked == MEMORY else DOS
    limits = limits or {}
    return Probe(
        f"{name} ({via.value})", category, via,
        Step(attack, input or {}, limits, functions), blocked,
        Step(control, control_input or input or {},
             limits if control_limits is None else control_limits, functions),
        SUCCEEDS if control_result is ANY else Expect((OK,), result=control_result),
    )


def _zy_loop(body: str, bound: str = "true") -> str:
    return f"(for [(def i 0) {bound} (set i (+ i 1))] {body})"


_RAW_DOUBLE = "(set r (raw (concat (raw2str r) (raw2str r))))"


def _zy_tree(depth: int) -> str:
    return f"(def a [1])\n{_zy_loop('(set a [a a])', f'(< i {depth})')}\n"


_LANGUAGE: tuple[Probe, ...] = (
    # Tengo: identifiers of the host do not exist; dunders are never attributes
    script("language", "the os module", T, TEXT + 'result := text.to_lower("A")',
           'os := import("os")\nresult := os.getenv("HOME")',
           expect(ErrorType.COMPILATION, text="not found")),
    script("language", "a module outside the allowlist", T,
           JSON + "result := json.encode(1)", JSON + "result := json.encode(1)",
           expect(ErrorType.COMPILATION, text="json"),
           limits={"allowed_packages": ("text",)}, control_limits={}),
    script("language", "Python's open", T, 'result := len("abc")',
           'result := open("/etc/passwd")', UNRESOLVED),
    script("language", "Python's __import__", T, "result := type_name(1)",
           'result := __import__("os")', UNRESOLVED),
    script("language", "Python's eval", T, "result := string(1 + 1)",
           'result := eval("1 + 1")', UNRESOLVED),
    script("language", "__builtins__", T, "result := is_int(1)", "result := __builtins__",
           UNRESOLVED),
    script("language", "__name__ of the module", T, "result := 1", "result := __name__",
           UNRESOLVED),
    script("language", "dunder selector on a string", T, 'x := {a: 1}\nresult := x.a',
           'x := "a"\nresult := x.__class__', expect(ErrorType.EXECUTION, text="invalid index")),
    script("language", "__class__ as a map key string", T, 'x := {a: 1}\nresult := x["a"]',
           'x := {}\nresult := x["__class__"]', expect(OK, result=None), control_result=1),
    script("language", "__dict__ of a module", T,
           TEXT + "result := is_callable(text.split)", TEXT + 'result := text["__dict__"]',
           expect(OK, result=None)),
    script("language", "__loader__ of a module", T, FMT + 'result := fmt.sprintf("%d", 1)',
           FMT + "result := fmt.__loader__", expect(OK, result=None)),
    script("language", "__globals__ of a function", T, "f := func() { return 1 }\nresult := f()",
           "f := func() { return 1 }\nresult := f.__globals__", expect(ErrorType.EXECUTION)),
    script("language", "__self__ of a builtin", T, 'result := len("ab")',
           "result := len.__self__", expect(ErrorType.EXECUTION, text="not indexable")),
    script("language", "__traceback__ of an error", T, 'e := error("x")\nresult := e.value',
           'e := error("x")\nresult := e.__traceback__',
           expect(ErrorType.EXECUTION, text="invalid index")),
    script("language", "Python format string {0.__class__}", T, 'result := format("%d", 1)',
           'result := format("{0.__class__.__mro__}", 1)',
           expect(OK, text="{0.__class__.__mro__}"), control_result="1"),
    script("language", "Python %(name)s format", T, FMT + 'result := fmt.sprintf("%s", "x")',
           FMT + 'result := fmt.sprintf("%(x)s {0.__globals__}", {x: 1})',
           expect(OK, text=("{0.__globals__}", "x)s")), control_result="x"),
    script("language", "%v of a builtin", T, 'result := format("%v", 1)',
           'result := format("%v", len)', expect(OK, result="<builtin-function>")),
    script("language", "__builtins__ reassigned", T,
           'f := func() { return len("x") }\nresult := [f(), len("ab")]',
           '__builtins__ := {open: 1}\nf := func() { return len("x") }\n'
           'result := [f(), len("ab")]', expect(OK, result=[1, 2]), control_result=[1, 2]),
    script("language", "dunder names as map keys", T,
           "m := {a: 1, b: 2}\nresult := [m.a, m[\"b\"]]",
           'm := {__globals__: 1, __class__: 2}\nresult := [m.__globals__, m["__class__"]]',
           expect(OK, result=[1, 2]), control_result=[1, 2]),
    # Zygomys: symbols, fields and forms built at run time never reach Python
    script("language", "__builtins__ redefined", Z,
           '(defn f [] (len "x"))\n(def result [(f) (len "ab")])',
           '(def __builtins__ (hash))\n(defn f [] (len "x"))\n(def result [(f) (len "ab")])',
           expect(OK, result=[1, 2]), control_result=[1, 2]),
    script("language", "dunder names as hash fields", Z,
           "(def h (hash a:1 b:2))\n(def result [h.a (hget h b:)])",
           "(def h (hash __class__:1 __globals__:2))\n"
           "(def result [h.__class__ (hget h __globals__:)])",
           expect(OK, result=[1, 2]), control_result=[1, 2]),
    script("language", "hget __class__", Z, '(def x (hash "a" 1))\n(def result (hget x "a"))',
           '(def x (hash "a" 1))\n(def result (hget x "__class__"))',
           expect(ErrorType.EXECUTION, text="no field")),
    script("language", "dot selector __class__", Z, "(def x (hash a:1))\n(def result x.a)",
           "(def x (hash a:1))\n(def result x.__class__.__bases__)",
           expect(ErrorType.EXECUTION, text="no field")),
    script("language", "__globals__ of a function", Z, "(defn f [] 1)\n(def result (f))",
           "(defn f [] 1)\n(def result f.__globals__)",
           expect(ErrorType.EXECUTION, text="cannot access field")),
    script("language", "Python's __import__", Z, '(def result (len "ab"))',
           '(def result (__import__ "os"))', ZY_UNKNOWN),
    script("language", "Python's getattr", Z, "(def result (type? 1))",
           '(def result (getattr 1 "__class__"))', ZY_UNKNOWN),
    script("language", "eval of read text calling __import__", Z,
           '(def result (eval (read "(+ 1 2)")))',
           '(def result (eval (read "(__import__ \\"os\\")")))', ZY_UNKNOWN),
    script("language", "eval of a built form calling open", Z,
           '(def result (eval (list (str2sym "+") 1 2)))',
           '(def result (eval (list (str2sym "open") "/etc/passwd")))', ZY_UNKNOWN),
    script("language", "str2sym __builtins__", Z,
           '(def result ((eval (str2sym "sprintf")) "%d" 1))',
           '(def result (eval (str2sym "__builtins__")))', ZY_UNKNOWN),
    script("language", "str2sym of a dotted dunder", Z,
           '(def result ((eval (str2sym "sprintf")) "%d" 1))',
           '(def result (eval (str2sym "sprintf.__globals__")))',
           expect(ErrorType.EXECUTION, text="cannot access field")),
    script("language", "macro expanding to __import__", Z,
           '(defmac m [] (list (str2sym "+") 1 2))\n(def result (m))',
           '(defmac m [] (list (str2sym "__import__") "os"))\n(def result (m))', ZY_UNKNOWN),
    script("language", "os.system as a dotted symbol", Z, '(def result (sprintf "%d" 1))',
           '(def result (os.system "id"))', ZY_UNKNOWN),
    script("language", "Python format string {0.__class__}", Z,
           '(def result (sprintf "%d" 1))', '(def result (sprintf "{0.__class__} %(x)s" 1))',
           expect(OK, text=("{0.__class__}", "x)s")), control_result="1"),
    script("language", "%v of a builtin", Z, '(def result (sprintf "%v" 1))',
           '(def result (sprintf "%v" sprintf))', expect(OK, result="fn [sprintf]")),
    script("language", "the os module", Z, "(def result 1)", '(import "os")',
           expect(ErrorType.COMPILATION, text="not found")),
)

_CPU: tuple[Probe, ...] = (
    script("dos-cpu", "infinite loop", T, "n := 0\nfor i := 0; i < 1000; i++ { n += i }",
           "for {}", TIMEOUT),
    script("dos-cpu", "infinite loop", Z, _zy_loop("1", "(< i 1000)"), _zy_loop("1"), TIMEOUT),
    script("dos-cpu", "deep recursion", T,
           "f := 0\nf = func(n) { if n == 0 { return 0 }; return 1 + f(n - 1) }\nresult := f(100)",
           "f := 0\nf = func(n) { return 1 + f(n + 1) }\nresult := f(0)",
           expect(ErrorType.EXECUTION, text="stack overflow")),
    script("dos-cpu", "deep recursion", Z,
           "(defn f [n] (cond (== n 0) 0 (+ 1 (f (- n 1)))))\n(def result (f 100))",
           "(defn f [n] (+ 1 (f (+ n 1))))\n(def result (f 0))",
           expect(ErrorType.EXECUTION, text="stack overflow")),
    script("dos-cpu", "parser nesting bomb", T, "result := " + "(" * 20 + "1" + ")" * 20,
           "result := " + "(" * 5000 + "1" + ")" * 5000,
           expect(ErrorType.INVALID_SYNTAX, text="nest")),
    script("dos-cpu", "parser nesting bomb", Z, "(def result " + "(+ 1 " * 20 + "1" + ")" * 21,
           "(def result " + "(+ 1 " * 5000 + "1" + ")" * 5001,
           expect(ErrorType.EXECUTION, ErrorType.INVALID_SYNTAX, text="")),
    script("dos-cpu", "compile bomb (huge script)", T,  # compiling is outside soft limits
           "\n".join(f"v{i} := {i}" for i in range(20)),
           "\n".join(f"v{i} := {i}" for i in range(40_000)),
           expect(ErrorType.TIMEOUT, ErrorType.MEMORY_LIMIT, text="killed")),
    script("dos-cpu", "compile bomb (huge script)", Z,
           "\n".join(f"(def v{i} {i})" for i in range(20)),
           "\n".join(f"(def v{i} {i})" for i in range(40_000)),
           expect(ErrorType.TIMEOUT, ErrorType.MEMORY_LIMIT, text="killed")),
    # Catastrophic backtracking patterns run in linear time: the answer comes in time.
    script("dos-cpu", "regex bomb (a+)+$", T,
           TEXT + 'result := text.re_match("(a+)+$", "aaab")',
           TEXT + 'result := text.re_match("(a+)+$", text.repeat("a", 20000) + "b")',
           expect(OK, result=False), limits={"max_execution_time": 3.0}, control_result=False),
    script("dos-cpu", "regex bomb (x+x+)+y", T,
           TEXT + 'result := text.re_find("(x+x+)+y", "xxy")',
           TEXT + 'result := text.re_find("(x+x+)+y", text.repeat("x", 20000))',
           expect(OK, result=None), limits={"max_execution_time": 3.0}),
    script("dos-cpu", "regex bomb in re_replace", T,
           TEXT + 'result := text.re_replace("(a|aa)+c", "aac", "-")',
           TEXT + 'result := len(text.re_replace("(a|aa)+c", text.repeat("a", 20000), "-"))',
           expect(OK, result=20000), limits={"max_execution_time": 3.0}, control_result="-"),
    script("dos-cpu", "regex bomb (a+)+$", Z,
           '(def result (regexpMatch (regexpCompile "(a+)+$") "aaab"))',
           '(def s (sprintf "%020000d" 0))\n'
           '(def result (regexpMatch (regexpCompile "(0+)+$") (concat s "b")))',
           expect(OK, result=False), limits={"max_execution_time": 3.0}, control_result=False),
    script("dos-cpu", "regex bomb (x+x+)+y", Z,
           '(def result (regexpFind (regexpCompile "(x+x+)+y") "xxy"))',
           '(def s (sprintf "%020000d" 0))\n'
           '(def result (len (regexpFindIndex (regexpCompile "(0+0+)+y") s)))',
           expect(OK, result=0), limits={"max_execution_time": 3.0}),
)

def _t_grow(item: str, n: str = "true") -> str:
    body = f"a = append(a, {item})"
    return f"a := []\nfor i := 0; {n}; i++ {{ {body} }}\nresult := len(a)"


_MEMORY: tuple[Probe, ...] = (
    script("dos-memory", "growing array (append)", T, _t_grow('"0123456789abcdef"', "i < 1000"),
           _t_grow('"0123456789abcdef"'), MEMORY),
    script("dos-memory", "append of itself (spread)", T,
           "a := [1]\nfor i := 0; i < 5; i++ { a = append(a, a...) }\nresult := len(a)",
           "a := [1]\nfor { a = append(a, a...) }", MEMORY),
    script("dos-memory", "doubling string (+)", T,
           's := "ab"\nfor i := 0; i < 10; i++ { s = s + s }\nresult := len(s)',
           's := "ab"\nfor { s = s + s }', MEMORY),
    script("dos-memory", "doubling array (+)", T,
           "a := [1]\nfor i := 0; i < 10; i++ { a = a + a }\nresult := len(a)",
           "a := [1]\nfor { a = a + a }", MEMORY),
    script("dos-memory", "doubling bytes (+)", T,
           "b := bytes(10)\nfor i := 0; i < 10; i++ { b = b + b }\nresult := len(b)",
           "b := bytes(100)\nfor { b = b + b }", MEMORY),
    script("dos-memory", "growing map", T,
           "m := {}\nfor i := 0; i < 1000; i++ { m[string(i)] = i }\nresult := len(m)",
           "m := {}\nfor i := 0; true; i++ { m[string(i)] = i }", MEMORY),
    script("dos-memory", "splice growth", T,
           "a := [1]\nfor i := 0; i < 5; i++ { a = splice(a, 0, 0, a...) }\nresult := len(a)",
           "a := [1]\nfor { a = splice(a, 0, 0, a...) }", CPU_OR_MEMORY),
    script("dos-memory", "copy growth", T,
           "a := [1]\nfor i := 0; i < 5; i++ { a = [a, copy(a)] }\nresult := len(a)",
           "a := [1]\nfor i := 0; i < 40; i++ { a = [a, copy(a)] }", CPU_OR_MEMORY),
    script("dos-memory", "text.repeat", T, TEXT + 'result := len(text.repeat("x", 1000))',
           TEXT + 'result := text.repeat("x", 1 << 40)', MEMORY),
    script("dos-memory", "text.pad_left", T, TEXT + 'result := len(text.pad_left("x", 100, " "))',
           TEXT + 'result := text.pad_left("x", 1 << 40, " ")', MEMORY),
    script("dos-memory", "text.pad_right", T,
           TEXT + 'result := len(text.pad_right("x", 100, " "))',
           TEXT + 'result := text.pad_right("x", 1 << 40, " ")', MEMORY),
    script("dos-memory", "text.join", T, TEXT + 'result := len(text.join(["a", "b"], "--"))',
           TEXT + _t_grow('"xxxxxxxxxxxxxxxx"', "i < 100000")
           + '\nresult = len(text.join(a, text.repeat("y", 1000)))', MEMORY),
    script("dos-memory", "text.replace amplification", T,
           TEXT + 'result := len(text.replace("aaa", "a", "bb", -1))',
           TEXT + 'result := len(text.replace(text.repeat("a", 100000), "a", '
           'text.repeat("b", 1000), -1))', MEMORY),
    script("dos-memory", "text.re_replace amplification", T,
           TEXT + 'result := len(text.re_replace("a", "aaa", "bb"))',
           TEXT + 'result := len(text.re_replace("a", text.repeat("a", 200000), '
           'text.repeat("b", 1000)))', CPU_OR_MEMORY),
    script("dos-memory", "text.split into many parts", T,
           TEXT + 'result := len(text.split("a,b,c", ","))',
           TEXT + 'result := len(text.split(text.repeat("a,", 3000000), ","))', MEMORY),
    script("dos-memory", "format width", T, 'result := len(format("%5d", 1))',
           _t_grow('format("%999999d", 1)'), MEMORY),
    script("dos-memory", "fmt.sprintf width", T, FMT + 'result := len(fmt.sprintf("%5d", 1))',
           FMT + _t_grow('fmt.sprintf("%999999d", 1)'), MEMORY),
    script("dos-memory", "range of 2^40", T, "result := len(range(0, 1000))",
           "result := len(range(0, 1 << 40))", MEMORY),
    script("dos-memory", "bytes(2^40)", T, "result := len(bytes(100))", "result := bytes(1 << 40)",
           expect(ErrorType.EXECUTION, text="bytes size limit")),
    script("dos-memory", "base64 growth", T,
           'base64 := import("base64")\nresult := len(base64.encode("abc"))',
           'base64 := import("base64")\n' + TEXT
           + 's := text.repeat("a", 1000000)\nfor { s = base64.encode(s) }', MEMORY),
    script("dos-memory", "hex growth", T, 'hex := import("hex")\nresult := hex.encode("ab")',
           'hex := import("hex")\n' + TEXT
           + 's := text.repeat("a", 1000000)\nfor { s = hex.encode(s) }', MEMORY),
    script("dos-memory", "json.encode of a shared tree", T,
           JSON + "a := [1]\nfor i := 0; i < 5; i++ { a = [a, a] }\nresult := len(json.encode(a))",
           JSON + "a := [1]\nfor i := 0; i < 200; i++ { a = [a, a] }\nresult := len(json.encode(a))",
           CPU_OR_MEMORY),
    script("dos-memory", "json.encode of deep nesting", T,
           JSON + "a := 1\nfor i := 0; i < 10; i++ { a = [a] }\nresult := len(json.encode(a))",
           JSON + "a := 1\nfor i := 0; i < 20000; i++ { a = [a] }\nresult := json.encode(a)",
           expect(OK, result={"error": "exceeded max depth"})),
    script("dos-memory", "string() of deep nesting", T,
           "a := 1\nfor i := 0; i < 10; i++ { a = [a] }\nresult := len(string(a))",
           "a := 1\nfor i := 0; i < 20000; i++ { a = [a] }\nresult := string(a)",
           expect(ErrorType.EXECUTION, text="stack overflow")),
    script("dos-memory", "json.decode of huge input", T,
           JSON + 'result := len(json.decode("[1,2,3]"))',
           JSON + TEXT + 'result := len(json.decode("[" + text.repeat("1,", 2000000) + "1]"))',
           CPU_OR_MEMORY),
    script("dos-memory", "json.decode of deep nesting", T,
           JSON + 'result := json.decode("[[1]]")',
           JSON + TEXT + 'result := json.decode(text.repeat("[", 100000) + '
           'text.repeat("]", 100000))',
           expect(OK, result={"error": "invalid character '[' exceeded max depth"})),
    script("dos-memory", "string() of a shared tree", T,
           "a := [1]\nfor i := 0; i < 5; i++ { a = [a, a] }\nresult := len(string(a))",
           "a := [1]\nfor i := 0; i < 40; i++ { a = [a, a] }\nresult := len(string(a))",
           CPU_OR_MEMORY),
    script("dos-memory", "fmt.sprintf %v of a shared tree", T,
           FMT + "a := [1]\nfor i := 0; i < 5; i++ { a = [a, a] }\n"
           'result := len(fmt.sprintf("%v", a))',
           FMT + "a := [1]\nfor i := 0; i < 40; i++ { a = [a, a] }\n"
           'result := len(fmt.sprintf("%v", a))', CPU_OR_MEMORY),
    script("dos-memory", "result bigger than a frame", T,
           TEXT + 'result := len(text.repeat("r", 9000000))',
           TEXT + 'result := text.repeat("r", 9000000)',
           expect(ErrorType.EXECUTION, text="frame cap"), limits=ROOMY),
    script("dos-memory", "huge input variable", T, "result := len(data)", "result := len(data)",
           expect(ErrorType.EXECUTION, text="input variable"), limits={},
           input={"data": "$huge_input"}, control_input={"data": [1, 2, 3]}),
    # Zygomys
    script("dos-memory", "makeArray of 2^40", Z, "(def result (len (makeArray 10)))",
           "(def result (makeArray 1099511627776))", MEMORY),
    script("dos-memory", "growing array (append)", Z,
           "(def a [])\n" + _zy_loop('(set a (append a "0123456789abcdef"))', "(< i 100)"),
           "(def a [])\n" + _zy_loop('(set a (append a "0123456789abcdef"))'), CPU_OR_MEMORY),
    script("dos-memory", "appendslice doubling", Z,
           "(def a [1])\n" + _zy_loop("(set a (appendslice a a))", "(< i 5)"),
           "(def a [1])\n" + _zy_loop("(set a (appendslice a a))"), MEMORY),
    script("dos-memory", "concat doubling string", Z,
           '(def s "ab")\n' + _zy_loop("(set s (concat s s))", "(< i 5)"),
           '(def s "ab")\n' + _zy_loop("(set s (concat s s))"), MEMORY),
    script("dos-memory", "concat doubling list", Z,
           "(def l (list 1 2))\n" + _zy_loop("(set l (concat l l))", "(< i 5)"),
           "(def l (list 1 2))\n" + _zy_loop("(set l (concat l l))"), CPU_OR_MEMORY),
    script("dos-memory", "raw bytes doubling", Z,
           '(def r (raw "ab"))\n' + _zy_loop(_RAW_DOUBLE, "(< i 5)"),
           '(def r (raw "ab"))\n' + _zy_loop(_RAW_DOUBLE), CPU_OR_MEMORY),
    script("dos-memory", "growing hash", Z, "(def h (hash))\n" + _zy_loop("(hset h i i)", "(< i 100)"),
           "(def h (hash))\n" + _zy_loop("(hset h i i)"), CPU_OR_MEMORY),
    script("dos-memory", "growing list (cons)", Z,
           "(def l (list))\n" + _zy_loop("(set l (cons i l))", "(< i 100)"),
           "(def l (list))\n" + _zy_loop("(set l (cons i l))"), CPU_OR_MEMORY),
    script("dos-memory", "sprintf width", Z, '(def result (len (sprintf "%5d" 1)))',
           "(def a [])\n" + _zy_loop('(set a (append a (sprintf "%999999d" 1)))'), MEMORY),
    script("dos-memory", "base64 growth", Z, '(def result (base64 (raw "ab")))',
           '(def r (raw (sprintf "%0999999d" 0)))\n' + _zy_loop("(set r (raw (base64 r)))"),
           CPU_OR_MEMORY),
    script("dos-memory", "json of a shared tree", Z, _zy_tree(5) + "(def result (len (raw2str (json a))))",
           _zy_tree(40) + "(def result (len (raw2str (json a))))", CPU_OR_MEMORY),
    script("dos-memory", "json of deep nesting", Z, _zy_tree(5) + "(def result (len (raw2str (json a))))",
           _zy_tree(200) + "(def result (len (raw2str (json a))))",
           expect(ErrorType.EXECUTION, text="nested too deeply")),
    script("dos-memory", "str of a shared tree", Z, _zy_tree(5) + "(def result (len (str a)))",
           _zy_tree(40) + "(def result (len (str a)))", CPU_OR_MEMORY),
    script("dos-memory", "sprintf %v of a shared tree", Z,
           _zy_tree(5) + '(def result (len (sprintf "%v" a)))',
           _zy_tree(40) + '(def result (len (sprintf "%v" a)))', CPU_OR_MEMORY),
    script("dos-memory", "unjson of deep nesting", Z,
           '(def result (unjson (raw "[[1]]")))',
           '(def s "[")\n' + _zy_loop("(set s (concat s s))", "(< i 17)")
           + "\n(def result (unjson (raw s)))",
           expect(ErrorType.EXECUTION, text="unjson error: JSON nested too deeply")),
    script("dos-memory", "unjson of huge input", Z,
           "(def result (len (unjson (json (makeArray 10 1)))))",
           "(def result (len (unjson (json (makeArray 2000000 1)))))", MEMORY),
)

_QUOTA: tuple[Probe, ...] = (
    script("dos-quota", "log flood", T, 'for i := 0; i < 100; i++ { log("line") }',
           'for { log("flood flood flood flood") }', CPU_OR_MEMORY),
    script("dos-quota", "log flood", Z, _zy_loop('(println "line")', "(< i 100)"),
           _zy_loop('(println "flood flood flood flood")'), CPU_OR_MEMORY),
    script("dos-quota", "log volume", T,
           TEXT + 'for i := 0; i < 10; i++ { log(text.repeat("z", 1000)) }',
           TEXT + 'for i := 0; i < 1000; i++ { log(text.repeat("z", 60000)) }', MEMORY),
    script("dos-quota", "log volume", Z,
           '(def s (sprintf "%01000d" 0))\n' + _zy_loop("(println s)", "(< i 10)"),
           '(def s (sprintf "%060000d" 0))\n' + _zy_loop("(println s)", "(< i 1000)"), MEMORY),
    script("dos-quota", "publish flood", T, 'for i := 0; i < 10; i++ { publish("t", i) }',
           'for { publish("t", 1) }', expect(ErrorType.EXECUTION, text="host call quota"),
           limits={"max_execution_time": 2.0}),
    script("dos-quota", "publish flood", Z, _zy_loop('(publish "t" i)', "(< i 10)"),
           _zy_loop('(publish "t" i)'), expect(ErrorType.EXECUTION, text="host call quota"),
           limits={"max_execution_time": 2.0}),
    script("dos-quota", "publish payload over quota", T,
           TEXT + 'publish("t", text.repeat("p", 1000))',
           TEXT + 'publish("t", text.repeat("p", 2000000))',
           expect(ErrorType.EXECUTION, text="payload quota"), limits=ROOMY),
    script("dos-quota", "publish payload over quota", Z,
           '(publish "t" (sprintf "%01000d" 0))', '(publish "t" (sprintf "%02000000d" 0))',
           expect(ErrorType.EXECUTION, text="payload quota"), limits=ROOMY),
    script("dos-quota", "host function call flood", T,
           "for i := 0; i < 10; i++ { roll_dice(20) }", "for { roll_dice(20) }",
           expect(ErrorType.EXECUTION, text="host call quota"),
           limits={"max_execution_time": 2.0, "exposed_functions": ("roll_dice",)},
           functions=("roll_dice",)),
    script("dos-quota", "host function call flood", Z,
           _zy_loop("(roll_dice 20)", "(< i 10)"), _zy_loop("(roll_dice 20)"),
           expect(ErrorType.EXECUTION, text="host call quota"),
           limits={"max_execution_time": 2.0, "exposed_functions": ("roll_dice",)},
           functions=("roll_dice",)),
    script("dos-quota", "host function payload over quota", T,
           TEXT + 'result := len(echo(text.repeat("p", 1000)))',
           TEXT + 'result := len(echo(text.repeat("p", 2000000)))',
           expect(ErrorType.EXECUTION, text="payload quota"),
           limits={**ROOMY, "exposed_functions": ("echo",)}, functions=("echo",)),
    script("dos-quota", "host function not exposed", T, "result := roll_dice(20)",
           "result := roll_dice(20)", UNRESOLVED,
           limits={"exposed_functions": ("log",)},
           control_limits={"exposed_functions": ("roll_dice",)}, functions=("roll_dice",)),
    script("dos-quota", "host function not exposed", Z, "(def result (roll_dice 20))",
           "(def result (roll_dice 20))", ZY_UNKNOWN,
           limits={"exposed_functions": ("log",)},
           control_limits={"exposed_functions": ("roll_dice",)}, functions=("roll_dice",)),
)

SCRIPT_PROBES: tuple[Probe, ...] = (*_LANGUAGE, *_CPU, *_MEMORY, *_QUOTA)
