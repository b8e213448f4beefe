"""Faults injected on purpose: killed backends, a lost COMMIT, restarts, cancellation, a full pool.

Every fault must leave nothing partial behind, surface as a typed error, and leave the pool
able to serve the next unit of work without restarting the process. Restarts happen on a
throwaway server of this module, never on the server of the other tests.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Iterator
from decimal import Decimal

import asyncpg
import pytest

from boursa_db.context import PersistenceContext, create_persistence_context
from boursa_db.domain.portfolios import Portfolio
from boursa_db.domain.users import User
from boursa_db.embedded import EmbeddedPostgres, start_embedded_postgres
from boursa_db.errors import (
    ConcurrencyConflict,
    DatabaseUnavailable,
    OutcomeUnknown,
    PoolExhausted,
)
from boursa_db.migrations import apply_migrations
from boursa_db.repositories.copying import ConflictMode
from boursa_db.retry import run_with_retry
from boursa_db.unit_of_work import UnitOfWork
from tests.support import create_database, drop_database, unique_name
from tests.test_market_data import START, minute_bars

LOCK_WAIT_DEADLINE = 30.0


def _user(name: str) -> User:
    return User(email=f"{name}@example.com", username=name, password_hash="argon2id$h")


async def _count(url: str, table: str) -> int:
    connection = await asyncpg.connect(url)
    try:
        return int(await connection.fetchval(f"SELECT count(*) FROM {table}"))
    finally:
        await connection.close()


async def _wait_until_blocked(admin: asyncpg.Connection, pid: int) -> None:
    """Return once backend ``pid`` waits for a lock (polls pg_stat_activity, bounded)."""
    deadline = asyncio.get_running_loop().time() + LOCK_WAIT_DEADLINE
    while not await admin.fetchval(
        "SELECT wait_event_type = 'Lock' FROM pg_stat_activity WHERE pid = $1", pid
    ):
        assert asyncio.get_running_loop().time() < deadline, f"backend {pid} never blocked"
        await asyncio.sleep(0.005)


async def _kill_when_blocked(
    admin: asyncpg.Connection, victim_pid: asyncio.Future[int], work: Awaitable[None]
) -> BaseException:
    """Run ``work`` until its backend blocks on a lock, terminate the backend, return the error."""
    task = asyncio.ensure_future(work)
    pid = await victim_pid
    await _wait_until_blocked(admin, pid)
    assert await admin.fetchval("SELECT pg_terminate_backend($1)", pid)
    try:
        await task
    except BaseException as error:
        return error
    raise AssertionError("the work survived the termination of its backend")


@pytest.fixture
async def admin(database_url: str) -> AsyncIterator[asyncpg.Connection]:
    """A second connection to the test's database: it holds locks and terminates backends."""
    connection = await asyncpg.connect(database_url)
    try:
        yield connection
    finally:
        await connection.close()


async def _saved_portfolio(context: PersistenceContext) -> Portfolio:
    async with context.uow() as uow:
        user = await uow.users.save(_user("owner"))
        return await uow.portfolios.save(
            Portfolio(user_id=user.id, name="Main", cash_balance=Decimal("100"))
        )


# --- a backend terminated in the middle of the work ------------------------------------------


async def test_a_backend_terminated_while_a_unit_of_work_waits_commits_nothing(
    context: PersistenceContext, admin: asyncpg.Connection, database_url: str
) -> None:
    portfolio = await _saved_portfolio(context)
    victim_pid: asyncio.Future[int] = asyncio.get_running_loop().create_future()

    async def work() -> None:
        async with context.uow() as uow:
            victim_pid.set_result(uow.connection.get_server_pid())
            await uow.users.save(_user("bob"))
            portfolio.cash_balance = Decimal("250")
            await uow.portfolios.save(portfolio)  # waits for the admin's row lock

    async with admin.transaction():
        await admin.execute("SELECT 1 FROM portfolios WHERE id = $1 FOR UPDATE", portfolio.id)
        error = await _kill_when_blocked(admin, victim_pid, work())

    assert isinstance(error, DatabaseUnavailable)
    assert await _count(database_url, "users") == 1
    async with context.uow() as uow:
        stored = await uow.portfolios.get_by_id(portfolio.id)
        assert (stored.cash_balance, stored.version) == (Decimal("100.0000"), 1)
        assert await uow.users.save(_user("bob")) is not None


async def test_a_backend_terminated_between_two_writes_commits_neither(
    context: PersistenceContext, admin: asyncpg.Connection, database_url: str
) -> None:
    with pytest.raises(DatabaseUnavailable):
        async with context.uow() as uow:
            await uow.users.save(_user("ada"))
            await admin.execute("SELECT pg_terminate_backend($1)", uow.connection.get_server_pid())
            await uow.users.save(_user("bob"))

    assert await _count(database_url, "users") == 0
    async with context.uow() as uow:
        await uow.users.save(_user("ada"))
    assert await _count(database_url, "users") == 1


@pytest.mark.parametrize("mode", [ConflictMode.FAIL, ConflictMode.SKIP, ConflictMode.UPDATE])
async def test_a_backend_terminated_in_the_middle_of_a_copy_writes_no_bar(
    context: PersistenceContext, admin: asyncpg.Connection, database_url: str, mode: ConflictMode
) -> None:
    """The COPY has written the first 500 bars of its transaction when bar 500 meets a row
    that another transaction inserted and has not committed yet: it waits, and dies there."""
    bars = minute_bars("AAPL", START, 1000)
    blocker = bars[500]
    victim_pid: asyncio.Future[int] = asyncio.get_running_loop().create_future()

    async def work() -> None:
        async with context.uow() as uow:
            victim_pid.set_result(uow.connection.get_server_pid())
            await uow.market_data.copy(bars, on_conflict=mode)

    blocking = admin.transaction()
    await blocking.start()
    await admin.execute(
        "INSERT INTO market_data (time, symbol, interval_type, open, high, low, close) "
        "VALUES ($1, $2, $3, 1, 1, 1, 1)",
        blocker.time,
        blocker.symbol,
        blocker.interval_type.value,
    )
    error = await _kill_when_blocked(admin, victim_pid, work())
    await blocking.rollback()  # the blocking row never existed

    assert isinstance(error, DatabaseUnavailable)
    assert await _count(database_url, "market_data") == 0
    async with context.uow() as uow:
        assert await uow.market_data.copy(bars, on_conflict=mode) == 1000


async def test_a_connection_lost_during_commit_is_an_unknown_outcome(
    context: PersistenceContext, admin: asyncpg.Connection, database_url: str
) -> None:
    """A deferred trigger holds the COMMIT on a lock; the backend dies while it waits."""
    await admin.execute(
        """
        CREATE FUNCTION wait_at_commit() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            PERFORM pg_advisory_xact_lock(7);
            RETURN NULL;
        END
        $$;
        CREATE CONSTRAINT TRIGGER users_wait_at_commit AFTER INSERT ON users
            DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION wait_at_commit();
        """
    )
    victim_pid: asyncio.Future[int] = asyncio.get_running_loop().create_future()

    async def work() -> None:
        async with context.uow() as uow:
            victim_pid.set_result(uow.connection.get_server_pid())
            await uow.users.save(_user("ada"))

    await admin.execute("SELECT pg_advisory_lock(7)")
    error = await _kill_when_blocked(admin, victim_pid, work())
    await admin.execute("SELECT pg_advisory_unlock(7)")

    assert isinstance(error, OutcomeUnknown)
    assert "COMMIT" in str(error)
    # Here the server had not committed yet; in general nothing tells, hence the error type.
    assert await _count(database_url, "users") == 0
    async with context.uow() as uow:
        await uow.users.save(_user("bob"))
    assert await _count(database_url, "users") == 1


async def test_idle_pooled_connections_terminated_by_the_server_are_replaced(
    database_url: str, admin: asyncpg.Connection
) -> None:
    async with create_persistence_context(database_url, min_size=3, max_size=3) as context:
        killed = {
            row["pid"]
            for row in await admin.fetch(
                "SELECT pid, pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = current_database() AND application_name = 'boursa_db'"
            )
        }
        assert len(killed) == 3

        served = set()
        for name in ("ada", "bob", "cyd", "dan"):
            async with context.uow() as uow:
                served.add(uow.connection.get_server_pid())
                await uow.users.save(_user(name))
        assert await context.users.find_by_email("ada@example.com") is not None

    assert await _count(database_url, "users") == 4
    assert not served & killed


async def test_a_schema_change_under_a_prepared_statement_is_a_conflict_a_retry_survives(
    database_url: str, admin: asyncpg.Connection
) -> None:
    """A migration changed a column's type after the pooled connection prepared a query that
    returns it: inside a transaction asyncpg cannot re-prepare on its own."""
    attempts = 0

    async def find(uow: UnitOfWork) -> User | None:
        nonlocal attempts
        attempts += 1
        return await uow.users.find_by_email("ada@example.com")

    async with create_persistence_context(database_url, min_size=1, max_size=1) as context:
        assert await run_with_retry(context, find) is None
        await admin.execute("ALTER TABLE users ALTER COLUMN first_name TYPE varchar(100)")
        assert await run_with_retry(context, find, first_delay=0.001) is None
        assert attempts == 3

        await admin.execute("ALTER TABLE users ALTER COLUMN first_name TYPE text")
        with pytest.raises(ConcurrencyConflict, match="schema changed"):
            async with context.uow() as uow:
                await uow.users.find_by_email("ada@example.com")


# --- cancellation and a full pool ------------------------------------------------------------


async def test_a_unit_of_work_cancelled_while_it_waits_commits_nothing_and_frees_its_connection(
    context: PersistenceContext, admin: asyncpg.Connection, database_url: str
) -> None:
    portfolio = await _saved_portfolio(context)
    victim_pid: asyncio.Future[int] = asyncio.get_running_loop().create_future()

    async def work() -> None:
        async with context.uow() as uow:
            victim_pid.set_result(uow.connection.get_server_pid())
            await uow.users.save(_user("bob"))
            portfolio.cash_balance = Decimal("1")
            await uow.portfolios.save(portfolio)

    async with admin.transaction():
        await admin.execute("SELECT 1 FROM portfolios WHERE id = $1 FOR UPDATE", portfolio.id)
        task = asyncio.ensure_future(work())
        await _wait_until_blocked(admin, await victim_pid)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task

    assert await _count(database_url, "users") == 1
    async with context.uow() as uow:
        assert (await uow.portfolios.get_by_id(portfolio.id)).version == 1
    assert context.pool.get_idle_size() == context.pool.get_size()


async def test_an_exhausted_pool_loses_no_connection(database_url: str) -> None:
    async with create_persistence_context(
        database_url, min_size=1, max_size=1, acquire_timeout=0.1
    ) as context:
        async with context.uow() as uow:
            for _ in range(3):
                with pytest.raises(PoolExhausted):
                    async with context.uow():
                        pass
            await uow.users.save(_user("ada"))
        async with context.uow() as uow:
            await uow.users.save(_user("bob"))
        assert context.pool.get_idle_size() == context.pool.get_size() == 1
    assert await _count(database_url, "users") == 2


# --- server restarts, on a server of this module ---------------------------------------------


@pytest.fixture(scope="module")
def private_server() -> Iterator[tuple[EmbeddedPostgres, str]]:
    """A throwaway server that tests may stop and restart, with a migrated template."""
    with start_embedded_postgres() as server:
        template = "faults_template"
        asyncio.run(create_database(server.url, template))
        apply_migrations(server.url_for(template))
        yield server, template


@pytest.fixture
async def restartable(
    private_server: tuple[EmbeddedPostgres, str],
) -> AsyncIterator[tuple[EmbeddedPostgres, str]]:
    """The private server (running) and the URL of a fresh migrated database on it."""
    server, template = private_server
    if server.process.poll() is not None:
        server.start()
    name = unique_name("restart")
    await create_database(server.url, name, template=template)
    try:
        yield server, server.url_for(name)
    finally:
        if server.process.poll() is not None:
            server.start()
        await drop_database(server.url, name)


async def test_the_pool_recovers_after_a_server_restart(
    restartable: tuple[EmbeddedPostgres, str],
) -> None:
    server, url = restartable
    async with create_persistence_context(url, min_size=3, max_size=3) as context:
        async with context.uow() as uow:
            await uow.users.save(_user("ada"))

        server.restart()

        for name in ("bob", "cyd", "dan", "eve"):
            async with context.uow() as uow:
                assert await uow.users.find_by_email("ada@example.com") is not None
                await uow.users.save(_user(name))
        assert await context.users.count() == 5


async def test_a_stopped_server_is_unavailable_at_once_and_usable_again_after_its_start(
    restartable: tuple[EmbeddedPostgres, str],
) -> None:
    server, url = restartable
    async with create_persistence_context(url, min_size=1, max_size=2) as context:
        server.stop()

        with pytest.raises(DatabaseUnavailable):
            async with context.uow() as uow:
                await uow.users.save(_user("ada"))
        with pytest.raises(DatabaseUnavailable):
            await context.users.find_by_email("ada@example.com")

        server.start()

        async with context.uow() as uow:
            await uow.users.save(_user("bob"))
        assert [user.username for user in await context.users.list()] == ["bob"]


async def test_a_restart_in_the_middle_of_a_unit_of_work_commits_nothing(
    restartable: tuple[EmbeddedPostgres, str],
) -> None:
    server, url = restartable
    async with create_persistence_context(url, min_size=1, max_size=1) as context:
        with pytest.raises(DatabaseUnavailable):
            async with context.uow() as uow:
                await uow.users.save(_user("ada"))
                server.restart()
                await uow.users.save(_user("bob"))

        async with context.uow() as uow:
            assert await uow.users.count() == 0
