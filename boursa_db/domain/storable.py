"""What PostgreSQL stores exactly as given: the one place that says which values it would change.

PostgreSQL does not always refuse a value it cannot hold: it rounds ``Decimal("1.00005")`` into a
``numeric(24, 4)`` column as ``1.0001``, and asyncpg sends ``datetime.max`` as ``infinity``,
which reads back as a naive datetime. Each ``*_problem`` function below answers "why would this
value not come back unchanged?" with a sentence, or None when it would. The domain's validators
and the repositories' argument checks both ask these functions, so the rules live here once.

The instants the library accepts run from :data:`EARLIEST_MOMENT` to :data:`LATEST_MOMENT`
(UTC), and the calendar days from :data:`EARLIEST_DAY` to :data:`LATEST_DAY`. That is Python's
whole range less one day at each end: the first and last values of the range are what asyncpg
sends as ``-infinity`` and ``infinity``, and the spare day lets any stored instant be shown in
any time zone (``astimezone``) without leaving Python's range.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import attrs

__all__ = [
    "EARLIEST_DAY",
    "EARLIEST_MOMENT",
    "FX_RATE",
    "LATEST_DAY",
    "LATEST_MOMENT",
    "MONEY",
    "NUMERIC",
    "PRICE",
    "QUANTITY",
    "RATIO",
    "REPORTED_AMOUNT",
    "Numeric",
    "day_problem",
    "decimal_problem",
    "json_problem",
    "moment_problem",
    "text_problem",
]

EARLIEST_MOMENT = datetime(1, 1, 2, tzinfo=UTC)
"""The earliest instant stored: 0001-01-02 00:00 UTC."""
LATEST_MOMENT = datetime(9999, 12, 30, 23, 59, 59, 999999, tzinfo=UTC)
"""The latest instant stored: the last microsecond of 9999-12-30 UTC."""
EARLIEST_DAY = EARLIEST_MOMENT.date()
"""The earliest calendar day stored: 0001-01-02."""
LATEST_DAY = LATEST_MOMENT.date()
"""The latest calendar day stored: 9999-12-30."""


@attrs.frozen
class Numeric:
    """The type of a ``numeric(precision, scale)`` column: what a Decimal must fit unrounded."""

    precision: int
    scale: int

    def __str__(self) -> str:
        return f"numeric({self.precision}, {self.scale})"


NUMERIC = "boursa_db.numeric"
"""The key of a Decimal field's metadata that holds its column's :class:`Numeric` type."""


def _column(precision: int, scale: int) -> Mapping[str, Numeric]:
    return {NUMERIC: Numeric(precision, scale)}


# The column types of migrations 0003 to 0006. A Decimal field declares its column with
# ``attrs.field(metadata=MONEY)``; tests/test_refused_values.py checks every numeric(p, s)
# column of the catalog against these declarations.
MONEY = _column(24, 4)
"""Cash, amounts, fees, taxes and portfolio values: ``numeric(24, 4)``."""
QUANTITY = _column(28, 10)
"""Shares and coins held or traded: ``numeric(28, 10)``."""
PRICE = _column(24, 8)
"""Trade prices, average prices and alert thresholds: ``numeric(24, 8)``."""
FX_RATE = _column(20, 10)
"""Exchange rates: ``numeric(20, 10)``."""
REPORTED_AMOUNT = _column(24, 2)
"""Amounts in filings (market cap, revenue, ...): ``numeric(24, 2)``."""
RATIO = _column(20, 6)
"""Ratios in filings (P/E, margins, ...): ``numeric(20, 6)``."""


def decimal_problem(value: Decimal, column: Numeric) -> str | None:
    """Why the finite ``value`` would not be stored unchanged in ``column``, or None."""
    _, digits, exponent = value.as_tuple()
    if not isinstance(exponent, int) or not any(digits):
        return None  # NaN and infinities are the caller's business; zero always fits
    coefficient = list(digits)
    while exponent < 0 and coefficient[-1] == 0:  # 1.50 has as many places as 1.5
        coefficient.pop()
        exponent += 1
    places = max(0, -exponent)
    if places > column.scale:
        return (
            f"{value} has {places} decimal places; the column ({column}) keeps "
            f"{column.scale} and would round it"
        )
    whole_digits = max(0, len(coefficient) + exponent)
    if whole_digits > column.precision - column.scale:
        return (
            f"{value} has {whole_digits} digits before the decimal point; the column "
            f"({column}) holds at most {column.precision - column.scale}"
        )
    return None


def moment_problem(value: object) -> str | None:
    """Why ``value`` is not an instant PostgreSQL stores as given, or None."""
    if not isinstance(value, datetime):
        return f"expected a datetime, got {type(value).__name__}"
    if value.tzinfo is None or value.tzinfo.utcoffset(value) is None:
        return "naive datetime: give a time zone (UTC)"
    # Comparing aware datetimes never overflows, unlike converting one to UTC.
    if not EARLIEST_MOMENT <= value <= LATEST_MOMENT:
        return (
            f"{value.isoformat()} is outside {EARLIEST_MOMENT.isoformat()} .. "
            f"{LATEST_MOMENT.isoformat()} (the ends of Python's range are stored as "
            f"-infinity and infinity)"
        )
    return None


def day_problem(value: object) -> str | None:
    """Why ``value`` is not a calendar day PostgreSQL stores as given, or None."""
    # A datetime is a date too, but its time and zone would be silently dropped.
    if not isinstance(value, date) or isinstance(value, datetime):
        return f"expected a date, got {type(value).__name__}"
    if not EARLIEST_DAY <= value <= LATEST_DAY:
        return (
            f"{value.isoformat()} is outside {EARLIEST_DAY.isoformat()} .. "
            f"{LATEST_DAY.isoformat()} (date.min and date.max are stored as -infinity and "
            f"infinity)"
        )
    return None


def text_problem(value: str) -> str | None:
    """Why the str ``value`` cannot be sent as PostgreSQL text, or None.

    PostgreSQL text cannot hold NUL, and a lone surrogate (``"\\ud800"``) has no UTF-8 encoding.
    """
    if "\x00" in value:
        return "contains NUL (\\x00), which PostgreSQL text cannot hold"
    if not value.isascii():
        try:
            value.encode()
        except UnicodeEncodeError as error:
            return (
                f"contains a lone surrogate ({value[error.start]!r} at {error.start}), "
                f"which has no UTF-8 encoding"
            )
    return None


def json_problem(value: object) -> str | None:
    """Why ``value`` would not come back unchanged from a ``jsonb`` column, or None.

    Accepted: dicts with str keys, lists, str, int, finite float, bool and None. Refused: other
    objects, NaN and infinities, non-str keys (JSON would turn ``1`` into ``"1"``), tuples
    (they come back as lists), text that PostgreSQL cannot hold, and floats that jsonb would
    give back as a different integer (``1e23``).
    """
    try:
        json.dumps(value, allow_nan=False)
    except (TypeError, ValueError, RecursionError) as error:
        return f"not representable as JSON: {error}"
    pending: list[Any] = [value]
    while pending:
        item = pending.pop()
        if isinstance(item, dict):
            for key, inner in item.items():
                if not isinstance(key, str):
                    return f"the key {key!r} is not a str (JSON keys are text)"
                pending += (key, inner)
        elif isinstance(item, list):
            pending += item
        elif isinstance(item, tuple):
            return f"{item!r} is a tuple, which JSON gives back as a list"
        elif isinstance(item, str):
            if (problem := text_problem(item)) is not None:
                return f"{item!r} {problem}"
        elif isinstance(item, float) and _changes_in_jsonb(item):
            return f"{item!r} would come back from jsonb as the integer {Decimal(repr(item))}"
    return None


def _changes_in_jsonb(number: float) -> bool:
    # jsonb writes 1e+23 back as 100000000000000000000000, an int not equal to the float.
    return "e+" in repr(number) and Decimal(repr(number)) != Decimal(number)
