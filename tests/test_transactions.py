"""Transactions: the ledger's rules in the domain and the repository, against PostgreSQL."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

import asyncpg
import attrs
import pytest

from boursa_db.domain.portfolios import Transaction, TransactionType
from boursa_db.errors import Duplicate, MissingReference, ValidationError
from boursa_db.repositories.base import BoundSession
from boursa_db.repositories.transactions import TransactionRepository

NOW = datetime(2026, 11, 2, 15, 30, tzinfo=UTC)


@pytest.fixture
async def portfolio_id(connection: asyncpg.Connection) -> uuid.UUID:
    user_id = await connection.fetchval(
        "INSERT INTO users (email, username, password_hash) "
        "VALUES ('ada@example.com', 'ada', 'argon2id$x') RETURNING id"
    )
    found: uuid.UUID = await connection.fetchval(
        "INSERT INTO portfolios (user_id, name) VALUES ($1, 'Main') RETURNING id", user_id
    )
    return found


@pytest.fixture
def transactions(session: BoundSession) -> TransactionRepository:
    return TransactionRepository(session)


def _buy(portfolio_id: uuid.UUID, **overrides: Any) -> Transaction:
    fields: dict[str, Any] = {
        "portfolio_id": portfolio_id,
        "transaction_type": "buy",
        "symbol": "AAPL",
        "quantity": Decimal("10"),
        "price": Decimal("187.25"),
        "amount": Decimal("1872.50"),
        "executed_at": NOW,
    }
    return Transaction(**(fields | overrides))


def _deposit(portfolio_id: uuid.UUID, **overrides: Any) -> Transaction:
    fields: dict[str, Any] = {
        "portfolio_id": portfolio_id,
        "transaction_type": "deposit",
        "amount": Decimal("1000"),
        "executed_at": NOW,
    }
    return Transaction(**(fields | overrides))


# --- the domain -----------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["deposit", "withdrawal"])
def test_a_cash_movement_with_a_symbol_is_rejected(kind: str) -> None:
    with pytest.raises(ValidationError, match="give no symbol") as raised:
        _deposit(uuid.uuid4(), transaction_type=kind, symbol="AAPL")
    assert raised.value.field == "symbol"


@pytest.mark.parametrize("kind", ["buy", "sell", "dividend", "split", "spin_off"])
def test_an_instrument_transaction_without_a_symbol_is_rejected(kind: str) -> None:
    with pytest.raises(ValidationError, match="needs the symbol") as raised:
        _buy(uuid.uuid4(), transaction_type=kind, symbol=None)
    assert raised.value.field == "symbol"


@pytest.mark.parametrize(("kind", "missing"), [("buy", "quantity"), ("sell", "price")])
def test_a_trade_needs_a_quantity_and_a_price(kind: str, missing: str) -> None:
    with pytest.raises(ValidationError, match=f"needs a {missing}") as raised:
        _buy(uuid.uuid4(), transaction_type=kind, **{missing: None})
    assert raised.value.field == missing


def test_a_dividend_needs_neither_quantity_nor_price() -> None:
    dividend = _buy(uuid.uuid4(), transaction_type="dividend", quantity=None, price=None)
    assert dividend.transaction_type is TransactionType.DIVIDEND


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("symbol", "aapl"),
        ("quantity", Decimal(0)),
        ("quantity", Decimal("-1")),
        ("price", Decimal("-0.01")),
        ("price", 187.25),
        ("amount", Decimal("-1")),
        ("fees", Decimal("-0.5")),
        ("taxes", Decimal("-0.5")),
        ("currency", "Usd"),
        ("fx_rate", Decimal(0)),
        ("fx_rate", Decimal("-1.1")),
        ("external_id", ""),
        ("external_id", "x" * 101),
        ("notes", "x" * 2001),
        ("executed_at", datetime(2026, 11, 2, 15, 30)),  # naive on purpose
    ],
)
def test_a_value_the_table_would_refuse_is_rejected_naming_the_field(
    field: str, value: Any
) -> None:
    with pytest.raises(ValidationError) as raised:
        _buy(uuid.uuid4(), **{field: value})
    assert raised.value.field == field


def test_an_unknown_transaction_type_is_rejected() -> None:
    with pytest.raises(ValidationError, match="'BUY'"):
        _buy(uuid.uuid4(), transaction_type="BUY")


# --- the repository -------------------------------------------------------------------------


async def test_a_fully_populated_trade_round_trips_exactly(
    transactions: TransactionRepository, portfolio_id: uuid.UUID
) -> None:
    trade = Transaction(
        portfolio_id=portfolio_id,
        transaction_type=TransactionType.SELL,
        symbol="BTC-USD",
        quantity=Decimal("0.00000001"),
        price=Decimal("67890.12345678"),
        amount=Decimal("0.0007"),
        fees=Decimal("0.0001"),
        taxes=Decimal("1234.5678"),
        currency="EUR",
        fx_rate=Decimal("1.0823456789"),
        external_id="broker-42",
        notes="Partial fill",
        executed_at=datetime(2026, 3, 4, 5, 6, 7, 891011, tzinfo=timezone(timedelta(hours=-5))),
    )

    added = await transactions.add(trade)
    found = await transactions.find_by_id(added.id)  # type: ignore[arg-type]

    assert added.id is not None
    assert added.created_at is not None
    assert found is not None
    assert attrs.asdict(found) == attrs.asdict(added)
    server_set = ("id", "created_at")
    assert attrs.asdict(found, filter=lambda a, _: a.name not in server_set) == attrs.asdict(
        trade, filter=lambda a, _: a.name not in server_set
    )
    assert found.quantity == Decimal("0.00000001")
    assert found.taxes == Decimal("1234.5678")
    assert found.fx_rate == Decimal("1.0823456789")
    assert await transactions.find_by_external_id("broker-42") == found


async def test_a_deposit_round_trips_without_symbol_quantity_or_price(
    transactions: TransactionRepository, portfolio_id: uuid.UUID
) -> None:
    added = await transactions.add(_deposit(portfolio_id))

    found = await transactions.find_by_id(added.id)  # type: ignore[arg-type]

    assert found == added
    assert (added.symbol, added.quantity, added.price) == (None, None, None)
    assert (added.fees, added.taxes, added.fx_rate) == (Decimal(0), Decimal(0), Decimal(1))


async def test_a_rule_broken_by_reassigning_a_field_is_caught_on_add(
    transactions: TransactionRepository, portfolio_id: uuid.UUID
) -> None:
    deposit = _deposit(portfolio_id)
    deposit.transaction_type = TransactionType.BUY

    with pytest.raises(ValidationError, match="needs the symbol"):
        await transactions.add(deposit)


async def test_a_recorded_transaction_cannot_be_added_again(
    transactions: TransactionRepository, portfolio_id: uuid.UUID
) -> None:
    added = await transactions.add(_buy(portfolio_id))

    with pytest.raises(ValidationError, match="recorded already"):
        await transactions.add(added)


async def test_an_external_id_recorded_already_is_a_duplicate(
    transactions: TransactionRepository, portfolio_id: uuid.UUID
) -> None:
    await transactions.add(_buy(portfolio_id, external_id="fill-1"))

    with pytest.raises(Duplicate) as raised:
        await transactions.add(_buy(portfolio_id, external_id="fill-1", notes="replayed"))
    assert raised.value.constraint == "transactions_external_id_key"


async def test_a_transaction_of_an_unknown_portfolio_is_a_missing_reference(
    transactions: TransactionRepository,
) -> None:
    with pytest.raises(MissingReference):
        await transactions.add(_buy(uuid.uuid4()))


async def test_list_for_portfolio_pages_newest_first_within_a_half_open_range(
    transactions: TransactionRepository, connection: asyncpg.Connection, portfolio_id: uuid.UUID
) -> None:
    other_portfolio = await connection.fetchval(
        "INSERT INTO portfolios (user_id, name) "
        "SELECT user_id, 'Other' FROM portfolios WHERE id = $1 RETURNING id",
        portfolio_id,
    )
    await transactions.add(_deposit(other_portfolio))
    times = [NOW - timedelta(days=days) for days in range(5)]
    for time in times:
        await transactions.add(_deposit(portfolio_id, executed_at=time))

    async def listed(**arguments: Any) -> list[datetime]:
        found = await transactions.list_for_portfolio(portfolio_id, **arguments)
        return [item.executed_at for item in found]

    assert await listed() == times
    assert await listed(limit=2) == times[:2]
    assert await listed(limit=2, offset=2) == times[2:4]
    assert await listed(start=times[3], end=times[1]) == times[2:4]
    assert await listed(start=times[1]) == times[:2]
    assert await listed(end=times[3]) == times[4:]


async def test_list_for_symbol_returns_that_symbol_s_transactions_newest_first(
    transactions: TransactionRepository, portfolio_id: uuid.UUID
) -> None:
    first = await transactions.add(_buy(portfolio_id, executed_at=NOW - timedelta(hours=2)))
    await transactions.add(_buy(portfolio_id, symbol="MSFT"))
    await transactions.add(_deposit(portfolio_id))
    second = await transactions.add(
        _buy(
            portfolio_id,
            transaction_type="dividend",
            quantity=None,
            price=None,
            amount=Decimal("2.40"),
        )
    )

    found = await transactions.list_for_symbol(portfolio_id, "AAPL")

    assert found == [second, first]


async def test_arguments_are_validated_before_any_sql(
    transactions: TransactionRepository,
) -> None:
    portfolio_id = uuid.uuid4()
    with pytest.raises(ValidationError, match="start"):
        await transactions.list_for_portfolio(portfolio_id, start=datetime(2026, 1, 1))
    with pytest.raises(ValidationError, match="end"):
        await transactions.list_for_portfolio(portfolio_id, start=NOW, end=NOW - timedelta(1))
    with pytest.raises(ValidationError, match="limit"):
        await transactions.list_for_portfolio(portfolio_id, limit=1001)
    with pytest.raises(ValidationError, match="offset"):
        await transactions.list_for_portfolio(portfolio_id, offset=-1)
    with pytest.raises(ValidationError, match="symbol"):
        await transactions.list_for_symbol(portfolio_id, "aapl")
    with pytest.raises(ValidationError, match="external_id"):
        await transactions.find_by_external_id("")
    with pytest.raises(ValidationError, match="transaction_id"):
        await transactions.find_by_id(42)  # type: ignore[arg-type]
