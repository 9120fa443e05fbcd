"""`make bench`: each program in Tengo or Zygomys (compiled, in-process) and in plain
Python, timed in the same run.

Prints the best-of-N wall time of each and the script/Python ratio beside the target: the
ratio Go's own Tengo reaches on this machine, or 2x for Zygomys. Reproduce: `make bench`.
The supervisor's round-trip benchmarks are `python -m benchmarks.supervisor`.
"""

from __future__ import annotations

import argparse
import functools
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from benchmarks import python_equivalents as py
from scriptvisor.engines.base import EngineLimits
from scriptvisor.engines.factory import EngineFactory, language_of

HERE = Path(__file__).parent
# name: (script file under benchmarks/, python function, target ratio to CPython)
PROGRAMS: dict[str, tuple[str, Callable[[], Any], float]] = {
    "fib(30)": ("tengo/fib.tengo", py.fib, 1.85),
    "loop sum 10M": ("tengo/loop_sum.tengo", py.loop_sum, 1.6),
    "tail call 10M": ("tengo/tail_call.tengo", py.tail_call, 2.5),
    "strings 200k": ("tengo/strings.tengo", py.strings, 3.5),
    "map 200k": ("tengo/maps.tengo", py.maps, 1.4),
    "sort 200k": ("tengo/sort.tengo", py.sort, 1.5),
    "closures 1M": ("tengo/closures.tengo", py.closures, 3.8),
    "json ~1MB": ("tengo/json.tengo", py.json_roundtrip, 1.1),
    "zy fib(30)": ("zygomys/fib.zygomys", py.fib, 2.0),
    "zy loop sum 10M": ("zygomys/loop_sum.zygomys", py.loop_sum, 2.0),
    "zy tail call 10M": ("zygomys/tail_call.zygomys", py.tail_call, 2.0),
    "zy strings 200k": ("zygomys/strings.zygomys", py.strings, 2.0),
    "zy map 200k": ("zygomys/maps.zygomys", py.maps, 2.0),
    "zy sort 200k": ("zygomys/sort.zygomys", py.sort, 2.0),
    "zy closures 1M": ("zygomys/closures.zygomys", py.closures, 2.0),
    "zy json ~1MB": ("zygomys/json.zygomys", py.json_roundtrip_zygomys, 2.0),
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
    limits = EngineLimits(max_execution_time=600, max_memory_bytes=4 << 30)
    factory = EngineFactory()
    print(f"{'program':<16}{'script s':>10}{'python s':>10}{'ratio':>8}{'target':>10}  ok")
    for name, (file, python_fn, go_ratio) in PROGRAMS.items():
        if args.only and args.only not in name:
            continue
        engine = factory.create_engine(language_of(file))
        compiled = engine.compile((HERE / file).read_text(), file)
        run = functools.partial(engine.execute, compiled, None, None, limits)
        t_time, outcome = best_of(args.runs, run)
        t_value = outcome.result
        p_time, p_value = best_of(args.runs, python_fn)
        ratio = t_time / p_time
        same = "yes" if t_value == p_value else f"NO ({t_value!r} != {p_value!r})"
        verdict = "" if ratio <= go_ratio else "  (over target)"
        print(f"{name:<16}{t_time:>10.3f}{p_time:>10.3f}{ratio:>8.2f}{go_ratio:>10.2f}  {same}{verdict}")


if __name__ == "__main__":
    main()
