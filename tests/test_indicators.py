"""TechnicalIndicator and IndicatorRepository: validation, round trips, COPY, ranges, latest."""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta
from typing import Any

import attrs
import pytest

from boursa_db.domain.intervals import Interval
from boursa_db.domain.market import TechnicalIndicator
from boursa_db.errors import Duplicate, ValidationError
from boursa_db.repositories.base import BoundSession
from boursa_db.repositories.copying import ConflictMode
from boursa_db.repositories.indicators import IndicatorRepository

START = datetime(2026, 11, 2, tzinfo=UTC)
DAY = timedelta(days=1)


def make_indicator(
    name: str = "rsi_14", time: datetime = START, **changes: Any
) -> TechnicalIndicator:
    values: dict[str, Any] = {
        "time": time,
        "symbol": "AAPL",
        "interval_type": Interval.ONE_DAY,
        "indicator_name": name,
        "value": 55.0,
    }
    values.update(changes)
    return TechnicalIndicator(**values)


def daily(name: str, count: int, **changes: Any) -> list[TechnicalIndicator]:
    base = changes.pop("value", 50.0)
    return [
        make_indicator(name, START + index * DAY, value=base + index, **changes)
        for index in range(count)
    ]


@pytest.fixture
def indicators(session: BoundSession) -> IndicatorRepository:
    return IndicatorRepository(session)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("indicator_name", "RSI"),
        ("indicator_name", "1rsi"),
        ("indicator_name", "r" * 41),
        ("value", math.nan),
        ("value", math.inf),
        ("value_secondary", -math.inf),
        ("value_tertiary", "1.0"),
        ("parameters", [14]),
        ("parameters", {14: "period"}),
        ("symbol", "aapl"),
    ],
)
def test_an_indicator_rejects_values_its_table_refuses(field: str, value: Any) -> None:
    with pytest.raises(ValidationError) as raised:
        make_indicator(**{field: value})
    assert raised.value.field == field


def test_an_indicator_rejects_an_unknown_interval() -> None:
    with pytest.raises(ValidationError, match="'1y' is not a valid Interval"):
        make_indicator(interval_type="1y")


def test_an_indicator_rejects_a_naive_time() -> None:
    with pytest.raises(ValidationError, match="naive"):
        make_indicator(time=datetime(2026, 11, 2))


async def test_a_saved_indicator_reads_back_with_every_field(
    indicators: IndicatorRepository,
) -> None:
    macd = TechnicalIndicator(
        time=START,
        symbol="MC.PA",
        interval_type="1h",
        indicator_name="macd_12_26_9",
        value=1.25,
        value_secondary=0.75,
        value_tertiary=-0.5,
        parameters={"fast": 12, "slow": 26, "signal": 9, "source": "close"},
    )

    saved = await indicators.save(macd)
    (found,) = await indicators.find_range(
        "MC.PA", "macd_12_26_9", Interval.ONE_HOUR, START, START + DAY
    )

    assert attrs.asdict(saved) == attrs.asdict(macd)
    assert attrs.asdict(found) == attrs.asdict(macd)
    assert found.interval_type is Interval.ONE_HOUR


async def test_saving_an_indicator_twice_replaces_it(indicators: IndicatorRepository) -> None:
    await indicators.save(make_indicator(value=10.0))

    replaced = await indicators.save(make_indicator(value=20.0, parameters={"period": 14}))

    assert await indicators.find_range("AAPL", "rsi_14", "1d", START, START + DAY) == [replaced]


async def test_copied_indicators_read_back_in_time_order(indicators: IndicatorRepository) -> None:
    rsi = daily("rsi_14", 10, parameters={"period": 14})
    await indicators.copy([*reversed(rsi), *daily("sma_20", 10)])

    found = await indicators.find_range("AAPL", "rsi_14", "1d", START + 2 * DAY, START + 5 * DAY)

    assert found == rsi[2:5]


async def test_copying_an_existing_indicator_fails_and_writes_nothing(
    indicators: IndicatorRepository,
) -> None:
    await indicators.copy(daily("rsi_14", 3))

    with pytest.raises(Duplicate, match=r"row 1 \(AAPL 1d rsi_14 at 2026-11-04"):
        await indicators.copy(
            [make_indicator(time=START - DAY), make_indicator(time=START + 2 * DAY)]
        )

    assert len(await indicators.find_range("AAPL", "rsi_14", "1d", START - DAY, START + DAY)) == 1


async def test_copying_indicators_skips_or_updates_existing_ones(
    indicators: IndicatorRepository,
) -> None:
    old = daily("rsi_14", 3)
    await indicators.copy(old)
    newer = daily("rsi_14", 5, value=90.0, parameters={"period": 14})

    skipped = await indicators.copy(newer, on_conflict=ConflictMode.SKIP)
    after_skip = await indicators.find_range("AAPL", "rsi_14", "1d", START, START + 5 * DAY)
    updated = await indicators.copy(newer, on_conflict=ConflictMode.UPDATE)
    after_update = await indicators.find_range("AAPL", "rsi_14", "1d", START, START + 5 * DAY)

    assert (skipped, updated) == (2, 5)
    assert after_skip == old + newer[3:]
    assert after_update == newer


async def test_a_refused_indicator_writes_nothing_and_names_its_row(
    indicators: IndicatorRepository,
) -> None:
    batch = daily("rsi_14", 4)
    object.__setattr__(batch[1], "parameters", ["not", "an", "object"])

    with pytest.raises(ValidationError, match=r"row 1 \(AAPL 1d rsi_14 at ") as raised:
        await indicators.copy(batch, on_conflict=ConflictMode.SKIP)

    assert raised.value.row == 1
    assert await indicators.find_range("AAPL", "rsi_14", "1d", START, START + 9 * DAY) == []


async def test_an_item_that_is_not_an_indicator_is_refused_by_its_index(
    indicators: IndicatorRepository,
) -> None:
    batch: list[Any] = [make_indicator(), {"indicator_name": "rsi_14"}]

    with pytest.raises(ValidationError, match="row 1: expected a TechnicalIndicator") as raised:
        await indicators.copy(batch)

    assert raised.value.row == 1


async def test_the_latest_value_of_each_named_indicator(indicators: IndicatorRepository) -> None:
    rsi, sma = daily("rsi_14", 5), daily("sma_20", 3)
    await indicators.copy([*rsi, *sma, *daily("rsi_14", 9, symbol="MSFT")])
    await indicators.save(make_indicator("rsi_14", START + 30 * DAY, interval_type="1w"))

    latest = await indicators.find_latest("AAPL", "1d", ["rsi_14", "sma_20", "ema_50"])

    assert latest == {"rsi_14": rsi[-1], "sma_20": sma[-1]}


async def test_the_latest_of_no_indicators_is_empty(indicators: IndicatorRepository) -> None:
    assert await indicators.find_latest("AAPL", "1d", []) == {}


@pytest.mark.parametrize("names", [["RSI"], "rsi_14", ["rsi_14", ""]])
async def test_the_latest_rejects_bad_indicator_names(
    indicators: IndicatorRepository, names: Any
) -> None:
    with pytest.raises(ValidationError, match="indicator_names"):
        await indicators.find_latest("AAPL", "1d", names)


async def test_a_range_of_indicators_rejects_bad_arguments(
    indicators: IndicatorRepository,
) -> None:
    with pytest.raises(ValidationError, match="naive"):
        await indicators.find_range("AAPL", "rsi_14", "1d", datetime(2026, 11, 2), START)
    with pytest.raises(ValidationError, match="after end"):
        await indicators.find_range("AAPL", "rsi_14", "1d", START + DAY, START)
    with pytest.raises(ValidationError, match="indicator_name"):
        await indicators.find_range("AAPL", "RSI 14", "1d", START, START + DAY)
    with pytest.raises(ValidationError, match="interval"):
        await indicators.find_range("AAPL", "rsi_14", "daily", START, START + DAY)
