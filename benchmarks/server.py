"""The server the suite runs on and the databases it fills.

The embedded PostgreSQL (a throwaway server, nothing survives the run) unless ``DATABASE_URL``
names one. On a named server each dataset lives in its own database (``boursa_bench_<size>_...``)
and is reused by later runs while its fingerprint (spec, generator code, migrations) matches;
the fingerprint is written as the database's comment only after loading finished, so a run that
died half-way is never mistaken for a complete dataset. ``BOURSA_BENCH_RELOAD=1`` reloads anyway.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import time
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING
from urllib.parse import urlsplit, urlunsplit

import asyncpg
import attrs

from benchmarks.floor import build_floor
from boursa_db import create_persistence_context
from boursa_db.migrations import apply_migrations

if TYPE_CHECKING:
    from benchmarks.dataset import DatasetSpec
    from boursa_db import PersistenceContext

COMMENT_PREFIX = "boursa-bench "


@attrs.frozen
class Server:
    """A PostgreSQL server reachable with ``admin_url`` (a role that may create databases)."""

    admin_url: str
    embedded: bool
    version: str
    timescaledb: str | None
    """The TimescaleDB version the server offers (and preloads), or None."""

    def url_for(self, database: str) -> str:
        parts = urlsplit(self.admin_url)
        return urlunsplit((parts.scheme, parts.netloc, f"/{database}", parts.query, parts.fragment))


@contextlib.contextmanager
def open_server() -> Iterator[Server]:
    """The server of ``DATABASE_URL``, else a fresh embedded one stopped on exit."""
    external = os.environ.get("DATABASE_URL")
    if external:
        yield asyncio.run(_describe(external, embedded=False))
        return
    from boursa_db.embedded import start_embedded_postgres

    with start_embedded_postgres() as embedded:
        yield asyncio.run(_describe(embedded.url, embedded=True))


async def _describe(url: str, *, embedded: bool) -> Server:
    connection = await asyncpg.connect(url)
    try:
        version = await connection.fetchval("SHOW server_version")
        preloaded = await connection.fetchval("SHOW shared_preload_libraries")
        offered = await connection.fetchval(
            "SELECT default_version FROM pg_available_extensions WHERE name = 'timescaledb'"
        )
    finally:
        await connection.close()
    timescaledb = offered if offered and "timescaledb" in preloaded else None
    return Server(admin_url=url, embedded=embedded, version=version, timescaledb=timescaledb)


def _quote(name: str) -> str:
    # Database names are built by this module from fixed words and numbers; quoting is for DDL,
    # where bind parameters cannot be used.
    return '"' + name.replace('"', '""') + '"'


async def _admin(server: Server, statement: str, *args: object) -> object:
    connection = await asyncpg.connect(server.admin_url)
    try:
        return await connection.fetchval(statement, *args)
    finally:
        await connection.close()


def fresh_database(server: Server, name: str) -> str:
    """An empty, migrated database (dropped and re-created); returns its URL."""
    asyncio.run(_admin(server, f"DROP DATABASE IF EXISTS {_quote(name)} WITH (FORCE)"))
    asyncio.run(_admin(server, f"CREATE DATABASE {_quote(name)}"))
    url = server.url_for(name)
    apply_migrations(url)
    asyncio.run(_pause_timescaledb_jobs(url))
    return url


def drop_database(server: Server, name: str) -> None:
    asyncio.run(_admin(server, f"DROP DATABASE IF EXISTS {_quote(name)} WITH (FORCE)"))


def dataset_database(
    server: Server,
    name: str,
    spec: DatasetSpec,
    log: Callable[[str], None],
) -> str:
    """The URL of a database holding ``spec``'s data: reused when complete, else loaded."""
    fingerprint = spec.fingerprint()
    url = server.url_for(name)
    if not server.embedded and os.environ.get("BOURSA_BENCH_RELOAD") != "1":
        comment = asyncio.run(
            _admin(
                server,
                "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = $1",
                name,
            )
        )
        if comment == COMMENT_PREFIX + fingerprint:
            log(f"reusing {name} ({fingerprint})")
            return url
    started = time.perf_counter()
    fresh_database(server, name)
    asyncio.run(_load(url, spec))
    asyncio.run(build_floor(url))
    if spec.compressed:
        asyncio.run(_compress(url))
    asyncio.run(_vacuum(url))
    comment_sql = f"COMMENT ON DATABASE {_quote(name)} IS '{COMMENT_PREFIX}{fingerprint}'"
    asyncio.run(_admin(server, comment_sql))
    elapsed = time.perf_counter() - started
    bars = spec.minute_bars + spec.daily_bars
    log(f"loaded {name}: {bars:,} bars in {elapsed:.0f} s")
    return url


async def _load(url: str, spec: DatasetSpec) -> None:
    from benchmarks.dataset import load

    context: PersistenceContext
    async with create_persistence_context(url, min_size=1, max_size=2) as context:
        await load(context, spec)


async def _compress(url: str) -> None:
    from benchmarks.dataset import compress_everything

    context: PersistenceContext
    async with create_persistence_context(url, min_size=1, max_size=2) as context:
        await compress_everything(context)


async def describe_chunks(url: str) -> dict[str, object]:
    """What the catalog says about ``market_data``: its chunks (all, compressed) and interval,
    or ``{"hypertable": False}`` on plain PostgreSQL."""
    connection = await asyncpg.connect(url)
    try:
        if not await connection.fetchval(
            "SELECT 1 FROM pg_extension WHERE extname = 'timescaledb'"
        ):
            return {"hypertable": False}
        row = await connection.fetchrow(
            "SELECT count(*) AS chunks, count(*) FILTER (WHERE is_compressed) AS compressed "
            "FROM timescaledb_information.chunks "
            "WHERE hypertable_schema = 'public' AND hypertable_name = 'market_data'"
        )
        interval = await connection.fetchval(
            "SELECT time_interval::text FROM timescaledb_information.dimensions "
            "WHERE hypertable_schema = 'public' AND hypertable_name = 'market_data' "
            "AND column_name = 'time'"
        )
    finally:
        await connection.close()
    return {
        "hypertable": True,
        "chunks": row["chunks"],
        "compressed_chunks": row["compressed"],
        "chunk_interval": interval,
    }


async def _pause_timescaledb_jobs(url: str) -> None:
    """Stop TimescaleDB's background jobs in this database: compression, retention or a refresh
    starting in the middle of a measurement would measure the job, not the query."""
    connection = await asyncpg.connect(url)
    try:
        if await connection.fetchval("SELECT 1 FROM pg_extension WHERE extname = 'timescaledb'"):
            await connection.execute(
                "SELECT alter_job(job_id, scheduled => false) "
                "FROM timescaledb_information.jobs WHERE job_id >= 1000"
            )
    finally:
        await connection.close()


async def _vacuum(url: str) -> None:
    """Fresh statistics and visibility maps, as a database that has lived a while has them."""
    connection = await asyncpg.connect(url)
    try:
        await connection.execute("VACUUM (ANALYZE)")
    finally:
        await connection.close()
