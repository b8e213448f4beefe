"""MarketBar and MarketDataRepository: validation, latest prices, ranges, gaps and summaries."""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta
from typing import Any

import asyncpg
import attrs
import pytest

from boursa_db.domain.intervals import Interval
from boursa_db.domain.market import Gap, MarketBar
from boursa_db.errors import ValidationError
from boursa_db.queries import default_library
from boursa_db.repositories.base import BoundSession
from boursa_db.repositories.market_data import MarketDataRepository

START = datetime(2026, 11, 2, 14, 30, tzinfo=UTC)
MINUTE = timedelta(minutes=1)


def make_bar(symbol: str = "AAPL", time: datetime = START, **changes: Any) -> MarketBar:
    """A valid one-minute bar; ``close`` alone moves the other prices around it."""
    close = changes.pop("close", 100.0)
    values: dict[str, Any] = {
        "time": time,
        "symbol": symbol,
        "interval_type": Interval.ONE_MINUTE,
        "open": close - 0.5,
        "high": close + 1.0,
        "low": close - 1.0,
        "close": close,
        "volume": 1000,
        "source": "test",
    }
    values.update(changes)
    return MarketBar(**values)


def minute_bars(symbol: str, start: datetime, count: int, **changes: Any) -> list[MarketBar]:
    """``count`` consecutive one-minute bars, closing at ``close`` (100.0), ``close + 1``..."""
    base = changes.pop("close", 100.0)
    return [
        make_bar(symbol, start + index * MINUTE, close=base + index, **changes)
        for index in range(count)
    ]


@pytest.fixture
def market_data(session: BoundSession) -> MarketDataRepository:
    return MarketDataRepository(session)


# --- the domain ---------------------------------------------------------------------------


@pytest.mark.parametrize("symbol", ["AAPL", "BRK-B", "MC.PA", "BTC-USD", "GC=F", "^GSPC"])
def test_a_bar_accepts_real_tickers(symbol: str) -> None:
    assert make_bar(symbol).symbol == symbol


@pytest.mark.parametrize("symbol", ["aapl", "AAPL;DROP TABLE", "", "A" * 21, "-AAPL", 42])
def test_a_bar_rejects_what_is_not_a_ticker(symbol: Any) -> None:
    with pytest.raises(ValidationError, match="symbol") as raised:
        make_bar(symbol)
    assert raised.value.field == "symbol"


def test_a_bar_accepts_an_interval_by_its_value() -> None:
    bar = make_bar(interval_type="1h")
    assert bar.interval_type is Interval.ONE_HOUR


def test_a_bar_rejects_an_unknown_interval() -> None:
    with pytest.raises(ValidationError, match="'2m' is not a valid Interval"):
        make_bar(interval_type="2m")


def test_a_bar_rejects_a_naive_time() -> None:
    with pytest.raises(ValidationError, match="naive datetime") as raised:
        make_bar(time=datetime(2026, 11, 2, 14, 30))
    assert raised.value.field == "time"


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("open", 0.0),
        ("close", -1.0),
        ("high", math.inf),
        ("low", math.nan),
        ("adjusted_close", 0.0),
        ("volume", -1),
        ("volume", 2**63),
        ("volume", 1.5),
        ("volume", True),
        ("source", "Bad Source"),
        ("source", ""),
    ],
)
def test_a_bar_rejects_values_its_table_refuses(field: str, value: Any) -> None:
    with pytest.raises(ValidationError) as raised:
        attrs.evolve(make_bar(), **{field: value})
    assert raised.value.field == field


@pytest.mark.parametrize(
    "prices",
    [
        {"open": 100.0, "high": 99.0, "low": 98.0, "close": 98.5},  # open above high
        {"open": 100.0, "high": 101.0, "low": 99.0, "close": 98.0},  # close below low
        {"open": 100.0, "high": 101.0, "low": 102.0, "close": 101.0},  # low above high
    ],
)
def test_a_bar_rejects_inconsistent_ohlc(prices: dict[str, float]) -> None:
    with pytest.raises(ValidationError, match="ohlc") as raised:
        make_bar(**prices)
    assert raised.value.field == "ohlc"


def test_a_bar_is_frozen() -> None:
    bar = make_bar()
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        bar.close = 1.0  # type: ignore[misc]


# --- save, find_latest, count, delete ---------------------------------------------------


async def test_a_saved_bar_reads_back_with_every_field(market_data: MarketDataRepository) -> None:
    bar = MarketBar(
        time=START,
        symbol="BRK-B",
        interval_type=Interval.FIVE_MINUTES,
        open=412.25,
        high=415.5,
        low=410.125,
        close=414.0,
        adjusted_close=413.75,
        volume=123_456_789_012,
        source="polygon",
    )

    saved = await market_data.save(bar)
    found = await market_data.find_latest("BRK-B", Interval.FIVE_MINUTES)

    assert found is not None
    assert attrs.asdict(saved) == attrs.asdict(bar)
    assert attrs.asdict(found) == attrs.asdict(bar)
    assert found.interval_type is Interval.FIVE_MINUTES
    assert found.time.tzinfo is not None


async def test_saving_a_bar_twice_replaces_it(market_data: MarketDataRepository) -> None:
    await market_data.save(make_bar(close=100.0))

    replaced = await market_data.save(make_bar(close=105.0, volume=7, source="vendor_b"))

    assert (replaced.close, replaced.volume, replaced.source) == (105.0, 7, "vendor_b")
    assert await market_data.count("AAPL") == 1
    assert await market_data.find_latest("AAPL") == replaced


async def test_find_latest_is_none_for_a_symbol_without_bars(
    market_data: MarketDataRepository,
) -> None:
    assert await market_data.find_latest("MSFT") is None


async def test_delete_range_deletes_the_bars_of_start_inclusive_to_end_exclusive(
    market_data: MarketDataRepository,
) -> None:
    await market_data.copy(minute_bars("AAPL", START, 10))
    await market_data.copy(minute_bars("MSFT", START, 10))

    deleted = await market_data.delete_range(
        "AAPL", Interval.ONE_MINUTE, START + 2 * MINUTE, START + 5 * MINUTE
    )

    assert deleted == 3
    remaining = await market_data.find_by_symbol_and_timerange("AAPL", START, START + 10 * MINUTE)
    assert [bar.time for bar in remaining] == [
        START + index * MINUTE for index in (0, 1, 5, 6, 7, 8, 9)
    ]
    assert await market_data.count("MSFT", Interval.ONE_MINUTE) == 10


# --- latest prices ------------------------------------------------------------------------


async def test_latest_prices_are_the_newest_bar_of_each_symbol(
    market_data: MarketDataRepository,
) -> None:
    symbols = ["AAPL", "BRK-B", "MC.PA", "BTC-USD", "GC=F"]
    for offset, symbol in enumerate(symbols):
        await market_data.copy(minute_bars(symbol, START + offset * MINUTE, 5))
    await market_data.save(make_bar("AAPL", START + 60 * MINUTE, interval_type=Interval.ONE_HOUR))

    latest = await market_data.find_latest_prices([*symbols, "MSFT"])

    assert set(latest) == set(symbols)
    for offset, symbol in enumerate(symbols):
        assert latest[symbol] == make_bar(symbol, START + (offset + 4) * MINUTE, close=104.0)


async def test_latest_prices_of_no_symbols_is_empty(market_data: MarketDataRepository) -> None:
    assert await market_data.find_latest_prices([]) == {}


@pytest.mark.parametrize("symbols", [["AAPL", "aapl"], ["AAPL;DROP TABLE"], [""], "AAPL"])
async def test_latest_prices_rejects_bad_symbols(
    market_data: MarketDataRepository, symbols: Any
) -> None:
    with pytest.raises(ValidationError, match="symbol"):
        await market_data.find_latest_prices(symbols)


async def test_latest_prices_rejects_an_unknown_interval(
    market_data: MarketDataRepository,
) -> None:
    with pytest.raises(ValidationError, match="interval"):
        await market_data.find_latest_prices(["AAPL"], "2m")


async def test_latest_prices_over_50k_bars_probe_the_latest_bars_by_key_and_never_scan(
    connection: asyncpg.Connection, market_data: MarketDataRepository
) -> None:
    symbols = [f"SYM{number}" for number in range(20)]
    for symbol in symbols:
        await market_data.copy(minute_bars(symbol, START, 2600))
    await connection.execute("ANALYZE market_data")
    query = default_library().find_latest_prices

    plan = await connection.fetch(
        f"EXPLAIN (ANALYZE off) {query.sql}", symbols[:5], Interval.ONE_MINUTE.value
    )

    lines = [row[0] for row in plan]
    assert await connection.fetchval("SELECT count(*) FROM market_data") == 52_000
    assert not [line for line in lines if "Seq Scan" in line], "\n".join(lines)
    assert [line for line in lines if "Index" in line and "market_data_latest" in line], "\n".join(
        lines
    )


# --- ranges ------------------------------------------------------------------------------


async def test_a_range_holds_exactly_the_bars_from_start_inclusive_to_end_exclusive(
    market_data: MarketDataRepository,
) -> None:
    bars = minute_bars("AAPL", START, 10)
    await market_data.copy(bars)
    await market_data.copy(minute_bars("MSFT", START, 10))
    await market_data.copy(minute_bars("AAPL", START, 10, interval_type=Interval.FIVE_MINUTES))

    found = await market_data.find_by_symbol_and_timerange(
        "AAPL", START + 2 * MINUTE, START + 5 * MINUTE
    )

    assert found == bars[2:5]


async def test_an_empty_range_is_allowed_and_finds_nothing(
    market_data: MarketDataRepository,
) -> None:
    await market_data.copy(minute_bars("AAPL", START, 3))
    assert await market_data.find_by_symbol_and_timerange("AAPL", START, START) == []


async def test_a_range_rejects_naive_datetimes(market_data: MarketDataRepository) -> None:
    naive = datetime(2026, 11, 2, 14, 30)
    with pytest.raises(ValidationError, match="naive") as raised:
        await market_data.find_by_symbol_and_timerange("AAPL", naive, START)
    assert raised.value.field == "start"
    with pytest.raises(ValidationError, match="naive") as raised:
        await market_data.find_by_symbol_and_timerange("AAPL", START, naive)
    assert raised.value.field == "end"


async def test_a_range_rejects_a_start_after_its_end(market_data: MarketDataRepository) -> None:
    with pytest.raises(ValidationError, match="after end"):
        await market_data.find_by_symbol_and_timerange("AAPL", START + MINUTE, START)


async def test_a_range_rejects_a_bad_symbol(market_data: MarketDataRepository) -> None:
    with pytest.raises(ValidationError, match="symbol"):
        await market_data.find_by_symbol_and_timerange("aapl", START, START + MINUTE)


# --- gaps --------------------------------------------------------------------------------


async def test_gaps_are_found_exactly(market_data: MarketDataRepository) -> None:
    holes = {10, 11, 12, 30}
    bars = [bar for index, bar in enumerate(minute_bars("AAPL", START, 60)) if index not in holes]
    await market_data.copy(bars)
    await market_data.copy(minute_bars("MSFT", START, 60)[::7])

    gaps = await market_data.find_gaps(
        "AAPL", Interval.ONE_MINUTE, START, START + timedelta(hours=1)
    )

    assert gaps == [
        Gap(
            symbol="AAPL",
            interval_type=Interval.ONE_MINUTE,
            gap_start=START + 9 * MINUTE,
            gap_end=START + 13 * MINUTE,
            missing_bars=3,
        ),
        Gap(
            symbol="AAPL",
            interval_type=Interval.ONE_MINUTE,
            gap_start=START + 29 * MINUTE,
            gap_end=START + 31 * MINUTE,
            missing_bars=1,
        ),
    ]


async def test_gaps_stop_at_max_results_oldest_first(market_data: MarketDataRepository) -> None:
    bars = minute_bars("AAPL", START, 20)[::2]
    await market_data.copy(bars)

    gaps = await market_data.find_gaps("AAPL", "1m", START, START + 20 * MINUTE, max_results=3)

    assert [(gap.gap_start, gap.missing_bars) for gap in gaps] == [
        (START, 1),
        (START + 2 * MINUTE, 1),
        (START + 4 * MINUTE, 1),
    ]


async def test_a_series_without_holes_has_no_gaps(market_data: MarketDataRepository) -> None:
    await market_data.copy(minute_bars("AAPL", START, 30))
    assert await market_data.find_gaps("AAPL", "1m", START, START + 30 * MINUTE) == []


async def test_gaps_need_an_interval_of_fixed_width(market_data: MarketDataRepository) -> None:
    with pytest.raises(ValidationError, match="fixed width"):
        await market_data.find_gaps("AAPL", Interval.ONE_MONTH, START, START + MINUTE)


@pytest.mark.parametrize("max_results", [0, -1, 10_001, 2.5])
async def test_gaps_reject_a_bad_max_results(
    market_data: MarketDataRepository, max_results: Any
) -> None:
    with pytest.raises(ValidationError, match="max_results"):
        await market_data.find_gaps("AAPL", "1m", START, START + MINUTE, max_results=max_results)


# --- market summary ----------------------------------------------------------------------


def _hourly_bars(symbol: str, end: datetime, hours: int, base: float) -> list[MarketBar]:
    bars = []
    for hour in range(hours):
        close = base + 10 * math.sin(hour / 7) + hour / 100
        bars.append(
            make_bar(
                symbol,
                end - (hours - 1 - hour) * timedelta(hours=1),
                close=close,
                interval_type=Interval.ONE_HOUR,
                volume=1000 + hour,
            )
        )
    return bars


def _expected_summary(bars: list[MarketBar], now: datetime) -> dict[str, Any]:
    window = [bar for bar in bars if now - timedelta(days=30) < bar.time <= now]
    latest = max(window, key=lambda bar: bar.time)
    first = min(window, key=lambda bar: bar.time)
    return {
        "latest": latest,
        "average_close_30d": sum(bar.close for bar in window) / len(window),
        "low_30d": min(bar.low for bar in window),
        "high_30d": max(bar.high for bar in window),
        "volume_30d": sum(bar.volume for bar in window),
        "bar_count_30d": len(window),
        "change_30d": latest.close - first.close,
        "change_percent_30d": (latest.close - first.close) / first.close * 100,
    }


async def test_the_market_summary_equals_a_computation_over_the_same_bars(
    market_data: MarketDataRepository,
) -> None:
    now = START
    aapl = _hourly_bars("AAPL", now + timedelta(hours=5), 40 * 24, 150.0)  # runs past now
    gold = _hourly_bars("GC=F", now - timedelta(hours=3), 35 * 24, 2000.0)
    stale = _hourly_bars("MC.PA", now - timedelta(days=8), 10 * 24, 700.0)  # none in 7 days
    await market_data.copy([*aapl, *gold, *stale])

    summaries = await market_data.market_summary(["GC=F", "AAPL", "MC.PA", "MSFT"], now, "1h")

    assert [summary.symbol for summary in summaries] == ["AAPL", "GC=F"]
    for summary, bars in zip(summaries, (aapl, gold), strict=True):
        expected = _expected_summary(bars, now)
        found = attrs.asdict(summary, recurse=False)
        assert found.pop("symbol") == summary.latest.symbol
        assert found.pop("average_close_30d") == pytest.approx(
            expected.pop("average_close_30d"), rel=1e-12
        )
        assert found == expected
    assert summaries[0].latest.time == now
    assert summaries[1].latest.time == now - timedelta(hours=3)


async def test_the_market_summary_of_no_symbols_is_empty(
    market_data: MarketDataRepository,
) -> None:
    assert await market_data.market_summary([], START) == []


async def test_the_market_summary_rejects_a_naive_now(market_data: MarketDataRepository) -> None:
    with pytest.raises(ValidationError, match="naive") as raised:
        await market_data.market_summary(["AAPL"], datetime(2026, 11, 2))
    assert raised.value.field == "now"
