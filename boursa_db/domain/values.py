"""Validators shared by the domain classes: a bad value cannot be constructed, so it never
travels into SQL. The rules mirror the CHECK constraints of the migrations, and refuse what
PostgreSQL would store changed (see :mod:`boursa_db.domain.storable`).

Every validator raises :class:`~boursa_db.errors.ValidationError` naming the attribute.
Patterns are matched whole (``re.fullmatch``): Python's ``$`` also matches before a trailing
newline, so ``"AAPL\\n"`` would pass a ``match`` against ``...$``.
"""

from __future__ import annotations

import enum
import math
import re
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import attrs

from boursa_db.domain.storable import (
    NUMERIC,
    day_problem,
    decimal_problem,
    json_problem,
    moment_problem,
    text_problem,
)
from boursa_db.errors import ValidationError

__all__ = [
    "SYMBOL_PATTERN",
    "Vocabulary",
    "aware_datetime",
    "bounded_float",
    "calendar_day",
    "currency_code",
    "finite_float",
    "json_object",
    "json_value",
    "matches",
    "money",
    "non_negative_money",
    "optional",
    "positive_float",
    "positive_money",
    "symbol",
    "text",
    "text_length",
    "text_list",
]

SYMBOL_PATTERN = re.compile(r"^\^?[A-Z0-9]([A-Z0-9.=-]{0,18}[A-Z0-9])?$")
"""A ticker symbol; match it whole, with ``fullmatch``."""
_CURRENCY_PATTERN = re.compile(r"[A-Z]{3}")

Validator = Callable[[Any, "attrs.Attribute[Any]", Any], None]


def _fail(attribute: attrs.Attribute[Any], message: str) -> ValidationError:
    return ValidationError(f"{attribute.name}: {message}", field=attribute.name)


def optional(validator: Validator) -> Validator:
    """Accept None, otherwise apply ``validator``."""

    def check(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
        if value is not None:
            validator(instance, attribute, value)

    return check


def text(_: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    """A str that PostgreSQL text can hold: no NUL, no lone surrogate."""
    if not isinstance(value, str):
        raise _fail(attribute, f"expected text, got {type(value).__name__}")
    if (problem := text_problem(value)) is not None:
        raise _fail(attribute, problem)


def text_list(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    """A list of str, each one that PostgreSQL text can hold (a ``text[]`` column)."""
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise _fail(attribute, "expected a list of str")
    for item in value:
        text(instance, attribute, item)


def symbol(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    """An upper-case ticker as vendors write it: AAPL, BRK-B, MC.PA, BTC-USD, GC=F, ^GSPC."""
    if not isinstance(value, str) or not SYMBOL_PATTERN.fullmatch(value):
        raise _fail(attribute, f"{value!r} is not a ticker symbol (e.g. AAPL, BRK-B, MC.PA)")


def currency_code(_: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    """An ISO 4217 code: three upper-case letters."""
    if not isinstance(value, str) or not _CURRENCY_PATTERN.fullmatch(value):
        raise _fail(attribute, f"{value!r} is not a currency code (three upper-case letters)")


def aware_datetime(_: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    """A datetime with a time zone, within the range PostgreSQL stores as given.

    Naive datetimes are ambiguous; see :data:`~boursa_db.domain.storable.EARLIEST_MOMENT` for
    the range.
    """
    if (problem := moment_problem(value)) is not None:
        raise _fail(attribute, problem)


def calendar_day(_: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    """A date (not a datetime) within the range PostgreSQL stores as given."""
    if (problem := day_problem(value)) is not None:
        raise _fail(attribute, problem)


def money(_: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    """An exact, finite Decimal (money is never a float) that fits its column unrounded.

    The column is the :class:`~boursa_db.domain.storable.Numeric` in the field's metadata
    (``attrs.field(metadata=MONEY)``); a field without one (a value computed by the database,
    never written) is not limited.
    """
    if not isinstance(value, Decimal) or not value.is_finite():
        raise _fail(attribute, f"expected a finite Decimal, got {value!r}")
    column = attribute.metadata.get(NUMERIC)
    if column is not None and (problem := decimal_problem(value, column)) is not None:
        raise _fail(attribute, problem)


def non_negative_money(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    """:func:`money` that is zero or more."""
    money(instance, attribute, value)
    if value < 0:
        raise _fail(attribute, f"must not be negative, got {value}")


def positive_money(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    """:func:`money` that is more than zero."""
    non_negative_money(instance, attribute, value)
    if value == 0:
        raise _fail(attribute, "must be positive, got 0")


def finite_float(_: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    """A real number that is neither NaN nor infinite (ints are accepted)."""
    if isinstance(value, bool) or not isinstance(value, float | int):
        raise _fail(attribute, f"expected a number, got {type(value).__name__}")
    if not math.isfinite(value):
        raise _fail(attribute, f"must be finite, got {value}")


def positive_float(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    """:func:`finite_float` that is more than zero."""
    finite_float(instance, attribute, value)
    if value <= 0:
        raise _fail(attribute, f"must be positive, got {value}")


def bounded_float(low: float, high: float) -> Validator:
    """A finite number within [low, high]."""

    def check(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
        finite_float(instance, attribute, value)
        if not low <= value <= high:
            raise _fail(attribute, f"must be between {low} and {high}, got {value}")

    return check


def text_length(low: int, high: int) -> Validator:
    """:func:`text` of ``low`` to ``high`` characters."""

    def check(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
        text(instance, attribute, value)
        if not low <= len(value) <= high:
            raise _fail(attribute, f"must be {low} to {high} characters long, got {len(value)}")

    return check


def matches(pattern: str, description: str) -> Validator:
    """:func:`text` matching a regular expression whole (the one of the column's CHECK)."""
    compiled = re.compile(pattern)

    def check(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
        if not isinstance(value, str) or not compiled.fullmatch(value):
            raise _fail(attribute, f"{value!r} is not {description}")
        text(instance, attribute, value)

    return check


def json_value(_: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    """Any value a ``jsonb`` column gives back unchanged (see ``json_problem``)."""
    if (problem := json_problem(value)) is not None:
        raise _fail(attribute, problem)


def json_object(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    """A dict with str keys (a JSON object) that a ``jsonb`` column gives back unchanged."""
    if not isinstance(value, dict):
        raise _fail(attribute, f"expected a dict (a JSON object), got {type(value).__name__}")
    json_value(instance, attribute, value)


class Vocabulary(enum.StrEnum):
    """Base of the domain's vocabularies (roles, transaction types, ...).

    Use the enum itself as the attrs converter (``converter=UserRole``) so that both
    ``UserRole.TRADER`` and ``"trader"`` are accepted; an unknown word raises
    :class:`ValidationError` listing the known ones instead of a bare ``ValueError``.
    """

    @classmethod
    def _missing_(cls, value: object) -> Any:
        known = ", ".join(repr(member.value) for member in cls)
        raise ValidationError(f"{value!r} is not a valid {cls.__name__}: use one of {known}")
