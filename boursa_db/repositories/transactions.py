"""The transaction ledger of each portfolio (queries in ``sql/transactions.sql``).

Transactions are recorded once and never updated: the repository adds and reads them.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from boursa_db.domain.portfolios import Transaction
from boursa_db.errors import ValidationError
from boursa_db.repositories.arguments import (
    check_aware,
    check_id,
    check_instance,
    check_page,
    check_range,
    check_symbol,
    check_text,
)
from boursa_db.repositories.base import Repository

__all__ = ["TransactionRepository"]


class TransactionRepository(Repository):
    """Collection-like access to :class:`~boursa_db.domain.portfolios.Transaction`."""

    async def add(self, transaction: Transaction) -> Transaction:
        """Record a new transaction (``id`` None); returns it with its id and ``created_at``.

        An ``external_id`` already recorded raises :class:`~boursa_db.errors.Duplicate`, so a
        broker import can be replayed safely; an unknown portfolio raises
        :class:`~boursa_db.errors.MissingReference`.
        """
        check_instance("transaction", transaction, Transaction)
        if transaction.id is not None:
            message = f"id: transaction {transaction.id} is recorded already; add() takes new ones"
            raise ValidationError(message, field="id")
        async with self._session.connection() as connection:
            record = await self._queries.transaction_insert(
                connection,
                portfolio_id=transaction.portfolio_id,
                transaction_type=transaction.transaction_type.value,
                symbol=transaction.symbol,
                quantity=transaction.quantity,
                price=transaction.price,
                amount=transaction.amount,
                fees=transaction.fees,
                taxes=transaction.taxes,
                currency=transaction.currency,
                fx_rate=transaction.fx_rate,
                external_id=transaction.external_id,
                notes=transaction.notes,
                executed_at=transaction.executed_at,
            )
        return _transaction_from_record(record)

    async def find_by_id(self, transaction_id: uuid.UUID) -> Transaction | None:
        """The transaction with this id, or None."""
        check_id("transaction_id", transaction_id)
        record = await self._session.read(self._queries.transaction_find_by_id, id=transaction_id)
        return None if record is None else _transaction_from_record(record)

    async def find_by_external_id(self, external_id: str) -> Transaction | None:
        """The transaction with this broker id, or None."""
        check_text("external_id", external_id)
        record = await self._session.read(
            self._queries.transaction_find_by_external_id, external_id=external_id
        )
        return None if record is None else _transaction_from_record(record)

    async def list_for_portfolio(
        self,
        portfolio_id: uuid.UUID,
        start: datetime | None = None,
        end: datetime | None = None,
        *,
        limit: int = 100,
        offset: int = 0,
    ) -> list[Transaction]:
        """A page of the portfolio's transactions executed in ``[start, end)``, newest first.

        None leaves that side of the range open.
        """
        check_id("portfolio_id", portfolio_id)
        for name, value in (("start", start), ("end", end)):
            if value is not None:
                check_aware(name, value)
        check_range(start, end)
        check_page(limit, offset)
        records = await self._session.read(
            self._queries.transaction_list_for_portfolio,
            portfolio_id=portfolio_id,
            start=start,
            end=end,
            limit=limit,
            offset=offset,
        )
        return [_transaction_from_record(record) for record in records]

    async def list_for_symbol(self, portfolio_id: uuid.UUID, symbol: str) -> list[Transaction]:
        """Every transaction of the portfolio in ``symbol``, newest first."""
        check_id("portfolio_id", portfolio_id)
        check_symbol("symbol", symbol)
        records = await self._session.read(
            self._queries.transaction_list_for_symbol, portfolio_id=portfolio_id, symbol=symbol
        )
        return [_transaction_from_record(record) for record in records]


def _transaction_from_record(record: Any) -> Transaction:
    return Transaction(
        id=record["id"],
        portfolio_id=record["portfolio_id"],
        transaction_type=record["transaction_type"],
        symbol=record["symbol"],
        quantity=record["quantity"],
        price=record["price"],
        amount=record["amount"],
        fees=record["fees"],
        taxes=record["taxes"],
        currency=record["currency"],
        fx_rate=record["fx_rate"],
        external_id=record["external_id"],
        notes=record["notes"],
        executed_at=record["executed_at"],
        created_at=record["created_at"],
    )
