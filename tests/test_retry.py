"""run_with_retry redoes a whole unit of work after a serialization failure."""

from __future__ import annotations

import asyncio

import pytest

from boursa_db.context import PersistenceContext
from boursa_db.errors import SerializationFailure
from boursa_db.retry import run_with_retry
from boursa_db.unit_of_work import UnitOfWork


async def _make_counter(context: PersistenceContext) -> None:
    async with context.uow() as uow:
        await uow.connection.execute(
            "INSERT INTO system_config (key, value) VALUES ('counter', '0'::jsonb)"
        )


async def _counter(context: PersistenceContext) -> int:
    async with context.uow() as uow:
        return int(await uow.connection.fetchval("SELECT (value)::int FROM system_config"))


async def test_a_serialization_failure_is_retried_until_it_succeeds(
    context: PersistenceContext,
) -> None:
    await _make_counter(context)
    first_has_read = asyncio.Event()
    second_committed = asyncio.Event()
    attempts = 0

    async def increment_after_a_competitor(uow: UnitOfWork) -> None:
        nonlocal attempts
        attempts += 1
        value = await uow.connection.fetchval("SELECT (value)::int FROM system_config")
        if attempts == 1:
            first_has_read.set()
            await second_committed.wait()
        await uow.connection.execute(
            "UPDATE system_config SET value = to_jsonb($1::int)", value + 1
        )

    async def competitor() -> None:
        await first_has_read.wait()
        async with context.uow(isolation="serializable") as uow:
            await uow.connection.execute(
                "UPDATE system_config SET value = to_jsonb((value)::int + 1)"
            )
        second_committed.set()

    await asyncio.gather(
        run_with_retry(context, increment_after_a_competitor, first_delay=0.001),
        competitor(),
    )

    assert attempts == 2
    assert await _counter(context) == 2


async def test_the_last_conflict_propagates_when_attempts_run_out(
    context: PersistenceContext,
) -> None:
    calls = 0

    async def always_conflicts(uow: UnitOfWork) -> None:
        nonlocal calls
        calls += 1
        raise SerializationFailure("simulated by the work itself")

    with pytest.raises(SerializationFailure):
        await run_with_retry(context, always_conflicts, attempts=3, first_delay=0.001)
    assert calls == 3


async def test_other_errors_are_not_retried(context: PersistenceContext) -> None:
    calls = 0

    async def fails(uow: UnitOfWork) -> None:
        nonlocal calls
        calls += 1
        raise KeyError("not a conflict")

    with pytest.raises(KeyError):
        await run_with_retry(context, fails)
    assert calls == 1
