"""What confinement did: one status per layer, and the errors that stop a child."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from scriptvisor.sandbox.policy import Layer


class State(StrEnum):
    ACTIVE = "active"
    UNAVAILABLE = "unavailable"  # the host lacks it and the policy allowed that
    DISABLED = "disabled"  # the policy switched it off


@dataclass(frozen=True)
class LayerStatus:
    layer: Layer
    state: State
    detail: str
    seconds: float = 0.0

    def as_dict(self) -> dict[str, Any]:
        return {
            "layer": self.layer.value,
            "state": self.state.value,
            "detail": self.detail,
            "seconds": self.seconds,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> LayerStatus:
        return cls(Layer(data["layer"]), State(data["state"]), data["detail"], data["seconds"])


@dataclass(frozen=True)
class ConfinementReport:
    """Every layer of the policy, in the order applied, with the total cost."""

    policy: str
    layers: tuple[LayerStatus, ...]
    seconds: float

    def state(self, layer: Layer) -> State:
        return next(s.state for s in self.layers if s.layer is layer)

    @property
    def degraded(self) -> bool:
        return any(s.state is State.UNAVAILABLE for s in self.layers)

    def as_dict(self) -> dict[str, Any]:
        return {
            "policy": self.policy,
            "seconds": self.seconds,
            "layers": [s.as_dict() for s in self.layers],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ConfinementReport:
        layers = tuple(LayerStatus.from_dict(d) for d in data["layers"])
        return cls(data["policy"], layers, data["seconds"])


class Unavailable(Exception):
    """The host cannot provide a layer (kernel too old, feature switched off)."""


class ConfinementError(Exception):
    """A required layer could not be applied: the child must exit without serving.

    `done` lists the layers applied before the failure; the process is left half
    confined, so the only safe thing to do after catching this is `os._exit`.
    """

    def __init__(self, layer: Layer | None, reason: str, done: tuple[LayerStatus, ...] = ()):
        where = layer.value if layer is not None else "precondition"
        super().__init__(f"confinement failed at {where}: {reason}")
        self.layer = layer
        self.reason = reason
        self.done = done
