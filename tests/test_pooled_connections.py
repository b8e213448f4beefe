"""A pooled connection comes back to the next user as if new: no temporary table outlives its user.

PostgreSQL resolves an unqualified table name in the session's temporary schema first, so a
temporary table named like a real one, left on a pooled connection, would take the writes of
every later unit of work on that connection.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import asyncpg
import pytest

from boursa_db.context import PersistenceContext, create_persistence_context
from boursa_db.domain.users import User
from tests.test_market_data import START, minute_bars


@pytest.fixture
async def one_connection(database_url: str) -> AsyncIterator[PersistenceContext]:
    """A context whose pool holds a single connection, so every unit of work reuses it."""
    async with create_persistence_context(database_url, min_size=1, max_size=1) as context:
        yield context


async def _count(database_url: str, table: str) -> int:
    connection = await asyncpg.connect(database_url)
    try:
        return int(await connection.fetchval(f"SELECT count(*) FROM public.{table}"))
    finally:
        await connection.close()


@pytest.mark.parametrize("table", ["users", "market_data"])
async def test_a_temporary_table_named_like_a_real_one_does_not_outlive_its_unit_of_work(
    one_connection: PersistenceContext, database_url: str, table: str
) -> None:
    async with one_connection.uow() as uow:
        await uow.connection.execute(
            f"CREATE TEMPORARY TABLE {table} (LIKE public.{table} INCLUDING ALL)"
        )
        backend = await uow.connection.fetchval("SELECT pg_backend_pid()")

    async with one_connection.uow() as uow:
        assert await uow.connection.fetchval("SELECT pg_backend_pid()") == backend
        await uow.users.save(
            User(email="ada@example.com", username="ada", password_hash="argon2id$h")
        )
        await uow.market_data.copy(minute_bars("AAPL", START, 3))

    assert await _count(database_url, "users") == 1
    assert await _count(database_url, "market_data") == 3


async def test_a_temporary_table_left_by_a_call_outside_a_unit_of_work_is_dropped_too(
    one_connection: PersistenceContext, database_url: str
) -> None:
    async with one_connection.session.connection() as connection:
        await connection.execute("CREATE TEMPORARY TABLE users (LIKE public.users INCLUDING ALL)")

    await one_connection.users.save(
        User(email="ada@example.com", username="ada", password_hash="argon2id$h")
    )

    assert await _count(database_url, "users") == 1


async def test_a_temporary_table_left_by_a_callers_own_read_is_dropped_too(
    one_connection: PersistenceContext, database_url: str
) -> None:
    async def leave_a_temporary_users_table(connection: asyncpg.Connection) -> object:
        return await connection.execute(
            "CREATE TEMPORARY TABLE users (LIKE public.users INCLUDING ALL)"
        )

    await one_connection.session.read(leave_a_temporary_users_table)
    await one_connection.users.save(
        User(email="ada@example.com", username="ada", password_hash="argon2id$h")
    )

    assert await _count(database_url, "users") == 1
