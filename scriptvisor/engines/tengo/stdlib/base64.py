"""Tengo's `base64` module: Go's encoding/base64 (standard and URL alphabets, padded or raw).

Decoders return an error value on bad input with Go's message and byte offset
(`illegal base64 data at input byte N`). Like Go, they skip `\\r` and `\\n` anywhere and
ignore stray bits in the last quantum; Python's `base64` does neither, hence the decoder.
"""

from __future__ import annotations

import base64 as pybase64
from collections.abc import Callable
from typing import Any

from scriptvisor.engines import limits
from scriptvisor.engines.tengo import convert
from scriptvisor.engines.tengo.values import Error, RuntimeErr, to_bytes, type_name

STD_ALPHABET = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
URL_ALPHABET = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"


def bytes_arg(args: tuple[Any, ...]) -> bytes:
    """One `bytes(compatible)` argument (Go's ToByteSlice: bytes or string)."""
    if len(args) != 1:
        raise RuntimeErr("wrong number of arguments")
    b = convert.to_bytes(args[0])
    if b is None:
        raise RuntimeErr(
            "invalid type for argument 'first': expected bytes(compatible), "
            f"found {type_name(args[0])}"
        )
    return b


def str_arg(args: tuple[Any, ...]) -> str:
    """One `string(compatible)` argument (Go's ToString)."""
    if len(args) != 1:
        raise RuntimeErr("wrong number of arguments")
    s = convert.to_string(args[0])
    if s is None:
        raise RuntimeErr(
            "invalid type for argument 'first': expected string(compatible), "
            f"found {type_name(args[0])}"
        )
    return s


class CorruptInput(Exception):
    """Go's base64.CorruptInputError."""

    def __init__(self, offset: int) -> None:
        super().__init__(f"illegal base64 data at input byte {offset}")


class Encoding:
    """One of Go's four encodings: an alphabet, with or without `=` padding."""

    def __init__(self, alphabet: bytes, padded: bool) -> None:
        self.alphabet = alphabet
        self.padded = padded
        self.decode_map = [0xFF] * 256
        for i, c in enumerate(alphabet):
            self.decode_map[c] = i

    def encode(self, src: bytes) -> str:
        limits.check_alloc((len(src) + 2) // 3 * 4)
        out = pybase64.b64encode(src, altchars=self.alphabet[62:])
        if not self.padded:
            out = out.rstrip(b"=")
        return out.decode("ascii")

    def decode(self, src: bytes) -> bytes:
        """Go's Encoding.DecodeString; raises CorruptInput like Go."""
        out = bytearray()
        si = 0
        while si < len(src):
            si, chunk = self._quantum(src, si)
            out += chunk
        return bytes(out)

    def _quantum(self, src: bytes, si: int) -> tuple[int, bytes]:
        """Decode up to four symbols from src[si:] (Go's decodeQuantum)."""
        vals: list[int] = []
        n = len(src)
        while len(vals) < 4:
            if si == n:
                if not vals:
                    return si, b""
                if len(vals) == 1 or self.padded:
                    raise CorruptInput(si - len(vals))
                break
            c = src[si]
            si += 1
            v = self.decode_map[c]
            if v != 0xFF:
                vals.append(v)
                continue
            if c in (0x0A, 0x0D):
                continue
            if c != 0x3D or not self.padded:
                raise CorruptInput(si - 1)
            si = self._padding(src, si, len(vals))
            break
        return si, _assemble(vals)

    def _padding(self, src: bytes, si: int, have: int) -> int:
        """Check the `=` just read after `have` symbols; return where decoding ends."""
        n = len(src)
        if have < 2:
            raise CorruptInput(si - 1)
        if have == 2:
            while si < n and src[si] in (0x0A, 0x0D):
                si += 1
            if si == n:
                raise CorruptInput(n)
            if src[si] != 0x3D:
                raise CorruptInput(si - 1)
            si += 1
        while si < n and src[si] in (0x0A, 0x0D):
            si += 1
        if si < n:
            raise CorruptInput(si)  # anything after the padding
        return si


def _assemble(vals: list[int]) -> bytes:
    if len(vals) < 2:
        return b""
    acc = 0
    for v in vals:
        acc = acc << 6 | v
    acc <<= 6 * (4 - len(vals))
    return acc.to_bytes(3, "big")[: len(vals) - 1]


def _encoder(enc: Encoding) -> Callable[..., Any]:
    def encode(*args: Any) -> Any:
        return enc.encode(bytes_arg(args))

    encode.__name__ = ""  # Go leaves these user functions unnamed
    return encode


def _decoder(enc: Encoding) -> Callable[..., Any]:
    def decode(*args: Any) -> Any:
        try:
            return enc.decode(to_bytes(str_arg(args)))
        except CorruptInput as e:
            return Error(str(e))

    decode.__name__ = ""
    return decode


STD = Encoding(STD_ALPHABET, padded=True)
RAW_STD = Encoding(STD_ALPHABET, padded=False)
URL = Encoding(URL_ALPHABET, padded=True)
RAW_URL = Encoding(URL_ALPHABET, padded=False)


def module() -> dict[str, Any]:
    """The members of `import("base64")`."""
    return {
        "encode": _encoder(STD),
        "decode": _decoder(STD),
        "raw_encode": _encoder(RAW_STD),
        "raw_decode": _decoder(RAW_STD),
        "url_encode": _encoder(URL),
        "url_decode": _decoder(URL),
        "raw_url_encode": _encoder(RAW_URL),
        "raw_url_decode": _decoder(RAW_URL),
    }
