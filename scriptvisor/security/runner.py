"""Runs probes against the installed scriptvisor on this host and judges each one.

    with Runner() as runner:
        for result in runner.run_all(select("signals")):
            print(result.verdict)

A `Runner` starts a real supervisor with the default policy (children confined by every
layer this host offers) and, when a control needs it, a second one whose children have
every layer off. For each probe it runs the control, then the attack, then checks that
the supervisor is healthy (every child serves again, a normal script runs, its memory did
not grow without bound) and that nothing was written where a confined probe wrote.
"""

from __future__ import annotations

import contextlib
import logging
import os
import secrets
import shutil
import socket
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

from scriptvisor.protocol.models import ScriptOutput, SecurityLimits
from scriptvisor.protocol.values import MAX_VALUE_BYTES
from scriptvisor.sandbox.policy import DEFAULT, Layer, Policy
from scriptvisor.sandbox.report import LayerStatus
from scriptvisor.security import paths
from scriptvisor.security.model import OK, REFUSED, Probe, Step, Via
from scriptvisor.supervisor import exchange
from scriptvisor.supervisor.engine import ScriptEngine
from scriptvisor.supervisor.pool import PoolConfig
from scriptvisor.supervisor.rpc import HostSession

PROBES_MODULE = "scriptvisor.security.probes"
GUARD_OFF = DEFAULT.without(*Layer)
"""The control children: the same children with every confinement layer switched off."""
CANARY = "SCRIPTVISOR_SECURITY_CANARY"
MAX_SUPERVISOR_GROWTH = 64 * 1024 * 1024
_PAGE = os.sysconf("SC_PAGE_SIZE")

HOST_FUNCTIONS: Mapping[str, Callable[..., Any]] = {
    "roll_dice": lambda sides=20, *_: 1 + secrets.randbelow(int(sides)),
    "echo": lambda value=None, *_: value,
}
"""The host functions a probe's `functions` may name."""


class Verdict(StrEnum):
    BLOCKED = "blocked"  # the control succeeded, the attack ended as expected
    ESCAPED = "escaped"  # the attack got through
    WRONG_OUTCOME = "wrong outcome"  # stopped, but not the way the catalog expects
    CONTROL_FAILED = "control failed"  # the probe no longer reaches what it tests
    UNHEALTHY = "unhealthy"  # the supervisor did not recover


@dataclass(frozen=True)
class Observed:
    """What one run ended with: `ok`, `refused` or an error type, and its message."""

    outcome: str
    message: str = ""
    result: Any = None
    seconds: float = 0.0

    def describe(self) -> str:
        if self.outcome == OK:
            return f"ok: {_short(repr(self.result))}"
        return f"{self.outcome}: {_short(self.message)}"

    @classmethod
    def of(cls, out: ScriptOutput, seconds: float) -> Observed:
        if out.error is None:
            return cls(OK, "", out.result, seconds)
        return cls(out.error.type.value, out.error.message, None, seconds)


@dataclass(frozen=True)
class ProbeResult:
    probe: Probe
    attack: Observed
    control: Observed
    verdict: Verdict
    detail: str = ""

    @property
    def passed(self) -> bool:
        return self.verdict is Verdict.BLOCKED

    @property
    def blocked(self) -> bool:
        """The attack did not get through (it may still have ended the wrong way)."""
        return self.verdict is not Verdict.ESCAPED

    def as_dict(self) -> dict[str, Any]:
        return {
            "key": self.probe.key,
            "name": self.probe.name,
            "category": self.probe.category,
            "via": self.probe.via.value,
            "blocked": self.blocked,
            "passed": self.passed,
            "verdict": self.verdict.value,
            "expected": self.probe.expect.describe(),
            "outcome": self.attack.outcome,
            "message": _short(self.attack.message, 300),
            "seconds": round(self.attack.seconds, 4),
            "control": {
                "outcome": self.control.outcome,
                "message": _short(self.control.message, 300),
                "seconds": round(self.control.seconds, 4),
            },
            "detail": self.detail,
        }


class Runner:
    """Runs probes (see the module docstring); a context manager that cleans up after
    itself: engines, children, the listener sockets and its temporary directory."""

    def __init__(self, policy: Policy = DEFAULT, control_policy: Policy = GUARD_OFF) -> None:
        self.policy = policy
        self.control_policy = control_policy
        self._stack = contextlib.ExitStack()
        self._open: ScriptEngine | None = None
        try:
            self._start()
        except BaseException:
            self._stack.close()
            raise

    def _start(self) -> None:
        self.work = Path(tempfile.mkdtemp(prefix="scriptvisor-security-"))
        self._stack.callback(shutil.rmtree, self.work, True)
        os.chmod(self.work, 0o755)
        self.empty_dir = self.work / "must-stay-empty"
        self.empty_dir.mkdir()
        os.chmod(self.empty_dir, 0o777)  # anyone may write: only confinement can stop it
        self.canary = secrets.token_hex(8)
        self._stack.enter_context(_environ(CANARY, self.canary))
        self.listener = self._stack.enter_context(socket.socket())
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(8)
        self.unix_path = str(self.work / "listener.sock")
        unix = self._stack.enter_context(socket.socket(socket.AF_UNIX))
        unix.bind(self.unix_path)
        unix.listen(8)
        self.engine = self._engine(self.policy)
        self.confinement: list[LayerStatus] = list(self.engine.confinement)

    def _engine(self, policy: Policy) -> ScriptEngine:
        config = PoolConfig(size=1, spares=1, allow_probes=True, policy=policy)
        engine = ScriptEngine(pool=config, limits=SecurityLimits())
        self._stack.callback(engine.shutdown)
        return engine

    @property
    def open_engine(self) -> ScriptEngine:
        """The guard-off supervisor, started on first use."""
        if self._open is None:
            self._open = self._engine(self.control_policy)
        return self._open

    def close(self) -> None:
        self._stack.close()

    def __enter__(self) -> Runner:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- running ---------------------------------------------------------------------------

    def run_all(self, probes: Iterable[Probe]) -> Iterator[ProbeResult]:
        for probe in probes:
            yield self.run(probe)

    def run(self, probe: Probe) -> ProbeResult:
        """Control, attack, then the checks; never raises for what a probe does."""
        control = self._observe(probe, probe.control)
        before = _rss()
        attack = self._observe(probe, probe.attack)
        leaked = sorted(p.name for p in self.empty_dir.iterdir())
        if leaked:
            _empty(self.empty_dir)
        problem = "" if probe.via is Via.HOST else self._health(before)
        verdict, detail = judge(probe, attack, control, leaked, problem)
        return ProbeResult(probe, attack, control, verdict, detail)

    def _observe(self, probe: Probe, step: Step) -> Observed:
        began = time.perf_counter()
        try:
            if probe.via is Via.HOST:
                return self._path_trick(step, began)
            engine = self.engine if step.guarded else self.open_engine
            if probe.via in (Via.CHILD, Via.FRAME):
                out = self._python(engine, step)
            else:
                out = self._script(engine, probe.via.value, step)
            return Observed.of(out, time.perf_counter() - began)
        except Exception as exc:  # the runner's own trouble: reported, never a traceback
            seconds = time.perf_counter() - began
            return Observed("runner-error", f"{type(exc).__name__}: {exc}", None, seconds)

    def _python(self, engine: ScriptEngine, step: Step) -> ScriptOutput:
        """`probes.<target>` in a fresh child of `engine` (the supervisor's probe hook)."""
        limits = self._limits(step, max_execution_time=5.0)
        slot = engine.pool.spawn_probe(f"{PROBES_MODULE}:{step.target}")
        slot.remember("probe")  # nothing to compile: keep the hard deadline tight
        job = exchange.Job(
            "security", step.target, "tengo", "probe", "", self._input(step), limits,
            limits.to_wire(), HostSession({}, limits),
        )
        return exchange.run(engine.pool, slot, job)

    def _script(self, engine: ScriptEngine, language: str, step: Step) -> ScriptOutput:
        functions = {name: HOST_FUNCTIONS[name] for name in step.functions}
        return engine.execute_source(
            step.target, language, name="probe", module="security", input=self._input(step),
            limits=self._limits(step), functions=functions,
        )

    def _path_trick(self, step: Step, began: float) -> Observed:
        work = Path(tempfile.mkdtemp(dir=self.work))
        quiet = logging.getLogger("scriptvisor.registry")
        was, quiet.disabled = quiet.disabled, True  # the refusals are the expected outcome
        try:
            result = paths.TRICKS[step.target](work, step.guarded)
            return Observed(OK, "", result, time.perf_counter() - began)
        except paths.Refused as exc:
            return Observed(REFUSED, str(exc), None, time.perf_counter() - began)
        finally:
            quiet.disabled = was
            shutil.rmtree(work, ignore_errors=True)

    def _limits(self, step: Step, **defaults: Any) -> SecurityLimits:
        return SecurityLimits(**{**defaults, **step.limits})

    def _input(self, step: Step) -> dict[str, Any]:
        return {k: self._fact(v, step) for k, v in step.input.items()}

    def _fact(self, value: Any, step: Step) -> Any:
        if not (isinstance(value, str) and value.startswith("$")):
            return value
        facts: dict[str, Callable[[], Any]] = {
            "$port": lambda: self.listener.getsockname()[1],
            "$unix": lambda: self.unix_path,
            "$supervisor": os.getpid,
            "$canary": lambda: CANARY,
            "$sockets": lambda: self.engine.pool.directory,
            "$dir": lambda: str(self.empty_dir) if step.guarded else tempfile.mkdtemp(
                dir=self.work),
            "$huge_input": lambda: ["x" * 1024] * (MAX_VALUE_BYTES // 1024 + 1),
        }
        return facts[value]()

    def _health(self, rss_before: int) -> str:
        """Why the confined supervisor is not healthy after a probe, or ''."""
        engine = self.engine
        if not engine.pool.wait_ready(timeout=10):
            return f"the pool did not recover: {engine.pool.children()}"
        out = engine.execute_source('text := import("text")\nresult := text.to_upper("ok")')
        if not (out.ok and out.result == "OK"):
            return f"a normal script failed afterwards: {out.error}"
        grown = _rss() - rss_before
        if grown > MAX_SUPERVISOR_GROWTH:
            return f"the supervisor's memory grew by {grown >> 20} MiB"
        return ""


def judge(
    probe: Probe, attack: Observed, control: Observed, leaked: list[str], problem: str
) -> tuple[Verdict, str]:
    """The verdict on one probe, and what went wrong (empty when blocked)."""
    if not probe.control_expect.matches(control.outcome, control.message, control.result):
        return Verdict.CONTROL_FAILED, (
            f"control: expected {probe.control_expect.describe()}, got {control.describe()}"
        )
    blocked = probe.expect.matches(attack.outcome, attack.message, attack.result)
    if leaked:
        return Verdict.ESCAPED, f"wrote {leaked} where it may not"
    if attack.outcome == OK and not blocked:
        # it ran to completion without the answer that shows the guard held: it got through
        return Verdict.ESCAPED, attack.describe()
    if not blocked:
        return Verdict.WRONG_OUTCOME, f"expected {probe.expect.describe()}, got {attack.describe()}"
    if problem:
        return Verdict.UNHEALTHY, problem
    return Verdict.BLOCKED, ""


@contextlib.contextmanager
def _environ(name: str, value: str) -> Iterator[None]:
    """A canary in the supervisor's environment, which a child must never see."""
    old = os.environ.get(name)
    os.environ[name] = value
    try:
        yield
    finally:
        if old is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = old


def _empty(directory: Path) -> None:
    for entry in directory.iterdir():
        if entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry, ignore_errors=True)
        else:
            entry.unlink(missing_ok=True)


def _rss() -> int:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * _PAGE


def _short(text: str, limit: int = 120) -> str:
    """One printable line (a probe's message may carry NUL bytes or escapes)."""
    text = " ".join(text.split())
    text = "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)
    return text if len(text) <= limit else text[: limit - 3] + "..."
