"""Hot-reload storm: rapid rewrites of a script while it is being executed.

    python -m benchmarks.storm [--rewrites 1000] [--threads 3] [--json]

A real registry watches a real temporary SCRIPTS_DIR (watchdog, default debounce) and a
real supervisor serves the script from it. A writer rewrites `storm/subject.tengo`
`rewrites` times: every version has its own number `v`; a third are invalid (syntax or
compile errors; not unresolved names: those may be input variables, known only when run); writes are plain (truncate + write), atomic (temp + rename) or
non-atomic in several chunks with short pauses, as an editor or a slow copy would; the
pace is mostly rapid, with a pause now and then long enough for a version to go live.

Every valid version answers `[v, v * 7919 % 10007]` and every proper prefix of it either
fails to compile or answers something else, so a half-written or invalid version that
went live would show. Checked: every execution succeeds with the pair of a valid version
already written; each executing thread sees versions in order; after the storm the last
valid version is served, and stays served when an invalid one follows it.

`run_storm` is shared with `tests/reliability/test_storm.py` (fewer rewrites).
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import random
import tempfile
import threading
import time
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from scriptvisor.protocol.models import ExecutionRequest, Script, SecurityLimits
from scriptvisor.registry import TOPIC_REJECTED, TOPIC_RELOADED, EmbeddedCatalog, ScriptRegistry
from scriptvisor.supervisor.engine import ScriptEngine
from scriptvisor.supervisor.pool import PoolConfig

MODULE, NAME = "storm", "subject"
SETTLE = 10.0  # seconds the registry may take to pick up a version after the storm


def check_of(version: int) -> int:
    return version * 7919 % 10007


def valid_source(version: int) -> str:
    # several lines, so a chunked write passes through prefixes that compile
    return (f"// version {version}\nv := {version}\ncheck := v * 7919 % 10007\n"
            "result := [v, check]\n")


INVALID_SOURCES = (
    lambda v: f"// version {v}\nv := {v}\nresult := [v, v * 7919 % 10007\n",  # unclosed
    lambda v: f"// version {v}\nv := {v}\nv := 0\nresult := [v, v * 7919 % 10007]\n",  # redeclared
    lambda v: f"// version {v}\nv := {v}\nresult := [v, check] +* }}\n",  # garbage
)


@dataclass
class StormReport:
    rewrites: int = 0
    valid_writes: int = 0
    invalid_writes: int = 0
    writes_by_mode: Counter[str] = field(default_factory=Counter)
    reloaded: int = 0  # versions that went live
    rejected: int = 0  # versions the registry refused
    executions: int = 0
    versions_seen: int = 0  # distinct versions the executions answered with
    bad: list[str] = field(default_factory=list)  # impossible answers
    out_of_order: list[str] = field(default_factory=list)
    seconds: float = 0.0
    last_valid: int = 0
    final_served: Any = None
    served_after_invalid: Any = None

    def problems(self) -> list[str]:
        out = [*self.bad[:20], *self.out_of_order[:20]]
        expected = [self.last_valid, check_of(self.last_valid)]
        if self.final_served != expected:
            out.append(f"after the storm served {self.final_served!r}, not {expected}")
        if self.served_after_invalid != expected:
            out.append(f"after a last invalid write served {self.served_after_invalid!r}")
        return out

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


class _Events:
    """Counts the registry's announcements and lets the storm wait on one."""

    def __init__(self) -> None:
        self.cond = threading.Condition()
        self.items: list[tuple[str, dict[str, Any]]] = []

    def __call__(self, topic: str, payload: dict[str, Any]) -> None:
        with self.cond:
            self.items.append((topic, payload))
            self.cond.notify_all()

    def count(self, topic: str) -> int:
        with self.cond:
            return sum(1 for t, _ in self.items if t == topic)

    def wait_for(self, topic: str, checksum: str, timeout: float) -> bool:
        def seen() -> bool:
            return any(t == topic and p.get("checksum") == checksum for t, p in self.items)

        with self.cond:
            return self.cond.wait_for(seen, timeout)


def _write(path: Path, text: str, mode: str, rng: random.Random) -> None:
    if mode == "atomic":
        temp = path.with_name(f".{path.name}.tmp")
        temp.write_text(text)
        os.replace(temp, path)
        return
    with open(path, "w") as f:
        if mode == "plain":
            f.write(text)
            return
        # chunked: a few pieces, flushed one by one with short pauses (well under the
        # registry's quiet period: a writer that pauses longer has finished, as far as
        # anyone watching files can tell)
        cuts = sorted(rng.sample(range(1, len(text)), min(3, len(text) - 1)))
        for start, end in zip([0, *cuts], [*cuts, len(text)], strict=True):
            f.write(text[start:end])
            f.flush()
            time.sleep(rng.uniform(0.0, 0.005))


def _executor(engine: ScriptEngine, report: StormReport, stop: threading.Event,
              valid: set[int], seen: set[int], lock: threading.Lock) -> None:
    request = ExecutionRequest(module_name=MODULE, script_name=NAME)
    last = -1
    while not stop.is_set():
        out = engine.execute(request)
        with lock:
            report.executions += 1
            value = out.result
            ok = (out.error is None and isinstance(value, list) and len(value) == 2
                  and value[0] in valid and value[1] == check_of(value[0]))
            if not ok:
                shown = out.error.message if out.error else repr(value)
                report.bad.append(f"execution answered {shown}")
                continue
            seen.add(value[0])
            if value[0] < last:
                report.out_of_order.append(f"saw version {value[0]} after {last}")
            last = value[0]


def run_storm(
    rewrites: int = 1000,
    *,
    threads: int = 3,
    pause_share: float = 0.25,
    seed: int = 1,
) -> StormReport:
    """Rewrite the script `rewrites` times under continuous execution; then the checks."""
    rng = random.Random(seed)
    report = StormReport()
    with tempfile.TemporaryDirectory(prefix="scriptvisor-storm-") as temp:
        root = Path(temp)
        folder = root / MODULE
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{NAME}.tengo"
        catalog = EmbeddedCatalog(discover=False)
        catalog.register(MODULE, {NAME: ("tengo", valid_source(0))})
        events = _Events()
        registry = ScriptRegistry(root, embedded=catalog, publish=events, hot_reload=True)
        registry.load_scripts()
        registry.start_watcher()
        engine = ScriptEngine(registry, pool=PoolConfig(size=2),
                              limits=SecurityLimits(max_execution_time=2.0))
        valid: set[int] = {0}
        seen: set[int] = set()
        lock = threading.Lock()
        stop = threading.Event()
        workers = [threading.Thread(target=_executor,
                                    args=(engine, report, stop, valid, seen, lock),
                                    daemon=True) for _ in range(threads)]
        started = time.monotonic()
        try:
            for t in workers:
                t.start()
            for version in range(1, rewrites + 1):
                bad = version % 3 == 0
                mode = rng.choice(("plain", "atomic", "chunked"))
                if bad:
                    text = rng.choice(INVALID_SOURCES)(version)
                else:
                    text = valid_source(version)
                    with lock:
                        valid.add(version)  # before it exists on disk
                _write(path, text, mode, rng)
                report.writes_by_mode[mode] += 1
                report.invalid_writes += bad
                report.valid_writes += not bad
                report.last_valid = report.last_valid if bad else version
                # mostly rapid; now and then quiet for longer than the debounce
                pause = registry.debounce * rng.uniform(1.5, 3.0) \
                    if rng.random() < pause_share else rng.uniform(0.0, 0.01)
                stop.wait(pause)
            report.rewrites = rewrites
            # the storm is over: the last valid version must go live and stay live
            final = rewrites + 1
            _write(path, valid_source(final), "chunked", rng)
            with lock:
                valid.add(final)
            report.last_valid = final
            report.valid_writes += 1
            checksum = Script.checksum_of(valid_source(final), "tengo")
            events.wait_for(TOPIC_RELOADED, checksum, SETTLE)
            report.final_served = engine.execute(
                ExecutionRequest(module_name=MODULE, script_name=NAME)).result
            rejected_before = events.count(TOPIC_REJECTED)
            _write(path, INVALID_SOURCES[0](final + 1), "plain", rng)
            report.invalid_writes += 1
            with events.cond:
                events.cond.wait_for(lambda: events.count(TOPIC_REJECTED) > rejected_before,
                                     SETTLE)
            report.served_after_invalid = engine.execute(
                ExecutionRequest(module_name=MODULE, script_name=NAME)).result
        finally:
            stop.set()
            for t in workers:
                t.join(10)
            report.seconds = time.monotonic() - started
            registry.stop()
            engine.shutdown()
        report.reloaded = events.count(TOPIC_RELOADED)
        report.rejected = events.count(TOPIC_REJECTED)
        report.versions_seen = len(seen)
    return report


def _print(report: StormReport) -> None:
    print(f"storm: {report.rewrites} rewrites ({report.valid_writes} valid, "
          f"{report.invalid_writes} invalid; {dict(report.writes_by_mode)}) in "
          f"{report.seconds:.1f}s")
    print(f"  registry: {report.reloaded} versions went live, {report.rejected} rejected")
    print(f"  executions: {report.executions}, {report.versions_seen} distinct versions seen, "
          f"{len(report.bad)} impossible answers, {len(report.out_of_order)} out of order")
    print(f"  after the storm: served {report.final_served} "
          f"(last valid {report.last_valid}); after an invalid write: "
          f"{report.served_after_invalid}")
    problems = report.problems()
    print("  invariants: " + ("all held" if not problems else "BROKEN"))
    for problem in problems:
        print(f"    {problem}")


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.storm")
    parser.add_argument("--rewrites", type=int, default=1000)
    parser.add_argument("--threads", type=int, default=3)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    logging.getLogger("scriptvisor").setLevel(logging.ERROR)  # kills and rejections are the point
    report = run_storm(args.rewrites, threads=args.threads, seed=args.seed)
    if args.json:
        print(json.dumps(report.to_dict(), indent=2))
    else:
        _print(report)
    raise SystemExit(1 if report.problems() else 0)


if __name__ == "__main__":
    main()
