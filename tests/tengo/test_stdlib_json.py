"""Tengo's `json` module: Go Tengo's encoder, decoder, indent and html_escape.

Every string in PINNED is what the real Go Tengo CLI (d5/tengo v2, Go 1.19) printed for the
same call, as `type_name(r) + "|" + String(r)` with map keys sorted; "!msg" is a runtime
error (Tengo's "in call to ..." context removed).
"""

from __future__ import annotations

from typing import Any

import pytest

from scriptvisor.engines import limits
from scriptvisor.engines.limits import MemoryLimitExceeded
from scriptvisor.engines.tengo.stdlib import BUILTIN_MODULES
from scriptvisor.engines.tengo.stdlib import json as tjson
from scriptvisor.engines.tengo.values import (
    Array,
    Char,
    Error,
    ImmutableArray,
    ImmutableMap,
    RuntimeErr,
    go_string,
    type_name,
)

JSON = BUILTIN_MODULES["json"]()
TIMES = BUILTIN_MODULES["times"]()
NAN, INF = float("nan"), float("inf")


def FN() -> None:
    """A function value: Tengo's encoder writes nothing for it."""


def canon(v: Any) -> str:
    """Tengo's String() of v with map keys sorted (Go prints maps in random order)."""
    t = type(v)
    if t is dict or t is ImmutableMap:
        d = v if t is dict else v.d
        return "{" + ", ".join(f"{k}: {canon(d[k])}" for k in sorted(d)) + "}"
    if t is Array or t is ImmutableArray:
        return "[" + ", ".join(canon(e) for e in v.values()) + "]"
    if t is Error:
        return "error: " + canon(v.value)
    return go_string(Array([v]))[1:-1]


def call(fn: str, args: tuple[Any, ...]) -> str:
    try:
        result = JSON[fn](*args)
    except RuntimeErr as e:
        return "!" + str(e)
    return f"{type_name(result)}|{canon(result)}"


# (function, arguments, Go Tengo's result)
PINNED: list[tuple[str, tuple[Any, ...], str]] = [
    ('encode', (3.0,), 'bytes|3'),
    ('encode', (3.5,), 'bytes|3.5'),
    ('encode', (1,), 'bytes|1'),
    ('encode', (-0.0,), 'bytes|-0'),
    ('encode', (1e+21,), 'bytes|1e+21'),
    ('encode', (1e+20,), 'bytes|100000000000000000000'),
    ('encode', (1e-07,), 'bytes|1e-7'),
    ('encode', (1.5e-09,), 'bytes|1.5e-9'),
    ('encode', (123456789.125,), 'bytes|123456789.125'),
    ('encode', (NAN,), 'error|error: "unsupported float value"'),
    ('encode', (INF,), 'error|error: "unsupported float value"'),
    ('encode', (Array([1, NAN]),), 'error|error: "unsupported float value"'),
    ('encode', ('a<b>&c',), 'bytes|"a<b>&c"'),
    ('encode', ('quote" back\\ nl\n tab\t cr\r nul\x00 bell\x07 del\x7f',), 'bytes|"quote\\" back\\\\ nl\\n tab\\t cr\\r nul\\u0000 bell\\u0007 del\x7f"'),
    ('encode', ('é\u2028😀',), 'bytes|"é\u2028😀"'),
    ('encode', ('\udcff',), 'bytes|"\udcff"'),
    ('encode', (True,), 'bytes|true'),
    ('encode', (False,), 'bytes|false'),
    ('encode', (None,), 'bytes|null'),
    ('encode', (Char(97),), 'bytes|97'),
    ('encode', (b'hello',), 'bytes|"aGVsbG8="'),
    ('encode', (b'',), 'bytes|""'),
    ('encode', (Array([1, 'a', None, True]),), 'bytes|[1,"a",null,true]'),
    ('encode', (Array([]),), 'bytes|[]'),
    ('encode', ({},), 'bytes|{}'),
    ('encode', ({'a': 1},), 'bytes|{"a":1}'),
    ('encode', (ImmutableArray([1, 2]),), 'bytes|[1,2]'),
    ('encode', (ImmutableMap({'k': 'v'}),), 'bytes|{"k":"v"}'),
    ('encode', (Error('x'),), 'bytes|'),
    ('encode', (Array([1, Error('x'), 2]),), 'bytes|[1,,2]'),
    ('encode', ({'e': Error(1)},), 'bytes|{"e":}'),
    ('encode', (FN,), 'bytes|'),
    ('encode', (Array([FN, 1]),), 'bytes|[,1]'),
    ('encode', ({'k"ey': 1},), 'bytes|{"k\\"ey":1}'),
    ('encode', (9223372036854775807,), 'bytes|9223372036854775807'),
    ('encode', (Array([Array([Array([])])]),), 'bytes|[[[]]]'),
    ('encode', (), '!wrong number of arguments'),
    ('encode', (1, 2), '!wrong number of arguments'),
    ('decode', ('{"a": 1, "b": [1, 2.5, "x", true, false, null]}',), 'map|{a: 1, b: [1, 2.5, "x", true, false, <undefined>]}'),
    ('decode', ('1',), 'int|1'),
    ('decode', ('1.0',), 'float|1'),
    ('decode', ('1e2',), 'float|100'),
    ('decode', ('1E2',), 'float|100'),
    ('decode', ('-0',), 'int|0'),
    ('decode', ('-0.0',), 'float|-0'),
    ('decode', ('12345678901234567890',), 'int|9223372036854775807'),
    ('decode', ('-12345678901234567890',), 'int|-9223372036854775808'),
    ('decode', ('1e999',), 'float|+Inf'),
    ('decode', ('"\\u00e9\\ud83d\\ude00"',), 'string|"é😀"'),
    ('decode', ('"\\ud800"',), 'string|"�"'),
    ('decode', ('"\\ud83d\\u0041"',), 'string|"�A"'),
    ('decode', ('"a\\/b\\"c\\\\"',), 'string|"a/b\\"c\\\\"'),
    ('decode', ('"\\b\\f\\n\\r\\t"',), 'string|"\\b\\f\\n\\r\\t"'),
    ('decode', (b'"\xff"',), 'string|"�"'),
    ('decode', (b'"\xe2\x82"',), 'string|"��"'),
    ('decode', ('',), 'error|error: "unexpected end of JSON input"'),
    ('decode', (' ',), 'error|error: "unexpected end of JSON input"'),
    ('decode', ('{',), 'error|error: "unexpected end of JSON input"'),
    ('decode', ('[',), 'error|error: "unexpected end of JSON input"'),
    ('decode', ('[1,]',), 'error|error: "invalid character \']\' looking for beginning of value"'),
    ('decode', ('[1 2]',), 'error|error: "invalid character \'2\' after array element"'),
    ('decode', ('{"a" 1}',), 'error|error: "invalid character \'1\' after object key"'),
    ('decode', ('{"a":1 "b":2}',), 'error|error: "invalid character \'\\"\' after object key:value pair"'),
    ('decode', ('{1: 2}',), 'error|error: "invalid character \'1\' looking for beginning of object key string"'),
    ('decode', ('01',), 'error|error: "invalid character \'1\' after top-level value"'),
    ('decode', ('1x',), 'error|error: "invalid character \'x\' after top-level value"'),
    ('decode', ('-',), 'error|error: "invalid character \' \' in numeric literal"'),
    ('decode', ('1.',), 'error|error: "invalid character \' \' after decimal point in numeric literal"'),
    ('decode', ('1e',), 'error|error: "invalid character \' \' in exponent of numeric literal"'),
    ('decode', ('1e+',), 'error|error: "invalid character \' \' in exponent of numeric literal"'),
    ('decode', ('tru',), 'error|error: "invalid character \' \' in literal true (expecting \'e\')"'),
    ('decode', ('trux',), 'error|error: "invalid character \'x\' in literal true (expecting \'e\')"'),
    ('decode', ('nul',), 'error|error: "invalid character \' \' in literal null (expecting \'l\')"'),
    ('decode', ('fals',), 'error|error: "invalid character \' \' in literal false (expecting \'e\')"'),
    ('decode', ('NaN',), 'error|error: "invalid character \'N\' looking for beginning of value"'),
    ('decode', ('Infinity',), 'error|error: "invalid character \'I\' looking for beginning of value"'),
    ('decode', ("'a'",), 'error|error: "invalid character \'\\\\\'\' looking for beginning of value"'),
    ('decode', ('"a\nb"',), 'error|error: "invalid character \'\\\\n\' in string literal"'),
    ('decode', ('"\\x"',), 'error|error: "invalid character \'x\' in string escape code"'),
    ('decode', ('"\\u12"',), 'error|error: "invalid character \'\\"\' in \\\\u hexadecimal character escape"'),
    ('decode', ('"\\u12x4"',), 'error|error: "invalid character \'x\' in \\\\u hexadecimal character escape"'),
    ('decode', ('"abc',), 'error|error: "unexpected end of JSON input"'),
    ('decode', ('"\\',), 'error|error: "invalid character \' \' in string escape code"'),
    ('decode', ('é',), 'error|error: "invalid character \'Ã\' looking for beginning of value"'),
    ('decode', (b'\xef\xbb\xbf1',), 'error|error: "invalid character \'ï\' looking for beginning of value"'),
    ('decode', ('[1] [2]',), 'error|error: "invalid character \'[\' after top-level value"'),
    ('decode', (' [1] ',), 'array|[1]'),
    ('decode', ('\t{}\n',), 'map|{}'),
    ('decode', ('+1',), 'error|error: "invalid character \'+\' looking for beginning of value"'),
    ('decode', ('.5',), 'error|error: "invalid character \'.\' looking for beginning of value"'),
    ('decode', ('{"a":1,"a":2}',), 'map|{a: 2}'),
    ('decode', (5,), "!invalid type for argument 'first': expected bytes/string, found int"),
    ('decode', (b'[1,2]',), 'array|[1, 2]'),
    ('decode', ('[[[[[]]]]]',), 'array|[[[[[]]]]]'),
    ('decode', ('[' * 300 + ']' * 299,), 'error|error: "unexpected end of JSON input"'),
    ('decode', ('1' * 5000,), 'int|9223372036854775807'),
    ('decode', ('[111111111111111111111111111111]',), 'array|[9223372036854775807]'),
    ('decode', ('{"\\u00e9": "x"}',), 'map|{é: "x"}'),
    ('decode', ('\xa01',), 'error|error: "invalid character \'Â\' looking for beginning of value"'),
    ('decode', ('[1,\n2]',), 'array|[1, 2]'),
    ('decode', ('}',), 'error|error: "invalid character \'}\' looking for beginning of value"'),
    ('decode', (']',), 'error|error: "invalid character \']\' looking for beginning of value"'),
    ('decode', ('{"a":}',), 'error|error: "invalid character \'}\' looking for beginning of value"'),
    ('decode', ('{"a"',), 'error|error: "unexpected end of JSON input"'),
    ('decode', ('{"a":1,}',), 'error|error: "invalid character \'}\' looking for beginning of object key string"'),
    ('decode', ('[-]',), 'error|error: "invalid character \']\' in numeric literal"'),
    ('decode', ('-01',), 'error|error: "invalid character \'1\' after top-level value"'),
    ('decode', ('["\x01"]',), 'error|error: "invalid character \'\\\\x01\' in string literal"'),
    ('indent', ('{"a":1,"b":[1,2],"c":{},"d":[]}', '', '  '), 'bytes|{\n  "a": 1,\n  "b": [\n    1,\n    2\n  ],\n  "c": {},\n  "d": []\n}'),
    ('indent', ('[1,{"x":[true]}]', '>', '\t'), 'bytes|[\n>\t1,\n>\t{\n>\t\t"x": [\n>\t\t\ttrue\n>\t\t]\n>\t}\n>]'),
    ('indent', ('  1  ', '', ' '), 'bytes|1  '),
    ('indent', ('{"a" : 1}', '', '  '), 'bytes|{\n  "a": 1\n}'),
    ('indent', ('[1,', '', '  '), 'error|error: "unexpected end of JSON input"'),
    ('indent', ('{]', '', '  '), 'error|error: "invalid character \']\' looking for beginning of object key string"'),
    ('indent', (b'[]', '', ''), 'bytes|[]'),
    ('indent', ('["a,b:{c}"]', '', ' '), 'bytes|[\n "a,b:{c}"\n]'),
    ('indent', (5, '', ''), "!invalid type for argument 'first': expected bytes/string, found int"),
    ('indent', ('[]', None, ''), "!invalid type for argument 'prefix': expected string(compatible), found undefined"),
    ('indent', ('[]', '', None), "!invalid type for argument 'indent': expected string(compatible), found undefined"),
    ('indent', ('[1]', 1, 2), 'bytes|[\n121\n1]'),
    ('indent', ('[1]',), '!wrong number of arguments'),
    ('html_escape', ('"<a href=\'x\'>&</a>"',), 'bytes|"\\u003ca href=\'x\'\\u003e\\u0026\\u003c/a\\u003e"'),
    ('html_escape', ('a\u2028b\u2029c',), 'bytes|a\\u2028b\\u2029c'),
    ('html_escape', (b'<>',), 'bytes|\\u003c\\u003e'),
    ('html_escape', (5,), "!invalid type for argument 'first': expected bytes/string, found int"),
    ('html_escape', ('plain',), 'bytes|plain'),
]


@pytest.mark.parametrize(("fn", "args", "expected"), PINNED,
                         ids=[f"{i}-{c[0]}" for i, c in enumerate(PINNED)])
def test_matches_go_tengo(fn: str, args: tuple[Any, ...], expected: str) -> None:
    assert call(fn, args) == expected


def test_time_encodes_as_rfc3339_nano() -> None:
    """Pinned from Go Tengo with the host zone UTC."""
    date = TIMES["date"]
    assert JSON["encode"](date(2020, 1, 2, 3, 4, 5, 6)) == b'"2020-01-02T03:04:05.000000006Z"'
    assert JSON["encode"](Array([date(1999, 12, 31, 23, 59, 59, 120000000)])) == (
        b'["1999-12-31T23:59:59.12Z"]')
    out = JSON["encode"](date(10000, 1, 2, 3, 4, 5, 0))
    assert type(out) is Error and out.value == "Time.MarshalJSON: year outside of range [0,9999]"


def test_map_keys_are_sorted() -> None:
    """Go's order is random; ours is the keys' byte order, so output is reproducible."""
    value = {"b": Array([1, 2]), "a": {"d": None, "c": 1}, "é": 1, "Z": 0}
    assert JSON["encode"](value) == b'{"Z":0,"a":{"c":1,"d":null},"b":[1,2],"\xc3\xa9":1}'


def test_decode_encode_round_trip() -> None:
    doc = b'{"a":[1,2.5,"x",true,false,null],"b":{"c":"\xc3\xa9"},"d":-7}'
    assert JSON["encode"](JSON["decode"](doc)) == doc


def test_deep_nesting_is_decoded_without_recursion() -> None:
    value = JSON["decode"]("[" * 5000 + "7" + "]" * 5000)  # Go Tengo decodes it too
    depth = 0
    while type(value) is Array:
        value, depth = value.get(0), depth + 1
    assert (depth, value) == (5000, 7)


def test_nesting_beyond_go_json_limit_is_an_error_value() -> None:
    """Go Tengo has no limit here (it would need a huge stack); we stop at Go's
    encoding/json limit with its message, as json.indent already does in Go Tengo."""
    out = JSON["decode"]("[" * 10001 + "]" * 10001)
    assert type(out) is Error and out.value == "invalid character '[' exceeded max depth"
    out = JSON["indent"]("[" * 10001 + "]" * 10001, "", "")
    assert type(out) is Error and out.value == "invalid character '[' exceeded max depth"
    assert len(JSON["indent"]("[" * 10000 + "]" * 10000, "", "")) == 39998  # as in Go


def test_cyclic_value_encodes_to_an_error_value() -> None:
    """Go Tengo dies of a stack overflow here; the port returns an error value."""
    arr = Array([1])
    arr.buf[0] = arr
    out = JSON["encode"](arr)
    assert type(out) is Error and out.value == "exceeded max depth"


def test_fast_and_exact_decoders_agree() -> None:
    docs = [b'{"a": [1, 2.5e3, -0, "x\\u00e9\\ud83d\\ude00"], "b": {"c": null}}',
            b'["\\ud800", "\xff", 123456789012345678901234, -1E-2, true]', b'"plain"', b" 42 "]
    for doc in docs:
        assert tjson.check_valid(doc) is None
        assert canon(tjson._parse_valid(doc)) == canon(JSON["decode"](doc))


@pytest.fixture
def small_budget() -> Any:
    saved = limits.budget.max_bytes
    limits.budget.max_bytes = 10_000
    yield
    limits.budget.max_bytes = saved


def test_encode_output_is_budget_checked(small_budget: Any) -> None:
    big = "x" * 4000
    with pytest.raises(MemoryLimitExceeded):
        JSON["encode"](Array([big, big, big]))
    assert JSON["encode"](Array([big])) == b'["' + big.encode() + b'"]'


def test_decode_result_is_budget_checked(small_budget: Any) -> None:
    with pytest.raises(MemoryLimitExceeded):
        JSON["decode"]("[" + ",".join(["1"] * 2000) + "]")
    with pytest.raises(MemoryLimitExceeded):
        JSON["decode"]("[" * 300 + ",".join(["1"] * 2000) + "]" * 300)  # the exact decoder


def test_indent_output_is_budget_checked(small_budget: Any) -> None:
    with pytest.raises(MemoryLimitExceeded):
        JSON["indent"]("[" + ",".join(["1"] * 3000) + "]", "", " " * 10)


def test_functions_are_named_like_go() -> None:
    assert type_name(JSON["indent"]) == "user-function:encode"
    assert type_name(JSON["decode"]) == "user-function:decode"
