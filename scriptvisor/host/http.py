"""The HTTP app (Starlette on uvicorn).

| route                          | what                                                       |
| ------------------------------ | ---------------------------------------------------------- |
| `GET /healthz`                 | `{"status": "ok", ...}`, 503 while not started             |
| `GET /metrics`                 | Prometheus text: executions, durations, pool, reloads, bus |
| `GET /scripts`                 | every script: origin, language, checksum, error, metrics   |
| `POST /scripts/{module}/{name}`| run it; the JSON object body is its input variables        |
| module endpoint scripts        | `(method, path)` a module declares; request bound as input |
| module routes                  | pages and streams a module adds                            |

An execution answers `{"ok": true, "result", "logs", "published", "metrics"}` or
`{"ok": false, "error": {"type", "message", "module", "script", "line", "column"},
"logs", "metrics"}` with the status by error type:

| error                                  | status |
| -------------------------------------- | ------ |
| none                                   | 200    |
| body not a JSON object, or input that cannot cross to a script (`invalid_input`) | 400 |
| `not_found`                            | 404    |
| `security_violation`                   | 403    |
| `compilation`, `invalid_syntax`, `execution`, `memory_limit` | 422 |
| `timeout`                              | 504    |
| host overloaded (every child busy, queue full) | 503 with `Retry-After: 1` |
"""

from __future__ import annotations

import contextlib
import json
import logging
import signal
import threading
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import BaseRoute, Route

from scriptvisor.host.app import Host
from scriptvisor.host.module import ScriptableModule
from scriptvisor.host.runner import error_json
from scriptvisor.protocol.errors import ErrorType
from scriptvisor.protocol.models import HTTPRequestData, ScriptInput, ScriptOutput
from scriptvisor.protocol.values import ValueMappingError
from scriptvisor.registry.layout import is_valid_name
from scriptvisor.supervisor.errors import EngineClosed, Overloaded, SupervisorError

log = logging.getLogger("scriptvisor.http")

MAX_BODY_BYTES = 1024 * 1024
STATUS = {
    ErrorType.NOT_FOUND: 404,
    ErrorType.SECURITY_VIOLATION: 403,
    ErrorType.TIMEOUT: 504,
    ErrorType.COMPILATION: 422,
    ErrorType.INVALID_SYNTAX: 422,
    ErrorType.EXECUTION: 422,
    ErrorType.MEMORY_LIMIT: 422,
}


def output_json(output: ScriptOutput) -> dict[str, Any]:
    """An execution's outcome as the HTTP API shows it."""
    metrics = output.metrics.model_dump(mode="json")
    if output.error is not None:
        return {"ok": False, "error": error_json(output.error), "logs": list(output.logs),
                "metrics": metrics}
    return {
        "ok": True,
        "result": output.result,
        "logs": list(output.logs),
        "published": [{"topic": p.topic, "payload": p.payload} for p in output.published],
        "metrics": metrics,
    }


def output_response(output: ScriptOutput) -> JSONResponse:
    status = 200 if output.error is None else STATUS.get(output.error.type, 422)
    return _json(output_json(output), status)


def _json(body: Any, status: int = 200, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse(json.loads(json.dumps(body, default=_jsonable)), status, headers)


def _jsonable(value: Any) -> Any:
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    raise TypeError(f"{type(value).__name__} is not JSON")


def _refusal(kind: str, message: str, status: int, **extra: Any) -> JSONResponse:
    headers = {"Retry-After": "1"} if status == 503 else None
    return _json({"ok": False, "error": {"type": kind, "message": message, **extra}}, status,
                 headers)


async def _execute(host: Host, module: str, name: str, script_input: ScriptInput) -> Response:
    try:
        script_input.variables(module)  # refuse what cannot cross to a child: 400, not 422
    except ValueMappingError as exc:
        return _refusal("invalid_input", f"input variable {exc}", 400)
    try:
        output = await host.runner.run(module, name, script_input)
    except Overloaded as exc:
        return _refusal("overloaded", str(exc), 503)
    except (EngineClosed, SupervisorError) as exc:
        return _refusal("unavailable", str(exc), 503)
    return output_response(output)


async def _body_text(request: Request) -> str | None:
    body = await request.body()
    if len(body) > MAX_BODY_BYTES:
        return None
    return body.decode("utf-8", "replace")


def build_app(host: Host) -> Starlette:
    """The Starlette app serving `host` (its lifespan starts and stops the host)."""

    async def healthz(request: Request) -> Response:
        if host._runner is None or host.closing.is_set():
            return _json({"status": "starting" if not host.closing.is_set() else "stopping"},
                         503)
        stats = host.engine.pool_stats()
        return _json({"status": "ok", "modules": sorted(host.modules),
                      "pool": {"size": host.config.pool_size, "started": stats.started,
                               "replaced": stats.replaced},
                      "hot_reload": host.registry.watching})

    async def scripts(request: Request) -> Response:
        if host._runner is None:
            return _refusal("unavailable", "starting", 503)
        metrics = host.engine.metrics()
        entries = []
        for entry in host.registry.entries():
            item = entry.to_dict()
            item["metrics"] = metrics.get(entry.module, {}).get(entry.name)
            entries.append(item)
        return _json({"scripts": entries, "problems": host.registry.problems()})

    async def run_script(request: Request) -> Response:
        module, name = request.path_params["module"], request.path_params["name"]
        if not (is_valid_name(module) and is_valid_name(name)):
            return _refusal("not_found", "no such script", 404)
        text = await _body_text(request)
        if text is None:
            return _refusal("invalid_input", f"body over {MAX_BODY_BYTES} bytes", 413)
        try:
            variables = json.loads(text) if text.strip() else {}
        except json.JSONDecodeError as exc:
            return _refusal("invalid_input", f"body is not JSON: {exc}", 400)
        if not isinstance(variables, dict):
            return _refusal("invalid_input", "body must be a JSON object", 400)
        return await _execute(host, module, name, ScriptInput(context=variables))

    async def metrics_text(request: Request) -> Response:
        if host._runner is None:
            return _refusal("unavailable", "starting", 503)
        from scriptvisor.host.prometheus import render

        return PlainTextResponse(render(host), media_type="text/plain; version=0.0.4")

    routes: list[BaseRoute] = [
        Route("/healthz", healthz, methods=["GET"]),
        Route("/metrics", metrics_text, methods=["GET"]),
        Route("/scripts", scripts, methods=["GET"]),
        Route("/scripts/{module}/{name}", run_script, methods=["POST"]),
    ]
    for module in host.modules.values():
        for (method, path), script in module.script_config().endpoint_scripts.items():
            routes.append(Route(path, _endpoint(host, module, script, path),
                                methods=[method.upper()]))
        routes.extend(module.routes())

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        await host.start()
        try:
            yield
        finally:
            await host.stop()

    return Starlette(routes=routes, lifespan=lifespan)


def _endpoint(
    host: Host, module: ScriptableModule, script: str, path: str
) -> Callable[[Request], Awaitable[Response]]:
    async def handle(request: Request) -> Response:
        text = await _body_text(request)
        if text is None:
            return _refusal("invalid_input", f"body over {MAX_BODY_BYTES} bytes", 413)
        data = HTTPRequestData(
            method=request.method,
            path=request.url.path,
            query=dict(request.query_params),
            headers={k.lower(): v for k, v in request.headers.items()},
            body=text,
            endpoint=path,
        )
        try:
            context = module.endpoint_context(script, data)
        except ValueError as exc:
            return _refusal("invalid_input", str(exc), 400)
        return await _execute(host, module.name, script,
                              ScriptInput(context=context, http_request=data))

    return handle


class _Server(uvicorn.Server):
    """Tells the host to end event streams as soon as a shutdown signal arrives (uvicorn
    waits for open connections before running the lifespan's shutdown)."""

    def __init__(self, config: uvicorn.Config, host: Host) -> None:
        super().__init__(config)
        self.host = host

    def handle_exit(self, sig: int, frame: Any) -> None:
        self.host.begin_shutdown()
        super().handle_exit(sig, frame)


def make_server(host: Host, **options: Any) -> uvicorn.Server:
    """A uvicorn server for `host` on its configured address (`options` go to uvicorn)."""
    config = uvicorn.Config(
        build_app(host), host=host.config.host, port=host.config.port,
        log_level=options.pop("log_level", "info"), timeout_graceful_shutdown=3,
        lifespan="on", **options,
    )
    return _Server(config, host)


def serve(host: Host) -> int:
    """Serve until SIGINT/SIGTERM; 0 on a clean stop, 1 when startup failed."""
    server = make_server(host)
    # uvicorn handles SIGINT/SIGTERM itself, then re-raises the signal once stopped: with
    # these in place that ends in a normal return (status 0) instead of a signal death
    quiet = threading.current_thread() is threading.main_thread()
    previous = signal.signal(signal.SIGTERM, lambda sig, frame: None) if quiet else None
    try:
        with contextlib.suppress(KeyboardInterrupt):
            server.run()
    finally:
        if quiet:
            signal.signal(signal.SIGTERM, previous)
    return 0 if server.started else 1
