"""Instruments: the domain rules and the repository, against a real PostgreSQL."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from typing import Any

import asyncpg
import attrs
import pytest

from boursa_db.domain.instruments import Instrument, InstrumentType
from boursa_db.errors import Duplicate, NotFound, ValidationError
from boursa_db.repositories.base import BoundSession
from boursa_db.repositories.instruments import InstrumentRepository

SERVER_SET = ("id", "created_at", "updated_at")


def _instrument(**overrides: Any) -> Instrument:
    fields: dict[str, Any] = {"symbol": "AAPL", "name": "Apple Inc.", "instrument_type": "stock"}
    return Instrument(**(fields | overrides))


def _client_fields(instrument: Instrument) -> dict[str, Any]:
    return {
        name: value for name, value in attrs.asdict(instrument).items() if name not in SERVER_SET
    }


@pytest.fixture
def instruments(session: BoundSession) -> InstrumentRepository:
    return InstrumentRepository(session)


# --- the domain -----------------------------------------------------------------------------


def test_an_instrument_accepts_the_type_as_a_word_or_a_member() -> None:
    assert _instrument(instrument_type="etf").instrument_type is InstrumentType.ETF
    assert _instrument(instrument_type=InstrumentType.INDEX).instrument_type is InstrumentType.INDEX


def test_an_unknown_instrument_type_is_rejected() -> None:
    with pytest.raises(ValidationError, match="'STOCK'"):
        _instrument(instrument_type="STOCK")


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("symbol", "aapl"),
        ("symbol", "A" * 21),
        ("name", ""),
        ("name", "x" * 201),
        ("exchange", "nasdaq"),
        ("exchange", "X" * 13),
        ("currency", "US"),
        ("sector", "x" * 101),
        ("industry", "x" * 101),
        ("country", "USA"),
        ("isin", "US03783310"),
        ("isin", "us0378331005"),
        ("description", 42),
        ("created_at", datetime(2026, 1, 1)),  # naive on purpose
    ],
)
def test_a_value_the_table_would_refuse_is_rejected_naming_the_field(
    field: str, value: Any
) -> None:
    with pytest.raises(ValidationError) as raised:
        _instrument(**{field: value})
    assert raised.value.field == field


@pytest.mark.parametrize("symbol", ["BRK-B", "MC.PA", "BTC-USD", "GC=F", "EURUSD=X", "^GSPC"])
def test_real_tickers_are_accepted(symbol: str) -> None:
    assert _instrument(symbol=symbol).symbol == symbol


# --- the repository -------------------------------------------------------------------------


async def test_a_fully_populated_instrument_round_trips(instruments: InstrumentRepository) -> None:
    instrument = Instrument(
        symbol="MC.PA",
        name="LVMH Moët Hennessy Louis Vuitton",
        instrument_type=InstrumentType.STOCK,
        exchange="XPAR",
        currency="EUR",
        sector="Consumer Cyclical",
        industry="Luxury Goods",
        country="FR",
        isin="FR0000121014",
        description="Maisons of wines, spirits, fashion, leather goods and jewellery.",
        is_active=False,
    )

    saved = await instruments.save(instrument)
    found = await instruments.get_by_id(saved.id)  # type: ignore[arg-type]

    assert saved.id is not None
    assert saved.created_at is not None
    assert saved.updated_at is not None
    assert attrs.asdict(found) == attrs.asdict(saved)
    assert _client_fields(found) == _client_fields(instrument)
    assert await instruments.find_by_symbol("MC.PA") == found


async def test_saving_an_instrument_twice_updates_it(instruments: InstrumentRepository) -> None:
    saved = await instruments.save(_instrument())
    saved.name = "Apple"
    saved.sector = "Technology"

    updated = await instruments.save(saved)

    assert updated.id == saved.id
    assert updated.created_at == saved.created_at
    assert (updated.name, updated.sector) == ("Apple", "Technology")
    assert await instruments.find_by_id(saved.id) == updated  # type: ignore[arg-type]


async def test_a_symbol_taken_by_another_instrument_is_a_duplicate(
    instruments: InstrumentRepository,
) -> None:
    await instruments.save(_instrument())
    other = await instruments.save(_instrument(symbol="MSFT", name="Microsoft"))
    other.symbol = "AAPL"

    with pytest.raises(Duplicate) as raised:
        await instruments.save(_instrument(name="Apple again"))
    assert raised.value.constraint == "instruments_symbol_key"
    with pytest.raises(Duplicate):
        await instruments.save(other)


async def test_updating_an_unknown_instrument_raises_not_found(
    instruments: InstrumentRepository,
) -> None:
    with pytest.raises(NotFound):
        await instruments.save(_instrument(id=uuid.uuid4()))


async def test_lookups_of_unknown_instruments(instruments: InstrumentRepository) -> None:
    assert await instruments.find_by_id(uuid.uuid4()) is None
    assert await instruments.find_by_symbol("NOPE") is None
    with pytest.raises(NotFound):
        await instruments.get_by_id(uuid.uuid4())


async def test_arguments_are_validated_before_any_sql(instruments: InstrumentRepository) -> None:
    with pytest.raises(ValidationError, match="symbol"):
        await instruments.find_by_symbol("aapl")
    with pytest.raises(ValidationError, match="instrument_id"):
        await instruments.find_by_id("AAPL")  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match="limit"):
        await instruments.list(limit=0)
    with pytest.raises(ValidationError, match="limit"):
        await instruments.list(limit=1001)
    with pytest.raises(ValidationError, match="offset"):
        await instruments.list(offset=-1)
    with pytest.raises(ValidationError, match="instrument_type"):
        await instruments.list(instrument_type="shares")
    with pytest.raises(ValidationError, match="active_only"):
        await instruments.list(active_only=1)  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match="text"):
        await instruments.search_by_name("")
    with pytest.raises(ValidationError, match="limit"):
        await instruments.search_by_name("apple", limit=0)


async def test_list_pages_by_symbol_and_filters(instruments: InstrumentRepository) -> None:
    rows = [
        ("AAPL", "stock", "Technology", True),
        ("MSFT", "stock", "Technology", True),
        ("XOM", "stock", "Energy", True),
        ("SPY", "etf", None, True),
        ("ENRNQ", "stock", "Energy", False),
    ]
    for symbol, kind, sector, active in rows:
        await instruments.save(
            _instrument(
                symbol=symbol, name=symbol, instrument_type=kind, sector=sector, is_active=active
            )
        )

    async def symbols(**arguments: Any) -> list[str]:
        return [item.symbol for item in await instruments.list(**arguments)]

    assert await symbols() == ["AAPL", "MSFT", "SPY", "XOM"]
    assert await symbols(active_only=False) == ["AAPL", "ENRNQ", "MSFT", "SPY", "XOM"]
    assert await symbols(limit=2) == ["AAPL", "MSFT"]
    assert await symbols(limit=2, offset=2) == ["SPY", "XOM"]
    assert await symbols(instrument_type=InstrumentType.ETF) == ["SPY"]
    assert await symbols(sector="Energy") == ["XOM"]
    assert await symbols(sector="Energy", active_only=False) == ["ENRNQ", "XOM"]
    assert await symbols(instrument_type="stock", sector="Technology") == ["AAPL", "MSFT"]


async def test_search_by_name_ignores_case_and_orders_by_name(
    instruments: InstrumentRepository,
) -> None:
    for symbol, name in (("AAPL", "Apple Inc."), ("APLE", "Apple Hospitality"), ("X", "Pineapple")):
        await instruments.save(_instrument(symbol=symbol, name=name))
    await instruments.save(_instrument(symbol="MSFT", name="Microsoft"))

    found = await instruments.search_by_name("APPLE")

    assert [item.name for item in found] == ["Apple Hospitality", "Apple Inc.", "Pineapple"]
    assert len(await instruments.search_by_name("apple", limit=2)) == 2


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a%b", ["Fund a%b"]),
        ("a_b", ["Fund a_b"]),
        ("a\\b", ["Fund a\\b"]),
        ("%", ["Fund a%b"]),
        ("_", ["Fund a_b"]),
    ],
)
async def test_search_by_name_matches_wildcards_literally(
    instruments: InstrumentRepository, text: str, expected: list[str]
) -> None:
    names = ["Fund a%b", "Fund a_b", "Fund a\\b", "Fund aXb", "Fund ab"]
    for index, name in enumerate(names):
        await instruments.save(_instrument(symbol=f"F{index}", name=name))

    found = await instruments.search_by_name(text)

    assert [item.name for item in found] == expected


async def test_delete_removes_the_instrument_and_its_fundamentals(
    instruments: InstrumentRepository, connection: asyncpg.Connection
) -> None:
    saved = await instruments.save(_instrument())
    await connection.execute(
        "INSERT INTO fundamental_data (instrument_id, period_end, period_type) "
        "VALUES ($1, $2, 'annual')",
        saved.id,
        date(2025, 12, 31),
    )

    assert await instruments.delete(saved.id) is True  # type: ignore[arg-type]

    assert await instruments.find_by_id(saved.id) is None  # type: ignore[arg-type]
    assert await connection.fetchval("SELECT count(*) FROM fundamental_data") == 0
    assert await instruments.delete(saved.id) is False  # type: ignore[arg-type]


async def test_updated_at_moves_when_an_instrument_changes(
    instruments: InstrumentRepository, connection: asyncpg.Connection
) -> None:
    saved = await instruments.save(_instrument())
    await connection.execute(
        "UPDATE instruments SET updated_at = $1 WHERE id = $2",
        datetime(2020, 1, 1, tzinfo=UTC),
        saved.id,
    )
    saved.is_active = False

    updated = await instruments.save(saved)

    assert updated.updated_at is not None
    assert updated.updated_at > datetime(2020, 1, 1, tzinfo=UTC)
