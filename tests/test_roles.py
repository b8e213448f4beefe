"""Least privilege: what boursa_owner, boursa_app and boursa_readonly can and cannot do.

Each test logs in with roles of its own that are members of one group role (the ``login_as``
fixture), over the same URL as the other tests with another user, and uses the library as an
application would.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import asyncpg
import pytest

from boursa_db.context import PersistenceContext, create_persistence_context
from boursa_db.domain.portfolios import Portfolio, Transaction, TransactionType
from boursa_db.domain.users import User
from boursa_db.embedded import start_embedded_postgres
from boursa_db.errors import PermissionDenied
from boursa_db.migrations import apply_migrations, rollback_migrations
from boursa_db.repositories.copying import ConflictMode
from tests.conftest import LoginFactory
from tests.support import create_database, unique_name, url_with_database
from tests.test_market_data import START, minute_bars

GROUP_ROLES = ("boursa_owner", "boursa_app", "boursa_readonly")


@pytest.fixture
async def app(login_as: LoginFactory) -> AsyncIterator[PersistenceContext]:
    async with create_persistence_context(
        await login_as("boursa_app"), min_size=1, max_size=2
    ) as context:
        yield context


@pytest.fixture
async def readonly(login_as: LoginFactory) -> AsyncIterator[PersistenceContext]:
    async with create_persistence_context(
        await login_as("boursa_readonly"), min_size=1, max_size=2
    ) as context:
        yield context


async def _user_with_a_trade(context: PersistenceContext) -> tuple[User, Portfolio]:
    async with context.uow() as uow:
        user = await uow.users.save(
            User(email="ada@example.com", username="ada", password_hash="argon2id$h")
        )
        portfolio = await uow.portfolios.save(
            Portfolio(user_id=user.id, name="Main", cash_balance=Decimal("1000"))
        )
        await uow.transactions.add(
            Transaction(
                portfolio_id=portfolio.id,
                transaction_type=TransactionType.DEPOSIT,
                amount=Decimal("1000"),
                executed_at=START,
            )
        )
    return user, portfolio


# --- the application role ---------------------------------------------------------------------


async def test_the_application_role_reads_and_writes_through_every_kind_of_call(
    app: PersistenceContext,
) -> None:
    user, portfolio = await _user_with_a_trade(app)
    async with app.uow() as uow:
        portfolio.cash_balance = Decimal("900")
        await uow.portfolios.save(portfolio)
        assert await uow.market_data.copy(minute_bars("AAPL", START, 10)) == 10
        assert (
            await uow.market_data.copy(
                minute_bars("AAPL", START, 20), on_conflict=ConflictMode.SKIP
            )
            == 10
        )
        assert len(await uow.audit.list_for_row("users", {"id": str(user.id)})) == 1
        assert await uow.summaries.daily_summaries(["AAPL"], START.date(), START.date())

    assert (await app.portfolios.get_by_id(portfolio.id)).cash_balance == Decimal("900")
    async with app.uow() as uow:
        assert await uow.users.delete(user.id)
    assert await app.users.count() == 0


@pytest.mark.parametrize(
    "statement",
    [
        "CREATE TABLE intruder (id int)",
        "ALTER TABLE users ADD COLUMN note text",
        "DROP TABLE alerts",
        "TRUNCATE market_data",
        "CREATE INDEX users_phone_idx ON users (phone)",
        "CREATE FUNCTION intruder() RETURNS int LANGUAGE sql AS 'SELECT 1'",
        "ALTER TABLE portfolios DISABLE TRIGGER portfolios_audit",
        "ALTER TABLE users OWNER TO CURRENT_USER",
        "CREATE SCHEMA intruder",
        "INSERT INTO audit_log (table_name, row_key, action, new_values) "
        "VALUES ('users', '{}', 'insert', '{}')",
        "UPDATE audit_log SET app_user = 'someone else'",
        "DELETE FROM audit_log",
        "UPDATE time_series_retention SET drop_after = '100 years'",
    ],
    ids=[
        "create-table",
        "alter-table",
        "drop-table",
        "truncate",
        "create-index",
        "create-function",
        "disable-audit-trigger",
        "take-ownership",
        "create-schema",
        "insert-audit",
        "update-audit",
        "delete-audit",
        "change-retention",
    ],
)
async def test_the_application_role_cannot_change_the_schema_or_the_audit_trail(
    app: PersistenceContext, database_url: str, statement: str
) -> None:
    await _user_with_a_trade(app)
    before = await _fingerprint(database_url)

    with pytest.raises(PermissionDenied):
        async with app.uow() as uow:
            await uow.connection.execute(statement)

    assert await _fingerprint(database_url) == before


async def _fingerprint(database_url: str) -> tuple[object, ...]:
    """The tables, columns, triggers and audit rows of the database, to prove nothing moved."""
    connection = await asyncpg.connect(database_url)
    try:
        return tuple(
            await connection.fetchrow(
                """
                SELECT (SELECT count(*) FROM pg_class
                        WHERE relnamespace = 'public'::regnamespace) AS relations,
                       (SELECT count(*) FROM pg_attribute
                        WHERE attrelid = 'users'::regclass AND attnum > 0) AS user_columns,
                       (SELECT count(*) FROM pg_trigger
                        WHERE tgenabled = 'O' AND NOT tgisinternal) AS enabled_triggers,
                       (SELECT count(*) FROM pg_proc
                        WHERE pronamespace = 'public'::regnamespace) AS functions,
                       (SELECT array_agg(relacl::text ORDER BY relname) FROM pg_class
                        WHERE relnamespace = 'public'::regnamespace) AS grants,
                       (SELECT count(*) FROM audit_log) AS audit_rows,
                       (SELECT string_agg(app_user, ',') FROM audit_log) AS audit_users,
                       (SELECT count(*) FROM market_data) AS bars
                """
            )
        )
    finally:
        await connection.close()


# --- the read-only role -----------------------------------------------------------------------


async def test_the_read_only_role_reads_everything_but_the_secrets_and_writes_nothing(
    app: PersistenceContext, readonly: PersistenceContext, database_url: str
) -> None:
    user, portfolio = await _user_with_a_trade(app)
    async with app.uow() as uow:
        await uow.market_data.copy(minute_bars("AAPL", START, 10))

    async with readonly.uow() as uow:
        assert (
            await uow.connection.fetchval(
                "SELECT username FROM users WHERE email = $1", "ada@example.com"
            )
            == user.username
        )
    assert (await readonly.portfolios.valuation(portfolio.id)).cash_balance == Decimal("1000")
    assert (await readonly.market_data.find_latest_prices(["AAPL"]))["AAPL"].time == (
        START + timedelta(minutes=9)
    )
    assert len(await readonly.summaries.daily_summaries(["AAPL"], START.date(), START.date())) == 1
    async with readonly.uow() as uow:
        assert len(await uow.audit.list_recent(START - timedelta(days=365 * 10))) == 3
        assert len(await uow.transactions.list_for_portfolio(portfolio.id)) == 1

    before = await _fingerprint(database_url)
    writes: list[Callable[[PersistenceContext], Awaitable[object]]] = [
        lambda ctx: ctx.users.save(
            User(email="bob@example.com", username="bob", password_hash="h")
        ),
        lambda ctx: ctx.portfolios.delete(portfolio.id),
        lambda ctx: ctx.market_data.save(minute_bars("AAPL", START, 1, close=5.0)[0]),
        lambda ctx: _in_uow(ctx, "TRUNCATE users CASCADE"),
        lambda ctx: _in_uow(ctx, "UPDATE users SET role = 'admin'"),
        lambda ctx: _in_uow(ctx, "CREATE TABLE intruder (id int)"),
    ]
    for write in writes:
        with pytest.raises(PermissionDenied):
            await write(readonly)
    assert await _fingerprint(database_url) == before


async def _in_uow(context: PersistenceContext, statement: str) -> None:
    async with context.uow() as uow:
        await uow.connection.execute(statement)


# --- the owner and the default privileges ----------------------------------------------------


async def test_tables_the_owner_creates_later_follow_the_same_privileges(
    login_as: LoginFactory,
) -> None:
    """A future migration: run by a login that acts as boursa_owner, it creates a table; the
    default privileges give the application CRUD and the read-only role SELECT on it."""
    owner = await asyncpg.connect(await login_as("boursa_owner"))
    app = await asyncpg.connect(await login_as("boursa_app"))
    reader = await asyncpg.connect(await login_as("boursa_readonly"))
    try:
        assert await owner.fetchval("SELECT current_user") == "boursa_owner"
        await owner.execute(
            "CREATE TABLE watchlists (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, "
            "name text NOT NULL)"
        )
        await owner.execute("ALTER TABLE users ADD COLUMN nickname text")
        await owner.execute("CREATE SEQUENCE watchlist_numbers")

        await app.execute("INSERT INTO watchlists (name) VALUES ('tech'), ('banks')")
        await app.execute("UPDATE watchlists SET name = 'fintech' WHERE name = 'banks'")
        await app.execute("DELETE FROM watchlists WHERE name = 'tech'")
        assert await app.fetchval("SELECT nextval('watchlist_numbers')") == 1
        assert await reader.fetchval("SELECT name FROM watchlists") == "fintech"
        with pytest.raises(asyncpg.InsufficientPrivilegeError):
            await app.execute("TRUNCATE watchlists")
        with pytest.raises(asyncpg.InsufficientPrivilegeError):
            await reader.execute("INSERT INTO watchlists (name) VALUES ('x')")
        with pytest.raises(asyncpg.InsufficientPrivilegeError):
            await app.execute("DROP TABLE watchlists")
    finally:
        for connection in (owner, app, reader):
            await connection.close()


async def test_a_migrator_acting_as_the_owner_rolls_back_and_applies_migrations(
    login_as: LoginFactory, database_url: str
) -> None:
    migrator = await login_as("boursa_owner")

    undone = await asyncio.to_thread(rollback_migrations, migrator, count=1)
    redone = await asyncio.to_thread(apply_migrations, migrator)

    assert undone == redone
    connection = await asyncpg.connect(database_url)
    try:
        owners = await connection.fetch(
            "SELECT DISTINCT pg_get_userbyid(relowner) AS owner FROM pg_class "
            "WHERE relnamespace = 'public'::regnamespace AND relkind IN ('r', 'p', 'v', 'm')"
        )
    finally:
        await connection.close()
    assert [row["owner"] for row in owners] == ["boursa_owner"]


@pytest.mark.timescaledb
async def test_the_read_only_role_reads_compressed_chunks_and_continuous_aggregates(
    app: PersistenceContext, readonly: PersistenceContext, database_url: str
) -> None:
    old = datetime(2025, 1, 6, 14, 30, tzinfo=UTC)
    async with app.uow() as uow:
        await uow.market_data.copy(minute_bars("AAPL", old, 60))
    admin = await asyncpg.connect(database_url)
    try:
        compressed = await admin.fetchval(
            "SELECT count(compress_chunk(chunk)) FROM show_chunks('market_data', "
            "older_than => now() - interval '30 days') AS chunk"
        )
        await admin.execute("CALL refresh_continuous_aggregate('daily_market_summary', NULL, NULL)")
    finally:
        await admin.close()

    bars = await readonly.market_data.find_by_symbol_and_timerange(
        "AAPL", old, old + timedelta(hours=1)
    )
    days = await readonly.summaries.daily_summaries(["AAPL"], date(2025, 1, 6), date(2025, 1, 6))

    assert compressed == 1
    assert len(bars) == 60
    assert [day.bar_count for day in days] == [60]


# --- the roles are server-wide ----------------------------------------------------------------


async def test_rolling_back_one_database_leaves_the_roles_to_the_others(
    empty_database_url: str, database_url: str
) -> None:
    await asyncio.to_thread(apply_migrations, empty_database_url)

    await asyncio.to_thread(rollback_migrations, empty_database_url)

    assert await _roles(database_url) == set(GROUP_ROLES)
    assert await _references_to_the_roles(empty_database_url) == 0
    assert await _references_to_the_roles(database_url) > 0


@pytest.fixture(scope="module")
def lone_server() -> Iterator[str]:
    """A server of its own, where no other database uses the roles."""
    with start_embedded_postgres() as server:
        yield server.url


async def test_the_roles_are_created_once_and_dropped_with_the_last_database(
    lone_server: str,
) -> None:
    names = [unique_name("roles_a"), unique_name("roles_b")]
    urls = [url_with_database(lone_server, name) for name in names]
    for name in names:
        await create_database(lone_server, name)

    await asyncio.gather(*(asyncio.to_thread(apply_migrations, url) for url in urls))
    assert await _roles(lone_server) == set(GROUP_ROLES)

    await asyncio.to_thread(rollback_migrations, urls[0])
    assert await _roles(lone_server) == set(GROUP_ROLES)

    await asyncio.to_thread(rollback_migrations, urls[1])
    assert await _roles(lone_server) == set()


async def _roles(url: str) -> set[str]:
    connection = await asyncpg.connect(url)
    try:
        rows = await connection.fetch(
            "SELECT rolname FROM pg_roles WHERE rolname = ANY($1::text[])", list(GROUP_ROLES)
        )
    finally:
        await connection.close()
    return {row["rolname"] for row in rows}


async def _references_to_the_roles(url: str) -> int:
    """Objects, grants and default privileges of this database that name one of the roles."""
    connection = await asyncpg.connect(url)
    try:
        return int(
            await connection.fetchval(
                """
                SELECT count(*) FROM pg_shdepend
                WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
                  AND refclassid = 'pg_authid'::regclass
                  AND refobjid IN (SELECT oid FROM pg_roles WHERE rolname = ANY($1::text[]))
                """,
                list(GROUP_ROLES),
            )
        )
    finally:
        await connection.close()
