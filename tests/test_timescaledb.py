"""With TimescaleDB, the four time-series tables are hypertables with 1-day chunks."""

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


@pytest.mark.parametrize("table", TIME_SERIES_TABLES)
async def test_hypertables_are_partitioned_by_time_only_in_one_day_chunks(
    connection: asyncpg.Connection, table: str
) -> None:
    dimensions = await connection.fetch(
        "SELECT column_name, dimension_type, time_interval "
        "FROM timescaledb_information.dimensions WHERE hypertable_name = $1",
        table,
    )
    assert [
        (row["column_name"], row["dimension_type"], row["time_interval"]) for row in dimensions
    ] == [("time", "Time", timedelta(days=1))]


async def test_bars_of_two_days_land_in_two_chunks(connection: asyncpg.Connection) -> None:
    await connection.execute(
        """
        INSERT INTO market_data (time, symbol, interval_type, open, high, low, close, volume)
        VALUES ('2026-11-02 15:30+00', 'AAPL', '1m', 1, 1, 1, 1, 1),
               ('2026-11-03 15:30+00', 'AAPL', '1m', 1, 1, 1, 1, 1)
        """
    )
    chunks = await connection.fetchval("SELECT count(*) FROM show_chunks('market_data')")
    assert chunks == 2
