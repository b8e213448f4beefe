"""The summary views answer exactly what a GROUP BY over the raw rows answers, on both backends.

On TimescaleDB the views are real-time continuous aggregates: the tests compare them before any
refresh (all real-time), after a refresh (materialized) and after new rows arrive (materialized
plus real-time). On plain PostgreSQL they are plain views and the same comparisons hold.
Buckets are UTC whatever the session TimeZone, including across a daylight-saving switch
(2025-03-09 in New York) and at a half-hour offset (Asia/Kolkata).
"""

from __future__ import annotations

import random
import uuid
from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

import asyncpg
import attrs
import pytest

from boursa_db.domain.intervals import Interval
from boursa_db.domain.summaries import DailySummary, HourlyBar, HourlyPortfolioPerformance
from boursa_db.errors import ValidationError
from boursa_db.maintenance import refresh_aggregates
from boursa_db.repositories.base import BoundSession
from boursa_db.repositories.summaries import SummaryRepository

BAR_COLUMNS = ["time", "symbol", "interval_type", "open", "high", "low", "close", "volume"]
SNAPSHOT_COLUMNS = [
    "time",
    "portfolio_id",
    "total_value",
    "cash_value",
    "invested_value",
    "total_return",
]
SESSION_TIME_ZONES = ["UTC", "America/New_York", "Asia/Kolkata"]
DAY = datetime(2025, 3, 8, tzinfo=UTC)  # New York switches to daylight time on the 9th
EVERYTHING = (datetime(2000, 1, 1, tzinfo=UTC), datetime(2100, 1, 1, tzinfo=UTC))

Bar = tuple[datetime, str, str, float, float, float, float, int]
Snapshot = tuple[datetime, uuid.UUID, Decimal, Decimal, Decimal, float | None]


def bar(time: datetime, symbol: str, interval: str, rng: random.Random) -> Bar:
    """A valid OHLCV bar with distinct random prices (first/last mistakes cannot hide)."""
    open_, close = round(rng.uniform(90, 110), 4), round(rng.uniform(90, 110), 4)
    high = round(max(open_, close) + rng.uniform(0, 2), 4)
    low = round(min(open_, close) - rng.uniform(0, 2), 4)
    return (time, symbol, interval, open_, high, low, close, rng.randrange(0, 10_000))


def edge_times(start: datetime, days: int) -> list[datetime]:
    """Minutes around every UTC midnight and hour edge of ``days`` days, plus random minutes."""
    rng = random.Random(days)
    times: set[datetime] = set()
    for day in range(days + 1):
        midnight = start + timedelta(days=day)
        times.update(midnight + timedelta(minutes=offset) for offset in (-2, -1, 0, 1))
        for hour in (4, 5, 9, 10, 14):  # 04:00-05:00 UTC is around midnight in New York
            edge = midnight + timedelta(hours=hour)
            times.update(edge + timedelta(minutes=offset) for offset in (-1, 0, 1, 29, 30))
        times.update(midnight + timedelta(minutes=rng.randrange(1440)) for _ in range(20))
    return sorted(time for time in times if start <= time < start + timedelta(days=days))


async def copy_bars(connection: asyncpg.Connection, bars: Iterable[Bar]) -> None:
    """COPY bars in a shuffled order: summaries must not depend on insertion order."""
    rows = list(bars)
    random.Random(len(rows)).shuffle(rows)
    await connection.copy_records_to_table("market_data", records=rows, columns=BAR_COLUMNS)


def market_bars(start: datetime, days: int, seed: int) -> list[Bar]:
    rng = random.Random(seed)
    bars = []
    for time in edge_times(start, days):
        for symbol in ("AAPL", "BRK-B"):
            bars.append(bar(time, symbol, "1m", rng))
            if time.minute % 5 == 0:
                bars.append(bar(time, symbol, "5m", rng))
    return bars


def expected_rollup(bars: Sequence[Bar], bucket: Any, keys: Any) -> list[tuple[Any, ...]]:
    """GROUP BY (bucket(time), keys(bar)) in Python: first open, max high, min low, last close."""
    groups: dict[tuple[Any, ...], list[Bar]] = defaultdict(list)
    for item in bars:
        groups[(*keys(item), bucket(item[0]))].append(item)
    rows = []
    for key, members in groups.items():
        members.sort(key=lambda item: item[0])
        rows.append(
            (
                *key,
                members[0][3],
                max(item[4] for item in members),
                min(item[5] for item in members),
                members[-1][6],
                sum(item[7] for item in members),
                len(members),
            )
        )
    return sorted(rows)


def expected_daily(bars: Sequence[Bar]) -> list[tuple[Any, ...]]:
    """(symbol, interval, UTC day, open, high, low, close, volume, count)."""
    return expected_rollup(bars, lambda time: time.astimezone(UTC).date(), lambda b: b[1:3])


def expected_hourly(bars: Sequence[Bar]) -> list[tuple[Any, ...]]:
    """(symbol, UTC hour, open, high, low, close, volume, count) of the one-minute bars."""
    minute_bars = [item for item in bars if item[2] == "1m"]
    return expected_rollup(
        minute_bars,
        lambda time: time.astimezone(UTC).replace(minute=0, second=0, microsecond=0),
        lambda b: b[1:2],
    )


async def daily_rows(connection: asyncpg.Connection, symbols: list[str]) -> list[tuple[Any, ...]]:
    summaries = await SummaryRepository(BoundSession(connection)).daily_summaries(
        symbols, date(2000, 1, 1), date(2099, 12, 31), Interval.ONE_MINUTE
    )
    five_minutes = await SummaryRepository(BoundSession(connection)).daily_summaries(
        symbols, date(2000, 1, 1), date(2099, 12, 31), "5m"
    )
    return sorted(
        (
            s.symbol,
            s.interval_type.value,
            s.day,
            s.open,
            s.high,
            s.low,
            s.close,
            s.volume,
            s.bar_count,
        )
        for s in [*summaries, *five_minutes]
    )


async def hourly_rows(connection: asyncpg.Connection, symbols: list[str]) -> list[tuple[Any, ...]]:
    repository = SummaryRepository(BoundSession(connection))
    rows = []
    for symbol in symbols:
        for item in await repository.hourly_bars(symbol, *EVERYTHING):
            rows.append(
                (
                    item.symbol,
                    item.hour,
                    item.open,
                    item.high,
                    item.low,
                    item.close,
                    item.volume,
                    item.bar_count,
                )
            )
    return sorted(rows)


async def create_portfolio(connection: asyncpg.Connection) -> uuid.UUID:
    user_id = await connection.fetchval(
        "INSERT INTO users (email, username, password_hash) "
        "VALUES ('ada@example.com', 'ada', 'argon2id$h') RETURNING id"
    )
    portfolio_id: uuid.UUID = await connection.fetchval(
        "INSERT INTO portfolios (user_id, name) VALUES ($1, 'Main') RETURNING id", user_id
    )
    return portfolio_id


def snapshots(portfolio_id: uuid.UUID, start: datetime, hours: int) -> list[Snapshot]:
    """Snapshots every 15 minutes plus ones at hh:59:59.999999 and hh:00; some hours end with a
    NULL return, one hour holds a single snapshot."""
    rng = random.Random(hours)
    times = set()
    for hour in range(hours):
        top = start + timedelta(hours=hour)
        times.update(top + timedelta(minutes=minutes) for minutes in (0, 15, 30, 45))
        times.add(top + timedelta(hours=1) - timedelta(microseconds=1))
    times.add(start + timedelta(hours=hours, minutes=10))  # a lone snapshot in the last hour
    rows = []
    for time in sorted(times):
        value = Decimal(rng.randrange(9_000_000_000, 11_000_000_000)) / 10_000
        total_return = None if time.minute == 59 and time.hour % 3 == 0 else rng.uniform(-0.2, 0.2)
        rows.append((time, portfolio_id, value, value / 2, value - value / 2, total_return))
    return rows


async def expected_performance(
    connection: asyncpg.Connection, rows: Sequence[Snapshot]
) -> list[tuple[Any, ...]]:
    """min/max/last/count from the rows; avg and stddev from a GROUP BY in SQL (numeric)."""
    groups: dict[datetime, list[Snapshot]] = defaultdict(list)
    for row in rows:
        groups[row[0].replace(minute=0, second=0, microsecond=0)].append(row)
    statistics = await connection.fetch(
        """
        SELECT date_bin('1 hour', time, TIMESTAMPTZ '2000-01-01 00:00:00+00') AS hour,
               avg(total_value) AS average, stddev_samp(total_value) AS deviation
        FROM portfolio_performance GROUP BY 1
        """
    )
    by_hour = {row["hour"]: (row["average"], row["deviation"]) for row in statistics}
    expected = []
    for hour, members in sorted(groups.items()):
        members.sort(key=lambda member: member[0])
        expected.append(
            (
                hour,
                members[0][1],
                by_hour[hour][0],
                min(member[2] for member in members),
                max(member[2] for member in members),
                members[-1][5],
                by_hour[hour][1],
                len(members),
            )
        )
    return expected


async def performance_rows(
    connection: asyncpg.Connection, portfolio_id: uuid.UUID
) -> list[tuple[Any, ...]]:
    repository = SummaryRepository(BoundSession(connection))
    found = await repository.hourly_portfolio_performance(portfolio_id, *EVERYTHING)
    return [attrs.astuple(item) for item in found]


@pytest.mark.parametrize("time_zone", SESSION_TIME_ZONES)
async def test_daily_summaries_equal_a_group_by_over_the_raw_bars(
    connection: asyncpg.Connection, time_zone: str
) -> None:
    await connection.execute(f"SET TIME ZONE '{time_zone}'")
    bars = market_bars(DAY, days=3, seed=1)
    await copy_bars(connection, bars)

    assert await daily_rows(connection, ["AAPL", "BRK-B"]) == expected_daily(bars)
    await refresh_aggregates(connection)
    assert await daily_rows(connection, ["AAPL", "BRK-B"]) == expected_daily(bars)

    later = market_bars(DAY + timedelta(days=3), days=1, seed=2)
    await copy_bars(connection, later)
    assert await daily_rows(connection, ["AAPL", "BRK-B"]) == expected_daily(bars + later)


@pytest.mark.parametrize("time_zone", SESSION_TIME_ZONES)
async def test_hourly_bars_equal_a_group_by_over_the_one_minute_bars(
    connection: asyncpg.Connection, time_zone: str
) -> None:
    await connection.execute(f"SET TIME ZONE '{time_zone}'")
    bars = market_bars(DAY, days=2, seed=3)
    await copy_bars(connection, bars)

    assert await hourly_rows(connection, ["AAPL", "BRK-B"]) == expected_hourly(bars)
    await refresh_aggregates(connection)
    assert await hourly_rows(connection, ["AAPL", "BRK-B"]) == expected_hourly(bars)

    later = market_bars(DAY + timedelta(days=2), days=1, seed=4)
    await copy_bars(connection, later)
    assert await hourly_rows(connection, ["AAPL", "BRK-B"]) == expected_hourly(bars + later)


@pytest.mark.parametrize("time_zone", SESSION_TIME_ZONES)
async def test_hourly_portfolio_performance_equals_a_group_by_over_the_snapshots(
    connection: asyncpg.Connection, time_zone: str
) -> None:
    await connection.execute(f"SET TIME ZONE '{time_zone}'")
    portfolio_id = await create_portfolio(connection)
    rows = snapshots(portfolio_id, DAY + timedelta(hours=20), hours=8)
    await connection.copy_records_to_table(
        "portfolio_performance", records=rows, columns=SNAPSHOT_COLUMNS
    )

    assert await performance_rows(connection, portfolio_id) == await expected_performance(
        connection, rows
    )
    await refresh_aggregates(connection)
    assert await performance_rows(connection, portfolio_id) == await expected_performance(
        connection, rows
    )

    later = snapshots(portfolio_id, DAY + timedelta(days=1, hours=6), hours=2)
    await connection.copy_records_to_table(
        "portfolio_performance", records=later, columns=SNAPSHOT_COLUMNS
    )
    assert await performance_rows(connection, portfolio_id) == await expected_performance(
        connection, rows + later
    )


async def test_the_last_return_of_an_hour_is_that_of_its_last_snapshot_even_when_null(
    connection: asyncpg.Connection,
) -> None:
    portfolio_id = await create_portfolio(connection)
    hour = DAY + timedelta(hours=9)
    rows = [
        (hour, portfolio_id, Decimal("100.0000"), Decimal(0), Decimal("100.0000"), 0.1),
        (
            hour + timedelta(minutes=59),
            portfolio_id,
            Decimal("90.0000"),
            Decimal(0),
            Decimal("90.0000"),
            None,
        ),
    ]
    await connection.copy_records_to_table(
        "portfolio_performance", records=rows, columns=SNAPSHOT_COLUMNS
    )

    [found] = await SummaryRepository(BoundSession(connection)).hourly_portfolio_performance(
        portfolio_id, hour, hour + timedelta(hours=1)
    )

    assert found == HourlyPortfolioPerformance(
        hour=hour,
        portfolio_id=portfolio_id,
        avg_total_value=Decimal("95.0000000000000000"),
        min_total_value=Decimal("90.0000"),
        max_total_value=Decimal("100.0000"),
        last_total_return=None,
        volatility=Decimal("7.0710678118654752"),
        snapshot_count=2,
    )


async def test_daily_summaries_cover_whole_utc_days_from_start_to_end(
    session: BoundSession, connection: asyncpg.Connection
) -> None:
    await connection.execute("SET TIME ZONE 'America/New_York'")
    rng = random.Random(5)
    bars = [
        bar(DAY - timedelta(microseconds=1), "AAPL", "1m", rng),  # last instant of the 7th
        bar(DAY, "AAPL", "1m", rng),
        bar(DAY + timedelta(days=1, hours=23, minutes=59), "AAPL", "1m", rng),
        bar(DAY + timedelta(days=2), "AAPL", "1m", rng),
        bar(DAY, "MSFT", "1m", rng),
    ]
    await copy_bars(connection, bars)

    found = await SummaryRepository(session).daily_summaries(
        ["AAPL"], date(2025, 3, 8), date(2025, 3, 9)
    )

    assert [(item.symbol, item.day, item.open) for item in found] == [
        ("AAPL", date(2025, 3, 8), bars[1][3]),
        ("AAPL", date(2025, 3, 9), bars[2][3]),
    ]


async def test_a_daily_summary_reads_back_with_every_field(
    session: BoundSession, connection: asyncpg.Connection
) -> None:
    await copy_bars(
        connection,
        [
            (DAY + timedelta(hours=14), "MC.PA", "1d", 700.5, 712.25, 698.0, 710.0, 1200),
            (DAY + timedelta(hours=15), "MC.PA", "1d", 710.0, 720.0, 705.5, 715.75, 800),
        ],
    )

    [found] = await SummaryRepository(session).daily_summaries(
        ["MC.PA"], date(2025, 3, 8), date(2025, 3, 8), Interval.ONE_DAY
    )

    assert attrs.asdict(found) == {
        "day": date(2025, 3, 8),
        "symbol": "MC.PA",
        "interval_type": Interval.ONE_DAY,
        "open": 700.5,
        "high": 720.0,
        "low": 698.0,
        "close": 715.75,
        "volume": 2000,
        "bar_count": 2,
    }


async def test_an_hourly_bar_reads_back_with_every_field(
    session: BoundSession, connection: asyncpg.Connection
) -> None:
    hour = DAY + timedelta(hours=15)
    await copy_bars(
        connection,
        [
            (hour + timedelta(minutes=59), "BTC-USD", "1m", 5.0, 9.0, 4.0, 8.0, 7),
            (hour, "BTC-USD", "1m", 6.0, 7.0, 1.5, 5.0, 3),
            (hour + timedelta(minutes=30), "BTC-USD", "5m", 50.0, 90.0, 0.5, 80.0, 70),
        ],
    )

    found = await SummaryRepository(session).hourly_bars("BTC-USD", hour, hour + timedelta(hours=1))

    assert [attrs.asdict(item) for item in found] == [
        {
            "hour": hour,
            "symbol": "BTC-USD",
            "open": 6.0,
            "high": 9.0,
            "low": 1.5,
            "close": 8.0,
            "volume": 10,
            "bar_count": 2,
        }
    ]


VIEW_COLUMNS = {
    "daily_market_summary": [
        ("day", "timestamp with time zone"),
        ("symbol", "text"),
        ("interval_type", "text"),
        ("open", "double precision"),
        ("high", "double precision"),
        ("low", "double precision"),
        ("close", "double precision"),
        ("volume", "bigint"),
        ("bar_count", "bigint"),
    ],
    "hourly_market_bars": [
        ("hour", "timestamp with time zone"),
        ("symbol", "text"),
        ("open", "double precision"),
        ("high", "double precision"),
        ("low", "double precision"),
        ("close", "double precision"),
        ("volume", "bigint"),
        ("bar_count", "bigint"),
    ],
    "hourly_portfolio_performance": [
        ("hour", "timestamp with time zone"),
        ("portfolio_id", "uuid"),
        ("avg_total_value", "numeric"),
        ("min_total_value", "numeric"),
        ("max_total_value", "numeric"),
        ("last_total_return", "double precision"),
        ("volatility", "numeric"),
        ("snapshot_count", "bigint"),
    ],
}


@pytest.mark.parametrize("view", sorted(VIEW_COLUMNS))
async def test_each_summary_view_has_the_same_columns_on_every_backend(
    connection: asyncpg.Connection, view: str
) -> None:
    columns = await connection.fetch(
        "SELECT column_name, data_type FROM information_schema.columns "
        "WHERE table_schema = current_schema() AND table_name = $1 ORDER BY ordinal_position",
        view,
    )
    assert [tuple(column) for column in columns] == VIEW_COLUMNS[view]


@pytest.mark.parametrize(
    ("arguments", "field"),
    [
        ((["AAPL"], date(2025, 3, 9), date(2025, 3, 8)), "start"),
        ((["AAPL"], DAY, date(2025, 3, 8)), "start"),
        ((["AAPL"], date(2025, 3, 8), "2025-03-09"), "end"),
        (([], date(2025, 3, 8), date(2025, 3, 9)), "symbols"),
        (("AAPL", date(2025, 3, 8), date(2025, 3, 9)), "symbols"),
        ((["aapl"], date(2025, 3, 8), date(2025, 3, 9)), "symbols"),
        ((["AAPL"], date(2025, 3, 8), date(2025, 3, 9), "2m"), "interval"),
    ],
)
async def test_daily_summaries_reject_bad_arguments_before_the_database(
    arguments: tuple[Any, ...], field: str
) -> None:
    repository = SummaryRepository(BoundSession(None))
    with pytest.raises(ValidationError) as raised:
        await repository.daily_summaries(*arguments)
    assert raised.value.field == field


@pytest.mark.parametrize(
    ("method", "arguments", "field"),
    [
        ("hourly_bars", ("AAPL", DAY.replace(tzinfo=None), DAY), "start"),
        ("hourly_bars", ("AAPL", DAY, DAY - timedelta(hours=1)), "start"),
        ("hourly_bars", ("AAPL ", DAY, DAY), "symbol"),
        ("hourly_portfolio_performance", (str(uuid.uuid4()), DAY, DAY), "portfolio_id"),
        ("hourly_portfolio_performance", (uuid.uuid4(), DAY, DAY.replace(tzinfo=None)), "end"),
    ],
)
async def test_hourly_reads_reject_bad_arguments_before_the_database(
    method: str, arguments: tuple[Any, ...], field: str
) -> None:
    repository = SummaryRepository(BoundSession(None))
    with pytest.raises(ValidationError) as raised:
        await getattr(repository, method)(*arguments)
    assert raised.value.field == field


VALID_DAILY: dict[str, Any] = {
    "day": date(2025, 3, 8),
    "symbol": "AAPL",
    "interval_type": "1m",
    "open": 1.0,
    "high": 2.0,
    "low": 0.5,
    "close": 1.5,
    "volume": 0,
    "bar_count": 1,
}


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("day", DAY),
        ("symbol", "aapl"),
        ("open", 0.0),
        ("close", float("nan")),
        ("volume", -1),
        ("volume", 1.5),
        ("bar_count", 0),
    ],
)
def test_a_daily_summary_rejects_invalid_values(field: str, value: Any) -> None:
    with pytest.raises(ValidationError) as raised:
        DailySummary(**{**VALID_DAILY, field: value})
    assert raised.value.field == field


def test_a_daily_summary_rejects_an_unknown_interval() -> None:
    with pytest.raises(ValidationError, match="'2m' is not a valid Interval"):
        DailySummary(**{**VALID_DAILY, "interval_type": "2m"})


def test_summaries_reject_naive_hours_and_non_decimal_money() -> None:
    with pytest.raises(ValidationError) as naive:
        HourlyBar(
            hour=DAY.replace(tzinfo=None),
            symbol="AAPL",
            open=1.0,
            high=1.0,
            low=1.0,
            close=1.0,
            volume=1,
            bar_count=1,
        )
    with pytest.raises(ValidationError) as floating:
        HourlyPortfolioPerformance(
            hour=DAY,
            portfolio_id=uuid.uuid4(),
            avg_total_value=1.5,
            min_total_value=Decimal(1),
            max_total_value=Decimal(2),
            last_total_return=None,
            volatility=None,
            snapshot_count=2,
        )
    assert (naive.value.field, floating.value.field) == ("hour", "avg_total_value")


@pytest.mark.timescaledb
async def test_the_summaries_are_real_time_aggregates_refreshed_within_the_retention_window(
    connection: asyncpg.Connection,
) -> None:
    views = await connection.fetch(
        """
        SELECT ca.view_name, ca.hypertable_name, ca.materialized_only,
               (j.config ->> 'start_offset')::interval < r.drop_after AS within_retention
        FROM timescaledb_information.continuous_aggregates AS ca
        JOIN timescaledb_information.jobs AS j
            ON j.hypertable_name = ca.view_name
           AND j.proc_name = 'policy_refresh_continuous_aggregate'
        JOIN time_series_retention AS r ON r.table_name = ca.hypertable_name
        """
    )
    assert {tuple(view) for view in views} == {
        ("daily_market_summary", "market_data", False, True),
        ("hourly_market_bars", "market_data", False, True),
        ("hourly_portfolio_performance", "portfolio_performance", False, True),
    }
