"""`Client` / `AsyncClient` against a real supervisor's daemon endpoint: same answers as the
in-process engine, host functions living in the client, many requests over one connection,
clear errors when the supervisor is gone, clients in other processes."""

from __future__ import annotations

import asyncio
import threading
import time
from concurrent.futures import Future

import pytest
from client_harness import run_client, wait_until
from conftest import Served

from scriptvisor.client import AsyncClient, Client
from scriptvisor.protocol.errors import ErrorType, ScriptError
from scriptvisor.protocol.models import ExecutionRequest, ScriptOutput, SecurityLimits
from scriptvisor.supervisor.errors import SupervisorUnavailable

pytestmark = pytest.mark.timeout(90)


def request(name: str, **context: object) -> ExecutionRequest:
    return ExecutionRequest(module_name="m", script_name=name, input={"context": context})


CLIENT_PROCESS = """
import json, sys
from scriptvisor.client import Client
from scriptvisor.protocol.models import ExecutionRequest
def req(name, **ctx):
    return ExecutionRequest(module_name="m", script_name=name, input={"context": ctx})
with Client(sys.argv[1], functions={"price": lambda n: n * 10}) as client:
    add = client.execute(req("add", a=20, b=22))
    price = client.execute(req("price", n=3))
    zy = client.execute(req("zy", n=4))
    adhoc = client.execute_source("result := price(5) + 1")
print(json.dumps([add.result, price.result, price.metrics.host_calls, zy.result, adhoc.result]))
"""


def test_a_client_in_another_process(served: Served) -> None:
    assert run_client(CLIENT_PROCESS, served.endpoint) == [42, 60, 1, 160, 51]


def test_same_outputs_as_the_in_process_engine(served: Served) -> None:
    with Client(served.endpoint) as client:
        for name, ctx in (("add", {"a": 1, "b": 2}), ("broken", {}), ("nope", {})):
            remote, local = client.execute(request(name, **ctx)), served.engine.execute(
                request(name, **ctx)
            )
            assert (remote.result, remote.logs) == (local.result, local.logs)
            if local.error is None:
                assert remote.error is None
            else:
                assert remote.error is not None
                assert remote.error.model_dump(exclude={"timestamp"}) == \
                    local.error.model_dump(exclude={"timestamp"})
        broken = client.execute(request("broken"))
        assert broken.error is not None and broken.error.type is ErrorType.INVALID_SYNTAX
        assert (broken.error.module, broken.error.script, broken.error.line) == ("m", "broken", 1)
        with pytest.raises(ScriptError):
            broken.raise_for_error()


def test_a_script_timeout_is_typed_and_the_limit_is_capped(served: Served) -> None:
    with Client(served.endpoint) as client:
        spin = ExecutionRequest(module_name="m", script_name="spin", timeout=0.2)
        out = client.execute(spin)
        assert out.error is not None and out.error.type is ErrorType.TIMEOUT, out
        # asking for more than the supervisor's own limit gets the supervisor's limit (10 s)
        generous = SecurityLimits(max_execution_time=3600, max_memory_bytes=1 << 40)
        out = client.execute_source("result := 1", limits=generous)
        assert out.ok and out.result == 1


def test_many_requests_in_flight_over_one_connection(served: Served) -> None:
    with Client(served.endpoint, functions={"price": lambda n: n + 1000}) as client:
        futures = [client.submit(request("add", a=i, b=1000)) for i in range(64)]
        futures += [client.submit(request("price", n=i)) for i in range(16)]
        results = [f.result(60).result for f in futures]
        assert results == [i + 1000 for i in range(64)] + [2 * (i + 1000) for i in range(16)]

        errors: list[BaseException] = []

        def worker(base: int) -> None:
            try:
                for i in range(20):
                    assert client.execute(request("add", a=base, b=i)).result == base + i
            except BaseException as exc:  # noqa: BLE001 - reported below
                errors.append(exc)

        threads = [threading.Thread(target=worker, args=(k * 100,)) for k in range(6)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
        assert errors == []


def test_a_failing_host_function_gives_the_script_an_error_value(served: Served) -> None:
    def price(n: int) -> int:
        raise ValueError(f"no price for {n}")

    with Client(served.endpoint, functions={"price": price}) as client:
        out = client.execute(request("guarded", n=7))
        assert out.ok and "no price for 7" in out.result, out


def test_async_client_with_coroutine_host_functions(served: Served) -> None:
    async def price(n: int) -> int:
        await asyncio.sleep(0)
        return n * 100

    async def main() -> list[ScriptOutput]:
        async with AsyncClient(served.endpoint, functions={"price": price}) as client:
            return list(await asyncio.gather(
                *(client.execute(request("price", n=i)) for i in range(10)),
                client.execute_source("result := price(1)"),
            ))

    outs = asyncio.run(main())
    assert [o.result for o in outs] == [200 * i for i in range(10)] + [100]


def test_no_supervisor_is_a_clear_error(tmp_path: object) -> None:
    with Client("ipc:///tmp/scriptvisor-nobody-listens.sock", connect_timeout=0.3) as client:
        started = time.monotonic()
        with pytest.raises(SupervisorUnavailable, match="no supervisor is listening"):
            client.execute(request("add", a=1, b=2))
        assert time.monotonic() - started < 5


def test_no_answer_in_time_is_a_clear_error(served: Served) -> None:
    release = threading.Event()

    def slow(n: int) -> int:
        release.wait(20)
        return n

    with Client(served.endpoint, functions={"price": slow}) as client:
        with pytest.raises(SupervisorUnavailable, match="no answer"):
            client.execute(request("price", n=1), timeout=0.3)
        release.set()
        assert client.execute(request("add", a=1, b=1)).result == 2


VANISHING_CLIENT = """
import os, sys
from scriptvisor.client import Client
from scriptvisor.protocol.models import ExecutionRequest
def price(n):
    os._exit(7)  # the client process dies while the script waits for this call
with Client(sys.argv[1], functions={"price": price}) as client:
    client.execute(ExecutionRequest(module_name="m", script_name="guarded",
                                    input={"context": {"n": 1}}))
"""


def test_a_client_that_vanishes_mid_call(served: Served) -> None:
    before = served.engine.metrics().get("m", {}).get("guarded", {}).get("executions", 0)
    with pytest.raises(AssertionError, match=r"failed \(7\)"):
        run_client(VANISHING_CLIENT, served.endpoint)
    # the script got an error value (no 10 s timeout), finished, and the daemon freed its slot
    assert wait_until(lambda: served.daemon.in_flight == 0, 5.0)
    stats = served.engine.metrics()["m"]["guarded"]
    assert stats["executions"] == before + 1 and stats["failures"] == {}, stats
    with Client(served.endpoint) as client:
        assert client.execute(request("add", a=2, b=3)).result == 5


def test_closing_fails_what_is_pending(served: Served) -> None:
    release = threading.Event()
    client = Client(served.endpoint, functions={"price": lambda n: release.wait(20) and n})
    future: Future[ScriptOutput] = client.submit(request("price", n=1))
    client.close()
    with pytest.raises(Exception, match="closed"):
        future.result(10)
    release.set()


def test_a_malformed_endpoint_is_a_value_error() -> None:
    with pytest.raises(ValueError, match="cannot connect"):
        Client("foo://bar")
    with pytest.raises(ValueError, match="CURVE needs both"):
        Client("tcp://127.0.0.1:1", server_key="x" * 40)
