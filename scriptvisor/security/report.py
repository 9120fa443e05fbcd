"""What `scriptvisor security-test` prints: progress, confinement layers, tables, JSON."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TextIO

from scriptvisor.sandbox.doctor import host_facts
from scriptvisor.sandbox.report import LayerStatus, State
from scriptvisor.security.runner import ProbeResult, Verdict


def progress(result: ProbeResult, index: int, total: int, out: TextIO) -> None:
    """One line per probe as it finishes."""
    width = len(str(total))
    mark = "ok  " if result.passed else "FAIL"
    line = (
        f"[{index:>{width}}/{total}] {mark} {result.probe.key:<62.62} "
        f"{result.verdict.value:<14} {_ms(result.attack.seconds)}"
    )
    if not result.passed:
        line += f"\n{'':>{2 * width + 8}}{result.detail}"
    print(line, file=out, flush=True)


def layers(statuses: Sequence[LayerStatus], out: TextIO) -> None:
    """The host and the confinement layers the probed children actually have."""
    for key, value in host_facts().items():
        print(f"{key:>20}: {value}", file=out)
    print(file=out)
    for s in statuses:
        print(f"{s.layer.value:>20}  {s.state.value:<11}  {s.detail}", file=out)
    missing = [s.layer.value for s in statuses if s.state is not State.ACTIVE]
    if missing:
        print(f"\nLAYERS NOT ACTIVE ON THIS HOST: {', '.join(missing)} -- the probes run "
              "against the layers that are; `scriptvisor doctor` says why", file=out)
    else:
        print("\nevery confinement layer is active", file=out)
    print(file=out, flush=True)


def tables(results: Sequence[ProbeResult], out: TextIO) -> None:
    """One table per category: probe, blocked?, outcome, time."""
    for category in dict.fromkeys(r.probe.category for r in results):
        rows = [r for r in results if r.probe.category == category]
        passed = sum(r.passed for r in rows)
        print(f"\n== {category} ({passed}/{len(rows)} passed)", file=out)
        print(f"   {'PROBE':<52} {'BLOCKED':<8} {'TIME':>10}  OUTCOME", file=out)
        for r in rows:
            blocked = "yes" if r.blocked else "NO"
            outcome = r.attack.describe() if r.passed else f"{r.verdict.value}: {r.detail}"
            print(f"   {r.probe.name:<52.52} {blocked:<8} {_ms(r.attack.seconds)}  "
                  f"{outcome:.110}", file=out)


def summary(results: Sequence[ProbeResult], seconds: float, out: TextIO) -> None:
    counts = {v: sum(r.verdict is v for r in results) for v in Verdict}
    text = ", ".join(f"{n} {v.value}" for v, n in counts.items() if n or v is Verdict.BLOCKED)
    verdict = "PASSED" if all(r.passed for r in results) else "FAILED"
    print(f"\n{verdict}: {len(results)} probes, {text} ({seconds:.1f} s)", file=out, flush=True)


def as_json(
    results: Sequence[ProbeResult], statuses: Sequence[LayerStatus], seconds: float
) -> dict[str, Any]:
    by_category: dict[str, int] = {}
    for r in results:
        by_category[r.probe.category] = by_category.get(r.probe.category, 0) + 1
    return {
        "ok": all(r.passed for r in results),
        "seconds": round(seconds, 3),
        "host": host_facts(),
        "layers": [s.as_dict() for s in statuses],
        "degraded": any(s.state is not State.ACTIVE for s in statuses),
        "counts": {v.value: sum(r.verdict is v for r in results) for v in Verdict},
        "categories": by_category,
        "probes": [r.as_dict() for r in results],
    }


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:7.1f} ms"
