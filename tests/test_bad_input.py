"""Bad input, on purpose: every invalid value is refused with a typed boursa_db error (never a raw
asyncpg exception, never a crash) and writes nothing; valid values round-trip exactly.

Decisions the cases below pin down:

* an empty batch is not an error: ``copy([])`` writes nothing and returns 0;
* a batch may mix intervals (``interval_type`` is a column of every row); what a batch may not
  do is mix valid and invalid rows: one bad row refuses the whole batch, the valid rows too;
* SQL in a free-text field is text: it is stored verbatim and never executed; fields with a
  pattern (symbols, codes, e-mail addresses, user names) refuse it.

The module shares one database: a refused input leaves nothing behind, which each case checks
by counting the rows of every table before and after.
"""

from __future__ import annotations

import math
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Context, Decimal
from typing import Any

import asyncpg
import attrs
import pytest
import pytest_asyncio
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from boursa_db.context import PersistenceContext, create_persistence_context
from boursa_db.domain.instruments import Instrument
from boursa_db.domain.market import MarketBar, Signal, TechnicalIndicator
from boursa_db.domain.portfolios import Portfolio, Position, Transaction
from boursa_db.domain.users import User
from boursa_db.domain.values import SYMBOL_PATTERN
from boursa_db.errors import (
    BoursaDbError,
    ConcurrencyConflict,
    Duplicate,
    MissingReference,
    ValidationError,
)
from boursa_db.repositories.copying import ConflictMode
from tests import conftest
from tests.support import create_database, drop_database, unique_name
from tests.test_migrations import EXPECTED_TABLES

pytestmark = pytest.mark.asyncio(loop_scope="module")

T0 = datetime(2026, 11, 2, 14, 30, tzinfo=UTC)
MINUTE = timedelta(minutes=1)
PLUS_FIVE = timezone(timedelta(hours=5))
MINUS_FIVE = timezone(timedelta(hours=-5))
NAN = math.nan
INF = math.inf
TABLES = tuple(sorted(EXPECTED_TABLES))
INJECTIONS = (
    "Robert'); DROP TABLE users;--",
    "' OR '1'='1",
    "1; DELETE FROM portfolios WHERE '1'='1'",
    "$1::text); TRUNCATE audit_log; --",
    "$$; DROP TABLE audit_log; $$",
    "%s %(name)s :name {0}",
    "' UNION SELECT password_hash FROM users --",
    "\\'; SELECT pg_sleep(30); --",
    "😀 ' \" ` \\ ; -- /* */",
)
# Hypothesis: few examples, the same ones on every run (CI must not flake), no example database.
CASES_PER_PROPERTY = settings(
    max_examples=40,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)


@attrs.frozen
class World:
    """Rows that exist before every case: targets for duplicates and references."""

    user: User
    portfolio: Portfolio
    instrument: Instrument
    bars: list[MarketBar]


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def ctx(
    test_server: conftest.TestServer, template_database: conftest.TemplateDatabase
) -> AsyncIterator[PersistenceContext]:
    name = unique_name("boursa_bad_input")
    await create_database(test_server.admin_url, name, template=template_database.name)
    try:
        async with create_persistence_context(
            test_server.url_for(name), min_size=1, max_size=2
        ) as context:
            yield context
    finally:
        await drop_database(test_server.admin_url, name)


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def world(ctx: PersistenceContext) -> World:
    async with ctx.uow() as uow:
        user = await uow.users.save(
            User(email="ada@example.com", username="ada", password_hash="argon2id$h")
        )
        portfolio = await uow.portfolios.save(
            Portfolio(user_id=user.id, name="Main", cash_balance=Decimal(1000), is_default=True)
        )
        instrument = await uow.instruments.save(
            Instrument(symbol="AAPL", name="Apple Inc.", instrument_type="stock")
        )
        bars = [make_bar(symbol="AAPL", time=T0 + index * MINUTE) for index in range(10)]
        await uow.market_data.copy(bars)
        assert portfolio.id is not None
        await uow.transactions.add(
            Transaction(
                portfolio_id=portfolio.id,
                transaction_type="deposit",
                amount=Decimal(1000),
                executed_at=T0,
                external_id="T-1",
            )
        )
    return World(user=user, portfolio=portfolio, instrument=instrument, bars=bars)


async def _row_counts(ctx: PersistenceContext) -> dict[str, int]:
    async with ctx.pool.acquire() as connection:
        counts = await connection.fetchrow(
            "SELECT " + ", ".join(f"(SELECT count(*) FROM {table}) AS {table}" for table in TABLES)
        )
    return dict(counts)


# --- builders of valid values, changed one field at a time ------------------------------------


def make_bar(**changes: Any) -> MarketBar:
    values: dict[str, Any] = {
        "time": T0,
        "symbol": "MSFT",
        "interval_type": "1m",
        "open": 100.0,
        "high": 101.0,
        "low": 99.0,
        "close": 100.5,
        "volume": 1000,
        "source": "test",
    }
    return MarketBar(**(values | changes))


def make_user(**changes: Any) -> User:
    values: dict[str, Any] = {
        "email": "zed@example.com",
        "username": "zed",
        "password_hash": "argon2id$z",
    }
    return User(**(values | changes))


def make_portfolio(world: World, **changes: Any) -> Portfolio:
    values: dict[str, Any] = {"user_id": world.user.id, "name": "Second"}
    return Portfolio(**(values | changes))


def make_position(**changes: Any) -> Position:
    values: dict[str, Any] = {
        "symbol": "MSFT",
        "quantity": Decimal(1),
        "average_price": Decimal(300),
    }
    return Position(**(values | changes))


def make_transaction(world: World, **changes: Any) -> Transaction:
    values: dict[str, Any] = {
        "portfolio_id": world.portfolio.id,
        "transaction_type": "buy",
        "symbol": "MSFT",
        "quantity": Decimal(1),
        "price": Decimal(300),
        "amount": Decimal(300),
        "executed_at": T0,
    }
    return Transaction(**(values | changes))


def make_instrument(**changes: Any) -> Instrument:
    values: dict[str, Any] = {"symbol": "MSFT", "name": "Microsoft", "instrument_type": "stock"}
    return Instrument(**(values | changes))


def make_indicator(**changes: Any) -> TechnicalIndicator:
    values: dict[str, Any] = {
        "time": T0,
        "symbol": "MSFT",
        "interval_type": "1d",
        "indicator_name": "rsi_14",
        "value": 55.0,
    }
    return TechnicalIndicator(**(values | changes))


def make_signal(**changes: Any) -> Signal:
    values: dict[str, Any] = {
        "time": T0,
        "symbol": "MSFT",
        "signal_type": "buy",
        "strength": "strong",
        "confidence": 0.8,
    }
    return Signal(**(values | changes))


def _bypassing_validation(bar: MarketBar, **values: Any) -> MarketBar:
    """A bar changed past its validators, as a buggy caller or a pickled object might."""
    for name, value in values.items():
        object.__setattr__(bar, name, value)
    return bar


# --- the battery ------------------------------------------------------------------------------

Attempt = Callable[[PersistenceContext, World], Awaitable[object]]


async def copy(ctx: PersistenceContext, batch: Any, mode: Any = ConflictMode.FAIL) -> object:
    async with ctx.uow() as uow:
        return await uow.market_data.copy(batch, on_conflict=mode)


async def save_user(ctx: PersistenceContext, build: Callable[[], User]) -> object:
    async with ctx.uow() as uow:
        return await uow.users.save(build())


async def save_portfolio(ctx: PersistenceContext, build: Callable[[], Portfolio]) -> object:
    async with ctx.uow() as uow:
        return await uow.portfolios.save(build())


async def add_transaction(ctx: PersistenceContext, build: Callable[[], Transaction]) -> object:
    async with ctx.uow() as uow:
        return await uow.transactions.add(build())


async def save_instrument(ctx: PersistenceContext, build: Callable[[], Instrument]) -> object:
    async with ctx.uow() as uow:
        return await uow.instruments.save(build())


async def sql(ctx: PersistenceContext, statement: str, *arguments: object) -> object:
    """Raw SQL in a unit of work: the constraints of the schema stand behind the domain."""
    async with ctx.uow() as uow:
        return await uow.connection.execute(statement, *arguments)


def _bar(**changes: Any) -> Attempt:
    return lambda ctx, world: copy(ctx, [make_bar(**changes)])


def _user(**changes: Any) -> Attempt:
    return lambda ctx, world: save_user(ctx, lambda: make_user(**changes))


def _portfolio(**changes: Any) -> Attempt:
    return lambda ctx, world: save_portfolio(ctx, lambda: make_portfolio(world, **changes))


def _position(**changes: Any) -> Attempt:
    return lambda ctx, world: save_portfolio(
        ctx, lambda: make_portfolio(world, positions=[make_position(**changes)])
    )


def _transaction(**changes: Any) -> Attempt:
    return lambda ctx, world: add_transaction(ctx, lambda: make_transaction(world, **changes))


def _instrument(**changes: Any) -> Attempt:
    return lambda ctx, world: save_instrument(ctx, lambda: make_instrument(**changes))


async def _copy_indicators(ctx: PersistenceContext, **changes: Any) -> object:
    async with ctx.uow() as uow:
        return await uow.indicators.copy([make_indicator(**changes)])


async def _copy_signals(ctx: PersistenceContext, **changes: Any) -> object:
    async with ctx.uow() as uow:
        return await uow.signals.copy([make_signal(**changes)])


def _indicator(**changes: Any) -> Attempt:
    return lambda ctx, world: _copy_indicators(ctx, **changes)


def _signal(**changes: Any) -> Attempt:
    return lambda ctx, world: _copy_signals(ctx, **changes)


def _mixed_batch(mode: ConflictMode, **bad: Any) -> Attempt:
    """Nine valid new bars and, in the middle, one whose bad value got past the domain."""

    def attempt(ctx: PersistenceContext, world: World) -> Awaitable[object]:
        batch = [make_bar(time=T0 + index * MINUTE) for index in range(9)]
        batch.insert(4, _bypassing_validation(make_bar(time=T0 + 99 * MINUTE), **bad))
        return copy(ctx, batch, mode)

    return attempt


async def _stale_portfolio(ctx: PersistenceContext, world: World) -> object:
    async with ctx.uow() as uow:
        stale = await uow.portfolios.get_by_id(world.portfolio.id)  # type: ignore[arg-type]
        stale.version += 7
        stale.cash_balance = Decimal(1)
        return await uow.portfolios.save(stale)


async def _market(ctx: PersistenceContext, call: Callable[[Any], Awaitable[object]]) -> object:
    async with ctx.uow() as uow:
        return await call(uow.market_data)


def _lookup(call: Callable[[Any], Awaitable[object]]) -> Attempt:
    return lambda ctx, world: _market(ctx, call)


LONG = "x" * 5001
V = ValidationError
CASES: dict[str, tuple[type[BoursaDbError], Attempt]] = {
    # bars: prices, volumes, times, intervals, symbols, sources
    "bar-open-nan": (V, _bar(open=NAN)),
    "bar-high-nan": (V, _bar(high=NAN)),
    "bar-low-nan": (V, _bar(low=NAN)),
    "bar-close-nan": (V, _bar(close=NAN)),
    "bar-open-inf": (V, _bar(open=INF, high=INF)),
    "bar-high-inf": (V, _bar(high=INF)),
    "bar-low-minus-inf": (V, _bar(low=-INF)),
    "bar-close-inf": (V, _bar(close=INF, high=INF)),
    "bar-adjusted-close-nan": (V, _bar(adjusted_close=NAN)),
    "bar-zero-open": (V, _bar(open=0.0, low=0.0)),
    "bar-negative-low": (V, _bar(low=-1.0)),
    "bar-high-below-low": (V, _bar(high=98.0, low=99.0)),
    "bar-open-above-high": (V, _bar(open=102.0)),
    "bar-close-below-low": (V, _bar(close=98.0)),
    "bar-negative-volume": (V, _bar(volume=-1)),
    "bar-volume-beyond-bigint": (V, _bar(volume=2**63)),
    "bar-volume-bool": (V, _bar(volume=True)),
    "bar-volume-float": (V, _bar(volume=1.5)),
    "bar-price-as-text": (V, _bar(close="100.5")),
    "bar-price-as-decimal": (V, _bar(close=Decimal("100.5"))),
    "bar-naive-time": (V, _bar(time=datetime(2026, 11, 2, 14, 30))),
    "bar-time-as-text": (V, _bar(time="2026-11-02T14:30:00Z")),
    "bar-time-as-date": (V, _bar(time=date(2026, 11, 2))),
    "bar-interval-2m": (V, _bar(interval_type="2m")),
    "bar-interval-upper-case": (V, _bar(interval_type="1D")),
    "bar-interval-empty": (V, _bar(interval_type="")),
    "bar-interval-none": (V, _bar(interval_type=None)),
    "bar-symbol-lower-case": (V, _bar(symbol="msft")),
    "bar-symbol-empty": (V, _bar(symbol="")),
    "bar-symbol-21-chars": (V, _bar(symbol="A" * 21)),
    "bar-symbol-space": (V, _bar(symbol="BRK B")),
    "bar-symbol-injection": (V, _bar(symbol="'; DROP TABLE market_data;--")),
    "bar-symbol-comment": (V, _bar(symbol="AAPL;--")),
    "bar-symbol-nul": (V, _bar(symbol="AA\x00PL")),
    "bar-symbol-non-ascii": (V, _bar(symbol="ÄPPL")),
    "bar-symbol-newline": (V, _bar(symbol="AAPL\n")),
    "bar-symbol-leading-dash": (V, _bar(symbol="-AAPL")),
    "bar-symbol-trailing-dot": (V, _bar(symbol="AAPL.")),
    "bar-symbol-none": (V, _bar(symbol=None)),
    "bar-source-upper-case": (V, _bar(source="Bad Source")),
    "bar-source-injection": (V, _bar(source="x'); DELETE FROM market_data;--")),
    # batches
    "batch-with-a-non-bar": (
        V,
        lambda ctx, world: copy(ctx, [make_bar(), {"symbol": "MSFT"}, make_bar(time=T0 + MINUTE)]),
    ),
    "batch-of-strings": (V, lambda ctx, world: copy(ctx, ["AAPL", "MSFT"])),
    "batch-unknown-mode": (V, lambda ctx, world: copy(ctx, [make_bar()], "merge")),
    "batch-valid-and-nan-fail": (V, _mixed_batch(ConflictMode.FAIL, close=NAN)),
    "batch-valid-and-negative-volume-skip": (V, _mixed_batch(ConflictMode.SKIP, volume=-5)),
    "batch-valid-and-high-below-low-update": (V, _mixed_batch(ConflictMode.UPDATE, high=1.0)),
    "batch-valid-and-bad-symbol-fail": (V, _mixed_batch(ConflictMode.FAIL, symbol="bad sym")),
    "batch-valid-and-bad-source-skip": (V, _mixed_batch(ConflictMode.SKIP, source="Bad Source")),
    "batch-with-an-existing-bar": (
        Duplicate,
        lambda ctx, world: copy(ctx, [make_bar(), world.bars[3], make_bar(time=T0 + MINUTE)]),
    ),
    "batch-repeating-a-key": (Duplicate, lambda ctx, world: copy(ctx, [make_bar(), make_bar()])),
    # market-data lookups
    "range-naive-start": (
        V,
        _lookup(lambda repo: repo.find_by_symbol_and_timerange("AAPL", datetime(2026, 1, 1), T0)),
    ),
    "range-end-before-start": (
        V,
        _lookup(lambda repo: repo.find_by_symbol_and_timerange("AAPL", T0, T0 - MINUTE)),
    ),
    "range-injected-symbol": (
        V,
        _lookup(lambda repo: repo.find_by_symbol_and_timerange("AAPL' OR '1'='1", T0, T0 + MINUTE)),
    ),
    "latest-prices-one-bad-symbol": (
        V,
        _lookup(lambda repo: repo.find_latest_prices(["AAPL", "bad sym"])),
    ),
    "latest-prices-a-str": (V, _lookup(lambda repo: repo.find_latest_prices("AAPL"))),
    "latest-unknown-interval": (V, _lookup(lambda repo: repo.find_latest("AAPL", "1y"))),
    "delete-range-naive-end": (
        V,
        _lookup(lambda repo: repo.delete_range("AAPL", "1m", T0, datetime(2027, 1, 1))),
    ),
    # users
    "user-email-without-at": (V, _user(email="ada.example.com")),
    "user-email-with-space": (V, _user(email="zed @example.com")),
    "user-email-too-long": (V, _user(email="z" * 250 + "@x.io")),
    "user-email-injection": (V, _user(email="z@x.io'; DROP TABLE users;--")),
    "user-name-too-short": (V, _user(username="zz")),
    "user-name-too-long": (V, _user(username="z" * 51)),
    "user-name-injection": (V, _user(username="robert'); DROP TABLE users;--")),
    "user-name-non-ascii": (V, _user(username="zoë")),
    "user-password-hash-empty": (V, _user(password_hash="")),
    "user-password-hash-too-long": (V, _user(password_hash="h" * 256)),
    "user-role-upper-case": (V, _user(role="ADMIN")),
    "user-role-unknown": (V, _user(role="root")),
    "user-role-injection": (V, _user(role="admin'--")),
    "user-currency-lower-case": (V, _user(preferred_currency="usd")),
    "user-currency-two-letters": (V, _user(preferred_currency="US")),
    "user-currency-four-letters": (V, _user(preferred_currency="USDT")),
    "user-currency-digits": (V, _user(preferred_currency="123")),
    "user-country-three-letters": (V, _user(country="USA")),
    "user-language-upper-case": (V, _user(language="EN")),
    "user-phone-letters": (V, _user(phone="call me maybe")),
    "user-naive-last-login": (V, _user(last_login_at=datetime(2026, 1, 1))),
    "user-birth-date-a-datetime": (V, _user(date_of_birth=T0)),
    "user-active-flag-a-str": (V, _user(is_active="yes")),
    "user-risk-unknown": (V, _user(risk_tolerance="yolo")),
    "user-experience-unknown": (V, _user(investment_experience="guru")),
    "user-timezone-empty": (V, _user(timezone="")),
    "user-first-name-too-long": (V, _user(first_name="x" * 101)),
    "user-first-name-nul": (V, _user(first_name="A\x00da")),
    "user-last-name-lone-surrogate": (V, _user(last_name="\ud800")),
    "user-duplicate-email-other-case": (Duplicate, _user(email="ADA@example.com")),
    "user-duplicate-username": (Duplicate, _user(username="ada")),
    "user-id-not-a-uuid": (
        V,
        lambda ctx, world: _find_user(ctx, "1 OR 1=1"),
    ),
    # portfolios and positions
    "portfolio-name-empty": (V, _portfolio(name="")),
    "portfolio-name-too-long": (V, _portfolio(name="p" * 101)),
    "portfolio-currency-lower-case": (V, _portfolio(base_currency="eur")),
    "portfolio-cash-a-float": (V, _portfolio(cash_balance=100.0)),
    "portfolio-cash-nan": (V, _portfolio(cash_balance=Decimal("NaN"))),
    "portfolio-cash-infinite": (V, _portfolio(cash_balance=Decimal("Infinity"))),
    "portfolio-cash-negative": (V, _portfolio(cash_balance=Decimal("-0.01"))),
    "portfolio-cash-beyond-numeric-24-4": (V, _portfolio(cash_balance=Decimal("1e21"))),
    "portfolio-version-zero": (V, _portfolio(version=0)),
    "portfolio-unknown-user": (MissingReference, _portfolio(user_id=uuid.uuid4())),
    "portfolio-duplicate-name": (Duplicate, _portfolio(name="Main")),
    "portfolio-second-default": (Duplicate, _portfolio(is_default=True)),
    "portfolio-stale-version": (ConcurrencyConflict, _stale_portfolio),
    "portfolio-id-a-str": (V, lambda ctx, world: _find_portfolio(ctx, str(world.portfolio.id))),
    "portfolio-twice-the-same-position": (
        V,
        _portfolio(positions=[make_position(), make_position(quantity=Decimal(2))]),
    ),
    "position-zero-quantity": (V, _position(quantity=Decimal(0))),
    "position-negative-quantity": (V, _position(quantity=Decimal(-3))),
    "position-price-nan": (V, _position(average_price=Decimal("NaN"))),
    "position-symbol-lower-case": (V, _position(symbol="msft")),
    "position-currency-four-letters": (V, _position(currency="EURO")),
    # transactions
    "transaction-type-upper-case": (V, _transaction(transaction_type="BUY")),
    "transaction-type-unknown": (V, _transaction(transaction_type="short")),
    "transaction-deposit-with-a-symbol": (V, _transaction(transaction_type="deposit")),
    "transaction-buy-without-price": (V, _transaction(price=None)),
    "transaction-buy-without-quantity": (V, _transaction(quantity=None)),
    "transaction-negative-fees": (V, _transaction(fees=Decimal(-1))),
    "transaction-negative-taxes": (V, _transaction(taxes=Decimal("-0.5"))),
    "transaction-zero-fx-rate": (V, _transaction(fx_rate=Decimal(0))),
    "transaction-amount-a-float": (V, _transaction(amount=300.0)),
    "transaction-quantity-nan": (V, _transaction(quantity=Decimal("NaN"))),
    "transaction-currency-lower-case": (V, _transaction(currency="usd")),
    "transaction-naive-execution": (V, _transaction(executed_at=datetime(2026, 11, 2))),
    "transaction-external-id-empty": (V, _transaction(external_id="")),
    "transaction-notes-too-long": (V, _transaction(notes="n" * 2001)),
    "transaction-duplicate-external-id": (Duplicate, _transaction(external_id="T-1")),
    "transaction-unknown-portfolio": (MissingReference, _transaction(portfolio_id=uuid.uuid4())),
    # instruments
    "instrument-symbol-lower-case": (V, _instrument(symbol="msft")),
    "instrument-isin-short": (V, _instrument(isin="US123")),
    "instrument-exchange-lower-case": (V, _instrument(exchange="nasdaq")),
    "instrument-type-upper-case": (V, _instrument(instrument_type="STOCK")),
    "instrument-currency-lower-case": (V, _instrument(currency="eur")),
    "instrument-name-empty": (V, _instrument(name="")),
    "instrument-duplicate-symbol": (Duplicate, _instrument(symbol="AAPL")),
    # indicators and signals
    "indicator-value-nan": (V, _indicator(value=NAN)),
    "indicator-value-inf": (V, _indicator(value=INF)),
    "indicator-name-upper-case": (V, _indicator(indicator_name="RSI")),
    "indicator-name-injection": (V, _indicator(indicator_name="rsi'; DROP TABLE signals;--")),
    "indicator-parameters-a-list": (V, _indicator(parameters=[14])),
    "signal-confidence-above-one": (V, _signal(confidence=1.5)),
    "signal-confidence-nan": (V, _signal(confidence=NAN)),
    "signal-expiring-before-it-starts": (V, _signal(expires_at=T0 - MINUTE)),
    "signal-strength-unknown": (V, _signal(strength="huge")),
    "signal-metadata-a-str": (V, _signal(metadata="x")),
    "signal-rationale-too-long": (V, _signal(rationale=LONG)),
    # raw SQL: the schema refuses what the domain would have refused
    "sql-nan-cash": (
        V,
        lambda ctx, world: sql(
            ctx, "UPDATE portfolios SET cash_balance = 'NaN' WHERE id = $1", world.portfolio.id
        ),
    ),
    "sql-nan-position": (
        V,
        lambda ctx, world: sql(
            ctx,
            "INSERT INTO positions (portfolio_id, symbol, quantity, average_price) "
            "VALUES ($1, 'MSFT', 'NaN', 1)",
            world.portfolio.id,
        ),
    ),
    "sql-high-below-low": (
        V,
        lambda ctx, world: sql(
            ctx,
            "INSERT INTO market_data (time, symbol, interval_type, open, high, low, close) "
            "VALUES ($1, 'MSFT', '1m', 1, 1, 2, 1)",
            T0,
        ),
    ),
    "sql-infinite-price": (
        V,
        lambda ctx, world: sql(
            ctx,
            "UPDATE market_data SET close = 'Infinity', high = 'Infinity' WHERE symbol = 'AAPL'",
        ),
    ),
    "sql-text-for-a-number": (
        V,
        lambda ctx, world: sql(
            ctx,
            "UPDATE portfolios SET cash_balance = $1 WHERE id = $2",
            "one thousand",
            world.portfolio.id,
        ),
    ),
}

# Every write method given something other than its domain object.
WRITE_METHODS = {
    "alerts.save": "Alert",
    "fundamentals.save": "FundamentalData",
    "indicators.save": "TechnicalIndicator",
    "instruments.save": "Instrument",
    "market_data.save": "MarketBar",
    "notifications.add": "Notification",
    "performance.save": "PortfolioPerformance",
    "portfolios.save": "Portfolio",
    "positions.save": "Position",
    "refresh_tokens.save": "RefreshToken",
    "signals.save": "Signal",
    "system_config.set": "ConfigEntry",
    "transactions.add": "Transaction",
    "users.save": "User",
}
"""Every write method that takes one domain object, and the class it takes."""
NOT_DOMAIN_OBJECTS = {"a-dict": {"email": "zed@example.com", "id": None}, "none": None}


def _write(method: str, argument: object) -> Attempt:
    repository, name = method.split(".")

    async def attempt(ctx: PersistenceContext, world: World) -> object:
        async with ctx.uow() as uow:
            return await getattr(getattr(uow, repository), name)(argument)

    return attempt


# Values PostgreSQL would store changed (rounded, as infinity) or cannot encode: the domain
# refuses them before any SQL, naming the field (case -> field, attempt).
CHANGED_VALUES: dict[str, tuple[str, Attempt]] = {
    "bar-time-datetime-max-sent-as-infinity": ("time", _bar(time=datetime.max.replace(tzinfo=UTC))),
    "bar-time-datetime-min-sent-as-minus-infinity": (
        "time",
        _bar(time=datetime.min.replace(tzinfo=UTC)),
    ),
    "bar-time-before-year-1-in-utc": ("time", _bar(time=datetime(1, 1, 1, tzinfo=PLUS_FIVE))),
    "bar-time-past-year-9999-in-utc": (
        "time",
        _bar(time=datetime(9999, 12, 31, 23, tzinfo=MINUS_FIVE)),
    ),
    "bar-source-newline": ("source", _bar(source="test\n")),
    "portfolio-cash-five-places": ("cash_balance", _portfolio(cash_balance=Decimal("1.00005"))),
    "portfolio-initial-cash-21-digits": (
        "initial_cash",
        _portfolio(initial_cash=Decimal(10) ** 20),
    ),
    "portfolio-name-lone-surrogate": ("name", _portfolio(name="Main \ud83d")),
    "position-quantity-eleven-places": ("quantity", _position(quantity=Decimal("0.00000000001"))),
    "position-average-price-nine-places": (
        "average_price",
        _position(average_price=Decimal("1.000000001")),
    ),
    "transaction-price-nine-places": ("price", _transaction(price=Decimal("300.000000001"))),
    "transaction-fees-five-places": ("fees", _transaction(fees=Decimal("0.00001"))),
    "transaction-fx-rate-eleven-places": (
        "fx_rate",
        _transaction(fx_rate=Decimal("1.00000000001")),
    ),
    "transaction-fx-rate-eleven-digits": ("fx_rate", _transaction(fx_rate=Decimal(10) ** 10)),
    "transaction-executed-at-datetime-max": (
        "executed_at",
        _transaction(executed_at=datetime.max.replace(tzinfo=UTC)),
    ),
    "transaction-notes-nul": ("notes", _transaction(notes="a\x00b")),
    "transaction-notes-lone-surrogate": ("notes", _transaction(notes="\udc80")),
    "user-birth-date-max-sent-as-infinity": ("date_of_birth", _user(date_of_birth=date.max)),
    "instrument-description-nul": ("description", _instrument(description="\x00")),
    "indicator-time-datetime-min": ("time", _indicator(time=datetime.min.replace(tzinfo=UTC))),
    "indicator-parameters-infinity": ("parameters", _indicator(parameters={"window": INF})),
    "signal-metadata-an-object": ("metadata", _signal(metadata={"at": object()})),
    "signal-metadata-nan": ("metadata", _signal(metadata={"score": NAN})),
    "signal-metadata-int-key": ("metadata", _signal(metadata={1: "one"})),
    "signal-expiry-datetime-max": (
        "expires_at",
        _signal(expires_at=datetime.max.replace(tzinfo=UTC)),
    ),
    "signal-rationale-lone-surrogate": ("rationale", _signal(rationale="\ud800")),
}


async def _find_user(ctx: PersistenceContext, user_id: Any) -> object:
    async with ctx.uow() as uow:
        return await uow.users.find_by_id(user_id)


async def _find_portfolio(ctx: PersistenceContext, portfolio_id: Any) -> object:
    async with ctx.uow() as uow:
        return await uow.portfolios.find_by_id(portfolio_id)


async def test_the_battery_holds_at_least_a_hundred_invalid_inputs() -> None:
    assert len(CASES) >= 100


@pytest.mark.parametrize("case", sorted(CASES))
async def test_an_invalid_input_is_refused_with_a_typed_error_and_writes_nothing(
    ctx: PersistenceContext, world: World, case: str
) -> None:
    expected, attempt = CASES[case]
    before = await _row_counts(ctx)

    with pytest.raises(BoursaDbError) as raised:
        await attempt(ctx, world)

    assert isinstance(raised.value, expected), repr(raised.value)
    assert await _row_counts(ctx) == before
    assert ctx.pool.get_idle_size() == ctx.pool.get_size()


@pytest.mark.parametrize("case", sorted(CHANGED_VALUES))
async def test_a_value_the_database_would_change_is_refused_naming_the_field(
    ctx: PersistenceContext, world: World, case: str
) -> None:
    field, attempt = CHANGED_VALUES[case]
    before = await _row_counts(ctx)

    with pytest.raises(ValidationError) as raised:
        await attempt(ctx, world)

    assert raised.value.field == field, repr(raised.value)
    assert await _row_counts(ctx) == before


@pytest.mark.parametrize("argument", NOT_DOMAIN_OBJECTS.values(), ids=NOT_DOMAIN_OBJECTS.keys())
@pytest.mark.parametrize("method", WRITE_METHODS)
async def test_a_write_method_given_no_domain_object_names_the_type_it_expects(
    ctx: PersistenceContext, world: World, method: str, argument: object
) -> None:
    before = await _row_counts(ctx)

    with pytest.raises(ValidationError) as raised:
        await _write(method, argument)(ctx, world)

    assert raised.value.field is not None, repr(raised.value)
    assert f"expected a {WRITE_METHODS[method]}" in str(raised.value)
    assert await _row_counts(ctx) == before


# --- decisions: empty batches, mixed intervals, SQL in free text ------------------------------


async def test_an_empty_batch_writes_nothing_and_returns_zero(
    ctx: PersistenceContext, world: World
) -> None:
    before = await _row_counts(ctx)
    async with ctx.uow() as uow:
        for mode in ConflictMode:
            assert await uow.market_data.copy([], on_conflict=mode) == 0
            assert await uow.indicators.copy([], on_conflict=mode) == 0
            assert await uow.signals.copy([], on_conflict=mode) == 0
        assert await uow.market_data.find_latest_prices([]) == {}
    assert await _row_counts(ctx) == before


async def test_a_batch_may_mix_intervals_because_the_interval_is_per_row(
    ctx: PersistenceContext, world: World
) -> None:
    time = datetime(2026, 6, 1, tzinfo=UTC)
    bars = [
        make_bar(symbol="MIX", time=time, interval_type=interval)
        for interval in ("1m", "5m", "1h", "1d", "1mo")
    ]
    async with ctx.uow() as uow:
        assert await uow.market_data.copy(bars) == 5
        stored = {
            interval: await uow.market_data.find_latest("MIX", interval)
            for interval in ("1m", "5m", "1h", "1d", "1mo")
        }
        await uow.market_data.delete_range("MIX", "1m", time, time + MINUTE)
        await uow.rollback()  # leave the shared database as the cases expect it

    assert [stored[bar.interval_type.value] for bar in bars] == bars


@pytest.mark.parametrize("payload", INJECTIONS)
async def test_sql_in_free_text_is_stored_verbatim_and_never_executed(
    ctx: PersistenceContext, world: World, payload: str
) -> None:
    before = await _row_counts(ctx)
    async with ctx.uow() as uow:
        user = await uow.users.save(
            make_user(first_name=payload, last_name=payload, timezone=payload[:64])
        )
        portfolio = await uow.portfolios.save(
            make_portfolio(world, user_id=user.id, name=payload, description=payload)
        )
        assert portfolio.id is not None
        trade = await uow.transactions.add(
            make_transaction(world, portfolio_id=portfolio.id, notes=payload, external_id=payload)
        )
        instrument = await uow.instruments.save(
            make_instrument(name=payload, sector=payload, industry=payload, description=payload)
        )
        await uow.signals.copy([make_signal(rationale=payload)])

        assert (await uow.users.get_by_id(user.id)).first_name == payload  # type: ignore[arg-type]
        assert (await uow.portfolios.find_by_name(user.id, payload)) == portfolio  # type: ignore[arg-type]
        assert (await uow.transactions.find_by_external_id(payload)) == trade
        assert [found.id for found in await uow.instruments.search_by_name(payload)] == [
            instrument.id
        ]
        assert await uow.users.find_by_email(payload) is None
        assert await uow.users.find_by_username(payload) is None
        await uow.rollback()

    assert await _row_counts(ctx) == before


async def test_like_wildcards_in_a_search_match_only_themselves(
    ctx: PersistenceContext, world: World
) -> None:
    async with ctx.uow() as uow:
        for text in ("%", "_", "\\", "%%", "A%"):
            assert await uow.instruments.search_by_name(text) == []
        assert [found.symbol for found in await uow.instruments.search_by_name("apple")] == ["AAPL"]


# --- generated input: valid values round-trip, invalid ones never land -----------------------

_valid_symbols = st.from_regex(SYMBOL_PATTERN.pattern.replace("$", r"\Z"), fullmatch=True)
_any_text = st.text(max_size=24)


@CASES_PER_PROPERTY
@given(symbol=st.one_of(_valid_symbols, _any_text))
async def test_any_symbol_either_round_trips_or_is_refused_before_it_lands(
    ctx: PersistenceContext, world: World, symbol: str
) -> None:
    try:
        bar = make_bar(symbol=symbol, time=T0 + 500 * MINUTE)
    except ValidationError:
        event("symbol refused by the domain")
        assert not SYMBOL_PATTERN.fullmatch(symbol) or symbol.endswith("\n")
        return
    event("symbol accepted")
    async with ctx.uow() as uow:
        assert await uow.market_data.copy([bar]) == 1
        assert await uow.market_data.find_latest(symbol) == bar
        await uow.rollback()


@CASES_PER_PROPERTY
@given(price=st.floats(allow_nan=True, allow_infinity=True) | st.integers(-(2**64), 2**64))
async def test_any_price_either_round_trips_exactly_or_never_lands(
    ctx: PersistenceContext, world: World, price: float
) -> None:
    before = await _row_counts(ctx)
    try:
        bar = make_bar(open=price, high=price, low=price, close=price, adjusted_close=price)
    except ValidationError:
        event("price refused by the domain")
        assert not (math.isfinite(price) and price > 0)
        return
    event("price accepted")
    async with ctx.uow() as uow:
        await uow.market_data.copy([bar])
        stored = await uow.market_data.find_latest("MSFT")
        await uow.rollback()
    assert stored is not None
    assert (stored.open, stored.close, stored.adjusted_close) == (float(price),) * 3
    assert await _row_counts(ctx) == before


# Any text, text with what PostgreSQL cannot hold (NUL, a lone surrogate), text too long.
_short_text = st.text(max_size=40)
_text_of_any_character = st.one_of(
    st.text(max_size=100),
    st.tuples(_short_text, st.sampled_from(["\x00", "\ud800", "\udfff"]), _short_text).map("".join),
    st.text(min_size=101, max_size=130),
)


@CASES_PER_PROPERTY
@given(name=_text_of_any_character)
async def test_any_text_either_round_trips_exactly_or_never_lands(
    ctx: PersistenceContext, world: World, name: str
) -> None:
    before = await _row_counts(ctx)
    try:
        async with ctx.uow() as uow:
            user = await uow.users.save(make_user(first_name=name, last_name=name[::-1]))
            assert user.id is not None
            stored = await uow.users.get_by_id(user.id)
            await uow.rollback()
    except ValidationError:
        event("text refused")
        assert len(name) > 100 or "\x00" in name or _has_surrogate(name)
    else:
        event("text round-tripped")
        assert (stored.first_name, stored.last_name) == (name, name[::-1])
    assert await _row_counts(ctx) == before


def _has_surrogate(text: str) -> bool:
    return any(0xD800 <= ord(character) <= 0xDFFF for character in text)


@CASES_PER_PROPERTY
@given(cash=st.decimals(allow_nan=True, allow_infinity=True))
async def test_any_amount_of_cash_is_stored_exactly_or_never_lands(
    ctx: PersistenceContext, world: World, cash: Decimal
) -> None:
    before = await _row_counts(ctx)
    try:
        async with ctx.uow() as uow:
            portfolio = await uow.portfolios.save(make_portfolio(world, cash_balance=cash))
            await uow.rollback()
    except ValidationError:
        event("amount refused")
        assert not cash.is_finite() or cash < 0 or not _fits_numeric_24_4(cash)
    else:
        event("amount stored")
        assert portfolio.cash_balance == cash
    assert await _row_counts(ctx) == before


def _fits_numeric_24_4(amount: Decimal) -> bool:
    """numeric(24, 4) holds, unrounded, up to 20 digits before the point and 4 after it."""
    return abs(amount) < Decimal(10) ** 20 and amount == amount.quantize(
        Decimal("0.0001"), context=Context(prec=100)
    )


async def test_nothing_was_left_behind_by_the_module(ctx: PersistenceContext, world: World) -> None:
    counts = await _row_counts(ctx)

    assert counts["users"] == 1
    assert counts["portfolios"] == 1
    assert counts["market_data"] == len(world.bars)
    assert counts["transactions"] == 1
    async with ctx.pool.acquire() as connection:
        assert await connection.fetchval("SELECT count(*) FROM pg_tables WHERE tablename = 'users'")
        assert isinstance(connection, asyncpg.pool.PoolConnectionProxy)
