"""A range read streamed in batches through a server-side cursor (stream_range and
stream_series_columns): the same bars as the range read, nothing left open, bounded memory."""

from __future__ import annotations

import gc
import resource
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import asyncpg
import pytest

from boursa_db.context import PersistenceContext
from boursa_db.domain.intervals import Interval
from boursa_db.domain.market import MarketBar
from boursa_db.errors import DatabaseUnavailable, UsageError, ValidationError
from boursa_db.repositories.base import BoundSession
from boursa_db.repositories.market_data import MarketDataRepository
from boursa_db.repositories.streaming import MAX_BATCH_SIZE

START = datetime(2026, 11, 2, 14, 30, tzinfo=UTC)
MINUTE = timedelta(minutes=1)
MIB = 1024 * 1024


def minute_bars(
    symbol: str, count: int, interval: Interval = Interval.ONE_MINUTE
) -> list[MarketBar]:
    return [
        MarketBar(
            time=START + index * MINUTE,
            symbol=symbol,
            interval_type=interval,
            open=100.0 + index,
            high=101.5 + index,
            low=99.0 + index,
            close=100.5 + index,
            adjusted_close=None if index % 2 else 100.25 + index,
            volume=1000 + index,
            source="test",
        )
        for index in range(count)
    ]


async def client_backend_states(observer: asyncpg.Connection) -> list[str]:
    """The states of the other client connections to the test's database."""
    rows = await observer.fetch(
        "SELECT state FROM pg_stat_activity WHERE datname = current_database() "
        "AND pid <> pg_backend_pid() AND backend_type = 'client backend'"
    )
    return sorted(row["state"] for row in rows)


def resident_bytes() -> int:
    """The resident set size of this process now (Linux)."""
    resident_pages = int(Path("/proc/self/statm").read_text().split()[1])
    return resident_pages * resource.getpagesize()


@pytest.fixture
def market_data(session: BoundSession) -> MarketDataRepository:
    return MarketDataRepository(session)


# --- the same bars as the range read ----------------------------------------------------------


async def test_the_batches_hold_the_bars_of_the_range_read_in_order(
    context: PersistenceContext,
) -> None:
    await context.market_data.copy(minute_bars("BRK-B", 100))
    await context.market_data.copy(minute_bars("MSFT", 100))
    await context.market_data.copy(minute_bars("BRK-B", 100, Interval.FIVE_MINUTES))
    start, end = START + 3 * MINUTE, START + 90 * MINUTE

    async with context.market_data.stream_range("BRK-B", start, end, batch_size=10) as batches:
        streamed = [batch async for batch in batches]

    expected = await context.market_data.find_by_symbol_and_timerange("BRK-B", start, end)
    assert len(expected) == 87
    assert [len(batch) for batch in streamed] == [10] * 8 + [7]
    assert [bar for batch in streamed for bar in batch] == expected


async def test_a_range_of_exactly_two_batches_gives_two_full_batches_and_no_empty_one(
    context: PersistenceContext,
) -> None:
    await context.market_data.copy(minute_bars("AAPL", 20))

    async with context.market_data.stream_range(
        "AAPL", START, START + 20 * MINUTE, batch_size=10
    ) as batches:
        sizes = [len(batch) async for batch in batches]

    assert sizes == [10, 10]


@pytest.mark.parametrize(
    ("start", "end"),
    [
        (START + 500 * MINUTE, START + 600 * MINUTE),
        (START + 5 * MINUTE, START + 5 * MINUTE),
    ],
    ids=["no-bars-in-range", "start-equals-end"],
)
async def test_an_empty_range_gives_no_batches(
    context: PersistenceContext, start: datetime, end: datetime
) -> None:
    await context.market_data.copy(minute_bars("AAPL", 20))

    async with context.market_data.stream_range("AAPL", start, end, batch_size=10) as batches:
        streamed = [batch async for batch in batches]

    assert streamed == []
    assert await context.market_data.find_by_symbol_and_timerange("AAPL", start, end) == []


async def test_the_column_batches_hold_the_columns_of_the_series_read(
    context: PersistenceContext,
) -> None:
    await context.market_data.copy(minute_bars("BRK-B", 50))
    start, end = START + 5 * MINUTE, START + 45 * MINUTE

    async with context.market_data.stream_series_columns(
        "BRK-B", start, end, "1m", batch_size=16
    ) as batches:
        streamed = [batch async for batch in batches]

    expected = await context.market_data.find_series_columns("BRK-B", start, end, "1m")
    assert [len(batch) for batch in streamed] == [16, 16, 8]
    assert all(batch.symbol == "BRK-B" for batch in streamed)
    assert all(batch.interval_type is Interval.ONE_MINUTE for batch in streamed)
    for field in ("time", "open", "high", "low", "close", "adjusted_close", "volume", "source"):
        joined = tuple(value for batch in streamed for value in getattr(batch, field))
        assert joined == tuple(getattr(expected, field)), field


# --- bad arguments --------------------------------------------------------------------------


@pytest.mark.parametrize("batch_size", [0, -1, 50_001, 1.5, True, "10", None])
async def test_a_bad_batch_size_is_refused_before_a_connection_is_taken(
    context: PersistenceContext, batch_size: Any
) -> None:
    free_before = context.pool.get_idle_size()

    with pytest.raises(ValidationError, match="batch_size") as caught:
        context.market_data.stream_range("AAPL", START, START + MINUTE, batch_size=batch_size)

    assert caught.value.field == "batch_size"
    assert context.pool.get_idle_size() == free_before


@pytest.mark.parametrize(
    ("symbol", "start", "end", "interval"),
    [
        ("aapl", START, START + MINUTE, "1m"),
        ("AAPL", START.replace(tzinfo=None), START + MINUTE, "1m"),
        ("AAPL", START + MINUTE, START, "1m"),
        ("AAPL", START, START + MINUTE, "2m"),
    ],
    ids=["lower-case-symbol", "naive-start", "end-before-start", "unknown-interval"],
)
async def test_bad_range_arguments_are_refused_as_the_range_read_refuses_them(
    context: PersistenceContext, symbol: str, start: datetime, end: datetime, interval: str
) -> None:
    with pytest.raises(ValidationError) as from_read:
        await context.market_data.find_by_symbol_and_timerange(symbol, start, end, interval)

    with pytest.raises(ValidationError) as from_stream:
        context.market_data.stream_range(symbol, start, end, interval)
    with pytest.raises(ValidationError) as from_columns:
        context.market_data.stream_series_columns(symbol, start, end, interval)

    assert str(from_stream.value) == str(from_columns.value) == str(from_read.value)
    assert from_stream.value.field == from_columns.value.field == from_read.value.field


# --- nothing left open ----------------------------------------------------------------------


async def test_breaking_out_early_ends_the_transaction_and_returns_the_connection(
    context: PersistenceContext, connection: asyncpg.Connection
) -> None:
    await context.market_data.copy(minute_bars("AAPL", 100))

    async with context.market_data.stream_range(
        "AAPL", START, START + 100 * MINUTE, batch_size=10
    ) as batches:
        async for _batch in batches:
            assert "idle in transaction" in await client_backend_states(connection)
            break

    assert "idle in transaction" not in await client_backend_states(connection)
    assert context.pool.get_idle_size() == context.pool.get_size()
    assert await context.market_data.count("AAPL") == 100


async def test_an_error_in_the_loop_reaches_the_caller_and_returns_the_connection(
    context: PersistenceContext, connection: asyncpg.Connection
) -> None:
    await context.market_data.copy(minute_bars("AAPL", 100))

    with pytest.raises(KeyError, match="caller's own"):
        async with context.market_data.stream_range(
            "AAPL", START, START + 100 * MINUTE, batch_size=10
        ) as batches:
            async for _batch in batches:
                raise KeyError("caller's own")

    assert "idle in transaction" not in await client_backend_states(connection)
    assert context.pool.get_idle_size() == context.pool.get_size()


async def test_batches_used_after_their_block_ended_are_a_usage_error(
    context: PersistenceContext,
) -> None:
    await context.market_data.copy(minute_bars("AAPL", 30))

    async with context.market_data.stream_range(
        "AAPL", START, START + 30 * MINUTE, batch_size=10
    ) as batches:
        first = await anext(batches)

    assert len(first) == 10
    with pytest.raises(UsageError, match="after its async with block ended"):
        await anext(batches)


async def test_a_backend_killed_mid_stream_is_database_unavailable_and_the_pool_recovers(
    context: PersistenceContext, connection: asyncpg.Connection
) -> None:
    await context.market_data.copy(minute_bars("AAPL", 100))

    with pytest.raises(DatabaseUnavailable):
        async with context.market_data.stream_range(
            "AAPL", START, START + 100 * MINUTE, batch_size=10
        ) as batches:
            async for _batch in batches:
                await connection.execute(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE datname = current_database() AND state = 'idle in transaction'"
                )

    assert await context.market_data.count("AAPL") == 100


async def test_a_stream_over_a_connection_outside_a_transaction_is_a_usage_error(
    market_data: MarketDataRepository,
) -> None:
    await market_data.copy(minute_bars("AAPL", 10))

    with pytest.raises(UsageError, match="needs a transaction"):
        async with market_data.stream_range("AAPL", START, START + 10 * MINUTE) as batches:
            [batch async for batch in batches]


# --- inside a unit of work -------------------------------------------------------------------


async def test_a_stream_in_a_unit_of_work_sees_its_uncommitted_bars(
    context: PersistenceContext, connection: asyncpg.Connection
) -> None:
    async with context.uow() as uow:
        await uow.market_data.copy(minute_bars("AAPL", 25))

        async with uow.market_data.stream_range(
            "AAPL", START, START + 25 * MINUTE, batch_size=10
        ) as batches:
            streamed = [bar async for batch in batches for bar in batch]

        committed = await connection.fetchval("SELECT count(*) FROM market_data")
        assert committed == 0
        assert streamed == minute_bars("AAPL", 25)


async def test_other_calls_of_the_unit_of_work_run_between_batches(
    context: PersistenceContext,
) -> None:
    await context.market_data.copy(minute_bars("AAPL", 30))

    async with context.uow() as uow:
        counts = []
        async with uow.market_data.stream_range(
            "AAPL", START, START + 30 * MINUTE, batch_size=10
        ) as batches:
            async for batch in batches:
                await uow.market_data.save(minute_bars("MSFT", 30)[len(counts)])
                counts.append((len(batch), await uow.market_data.count("MSFT")))

    assert counts == [(10, 1), (10, 2), (10, 3)]
    assert await context.market_data.count("MSFT") == 3


# --- bounded memory --------------------------------------------------------------------------

BIG_SERIES = 2_000_000


async def test_streaming_two_million_bars_in_the_largest_batches_stays_within_100_mib(
    context: PersistenceContext, connection: asyncpg.Connection
) -> None:
    # Built on the server: two million MarketBar objects in the test would cost more than the
    # read under test. The largest batches allowed hold the most at once: the bound covers any.
    await connection.execute(
        """
        INSERT INTO market_data (time, symbol, interval_type, open, high, low, close,
                                 adjusted_close, volume, source)
        SELECT $1::timestamptz + i * interval '1 minute', 'BIG', '1m', 100 + i % 97,
               101 + i % 97, 99 + i % 97, 100.5 + i % 97, NULL, i, 'test'
        FROM generate_series(0, $2::integer - 1) AS i
        """,
        START,
        BIG_SERIES,
    )
    end = START + BIG_SERIES * MINUTE
    gc.collect()
    baseline = peak = resident_bytes()
    count, previous = 0, START - MINUTE
    started = time.monotonic()

    async with context.market_data.stream_range(
        "BIG", START, end, batch_size=MAX_BATCH_SIZE
    ) as batches:
        async for bars in batches:
            assert bars[0].time > previous
            count, previous = count + len(bars), bars[-1].time
            peak = max(peak, resident_bytes())

    elapsed = time.monotonic() - started
    growth = (peak - baseline) / MIB
    print(f"streamed {count:,} bars in {elapsed:.1f} s; peak RSS {growth:.1f} MiB above baseline")
    assert count == BIG_SERIES
    assert previous == end - MINUTE
    assert growth < 100
