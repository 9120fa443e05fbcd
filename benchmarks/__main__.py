"""`make bench`: each program in Tengo (compiled, in-process) and in plain Python, same run.

Prints the best-of-N wall time of each and the Tengo/Python ratio beside the ratio Go's
own Tengo reaches on this machine (the issue's targets). Reproduce: `make bench`.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from benchmarks import python_equivalents as py
from scriptvisor.engines.base import EngineLimits
from scriptvisor.engines.tengo.engine import TengoEngine

HERE = Path(__file__).parent
# name: (tengo file, python function, Go Tengo's ratio to CPython measured on this machine)
PROGRAMS: dict[str, tuple[str, Callable[[], Any], float]] = {
    "fib(30)": ("fib.tengo", py.fib, 1.85),
    "loop sum 10M": ("loop_sum.tengo", py.loop_sum, 1.6),
    "tail call 10M": ("tail_call.tengo", py.tail_call, 2.5),
    "strings 200k": ("strings.tengo", py.strings, 3.5),
    "map 200k": ("maps.tengo", py.maps, 1.4),
    "sort 200k": ("sort.tengo", py.sort, 1.5),
    "closures 1M": ("closures.tengo", py.closures, 3.8),
    "json ~1MB": ("json.tengo", py.json_roundtrip, 1.1),
}


def best_of(runs: int, fn: Callable[[], Any]) -> tuple[float, Any]:
    best, value = float("inf"), None
    for _ in range(runs):
        started = time.perf_counter()
        value = fn()
        best = min(best, time.perf_counter() - started)
    return best, value


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--only", help="substring of a program name")
    args = parser.parse_args()
    engine = TengoEngine(EngineLimits(max_execution_time=600, max_memory_bytes=4 << 30))
    print(f"{'program':<16}{'tengo s':>10}{'python s':>10}{'ratio':>8}{'go ratio':>10}  ok")
    for name, (file, python_fn, go_ratio) in PROGRAMS.items():
        if args.only and args.only not in name:
            continue
        compiled = engine.compile((HERE / "tengo" / file).read_text(), file)
        t_time, t_value = best_of(args.runs, lambda c=compiled: engine.execute(c).result)
        p_time, p_value = best_of(args.runs, python_fn)
        ratio = t_time / p_time
        same = "yes" if t_value == p_value else f"NO ({t_value!r} != {p_value!r})"
        verdict = "" if ratio <= go_ratio else "  (slower than Go's Tengo)"
        print(f"{name:<16}{t_time:>10.3f}{p_time:>10.3f}{ratio:>8.2f}{go_ratio:>10.2f}  {same}{verdict}")


if __name__ == "__main__":
    main()
