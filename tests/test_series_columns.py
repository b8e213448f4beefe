"""A series read as columns (find_series_columns) and as bars built column by column."""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta

import attrs
import pytest

from boursa_db.domain.intervals import Interval
from boursa_db.domain.market import BarColumns, MarketBar
from boursa_db.errors import ValidationError
from boursa_db.repositories.base import BoundSession
from boursa_db.repositories.market_data import MarketDataRepository

START = datetime(2026, 11, 2, 14, 30, tzinfo=UTC)
MINUTE = timedelta(minutes=1)


def bars(symbol: str, count: int, interval: Interval = Interval.ONE_MINUTE) -> list[MarketBar]:
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


@pytest.fixture
def market_data(session: BoundSession) -> MarketDataRepository:
    return MarketDataRepository(session)


async def test_the_columns_hold_the_same_bars_as_the_objects_in_the_same_order(
    market_data: MarketDataRepository,
) -> None:
    stored = bars("BRK-B", 50)
    await market_data.copy(stored)
    await market_data.copy(bars("MSFT", 50))
    await market_data.copy(bars("BRK-B", 50, Interval.FIVE_MINUTES))
    start, end = START + 5 * MINUTE, START + 45 * MINUTE

    columns = await market_data.find_series_columns("BRK-B", start, end)

    assert isinstance(columns, BarColumns)
    assert len(columns) == 40
    assert columns.symbol == "BRK-B"
    assert columns.interval_type is Interval.ONE_MINUTE
    rebuilt = [
        MarketBar(
            time=time,
            symbol=columns.symbol,
            interval_type=columns.interval_type,
            open=open_,
            high=high,
            low=low,
            close=close,
            adjusted_close=adjusted_close,
            volume=volume,
            source=source,
        )
        for time, open_, high, low, close, adjusted_close, volume, source in zip(
            columns.time,
            columns.open,
            columns.high,
            columns.low,
            columns.close,
            columns.adjusted_close,
            columns.volume,
            columns.source,
            strict=True,
        )
    ]
    assert rebuilt == stored[5:45]


async def test_bars_built_column_by_column_equal_the_stored_bars_field_by_field(
    market_data: MarketDataRepository,
) -> None:
    stored = bars("MC.PA", 30, Interval.FIVE_MINUTES)
    await market_data.copy(stored)

    found = await market_data.find_by_symbol_and_timerange(
        "MC.PA", START, START + 30 * MINUTE, Interval.FIVE_MINUTES
    )

    assert [attrs.asdict(bar) for bar in found] == [attrs.asdict(bar) for bar in stored]
    assert all(bar.interval_type is Interval.FIVE_MINUTES for bar in found)
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        found[0].close = math.pi  # type: ignore[misc]


async def test_an_empty_range_gives_empty_columns(market_data: MarketDataRepository) -> None:
    await market_data.copy(bars("AAPL", 3))

    columns = await market_data.find_series_columns(
        "AAPL", START + 10 * MINUTE, START + 20 * MINUTE
    )

    assert len(columns) == 0
    assert columns.time == columns.close == columns.volume == ()
    assert columns.symbol == "AAPL"


async def test_columns_refuse_what_a_range_refuses(market_data: MarketDataRepository) -> None:
    with pytest.raises(ValidationError) as raised:
        await market_data.find_series_columns("AAPL", START, START.replace(tzinfo=None))
    assert raised.value.field == "end"
    with pytest.raises(ValidationError) as raised:
        await market_data.find_series_columns("aapl", START, START + MINUTE)
    assert raised.value.field == "symbol"
    with pytest.raises(ValidationError):
        await market_data.find_series_columns("AAPL", START + MINUTE, START)
