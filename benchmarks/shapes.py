"""The seed's query shapes, each written three ways (and a few variants that explain a ratio).

Every implementation returns what its approach naturally gives a caller: boursa_db domain
objects, asyncpg Records, ORM instances. ``answer`` reduces each result to plain values so the
suite can check that all ways agree before timing them.

Contenders:

* ``boursa_db`` -- the repository method, outside a Unit of Work (``ctx.market_data`` ...);
* ``asyncpg`` -- the identical SQL text (``default_library()[name].sql``) on a raw asyncpg pool;
* ``sqlalchemy`` -- the ORM written idiomatically; for latest prices that is the seed's own
  ``DISTINCT ON (symbol)``, which reads every bar of the symbols;
* ``sqlalchemy_lateral`` -- latest prices in the ORM with the library's plan (one LATERAL probe
  per symbol), to separate the ORM's per-call cost from the plan's;
* ``boursa_db_columns`` -- the series as one columnar object
  (:meth:`~boursa_db.repositories.market_data.MarketDataRepository.find_series_columns`);
* ``boursa_db_no_tx`` -- a prototype: the library's repository on a pooled session that does not
  wrap the call in BEGIN/COMMIT (:class:`benchmarks.harness.StatementSession`).
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

import attrs
from sqlalchemy import ARRAY, Text, bindparam, func, select, true
from sqlalchemy.orm import aliased, selectinload

from benchmarks.harness import Contenders, raw_query, statement_session
from benchmarks.orm import DailySummaryRow, MarketDataRow, PortfolioRow, UserRow
from boursa_db.repositories.market_data import MarketDataRepository
from boursa_db.repositories.portfolios import PortfolioRepository
from boursa_db.repositories.summaries import SummaryRepository
from boursa_db.repositories.users import UserRepository

Call = Callable[[], Awaitable[Any]]
Answer = Callable[[Any], Any]
ONE_MINUTE = "1m"


@attrs.frozen(kw_only=True)
class Params:
    """The arguments of every shape, fixed for the run."""

    symbols: tuple[str, ...]
    series_symbol: str
    series_start: datetime
    series_end: datetime
    portfolio_id: uuid.UUID
    user_email: str
    summary_start: date
    summary_end: date


@attrs.frozen(kw_only=True)
class Shape:
    name: str
    title: str
    contenders: tuple[str, ...]
    build: Callable[[Contenders, Params], dict[str, tuple[Call, Answer]]]


# --- latest prices for 5 symbols -------------------------------------------------------------


def _latest_distinct_on(symbols: list[str]) -> Any:
    return (
        select(MarketDataRow)
        .where(MarketDataRow.symbol.in_(symbols), MarketDataRow.interval_type == ONE_MINUTE)
        .order_by(MarketDataRow.symbol, MarketDataRow.time.desc())
        .distinct(MarketDataRow.symbol)
    )


def _latest_lateral(symbols: list[str]) -> Any:
    wanted = (
        func.unnest(bindparam("symbols", symbols, type_=ARRAY(Text)))
        .table_valued("symbol")
        .render_derived(name="s")
    )
    newest = (
        select(MarketDataRow)
        .where(MarketDataRow.symbol == wanted.c.symbol, MarketDataRow.interval_type == ONE_MINUTE)
        .order_by(MarketDataRow.time.desc())
        .limit(1)
        .lateral("b")
    )
    bar = aliased(MarketDataRow, newest)
    return select(bar).select_from(wanted).join(newest, true()).order_by(bar.symbol)


def latest_prices(c: Contenders, p: Params) -> dict[str, tuple[Call, Answer]]:
    symbols = list(p.symbols)
    sql, args = raw_query("find_latest_prices", symbols=symbols, interval_type=ONE_MINUTE)
    market_data = c.context.market_data
    no_tx = MarketDataRepository(statement_session(c.context), c.context.queries)
    pool, sessions = c.pool, c.sessions

    async def boursa() -> Any:
        return await market_data.find_latest_prices(symbols)

    async def boursa_no_tx() -> Any:
        return await no_tx.find_latest_prices(symbols)

    async def raw() -> Any:
        async with pool.acquire() as connection:
            return await connection.fetch(sql, *args)

    async def orm() -> Any:
        async with sessions() as session:
            rows = (await session.scalars(_latest_distinct_on(symbols))).all()
        return {row.symbol: row for row in rows}

    async def orm_lateral() -> Any:
        async with sessions() as session:
            rows = (await session.scalars(_latest_lateral(symbols))).all()
        return {row.symbol: row for row in rows}

    def by_symbol(result: Any) -> Any:
        return sorted((symbol, bar.time, bar.close) for symbol, bar in result.items())

    def records(result: Any) -> Any:
        return sorted((row["symbol"], row["time"], row["close"]) for row in result)

    return {
        "boursa_db": (boursa, by_symbol),
        "boursa_db_no_tx": (boursa_no_tx, by_symbol),
        "asyncpg": (raw, records),
        "sqlalchemy": (orm, by_symbol),
        "sqlalchemy_lateral": (orm_lateral, by_symbol),
    }


# --- 30-day one-minute series ----------------------------------------------------------------


def series(c: Contenders, p: Params) -> dict[str, tuple[Call, Answer]]:
    symbol, start, end = p.series_symbol, p.series_start, p.series_end
    sql, args = raw_query(
        "market_data_find_range", symbol=symbol, interval_type=ONE_MINUTE, start=start, end=end
    )
    market_data = c.context.market_data
    no_tx = MarketDataRepository(statement_session(c.context), c.context.queries)
    pool, sessions = c.pool, c.sessions

    async def boursa() -> Any:
        return await market_data.find_by_symbol_and_timerange(symbol, start, end)

    async def boursa_no_tx() -> Any:
        return await no_tx.find_by_symbol_and_timerange(symbol, start, end)

    async def boursa_columns() -> Any:
        return await market_data.find_series_columns(symbol, start, end)

    async def raw() -> Any:
        async with pool.acquire() as connection:
            return await connection.fetch(sql, *args)

    async def orm() -> Any:
        statement = (
            select(MarketDataRow)
            .where(
                MarketDataRow.symbol == symbol,
                MarketDataRow.interval_type == ONE_MINUTE,
                MarketDataRow.time >= start,
                MarketDataRow.time < end,
            )
            .order_by(MarketDataRow.time)
        )
        async with sessions() as session:
            return (await session.scalars(statement)).all()

    def bars(result: Any) -> Any:
        return [(bar.time, bar.close, bar.volume) for bar in result]

    def records(result: Any) -> Any:
        return [(row["time"], row["close"], row["volume"]) for row in result]

    def columns(result: Any) -> Any:
        return list(zip(result.time, result.close, result.volume, strict=True))

    return {
        "boursa_db": (boursa, bars),
        "boursa_db_no_tx": (boursa_no_tx, bars),
        "boursa_db_columns": (boursa_columns, columns),
        "asyncpg": (raw, records),
        "sqlalchemy": (orm, bars),
    }


# --- portfolio valued at the latest prices ---------------------------------------------------


def portfolio_valuation(c: Contenders, p: Params) -> dict[str, tuple[Call, Answer]]:
    portfolio_id = p.portfolio_id
    sql, args = raw_query(
        "portfolio_valuation", portfolio_id=portfolio_id, interval_type=ONE_MINUTE
    )
    portfolios = c.context.portfolios
    no_tx = PortfolioRepository(statement_session(c.context), c.context.queries)
    pool, sessions = c.pool, c.sessions

    async def boursa() -> Any:
        return await portfolios.valuation(portfolio_id)

    async def boursa_no_tx() -> Any:
        return await no_tx.valuation(portfolio_id)

    async def raw() -> Any:
        async with pool.acquire() as connection:
            return await connection.fetch(sql, *args)

    async def orm() -> Any:
        async with sessions() as session:
            portfolio = await session.get(
                PortfolioRow, portfolio_id, options=[selectinload(PortfolioRow.positions)]
            )
            held = [position.symbol for position in portfolio.positions]
            latest = (await session.scalars(_latest_distinct_on(held))).all()
        prices = {bar.symbol: bar.close for bar in latest}
        market_value = sum(
            (
                position.quantity * Decimal(repr(prices[position.symbol]))
                for position in portfolio.positions
                if position.symbol in prices
            ),
            Decimal(0),
        )
        return portfolio.cash_balance + market_value

    def total(result: Any) -> Any:
        return result.total_value

    def records(result: Any) -> Any:
        market_value = sum(
            (row["quantity"] * Decimal(repr(row["last_price"])) for row in result),
            Decimal(0),
        )
        return result[0]["cash_balance"] + market_value

    return {
        "boursa_db": (boursa, total),
        "boursa_db_no_tx": (boursa_no_tx, total),
        "asyncpg": (raw, records),
        "sqlalchemy": (orm, lambda value: value),
    }


# --- portfolio with its positions (the aggregate) --------------------------------------------


def portfolio_by_id(c: Contenders, p: Params) -> dict[str, tuple[Call, Answer]]:
    portfolio_id = p.portfolio_id
    portfolio_sql, portfolio_args = raw_query("portfolio_find_by_id", id=portfolio_id)
    positions_sql, positions_args = raw_query("portfolio_positions", portfolio_ids=[portfolio_id])
    portfolios = c.context.portfolios
    no_tx = PortfolioRepository(statement_session(c.context), c.context.queries)
    pool, sessions = c.pool, c.sessions

    async def boursa() -> Any:
        return await portfolios.find_by_id(portfolio_id)

    async def boursa_no_tx() -> Any:
        return await no_tx.find_by_id(portfolio_id)

    async def raw() -> Any:
        async with pool.acquire() as connection:
            row = await connection.fetchrow(portfolio_sql, *portfolio_args)
            return row, await connection.fetch(positions_sql, *positions_args)

    async def orm() -> Any:
        async with sessions() as session:
            return await session.get(
                PortfolioRow, portfolio_id, options=[selectinload(PortfolioRow.positions)]
            )

    def aggregate(result: Any) -> Any:
        return result.version, [(item.symbol, item.quantity) for item in result.positions]

    def records(result: Any) -> Any:
        row, positions = result
        return row["version"], [(item["symbol"], item["quantity"]) for item in positions]

    return {
        "boursa_db": (boursa, aggregate),
        "boursa_db_no_tx": (boursa_no_tx, aggregate),
        "asyncpg": (raw, records),
        "sqlalchemy": (orm, aggregate),
    }


# --- user by e-mail --------------------------------------------------------------------------


def user_by_email(c: Contenders, p: Params) -> dict[str, tuple[Call, Answer]]:
    email = p.user_email
    sql, args = raw_query("user_find_by_email", email=email)
    users = c.context.users
    no_tx = UserRepository(statement_session(c.context), c.context.queries)
    pool, sessions = c.pool, c.sessions

    async def boursa() -> Any:
        return await users.find_by_email(email)

    async def boursa_no_tx() -> Any:
        return await no_tx.find_by_email(email)

    async def raw() -> Any:
        async with pool.acquire() as connection:
            return await connection.fetchrow(sql, *args)

    async def orm() -> Any:
        statement = select(UserRow).where(func.lower(UserRow.email) == func.lower(email))
        async with sessions() as session:
            return await session.scalar(statement)

    def user(result: Any) -> Any:
        return result.id, result.email, result.updated_at

    def record(result: Any) -> Any:
        return result["id"], result["email"], result["updated_at"]

    return {
        "boursa_db": (boursa, user),
        "boursa_db_no_tx": (boursa_no_tx, user),
        "asyncpg": (raw, record),
        "sqlalchemy": (orm, user),
    }


# --- daily summary for a year ----------------------------------------------------------------


def daily_summary(c: Contenders, p: Params) -> dict[str, tuple[Call, Answer]]:
    symbol, first, last = p.series_symbol, p.summary_start, p.summary_end
    sql, args = raw_query(
        "summary_daily",
        symbols=[symbol],
        interval_type=ONE_MINUTE,
        start_date=first,
        end_date=last,
    )
    summaries = c.context.summaries
    no_tx = SummaryRepository(statement_session(c.context), c.context.queries)
    pool, sessions = c.pool, c.sessions
    start = datetime.combine(first, time(), UTC)
    end = datetime.combine(last + timedelta(days=1), time(), UTC)

    async def boursa() -> Any:
        return await summaries.daily_summaries([symbol], first, last)

    async def boursa_no_tx() -> Any:
        return await no_tx.daily_summaries([symbol], first, last)

    async def raw() -> Any:
        async with pool.acquire() as connection:
            return await connection.fetch(sql, *args)

    async def orm() -> Any:
        statement = (
            select(DailySummaryRow)
            .where(
                DailySummaryRow.symbol == symbol,
                DailySummaryRow.interval_type == ONE_MINUTE,
                DailySummaryRow.day >= start,
                DailySummaryRow.day < end,
            )
            .order_by(DailySummaryRow.day)
        )
        async with sessions() as session:
            return (await session.scalars(statement)).all()

    def days(result: Any) -> Any:
        return [(row.day, row.close, row.volume, row.bar_count) for row in result]

    def records(result: Any) -> Any:
        return [(row["day"], row["close"], row["volume"], row["bar_count"]) for row in result]

    def buckets(result: Any) -> Any:
        return [(row.day.date(), row.close, row.volume, row.bar_count) for row in result]

    return {
        "boursa_db": (boursa, days),
        "boursa_db_no_tx": (boursa_no_tx, days),
        "asyncpg": (raw, records),
        "sqlalchemy": (orm, buckets),
    }


WAYS = ("boursa_db", "asyncpg", "sqlalchemy", "boursa_db_no_tx")
SHAPES = (
    Shape(
        name="latest_prices",
        title="Latest prices, 5 symbols",
        contenders=(*WAYS, "sqlalchemy_lateral"),
        build=latest_prices,
    ),
    Shape(
        name="series_30d",
        title="30-day 1-minute series",
        contenders=(*WAYS, "boursa_db_columns"),
        build=series,
    ),
    Shape(
        name="portfolio_valuation",
        title="Portfolio valued at latest prices",
        contenders=WAYS,
        build=portfolio_valuation,
    ),
    Shape(
        name="portfolio_by_id",
        title="Portfolio with positions",
        contenders=WAYS,
        build=portfolio_by_id,
    ),
    Shape(
        name="user_by_email",
        title="User by e-mail",
        contenders=WAYS,
        build=user_by_email,
    ),
    Shape(
        name="daily_summary_year",
        title="Daily summary, 1-year window",
        contenders=WAYS,
        build=daily_summary,
    ),
)
