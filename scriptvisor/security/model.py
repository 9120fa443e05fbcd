"""What a probe is: how it runs, what blocked looks like, and its control.

Every probe has an attack and a control. The attack must end in the expected blocked
outcome; the control (the guard off: a child with every confinement layer off, a script
with generous limits or a small size, a legitimate path, a well-formed frame) must succeed,
so a probe that silently stopped reaching the code under test is caught.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from scriptvisor.protocol.errors import ErrorType

OK = "ok"
"""The outcome of a run that succeeded."""
REFUSED = "refused"
"""The outcome of a path trick the registry or extraction refused."""


class Via(StrEnum):
    """How a probe runs."""

    CHILD = "child"  # Python (probes.py) in a confined child; control: every layer off
    FRAME = "frame"  # Python sending raw frames from a confined child; control: well-formed
    TENGO = "tengo"  # a Tengo script in a confined child; control: the bounded neighbour
    ZYGOMYS = "zygomys"  # a Zygomys script, likewise
    HOST = "host"  # a registry/extraction path trick in this process; control: a legal path


class _Any:
    def __repr__(self) -> str:
        return "ANY"


ANY: Any = _Any()


@dataclass(frozen=True)
class Expect:
    """An outcome: one of `outcomes` (`ok`, `refused` or an error type), every string of
    `texts` in the message (when ok: in the result as text), and when ok (and `result` is
    given) exactly that result."""

    outcomes: tuple[str, ...]
    texts: tuple[str, ...] = ()
    result: Any = ANY

    def matches(self, outcome: str, message: str, result: Any) -> bool:
        said = str(result) if outcome == OK else message
        if outcome not in self.outcomes or any(t not in said for t in self.texts):
            return False
        return outcome != OK or self.result is ANY or result == self.result

    def describe(self) -> str:
        text = "/".join(self.outcomes)
        if self.texts:
            text += " " + " ".join(repr(t) for t in self.texts)
        if self.result is not ANY:
            text += f" = {self.result!r}"
        return text


def expect(*outcomes: ErrorType | str, text: str | tuple[str, ...] = "", result: Any = ANY) -> Expect:
    texts = (text,) if isinstance(text, str) else text
    return Expect(tuple(str(o) for o in outcomes), tuple(t for t in texts if t), result)


SUCCEEDS = Expect((OK,))


@dataclass(frozen=True)
class Step:
    """One run. `target`: a probes.py function, script source or path trick name.
    `input`: values; a string `"$name"` is replaced by the runner's fact `name`.
    `limits`: `SecurityLimits` fields over the runner's defaults for the kind of probe.
    `functions`: host functions (from the runner's table) given to the execution.
    `guarded`: False runs the guard-off control (a child with every layer off; for a path
    trick, the legitimate path)."""

    target: str
    input: Mapping[str, Any] = field(default_factory=dict)
    limits: Mapping[str, Any] = field(default_factory=dict)
    functions: tuple[str, ...] = ()
    guarded: bool = True


@dataclass(frozen=True)
class Probe:
    name: str
    category: str
    via: Via
    attack: Step
    expect: Expect
    control: Step
    control_expect: Expect = SUCCEEDS

    @property
    def key(self) -> str:
        """`category/slug`, stable: pytest ids and `--only` filters use it."""
        slug = re.sub(r"[^a-z0-9]+", "-", self.name.lower()).strip("-")
        return f"{self.category}/{slug}"
