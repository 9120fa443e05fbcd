"""A compromised child sends whatever bytes it likes: the supervisor kills it, answers the
request with a typed error, keeps serving, and never buffers without bound.

The control is the same hook sending a well-formed frame, which the supervisor accepts.
"""

from __future__ import annotations

import os

import pytest
from security_harness import assert_error, assert_healthy, probe

from scriptvisor.protocol.errors import ErrorType
from scriptvisor.protocol.models import SecurityLimits
from scriptvisor.supervisor.engine import ScriptEngine

pytestmark = pytest.mark.timeout(60)

HOSTILE = {
    "oversize frame": ("oversize", "dropped the connection"),
    "bad msgpack": ("bad_msgpack", "bad msgpack"),
    "trailing bytes": ("trailing_bytes", "trailing bytes"),
    "not a map": ("not_a_map", "expected map"),
    "wrong field types": ("wrong_types", "result.id"),
    "bool where an int belongs": ("bool_as_int", "memory_used"),
    "msgpack ext type": ("ext_type", "ext type"),
    "msgpack timestamp ext": ("timestamp_ext", "ext"),
    "uint64 integer": ("huge_integer", "64 bits"),
    "nesting too deep": ("deep_nesting", "nested"),
    "binary map key": ("binary_map_key", "not a string"),
    "unexpected field": ("extra_field", "unexpected field"),
    "wrong protocol version": ("wrong_version", "protocol version"),
    "unknown message type": ("unknown_type", "unknown type"),
    "supervisor-only message type": ("supervisor_only_type", "not sent by a child"),
    "unknown request id": ("unknown_id", "unknown request"),
    "ready in the middle of a request": ("ready_mid_request", "unexpected 'ready'"),
    "call of a function not exposed": ("call_unexposed_function", "does not expose"),
    "host call out of sequence": ("call_out_of_sequence", "out of sequence"),
    "host call payload over quota": ("call_oversize_payload", "payload quota"),
    "host call flood": ("call_flood", "more than 10 host calls"),
    "flood of frames": ("frame_flood", "unknown request"),
}


def rss(pid: int) -> int:
    with open(f"/proc/{pid}/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def test_control_well_formed_frame_is_accepted(confined: ScriptEngine) -> None:
    out = probe(confined, "valid_result")
    assert out.ok and out.result == "well-formed", out


@pytest.mark.parametrize("name", list(HOSTILE))
def test_hostile_frame(confined: ScriptEngine, name: str) -> None:
    function, reason = HOSTILE[name]
    before = rss(os.getpid())
    limits = SecurityLimits(max_host_calls=10, max_memory_bytes=64 * 1024 * 1024)
    out = probe(confined, function, limits=limits)
    assert_error(out, ErrorType.SECURITY_VIOLATION, "broke the protocol")
    assert reason in out.error.message, out.error  # type: ignore[union-attr]
    assert rss(os.getpid()) - before < 64 * 1024 * 1024  # nothing buffered without bound
    assert_healthy(confined)
