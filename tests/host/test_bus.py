"""The in-process bus: wildcards, JSON payloads, slow subscribers, thread-safe publish."""

from __future__ import annotations

import asyncio
import threading

import pytest

from scriptvisor.host.bus import InProcessBus, topic_matcher
from scriptvisor.protocol.models import BusMessage

pytestmark = pytest.mark.timeout(30)


def test_topic_patterns() -> None:
    assert topic_matcher("wargame.*")("wargame.event.damage")
    assert topic_matcher("wargame.*")("wargame.action")
    assert not topic_matcher("wargame.*")("wargames")
    assert not topic_matcher("wargame.*")("other.wargame.x")
    assert topic_matcher("*")("anything")
    assert topic_matcher("a.*.c")("a.b.c")
    assert topic_matcher("a.b")("a.b") and not topic_matcher("a.b")("a.bc")


async def _collect(bus: InProcessBus, pattern: str, n: int) -> asyncio.Future[list[BusMessage]]:
    got: list[BusMessage] = []
    done: asyncio.Future[list[BusMessage]] = asyncio.get_running_loop().create_future()

    def handler(message: BusMessage) -> None:
        got.append(message)
        if len(got) == n and not done.done():
            done.set_result(got)

    bus.subscribe(pattern, handler)
    return done


def test_message_fields_and_wildcard_delivery() -> None:
    async def main() -> None:
        bus = InProcessBus()
        await bus.start()
        done = await _collect(bus, "wargame.*", 2)
        bus.publish("other.topic", {"x": 1})
        sent = bus.publish("wargame.action", {"unit": "t1"}, user_id="u7", metadata={"k": "v"})
        bus.publish("wargame.event.damage", [1, 2])
        got = await asyncio.wait_for(done, 5)
        assert [m.topic for m in got] == ["wargame.action", "wargame.event.damage"]
        first = got[0]
        assert first == sent and first.id and first.user_id == "u7"
        assert first.metadata == {"k": "v"} and first.payload_value() == {"unit": "t1"}
        await bus.stop()

    asyncio.run(main())


def test_slow_subscriber_blocks_nobody_and_drops_oldest() -> None:
    async def main() -> None:
        bus = InProcessBus()
        await bus.start()
        release = asyncio.Event()
        slow_seen: list[int] = []
        last = asyncio.get_running_loop().create_future()

        async def slow(message: BusMessage) -> None:
            await release.wait()
            slow_seen.append(message.payload_value())
            if slow_seen[-1] == 9:
                last.set_result(None)

        bus.subscribe("t", slow, queue_size=2)
        fast = await _collect(bus, "t", 10)
        for i in range(10):
            bus.publish("t", i)  # never blocks, though the slow one is stuck
        assert [m.payload_value() for m in await asyncio.wait_for(fast, 5)] == list(range(10))
        assert bus.dropped >= 7
        release.set()
        await asyncio.wait_for(last, 5)
        assert len(slow_seen) <= 3 and slow_seen[-1] == 9  # the newest survived
        await bus.stop()

    asyncio.run(main())


def test_publish_from_other_threads_and_failing_handler() -> None:
    async def main() -> None:
        bus = InProcessBus()
        await bus.start()

        def broken(message: BusMessage) -> None:
            raise RuntimeError("boom")

        bus.subscribe("x.*", broken)
        done = await _collect(bus, "x.*", 40)
        threads = [
            threading.Thread(target=lambda k=k: [bus.publish(f"x.{k}", i) for i in range(10)])
            for k in range(4)
        ]
        for t in threads:
            t.start()
        got = await asyncio.wait_for(done, 5)
        assert len(got) == 40
        for t in threads:
            t.join()
        await bus.stop()

    asyncio.run(main())
