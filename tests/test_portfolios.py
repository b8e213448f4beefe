"""Portfolios and positions: the domain rules, saving the aggregate with optimistic
concurrency, single-position writes, and valuation at the latest prices."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import asyncpg
import attrs
import pytest

from boursa_db.codecs import register_codecs
from boursa_db.domain.intervals import Interval
from boursa_db.domain.portfolios import Portfolio, Position, PositionValuation
from boursa_db.errors import (
    ConcurrencyConflict,
    Duplicate,
    MissingReference,
    NotFound,
    ValidationError,
)
from boursa_db.queries import default_library
from boursa_db.repositories.base import BoundSession
from boursa_db.repositories.portfolios import PortfolioRepository
from boursa_db.repositories.positions import PositionRepository

NOW = datetime(2026, 11, 2, 15, 30, tzinfo=UTC)


async def _insert_user(connection: asyncpg.Connection, name: str = "ada") -> uuid.UUID:
    user_id: uuid.UUID = await connection.fetchval(
        "INSERT INTO users (email, username, password_hash) VALUES ($1, $2, 'argon2id$x') "
        "RETURNING id",
        f"{name}@example.com",
        name,
    )
    return user_id


async def _insert_bar(
    connection: asyncpg.Connection,
    symbol: str,
    time: datetime,
    close: float,
    interval: str = "1m",
) -> None:
    await connection.execute(
        "INSERT INTO market_data (time, symbol, interval_type, open, high, low, close) "
        "VALUES ($1, $2, $3, $4, $4, $4, $4)",
        time,
        symbol,
        interval,
        close,
    )


@pytest.fixture
async def user_id(connection: asyncpg.Connection) -> uuid.UUID:
    return await _insert_user(connection)


@pytest.fixture
def portfolios(session: BoundSession) -> PortfolioRepository:
    return PortfolioRepository(session)


@pytest.fixture
def positions(session: BoundSession) -> PositionRepository:
    return PositionRepository(session)


def _portfolio(user_id: uuid.UUID, **overrides: Any) -> Portfolio:
    fields: dict[str, Any] = {"user_id": user_id, "name": "Main"}
    return Portfolio(**(fields | overrides))


def _three_positions() -> list[Position]:
    return [
        Position(symbol="AAPL", quantity=Decimal("10"), average_price=Decimal("150.25")),
        Position(
            symbol="BTC-USD",
            quantity=Decimal("0.00000001"),
            average_price=Decimal("64123.12345678"),
            opened_at=datetime(2026, 1, 2, 3, 4, 5, 678901, tzinfo=UTC),
        ),
        Position(
            symbol="MC.PA",
            quantity=Decimal("3.5"),
            average_price=Decimal("701.1"),
            currency="EUR",
        ),
    ]


def _held(position: Position) -> tuple[str, Decimal, Decimal, str]:
    return (position.symbol, position.quantity, position.average_price, position.currency)


# --- the domain -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("symbol", "aapl"),
        ("quantity", Decimal(0)),
        ("quantity", Decimal("-1")),
        ("quantity", 1.5),
        ("average_price", Decimal("-0.01")),
        ("currency", "usd"),
        ("opened_at", datetime(2026, 1, 1)),  # naive on purpose
    ],
)
def test_a_position_the_table_would_refuse_is_rejected_naming_the_field(
    field: str, value: Any
) -> None:
    fields: dict[str, Any] = {"symbol": "AAPL", "quantity": Decimal(1), "average_price": Decimal(1)}
    with pytest.raises(ValidationError) as raised:
        Position(**(fields | {field: value}))
    assert raised.value.field == field


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("name", ""),
        ("name", "x" * 101),
        ("description", "x" * 2001),
        ("base_currency", "EURO"),
        ("initial_cash", Decimal("-1")),
        ("cash_balance", Decimal("-0.0001")),
        ("cash_balance", 100.0),
        ("version", 0),
        ("created_at", datetime(2026, 1, 1)),  # naive on purpose
    ],
)
def test_a_portfolio_the_table_would_refuse_is_rejected_naming_the_field(
    field: str, value: Any
) -> None:
    with pytest.raises(ValidationError) as raised:
        _portfolio(uuid.uuid4(), **{field: value})
    assert raised.value.field == field


def test_a_portfolio_holds_one_position_per_symbol() -> None:
    twice = [
        Position(symbol="AAPL", quantity=Decimal(1), average_price=Decimal(1)),
        Position(symbol="AAPL", quantity=Decimal(2), average_price=Decimal(1)),
    ]
    with pytest.raises(ValidationError, match="AAPL appears twice") as raised:
        _portfolio(uuid.uuid4(), positions=twice)
    assert raised.value.field == "positions"


def test_a_portfolio_refuses_a_position_of_another_portfolio() -> None:
    foreign = Position(
        symbol="AAPL", quantity=Decimal(1), average_price=Decimal(1), portfolio_id=uuid.uuid4()
    )
    with pytest.raises(ValidationError, match="another portfolio"):
        _portfolio(uuid.uuid4(), id=uuid.uuid4(), positions=[foreign])


def test_a_position_valuation_multiplies_exactly() -> None:
    valued = PositionValuation.at_price(
        symbol="AAPL",
        quantity=Decimal("3"),
        average_price=Decimal("0.1"),
        last_price=0.1 + 0.2,
        price_time=NOW,
    )
    # The float 0.1 + 0.2 is 0.30000000000000004 (shortest repr), not 0.3.
    assert valued.market_value == Decimal("0.90000000000000012")
    assert valued.cost_basis == Decimal("0.3")
    assert valued.unrealized_pnl == Decimal("0.60000000000000012")


# --- saving and loading ---------------------------------------------------------------------


async def test_a_fully_populated_portfolio_round_trips_with_its_positions(
    portfolios: PortfolioRepository, user_id: uuid.UUID
) -> None:
    portfolio = _portfolio(
        user_id,
        name="Long term",
        description="Index funds and a little crypto",
        base_currency="EUR",
        initial_cash=Decimal("5000.0001"),
        cash_balance=Decimal("1234.5678"),
        is_default=True,
        is_active=False,
        positions=_three_positions(),
    )

    saved = await portfolios.save(portfolio)
    found = await portfolios.get_by_id(saved.id)  # type: ignore[arg-type]

    assert saved.id is not None
    assert saved.version == 1
    assert saved.created_at is not None
    assert saved.updated_at is not None
    assert attrs.asdict(found) == attrs.asdict(saved)
    assert found.cash_balance == Decimal("1234.5678")
    assert found.initial_cash == Decimal("5000.0001")
    assert [_held(p) for p in found.positions] == [_held(p) for p in portfolio.positions]
    btc = found.position("BTC-USD")
    assert btc is not None
    assert btc.quantity == Decimal("0.00000001")
    assert btc.average_price == Decimal("64123.12345678")
    assert btc.opened_at == datetime(2026, 1, 2, 3, 4, 5, 678901, tzinfo=UTC)
    assert all(p.portfolio_id == saved.id and p.id is not None for p in found.positions)
    assert [p.symbol for p in found.positions] == ["AAPL", "BTC-USD", "MC.PA"]


async def test_a_new_position_without_opened_at_gets_the_server_time(
    portfolios: PortfolioRepository, connection: asyncpg.Connection, user_id: uuid.UUID
) -> None:
    position = Position(symbol="AAPL", quantity=Decimal(1), average_price=Decimal(1))

    saved = await portfolios.save(_portfolio(user_id, positions=[position]))

    server_now = await connection.fetchval("SELECT now()")
    stored = saved.positions[0]
    assert stored.opened_at is not None
    assert abs(stored.opened_at - server_now) < timedelta(minutes=1)


async def test_saving_a_portfolio_synchronises_its_positions(
    portfolios: PortfolioRepository, user_id: uuid.UUID
) -> None:
    saved = await portfolios.save(_portfolio(user_id, positions=_three_positions()))
    untouched_before = saved.position("MC.PA")
    assert untouched_before is not None

    saved.positions = [p for p in saved.positions if p.symbol != "AAPL"]
    btc = saved.position("BTC-USD")
    assert btc is not None
    btc.quantity = Decimal("0.50000001")
    btc.average_price = Decimal("65000")
    saved.positions.append(
        Position(symbol="BRK-B", quantity=Decimal("2"), average_price=Decimal("410.5"))
    )
    updated = await portfolios.save(saved)
    found = await portfolios.get_by_id(updated.id)  # type: ignore[arg-type]

    assert updated.version == 2
    assert attrs.asdict(found) == attrs.asdict(updated)
    assert [p.symbol for p in found.positions] == ["BRK-B", "BTC-USD", "MC.PA"]
    changed = found.position("BTC-USD")
    assert changed is not None
    assert (changed.quantity, changed.average_price) == (Decimal("0.50000001"), Decimal(65000))
    assert changed.id == btc.id
    assert changed.opened_at == btc.opened_at
    # An unchanged position is not rewritten: same row, same updated_at.
    assert found.position("MC.PA") == untouched_before


async def test_saving_a_portfolio_without_positions_deletes_them_all(
    portfolios: PortfolioRepository, positions: PositionRepository, user_id: uuid.UUID
) -> None:
    saved = await portfolios.save(_portfolio(user_id, positions=_three_positions()))
    saved.positions.clear()

    updated = await portfolios.save(saved)

    assert updated.positions == []
    assert await positions.list_for_portfolio(updated.id) == []  # type: ignore[arg-type]


async def test_a_position_list_changed_in_place_is_validated_on_save(
    portfolios: PortfolioRepository, user_id: uuid.UUID
) -> None:
    saved = await portfolios.save(_portfolio(user_id, positions=_three_positions()))
    saved.positions.append(Position(symbol="AAPL", quantity=Decimal(1), average_price=Decimal(1)))

    with pytest.raises(ValidationError, match="AAPL appears twice"):
        await portfolios.save(saved)


async def test_a_stale_portfolio_loses_against_the_first_writer(
    database_url: str, portfolios: PortfolioRepository, user_id: uuid.UUID
) -> None:
    created = await portfolios.save(
        _portfolio(user_id, cash_balance=Decimal("100"), positions=_three_positions())
    )
    other_connection = await asyncpg.connect(database_url)
    await register_codecs(other_connection)
    try:
        others = PortfolioRepository(BoundSession(other_connection))
        mine = await portfolios.get_by_id(created.id)  # type: ignore[arg-type]
        theirs = await others.get_by_id(created.id)  # type: ignore[arg-type]
        assert mine.version == theirs.version == 1

        mine.cash_balance = Decimal("111.1111")
        first = await portfolios.save(mine)
        theirs.cash_balance = Decimal("999")
        theirs.positions = []
        with pytest.raises(ConcurrencyConflict, match="saved by someone else"):
            await others.save(theirs)
    finally:
        await other_connection.close()

    stored = await portfolios.get_by_id(created.id)  # type: ignore[arg-type]
    assert first.version == stored.version == 2
    assert stored.cash_balance == Decimal("111.1111")
    assert [p.symbol for p in stored.positions] == ["AAPL", "BTC-USD", "MC.PA"]


async def test_saving_a_deleted_portfolio_raises_not_found(
    portfolios: PortfolioRepository, user_id: uuid.UUID
) -> None:
    saved = await portfolios.save(_portfolio(user_id))
    await portfolios.delete(saved.id)  # type: ignore[arg-type]

    with pytest.raises(NotFound):
        await portfolios.save(saved)


async def test_a_second_portfolio_with_the_same_name_is_a_duplicate(
    portfolios: PortfolioRepository, user_id: uuid.UUID
) -> None:
    await portfolios.save(_portfolio(user_id))

    with pytest.raises(Duplicate) as raised:
        await portfolios.save(_portfolio(user_id))
    assert raised.value.constraint == "portfolios_user_name_key"


async def test_a_user_has_at_most_one_default_portfolio(
    portfolios: PortfolioRepository, user_id: uuid.UUID
) -> None:
    await portfolios.save(_portfolio(user_id, name="A", is_default=True))

    with pytest.raises(Duplicate) as raised:
        await portfolios.save(_portfolio(user_id, name="B", is_default=True))
    assert raised.value.constraint == "portfolios_one_default_per_user"


async def test_a_portfolio_of_an_unknown_user_is_a_missing_reference(
    portfolios: PortfolioRepository,
) -> None:
    with pytest.raises(MissingReference):
        await portfolios.save(_portfolio(uuid.uuid4()))


async def test_list_for_user_loads_each_portfolio_with_its_positions(
    portfolios: PortfolioRepository, connection: asyncpg.Connection, user_id: uuid.UUID
) -> None:
    someone_else = await _insert_user(connection, "grace")
    await portfolios.save(_portfolio(someone_else, name="Theirs", positions=_three_positions()))
    await portfolios.save(_portfolio(user_id, name="Zeta", positions=_three_positions()[:1]))
    await portfolios.save(_portfolio(user_id, name="Alpha"))
    await portfolios.save(_portfolio(user_id, name="Main", is_default=True))

    listed = await portfolios.list_for_user(user_id)

    assert [p.name for p in listed] == ["Main", "Alpha", "Zeta"]
    assert [[pos.symbol for pos in p.positions] for p in listed] == [[], [], ["AAPL"]]
    assert await portfolios.list_for_user(uuid.uuid4()) == []


async def test_find_by_name_is_per_user_and_exact(
    portfolios: PortfolioRepository, user_id: uuid.UUID
) -> None:
    saved = await portfolios.save(_portfolio(user_id, positions=_three_positions()))

    assert await portfolios.find_by_name(user_id, "Main") == saved
    assert await portfolios.find_by_name(user_id, "main") is None
    assert await portfolios.find_by_name(uuid.uuid4(), "Main") is None


async def test_find_by_id_returns_none_and_get_by_id_raises_for_an_unknown_id(
    portfolios: PortfolioRepository,
) -> None:
    assert await portfolios.find_by_id(uuid.uuid4()) is None
    with pytest.raises(NotFound):
        await portfolios.get_by_id(uuid.uuid4())


async def test_deleting_a_portfolio_removes_its_positions_and_transactions(
    portfolios: PortfolioRepository, connection: asyncpg.Connection, user_id: uuid.UUID
) -> None:
    saved = await portfolios.save(_portfolio(user_id, positions=_three_positions()))
    await connection.execute(
        "INSERT INTO transactions (portfolio_id, transaction_type, amount, executed_at) "
        "VALUES ($1, 'deposit', 100, $2)",
        saved.id,
        NOW,
    )

    assert await portfolios.delete(saved.id) is True  # type: ignore[arg-type]

    assert await portfolios.find_by_id(saved.id) is None  # type: ignore[arg-type]
    for table in ("positions", "transactions"):
        remaining = await connection.fetchval(
            f"SELECT count(*) FROM {table} WHERE portfolio_id = $1", saved.id
        )
        assert remaining == 0
    assert await portfolios.delete(saved.id) is False  # type: ignore[arg-type]


async def test_arguments_are_validated_before_any_sql(portfolios: PortfolioRepository) -> None:
    with pytest.raises(ValidationError, match="portfolio_id"):
        await portfolios.find_by_id("not-a-uuid")  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match="name"):
        await portfolios.find_by_name(uuid.uuid4(), "")
    with pytest.raises(ValidationError, match="interval"):
        await portfolios.valuation(uuid.uuid4(), "2m")


# --- single positions -----------------------------------------------------------------------


async def test_saving_a_position_inserts_then_updates_it(
    portfolios: PortfolioRepository, positions: PositionRepository, user_id: uuid.UUID
) -> None:
    portfolio = await portfolios.save(_portfolio(user_id))
    opened = datetime(2025, 5, 6, 7, 8, 9, tzinfo=UTC)
    position = Position(
        portfolio_id=portfolio.id,
        symbol="GC=F",
        quantity=Decimal("1.0000000001"),
        average_price=Decimal("2400.12345678"),
        currency="USD",
        opened_at=opened,
    )

    inserted = await positions.save(position)
    found = await positions.find(portfolio.id, "GC=F")  # type: ignore[arg-type]
    updated = await positions.save(attrs.evolve(inserted, quantity=Decimal("4"), opened_at=None))

    assert found is not None
    assert attrs.asdict(found) == attrs.asdict(inserted)
    assert found.quantity == Decimal("1.0000000001")
    assert updated.id == found.id
    assert updated.quantity == Decimal(4)
    assert updated.opened_at == opened
    assert await positions.list_for_portfolio(portfolio.id) == [updated]  # type: ignore[arg-type]


async def test_a_position_written_alone_makes_older_portfolio_copies_stale(
    portfolios: PortfolioRepository, positions: PositionRepository, user_id: uuid.UUID
) -> None:
    stale = await portfolios.save(_portfolio(user_id))
    await positions.save(
        Position(
            portfolio_id=stale.id, symbol="AAPL", quantity=Decimal(1), average_price=Decimal(1)
        )
    )

    # Saving the stale copy would delete the AAPL position it never saw.
    with pytest.raises(ConcurrencyConflict):
        await portfolios.save(stale)
    assert await positions.delete(stale.id, "AAPL") is True  # type: ignore[arg-type]
    assert (await portfolios.get_by_id(stale.id)).version == 3  # type: ignore[arg-type]
    assert await positions.delete(stale.id, "AAPL") is False  # type: ignore[arg-type]
    assert (await portfolios.get_by_id(stale.id)).version == 3  # type: ignore[arg-type]


async def test_a_position_needs_an_existing_portfolio(positions: PositionRepository) -> None:
    position = Position(symbol="AAPL", quantity=Decimal(1), average_price=Decimal(1))
    with pytest.raises(ValidationError, match="portfolio_id"):
        await positions.save(position)
    position.portfolio_id = uuid.uuid4()
    with pytest.raises(MissingReference):
        await positions.save(position)


async def test_position_lookups_validate_the_symbol(positions: PositionRepository) -> None:
    with pytest.raises(ValidationError, match="symbol"):
        await positions.find(uuid.uuid4(), "aapl")
    with pytest.raises(ValidationError, match="symbol"):
        await positions.delete(uuid.uuid4(), "AAPL; DROP TABLE positions")


# --- valuation ------------------------------------------------------------------------------


async def test_valuation_prices_each_position_at_its_latest_bar(
    portfolios: PortfolioRepository, connection: asyncpg.Connection, user_id: uuid.UUID
) -> None:
    portfolio = await portfolios.save(
        _portfolio(user_id, cash_balance=Decimal("1234.5678"), positions=_three_positions())
    )
    for minutes, close in ((3, 180.0), (2, 186.5), (1, 187.25)):
        await _insert_bar(connection, "AAPL", NOW - timedelta(minutes=minutes), close)
    await _insert_bar(connection, "AAPL", NOW, 999.0, interval="1d")  # another interval
    await _insert_bar(connection, "BTC-USD", NOW - timedelta(minutes=5), 67890.123456789)
    # MC.PA has no bar at all.

    valuation = await portfolios.valuation(portfolio.id)  # type: ignore[arg-type]

    by_symbol = {item.symbol: item for item in valuation.positions}
    aapl, btc, lvmh = by_symbol["AAPL"], by_symbol["BTC-USD"], by_symbol["MC.PA"]
    assert (aapl.last_price, aapl.price_time) == (187.25, NOW - timedelta(minutes=1))
    assert aapl.market_value == Decimal("1872.50")
    assert aapl.cost_basis == Decimal("1502.50")
    assert aapl.unrealized_pnl == Decimal("370.00")
    assert btc.market_value == Decimal("0.00000001") * Decimal(str(67890.123456789))
    assert btc.market_value == Decimal("0.00067890123456789")
    assert (lvmh.last_price, lvmh.price_time, lvmh.market_value) == (None, None, None)
    assert lvmh.unrealized_pnl is None
    assert lvmh.cost_basis == Decimal("3.5") * Decimal("701.1")
    assert valuation.unpriced_symbols == ("MC.PA",)
    assert valuation.cash_balance == Decimal("1234.5678")
    assert valuation.total_market_value == Decimal("1872.50067890123456789")
    assert valuation.total_value == Decimal("3107.06847890123456789")
    assert valuation.priced_at.tzinfo is not None
    assert [item.symbol for item in valuation.positions] == ["AAPL", "BTC-USD", "MC.PA"]


async def test_valuation_at_another_interval_reads_that_interval_s_bars(
    portfolios: PortfolioRepository, connection: asyncpg.Connection, user_id: uuid.UUID
) -> None:
    portfolio = await portfolios.save(_portfolio(user_id, positions=_three_positions()[:1]))
    await _insert_bar(connection, "AAPL", NOW - timedelta(days=1), 200.0, interval="1d")
    await _insert_bar(connection, "AAPL", NOW, 100.0, interval="1m")

    valuation = await portfolios.valuation(portfolio.id, Interval.ONE_DAY)  # type: ignore[arg-type]

    assert valuation.positions[0].last_price == 200.0
    assert valuation.total_value == Decimal("2000.0")


async def test_an_empty_portfolio_is_worth_its_cash(
    portfolios: PortfolioRepository, user_id: uuid.UUID
) -> None:
    portfolio = await portfolios.save(_portfolio(user_id, cash_balance=Decimal("42.0001")))

    valuation = await portfolios.valuation(portfolio.id)  # type: ignore[arg-type]

    assert valuation.positions == ()
    assert valuation.total_market_value == Decimal(0)
    assert valuation.total_value == Decimal("42.0001")


async def test_valuing_an_unknown_portfolio_raises_not_found(
    portfolios: PortfolioRepository,
) -> None:
    with pytest.raises(NotFound):
        await portfolios.valuation(uuid.uuid4())


def _plan_nodes(node: dict[str, Any]) -> Iterator[dict[str, Any]]:
    yield node
    for child in node.get("Plans", []):
        yield from _plan_nodes(child)


async def test_the_valuation_query_probes_the_market_data_key_instead_of_scanning(
    portfolios: PortfolioRepository, connection: asyncpg.Connection, user_id: uuid.UUID
) -> None:
    symbols = ["AAPL", "BTC-USD", "MC.PA", "MSFT", "NVDA", "GC=F"]
    portfolio = await portfolios.save(
        _portfolio(
            user_id,
            positions=[
                Position(symbol=symbol, quantity=Decimal(1), average_price=Decimal(1))
                for symbol in symbols[:4]
            ],
        )
    )
    inserted = await connection.execute(
        """
        INSERT INTO market_data (time, symbol, interval_type, open, high, low, close)
        SELECT $1::timestamptz - make_interval(mins => n), s.symbol, '1m', 100, 100, 100, 100
        FROM unnest($2::text[]) AS s(symbol), generate_series(1, 1000) AS n
        """,
        NOW,
        symbols,
    )
    assert inserted == "INSERT 0 6000"
    await connection.execute("ANALYZE market_data")
    await connection.execute("ANALYZE positions")
    query = default_library().portfolio_valuation
    arguments = query.bind({"portfolio_id": portfolio.id, "interval_type": "1m"})

    plan = await connection.fetchval(f"EXPLAIN (FORMAT JSON) {query.sql}", *arguments)

    nodes = list(_plan_nodes(plan[0]["Plan"]))
    scanned = {node.get("Relation Name") for node in nodes if node["Node Type"] == "Seq Scan"}
    assert scanned <= {"portfolios", "positions"}, plan
    # One index probe per position (of the primary key, or of a compressed chunk's index).
    probes = [
        node
        for node in nodes
        if "Index" in node["Node Type"] and "pos.symbol" in node.get("Index Cond", "")
    ]
    assert probes, plan
