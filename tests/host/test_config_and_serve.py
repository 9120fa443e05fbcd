"""Configuration from the environment, and `scriptvisor serve` as a real process."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from scriptvisor.config import ConfigError
from scriptvisor.host.config import HostConfig

pytestmark = pytest.mark.timeout(60)


def test_defaults_and_values() -> None:
    config = HostConfig.from_env({})
    assert (config.host, config.port, config.hot_reload) == ("127.0.0.1", 8080, True)
    assert config.scripts_dir == Path("scripts") and config.pool_size >= 1
    config = HostConfig.from_env({
        "SCRIPT_MAX_EXECUTION_TIME": "250ms", "SCRIPT_MAX_MEMORY_BYTES": "20MB",
        "HOT_RELOAD_SCRIPTS": "false", "SCRIPTS_DIR": "/tmp/x", "SCRIPTVISOR_POOL_SIZE": "3",
        "SCRIPTVISOR_HOST": "0.0.0.0", "SCRIPTVISOR_PORT": "9000",
    }, port=9001)
    assert config.limits.max_execution_time == 0.25
    assert config.limits.max_memory_bytes == 20 * 1024 * 1024
    assert (config.hot_reload, config.scripts_dir, config.pool_size) == (False, Path("/tmp/x"), 3)
    assert (config.host, config.port) == ("0.0.0.0", 9001)


@pytest.mark.parametrize("var,value", [
    ("SCRIPT_MAX_EXECUTION_TIME", "soon"),
    ("SCRIPT_MAX_EXECUTION_TIME", "-1s"),
    ("SCRIPT_MAX_MEMORY_BYTES", "lots"),
    ("HOT_RELOAD_SCRIPTS", "maybe"),
    ("SCRIPTVISOR_POOL_SIZE", "0"),
    ("SCRIPTVISOR_POOL_SIZE", "two"),
    ("SCRIPTVISOR_PORT", "70000"),
    ("SCRIPTVISOR_PORT", "http"),
    ("SCRIPTVISOR_HOST", "a b"),
])
def test_bad_value_names_the_variable(var: str, value: str) -> None:
    with pytest.raises(ConfigError, match=f"^{var}"):
        HostConfig.from_env({var: value})


def _env(**extra: str) -> dict[str, str]:
    return {**os.environ, "SCRIPTVISOR_POOL_SIZE": "1", **extra}


def test_serve_refuses_a_bad_variable_by_name(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "scriptvisor.cli", "serve"], cwd=tmp_path, capture_output=True,
        text=True, env=_env(SCRIPTVISOR_PORT="eighty"), timeout=60,
    )
    assert done.returncode == 2
    assert "SCRIPTVISOR_PORT" in done.stderr and "eighty" in done.stderr


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_serve_runs_everything_and_stops_cleanly_on_sigterm(tmp_path: Path) -> None:
    port = _free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "scriptvisor.cli", "serve", "--port", str(port),
         "--scripts-dir", str(tmp_path / "scripts"), "--extract-scripts"],
        cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        env=_env(WARGAME_TICK="100ms"),
    )
    try:
        assert proc.stdout is not None
        for line in proc.stdout:  # uvicorn says when it listens
            if "Uvicorn running on" in line:
                break
        else:
            pytest.fail(f"serve exited with {proc.wait()}")
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=30) as resp:
            assert json.load(resp)["status"] == "ok"
        assert (tmp_path / "scripts" / "wargame" / "damage_calculator.tengo").is_file()
        started = time.monotonic()
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=30) == 0
        assert time.monotonic() - started < 10
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
