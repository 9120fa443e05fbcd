"""Soak: many executions through one supervisor, then look for what leaked.

    python -m benchmarks.soak [--executions 100000] [--size 2] [--threads 4] [--json]

A seeded mix of good scripts, failing ones (runtime and compile errors) and a small share
of hostile ones (infinite loop under a short deadline, memory bomb, runaway recursion), in
Tengo and Zygomys, plus ad-hoc sources that are new every time (they churn the compile
caches). Every execution must end exactly as its script says (the right value, or the
error type it provokes). Reported: the supervisor's resident memory and descriptor count
at the start, every `checkpoint` executions and at the end, executions per second, counts
by outcome; after shutdown, the supervisor's child processes, descriptors and private ipc
directory, which must all be gone.

`run_soak` is shared with `tests/reliability/test_soak.py` (a few thousand executions).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import logging
import os
import random
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any

import psutil  # type: ignore[import-untyped]

from scriptvisor.protocol.models import (
    ExecutionRequest,
    ScriptInput,
    ScriptOutput,
    SecurityLimits,
)
from scriptvisor.supervisor.engine import ScriptEngine, StaticScripts
from scriptvisor.supervisor.pool import PoolConfig

MODULE = "soak"
SHORT = 0.05  # seconds: the deadline of the infinite loops
MIB = 1024 * 1024


@dataclass(frozen=True)
class Case:
    """One script of the mix and how it must end for inputs `a`, `b`."""

    name: str
    language: str
    source: str
    weight: int
    expect: Callable[[int, int], Any] | None = None  # the result, when it succeeds
    error: str | None = None  # the error type it provokes, when it fails
    timeout: float | None = None
    adhoc: bool = False  # a new source every time (`{n}` in the source is replaced)


CASES: tuple[Case, ...] = (
    # good
    Case("t-map", "tengo", "result := {sum: a + b, diff: a - b}", 330,
         lambda a, b: {"sum": a + b, "diff": a - b}),
    Case("t-stdlib", "tengo",
         'fmt := import("fmt")\ntext := import("text")\nfmt.println("a is", a)\n'
         'result := [text.repeat("ab", 2), a * b]', 100,
         lambda a, b: ["abab", a * b]),
    Case("t-loop", "tengo", "s := 0\nfor i := 0; i < 200; i++ { s += i * a }\nresult := s", 60,
         lambda a, b: a * 199 * 200 // 2),
    Case("z-arith", "zygomys", "(def result (+ (* a 2) b))", 200, lambda a, b: a * 2 + b),
    Case("z-infix", "zygomys", '(log "b is" b)\n(def result [a {a + b}])', 60,
         lambda a, b: [a, a + b]),
    Case("t-adhoc", "tengo", "result := {n} + a", 15, None, adhoc=True),
    # failing
    Case("t-runtime", "tengo", "result := a / (b - b)", 50, error="execution"),
    Case("z-runtime", "zygomys", "(def result (/ a (- b b)))", 40, error="execution"),
    Case("t-syntax", "tengo", "result := a +", 30, error="invalid_syntax"),
    Case("t-compile", "tengo", "result := nope + a", 20, error="compilation"),
    Case("z-syntax", "zygomys", "(def result (+ a b)", 30, error="invalid_syntax"),
    Case("z-compile", "zygomys", "(def result (cond a 1))", 15, error="compilation"),
    # hostile
    Case("t-spin", "tengo", "for {}", 4, error="timeout", timeout=SHORT),
    Case("z-spin", "zygomys", "(for [(def i 0) true (set i (+ i 1))] i)", 3,
         error="timeout", timeout=SHORT),
    Case("t-bomb", "tengo", 's := "ab"\nfor { s = s + s }', 4, error="memory_limit"),
    Case("z-bomb", "zygomys",
         '(def s "ab")\n(for [(def i 0) true (set i (+ i 1))] (set s (concat s s)))', 3,
         error="memory_limit"),
    Case("t-recursion", "tengo", "f := func(n) { return 1 + f(n + 1) }\nresult := f(a)", 4,
         error="execution"),
    Case("z-recursion", "zygomys", "(defn f [n] (+ 1 (f (+ n 1))))\n(def result (f a))", 3,
         error="execution"),
)


@dataclass
class Checkpoint:
    executions: int
    seconds: float
    rss: int
    fds: int


@dataclass
class SoakReport:
    executions: int = 0
    seconds: float = 0.0
    outcomes: Counter[str] = field(default_factory=Counter)  # "case: outcome"
    wrong: list[str] = field(default_factory=list)
    checkpoints: list[Checkpoint] = field(default_factory=list)
    fds_before: int = 0
    fds_after: int = 0
    leaked_fds: list[str] = field(default_factory=list)
    leaked_processes: list[str] = field(default_factory=list)
    ipc_dir_left: bool = False
    pool_stats: dict[str, int] = field(default_factory=dict)

    @property
    def rate(self) -> float:
        return self.executions / self.seconds if self.seconds else 0.0

    def rss_growth(self, since: int = 0) -> int:
        """Resident growth from checkpoint `since` to the last one, in bytes."""
        return self.checkpoints[-1].rss - self.checkpoints[since].rss

    def problems(self) -> list[str]:
        out = list(self.wrong[:20])
        if len(self.wrong) > 20:
            out.append(f"... {len(self.wrong) - 20} more wrong outcomes")
        if self.leaked_processes:
            out.append(f"processes left after shutdown: {self.leaked_processes}")
        if self.fds_after != self.fds_before:
            out.append(f"descriptors {self.fds_before} -> {self.fds_after}: {self.leaked_fds}")
        if self.ipc_dir_left:
            out.append("the private ipc directory was not removed")
        return out

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["rate"] = self.rate
        return data


def make_engine(size: int, spares: int = 1) -> ScriptEngine:
    scripts = StaticScripts()
    for case in CASES:
        if not case.adhoc:
            scripts.add(MODULE, case.name, case.source, case.language)
    return ScriptEngine(scripts, pool=PoolConfig(size=size, spares=spares),
                        limits=SecurityLimits(max_execution_time=2.0))


def _fds() -> dict[str, str]:
    out: dict[str, str] = {}
    for fd in os.listdir("/proc/self/fd"):
        with contextlib.suppress(OSError):  # the descriptor listdir itself used is gone
            out[fd] = os.readlink(f"/proc/self/fd/{fd}")
    return out


def _outcome(output: ScriptOutput) -> str:
    return "ok" if output.error is None else output.error.type.value


class _Run:
    """Shared state of the driver threads."""

    def __init__(self, engine: ScriptEngine, report: SoakReport, total: int,
                 checkpoint: int) -> None:
        self.engine = engine
        self.report = report
        self.total = total
        self.checkpoint = checkpoint
        self.lock = threading.Lock()
        self.done = 0
        self.adhoc = 0
        self.started = time.monotonic()
        self.process = psutil.Process()

    def one(self, case: Case, a: int, b: int) -> None:
        if case.adhoc:
            with self.lock:
                self.adhoc += 1
                n = self.adhoc
            output = self.engine.execute_source(
                case.source.replace("{n}", str(n)), case.language, name=case.name,
                module=MODULE, input={"a": a, "b": b},
            )
            expected: Any = n + a
        else:
            output = self.engine.execute(ExecutionRequest(
                module_name=MODULE, script_name=case.name,
                input=ScriptInput(context={"a": a, "b": b}), timeout=case.timeout,
            ))
            expected = case.expect(a, b) if case.expect else None
        self.record(case, output, expected, a, b)

    def record(self, case: Case, output: ScriptOutput, expected: Any, a: int, b: int) -> None:
        outcome = _outcome(output)
        good = (outcome == "ok" and case.error is None and output.result == expected) or (
            outcome == case.error
        )
        with self.lock:
            self.report.outcomes[f"{case.name}: {outcome}"] += 1
            if not good:
                shown = output.error.message if output.error else repr(output.result)
                self.report.wrong.append(f"{case.name}(a={a}, b={b}): {outcome}: {shown}")
            self.done += 1
            if self.done % self.checkpoint == 0 or self.done == self.total:
                self.sample()

    def sample(self) -> None:
        """A checkpoint (caller holds the lock)."""
        self.report.checkpoints.append(Checkpoint(
            self.done, time.monotonic() - self.started,
            self.process.memory_info().rss, len(_fds()),
        ))


def _driver(run: _Run, count: int, seed: int) -> None:
    rng = random.Random(seed)
    weights = [c.weight for c in CASES]
    for _ in range(count):
        case = rng.choices(CASES, weights=weights)[0]
        run.one(case, rng.randrange(1, 1 << 30), rng.randrange(1, 1000))


def run_soak(
    executions: int = 100_000,
    *,
    size: int = 2,
    spares: int = 1,
    threads: int = 4,
    checkpoint: int = 10_000,
    seed: int = 3,
) -> SoakReport:
    """Run `executions` of the mix; leak checks after shutdown."""
    report = SoakReport()
    me = psutil.Process()
    children_before = {p.pid for p in me.children(recursive=True)}
    fds_before = _fds()
    report.fds_before = len(fds_before)
    engine = make_engine(size, spares)
    directory = engine.pool.directory
    try:
        run = _Run(engine, report, executions, checkpoint)
        run.sample()  # the start: the pool is up, nothing has run
        shares = [executions // threads + (i < executions % threads) for i in range(threads)]
        drivers = [threading.Thread(target=_driver, args=(run, n, seed + i), daemon=True)
                   for i, n in enumerate(shares)]
        for t in drivers:
            t.start()
        for t in drivers:
            t.join()
        report.executions = run.done
        report.seconds = time.monotonic() - run.started
        report.pool_stats = asdict(engine.pool_stats())
    finally:
        engine.shutdown()
    fds_after = _fds()
    report.fds_after = len(fds_after)
    report.leaked_fds = sorted(f"{fd} -> {target}" for fd, target in fds_after.items()
                               if fds_before.get(fd) != target)
    left = [p for p in me.children(recursive=True) if p.pid not in children_before]
    report.leaked_processes = [f"{p.pid} {p.name()}" for p in left if p.is_running()]
    report.ipc_dir_left = os.path.exists(directory)
    return report


def _print(report: SoakReport) -> None:
    print(f"soak: {report.executions} executions in {report.seconds:.1f}s "
          f"= {report.rate:.0f} executions/s")
    print(f"  {'executions':>10}{'seconds':>9}{'rss MiB':>9}{'fds':>6}")
    for c in report.checkpoints:
        print(f"  {c.executions:>10}{c.seconds:>9.1f}{c.rss / MIB:>9.1f}{c.fds:>6}")
    first = report.checkpoints[min(1, len(report.checkpoints) - 1)]
    print(f"  rss growth: {report.rss_growth() / MIB:+.1f} MiB from the start, "
          f"{(report.checkpoints[-1].rss - first.rss) / MIB:+.1f} MiB from the first "
          "checkpoint")
    for key, count in sorted(report.outcomes.items()):
        print(f"  {key:<28}{count:>8}")
    print(f"  pool: {report.pool_stats}")
    print(f"  after shutdown: descriptors {report.fds_before} -> {report.fds_after}, "
          f"processes left {report.leaked_processes}, ipc dir left {report.ipc_dir_left}")
    problems = report.problems()
    print("  invariants: " + ("all held" if not problems else "BROKEN"))
    for problem in problems:
        print(f"    {problem}")


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.soak")
    parser.add_argument("--executions", type=int, default=100_000)
    parser.add_argument("--size", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--checkpoint", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=3)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    logging.getLogger("scriptvisor").setLevel(logging.ERROR)  # kills and rejections are the point
    report = run_soak(args.executions, size=args.size, threads=args.threads,
                      checkpoint=args.checkpoint, seed=args.seed)
    if args.json:
        print(json.dumps(report.to_dict(), indent=2))
    else:
        _print(report)
    raise SystemExit(1 if report.problems() else 0)


if __name__ == "__main__":
    main()
