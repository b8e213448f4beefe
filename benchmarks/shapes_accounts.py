"""Account shapes and summaries: a portfolio valued at the latest prices, a portfolio with its
positions, a user by e-mail, a year of daily summaries."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from benchmarks import floor as floor_sql
from benchmarks.harness import Contenders
from benchmarks.orm import DailySummaryRow, PortfolioRow, UserRow
from benchmarks.peers import Statement
from benchmarks.shapes import ONE_MINUTE, SQL_WAYS, Params, Shape, Way, floor_way, sql_ways
from benchmarks.shapes_market import _latest_distinct_on

WITH_ORM = (*SQL_WAYS, "sqlalchemy")


def _valued(rows: Any) -> Decimal:
    market_value = sum(
        (
            row["quantity"] * Decimal(repr(row["last_price"]))
            for row in rows
            if row["last_price"] is not None
        ),
        Decimal(0),
    )
    return rows[0]["cash_balance"] + market_value


def portfolio_valuation(c: Contenders, p: Params) -> dict[str, Way]:
    assert p.portfolio_id is not None
    portfolio_id = p.portfolio_id
    portfolios = c.context.portfolios
    sessions = c.sessions

    async def boursa() -> Any:
        return await portfolios.valuation(portfolio_id)

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

    values = {"portfolio_id": portfolio_id, "interval_type": ONE_MINUTE}
    return {
        "boursa_db": (boursa, total),
        **sql_ways(c, [Statement(query="portfolio_valuation", values=values)], _valued),
        "floor": floor_way(c, floor_sql.VALUATION, portfolio_id, ONE_MINUTE, answer=_valued),
        "sqlalchemy": (orm, lambda value: value),
    }


def portfolio_by_id(c: Contenders, p: Params) -> dict[str, Way]:
    assert p.portfolio_id is not None
    portfolio_id = p.portfolio_id
    portfolios = c.context.portfolios
    sessions = c.sessions

    async def boursa() -> Any:
        return await portfolios.find_by_id(portfolio_id)

    async def orm() -> Any:
        async with sessions() as session:
            return await session.get(
                PortfolioRow, portfolio_id, options=[selectinload(PortfolioRow.positions)]
            )

    def aggregate(result: Any) -> Any:
        return result.version, [(item.symbol, item.quantity) for item in result.positions]

    def two_results(result: Any) -> Any:
        row, positions = result
        return row["version"], [(item["symbol"], item["quantity"]) for item in positions]

    def joined(rows: Any) -> Any:
        held = [(row["symbol"], row["quantity"]) for row in rows if row["symbol"] is not None]
        return rows[0]["version"], held

    statements = [
        Statement(query="portfolio_find_by_id", values={"id": portfolio_id}, one=True),
        Statement(query="portfolio_positions", values={"portfolio_ids": [portfolio_id]}),
    ]
    return {
        "boursa_db": (boursa, aggregate),
        **sql_ways(c, statements, two_results),
        "floor": floor_way(c, floor_sql.PORTFOLIO_WITH_POSITIONS, portfolio_id, answer=joined),
        "sqlalchemy": (orm, aggregate),
    }


def user_by_email(c: Contenders, p: Params) -> dict[str, Way]:
    assert p.user_email is not None
    email = p.user_email
    users = c.context.users
    sessions = c.sessions

    async def boursa() -> Any:
        return await users.find_by_email(email)

    async def orm() -> Any:
        statement = select(UserRow).where(func.lower(UserRow.email) == func.lower(email))
        async with sessions() as session:
            return await session.scalar(statement)

    def user(result: Any) -> Any:
        return result.id, result.email, result.updated_at

    def row(result: Any) -> Any:
        return result["id"], result["email"], result["updated_at"]

    statement = Statement(query="user_find_by_email", values={"email": email}, one=True)
    return {
        "boursa_db": (boursa, user),
        **sql_ways(c, [statement], row),
        "floor": floor_way(c, floor_sql.USER_BY_EMAIL, email, answer=row, one=True),
        "sqlalchemy": (orm, user),
    }


def daily_summary(c: Contenders, p: Params) -> dict[str, Way]:
    assert p.summary_start is not None
    assert p.summary_end is not None
    symbol, first, last = p.series_symbol, p.summary_start, p.summary_end
    summaries = c.context.summaries
    sessions = c.sessions
    start = datetime.combine(first, time(), UTC)
    end = datetime.combine(last + timedelta(days=1), time(), UTC)

    async def boursa() -> Any:
        return await summaries.daily_summaries([symbol], first, last)

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
        return [(item.day, item.close, item.volume, item.bar_count) for item in result]

    def rows(result: Any) -> Any:
        return [(row["day"], row["close"], row["volume"], row["bar_count"]) for row in result]

    def buckets(result: Any) -> Any:
        return [(item.day.date(), item.close, item.volume, item.bar_count) for item in result]

    values = {
        "symbols": [symbol],
        "interval_type": ONE_MINUTE,
        "start_date": first,
        "end_date": last,
    }
    return {
        "boursa_db": (boursa, days),
        **sql_ways(c, [Statement(query="summary_daily", values=values)], rows),
        "floor": floor_way(
            c, floor_sql.DAILY_SUMMARY, [symbol], ONE_MINUTE, start, end, answer=rows
        ),
        "sqlalchemy": (orm, buckets),
    }


def _found(answer: Any, p: Params) -> None:
    assert answer, "nothing found: the dataset is not what the shape expects"


ACCOUNT_SHAPES = (
    Shape(
        name="portfolio_valuation",
        title="Portfolio valued at latest prices",
        contenders=WITH_ORM,
        build=portfolio_valuation,
        check=_found,
    ),
    Shape(
        name="portfolio_by_id",
        title="Portfolio with positions",
        contenders=WITH_ORM,
        build=portfolio_by_id,
        check=_found,
    ),
    Shape(
        name="user_by_email",
        title="User by e-mail",
        contenders=WITH_ORM,
        build=user_by_email,
        check=_found,
    ),
    Shape(
        name="daily_summary_year",
        title="Daily summaries, 1-year window (1m bars)",
        contenders=WITH_ORM,
        build=daily_summary,
        check=_found,
    ),
)
