"""`scriptvisor` command line: run, compile, serve, doctor."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from scriptvisor.config import ConfigError, parse_duration, parse_size
from scriptvisor.engines.base import ScriptLanguage
from scriptvisor.engines.factory import EngineFactory, UnsupportedLanguage, language_of
from scriptvisor.protocol.errors import ErrorType, ScriptError
from scriptvisor.protocol.models import ErrorInfo, SecurityLimits

if TYPE_CHECKING:
    from scriptvisor.supervisor import ScriptEngine


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        code: int = args.handler(args)
        return code
    except ConfigError as exc:
        print(f"scriptvisor: {exc}", file=sys.stderr)
        return 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="scriptvisor", description=__doc__)
    sub = parser.add_subparsers(required=True, metavar="COMMAND")

    run = sub.add_parser("run", help="run script files and print their results")
    run.add_argument("files", nargs="+", metavar="FILE")
    run.add_argument("--json", action="store_true", help="one JSON object per file (default)")
    run.add_argument("--input", default="{}", help="input variables as a JSON object")
    run.add_argument("--timeout", default="5s", help="max execution time (e.g. 5s, 250ms)")
    run.add_argument("--memory", default="10MB", help="max memory (e.g. 10MB)")
    run.add_argument("--lang", choices=[lang.value for lang in ScriptLanguage])
    run.set_defaults(handler=_run)

    comp = sub.add_parser("compile", help="compile a script; show the generated Python")
    comp.add_argument("file", metavar="FILE")
    comp.add_argument("--emit-python", action="store_true", help="print the generated Python")
    comp.add_argument("--lang", choices=[lang.value for lang in ScriptLanguage])
    comp.set_defaults(handler=_compile)

    serve = sub.add_parser("serve", help="serve the wargame module over HTTP (see README)")
    from scriptvisor.host.command import add_arguments

    add_arguments(serve)
    serve.set_defaults(handler=_serve)

    doctor = sub.add_parser("doctor", help="show which confinement layers this host offers")
    doctor.add_argument("--profile", default="default", help="sandbox profile to check")
    doctor.set_defaults(handler=_doctor)

    keygen = sub.add_parser("keygen", help="make a CURVE key pair for the daemon endpoint")
    keygen.add_argument("name", metavar="NAME", help="writes NAME.key and NAME.key_secret")
    keygen.add_argument("--dir", default=".", help="where to write them (default: .)")
    keygen.set_defaults(handler=_keygen)
    _add_registry_commands(sub)
    from scriptvisor.security.command import add_command as add_security_test

    add_security_test(sub)  # `security-test` (see scriptvisor.security.command)
    return parser


def _keygen(args: argparse.Namespace) -> int:
    """Public key to share (the server's with clients, a client's with the server's
    `--client-keys`), secret key (mode 0600) to keep."""
    from scriptvisor.protocol.curve import load_keypair, write_keypair

    try:
        public, secret = write_keypair(args.dir, args.name)
    except (FileExistsError, FileNotFoundError) as exc:
        raise ConfigError(f"keygen: {exc}") from None
    print(f"public key  {public}  (share it)\nsecret key  {secret}  (keep it; mode 0600)\n"
          f"public key text: {load_keypair(secret).public.decode()}")
    return 0


def _limits(args: argparse.Namespace) -> SecurityLimits:
    return SecurityLimits(
        max_execution_time=parse_duration(args.timeout, "--timeout"),
        max_memory_bytes=parse_size(args.memory, "--memory"),
    )


def _run(args: argparse.Namespace) -> int:
    """Each file runs in a confined child of a one-child supervisor (see `supervisor`)."""
    try:
        variables = json.loads(args.input)
    except json.JSONDecodeError as exc:
        raise ConfigError(f"--input: not JSON ({exc})") from None
    if not isinstance(variables, dict):
        raise ConfigError("--input: must be a JSON object")
    limits = _limits(args)
    from scriptvisor.supervisor import PoolConfig, ScriptEngine, SupervisorError

    try:
        engine = ScriptEngine(pool=PoolConfig(size=1, spares=0), limits=limits)
    except SupervisorError as exc:
        print(f"scriptvisor: cannot start the sandbox: {exc}", file=sys.stderr)
        return 3
    failed = False
    try:
        for file in args.files:
            report = _run_one(engine, Path(file), args.lang, variables, limits)
            failed |= not report["ok"]
            print(json.dumps(report, ensure_ascii=False, default=_json_default), flush=True)
    except SupervisorError as exc:
        print(f"scriptvisor: {exc}", file=sys.stderr)
        return 3
    finally:
        engine.shutdown()
    return 1 if failed else 0


def _run_one(
    engine: ScriptEngine,
    path: Path,
    lang: str | None,
    variables: dict[str, Any],
    limits: SecurityLimits,
) -> dict[str, Any]:
    try:
        language = lang or language_of(path).value
        source = _read(path)
    except ScriptError as exc:
        return {"ok": False, "error": _error_json(exc), "published": []}
    except UnsupportedLanguage as exc:
        err = ScriptError(ErrorType.NOT_FOUND, str(exc), script=path.name)
        return {"ok": False, "error": _error_json(err)}
    out = engine.execute_source(
        source, language, name=path.name, module="cli", input=variables, limits=limits
    )
    published = [{"topic": p.topic, "payload": p.payload} for p in out.published]
    if out.error is not None:
        return {"ok": False, "error": _error_json(out.error), "published": published}
    report: dict[str, Any] = {"ok": True, "result": out.result, "logs": list(out.logs)}
    if published:
        report["published"] = published
    return report


def _read(path: Path) -> str:
    try:
        return path.read_bytes().decode("utf-8", "surrogateescape")
    except OSError as exc:
        raise ScriptError(
            ErrorType.NOT_FOUND, f"cannot read {path}: {exc.strerror}", script=path.name
        ) from None


def _error_json(exc: ScriptError | ErrorInfo) -> dict[str, Any]:
    return {
        "type": exc.type.value,
        "message": exc.message,
        "line": exc.line,
        "column": exc.column,
        "script": exc.script,
    }


def _json_default(v: Any) -> Any:
    if isinstance(v, bytes):
        return v.decode("utf-8", "replace")
    raise TypeError(f"{type(v).__name__} is not JSON")


def _compile(args: argparse.Namespace) -> int:
    path = Path(args.file)
    try:
        engine = EngineFactory().create_engine(args.lang or language_of(path))
        compiled = engine.compile(_read(path), path.name)
    except (ScriptError, UnsupportedLanguage) as exc:
        print(str(exc), file=sys.stderr)
        return 1
    if args.emit_python:
        print(compiled.python_source)
    else:
        print(f"{path}: ok ({compiled.compile_seconds * 1000:.2f} ms)")
    return 0


def _doctor(args: argparse.Namespace) -> int:
    """Exit 0 when every layer is active, 1 when any is missing (each line says why)."""
    from scriptvisor.sandbox.doctor import print_report
    from scriptvisor.sandbox.policy import profile

    try:
        policy = profile(args.profile)
    except KeyError as exc:
        raise ConfigError(f"--profile: {exc.args[0]}") from None
    ok = print_report(policy)
    print("\nall confinement layers are active" if ok else "\nSOME CONFINEMENT LAYERS ARE MISSING")
    return 0 if ok else 1


def _serve(args: argparse.Namespace) -> int:
    from scriptvisor.host.command import run

    return run(args)


def _add_registry_commands(sub: Any) -> None:
    """`extract-scripts`, `list`, `check` (see `scriptvisor.registry.commands`)."""
    from scriptvisor.registry.commands import add_commands

    add_commands(sub)


if __name__ == "__main__":
    sys.exit(main())
