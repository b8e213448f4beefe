"""Positions one at a time (queries in ``sql/positions.sql``).

Most code saves positions with their portfolio (:class:`~boursa_db.repositories.portfolios.
PortfolioRepository.save`); this repository serves code that touches one holding. Each write
bumps the portfolio's version, so a portfolio read before it cannot be saved over it.

The argument checks at the end of this module are shared by the repositories of instruments,
portfolios, transactions and alerts.
"""

from __future__ import annotations

import enum
import uuid
from datetime import date, datetime
from typing import Any, TypeVar

from boursa_db.domain.portfolios import Position
from boursa_db.domain.values import SYMBOL_PATTERN
from boursa_db.errors import ValidationError
from boursa_db.repositories.base import Repository

__all__ = ["MAX_PAGE_SIZE", "PositionRepository"]

MAX_PAGE_SIZE = 1000

Moment = TypeVar("Moment", date, datetime)
Word = TypeVar("Word", bound=enum.Enum)


class PositionRepository(Repository):
    """Collection-like access to the :class:`~boursa_db.domain.portfolios.Position` rows."""

    async def list_for_portfolio(self, portfolio_id: uuid.UUID) -> list[Position]:
        """The portfolio's positions by symbol (empty for an unknown portfolio)."""
        check_id("portfolio_id", portfolio_id)
        async with self._session.connection() as connection:
            records = await self._queries.position_list_for_portfolio(
                connection, portfolio_id=portfolio_id
            )
        return [position_from_record(record) for record in records]

    async def find(self, portfolio_id: uuid.UUID, symbol: str) -> Position | None:
        """The portfolio's position in ``symbol``, or None."""
        check_id("portfolio_id", portfolio_id)
        check_symbol("symbol", symbol)
        async with self._session.connection() as connection:
            record = await self._queries.position_find(
                connection, portfolio_id=portfolio_id, symbol=symbol
            )
        return None if record is None else position_from_record(record)

    async def save(self, position: Position) -> Position:
        """Insert the position, or replace the portfolio's position in the same symbol.

        ``position.portfolio_id`` is required; an unknown portfolio raises
        :class:`~boursa_db.errors.MissingReference`. The portfolio's version goes up by one.
        """
        if position.portfolio_id is None:
            message = "portfolio_id: a position is saved into a portfolio; set portfolio_id"
            raise ValidationError(message, field="portfolio_id")
        async with self._session.connection() as connection:
            record = await self._queries.position_upsert(
                connection,
                portfolio_id=position.portfolio_id,
                symbol=position.symbol,
                quantity=position.quantity,
                average_price=position.average_price,
                currency=position.currency,
                opened_at=position.opened_at,
            )
        return position_from_record(record)

    async def delete(self, portfolio_id: uuid.UUID, symbol: str) -> bool:
        """Delete the position; False if there was none. Bumps the portfolio's version."""
        check_id("portfolio_id", portfolio_id)
        check_symbol("symbol", symbol)
        async with self._session.connection() as connection:
            deleted = await self._queries.position_delete(
                connection, portfolio_id=portfolio_id, symbol=symbol
            )
        return bool(deleted)


def position_from_record(record: Any) -> Position:
    """The position a ``positions`` row describes."""
    return Position(
        id=record["id"],
        portfolio_id=record["portfolio_id"],
        symbol=record["symbol"],
        quantity=record["quantity"],
        average_price=record["average_price"],
        currency=record["currency"],
        opened_at=record["opened_at"],
        created_at=record["created_at"],
        updated_at=record["updated_at"],
    )


def _invalid(name: str, message: str) -> ValidationError:
    return ValidationError(f"{name}: {message}", field=name)


def check_id(name: str, value: uuid.UUID) -> None:
    """Reject anything but a UUID before it reaches the database."""
    if not isinstance(value, uuid.UUID):
        raise _invalid(name, f"expected a UUID, got {type(value).__name__}")


def check_symbol(name: str, value: str) -> None:
    """Reject what no symbol column could hold."""
    if not isinstance(value, str) or not SYMBOL_PATTERN.match(value):
        raise _invalid(name, f"{value!r} is not a ticker symbol (e.g. AAPL, BRK-B, MC.PA)")


def check_text(name: str, value: str) -> None:
    """Reject anything but a non-empty str."""
    if not isinstance(value, str) or not value:
        raise _invalid(name, f"expected non-empty text, got {value!r}")


def check_flag(name: str, value: bool) -> None:
    """Reject anything but True or False (0, 1 and 'yes' are mistakes)."""
    if not isinstance(value, bool):
        raise _invalid(name, f"expected a bool, got {type(value).__name__}")


def check_aware(name: str, value: datetime) -> None:
    """Reject anything but a timezone-aware datetime."""
    if not isinstance(value, datetime):
        raise _invalid(name, f"expected a datetime, got {type(value).__name__}")
    if value.tzinfo is None or value.tzinfo.utcoffset(value) is None:
        raise _invalid(name, "naive datetime: give a time zone (UTC)")


def check_date(name: str, value: date) -> None:
    """Reject anything but a calendar date (a datetime would lose its time silently)."""
    if not isinstance(value, date) or isinstance(value, datetime):
        raise _invalid(name, f"expected a date, got {type(value).__name__}")


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
