"""copy(bars, workers=N): one batch over several pooled connections, a transaction per share."""

from __future__ import annotations

import asyncio
from typing import Any

import asyncpg
import pytest

from boursa_db.context import PersistenceContext
from boursa_db.domain.market import MarketBar
from boursa_db.errors import DatabaseUnavailable, Duplicate, UsageError, ValidationError
from boursa_db.repositories.copying import ConflictMode
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


async def _stored_per_symbol(database_url: str) -> dict[str, int]:
    connection = await asyncpg.connect(database_url)
    try:
        rows = await connection.fetch("SELECT symbol, count(*) FROM market_data GROUP BY symbol")
    finally:
        await connection.close()
    return {row[0]: row[1] for row in rows}


def _assert_each_share_whole_or_absent(
    error: BaseException, stored: dict[str, int], per_symbol: int, failed_symbol: str
) -> None:
    """Every share's note says committed or not written, and the table agrees symbol by symbol."""
    notes = [note for note in getattr(error, "__notes__", []) if note.startswith("copy with")]
    assert notes, "the error says nothing of the shares"
    for note in notes:
        symbols = note.split(" rows of ")[1].split(": ")[0].split(", ")
        committed = note.endswith(": committed")
        assert committed or note.endswith(": not written (rolled back)"), note
        for symbol in symbols:
            assert stored.get(symbol, 0) == (per_symbol if committed else 0), note
    assert stored.get(failed_symbol, 0) == 0


async def test_a_bad_row_in_one_share_is_named_and_leaves_only_whole_committed_shares(
    context: PersistenceContext, database_url: str
) -> None:
    batch = _batch(20)
    _with_negative_volume(batch[37])

    with pytest.raises(ValidationError) as raised:
        await context.market_data.copy(batch, workers=3)

    assert raised.value.row == 37
    assert str(raised.value).startswith(f"row 37 ({batch[37].symbol} 1m at")
    stored = await _stored_per_symbol(database_url)
    _assert_each_share_whole_or_absent(raised.value, stored, 20, batch[37].symbol)


async def test_copying_again_with_skip_completes_a_batch_a_failure_left_partly_written(
    context: PersistenceContext, database_url: str
) -> None:
    batch = _batch(20)
    await context.market_data.copy([batch[50]])
    with pytest.raises(Duplicate, match="row 50"):
        await context.market_data.copy(batch, workers=4)

    left = await _count(database_url, "market_data")

    written = await context.market_data.copy(batch, on_conflict=ConflictMode.SKIP, workers=4)

    assert written == len(batch) - left
    assert await _count(database_url, "market_data") == len(batch)


async def test_a_parallel_copy_of_an_empty_batch_returns_zero(
    context: PersistenceContext, database_url: str
) -> None:
    assert await context.market_data.copy([], workers=4) == 0
    assert await _count(database_url, "market_data") == 0


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


async def test_a_killed_worker_fails_the_parallel_copy_and_the_pool_recovers(
    context: PersistenceContext, database_url: str
) -> None:
    per_symbol = 150_000
    batch = [bar for symbol in ("AAPL", "MSFT") for bar in minute_bars(symbol, START, per_symbol)]
    admin = await asyncpg.connect(database_url)
    try:
        copying = asyncio.ensure_future(context.market_data.copy(batch, workers=2))
        pid = await _wait_for_a_copy(admin)
        assert await admin.fetchval("SELECT pg_terminate_backend($1)", pid)
        error, _ = await _outcome(copying)
    finally:
        await admin.close()

    assert isinstance(error, DatabaseUnavailable), error
    # The killed share wrote nothing; the other is whole if it committed first, else absent.
    stored = await _stored_per_symbol(database_url)
    assert sorted(stored.values()) in ([], [per_symbol])
    assert any(note.endswith("not written (rolled back)") for note in error.__notes__)
    others = [*minute_bars("IBM", START, 5), *minute_bars("ORCL", START, 5)]
    assert await context.market_data.copy(others, workers=2) == 10
    deadline = asyncio.get_running_loop().time() + NEVER
    while context.pool.get_idle_size() != context.pool.get_size():
        assert asyncio.get_running_loop().time() < deadline, "a connection was never returned"
        await asyncio.sleep(0.01)
