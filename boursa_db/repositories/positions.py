"""Positions one at a time (queries in ``sql/positions.sql``).

Most code saves positions with their portfolio (:class:`~boursa_db.repositories.portfolios.
PortfolioRepository.save`); this repository serves code that touches one holding. Each write
bumps the portfolio's version, so a portfolio read before it cannot be saved over it.
"""

from __future__ import annotations

import uuid
from typing import Any

from boursa_db.domain.portfolios import Position
from boursa_db.errors import ValidationError
from boursa_db.repositories.arguments import check_id, check_instance, check_symbol
from boursa_db.repositories.base import Repository
from boursa_db.repositories.stored import stored

__all__ = ["PositionRepository"]


class PositionRepository(Repository):
    """Collection-like access to the :class:`~boursa_db.domain.portfolios.Position` rows."""

    async def list_for_portfolio(self, portfolio_id: uuid.UUID) -> list[Position]:
        """The portfolio's positions by symbol (empty for an unknown portfolio)."""
        check_id("portfolio_id", portfolio_id)
        records = await self._session.read(
            self._queries.position_list_for_portfolio, portfolio_id=portfolio_id
        )
        return [position_from_record(record) for record in records]

    async def find(self, portfolio_id: uuid.UUID, symbol: str) -> Position | None:
        """The portfolio's position in ``symbol``, or None."""
        check_id("portfolio_id", portfolio_id)
        check_symbol("symbol", symbol)
        record = await self._session.read(
            self._queries.position_find, portfolio_id=portfolio_id, symbol=symbol
        )
        return None if record is None else position_from_record(record)

    async def save(self, position: Position) -> Position:
        """Insert the position, or replace the portfolio's position in the same symbol.

        ``position.portfolio_id`` is required; an unknown portfolio raises
        :class:`~boursa_db.errors.MissingReference`. The portfolio's version goes up by one.
        """
        check_instance("position", position, Position)
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
    return stored(
        Position,
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
