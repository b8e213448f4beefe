"""Values the database would change are refused, not changed.

PostgreSQL rounds a Decimal to its column's scale, and asyncpg sends ``datetime.max`` as
``infinity`` (read back naive); neither raises. The domain refuses such values at construction,
naming the field, so that whatever is stored reads back equal. The cases enumerate the catalog
(every ``numeric(p, s)`` column) and the domain (every timestamp, date, text and JSON field of
every validated class), so that a new column or field cannot slip past the rules.
"""

from __future__ import annotations

import importlib
import inspect
import math
import pkgutil
import types
import typing
import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

import asyncpg
import attrs
import pytest

import boursa_db.domain
from boursa_db.context import PersistenceContext
from boursa_db.domain.alerts import Alert, Notification
from boursa_db.domain.audit import AuditEntry
from boursa_db.domain.instruments import FundamentalData, Instrument
from boursa_db.domain.market import MarketBar, PortfolioPerformance, Signal, TechnicalIndicator
from boursa_db.domain.portfolios import Portfolio, Position, Transaction
from boursa_db.domain.storable import (
    EARLIEST_DAY,
    EARLIEST_MOMENT,
    LATEST_DAY,
    LATEST_MOMENT,
    NUMERIC,
    Numeric,
)
from boursa_db.domain.summaries import HourlyBar
from boursa_db.domain.system_config import ConfigEntry
from boursa_db.domain.users import RefreshToken, User
from boursa_db.errors import ValidationError
from boursa_db.unit_of_work import UnitOfWork
from tests.domain_samples import SAMPLES, T0

TABLE_CLASSES: dict[str, type[Any]] = {
    "alerts": Alert,
    "fundamental_data": FundamentalData,
    "portfolio_performance": PortfolioPerformance,
    "portfolios": Portfolio,
    "positions": Position,
    "transactions": Transaction,
}
"""The domain class whose fields are the columns of each table with numeric columns."""


def _fields_of_type(kind: type[Any]) -> list[tuple[type[Any], str]]:
    """(class, field) for every field of the samples annotated ``kind`` or ``kind | None``."""
    found = []
    for cls in SAMPLES:
        for name, hint in typing.get_type_hints(cls).items():
            union = typing.get_origin(hint) in (typing.Union, types.UnionType)
            if kind in (typing.get_args(hint) if union else (hint,)):
                found.append((cls, name))
    return found


def _label(case: tuple[type[Any], str]) -> str:
    return f"{case[0].__name__}.{case[1]}"


def _refusal(cls: type[Any], name: str, value: object) -> ValidationError:
    with pytest.raises(ValidationError) as raised:
        attrs.evolve(SAMPLES[cls], **{name: value})
    return raised.value


def _refusal_or_none(cls: type[Any], name: str, value: object) -> ValidationError | None:
    try:
        attrs.evolve(SAMPLES[cls], **{name: value})
    except ValidationError as error:
        return error
    return None


def test_every_domain_class_that_validates_its_fields_has_a_sample() -> None:
    validating = set()
    for module_info in pkgutil.iter_modules(boursa_db.domain.__path__):
        module = importlib.import_module(f"boursa_db.domain.{module_info.name}")
        for _, cls in inspect.getmembers(module, inspect.isclass):
            ours = cls.__module__ == module.__name__ and attrs.has(cls)
            if ours and any(field.validator or field.converter for field in attrs.fields(cls)):
                validating.add(cls)

    assert validating == set(SAMPLES)


# --- numbers: every numeric(p, s) column of the catalog ---------------------------------------

_NUMERIC_COLUMNS = """
    SELECT c.table_name, c.column_name, c.numeric_precision, c.numeric_scale
    FROM information_schema.columns AS c
    JOIN information_schema.tables AS t USING (table_schema, table_name)
    WHERE c.table_schema = 'public' AND t.table_type = 'BASE TABLE' AND c.data_type = 'numeric'
    ORDER BY 1, 2
"""


async def _numeric_columns(connection: asyncpg.Connection) -> dict[tuple[str, str], Numeric]:
    rows = await connection.fetch(_NUMERIC_COLUMNS)
    unconstrained = [(row[0], row[1]) for row in rows if row[2] is None]
    assert unconstrained == [], "a numeric column without precision accepts any scale"
    return {(row[0], row[1]): Numeric(row[2], row[3]) for row in rows}


async def test_every_numeric_column_is_declared_in_the_domain_with_its_precision_and_scale(
    connection: asyncpg.Connection,
) -> None:
    catalog = await _numeric_columns(connection)

    declared = {
        (table, field.name): field.metadata[NUMERIC]
        for table, cls in TABLE_CLASSES.items()
        for field in attrs.fields(cls)
        if NUMERIC in field.metadata
    }

    assert catalog, "the catalog query found no numeric column"
    assert declared == catalog


async def test_a_decimal_with_more_places_than_its_column_is_refused_naming_the_field(
    connection: asyncpg.Connection,
) -> None:
    not_refused = []
    for (table, column), numeric in (await _numeric_columns(connection)).items():
        finer = Decimal(1) + Decimal(1).scaleb(-(numeric.scale + 1))  # 1.00001 for scale 4
        refusal = _refusal_or_none(TABLE_CLASSES[table], column, finer)
        if refusal is None or refusal.field != column or "decimal places" not in str(refusal):
            not_refused.append(f"{table}.{column} = {finer}: {refusal!r}")

    assert not_refused == []


async def test_a_decimal_with_more_whole_digits_than_its_column_is_refused_naming_the_field(
    connection: asyncpg.Connection,
) -> None:
    not_refused = []
    for (table, column), numeric in (await _numeric_columns(connection)).items():
        too_large = Decimal(10) ** (numeric.precision - numeric.scale)
        refusal = _refusal_or_none(TABLE_CLASSES[table], column, too_large)
        if refusal is None or refusal.field != column:
            not_refused.append(f"{table}.{column} = {too_large}: {refusal!r}")

    assert not_refused == []


def test_the_example_of_the_issue_is_refused_and_trailing_zeros_are_not_places() -> None:
    with pytest.raises(ValidationError) as raised:
        attrs.evolve(SAMPLES[Portfolio], cash_balance=Decimal("1.00005"))
    assert raised.value.field == "cash_balance"

    kept = attrs.evolve(SAMPLES[Portfolio], cash_balance=Decimal("1.50000000"))
    assert kept.cash_balance == Decimal("1.5")


Store = Callable[[UnitOfWork, "Ids", dict[str, Decimal]], Awaitable[Any]]


@attrs.frozen
class Ids:
    user: uuid.UUID
    portfolio: uuid.UUID
    instrument: uuid.UUID


async def _store_portfolio(uow: UnitOfWork, ids: Ids, values: dict[str, Decimal]) -> Any:
    return await uow.portfolios.save(
        Portfolio(user_id=ids.user, name=f"P {uuid.uuid4()}", **values)
    )


async def _store_position(uow: UnitOfWork, ids: Ids, values: dict[str, Decimal]) -> Any:
    return await uow.positions.save(Position(portfolio_id=ids.portfolio, symbol="AAPL", **values))


async def _store_transaction(uow: UnitOfWork, ids: Ids, values: dict[str, Decimal]) -> Any:
    return await uow.transactions.add(
        Transaction(
            portfolio_id=ids.portfolio,
            transaction_type="buy",
            symbol="AAPL",
            executed_at=T0,
            **values,
        )
    )


async def _store_alert(uow: UnitOfWork, ids: Ids, values: dict[str, Decimal]) -> Any:
    return await uow.alerts.save(
        Alert(
            user_id=ids.user,
            alert_type="price",
            condition_type="above",
            title="limit",
            symbol="AAPL",
            **values,
        )
    )


async def _store_fundamentals(uow: UnitOfWork, ids: Ids, values: dict[str, Decimal]) -> Any:
    return await uow.fundamentals.save(
        FundamentalData(
            instrument_id=ids.instrument,
            period_end=date(2026, 9, 30),
            period_type="annual",
            **values,
        )
    )


async def _store_performance(uow: UnitOfWork, ids: Ids, values: dict[str, Decimal]) -> Any:
    return await uow.performance.save(
        PortfolioPerformance(time=T0, portfolio_id=ids.portfolio, **values)
    )


STORES: dict[str, Store] = {
    "alerts": _store_alert,
    "fundamental_data": _store_fundamentals,
    "portfolio_performance": _store_performance,
    "portfolios": _store_portfolio,
    "positions": _store_position,
    "transactions": _store_transaction,
}


@pytest.mark.parametrize("end", ["largest", "smallest"])
async def test_decimals_at_the_limits_of_every_numeric_column_round_trip_exactly(
    context: PersistenceContext,
    connection: asyncpg.Connection,
    user_id: uuid.UUID,
    portfolio_id: uuid.UUID,
    end: str,
) -> None:
    instrument_id = await connection.fetchval(
        "INSERT INTO instruments (symbol, name, instrument_type) "
        "VALUES ('AAPL', 'Apple Inc.', 'stock') RETURNING id"
    )
    ids = Ids(user=user_id, portfolio=portfolio_id, instrument=instrument_id)
    by_table: dict[str, dict[str, Decimal]] = {}
    for (table, column), numeric in (await _numeric_columns(connection)).items():
        step = Decimal(1).scaleb(-numeric.scale)  # 0.0001 for scale 4
        largest = Decimal(10) ** (numeric.precision - numeric.scale) - step
        by_table.setdefault(table, {})[column] = largest if end == "largest" else step

    stored = {}
    async with context.uow() as uow:
        for table, values in by_table.items():
            stored[table] = await STORES[table](uow, ids, values)

    assert set(stored) == set(STORES)
    for table, values in by_table.items():
        assert {column: getattr(stored[table], column) for column in values} == values


# --- timestamps and dates ---------------------------------------------------------------------

PLUS_FIVE = timezone(timedelta(hours=5))
MINUS_FIVE = timezone(timedelta(hours=-5))
OUT_OF_RANGE_MOMENTS = {
    "datetime-max-utc": datetime.max.replace(tzinfo=UTC),  # asyncpg sends infinity
    "datetime-min-utc": datetime.min.replace(tzinfo=UTC),  # asyncpg sends -infinity
    "year-1-at-plus-5": datetime(1, 1, 1, 3, tzinfo=PLUS_FIVE),  # before year 1 in UTC
    "year-9999-at-minus-5": datetime(9999, 12, 31, 22, tzinfo=MINUS_FIVE),  # past 9999 in UTC
    "one-microsecond-too-early": EARLIEST_MOMENT - timedelta(microseconds=1),
    "one-microsecond-too-late": LATEST_MOMENT + timedelta(microseconds=1),
}
TIMESTAMP_FIELDS = _fields_of_type(datetime)
DATE_FIELDS = [case for case in _fields_of_type(date) if case not in TIMESTAMP_FIELDS]


@pytest.mark.parametrize("moment", OUT_OF_RANGE_MOMENTS.values(), ids=OUT_OF_RANGE_MOMENTS.keys())
@pytest.mark.parametrize("case", TIMESTAMP_FIELDS, ids=_label)
def test_every_timestamp_field_refuses_an_instant_stored_as_infinity_or_beyond_the_range(
    case: tuple[type[Any], str], moment: datetime
) -> None:
    cls, name = case

    refusal = _refusal(cls, name, moment)

    assert refusal.field == name
    assert "outside" in str(refusal)


def test_the_enumeration_reaches_every_timestamp_and_date_field() -> None:
    assert {
        (MarketBar, "time"),
        (Signal, "expires_at"),
        (Transaction, "executed_at"),
        (RefreshToken, "expires_at"),
        (AuditEntry, "changed_at"),
        (HourlyBar, "hour"),
    } <= set(TIMESTAMP_FIELDS)
    assert {(User, "date_of_birth"), (FundamentalData, "period_end")} <= set(DATE_FIELDS)


@pytest.mark.parametrize("day", [date.max, date.min], ids=["date-max", "date-min"])
@pytest.mark.parametrize("case", DATE_FIELDS, ids=_label)
def test_every_date_field_refuses_the_days_stored_as_infinity(
    case: tuple[type[Any], str], day: date
) -> None:
    cls, name = case

    assert _refusal(cls, name, day).field == name


def test_the_earliest_instant_may_be_given_in_any_time_zone() -> None:
    at_plus_five = EARLIEST_MOMENT.astimezone(PLUS_FIVE)

    transaction = attrs.evolve(SAMPLES[Transaction], executed_at=at_plus_five)

    assert transaction.executed_at == EARLIEST_MOMENT


async def test_the_earliest_and_latest_instants_and_days_round_trip_exactly_and_aware(
    context: PersistenceContext, portfolio_id: uuid.UUID
) -> None:
    moments = [EARLIEST_MOMENT, EARLIEST_MOMENT.astimezone(PLUS_FIVE), LATEST_MOMENT]
    async with context.uow() as uow:
        added = [
            await uow.transactions.add(
                Transaction(
                    portfolio_id=portfolio_id,
                    transaction_type="deposit",
                    amount=Decimal(1),
                    executed_at=moment,
                )
            )
            for moment in moments
        ]
        users = [
            await uow.users.save(
                User(
                    email=f"u{index}@example.com",
                    username=f"user{index}",
                    password_hash="h",
                    date_of_birth=day,
                )
            )
            for index, day in enumerate((EARLIEST_DAY, LATEST_DAY))
        ]
    async with context.uow() as uow:
        read = [await uow.transactions.find_by_id(item.id) for item in added]  # type: ignore[arg-type]
        days = [(await uow.users.get_by_id(user.id)).date_of_birth for user in users]  # type: ignore[arg-type]

    assert [item.executed_at for item in read if item is not None] == moments
    assert all(item is not None and item.executed_at.tzinfo is not None for item in read)
    assert days == [EARLIEST_DAY, LATEST_DAY]


async def test_a_timestamp_argument_that_would_be_stored_as_infinity_is_refused_naming_it(
    context: PersistenceContext, user_id: uuid.UUID
) -> None:
    async with context.uow() as uow:
        with pytest.raises(ValidationError) as raised:
            await uow.users.record_login(user_id, datetime.max.replace(tzinfo=UTC))
        stored = await uow.users.get_by_id(user_id)

    assert raised.value.field == "at"
    assert stored.last_login_at is None


# --- text -------------------------------------------------------------------------------------

TEXT_FIELDS = _fields_of_type(str)
UNSTORABLE_TEXT = {"nul": "\x00", "lone-high-surrogate": "\ud800", "lone-low-surrogate": "\udfff"}


@pytest.mark.parametrize("bad", UNSTORABLE_TEXT.values(), ids=UNSTORABLE_TEXT.keys())
@pytest.mark.parametrize("case", TEXT_FIELDS, ids=_label)
def test_every_text_field_refuses_nul_and_lone_surrogates_naming_the_field(
    case: tuple[type[Any], str], bad: str
) -> None:
    cls, name = case
    # Appended to the sample's valid text: only the character itself is wrong.
    value = (getattr(SAMPLES[cls], name) or "x") + bad

    assert _refusal(cls, name, value).field == name


@pytest.mark.parametrize("bad", UNSTORABLE_TEXT.values(), ids=UNSTORABLE_TEXT.keys())
def test_a_text_array_refuses_nul_and_lone_surrogates(bad: str) -> None:
    assert _refusal(Signal, "indicators_used", ["rsi_14", f"macd{bad}"]).field == (
        "indicators_used"
    )


async def test_a_text_argument_with_nul_is_refused_naming_the_argument(
    context: PersistenceContext,
) -> None:
    async with context.uow() as uow:
        with pytest.raises(ValidationError) as raised:
            await uow.users.find_by_email("ada\x00@example.com")

    assert raised.value.field == "email"


PATTERN_FIELDS = {
    (MarketBar, "symbol"): "AAPL",
    (MarketBar, "source"): "test",
    (TechnicalIndicator, "indicator_name"): "rsi_14",
    (Signal, "strategy"): "momentum",
    (Instrument, "exchange"): "NASDAQ",
    (Instrument, "country"): "US",
    (Instrument, "isin"): "US0378331005",
    (Instrument, "currency"): "USD",
    (Portfolio, "base_currency"): "EUR",
    (Position, "symbol"): "MSFT",
    (Transaction, "symbol"): "MSFT",
    (Alert, "symbol"): "MSFT",
    (User, "email"): "ada@example.com",
    (User, "username"): "ada",
    (User, "country"): "FR",
    (User, "language"): "fr-CA",
    (User, "phone"): "+33 1 23 45 67 89",
    (ConfigEntry, "key"): "broker.name",
}


@pytest.mark.parametrize("case", PATTERN_FIELDS, ids=_label)
def test_a_pattern_field_refuses_its_valid_value_with_a_trailing_newline(
    case: tuple[type[Any], str],
) -> None:
    cls, name = case
    valid = PATTERN_FIELDS[case]
    assert getattr(attrs.evolve(SAMPLES[cls], **{name: valid}), name) == valid

    assert _refusal(cls, name, valid + "\n").field == name


async def test_a_symbol_argument_with_a_trailing_newline_is_refused(
    context: PersistenceContext,
) -> None:
    async with context.uow() as uow:
        with pytest.raises(ValidationError) as raised:
            await uow.market_data.find_latest("AAPL\n")

    assert raised.value.field == "symbol"


# --- JSON -------------------------------------------------------------------------------------


def _cyclic() -> dict[str, Any]:
    value: dict[str, Any] = {}
    value["self"] = value
    return value


JSON_FIELDS = [
    (TechnicalIndicator, "parameters"),
    (Signal, "metadata"),
    (Notification, "data"),
    (ConfigEntry, "value"),
]
NOT_JSON = {
    "an-object": {"at": object()},
    "a-decimal": {"price": Decimal("1.5")},
    "nan": {"score": math.nan},
    "infinity": {"score": math.inf},
    "an-int-key": {1: "one"},
    "a-tuple": {"window": (14, 28)},
    "nul-in-a-value": {"note": "a\x00b"},
    "lone-surrogate-in-a-key": {"\ud800": 1},
    "a-float-jsonb-gives-back-as-another-int": {"big": 1e23},
    "a-cycle": _cyclic(),
}


@pytest.mark.parametrize("value", NOT_JSON.values(), ids=NOT_JSON.keys())
@pytest.mark.parametrize("case", JSON_FIELDS, ids=_label)
def test_every_json_field_refuses_what_jsonb_would_not_give_back_unchanged(
    case: tuple[type[Any], str], value: object
) -> None:
    cls, name = case

    assert _refusal(cls, name, value).field == name


async def test_json_that_jsonb_gives_back_unchanged_round_trips(
    context: PersistenceContext,
) -> None:
    value = {
        "nested": {"list": [1, "two", None, True, {"three": 3.5}]},
        "text": "é ✓ 😀 \\ \" '",
        "numbers": [0, -1, 2**70, 1e16, 1e-7, -0.0, 0.1],
    }
    async with context.uow() as uow:
        stored = await uow.system_config.set(ConfigEntry(key="json.probe", value=value))
    async with context.uow() as uow:
        read = await uow.system_config.get("json.probe")

    assert stored.value == value
    assert read is not None
    assert read.value == value
