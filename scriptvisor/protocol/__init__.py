"""Typed models shared by the host, the supervisor and the children."""

from scriptvisor.protocol.errors import ErrorType, ScriptError

__all__ = ["ErrorType", "ScriptError"]
