"""Validators shared by the domain classes: a bad value cannot be constructed, so it never
travels into SQL. The rules mirror the CHECK constraints of the migrations.

Every validator raises :class:`~boursa_db.errors.ValidationError` naming the attribute.
"""

from __future__ import annotations

import enum
import math
import re
from collections.abc import Callable
from datetime import datetime
from decimal import Decimal
from typing import Any

import attrs

from boursa_db.errors import ValidationError

__all__ = [
    "SYMBOL_PATTERN",
    "Vocabulary",
    "aware_datetime",
    "bounded_float",
    "currency_code",
    "finite_float",
    "matches",
    "money",
    "non_negative_money",
    "optional",
    "positive_float",
    "symbol",
    "text_length",
]

SYMBOL_PATTERN = re.compile(r"^\^?[A-Z0-9]([A-Z0-9.=-]{0,18}[A-Z0-9])?$")
_CURRENCY_PATTERN = re.compile(r"^[A-Z]{3}$")

Validator = Callable[[Any, "attrs.Attribute[Any]", Any], None]


def _fail(attribute: attrs.Attribute[Any], message: str) -> ValidationError:
    return ValidationError(f"{attribute.name}: {message}", field=attribute.name)


def optional(validator: Validator) -> Validator:
    """Accept None, otherwise apply ``validator``."""

    def check(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
        if value is not None:
            validator(instance, attribute, value)

    return check


def symbol(_: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    """An upper-case ticker as vendors write it: AAPL, BRK-B, MC.PA, BTC-USD, GC=F, ^GSPC."""
    if not isinstance(value, str) or not SYMBOL_PATTERN.match(value):
        raise _fail(attribute, f"{value!r} is not a ticker symbol (e.g. AAPL, BRK-B, MC.PA)")


def currency_code(_: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    """An ISO 4217 code: three upper-case letters."""
    if not isinstance(value, str) or not _CURRENCY_PATTERN.match(value):
        raise _fail(attribute, f"{value!r} is not a currency code (three upper-case letters)")


def aware_datetime(_: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    """A datetime with a time zone; naive datetimes are ambiguous and rejected."""
    if not isinstance(value, datetime):
        raise _fail(attribute, f"expected a datetime, got {type(value).__name__}")
    if value.tzinfo is None or value.tzinfo.utcoffset(value) is None:
        raise _fail(attribute, "naive datetime: give a time zone (UTC)")


def money(_: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    """An exact, finite Decimal: money is never a float."""
    if not isinstance(value, Decimal) or not value.is_finite():
        raise _fail(attribute, f"expected a finite Decimal, got {value!r}")


def non_negative_money(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    money(instance, attribute, value)
    if value < 0:
        raise _fail(attribute, f"must not be negative, got {value}")


def finite_float(_: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    """A real number that is neither NaN nor infinite (ints are accepted)."""
    if isinstance(value, bool) or not isinstance(value, float | int):
        raise _fail(attribute, f"expected a number, got {type(value).__name__}")
    if not math.isfinite(value):
        raise _fail(attribute, f"must be finite, got {value}")


def positive_float(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
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
    """A str of ``low`` to ``high`` characters."""

    def check(_: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
        if not isinstance(value, str):
            raise _fail(attribute, f"expected text, got {type(value).__name__}")
        if not low <= len(value) <= high:
            raise _fail(attribute, f"must be {low} to {high} characters long, got {len(value)}")

    return check


def matches(pattern: str, description: str) -> Validator:
    """A str matching a regular expression (the same one as the column's CHECK)."""
    compiled = re.compile(pattern)

    def check(_: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
        if not isinstance(value, str) or not compiled.match(value):
            raise _fail(attribute, f"{value!r} is not {description}")

    return check


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
