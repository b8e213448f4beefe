"""A Unit of Work is one transaction on one pooled connection: commit, rollback, savepoints."""

from __future__ import annotations

import asyncpg
import pytest

from boursa_db.context import PersistenceContext
from boursa_db.errors import BoursaDbError, Duplicate

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
    with pytest.raises(BoursaDbError, match="not open"):
        _ = uow.users


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
