"""The client <-> daemon frames: hostile input gives `FrameError`, outputs survive the trip."""

from __future__ import annotations

from typing import Any

import msgpack
import pytest

from scriptvisor.protocol import remote
from scriptvisor.protocol.errors import ErrorType, ScriptError
from scriptvisor.protocol.models import ErrorInfo, ExecutionMetrics, PublishedMessage, ScriptOutput

MAX = 1 << 20
RUN = {**remote.header("run", 7), "module": "m", "name": "add", "input": {"a": 1},
       "functions": ["price"]}


def decode(frame: Any, from_client: bool = True) -> dict[str, Any]:
    return remote.decode(msgpack.packb(frame, use_bin_type=True), from_client=from_client,
                         max_size=MAX)


def test_a_well_formed_request_decodes() -> None:
    assert decode(RUN) == RUN
    assert decode({**RUN, "limits": {"max_execution_time": 1.5}, "timeout": 0.5})["timeout"] == 0.5


@pytest.mark.parametrize(("frame", "reason"), [
    ({**RUN, "t": "exec"}, "not sent by a client"),
    ({**RUN, "t": "result"}, "not sent by a client"),
    ({k: v for k, v in RUN.items() if k != "module"}, "module"),
    ({**RUN, "input": [1]}, "input"),
    ({**RUN, "input": {"x": {1: 2}}}, "map key"),
    ({**RUN, "functions": "price"}, "functions"),
    ({**RUN, "timeout": 0.0}, "timeout"),
    ({**RUN, "timeout": True}, "timeout"),
    ({**RUN, "limits": [1]}, "limits"),
    ({**RUN, "extra": 1}, "extra"),
    ({**RUN, "v": 99}, "version"),
    ({**remote.header("source", 1), "source": "x", "language": "cobol", "module": "m",
      "name": "n", "input": {}, "functions": []}, "language"),
])
def test_malformed_client_frames_are_refused(frame: dict[str, Any], reason: str) -> None:
    with pytest.raises(remote.FrameError, match=reason):
        decode(frame)


def test_a_client_cannot_send_daemon_frames_and_vice_versa() -> None:
    refusal = remote.refused(3, "overloaded", "busy")
    assert decode(refusal, from_client=False) == refusal
    with pytest.raises(remote.FrameError):
        decode(refusal, from_client=True)
    with pytest.raises(remote.FrameError):
        decode({**refusal, "kind": "whatever"}, from_client=False)
    with pytest.raises(remote.FrameError):
        remote.decode(b"\xc1", from_client=True, max_size=MAX)
    with pytest.raises(remote.FrameError, match="exceed"):
        remote.decode(msgpack.packb(RUN), from_client=True, max_size=16)


def test_outputs_survive_the_trip() -> None:
    metrics = ExecutionMetrics(compilation_time=0.5, execution_time=0.25, memory_used=1024,
                               host_calls=2, success=True)
    ok = ScriptOutput(result={"x": [1, 2.5, b"\x00", None]}, logs=("a", "b"),
                      published=(PublishedMessage(topic="t", payload={"k": 1}),), metrics=metrics)
    error = ScriptError(ErrorType.TIMEOUT, "too slow", module="m", script="s", line=3, column=4)
    failed = ScriptOutput(logs=("before",), error=ErrorInfo.from_exception(error),
                          metrics=ExecutionMetrics(success=False, error_type=ErrorType.TIMEOUT))
    for output in (ok, failed):
        data = remote.encode(remote.output_frame(5, output), MAX)
        back = ScriptOutput.from_frame(remote.decode(data, from_client=False, max_size=MAX))  # type: ignore[arg-type]
        assert back == output


def test_client_limits_are_capped_at_the_supervisors() -> None:
    from scriptvisor.protocol.models import SecurityLimits
    from scriptvisor.supervisor.daemon import _capped

    ceiling = SecurityLimits(max_execution_time=2.0, max_memory_bytes=1 << 20,
                             allowed_packages=("fmt", "text"))
    asked = SecurityLimits(max_execution_time=60.0, max_memory_bytes=1 << 30, max_host_calls=5,
                           allowed_packages=("fmt", "times")).model_dump(mode="json")
    limits = _capped(ceiling, asked, 0.5, ("price",))
    assert (limits.max_execution_time, limits.max_memory_bytes) == (0.5, 1 << 20)
    assert limits.max_host_calls == 5  # lower than the ceiling's: kept
    assert tuple(limits.allowed_packages) == ("fmt",)  # `times` is withheld by the supervisor
    assert tuple(limits.exposed_functions) == ("log", "publish", "price")
    assert _capped(ceiling, None, 30.0, ()).max_execution_time == 2.0
