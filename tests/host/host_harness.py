"""Harness: a real host served by a real uvicorn on a free port of 127.0.0.1, in a thread, with a
temporary scripts directory; tests speak HTTP to it (urllib) and listen on its bus."""

from __future__ import annotations

import asyncio
import json
import queue
import socket
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from typing import Any

from scriptvisor.host.app import Host
from scriptvisor.host.http import make_server
from scriptvisor.host.module import ModuleScriptConfig, ScriptableModule
from scriptvisor.protocol.models import BusMessage, HTTPRequestData
from scriptvisor.registry.embedded import EmbeddedCatalog
from scriptvisor.supervisor.rpc import HostFunction

PROBE_SCRIPTS = {
    "add": ("tengo", "result := a + b\nlog(format(\"%d + %d\", a, b))"),
    "echo": ("tengo", """
result := {
    method: http_method, path: http_path, query: http_query, endpoint: endpoint,
    probe: http_headers["x-probe"], body: http_body, module: module
}
"""),
    "on_ping": ("tengo", """
n := message.payload.n
publish("probe.pong", {n: twice(n), topic: topic, user: message_user_id, id: message.metadata.tag})
result := n
"""),
    "fails": ("tengo", "x := 0\nresult := 10 / x"),
}


class ProbeModule(ScriptableModule):
    """A test module: one endpoint script, two message handlers, one host function."""

    name = "probe"

    def __init__(self) -> None:
        self.outputs: queue.Queue[tuple[str, str, Any]] = queue.Queue()

    def script_config(self) -> ModuleScriptConfig:
        return ModuleScriptConfig(
            message_handlers={"probe.ping": "on_ping", "probe.fail": "fails"},
            endpoint_scripts={("POST", "/probe/echo"): "echo", ("GET", "/probe/echo"): "echo"},
        )

    def exposed_functions(self) -> dict[str, HostFunction]:
        return {"twice": lambda n: n * 2}

    def endpoint_context(self, script: str, request: HTTPRequestData) -> dict[str, Any]:
        return {}

    async def on_script_output(self, script: str, message: BusMessage, output: Any) -> None:
        self.outputs.put((script, message.topic, output))


class Served:
    """A started host behind uvicorn; `url(path)`, `get`, `post`, `listen`."""

    def __init__(self, host: Host) -> None:
        self.host = host
        # IPPROTO_TCP explicitly: asyncio sets TCP_NODELAY only on sockets that say so, and
        # without it every keep-alive response waits ~40 ms for a delayed ACK
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
        sock.bind(("127.0.0.1", 0))
        self.port = sock.getsockname()[1]
        self.server = make_server(host, log_level="warning")
        self._failure: BaseException | None = None
        self._thread = threading.Thread(target=self._run, args=(sock,), daemon=True)
        self._thread.start()
        deadline = time.monotonic() + 30
        while not self.server.started:  # uvicorn offers no event to wait on
            if self._failure is not None or not self._thread.is_alive():
                raise RuntimeError(f"the server did not start: {self._failure!r}")
            if time.monotonic() > deadline:
                raise RuntimeError("the server did not start in 30 s")
            time.sleep(0.01)

    def _run(self, sock: socket.socket) -> None:
        try:
            asyncio.run(self.server.serve(sockets=[sock]))
        except BaseException as exc:
            self._failure = exc

    def stop(self) -> None:
        self.host.begin_shutdown()
        self.server.should_exit = True
        self._thread.join(30)

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def request(
        self, method: str, path: str, body: Any = None, headers: dict[str, str] | None = None,
        raw: bytes | None = None,
    ) -> tuple[int, Any]:
        data = raw if raw is not None else (None if body is None else json.dumps(body).encode())
        req = urllib.request.Request(self.url(path), data=data, method=method,
                                     headers=headers or {})
        try:
            with urllib.request.urlopen(req, timeout=30) as resp:
                status, text = resp.status, resp.read().decode()
        except urllib.error.HTTPError as exc:
            status, text = exc.code, exc.read().decode()
        try:
            return status, json.loads(text)
        except json.JSONDecodeError:
            return status, text

    def get(self, path: str, **kw: Any) -> tuple[int, Any]:
        return self.request("GET", path, **kw)

    def post(self, path: str, body: Any = None, **kw: Any) -> tuple[int, Any]:
        return self.request("POST", path, body, **kw)

    def listen(self, pattern: str) -> Listener:
        return Listener(self, pattern)


class Listener:
    """Bus messages matching a pattern, collected for the test thread."""

    def __init__(self, served: Served, pattern: str) -> None:
        self.messages: queue.Queue[BusMessage] = queue.Queue()
        self.subscription = served.host.bus.subscribe(pattern, self.messages.put)

    def wait_for(self, predicate: Callable[[BusMessage], bool], timeout: float = 15) -> BusMessage:
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise AssertionError("no matching bus message in time")
            try:
                message = self.messages.get(timeout=left)
            except queue.Empty:
                continue
            if predicate(message):
                return message

    def close(self) -> None:
        self.subscription.cancel()


def probe_catalog() -> EmbeddedCatalog:
    catalog = EmbeddedCatalog()
    catalog.register("probe", PROBE_SCRIPTS)
    return catalog

