"""market_data_latest holds the newest bar of every symbol and interval, whoever writes the bars.

The library's bulk writes merge it once per batch; every other write (a single save, raw SQL,
another client's COPY) is noted by triggers and settled after each statement; retention and
TRUNCATE clear what they removed. Every test ends by checking the whole table against the bars
themselves (``assert_latest_is_the_newest_bar``).
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import asyncpg
import pytest

from boursa_db import ConflictMode, PersistenceContext
from boursa_db.errors import Duplicate
from boursa_db.maintenance import apply_retention, compress_chunks
from boursa_db.migrations import apply_migrations, rollback_migrations
from tests.test_market_data import MINUTE, START, make_bar, minute_bars

BAR_COLUMNS = "time, symbol, interval_type, open, high, low, close, adjusted_close, volume, source"


async def assert_latest_is_the_newest_bar(connection: asyncpg.Connection) -> None:
    """The invariant: one row per key with bars, holding the bar with the greatest time."""
    expected = await connection.fetch(
        f"SELECT DISTINCT ON (symbol, interval_type) {BAR_COLUMNS} FROM market_data "
        "ORDER BY symbol, interval_type, time DESC"
    )
    kept = await connection.fetch(
        f"SELECT {BAR_COLUMNS} FROM market_data_latest ORDER BY symbol, interval_type"
    )
    assert [tuple(row) for row in kept] == [tuple(row) for row in expected]


async def latest(connection: asyncpg.Connection, symbol: str = "AAPL") -> tuple[object, ...]:
    row = await connection.fetchrow(
        "SELECT time, close, volume FROM market_data_latest "
        "WHERE symbol = $1 AND interval_type = '1m'",
        symbol,
    )
    return () if row is None else tuple(row)


# --- the library's bulk writes ---------------------------------------------------------------


@pytest.mark.parametrize("mode", list(ConflictMode))
async def test_a_copy_makes_its_newest_bar_the_latest_in_every_mode(
    context: PersistenceContext, connection: asyncpg.Connection, mode: ConflictMode
) -> None:
    bars = minute_bars("AAPL", START, 50) + minute_bars("MSFT", START, 20)

    async with context.uow() as uow:
        await uow.market_data.copy(bars, on_conflict=mode)

    assert await latest(connection) == (START + 49 * MINUTE, 149.0, 1000)
    assert await latest(connection, "MSFT") == (START + 19 * MINUTE, 119.0, 1000)
    await assert_latest_is_the_newest_bar(connection)


async def test_the_newest_bar_of_a_batch_wins_wherever_it_stands_in_the_batch(
    context: PersistenceContext, connection: asyncpg.Connection
) -> None:
    bars = minute_bars("AAPL", START, 30)
    shuffled = bars[10:][::-1] + bars[:10]

    await context.market_data.copy(shuffled)

    assert await latest(connection) == (START + 29 * MINUTE, 129.0, 1000)
    await assert_latest_is_the_newest_bar(connection)


async def test_an_older_batch_leaves_the_latest_bar_alone(
    context: PersistenceContext, connection: asyncpg.Connection
) -> None:
    await context.market_data.copy(minute_bars("AAPL", START, 10))

    await context.market_data.copy(minute_bars("AAPL", START - 60 * MINUTE, 10, close=50.0))

    assert await latest(connection) == (START + 9 * MINUTE, 109.0, 1000)
    await assert_latest_is_the_newest_bar(connection)


async def test_skip_keeps_the_stored_latest_bar_and_update_replaces_it(
    context: PersistenceContext, connection: asyncpg.Connection
) -> None:
    await context.market_data.copy(minute_bars("AAPL", START, 10))
    changed = make_bar("AAPL", START + 9 * MINUTE, close=109.0, volume=7)

    await context.market_data.copy([changed], on_conflict=ConflictMode.SKIP)
    after_skip = await latest(connection)
    await context.market_data.copy([changed], on_conflict=ConflictMode.UPDATE)

    assert after_skip == (START + 9 * MINUTE, 109.0, 1000)
    assert await latest(connection) == (START + 9 * MINUTE, 109.0, 7)
    await assert_latest_is_the_newest_bar(connection)


async def test_a_batch_copied_by_several_workers_keeps_every_latest_bar(
    context: PersistenceContext, connection: asyncpg.Connection
) -> None:
    bars = [
        bar for symbol in ("AAPL", "MSFT", "NVDA", "TSLA") for bar in minute_bars(symbol, START, 40)
    ]

    await context.market_data.copy(bars, workers=2)

    assert len(await context.market_data.find_latest_prices(["AAPL", "MSFT", "NVDA", "TSLA"])) == 4
    await assert_latest_is_the_newest_bar(connection)


async def test_a_refused_batch_leaves_the_latest_bar_as_it_was(
    context: PersistenceContext, connection: asyncpg.Connection
) -> None:
    await context.market_data.copy(minute_bars("AAPL", START, 10))
    again = minute_bars("AAPL", START + 5 * MINUTE, 20)

    with pytest.raises(Duplicate):
        await context.market_data.copy(again)

    assert await latest(connection) == (START + 9 * MINUTE, 109.0, 1000)
    await assert_latest_is_the_newest_bar(connection)


async def test_a_unit_of_work_rolled_back_leaves_the_latest_bar_as_it_was(
    context: PersistenceContext, connection: asyncpg.Connection
) -> None:
    await context.market_data.copy(minute_bars("AAPL", START, 10))

    with pytest.raises(RuntimeError):
        async with context.uow() as uow:
            await uow.market_data.copy(minute_bars("AAPL", START + 10 * MINUTE, 10))
            assert (await uow.market_data.find_latest("AAPL")).time == START + 19 * MINUTE
            raise RuntimeError("the caller gives up")

    assert await latest(connection) == (START + 9 * MINUTE, 109.0, 1000)


async def test_a_raw_write_after_a_library_copy_in_one_unit_of_work_is_still_noted(
    context: PersistenceContext, connection: asyncpg.Connection
) -> None:
    async with context.uow() as uow:
        await uow.market_data.copy(minute_bars("AAPL", START, 10))
        with pytest.raises(Duplicate):  # refused by the database, caught: its savepoint is undone
            await uow.market_data.copy(minute_bars("AAPL", START + 9 * MINUTE, 5))
        await uow.connection.execute(
            "INSERT INTO market_data (time, symbol, interval_type, open, high, low, close) "
            "VALUES ($1, 'AAPL', '1m', 1, 1, 1, 1)",
            START + 30 * MINUTE,
        )

    assert await latest(connection) == (START + 30 * MINUTE, 1.0, 0)
    await assert_latest_is_the_newest_bar(connection)


async def test_delete_range_gives_the_key_the_newest_bar_left_or_removes_it(
    context: PersistenceContext, connection: asyncpg.Connection
) -> None:
    await context.market_data.copy(minute_bars("AAPL", START, 30) + minute_bars("MSFT", START, 5))

    await context.market_data.delete_range("AAPL", "1m", START + 10 * MINUTE, START + 40 * MINUTE)
    await context.market_data.delete_range("AAPL", "1m", START + 2 * MINUTE, START + 5 * MINUTE)
    await context.market_data.delete_range("MSFT", "1m", START, START + 5 * MINUTE)

    assert await latest(connection) == (START + 9 * MINUTE, 109.0, 1000)
    assert await latest(connection, "MSFT") == ()
    await assert_latest_is_the_newest_bar(connection)


# --- every other write -------------------------------------------------------------------


async def test_a_single_save_updates_the_latest_bar(
    context: PersistenceContext, connection: asyncpg.Connection
) -> None:
    await context.market_data.save(make_bar("AAPL", START))
    await context.market_data.save(make_bar("AAPL", START + MINUTE, close=120.0))
    await context.market_data.save(make_bar("AAPL", START + MINUTE, close=121.0))

    assert await latest(connection) == (START + MINUTE, 121.0, 1000)
    await assert_latest_is_the_newest_bar(connection)


async def test_raw_inserts_updates_and_deletes_keep_the_latest_bar(
    connection: asyncpg.Connection,
) -> None:
    await connection.execute(
        "INSERT INTO market_data (time, symbol, interval_type, open, high, low, close) "
        "SELECT $1::timestamptz + i * interval '1 minute', s, '1m', 1, 2, 1, 1 "
        "FROM generate_series(0, 999) AS i, unnest(ARRAY['AAPL', 'MSFT']) AS s",
        START,
    )
    newest = START + 999 * MINUTE
    assert await latest(connection) == (newest, 1.0, 0)

    await connection.execute(
        "UPDATE market_data SET close = 2, volume = 5 WHERE symbol = 'AAPL' AND time = $1", newest
    )
    assert await latest(connection) == (newest, 2.0, 5)

    await connection.execute("DELETE FROM market_data WHERE symbol = 'AAPL' AND time > $1", START)
    assert await latest(connection) == (START, 1.0, 0)

    await connection.execute(
        "UPDATE market_data SET time = time + interval '1 day' WHERE symbol = 'MSFT' AND time = $1",
        START,
    )
    assert await latest(connection, "MSFT") == (START + timedelta(days=1), 1.0, 0)

    await connection.execute("DELETE FROM market_data WHERE symbol = 'AAPL'")
    assert await latest(connection) == ()
    await assert_latest_is_the_newest_bar(connection)


async def test_another_clients_copy_of_one_symbol_keeps_the_latest_bar(
    connection: asyncpg.Connection,
) -> None:
    rows = [
        (START + index * MINUTE, "AAPL", "1m", 1.0, 1.0, 1.0, 1.0, None, index, "feed")
        for index in range(20_000)
    ]

    await connection.copy_records_to_table(
        "market_data", records=rows, columns=BAR_COLUMNS.split(", ")
    )

    assert await latest(connection) == (START + 19_999 * MINUTE, 1.0, 19_999)
    await assert_latest_is_the_newest_bar(connection)


async def test_truncate_empties_the_latest_bars(
    context: PersistenceContext, connection: asyncpg.Connection
) -> None:
    await context.market_data.copy(minute_bars("AAPL", START, 10))

    await connection.execute("TRUNCATE market_data")

    assert await connection.fetchval("SELECT count(*) FROM market_data_latest") == 0


async def test_two_units_of_work_writing_the_same_symbols_in_opposite_orders_both_commit(
    context: PersistenceContext, connection: asyncpg.Connection
) -> None:
    forward = minute_bars("AAPL", START, 100) + minute_bars("MSFT", START, 100)
    backward = minute_bars("MSFT", START + 100 * MINUTE, 100) + minute_bars(
        "AAPL", START + 100 * MINUTE, 100
    )

    async def write(bars: list) -> None:  # type: ignore[type-arg]
        async with context.uow() as uow:
            await uow.market_data.copy(bars, on_conflict=ConflictMode.SKIP)

    await asyncio.gather(write(forward), write(backward))

    assert await latest(connection) == (START + 199 * MINUTE, 199.0, 1000)
    await assert_latest_is_the_newest_bar(connection)


# --- reads ---------------------------------------------------------------------------------


async def test_a_symbol_last_traded_400_days_ago_is_still_the_latest_price(
    context: PersistenceContext,
) -> None:
    long_ago = START - timedelta(days=400)
    await context.market_data.copy(
        [
            make_bar("OLDCO", long_ago, interval_type="1d"),
            make_bar("AAPL", START, interval_type="1d"),
        ]
    )

    prices = await context.market_data.find_latest_prices(["OLDCO", "AAPL", "NONE"], "1d")

    assert {symbol: bar.time for symbol, bar in prices.items()} == {
        "OLDCO": long_ago,
        "AAPL": START,
    }


async def test_a_temporary_table_named_market_data_does_not_capture_the_reads(
    context: PersistenceContext,
) -> None:
    await context.market_data.copy(minute_bars("AAPL", START, 10))

    async with context.uow() as uow:
        await uow.connection.execute(
            "CREATE TEMPORARY TABLE market_data (LIKE public.market_data) ON COMMIT DROP"
        )
        bars = await uow.market_data.find_by_symbol_and_timerange(
            "AAPL", START, START + 10 * MINUTE
        )

    assert len(bars) == 10


# --- retention and maintenance ------------------------------------------------------------


async def test_retention_removes_the_latest_bar_of_a_symbol_whose_bars_are_all_gone(
    context: PersistenceContext, connection: asyncpg.Connection
) -> None:
    now = datetime(2026, 11, 2, tzinfo=UTC)
    await context.market_data.copy(
        minute_bars("GONE", now - timedelta(days=800), 5)
        + minute_bars("KEPT", now - timedelta(days=800), 5)
        + minute_bars("KEPT", now - timedelta(days=10), 5)
    )

    await apply_retention(context.pool, now=now)

    assert await latest(connection, "GONE") == ()
    assert (await latest(connection, "KEPT"))[0] == now - timedelta(days=10) + 4 * MINUTE
    await assert_latest_is_the_newest_bar(connection)


@pytest.mark.timescaledb
async def test_the_retention_job_drops_old_chunks_and_their_latest_bars(
    context: PersistenceContext, connection: asyncpg.Connection
) -> None:
    recent = datetime.now(UTC) - timedelta(days=3)
    await context.market_data.copy(
        minute_bars("GONE", datetime.now(UTC) - timedelta(days=1000), 5)
        + minute_bars("KEPT", recent, 5)
    )
    job_id = await connection.fetchval(
        "SELECT job_id FROM timescaledb_information.jobs WHERE proc_name = 'retain_time_series'"
    )

    await connection.execute(f"CALL run_job({int(job_id)})")

    assert await latest(connection, "GONE") == ()
    assert (await latest(connection, "KEPT"))[0] == recent + 4 * MINUTE
    await assert_latest_is_the_newest_bar(connection)


@pytest.mark.timescaledb
async def test_deleting_the_latest_bar_from_a_compressed_chunk_gives_the_one_before(
    context: PersistenceContext, connection: asyncpg.Connection
) -> None:
    old = START - timedelta(days=60)
    await context.market_data.copy(minute_bars("AAPL", old, 30))
    await compress_chunks(context.pool, older_than=START)

    await context.market_data.delete_range("AAPL", "1m", old + 20 * MINUTE, old + 30 * MINUTE)
    await connection.execute(
        "DELETE FROM market_data WHERE symbol = 'AAPL' AND time = $1", old + 19 * MINUTE
    )

    assert await latest(connection) == (old + 18 * MINUTE, 118.0, 1000)
    await assert_latest_is_the_newest_bar(connection)


async def test_rebuilding_the_latest_bars_computes_them_anew(
    context: PersistenceContext, connection: asyncpg.Connection
) -> None:
    await context.market_data.copy(minute_bars("AAPL", START, 10) + minute_bars("MSFT", START, 3))
    await connection.execute("DELETE FROM market_data_latest")

    kept = await connection.fetchval("SELECT market_data_latest_rebuild()")

    assert kept == 2
    await assert_latest_is_the_newest_bar(connection)


async def test_applying_the_migration_to_stored_bars_fills_the_latest_bars(
    context: PersistenceContext, connection: asyncpg.Connection, database_url: str
) -> None:
    await context.market_data.copy(minute_bars("AAPL", START, 10) + minute_bars("MSFT", START, 3))
    undone = await asyncio.to_thread(rollback_migrations, database_url, count=2)
    assert undone == ["0018_planned_reads", "0017_latest_bars"]
    await connection.execute(
        "INSERT INTO market_data (time, symbol, interval_type, open, high, low, close) "
        "VALUES ($1, 'NVDA', '1m', 1, 1, 1, 1)",
        START,
    )

    await asyncio.to_thread(apply_migrations, database_url)

    assert await latest(connection, "NVDA") == (START, 1.0, 0)
    await assert_latest_is_the_newest_bar(connection)
