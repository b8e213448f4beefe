"""Checks of repository arguments, run before any SQL so that bad input writes nothing.

Domain objects validate themselves; :func:`check_instance` makes sure a write method was given
one (not a dict, not None). The other checks guard the remaining arguments of repository
methods (ids, time bounds, page sizes, filters). All raise
:class:`~boursa_db.errors.ValidationError` naming the argument, and apply the rules of
:mod:`boursa_db.domain.storable`: what PostgreSQL would store changed is refused.
"""

from __future__ import annotations

import enum
import uuid
from datetime import date, datetime
from typing import Any, TypeVar

import attrs

from boursa_db.domain.storable import day_problem, moment_problem, text_problem
from boursa_db.domain.values import SYMBOL_PATTERN
from boursa_db.errors import ValidationError

__all__ = [
    "MAX_PAGE_SIZE",
    "check_aware",
    "check_date",
    "check_flag",
    "check_id",
    "check_instance",
    "check_limit",
    "check_page",
    "check_range",
    "check_symbol",
    "check_text",
    "check_word",
]

MAX_PAGE_SIZE = 1000

Entity = TypeVar("Entity", bound=attrs.AttrsInstance)
Moment = TypeVar("Moment", date, datetime)
Word = TypeVar("Word", bound=enum.Enum)


def _invalid(name: str, message: str) -> ValidationError:
    return ValidationError(f"{name}: {message}", field=name)


def check_instance(name: str, value: Any, kind: type[Entity]) -> Entity:
    """``value`` if it is a valid ``kind`` (a domain class), else :class:`ValidationError`.

    A write method given a dict or None is refused here, naming the argument, instead of
    failing later with an AttributeError. The object's validators run again: a list or dict
    inside it may have been changed in place since it was built.
    """
    if not isinstance(value, kind):
        raise _invalid(name, f"expected a {kind.__name__}, got {type(value).__name__}")
    attrs.validate(value)
    return value


def check_id(name: str, value: uuid.UUID) -> None:
    """Reject anything but a UUID before it reaches the database."""
    if not isinstance(value, uuid.UUID):
        raise _invalid(name, f"expected a UUID, got {type(value).__name__}")


def check_symbol(name: str, value: str) -> None:
    """Reject what no symbol column could hold."""
    if not isinstance(value, str) or not SYMBOL_PATTERN.fullmatch(value):
        raise _invalid(name, f"{value!r} is not a ticker symbol (e.g. AAPL, BRK-B, MC.PA)")


def check_text(name: str, value: str) -> None:
    """Reject anything but a non-empty str that PostgreSQL text can hold."""
    if not isinstance(value, str) or not value:
        raise _invalid(name, f"expected non-empty text, got {value!r}")
    if (problem := text_problem(value)) is not None:
        raise _invalid(name, problem)


def check_flag(name: str, value: bool) -> bool:
    """Reject anything but True or False (0, 1 and 'yes' are mistakes); return the flag."""
    if not isinstance(value, bool):
        raise _invalid(name, f"expected a bool, got {type(value).__name__}")
    return value


def check_aware(name: str, value: datetime) -> None:
    """Reject anything but a timezone-aware datetime that PostgreSQL stores as given."""
    if (problem := moment_problem(value)) is not None:
        raise _invalid(name, problem)


def check_date(name: str, value: date) -> None:
    """Reject anything but a calendar date (a datetime would lose its time silently)."""
    if (problem := day_problem(value)) is not None:
        raise _invalid(name, problem)


def check_range(start: Moment | None, end: Moment | None) -> None:
    """Reject a range that ends before it starts."""
    if start is not None and end is not None and end < start:
        raise _invalid("end", f"{end} is before start {start}")


def check_limit(limit: int) -> None:
    """Reject a page size outside 1..MAX_PAGE_SIZE."""
    if isinstance(limit, bool) or not isinstance(limit, int) or not 1 <= limit <= MAX_PAGE_SIZE:
        raise _invalid("limit", f"must be an int from 1 to {MAX_PAGE_SIZE}, got {limit!r}")


def check_page(limit: int, offset: int) -> None:
    """Reject a bad page: 1 <= limit <= MAX_PAGE_SIZE and offset >= 0."""
    check_limit(limit)
    if isinstance(offset, bool) or not isinstance(offset, int) or offset < 0:
        raise _invalid("offset", f"must be an int >= 0, got {offset!r}")


def check_word(name: str, vocabulary: type[Word], value: Word | str) -> Word:
    """The member of ``vocabulary`` that ``value`` names (a member or its word)."""
    try:
        return vocabulary(value)
    except ValueError:
        known = ", ".join(repr(member.value) for member in vocabulary)
        raise _invalid(name, f"{value!r} is not one of {known}") from None
