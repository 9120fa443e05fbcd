"""Which confinement layers work on this host, and why any is missing.

`doctor()` forks a child that applies the policy with every layer allowed to be
missing and reports what it got; nothing in the calling process changes.
`python -m scriptvisor.sandbox.doctor [--bench N]` prints the report (and costs).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import signal
import statistics
import sys
import time
from dataclasses import replace
from typing import Any, TextIO

from scriptvisor.sandbox import landlock, seccomp
from scriptvisor.sandbox.confine import confine, prepare
from scriptvisor.sandbox.policy import DEFAULT, LAYER_ORDER, Layer, Policy
from scriptvisor.sandbox.report import ConfinementError, LayerStatus, State


def _probe_policy(policy: Policy) -> Policy:
    return replace(policy, optional=frozenset(Layer) - policy.disabled, allow_degraded=True)


def _run_forked(policy: Policy) -> dict[str, Any]:
    """Confine a forked child with `policy`; return what it reported (or how it died)."""
    prepare(policy)
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - runs in the child
        payload: dict[str, Any]
        try:
            os.close(read_end)
            report = confine(policy, keep_fds={write_end})
            payload = {"report": report.as_dict()}
        except ConfinementError as exc:
            done = [s.as_dict() for s in exc.done]
            failed = exc.layer.value if exc.layer else None
            payload = {"done": done, "failed": failed, "reason": exc.reason}
        except BaseException as exc:
            payload = {"done": [], "failed": None, "reason": repr(exc)}
        try:
            os.write(write_end, json.dumps(payload).encode())
        finally:
            os._exit(0)
    os.close(write_end)
    chunks = []
    while chunk := os.read(read_end, 1 << 16):
        chunks.append(chunk)
    os.close(read_end)
    _, status = os.waitpid(pid, 0)
    if not chunks:
        return {"done": [], "failed": None, "reason": f"child ended silently ({status:#x})"}
    result: dict[str, Any] = json.loads(b"".join(chunks))
    return result


def doctor(policy: Policy = DEFAULT) -> list[LayerStatus]:
    """One status per layer of `policy` as this host can apply it, in order."""
    result = _run_forked(_probe_policy(policy))
    if "report" in result:
        return [LayerStatus.from_dict(d) for d in result["report"]["layers"]]
    statuses = [LayerStatus.from_dict(d) for d in result["done"]]
    seen = {s.layer for s in statuses}
    failed = Layer(result["failed"]) if result["failed"] else None
    for layer in LAYER_ORDER:
        if layer in seen:
            continue
        if layer is failed or (failed is None and not statuses):
            statuses.append(LayerStatus(layer, State.UNAVAILABLE, result["reason"]))
            failed = layer
        else:
            statuses.append(LayerStatus(layer, State.UNAVAILABLE, "not reached"))
    return statuses


def host_facts() -> dict[str, str]:
    facts = {"kernel": platform.release(), "machine": platform.machine(), "euid": str(os.geteuid())}
    try:
        facts["landlock_abi"] = str(landlock.abi_version())
    except OSError as exc:
        facts["landlock_abi"] = f"error: {exc}"
    for name, path in (
        ("seccomp_actions", "/proc/sys/kernel/seccomp/actions_avail"),
        ("max_user_namespaces", "/proc/sys/user/max_user_namespaces"),
    ):
        try:
            with open(path) as f:
                facts[name] = f.read().strip()
        except OSError as exc:
            facts[name] = f"unreadable: {exc.strerror}"
    return facts


def print_report(policy: Policy = DEFAULT, file: TextIO = sys.stdout) -> bool:
    """Print the host facts and layer table; True when every layer is active."""
    statuses = doctor(policy)
    for key, value in host_facts().items():
        print(f"{key:>20}: {value}", file=file)
    print(file=file)
    for s in statuses:
        cost = f"{s.seconds * 1e3:6.2f} ms" if s.seconds else " " * 9
        print(f"{s.layer.value:>15}  {s.state.value:<11} {cost}  {s.detail}", file=file)
    return all(s.state is State.ACTIVE for s in statuses)


def bench(policy: Policy = DEFAULT, runs: int = 50) -> dict[str, float]:
    """Medians in milliseconds: filter build, and fork + full confinement + exit."""
    builds = []
    for _ in range(runs):
        began = time.perf_counter()
        seccomp.build_filter(policy.seccomp, seccomp.native_arch())
        builds.append(time.perf_counter() - began)
    prepare(policy)
    inside, total = [], []
    for _ in range(runs):
        began = time.perf_counter()
        result = _run_forked(policy)
        total.append(time.perf_counter() - began)
        if "report" not in result:
            raise RuntimeError(f"confinement failed: {result}")
        inside.append(result["report"]["seconds"])

    def ms(samples: list[float]) -> float:
        return round(statistics.median(samples) * 1e3, 3)

    return {
        "filter_build_ms": ms(builds),
        "confine_in_child_ms": ms(inside),
        "fork_confine_exit_reap_ms": ms(total),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--profile", default=DEFAULT.name)
    parser.add_argument("--bench", type=int, metavar="N", help="also time N confinements")
    args = parser.parse_args(argv)
    from scriptvisor.sandbox.policy import profile

    policy = profile(args.profile)
    ok = print_report(policy)
    if args.bench:
        print(json.dumps(bench(policy, args.bench)))
    return 0 if ok else 1


if __name__ == "__main__":
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    sys.exit(main())
