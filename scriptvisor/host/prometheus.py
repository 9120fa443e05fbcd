"""`GET /metrics`: the host's state in the Prometheus text exposition format."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from scriptvisor.host.app import Host

_P = "scriptvisor_"


def render(host: Host) -> str:
    """Every metric family, each with HELP and TYPE lines."""
    outcomes, durations, reloads = host.metrics.snapshot()
    lines: list[str] = []
    _family(lines, "executions_total", "counter",
            "Script executions by module, script and outcome (success or error type).",
            ((_labels(module=m, script=s, outcome=o), n)
             for (m, s, o), n in sorted(outcomes.items())))
    name = _P + "execution_duration_seconds"
    lines += [f"# HELP {name} Wall-clock time of an execution seen by the host.",
              f"# TYPE {name} histogram"]
    for (m, s), hist in sorted(durations.items()):
        for le, count in hist.cumulative():
            lines.append(f"{name}_bucket{_labels(module=m, script=s, le=le)} {count}")
        lines.append(f"{name}_sum{_labels(module=m, script=s)} {hist.total!r}")
        lines.append(f"{name}_count{_labels(module=m, script=s)} {hist.count}")
    engine = host.engine.metrics()
    _family(lines, "script_run_seconds_total", "counter",
            "Time scripts spent running inside children.",
            ((_labels(module=m, script=s), t["execution_time"])
             for m, scripts in sorted(engine.items()) for s, t in sorted(scripts.items())))
    _family(lines, "script_compile_seconds_total", "counter",
            "Time children spent compiling scripts.",
            ((_labels(module=m, script=s), t["compilation_time"])
             for m, scripts in sorted(engine.items()) for s, t in sorted(scripts.items())))
    children = host.engine.pool.children()
    stats = host.engine.pool_stats()
    _family(lines, "pool_size", "gauge", "Configured number of warm children.",
            [("", host.config.pool_size)])
    _family(lines, "pool_children", "gauge", "Children by state.",
            ((_labels(state=state), sum(c.state.value == state for c in children))
             for state in ("starting", "idle", "busy")))
    _family(lines, "pool_busy", "gauge", "Children running a script now.",
            [("", sum(c.state.value == "busy" for c in children))])
    for field, help_text in (("started", "Children started."),
                             ("replaced", "Children replaced after a kill or exit."),
                             ("killed", "Children killed (deadline, memory, violation)."),
                             ("rejected", "Executions refused by backpressure.")):
        _family(lines, f"pool_{field}_total", "counter", help_text,
                [("", getattr(stats, field))])
    _family(lines, "script_reloads_total", "counter",
            "Registry changes by kind (scripts.reloaded, scripts.rejected, scripts.removed).",
            ((_labels(kind=topic.rsplit(".", 1)[-1]), n) for topic, n in sorted(reloads.items())))
    _family(lines, "scripts_with_errors", "gauge",
            "Scripts whose last version (or embedded default) was rejected.",
            [("", sum(e.error is not None for e in host.registry.entries()))])
    _family(lines, "bus_published_total", "counter", "Messages published on the bus.",
            [("", host.bus.published)])
    _family(lines, "bus_dropped_total", "counter",
            "Messages dropped because a subscriber's queue was full.", [("", host.bus.dropped)])
    _family(lines, "message_script_failures_total", "counter",
            "Message-triggered executions that failed (published on scripts.error).",
            [("", host.metrics.messages_failed)])
    return "\n".join(lines) + "\n"


def _family(lines: list[str], name: str, kind: str, help_text: str,
            samples: Iterable[tuple[str, float]]) -> None:
    full = _P + name
    lines += [f"# HELP {full} {help_text}", f"# TYPE {full} {kind}"]
    lines += [f"{full}{labels} {value!r}" for labels, value in samples]


def _labels(**labels: str) -> str:
    inner = ",".join(f'{k}="{_escape(v)}"' for k, v in labels.items())
    return "{" + inner + "}"


def _escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace("\n", "\\n").replace('"', '\\"')
