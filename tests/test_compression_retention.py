"""Compression changes no answer and keeps COPY working; retention removes exactly the old rows.

On plain PostgreSQL compress_chunks reports that it does not apply and the same reads are made;
on TimescaleDB the chunks really are compressed in between. Bars and indicators have 7-day chunks
(migration 0016), aligned on TimescaleDB's epoch: the chunk holding DAY (Saturday 2025-03-08)
runs from Thursday 03-06 to Thursday 03-13. Retention deletes exactly the rows
older than ``now - window`` on both backends: TimescaleDB drops the whole chunks and deletes
the rest of the chunk that straddles the cutoff (compressed or not).
"""

from __future__ import annotations

import asyncio
import random
import uuid
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

import asyncpg
import pytest

from boursa_db.maintenance import (
    NO_COMPRESSION,
    CompressionResult,
    TableCompression,
    apply_retention,
    compress_chunks,
    refresh_aggregates,
)
from boursa_db.migrations import apply_migrations
from boursa_db.queries import default_library
from boursa_db.repositories.base import BoundSession
from boursa_db.repositories.summaries import SummaryRepository
from tests.conftest import TemplateDatabase
from tests.test_aggregates import DAY, bar, copy_bars, create_portfolio, market_bars

SYMBOLS = ["AAPL", "BRK-B", "MSFT"]


async def reads(connection: asyncpg.Connection) -> dict[str, Any]:
    """Range reads (whole and across chunk edges), latest prices, daily summaries."""
    queries = default_library()
    ranges = {}
    for symbol in SYMBOLS[:2]:
        for interval, start, end in [
            ("1m", DAY - timedelta(days=1), DAY + timedelta(days=10)),
            # Across the chunk edge of Thursday 03-13 00:00.
            ("5m", DAY + timedelta(days=4, hours=23, minutes=55), DAY + timedelta(days=6)),
        ]:
            rows = await connection.fetch(
                "SELECT * FROM market_data WHERE symbol = $1 AND interval_type = $2 "
                "AND time >= $3 AND time < $4 ORDER BY time",
                symbol,
                interval,
                start,
                end,
            )
            ranges[f"{symbol} {interval}"] = [tuple(row) for row in rows]
    latest = {
        interval: [
            tuple(row)
            for row in await queries.find_latest_prices(
                connection, symbols=SYMBOLS, interval_type=interval
            )
        ]
        for interval in ("1m", "5m")
    }
    summaries = await SummaryRepository(BoundSession(connection)).daily_summaries(
        SYMBOLS, date(2025, 3, 1), date(2025, 3, 31)
    )
    return {"ranges": ranges, "latest": latest, "summaries": summaries}


def expect_compressed(
    result: CompressionResult, template: TemplateDatabase, market_data: TableCompression
) -> None:
    if not template.has_timescaledb:
        assert result == CompressionResult(applies=False, reason=NO_COMPRESSION)
        return
    assert result.applies
    assert {item.table: item for item in result.tables}["market_data"] == market_data


async def test_compressed_chunks_answer_range_latest_price_and_summary_reads_identically(
    connection: asyncpg.Connection, template_database: TemplateDatabase
) -> None:
    # Four chunks, of which the three ending by 03-27 end before the cutoff of 03-30.
    await copy_bars(connection, market_bars(DAY, days=22, seed=7))
    await refresh_aggregates(connection)
    before = await reads(connection)

    result = await compress_chunks(connection, older_than=DAY + timedelta(days=22))

    expect_compressed(
        result,
        template_database,
        TableCompression(table="market_data", chunks_compressed=3, chunks_recompressed=0),
    )
    assert await reads(connection) == before
    assert before["latest"]["1m"]
    assert all(before["ranges"].values())


async def test_only_chunks_that_end_before_the_cutoff_are_compressed(
    connection: asyncpg.Connection, template_database: TemplateDatabase
) -> None:
    # Chunks ending 03-13, 03-20 and 03-27; the cutoff is 03-20 12:00.
    await copy_bars(connection, market_bars(DAY, days=15, seed=9))

    result = await compress_chunks(connection, older_than=DAY + timedelta(days=12, hours=12))

    expect_compressed(
        result,
        template_database,
        TableCompression(table="market_data", chunks_compressed=2, chunks_recompressed=0),
    )


async def test_copy_into_a_compressed_range_still_works(
    connection: asyncpg.Connection, template_database: TemplateDatabase
) -> None:
    # Two chunks, ending 03-13 and 03-20, both compressed.
    await copy_bars(connection, market_bars(DAY, days=12, seed=8))
    await compress_chunks(connection, older_than=DAY + timedelta(days=12))
    rng = random.Random(8)
    new_bars = [
        bar(DAY + timedelta(hours=12, seconds=30), "AAPL", "1m", rng),
        bar(DAY + timedelta(days=12, seconds=-30), "AAPL", "1m", rng),  # the new latest bar
    ]

    await copy_bars(connection, new_bars)

    latest = await default_library().find_latest_prices(
        connection, symbols=["AAPL"], interval_type="1m"
    )
    assert (latest[0]["time"], latest[0]["close"]) == (new_bars[1][0], new_bars[1][6])
    stored = await connection.fetch(
        "SELECT time, symbol, interval_type, open, high, low, close, volume FROM market_data "
        "WHERE symbol = 'AAPL' AND time = ANY($1::timestamptz[])",
        [item[0] for item in new_bars],
    )
    assert sorted(tuple(row) for row in stored) == new_bars
    before_recompression = await reads(connection)
    result = await compress_chunks(connection, older_than=DAY + timedelta(days=12))
    expect_compressed(
        result,
        template_database,
        TableCompression(table="market_data", chunks_compressed=0, chunks_recompressed=2),
    )
    assert await reads(connection) == before_recompression


async def test_copy_of_a_bar_that_exists_in_a_compressed_chunk_writes_nothing(
    connection: asyncpg.Connection,
) -> None:
    bars = market_bars(DAY, days=1, seed=10)
    await copy_bars(connection, bars)
    await compress_chunks(connection, older_than=DAY + timedelta(days=1))
    fresh = bar(DAY + timedelta(hours=3, seconds=15), "AAPL", "1m", random.Random(10))

    with pytest.raises(asyncpg.UniqueViolationError):
        await copy_bars(connection, [fresh, bars[0]])

    assert await connection.fetchval("SELECT count(*) FROM market_data") == len(bars)


# now - window, computed on the UTC calendar. In New York (the session time zone of the test)
# 2026-03-10 03:00 UTC is 23:00 on the 9th; subtracting years there would land an hour off.
NOW = datetime(2026, 3, 10, 3, 0, tzinfo=UTC)
CUTOFFS = {
    "market_data": datetime(2024, 3, 10, 3, 0, tzinfo=UTC),
    "portfolio_performance": datetime(2021, 3, 10, 3, 0, tzinfo=UTC),
    "signals": datetime(2025, 3, 10, 3, 0, tzinfo=UTC),
    "technical_indicators": datetime(2025, 3, 10, 3, 0, tzinfo=UTC),
}
# Two rows in two chunks that end before the cutoff (7-day chunks for bars and indicators,
# 30-day ones for signals and snapshots), two rows of the chunk straddling the cutoff before it,
# four at or after it.
OFFSETS = [
    timedelta(days=-70),
    timedelta(days=-40),
    timedelta(hours=-1),
    timedelta(microseconds=-1),
    timedelta(0),
    timedelta(microseconds=1),
    timedelta(hours=1),
    timedelta(days=2),
]


async def insert_rows_around(
    connection: asyncpg.Connection, table: str, times: list[datetime], portfolio_id: uuid.UUID
) -> None:
    rows: list[tuple[Any, ...]]
    match table:
        case "market_data":
            columns = ["time", "symbol", "interval_type", "open", "high", "low", "close"]
            rows = [(time, "AAPL", "1m", 1.0, 1.0, 1.0, 1.0) for time in times]
        case "technical_indicators":
            columns = ["time", "symbol", "interval_type", "indicator_name", "value"]
            rows = [(time, "AAPL", "1m", "rsi_14", 50.0) for time in times]
        case "signals":
            columns = ["time", "symbol", "strategy", "signal_type", "strength", "confidence"]
            rows = [(time, "AAPL", "momentum", "buy", "strong", 0.9) for time in times]
        case _:
            columns = ["time", "portfolio_id", "total_value", "cash_value", "invested_value"]
            rows = [(time, portfolio_id, Decimal(1), Decimal(1), Decimal(0)) for time in times]
    await connection.copy_records_to_table(table, records=rows, columns=columns)


async def test_retention_removes_exactly_the_rows_older_than_the_cutoff(
    connection: asyncpg.Connection, template_database: TemplateDatabase
) -> None:
    await connection.execute("SET TIME ZONE 'America/New_York'")
    portfolio_id = await create_portfolio(connection)
    for table, cutoff in CUTOFFS.items():
        times = [cutoff + offset for offset in OFFSETS]
        await insert_rows_around(connection, table, times, portfolio_id)
    # The chunk straddling each cutoff is compressed on TimescaleDB: deleting from it must work.
    await compress_chunks(connection, older_than=NOW)

    result = await apply_retention(connection, now=NOW)

    assert {item.table: item.cutoff for item in result.tables} == CUTOFFS
    for table, cutoff in CUTOFFS.items():
        remaining = await connection.fetch(f"SELECT time FROM {table} ORDER BY time")
        assert [row[0] for row in remaining] == [cutoff + offset for offset in OFFSETS[4:]]
    dropped_and_deleted = {(item.chunks_dropped, item.rows_deleted) for item in result.tables}
    assert dropped_and_deleted == ({(2, 2)} if template_database.has_timescaledb else {(0, 4)})


async def test_retention_reports_the_declared_windows(connection: asyncpg.Connection) -> None:
    result = await apply_retention(connection, now=NOW)

    assert {item.table: item.drop_after for item in result.tables} == {
        "market_data": "2 years",
        "portfolio_performance": "5 years",
        "signals": "1 year",
        "technical_indicators": "1 year",
    }
    assert {(item.chunks_dropped, item.rows_deleted) for item in result.tables} == {(0, 0)}


async def test_retention_counts_back_from_the_current_time_by_default(
    connection: asyncpg.Connection,
) -> None:
    recent = datetime.now(UTC) - timedelta(days=700)
    old = datetime.now(UTC) - timedelta(days=740)
    await insert_rows_around(connection, "market_data", [old, recent], uuid.uuid4())

    await apply_retention(connection)

    assert await connection.fetchval("SELECT array_agg(time) FROM market_data") == [recent]


@pytest.mark.timescaledb
async def test_summaries_keep_the_days_of_dropped_chunks_on_timescaledb(
    connection: asyncpg.Connection,
) -> None:
    await copy_bars(connection, market_bars(DAY, days=3, seed=11))
    await refresh_aggregates(connection)
    before = await SummaryRepository(BoundSession(connection)).daily_summaries(
        ["AAPL"], date(2025, 3, 8), date(2025, 3, 10)
    )

    await apply_retention(connection, now=DAY + timedelta(days=800))

    assert await connection.fetchval("SELECT count(*) FROM market_data") == 0
    after = await SummaryRepository(BoundSession(connection)).daily_summaries(
        ["AAPL"], date(2025, 3, 8), date(2025, 3, 10)
    )
    assert len(after) == 3
    assert after == before


COMPRESSION_SETTINGS = {
    "market_data": ("symbol,interval_type", '"time" DESC'),
    "technical_indicators": ("symbol,interval_type,indicator_name", '"time" DESC'),
    "signals": ("symbol,strategy", '"time" DESC'),
    "portfolio_performance": ("portfolio_id", '"time" DESC'),
}


@pytest.mark.timescaledb
async def test_hypertables_are_compressed_by_their_query_keys_newest_first(
    connection: asyncpg.Connection,
) -> None:
    settings = await connection.fetch(
        "SELECT hypertable::text, segmentby, orderby "
        "FROM timescaledb_information.hypertable_compression_settings "
        "WHERE hypertable::text = ANY($1::text[])",
        list(COMPRESSION_SETTINGS),
    )
    assert {row[0]: (row[1], row[2]) for row in settings} == COMPRESSION_SETTINGS


@pytest.mark.timescaledb
async def test_compression_policies_and_one_retention_job_exist_for_every_hypertable(
    connection: asyncpg.Connection,
) -> None:
    jobs = await connection.fetch(
        """
        SELECT coalesce(hypertable_name, ''), proc_name,
               coalesce(config ->> 'compress_after', config ->> 'drop_after', '') AS after
        FROM timescaledb_information.jobs
        WHERE proc_name IN ('policy_compression', 'policy_retention', 'retain_time_series')
        """
    )
    assert sorted(tuple(row) for row in jobs) == sorted(
        [
            ("market_data", "policy_compression", "7 days"),
            ("technical_indicators", "policy_compression", "7 days"),
            ("signals", "policy_compression", "30 days"),
            ("portfolio_performance", "policy_compression", "30 days"),
            # 0008's policies, paused by 0017: retain_time_series does their work.
            ("market_data", "policy_retention", "2 years"),
            ("technical_indicators", "policy_retention", "1 year"),
            ("signals", "policy_retention", "1 year"),
            ("portfolio_performance", "policy_retention", "5 years"),
            ("", "retain_time_series", ""),
        ]
    )


@pytest.mark.timescaledb
async def test_a_freshly_migrated_database_runs_retention_as_one_job(
    empty_database_url: str,
) -> None:
    # The test template has every job paused; a database migrated here has them as shipped.
    await asyncio.to_thread(apply_migrations, empty_database_url)
    connection = await asyncpg.connect(empty_database_url)
    try:
        scheduled = await connection.fetch(
            "SELECT proc_name, bool_and(scheduled) FROM timescaledb_information.jobs "
            "WHERE proc_name IN ('policy_retention', 'retain_time_series') GROUP BY proc_name"
        )
    finally:
        await connection.close()

    assert dict(scheduled) == {"policy_retention": False, "retain_time_series": True}
