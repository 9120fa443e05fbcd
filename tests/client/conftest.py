"""Real supervisors, real ZeroMQ, clients in this process and in others."""

from __future__ import annotations

import shutil
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

HERE = Path(__file__).parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

from client_harness import make_engine, short_endpoint  # noqa: E402

from scriptvisor.supervisor.daemon import Daemon  # noqa: E402
from scriptvisor.supervisor.engine import ScriptEngine  # noqa: E402


@dataclass
class Served:
    engine: ScriptEngine
    daemon: Daemon

    @property
    def endpoint(self) -> str:
        return self.daemon.endpoint


@pytest.fixture(scope="module")
def served() -> Iterator[Served]:
    endpoint, folder = short_endpoint()
    engine = make_engine()
    daemon = Daemon(engine, endpoint).start()
    yield Served(engine, daemon)
    daemon.stop()
    engine.shutdown()
    shutil.rmtree(folder, ignore_errors=True)
