"""200 concurrent callers through a 20-connection pool, all asking for latest prices.

One round is one burst: ``size.concurrent_callers`` tasks start together and each makes
``size.calls_per_caller`` calls one after the other. Every call's latency is taken inside its
task (so it includes the wait for a free connection) and kept in ``extra_info["latencies"]``;
the report computes the percentiles from them. Every error is counted; there must be none.
The same burst runs through boursa_db (``create_persistence_context(min_size=20, max_size=20)``),
through a raw asyncpg pool of 20 running the same SQL, and through the library's repository on
the prototype session without BEGIN/COMMIT (``boursa_db_no_tx``, not the library).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Iterator
from typing import Any

import pytest

from benchmarks.dataset import LATEST_PRICE_SYMBOLS, Size
from benchmarks.harness import (
    Contenders,
    Loop,
    open_contenders,
    raw_query,
    settle,
    statement_session,
)
from boursa_db.repositories.market_data import MarketDataRepository

POOL_SIZE = 20


@pytest.fixture(scope="module")
def crowd(loop: Loop, main_url: str) -> Iterator[Contenders]:
    opened = loop.run(open_contenders(main_url, pool_size=POOL_SIZE, orm=False))
    settle()
    yield opened
    loop.run(opened.close())


async def _burst(
    call: Callable[[], Awaitable[Any]], callers: int, calls: int, latencies: list[float]
) -> int:
    """Run the burst; append every call's latency; return the number of failed calls."""
    clock = time.perf_counter

    async def caller() -> int:
        failures = 0
        for _ in range(calls):
            started = clock()
            try:
                await call()
            except Exception:
                failures += 1
            else:
                latencies.append(clock() - started)
        return failures

    return sum(await asyncio.gather(*(caller() for _ in range(callers))))


@pytest.mark.parametrize("contender", ["boursa_db", "asyncpg", "boursa_db_no_tx"])
def test_concurrent_latest_prices(
    benchmark: Any, loop: Loop, crowd: Contenders, size: Size, contender: str
) -> None:
    symbols = list(LATEST_PRICE_SYMBOLS)
    sql, args = raw_query("find_latest_prices", symbols=symbols, interval_type="1m")
    market_data, pool = crowd.context.market_data, crowd.pool
    no_tx = MarketDataRepository(statement_session(crowd.context), crowd.context.queries)

    async def boursa() -> Any:
        return await market_data.find_latest_prices(symbols)

    async def boursa_no_tx() -> Any:
        return await no_tx.find_latest_prices(symbols)

    async def raw() -> Any:
        async with pool.acquire() as connection:
            return await connection.fetch(sql, *args)

    call = {"boursa_db": boursa, "asyncpg": raw, "boursa_db_no_tx": boursa_no_tx}[contender]
    latencies: list[float] = []
    errors: list[int] = []
    callers, calls = size.concurrent_callers, size.calls_per_caller

    def burst() -> None:
        errors.append(loop.run(_burst(call, callers, calls, latencies)))

    loop.run(_burst(call, callers, 1, []))  # every pooled connection prepares the statement
    benchmark.group = "concurrency"
    benchmark.extra_info.update(
        kind="concurrency",
        shape="concurrent_latest_prices",
        contender=contender,
        callers=callers,
        calls_per_caller=calls,
        pool_size=POOL_SIZE,
    )

    benchmark.pedantic(burst, rounds=3, iterations=1)

    benchmark.extra_info.update(errors=sum(errors), latencies=latencies)
    assert sum(errors) == 0
    assert len(latencies) == 3 * callers * calls
