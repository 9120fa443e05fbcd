"""What the client tests share: the scripts a test supervisor serves, a daemon in another
process (`python daemon_process.py ENDPOINT`), a client in another process."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from scriptvisor.protocol.models import SecurityLimits
from scriptvisor.supervisor.engine import ScriptEngine, StaticScripts
from scriptvisor.supervisor.pool import PoolConfig

HERE = Path(__file__).parent
ROOT = HERE.parent.parent


def make_scripts() -> StaticScripts:
    scripts = StaticScripts()
    scripts.add("m", "add", "result := a + b")
    scripts.add("m", "price", "result := price(n) * 2")
    scripts.add("m", "guarded", "r := price(n)\nresult := is_error(r) ? string(r) : r")
    scripts.add("m", "spin", "for {}")
    scripts.add("m", "broken", "result := (1 +")
    scripts.add("m", "zy", "(def result (* n (price n)))", "zygomys")
    return scripts


def make_engine(size: int = 2) -> ScriptEngine:
    return ScriptEngine(make_scripts(), pool=PoolConfig(size=size),
                        limits=SecurityLimits(max_execution_time=10.0))


def wait_until(condition: Callable[[], bool], seconds: float = 10.0) -> bool:
    """Poll `condition` (state in another process or thread, with nothing to wait on)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.01)
    return False


def short_endpoint() -> tuple[str, Path]:
    """An ipc endpoint in a fresh private folder (ipc paths must stay short)."""
    folder = Path(tempfile.mkdtemp(prefix="sv-"))
    return f"ipc://{folder}/daemon.sock", folder


def wait_for_socket(endpoint: str, process: subprocess.Popen[str], seconds: float = 30) -> None:
    path = Path(endpoint.removeprefix("ipc://"))
    deadline = time.monotonic() + seconds
    while not path.exists():
        if process.poll() is not None:
            raise RuntimeError(f"the daemon exited with {process.returncode}: "
                               f"{process.stderr.read() if process.stderr else ''}")
        if time.monotonic() > deadline:
            raise TimeoutError(f"no socket at {path} after {seconds}s")
        time.sleep(0.02)


@contextlib.contextmanager
def serving(endpoint: str, scripts_dir: Path) -> Iterator[subprocess.Popen[str]]:
    """`scriptvisor serve --listen endpoint` (HTTP on any free port) until the block ends;
    it must then stop cleanly on SIGTERM."""
    process = subprocess.Popen(
        [sys.executable, "-m", "scriptvisor.cli", "serve", "--port", "0", "--pool-size", "1",
         "--listen", endpoint, "--scripts-dir", str(scripts_dir)],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=_env(),
    )
    try:
        wait_for_socket(endpoint, process)
        yield process
    finally:
        process.send_signal(signal.SIGTERM)
        code = process.wait(30)
    assert code == 0, process.stderr.read() if process.stderr else code


def start_daemon(endpoint: str) -> subprocess.Popen[str]:
    process = subprocess.Popen(
        [sys.executable, str(HERE / "daemon_process.py"), endpoint],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=_env(),
    )
    assert process.stdout is not None
    line = process.stdout.readline()  # "ready" once bound
    if line.strip() != "ready":
        process.kill()
        raise RuntimeError(f"the daemon did not start: {line!r} {process.stderr.read()}")
    return process


def run_client(code: str, endpoint: str, timeout: float = 60) -> Any:
    """Run `code` in a fresh Python process with `endpoint` bound; it prints one JSON line."""
    process = subprocess.run(
        [sys.executable, "-c", code, endpoint], capture_output=True, text=True,
        timeout=timeout, env=_env(),
    )
    if process.returncode != 0:
        raise AssertionError(f"client process failed ({process.returncode}): {process.stderr}")
    return json.loads(process.stdout.strip().splitlines()[-1])


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT), env.get("PYTHONPATH")) if p)
    return env
