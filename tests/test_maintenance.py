"""The maintenance API: refresh windows, status report, pools, and what plain PostgreSQL lacks.

Background jobs are paused in the test databases; every refresh and compression here is
explicit.
"""

from __future__ import annotations

import random
from collections.abc import AsyncIterator
from datetime import date, datetime, timedelta
from typing import Any

import asyncpg
import pytest

from boursa_db.errors import DatabaseError, ValidationError
from boursa_db.maintenance import (
    NO_MATERIALIZATION,
    SUMMARY_BUCKETS,
    AggregateStatus,
    PolicyKind,
    PolicyStatus,
    RefreshedWindow,
    RefreshResult,
    TableStatus,
    apply_retention,
    compress_chunks,
    refresh_aggregates,
    status_report,
)
from boursa_db.repositories.base import BoundSession
from boursa_db.repositories.summaries import SummaryRepository
from tests.conftest import TemplateDatabase
from tests.test_aggregates import DAY, bar, copy_bars, expected_daily, market_bars

TABLES = {"market_data", "technical_indicators", "signals", "portfolio_performance"}
RETENTION = {
    ("market_data", "2 years"),
    ("technical_indicators", "1 year"),
    ("signals", "1 year"),
    ("portfolio_performance", "5 years"),
}


@pytest.fixture
async def pool(database_url: str) -> AsyncIterator[asyncpg.Pool]:
    async with asyncpg.create_pool(database_url, min_size=1, max_size=2) as pool:
        yield pool


async def daily_rows(connection: asyncpg.Connection) -> list[tuple[Any, ...]]:
    repository = SummaryRepository(BoundSession(connection))
    rows = []
    for interval in ("1m", "5m"):
        for item in await repository.daily_summaries(
            ["AAPL", "BRK-B"], date(2025, 1, 1), date(2025, 12, 31), interval
        ):
            rows.append(
                (
                    item.symbol,
                    item.interval_type.value,
                    item.day,
                    item.open,
                    item.high,
                    item.low,
                    item.close,
                    item.volume,
                    item.bar_count,
                )
            )
    return sorted(rows)


async def test_a_refresh_covers_every_bucket_its_window_touches(
    connection: asyncpg.Connection, template_database: TemplateDatabase
) -> None:
    await copy_bars(connection, market_bars(DAY, days=3, seed=20))
    start, end = DAY + timedelta(hours=10, minutes=30), DAY + timedelta(days=1, hours=5)

    result = await refresh_aggregates(connection, start, end)

    if not template_database.has_timescaledb:
        assert result == RefreshResult(applies=False, reason=NO_MATERIALIZATION)
        return
    assert result == RefreshResult(
        applies=True,
        windows=(
            RefreshedWindow(view="daily_market_summary", start=DAY, end=DAY + timedelta(days=2)),
            RefreshedWindow(view="hourly_market_bars", start=DAY + timedelta(hours=10), end=end),
            RefreshedWindow(
                view="hourly_portfolio_performance", start=DAY + timedelta(hours=10), end=end
            ),
        ),
    )
    status = await status_report(connection)
    watermarks = {item.view: item.materialized_through for item in status.aggregates}
    assert watermarks["daily_market_summary"] == DAY + timedelta(days=2)
    assert watermarks["hourly_market_bars"] == end


async def test_a_late_write_is_in_the_summaries_once_its_window_is_refreshed(
    connection: asyncpg.Connection,
) -> None:
    bars = market_bars(DAY, days=3, seed=21)
    await copy_bars(connection, bars)
    await refresh_aggregates(connection)
    late = bar(DAY + timedelta(hours=23, minutes=59, seconds=30), "AAPL", "1m", random.Random(21))

    await copy_bars(connection, [late])
    await refresh_aggregates(connection, late[0], late[0] + timedelta(seconds=1))

    assert await daily_rows(connection) == expected_daily([*bars, late])


@pytest.mark.timescaledb
async def test_a_late_write_below_the_watermark_is_stale_until_refreshed_on_timescaledb(
    connection: asyncpg.Connection,
) -> None:
    bars = market_bars(DAY, days=3, seed=22)
    await copy_bars(connection, bars)
    await refresh_aggregates(connection)
    late = bar(DAY + timedelta(hours=23, minutes=59, seconds=30), "AAPL", "1m", random.Random(22))

    await copy_bars(connection, [late])

    assert await daily_rows(connection) == expected_daily(bars)


async def test_refreshing_only_some_views_refreshes_only_those(
    connection: asyncpg.Connection, template_database: TemplateDatabase
) -> None:
    result = await refresh_aggregates(connection, views=["hourly_market_bars"])

    expected = (
        (RefreshedWindow(view="hourly_market_bars", start=None, end=None),)
        if template_database.has_timescaledb
        else ()
    )
    assert result.windows == expected


@pytest.mark.timescaledb
async def test_refreshing_inside_a_transaction_is_refused_by_timescaledb(
    connection: asyncpg.Connection,
) -> None:
    with pytest.raises(DatabaseError) as raised:
        async with connection.transaction():
            await refresh_aggregates(connection)
    assert raised.value.sqlstate == "25001"


async def test_the_status_report_lists_tables_policies_and_summary_views(
    connection: asyncpg.Connection, template_database: TemplateDatabase
) -> None:
    status = await status_report(connection)

    assert {table.table for table in status.tables} == TABLES
    assert all(table.total_bytes > 0 for table in status.tables)
    assert {view.view for view in status.aggregates} == set(SUMMARY_BUCKETS)
    retention = {
        (policy.target, policy.after)
        for policy in status.policies
        if policy.kind is PolicyKind.RETENTION
    }
    assert retention == RETENTION
    if not template_database.has_timescaledb:
        assert status.timescaledb_version is None
        assert not any(table.hypertable or table.chunks is not None for table in status.tables)
        assert {policy.kind for policy in status.policies} == {PolicyKind.RETENTION}
        assert all(policy.job_id is None and not policy.scheduled for policy in status.policies)
        assert set(status.aggregates) == {
            AggregateStatus(view=name, materialized=False, real_time=True)
            for name in SUMMARY_BUCKETS
        }


@pytest.mark.timescaledb
async def test_the_status_report_shows_every_policy_job_on_timescaledb(
    connection: asyncpg.Connection,
) -> None:
    status = await status_report(connection)

    assert status.timescaledb
    assert {(policy.kind, policy.target, policy.after) for policy in status.policies} == {
        (PolicyKind.COMPRESSION, "market_data", "7 days"),
        (PolicyKind.COMPRESSION, "technical_indicators", "7 days"),
        (PolicyKind.COMPRESSION, "signals", "30 days"),
        (PolicyKind.COMPRESSION, "portfolio_performance", "30 days"),
        *((PolicyKind.RETENTION, table, after) for table, after in RETENTION),
        (PolicyKind.REFRESH, "daily_market_summary", "7 days"),
        (PolicyKind.REFRESH, "hourly_market_bars", "7 days"),
        (PolicyKind.REFRESH, "hourly_portfolio_performance", "7 days"),
    }
    assert all(isinstance(policy.job_id, int) for policy in status.policies)
    assert all(policy.schedule_interval for policy in status.policies)
    assert all(view.materialized and view.real_time for view in status.aggregates)


@pytest.mark.timescaledb
async def test_the_status_report_measures_compression_on_timescaledb(
    connection: asyncpg.Connection,
) -> None:
    rng = random.Random(23)
    # Two days around the edge of the 7-day chunks on Thursday 03-13; the first is compressed.
    edge = DAY + timedelta(days=5)
    minutes = [edge + timedelta(minutes=minute) for minute in range(-24 * 60, 24 * 60)]
    await copy_bars(connection, [bar(time, "AAPL", "1m", rng) for time in minutes])
    await compress_chunks(connection, older_than=edge)

    status = await status_report(connection)

    [market_data] = [table for table in status.tables if table.table == "market_data"]
    assert (market_data.hypertable, market_data.chunks, market_data.compressed_chunks) == (
        True,
        2,
        1,
    )
    assert market_data.uncompressed_bytes is not None
    assert market_data.compressed_bytes is not None
    assert market_data.compression_ratio == (
        market_data.uncompressed_bytes / market_data.compressed_bytes
    )
    assert market_data.compression_ratio > 1


def test_a_table_without_compressed_chunks_has_no_compression_ratio() -> None:
    status = TableStatus(table="signals", hypertable=True, total_bytes=8192, chunks=3)

    assert status.compression_ratio is None


def test_a_policy_kind_is_read_from_its_name() -> None:
    policy = PolicyStatus(kind="retention", target="signals", after="1 year")

    assert policy.kind is PolicyKind.RETENTION


async def test_every_operation_works_on_a_pool(
    pool: asyncpg.Pool, template_database: TemplateDatabase
) -> None:
    async with pool.acquire() as connection:
        await copy_bars(connection, market_bars(DAY, days=2, seed=24))

    refreshed = await refresh_aggregates(pool, DAY, DAY + timedelta(days=1))
    compressed = await compress_chunks(pool, older_than=DAY + timedelta(days=1))
    retention = await apply_retention(pool, now=DAY + timedelta(days=2 * 366))
    status = await status_report(pool)

    assert refreshed.applies == compressed.applies == template_database.has_timescaledb
    assert {item.table for item in retention.tables} == TABLES
    assert {table.table for table in status.tables} == TABLES


@pytest.mark.parametrize(
    ("call", "field"),
    [
        (lambda: refresh_aggregates(None, DAY.replace(tzinfo=None)), "start"),
        (lambda: refresh_aggregates(None, DAY, DAY), "start"),
        (lambda: refresh_aggregates(None, end="2025-03-08"), "end"),
        (lambda: refresh_aggregates(None, views=["market_data"]), "views"),
        (lambda: refresh_aggregates(None, views="hourly_market_bars"), "views"),
        (lambda: refresh_aggregates(None, views=[]), "views"),
        (lambda: compress_chunks(None, older_than=datetime(2025, 3, 8)), "older_than"),
        (lambda: apply_retention(None, now=datetime(2025, 3, 8)), "now"),
    ],
)
async def test_maintenance_rejects_bad_arguments_before_the_database(call: Any, field: str) -> None:
    with pytest.raises(ValidationError) as raised:
        await call()
    assert raised.value.field == field
