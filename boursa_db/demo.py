"""The demo: a database (embedded or ``DATABASE_URL``), the schema, bars in, latest prices out."""

from __future__ import annotations

import asyncio
import contextlib
import math
import os
import random
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import asyncpg

from boursa_db.migrations import apply_migrations
from boursa_db.queries import default_library

__all__ = ["DEMO_SYMBOLS", "run_demo"]

DEMO_SYMBOLS = ("AAPL", "MSFT", "BRK-B", "MC.PA", "BTC-USD", "GC=F")
BARS_PER_SYMBOL = 100


def run_demo(database_url: str | None = None) -> str:
    """Run the demo and return what it prints."""
    with _database(database_url) as url:
        applied = apply_migrations(url)
        rows = asyncio.run(_write_bars_and_read_latest(url))
    lines = [f"schema: {len(applied)} migration(s) applied"]
    lines.append(f"wrote {BARS_PER_SYMBOL * len(DEMO_SYMBOLS)} one-minute bars; latest prices:")
    lines.append(f"{'symbol':<10}{'time (UTC)':<22}{'close':>14}{'volume':>10}")
    for row in rows:
        symbol, time, close, volume = row["symbol"], row["time"], row["close"], row["volume"]
        lines.append(f"{symbol:<10}{time:%Y-%m-%d %H:%M:%S}  {close:>14.4f}{volume:>10}")
    return "\n".join(lines)


@contextlib.contextmanager
def _database(database_url: str | None) -> Iterator[str]:
    url = database_url or os.environ.get("DATABASE_URL")
    if url:
        yield url
        return
    from boursa_db.embedded import start_embedded_postgres

    with start_embedded_postgres() as server:
        yield server.url


def _demo_bars(now: datetime) -> list[tuple[object, ...]]:
    generator = random.Random(42)  # noqa: S311 - demo data, not security
    end = now.replace(second=0, microsecond=0)
    bars: list[tuple[object, ...]] = []
    for symbol in DEMO_SYMBOLS:
        price = generator.uniform(20, 500)
        for minute in range(BARS_PER_SYMBOL, 0, -1):
            open_price = price
            price = max(0.01, price * math.exp(generator.gauss(0, 0.002)))
            high = max(open_price, price) * (1 + generator.uniform(0, 0.001))
            low = min(open_price, price) * (1 - generator.uniform(0, 0.001))
            time = end - timedelta(minutes=minute - 1)
            volume = generator.randint(100, 10_000)
            bars.append((time, symbol, "1m", open_price, high, low, price, None, volume, "demo"))
    return bars


async def _write_bars_and_read_latest(url: str) -> list[asyncpg.Record]:
    queries = default_library()
    connection = await asyncpg.connect(url)
    try:
        async with connection.transaction():
            # A rerun of the demo overlaps the previous bars: COPY into staging, then upsert.
            await queries.create_market_data_staging(connection)
            await queries.copy_market_data_staging.copy(connection, _demo_bars(datetime.now(UTC)))
            await queries.upsert_market_data_from_staging(connection)
        rows = await queries.find_latest_prices(
            connection, symbols=list(DEMO_SYMBOLS), interval_type="1m"
        )
        return list(rows)
    finally:
        await connection.close()
