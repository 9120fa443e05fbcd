"""What the supervisor raises to its caller. Script failures are never raised: they come
back in `ScriptOutput.error`. These are the host's conditions, named by cause."""

from __future__ import annotations


class SupervisorError(RuntimeError):
    """Root of the supervisor's own errors."""


class Overloaded(SupervisorError):
    """Backpressure: every child is busy and the wait queue is full (or the wait for a free
    child timed out). Retry later or shed the request; nothing ran."""


class EngineClosed(SupervisorError):
    """The engine was shut down (or is shutting down); nothing ran."""


class SupervisorUnavailable(SupervisorError):
    """No child can be started (the zygote died, or children fail to confine themselves)."""
