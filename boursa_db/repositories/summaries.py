"""Summaries: daily and hourly OHLCV and hourly portfolio performance (``sql/summaries.sql``).

The views behind them are continuous aggregates with real-time aggregation on TimescaleDB and
plain views on plain PostgreSQL; both answer the same, including bars written a moment ago.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from boursa_db.domain.intervals import Interval
from boursa_db.domain.market import (
    require_interval,
    require_symbol,
    require_symbols,
    require_time_range,
)
from boursa_db.domain.summaries import DailySummary, HourlyBar, HourlyPortfolioPerformance
from boursa_db.errors import ValidationError
from boursa_db.repositories.base import Repository

__all__ = ["SummaryRepository"]

MAX_SYMBOLS = 1000


class SummaryRepository(Repository):
    """Read-only access to the summary views of migration 0009."""

    async def daily_summaries(
        self,
        symbols: Sequence[str],
        start: date,
        end: date,
        interval: Interval | str = Interval.ONE_MINUTE,
    ) -> list[DailySummary]:
        """One summary per symbol and UTC day from ``start`` to ``end`` (both included), built
        from the bars of ``interval``; ordered by symbol, then day. Days without bars are absent::

            days = await summaries.daily_summaries(["AAPL"], date(2026, 1, 1), date(2026, 12, 31))
        """
        checked = _symbols(symbols)
        first, last = _date_range(start, end)
        interval_type = require_interval(interval)
        records = await self._session.read(
            self._queries.summary_daily,
            symbols=checked,
            interval_type=interval_type.value,
            start_date=first,
            end_date=last,
        )
        return [_daily_summary_from_record(record) for record in records]

    async def hourly_bars(self, symbol: str, start: datetime, end: datetime) -> list[HourlyBar]:
        """Hourly bars rolled up from one-minute bars, for the hours starting in ``[start, end)``,
        oldest first."""
        checked = require_symbol(symbol)
        start, end = require_time_range(start, end)
        records = await self._session.read(
            self._queries.summary_hourly_bars, symbol=checked, start=start, end=end
        )
        return [_hourly_bar_from_record(record) for record in records]

    async def hourly_portfolio_performance(
        self, portfolio_id: uuid.UUID, start: datetime, end: datetime
    ) -> list[HourlyPortfolioPerformance]:
        """Hourly statistics of a portfolio's snapshots, for the hours starting in
        ``[start, end)``, oldest first."""
        if not isinstance(portfolio_id, uuid.UUID):
            message = f"portfolio_id: expected a UUID, got {type(portfolio_id).__name__}"
            raise ValidationError(message, field="portfolio_id")
        start, end = require_time_range(start, end)
        records = await self._session.read(
            self._queries.summary_hourly_portfolio_performance,
            portfolio_id=portfolio_id,
            start=start,
            end=end,
        )
        return [_hourly_performance_from_record(record) for record in records]


def _symbols(symbols: Sequence[str]) -> list[str]:
    checked = require_symbols(symbols)
    if not 1 <= len(checked) <= MAX_SYMBOLS:
        message = f"symbols: give 1 to {MAX_SYMBOLS} symbols, got {len(checked)}"
        raise ValidationError(message, field="symbols")
    return checked


def _date_range(start: object, end: object) -> tuple[date, date]:
    first, last = _require_date(start, "start"), _require_date(end, "end")
    if first > last:
        raise ValidationError(f"start ({first}) is after end ({last})", field="start")
    return first, last


def _require_date(value: object, name: str) -> date:
    # datetime is a date too, but a point in time would make the day boundaries ambiguous.
    if not isinstance(value, date) or isinstance(value, datetime):
        raise ValidationError(f"{name}: expected a date, got {type(value).__name__}", field=name)
    return value


def _daily_summary_from_record(record: Any) -> DailySummary:
    return DailySummary(
        day=record["day"],
        symbol=record["symbol"],
        interval_type=record["interval_type"],
        open=record["open"],
        high=record["high"],
        low=record["low"],
        close=record["close"],
        volume=record["volume"],
        bar_count=record["bar_count"],
    )


def _hourly_bar_from_record(record: Any) -> HourlyBar:
    return HourlyBar(
        hour=record["hour"],
        symbol=record["symbol"],
        open=record["open"],
        high=record["high"],
        low=record["low"],
        close=record["close"],
        volume=record["volume"],
        bar_count=record["bar_count"],
    )


def _hourly_performance_from_record(record: Any) -> HourlyPortfolioPerformance:
    return HourlyPortfolioPerformance(
        hour=record["hour"],
        portfolio_id=record["portfolio_id"],
        avg_total_value=record["avg_total_value"],
        min_total_value=record["min_total_value"],
        max_total_value=record["max_total_value"],
        last_total_return=record["last_total_return"],
        volatility=record["volatility"],
        snapshot_count=record["snapshot_count"],
    )
