"""What a child does to confine itself: policy as data, then layers applied in order.

    from scriptvisor.sandbox import DEFAULT, confine, prepare
    prepare(DEFAULT)                      # zygote, before fork: builds the seccomp filter
    report = confine(DEFAULT, keep_fds={sock_fd}, start_io=connect)   # child, after fork

`scriptvisor.sandbox.doctor` tells which layers this host supports (also as a command:
`python -m scriptvisor.sandbox.doctor --bench 50`).
"""

from scriptvisor.sandbox.confine import EXIT_CONFINEMENT_FAILED, confine, prepare
from scriptvisor.sandbox.policy import DEFAULT, PROFILES, STRICT, Layer, Policy, profile
from scriptvisor.sandbox.report import (
    ConfinementError,
    ConfinementReport,
    LayerStatus,
    State,
)

__all__ = [
    "DEFAULT",
    "EXIT_CONFINEMENT_FAILED",
    "PROFILES",
    "STRICT",
    "ConfinementError",
    "ConfinementReport",
    "Layer",
    "LayerStatus",
    "Policy",
    "State",
    "confine",
    "prepare",
    "profile",
]
