"""The embedded server: unprivileged, socket-only, gone with its parent, swept when left."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import asyncpg
import pytest

from boursa_db.embedded import FOLDER_PREFIX, start_embedded_postgres
from boursa_db.errors import EmbeddedServerError

DEADLINE_SECONDS = 20.0


def _wait_for(condition: object, what: str) -> None:
    """Poll a condition with a deadline (the process under test is not ours to join)."""
    deadline = time.monotonic() + DEADLINE_SECONDS
    while time.monotonic() < deadline:
        if condition():  # type: ignore[operator]
            return
        time.sleep(0.05)
    pytest.fail(f"timed out waiting for {what}")


def _pid_alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[-1].split()[0]
    except OSError:
        return False
    return state not in {"Z", "X"}


async def test_the_server_is_socket_only_and_does_not_run_as_root() -> None:
    with start_embedded_postgres() as server:
        connection = await asyncpg.connect(server.url)
        try:
            assert await connection.fetchval("SHOW listen_addresses") == ""
            assert await connection.fetchval("SHOW fsync") == "off"
            assert await connection.fetchval("SHOW TimeZone") == "UTC"
        finally:
            await connection.close()
        assert os.stat(f"/proc/{server.process.pid}").st_uid != 0
        assert server.socket_dir.name.startswith(FOLDER_PREFIX)
    assert not server.base_dir.exists()
    assert server.process.poll() is not None


async def test_a_tcp_port_can_be_opened_for_the_demo(unused_tcp_port: int) -> None:
    with start_embedded_postgres(port=unused_tcp_port) as server:
        assert "127.0.0.1" in server.url
        connection = await asyncpg.connect(server.url)
        try:
            assert await connection.fetchval("SELECT 1") == 1
        finally:
            await connection.close()


def test_the_server_dies_with_its_parent_even_after_sigkill() -> None:
    script = (
        "from boursa_db.embedded import start_embedded_postgres\n"
        "import sys, time\n"
        "with start_embedded_postgres() as server:\n"
        "    print(server.process.pid, server.base_dir, flush=True)\n"
        "    time.sleep(600)\n"
    )
    with subprocess.Popen(
        [sys.executable, "-c", script], stdout=subprocess.PIPE, text=True
    ) as parent:
        try:
            assert parent.stdout is not None
            postmaster_pid, base_dir = parent.stdout.readline().split()
        finally:
            parent.send_signal(signal.SIGKILL)

    _wait_for(lambda: not _pid_alive(int(postmaster_pid)), "the orphaned postmaster to exit")
    # The next start sweeps the folder the killed run left behind.
    with start_embedded_postgres():
        assert not Path(base_dir).exists()


@pytest.fixture
def server_tmpdir(monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A base folder of our own that the unprivileged server user can traverse."""
    folder = Path(tempfile.mkdtemp(prefix="boursa-sweep-"))
    folder.chmod(0o755)
    monkeypatch.setenv("BOURSA_PG_TMPDIR", str(folder))
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


def test_leftovers_of_a_dead_owner_are_swept(server_tmpdir: Path) -> None:
    tmp_path = server_tmpdir
    leftover = tmp_path / f"{FOLDER_PREFIX}leftover"
    (leftover / "data").mkdir(parents=True)
    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        capture_output=True,
        text=True,
        check=True,
    )
    (leftover / "owner.pid").write_text(dead.stdout.strip())
    alive = tmp_path / f"{FOLDER_PREFIX}alive"
    alive.mkdir()
    (alive / "owner.pid").write_text(str(os.getpid()))

    with start_embedded_postgres() as server:
        assert server.base_dir.parent == tmp_path

    assert not leftover.exists()
    assert alive.exists()


def test_a_base_folder_the_server_user_cannot_reach_is_a_clear_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    if os.geteuid() != 0:
        pytest.skip("only root runs the server as another user")
    private = tmp_path / "private"
    private.mkdir(mode=0o700)
    monkeypatch.setenv("BOURSA_PG_TMPDIR", str(private))

    with pytest.raises(EmbeddedServerError, match="cannot reach"), start_embedded_postgres():
        pass
