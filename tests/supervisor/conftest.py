"""Real children, real seccomp, real ZeroMQ: one engine per module, shared by its tests.

Tests that break children (kills, limits) leave the pool refilling; `healthy` waits until
every child serves again (on the pool's condition, never by sleeping) and checks that a
trivial script still runs.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

HERE = Path(__file__).parent
if str(HERE) not in sys.path:  # helpers, and child_probes for the zygote's children
    sys.path.insert(0, str(HERE))

from supervisor_harness import assert_healthy, make_engine  # noqa: E402

from scriptvisor.supervisor.engine import ScriptEngine  # noqa: E402


@pytest.fixture(scope="module")
def engine() -> Iterator[ScriptEngine]:
    eng = make_engine()
    yield eng
    eng.shutdown()


@pytest.fixture
def healthy(engine: ScriptEngine) -> Iterator[Callable[[], None]]:
    yield lambda: assert_healthy(engine)
    assert_healthy(engine)
