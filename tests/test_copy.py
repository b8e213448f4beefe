"""Bulk binary COPY of bars in each conflict mode: all or nothing, bad rows named by index."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from typing import Any, TypeVar

import asyncpg
import pytest

from boursa_db.domain.market import MarketBar
from boursa_db.errors import Duplicate, ValidationError
from boursa_db.repositories.base import BoundSession, Repository
from boursa_db.repositories.copying import ConflictMode
from boursa_db.repositories.indicators import IndicatorRepository
from boursa_db.repositories.market_data import MarketDataRepository
from boursa_db.repositories.performance import PerformanceRepository
from boursa_db.repositories.signals import SignalRepository
from tests.test_indicators import daily
from tests.test_market_data import MINUTE, START, make_bar, minute_bars
from tests.test_performance import hourly as performance_hourly
from tests.test_signals import hourly

T = TypeVar("T")


@pytest.fixture
def market_data(session: BoundSession) -> MarketDataRepository:
    return MarketDataRepository(session)


@pytest.fixture
def signals(session: BoundSession) -> SignalRepository:
    return SignalRepository(session)


@pytest.fixture
def indicators(session: BoundSession) -> IndicatorRepository:
    return IndicatorRepository(session)


@pytest.fixture
def performance(session: BoundSession) -> PerformanceRepository:
    return PerformanceRepository(session)


def _with_negative_volume(bar: MarketBar) -> MarketBar:
    """A bar the domain would refuse, as if it had been built past its validators."""
    object.__setattr__(bar, "volume", -1)
    return bar


async def _stored(market_data: MarketDataRepository, symbol: str = "AAPL") -> list[MarketBar]:
    return await market_data.find_by_symbol_and_timerange(symbol, START, START + 1000 * MINUTE)


async def test_copy_writes_every_bar_and_returns_the_count(
    market_data: MarketDataRepository,
) -> None:
    bars = minute_bars("AAPL", START, 500)

    written = await market_data.copy(bars)

    assert written == 500
    assert await _stored(market_data) == bars


async def test_copy_accepts_any_iterable_of_bars(market_data: MarketDataRepository) -> None:
    def generate() -> Iterator[MarketBar]:
        yield from minute_bars("AAPL", START, 3)

    assert await market_data.copy(generate()) == 3


async def test_copying_an_empty_batch_returns_zero_without_touching_the_database(
    database_url: str,
) -> None:
    closed = await asyncpg.connect(database_url)
    await closed.close()
    market_data = MarketDataRepository(BoundSession(closed))

    for mode in ConflictMode:
        assert await market_data.copy([], on_conflict=mode) == 0


async def test_copy_fails_on_a_bar_that_exists_and_writes_nothing(
    market_data: MarketDataRepository,
) -> None:
    old = minute_bars("AAPL", START, 5)
    await market_data.copy(old)
    batch = [*minute_bars("AAPL", START + 5 * MINUTE, 3, close=200.0), make_bar(time=old[2].time)]

    with pytest.raises(
        Duplicate, match=r"row 3 \(AAPL 1m at 2026-11-02T14:32:00\+00:00\)"
    ) as raised:
        await market_data.copy(batch, on_conflict=ConflictMode.FAIL)

    assert raised.value.constraint == "market_data_pkey"
    assert await _stored(market_data) == old


async def test_copy_fails_on_a_key_repeated_inside_the_batch(
    market_data: MarketDataRepository,
) -> None:
    batch = [*minute_bars("AAPL", START, 4), make_bar(time=START + MINUTE, close=50.0)]

    with pytest.raises(Duplicate, match=r"row 4 \(AAPL 1m at "):
        await market_data.copy(batch)

    assert await market_data.count("AAPL") == 0


async def test_copy_skipping_keeps_the_stored_bars_and_adds_the_new_ones(
    market_data: MarketDataRepository,
) -> None:
    old = minute_bars("AAPL", START, 5)
    await market_data.copy(old)
    batch = minute_bars("AAPL", START + 3 * MINUTE, 5, close=300.0)

    written = await market_data.copy(batch, on_conflict=ConflictMode.SKIP)

    assert written == 3
    assert await _stored(market_data) == old + batch[2:]


async def test_copy_updating_replaces_the_stored_bars_and_adds_the_new_ones(
    market_data: MarketDataRepository,
) -> None:
    old = minute_bars("AAPL", START, 5)
    await market_data.copy(old)
    batch = minute_bars("AAPL", START + 3 * MINUTE, 5, close=300.0, source="vendor_b")

    written = await market_data.copy(batch, on_conflict=ConflictMode.UPDATE)

    assert written == 5
    assert await _stored(market_data) == old[:3] + batch


async def _row_versions(market_data: MarketDataRepository) -> list[str]:
    """The transaction id that wrote each stored AAPL bar: it changes when a row is rewritten."""
    async with market_data._session.connection() as connection:
        rows = await connection.fetch(
            "SELECT xmin::text FROM market_data WHERE symbol = 'AAPL' ORDER BY time"
        )
    return [row[0] for row in rows]


@pytest.mark.parametrize("count", [5, 1_500], ids=["small", "large"])
async def test_updating_with_equal_bars_leaves_them_stored_as_they_are_and_counts_them(
    connection: asyncpg.Connection, market_data: MarketDataRepository, count: int
) -> None:
    old = minute_bars("AAPL", START, count)
    async with connection.transaction():
        await market_data.copy(old)
    versions = await _row_versions(market_data)
    batch = [*minute_bars("AAPL", START, count), *minute_bars("AAPL", START, 2, close=7.0)]

    async with connection.transaction():
        written = await market_data.copy(batch, on_conflict=ConflictMode.UPDATE)

    assert written == count
    after = await _row_versions(market_data)
    assert after[2:] == versions[2:]
    assert after[:2] != versions[:2]
    assert [bar.close for bar in (await _stored(market_data))[:2]] == [7.0, 8.0]


@pytest.mark.parametrize("mode", [ConflictMode.SKIP, ConflictMode.UPDATE])
@pytest.mark.parametrize("count", [5, 1_500], ids=["small", "large"])
async def test_a_refused_bar_in_a_batch_over_stored_bars_writes_nothing_and_names_its_row(
    market_data: MarketDataRepository, mode: ConflictMode, count: int
) -> None:
    await market_data.copy(minute_bars("AAPL", START, 3))
    batch = minute_bars("AAPL", START, count, close=50.0)
    _with_negative_volume(batch[-1])

    with pytest.raises(ValidationError, match=rf"row {count - 1} \(AAPL 1m at") as raised:
        await market_data.copy(batch, on_conflict=mode)

    assert raised.value.row == count - 1
    assert raised.value.field == "market_data_volume_non_negative"
    assert [bar.close for bar in await _stored(market_data)] == [100.0, 101.0, 102.0]


@pytest.mark.parametrize("mode", [ConflictMode.SKIP, ConflictMode.UPDATE])
async def test_a_key_repeated_inside_a_batch_keeps_its_last_occurrence(
    market_data: MarketDataRepository, mode: ConflictMode
) -> None:
    first = make_bar(close=100.0)
    middle = make_bar(close=110.0)
    last = make_bar(close=120.0, volume=5)
    other = make_bar(time=START + MINUTE)

    written = await market_data.copy([first, other, middle, last], on_conflict=mode)

    assert written == 2
    assert await _stored(market_data) == [last, other]


@pytest.mark.parametrize("mode", list(ConflictMode))
async def test_a_bar_the_database_refuses_writes_nothing_and_names_its_row(
    market_data: MarketDataRepository, mode: ConflictMode
) -> None:
    batch = minute_bars("AAPL", START, 5)
    _with_negative_volume(batch[2])

    with pytest.raises(
        ValidationError, match=r"row 2 \(AAPL 1m at 2026-11-02T14:32:00\+00:00\)"
    ) as raised:
        await market_data.copy(batch, on_conflict=mode)

    assert raised.value.row == 2
    assert raised.value.field == "market_data_volume_non_negative"
    assert await market_data.count("AAPL") == 0


async def test_a_refused_row_is_named_by_its_index_in_the_batch_given(
    market_data: MarketDataRepository,
) -> None:
    bars = minute_bars("AAPL", START, 4)
    batch = [bars[0], bars[1], bars[0], bars[2], _with_negative_volume(bars[3])]

    with pytest.raises(ValidationError) as raised:
        await market_data.copy(batch, on_conflict=ConflictMode.UPDATE)

    assert raised.value.row == 4


@pytest.mark.parametrize("intruder", [None, ("AAPL", START), {"symbol": "AAPL"}, "AAPL"])
async def test_an_item_that_is_not_a_bar_is_refused_by_its_index(
    market_data: MarketDataRepository, intruder: Any
) -> None:
    batch: list[Any] = [*minute_bars("AAPL", START, 3), intruder, make_bar(time=START - MINUTE)]

    with pytest.raises(ValidationError, match="row 3: expected a MarketBar") as raised:
        await market_data.copy(batch)

    assert raised.value.row == 3
    assert await market_data.count("AAPL") == 0


async def test_copy_rejects_an_unknown_conflict_mode(market_data: MarketDataRepository) -> None:
    with pytest.raises(ValidationError, match="on_conflict"):
        await market_data.copy(minute_bars("AAPL", START, 1), on_conflict="merge")  # type: ignore[arg-type]


async def test_a_failed_copy_inside_a_transaction_leaves_the_earlier_work_of_it(
    connection: asyncpg.Connection, market_data: MarketDataRepository
) -> None:
    bad = minute_bars("MSFT", START, 3)
    _with_negative_volume(bad[1])

    async with connection.transaction():
        await market_data.save(make_bar())
        with pytest.raises(ValidationError):
            await market_data.copy(bad, on_conflict=ConflictMode.UPDATE)
        written = await market_data.copy(minute_bars("MSFT", START, 2), ConflictMode.SKIP)

    assert written == 2
    assert await market_data.count("AAPL") == 1
    assert await market_data.count("MSFT") == 2


async def test_batches_of_one_transaction_share_the_staging_table(
    connection: asyncpg.Connection, market_data: MarketDataRepository
) -> None:
    async with connection.transaction():
        first = await market_data.copy(minute_bars("AAPL", START, 5), ConflictMode.UPDATE)
        second = await market_data.copy(minute_bars("AAPL", START, 8), ConflictMode.SKIP)
        third = await market_data.copy(
            minute_bars("AAPL", START, 2, close=7.0), ConflictMode.UPDATE
        )

    assert (first, second, third) == (5, 3, 2)
    assert await market_data.count("AAPL") == 8


async def test_upserting_copies_work_again_in_later_transactions_of_the_connection(
    market_data: MarketDataRepository,
) -> None:
    for round_number in range(3):
        bars = minute_bars("AAPL", START, 4, close=10.0 + round_number)
        assert await market_data.copy(bars, on_conflict=ConflictMode.UPDATE) == 4
        assert await market_data.copy(bars, on_conflict=ConflictMode.SKIP) == 0

    assert [bar.close for bar in await _stored(market_data)] == [12.0, 13.0, 14.0, 15.0]


# --- values the driver cannot encode: refused by their row, before anything is written ------


async def _count(repository: Repository, table: str) -> int:
    """The rows of a table, read on the repository's own connection (the name is a constant)."""
    async with repository._session.connection() as connection:
        return int(await connection.fetchval(f"SELECT count(*) FROM {table}"))


def _past_validation(item: T, **values: Any) -> T:
    """The item with values set past its validators, as if made by code that skipped them."""
    for name, value in values.items():
        object.__setattr__(item, name, value)
    return item


@pytest.mark.parametrize("mode", list(ConflictMode))
@pytest.mark.parametrize(
    "values",
    [{"volume": 2**70}, {"source": "vendor\ud800"}],
    ids=["volume-beyond-bigint", "source-with-a-lone-surrogate"],
)
async def test_a_bar_that_cannot_be_encoded_is_refused_by_its_row_and_nothing_is_written(
    market_data: MarketDataRepository, mode: ConflictMode, values: dict[str, Any]
) -> None:
    batch = minute_bars("AAPL", START, 5)
    _past_validation(batch[3], **values)

    with pytest.raises(ValidationError, match=r"row 3 \(AAPL 1m at .*cannot be sent") as raised:
        await market_data.copy(batch, on_conflict=mode)

    assert raised.value.row == 3
    assert await market_data.count("AAPL") == 0


@pytest.mark.parametrize("mode", [ConflictMode.SKIP, ConflictMode.UPDATE])
async def test_a_bar_that_cannot_be_encoded_is_named_by_its_index_in_the_batch_given(
    market_data: MarketDataRepository, mode: ConflictMode
) -> None:
    """The repeated first bar is sent once, from index 2: the fourth bar is COPY's third line."""
    first, second, third = minute_bars("AAPL", START, 3)
    batch = [first, second, first, _past_validation(third, volume=2**64)]

    with pytest.raises(ValidationError) as raised:
        await market_data.copy(batch, on_conflict=mode)

    assert raised.value.row == 3


async def test_the_connection_serves_again_after_a_value_it_could_not_encode(
    market_data: MarketDataRepository,
) -> None:
    bad = minute_bars("AAPL", START, 3)
    _past_validation(bad[0], volume=2**70)
    with pytest.raises(ValidationError):
        await market_data.copy(bad)

    assert await market_data.copy(minute_bars("AAPL", START, 3)) == 3


@pytest.mark.parametrize(
    "values",
    [
        {"rationale": "breakout \ud800"},
        {"indicators_used": ["rsi_14", "macd\udfff"]},
        {"metadata": {"model": object()}},
        {"metadata": {"windows": {5, 20}}},
    ],
    ids=["rationale-surrogate", "indicator-list-surrogate", "metadata-object", "metadata-set"],
)
async def test_a_signal_that_cannot_be_encoded_is_refused_by_its_row(
    signals: SignalRepository, values: dict[str, Any]
) -> None:
    batch = hourly(4)
    _past_validation(batch[1], **values)

    with pytest.raises(ValidationError, match=r"row 1 \(AAPL momentum at ") as raised:
        await signals.copy(batch)

    assert raised.value.row == 1
    assert await _count(signals, "signals") == 0


@pytest.mark.parametrize("mode", list(ConflictMode))
async def test_an_indicator_whose_parameters_json_cannot_write_is_refused_by_its_row(
    indicators: IndicatorRepository, mode: ConflictMode
) -> None:
    batch = daily("rsi_14", 4)
    _past_validation(batch[2], parameters={"period": object()})

    with pytest.raises(ValidationError, match=r"row 2 \(AAPL 1d rsi_14 at ") as raised:
        await indicators.copy(batch, on_conflict=mode)

    assert raised.value.row == 2
    assert await _count(indicators, "technical_indicators") == 0


@pytest.mark.parametrize(
    "values",
    [
        {"number_of_positions": 2**40},
        {"time": datetime(9999, 12, 31, 23, 30, tzinfo=timezone(timedelta(hours=-1)))},
    ],
    ids=["count-beyond-integer", "time-beyond-year-9999"],
)
async def test_a_snapshot_that_cannot_be_encoded_is_refused_by_its_row(
    performance: PerformanceRepository, portfolio_id: uuid.UUID, values: dict[str, Any]
) -> None:
    batch = performance_hourly(portfolio_id, 3)
    _past_validation(batch[2], **values)

    with pytest.raises(ValidationError, match=r"row 2 \(portfolio ") as raised:
        await performance.copy(batch)

    assert raised.value.row == 2
    assert await _count(performance, "portfolio_performance") == 0


@pytest.mark.parametrize("argument", [None, 42, "AAPL", b"AAPL", {"AAPL": "bars"}])
@pytest.mark.parametrize("repository", ["market_data", "indicators", "signals", "performance"])
async def test_copy_refuses_an_argument_that_is_not_an_iterable_of_items(
    session: BoundSession, repository: str, argument: object
) -> None:
    target = {
        "market_data": (MarketDataRepository, "MarketBar"),
        "indicators": (IndicatorRepository, "TechnicalIndicator"),
        "signals": (SignalRepository, "Signal"),
        "performance": (PerformanceRepository, "PortfolioPerformance"),
    }
    repository_type, item_name = target[repository]

    with pytest.raises(ValidationError, match=f"expected an iterable of {item_name}, got "):
        await repository_type(session).copy(argument)  # type: ignore[arg-type]
