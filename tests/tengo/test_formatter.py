"""Tengo's `format` / `fmt.sprintf`: Go verbs × Tengo value types, pinned against Go Tengo.

Every expected string in `CASES` was produced by the real Go Tengo (d5/tengo v2) running
`format(fmt, args...)`; the table covers each verb on each value type, flags, widths and
precisions (fixed, `*` and `[n]`), bad verbs, missing/extra arguments and invalid UTF-8.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from typing import Any

import pytest

from scriptvisor.engines import limits
from scriptvisor.engines.tengo import state
from scriptvisor.engines.tengo.builtins import BUILTINS
from scriptvisor.engines.tengo.formatter import ftoa, go_format
from scriptvisor.engines.tengo.stdlib import fmt
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

# (format, arguments, Go Tengo's output)
CASES: list[tuple[str, list[Any], str]] = [
    ('%*d', [5, 1], '    1'),
    ('%-*d|', [5, 1], '1    |'),
    ('%*d', ['5', 1], '    1'),
    ('%*d', [5.9, 1], '    1'),
    ('%*d', [True, 1], '1'),
    ('%*d', ['x', 1], '%!(BADWIDTH)1'),
    ('%*d', [10000000, 1], '%!(BADWIDTH)1'),
    ('%.*f', [2, 3.14159], '3.14'),
    ('%.*f', [-2, 3.14159], '%!(BADPREC)3.141590'),
    ('%.*f', ['z', 3.14159], '%!(BADPREC)3.141590'),
    ('%*.*f', [8, 2, 3.14159], '    3.14'),
    ('%[2]d %[1]d', [1, 2], '2 1'),
    ('%[3]d', [1, 2], '%!d(BADINDEX)'),
    ('%[0]d', [1], '%!d(BADINDEX)'),
    ('%[x]d', [1], '%!d(BADINDEX)'),
    ('%[1]d %d', [1, 2], '1 2'),
    ('%[2]*[1]d', [12, 5], '   12'),
    ('%d %d', [1], '1 %!d(MISSING)'),
    ('%d', [1, 2, 'x', None, 1.5], '1%!(EXTRA int=2, string="x", undefined=<undefined>, float=1.5)'),
    ('%', [1], '%!(NOVERB)%!(EXTRA int=1)'),
    ('%5', [1], '%!(NOVERB)%!(EXTRA int=1)'),
    ('%.', [1], '%!.(1=1)'),
    ('%5.', [1], '%!.(1=    1)'),
    ('%!', [1], '%!!(1=1)'),
    ('%é', [1], '%!é(1=1)'),
    ('100%%', [1], '100%%!(EXTRA int=1)'),
    ('%999999999d', [1], '%!(NOVERB)%!(EXTRA int=1)'),
    ('%d%', [1], '1%!(NOVERB)'),
    ('%[1]', [1], '%!(NOVERB)'),
    ('%[1', [1], '%!(NOVERB)'),
    ('%[]d', [1], '%!d(BADINDEX)'),
    ('%[1]2d', [1], '%!d(BADINDEX)'),
    ('%[1].2d', [1], '%!d(BADINDEX)'),
    ('%.[1]2d', [1], '01'),
    ('%3[1]d', [1], '  1'),
    ('%[2]d', [1], '%!d(BADINDEX)'),
    ('%*[2]d', [4, 1], '   1'),
    ('%v %v', [Array([1, Array(['a'])]), {'k': 'v'}], '[1, ["a"]] {k: "v"}'),
    ('%s', [Error('x')], 'error: "x"'),
    ('%d', [Error(1)], '%!d(error: 1=error: 1)'),
    ('%x', [Array([1])], '5b315d'),
    ('%q', [Char(10)], '"\\n"'),
    ('%q', [1114112], '%!q(1114112=1114112)'),
    ('%q', [-1], '%!q(-1=-1)'),
    ('%c', [-1], '�'),
    ('%c', [55296], '�'),
    ('%c', [1114112], '�'),
    ('%U', [-1], 'U+FFFFFFFFFFFFFFFF'),
    ('%#U', [128512], "U+1F600 '😀'"),
    ('%#U', [10], 'U+000A'),
    ('%#.8U', [65], "U+00000041 'A'"),
    ('%-10U|', [65], 'U+0041    |'),
    ('%010U', [65], '    U+0041'),
    ('%+q', ['héllo☺😀'], '"h\\u00e9llo\\u263a\\U0001f600"'),
    ('%q', ['\x00\x7f\xa0\u2028\ufeff'], '"\\x00\\x7f\\u00a0\\u2028\\ufeff"'),
    ('%#q', ['ab'], '`ab`'),
    ('%#q', ['a`b'], '"a`b"'),
    ('%#q', ['\ufeff'], '"\\ufeff"'),
    ('%#+q', ['é'], '`é`'),
    ('%+q', [9786], "'\\u263a'"),
    ('%q', [39], "'\\''"),
    ('%q', [34], '\'"\''),
    ('%x', ['héllo'], '68c3a96c6c6f'),
    ('% x', ['abc'], '61 62 63'),
    ('%# x', ['abc'], '0x61 0x62 0x63'),
    ('%#X', ['abc'], '0X616263'),
    ('% #X', [b'\x01\xff'], '0X01 0XFF'),
    ('%08x', ['ab'], '00006162'),
    ('%-8x|', ['ab'], '6162    |'),
    ('%.1x', ['abc'], '61'),
    ('%8x', [''], '        '),
    ('%x', [b''], ''),
    ('%5.0x|', ['ab'], '     |'),
    ('%d', [b'\x01\x02'], '[1 2]'),
    ('%5d', [b'\x01\x02'], '[    1     2]'),
    ('%t', [b'a'], ''),
    ('%c', [b'a'], ''),
    ('%e', [b'a'], ''),
    ('%s', [b'abc'], 'abc'),
    ('%.2s', [b'\xc3\xa9abc'], 'éa'),
    ('%q', [b'a\x00'], '"a\\x00"'),
    ('%T', [b'a'], 'bytes'),
    ('%T', [None], 'undefined'),
    ('%T', [Array([])], 'array'),
    ('%T', [Char(1)], 'char'),
    ('%10T|', [1], '       int|'),
    ('%.2T', [1], 'in'),
    ('%x', [1.5], '0x1.8p+00'),
    ('%X', [-1.5], '-0X1.8P+00'),
    ('%x', [0.0], '0x0p+00'),
    ('%.0x', [1.5], '0x1p+01'),
    ('%.0x', [2.5], '0x1p+01'),
    ('%.1x', [1.03125], '0x1.0p+00'),
    ('%.3x', [1.0], '0x1.000p+00'),
    ('%#x', [1.0], '0x1.000p+00'),
    ('%#.0x', [1.0], '0x1.p+00'),
    ('%x', [5e-324], '0x1p-1074'),
    ('%x', [1.7976931348623157e+308], '0x1.fffffffffffffp+1023'),
    ('%.20x', [1.1], '0x1.199999999999a0000000p+00'),
    ('%X', [1e+300], '0X1.7E43C8800759CP+996'),
    ('%b', [1.0], '4503599627370496p-52'),
    ('%b', [0.0], '0p-1074'),
    ('%b', [-5e-324], '-1p-1074'),
    ('%#g', [1.0], '1.00000'),
    ('%#g', [1e+21], '1.00000e+21'),
    ('%#.3g', [1.0], '1.00'),
    ('%#e', [1.0], '1.000000e+00'),
    ('%#.0e', [1.0], '1.e+00'),
    ('%#.0f', [1.0], '1.'),
    ('%#v', [1.0], '1'),
    ('%#b', [1.0], '4503599627370496p-52'),
    ('%#G', [1e-07], '1.00000E-07'),
    ('%g', [1e-05], '1e-05'),
    ('%g', [0.0001], '0.0001'),
    ('%g', [100000.0], '100000'),
    ('%g', [1000000.0], '1e+06'),
    ('%g', [123456789.0], '1.23456789e+08'),
    ('%.3g', [1200.0], '1.2e+03'),
    ('%.0g', [0.5], '0.5'),
    ('%.1g', [0.05], '0.05'),
    ('%e', [0.0], '0.000000e+00'),
    ('%g', [0.0], '0'),
    ('%G', [-0.0], '-0'),
    ('%.30f', [0.1], '0.100000000000000005551115123126'),
    ('%.2f', [2.675], '2.67'),
    ('%.0f', [0.5], '0'),
    ('%.0f', [1.5], '2'),
    ('%010.3f', [-3.14159], '-00003.142'),
    ('%+010.3f', [3.14159], '+00003.142'),
    ('% 010.3f', [3.14159], ' 00003.142'),
    ('%-010.3f|', [3.14159], '3.142     |'),
    ('%010f', [INF], '      +Inf'),
    ('%+f', [NAN], '+NaN'),
    ('% f', [NAN], ' NaN'),
    ('% f', [INF], ' Inf'),
    ('%+.3e', [123456.789], '+1.235e+05'),
    ('%.3E', [-0.000123], '-1.230E-04'),
    ('%08.3d', [-5], '    -005'),
    ('%+.3d', [5], '+005'),
    ('%.0d', [0], ''),
    ('%5.0d|', [0], '     |'),
    ('%-5.0d|', [0], '     |'),
    ('%05.0d|', [0], '     |'),
    ('% d', [5], ' 5'),
    ('%+d', [0], '+0'),
    ('%#o', [0], '0'),
    ('%#o', [8], '010'),
    ('%#O', [8], '0o010'),
    ('%O', [-8], '-0o10'),
    ('%#b', [5], '0b101'),
    ('%#x', [-255], '-0xff'),
    ('%#X', [255], '0XFF'),
    ('%x', [-9223372036854775808], '-8000000000000000'),
    ('%b', [-1], '-1'),
    ('%o', [9223372036854775807], '777777777777777777777'),
    ('%020d', [-9223372036854775808], '-9223372036854775808'),
    ('%-020d|', [5], '5                   |'),
    ('%-+5d|', [5], '+5   |'),
    ('%05s', ['ab'], '000ab'),
    ('%-05s|', ['ab'], 'ab   |'),
    ('%05v', ['ab'], '0"ab"'),
    ('%05d', ['ab'], '%!d("ab"=0"ab")'),
    ('%.1v', ['ab'], '"'),
    ('%5v', [Array([1])], '  [1]'),
    ('%05c', [65], '0000A'),
    ('%-3c|', [9786], '☺  |'),
    ('%5t', [False], 'false'),
    ('%05t', [True], '0true'),
    ('%v', [Char(0x263a)], '☺'),
    ('%d', [Char(97)], '%!d(a=a)'),
    ('%c', [Char(97)], '%!c(a=a)'),
    ('%s', [Char(97)], 'a'),
    ('%x', [Char(97)], '61'),
    ('%q', [Char(97)], '"a"'),
    ('%5.1s|', ['héllo'], '    h|'),
    ('%.0s|', ['abc'], '|'),
    ('%v', [ImmutableMap({'a': ImmutableArray([1])})], '{a: [1]}'),
    ('%d', [None], '%!d(<undefined>=<undefined>)'),
    ('%s', [None], '<undefined>'),
    ('%v', [None], '<undefined>'),
    ('%q', [None], '"<undefined>"'),
    ('%d %s', [None, None], '%!d(<undefined>=<undefined>) <undefined>'),
    ('%!d(x)', [1], '%!!(1=1)d(x)'),
    ('%v', ['\udcff'], '"\\xff"'),
    ('%s', ['\udcff\udcfe'], '\udcff\udcfe'),
    ('%5s|', ['\udcff'], '    \udcff|'),
    ('%q', ['\udcff'], '"\\xff"'),
    ('%x', ['\udcff'], 'ff'),
    ('%\udcff', [1], '%!�(1=1)'),
    ('%+v', [1], '1'),
    ('%#v', ['s'], '"s"'),
    ('%+v', ['s'], '"s"'),
    ('%# +-0v|', [1], '1|'),
    ('%w', [1], '%!w(1=1)'),
    ('%y', ['s'], '%!y("s"="s")'),
    ('%L', [1], '%!L(1=1)'),
    ('%[1]d %[1]x %[1]o', [10], '10 a 12'),
    ('%[2]d', [1, 2, 3], '2'),
    ('%d %[1]d', [1, 2], '1 1'),
    ('%*d', [-5, 1], '1    '),
    ('%-*d|', [-5, 1], '1    |'),
    ('%0*d', [-5, 1], '1    '),
    ('%.*d', [None, 1], '%!(BADPREC)1'),
    ('%*', [1], '%!(NOVERB)'),
    ('%.*', [1], '%!(NOVERB)'),
    ('%d%d%d', [1, 2], '12%!d(MISSING)'),
    ('abc', [1], 'abc%!(EXTRA int=1)'),
    ('', [1, 2], '%!(EXTRA int=1, int=2)'),
    ('%s', [Array([])], '[]'),
    ('%v', [-0.0], '-0'),
    ('%v', ['a"b\n'], '"a\\"b\\n"'),
    ('%v', [-9223372036854775808], '-9223372036854775808'),
    ('%v', [123456789.0], '123456789'),
    ('%v', [True], 'true'),
    ('%v', ['hi'], '"hi"'),
    ('%d', ['\udcff'], '%!d("\\xff"="\\xff")'),
    ('%d', [42], '42'),
    ('%d', [True], '%!d(true=true)'),
    ('%d', [0], '0'),
    ('%d', ['hi'], '%!d("hi"="hi")'),
    ('%d', [1.5], '%!d(1.5=1.5)'),
    ('%b', ['a"b\n'], '%!b("a\\"b\\n"="a\\"b\\n")'),
    ('%b', [-0.0], '-0p-1074'),
    ('%b', [b'ab\xff'], ''),
    ('%b', ['hi'], '%!b("hi"="hi")'),
    ('%b', [Error('e')], '%!b(error: "e"=error: "e")'),
    ('%b', [None], '%!b(<undefined>=<undefined>)'),
    ('%o', ['hi'], '%!o("hi"="hi")'),
    ('%o', [INF], '%!o(+Inf=+Inf)'),
    ('%o', [None], '%!o(<undefined>=<undefined>)'),
    ('%o', [-9223372036854775808], '-1000000000000000000000'),
    ('%o', [-0.0], '%!o(-0=-0)'),
    ('%o', [Array([1, 'x'])], '%!o([1, "x"]=[1, "x"])'),
    ('%o', [b'ab\xff'], ''),
    ('%O', ['héllo'], '%!O("héllo"="héllo")'),
    ('%O', [INF], '%!O(+Inf=+Inf)'),
    ('%O', [Array([1, 'x'])], '%!O([1, "x"]=[1, "x"])'),
    ('%O', [0], '0o0'),
    ('%O', [Char(97)], '%!O(a=a)'),
    ('%O', [42], '0o52'),
    ('%O', [128512], '0o373000'),
    ('%x', [{'a': 1}], '7b613a20317d'),
    ('%x', [-1], '-1'),
    ('%x', [1e+21], '0x1.b1ae4d6e2ef5p+69'),
    ('%x', [0], '0'),
    ('%x', ['hi'], '6869'),
    ('%X', [True], '%!X(true=true)'),
    ('%X', [Array([1, 'x'])], '5B312C202278225D'),
    ('%X', [INF], '+Inf'),
    ('%X', [b'ab\xff'], '6162FF'),
    ('%X', [NAN], 'NaN'),
    ('%X', [{'a': 1}], '7B613A20317D'),
    ('%X', ['\udcff'], 'FF'),
    ('%c', [''], '%!c(""="")'),
    ('%c', [-9223372036854775808], '�'),
    ('%c', [123456789.0], '%!c(123456789=123456789)'),
    ('%c', [255], 'ÿ'),
    ('%c', [{'a': 1}], '%!c({a: 1}={a: 1})'),
    ('%c', ['hi'], '%!c("hi"="hi")'),
    ('%q', [0.0], '%!q(0=0)'),
    ('%q', [1.5], '%!q(1.5=1.5)'),
    ('%q', [NAN], '%!q(NaN=NaN)'),
    ('%q', [1e+21], '%!q(1000000000000000000000=1000000000000000000000)'),
    ('%q', [b'ab\xff'], '"ab\\xff"'),
    ('%U', ['héllo'], '%!U("héllo"="héllo")'),
    ('%U', [INF], '%!U(+Inf=+Inf)'),
    ('%U', ['\udcff'], '%!U("\\xff"="\\xff")'),
    ('%U', [123456789.0], '%!U(123456789=123456789)'),
    ('%U', ['a"b\n'], '%!U("a\\"b\\n"="a\\"b\\n")'),
    ('%U', [Array([1, 'x'])], '%!U([1, "x"]=[1, "x"])'),
    ('%U', [NAN], '%!U(NaN=NaN)'),
    ('%e', ['\udcff'], '%!e("\\xff"="\\xff")'),
    ('%e', [-0.0], '-0.000000e+00'),
    ('%e', [1e-07], '1.000000e-07'),
    ('%e', [Char(97)], '%!e(a=a)'),
    ('%e', [0], '%!e(0=0)'),
    ('%e', [1.5], '1.500000e+00'),
    ('%e', [True], '%!e(true=true)'),
    ('%E', [Char(97)], '%!E(a=a)'),
    ('%E', [b'ab\xff'], ''),
    ('%E', [128512], '%!E(128512=128512)'),
    ('%E', [{'a': 1}], '%!E({a: 1}={a: 1})'),
    ('%E', [1e-07], '1.000000E-07'),
    ('%E', ['a"b\n'], '%!E("a\\"b\\n"="a\\"b\\n")'),
    ('%E', ['\udcff'], '%!E("\\xff"="\\xff")'),
    ('%f', ['\udcff'], '%!f("\\xff"="\\xff")'),
    ('%f', [255], '%!f(255=255)'),
    ('%f', [b'ab\xff'], ''),
    ('%f', [None], '%!f(<undefined>=<undefined>)'),
    ('%f', [0.0], '0.000000'),
    ('%f', [Array([1, 'x'])], '%!f([1, "x"]=[1, "x"])'),
    ('%f', [Error('e')], '%!f(error: "e"=error: "e")'),
    ('%F', [1.5], '1.500000'),
    ('%F', [1e+21], '1000000000000000000000.000000'),
    ('%F', [255], '%!F(255=255)'),
    ('%F', [42], '%!F(42=42)'),
    ('%F', ['hi'], '%!F("hi"="hi")'),
    ('%F', [None], '%!F(<undefined>=<undefined>)'),
    ('%F', [Char(97)], '%!F(a=a)'),
    ('%g', [42], '%!g(42=42)'),
    ('%g', [Error('e')], '%!g(error: "e"=error: "e")'),
    ('%g', [NAN], 'NaN'),
    ('%g', [-9223372036854775808], '%!g(-9223372036854775808=-9223372036854775808)'),
    ('%g', [0], '%!g(0=0)'),
    ('%g', [1e+21], '1e+21'),
    ('%G', [NAN], 'NaN'),
    ('%G', [{'a': 1}], '%!G({a: 1}={a: 1})'),
    ('%G', [Error('e')], '%!G(error: "e"=error: "e")'),
    ('%G', [255], '%!G(255=255)'),
    ('%G', [-1], '%!G(-1=-1)'),
    ('%G', [True], '%!G(true=true)'),
    ('%G', [None], '%!G(<undefined>=<undefined>)'),
    ('%s', [{'a': 1}], '{a: 1}'),
    ('%s', [-1], '%!s(-1=-1)'),
    ('%s', [INF], '%!s(+Inf=+Inf)'),
    ('%s', [b'ab\xff'], 'ab\udcff'),
    ('%s', ['\udcff'], '\udcff'),
    ('%s', [1e-07], '%!s(0.0000001=0.0000001)'),
    ('%s', ['a"b\n'], 'a"b\n'),
    ('%t', [1.5], '%!t(1.5=1.5)'),
    ('%t', ['héllo'], '%!t("héllo"="héllo")'),
    ('%t', [-0.0], '%!t(-0=-0)'),
    ('%t', [-1], '%!t(-1=-1)'),
    ('%t', [1e+21], '%!t(1000000000000000000000=1000000000000000000000)'),
    ('%t', [0], '%!t(0=0)'),
    ('%t', [42], '%!t(42=42)'),
    ('%T', [255], 'int'),
    ('%T', [True], 'bool'),
    ('%T', ['a"b\n'], 'string'),
    ('%T', [-1], 'int'),
    ('%T', [0.0], 'float'),
    ('%T', [NAN], 'float'),
    ('%T', [1e+21], 'float'),
    ('%z', [True], '%!z(true=true)'),
    ('%z', [1.5], '%!z(1.5=1.5)'),
    ('%z', [-9223372036854775808], '%!z(-9223372036854775808=-9223372036854775808)'),
    ('%z', [b'ab\xff'], ''),
    ('%z', [-1], '%!z(-1=-1)'),
    ('%z', [1e-07], '%!z(0.0000001=0.0000001)'),
    ('%z', [None], '%!z(<undefined>=<undefined>)'),
    ('%+0.3f', [0.000123], '+0.000'),
    ('%# 12.5f', [b'ab'], ''),
    ('%-12.5s', [-2.25], '%!s(-2.25=-2.25       )'),
    ('%-0.3o', [0.000123], '%!o(0.000123=0.0)'),
    ('%012.5o', [True], '%!o(true=00000000true)'),
    ('%+08f', [Char(97)], '%!f(a=0000000a)'),
    ('%#8c', [b'ab'], ''),
    ('%+0.0e', [b'ab'], ''),
    ('%+012.5t', [-2.25], '%!t(-2.25=0000000-2.25)'),
    ('%# 8q', [7], "    '\\a'"),
    ('%+8.3o', [b'ab'], ''),
    ('%# 8.3q', [Char(97)], '     `a`'),
    ('%+0.3e', [255], '%!e(255=255)'),
    ('%+08.3q', [-2.25], '%!q(-2.25=00000-2.)'),
    ('%0.0d', [None], '%!d(<undefined>=)'),
    ('%+12.5c', [Array([1])], '%!c([1]=         [1])'),
    ('%#8.3s', [1.5], '%!s(1.5=     1.5)'),
    ('%0.3e', [255], '%!e(255=255)'),
    ('%-08d', [Char(97)], '%!d(a=a       )'),
    ('%+08.3c', [1.5], '%!c(1.5=000001.5)'),
    ('%# .3d', [1e+21], '%!d(1000000000000000000000=100)'),
    ('% 12.5g', [-2.25], '       -2.25'),
    ('% 8v', [True], '    true'),
    ('% 8.3q', [255], "     'ÿ'"),
    ('%08.3c', [-7], '0000000�'),
    ('%+012.5x', [0.000123], '+0x1.01f32p-13'),
    ('%012.5o', ['héllo'], '%!o("héllo"=0000000"héll)'),
    ('%+0.0o', [0.000123], '%!o(0.000123=)'),
    ('%-08f', [255], '%!f(255=255     )'),
    ('% 8g', [Char(97)], '%!g(a=       a)'),
    ('%-012.5t', [1.5], '%!t(1.5=1.5         )'),
    ('%+.0c', [Array([1])], '%!c([1]=)'),
    ('%012.5e', [1.5], '01.50000e+00'),
    ('%-12.5o', [-7], '-00007      '),
    ('% 8v', [None], '<undefined>'),
    ('% .0q', [7], "'\\a'"),
    ('%+.0t', [-7], '%!t(-7=)'),
    ('%#12.5o', [1.5], '%!o(1.5=         1.5)'),
    ('%+12.5s', [0.000123], '%!s(0.000123=       0.000)'),
    ('%+12.5d', [1e+21], '%!d(1000000000000000000000=       10000)'),
    ('%#8.3s', ['héllo'], '     hél'),
    ('%+8.3X', [1.5], '+0X1.800P+00'),
    ('%-12.5d', [255], '00255       '),
    ('% 8.3x', [7], '     007'),
    ('%# 12.5f', [7], '%!f(7=           7)'),
    ('%0.3o', [Char(97)], '%!o(a=a)'),
    ('%-08g', [1e+21], '1e+21   '),
    ('%+8x', [7], '      +7'),
    ('%-8d', ['héllo'], '%!d("héllo"="héllo" )'),
    ('%+8s', [True], '%!s(true=    true)'),
    ('%# 8.3x', [1e+21], ' 0x1.b1bp+69'),
    ('%-8.3f', [b'ab'], ''),
    ('%-012.5o', [1e+21], '%!o(1000000000000000000000=10000       )'),
    ('%0.3e', [0.000123], '1.230e-04'),
    ('%-.3s', [7], '%!s(7=7)'),
    ('%-08q', [255], "'ÿ'     "),
    ('%+8.3g', [Char(97)], '%!g(a=       a)'),
    ('%-08q', [0.000123], '%!q(0.000123=0.000123)'),
    ('%+8.3c', ['héllo'], '%!c("héllo"=     "hé)'),
    ('%+0.0t', [0.000123], '%!t(0.000123=)'),
    ('%# 8X', [1.5], ' 0X1.8P+00'),
    ('%012.5d', [None], '%!d(<undefined>=0000000<unde)'),
    ('%-0.3f', [255], '%!f(255=255)'),
    ('%+8.3e', [True], '%!e(true=     tru)'),
    ('%08g', [Array([1])], '%!g([1]=00000[1])'),
    ('%-12.5f', [b'ab'], ''),
    ('%-8.3q', [True], '%!q(true=tru     )'),
    ('%-12.5t', [7], '%!t(7=7           )'),
    ('%# .3X', [None], '0X3C 0X75 0X6E'),
    ('%-08s', [-7], '%!s(-7=-7      )'),
    ('%-.0x', [7], '7'),
    ('%+08v', [-7], '000000-7'),
    ('%# 8.3q', [-2.25], '%!q(-2.25=     -2.)'),
    ('%-8q', [True], '%!q(true=true    )'),
    ('% 8s', [Array([1])], '     [1]'),
    ('%-12.5v', [True], 'true        '),
    ('%+012.5x', [-7], '      -00007'),
    ('% .3c', [1.5], '%!c(1.5=1.5)'),
    ('%# 12.5t', [None], '%!t(<undefined>=       <unde)'),
    ('%-08.3e', [Char(97)], '%!e(a=a       )'),
    ('%-08.3s', [0.000123], '%!s(0.000123=0.0     )'),
    ('%-.0s', [1.5], '%!s(1.5=)'),
    ('%-0.3f', [Array([1])], '%!f([1]=[1])'),
    ('%# .3c', [0.000123], '%!c(0.000123=0.0)'),
    ('%#.3d', ['héllo'], '%!d("héllo"="hé)'),
    ('%# 12.5g', [Char(97)], '%!g(a=           a)'),
    ('%#.3o', [None], '%!o(<undefined>=<un)'),
    ('% .3q', [True], '%!q(true=tru)'),
    ('%+0.3t', [True], 'true'),
    ('%0.0q', [Char(97)], '""'),
    ('%0.3o', [7], '007'),
    ('%0.0f', [1.5], '2'),
    ('%#12.5e', [1.5], ' 1.50000e+00'),
    ('%+0.0x', [0.000123], '+0x1p-13'),
    ('%# 12.5X', ['héllo'], '0X68 0XC3 0XA9 0X6C 0X6C'),
    ('%-08g', [1.5], '1.5     '),
    ('% 8X', [-2.25], '-0X1.2P+01'),
    ('% .3o', [255], ' 377'),
    ('%#12.5t', [b'ab'], ''),
    ('%+8.3x', [7], '    +007'),
    ('%+0.3f', [-7], '%!f(-7=-7)'),
    ('%-8d', [-2.25], '%!d(-2.25=-2.25   )'),
    ('%08e', ['héllo'], '%!e("héllo"=0"héllo")'),
    ('%+08v', [1e+21], '1000000000000000000000'),
    ('%+0.0f', ['héllo'], '%!f("héllo"=)'),
    ('%-.3c', [Char(97)], '%!c(a=a)'),
    ('%# .0x', [True], '%!x(true=)'),
    ('%+08o', [-7], '-0000007'),
    ('%-08g', [True], '%!g(true=true    )'),
    ('%08s', [Array([1])], '00000[1]'),
    ('%+08.3g', [-2.25], '-0002.25'),
    ('%08e', [b'ab'], ''),
    ('%-.0s', [1e+21], '%!s(1000000000000000000000=)'),
    ('%+8.3c', [Array([1])], '%!c([1]=     [1])'),
    ('%#.3x', [1e+21], '0x1.b1bp+69'),
    ('%# 8d', [True], '%!d(true=    true)'),
    ('%#8.3c', [Array([1])], '%!c([1]=     [1])'),
    ('%-012.5o', [b'ab'], ''),
    ('%v', [ImmutableArray([1, 'a'])], '[1, "a"]'),
    ('%s', [ImmutableArray([])], '[]'),
    ('%d', [ImmutableArray([1])], '%!d([1]=[1])'),
    ('%T', [ImmutableArray([])], 'immutable-array'),
    ('%T', [ImmutableMap({})], 'immutable-map'),
    ('%x', [ImmutableMap({'a': 1})], '7b613a20317d'),
    ('%q', [Error('x')], '"error: \\"x\\""'),
    ('%5.2v|', [Error('x')], '   er|'),
    ('%T %T', [Error(1), BUILTINS['len']], 'error builtin-function:len'),
    ('%v %s %d', [BUILTINS['len'], BUILTINS['len'], BUILTINS['len']], '<builtin-function> <builtin-function> %!d(<builtin-function>=<builtin-function>)'),
]


@pytest.mark.parametrize(("fmt_", "args", "expected"), CASES,
                         ids=[f"{i}-{c[0]}" for i, c in enumerate(CASES)])
def test_format_matches_go(fmt_: str, args: list[Any], expected: str) -> None:
    assert go_format(fmt_, list(args)) == expected


# ---------------------------------------------------------------- facts from the reference

def test_v_of_a_string_is_quoted_and_of_a_float_has_no_exponent() -> None:
    assert go_format("%v|%v|%v", ["s", 1e21, 1e-7]) == '"s"|1000000000000000000000|0.0000001'


def test_c_and_d_on_a_char_are_bad_verbs() -> None:
    assert go_format("%c %d", [Char(97), Char(98)]) == "%!c(a=a) %!d(b=b)"


def test_large_widths_are_real_but_capped_like_go() -> None:
    assert go_format("%1000001d", [1]) == " " * 1000000 + "1"
    assert go_format("%.1000001d", [1]) == "0" * 1000000 + "1"
    assert go_format("%*d", [1000000, 1]) == " " * 999999 + "1"
    assert go_format("%*d", [1000001, 1]) == "%!(BADWIDTH)1"
    assert go_format("%10000010d", [1]) == "%!(NOVERB)%!(EXTRA int=1)"


# ---------------------------------------------------------------- memory budget

@pytest.fixture
def small_budget() -> Iterator[int]:
    saved = limits.budget.max_bytes
    limits.budget.max_bytes = 1000
    try:
        yield limits.budget.max_bytes
    finally:
        limits.budget.max_bytes = saved


@pytest.mark.parametrize("fmt_", ["%2000d", "%-2000s", "%.2000d", "%.2000f", "%2000x",
                                  "%.2000U", "%02000.1f", "%*d"])
def test_padding_beyond_the_budget_is_refused(small_budget: int, fmt_: str) -> None:
    args: list[Any] = [2000, 1] if fmt_ == "%*d" else [1.5 if "f" in fmt_ else 1]
    with pytest.raises(limits.MemoryLimitExceeded):
        go_format(fmt_, args)


def test_padding_within_the_budget_is_allowed(small_budget: int) -> None:
    assert len(go_format("%900d", [1])) == 900


def test_the_budget_counts_the_whole_output(small_budget: int) -> None:
    with pytest.raises(limits.MemoryLimitExceeded):
        go_format("%600d%600d", [1, 2])


def test_v_of_a_huge_value_is_refused_before_it_is_built(small_budget: int) -> None:
    node: Any = Array(["x" * 50])
    for _ in range(30):
        node = Array([node, node])
    with pytest.raises(limits.MemoryLimitExceeded):
        go_format("%v", [node])


# ---------------------------------------------------------------- strconv helpers

@pytest.mark.parametrize(("v", "verb", "prec", "expected"), [
    (1.0, "b", -1, "4503599627370496p-52"),
    (1.5, "x", -1, "0x1.8p+00"),
    (1.5, "x", 0, "0x1p+01"),
    (2.5, "x", 0, "0x1p+01"),
    (1.0, "X", 3, "0X1.000P+00"),
    (5e-324, "x", -1, "0x1p-1074"),
    (1e21, "g", -1, "1e+21"),
    (123456.0, "g", -1, "123456"),
    (1234567.0, "g", -1, "1.234567e+06"),
    (0.0001, "g", -1, "0.0001"),
    (0.00001, "g", -1, "1e-05"),
    (-0.0, "e", 6, "-0.000000e+00"),
    (0.1, "f", -1, "0.1"),
])
def test_ftoa_matches_strconv(v: float, verb: str, prec: int, expected: str) -> None:
    assert ftoa(v, verb, prec) == expected


# ---------------------------------------------------------------- format builtin and fmt module

def test_format_with_only_a_format_returns_it_unchanged() -> None:
    assert BUILTINS["format"]("%d %!") == "%d %!"
    assert fmt.fmt_sprintf("%d") == "%d"
    assert BUILTINS["format"]("%d", 5) == "5"
    assert fmt.fmt_sprintf("a%", 1) == "a%!(NOVERB)%!(EXTRA int=1)"


@pytest.mark.parametrize("call", [BUILTINS["format"], fmt.fmt_sprintf, fmt.fmt_printf])
def test_format_argument_errors(call: Any) -> None:
    with pytest.raises(RuntimeErr, match="^wrong number of arguments$"):
        call()
    with pytest.raises(RuntimeErr) as info:
        call(1, 2)
    assert str(info.value) == "invalid type for argument 'format': expected string, found int"


@pytest.fixture
def output() -> Iterator[state.ExecState]:
    saved = state.current
    state.current = state.ExecState()
    try:
        yield state.current
    finally:
        state.current = saved


def test_fmt_print_functions_write_to_the_execution_log(output: state.ExecState) -> None:
    # Go Tengo prints: a1b[1, "x"]cerror: "e" / |2 / "hello\n"x5 / (empty line)
    m = fmt.module()
    assert m["println"]("a", 1, None, "b", Array([1, "x"]), Char(99), Error("e")) is None
    assert m["print"](None, "|", 2.0, "\n") is None
    assert m["printf"]("hello\n") is None
    assert m["printf"]("x%d\n", 5) is None
    assert m["println"]() is None
    assert output.lines == ['a1b[1, "x"]cerror: "e"', "|2", '"hello\\n"x5', ""]


def test_fmt_members_are_named_user_functions() -> None:
    m = fmt.module()
    assert sorted(m) == ["print", "printf", "println", "sprintf"]
    assert [type_name(m[k]) for k in sorted(m)] == [
        "user-function:print", "user-function:printf", "user-function:println",
        "user-function:sprintf",
    ]


def test_values_in_cases_cover_every_tengo_type() -> None:
    seen = {type_name(a) for _, args, _ in CASES for a in args}
    assert {"int", "float", "string", "bool", "char", "bytes", "array", "map", "error",
            "undefined", "immutable-array", "immutable-map", "builtin-function:len"} <= seen
