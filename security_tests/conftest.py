"""The security suite's fixtures: a confined engine, a control engine with every guard off,
a directory that must stay empty, a TCP listener to reach for.

Every probe runs in a real child forked by a real zygote, talking real ZeroMQ. Python
probes (escape_probes.py) run through the supervisor's test hook; script probes are
ordinary Tengo scripts.
"""

from __future__ import annotations

import os
import socket
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

HERE = Path(__file__).parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

from security_harness import GUARD_OFF, make_engine  # noqa: E402

from scriptvisor.sandbox import DEFAULT  # noqa: E402
from scriptvisor.supervisor.engine import ScriptEngine  # noqa: E402


@pytest.fixture(scope="session")
def confined() -> Iterator[ScriptEngine]:
    engine = make_engine(DEFAULT)
    yield engine
    engine.shutdown()


@pytest.fixture(scope="session")
def unconfined() -> Iterator[ScriptEngine]:
    engine = make_engine(GUARD_OFF)
    yield engine
    engine.shutdown()


@pytest.fixture
def empty_dir(tmp_path: Path) -> Iterator[Path]:
    """A directory anyone may write to (so only confinement can stop a write), which must
    still be empty when the probe is done."""
    path = tmp_path / "must-stay-empty"
    path.mkdir()
    os.chmod(tmp_path, 0o777)
    os.chmod(path, 0o777)
    yield path
    assert list(path.iterdir()) == [], "a confined probe wrote to the file system"


@pytest.fixture
def listener() -> Iterator[socket.socket]:
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(8)
    yield server
    server.close()
