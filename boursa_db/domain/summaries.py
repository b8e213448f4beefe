"""Summaries of the time series, read from the aggregates of migration 0009.

They are values computed by the database (continuous aggregates on TimescaleDB, plain views
elsewhere), never written by the application. Buckets are UTC: a :class:`DailySummary` covers
one UTC calendar day, an :class:`HourlyBar` or :class:`HourlyPortfolioPerformance` the hour
starting at ``hour``.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import attrs

from boursa_db.domain.intervals import Interval
from boursa_db.domain.values import (
    aware_datetime,
    calendar_day,
    finite_float,
    non_negative_money,
    optional,
    positive_float,
    symbol,
)
from boursa_db.errors import ValidationError

__all__ = ["DailySummary", "HourlyBar", "HourlyPortfolioPerformance"]


def _count(minimum: int) -> Any:
    def check(_: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
        if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
            message = f"{attribute.name}: expected an integer >= {minimum}, got {value!r}"
            raise ValidationError(message, field=attribute.name)

    return check


def _uuid(_: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if not isinstance(value, uuid.UUID):
        message = f"{attribute.name}: expected a UUID, got {type(value).__name__}"
        raise ValidationError(message, field=attribute.name)


@attrs.frozen(kw_only=True)
class DailySummary:
    """One UTC day of one symbol's bars at one interval: the ``daily_market_summary`` view.

    ``open`` is the open of the day's first bar, ``close`` the close of its last one; ``volume``
    sums the bars' volumes and ``bar_count`` counts them.
    """

    day: date = attrs.field(validator=calendar_day)
    symbol: str = attrs.field(validator=symbol)
    interval_type: Interval = attrs.field(converter=Interval)
    open: float = attrs.field(validator=positive_float)
    high: float = attrs.field(validator=positive_float)
    low: float = attrs.field(validator=positive_float)
    close: float = attrs.field(validator=positive_float)
    volume: int = attrs.field(validator=_count(0))
    bar_count: int = attrs.field(validator=_count(1))


@attrs.frozen(kw_only=True)
class HourlyBar:
    """One UTC hour of a symbol rolled up from its one-minute bars: ``hourly_market_bars``."""

    hour: datetime = attrs.field(validator=aware_datetime)
    symbol: str = attrs.field(validator=symbol)
    open: float = attrs.field(validator=positive_float)
    high: float = attrs.field(validator=positive_float)
    low: float = attrs.field(validator=positive_float)
    close: float = attrs.field(validator=positive_float)
    volume: int = attrs.field(validator=_count(0))
    bar_count: int = attrs.field(validator=_count(1))


@attrs.frozen(kw_only=True)
class HourlyPortfolioPerformance:
    """One UTC hour of a portfolio's snapshots: ``hourly_portfolio_performance``.

    ``last_total_return`` is the ``total_return`` of the hour's last snapshot (the cumulative
    return at the end of the hour). ``volatility`` is the sample standard deviation of
    ``total_value`` within the hour, in the portfolio's currency; None for a single snapshot.
    Money statistics are exact Decimals.
    """

    hour: datetime = attrs.field(validator=aware_datetime)
    portfolio_id: uuid.UUID = attrs.field(validator=_uuid)
    avg_total_value: Decimal = attrs.field(validator=non_negative_money)
    min_total_value: Decimal = attrs.field(validator=non_negative_money)
    max_total_value: Decimal = attrs.field(validator=non_negative_money)
    last_total_return: float | None = attrs.field(validator=optional(finite_float))
    volatility: Decimal | None = attrs.field(validator=optional(non_negative_money))
    snapshot_count: int = attrs.field(validator=_count(1))
