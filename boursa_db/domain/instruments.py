"""Tradable instruments and the fundamentals reported for them period by period."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import attrs

from boursa_db.domain.storable import RATIO, REPORTED_AMOUNT
from boursa_db.domain.values import (
    Vocabulary,
    aware_datetime,
    calendar_day,
    currency_code,
    matches,
    money,
    non_negative_money,
    optional,
    symbol,
    text,
    text_length,
)
from boursa_db.errors import ValidationError

__all__ = [
    "COUNTRY_PATTERN",
    "EXCHANGE_PATTERN",
    "ISIN_PATTERN",
    "FundamentalData",
    "Instrument",
    "InstrumentType",
    "PeriodType",
]

ISIN_PATTERN = r"^[A-Z]{2}[A-Z0-9]{9}[0-9]$"
"""ISO 6166: country prefix, nine alphanumerics, check digit (US0378331005)."""
EXCHANGE_PATTERN = r"^[A-Z0-9]{1,12}$"
"""An exchange code such as NASDAQ, NYSE, XPAR or LSE."""
COUNTRY_PATTERN = r"^[A-Z]{2}$"
"""ISO 3166-1 alpha-2."""


class InstrumentType(Vocabulary):
    """What kind of asset an instrument is."""

    STOCK = "stock"
    ETF = "etf"
    BOND = "bond"
    CRYPTO = "crypto"
    FOREX = "forex"
    COMMODITY = "commodity"
    INDEX = "index"


class PeriodType(Vocabulary):
    """The reporting period a set of fundamentals covers."""

    QUARTERLY = "quarterly"
    ANNUAL = "annual"


def _share_count(_: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        message = f"{attribute.name}: expected a non-negative whole number, got {value!r}"
        raise ValidationError(message, field=attribute.name)


def _float_within_outstanding(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    _share_count(instance, attribute, value)
    outstanding = instance.shares_outstanding
    if outstanding is not None and value > outstanding:
        message = f"{attribute.name}: {value} exceeds shares_outstanding {outstanding}"
        raise ValidationError(message, field=attribute.name)


_decimal = optional(money)
_non_negative_decimal = optional(non_negative_money)


@attrs.define(kw_only=True)
class Instrument:
    """A tradable instrument, unique by symbol.

    >>> Instrument(symbol="MC.PA", name="LVMH", instrument_type="stock").instrument_type
    <InstrumentType.STOCK: 'stock'>
    """

    symbol: str = attrs.field(validator=symbol)
    name: str = attrs.field(validator=text_length(1, 200))
    instrument_type: InstrumentType = attrs.field(converter=InstrumentType)
    exchange: str | None = attrs.field(
        default=None, validator=optional(matches(EXCHANGE_PATTERN, "an exchange code"))
    )
    currency: str = attrs.field(default="USD", validator=currency_code)
    sector: str | None = attrs.field(default=None, validator=optional(text_length(0, 100)))
    industry: str | None = attrs.field(default=None, validator=optional(text_length(0, 100)))
    country: str | None = attrs.field(
        default=None, validator=optional(matches(COUNTRY_PATTERN, "an ISO country code"))
    )
    isin: str | None = attrs.field(
        default=None, validator=optional(matches(ISIN_PATTERN, "an ISIN (e.g. US0378331005)"))
    )
    description: str | None = attrs.field(default=None, validator=optional(text))
    is_active: bool = True
    id: uuid.UUID | None = None
    created_at: datetime | None = attrs.field(default=None, validator=optional(aware_datetime))
    updated_at: datetime | None = attrs.field(default=None, validator=optional(aware_datetime))


@attrs.define(kw_only=True)
class FundamentalData:
    """One instrument's fundamentals for one period; unique per (instrument, type, period end).

    Amounts and ratios are exact Decimals as filings state them; None means not reported.
    """

    instrument_id: uuid.UUID
    period_end: date = attrs.field(validator=calendar_day)
    period_type: PeriodType = attrs.field(converter=PeriodType)
    currency: str = attrs.field(default="USD", validator=currency_code)
    market_cap: Decimal | None = attrs.field(
        default=None, validator=_non_negative_decimal, metadata=REPORTED_AMOUNT
    )
    enterprise_value: Decimal | None = attrs.field(
        default=None, validator=_decimal, metadata=REPORTED_AMOUNT
    )
    revenue: Decimal | None = attrs.field(
        default=None, validator=_decimal, metadata=REPORTED_AMOUNT
    )
    net_income: Decimal | None = attrs.field(
        default=None, validator=_decimal, metadata=REPORTED_AMOUNT
    )
    shares_outstanding: int | None = attrs.field(default=None, validator=optional(_share_count))
    float_shares: int | None = attrs.field(
        default=None, validator=optional(_float_within_outstanding)
    )
    pe_ratio: Decimal | None = attrs.field(default=None, validator=_decimal, metadata=RATIO)
    forward_pe: Decimal | None = attrs.field(default=None, validator=_decimal, metadata=RATIO)
    peg_ratio: Decimal | None = attrs.field(default=None, validator=_decimal, metadata=RATIO)
    price_to_book: Decimal | None = attrs.field(default=None, validator=_decimal, metadata=RATIO)
    price_to_sales: Decimal | None = attrs.field(default=None, validator=_decimal, metadata=RATIO)
    ev_to_revenue: Decimal | None = attrs.field(default=None, validator=_decimal, metadata=RATIO)
    ev_to_ebitda: Decimal | None = attrs.field(default=None, validator=_decimal, metadata=RATIO)
    profit_margin: Decimal | None = attrs.field(default=None, validator=_decimal, metadata=RATIO)
    operating_margin: Decimal | None = attrs.field(default=None, validator=_decimal, metadata=RATIO)
    return_on_assets: Decimal | None = attrs.field(default=None, validator=_decimal, metadata=RATIO)
    return_on_equity: Decimal | None = attrs.field(default=None, validator=_decimal, metadata=RATIO)
    revenue_growth: Decimal | None = attrs.field(default=None, validator=_decimal, metadata=RATIO)
    earnings_growth: Decimal | None = attrs.field(default=None, validator=_decimal, metadata=RATIO)
    debt_to_equity: Decimal | None = attrs.field(default=None, validator=_decimal, metadata=RATIO)
    current_ratio: Decimal | None = attrs.field(default=None, validator=_decimal, metadata=RATIO)
    quick_ratio: Decimal | None = attrs.field(default=None, validator=_decimal, metadata=RATIO)
    dividend_yield: Decimal | None = attrs.field(default=None, validator=_decimal, metadata=RATIO)
    payout_ratio: Decimal | None = attrs.field(default=None, validator=_decimal, metadata=RATIO)
    beta: Decimal | None = attrs.field(default=None, validator=_decimal, metadata=RATIO)
    id: uuid.UUID | None = None
    created_at: datetime | None = attrs.field(default=None, validator=optional(aware_datetime))
    updated_at: datetime | None = attrs.field(default=None, validator=optional(aware_datetime))
