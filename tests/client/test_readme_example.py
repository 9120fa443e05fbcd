"""The README's embedding example runs as written against a real `scriptvisor serve`
(only its endpoint is pointed at this test's private socket)."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from client_harness import ROOT, serving, short_endpoint

pytestmark = pytest.mark.timeout(120)
README_ENDPOINT = "ipc:///tmp/scriptvisor.sock"


def readme_example() -> str:
    text = (ROOT / "README.md").read_text()
    section = text.split("## Embedding from another process", 1)[1]
    match = re.search(r"```python\n(.*?)```", section, re.S)
    assert match, "the README lost its embedding example"
    return match.group(1)


@pytest.fixture()
def serve(tmp_path: Path) -> Iterator[str]:
    endpoint, folder = short_endpoint()
    with serving(endpoint, tmp_path / "scripts"):
        yield endpoint
    shutil.rmtree(folder, ignore_errors=True)


def test_the_readme_embedding_example_runs_as_written(serve: str) -> None:
    code = readme_example()
    assert README_ENDPOINT in code and len(code.strip().splitlines()) <= 12
    done = subprocess.run([sys.executable, "-c", code.replace(README_ENDPOINT, serve)],
                          capture_output=True, text=True, timeout=60, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split("\n")[:2] == ["40", "10 None"], done.stdout
