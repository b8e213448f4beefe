"""The query shapes: each written every way it is measured, plus what every way must answer.

Every way returns what its approach naturally gives a caller: boursa_db domain objects, rows
(asyncpg Records, SQLAlchemy mappings, psycopg dicts), ORM instances. A shape's ``answer``
functions reduce each result to plain values so that the suite checks all ways agree before
timing them.

Ways:

* ``boursa_db`` -- the repository method, outside a Unit of Work (``ctx.market_data`` ...);
* ``asyncpg`` -- the library's SQL text (``default_library()[name].sql``) on a raw asyncpg pool
  with the library's session settings: "same SQL", it measures the mapping;
* ``floor`` -- raw asyncpg running the best query for the shape on plain copies of the rows
  (:mod:`benchmarks.floor`): the physical floor;
* ``sqlalchemy_core``, ``aiosql``, ``psycopg`` -- the peers (:mod:`benchmarks.peers`);
* ``sqlalchemy`` -- the ORM written idiomatically (the old layer's approach), where the shape
  existed before; ``sqlalchemy_lateral`` -- latest prices in the ORM with the library's plan;
* ``boursa_db_columns`` -- the series as one columnar object (``find_series_columns``).

The shapes themselves are in :mod:`benchmarks.shapes_market` and
:mod:`benchmarks.shapes_accounts`; ``SHAPES`` lists them all.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable, Sequence
from datetime import date, datetime
from typing import Any

import attrs

from benchmarks.harness import Contenders, raw_query
from benchmarks.peers import PEERS, Statement, peer_calls

Call = Callable[[], Awaitable[Any]]
Answer = Callable[[Any], Any]
Way = tuple[Call, Answer]
ONE_MINUTE = "1m"
ONE_DAY = "1d"
SQL_WAYS = ("boursa_db", "asyncpg", "floor", *PEERS)
"""The ways every shape has."""
STEP_WAYS = ("boursa_db", "asyncpg", "floor")
"""The ways measured at every depth of history."""


@attrs.frozen(kw_only=True)
class Params:
    """The arguments of every shape, fixed for the run (or for one depth of history)."""

    symbols: tuple[str, ...]
    mixed_symbols: tuple[str, ...]
    stale_symbol: str | None
    series_symbol: str
    series_start: datetime
    series_end: datetime
    series_bars: int
    summary_now: datetime
    portfolio_id: uuid.UUID | None = None
    user_email: str | None = None
    summary_start: date | None = None
    summary_end: date | None = None


@attrs.frozen(kw_only=True)
class Shape:
    """One shape: its ways, how to build them, and what its reference answer must satisfy."""

    name: str
    title: str
    contenders: tuple[str, ...]
    build: Callable[[Contenders, Params], dict[str, Way]]
    check: Callable[[Any, Params], None] = lambda answer, params: None
    """Raises AssertionError when the reference answer is not what the dataset holds."""
    at_every_depth: bool = False
    """Also measured at every depth of history (its answer does not grow with history)."""


def sql_ways(c: Contenders, statements: Sequence[Statement], answer: Answer) -> dict[str, Way]:
    """``asyncpg`` and the peers running the library's statements, reduced by one ``answer``
    that reads rows by column name (a Record, a mapping and a dict all allow it)."""
    prepared = [
        (*raw_query(statement.query, **statement.values), statement.one) for statement in statements
    ]
    pool = c.pool

    async def raw() -> Any:
        results = []
        async with pool.acquire() as connection:
            for sql, args, one in prepared:
                fetch = connection.fetchrow if one else connection.fetch
                results.append(await fetch(sql, *args))
        return results[0] if len(results) == 1 else tuple(results)

    ways: dict[str, Way] = {"asyncpg": (raw, answer)}
    if c.peers is not None:
        ways.update(
            {name: (call, answer) for name, call in peer_calls(c.peers, statements).items()}
        )
    return ways


def floor_way(c: Contenders, sql: str, *args: Any, answer: Answer, one: bool = False) -> Way:
    """Raw asyncpg running ``sql`` (a statement of :mod:`benchmarks.floor`) on the floor pool."""
    pool = c.floor_pool

    async def floor() -> Any:
        async with pool.acquire() as connection:
            if one:
                return await connection.fetchrow(sql, *args)
            return await connection.fetch(sql, *args)

    return floor, answer


def require_found(answer: Any, message: str) -> None:
    if not answer:
        raise AssertionError(f"{message}: the dataset is not what the shape expects")


def _all_shapes() -> tuple[Shape, ...]:
    from benchmarks.shapes_accounts import ACCOUNT_SHAPES
    from benchmarks.shapes_market import MARKET_SHAPES

    return (*MARKET_SHAPES, *ACCOUNT_SHAPES)


SHAPES = _all_shapes()
