"""Market-data shapes: latest prices (four ways of asking), the latest bar of one symbol, the
one-minute series (as bars and as columns), the market summary and the gaps of a series."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ARRAY, Text, bindparam, func, select, true
from sqlalchemy.orm import aliased

from benchmarks import floor as floor_sql
from benchmarks.dataset import BARS_PER_DAY, UNKNOWN_SYMBOL
from benchmarks.harness import Contenders
from benchmarks.orm import MarketDataRow
from benchmarks.peers import Statement
from benchmarks.shapes import (
    ONE_DAY,
    ONE_MINUTE,
    SQL_WAYS,
    Params,
    Shape,
    Way,
    floor_way,
    require_found,
    sql_ways,
)

# --- latest prices -----------------------------------------------------------------------------


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


def _by_symbol(result: Any) -> Any:
    return sorted((symbol, bar.time, bar.close) for symbol, bar in result.items())


def _latest_rows(result: Any) -> Any:
    return sorted((row["symbol"], row["time"], row["close"]) for row in result)


def _latest(
    symbols_of: Callable[[Params], list[str]], interval: str
) -> Callable[[Contenders, Params], dict[str, Way]]:
    def build(c: Contenders, p: Params) -> dict[str, Way]:
        symbols = symbols_of(p)
        market_data = c.context.market_data
        sessions = c.sessions

        async def boursa() -> Any:
            return await market_data.find_latest_prices(symbols, interval)

        async def orm() -> Any:
            async with sessions() as session:
                rows = (await session.scalars(_latest_distinct_on(symbols))).all()
            return {row.symbol: row for row in rows}

        async def orm_lateral() -> Any:
            async with sessions() as session:
                rows = (await session.scalars(_latest_lateral(symbols))).all()
            return {row.symbol: row for row in rows}

        statement = Statement(
            query="find_latest_prices", values={"symbols": symbols, "interval_type": interval}
        )
        return {
            "boursa_db": (boursa, _by_symbol),
            **sql_ways(c, [statement], _latest_rows),
            "floor": floor_way(c, floor_sql.LATEST_PRICES, symbols, interval, answer=_latest_rows),
            "sqlalchemy": (orm, _by_symbol),
            "sqlalchemy_lateral": (orm_lateral, _by_symbol),
        }

    return build


def _every_symbol_found(answer: Any, p: Params) -> None:
    assert [row[0] for row in answer] == sorted(p.symbols), "a latest price is missing"


def _mixed_found(answer: Any, p: Params) -> None:
    found = [row[0] for row in answer]
    expected = sorted(symbol for symbol in p.mixed_symbols if symbol != UNKNOWN_SYMBOL)
    assert found == expected, f"mixed symbols: found {found}, expected {expected}"


def _stale_found(answer: Any, p: Params) -> None:
    assert [row[0] for row in answer] == [p.stale_symbol], "the stale symbol was not found"


# --- the latest bar of one symbol ------------------------------------------------------------


def latest_bar(c: Contenders, p: Params) -> dict[str, Way]:
    symbol = p.series_symbol
    market_data = c.context.market_data

    async def boursa() -> Any:
        return await market_data.find_latest(symbol)

    def bar(result: Any) -> Any:
        return result.time, result.close

    def row(result: Any) -> Any:
        return result["time"], result["close"]

    statement = Statement(
        query="market_data_find_latest",
        values={"symbol": symbol, "interval_type": ONE_MINUTE},
        one=True,
    )
    return {
        "boursa_db": (boursa, bar),
        **sql_ways(c, [statement], row),
        "floor": floor_way(c, floor_sql.LATEST_BAR, symbol, ONE_MINUTE, answer=row, one=True),
    }


# --- the one-minute series -------------------------------------------------------------------


def series(c: Contenders, p: Params) -> dict[str, Way]:
    return _series(c, p.series_symbol, p.series_start, p.series_end)


def last_session(c: Contenders, p: Params) -> dict[str, Way]:
    return _series(c, p.series_symbol, p.series_end - timedelta(days=1), p.series_end)


def _series(c: Contenders, symbol: str, start: datetime, end: datetime) -> dict[str, Way]:
    market_data = c.context.market_data
    sessions = c.sessions

    async def boursa() -> Any:
        return await market_data.find_by_symbol_and_timerange(symbol, start, end)

    async def boursa_columns() -> Any:
        return await market_data.find_series_columns(symbol, start, end)

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

    def rows(result: Any) -> Any:
        return [(row["time"], row["close"], row["volume"]) for row in result]

    def columns(result: Any) -> Any:
        return list(zip(result.time, result.close, result.volume, strict=True))

    values = {"symbol": symbol, "interval_type": ONE_MINUTE, "start": start, "end": end}
    return {
        "boursa_db": (boursa, bars),
        "boursa_db_columns": (boursa_columns, columns),
        **sql_ways(c, [Statement(query="market_data_find_range", values=values)], rows),
        "floor": floor_way(c, floor_sql.RANGE, symbol, ONE_MINUTE, start, end, answer=rows),
        "sqlalchemy": (orm, bars),
    }


def _series_complete(answer: Any, p: Params) -> None:
    assert len(answer) == p.series_bars, f"{len(answer)} bars, expected {p.series_bars}"


def _session_complete(answer: Any, p: Params) -> None:
    assert len(answer) == BARS_PER_DAY, f"{len(answer)} bars, expected {BARS_PER_DAY}"


# --- market summary --------------------------------------------------------------------------


def market_summary(c: Contenders, p: Params) -> dict[str, Way]:
    symbols, now = list(p.symbols), p.summary_now
    market_data = c.context.market_data

    async def boursa() -> Any:
        return await market_data.market_summary(symbols, now)

    def summaries(result: Any) -> Any:
        return [
            (
                item.symbol,
                item.latest.time,
                item.latest.close,
                round(item.average_close_30d, 6),
                item.bar_count_30d,
            )
            for item in result
        ]

    def rows(result: Any) -> Any:
        return [
            (
                row["symbol"],
                row["time"],
                row["close"],
                round(row["average_close"], 6),
                row["bar_count"],
            )
            for row in result
        ]

    values = {"symbols": symbols, "interval_type": ONE_MINUTE, "now": now}
    return {
        "boursa_db": (boursa, summaries),
        **sql_ways(c, [Statement(query="market_data_summary", values=values)], rows),
        "floor": floor_way(c, floor_sql.MARKET_SUMMARY, symbols, ONE_MINUTE, now, answer=rows),
    }


# --- gaps ------------------------------------------------------------------------------------


def find_gaps(c: Contenders, p: Params) -> dict[str, Way]:
    symbol, start, end, limit = p.series_symbol, p.series_start, p.series_end, 1000
    market_data = c.context.market_data
    step = timedelta(minutes=1)

    async def boursa() -> Any:
        return await market_data.find_gaps(symbol, ONE_MINUTE, start, end, max_results=limit)

    def gaps(result: Any) -> Any:
        return [(gap.gap_start, gap.gap_end, gap.missing_bars) for gap in result]

    def rows(result: Any) -> Any:
        return [(row["gap_start"], row["gap_end"], row["missing_bars"]) for row in result]

    values = {
        "symbol": symbol,
        "interval_type": ONE_MINUTE,
        "start": start,
        "end": end,
        "step": step,
        "max_results": limit,
    }
    return {
        "boursa_db": (boursa, gaps),
        **sql_ways(c, [Statement(query="market_data_find_gaps", values=values)], rows),
        "floor": floor_way(
            c, floor_sql.GAPS, symbol, ONE_MINUTE, start, end, step, limit, answer=rows
        ),
    }


MARKET_SHAPES = (
    Shape(
        name="latest_prices",
        title="Latest prices, 5 symbols, 1m",
        contenders=(*SQL_WAYS, "sqlalchemy", "sqlalchemy_lateral"),
        build=_latest(lambda p: list(p.symbols), ONE_MINUTE),
        check=_every_symbol_found,
        at_every_depth=True,
    ),
    Shape(
        name="latest_prices_1d",
        title="Latest prices, 5 symbols, 1d",
        contenders=SQL_WAYS,
        build=_latest(lambda p: list(p.symbols), ONE_DAY),
        check=_every_symbol_found,
        at_every_depth=True,
    ),
    Shape(
        name="latest_prices_mixed",
        title="Latest prices, mixed: 3 live, 1 stale 400 days, 1 unknown, 1m",
        contenders=SQL_WAYS,
        build=_latest(lambda p: list(p.mixed_symbols), ONE_MINUTE),
        check=_mixed_found,
    ),
    Shape(
        name="latest_price_stale",
        title="Latest price of a symbol last traded 400 days ago, 1d",
        contenders=SQL_WAYS,
        build=_latest(lambda p: [p.stale_symbol or ""], ONE_DAY),
        check=_stale_found,
    ),
    Shape(
        name="latest_bar",
        title="Latest bar of one symbol (find_latest), 1m",
        contenders=SQL_WAYS,
        build=latest_bar,
        check=lambda answer, p: require_found(answer, "latest bar"),
        at_every_depth=True,
    ),
    Shape(
        name="series_30d",
        title="1-minute series, up to 30 sessions",
        contenders=(*SQL_WAYS, "boursa_db_columns", "sqlalchemy"),
        build=series,
        check=_series_complete,
        at_every_depth=True,
    ),
    Shape(
        name="series_1d",
        title="1-minute series, the last session (390 bars)",
        contenders=(*SQL_WAYS, "boursa_db_columns", "sqlalchemy"),
        build=last_session,
        check=_session_complete,
        at_every_depth=True,
    ),
    Shape(
        name="market_summary",
        title="Market summary, 5 symbols (7/30-day windows)",
        contenders=SQL_WAYS,
        build=market_summary,
        check=lambda answer, p: require_found(answer, "market summary"),
        at_every_depth=True,
    ),
    Shape(
        name="find_gaps",
        title="Gaps of the 1-minute series",
        contenders=SQL_WAYS,
        build=find_gaps,
        check=lambda answer, p: require_found(answer, "gaps"),
        at_every_depth=True,
    ),
)
