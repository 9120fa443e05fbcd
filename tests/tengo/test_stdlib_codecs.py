"""Tengo's `base64` and `hex` modules, and the stdlib registry.

Every string in PINNED is what the real Go Tengo CLI (d5/tengo v2, Go 1.19) printed for the
same call, as `type_name(r) + "|" + String(r)`; "!msg" is a runtime error (Tengo's
"in call to ..." context removed).
"""

from __future__ import annotations

import base64
import subprocess
import sys
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from scriptvisor.engines import limits
from scriptvisor.engines.limits import MemoryLimitExceeded
from scriptvisor.engines.tengo.stdlib import BUILTIN_MODULES, SOURCE_MODULES
from scriptvisor.engines.tengo.values import Array, Error, RuntimeErr, go_string, type_name

MODULES = {"base64": BUILTIN_MODULES["base64"](), "hex": BUILTIN_MODULES["hex"]()}


def call(module: str, fn: str, args: tuple[Any, ...]) -> str:
    try:
        result = MODULES[module][fn](*args)
    except RuntimeErr as e:
        return "!" + str(e)
    shown = "error: " + go_string(Array([result.value]))[1:-1] if type(result) is Error else (
        go_string(Array([result]))[1:-1])
    return f"{type_name(result)}|{shown}"


# (function, arguments, Go Tengo's result)
BASE64_PINNED: list[tuple[str, tuple[Any, ...], str]] = [
    ('encode', ('hello',), 'string|"aGVsbG8="'),
    ('encode', (b'\xff\xfe\xfd',), 'string|"//79"'),
    ('encode', ('',), 'string|""'),
    ('encode', ('a',), 'string|"YQ=="'),
    ('encode', ('ab',), 'string|"YWI="'),
    ('encode', (5,), "!invalid type for argument 'first': expected bytes(compatible), found int"),
    ('encode', (), '!wrong number of arguments'),
    ('raw_encode', ('a',), 'string|"YQ"'),
    ('raw_encode', ('ab',), 'string|"YWI"'),
    ('raw_encode', ('abc',), 'string|"YWJj"'),
    ('url_encode', (b'\xfb\xff',), 'string|"-_8="'),
    ('raw_url_encode', (b'\xfb\xff',), 'string|"-_8"'),
    ('encode', (b'\xfb\xff',), 'string|"+/8="'),
    ('decode', ('aGVsbG8=',), 'bytes|hello'),
    ('decode', ('aGVsbG8',), 'error|error: "illegal base64 data at input byte 4"'),
    ('decode', ('aGVsbA==',), 'bytes|hell'),
    ('decode', ('aGVsbA=',), 'error|error: "illegal base64 data at input byte 7"'),
    ('decode', ('aGVs\nbG8=',), 'bytes|hello'),
    ('decode', ('aGVsbG8=\n',), 'bytes|hello'),
    ('decode', ('aGVsbG8=x',), 'error|error: "illegal base64 data at input byte 8"'),
    ('decode', ('a',), 'error|error: "illegal base64 data at input byte 0"'),
    ('decode', ('ab==',), 'bytes|i'),
    ('decode', ('a===',), 'error|error: "illegal base64 data at input byte 1"'),
    ('decode', ('=abc',), 'error|error: "illegal base64 data at input byte 0"'),
    ('decode', ('aGVs!G8=',), 'error|error: "illegal base64 data at input byte 4"'),
    ('decode', ('',), 'bytes|'),
    ('decode', ('\n\r',), 'bytes|'),
    ('decode', ('ab=\n=',), 'bytes|i'),
    ('decode', ('ab=\nx',), 'error|error: "illegal base64 data at input byte 3"'),
    ('decode', ('ab=',), 'error|error: "illegal base64 data at input byte 3"'),
    ('decode', ('+/+/',), 'bytes|\udcfb\udcff\udcbf'),
    ('decode', ('-_-_',), 'error|error: "illegal base64 data at input byte 0"'),
    ('decode', (5,), 'error|error: "illegal base64 data at input byte 0"'),
    ('decode', (b'aGk=',), 'bytes|hi'),
    ('decode', ('aGk=aGk=',), 'error|error: "illegal base64 data at input byte 4"'),
    ('decode', ('aGVsbG8gd29ybGQhISE=',), 'bytes|hello world!!!'),
    ('decode', ('YQ',), 'error|error: "illegal base64 data at input byte 0"'),
    ('decode', ('YR==',), 'bytes|a'),
    ('decode', ('aGVsbG8gd29ybGQh!ISE=',), 'error|error: "illegal base64 data at input byte 16"'),
    ('raw_decode', ('YQ',), 'bytes|a'),
    ('raw_decode', ('YQ==',), 'error|error: "illegal base64 data at input byte 2"'),
    ('raw_decode', ('Y',), 'error|error: "illegal base64 data at input byte 0"'),
    ('raw_decode', ('YWJj',), 'bytes|abc'),
    ('raw_decode', ('YW\nJj',), 'bytes|abc'),
    ('url_decode', ('-_-_',), 'bytes|\udcfb\udcff\udcbf'),
    ('url_decode', ('+/+/',), 'error|error: "illegal base64 data at input byte 0"'),
    ('url_decode', ('_w==',), 'bytes|\udcff'),
    ('raw_url_decode', ('_w',), 'bytes|\udcff'),
    ('raw_url_decode', ('_w==',), 'error|error: "illegal base64 data at input byte 2"'),
]


HEX_PINNED: list[tuple[str, tuple[Any, ...], str]] = [
    ('encode', ('hello',), 'string|"68656c6c6f"'),
    ('encode', (b'\x00\xff',), 'string|"00ff"'),
    ('encode', ('',), 'string|""'),
    ('encode', (5,), "!invalid type for argument 'first': expected bytes(compatible), found int"),
    ('encode', (), '!wrong number of arguments'),
    ('encode', ('é',), 'string|"c3a9"'),
    ('decode', ('68656c6c6f',), 'bytes|hello'),
    ('decode', ('68656C6C6F',), 'bytes|hello'),
    ('decode', ('6',), 'error|error: "encoding/hex: odd length hex string"'),
    ('decode', ('6g',), 'error|error: "encoding/hex: invalid byte: U+0067 \'g\'"'),
    ('decode', ('g6',), 'error|error: "encoding/hex: invalid byte: U+0067 \'g\'"'),
    ('decode', ('686',), 'error|error: "encoding/hex: odd length hex string"'),
    ('decode', ('68x',), 'error|error: "encoding/hex: invalid byte: U+0078 \'x\'"'),
    ('decode', ('',), 'bytes|'),
    ('decode', ('6 8',), 'error|error: "encoding/hex: invalid byte: U+0020 \' \'"'),
    ('decode', (5,), 'error|error: "encoding/hex: odd length hex string"'),
    ('decode', (b'00ff',), 'bytes|\x00\udcff'),
    ('decode', ('\x00\x00',), 'error|error: "encoding/hex: invalid byte: U+0000"'),
    ('decode', ('\x80\x80',), 'error|error: "encoding/hex: invalid byte: U+00C2 \'Â\'"'),
    ('decode', ('zz',), 'error|error: "encoding/hex: invalid byte: U+007A \'z\'"'),
    ('decode', ('é0',), 'error|error: "encoding/hex: invalid byte: U+00C3 \'Ã\'"'),
    ('decode', ('a\xa0',), 'error|error: "encoding/hex: invalid byte: U+00C2 \'Â\'"'),
]


@pytest.mark.parametrize(("fn", "args", "expected"), BASE64_PINNED,
                         ids=[f"{i}-{c[0]}" for i, c in enumerate(BASE64_PINNED)])
def test_base64_matches_go_tengo(fn: str, args: tuple[Any, ...], expected: str) -> None:
    assert call("base64", fn, args) == expected


@pytest.mark.parametrize(("fn", "args", "expected"), HEX_PINNED,
                         ids=[f"{i}-{c[0]}" for i, c in enumerate(HEX_PINNED)])
def test_hex_matches_go_tengo(fn: str, args: tuple[Any, ...], expected: str) -> None:
    assert call("hex", fn, args) == expected


ENCODINGS = [
    ("encode", "decode", base64.standard_b64encode),
    ("raw_encode", "raw_decode", lambda b: base64.standard_b64encode(b).rstrip(b"=")),
    ("url_encode", "url_decode", base64.urlsafe_b64encode),
    ("raw_url_encode", "raw_url_decode", lambda b: base64.urlsafe_b64encode(b).rstrip(b"=")),
]


@given(st.binary(max_size=64))
def test_base64_round_trips(data: bytes) -> None:
    b64 = MODULES["base64"]
    for enc, dec, reference in ENCODINGS:
        text = b64[enc](data)
        assert text == reference(data).decode()
        assert b64[dec](text) == data


@given(st.binary(max_size=64))
def test_hex_round_trips(data: bytes) -> None:
    assert MODULES["hex"]["decode"](MODULES["hex"]["encode"](data)) == data


@pytest.fixture
def small_budget() -> Any:
    saved = limits.budget.max_bytes
    limits.budget.max_bytes = 10_000
    yield
    limits.budget.max_bytes = saved


def test_encoders_are_budget_checked(small_budget: Any) -> None:
    with pytest.raises(MemoryLimitExceeded):
        MODULES["base64"]["encode"](b"x" * 9000)
    with pytest.raises(MemoryLimitExceeded):
        MODULES["hex"]["encode"](b"x" * 6000)


# ---------------------------------------------------------------- registry

def test_builtin_modules_are_exactly_the_safe_ones() -> None:
    assert set(BUILTIN_MODULES) == {"fmt", "math", "times", "rand", "text", "json", "base64",
                                    "hex"}
    assert "os" not in BUILTIN_MODULES


@pytest.mark.parametrize("name", sorted(BUILTIN_MODULES))
def test_each_factory_returns_fresh_members(name: str) -> None:
    members = BUILTIN_MODULES[name]()
    assert type(members) is dict and members
    assert all(type(k) is str for k in members)


def test_source_modules() -> None:
    assert list(SOURCE_MODULES) == ["enum"] and len(SOURCE_MODULES) == 1
    assert "export" in SOURCE_MODULES["enum"] and "chunk" in SOURCE_MODULES["enum"]
    assert SOURCE_MODULES.get("os") is None
    with pytest.raises(KeyError):
        SOURCE_MODULES["nope"]


def test_modules_are_imported_only_when_used() -> None:
    code = (
        "import sys\n"
        "from scriptvisor.engines.tengo import stdlib\n"
        "mods = ('text', 'json', 'regex', 'base64', 'hex')\n"
        "before = [m for m in mods if 'scriptvisor.engines.tengo.stdlib.' + m in sys.modules]\n"
        "stdlib.BUILTIN_MODULES['hex']()\n"
        "after = sorted(m for m in mods if 'scriptvisor.engines.tengo.stdlib.' + m in sys.modules)\n"
        "print(before, after)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[] ['base64', 'hex']"
