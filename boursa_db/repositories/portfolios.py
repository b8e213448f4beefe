"""Portfolios with their positions, saved with optimistic concurrency, and valued at the
latest prices (queries in ``sql/portfolios.sql``).

Saving a portfolio writes the portfolio row and synchronises its positions in two statements;
run it in a Unit of Work (or through a pooled repository, which wraps each call in a
transaction) so that both land or neither does.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from boursa_db.domain.intervals import Interval
from boursa_db.domain.portfolios import Portfolio, PortfolioValuation, Position, PositionValuation
from boursa_db.errors import ConcurrencyConflict, DatabaseError, NotFound
from boursa_db.repositories.arguments import (
    check_id,
    check_instance,
    check_text,
    check_word,
)
from boursa_db.repositories.base import Repository
from boursa_db.repositories.positions import position_from_record
from boursa_db.repositories.stored import stored

if TYPE_CHECKING:
    from boursa_db.connection import Connection

__all__ = ["PortfolioRepository"]


class PortfolioRepository(Repository):
    """Collection-like access to :class:`~boursa_db.domain.portfolios.Portfolio` aggregates.

    Every portfolio comes with its positions; ``save`` stores both.
    """

    async def find_by_id(self, portfolio_id: uuid.UUID) -> Portfolio | None:
        """The portfolio with its positions, or None."""
        check_id("portfolio_id", portfolio_id)
        found = await self._session.read(self._find_by_id, portfolio_id)
        return None if found is None else _portfolio_from_record(*found)

    async def get_by_id(self, portfolio_id: uuid.UUID) -> Portfolio:
        """The portfolio with its positions; raises :class:`~boursa_db.errors.NotFound`."""
        portfolio = await self.find_by_id(portfolio_id)
        if portfolio is None:
            raise NotFound(f"no portfolio with id {portfolio_id}")
        return portfolio

    async def find_by_name(self, user_id: uuid.UUID, name: str) -> Portfolio | None:
        """The user's portfolio called exactly ``name``, with its positions, or None."""
        check_id("user_id", user_id)
        check_text("name", name)
        found = await self._session.read(self._find_by_name, user_id, name)
        return None if found is None else _portfolio_from_record(*found)

    async def list_for_user(self, user_id: uuid.UUID) -> list[Portfolio]:
        """The user's portfolios, the default one first, then by name; two queries in all."""
        check_id("user_id", user_id)
        records, positions = await self._session.read(self._list_for_user, user_id)
        by_portfolio: dict[uuid.UUID, list[Any]] = {}
        for position in positions:
            by_portfolio.setdefault(position["portfolio_id"], []).append(position)
        return [
            _portfolio_from_record(record, by_portfolio.get(record["id"], [])) for record in records
        ]

    async def _find_by_id(
        self, connection: Connection, portfolio_id: uuid.UUID
    ) -> tuple[Any, Sequence[Any]] | None:
        record = await self._queries.portfolio_find_by_id(connection, id=portfolio_id)
        if record is None:
            return None
        positions = await self._queries.portfolio_positions(
            connection, portfolio_ids=[portfolio_id]
        )
        return record, positions

    async def _find_by_name(
        self, connection: Connection, user_id: uuid.UUID, name: str
    ) -> tuple[Any, Sequence[Any]] | None:
        record = await self._queries.portfolio_find_by_name(connection, user_id=user_id, name=name)
        if record is None:
            return None
        positions = await self._queries.portfolio_positions(
            connection, portfolio_ids=[record["id"]]
        )
        return record, positions

    async def _list_for_user(
        self, connection: Connection, user_id: uuid.UUID
    ) -> tuple[Sequence[Any], Sequence[Any]]:
        records = await self._queries.portfolio_list_for_user(connection, user_id=user_id)
        if not records:
            return [], []
        positions = await self._queries.portfolio_positions(
            connection, portfolio_ids=[record["id"] for record in records]
        )
        return records, positions

    async def save(self, portfolio: Portfolio) -> Portfolio:
        """Insert the portfolio (``id`` None) or update it; its positions are stored with it.

        After the save the stored positions are exactly ``portfolio.positions``: new ones are
        inserted, changed ones updated, missing ones deleted. An update applies only if the
        stored version is still ``portfolio.version`` and bumps it by one; if someone else
        saved first it raises :class:`~boursa_db.errors.ConcurrencyConflict` and writes
        nothing (reload and retry). Updating a portfolio that no longer exists raises
        :class:`~boursa_db.errors.NotFound`. Returns the stored portfolio: new id, version,
        timestamps.
        """
        check_instance("portfolio", portfolio, Portfolio)
        columns = _portfolio_columns(portfolio)
        async with self._session.connection() as connection:
            if portfolio.id is None:
                record = await self._queries.portfolio_insert(connection, **columns)
                if record is None:
                    raise DatabaseError("INSERT ... RETURNING gave no row for the new portfolio")
                if not portfolio.positions:
                    return _portfolio_from_record(record, [])
            else:
                record = await self._queries.portfolio_update(
                    connection, id=portfolio.id, version=portfolio.version, **columns
                )
                if record is None:
                    if await self._queries.portfolio_exists(connection, id=portfolio.id):
                        raise ConcurrencyConflict(
                            f"portfolio {portfolio.id} was saved by someone else since version "
                            f"{portfolio.version} was read; reload it and try again"
                        )
                    raise NotFound(f"no portfolio with id {portfolio.id}")
            positions = await self._queries.portfolio_sync_positions(
                connection, portfolio_id=record["id"], **_position_arrays(portfolio.positions)
            )
        return _portfolio_from_record(record, positions)

    async def delete(self, portfolio_id: uuid.UUID) -> bool:
        """Delete the portfolio with its positions, transactions, alerts and snapshots.

        False if there was no such portfolio.
        """
        check_id("portfolio_id", portfolio_id)
        async with self._session.connection() as connection:
            deleted: int = await self._queries.portfolio_delete(connection, id=portfolio_id)
        return deleted > 0

    async def valuation(
        self, portfolio_id: uuid.UUID, interval: Interval | str = Interval.ONE_MINUTE
    ) -> PortfolioValuation:
        """Value the portfolio at the latest bar of each position, at ``interval``, in one query.

        Positions with no bar at that interval are listed with no price and left out of the
        totals (see :attr:`PortfolioValuation.unpriced_symbols`). Raises
        :class:`~boursa_db.errors.NotFound` for an unknown portfolio.
        """
        check_id("portfolio_id", portfolio_id)
        interval_type = check_word("interval", Interval, interval)
        records = await self._session.read(
            self._queries.portfolio_valuation,
            portfolio_id=portfolio_id,
            interval_type=interval_type.value,
        )
        if not records:
            raise NotFound(f"no portfolio with id {portfolio_id}")
        positions = []
        for record in records:
            quantity, average_price = record["quantity"], record["average_price"]
            if record["symbol"] is None or quantity is None or average_price is None:
                continue  # the one row of a portfolio without positions
            positions.append(
                PositionValuation.at_price(
                    symbol=record["symbol"],
                    quantity=quantity,
                    average_price=average_price,
                    last_price=record["last_price"],
                    price_time=record["price_time"],
                )
            )
        return PortfolioValuation.of(
            portfolio_id=portfolio_id,
            cash_balance=records[0]["cash_balance"],
            positions=positions,
            priced_at=records[0]["priced_at"],
        )


def _portfolio_columns(portfolio: Portfolio) -> dict[str, Any]:
    """The values of the columns a client owns (not id, version or the timestamps)."""
    return {
        "user_id": portfolio.user_id,
        "name": portfolio.name,
        "description": portfolio.description,
        "base_currency": portfolio.base_currency,
        "initial_cash": portfolio.initial_cash,
        "cash_balance": portfolio.cash_balance,
        "is_default": portfolio.is_default,
        "is_active": portfolio.is_active,
    }


def _position_arrays(positions: Sequence[Position]) -> dict[str, list[Any]]:
    """The positions as parallel arrays, for one ``unnest`` in the sync statement."""
    return {
        "symbols": [position.symbol for position in positions],
        "quantities": [position.quantity for position in positions],
        "average_prices": [position.average_price for position in positions],
        "currencies": [position.currency for position in positions],
        "opened_ats": [position.opened_at for position in positions],
    }


def _portfolio_from_record(record: Any, positions: Sequence[Any]) -> Portfolio:
    return stored(
        Portfolio,
        id=record["id"],
        user_id=record["user_id"],
        name=record["name"],
        description=record["description"],
        base_currency=record["base_currency"],
        initial_cash=record["initial_cash"],
        cash_balance=record["cash_balance"],
        is_default=record["is_default"],
        is_active=record["is_active"],
        version=record["version"],
        created_at=record["created_at"],
        updated_at=record["updated_at"],
        positions=[position_from_record(position) for position in positions],
    )
