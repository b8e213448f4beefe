"""With TimescaleDB, the four time-series tables are hypertables partitioned by time only, in
7-day chunks for bars and indicators and 30-day chunks for signals and snapshots (migration
0016); the summaries' materializations in chunks ten times as long."""

from __future__ import annotations

from datetime import timedelta

import asyncpg
import pytest

from tests.test_schema import TIME_SERIES_TABLES

pytestmark = pytest.mark.timescaledb


async def test_the_four_time_series_tables_are_hypertables(connection: asyncpg.Connection) -> None:
    names = await connection.fetch(
        "SELECT hypertable_name FROM timescaledb_information.hypertables "
        "WHERE hypertable_schema = 'public'"
    )
    assert {row[0] for row in names} >= set(TIME_SERIES_TABLES)


CHUNK_INTERVALS = {
    "market_data": timedelta(days=7),
    "technical_indicators": timedelta(days=7),
    "signals": timedelta(days=30),
    "portfolio_performance": timedelta(days=30),
    "daily_market_summary": timedelta(days=70),
    "hourly_market_bars": timedelta(days=70),
    "hourly_portfolio_performance": timedelta(days=300),
}


@pytest.mark.parametrize("table", TIME_SERIES_TABLES)
async def test_hypertables_are_partitioned_by_time_only_in_chunks_of_their_data_kind(
    connection: asyncpg.Connection, table: str
) -> None:
    dimensions = await connection.fetch(
        "SELECT column_name, dimension_type, time_interval "
        "FROM timescaledb_information.dimensions WHERE hypertable_name = $1",
        table,
    )
    assert [
        (row["column_name"], row["dimension_type"], row["time_interval"]) for row in dimensions
    ] == [("time", "Time", CHUNK_INTERVALS[table])]


@pytest.mark.parametrize(
    "view", ["daily_market_summary", "hourly_market_bars", "hourly_portfolio_performance"]
)
async def test_summaries_are_materialized_in_chunks_ten_times_those_they_summarize(
    connection: asyncpg.Connection, view: str
) -> None:
    interval = await connection.fetchval(
        "SELECT d.time_interval FROM timescaledb_information.continuous_aggregates AS c "
        "JOIN timescaledb_information.dimensions AS d "
        "ON d.hypertable_schema = c.materialization_hypertable_schema "
        "AND d.hypertable_name = c.materialization_hypertable_name "
        "WHERE c.view_name = $1",
        view,
    )
    assert interval == CHUNK_INTERVALS[view]


async def test_a_week_of_bars_lands_in_one_chunk_and_the_next_week_in_another(
    connection: asyncpg.Connection,
) -> None:
    # 7-day chunks are aligned on TimescaleDB's epoch, a Thursday: 2026-10-29 to 2026-11-05.
    await connection.execute(
        """
        INSERT INTO market_data (time, symbol, interval_type, open, high, low, close, volume)
        SELECT time, 'AAPL', '1m', 1, 1, 1, 1, 1
        FROM generate_series(TIMESTAMPTZ '2026-10-29 00:00+00', '2026-11-04 23:59+00',
                             INTERVAL '6 hours') AS time
        UNION ALL
        SELECT '2026-11-05 00:00+00', 'AAPL', '1m', 1, 1, 1, 1, 1
        """
    )
    chunks = await connection.fetchval("SELECT count(*) FROM show_chunks('market_data')")
    assert chunks == 2
