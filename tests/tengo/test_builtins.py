"""Table tests for Tengo's builtins, called directly with Tengo values.

Every expected outcome in `CASES` was produced by the real Go Tengo (d5/tengo v2, newest)
evaluating the same call; errors are Go's messages without the VM's "in call to '...'"
part, which the runtime adds. Scenario tests below pin Go's slice aliasing (append,
splice), freeze/copy semantics and the memory budget checks.
"""

from __future__ import annotations

import copy
import math
from collections.abc import Iterator
from typing import Any

import pytest

from scriptvisor.engines import limits
from scriptvisor.engines.tengo import convert, values
from scriptvisor.engines.tengo.builtins import BUILTINS, appended_cap, grown_array
from scriptvisor.engines.tengo.values import (
    Array,
    Char,
    Error,
    ImmutableArray,
    ImmutableMap,
    RuntimeErr,
    type_name,
)

NAN = math.nan
INF = math.inf


def outcome(name: str, args: list[Any]) -> tuple[str, Any]:
    """(type name, text) of a builtin call, or ("ERROR", message) for a runtime error."""
    try:
        v = BUILTINS[name](*copy.deepcopy(args))
    except RuntimeErr as exc:
        return ("ERROR", str(exc))
    t = type_name(v)
    if t in ("string", "bytes"):
        return (t, v)
    return (t, convert.go_string(v))


# (builtin, arguments, expected (type_name, String() / raw string / raw bytes))
CASES: list[tuple[str, list[Any], tuple[str, Any]]] = [
    ('int', [0], ('int', '0')),
    ('int', [1], ('int', '1')),
    ('int', [-1], ('int', '-1')),
    ('int', [97], ('int', '97')),
    ('int', [9223372036854775807], ('int', '9223372036854775807')),
    ('int', [-9223372036854775808], ('int', '-9223372036854775808')),
    ('int', [0.0], ('int', '0')),
    ('int', [-0.0], ('int', '0')),
    ('int', [1.9], ('int', '1')),
    ('int', [-1.9], ('int', '-1')),
    ('int', [1e+19], ('int', '-9223372036854775808')),
    ('int', [NAN], ('int', '-9223372036854775808')),
    ('int', [INF], ('int', '-9223372036854775808')),
    ('int', ['12'], ('int', '12')),
    ('int', ['+12'], ('int', '12')),
    ('int', ['-0'], ('int', '0')),
    ('int', [' 12'], ('undefined', '<undefined>')),
    ('int', ['12 '], ('undefined', '<undefined>')),
    ('int', ['0x1F'], ('undefined', '<undefined>')),
    ('int', ['1_000'], ('undefined', '<undefined>')),
    ('int', ['1__0'], ('undefined', '<undefined>')),
    ('int', ['_1'], ('undefined', '<undefined>')),
    ('int', ['1e3'], ('undefined', '<undefined>')),
    ('int', ['.5'], ('undefined', '<undefined>')),
    ('int', ['5.'], ('undefined', '<undefined>')),
    ('int', ['inf'], ('undefined', '<undefined>')),
    ('int', ['-Infinity'], ('undefined', '<undefined>')),
    ('int', ['nan'], ('undefined', '<undefined>')),
    ('int', ['+nan'], ('undefined', '<undefined>')),
    ('int', ['infin'], ('undefined', '<undefined>')),
    ('int', ['0x1p-2'], ('undefined', '<undefined>')),
    ('int', ['0x1.8'], ('undefined', '<undefined>')),
    ('int', ['0x_1p0'], ('undefined', '<undefined>')),
    ('int', ['1e400'], ('undefined', '<undefined>')),
    ('int', ['1e-400'], ('undefined', '<undefined>')),
    ('int', ['9223372036854775808'], ('undefined', '<undefined>')),
    ('int', ['-9223372036854775808'], ('int', '-9223372036854775808')),
    ('int', ['0000000000000000000000012'], ('int', '12')),
    ('int', [''], ('undefined', '<undefined>')),
    ('int', ['abc'], ('undefined', '<undefined>')),
    ('int', ['héllo'], ('undefined', '<undefined>')),
    ('int', [True], ('int', '1')),
    ('int', [False], ('int', '0')),
    ('int', [None], ('undefined', '<undefined>')),
    ('int', [Char(65)], ('int', '65')),
    ('int', [Char(-1)], ('int', '-1')),
    ('int', [Char(0x263a)], ('int', '9786')),
    ('int', [b'ab'], ('undefined', '<undefined>')),
    ('int', [b''], ('undefined', '<undefined>')),
    ('int', [Array([1, 'b'])], ('undefined', '<undefined>')),
    ('int', [ImmutableArray([1])], ('undefined', '<undefined>')),
    ('int', [{'a': 1}], ('undefined', '<undefined>')),
    ('int', [ImmutableMap({})], ('undefined', '<undefined>')),
    ('int', [Error('x')], ('undefined', '<undefined>')),
    ('float', [0], ('float', '0')),
    ('float', [1], ('float', '1')),
    ('float', [-1], ('float', '-1')),
    ('float', [97], ('float', '97')),
    ('float', [9223372036854775807], ('float', '9223372036854776000')),
    ('float', [-9223372036854775808], ('float', '-9223372036854776000')),
    ('float', [0.0], ('float', '0')),
    ('float', [-0.0], ('float', '-0')),
    ('float', [1.9], ('float', '1.9')),
    ('float', [-1.9], ('float', '-1.9')),
    ('float', [1e+19], ('float', '10000000000000000000')),
    ('float', [NAN], ('float', 'NaN')),
    ('float', [INF], ('float', '+Inf')),
    ('float', ['12'], ('float', '12')),
    ('float', ['+12'], ('float', '12')),
    ('float', ['-0'], ('float', '-0')),
    ('float', [' 12'], ('undefined', '<undefined>')),
    ('float', ['12 '], ('undefined', '<undefined>')),
    ('float', ['0x1F'], ('undefined', '<undefined>')),
    ('float', ['1_000'], ('float', '1000')),
    ('float', ['1__0'], ('undefined', '<undefined>')),
    ('float', ['_1'], ('undefined', '<undefined>')),
    ('float', ['1e3'], ('float', '1000')),
    ('float', ['.5'], ('float', '0.5')),
    ('float', ['5.'], ('float', '5')),
    ('float', ['inf'], ('float', '+Inf')),
    ('float', ['-Infinity'], ('float', '-Inf')),
    ('float', ['nan'], ('float', 'NaN')),
    ('float', ['+nan'], ('undefined', '<undefined>')),
    ('float', ['infin'], ('undefined', '<undefined>')),
    ('float', ['0x1p-2'], ('float', '0.25')),
    ('float', ['0x1.8'], ('undefined', '<undefined>')),
    ('float', ['0x_1p0'], ('float', '1')),
    ('float', ['1e400'], ('undefined', '<undefined>')),
    ('float', ['1e-400'], ('float', '0')),
    ('float', ['9223372036854775808'], ('float', '9223372036854776000')),
    ('float', ['-9223372036854775808'], ('float', '-9223372036854776000')),
    ('float', ['0000000000000000000000012'], ('float', '12')),
    ('float', [''], ('undefined', '<undefined>')),
    ('float', ['abc'], ('undefined', '<undefined>')),
    ('float', ['héllo'], ('undefined', '<undefined>')),
    ('float', [True], ('undefined', '<undefined>')),
    ('float', [False], ('undefined', '<undefined>')),
    ('float', [None], ('undefined', '<undefined>')),
    ('float', [Char(65)], ('undefined', '<undefined>')),
    ('float', [Char(-1)], ('undefined', '<undefined>')),
    ('float', [Char(0x263a)], ('undefined', '<undefined>')),
    ('float', [b'ab'], ('undefined', '<undefined>')),
    ('float', [b''], ('undefined', '<undefined>')),
    ('float', [Array([1, 'b'])], ('undefined', '<undefined>')),
    ('float', [ImmutableArray([1])], ('undefined', '<undefined>')),
    ('float', [{'a': 1}], ('undefined', '<undefined>')),
    ('float', [ImmutableMap({})], ('undefined', '<undefined>')),
    ('float', [Error('x')], ('undefined', '<undefined>')),
    ('string', [0], ('string', '0')),
    ('string', [1], ('string', '1')),
    ('string', [-1], ('string', '-1')),
    ('string', [97], ('string', '97')),
    ('string', [9223372036854775807], ('string', '9223372036854775807')),
    ('string', [-9223372036854775808], ('string', '-9223372036854775808')),
    ('string', [0.0], ('string', '0')),
    ('string', [-0.0], ('string', '-0')),
    ('string', [1.9], ('string', '1.9')),
    ('string', [-1.9], ('string', '-1.9')),
    ('string', [1e+19], ('string', '10000000000000000000')),
    ('string', [NAN], ('string', 'NaN')),
    ('string', [INF], ('string', '+Inf')),
    ('string', ['12'], ('string', '12')),
    ('string', ['+12'], ('string', '+12')),
    ('string', ['-0'], ('string', '-0')),
    ('string', [' 12'], ('string', ' 12')),
    ('string', ['12 '], ('string', '12 ')),
    ('string', ['0x1F'], ('string', '0x1F')),
    ('string', ['1_000'], ('string', '1_000')),
    ('string', ['1__0'], ('string', '1__0')),
    ('string', ['_1'], ('string', '_1')),
    ('string', ['1e3'], ('string', '1e3')),
    ('string', ['.5'], ('string', '.5')),
    ('string', ['5.'], ('string', '5.')),
    ('string', ['inf'], ('string', 'inf')),
    ('string', ['-Infinity'], ('string', '-Infinity')),
    ('string', ['nan'], ('string', 'nan')),
    ('string', ['+nan'], ('string', '+nan')),
    ('string', ['infin'], ('string', 'infin')),
    ('string', ['0x1p-2'], ('string', '0x1p-2')),
    ('string', ['0x1.8'], ('string', '0x1.8')),
    ('string', ['0x_1p0'], ('string', '0x_1p0')),
    ('string', ['1e400'], ('string', '1e400')),
    ('string', ['1e-400'], ('string', '1e-400')),
    ('string', ['9223372036854775808'], ('string', '9223372036854775808')),
    ('string', ['-9223372036854775808'], ('string', '-9223372036854775808')),
    ('string', ['0000000000000000000000012'], ('string', '0000000000000000000000012')),
    ('string', [''], ('string', '')),
    ('string', ['abc'], ('string', 'abc')),
    ('string', ['héllo'], ('string', 'héllo')),
    ('string', [True], ('string', 'true')),
    ('string', [False], ('string', 'false')),
    ('string', [None], ('undefined', '<undefined>')),
    ('string', [Char(65)], ('string', 'A')),
    ('string', [Char(-1)], ('string', '�')),
    ('string', [Char(0x263a)], ('string', '☺')),
    ('string', [b'ab'], ('string', 'ab')),
    ('string', [b''], ('string', '')),
    ('string', [Array([1, 'b'])], ('string', '[1, "b"]')),
    ('string', [ImmutableArray([1])], ('string', '[1]')),
    ('string', [{'a': 1}], ('string', '{a: 1}')),
    ('string', [ImmutableMap({})], ('string', '{}')),
    ('string', [Error('x')], ('string', 'error: "x"')),
    ('bool', [0], ('bool', 'false')),
    ('bool', [1], ('bool', 'true')),
    ('bool', [-1], ('bool', 'true')),
    ('bool', [97], ('bool', 'true')),
    ('bool', [9223372036854775807], ('bool', 'true')),
    ('bool', [-9223372036854775808], ('bool', 'true')),
    ('bool', [0.0], ('bool', 'true')),
    ('bool', [-0.0], ('bool', 'true')),
    ('bool', [1.9], ('bool', 'true')),
    ('bool', [-1.9], ('bool', 'true')),
    ('bool', [1e+19], ('bool', 'true')),
    ('bool', [NAN], ('bool', 'false')),
    ('bool', [INF], ('bool', 'true')),
    ('bool', ['12'], ('bool', 'true')),
    ('bool', ['+12'], ('bool', 'true')),
    ('bool', ['-0'], ('bool', 'true')),
    ('bool', [' 12'], ('bool', 'true')),
    ('bool', ['12 '], ('bool', 'true')),
    ('bool', ['0x1F'], ('bool', 'true')),
    ('bool', ['1_000'], ('bool', 'true')),
    ('bool', ['1__0'], ('bool', 'true')),
    ('bool', ['_1'], ('bool', 'true')),
    ('bool', ['1e3'], ('bool', 'true')),
    ('bool', ['.5'], ('bool', 'true')),
    ('bool', ['5.'], ('bool', 'true')),
    ('bool', ['inf'], ('bool', 'true')),
    ('bool', ['-Infinity'], ('bool', 'true')),
    ('bool', ['nan'], ('bool', 'true')),
    ('bool', ['+nan'], ('bool', 'true')),
    ('bool', ['infin'], ('bool', 'true')),
    ('bool', ['0x1p-2'], ('bool', 'true')),
    ('bool', ['0x1.8'], ('bool', 'true')),
    ('bool', ['0x_1p0'], ('bool', 'true')),
    ('bool', ['1e400'], ('bool', 'true')),
    ('bool', ['1e-400'], ('bool', 'true')),
    ('bool', ['9223372036854775808'], ('bool', 'true')),
    ('bool', ['-9223372036854775808'], ('bool', 'true')),
    ('bool', ['0000000000000000000000012'], ('bool', 'true')),
    ('bool', [''], ('bool', 'false')),
    ('bool', ['abc'], ('bool', 'true')),
    ('bool', ['héllo'], ('bool', 'true')),
    ('bool', [True], ('bool', 'true')),
    ('bool', [False], ('bool', 'false')),
    ('bool', [None], ('bool', 'false')),
    ('bool', [Char(65)], ('bool', 'true')),
    ('bool', [Char(-1)], ('bool', 'true')),
    ('bool', [Char(0x263a)], ('bool', 'true')),
    ('bool', [b'ab'], ('bool', 'true')),
    ('bool', [b''], ('bool', 'false')),
    ('bool', [Array([1, 'b'])], ('bool', 'true')),
    ('bool', [ImmutableArray([1])], ('bool', 'true')),
    ('bool', [{'a': 1}], ('bool', 'true')),
    ('bool', [ImmutableMap({})], ('bool', 'false')),
    ('bool', [Error('x')], ('bool', 'false')),
    ('char', [0], ('char', '\x00')),
    ('char', [1], ('char', '\x01')),
    ('char', [-1], ('char', '�')),
    ('char', [97], ('char', 'a')),
    ('char', [9223372036854775807], ('char', '�')),
    ('char', [-9223372036854775808], ('char', '\x00')),
    ('char', [0.0], ('undefined', '<undefined>')),
    ('char', [-0.0], ('undefined', '<undefined>')),
    ('char', [1.9], ('undefined', '<undefined>')),
    ('char', [-1.9], ('undefined', '<undefined>')),
    ('char', [1e+19], ('undefined', '<undefined>')),
    ('char', [NAN], ('undefined', '<undefined>')),
    ('char', [INF], ('undefined', '<undefined>')),
    ('char', ['12'], ('undefined', '<undefined>')),
    ('char', ['+12'], ('undefined', '<undefined>')),
    ('char', ['-0'], ('undefined', '<undefined>')),
    ('char', [' 12'], ('undefined', '<undefined>')),
    ('char', ['12 '], ('undefined', '<undefined>')),
    ('char', ['0x1F'], ('undefined', '<undefined>')),
    ('char', ['1_000'], ('undefined', '<undefined>')),
    ('char', ['1__0'], ('undefined', '<undefined>')),
    ('char', ['_1'], ('undefined', '<undefined>')),
    ('char', ['1e3'], ('undefined', '<undefined>')),
    ('char', ['.5'], ('undefined', '<undefined>')),
    ('char', ['5.'], ('undefined', '<undefined>')),
    ('char', ['inf'], ('undefined', '<undefined>')),
    ('char', ['-Infinity'], ('undefined', '<undefined>')),
    ('char', ['nan'], ('undefined', '<undefined>')),
    ('char', ['+nan'], ('undefined', '<undefined>')),
    ('char', ['infin'], ('undefined', '<undefined>')),
    ('char', ['0x1p-2'], ('undefined', '<undefined>')),
    ('char', ['0x1.8'], ('undefined', '<undefined>')),
    ('char', ['0x_1p0'], ('undefined', '<undefined>')),
    ('char', ['1e400'], ('undefined', '<undefined>')),
    ('char', ['1e-400'], ('undefined', '<undefined>')),
    ('char', ['9223372036854775808'], ('undefined', '<undefined>')),
    ('char', ['-9223372036854775808'], ('undefined', '<undefined>')),
    ('char', ['0000000000000000000000012'], ('undefined', '<undefined>')),
    ('char', [''], ('undefined', '<undefined>')),
    ('char', ['abc'], ('undefined', '<undefined>')),
    ('char', ['héllo'], ('undefined', '<undefined>')),
    ('char', [True], ('undefined', '<undefined>')),
    ('char', [False], ('undefined', '<undefined>')),
    ('char', [None], ('undefined', '<undefined>')),
    ('char', [Char(65)], ('char', 'A')),
    ('char', [Char(-1)], ('char', '�')),
    ('char', [Char(0x263a)], ('char', '☺')),
    ('char', [b'ab'], ('undefined', '<undefined>')),
    ('char', [b''], ('undefined', '<undefined>')),
    ('char', [Array([1, 'b'])], ('undefined', '<undefined>')),
    ('char', [ImmutableArray([1])], ('undefined', '<undefined>')),
    ('char', [{'a': 1}], ('undefined', '<undefined>')),
    ('char', [ImmutableMap({})], ('undefined', '<undefined>')),
    ('char', [Error('x')], ('undefined', '<undefined>')),
    ('bytes', [0], ('bytes', b'')),
    ('bytes', [1], ('bytes', b'\x00')),
    ('bytes', [97], ('bytes', b'\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00')),
    ('bytes', [9223372036854775807], ('ERROR', 'exceeding bytes size limit')),
    ('bytes', [0.0], ('undefined', '<undefined>')),
    ('bytes', [-0.0], ('undefined', '<undefined>')),
    ('bytes', [1.9], ('undefined', '<undefined>')),
    ('bytes', [-1.9], ('undefined', '<undefined>')),
    ('bytes', [1e+19], ('undefined', '<undefined>')),
    ('bytes', [NAN], ('undefined', '<undefined>')),
    ('bytes', [INF], ('undefined', '<undefined>')),
    ('bytes', ['12'], ('bytes', b'12')),
    ('bytes', ['+12'], ('bytes', b'+12')),
    ('bytes', ['-0'], ('bytes', b'-0')),
    ('bytes', [' 12'], ('bytes', b' 12')),
    ('bytes', ['12 '], ('bytes', b'12 ')),
    ('bytes', ['0x1F'], ('bytes', b'0x1F')),
    ('bytes', ['1_000'], ('bytes', b'1_000')),
    ('bytes', ['1__0'], ('bytes', b'1__0')),
    ('bytes', ['_1'], ('bytes', b'_1')),
    ('bytes', ['1e3'], ('bytes', b'1e3')),
    ('bytes', ['.5'], ('bytes', b'.5')),
    ('bytes', ['5.'], ('bytes', b'5.')),
    ('bytes', ['inf'], ('bytes', b'inf')),
    ('bytes', ['-Infinity'], ('bytes', b'-Infinity')),
    ('bytes', ['nan'], ('bytes', b'nan')),
    ('bytes', ['+nan'], ('bytes', b'+nan')),
    ('bytes', ['infin'], ('bytes', b'infin')),
    ('bytes', ['0x1p-2'], ('bytes', b'0x1p-2')),
    ('bytes', ['0x1.8'], ('bytes', b'0x1.8')),
    ('bytes', ['0x_1p0'], ('bytes', b'0x_1p0')),
    ('bytes', ['1e400'], ('bytes', b'1e400')),
    ('bytes', ['1e-400'], ('bytes', b'1e-400')),
    ('bytes', ['9223372036854775808'], ('bytes', b'9223372036854775808')),
    ('bytes', ['-9223372036854775808'], ('bytes', b'-9223372036854775808')),
    ('bytes', ['0000000000000000000000012'], ('bytes', b'0000000000000000000000012')),
    ('bytes', [''], ('bytes', b'')),
    ('bytes', ['abc'], ('bytes', b'abc')),
    ('bytes', ['héllo'], ('bytes', b'h\xc3\xa9llo')),
    ('bytes', [True], ('undefined', '<undefined>')),
    ('bytes', [False], ('undefined', '<undefined>')),
    ('bytes', [None], ('undefined', '<undefined>')),
    ('bytes', [Char(65)], ('undefined', '<undefined>')),
    ('bytes', [Char(-1)], ('undefined', '<undefined>')),
    ('bytes', [Char(0x263a)], ('undefined', '<undefined>')),
    ('bytes', [b'ab'], ('bytes', b'ab')),
    ('bytes', [b''], ('bytes', b'')),
    ('bytes', [Array([1, 'b'])], ('undefined', '<undefined>')),
    ('bytes', [ImmutableArray([1])], ('undefined', '<undefined>')),
    ('bytes', [{'a': 1}], ('undefined', '<undefined>')),
    ('bytes', [ImmutableMap({})], ('undefined', '<undefined>')),
    ('bytes', [Error('x')], ('undefined', '<undefined>')),
    ('int', [None, 7], ('int', '7')),
    ('int', ['x', 7], ('int', '7')),
    ('int', [1.5, 7], ('int', '1')),
    ('int', [Array([]), 7], ('int', '7')),
    ('int', ['12', 7], ('int', '12')),
    ('int', [3, 7], ('int', '3')),
    ('float', [None, 7], ('int', '7')),
    ('float', ['x', 7], ('int', '7')),
    ('float', [1.5, 7], ('float', '1.5')),
    ('float', [Array([]), 7], ('int', '7')),
    ('float', ['12', 7], ('float', '12')),
    ('float', [3, 7], ('float', '3')),
    ('string', [None, 7], ('int', '7')),
    ('string', ['x', 7], ('string', 'x')),
    ('string', [1.5, 7], ('string', '1.5')),
    ('string', [Array([]), 7], ('string', '[]')),
    ('string', ['12', 7], ('string', '12')),
    ('string', [3, 7], ('string', '3')),
    ('char', [None, 7], ('int', '7')),
    ('char', ['x', 7], ('int', '7')),
    ('char', [1.5, 7], ('int', '7')),
    ('char', [Array([]), 7], ('int', '7')),
    ('char', ['12', 7], ('int', '7')),
    ('char', [3, 7], ('char', '\x03')),
    ('bytes', [None, 7], ('int', '7')),
    ('bytes', ['x', 7], ('bytes', b'x')),
    ('bytes', [1.5, 7], ('int', '7')),
    ('bytes', [Array([]), 7], ('int', '7')),
    ('bytes', ['12', 7], ('bytes', b'12')),
    ('bytes', [3, 7], ('bytes', b'\x00\x00\x00')),
    ('bytes', [3], ('bytes', b'\x00\x00\x00')),
    ('bytes', [1099511627776], ('ERROR', 'exceeding bytes size limit')),
    ('bytes', [2147483648], ('ERROR', 'exceeding bytes size limit')),
    ('char', [4294967361], ('char', 'A')),
    ('char', [55296], ('char', '�')),
    ('char', [1114112], ('char', '�')),
    ('is_int', [0], ('bool', 'true')),
    ('is_int', [1.5], ('bool', 'false')),
    ('is_int', ['s'], ('bool', 'false')),
    ('is_int', [True], ('bool', 'false')),
    ('is_int', [Char(97)], ('bool', 'false')),
    ('is_int', [b'b'], ('bool', 'false')),
    ('is_int', [Array([1])], ('bool', 'false')),
    ('is_int', [ImmutableArray([])], ('bool', 'false')),
    ('is_int', [{'a': 1}], ('bool', 'false')),
    ('is_int', [ImmutableMap({'b': 2})], ('bool', 'false')),
    ('is_int', [Error(1)], ('bool', 'false')),
    ('is_int', [None], ('bool', 'false')),
    ('is_int', [BUILTINS['len']], ('bool', 'false')),
    ('is_float', [0], ('bool', 'false')),
    ('is_float', [1.5], ('bool', 'true')),
    ('is_float', ['s'], ('bool', 'false')),
    ('is_float', [True], ('bool', 'false')),
    ('is_float', [Char(97)], ('bool', 'false')),
    ('is_float', [b'b'], ('bool', 'false')),
    ('is_float', [Array([1])], ('bool', 'false')),
    ('is_float', [ImmutableArray([])], ('bool', 'false')),
    ('is_float', [{'a': 1}], ('bool', 'false')),
    ('is_float', [ImmutableMap({'b': 2})], ('bool', 'false')),
    ('is_float', [Error(1)], ('bool', 'false')),
    ('is_float', [None], ('bool', 'false')),
    ('is_float', [BUILTINS['len']], ('bool', 'false')),
    ('is_string', [0], ('bool', 'false')),
    ('is_string', [1.5], ('bool', 'false')),
    ('is_string', ['s'], ('bool', 'true')),
    ('is_string', [True], ('bool', 'false')),
    ('is_string', [Char(97)], ('bool', 'false')),
    ('is_string', [b'b'], ('bool', 'false')),
    ('is_string', [Array([1])], ('bool', 'false')),
    ('is_string', [ImmutableArray([])], ('bool', 'false')),
    ('is_string', [{'a': 1}], ('bool', 'false')),
    ('is_string', [ImmutableMap({'b': 2})], ('bool', 'false')),
    ('is_string', [Error(1)], ('bool', 'false')),
    ('is_string', [None], ('bool', 'false')),
    ('is_string', [BUILTINS['len']], ('bool', 'false')),
    ('is_bool', [0], ('bool', 'false')),
    ('is_bool', [1.5], ('bool', 'false')),
    ('is_bool', ['s'], ('bool', 'false')),
    ('is_bool', [True], ('bool', 'true')),
    ('is_bool', [Char(97)], ('bool', 'false')),
    ('is_bool', [b'b'], ('bool', 'false')),
    ('is_bool', [Array([1])], ('bool', 'false')),
    ('is_bool', [ImmutableArray([])], ('bool', 'false')),
    ('is_bool', [{'a': 1}], ('bool', 'false')),
    ('is_bool', [ImmutableMap({'b': 2})], ('bool', 'false')),
    ('is_bool', [Error(1)], ('bool', 'false')),
    ('is_bool', [None], ('bool', 'false')),
    ('is_bool', [BUILTINS['len']], ('bool', 'false')),
    ('is_char', [0], ('bool', 'false')),
    ('is_char', [1.5], ('bool', 'false')),
    ('is_char', ['s'], ('bool', 'false')),
    ('is_char', [True], ('bool', 'false')),
    ('is_char', [Char(97)], ('bool', 'true')),
    ('is_char', [b'b'], ('bool', 'false')),
    ('is_char', [Array([1])], ('bool', 'false')),
    ('is_char', [ImmutableArray([])], ('bool', 'false')),
    ('is_char', [{'a': 1}], ('bool', 'false')),
    ('is_char', [ImmutableMap({'b': 2})], ('bool', 'false')),
    ('is_char', [Error(1)], ('bool', 'false')),
    ('is_char', [None], ('bool', 'false')),
    ('is_char', [BUILTINS['len']], ('bool', 'false')),
    ('is_bytes', [0], ('bool', 'false')),
    ('is_bytes', [1.5], ('bool', 'false')),
    ('is_bytes', ['s'], ('bool', 'false')),
    ('is_bytes', [True], ('bool', 'false')),
    ('is_bytes', [Char(97)], ('bool', 'false')),
    ('is_bytes', [b'b'], ('bool', 'true')),
    ('is_bytes', [Array([1])], ('bool', 'false')),
    ('is_bytes', [ImmutableArray([])], ('bool', 'false')),
    ('is_bytes', [{'a': 1}], ('bool', 'false')),
    ('is_bytes', [ImmutableMap({'b': 2})], ('bool', 'false')),
    ('is_bytes', [Error(1)], ('bool', 'false')),
    ('is_bytes', [None], ('bool', 'false')),
    ('is_bytes', [BUILTINS['len']], ('bool', 'false')),
    ('is_array', [0], ('bool', 'false')),
    ('is_array', [1.5], ('bool', 'false')),
    ('is_array', ['s'], ('bool', 'false')),
    ('is_array', [True], ('bool', 'false')),
    ('is_array', [Char(97)], ('bool', 'false')),
    ('is_array', [b'b'], ('bool', 'false')),
    ('is_array', [Array([1])], ('bool', 'true')),
    ('is_array', [ImmutableArray([])], ('bool', 'false')),
    ('is_array', [{'a': 1}], ('bool', 'false')),
    ('is_array', [ImmutableMap({'b': 2})], ('bool', 'false')),
    ('is_array', [Error(1)], ('bool', 'false')),
    ('is_array', [None], ('bool', 'false')),
    ('is_array', [BUILTINS['len']], ('bool', 'false')),
    ('is_immutable_array', [0], ('bool', 'false')),
    ('is_immutable_array', [1.5], ('bool', 'false')),
    ('is_immutable_array', ['s'], ('bool', 'false')),
    ('is_immutable_array', [True], ('bool', 'false')),
    ('is_immutable_array', [Char(97)], ('bool', 'false')),
    ('is_immutable_array', [b'b'], ('bool', 'false')),
    ('is_immutable_array', [Array([1])], ('bool', 'false')),
    ('is_immutable_array', [ImmutableArray([])], ('bool', 'true')),
    ('is_immutable_array', [{'a': 1}], ('bool', 'false')),
    ('is_immutable_array', [ImmutableMap({'b': 2})], ('bool', 'false')),
    ('is_immutable_array', [Error(1)], ('bool', 'false')),
    ('is_immutable_array', [None], ('bool', 'false')),
    ('is_immutable_array', [BUILTINS['len']], ('bool', 'false')),
    ('is_map', [0], ('bool', 'false')),
    ('is_map', [1.5], ('bool', 'false')),
    ('is_map', ['s'], ('bool', 'false')),
    ('is_map', [True], ('bool', 'false')),
    ('is_map', [Char(97)], ('bool', 'false')),
    ('is_map', [b'b'], ('bool', 'false')),
    ('is_map', [Array([1])], ('bool', 'false')),
    ('is_map', [ImmutableArray([])], ('bool', 'false')),
    ('is_map', [{'a': 1}], ('bool', 'true')),
    ('is_map', [ImmutableMap({'b': 2})], ('bool', 'false')),
    ('is_map', [Error(1)], ('bool', 'false')),
    ('is_map', [None], ('bool', 'false')),
    ('is_map', [BUILTINS['len']], ('bool', 'false')),
    ('is_immutable_map', [0], ('bool', 'false')),
    ('is_immutable_map', [1.5], ('bool', 'false')),
    ('is_immutable_map', ['s'], ('bool', 'false')),
    ('is_immutable_map', [True], ('bool', 'false')),
    ('is_immutable_map', [Char(97)], ('bool', 'false')),
    ('is_immutable_map', [b'b'], ('bool', 'false')),
    ('is_immutable_map', [Array([1])], ('bool', 'false')),
    ('is_immutable_map', [ImmutableArray([])], ('bool', 'false')),
    ('is_immutable_map', [{'a': 1}], ('bool', 'false')),
    ('is_immutable_map', [ImmutableMap({'b': 2})], ('bool', 'true')),
    ('is_immutable_map', [Error(1)], ('bool', 'false')),
    ('is_immutable_map', [None], ('bool', 'false')),
    ('is_immutable_map', [BUILTINS['len']], ('bool', 'false')),
    ('is_iterable', [0], ('bool', 'false')),
    ('is_iterable', [1.5], ('bool', 'false')),
    ('is_iterable', ['s'], ('bool', 'true')),
    ('is_iterable', [True], ('bool', 'false')),
    ('is_iterable', [Char(97)], ('bool', 'false')),
    ('is_iterable', [b'b'], ('bool', 'true')),
    ('is_iterable', [Array([1])], ('bool', 'true')),
    ('is_iterable', [ImmutableArray([])], ('bool', 'true')),
    ('is_iterable', [{'a': 1}], ('bool', 'true')),
    ('is_iterable', [ImmutableMap({'b': 2})], ('bool', 'true')),
    ('is_iterable', [Error(1)], ('bool', 'false')),
    ('is_iterable', [None], ('bool', 'true')),
    ('is_iterable', [BUILTINS['len']], ('bool', 'false')),
    ('is_error', [0], ('bool', 'false')),
    ('is_error', [1.5], ('bool', 'false')),
    ('is_error', ['s'], ('bool', 'false')),
    ('is_error', [True], ('bool', 'false')),
    ('is_error', [Char(97)], ('bool', 'false')),
    ('is_error', [b'b'], ('bool', 'false')),
    ('is_error', [Array([1])], ('bool', 'false')),
    ('is_error', [ImmutableArray([])], ('bool', 'false')),
    ('is_error', [{'a': 1}], ('bool', 'false')),
    ('is_error', [ImmutableMap({'b': 2})], ('bool', 'false')),
    ('is_error', [Error(1)], ('bool', 'true')),
    ('is_error', [None], ('bool', 'false')),
    ('is_error', [BUILTINS['len']], ('bool', 'false')),
    ('is_undefined', [0], ('bool', 'false')),
    ('is_undefined', [1.5], ('bool', 'false')),
    ('is_undefined', ['s'], ('bool', 'false')),
    ('is_undefined', [True], ('bool', 'false')),
    ('is_undefined', [Char(97)], ('bool', 'false')),
    ('is_undefined', [b'b'], ('bool', 'false')),
    ('is_undefined', [Array([1])], ('bool', 'false')),
    ('is_undefined', [ImmutableArray([])], ('bool', 'false')),
    ('is_undefined', [{'a': 1}], ('bool', 'false')),
    ('is_undefined', [ImmutableMap({'b': 2})], ('bool', 'false')),
    ('is_undefined', [Error(1)], ('bool', 'false')),
    ('is_undefined', [None], ('bool', 'true')),
    ('is_undefined', [BUILTINS['len']], ('bool', 'false')),
    ('is_function', [0], ('bool', 'false')),
    ('is_function', [1.5], ('bool', 'false')),
    ('is_function', ['s'], ('bool', 'false')),
    ('is_function', [True], ('bool', 'false')),
    ('is_function', [Char(97)], ('bool', 'false')),
    ('is_function', [b'b'], ('bool', 'false')),
    ('is_function', [Array([1])], ('bool', 'false')),
    ('is_function', [ImmutableArray([])], ('bool', 'false')),
    ('is_function', [{'a': 1}], ('bool', 'false')),
    ('is_function', [ImmutableMap({'b': 2})], ('bool', 'false')),
    ('is_function', [Error(1)], ('bool', 'false')),
    ('is_function', [None], ('bool', 'false')),
    ('is_function', [BUILTINS['len']], ('bool', 'false')),
    ('is_callable', [0], ('bool', 'false')),
    ('is_callable', [1.5], ('bool', 'false')),
    ('is_callable', ['s'], ('bool', 'false')),
    ('is_callable', [True], ('bool', 'false')),
    ('is_callable', [Char(97)], ('bool', 'false')),
    ('is_callable', [b'b'], ('bool', 'false')),
    ('is_callable', [Array([1])], ('bool', 'false')),
    ('is_callable', [ImmutableArray([])], ('bool', 'false')),
    ('is_callable', [{'a': 1}], ('bool', 'false')),
    ('is_callable', [ImmutableMap({'b': 2})], ('bool', 'false')),
    ('is_callable', [Error(1)], ('bool', 'false')),
    ('is_callable', [None], ('bool', 'false')),
    ('is_callable', [BUILTINS['len']], ('bool', 'true')),
    ('is_time', [0], ('bool', 'false')),
    ('is_time', [1.5], ('bool', 'false')),
    ('is_time', ['s'], ('bool', 'false')),
    ('is_time', [True], ('bool', 'false')),
    ('is_time', [Char(97)], ('bool', 'false')),
    ('is_time', [b'b'], ('bool', 'false')),
    ('is_time', [Array([1])], ('bool', 'false')),
    ('is_time', [ImmutableArray([])], ('bool', 'false')),
    ('is_time', [{'a': 1}], ('bool', 'false')),
    ('is_time', [ImmutableMap({'b': 2})], ('bool', 'false')),
    ('is_time', [Error(1)], ('bool', 'false')),
    ('is_time', [None], ('bool', 'false')),
    ('is_time', [BUILTINS['len']], ('bool', 'false')),
    ('type_name', [0], ('string', 'int')),
    ('type_name', [1.5], ('string', 'float')),
    ('type_name', ['s'], ('string', 'string')),
    ('type_name', [True], ('string', 'bool')),
    ('type_name', [Char(97)], ('string', 'char')),
    ('type_name', [b'b'], ('string', 'bytes')),
    ('type_name', [Array([1])], ('string', 'array')),
    ('type_name', [ImmutableArray([])], ('string', 'immutable-array')),
    ('type_name', [{'a': 1}], ('string', 'map')),
    ('type_name', [ImmutableMap({'b': 2})], ('string', 'immutable-map')),
    ('type_name', [Error(1)], ('string', 'error')),
    ('type_name', [None], ('string', 'undefined')),
    ('type_name', [BUILTINS['len']], ('string', 'builtin-function:len')),
    ('len', [0], ('ERROR', "invalid type for argument 'first': expected array/string/bytes/map, found int")),
    ('len', [1.5], ('ERROR', "invalid type for argument 'first': expected array/string/bytes/map, found float")),
    ('len', ['s'], ('int', '1')),
    ('len', [True], ('ERROR', "invalid type for argument 'first': expected array/string/bytes/map, found bool")),
    ('len', [Char(97)], ('ERROR', "invalid type for argument 'first': expected array/string/bytes/map, found char")),
    ('len', [b'b'], ('int', '1')),
    ('len', [Array([1])], ('int', '1')),
    ('len', [ImmutableArray([])], ('int', '0')),
    ('len', [{'a': 1}], ('int', '1')),
    ('len', [ImmutableMap({'b': 2})], ('int', '1')),
    ('len', [Error(1)], ('ERROR', "invalid type for argument 'first': expected array/string/bytes/map, found error")),
    ('len', [None], ('ERROR', "invalid type for argument 'first': expected array/string/bytes/map, found undefined")),
    ('len', [BUILTINS['len']], ('ERROR', "invalid type for argument 'first': expected array/string/bytes/map, found builtin-function:len")),
    ('copy', [0], ('int', '0')),
    ('copy', [1.5], ('float', '1.5')),
    ('copy', ['s'], ('string', 's')),
    ('copy', [True], ('bool', 'true')),
    ('copy', [Char(97)], ('char', 'a')),
    ('copy', [b'b'], ('bytes', b'b')),
    ('copy', [Array([1])], ('array', '[1]')),
    ('copy', [ImmutableArray([])], ('array', '[]')),
    ('copy', [{'a': 1}], ('map', '{a: 1}')),
    ('copy', [ImmutableMap({'b': 2})], ('map', '{b: 2}')),
    ('copy', [Error(1)], ('error', 'error: 1')),
    ('copy', [None], ('undefined', '<undefined>')),
    ('freeze', [0], ('int', '0')),
    ('freeze', [1.5], ('float', '1.5')),
    ('freeze', ['s'], ('string', 's')),
    ('freeze', [True], ('bool', 'true')),
    ('freeze', [Char(97)], ('char', 'a')),
    ('freeze', [b'b'], ('bytes', b'b')),
    ('freeze', [Array([1])], ('immutable-array', '[1]')),
    ('freeze', [ImmutableArray([])], ('immutable-array', '[]')),
    ('freeze', [{'a': 1}], ('immutable-map', '{a: 1}')),
    ('freeze', [ImmutableMap({'b': 2})], ('immutable-map', '{b: 2}')),
    ('freeze', [Error(1)], ('error', 'error: 1')),
    ('freeze', [None], ('undefined', '<undefined>')),
    ('freeze', [BUILTINS['len']], ('builtin-function:len', '<builtin-function>')),
    ('len', [], ('ERROR', 'wrong number of arguments')),
    ('copy', [], ('ERROR', 'wrong number of arguments')),
    ('append', [], ('ERROR', 'wrong number of arguments')),
    ('delete', [], ('ERROR', 'wrong number of arguments')),
    ('splice', [], ('ERROR', 'wrong number of arguments')),
    ('string', [], ('ERROR', 'wrong number of arguments')),
    ('int', [], ('ERROR', 'wrong number of arguments')),
    ('bool', [], ('ERROR', 'wrong number of arguments')),
    ('float', [], ('ERROR', 'wrong number of arguments')),
    ('char', [], ('ERROR', 'wrong number of arguments')),
    ('bytes', [], ('ERROR', 'wrong number of arguments')),
    ('time', [], ('ERROR', 'wrong number of arguments')),
    ('is_int', [], ('ERROR', 'wrong number of arguments')),
    ('is_float', [], ('ERROR', 'wrong number of arguments')),
    ('is_string', [], ('ERROR', 'wrong number of arguments')),
    ('is_bool', [], ('ERROR', 'wrong number of arguments')),
    ('is_char', [], ('ERROR', 'wrong number of arguments')),
    ('is_bytes', [], ('ERROR', 'wrong number of arguments')),
    ('is_array', [], ('ERROR', 'wrong number of arguments')),
    ('is_immutable_array', [], ('ERROR', 'wrong number of arguments')),
    ('is_map', [], ('ERROR', 'wrong number of arguments')),
    ('is_immutable_map', [], ('ERROR', 'wrong number of arguments')),
    ('is_iterable', [], ('ERROR', 'wrong number of arguments')),
    ('is_time', [], ('ERROR', 'wrong number of arguments')),
    ('is_error', [], ('ERROR', 'wrong number of arguments')),
    ('is_undefined', [], ('ERROR', 'wrong number of arguments')),
    ('is_function', [], ('ERROR', 'wrong number of arguments')),
    ('is_callable', [], ('ERROR', 'wrong number of arguments')),
    ('type_name', [], ('ERROR', 'wrong number of arguments')),
    ('format', [], ('ERROR', 'wrong number of arguments')),
    ('range', [], ('ERROR', 'wrong number of arguments')),
    ('freeze', [], ('ERROR', 'wrong number of arguments')),
    ('len', [1, 2, 3], ('ERROR', 'wrong number of arguments')),
    ('copy', [1, 2, 3], ('ERROR', 'wrong number of arguments')),
    ('delete', [1, 2, 3], ('ERROR', 'wrong number of arguments')),
    ('string', [1, 2, 3], ('ERROR', 'wrong number of arguments')),
    ('int', [1, 2, 3], ('ERROR', 'wrong number of arguments')),
    ('bool', [1, 2, 3], ('ERROR', 'wrong number of arguments')),
    ('float', [1, 2, 3], ('ERROR', 'wrong number of arguments')),
    ('char', [1, 2, 3], ('ERROR', 'wrong number of arguments')),
    ('bytes', [1, 2, 3], ('ERROR', 'wrong number of arguments')),
    ('time', [1, 2, 3], ('ERROR', 'wrong number of arguments')),
    ('is_int', [1, 2, 3], ('ERROR', 'wrong number of arguments')),
    ('is_float', [1, 2, 3], ('ERROR', 'wrong number of arguments')),
    ('is_string', [1, 2, 3], ('ERROR', 'wrong number of arguments')),
    ('is_bool', [1, 2, 3], ('ERROR', 'wrong number of arguments')),
    ('is_char', [1, 2, 3], ('ERROR', 'wrong number of arguments')),
    ('is_bytes', [1, 2, 3], ('ERROR', 'wrong number of arguments')),
    ('is_array', [1, 2, 3], ('ERROR', 'wrong number of arguments')),
    ('is_immutable_array', [1, 2, 3], ('ERROR', 'wrong number of arguments')),
    ('is_map', [1, 2, 3], ('ERROR', 'wrong number of arguments')),
    ('is_immutable_map', [1, 2, 3], ('ERROR', 'wrong number of arguments')),
    ('is_iterable', [1, 2, 3], ('ERROR', 'wrong number of arguments')),
    ('is_time', [1, 2, 3], ('ERROR', 'wrong number of arguments')),
    ('is_error', [1, 2, 3], ('ERROR', 'wrong number of arguments')),
    ('is_undefined', [1, 2, 3], ('ERROR', 'wrong number of arguments')),
    ('is_function', [1, 2, 3], ('ERROR', 'wrong number of arguments')),
    ('is_callable', [1, 2, 3], ('ERROR', 'wrong number of arguments')),
    ('type_name', [1, 2, 3], ('ERROR', 'wrong number of arguments')),
    ('freeze', [1, 2, 3], ('ERROR', 'wrong number of arguments')),
    ('append', [Array([1]), 2, 3], ('array', '[1, 2, 3]')),
    ('append', [ImmutableArray([1]), 'x'], ('array', '[1, "x"]')),
    ('append', [Array([])], ('ERROR', 'wrong number of arguments')),
    ('append', [1, 2], ('ERROR', "invalid type for argument 'first': expected array, found int")),
    ('append', [None, 1], ('ERROR', "invalid type for argument 'first': expected array, found undefined")),
    ('append', [{'a': 1}, 1], ('ERROR', "invalid type for argument 'first': expected array, found map")),
    ('delete', [{'a': 1, 'b': 2}, 'a'], ('undefined', '<undefined>')),
    ('delete', [{'a': 1}, 'zz'], ('undefined', '<undefined>')),
    ('delete', [{}], ('ERROR', 'wrong number of arguments')),
    ('delete', [{}, 1], ('ERROR', "invalid type for argument 'second': expected string, found int")),
    ('delete', [ImmutableMap({'a': 1}), 'a'], ('ERROR', "invalid type for argument 'first': expected map, found immutable-map")),
    ('delete', [Array([]), 'a'], ('ERROR', "invalid type for argument 'first': expected map, found array")),
    ('delete', [{}, 'a', 'b'], ('ERROR', 'wrong number of arguments')),
    ('splice', [Array([1, 2, 3])], ('array', '[1, 2, 3]')),
    ('splice', [Array([1, 2, 3]), 1], ('array', '[2, 3]')),
    ('splice', [Array([1, 2, 3]), 0, 1], ('array', '[1]')),
    ('splice', [Array([1, 2, 3]), 3, 0, 'd'], ('array', '[]')),
    ('splice', [Array([1, 2, 3]), 4], ('ERROR', 'index out of bounds')),
    ('splice', [Array([1, 2, 3]), -1], ('ERROR', 'index out of bounds')),
    ('splice', [Array([1, 2, 3]), 1, -1], ('ERROR', 'index out of bounds')),
    ('splice', [Array([1, 2, 3]), 1, 99], ('array', '[2, 3]')),
    ('splice', [Array([1, 2, 3]), '1'], ('ERROR', "invalid type for argument 'second': expected int, found string")),
    ('splice', [Array([1, 2, 3]), 1, 1.0], ('ERROR', "invalid type for argument 'third': expected int, found float")),
    ('splice', [ImmutableArray([1]), 0], ('ERROR', "invalid type for argument 'first': expected array, found immutable-array")),
    ('splice', [1], ('ERROR', "invalid type for argument 'first': expected array, found int")),
    ('range', [0, 5], ('array', '[0, 1, 2, 3, 4]')),
    ('range', [5, 0], ('array', '[5, 4, 3, 2, 1]')),
    ('range', [0, 10, 3], ('array', '[0, 3, 6, 9]')),
    ('range', [10, 0, 3], ('array', '[10, 7, 4, 1]')),
    ('range', [0, 0], ('array', '[]')),
    ('range', [3, 3, 2], ('array', '[]')),
    ('range', [0, 5, 0], ('ERROR', 'range step must be greater than 0')),
    ('range', [0, 5, -1], ('ERROR', 'range step must be greater than 0')),
    ('range', [0], ('ERROR', 'wrong number of arguments')),
    ('range', [0, 1, 2, 3], ('ERROR', 'wrong number of arguments')),
    ('range', ['a', 1], ('ERROR', "invalid type for argument 'start': expected int, found string")),
    ('range', [0, 1.5], ('ERROR', "invalid type for argument 'stop': expected int, found float")),
    ('range', [0, 1, 's'], ('ERROR', "invalid type for argument 'step': expected int, found string")),
    ('range', ['a', 1, 0], ('ERROR', "invalid type for argument 'start': expected int, found string")),
    ('range', [0, 1, 0.5], ('ERROR', "invalid type for argument 'step': expected int, found float")),
    ('range', [-3, 3, 2], ('array', '[-3, -1, 1]')),
    ('range', [9223372036854775805, 9223372036854775807], ('array', '[9223372036854775805, 9223372036854775806]')),
    ('format', [1], ('ERROR', "invalid type for argument 'format': expected string, found int")),
    ('format', [None, 1], ('ERROR', "invalid type for argument 'format': expected string, found undefined")),
    ('format', ['x'], ('string', 'x')),
    ('format', ['%d', 1], ('string', '1')),
    ('format', ['%d'], ('string', '%d')),
    ('format', ['%!'], ('string', '%!')),
    ('type_name', [BUILTINS['is_int']], ('string', 'builtin-function:is_int')),
    ('freeze', [Array([1, Array([2]), {'a': Array([])}])], ('immutable-array', '[1, [2], {a: []}]')),
    ('freeze', [ImmutableArray([Array([1])])], ('immutable-array', '[[1]]')),
    ('freeze', [ImmutableMap({'x': {'y': 1}})], ('immutable-map', '{x: {y: 1}}')),
    ('freeze', [Error(Array([1]))], ('error', 'error: [1]')),
    ('copy', [ImmutableArray([1, ImmutableArray([2])])], ('array', '[1, [2]]')),
    ('copy', [ImmutableMap({'a': ImmutableArray([])})], ('map', '{a: []}')),
    ('copy', [Error(Array([1]))], ('error', 'error: [1]')),
    ('string', [1e+21], ('string', '1000000000000000000000')),
    ('string', [1.0], ('string', '1')),
    ('string', [1e-07], ('string', '0.0000001')),
    ('string', [Array([1, 'b', Char(99), None, b'x', 1.5])], ('string', '[1, "b", c, <undefined>, x, 1.5]')),
    ('string', [ImmutableMap({'k': 'v'})], ('string', '{k: "v"}')),
    ('string', [BUILTINS['len']], ('string', '<builtin-function>')),
    ('time', ['x'], ('undefined', '<undefined>')),
    ('time', ['x', 5], ('int', '5')),
]


@pytest.mark.parametrize(
    ("name", "args", "expected"), CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)]
)
def test_builtin_matches_go(name: str, args: list[Any], expected: tuple[str, Any]) -> None:
    assert outcome(name, args) == expected


# ---------------------------------------------------------------- registration

def test_every_go_builtin_is_registered_in_go_order() -> None:
    assert list(BUILTINS) == [
        "len", "copy", "append", "delete", "splice", "string", "int", "bool", "float", "char",
        "bytes", "time", "is_int", "is_float", "is_string", "is_bool", "is_char", "is_bytes",
        "is_array", "is_immutable_array", "is_map", "is_immutable_map", "is_iterable",
        "is_time", "is_error", "is_undefined", "is_function", "is_callable", "type_name",
        "format", "range", "freeze",
    ]


def test_builtins_report_their_type_name() -> None:
    for name, fn in BUILTINS.items():
        assert type_name(fn) == "builtin-function:" + name
        assert values.go_string(fn) == "<builtin-function>"


# ---------------------------------------------------------------- Go slice aliasing

def _slice(a: Array, lo: int, hi: int) -> Array:
    """`a[lo:hi]` as the runtime builds it: sharing the buffer, capacity to the end."""
    return Array.view(a.buf, a.lo + lo, hi - lo, a.cap - lo)


def _show(*vs: Any) -> str:
    return values.go_string(Array(list(vs)))


@pytest.mark.parametrize(
    ("n", "cap"), [(0, 0), (1, 1), (2, 2), (3, 4), (5, 8), (256, 256), (257, 512)]
)
def test_appended_cap_follows_go_growth(n: int, cap: int) -> None:
    assert appended_cap(n) == cap


def test_splice_of_a_slice_writes_into_the_parent() -> None:
    # Go: a := [1,2,3,4]; b := a[0:2]; c := splice(b, 1, 0, 9) -> [[1,9,2,4], [1,9,2], []]
    a = grown_array([1, 2, 3, 4])
    b = _slice(a, 0, 2)
    c = BUILTINS["splice"](b, 1, 0, 9)
    assert _show(a, b, c) == "[[1, 9, 2, 4], [1, 9, 2], []]"


def test_splice_removing_from_a_slice_shifts_the_parent() -> None:
    # Go: a := [1,2,3,4,5]; b := a[1:3]; c := splice(b, 0, 1) -> [[1,3,3,4,5], [3], [2]]
    a = grown_array([1, 2, 3, 4, 5])
    b = _slice(a, 1, 3)
    c = BUILTINS["splice"](b, 0, 1)
    assert _show(a, b, c) == "[[1, 3, 3, 4, 5], [3], [2]]"


def test_splice_inserting_more_than_it_removes() -> None:
    # Go: a := [1,2,3]; c := splice(a, 1, 1, 7, 8, 9) -> [[1,7,8,9,3], [2]]
    a = grown_array([1, 2, 3])
    c = BUILTINS["splice"](a, 1, 1, 7, 8, 9)
    assert _show(a, c) == "[[1, 7, 8, 9, 3], [2]]"


def test_splice_with_no_start_empties_the_array() -> None:
    a = grown_array([1, 2, 3])
    assert _show(BUILTINS["splice"](a), a) == "[[1, 2, 3], []]"


def test_splice_count_overflowing_int64_is_a_runtime_error() -> None:
    # Go's int overflows and the slice expression panics; the port reports it cleanly.
    with pytest.raises(RuntimeErr, match="slice bounds out of range"):
        BUILTINS["splice"](Array([1, 2, 3]), 1, values.INT_MAX)


@pytest.mark.parametrize("make", [lambda: BUILTINS["range"](0, 3),
                                  lambda: BUILTINS["copy"](Array([0, 1, 2]))])
def test_append_reuses_spare_capacity_like_go(make: Any) -> None:
    # Go: a := range(0, 3); b := append(a, 9); c := append(a, 7) -> b == [0, 1, 2, 7]
    a = make()
    b = BUILTINS["append"](a, 9)
    c = BUILTINS["append"](a, 7)
    assert _show(a, b, c) == "[[0, 1, 2], [0, 1, 2, 7], [0, 1, 2, 7]]"


def test_append_to_an_immutable_array_gives_a_mutable_array() -> None:
    a = ImmutableArray([1, 2])
    b = BUILTINS["append"](a, 3)
    assert type(b) is Array and _show(a, b) == "[[1, 2], [1, 2, 3]]"


def test_delete_mutates_the_map_and_returns_undefined() -> None:
    m = {"a": 1, "b": 2}
    assert BUILTINS["delete"](m, "a") is None
    assert m == {"b": 2}


# ---------------------------------------------------------------- copy and freeze

def test_copy_is_deep() -> None:
    inner = Array([2, 3])
    src = Array([1, inner, {"k": Array([4])}])
    dup = BUILTINS["copy"](src)
    inner.buf[0] = 99
    assert values.go_string(dup) == "[1, [2, 3], {k: [4]}]"
    assert dup.get(1) is not inner


def test_copy_of_immutable_containers_is_mutable() -> None:
    dup = BUILTINS["copy"](ImmutableArray([ImmutableMap({"a": ImmutableArray([])})]))
    assert type(dup) is Array
    assert type(dup.get(0)) is dict
    assert type(dup.get(0)["a"]) is Array


def test_freeze_is_deep_and_detached() -> None:
    # Go: m := {a: [1]}; f := freeze(m); m.a[0] = 5 -> f == {a: [1]}, f.a immutable
    m = {"a": Array([1])}
    f = BUILTINS["freeze"](m)
    m["a"].buf[0] = 5
    assert type(f) is ImmutableMap and type(f.d["a"]) is ImmutableArray
    assert values.go_string(f) == "{a: [1]}"


def test_freeze_keeps_cycles() -> None:
    # Go: a := [1, 2]; a[1] = a; f := freeze(a) -> f[1] and f[1][1] are immutable arrays
    a = grown_array([1, 2])
    a.buf[1] = a
    f = BUILTINS["freeze"](a)
    assert type(f) is ImmutableArray and f.get(1) is f and f.get(0) == 1


def test_freeze_shares_one_copy_of_a_shared_subtree() -> None:
    x = Array([1])
    f = BUILTINS["freeze"](Array([x, x]))
    assert f.get(0) is f.get(1) and type(f.get(0)) is ImmutableArray


def test_freeze_returns_an_already_frozen_value_itself() -> None:
    # Go: b := immutable([1]); freeze(b) == b (same object, nothing allocated)
    frozen = ImmutableArray([1, ImmutableMap({"a": "x"})])
    assert BUILTINS["freeze"](frozen) is frozen
    outer = ImmutableArray([Array([1])])
    refrozen = BUILTINS["freeze"](outer)
    assert refrozen is not outer and type(refrozen.get(0)) is ImmutableArray


def test_freeze_of_an_immutable_array_containing_itself_terminates() -> None:
    a = Array([0])
    imm = ImmutableArray.view(a.buf, 0, 1, 1)  # immutable(a) shares a's storage
    a.buf[0] = imm
    assert BUILTINS["freeze"](imm) is imm


@pytest.mark.parametrize("v", [1, "s", b"b", Char(97), Error(Array([])), None])
def test_freeze_returns_other_values_as_they_are(v: Any) -> None:
    assert BUILTINS["freeze"](v) is v


# ---------------------------------------------------------------- predicates

def test_is_function_only_for_script_functions() -> None:
    def host(*args: Any) -> None:
        return None

    assert BUILTINS["is_function"](host) is False
    assert BUILTINS["is_callable"](host) is True
    assert BUILTINS["is_callable"](Array([])) is False


def test_undefined_is_iterable_as_in_go() -> None:
    assert BUILTINS["is_iterable"](None) is True


def test_time_builtin_and_is_time() -> None:
    t = BUILTINS["time"](1257894000)
    assert type_name(t) == "time" and BUILTINS["is_time"](t) is True
    assert values.go_string(t) == "2009-11-10 23:00:00 +0000 UTC"
    assert BUILTINS["time"](t) is t
    assert BUILTINS["time"]("x", 5) == 5


def test_len_counts_utf8_bytes() -> None:
    assert BUILTINS["len"]("héllo") == 6
    assert BUILTINS["len"]("\udcff") == 1  # one invalid byte


def test_conversions_return_the_same_object_for_their_own_type() -> None:
    arr = Array([1])
    assert BUILTINS["string"]("s", 1) == "s"
    assert BUILTINS["int"](True) == 1 and type(BUILTINS["int"](True)) is int
    assert BUILTINS["bytes"](arr, arr) is arr


# ---------------------------------------------------------------- memory budget

@pytest.fixture
def small_budget() -> Iterator[int]:
    saved = limits.budget.max_bytes
    limits.budget.max_bytes = 10_000
    try:
        yield limits.budget.max_bytes
    finally:
        limits.budget.max_bytes = saved


def test_bytes_of_n_is_budget_checked(small_budget: int) -> None:
    assert BUILTINS["bytes"](small_budget) == bytes(small_budget)
    with pytest.raises(limits.MemoryLimitExceeded):
        BUILTINS["bytes"](small_budget + 1)


def test_huge_range_fails_before_allocating(small_budget: int) -> None:
    with pytest.raises(limits.MemoryLimitExceeded):
        BUILTINS["range"](values.INT_MIN, values.INT_MAX)
    with pytest.raises(limits.MemoryLimitExceeded):
        BUILTINS["range"](10**6, 0, 1)
    assert len(BUILTINS["range"](0, 100)) == 100


def test_copy_of_a_huge_tree_is_budget_checked(small_budget: int) -> None:
    node: Any = Array([1])
    for _ in range(20):  # 2**20 leaves when expanded, only 21 arrays in memory
        node = Array([node, node])
    with pytest.raises(limits.MemoryLimitExceeded):
        BUILTINS["copy"](node)


def test_string_of_a_huge_tree_is_budget_checked(small_budget: int) -> None:
    node: Any = Array(["x" * 100])
    for _ in range(20):
        node = Array([node, node])
    with pytest.raises(limits.MemoryLimitExceeded):
        BUILTINS["string"](node)


def test_string_of_a_cyclic_array_is_a_limit_error_not_a_crash(small_budget: int) -> None:
    a = Array([1])
    a.buf[0] = a
    with pytest.raises(limits.MemoryLimitExceeded):
        BUILTINS["string"](a)


def test_format_of_a_huge_width_is_budget_checked(small_budget: int) -> None:
    with pytest.raises(limits.MemoryLimitExceeded):
        BUILTINS["format"]("%10000000d", 1)
