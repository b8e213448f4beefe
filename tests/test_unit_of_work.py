"""A Unit of Work is one transaction on one pooled connection: commit, rollback, savepoints."""

from __future__ import annotations

import asyncpg
import pytest

from boursa_db.context import PersistenceContext
from boursa_db.errors import (
    DatabaseError,
    Duplicate,
    TransactionAborted,
    UsageError,
    ValidationError,
)
from tests.test_market_data import START, minute_bars

INSERT_USER = (
    "INSERT INTO users (email, username, password_hash) VALUES ($1, $2, 'argon2id$h') RETURNING id"
)


class Boom(Exception):
    pass


async def _usernames(database_url: str) -> list[str]:
    connection = await asyncpg.connect(database_url)
    try:
        rows = await connection.fetch("SELECT username FROM users ORDER BY username")
    finally:
        await connection.close()
    return [row["username"] for row in rows]


async def test_leaving_the_block_commits(context: PersistenceContext, database_url: str) -> None:
    async with context.uow() as uow:
        await uow.connection.execute(INSERT_USER, "ada@example.com", "ada")
        assert await _usernames(database_url) == []  # not visible before the commit

    assert await _usernames(database_url) == ["ada"]


async def test_an_exception_rolls_everything_back(
    context: PersistenceContext, database_url: str
) -> None:
    with pytest.raises(Boom):
        async with context.uow() as uow:
            await uow.connection.execute(INSERT_USER, "ada@example.com", "ada")
            await uow.connection.execute(INSERT_USER, "bob@example.com", "bob")
            raise Boom

    assert await _usernames(database_url) == []


async def test_a_failed_savepoint_is_rolled_back_while_the_outer_work_commits(
    context: PersistenceContext, database_url: str
) -> None:
    async with context.uow() as uow:
        await uow.connection.execute(INSERT_USER, "ada@example.com", "ada")
        with pytest.raises(Duplicate):
            async with uow.savepoint():
                await uow.connection.execute(INSERT_USER, "bob@example.com", "bob")
                await uow.connection.execute(INSERT_USER, "ADA@example.com", "ada2")
        await uow.connection.execute(INSERT_USER, "cyd@example.com", "cyd")

    assert await _usernames(database_url) == ["ada", "cyd"]


async def test_a_savepoint_that_succeeds_is_kept(
    context: PersistenceContext, database_url: str
) -> None:
    async with context.uow() as uow, uow.savepoint():
        await uow.connection.execute(INSERT_USER, "ada@example.com", "ada")

    assert await _usernames(database_url) == ["ada"]


async def test_explicit_commit_keeps_work_even_if_later_work_fails(
    context: PersistenceContext, database_url: str
) -> None:
    with pytest.raises(Boom):
        async with context.uow() as uow:
            await uow.connection.execute(INSERT_USER, "ada@example.com", "ada")
            await uow.commit()
            await uow.connection.execute(INSERT_USER, "bob@example.com", "bob")
            raise Boom

    assert await _usernames(database_url) == ["ada"]


async def test_explicit_rollback_discards_and_continues(
    context: PersistenceContext, database_url: str
) -> None:
    async with context.uow() as uow:
        await uow.connection.execute(INSERT_USER, "ada@example.com", "ada")
        await uow.rollback()
        await uow.connection.execute(INSERT_USER, "bob@example.com", "bob")

    assert await _usernames(database_url) == ["bob"]


async def test_a_database_error_surfaces_as_a_library_error_and_rolls_back(
    context: PersistenceContext, database_url: str
) -> None:
    with pytest.raises(Duplicate) as raised:
        async with context.uow() as uow:
            await uow.users.save(_user("ada"))
            await uow.users.save(_user("ada", email="ADA@example.com"))

    assert raised.value.constraint == "users_email_key"
    assert isinstance(raised.value.__cause__, asyncpg.UniqueViolationError)
    assert await _usernames(database_url) == []


async def test_repositories_outside_the_block_are_refused(context: PersistenceContext) -> None:
    uow = context.uow()
    with pytest.raises(UsageError, match="not open"):
        _ = uow.users


async def test_a_caught_error_makes_leaving_the_block_raise_and_nothing_is_committed(
    context: PersistenceContext, database_url: str
) -> None:
    with pytest.raises(TransactionAborted) as raised:
        async with context.uow() as uow:
            await uow.users.save(_user("ada"))
            with pytest.raises(Duplicate):
                await uow.users.save(_user("ada2", email="ADA@example.com"))

    assert isinstance(raised.value.__cause__, Duplicate)
    assert "Duplicate" in str(raised.value)
    assert "savepoint" in str(raised.value)
    assert await _usernames(database_url) == []


async def test_an_explicit_commit_after_a_caught_error_raises_and_ends_the_unit_of_work(
    context: PersistenceContext, database_url: str
) -> None:
    async with context.uow() as uow:
        await uow.users.save(_user("ada"))
        with pytest.raises(Duplicate):
            await uow.users.save(_user("ada2", email="ADA@example.com"))

        with pytest.raises(TransactionAborted):
            await uow.commit()

        with pytest.raises(UsageError):
            await uow.users.save(_user("bob"))
        with pytest.raises(UsageError):
            _ = uow.connection

    assert await _usernames(database_url) == []


async def test_the_commit_reply_is_checked_when_the_callers_own_sql_failed(
    context: PersistenceContext, database_url: str
) -> None:
    """Nothing records the failure of raw SQL: PostgreSQL's answer to COMMIT is what tells."""
    with pytest.raises(TransactionAborted, match="a statement in it failed"):
        async with context.uow() as uow:
            await uow.connection.execute(INSERT_USER, "ada@example.com", "ada")
            with pytest.raises(asyncpg.UniqueViolationError):
                await uow.connection.execute(INSERT_USER, "ADA@example.com", "ada2")

    assert await _usernames(database_url) == []


async def test_statements_after_a_caught_error_fail_and_the_first_error_is_named(
    context: PersistenceContext, database_url: str
) -> None:
    with pytest.raises(TransactionAborted) as raised:
        async with context.uow() as uow:
            await uow.users.save(_user("ada"))
            with pytest.raises(Duplicate):
                await uow.users.save(_user("ada2", email="ADA@example.com"))
            with pytest.raises(DatabaseError):  # "current transaction is aborted"
                await uow.users.save(_user("bob"))

    assert isinstance(raised.value.__cause__, Duplicate)
    assert await _usernames(database_url) == []


async def test_an_error_caught_around_a_savepoint_leaves_the_rest_committable(
    context: PersistenceContext, database_url: str
) -> None:
    async with context.uow() as uow:
        await uow.users.save(_user("ada"))
        with pytest.raises(Duplicate):
            async with uow.savepoint():
                await uow.users.save(_user("ada2", email="ADA@example.com"))
        await uow.users.save(_user("bob"))

    assert await _usernames(database_url) == ["ada", "bob"]


async def test_a_refused_copy_batch_caught_by_the_caller_keeps_the_rest_of_the_unit(
    context: PersistenceContext, database_url: str
) -> None:
    """A COPY batch runs in a savepoint of its own: its failure does not abort the unit."""
    bars = minute_bars("AAPL", START, 3)
    async with context.uow() as uow:
        await uow.users.save(_user("ada"))
        await uow.market_data.copy(bars)
        with pytest.raises(Duplicate):
            await uow.market_data.copy(bars)

    assert await _usernames(database_url) == ["ada"]
    connection = await asyncpg.connect(database_url)
    try:
        assert await connection.fetchval("SELECT count(*) FROM market_data") == 3
    finally:
        await connection.close()


async def test_an_error_the_domain_raises_before_any_sql_does_not_abort_the_unit(
    context: PersistenceContext, database_url: str
) -> None:
    async with context.uow() as uow:
        await uow.users.save(_user("ada"))
        with pytest.raises(ValidationError):
            await uow.users.save(_user("bad", email="not an e-mail"))

    assert await _usernames(database_url) == ["ada"]


async def test_the_connection_returns_to_the_pool_after_the_block(
    context: PersistenceContext,
) -> None:
    for _ in range(context.settings.max_size * 3):
        async with context.uow() as uow:
            await uow.connection.fetchval("SELECT 1")
    assert context.pool.get_idle_size() == context.pool.get_size()


def _user(username: str, *, email: str | None = None) -> object:
    from boursa_db.domain.users import User

    return User(
        email=email or f"{username}@example.com", username=username, password_hash="argon2id$h"
    )
