"""copy(bars, workers=N): one batch over several pooled connections, one coordinated outcome."""

from __future__ import annotations

import asyncio
from typing import Any

import asyncpg
import pytest

from boursa_db.context import PersistenceContext
from boursa_db.domain.market import MarketBar
from boursa_db.errors import (
    DatabaseUnavailable,
    Duplicate,
    OutcomeUnknown,
    UsageError,
    ValidationError,
)
from boursa_db.repositories.base import (
    BoundSession,
    begin_pooled_transaction,
    release_connection,
)
from boursa_db.repositories.copying import ConflictMode
from boursa_db.repositories.market_data import MarketDataRepository
from boursa_db.repositories.parallel_copy import _commit_all
from tests.test_deadlines import NEVER, _count, _outcome, _wait_for_a_copy
from tests.test_market_data import MINUTE, START, minute_bars

SYMBOLS = ("AAPL", "MSFT", "IBM", "ORCL", "SAP")


def _batch(per_symbol: int = 20, **changes: Any) -> list[MarketBar]:
    """Bars of five symbols, interleaved (as a vendor's minute file comes) rather than grouped."""
    series = [minute_bars(symbol, START, per_symbol, **changes) for symbol in SYMBOLS]
    return [bar for bars in zip(*series, strict=True) for bar in bars]


async def _stored(database_url: str) -> list[tuple[Any, ...]]:
    connection = await asyncpg.connect(database_url)
    try:
        rows = await connection.fetch(
            "SELECT symbol, interval_type, time, open, high, low, close, adjusted_close, volume,"
            " source FROM market_data ORDER BY symbol, interval_type, time"
        )
    finally:
        await connection.close()
    return [tuple(row) for row in rows]


def _with_negative_volume(bar: MarketBar) -> MarketBar:
    object.__setattr__(bar, "volume", -1)
    return bar


@pytest.mark.parametrize("mode", list(ConflictMode))
async def test_a_parallel_copy_stores_what_a_serial_copy_stores_in_every_mode(
    context: PersistenceContext, database_url: str, mode: ConflictMode
) -> None:
    stored_before = _batch(10, close=50.0)
    batch = _batch(20)
    if mode is not ConflictMode.FAIL:
        # Overlapping keys: the stored ten of each symbol, plus a repeated key in the batch.
        await context.market_data.copy(stored_before)
        batch.append(minute_bars("IBM", START, 1, close=70.0)[0])

    serial_written = await context.market_data.copy(batch, on_conflict=mode)
    serial = await _stored(database_url)
    async with context.pool.acquire() as connection:
        await connection.execute("TRUNCATE market_data")
    if mode is not ConflictMode.FAIL:
        await context.market_data.copy(stored_before)
    parallel_written = await context.market_data.copy(batch, on_conflict=mode, workers=3)

    assert parallel_written == serial_written
    assert await _stored(database_url) == serial


async def test_a_parallel_update_keeps_the_last_occurrence_of_a_repeated_key(
    context: PersistenceContext,
) -> None:
    batch = _batch(5)
    last = minute_bars("MSFT", START, 1, close=90.0)[0]

    await context.market_data.copy([*batch, last], on_conflict=ConflictMode.UPDATE, workers=2)

    stored = await context.market_data.find_by_symbol_and_timerange("MSFT", START, START + MINUTE)
    assert stored == [last]


async def test_a_bad_row_in_one_workers_share_writes_nothing_and_is_named_by_its_index(
    context: PersistenceContext, database_url: str
) -> None:
    batch = _batch(20)
    _with_negative_volume(batch[37])

    with pytest.raises(ValidationError) as raised:
        await context.market_data.copy(batch, workers=3)

    assert raised.value.row == 37
    assert str(raised.value).startswith(f"row 37 ({batch[37].symbol} 1m at")
    assert any("nothing of the batch was written" in note for note in raised.value.__notes__)
    assert await _count(database_url, "market_data") == 0


async def test_a_stored_key_in_one_workers_share_fails_the_batch_and_writes_nothing(
    context: PersistenceContext, database_url: str
) -> None:
    batch = _batch(20)
    await context.market_data.copy([batch[50]])

    with pytest.raises(Duplicate, match="row 50"):
        await context.market_data.copy(batch, workers=4)

    assert await _count(database_url, "market_data") == 1


async def test_workers_inside_a_unit_of_work_are_refused(
    context: PersistenceContext, database_url: str
) -> None:
    async with context.uow() as uow:
        with pytest.raises(UsageError, match="outside the unit of work"):
            await uow.market_data.copy(_batch(2), workers=2)
        assert await uow.market_data.copy(_batch(2), workers=1) == 10

    assert await _count(database_url, "market_data") == 10


@pytest.mark.parametrize("workers", [0, -1, 65, 2.0, "2", None, True], ids=repr)
async def test_a_bad_workers_value_is_refused_and_nothing_is_written(
    context: PersistenceContext, database_url: str, workers: Any
) -> None:
    with pytest.raises(ValidationError, match="workers") as raised:
        await context.market_data.copy(_batch(2), workers=workers)

    assert raised.value.field == "workers"
    assert await _count(database_url, "market_data") == 0


async def test_more_workers_than_the_pool_holds_are_refused(
    context: PersistenceContext, database_url: str
) -> None:
    with pytest.raises(ValidationError, match="max_size") as raised:
        await context.market_data.copy(_batch(2), workers=context.pool.get_max_size() + 1)

    assert raised.value.field == "workers"
    assert await _count(database_url, "market_data") == 0


async def test_a_killed_worker_fails_the_parallel_copy_writes_nothing_and_the_pool_recovers(
    context: PersistenceContext, database_url: str
) -> None:
    batch = [bar for symbol in ("AAPL", "MSFT") for bar in minute_bars(symbol, START, 150_000)]
    admin = await asyncpg.connect(database_url)
    try:
        copying = asyncio.ensure_future(context.market_data.copy(batch, workers=2))
        pid = await _wait_for_a_copy(admin)
        assert await admin.fetchval("SELECT pg_terminate_backend($1)", pid)
        error, _ = await _outcome(copying)
    finally:
        await admin.close()

    assert isinstance(error, DatabaseUnavailable), error
    assert await _count(database_url, "market_data") == 0
    assert await context.market_data.copy(batch[:10], workers=2) == 10
    deadline = asyncio.get_running_loop().time() + NEVER
    while context.pool.get_idle_size() != context.pool.get_size():
        assert asyncio.get_running_loop().time() < deadline, "a connection was never returned"
        await asyncio.sleep(0.01)


async def test_a_connection_lost_during_the_commits_names_the_symbols_committed_and_not(
    context: PersistenceContext, database_url: str
) -> None:
    # The one window the coordinated outcome leaves: every share written, then one worker's
    # connection lost while the COMMITs are sent.
    shares = [minute_bars("AAPL", START, 3), minute_bars("MSFT", START, 3)]
    connections = [
        await begin_pooled_transaction(
            context.pool, acquire_timeout=NEVER, isolation="read_committed"
        )
        for _ in shares
    ]
    for connection, bars in zip(connections, shares, strict=True):
        await MarketDataRepository(BoundSession(connection)).copy(bars)
    admin = await asyncpg.connect(database_url)
    try:
        pid = connections[1].get_server_pid()
        assert await admin.fetchval("SELECT pg_terminate_backend($1, $2)", pid, int(NEVER * 1000))
    finally:
        await admin.close()

    with pytest.raises(OutcomeUnknown) as raised:
        await _commit_all(connections, [["AAPL"], ["MSFT"]])

    assert "Committed: AAPL; not known to be committed: MSFT" in str(raised.value)
    assert "on_conflict=SKIP or UPDATE" in str(raised.value)
    assert await context.market_data.count("AAPL") == 3
    assert await context.market_data.count("MSFT") == 0
    for connection in connections:
        await release_connection(context.pool, connection, reset_timeout=NEVER)
