"""Bar intervals: the vocabulary of ``interval_type`` in every time-series table."""

from __future__ import annotations

from datetime import timedelta

from boursa_db.domain.values import Vocabulary

__all__ = ["Interval"]


class Interval(Vocabulary):
    """The width of one bar. Values are the strings stored in the database."""

    ONE_MINUTE = "1m"
    FIVE_MINUTES = "5m"
    FIFTEEN_MINUTES = "15m"
    THIRTY_MINUTES = "30m"
    ONE_HOUR = "1h"
    FOUR_HOURS = "4h"
    ONE_DAY = "1d"
    ONE_WEEK = "1w"
    ONE_MONTH = "1mo"

    @property
    def duration(self) -> timedelta | None:
        """The fixed length of one bar, or None for calendar months."""
        return _DURATIONS[self]


_DURATIONS: dict[Interval, timedelta | None] = {
    Interval.ONE_MINUTE: timedelta(minutes=1),
    Interval.FIVE_MINUTES: timedelta(minutes=5),
    Interval.FIFTEEN_MINUTES: timedelta(minutes=15),
    Interval.THIRTY_MINUTES: timedelta(minutes=30),
    Interval.ONE_HOUR: timedelta(hours=1),
    Interval.FOUR_HOURS: timedelta(hours=4),
    Interval.ONE_DAY: timedelta(days=1),
    Interval.ONE_WEEK: timedelta(weeks=1),
    Interval.ONE_MONTH: None,
}
