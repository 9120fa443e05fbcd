"""Client stub round trips: client process → supervisor (daemon endpoint) → confined child
→ back, over ipc, for a trivial script and for one with a host function living in the
client; beside the same script through the in-process `ScriptEngine` in the supervisor's
process (the floor the stub adds to).

Reproduce: `.venv/bin/python -m benchmarks.client [--n 5000]` (the supervisor runs in a
child process of the benchmark; target: client p50 <= 300 µs for the trivial script).
"""

from __future__ import annotations

import argparse
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from scriptvisor.client import Client
from scriptvisor.protocol.models import ExecutionRequest, SecurityLimits
from scriptvisor.supervisor.engine import ScriptEngine, StaticScripts
from scriptvisor.supervisor.pool import PoolConfig

TRIVIAL = ExecutionRequest(module_name="bench", script_name="trivial")
HOST_CALL = ExecutionRequest(module_name="bench", script_name="host_call")


def make_engine() -> ScriptEngine:
    scripts = StaticScripts()
    scripts.add("bench", "trivial", "result := 1")
    scripts.add("bench", "host_call", "result := lookup(7)")
    return ScriptEngine(scripts, pool=PoolConfig(size=2), limits=SecurityLimits())


def daemon(endpoint: str, n: int) -> None:
    """The supervisor process: serve `endpoint`, then, on stdin's word, measure in-process."""
    from scriptvisor.supervisor.daemon import Daemon

    engine = make_engine()
    served = Daemon(engine, endpoint).start()
    print("ready", flush=True)
    sys.stdin.readline()
    served.stop()
    print(f"{'in-process, trivial':<34}{report(timed(lambda: engine.execute(TRIVIAL), n))}",
          flush=True)
    engine.shutdown()


def timed(call: Callable[[], Any], n: int) -> list[float]:
    for _ in range(min(n // 10, 500)):  # warm: every child has compiled the script
        call()
    samples = []
    for _ in range(n):
        started = time.perf_counter()
        call()
        samples.append(time.perf_counter() - started)
    return sorted(samples)


def report(samples: list[float]) -> str:
    def at(q: float) -> float:
        return samples[min(int(len(samples) * q), len(samples) - 1)] * 1e6

    rate = len(samples) / sum(samples)
    return f"p50 {at(0.5):6.0f} µs  p99 {at(0.99):6.0f} µs  ({rate:,.0f}/s sequential)"


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.client")
    parser.add_argument("--n", type=int, default=5000)
    parser.add_argument("--daemon", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.daemon:
        daemon(args.daemon, args.n)
        return
    folder = Path(tempfile.mkdtemp(prefix="sv-bench-"))
    endpoint = f"ipc://{folder}/daemon.sock"
    process = subprocess.Popen(
        [sys.executable, "-m", "benchmarks.client", "--daemon", endpoint, "--n", str(args.n)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )
    assert process.stdin is not None and process.stdout is not None
    try:
        assert process.stdout.readline().strip() == "ready"
        with Client(endpoint, functions={"lookup": lambda key: key * 6}) as client:
            assert client.execute(HOST_CALL).result == 42
            print(f"{'client, trivial':<34}{report(timed(lambda: client.execute(TRIVIAL), args.n))}")
            print(f"{'client, one client host call':<34}"
                  f"{report(timed(lambda: client.execute(HOST_CALL), args.n))}")
        process.stdin.write("go\n")
        process.stdin.flush()
        print(process.stdout.readline().rstrip())
        process.wait(60)
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            process.wait(10)
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
