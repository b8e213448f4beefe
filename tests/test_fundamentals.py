"""Fundamentals: the domain rules and the repository, against a real PostgreSQL."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import asyncpg
import attrs
import pytest

from boursa_db.domain.instruments import FundamentalData, PeriodType
from boursa_db.errors import MissingReference, ValidationError
from boursa_db.repositories.base import BoundSession
from boursa_db.repositories.fundamentals import FundamentalsRepository


@pytest.fixture
async def instrument_id(connection: asyncpg.Connection) -> uuid.UUID:
    found: uuid.UUID = await connection.fetchval(
        "INSERT INTO instruments (symbol, name, instrument_type) "
        "VALUES ('AAPL', 'Apple Inc.', 'stock') RETURNING id"
    )
    return found


@pytest.fixture
def fundamentals(session: BoundSession) -> FundamentalsRepository:
    return FundamentalsRepository(session)


def _period(instrument_id: uuid.UUID, **overrides: Any) -> FundamentalData:
    fields: dict[str, Any] = {
        "instrument_id": instrument_id,
        "period_end": date(2026, 9, 30),
        "period_type": "quarterly",
    }
    return FundamentalData(**(fields | overrides))


def _fully_populated(instrument_id: uuid.UUID) -> FundamentalData:
    return FundamentalData(
        instrument_id=instrument_id,
        period_end=date(2026, 9, 27),
        period_type=PeriodType.QUARTERLY,
        currency="USD",
        market_cap=Decimal("3456789012345.67"),
        enterprise_value=Decimal("3501234567890.12"),
        revenue=Decimal("94930000000.00"),
        net_income=Decimal("-14736000000.01"),
        shares_outstanding=15_115_823_000,
        float_shares=15_091_200_000,
        pe_ratio=Decimal("35.123456"),
        forward_pe=Decimal("30.5"),
        peg_ratio=Decimal("2.000001"),
        price_to_book=Decimal("52.87"),
        price_to_sales=Decimal("8.9"),
        ev_to_revenue=Decimal("9.01"),
        ev_to_ebitda=Decimal("26.4"),
        profit_margin=Decimal("0.155"),
        operating_margin=Decimal("0.311"),
        return_on_assets=Decimal("0.21"),
        return_on_equity=Decimal("1.5741"),
        revenue_growth=Decimal("0.061"),
        earnings_growth=Decimal("-0.358"),
        debt_to_equity=Decimal("209.059"),
        current_ratio=Decimal("0.867"),
        quick_ratio=Decimal("0.745"),
        dividend_yield=Decimal("0.0044"),
        payout_ratio=Decimal("0.161"),
        beta=Decimal("1.24"),
    )


# --- the domain -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("period_end", datetime(2026, 9, 30, tzinfo=UTC)),
        ("period_end", "2026-09-30"),
        ("currency", "usd"),
        ("market_cap", Decimal("-1")),
        ("revenue", 1.5),
        ("pe_ratio", Decimal("NaN")),
        ("shares_outstanding", -1),
        ("shares_outstanding", 1.0),
        ("float_shares", True),
    ],
)
def test_a_value_the_table_would_refuse_is_rejected_naming_the_field(
    field: str, value: Any
) -> None:
    with pytest.raises(ValidationError) as raised:
        _period(uuid.uuid4(), **{field: value})
    assert raised.value.field == field


def test_the_float_cannot_exceed_the_shares_outstanding() -> None:
    with pytest.raises(ValidationError, match="exceeds shares_outstanding"):
        _period(uuid.uuid4(), shares_outstanding=10, float_shares=11)
    assert _period(uuid.uuid4(), float_shares=11).float_shares == 11


def test_an_unknown_period_type_is_rejected() -> None:
    with pytest.raises(ValidationError, match="'monthly'"):
        _period(uuid.uuid4(), period_type="monthly")


# --- the repository -------------------------------------------------------------------------


async def test_fully_populated_fundamentals_round_trip_exactly(
    fundamentals: FundamentalsRepository, instrument_id: uuid.UUID
) -> None:
    period = _fully_populated(instrument_id)

    saved = await fundamentals.save(period)
    found = await fundamentals.find_latest(instrument_id, PeriodType.QUARTERLY)

    assert saved.id is not None
    assert saved.created_at is not None
    assert saved.updated_at is not None
    assert found is not None
    assert attrs.asdict(found) == attrs.asdict(saved)
    server_set = ("id", "created_at", "updated_at")
    assert attrs.asdict(found, filter=lambda a, _: a.name not in server_set) == attrs.asdict(
        period, filter=lambda a, _: a.name not in server_set
    )
    assert found.market_cap == Decimal("3456789012345.67")
    assert found.pe_ratio == Decimal("35.123456")


async def test_saving_the_same_period_again_replaces_its_figures(
    fundamentals: FundamentalsRepository, instrument_id: uuid.UUID
) -> None:
    first = await fundamentals.save(_period(instrument_id, revenue=Decimal("100.00")))

    restated = await fundamentals.save(_period(instrument_id, beta=Decimal("0.9")))

    assert restated.id == first.id
    assert (restated.revenue, restated.beta) == (None, Decimal("0.9"))
    assert await fundamentals.list_for_instrument(instrument_id) == [restated]


async def test_find_latest_returns_the_most_recent_period_of_the_type(
    fundamentals: FundamentalsRepository, instrument_id: uuid.UUID
) -> None:
    for period_end in (date(2026, 3, 31), date(2026, 9, 30), date(2026, 6, 30)):
        await fundamentals.save(_period(instrument_id, period_end=period_end))
    await fundamentals.save(
        _period(instrument_id, period_end=date(2026, 12, 31), period_type="annual")
    )

    quarterly = await fundamentals.find_latest(instrument_id, "quarterly")
    annual = await fundamentals.find_latest(instrument_id, PeriodType.ANNUAL)

    assert quarterly is not None
    assert quarterly.period_end == date(2026, 9, 30)
    assert annual is not None
    assert annual.period_end == date(2026, 12, 31)
    assert await fundamentals.find_latest(uuid.uuid4(), "annual") is None


async def test_list_for_instrument_is_bounded_by_inclusive_dates(
    fundamentals: FundamentalsRepository, instrument_id: uuid.UUID
) -> None:
    ends = [date(2025, 12, 31), date(2026, 3, 31), date(2026, 6, 30), date(2026, 9, 30)]
    for period_end in ends:
        await fundamentals.save(_period(instrument_id, period_end=period_end))
    await fundamentals.save(_period(instrument_id, period_end=ends[1], period_type="annual"))

    async def listed(start: date | None, end: date | None) -> list[tuple[date, PeriodType]]:
        found = await fundamentals.list_for_instrument(instrument_id, start, end)
        return [(item.period_end, item.period_type) for item in found]

    quarterly, annual = PeriodType.QUARTERLY, PeriodType.ANNUAL
    assert await listed(None, None) == [
        (ends[0], quarterly),
        (ends[1], annual),
        (ends[1], quarterly),
        (ends[2], quarterly),
        (ends[3], quarterly),
    ]
    assert await listed(ends[1], ends[2]) == [
        (ends[1], annual),
        (ends[1], quarterly),
        (ends[2], quarterly),
    ]
    assert await listed(ends[3], None) == [(ends[3], quarterly)]
    assert await listed(None, ends[0]) == [(ends[0], quarterly)]


async def test_fundamentals_of_an_unknown_instrument_are_a_missing_reference(
    fundamentals: FundamentalsRepository,
) -> None:
    with pytest.raises(MissingReference):
        await fundamentals.save(_period(uuid.uuid4()))


async def test_arguments_are_validated_before_any_sql(
    fundamentals: FundamentalsRepository,
) -> None:
    with pytest.raises(ValidationError, match="period_type"):
        await fundamentals.find_latest(uuid.uuid4(), "monthly")
    with pytest.raises(ValidationError, match="start"):
        await fundamentals.list_for_instrument(uuid.uuid4(), datetime(2026, 1, 1, tzinfo=UTC))
    with pytest.raises(ValidationError, match="end"):
        await fundamentals.list_for_instrument(uuid.uuid4(), date(2026, 2, 1), date(2026, 1, 1))
    with pytest.raises(ValidationError, match="instrument_id"):
        await fundamentals.list_for_instrument("AAPL")  # type: ignore[arg-type]
