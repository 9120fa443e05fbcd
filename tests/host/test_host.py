"""End to end through real HTTP, a real bus, real files and real confined children."""

from __future__ import annotations

import concurrent.futures
import json
import os
import urllib.request
from pathlib import Path
from typing import Any

import pytest
from host_harness import ProbeModule, Served

from scriptvisor.protocol.models import BusMessage

pytestmark = pytest.mark.timeout(60)


def test_healthz_and_metrics(served: Served) -> None:
    status, body = served.get("/healthz")
    assert status == 200 and body["status"] == "ok"
    assert body["modules"] == ["probe", "wargame"] and body["hot_reload"] is True
    served.post("/scripts/probe/add", {"a": 1, "b": 2})
    status, text = served.get("/metrics")
    assert status == 200 and isinstance(text, str)
    assert 'scriptvisor_executions_total{module="probe",script="add",outcome="success"}' in text
    assert "scriptvisor_execution_duration_seconds_bucket{" in text
    assert "scriptvisor_pool_size 2" in text
    assert "# TYPE scriptvisor_script_reloads_total counter" in text


def test_post_script_runs_it_and_maps_errors_to_statuses(served: Served) -> None:
    status, body = served.post("/scripts/probe/add", {"a": 2, "b": 3})
    assert status == 200, body
    assert body["ok"] is True and body["result"] == 5 and body["logs"] == ["2 + 3"]
    assert body["metrics"]["success"] is True

    status, body = served.post("/scripts/probe/nope", {})
    assert status == 404 and body["error"]["type"] == "not_found"
    status, body = served.post("/scripts/probe/add", raw=b"{not json")
    assert status == 400 and body["error"]["type"] == "invalid_input"
    status, body = served.post("/scripts/probe/add", [1, 2])
    assert status == 400
    status, body = served.post("/scripts/probe/add", {"a": 1, "b": "x"})
    assert status == 422 and body["ok"] is False and body["error"]["type"] == "execution"
    status, body = served.post("/scripts/probe/add", {"a": 2**70, "b": 1})
    assert status == 400 and "input" in body["error"]["message"]


def test_http_endpoint_script_sees_method_path_query_headers_body(served: Served) -> None:
    status, body = served.post("/probe/echo?unit=tank-1&x=2", raw=b"hello",
                               headers={"X-Probe": "yes"})
    assert status == 200, body
    assert body["result"] == {
        "method": "POST", "path": "/probe/echo", "query": {"unit": "tank-1", "x": "2"},
        "endpoint": "/probe/echo", "probe": "yes", "body": "hello", "module": "probe",
    }
    status, body = served.get("/probe/echo")
    assert status == 200 and body["result"]["method"] == "GET"


def test_message_runs_script_which_publishes(served: Served) -> None:
    pongs = served.listen("probe.pong")
    try:
        served.host.bus.publish("probe.ping", {"n": 21}, user_id="u1", metadata={"tag": "t1"})
        pong = pongs.wait_for(lambda m: True)
        assert pong.payload_value() == {"n": 42, "topic": "probe.ping", "user": "u1", "id": "t1"}
        assert pong.metadata == {"source": "script"}
    finally:
        pongs.close()


def test_failing_message_script_is_reported_and_the_module_goes_on(served: Served) -> None:
    errors = served.listen("scripts.error")
    pongs = served.listen("probe.pong")
    try:
        sent = served.host.bus.publish("probe.fail", {})
        error = errors.wait_for(lambda m: m.payload_value()["message_id"] == sent.id)
        detail = error.payload_value()
        assert detail["module"] == "probe" and detail["script"] == "fails"
        assert detail["error"]["type"] == "execution" and detail["error"]["line"] == 2
        served.host.bus.publish("probe.ping", {"n": 1})
        assert pongs.wait_for(lambda m: True).payload_value()["n"] == 2
    finally:
        errors.close()
        pongs.close()


def test_concurrent_executions_from_bus_and_http(served: Served) -> None:
    pongs = served.listen("probe.pong")
    try:
        with concurrent.futures.ThreadPoolExecutor(8) as pool:
            calls = [pool.submit(served.post, "/scripts/probe/add", {"a": i, "b": i})
                     for i in range(30)]
            for i in range(30):
                served.host.bus.publish("probe.ping", {"n": 1000 + i})
            results = [c.result() for c in calls]
        assert [r for r in results] == [(200, r[1]) for r in results]
        assert sorted(r[1]["result"] for r in results) == [2 * i for i in range(30)]
        seen = set()
        while len(seen) < 30:
            seen.add(pongs.wait_for(lambda m: m.payload_value()["n"] >= 2000)
                     .payload_value()["n"])
        assert seen == {2 * (1000 + i) for i in range(30)}
    finally:
        pongs.close()


def _entry(served: Served, module: str, name: str) -> dict[str, Any]:
    status, body = served.get("/scripts")
    assert status == 200
    return next(e for e in body["scripts"] if e["module"] == module and e["name"] == name)


def _is(topic: str, origin: str | None = None) -> Any:
    def match(m: BusMessage) -> bool:
        p = m.payload_value()
        return (m.topic == topic and p["module"] == "probe" and p["name"] == "add"
                and (origin is None or p["origin"] == origin))
    return match


def test_override_bad_override_and_delete(served: Served, scripts_dir: Path) -> None:
    events = served.listen("scripts.*")
    try:
        embedded = _entry(served, "probe", "add")
        assert embedded["origin"] == "embedded" and embedded["error"] is None
        assert embedded["metrics"]["executions"] >= 1

        folder = scripts_dir / "probe"
        folder.mkdir(exist_ok=True)
        path = folder / "add.tengo"
        path.write_text("result := a * b\n")
        reloaded = events.wait_for(_is("scripts.reloaded", "external")).payload_value()
        assert served.post("/scripts/probe/add", {"a": 2, "b": 3})[1]["result"] == 6
        entry = _entry(served, "probe", "add")
        assert entry["origin"] == "external" and entry["checksum"] == reloaded["checksum"]

        path.write_text("result := a *\n")  # broken: the last good version stays live
        rejected = events.wait_for(_is("scripts.rejected")).payload_value()
        assert rejected["serving"]["checksum"] == reloaded["checksum"]
        entry = _entry(served, "probe", "add")
        assert entry["origin"] == "external" and entry["checksum"] == reloaded["checksum"]
        assert entry["error"]["type"] in ("invalid_syntax", "compilation")
        assert entry["error"]["line"] == 1
        assert served.post("/scripts/probe/add", {"a": 2, "b": 3})[1]["result"] == 6

        os.remove(path)
        back = events.wait_for(_is("scripts.reloaded", "embedded")).payload_value()
        assert back["checksum"] == embedded["checksum"]
        assert served.post("/scripts/probe/add", {"a": 2, "b": 3})[1]["result"] == 5
        assert _entry(served, "probe", "add")["error"] is None
        status, text = served.get("/metrics")
        assert 'scriptvisor_script_reloads_total{kind="rejected"}' in text
    finally:
        events.close()


def test_wargame_hit_simulator_endpoint(served: Served) -> None:
    status, body = served.get("/wargame/debug/hit?chance=0.5&rolls=200&seed=3")
    assert status == 200, body
    result = body["result"]
    assert result["rolls"] == 200 and result["hits"] + result["misses"] == 200
    assert result["hit_rate"] == result["hits"] / 200
    assert served.get("/wargame/debug/hit?chance=0.5&rolls=200&seed=3")[1]["result"] == result
    status, body = served.get("/wargame/debug/hit?chance=lots")
    assert status == 400 and "chance" in body["error"]["message"]


def test_wargame_event_processor_orders_retreat_through_publish(served: Served) -> None:
    actions = served.listen("wargame.action")
    try:
        served.host.bus.publish("wargame.event.damage",
                                {"type": "damage", "unit": "probe-unit", "value": 80})
        order = actions.wait_for(lambda m: m.payload_value().get("unit") == "probe-unit")
        assert order.payload_value() == {"type": "action", "action": "retreat",
                                         "unit": "probe-unit"}
        assert order.metadata["source"] == "script"
    finally:
        actions.close()


def test_wargame_simulation_feeds_the_page_over_sse(served: Served) -> None:
    status, page = served.get("/wargame")
    assert status == 200 and "EventSource" in page
    seen: dict[str, dict[str, Any]] = {}
    with urllib.request.urlopen(served.url("/wargame/events"), timeout=30) as stream:
        assert stream.headers["Content-Type"].startswith("text/event-stream")
        for raw in stream:
            line = raw.decode().rstrip("\n")
            if line.startswith("data: "):
                item = json.loads(line[6:])
                seen.setdefault(item["kind"], item)
            if "attack" in seen and "processed" in seen:
                break
    attack = seen["attack"]
    assert attack["damage"] >= 1 and attack["result"]["damage"] == attack["damage"]
    assert attack["logs"] and attack["logs"][0].startswith("damage ")
    assert attack["script"]["origin"] == "embedded" and len(attack["script"]["checksum"]) == 12
    processed = seen["processed"]
    assert processed["ok"] is True and processed["result"]["handled"] is True
    assert processed["logs"][0].startswith("event ")
    probe = served.host.modules["probe"]
    assert isinstance(probe, ProbeModule)
