"""A supervisor restarted under a client's feet, CURVE over TCP, and `scriptvisor serve
--listen` as a real process."""

from __future__ import annotations

import collections
import os
import shutil
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from client_harness import make_engine, serving, short_endpoint, start_daemon, wait_until

from scriptvisor.client import Client
from scriptvisor.config import ConfigError
from scriptvisor.host.config import HostConfig
from scriptvisor.protocol.curve import load_keypair, load_public_keys, write_keypair
from scriptvisor.protocol.models import ExecutionRequest
from scriptvisor.supervisor.daemon import CurveServer, Daemon, EndpointError
from scriptvisor.supervisor.errors import SupervisorUnavailable

pytestmark = pytest.mark.timeout(120)


def add(a: int, b: int) -> ExecutionRequest:
    return ExecutionRequest(module_name="m", script_name="add",
                            input={"context": {"a": a, "b": b}})


@pytest.fixture()
def endpoint() -> Iterator[str]:
    address, folder = short_endpoint()
    yield address
    shutil.rmtree(folder, ignore_errors=True)


def test_no_request_is_lost_across_a_supervisor_restart(endpoint: str) -> None:
    first = start_daemon(endpoint)
    outcomes: collections.Counter[str] = collections.Counter()
    wrong: list[object] = []
    after_restart = threading.Event()
    stop = threading.Event()
    lock = threading.Lock()

    def stream(client: Client, base: int) -> None:
        i = 0
        while not stop.is_set():
            i += 1
            try:
                out = client.execute(add(base, i), timeout=20)
            except SupervisorUnavailable:
                kind = "unavailable"
            except Exception as exc:  # noqa: BLE001 - anything else is a failure
                kind = "other"
                wrong.append(exc)
            else:
                kind = "ok" if out.result == base + i else "wrong"
                if kind == "wrong":
                    wrong.append(out)
                if after_restart.is_set() and kind == "ok":
                    kind = "ok after restart"
            with lock:
                outcomes[kind] += 1

    called, release = threading.Event(), threading.Event()

    def price(n: int) -> int:
        called.set()
        release.wait(30)
        return n

    with Client(endpoint, connect_timeout=20, functions={"price": price}) as client:
        threads = [threading.Thread(target=stream, args=(client, k * 10**6)) for k in range(4)]
        for t in threads:
            t.start()
        try:
            assert wait_until(lambda: outcomes["ok"] >= 50, 60)
            # one request surely in flight: its script waits in a host call of this client
            caught = client.submit(ExecutionRequest(module_name="m", script_name="price",
                                                    input={"context": {"n": 1}}))
            assert called.wait(30)
            first.send_signal(signal.SIGKILL)  # the supervisor dies mid-stream
            with pytest.raises(SupervisorUnavailable, match="lost while the request"):
                caught.result(30)
            release.set()
            first.wait(10)
            os.unlink(endpoint.removeprefix("ipc://"))
            second = start_daemon(endpoint)
            after_restart.set()
            assert wait_until(lambda: outcomes["ok after restart"] >= 50, 60), outcomes
        finally:
            stop.set()
            for t in threads:
                t.join(30)
        assert not any(t.is_alive() for t in threads), "a request hung"
    second.send_signal(signal.SIGTERM)
    assert second.wait(20) == 0
    assert wrong == [] and set(outcomes) <= {"ok", "ok after restart", "unavailable"}, outcomes


@pytest.fixture()
def keys(tmp_path: Path) -> Path:
    for name in ("server", "alice", "mallory"):
        write_keypair(tmp_path, name)
    (tmp_path / "allowed").mkdir()
    shutil.copy(tmp_path / "alice.key", tmp_path / "allowed")
    return tmp_path


def test_curve_over_tcp_admits_only_listed_clients(keys: Path) -> None:
    server = load_keypair(keys / "server.key_secret")
    curve = CurveServer(server, load_public_keys([keys / "allowed"]))
    engine = make_engine(size=1)
    try:
        with Daemon(engine, "tcp://127.0.0.1:0", curve=curve) as daemon:
            alice = load_keypair(keys / "alice.key_secret")
            with Client(daemon.endpoint, server_key=server.public, keys=alice) as client:
                assert client.execute(add(40, 2)).result == 42

            mallory = load_keypair(keys / "mallory.key_secret")
            strangers = [
                Client(daemon.endpoint, server_key=server.public, keys=mallory,
                       connect_timeout=3),
                Client(daemon.endpoint, connect_timeout=1),  # no CURVE at all
            ]
            for stranger in strangers:
                with stranger, pytest.raises(SupervisorUnavailable):
                    stranger.execute(add(1, 1))
            assert engine.metrics()["m"]["add"]["executions"] == 1  # only alice's ran
    finally:
        engine.shutdown()


def test_tcp_without_curve_is_refused() -> None:
    engine = make_engine(size=1)
    try:
        with pytest.raises(EndpointError, match="requires CURVE"):
            Daemon(engine, "tcp://127.0.0.1:0")
    finally:
        engine.shutdown()
    with pytest.raises(ConfigError, match="requires CURVE"):
        HostConfig.from_env({"SCRIPTVISOR_LISTEN": "tcp://0.0.0.0:7000"})
    with pytest.raises(ConfigError, match="ipc://PATH or tcp://HOST:PORT"):
        HostConfig.from_env({"SCRIPTVISOR_LISTEN": "http://x"})


def test_keygen_writes_a_private_secret(tmp_path: Path) -> None:
    cli = [sys.executable, "-m", "scriptvisor.cli", "keygen", "node", "--dir", str(tmp_path)]
    done = subprocess.run(cli, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "node.key_secret").stat().st_mode & 0o077 == 0
    pair = load_keypair(tmp_path / "node.key_secret")
    assert pair.public.decode() in done.stdout
    again = subprocess.run(cli, capture_output=True, text=True, timeout=60)
    assert again.returncode == 2 and "never overwritten" in again.stderr


def test_serve_listens_for_clients(endpoint: str, tmp_path: Path) -> None:
    with serving(endpoint, tmp_path / "scripts"):
        assert oct(Path(endpoint.removeprefix("ipc://")).stat().st_mode & 0o777) == "0o600"
        with Client(endpoint) as client:
            hit = client.execute(ExecutionRequest(
                module_name="wargame", script_name="hit_simulator",
                input={"context": {"chance": 0.5, "rolls": 100, "seed": 3}},
            ))
            assert hit.ok and hit.result["rolls"] == 100, hit
