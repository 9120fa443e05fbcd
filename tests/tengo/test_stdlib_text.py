"""Tengo's `text` module (Go's strings, strconv and regexp semantics).

Every string in PINNED is what the real Go Tengo CLI (d5/tengo v2, Go 1.19) printed for the
same call, as `type_name(r) + "|" + String(r)` with map keys sorted; "!msg" is a runtime
error (Tengo's "in call to ..." context removed) or a Go panic, which the port turns into a
runtime error with the panic text.
"""

from __future__ import annotations

import time
from typing import Any

import pytest

from scriptvisor.engines import limits
from scriptvisor.engines.limits import MemoryLimitExceeded
from scriptvisor.engines.tengo.stdlib import BUILTIN_MODULES, regex
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

TEXT = BUILTIN_MODULES["text"]()
NAN, INF = float("nan"), float("inf")


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
    return go_string(Array([v]))[1:-1]  # a leaf as an array element: strings quoted


def call(members: dict[str, Any], fn: str, args: tuple[Any, ...]) -> str:
    """Call `fn` ("name" or "ctor.method") like a script and render the outcome."""
    try:
        if "." in fn:
            ctor, method = fn.split(".")
            result = members[ctor](args[0]).d[method](*args[1:])
        else:
            result = members[fn](*args)
    except RuntimeErr as e:
        return "!" + str(e)
    return f"{type_name(result)}|{canon(result)}"


# (function, arguments, Go Tengo's result)
PINNED: list[tuple[str, tuple[Any, ...], str]] = [
    ('re_match', ('^[a-z]+$', 'hello'), 'bool|true'),
    ('re_match', ('^[a-z]+$', 'Hello'), 'bool|false'),
    ('re_match', ('a', 1), 'bool|false'),
    ('re_match', (1, 'a1'), 'bool|true'),
    ('re_match', ('(', 'x'), '!error parsing regexp: missing closing ): `(`'),
    ('re_match', ('\\1', 'x'), '!error parsing regexp: invalid escape sequence: `\\1`'),
    ('re_match', ('a',), '!wrong number of arguments'),
    ('re_match', ('\\d+', None), "!invalid type for argument 'second': expected string(compatible), found undefined"),
    ('re_match', ('(a+)+$', 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!'), 'bool|false'),
    ('re_match', ('(?i)STRASSE', 'strasse'), 'bool|true'),
    ('re_match', ('\\bfoo\\b', 'a foo b'), 'bool|true'),
    ('re_match', ('\\Z', 'x'), '!error parsing regexp: invalid escape sequence: `\\Z`'),
    ('re_match', ('(?=a)', 'x'), '!error parsing regexp: invalid or unsupported Perl syntax: `(?=`'),
    ('re_match', ('(?<=a)b', 'ab'), '!error parsing regexp: invalid or unsupported Perl syntax: `(?<`'),
    ('re_match', ('(?<n>a)', 'a'), '!error parsing regexp: invalid or unsupported Perl syntax: `(?<`'),
    ('re_match', ('a++', 'x'), '!error parsing regexp: invalid nested repetition operator: `++`'),
    ('re_match', ('x{1001}', 'x'), '!error parsing regexp: invalid repeat count: `{1001}`'),
    ('re_match', ('(x{100}){100}', 'x'), '!error parsing regexp: invalid repeat count: `{100}`'),
    ('re_match', ('[z-a]', 'x'), '!error parsing regexp: invalid character class range: `z-a`'),
    ('re_match', ('[a', 'x'), '!error parsing regexp: missing closing ]: `[a`'),
    ('re_match', ('a)', 'x'), '!error parsing regexp: unexpected ): `a)`'),
    ('re_match', ('\\pX', 'x'), '!error parsing regexp: invalid character class range: `\\pX`'),
    ('re_match', ('\\p{Greek}+', 'αβγ'), 'bool|true'),
    ('re_match', ('[[:foo:]]', 'x'), '!error parsing regexp: invalid character class range: `[:foo:]`'),
    ('re_match', ('[[:alpha:]]', '1a'), 'bool|true'),
    ('re_match', ('\\', 'x'), '!error parsing regexp: trailing backslash at end of expression: ``'),
    ('re_match', ('*', 'x'), '!error parsing regexp: missing argument to repetition operator: `*`'),
    ('re_match', ('(?P<>a)', 'x'), '!error parsing regexp: invalid named capture: `(?P<>`'),
    ('re_match', ('(?i)k', 'K'), 'bool|true'),
    ('re_match', ('\\C', 'x'), '!error parsing regexp: invalid escape sequence: `\\C`'),
    ('re_match', ('(?x)a', 'x'), '!error parsing regexp: invalid or unsupported Perl syntax: `(?x`'),
    ('re_match', ('a{,3}', 'a{,3}'), 'bool|true'),
    ('re_match', ('x{2}{3}', 'x'), '!error parsing regexp: invalid nested repetition operator: `{2}{3}`'),
    ('re_match', ('\\8', 'x'), '!error parsing regexp: invalid escape sequence: `\\8`'),
    ('re_match', ('\\x{110000}', 'x'), '!error parsing regexp: invalid escape sequence: `\\x{110000`'),
    ('re_match', ('\\z', 'a\n'), 'bool|true'),
    ('re_match', ('a$', 'a\n'), 'bool|false'),
    ('re_match', ('(?m)a$', 'a\n'), 'bool|true'),
    ('re_match', ('\\pL', '\udcff'), 'bool|false'),
    ('re_match', ('\\x{fffd}', 'a\udcffb'), 'bool|true'),
    ('re_match', ('^.$', '\udcff'), 'bool|true'),
    ('re_match', ('é', b'\xc3\xa9'), 'bool|true'),
    ('re_find', ('a(b)?', 'xa'), 'array|[[{begin: 1, end: 2, text: "a"}]]'),
    ('re_find', ('(\\w+)@(\\w+)', 'bob@ex, al@foo', -1), 'array|[[{begin: 0, end: 6, text: "bob@ex"}, {begin: 0, end: 3, text: "bob"}, {begin: 4, end: 6, text: "ex"}], [{begin: 8, end: 14, text: "al@foo"}, {begin: 8, end: 10, text: "al"}, {begin: 11, end: 14, text: "foo"}]]'),
    ('re_find', ('a', 'aaa', 0), 'undefined|<undefined>'),
    ('re_find', ('a*', 'baaa', -1), 'array|[[{begin: 0, end: 0, text: ""}], [{begin: 1, end: 4, text: "aaa"}]]'),
    ('re_find', ('é(.)', 'xéyéz', -1), 'array|[[{begin: 1, end: 4, text: "éy"}, {begin: 3, end: 4, text: "y"}], [{begin: 4, end: 7, text: "éz"}, {begin: 6, end: 7, text: "z"}]]'),
    ('re_find', ('x', 'abc'), 'undefined|<undefined>'),
    ('re_find', ('(', 'abc'), '!error parsing regexp: missing closing ): `(`'),
    ('re_find', ('a', 5), 'undefined|<undefined>'),
    ('re_find', ('a', 'aaaa', 2), 'array|[[{begin: 0, end: 1, text: "a"}], [{begin: 1, end: 2, text: "a"}]]'),
    ('re_find', ('a', 'aaaa', 'x'), "!invalid type for argument 'third': expected int(compatible), found string"),
    ('re_find', ('(a)|(b)', 'b', -1), 'array|[[{begin: 0, end: 1, text: "b"}, {begin: 0, end: 1, text: "b"}]]'),
    ('re_replace', ('a(x*)', 'caxxb', '$1$$${1}W'), 'string|"cxx$xxWb"'),
    ('re_replace', ('a(x*)', 'caxxb', '$1W'), 'string|"cb"'),
    ('re_replace', ('(?P<n>a)', 'cab', '[$n]'), 'string|"c[a]b"'),
    ('re_replace', ('a', 'aaa', '$'), 'string|"$$$"'),
    ('re_replace', ('a', 'aaa', '${'), 'string|"${${${"'),
    ('re_replace', ('a*', 'baaac', '-'), 'string|"-b-c-"'),
    ('re_replace', ('(', 'x', 'y'), '!error parsing regexp: missing closing ): `(`'),
    ('re_replace', ('é', 'héllo', 'e'), 'string|"hello"'),
    ('re_replace', ('(\\w+) (\\w+)', 'hello world', '$2 $1'), 'string|"world hello"'),
    ('re_replace', ('(a)', 'a', '$01'), 'string|""'),
    ('re_replace', ('(a)', 'a', '${0}${1}'), 'string|"aa"'),
    ('re_replace', ('(a)', 'a', '$2'), 'string|""'),
    ('re_split', ('a*', 'baaab', -1), 'array|["b", "b"]'),
    ('re_split', ('x', '', -1), 'array|[""]'),
    ('re_split', ('', 'abc'), 'array|["a", "b", "c"]'),
    ('re_split', ('', ''), 'array|[]'),
    ('re_split', ('a', 'abc', 0), 'array|[]'),
    ('re_split', (',\\s*', 'a, b,c,   d', 2), 'array|["a", "b,c,   d"]'),
    ('re_split', (',', 'a,b,c'), 'array|["a", "b", "c"]'),
    ('re_split', ('(', 'a'), '!error parsing regexp: missing closing ): `(`'),
    ('re_split', (',', 'a,b,c,', -1), 'array|["a", "b", "c", ""]'),
    ('re_split', ('é', 'aébéc'), 'array|["a", "b", "c"]'),
    ('re_compile', ('a+',), 'immutable-map|{find: <user-function>, match: <user-function>, replace: <user-function>, split: <user-function>}'),
    ('re_compile', ('(',), '!error parsing regexp: missing closing ): `(`'),
    ('re_compile.match', ('^a+$', 'aaa'), 'bool|true'),
    ('re_compile.match', ('^a+$', 'aab'), 'bool|false'),
    ('re_compile.match', ('^a+$',), '!wrong number of arguments'),
    ('re_compile.find', ('a(b)', 'xabyab'), 'array|[[{begin: 1, end: 3, text: "ab"}, {begin: 2, end: 3, text: "b"}]]'),
    ('re_compile.find', ('a(b)', 'xabyab', -1), 'array|[[{begin: 1, end: 3, text: "ab"}, {begin: 2, end: 3, text: "b"}], [{begin: 4, end: 6, text: "ab"}, {begin: 5, end: 6, text: "b"}]]'),
    ('re_compile.find', ('a(b)', 'xyz', -1), 'undefined|<undefined>'),
    ('re_compile.find', ('(a)|b', 'b'), '!runtime error: slice bounds out of range [:-1]'),
    ('re_compile.find', ('(a)|b', 'a', 1), 'array|[[{begin: 0, end: 1, text: "a"}, {begin: 0, end: 1, text: "a"}]]'),
    ('re_compile.replace', ('o', 'foo', '0'), 'string|"f00"'),
    ('re_compile.replace', ('(o)', 'foo', '[$1]'), 'string|"f[o][o]"'),
    ('re_compile.replace', ('o', 'foo'), '!wrong number of arguments'),
    ('re_compile.split', (',', 'a,b,c'), 'array|["a", "b", "c"]'),
    ('re_compile.split', (',', 'a,b,c', 2), 'array|["a", "b,c"]'),
    ('re_compile.split', (',', 12), 'array|["12"]'),
    ('compare', ('a', 'b'), 'int|-1'),
    ('compare', ('b', 'a'), 'int|1'),
    ('compare', ('a', 'a'), 'int|0'),
    ('compare', ('a', 1), 'int|1'),
    ('compare', (1, 'a'), 'int|-1'),
    ('compare', (None, 'a'), "!invalid type for argument 'first': expected string(compatible), found undefined"),
    ('compare', ('a', None), "!invalid type for argument 'second': expected string(compatible), found string"),
    ('compare', ('\udcff', '𐀀'), 'int|1'),
    ('compare', ('é', 'z'), 'int|1'),
    ('contains', ('seafood', 'foo'), 'bool|true'),
    ('contains', ('seafood', ''), 'bool|true'),
    ('contains', ('', ''), 'bool|true'),
    ('contains', ('héllo', 'él'), 'bool|true'),
    ('contains_any', ('failure', 'ui'), 'bool|true'),
    ('contains_any', ('abc', ''), 'bool|false'),
    ('contains_any', ('', ''), 'bool|false'),
    ('contains_any', ('a\udcffb', '�'), 'bool|true'),
    ('count', ('cheese', 'e'), 'int|3'),
    ('count', ('five', ''), 'int|5'),
    ('count', ('aaaa', 'aa'), 'int|2'),
    ('count', ('héé', ''), 'int|4'),
    ('equal_fold', ('Go', 'GO'), 'bool|true'),
    ('equal_fold', ('Straße', 'STRASSE'), 'bool|false'),
    ('equal_fold', ('k', 'K'), 'bool|true'),
    ('equal_fold', ('σ', 'ς'), 'bool|true'),
    ('equal_fold', ('a[', 'A{'), 'bool|false'),
    ('equal_fold', ('ǆ', 'ǅ'), 'bool|true'),
    ('fields', ('  foo bar  baz   ',), 'array|["foo", "bar", "baz"]'),
    ('fields', ('',), 'array|[]'),
    ('fields', (' a\tb\x1cc\xa0d\u2003e ',), 'array|["a", "b\\x1cc", "d", "e"]'),
    ('fields', (5,), 'array|["5"]'),
    ('has_prefix', ('golang', 'go'), 'bool|true'),
    ('has_prefix', ('golang', 'lang'), 'bool|false'),
    ('has_prefix', ('é', '\udcc3'), 'bool|true'),
    ('has_suffix', ('golang', 'ng'), 'bool|true'),
    ('has_suffix', ('golang', ''), 'bool|true'),
    ('index', ('chicken', 'ken'), 'int|4'),
    ('index', ('chicken', 'dmr'), 'int|-1'),
    ('index', ('héllo', 'l'), 'int|3'),
    ('index', ('abc', ''), 'int|0'),
    ('index_any', ('golang', 'y'), 'int|-1'),
    ('index_any', ('héllo', 'ol'), 'int|3'),
    ('index_any', ('abc', ''), 'int|-1'),
    ('last_index', ('go gopher', 'go'), 'int|3'),
    ('last_index', ('héllo', 'l'), 'int|4'),
    ('last_index', ('abc', ''), 'int|3'),
    ('last_index_any', ('go gopher', 'ordent'), 'int|8'),
    ('last_index_any', ('héllo', 'hé'), 'int|1'),
    ('last_index_any', ('abc', 'xyz'), 'int|-1'),
    ('join', (Array(['a', 'b', 'c']), ', '), 'string|"a, b, c"'),
    ('join', (Array(['a', 1, 2.5, True]), '-'), 'string|"a-1-2.5-true"'),
    ('join', (Array(['a', None]), '-'), "!invalid type for argument 'first[1]': expected string(compatible), found undefined"),
    ('join', ('ab', '-'), "!invalid type for argument 'first': expected array, found string"),
    ('join', (Array([]), '-'), 'string|""'),
    ('join', (ImmutableArray(['x', 'y']), ''), 'string|"xy"'),
    ('join', (Array(['a']), None), "!invalid type for argument 'second': expected string(compatible), found undefined"),
    ('repeat', ('ab', 3), 'string|"ababab"'),
    ('repeat', ('ab', 0), 'string|""'),
    ('repeat', ('ab', -1), '!strings: negative Repeat count'),
    ('repeat', (1, 2), 'string|"11"'),
    ('repeat', ('a', '3'), 'string|"aaa"'),
    ('repeat', ('a', 2.9), 'string|"aa"'),
    ('repeat', ('a', 'x'), "!invalid type for argument 'second': expected int(compatible), found string"),
    ('replace', ('oink oink oink', 'k', 'ky', 2), 'string|"oinky oinky oink"'),
    ('replace', ('oink oink oink', 'oink', 'moo', -1), 'string|"moo moo moo"'),
    ('replace', ('abc', '', '-', -1), 'string|"-a-b-c-"'),
    ('replace', ('abc', '', '-', 2), 'string|"-a-bc"'),
    ('replace', ('abc', 'b', 'b', -1), 'string|"abc"'),
    ('replace', ('abc', 'x', 'y', 0), 'string|"abc"'),
    ('replace', ('héllo', 'é', 'e', -1), 'string|"hello"'),
    ('substr', ('héllo', 1, 3), 'string|"é"'),
    ('substr', ('hello', -5, 2), 'string|"he"'),
    ('substr', ('hello', 3, 1), '!invalid index type'),
    ('substr', ('hello', 2), 'string|"llo"'),
    ('substr', ('hello', 9, 20), 'string|""'),
    ('substr', ('héllo', 2), 'string|"\\xa9llo"'),
    ('substr', ('hello', 1, 2, 3), '!wrong number of arguments'),
    ('split', ('a,b,,c', ','), 'array|["a", "b", "", "c"]'),
    ('split', ('abc', ''), 'array|["a", "b", "c"]'),
    ('split', ('', ','), 'array|[""]'),
    ('split', ('a,b', 1), 'array|["a,b"]'),
    ('split', ('héllo', ''), 'array|["h", "é", "l", "l", "o"]'),
    ('split_after', ('a,b,c', ','), 'array|["a,", "b,", "c"]'),
    ('split_after', ('a,b,c', 1), 'array|["a,b,c"]'),
    ('split_after_n', ('a,b,c,d', ',', 3), 'array|["a,", "b,", "c,d"]'),
    ('split_after_n', ('a,b,c,d', ',', 0), 'array|[]'),
    ('split_after_n', ('a,b', ',', -1), 'array|["a,", "b"]'),
    ('split_n', ('a,b,c,d', ',', 2), 'array|["a", "b,c,d"]'),
    ('split_n', ('a,b,c,d', ',', 0), 'array|[]'),
    ('split_n', ('abc', '', 2), 'array|["a", "bc"]'),
    ('split_n', ('a,b', ',', 'x'), "!invalid type for argument 'third': expected int(compatible), found string"),
    ('title', ('hello wORLD ñandú-x_y z9a',), 'string|"Hello WORLD Ñandú-X_y Z9a"'),
    ('title', ('her royal highness',), 'string|"Her Royal Highness"'),
    ('title', ("a.b'c",), 'string|"A.B\'C"'),
    ('to_lower', ('İSTANBUL Σ',), 'string|"istanbul σ"'),
    ('to_lower', ('HeLLo',), 'string|"hello"'),
    ('to_lower', ('A\udcffB',), 'string|"a�b"'),
    ('to_title', ('straße ǆ',), 'string|"STRAßE ǅ"'),
    ('to_upper', ('straße ǆ ﬀ',), 'string|"STRAßE Ǆ ﬀ"'),
    ('to_upper', ('hello',), 'string|"HELLO"'),
    ('to_upper', ('ᾳ',), 'string|"ᾼ"'),
    ('pad_left', ('é', 4, 'ü'), 'string|"üé"'),
    ('pad_right', ('é', 5, 'ü'), 'string|"éü\\xc3"'),
    ('pad_left', ('abc', 6), 'string|"   abc"'),
    ('pad_left', ('abc', 2, 'x'), 'string|"abc"'),
    ('pad_left', ('abc', 6, ''), 'string|"abc"'),
    ('pad_right', ('ab', 7, 'xyz'), 'string|"abxyzxy"'),
    ('pad_left', ('ab', 7, 'xyz'), 'string|"yzxyzab"'),
    ('pad_left', ('a', -3), 'string|"a"'),
    ('pad_left', ('a',), '!wrong number of arguments'),
    ('pad_right', (12, 5, 0), 'string|"12000"'),
    ('trim', ('xxhixx', 'x'), 'string|"hi"'),
    ('trim', ('  hi  ', ' '), 'string|"hi"'),
    ('trim', ('ééhiéé', 'é'), 'string|"hi"'),
    ('trim', ('abc', ''), 'string|"abc"'),
    ('trim', ('aaa', 'a'), 'string|""'),
    ('trim_left', ('xxhixx', 'x'), 'string|"hixx"'),
    ('trim_right', ('xxhixx', 'x'), 'string|"xxhi"'),
    ('trim_left', ('ééa', 'é'), 'string|"a"'),
    ('trim_prefix', ('prefix-x', 'prefix-'), 'string|"x"'),
    ('trim_prefix', ('x', 'y'), 'string|"x"'),
    ('trim_suffix', ('x.go', '.go'), 'string|"x"'),
    ('trim_suffix', ('x.go', ''), 'string|"x.go"'),
    ('trim_space', (' \t\n hi \r\n',), 'string|"hi"'),
    ('trim_space', ('\x1c a \x85',), 'string|"\\x1c a"'),
    ('trim_space', ('\u3000x\u3000',), 'string|"x"'),
    ('atoi', ('-9223372036854775808',), 'int|-9223372036854775808'),
    ('atoi', ('9223372036854775808',), 'error|error: "strconv.Atoi: parsing \\"9223372036854775808\\": value out of range"'),
    ('atoi', ('+5',), 'int|5'),
    ('atoi', ('',), 'error|error: "strconv.Atoi: parsing \\"\\": invalid syntax"'),
    ('atoi', (5,), 'int|5'),
    ('atoi', ('abc',), 'error|error: "strconv.Atoi: parsing \\"abc\\": invalid syntax"'),
    ('atoi', (' 5',), 'error|error: "strconv.Atoi: parsing \\" 5\\": invalid syntax"'),
    ('atoi', ('1_000',), 'error|error: "strconv.Atoi: parsing \\"1_000\\": invalid syntax"'),
    ('atoi', ('99999999999999999999x',), 'error|error: "strconv.Atoi: parsing \\"99999999999999999999x\\": value out of range"'),
    ('atoi', (1.5,), 'error|error: "strconv.Atoi: parsing \\"1.5\\": invalid syntax"'),
    ('format_bool', (True,), 'string|"true"'),
    ('format_bool', (False,), 'string|"false"'),
    ('format_bool', (1,), "!invalid type for argument 'first': expected bool, found int"),
    ('format_float', (1234.5678, 'e', 3, 64), 'string|"1.235e+03"'),
    ('format_float', (1234.5678, 'g', -1, 32), 'string|"1234.5677"'),
    ('format_float', (0.1, 'f', -1, 32), 'string|"0.1"'),
    ('format_float', (1e+21, 'g', -1, 64), 'string|"1e+21"'),
    ('format_float', (1.0, 'g', 5, 64), 'string|"1"'),
    ('format_float', (123456.0, 'g', 3, 64), 'string|"1.23e+05"'),
    ('format_float', (-0.0, 'f', -1, 64), 'string|"-0"'),
    ('format_float', (1.5, 'x', -1, 64), 'string|"0x1.8p+00"'),
    ('format_float', (1.5, 'b', -1, 64), 'string|"6755399441055744p-52"'),
    ('format_float', (2.5, 'f', 0, 64), 'string|"2"'),
    ('format_float', (3.5, 'f', 0, 64), 'string|"4"'),
    ('format_float', (1.0, 'E', -1, 64), 'string|"1E+00"'),
    ('format_float', (1.5, '', 2, 64), '!runtime error: index out of range [0] with length 0'),
    ('format_float', (1.5, 'z', 2, 64), 'string|"%z"'),
    ('format_float', (1.5, 'f', 2, 16), '!strconv: illegal AppendFloat/FormatFloat bitSize'),
    ('format_float', (1, 'f', 2, 64), "!invalid type for argument 'first': expected float, found int"),
    ('format_float', (NAN, 'f', 2, 64), 'string|"NaN"'),
    ('format_float', (-INF, 'g', -1, 64), 'string|"-Inf"'),
    ('format_float', (1.234e-06, 'g', -1, 64), 'string|"1.234e-06"'),
    ('format_float', (0.0001234, 'g', -1, 64), 'string|"0.0001234"'),
    ('format_float', (100.0, 'e', 0, 64), 'string|"1e+02"'),
    ('format_float', (0.3333333333333333, 'f', 20, 64), 'string|"0.33333333333333331483"'),
    ('format_float', (0.3333333333333333, 'e', 20, 64), 'string|"3.33333333333333314830e-01"'),
    ('format_float', (1e-07, 'f', -1, 64), 'string|"0.0000001"'),
    ('format_float', (5e-324, 'g', -1, 64), 'string|"5e-324"'),
    ('format_float', (5e-324, 'x', -1, 64), 'string|"0x1p-1074"'),
    ('format_float', (1.0, 'x', 0, 64), 'string|"0x1p+00"'),
    ('format_float', (1.96875, 'x', 1, 64), 'string|"0x1.0p+01"'),
    ('format_float', (3.0, 'X', 3, 32), 'string|"0X1.800P+01"'),
    ('format_float', (0.0, 'x', -1, 64), 'string|"0x0p+00"'),
    ('format_float', (1e+100, 'G', 4, 64), 'string|"1E+100"'),
    ('format_float', (123456789.0, 'g', -1, 64), 'string|"1.23456789e+08"'),
    ('format_float', (0.1, 'b', -1, 32), 'string|"13421773p-27"'),
    ('format_float', (16777217.0, 'f', -1, 32), 'string|"16777216"'),
    ('format_float', (1.5, 'é', 2, 64), 'string|"%\\xc3"'),
    ('format_int', (255, 16), 'string|"ff"'),
    ('format_int', (-255, 2), 'string|"-11111111"'),
    ('format_int', (35, 36), 'string|"z"'),
    ('format_int', (10, 1), '!strconv: illegal AppendInt/FormatInt base'),
    ('format_int', (1.5, 16), "!invalid type for argument 'first': expected int, found float"),
    ('format_int', (-9223372036854775808, 7), 'string|"-22341010611245052052301"'),
    ('itoa', (1.9,), 'string|"1"'),
    ('itoa', ('12',), 'string|"12"'),
    ('itoa', (-5,), 'string|"-5"'),
    ('itoa', ('x',), "!invalid type for argument 'first': expected int(compatible), found string"),
    ('itoa', (True,), 'string|"1"'),
    ('parse_bool', ('T',), 'bool|true'),
    ('parse_bool', ('FALSE',), 'bool|false'),
    ('parse_bool', ('yes',), '!strconv.ParseBool: parsing "yes": invalid syntax'),
    ('parse_bool', (1,), "!invalid type for argument 'first': expected string, found int"),
    ('parse_float', ('1_000.5', 64), 'float|1000.5'),
    ('parse_float', ('0x1p-2', 64), 'float|0.25'),
    ('parse_float', ('+nan', 64), '!strconv.ParseFloat: parsing "+nan": invalid syntax'),
    ('parse_float', ('nan', 64), 'float|NaN'),
    ('parse_float', ('-Infinity', 64), 'float|-Inf'),
    ('parse_float', ('infin', 64), '!strconv.ParseFloat: parsing "infin": invalid syntax'),
    ('parse_float', ('1e999', 64), '!strconv.ParseFloat: parsing "1e999": value out of range'),
    ('parse_float', ('1e-400', 64), 'float|0'),
    ('parse_float', ('3.4e39', 32), '!strconv.ParseFloat: parsing "3.4e39": value out of range'),
    ('parse_float', (' 1', 64), '!strconv.ParseFloat: parsing " 1": invalid syntax'),
    ('parse_float', ('0.1', 32), 'float|0.10000000149011612'),
    ('parse_float', ('.5', 64), 'float|0.5'),
    ('parse_float', ('5.', 64), 'float|5'),
    ('parse_float', ('1e', 64), '!strconv.ParseFloat: parsing "1e": invalid syntax'),
    ('parse_float', ('_1', 64), '!strconv.ParseFloat: parsing "_1": invalid syntax'),
    ('parse_float', ('0x1.8p1', 64), 'float|3'),
    ('parse_float', ('0x1', 64), '!strconv.ParseFloat: parsing "0x1": invalid syntax'),
    ('parse_float', ('1.5', '64'), 'float|1.5'),
    ('parse_float', (1.5, 64), "!invalid type for argument 'first': expected string, found float"),
    ('parse_float', ('1__0', 64), '!strconv.ParseFloat: parsing "1__0": invalid syntax'),
    ('parse_float', ('0x_1p0', 64), 'float|1'),
    ('parse_float', ('1e1_0', 64), 'float|10000000000'),
    ('parse_float', ('INF', 64), 'float|+Inf'),
    ('parse_int', ('0x_1F', 0, 64), 'int|31'),
    ('parse_int', ('0x1F', 16, 64), '!strconv.ParseInt: parsing "0x1F": invalid syntax'),
    ('parse_int', ('-128', 10, 8), 'int|-128'),
    ('parse_int', ('128', 10, 8), '!strconv.ParseInt: parsing "128": value out of range'),
    ('parse_int', ('1', 1, 8), '!strconv.ParseInt: parsing "1": invalid base 1'),
    ('parse_int', ('1', 10, 65), '!strconv.ParseInt: parsing "1": invalid bit size 65'),
    ('parse_int', ('017', 0, 64), 'int|15'),
    ('parse_int', ('0b101', 0, 0), 'int|5'),
    ('parse_int', ('1_000', 10, 64), '!strconv.ParseInt: parsing "1_000": invalid syntax'),
    ('parse_int', ('1_000', 0, 64), 'int|1000'),
    ('parse_int', ('-', 10, 64), '!strconv.ParseInt: parsing "-": invalid syntax'),
    ('parse_int', ('', 10, 64), '!strconv.ParseInt: parsing "": invalid syntax'),
    ('parse_int', ('zz', 36, 64), 'int|1295'),
    ('parse_int', ('-9223372036854775809', 10, 64), '!strconv.ParseInt: parsing "-9223372036854775809": value out of range'),
    ('parse_int', ('99999999999999999999x', 10, 64), '!strconv.ParseInt: parsing "99999999999999999999x": value out of range'),
    ('parse_int', ('0o17', 0, 64), 'int|15'),
    ('parse_int', ('0_17', 0, 64), 'int|15'),
    ('parse_int', ('0x', 0, 64), '!strconv.ParseInt: parsing "0x": invalid syntax'),
    ('parse_int', ('_1', 0, 64), '!strconv.ParseInt: parsing "_1": invalid syntax'),
    ('parse_int', ('1', 10, -1), '!strconv.ParseInt: parsing "1": invalid bit size -1'),
    ('parse_int', (12, 10, 64), "!invalid type for argument 'first': expected string, found int"),
    ('quote', ('a\tb\x00é\u2028"',), 'string|"\\"a\\\\tb\\\\x00é\\\\u2028\\\\\\"\\""'),
    ('quote', ('\udcff',), 'string|"\\"\\\\xff\\""'),
    ('quote', (12,), 'string|"\\"12\\""'),
    ('quote', ('😀\x7f',), 'string|"\\"😀\\\\x7f\\""'),
    ('unquote', ("'ab'",), 'error|error: "invalid syntax"'),
    ('unquote', ("'a'",), 'string|"a"'),
    ('unquote', ('"\\x41\\u00e9"',), 'string|"Aé"'),
    ('unquote', ('`a\rb`',), 'string|"ab"'),
    ('unquote', ('"\\\'"',), 'error|error: "invalid syntax"'),
    ('unquote', ('abc',), 'error|error: "invalid syntax"'),
    ('unquote', ('"a\nb"',), 'error|error: "invalid syntax"'),
    ('unquote', ('"\\xff"',), 'string|"\\xff"'),
    ('unquote', ("'\\''",), 'string|"\'"'),
    ('unquote', ('"\\377"',), 'string|"\\xff"'),
    ('unquote', ('"\\400"',), 'error|error: "invalid syntax"'),
    ('unquote', ('"\\ud800"',), 'error|error: "invalid syntax"'),
    ('unquote', ("'\\xff'",), 'string|"\\xff"'),
    ('unquote', ('`a`b`',), 'error|error: "invalid syntax"'),
    ('unquote', ('"a"b"',), 'error|error: "invalid syntax"'),
    ('unquote', ("'é'",), 'string|"é"'),
    ('unquote', ('"\\U0010FFFF"',), 'string|"\\U0010ffff"'),
    ('unquote', ('"\\q"',), 'error|error: "invalid syntax"'),
    ('unquote', ("''",), 'string|""'),
    ('unquote', (5,), 'error|error: "invalid syntax"'),
    # invalid UTF-8 (carried as surrogate escapes) through Go's byte and rune semantics
    ('title', ('a\udcffb c',), 'string|"A�b C"'),
    ('to_upper', ('\udcffé',), 'string|"�É"'),
    ('to_lower', ('É\udcff',), 'string|"é�"'),
    ('trim', ('\udcffa\udcff', '�'), 'string|"a"'),
    ('trim', ('�a', '\udcff'), 'string|"a"'),
    ('trim_left', ('\udcff\udcfeab', '\udcff'), 'string|"ab"'),
    ('split', ('a\udcffb\udcffc', '\udcff'), 'array|["a", "b", "c"]'),
    ('split', ('é', '\udca9'), 'array|["\\xc3", ""]'),
    ('index', ('é', '\udca9'), 'int|1'),
    ('count', ('é\udcff', '\udcff'), 'int|1'),
    ('count', ('a\udcff', ''), 'int|3'),
    ('replace', ('aéb', '\udca9', 'X', -1), 'string|"a\\xc3Xb"'),
    ('replace', ('a\udcffb', '', '-', -1), 'string|"-a-\\xff-b-"'),
    ('fields', ('a\udcff b',), 'array|["a\\xff", "b"]'),
    ('equal_fold', ('\udcff', '�'), 'bool|true'),
    ('equal_fold', ('\udcff', '\udcfe'), 'bool|true'),
    ('has_suffix', ('é', '\udca9'), 'bool|true'),
    ('trim_prefix', ('é', '\udcc3'), 'string|"\\xa9"'),
    ('trim_suffix', ('é', '\udca9'), 'string|"\\xc3"'),
    ('last_index', ('éé', '\udca9'), 'int|3'),
    ('contains', ('é', '\udca9'), 'bool|true'),
    ('split_n', ('\udcff\udcfe\udcfd', '', 2), 'array|["�", "\\xfe\\xfd"]'),
    ('index_any', ('a\udcffb', '�'), 'int|1'),
    ('last_index_any', ('\udcffaé', '�'), 'int|0'),
    ('compare', ('\udcff', '𐀀'), 'int|1'),
    ('compare', ('\udc80', '\ue000'), 'int|-1'),
    ('quote', ('a\udcffé',), 'string|"\\"a\\\\xffé\\""'),
    ('pad_left', ('\udcff', 3, 'é'), 'string|"é\\xff"'),
    ('re_replace', ('\\x{fffd}', 'a\udcffb', '-'), 'string|"a-b"'),
    ('re_find', ('.', '\udcff\udcfe', -1), 'array|[[{begin: 0, end: 1, text: "\\xff"}], [{begin: 1, end: 2, text: "\\xfe"}]]'),
    ('re_split', ('\udcff', 'a\udcffb'), '!error parsing regexp: invalid UTF-8: `\udcff`'),
    ('re_match', ('[^a]', '\udcff'), 'bool|true'),
    ('re_match', ('\\pL', '\udcff'), 'bool|false'),
    ('re_match', ('(?i)\\x{fffd}', '\udcff'), 'bool|true'),
    ('to_title', ('ǳ\udcff',), 'string|"ǲ�"'),
    ('unquote', ('"\udcff"',), 'string|"�"'),
    ('unquote', ("'\udcff'",), 'string|"�"'),
    ('unquote', ('`\udcff`',), 'string|"\\xff"'),
    ('atoi', ('1\udcff',), 'error|error: "strconv.Atoi: parsing \\"1\\\\xff\\": invalid syntax"'),
    ('join', (Array(['\udcff', 'é']), '\udca9'), 'string|"\\xff\\xa9é"'),
    ('repeat', ('\udcff', 2), 'string|"\\xff\\xff"'),
    ('substr', ('é', 1, 2), 'string|"\\xa9"'),
    ('trim_space', ('\udcff ',), 'string|"\\xff"'),
    # RE2 syntax corners: flags, classes, Unicode groups, repeats, expansion templates
    ('re_replace', ('(?P<x>a)|(?P<x>b)', 'ab', '[$x]'), 'string|"[a][b]"'),
    ('re_replace', ('(?P<x>a)|(?P<x>b)', 'ab', '[${x}]'), 'string|"[a][b]"'),
    ('re_replace', ('(\\w)', 'ab', '$1é$'), 'string|"$$"'),
    ('re_replace', ('(a)', 'a', '${1x}'), 'string|""'),
    ('re_replace', ('(a)(b)', 'ab', '$2$1$1x'), 'string|"ba"'),
    ('re_replace', ('a', 'aaa', '$0$0'), 'string|"aaaaaa"'),
    ('re_replace', ('(a)', 'a', '$100000000'), 'string|""'),
    ('re_replace', ('(?P<é>a)', 'a', '<$é>'), '!error parsing regexp: invalid named capture: `(?P<é>`'),
    ('re_compile.find', ('(?P<x>a)|b', 'ab', -1), '!runtime error: slice bounds out of range [:-1]'),
    ('re_compile.split', ('a*', 'baaab'), 'array|["b", "b"]'),
    ('re_find', ('(?i)ǅ', 'ǄǅǆDž'), 'array|[[{begin: 0, end: 2, text: "Ǆ"}]]'),
    ('re_find', ('\\pN+', 'x١٢٣y'), 'array|[[{begin: 1, end: 7, text: "١٢٣"}]]'),
    ('re_find', ('\\p{Han}+', '漢字abc'), 'array|[[{begin: 0, end: 6, text: "漢字"}]]'),
    ('re_find', ('[\\p{Lu}\\d]+', 'ABc12'), 'array|[[{begin: 0, end: 2, text: "AB"}]]'),
    ('re_find', ('\\PL+', 'ab12!c'), 'array|[[{begin: 2, end: 5, text: "12!"}]]'),
    ('re_find', ('\\p{^L}+', 'ab12!c'), 'array|[[{begin: 2, end: 5, text: "12!"}]]'),
    ('re_find', ('[^\\P{L}]+', 'ab12!c'), 'array|[[{begin: 0, end: 2, text: "ab"}]]'),
    ('re_find', ('(?i)[[:upper:]]+', 'abcDEF'), 'array|[[{begin: 0, end: 6, text: "abcDEF"}]]'),
    ('re_find', ('(?i)[^[:lower:]]+', 'abcDEF12'), 'array|[[{begin: 6, end: 8, text: "12"}]]'),
    ('re_find', ('(?s:.)\\n', 'a\nb'), 'array|[[{begin: 0, end: 2, text: "a\\n"}]]'),
    ('re_find', ('(?U)a+b?', 'aaab'), 'array|[[{begin: 0, end: 1, text: "a"}]]'),
    ('re_find', ('(?U:a+)a', 'aaa'), 'array|[[{begin: 0, end: 2, text: "aa"}]]'),
    ('re_find', ('(?-s:.)+', 'a\nb'), 'array|[[{begin: 0, end: 1, text: "a"}]]'),
    ('re_find', ('(?i-i)A', 'a'), 'undefined|<undefined>'),
    ('re_find', ('(?m)^a$', 'a\na\n', -1), 'array|[[{begin: 0, end: 1, text: "a"}], [{begin: 2, end: 3, text: "a"}]]'),
    ('re_find', ('\\Aa', 'aa', -1), 'array|[[{begin: 0, end: 1, text: "a"}]]'),
    ('re_find', ('a\\z', 'aa', -1), 'array|[[{begin: 1, end: 2, text: "a"}]]'),
    ('re_find', ('\\Qa*b\\E', 'xa*b'), 'array|[[{begin: 1, end: 4, text: "a*b"}]]'),
    ('re_find', ('[\\Q]\\E]', 'x]'), '!error parsing regexp: invalid escape sequence: `\\Q`'),
    ('re_find', ('\\0101', 'A1'), 'undefined|<undefined>'),
    ('re_find', ('\\x{1F600}', '😀'), 'array|[[{begin: 0, end: 4, text: "😀"}]]'),
    ('re_find', ('[\\x00-\\x{10FFFF}]', 'é'), 'array|[[{begin: 0, end: 2, text: "é"}]]'),
    ('re_find', ('x{0}y', 'xy'), 'array|[[{begin: 1, end: 2, text: "y"}]]'),
    ('re_find', ('x{2,}', 'xxxxx'), 'array|[[{begin: 0, end: 5, text: "xxxxx"}]]'),
    ('re_find', ('x{2,3}?', 'xxxxx'), 'array|[[{begin: 0, end: 2, text: "xx"}]]'),
    ('re_find', ('(a){2}', 'aaa'), 'array|[[{begin: 0, end: 2, text: "aa"}, {begin: 1, end: 2, text: "a"}]]'),
    ('re_find', ('[[:word:]]+', 'a_1-b'), 'array|[[{begin: 0, end: 3, text: "a_1"}]]'),
    ('re_find', ('[[:^space:]]+', ' ab c'), 'array|[[{begin: 1, end: 3, text: "ab"}]]'),
    ('re_find', ('[a-\\x{7A}]+', 'az{'), 'array|[[{begin: 0, end: 2, text: "az"}]]'),
    ('re_match', ('[\\d-z]', '-'), 'bool|true'),
    ('re_match', ('[a-]', '-'), 'bool|true'),
    ('re_match', ('[]-a]', '^'), 'bool|true'),
    ('re_match', ('(?P<a>x', 'x'), '!error parsing regexp: missing closing ): `(?P<a>x`'),
    ('re_match', ('(?P<a', 'x'), '!error parsing regexp: invalid named capture: `(?P<a`'),
    ('re_match', ('(?P=a)', 'x'), '!error parsing regexp: invalid or unsupported Perl syntax: `(?P`'),
    ('re_match', ('(?i', 'x'), '!error parsing regexp: invalid or unsupported Perl syntax: `(?i`'),
    ('re_match', ('(?i-)', 'x'), '!error parsing regexp: invalid or unsupported Perl syntax: `(?i-)`'),
    ('re_match', ('(?--i)', 'x'), '!error parsing regexp: invalid or unsupported Perl syntax: `(?--`'),
    ('re_match', ('(?:', 'x'), '!error parsing regexp: missing closing ): `(?:`'),
    ('re_match', ('x|*', 'x'), '!error parsing regexp: missing argument to repetition operator: `*`'),
    ('re_match', ('(|)', ''), 'bool|true'),
    ('re_match', ('\\p{', 'x'), '!error parsing regexp: invalid character class range: `\\p{`'),
    ('re_match', ('\\p', 'x'), '!error parsing regexp: invalid character class range: `\\p`'),
    ('re_match', ('\\P{^Greek}', 'a'), 'bool|false'),
    ('re_match', ('[[:alpha:]-z]', '-'), 'bool|true'),
    ('re_match', ('[\\b]', 'b'), '!error parsing regexp: invalid escape sequence: `\\b`'),
    ('re_match', ('\\x{}', 'x'), '!error parsing regexp: invalid escape sequence: `\\x{}`'),
    ('re_match', ('\\x1', 'x'), '!error parsing regexp: invalid escape sequence: `\\x1`'),
    ('re_match', ('a{1,2}{3}', 'a'), '!error parsing regexp: invalid nested repetition operator: `{1,2}{3}`'),
    ('re_match', ('a{2}*', 'a'), '!error parsing regexp: invalid nested repetition operator: `{2}*`'),
    ('re_match', ('a{01}', 'a{01}'), 'bool|true'),
    ('re_match', ('a{1,01}', 'a{1,01}'), 'bool|true'),
    ('re_match', ('a{100000000}', 'a'), '!error parsing regexp: invalid repeat count: `{100000000}`'),
    ('re_match', ('a{2,1}', 'a'), '!error parsing regexp: invalid repeat count: `{2,1}`'),
    ('re_match', ('(?i)\\W', 'K'), 'bool|false'),
    ('re_match', ('(?i)[k]', 'K'), 'bool|true'),
    ('re_match', ('^$', ''), 'bool|true'),
    ('re_match', ('$^', ''), 'bool|true'),
    ('re_match', ('\\b', ''), 'bool|false'),
    ('re_match', ('(?m)$', ''), 'bool|true'),
]


@pytest.mark.parametrize(("fn", "args", "expected"), PINNED,
                         ids=[f"{i}-{c[0]}" for i, c in enumerate(PINNED)])
def test_matches_go_tengo(fn: str, args: tuple[Any, ...], expected: str) -> None:
    assert call(TEXT, fn, args) == expected


# ---------------------------------------------------------------- regex engine


def test_catastrophic_pattern_returns_promptly_with_gos_answer() -> None:
    start = time.perf_counter()
    assert TEXT["re_match"]("(a+)+$", "a" * 30 + "!") is False
    assert TEXT["re_match"]("(a|aa)+$", "a" * 40 + "!") is False
    assert TEXT["re_match"]("(x+x+)+y", "x" * 40) is False
    assert time.perf_counter() - start < 1.0


def test_risky_patterns_stay_linear_on_long_texts() -> None:
    text = "a" * 20000 + "!"
    start = time.perf_counter()
    assert TEXT["re_match"]("(a+)+$", text) is False
    assert TEXT["re_match"]("a*a*a*b", text) is False
    assert time.perf_counter() - start < 5.0


@pytest.mark.parametrize(("pattern", "uses_re_always"), [
    ("foo", True), ("\\w+", True), ("[a-z]+,", False), ("^(\\d+)-(\\d+)$", True),
    ("(?:ab|cd)+", True), ("(a+)+$", False), ("(\\w+\\s?)*$", False), ("a*b", False),
    ("(a*)*", False),
])
def test_engine_choice(pattern: str, uses_re_always: bool) -> None:
    """Python's `re` is trusted with any text only when backtracking stays linear."""
    compiled = regex.Regexp(pattern)
    assert (compiled.max_re_len == -1) is uses_re_always
    if not uses_re_always:
        assert compiled.max_re_len < 100_000


ENGINE_CASES = [
    ("(\\w+)@(\\w+)\\.com", "bob@ex.com, al@foo.com"), ("(a*)*", "b"), ("(a|ab)(c|bcd)(d*)", "abcd"),
    ("(?i)k+", "kK\u212a"), ("\\b\\w", "hé llo"), ("(?m)^\\s*$", "a\n\n  \nb"), ("x*", "xxaxx"),
    ("[^a]+", "a\udcffb\ufffd"), ("(a|b)*?c", "abc"), ("é+|(z)", "aééb z"), ("\\B", ""),
]


@pytest.mark.parametrize(("pattern", "text"), ENGINE_CASES)
def test_backtracking_and_pike_vm_agree(pattern: str, text: str) -> None:
    compiled = regex.Regexp(pattern)
    via_re = (compiled.find_all(text, -1), compiled.split(text, -1), compiled.replace(text, "<$0>"))
    compiled.py = None  # force the Pike VM
    assert (compiled.find_all(text, -1), compiled.split(text, -1),
            compiled.replace(text, "<$0>")) == via_re


def test_pike_vm_captures_follow_go() -> None:
    compiled = regex.Regexp("((?:\\n)*)*")  # nullable loop body: VM only
    assert compiled.max_re_len == 0
    assert compiled.find_all("1a\n", -1) == [[0, 0, 0, 0], [1, 1, 1, 1], [2, 3, 2, 3]]


def test_deep_nesting_limits_are_gos() -> None:
    assert TEXT["re_match"]("(" * 999 + "a" + ")" * 999, "xay") is True
    with pytest.raises(RuntimeErr, match="expression nests too deeply"):
        TEXT["re_match"]("(" * 1000 + "a" + ")" * 1000, "a")
    assert TEXT["re_match"]("(?:" * 5000 + "a" + ")" * 5000, "a") is True
    found = TEXT["re_find"]("(" * 5 + "a" + ")" * 5, "xay")
    assert len(found.get(0)) == 6 and found.get(0).get(5).d["begin"] == 1


def test_oversized_pattern_is_gos_internal_error() -> None:
    with pytest.raises(RuntimeErr, match="regexp/syntax: internal error"):
        TEXT["re_match"]("a{1000}" * 3400, "a")
    assert TEXT["re_match"]("a{1000}" * 3300, "a") is False


def test_byte_offsets_for_non_ascii_text() -> None:
    found = TEXT["re_find"]("l+", "héllo wörld", -1)
    spans = [(m.get(0).d["begin"], m.get(0).d["end"]) for m in found.values()]
    assert spans == [(3, 5), (11, 12)]


def test_regexp_object_shape() -> None:
    obj = TEXT["re_compile"]("a")
    assert type(obj) is ImmutableMap and sorted(obj.d) == ["find", "match", "replace", "split"]
    assert type_name(obj.d["find"]) == "user-function:"
    assert type_name(TEXT["re_match"]) == "user-function:re_match"


# ---------------------------------------------------------------- budget


@pytest.fixture
def small_budget() -> Any:
    saved = limits.budget.max_bytes
    limits.budget.max_bytes = 10_000
    yield
    limits.budget.max_bytes = saved


@pytest.mark.parametrize(("fn", "args"), [
    ("repeat", ("ab", 10**12)), ("pad_left", ("a", 10**12)), ("pad_right", ("a", 50_000, "xy")),
    ("replace", ("a" * 100, "a", "b" * 1000, -1)), ("join", (Array(["x" * 6000] * 2), "")),
    ("re_replace", ("a", "a" * 100, "b" * 1000)), ("format_float", (1.5, "f", 10**9, 64)),
    ("split", ("a" * 5000, "")), ("re_find", (".", "x" * 5000, -1)),
])
def test_results_are_checked_against_the_budget(small_budget: Any, fn: str,
                                                args: tuple[Any, ...]) -> None:
    with pytest.raises(MemoryLimitExceeded):
        TEXT[fn](*args)


def test_small_results_fit_the_budget(small_budget: Any) -> None:
    assert TEXT["repeat"]("ab", 3) == "ababab"
    assert TEXT["pad_left"]("7", 3, "0") == "007"


# ---------------------------------------------------------------- misc


def test_char_arguments_convert_like_go() -> None:
    assert TEXT["repeat"](Char(0x61), 2) == "aa"
    assert TEXT["itoa"](Char(0x61)) == "97"


def test_module_members_are_complete() -> None:
    expected = {
        "re_match", "re_find", "re_replace", "re_split", "re_compile", "compare", "contains",
        "contains_any", "count", "equal_fold", "fields", "has_prefix", "has_suffix", "index",
        "index_any", "join", "last_index", "last_index_any", "repeat", "replace", "substr",
        "split", "split_after", "split_after_n", "split_n", "title", "to_lower", "to_title",
        "to_upper", "pad_left", "pad_right", "trim", "trim_left", "trim_prefix", "trim_right",
        "trim_space", "trim_suffix", "atoi", "format_bool", "format_float", "format_int",
        "itoa", "parse_bool", "parse_float", "parse_int", "quote", "unquote",
    }
    assert set(TEXT) == expected
