"""The probe catalog: every attack `scriptvisor security-test` runs, as data.

Categories (in the order they run): file, network, process, snooping, signals, ptrace,
privilege, exec-memory, paths, language, dos-cpu, dos-memory, dos-quota, frames, backstop.
Python probes are functions of `scriptvisor.security.probes`; scripts are in
`scriptvisor.security.scripts`; path tricks in `scriptvisor.security.paths`.
"""

from __future__ import annotations

from scriptvisor.protocol.errors import ErrorType
from scriptvisor.security.model import REFUSED, Expect, Probe, Step, Via, expect
from scriptvisor.security.scripts import SCRIPT_PROBES

DENIED = expect(ErrorType.EXECUTION, text="PermissionError")
"""The call failed with EACCES (seccomp's errno rule for path calls, or Landlock)."""
KILLED = expect(ErrorType.SECURITY_VIOLATION, text="seccomp")
"""Seccomp killed the child on a call outside its allowlist."""


def child(category: str, name: str, function: str, blocked: Expect, **input: object) -> Probe:
    """A Python probe: blocked in a confined child, succeeding in one with every layer off."""
    return Probe(
        name, category, Via.CHILD,
        Step(function, input), blocked,
        Step(function, input, guarded=False),
    )


_ESCAPES: tuple[Probe, ...] = (
    child("file", "read /etc/passwd", "read_passwd", DENIED),
    child("file", "write a file", "write_file", DENIED, dir="$dir"),
    child("file", "make a directory", "make_directory", DENIED, dir="$dir"),
    child("file", "make a symlink", "make_symlink", DENIED, dir="$dir"),
    child("file", "list /", "list_root", DENIED),
    child("file", "stat /etc/passwd", "stat_file", DENIED),
    child("file", "list the supervisor's socket directory", "list_supervisor_sockets", DENIED,
          sockets="$sockets"),
    child("network", "connect to a TCP port", "connect_tcp", KILLED, port="$port"),
    child("network", "bind a TCP port", "bind_tcp", KILLED),
    child("network", "send a UDP datagram", "send_udp", KILLED, port="$port"),
    child("network", "connect to a unix socket", "connect_unix", KILLED, socket="$unix"),
    child("network", "DNS lookup of localhost", "dns_lookup", KILLED),
    child("process", "fork", "fork", KILLED),
    child("process", "run a program", "run_program", KILLED),
    Probe(
        "exec a program", "process", Via.CHILD, Step("exec_program"), KILLED,
        Step("exec_program", guarded=False),
        # /bin/true replaced the control child and exited 0: the exec happened
        expect(ErrorType.EXECUTION, text="exit status 0"),
    ),
    child("process", "start a thread", "start_thread", KILLED),
    child("snooping", "read the supervisor's environment variables", "environ_canary",
          expect(ErrorType.EXECUTION, text="KeyError"), canary="$canary"),
    child("snooping", "read /proc/self/environ", "read_own_environ", DENIED, canary="$canary"),
    child("snooping", "read the supervisor's /proc/PID/environ", "read_supervisor_environ",
          DENIED, supervisor="$supervisor"),
    child("snooping", "read the supervisor's /proc/PID/cmdline", "read_supervisor_cmdline",
          DENIED, supervisor="$supervisor"),
    child("snooping", "read the supervisor's /proc/PID/maps", "read_supervisor_memory_map",
          DENIED, supervisor="$supervisor"),
    child("snooping", "list the processes in /proc", "list_processes", DENIED),
    child("signals", "signal the zygote (parent)", "signal_zygote", KILLED),
    child("signals", "signal the supervisor", "signal_supervisor", KILLED,
          supervisor="$supervisor"),
    child("signals", "signal every process (kill -1)", "signal_everyone", KILLED),
    child("ptrace", "PTRACE_TRACEME", "ptrace_me", KILLED),
    child("privilege", "setuid(0)", "become_root", KILLED),
    child("privilege", "unshare a namespace", "new_namespace", KILLED),
    child("exec-memory", "map executable memory", "executable_memory", KILLED),
    child("exec-memory", "mprotect memory executable", "make_memory_executable", KILLED),
    child("exec-memory", "memfd_create (fileless exec)", "memfd_create", KILLED),
)


def path_trick(name: str, trick: str, *texts: str) -> Probe:
    """A registry/extraction trick: refused; the control uses a legitimate path."""
    return Probe(
        name, "paths", Via.HOST,
        Step(trick), expect(REFUSED, text=texts),
        Step(trick, guarded=False),
    )


_PATHS: tuple[Probe, ...] = (
    path_trick("registry: module name with ../", "lookup_dotdot", "no script"),
    path_trick("registry: script name with ../", "lookup_dotdot_name", "no script"),
    path_trick("registry: absolute path as name", "lookup_absolute", "no script"),
    path_trick("registry: NUL byte in a name", "lookup_nul", "no script"),
    path_trick("registry: separator in a module name", "lookup_separator", "no script"),
    path_trick("registry: extension in a name", "lookup_extension", "no script"),
    path_trick("registry: script file is a symlink out", "symlinked_script", "symbolic link"),
    path_trick("registry: module folder is a symlink out", "symlinked_module", "symbolic link"),
    path_trick("registry: relative ../ symlink out", "relative_link_out", "symbolic link"),
    path_trick("import: shared/../../ path", "import_dotdot", "not found"),
    path_trick("import: absolute path", "import_absolute", "not found"),
    path_trick("import: NUL byte", "import_nul", "not found"),
    path_trick("import: another module's script", "import_other_module", "not found"),
    path_trick("import (zygomys): shared/../../ path", "zy_import_dotdot", "not found"),
    path_trick("import (zygomys): absolute path", "zy_import_absolute", "not found"),
    path_trick("registry: reload of a ../ module name", "reload_dotdot", "no script"),
    path_trick("extract-scripts: embedded module named ../", "extract_catalog_dotdot",
               "invalid module name"),
    path_trick("extract-scripts: module folder is a symlink out", "extract_module_link",
               "nothing written outside"),
    path_trick("extract-scripts --force: file is a symlink out", "extract_force_file_link",
               "untouched"),
    path_trick("extract-scripts: dangling symlink out", "extract_dangling_link",
               "not written through"),
)

FRAME_LIMITS = {"max_host_calls": 10, "max_memory_bytes": 64 * 1024 * 1024}


def frame(name: str, function: str, reason: str) -> Probe:
    """A hostile frame: the child is killed as a protocol violation; the control sends the
    well-formed neighbour of the frame, which the supervisor accepts."""
    return Probe(
        name, "frames", Via.FRAME,
        Step(function, limits=FRAME_LIMITS),
        expect(ErrorType.SECURITY_VIOLATION, text=("broke the protocol", reason)),
        Step(function, {"control": True}, limits=FRAME_LIMITS),
    )


_FRAMES: tuple[Probe, ...] = (
    frame("oversize frame", "oversize", "dropped the connection"),
    frame("bad msgpack", "bad_msgpack", "bad msgpack"),
    frame("trailing bytes", "trailing_bytes", "trailing bytes"),
    frame("not a map", "not_a_map", "expected map"),
    frame("wrong field types", "wrong_types", "result.id"),
    frame("bool where an int belongs", "bool_as_int", "memory_used"),
    frame("msgpack ext type", "ext_type", "ext type"),
    frame("msgpack timestamp ext", "timestamp_ext", "ext"),
    frame("uint64 integer", "huge_integer", "64 bits"),
    frame("nesting too deep", "deep_nesting", "nested"),
    frame("binary map key", "binary_map_key", "not a string"),
    frame("unexpected field", "extra_field", "unexpected field"),
    frame("wrong protocol version", "wrong_version", "protocol version"),
    frame("unknown message type", "unknown_type", "unknown type"),
    frame("supervisor-only message type", "supervisor_only_type", "not sent by a child"),
    frame("unknown request id", "unknown_id", "unknown request"),
    frame("ready in the middle of a request", "ready_mid_request", "unexpected 'ready'"),
    frame("call of a function not exposed", "call_unexposed_function", "does not expose"),
    frame("host call out of sequence", "call_out_of_sequence", "out of sequence"),
    frame("host call payload over quota", "call_oversize_payload", "payload quota"),
    frame("host call flood", "call_flood", "more than 10 host calls"),
    frame("flood of frames", "frame_flood", "unknown request"),
)

BACKSTOP_LIMITS = {"max_execution_time": 0.3, "max_memory_bytes": 16 * 1024 * 1024}

_BACKSTOPS: tuple[Probe, ...] = (
    # The child's own guard cannot see these (deadline signal blocked, memory grown by
    # Python outside the engine): the supervisor's hard deadline and RSS watch stop them.
    # The control is the bounded form under the same limits.
    Probe(
        "CPU spin with the deadline signal blocked", "backstop", Via.CHILD,
        Step("spin_with_deadline_blocked", {"seconds": None}, BACKSTOP_LIMITS),
        expect(ErrorType.TIMEOUT, text="killed"),
        Step("spin_with_deadline_blocked", {"seconds": 0.02}, BACKSTOP_LIMITS),
    ),
    Probe(
        "memory hoarded outside the engine", "backstop", Via.CHILD,
        Step("hoard_memory", {"mib": None}, BACKSTOP_LIMITS),
        expect(ErrorType.MEMORY_LIMIT, text="killed"),
        Step("hoard_memory", {"mib": 4}, BACKSTOP_LIMITS),
    ),
)

CATALOG: tuple[Probe, ...] = (*_ESCAPES, *_PATHS, *SCRIPT_PROBES, *_FRAMES, *_BACKSTOPS)
"""Every probe, in the order the categories run."""

CATEGORIES: tuple[str, ...] = tuple(dict.fromkeys(p.category for p in CATALOG))


def select(only: str | None = None) -> tuple[Probe, ...]:
    """The probes of category `only` (or whose key starts with it), or all of them."""
    if not only:
        return CATALOG
    return tuple(p for p in CATALOG if p.category == only or p.key.startswith(only))
