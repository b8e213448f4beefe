"""Concurrent writers: no lost update on one portfolio, every bar exactly once under overlap.

The writers are real concurrent transactions on separate pooled connections; conflicts are
resolved by optimistic versions, by PostgreSQL's unique indexes and by run_with_retry, and every
conflict that was not resolved is reported to its writer, never swallowed.
"""

from __future__ import annotations

import asyncio
from decimal import Decimal

import asyncpg
import pytest

from boursa_db.context import create_persistence_context
from boursa_db.domain.market import MarketBar
from boursa_db.domain.portfolios import Portfolio
from boursa_db.domain.users import User
from boursa_db.errors import ConcurrencyConflict
from boursa_db.repositories.copying import ConflictMode
from boursa_db.retry import run_with_retry
from boursa_db.unit_of_work import UnitOfWork
from tests.test_market_data import START, minute_bars

WRITERS = 50


async def test_fifty_concurrent_deposits_into_one_portfolio_lose_no_update(
    database_url: str,
) -> None:
    """Each writer reads the portfolio, adds its amount and saves with the version it read; a
    writer that loses the race retries (run_with_retry) and reports a conflict only after its
    attempts run out. The final balance is the sum of exactly the successful deposits."""
    amounts = [Decimal(index) for index in range(1, WRITERS + 1)]
    attempts = 0

    async with create_persistence_context(database_url, min_size=10, max_size=10) as context:
        async with context.uow() as uow:
            user = await uow.users.save(
                User(email="ada@example.com", username="ada", password_hash="h")
            )
            portfolio = await uow.portfolios.save(Portfolio(user_id=user.id, name="Main"))
        assert portfolio.id is not None
        portfolio_id = portfolio.id

        async def deposit(amount: Decimal) -> Decimal:
            async def work(uow: UnitOfWork) -> Decimal:
                nonlocal attempts
                attempts += 1
                current = await uow.portfolios.get_by_id(portfolio_id)
                current.cash_balance += amount
                await uow.portfolios.save(current)
                return amount

            return await run_with_retry(
                context,
                work,
                attempts=25,
                isolation="read_committed",
                first_delay=0.002,
                max_delay=0.05,
            )

        outcomes = await asyncio.gather(
            *(deposit(amount) for amount in amounts), return_exceptions=True
        )
        final = await context.portfolios.get_by_id(portfolio_id)

    succeeded = [outcome for outcome in outcomes if isinstance(outcome, Decimal)]
    failed = [outcome for outcome in outcomes if not isinstance(outcome, Decimal)]
    assert all(isinstance(failure, ConcurrencyConflict) for failure in failed), failed
    assert final.cash_balance == sum(succeeded, Decimal(0))
    assert final.version == 1 + len(succeeded)
    assert attempts >= WRITERS  # the losers of each race ran again
    assert len(succeeded) + len(failed) == WRITERS
    assert await _audited_updates(database_url, portfolio_id) == len(succeeded)


async def _audited_updates(database_url: str, portfolio_id: object) -> int:
    connection = await asyncpg.connect(database_url)
    try:
        return int(
            await connection.fetchval(
                "SELECT count(*) FROM audit_log WHERE table_name = 'portfolios' "
                "AND action = 'update' AND row_key = jsonb_build_object('id', $1::text)",
                str(portfolio_id),
            )
        )
    finally:
        await connection.close()


def _overlapping_batches(count: int, size: int, step: int) -> list[list[MarketBar]]:
    """Batch i covers minutes [i * step, i * step + size): neighbours share size - step bars.
    Every other batch is reversed, so that two writers meet the shared keys in opposite orders."""
    everything = minute_bars("AAPL", START, (count - 1) * step + size)
    batches = [everything[index * step : index * step + size] for index in range(count)]
    return [batch[::-1] if index % 2 else batch for index, batch in enumerate(batches)]


@pytest.mark.parametrize("mode", [ConflictMode.SKIP, ConflictMode.UPDATE])
async def test_concurrent_copies_of_overlapping_batches_store_every_bar_exactly_once(
    database_url: str, mode: ConflictMode
) -> None:
    batches = _overlapping_batches(count=8, size=400, step=100)
    expected = {(bar.symbol, bar.interval_type.value, bar.time) for b in batches for bar in b}
    conflicts = 0

    # Writers meeting shared keys in opposite orders may deadlock: PostgreSQL aborts one
    # (DeadlockDetected, a ConcurrencyConflict) after deadlock_timeout, and run_with_retry runs
    # it again. A short deadlock_timeout (a superuser setting) keeps this test quick.
    async with create_persistence_context(
        database_url, min_size=8, max_size=8, server_settings={"deadlock_timeout": "20ms"}
    ) as context:

        async def write(batch: list[MarketBar]) -> int:
            async def work(uow: UnitOfWork) -> int:
                return await uow.market_data.copy(batch, on_conflict=mode)

            try:
                return await run_with_retry(
                    context, work, attempts=10, isolation="read_committed", first_delay=0.005
                )
            except ConcurrencyConflict:
                nonlocal conflicts
                conflicts += 1
                raise

        written = await asyncio.gather(*(write(batch) for batch in batches))

    assert conflicts == 0
    connection = await asyncpg.connect(database_url)
    try:
        rows = await connection.fetch("SELECT symbol, interval_type, time FROM market_data")
    finally:
        await connection.close()
    stored = [(row["symbol"], row["interval_type"], row["time"]) for row in rows]
    assert len(stored) == len(set(stored)) == len(expected)
    assert set(stored) == expected
    if mode is ConflictMode.SKIP:
        assert sum(written) == len(expected)
