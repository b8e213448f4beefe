"""Columnstore compression of one-minute bars priced in cents (TimescaleDB only).

One database of its own, migrated (so with the library's chunk interval, segment-by and
order-by), receives ``size.compression_symbols`` symbols x ``size.compression_sessions`` sessions
of one-minute bars through ``uow.market_data.copy``. Prices are a random walk in whole cents
(two decimals, as most equities trade), stored as ``double precision`` like every bar. Then
``boursa_db.maintenance.compress_chunks`` compresses every chunk (the timed round), and the
ratio is TimescaleDB's own accounting (``hypertable_compression_stats``: heap, indexes and TOAST
before and after). Before the numbers count, every symbol's whole series must read back
identical after compression, and the per-column sizes of the compressed chunks are recorded to
show where the bytes are.
"""

from __future__ import annotations

import math
import random
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Any

import asyncpg
import pytest

from benchmarks.dataset import BARS_PER_DAY, SEED, SESSION_OPEN_UTC, SOURCE, trading_days
from benchmarks.harness import Loop
from benchmarks.server import Server, drop_database, fresh_database
from benchmarks.sizes import Size
from boursa_db import Interval, MarketBar, create_persistence_context
from boursa_db.maintenance import compress_chunks

FAR_FUTURE = datetime(2100, 1, 1, tzinfo=UTC)
COLUMNS = ("time", "open", "high", "low", "close", "adjusted_close", "volume", "source")


def cent_bars(symbol: str, days: list[date]) -> Iterator[MarketBar]:
    """One symbol's one-minute bars over ``days``, every price in whole cents."""
    rng = random.Random(f"{SEED}:{symbol}:cents")
    price = round(rng.uniform(20.0, 500.0), 2)
    step = timedelta(minutes=1)
    for day in days:
        moment = datetime(day.year, day.month, day.day, *SESSION_OPEN_UTC, tzinfo=UTC)
        for _ in range(BARS_PER_DAY):
            open_ = price
            close = max(round(open_ * math.exp(rng.gauss(0.0, 0.0008)), 2), 0.01)
            high = round(max(open_, close) * (1.0 + abs(rng.gauss(0.0, 0.0004))), 2)
            low = max(round(min(open_, close) * (1.0 - abs(rng.gauss(0.0, 0.0004))), 2), 0.01)
            yield MarketBar(
                time=moment,
                symbol=symbol,
                interval_type=Interval.ONE_MINUTE,
                open=open_,
                high=max(high, open_, close),
                low=min(low, open_, close),
                close=close,
                volume=int(rng.expovariate(1 / 2_000)) + 1,
                source=SOURCE,
            )
            price = close
            moment += step


async def _load(url: str, size: Size) -> list[str]:
    days = trading_days(size.compression_sessions)
    names = [f"CNT{index:03d}" for index in range(size.compression_symbols)]
    async with create_persistence_context(url, min_size=1, max_size=2) as context:
        for name in names:
            async with context.uow() as uow:
                await uow.market_data.copy(list(cent_bars(name, days)))
    connection = await asyncpg.connect(url)
    try:
        await connection.execute("VACUUM (ANALYZE) market_data")
    finally:
        await connection.close()
    return names


async def _series(url: str, names: list[str]) -> dict[str, Any]:
    start, end = datetime(2000, 1, 1, tzinfo=UTC), FAR_FUTURE
    async with create_persistence_context(url, min_size=1, max_size=2) as context:
        return {
            name: await context.market_data.find_series_columns(name, start, end) for name in names
        }


async def _compress(url: str) -> None:
    async with create_persistence_context(url, min_size=1, max_size=2) as context:
        await compress_chunks(context.pool, older_than=FAR_FUTURE)


async def _accounting(url: str) -> dict[str, Any]:
    connection = await asyncpg.connect(url)
    try:
        stats = await connection.fetchrow(
            "SELECT total_chunks, number_compressed_chunks, before_compression_total_bytes, "
            "after_compression_total_bytes FROM hypertable_compression_stats('market_data')"
        )
        interval = await connection.fetchval(
            "SELECT time_interval::text FROM timescaledb_information.dimensions "
            "WHERE hypertable_name = 'market_data' AND column_name = 'time'"
        )
        rows = await connection.fetchval("SELECT count(*) FROM market_data")
        sizes = " + ".join(f"sum(pg_column_size(c.{name}))" for name in COLUMNS)
        per_column = await connection.fetchrow(
            "SELECT "
            + ", ".join(f"sum(pg_column_size(c.{name})) AS {name}" for name in COLUMNS)
            + f", {sizes} AS columns"
            + ", count(*) AS batches FROM ("
            + " UNION ALL ".join(
                f"SELECT {', '.join(COLUMNS)} FROM {table}"
                for table in await _compressed_tables(connection)
            )
            + ") AS c"
        )
    finally:
        await connection.close()
    before, after = stats["before_compression_total_bytes"], stats["after_compression_total_bytes"]
    return {
        "rows": rows,
        "chunks": stats["total_chunks"],
        "compressed_chunks": stats["number_compressed_chunks"],
        "chunk_interval": interval,
        "before_bytes": before,
        "after_bytes": after,
        "ratio": before / after,
        "batches": per_column["batches"],
        "column_bytes_per_row": {name: per_column[name] / rows for name in COLUMNS},
    }


async def _compressed_tables(connection: asyncpg.Connection) -> list[str]:
    # Names read from TimescaleDB's catalog, quoted by PostgreSQL: nothing comes from input.
    return [
        row["name"]
        for row in await connection.fetch(
            "SELECT format('%I.%I', c.schema_name, c.table_name) AS name "
            "FROM _timescaledb_catalog.chunk AS h "
            "JOIN _timescaledb_catalog.chunk AS c ON c.id = h.compressed_chunk_id "
            "JOIN _timescaledb_catalog.hypertable AS t ON t.id = h.hypertable_id "
            "WHERE t.table_name = 'market_data'"
        )
    ]


def test_compression(benchmark: Any, loop: Loop, server: Server, size: Size) -> None:
    if server.timescaledb is None:
        pytest.skip("compression needs TimescaleDB")
    name = "boursa_bench_compression"
    url = fresh_database(server, name)
    try:
        names = loop.run(_load(url, size))
        before = loop.run(_series(url, names))

        benchmark.pedantic(lambda: loop.run(_compress(url)), rounds=1, warmup_rounds=0)

        assert loop.run(_series(url, names)) == before, "reads differ after compression"
        accounting = loop.run(_accounting(url))
        assert accounting["compressed_chunks"] == accounting["chunks"]
        benchmark.group = "compression"
        benchmark.extra_info.update(
            kind="compression", shape="compression", contender="compress_chunks", **accounting
        )
    finally:
        drop_database(server, name)
