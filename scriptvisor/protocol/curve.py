"""CURVE key pairs for the daemon endpoint over TCP (ZeroMQ's certificate files).

`scriptvisor keygen NAME` writes `NAME.key` (public: give it to the other side) and
`NAME.key_secret` (secret: mode 0600, keep it). The daemon loads its own secret file and an
allowlist of client public keys (files, or every `*.key` in a directory); a client loads its
secret file and the server's public key.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import zmq
import zmq.auth
import zmq.utils.z85


class KeyFileError(ValueError):
    """A key file is missing or unreadable, or a key is malformed."""


@dataclass(frozen=True)
class KeyPair:
    """Z85-encoded CURVE keys (40 bytes each)."""

    public: bytes
    secret: bytes


def write_keypair(directory: str | os.PathLike[str], name: str) -> tuple[Path, Path]:
    """Create `name.key` and `name.key_secret` in `directory` (which must exist); refuses
    to overwrite. Returns (public file, secret file)."""
    folder = Path(directory)
    public, secret = folder / f"{name}.key", folder / f"{name}.key_secret"
    for path in (public, secret):
        if path.exists() or path.is_symlink():
            raise FileExistsError(f"{path} exists: keys are never overwritten")
    previous = os.umask(0o077)  # the secret file is never readable by others, not even briefly
    try:
        made_public, made_secret = zmq.auth.create_certificates(str(folder), name)
    finally:
        os.umask(previous)
    os.chmod(made_public, 0o644)
    return Path(made_public), Path(made_secret)


def load_keypair(path: str | os.PathLike[str]) -> KeyPair:
    """The key pair in a `.key_secret` file."""
    public, secret = _load(path)
    if secret is None:
        raise KeyFileError(f"{path}: holds no secret key (use the .key_secret file)")
    return KeyPair(public, secret)


def load_public_key(key: str | bytes | os.PathLike[str]) -> bytes:
    """A public key given as its Z85 text (40 characters) or as a certificate file."""
    if isinstance(key, bytes | str) and len(key) == 40 and not os.path.exists(key):
        text = key.encode() if isinstance(key, str) else key
        try:
            zmq.utils.z85.decode(text)
        except Exception:  # noqa: BLE001 - any decoding failure means a malformed key
            raise KeyFileError(f"{key!r} is not a Z85 CURVE key") from None
        return text
    return _load(os.fsdecode(key))[0]


def load_public_keys(sources: Iterable[str | os.PathLike[str]]) -> frozenset[bytes]:
    """Public keys from certificate files and from every `*.key` file of directories."""
    keys: set[bytes] = set()
    for source in sources:
        path = Path(source)
        files = sorted(path.glob("*.key")) if path.is_dir() else [path]
        keys.update(_load(f)[0] for f in files)
    return frozenset(keys)


def _load(path: str | os.PathLike[str]) -> tuple[bytes, bytes | None]:
    try:
        public, secret = zmq.auth.load_certificate(os.fspath(path))
    except (OSError, ValueError) as exc:
        raise KeyFileError(f"{path}: not a readable CURVE certificate ({exc})") from None
    return public, secret
