"""Deadlines: no call waits forever, whether the server dies, goes silent, or never answers.

A killed backend ends a COPY at once; a server that stops answering (a loopback listener that
never replies, or a proxy that goes silent mid-session, see :mod:`tests.blackhole`) ends a call
after ``command_timeout`` and a connection attempt after ``connect_timeout``, each with a typed
:class:`DatabaseUnavailable`; leaving the persistence context is bounded too.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable
from typing import Any, TypeVar

import asyncpg
import pytest

from boursa_db.context import PersistenceContext, create_persistence_context
from boursa_db.domain.market import MarketBar
from boursa_db.domain.users import User
from boursa_db.errors import DatabaseUnavailable
from boursa_db.repositories.copying import ConflictMode
from tests.blackhole import BlackholeProxy, SilentServer
from tests.test_market_data import START, minute_bars

T = TypeVar("T")

LARGE_BATCH = 500_000
KILL_AFTER = 1.0
"""The scenario of the issue: the backend is killed about one second into the COPY."""
KILL_TO_ERROR = 2.0
"""The issue's deadline between the kill and the error."""
SHORT_TIMEOUT = 1.0
PROGRESS_TIMEOUT = 0.75
"""Shorter than the large COPY, longer than a server takes for what is buffered after it."""
SCHEDULING_SLACK = 1.0
"""What a loaded two-core test machine may add to a deadline before the event loop runs."""
NEVER = 60.0
"""How long a test waits for an outcome before it calls the call hung."""


async def _outcome(work: Awaitable[T], *, within: float = NEVER) -> tuple[T | BaseException, float]:
    """The result or error of ``work`` and the loop time it ended; fails if it hangs."""
    loop = asyncio.get_running_loop()
    task = asyncio.ensure_future(work)
    await asyncio.wait((task,), timeout=within)
    if not task.done():
        task.cancel()
        pytest.fail(f"still waiting after {within} s")
    ended = loop.time()
    if task.cancelled():
        pytest.fail("the work was cancelled")
    error = task.exception()
    return (error if error is not None else task.result()), ended


async def _count(url: str, table: str) -> int:
    connection = await asyncpg.connect(url)
    try:
        return int(await connection.fetchval(f"SELECT count(*) FROM {table}"))
    finally:
        await connection.close()


async def _wait_for_a_copy(admin: asyncpg.Connection) -> int:
    """The pid of the backend running a COPY in the test's database (bounded poll)."""
    deadline = asyncio.get_running_loop().time() + NEVER
    while True:
        pid = await admin.fetchval(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
            "AND state = 'active' AND query LIKE 'COPY %' AND pid <> pg_backend_pid()"
        )
        if pid is not None:
            return int(pid)
        assert asyncio.get_running_loop().time() < deadline, "no COPY ever started"
        await asyncio.sleep(0.005)


@pytest.fixture(scope="module")
def large_batch() -> list[MarketBar]:
    """Half a million one-minute bars: about two seconds of COPY, built once per module."""
    return minute_bars("AAPL", START, LARGE_BATCH)


@pytest.fixture
async def admin(database_url: str) -> AsyncIterator[asyncpg.Connection]:
    connection = await asyncpg.connect(database_url)
    try:
        yield connection
    finally:
        await connection.close()


# --- a backend killed in the middle of a large COPY ------------------------------------------


@pytest.mark.parametrize("mode", list(ConflictMode))
@pytest.mark.parametrize("inside", ["unit_of_work", "pooled_call"])
async def test_a_large_copy_whose_backend_is_killed_fails_within_two_seconds_writing_nothing(
    context: PersistenceContext,
    admin: asyncpg.Connection,
    database_url: str,
    large_batch: list[MarketBar],
    mode: ConflictMode,
    inside: str,
) -> None:
    async def copy() -> int:
        if inside == "pooled_call":
            return await context.market_data.copy(large_batch, on_conflict=mode)
        async with context.uow() as uow:
            return await uow.market_data.copy(large_batch, on_conflict=mode)

    copying = asyncio.ensure_future(copy())
    pid = await _wait_for_a_copy(admin)
    await asyncio.sleep(KILL_AFTER)  # the scenario, not a synchronisation
    assert await admin.fetchval("SELECT pg_terminate_backend($1)", pid)
    killed_at = asyncio.get_running_loop().time()
    error, ended = await _outcome(copying)
    print(f"kill-to-error lag, {inside}, {mode.name}: {(ended - killed_at) * 1000:.0f} ms")

    assert isinstance(error, DatabaseUnavailable), error
    assert str(error)
    assert ended - killed_at < KILL_TO_ERROR
    assert await _count(database_url, "market_data") == 0
    async with context.uow() as uow:
        assert await uow.market_data.copy(large_batch[:10], on_conflict=mode) == 10
    assert await _count(database_url, "market_data") == 10


async def test_a_large_copy_that_makes_progress_outlives_the_command_timeout(
    database_url: str, large_batch: list[MarketBar]
) -> None:
    """The client-side deadline of a COPY is on progress: no row taken for command_timeout."""
    async with create_persistence_context(
        database_url,
        min_size=1,
        max_size=1,
        command_timeout=PROGRESS_TIMEOUT,
        statement_timeout=NEVER,
    ) as context:
        started = asyncio.get_running_loop().time()
        async with context.uow() as uow:
            written = await uow.market_data.copy(large_batch)
        took = asyncio.get_running_loop().time() - started

    assert written == LARGE_BATCH
    assert took > PROGRESS_TIMEOUT, "the COPY was too quick to show anything"
    assert await _count(database_url, "market_data") == LARGE_BATCH


# --- a server that never answers, or goes silent mid-session ---------------------------------


async def test_connecting_to_a_server_that_never_answers_gives_up_after_connect_timeout() -> None:
    async def connect() -> None:
        async with create_persistence_context(
            silent.url(), min_size=1, max_size=1, connect_timeout=SHORT_TIMEOUT
        ):
            pass

    async with SilentServer().running() as silent:
        started = asyncio.get_running_loop().time()
        error, ended = await _outcome(connect())

    assert isinstance(error, DatabaseUnavailable), error
    assert "connect_timeout" in str(error)
    assert ended - started < SHORT_TIMEOUT + SCHEDULING_SLACK


@pytest.fixture
async def proxy(database_url: str) -> AsyncIterator[BlackholeProxy]:
    async with BlackholeProxy(database_url).running() as proxy:
        yield proxy


def _silent_prone_context(proxy: BlackholeProxy) -> Any:
    return create_persistence_context(
        proxy.url(),
        min_size=1,
        max_size=4,
        connect_timeout=SHORT_TIMEOUT,
        command_timeout=SHORT_TIMEOUT,
    )


def _user(name: str) -> User:
    return User(email=f"{name}@example.com", username=name, password_hash="argon2id$h")


async def test_a_repository_call_to_a_server_gone_silent_gives_up_after_command_timeout(
    proxy: BlackholeProxy,
) -> None:
    async with _silent_prone_context(proxy) as context:
        assert await context.users.find_by_email("ada@example.com") is None
        proxy.go_silent()
        started = asyncio.get_running_loop().time()
        error, ended = await _outcome(context.users.find_by_email("ada@example.com"))

    assert isinstance(error, DatabaseUnavailable), error
    assert "command_timeout" in str(error)
    assert ended - started < SHORT_TIMEOUT + SCHEDULING_SLACK


async def test_a_unit_of_work_on_a_server_gone_silent_gives_up_after_command_timeout(
    proxy: BlackholeProxy, database_url: str
) -> None:
    async def work() -> None:
        async with context.uow() as uow:
            await uow.users.save(_user("ada"))
            proxy.go_silent()
            await uow.users.save(_user("bob"))

    async with _silent_prone_context(proxy) as context:
        started = asyncio.get_running_loop().time()
        error, ended = await _outcome(work())

    assert isinstance(error, DatabaseUnavailable), error
    assert "command_timeout" in str(error)
    assert ended - started < SHORT_TIMEOUT + SCHEDULING_SLACK
    assert await _count(database_url, "users") == 0


async def test_a_copy_to_a_server_gone_silent_gives_up_once_it_stops_making_progress(
    proxy: BlackholeProxy, admin: asyncpg.Connection, large_batch: list[MarketBar]
) -> None:
    """A COPY gives up when no row was taken for command_timeout (checked ten times as often)."""

    async def copy() -> int:
        async with context.uow() as uow:
            return await uow.market_data.copy(large_batch)

    async with _silent_prone_context(proxy) as context:
        copying = asyncio.ensure_future(copy())
        await _wait_for_a_copy(admin)
        proxy.go_silent()
        silent_at = asyncio.get_running_loop().time()
        error, ended = await _outcome(copying)

    assert isinstance(error, DatabaseUnavailable), error
    assert "no progress" in str(error)
    assert ended - silent_at < 1.1 * SHORT_TIMEOUT + SCHEDULING_SLACK


async def test_leaving_the_context_of_a_server_gone_silent_ends_within_command_timeout(
    proxy: BlackholeProxy,
) -> None:
    async def use_then_leave() -> float:
        async with _silent_prone_context(proxy) as context:
            async with context.uow() as uow:
                await uow.users.save(_user("ada"))
            proxy.go_silent()
            return asyncio.get_running_loop().time()

    left, ended = await _outcome(use_then_leave())

    assert isinstance(left, float), left
    assert ended - left < SHORT_TIMEOUT + SCHEDULING_SLACK


async def test_a_copy_cancelled_by_its_caller_stops_writes_nothing_and_frees_its_connection(
    context: PersistenceContext,
    admin: asyncpg.Connection,
    database_url: str,
    large_batch: list[MarketBar],
) -> None:
    async def copy() -> int:
        async with context.uow() as uow:
            return await uow.market_data.copy(large_batch)

    copying = asyncio.ensure_future(copy())
    await _wait_for_a_copy(admin)
    copying.cancel()
    await asyncio.wait((copying,), timeout=NEVER)

    assert copying.cancelled()
    assert await _count(database_url, "market_data") == 0
    async with context.uow() as uow:
        assert await uow.market_data.copy(large_batch[:10]) == 10
    assert context.pool.get_idle_size() == context.pool.get_size()
