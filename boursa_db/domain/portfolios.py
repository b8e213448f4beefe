"""Portfolios, the positions they hold, the transactions that moved them, and valuations.

A :class:`Portfolio` is the aggregate: its positions are saved with it, and its ``version``
guards both against lost updates (optimistic concurrency).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import datetime
from decimal import Decimal
from typing import Any

import attrs

from boursa_db.domain.storable import FX_RATE, MONEY, PRICE, QUANTITY
from boursa_db.domain.values import (
    Vocabulary,
    aware_datetime,
    currency_code,
    non_negative_money,
    optional,
    positive_money,
    symbol,
    text_length,
)
from boursa_db.errors import ValidationError

__all__ = [
    "Portfolio",
    "PortfolioValuation",
    "Position",
    "PositionValuation",
    "Transaction",
    "TransactionType",
]


class TransactionType(Vocabulary):
    """What a transaction did: a trade, a corporate action or a cash movement."""

    BUY = "buy"
    SELL = "sell"
    DIVIDEND = "dividend"
    SPLIT = "split"
    SPIN_OFF = "spin_off"
    DEPOSIT = "deposit"
    WITHDRAWAL = "withdrawal"

    @property
    def moves_cash_only(self) -> bool:
        """Deposits and withdrawals concern no instrument, so they carry no symbol."""
        return self in (TransactionType.DEPOSIT, TransactionType.WITHDRAWAL)

    @property
    def is_trade(self) -> bool:
        """Buys and sells always state a quantity and a price."""
        return self in (TransactionType.BUY, TransactionType.SELL)


def _fail(attribute: attrs.Attribute[Any], message: str) -> ValidationError:
    return ValidationError(f"{attribute.name}: {message}", field=attribute.name)


def _version(_: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise _fail(attribute, f"expected a whole number >= 1, got {value!r}")


@attrs.define(kw_only=True)
class Position:
    """A holding of one symbol in one portfolio: a positive quantity at an average price.

    A position sold down to zero is removed from its portfolio, not kept at zero.
    ``opened_at`` is set by the server when the position is first stored, unless given.
    """

    symbol: str = attrs.field(validator=symbol)
    quantity: Decimal = attrs.field(validator=positive_money, metadata=QUANTITY)
    average_price: Decimal = attrs.field(validator=non_negative_money, metadata=PRICE)
    currency: str = attrs.field(default="USD", validator=currency_code)
    opened_at: datetime | None = attrs.field(default=None, validator=optional(aware_datetime))
    portfolio_id: uuid.UUID | None = None
    id: uuid.UUID | None = None
    created_at: datetime | None = attrs.field(default=None, validator=optional(aware_datetime))
    updated_at: datetime | None = attrs.field(default=None, validator=optional(aware_datetime))


def _positions(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if not isinstance(value, list) or not all(isinstance(item, Position) for item in value):
        raise _fail(attribute, "expected a list of Position")
    seen: set[str] = set()
    for position in value:
        if position.symbol in seen:
            raise _fail(attribute, f"{position.symbol} appears twice; one position per symbol")
        seen.add(position.symbol)
        if position.portfolio_id is not None and position.portfolio_id != instance.id:
            raise _fail(attribute, f"the {position.symbol} position belongs to another portfolio")


@attrs.define(kw_only=True)
class Portfolio:
    """A user's portfolio: cash, positions, and a version for optimistic concurrency.

    >>> Portfolio(user_id=uuid.uuid4(), name="Main", cash_balance=Decimal("1000")).version
    1
    """

    user_id: uuid.UUID
    name: str = attrs.field(validator=text_length(1, 100))
    description: str | None = attrs.field(default=None, validator=optional(text_length(0, 2000)))
    base_currency: str = attrs.field(default="USD", validator=currency_code)
    initial_cash: Decimal = attrs.field(
        default=Decimal(0), validator=non_negative_money, metadata=MONEY
    )
    cash_balance: Decimal = attrs.field(
        default=Decimal(0), validator=non_negative_money, metadata=MONEY
    )
    is_default: bool = False
    is_active: bool = True
    positions: list[Position] = attrs.field(factory=list, validator=_positions)
    version: int = attrs.field(default=1, validator=_version)
    """The version this copy was read at; the server bumps it on every save."""
    id: uuid.UUID | None = None
    created_at: datetime | None = attrs.field(default=None, validator=optional(aware_datetime))
    updated_at: datetime | None = attrs.field(default=None, validator=optional(aware_datetime))

    def position(self, symbol: str) -> Position | None:
        """The position in ``symbol``, or None."""
        return next((item for item in self.positions if item.symbol == symbol), None)


# The rules below mirror the CHECK constraints of ``transactions``; each validator reads the
# transaction type, which is converted before any validator runs.


def _symbol_for_type(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    transaction_type: TransactionType = instance.transaction_type
    if transaction_type.moves_cash_only:
        if value is not None:
            raise _fail(attribute, f"a {transaction_type} concerns no instrument: give no symbol")
        return
    if value is None:
        raise _fail(attribute, f"a {transaction_type} needs the symbol it concerns")
    symbol(instance, attribute, value)


def _required_for_trades(validator: Any) -> Any:
    def check(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
        transaction_type: TransactionType = instance.transaction_type
        if value is None:
            if transaction_type.is_trade:
                raise _fail(attribute, f"a {transaction_type} needs a {attribute.name}")
            return
        validator(instance, attribute, value)

    return check


@attrs.define(kw_only=True)
class Transaction:
    """One entry of a portfolio's ledger: a trade, a corporate action or a cash movement.

    Deposits and withdrawals have no symbol; every other type names one. Buys and sells state
    a positive quantity and a non-negative price. ``amount``, ``fees`` and ``taxes`` are
    non-negative money in ``currency``; ``fx_rate`` converts it to the portfolio's currency.
    """

    portfolio_id: uuid.UUID
    transaction_type: TransactionType = attrs.field(converter=TransactionType)
    amount: Decimal = attrs.field(validator=non_negative_money, metadata=MONEY)
    executed_at: datetime = attrs.field(validator=aware_datetime)
    symbol: str | None = attrs.field(default=None, validator=_symbol_for_type)
    quantity: Decimal | None = attrs.field(
        default=None, validator=_required_for_trades(positive_money), metadata=QUANTITY
    )
    price: Decimal | None = attrs.field(
        default=None, validator=_required_for_trades(non_negative_money), metadata=PRICE
    )
    fees: Decimal = attrs.field(default=Decimal(0), validator=non_negative_money, metadata=MONEY)
    taxes: Decimal = attrs.field(default=Decimal(0), validator=non_negative_money, metadata=MONEY)
    currency: str = attrs.field(default="USD", validator=currency_code)
    fx_rate: Decimal = attrs.field(default=Decimal(1), validator=positive_money, metadata=FX_RATE)
    external_id: str | None = attrs.field(default=None, validator=optional(text_length(1, 100)))
    """The broker's id of the transaction: unique, so an import can be replayed safely."""
    notes: str | None = attrs.field(default=None, validator=optional(text_length(0, 2000)))
    id: uuid.UUID | None = None
    created_at: datetime | None = attrs.field(default=None, validator=optional(aware_datetime))


def _decimal_price(price: float) -> Decimal:
    # repr() is the shortest decimal that round-trips to the same float: 187.25, not
    # 187.250000000000014210854715202...; it is the number the vendor sent.
    return Decimal(repr(price))


@attrs.frozen(kw_only=True)
class PositionValuation:
    """One position at the latest known price; the price fields are None when it has no bar.

    ``market_value = quantity * Decimal(repr(last_price))`` and
    ``cost_basis = quantity * average_price``, in Python's default decimal context
    (28 significant digits), not rounded to cents.
    """

    symbol: str
    quantity: Decimal
    average_price: Decimal
    last_price: float | None
    price_time: datetime | None
    market_value: Decimal | None
    cost_basis: Decimal
    unrealized_pnl: Decimal | None

    @classmethod
    def at_price(
        cls,
        *,
        symbol: str,
        quantity: Decimal,
        average_price: Decimal,
        last_price: float | None,
        price_time: datetime | None,
    ) -> PositionValuation:
        """Value a position at ``last_price`` (None: no price known)."""
        cost_basis = quantity * average_price
        market_value = None if last_price is None else quantity * _decimal_price(last_price)
        return cls(
            symbol=symbol,
            quantity=quantity,
            average_price=average_price,
            last_price=last_price,
            price_time=price_time,
            market_value=market_value,
            cost_basis=cost_basis,
            unrealized_pnl=None if market_value is None else market_value - cost_basis,
        )


@attrs.frozen(kw_only=True)
class PortfolioValuation:
    """A portfolio's worth at the latest prices.

    ``total_market_value`` sums the positions that have a price; ``total_value`` adds the
    cash balance. Positions without any bar are listed with no price and counted nowhere:
    see :attr:`unpriced_symbols`.
    """

    portfolio_id: uuid.UUID
    cash_balance: Decimal
    positions: tuple[PositionValuation, ...]
    total_market_value: Decimal
    total_value: Decimal
    priced_at: datetime
    """The database's clock when the prices were read."""

    @classmethod
    def of(
        cls,
        *,
        portfolio_id: uuid.UUID,
        cash_balance: Decimal,
        positions: Iterable[PositionValuation],
        priced_at: datetime,
    ) -> PortfolioValuation:
        """Total the valued positions."""
        valued = tuple(positions)
        market_value = sum(
            (item.market_value for item in valued if item.market_value is not None), Decimal(0)
        )
        return cls(
            portfolio_id=portfolio_id,
            cash_balance=cash_balance,
            positions=valued,
            total_market_value=market_value,
            total_value=cash_balance + market_value,
            priced_at=priced_at,
        )

    @property
    def unpriced_symbols(self) -> tuple[str, ...]:
        """Symbols held but never priced at the requested interval."""
        return tuple(item.symbol for item in self.positions if item.last_price is None)
