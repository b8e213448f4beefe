"""The peers: what a user would pick instead of boursa_db, running the library's SQL text.

Each is set up the way its documentation recommends for a service that reads, on its own pool
of the same size, with the same session settings (UTC, JIT off) and no transaction around a
lone read (autocommit), which is what boursa_db is asked to do too:

* ``sqlalchemy_core`` -- SQLAlchemy 2 Core, ``create_async_engine("postgresql+asyncpg://...",
  isolation_level="AUTOCOMMIT")``, the statement as ``text()`` with named parameters, rows as
  mappings (no ORM); SQLAlchemy's asyncpg dialect keeps prepared statements per connection;
* ``aiosql`` -- the statement loaded with ``aiosql.from_str(..., "asyncpg")`` and run on a
  connection of a plain asyncpg pool, rows as asyncpg Records;
* ``psycopg`` -- psycopg 3 ``AsyncConnectionPool`` in autocommit, ``%(name)s`` parameters,
  binary results, rows as dicts; psycopg prepares a statement after its fifth run.

The statements are the library's (``default_library()[name]``), rewritten only in their
placeholder syntax, so a peer's ratio to boursa_db compares the libraries, not the SQL.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

import aiosql
import asyncpg
import attrs
from psycopg.rows import dict_row
from psycopg_pool import AsyncConnectionPool
from sqlalchemy import TextClause, text
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from boursa_db.queries import Query, default_library

PEERS = ("sqlalchemy_core", "aiosql", "psycopg")
_SETTINGS = {"timezone": "UTC", "jit": "off"}
_POSITIONAL = re.compile(r"\$(\d+)")


@attrs.frozen(kw_only=True)
class Statement:
    """One library query and its arguments; ``one``: a single row (or None) is expected."""

    query: str
    values: dict[str, Any]
    one: bool = False


@attrs.define
class Peers:
    core: AsyncEngine
    aiosql_pool: asyncpg.Pool[Any]
    psycopg_pool: AsyncConnectionPool[Any]


async def open_peers(url: str, *, pool_size: int, stack: contextlib.AsyncExitStack) -> Peers:
    core = create_async_engine(
        url.replace("postgresql://", "postgresql+asyncpg://", 1),
        pool_size=pool_size,
        max_overflow=0,
        isolation_level="AUTOCOMMIT",
        connect_args={"server_settings": {**_SETTINGS, "application_name": "bench_core"}},
    )
    stack.push_async_callback(core.dispose)
    aiosql_pool = await asyncpg.create_pool(
        url,
        min_size=pool_size,
        max_size=pool_size,
        server_settings={**_SETTINGS, "application_name": "bench_aiosql"},
    )
    stack.push_async_callback(aiosql_pool.close)
    options = " ".join(f"-c {name}={value}" for name, value in _SETTINGS.items())
    psycopg_pool: AsyncConnectionPool[Any] = AsyncConnectionPool(
        url,
        min_size=pool_size,
        max_size=pool_size,
        open=False,
        kwargs={
            "autocommit": True,
            "row_factory": dict_row,
            "options": options,
            "application_name": "bench_psycopg",
        },
    )
    await psycopg_pool.open(wait=True)
    stack.push_async_callback(psycopg_pool.close)
    return Peers(core=core, aiosql_pool=aiosql_pool, psycopg_pool=psycopg_pool)


def _named(query: Query, placeholder: Callable[[str], str], sql: str | None = None) -> str:
    return _POSITIONAL.sub(
        lambda match: placeholder(query.parameters[int(match.group(1)) - 1]),
        query.sql if sql is None else sql,
    )


def core_statement(query: Query) -> TextClause:
    """``text()`` with ``:name`` parameters; every other colon (``::`` casts) escaped."""
    return text(_named(query, lambda name: f":{name}", query.sql.replace(":", "\\:")))


def aiosql_source(name: str, query: Query, *, one: bool) -> str:
    suffix = "^" if one else ""
    body = _named(query, lambda parameter: f":{parameter}")
    return f"-- name: {name}({', '.join(query.parameters)}){suffix}\n{body}\n"


def psycopg_statement(query: Query) -> str:
    return _named(query, lambda name: f"%({name})s", query.sql.replace("%", "%%"))


Call = Callable[[], Awaitable[Any]]


def peer_calls(peers: Peers, statements: Sequence[Statement]) -> dict[str, Call]:
    """The three peers running ``statements`` in order on one pooled connection each.

    A call returns the rows (a list, or one row or None for ``one``) of a single statement, or
    a tuple of them for several.
    """
    library = default_library()
    queries = [library[statement.query] for statement in statements]
    core = [core_statement(query) for query in queries]
    psycopg_sql = [psycopg_statement(query) for query in queries]
    source = "".join(
        aiosql_source(f"q{index}", query, one=statement.one)
        for index, (query, statement) in enumerate(zip(queries, statements, strict=True))
    )
    loaded = aiosql.from_str(source, "asyncpg")
    aiosql_functions = [getattr(loaded, f"q{index}") for index in range(len(statements))]
    values = [statement.values for statement in statements]
    ones = [statement.one for statement in statements]
    engine, aiosql_pool, psycopg_pool = peers.core, peers.aiosql_pool, peers.psycopg_pool

    def shaped(results: list[Any]) -> Any:
        return results[0] if len(results) == 1 else tuple(results)

    async def sqlalchemy_core() -> Any:
        results = []
        async with engine.connect() as connection:
            for clause, arguments, one in zip(core, values, ones, strict=True):
                mappings = (await connection.execute(clause, arguments)).mappings()
                results.append(mappings.first() if one else mappings.all())
        return shaped(results)

    async def aiosql_call() -> Any:
        results = []
        async with aiosql_pool.acquire() as connection:
            for function, arguments, one in zip(aiosql_functions, values, ones, strict=True):
                if one:
                    results.append(await function(connection, **arguments))
                else:  # aiosql yields the rows of a select
                    results.append([row async for row in function(connection, **arguments)])
        return shaped(results)

    async def psycopg_call() -> Any:
        results = []
        async with psycopg_pool.connection() as connection:
            for sql, arguments, one in zip(psycopg_sql, values, ones, strict=True):
                cursor = await connection.execute(sql, arguments, binary=True)  # type: ignore[arg-type]
                results.append(await cursor.fetchone() if one else await cursor.fetchall())
        return shaped(results)

    return {"sqlalchemy_core": sqlalchemy_core, "aiosql": aiosql_call, "psycopg": psycopg_call}
