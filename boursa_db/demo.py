"""The demo: a database (embedded or ``DATABASE_URL``), the schema, bars in, latest prices out."""

from __future__ import annotations

import asyncio
import contextlib
import math
import os
import random
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

from boursa_db.context import create_persistence_context
from boursa_db.domain.intervals import Interval
from boursa_db.domain.market import MarketBar
from boursa_db.migrations import apply_migrations
from boursa_db.repositories.copying import ConflictMode

__all__ = ["DEMO_SYMBOLS", "run_demo"]

DEMO_SYMBOLS = ("AAPL", "MSFT", "BRK-B", "MC.PA", "BTC-USD", "GC=F")
BARS_PER_SYMBOL = 100


def run_demo(database_url: str | None = None) -> str:
    """Run the demo and return what it prints."""
    with _database(database_url) as url:
        applied = apply_migrations(url)
        latest = asyncio.run(_write_bars_and_read_latest(url))
    lines = [f"schema: {len(applied)} migration(s) applied"]
    lines.append(f"wrote {BARS_PER_SYMBOL * len(DEMO_SYMBOLS)} one-minute bars; latest prices:")
    lines.append(f"{'symbol':<10}{'time (UTC)':<22}{'close':>14}{'volume':>10}")
    for symbol, bar in sorted(latest.items()):
        lines.append(
            f"{symbol:<10}{bar.time:%Y-%m-%d %H:%M:%S}  {bar.close:>14.4f}{bar.volume:>10}"
        )
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


def _demo_bars(now: datetime) -> list[MarketBar]:
    generator = random.Random(42)  # noqa: S311 - demo data, not security
    end = now.replace(second=0, microsecond=0)
    bars: list[MarketBar] = []
    for symbol in DEMO_SYMBOLS:
        price = generator.uniform(20, 500)
        for minute in range(BARS_PER_SYMBOL, 0, -1):
            open_price = price
            price = max(0.01, price * math.exp(generator.gauss(0, 0.002)))
            bars.append(
                MarketBar(
                    time=end - timedelta(minutes=minute - 1),
                    symbol=symbol,
                    interval_type=Interval.ONE_MINUTE,
                    open=open_price,
                    high=max(open_price, price) * (1 + generator.uniform(0, 0.001)),
                    low=min(open_price, price) * (1 - generator.uniform(0, 0.001)),
                    close=price,
                    volume=generator.randint(100, 10_000),
                    source="demo",
                )
            )
    return bars


async def _write_bars_and_read_latest(url: str) -> dict[str, MarketBar]:
    async with create_persistence_context(url, min_size=1, max_size=2) as context:
        async with context.uow() as uow:
            # A rerun of the demo overlaps the previous bars: replace them.
            await uow.market_data.copy(
                _demo_bars(datetime.now(UTC)), on_conflict=ConflictMode.UPDATE
            )
        return await context.market_data.find_latest_prices(DEMO_SYMBOLS, Interval.ONE_MINUTE)
