"""The zygote: a small pre-imported process that forks confined children on command.

The supervisor starts it once (`python -m scriptvisor.supervisor.zygote --fd N`) and talks
to it over a private SOCK_SEQPACKET socketpair with msgpack messages:

| message                            | direction           | meaning                              |
|------------------------------------|---------------------|--------------------------------------|
| `config` {policy (pickle)}         | supervisor → zygote | first message: how children confine  |
| `hello` {pid, layers}              | zygote → supervisor | warmed up; `layers`: what this host  |
|                                    |                     | offers (doctor statuses, as dicts)   |
| `fork` {token, endpoint, [probe]}  | supervisor → zygote | fork a child serving `endpoint`      |
| `forked` {token, pid} + pidfd      | zygote → supervisor | the child exists; its pidfd attached |
| `fork_failed` {token, error}       | zygote → supervisor | fork() itself failed                 |
| `exit` {pid, status}               | zygote → supervisor | a child was reaped (raw wait status) |

The zygote is every child's parent: it reaps them and reports how each ended, so the
supervisor can tell SIGSYS (seccomp) from SIGKILL or a crash. Commands are handled before
reaping in each turn of the loop, so a replacement the supervisor requested before killing
a child is forked before that child is reaped. The supervisor kills children itself,
through the pidfds it receives (no pid-reuse races). When the supervisor goes away (EOF),
the zygote kills its children and exits; children die with the zygote (PDEATHSIG).

This module is imported by both sides: the supervisor side uses only the standard library,
the zygote side imports the child's world (engines, ZeroMQ, msgpack) once, before forking.
"""

from __future__ import annotations

import argparse
import array
import contextlib
import errno
import os
import pickle
import select
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from typing import Any

import msgpack  # type: ignore[import-untyped]

from scriptvisor.sandbox.policy import Policy

MAX_MESSAGE = 1 << 20
EXIT_CHILD_SETUP = 124
"""Exit status of a forked child whose setup raised before it could confine itself."""


# --- supervisor side ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Forked:
    token: int
    pid: int
    pidfd: int


@dataclass(frozen=True, slots=True)
class ForkFailed:
    token: int
    error: str


@dataclass(frozen=True, slots=True)
class Exited:
    pid: int
    status: int  # a raw wait status (os.WIFSIGNALED etc.)


ZygoteEvent = Forked | ForkFailed | Exited


class ZygoteError(RuntimeError):
    """The zygote could not start, or stopped answering."""


class Zygote:
    """The supervisor's handle on its zygote process."""

    def __init__(
        self, policy: Policy, *, allow_probes: bool = False, start_timeout: float = 60.0
    ) -> None:
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        argv = [sys.executable, "-m", __name__, "--fd", str(theirs.fileno())]
        if allow_probes:
            argv.append("--allow-probes")
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(p for p in sys.path if p)  # same imports as ours
        try:
            self.process = subprocess.Popen(
                argv,
                pass_fds=[theirs.fileno()],
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,  # the CLI's stdout carries JSON only
                env=env,
                start_new_session=True,  # Ctrl-C in a terminal is the supervisor's to handle
            )
        finally:
            theirs.close()
        self.socket = ours
        self.pid = self.process.pid
        self.closed = False
        self._send({"t": "config", "policy": pickle.dumps(policy)})
        hello = self._await_hello(start_timeout)
        self.layers: list[dict[str, Any]] = hello["layers"]

    def fileno(self) -> int:
        return self.socket.fileno()

    def fork(self, token: int, endpoint: str, probe: str | None = None) -> None:
        message: dict[str, Any] = {"t": "fork", "token": token, "endpoint": endpoint}
        if probe is not None:
            message["probe"] = probe
        self._send(message)

    def events(self) -> list[ZygoteEvent]:
        """Every message waiting on the socket (non-blocking); `ZygoteError` at EOF."""
        out: list[ZygoteEvent] = []
        while True:
            try:
                data, fds = _receive(self.socket)
            except BlockingIOError:
                return out
            except OSError as exc:
                raise ZygoteError(f"zygote connection lost: {exc}") from None
            if not data:
                for fd in fds:
                    os.close(fd)
                raise ZygoteError(f"the zygote exited (status {self.process.poll()})")
            out.append(_event(msgpack.unpackb(data), fds))

    def close(self, timeout: float = 5.0) -> None:
        """EOF to the zygote: it kills and reaps its children, then exits."""
        if self.closed:
            return
        self.closed = True
        with contextlib.suppress(OSError):
            self.socket.shutdown(socket.SHUT_RDWR)
        self.socket.close()
        try:
            self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()

    def _send(self, message: dict[str, Any]) -> None:
        try:
            self.socket.send(msgpack.packb(message, use_bin_type=True))
        except OSError as exc:
            raise ZygoteError(f"zygote connection lost: {exc}") from None

    def _await_hello(self, timeout: float) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        while True:
            remaining = deadline - time.monotonic()
            ready, _, _ = select.select([self.socket], [], [], max(remaining, 0))
            if not ready:
                self.close(0)
                raise ZygoteError(f"the zygote did not start within {timeout:g}s")
            data = self.socket.recv(MAX_MESSAGE)
            if not data:
                status = self.process.wait()
                raise ZygoteError(f"the zygote exited while starting (status {status})")
            message: dict[str, Any] = msgpack.unpackb(data)
            if message.get("t") == "hello":
                return message


def _receive(sock: socket.socket) -> tuple[bytes, list[int]]:
    """One message and the descriptors passed with it, without blocking (Python 3.11's
    `socket.recv_fds` ignores its flags)."""
    fds = array.array("i")
    data, ancillary, _, _ = sock.recvmsg(
        MAX_MESSAGE, socket.CMSG_SPACE(fds.itemsize), socket.MSG_DONTWAIT | socket.MSG_CMSG_CLOEXEC
    )
    for level, kind, payload in ancillary:
        if level == socket.SOL_SOCKET and kind == socket.SCM_RIGHTS:
            fds.frombytes(payload[: len(payload) - len(payload) % fds.itemsize])
    return data, list(fds)


def _event(message: dict[str, Any], fds: list[int]) -> ZygoteEvent:
    kind = message.get("t")
    if kind == "forked" and len(fds) == 1:
        return Forked(message["token"], message["pid"], fds[0])
    for fd in fds:
        os.close(fd)
    if kind == "exit":
        return Exited(message["pid"], message["status"])
    if kind == "fork_failed":
        return ForkFailed(message["token"], message["error"])
    raise ZygoteError(f"unexpected message from the zygote: {kind!r}")


# --- zygote side --------------------------------------------------------------------------------


class _ZygoteLoop:
    def __init__(self, ctrl: socket.socket, policy: Policy, allow_probes: bool) -> None:
        self.ctrl = ctrl
        self.policy = policy
        self.allow_probes = allow_probes
        self.children: set[int] = set()
        self.wake_r, self.wake_w = os.pipe2(os.O_NONBLOCK | os.O_CLOEXEC)

    def send(self, message: dict[str, Any], fds: list[int] | None = None) -> None:
        data = msgpack.packb(message, use_bin_type=True)
        if fds:
            socket.send_fds(self.ctrl, [data], fds)
        else:
            self.ctrl.send(data)

    def run(self) -> int:
        signal.set_wakeup_fd(self.wake_w)
        signal.signal(signal.SIGCHLD, lambda signum, frame: None)
        while True:
            readable, _, _ = select.select([self.ctrl, self.wake_r], [], [])
            if self.ctrl in readable and not self.commands():
                return self.stop()
            if self.wake_r in readable:
                with contextlib.suppress(BlockingIOError):
                    while os.read(self.wake_r, 512):
                        pass
            self.reap()

    def commands(self) -> bool:
        """Handle every waiting command; False at EOF."""
        while True:
            try:
                data = self.ctrl.recv(MAX_MESSAGE, socket.MSG_DONTWAIT)
            except BlockingIOError:
                return True
            except ConnectionResetError:
                return False
            if not data:
                return False
            message = msgpack.unpackb(data)
            if message.get("t") == "fork":
                self.fork(message)

    def fork(self, message: dict[str, Any]) -> None:
        from scriptvisor.sandbox.child import ChildSpec

        token = message["token"]
        probe = message.get("probe")
        if probe is not None and not self.allow_probes:
            self.send({"t": "fork_failed", "token": token, "error": "probes are not allowed"})
            return
        spec = ChildSpec(message["endpoint"], self.policy, os.getpid(), probe)
        try:
            pid = os.fork()
        except OSError as exc:
            self.send({"t": "fork_failed", "token": token, "error": str(exc)})
            return
        if pid == 0:
            self.become_child(spec)
        self.children.add(pid)
        pidfd = os.pidfd_open(pid)
        try:
            self.send({"t": "forked", "token": token, "pid": pid}, [pidfd])
        finally:
            os.close(pidfd)

    def become_child(self, spec: Any) -> None:
        try:
            from scriptvisor.sandbox import child

            signal.set_wakeup_fd(-1)
            signal.signal(signal.SIGCHLD, signal.SIG_DFL)
            self.ctrl.close()
            os.close(self.wake_r)
            os.close(self.wake_w)
            child.run(spec)
        finally:
            os._exit(EXIT_CHILD_SETUP)

    def reap(self) -> None:
        while self.children:
            try:
                pid, status = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                self.children.clear()
                return
            if pid == 0:
                return
            self.children.discard(pid)
            with contextlib.suppress(OSError):
                self.send({"t": "exit", "pid": pid, "status": status})

    def stop(self) -> int:
        for pid in self.children:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        for pid in list(self.children):
            with contextlib.suppress(ChildProcessError):
                os.waitpid(pid, 0)
        return 0


def _host_layers(policy: Policy) -> list[dict[str, Any]]:
    from scriptvisor.sandbox.doctor import doctor

    try:
        return [status.as_dict() for status in doctor(policy)]
    except Exception as exc:  # the report is informative only
        return [{"layer": "doctor", "state": "unavailable", "detail": repr(exc), "seconds": 0.0}]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="scriptvisor zygote (started by the supervisor)")
    parser.add_argument("--fd", type=int, required=True)
    parser.add_argument("--allow-probes", action="store_true")
    args = parser.parse_args(argv)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    ctrl = socket.socket(fileno=args.fd)
    data = ctrl.recv(MAX_MESSAGE)
    if not data:
        return 0
    config = msgpack.unpackb(data)
    policy: Policy = pickle.loads(config["policy"])  # our own parent, over a private socket

    from scriptvisor.sandbox.child import prepare_zygote

    layers = _host_layers(policy)
    prepare_zygote(policy)
    loop = _ZygoteLoop(ctrl, policy, args.allow_probes)
    loop.send({"t": "hello", "pid": os.getpid(), "layers": layers})
    try:
        return loop.run()
    except OSError as exc:
        if exc.errno in (errno.EPIPE, errno.ECONNRESET):
            return loop.stop()
        raise


if __name__ == "__main__":
    sys.exit(main())
