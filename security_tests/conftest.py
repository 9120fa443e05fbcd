"""The security suite runs the same catalog, through the same runner, as
`scriptvisor security-test`: a real supervisor, real confined children, real ZeroMQ."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from scriptvisor.security.runner import Runner


@pytest.fixture(scope="session")
def runner() -> Iterator[Runner]:
    with Runner() as r:
        yield r


@pytest.fixture
def private_tmp() -> Iterator[Path]:
    """A short temporary directory the sandbox uid can traverse (children connect to
    sockets inside it; pytest's own tmp_path is private to root and too long for AF_UNIX)."""
    path = Path(tempfile.mkdtemp(prefix="svst-", dir="/tmp"))
    os.chmod(path, 0o755)
    yield path
    shutil.rmtree(path, ignore_errors=True)
