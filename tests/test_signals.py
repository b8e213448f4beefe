"""Signal and SignalRepository: validation, round trips, COPY, ranges and active signals."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta
from typing import Any

import asyncpg
import attrs
import pytest

from boursa_db.domain.market import Signal, SignalStrength, SignalType
from boursa_db.errors import Duplicate, ValidationError
from boursa_db.queries import default_library
from boursa_db.repositories.base import BoundSession
from boursa_db.repositories.copying import ConflictMode
from boursa_db.repositories.signals import SignalRepository

NOW = datetime(2026, 11, 2, 15, 30, tzinfo=UTC)
HOUR = timedelta(hours=1)


def make_signal(time: datetime = NOW, **changes: Any) -> Signal:
    values: dict[str, Any] = {
        "time": time,
        "symbol": "AAPL",
        "strategy": "momentum",
        "signal_type": SignalType.BUY,
        "strength": SignalStrength.MODERATE,
        "confidence": 0.7,
    }
    values.update(changes)
    return Signal(**values)


def hourly(count: int, **changes: Any) -> list[Signal]:
    start = changes.pop("start", NOW - count * HOUR)
    return [make_signal(start + index * HOUR, **changes) for index in range(count)]


@pytest.fixture
def signals(session: BoundSession) -> SignalRepository:
    return SignalRepository(session)


def test_a_signal_accepts_its_vocabulary_by_value() -> None:
    signal = make_signal(signal_type="sell", strength="strong")
    assert (signal.signal_type, signal.strength) == (SignalType.SELL, SignalStrength.STRONG)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("strategy", "Momentum!"),
        ("strategy", ""),
        ("symbol", "AAPL."),
        ("confidence", 1.5),
        ("confidence", -0.1),
        ("price_target", 0.0),
        ("stop_loss", -1.0),
        ("technical_score", 2.0),
        ("fundamental_score", float("nan")),
        ("market_context_score", -0.5),
        ("rationale", "x" * 5001),
        ("indicators_used", ("rsi_14",)),
        ("indicators_used", ["rsi_14", 14]),
        ("metadata", "x"),
        ("expires_at", datetime(2026, 11, 3)),
    ],
)
def test_a_signal_rejects_values_its_table_refuses(field: str, value: Any) -> None:
    with pytest.raises(ValidationError) as raised:
        make_signal(**{field: value})
    assert raised.value.field == field


@pytest.mark.parametrize(
    ("field", "value", "vocabulary"),
    [("signal_type", "BUY", "SignalType"), ("strength", "huge", "SignalStrength")],
)
def test_a_signal_rejects_words_outside_its_vocabulary(
    field: str, value: str, vocabulary: str
) -> None:
    with pytest.raises(ValidationError, match=f"'{value}' is not a valid {vocabulary}"):
        make_signal(**{field: value})


@pytest.mark.parametrize("expires_at", [NOW, NOW - HOUR])
def test_a_signal_must_expire_after_it_is_issued(expires_at: datetime) -> None:
    with pytest.raises(ValidationError, match="must be after time") as raised:
        make_signal(expires_at=expires_at)
    assert raised.value.field == "expires_at"


def test_a_rationale_of_5000_characters_is_accepted() -> None:
    assert make_signal(rationale="x" * 5000).rationale == "x" * 5000


async def test_a_saved_signal_reads_back_with_every_field(signals: SignalRepository) -> None:
    signal = Signal(
        time=NOW,
        symbol="BTC-USD",
        strategy="mean_reversion_v2",
        signal_type=SignalType.SELL,
        strength=SignalStrength.STRONG,
        confidence=0.875,
        price_target=61_250.5,
        stop_loss=68_000.0,
        technical_score=0.9,
        fundamental_score=0.4,
        market_context_score=0.65,
        rationale="RSI above 80 for three days; funding rates at a yearly high.",
        indicators_used=["rsi_14", "funding_rate"],
        metadata={"model": "v2", "features": [1, 2, 3], "nested": {"ok": True}},
        expires_at=NOW + 24 * HOUR,
    )

    saved = await signals.save(signal)
    (found,) = await signals.find_range("BTC-USD", NOW, NOW + HOUR)

    assert attrs.asdict(saved) == attrs.asdict(signal)
    assert attrs.asdict(found) == attrs.asdict(signal)
    assert (type(found.signal_type), type(found.strength)) == (SignalType, SignalStrength)


async def test_saving_a_signal_twice_replaces_it(signals: SignalRepository) -> None:
    await signals.save(make_signal(confidence=0.5))

    replaced = await signals.save(make_signal(signal_type="hold", confidence=0.9))

    assert await signals.find_range("AAPL", NOW, NOW + HOUR) == [replaced]


async def test_a_range_of_signals_is_start_inclusive_end_exclusive_oldest_first(
    signals: SignalRepository,
) -> None:
    momentum = hourly(6, strategy="momentum")
    breakout = hourly(6, strategy="breakout")
    await signals.copy([*momentum, *breakout, *hourly(6, symbol="MSFT")])
    start, end = momentum[1].time, momentum[4].time

    every_strategy = await signals.find_range("AAPL", start, end)
    one_strategy = await signals.find_range("AAPL", start, end, strategy="breakout")

    assert every_strategy == list(itertools.chain(*zip(breakout[1:4], momentum[1:4], strict=True)))
    assert one_strategy == breakout[1:4]


async def test_a_range_of_signals_rejects_bad_arguments(signals: SignalRepository) -> None:
    with pytest.raises(ValidationError, match="naive"):
        await signals.find_range("AAPL", datetime(2026, 11, 2), NOW)
    with pytest.raises(ValidationError, match="after end"):
        await signals.find_range("AAPL", NOW, NOW - HOUR)
    with pytest.raises(ValidationError, match="strategy"):
        await signals.find_range("AAPL", NOW - HOUR, NOW, strategy="Bad Strategy")
    with pytest.raises(ValidationError, match="symbol"):
        await signals.find_range("AAPL;DROP TABLE", NOW - HOUR, NOW)


async def test_copying_signals_in_each_conflict_mode(signals: SignalRepository) -> None:
    old = hourly(3, start=NOW)
    assert await signals.copy(old) == 3
    newer = hourly(5, start=NOW, confidence=0.99, metadata={"run": 2})

    with pytest.raises(Duplicate, match=r"row 0 \(AAPL momentum at 2026-11-02T15:30:00\+00:00\)"):
        await signals.copy(newer)
    skipped = await signals.copy(newer, on_conflict=ConflictMode.SKIP)
    after_skip = await signals.find_range("AAPL", NOW, NOW + 5 * HOUR)
    updated = await signals.copy(newer, on_conflict=ConflictMode.UPDATE)
    after_update = await signals.find_range("AAPL", NOW, NOW + 5 * HOUR)

    assert (skipped, updated) == (2, 5)
    assert after_skip == old + newer[3:]
    assert after_update == newer


async def test_a_refused_signal_writes_nothing_and_names_its_row(
    signals: SignalRepository,
) -> None:
    batch = hourly(4)
    object.__setattr__(batch[3], "confidence", 7.0)

    with pytest.raises(ValidationError, match=r"row 3 \(AAPL momentum at ") as raised:
        await signals.copy(batch, on_conflict=ConflictMode.UPDATE)

    assert (raised.value.row, raised.value.field) == (3, "signals_confidence_range")
    assert await signals.find_range("AAPL", NOW - 10 * HOUR, NOW) == []


async def test_an_item_that_is_not_a_signal_is_refused_by_its_index(
    signals: SignalRepository,
) -> None:
    batch: list[Any] = [make_signal(), make_signal(NOW + HOUR), "buy AAPL"]

    with pytest.raises(ValidationError, match="row 2: expected a Signal") as raised:
        await signals.copy(batch)

    assert raised.value.row == 2


async def test_active_signals_are_issued_and_unexpired_newest_first(
    signals: SignalRepository,
) -> None:
    never_expires = make_signal(NOW - 3 * HOUR, symbol="MSFT")
    still_valid = make_signal(NOW - 2 * HOUR, expires_at=NOW + HOUR, signal_type="sell")
    expires_now = make_signal(NOW - HOUR, expires_at=NOW)
    expired = make_signal(NOW - 5 * HOUR, expires_at=NOW - HOUR)
    issued_later = make_signal(NOW + HOUR)
    newest = make_signal(NOW, symbol="GC=F", signal_type="hold")
    await signals.copy([never_expires, still_valid, expires_now, expired, issued_later, newest])

    active = await signals.find_active(NOW)
    buys = await signals.find_active(NOW, signal_type="buy")
    first_two = await signals.find_active(NOW, limit=2)

    assert active == [newest, still_valid, never_expires]
    assert buys == [never_expires]
    assert first_two == [newest, still_valid]


@pytest.mark.parametrize(
    ("arguments", "field"),
    [
        ({"now": datetime(2026, 11, 2)}, "now"),
        ({"now": NOW, "limit": 0}, "limit"),
        ({"now": NOW, "limit": 1001}, "limit"),
        ({"now": NOW, "signal_type": "BUY"}, "signal_type"),
    ],
)
async def test_active_signals_reject_bad_arguments(
    signals: SignalRepository, arguments: dict[str, Any], field: str
) -> None:
    with pytest.raises(ValidationError) as raised:
        await signals.find_active(**arguments)
    assert raised.value.field == field


async def test_active_signals_of_one_type_walk_the_type_time_index(
    connection: asyncpg.Connection, signals: SignalRepository
) -> None:
    types = itertools.cycle(SignalType)
    symbols = [f"SYM{number}" for number in range(10)]
    start = NOW - 2000 * HOUR
    batch = [
        make_signal(start + index * HOUR, symbol=symbol, signal_type=next(types))
        for index in range(2000)
        for symbol in symbols
    ]
    await signals.copy(batch)
    await connection.execute("ANALYZE signals")
    query = default_library().signal_find_active

    plan = await connection.fetch(f"EXPLAIN (ANALYZE off) {query.sql}", ["buy"], NOW, 50)

    text = "\n".join(row[0] for row in plan)
    assert "signals_type_time_idx" in text, text
    assert "Seq Scan" not in text, text
