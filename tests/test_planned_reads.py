"""Bounded time-series reads are planned for their arguments on TimescaleDB (migration 0018).

A statement prepared once per connection runs, after five executions, a generic plan that holds
and locks every chunk of the hypertable; years of chunks make every read pay for all of them,
and concurrent readers overflow the lock table. The library's range reads are functions that
run with plan_cache_mode = force_custom_plan, so a read touches only the chunks of its range,
however often a connection has run it. Latest prices touch no chunk at all.
"""

from __future__ import annotations

from datetime import timedelta

import asyncpg
import pytest

from boursa_db import PersistenceContext
from tests.conftest import TemplateDatabase
from tests.test_market_data import START, make_bar

READ_FUNCTIONS = (
    "market_data_range",
    "market_data_gaps",
    "market_data_summary",
    "market_data_stored",
    "daily_summaries_between",
    "hourly_bars_between",
    "hourly_portfolio_performance_between",
    "indicator_range",
    "signal_range",
    "signal_range_for_strategy",
    "performance_range",
)
DAY = timedelta(days=1)
LOCKED_CHUNKS = """
    SELECT count(*) FROM pg_locks AS l
    JOIN pg_class AS c ON c.oid = l.relation
    WHERE l.pid = pg_backend_pid() AND c.relkind = 'r'
      AND c.relnamespace = '_timescaledb_internal'::regnamespace
"""


async def test_each_bounded_read_is_planned_per_call_only_on_timescaledb(
    connection: asyncpg.Connection, template_database: TemplateDatabase
) -> None:
    settings = await connection.fetch(
        "SELECT proname, proconfig FROM pg_proc "
        "WHERE pronamespace = 'public'::regnamespace AND proname = ANY($1::text[])",
        list(READ_FUNCTIONS),
    )

    assert {row["proname"] for row in settings} == set(READ_FUNCTIONS)
    for row in settings:
        assert any(item.startswith("search_path=public,") for item in row["proconfig"])
        custom = "plan_cache_mode=force_custom_plan" in row["proconfig"]
        assert custom == template_database.has_timescaledb, row["proname"]


async def _ten_weeks_of_daily_bars(context: PersistenceContext) -> None:
    bars = [make_bar("AAPL", START - day * DAY, interval_type="1d") for day in range(70)]
    await context.market_data.copy(bars)


@pytest.mark.timescaledb
async def test_a_range_read_run_many_times_locks_only_the_chunks_of_its_range(
    context: PersistenceContext, connection: asyncpg.Connection
) -> None:
    await _ten_weeks_of_daily_bars(context)
    chunks = await connection.fetchval("SELECT count(*) FROM show_chunks('market_data')")

    async with context.uow() as uow:
        for _ in range(8):  # past the five custom plans PostgreSQL makes before choosing
            bars = await uow.market_data.find_by_symbol_and_timerange(
                "AAPL", START - DAY, START + DAY, "1d"
            )
        locked = await uow.connection.fetchval(LOCKED_CHUNKS)

    assert chunks >= 10
    assert len(bars) == 2
    assert 1 <= locked <= 2


@pytest.mark.timescaledb
async def test_latest_prices_lock_no_chunk(
    context: PersistenceContext, connection: asyncpg.Connection
) -> None:
    await _ten_weeks_of_daily_bars(context)

    async with context.uow() as uow:
        for _ in range(8):
            prices = await uow.market_data.find_latest_prices(["AAPL"], "1d")
        locked = await uow.connection.fetchval(LOCKED_CHUNKS)

    assert prices["AAPL"].time == START
    assert locked == 0
