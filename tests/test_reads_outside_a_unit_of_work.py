"""Reads outside a unit of work cost one round trip: no BEGIN/COMMIT around a lone statement."""

from __future__ import annotations

from collections.abc import AsyncIterator

import asyncpg
import pytest

from boursa_db.context import PersistenceContext, create_persistence_context
from boursa_db.domain.portfolios import Portfolio
from boursa_db.domain.users import User


@pytest.fixture
async def one_connection(database_url: str) -> AsyncIterator[PersistenceContext]:
    async with create_persistence_context(database_url, min_size=1, max_size=1) as context:
        yield context


async def _statements_of(context: PersistenceContext) -> list[str]:
    """The statements the pool's one connection runs from now on (asyncpg's query logger)."""
    statements: list[str] = []
    async with context.pool.acquire() as connection:
        connection.add_query_logger(lambda logged: statements.append(logged.query))
    statements.clear()  # the reset of this very release
    return statements


def _user(name: str) -> User:
    return User(email=f"{name}@example.com", username=name, password_hash="argon2id$h")


async def test_a_one_statement_read_runs_without_a_transaction(
    one_connection: PersistenceContext,
) -> None:
    statements = await _statements_of(one_connection)

    assert await one_connection.users.find_by_email("ada@example.com") is None

    assert len(statements) == 1
    assert "FROM users" in statements[0]


async def test_a_read_of_the_library_returns_its_connection_without_the_reset_round_trip(
    one_connection: PersistenceContext,
) -> None:
    # The library's statements leave no session state behind, so the pool's reset
    # (RESET ALL, UNLISTEN, CLOSE ALL, DISCARD TEMP) would only cost a second round trip.
    statements = await _statements_of(one_connection)

    await one_connection.market_data.find_latest_prices(["AAPL"])
    await one_connection.users.count()

    assert not [statement for statement in statements if "DISCARD TEMP" in statement]
    assert len(statements) == 2


async def test_a_callers_own_read_work_gets_the_reset_when_its_connection_returns(
    one_connection: PersistenceContext,
) -> None:
    statements = await _statements_of(one_connection)

    async def work(connection: asyncpg.Connection) -> object:
        return await connection.fetchval("SELECT 1")

    await one_connection.session.read(work)

    assert [statement for statement in statements if "DISCARD TEMP" in statement]


async def test_a_portfolio_with_its_positions_is_read_in_two_statements_and_no_transaction(
    one_connection: PersistenceContext,
) -> None:
    async with one_connection.uow() as uow:
        user = await uow.users.save(_user("ada"))
        saved = await uow.portfolios.save(Portfolio(user_id=user.id, name="Main"))
    await one_connection.portfolios.find_by_id(saved.id)  # asyncpg learns the types once
    statements = await _statements_of(one_connection)

    found = await one_connection.portfolios.find_by_id(saved.id)

    assert found == saved
    sent = [statement for statement in statements if "DISCARD TEMP" not in statement]
    assert len(sent) == 2
    assert not any(statement.lstrip().upper().startswith(("BEGIN", "COMMIT")) for statement in sent)


async def test_writes_outside_a_unit_of_work_still_run_in_a_transaction(
    one_connection: PersistenceContext,
) -> None:
    statements = await _statements_of(one_connection)

    await one_connection.users.save(_user("ada"))

    sent = [statement for statement in statements if "DISCARD TEMP" not in statement]
    assert sent[0].startswith("BEGIN")
    assert sent[-1] == "COMMIT"


async def test_a_read_on_a_pooled_connection_the_server_killed_runs_again_on_a_new_one(
    database_url: str,
) -> None:
    admin = await asyncpg.connect(database_url)
    try:
        async with create_persistence_context(database_url, min_size=2, max_size=2) as context:
            async with context.uow() as uow:
                await uow.users.save(_user("ada"))
            killed = await admin.fetchval(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                "WHERE datname = current_database() AND application_name = 'boursa_db'"
            )
            assert killed == 2

            found = await context.users.find_by_email("ada@example.com")

            assert found is not None
            assert found.username == "ada"
    finally:
        await admin.close()


async def test_a_read_in_a_unit_of_work_sees_the_units_own_writes(
    context: PersistenceContext,
) -> None:
    async with context.uow() as uow:
        await uow.users.save(_user("ada"))
        found = await uow.users.find_by_email("ada@example.com")

    assert found is not None
