"""Tengo's `hex` module: Go's encoding/hex (`encode` to lower-case hex, `decode` back).

`decode` returns an error value with Go's message on bad input: the first invalid byte
(`encoding/hex: invalid byte: U+0067 'g'`) wins over an odd length.
"""

from __future__ import annotations

import re
from typing import Any

from scriptvisor.engines import limits
from scriptvisor.engines.tengo.stdlib.base64 import bytes_arg, str_arg
from scriptvisor.engines.tengo.values import Error, to_bytes

_NOT_HEX = re.compile(rb"[^0-9a-fA-F]")


def invalid_byte(c: int) -> str:
    """Go's InvalidByteError text: the byte as a rune in `%#U` form."""
    shown = f" '{chr(c)}'" if chr(c).isprintable() else ""
    return f"encoding/hex: invalid byte: U+{c:04X}{shown}"


def go_decode(src: bytes) -> bytes | str:
    """hex.DecodeString; returns Go's error message (str) on bad input."""
    bad = _NOT_HEX.search(src)
    # Go checks pairs left to right, then an odd trailing byte: the first bad byte wins.
    if bad is not None:
        return invalid_byte(bad.group()[0])
    if len(src) % 2:
        return "encoding/hex: odd length hex string"
    return bytes.fromhex(src.decode("ascii"))


def encode(*args: Any) -> Any:
    src = bytes_arg(args)
    limits.check_alloc(2 * len(src))
    return src.hex()


def decode(*args: Any) -> Any:
    result = go_decode(to_bytes(str_arg(args)))
    return Error(result) if type(result) is str else result


encode.__name__ = decode.__name__ = ""  # Go leaves these user functions unnamed


def module() -> dict[str, Any]:
    """The members of `import("hex")`."""
    return {"encode": encode, "decode": decode}
