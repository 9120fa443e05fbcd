"""Chaos: sustained load on a real supervisor while its children are killed from outside.

    python -m benchmarks.chaos [--seconds 60] [--size 3] [--threads 6] [--tasks 4] [--json]

Worker threads (`execute`) and asyncio tasks (`execute_async`) run a mix of scripts without
pause while a monkey signals random serving children: SIGKILL, SIGSEGV (a crash) and
SIGSTOP (a child that stops reading and answering); one script in the mix spins until its
short deadline, so its child stops reading by itself. Invariants, checked per request:

- every request comes back (nothing lost, nothing hangs: latency under a bound);
- a success carries the right value for its own input (no answer goes to another request);
- a failure is a typed error that the script or the chaos explains, and the chaos fails at
  most one request per signal;
- afterwards the pool is back to full size (members and spares), no stopped child is
  left, and a normal script runs.

`run_chaos` is shared with `tests/reliability/test_chaos.py`, which runs it for ~25 s.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import logging
import os
import random
import signal
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any

from scriptvisor.protocol.models import (
    ExecutionRequest,
    ScriptInput,
    ScriptOutput,
    SecurityLimits,
)
from scriptvisor.supervisor.engine import ScriptEngine, StaticScripts
from scriptvisor.supervisor.pool import Kind, PoolConfig

MODULE = "chaos"
LIMIT = 1.0  # seconds: how long a stopped child holds a request before the hard kill
LOOP_N = 20_000  # ~10-20 ms of work: kills land mid-execution
CHAOS_ERRORS = frozenset({"execution", "timeout", "security_violation"})
"""What a killed (execution), stopped (timeout) or vanished (security_violation: the
connection dropped before the death was seen) child costs the request it was serving."""


@dataclass(frozen=True)
class Work:
    """One script of the mix: what it must answer for input `a`, or the error it must get."""

    name: str
    language: str
    source: str
    weight: int
    expect: Callable[[int], Any] | None  # None: the script fails by design
    error: str | None = None  # its own error type (by design)
    timeout: float = LIMIT


WORKLOAD: tuple[Work, ...] = (
    Work("arith", "tengo", "result := a * 2 + 1", 8, lambda a: a * 2 + 1),
    Work(
        "loop", "tengo",
        f"s := 0\nfor i := 0; i < {LOOP_N}; i++ {{ s += i }}\nresult := [a, s]", 6,
        lambda a: [a, LOOP_N * (LOOP_N - 1) // 2],
    ),
    Work("zy-arith", "zygomys", "(def result (+ (* a 2) 1))", 4, lambda a: a * 2 + 1),
    Work("spin", "tengo", "for {}", 1, None, error="timeout", timeout=0.1),
)
SIGNALS: dict[str, int] = {
    "SIGKILL": signal.SIGKILL,
    "SIGSEGV": signal.SIGSEGV,
    "SIGSTOP": signal.SIGSTOP,
}


@dataclass
class ChaosReport:
    seconds: float = 0.0
    requests: int = 0
    answered: int = 0
    outcomes: Counter[str] = field(default_factory=Counter)  # "work: outcome"
    examples: dict[str, str] = field(default_factory=dict)  # outcome -> first message
    signals: Counter[str] = field(default_factory=Counter)
    chaos_failures: int = 0  # good scripts failed by the chaos
    wrong: list[str] = field(default_factory=list)  # wrong values or unexplained errors
    raised: list[str] = field(default_factory=list)  # exceptions out of execute()
    max_latency: float = 0.0
    p99_latency: float = 0.0
    stopped_left: list[int] = field(default_factory=list)
    recovered: bool = False
    final_ok: bool = False
    pool_stats: dict[str, int] = field(default_factory=dict)

    @property
    def signals_sent(self) -> int:
        return sum(self.signals.values())

    def problems(self, latency_bound: float) -> list[str]:
        """Every broken invariant, in words (empty when the run held)."""
        out = [*self.wrong, *self.raised]
        if self.answered != self.requests:
            out.append(f"{self.requests - self.answered} requests never came back")
        if self.max_latency > latency_bound:
            out.append(f"a request took {self.max_latency:.2f}s (bound {latency_bound}s)")
        if self.chaos_failures > self.signals_sent:
            out.append(f"{self.chaos_failures} failures for {self.signals_sent} signals")
        if self.stopped_left:
            out.append(f"stopped children never killed: {self.stopped_left}")
        if not self.recovered:
            out.append(f"the pool did not recover to full size: {self.pool_stats}")
        if not self.final_ok:
            out.append("a normal script failed after the chaos")
        return out

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["signals_sent"] = self.signals_sent
        return data


def make_engine(size: int, spares: int = 1) -> ScriptEngine:
    scripts = StaticScripts()
    for work in WORKLOAD:
        scripts.add(MODULE, work.name, work.source, work.language)
    return ScriptEngine(
        scripts, pool=PoolConfig(size=size, spares=spares),
        limits=SecurityLimits(max_execution_time=LIMIT),
    )


def outcome_of(output: ScriptOutput) -> str:
    """`ok`, or the error type with the signal that ended the child when one did."""
    if output.error is None:
        return "ok"
    kind = output.error.type.value
    message = output.error.message
    if "killed by SIG" in message:
        return f"{kind} ({message.split('killed by ', 1)[1].split(')')[0]})"
    if "(the child was killed)" in message:
        return f"{kind} (hard kill)"
    return kind


class _Tally:
    """What every request came back with; shared by the drivers."""

    def __init__(self, report: ChaosReport) -> None:
        self.report = report
        self.latencies: list[float] = []
        self.lock = threading.Lock()

    def start(self) -> None:
        with self.lock:
            self.report.requests += 1

    def done(self, work: Work, a: int, output: ScriptOutput | None, latency: float,
             exc: BaseException | None = None) -> None:
        with self.lock:
            report = self.report
            report.answered += 1
            self.latencies.append(latency)
            if exc is not None:
                report.raised.append(f"{work.name}: {type(exc).__name__}: {exc}")
                return
            assert output is not None
            outcome = outcome_of(output)
            report.outcomes[f"{work.name}: {outcome}"] += 1
            if output.error is not None:
                report.examples.setdefault(outcome, output.error.message)
            if output.error is None:
                if work.expect is None or output.result != work.expect(a):
                    report.wrong.append(f"{work.name}({a}) answered {output.result!r}")
                return
            kind = output.error.type.value
            if kind == work.error:
                return
            if kind not in CHAOS_ERRORS:
                report.wrong.append(f"{work.name}({a}): unexplained {outcome}: "
                                    f"{output.error.message}")
                return
            report.chaos_failures += 1


def _pick(rng: random.Random) -> tuple[Work, int]:
    work = rng.choices(WORKLOAD, weights=[w.weight for w in WORKLOAD])[0]
    return work, rng.randrange(1 << 40)


def _request(work: Work, a: int) -> ExecutionRequest:
    return ExecutionRequest(
        module_name=MODULE, script_name=work.name,
        input=ScriptInput(context={"a": a}), timeout=work.timeout,
    )


def _thread_driver(engine: ScriptEngine, tally: _Tally, stop: threading.Event,
                   seed: int) -> None:
    rng = random.Random(seed)
    while not stop.is_set():
        work, a = _pick(rng)
        tally.start()
        started = time.monotonic()
        try:
            output = engine.execute(_request(work, a))
        except Exception as exc:  # the host's own conditions: counted as broken
            tally.done(work, a, None, time.monotonic() - started, exc)
        else:
            tally.done(work, a, output, time.monotonic() - started)


def _async_driver(engine: ScriptEngine, tally: _Tally, stop: threading.Event, tasks: int,
                  seed: int) -> None:
    async def task(rng: random.Random) -> None:
        while not stop.is_set():
            work, a = _pick(rng)
            tally.start()
            started = time.monotonic()
            try:
                output = await engine.execute_async(_request(work, a))
            except Exception as exc:
                tally.done(work, a, None, time.monotonic() - started, exc)
            else:
                tally.done(work, a, output, time.monotonic() - started)

    async def main() -> None:
        await asyncio.gather(*(task(random.Random(seed + i)) for i in range(tasks)))

    asyncio.run(main())


def _parent_of(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/stat") as f:
            return int(f.read().rsplit(")", 1)[1].split()[1])
    except (OSError, IndexError, ValueError):
        return -1


def _state_of(pid: int) -> str:
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return "gone"


def signal_child(engine: ScriptEngine, pid: int, signum: int) -> bool:
    """Send `signum` to `pid` only if it is still one of the zygote's children (the pidfd
    pins the process, so the check and the signal concern the same one)."""
    try:
        pidfd = os.pidfd_open(pid)
    except OSError:
        return False
    try:
        if _parent_of(pid) != engine._zygote.pid:
            return False
        signal.pidfd_send_signal(pidfd, signum)
        return True
    except OSError:
        return False
    finally:
        os.close(pidfd)


def _monkey(engine: ScriptEngine, report: ChaosReport, stop: threading.Event,
            interval: float, stopped: set[int], seed: int) -> None:
    rng = random.Random(seed)
    while not stop.wait(interval * rng.uniform(0.5, 1.5)):
        # members only: a stopped spare would sit unnoticed until promoted
        victims = [s.pid for s in engine.pool.children()
                   if s.kind is Kind.MEMBER and s.stage == "serving" and s.pid]
        if not victims:
            continue
        pid = rng.choice(victims)
        name = rng.choice(list(SIGNALS))
        if signal_child(engine, pid, SIGNALS[name]):
            report.signals[name] += 1
            if name == "SIGSTOP":
                stopped.add(pid)


def run_chaos(
    seconds: float = 60.0,
    *,
    size: int = 3,
    spares: int = 1,
    threads: int = 6,
    tasks: int = 4,
    interval: float = 0.1,
    seed: int = 7,
    drain_timeout: float = 20.0,
) -> ChaosReport:
    """Load + monkey for `seconds`, load until every stopped child is gone, then checks."""
    report = ChaosReport()
    tally = _Tally(report)
    engine = make_engine(size, spares)
    stop_load, stop_monkey = threading.Event(), threading.Event()
    stopped: set[int] = set()
    started = time.monotonic()
    try:
        drivers = [
            threading.Thread(target=_thread_driver, args=(engine, tally, stop_load, seed + i),
                             daemon=True)
            for i in range(threads)
        ]
        if tasks:
            drivers.append(threading.Thread(
                target=_async_driver, args=(engine, tally, stop_load, tasks, seed + 100),
                daemon=True,
            ))
        monkey = threading.Thread(
            target=_monkey, args=(engine, report, stop_monkey, interval, stopped, seed),
            daemon=True,
        )
        for t in [*drivers, monkey]:
            t.start()
        stop_monkey.wait(seconds)
        stop_monkey.set()
        monkey.join()
        # keep the load on until the supervisor has killed every child the monkey stopped
        # (the pool's condition is notified whenever the zygote reports a child's exit)
        engine.pool.wait_until(lambda: all(_state_of(p) == "gone" for p in stopped),
                               drain_timeout)
        stop_load.set()
        join_by = time.monotonic() + LIMIT * 4 + 10
        for t in drivers:
            t.join(max(join_by - time.monotonic(), 0.1))
        report.seconds = time.monotonic() - started
        report.stopped_left = sorted(p for p in stopped if _state_of(p) != "gone")
        with tally.lock:
            lat = sorted(tally.latencies)
        if lat:
            report.max_latency = lat[-1]
            report.p99_latency = lat[min(int(len(lat) * 0.99), len(lat) - 1)]
        pool = engine.pool
        report.recovered = pool.wait_until(
            lambda: len(pool.idle_children()) == size and pool.spares_serving == spares, 15.0
        ) and all(_state_of(s.pid) in "RS" for s in pool.children())
        report.final_ok = all(
            engine.execute_source("result := x + 1", input={"x": i}).result == i + 1
            for i in range(size * 3)
        )
        report.pool_stats = asdict(engine.pool_stats())
    finally:
        stop_monkey.set()
        stop_load.set()
        for pid in stopped:  # never leave a stopped process behind, whatever happened
            if _parent_of(pid) == engine._zygote.pid:
                with contextlib.suppress(OSError):
                    os.kill(pid, signal.SIGCONT)
        engine.shutdown()
    return report


def latency_bound() -> float:
    """The longest a request may take: queued behind a few hard kills, never more."""
    return 4 * (LIMIT + 0.6) + 5.0


def _print(report: ChaosReport) -> None:
    print(f"chaos: {report.seconds:.1f}s, {report.requests} requests, "
          f"{report.answered} answered, {report.signals_sent} signals {dict(report.signals)}")
    print(f"  failures caused by the chaos: {report.chaos_failures} "
          f"(<= signals: {report.chaos_failures <= report.signals_sent})")
    print(f"  latency p99 {report.p99_latency * 1000:.1f} ms, max {report.max_latency:.2f} s")
    for key, count in sorted(report.outcomes.items()):
        print(f"  {key:<38}{count:>8}")
    for outcome, message in sorted(report.examples.items()):
        print(f"  e.g. {outcome}: {message}")
    print(f"  pool after: recovered={report.recovered} final_ok={report.final_ok} "
          f"stats={report.pool_stats}")
    problems = report.problems(latency_bound())
    print("  invariants: " + ("all held" if not problems else "BROKEN"))
    for problem in problems[:20]:
        print(f"    {problem}")


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.chaos")
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--size", type=int, default=3)
    parser.add_argument("--threads", type=int, default=6)
    parser.add_argument("--tasks", type=int, default=4, help="asyncio tasks (execute_async)")
    parser.add_argument("--interval", type=float, default=0.1, help="mean seconds per signal")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    logging.getLogger("scriptvisor").setLevel(logging.ERROR)  # kills and rejections are the point
    report = run_chaos(args.seconds, size=args.size, threads=args.threads, tasks=args.tasks,
                       interval=args.interval, seed=args.seed)
    if args.json:
        print(json.dumps(report.to_dict(), indent=2))
    else:
        _print(report)
    raise SystemExit(1 if report.problems(latency_bound()) else 0)


if __name__ == "__main__":
    main()
