"""Misuse is named as misuse: UsageError, never the retryable DatabaseUnavailable."""

from __future__ import annotations

import asyncio

import pytest

from boursa_db.context import (
    PersistenceContext,
    create_persistence_context,
    current_context,
    get_uow,
    get_user_repository,
)
from boursa_db.domain.users import User
from boursa_db.errors import ConfigurationError, DatabaseUnavailable, UsageError
from boursa_db.retry import run_with_retry
from boursa_db.unit_of_work import UnitOfWork


def _user(username: str) -> User:
    return User(email=f"{username}@example.com", username=username, password_hash="argon2id$h")


async def test_two_tasks_calling_one_unit_of_work_at_once_get_a_usage_error(
    context: PersistenceContext,
) -> None:
    async with context.uow() as uow:
        results = await asyncio.gather(
            uow.users.find_by_email("ada@example.com"),
            uow.users.find_by_email("bob@example.com"),
            return_exceptions=True,
        )
        assert results[0] is None
        assert isinstance(results[1], UsageError)
        assert "one task at a time" in str(results[1])
        # The unit of work is still good for its own task.
        assert await uow.users.find_by_email("ada@example.com") is None


async def test_two_tasks_on_the_raw_connection_of_a_unit_of_work_get_a_usage_error(
    context: PersistenceContext,
) -> None:
    with pytest.raises(UsageError, match="another operation is in progress"):
        async with context.uow() as uow:
            slow, clashing = await asyncio.gather(
                uow.connection.fetchval("SELECT pg_sleep(0.05)"),
                uow.connection.fetchval("SELECT 1"),
                return_exceptions=True,
            )
            assert slow is None
            assert isinstance(clashing, BaseException)
            raise clashing  # asyncpg's error, as it leaves the unit of work

    async with context.uow() as uow:  # the pool is healthy
        assert await uow.connection.fetchval("SELECT 1") == 1


async def test_a_unit_of_work_used_after_it_ended_is_refused(
    context: PersistenceContext,
) -> None:
    async with context.uow() as uow:
        users = uow.users

    with pytest.raises(UsageError):
        _ = uow.users
    with pytest.raises(UsageError):
        _ = uow.connection
    with pytest.raises(UsageError):
        await uow.commit()
    with pytest.raises(UsageError, match="unit of work has ended"):
        await users.find_by_email("ada@example.com")
    with pytest.raises(UsageError):
        await users.save(_user("ada"))


async def test_a_unit_of_work_is_entered_once(context: PersistenceContext) -> None:
    uow = context.uow()
    async with uow:
        pass

    with pytest.raises(UsageError, match="entered once"):
        async with uow:
            pass


async def test_a_closed_context_is_refused_as_misuse(database_url: str) -> None:
    async with create_persistence_context(database_url, min_size=1, max_size=2) as context:
        users = context.users

    with pytest.raises(UsageError, match="context is closed"):
        async with context.uow():
            pass
    with pytest.raises(UsageError, match="context is closed"):
        await context.users.find_by_email("ada@example.com")
    with pytest.raises(UsageError, match="context is closed"):
        await users.find_by_email("ada@example.com")


async def test_usage_errors_are_not_retried(context: PersistenceContext) -> None:
    calls = 0
    kept: list[UnitOfWork] = []

    async def misuse(uow: UnitOfWork) -> None:
        nonlocal calls
        calls += 1
        if kept:  # a unit of work kept from an earlier call
            await kept[0].users.find_by_email("ada@example.com")
        kept.append(uow)

    await run_with_retry(context, misuse)
    with pytest.raises(UsageError):
        await run_with_retry(context, misuse, attempts=3)

    assert calls == 2
    assert not issubclass(UsageError, DatabaseUnavailable)


async def test_get_uow_follows_the_context_of_the_current_task(database_url: str) -> None:
    both_open = asyncio.Barrier(2)
    done = asyncio.Barrier(2)

    async def work(name: str) -> tuple[PersistenceContext, PersistenceContext, str]:
        async with create_persistence_context(
            database_url, min_size=1, max_size=1, application_name=name
        ) as own:
            await both_open.wait()
            async with get_uow() as uow:
                seen = await uow.connection.fetchval("SELECT current_setting('application_name')")
            found = current_context()
            await done.wait()
        return own, found, seen

    (first, first_found, first_seen), (second, second_found, second_seen) = await asyncio.gather(
        work("first"), work("second")
    )

    assert first_found is first
    assert second_found is second
    assert (first_seen, second_seen) == ("first", "second")


async def test_tasks_started_inside_a_context_inherit_it(database_url: str) -> None:
    async with create_persistence_context(database_url, min_size=1, max_size=2) as context:
        inherited = await asyncio.create_task(_current())
        assert inherited is context


async def test_a_task_without_a_context_uses_the_only_open_one(database_url: str) -> None:
    opened = asyncio.Event()
    release = asyncio.Event()
    contexts: list[PersistenceContext] = []

    async def lifespan() -> None:
        async with create_persistence_context(database_url, min_size=1, max_size=2) as context:
            contexts.append(context)
            opened.set()
            await release.wait()

    # Started before the context exists, like a web server's request handler.
    async def handler() -> bool:
        await opened.wait()
        return await get_user_repository().find_by_email("ada@example.com") is None

    owner = asyncio.create_task(lifespan())
    try:
        assert await asyncio.wait_for(handler(), timeout=30)
    finally:
        release.set()
        await asyncio.wait_for(owner, timeout=30)


async def test_with_several_open_a_task_without_a_context_must_choose(database_url: str) -> None:
    opened = asyncio.Barrier(3)
    release = asyncio.Event()

    async def lifespan() -> None:
        async with create_persistence_context(database_url, min_size=1, max_size=1):
            await opened.wait()
            await release.wait()

    owners = [asyncio.create_task(lifespan()) for _ in range(2)]
    try:
        await asyncio.wait_for(opened.wait(), timeout=30)
        with pytest.raises(ConfigurationError, match="2 persistence contexts are open"):
            current_context()
    finally:
        release.set()
        await asyncio.wait_for(asyncio.gather(*owners), timeout=30)


async def _current() -> PersistenceContext:
    return current_context()
