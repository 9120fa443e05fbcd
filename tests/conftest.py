"""Session-wide test ordering."""

from __future__ import annotations

from pathlib import Path

import pytest

SANDBOX_TESTS = Path(__file__).parent / "sandbox"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Run the sandbox tests first: they fork the pytest process itself, which must still be
    single-threaded and small (later tests start ZeroMQ, uvicorn and supervisor threads, and
    forking a threaded process can deadlock the child on a lock another thread held)."""
    items.sort(key=lambda item: SANDBOX_TESTS not in Path(str(item.path)).parents)
