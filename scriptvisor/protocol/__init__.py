"""Typed models shared by the host, the supervisor and the children, and their wire format."""

from scriptvisor.protocol.errors import ErrorType, ScriptError
from scriptvisor.protocol.frames import (
    DEFAULT_MAX_FRAME_BYTES,
    PROTOCOL_VERSION,
    ChildFrame,
    Frame,
    FrameError,
    SupervisorFrame,
    decode,
    encode,
)
from scriptvisor.protocol.models import (
    STDLIB_MODULES,
    BusMessage,
    ErrorInfo,
    ExecutionMetrics,
    ExecutionRequest,
    HTTPRequestData,
    PublishedMessage,
    Script,
    ScriptInput,
    ScriptOutput,
    ScriptSource,
    SecurityLimits,
)
from scriptvisor.protocol.values import ValueMappingError, check_wire, to_wire

__all__ = [
    "DEFAULT_MAX_FRAME_BYTES",
    "PROTOCOL_VERSION",
    "STDLIB_MODULES",
    "BusMessage",
    "ChildFrame",
    "ErrorInfo",
    "ErrorType",
    "ExecutionMetrics",
    "ExecutionRequest",
    "Frame",
    "FrameError",
    "HTTPRequestData",
    "PublishedMessage",
    "Script",
    "ScriptError",
    "ScriptInput",
    "ScriptOutput",
    "ScriptSource",
    "SecurityLimits",
    "SupervisorFrame",
    "ValueMappingError",
    "check_wire",
    "decode",
    "encode",
    "to_wire",
]
