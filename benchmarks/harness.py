"""The contenders on one database, and the event loop the measurements run on.

Every measured call is ``loop.run_until_complete(call())`` on one long-lived loop;
``test_harness_floor`` measures that wrapper alone (about 10 us) so its share of the
sub-millisecond shapes is visible.

* ``context`` -- boursa_db: ``create_persistence_context`` (the library's pool and settings);
* ``pool`` -- raw asyncpg with the library's own session settings and JSON codecs, running the
  library's SQL text with positional arguments ("same SQL": it measures the mapping);
* ``floor_pool`` -- raw asyncpg (UTC, JIT off) running the best query for a shape on plain
  copies of the rows (:mod:`benchmarks.floor`): the physical floor;
* ``sessions`` -- SQLAlchemy 2 async ORM on the ``postgresql+asyncpg`` driver;
* ``peers`` -- what a user would pick instead of boursa_db (:mod:`benchmarks.peers`).

Each gets a pool of the same fixed size.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import random
import time
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any, TypeVar

import asyncpg
import attrs

from boursa_db import create_persistence_context
from boursa_db.codecs import register_codecs
from boursa_db.queries import default_library

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker

    from benchmarks.peers import Peers
    from boursa_db import PersistenceContext

T = TypeVar("T")
RAW_SERVER_SETTINGS = {"application_name": "boursa_bench_floor", "timezone": "UTC", "jit": "off"}


class Loop:
    """One event loop for the whole run; measured calls are driven to completion on it."""

    def __init__(self) -> None:
        self._loop = asyncio.new_event_loop()

    def run(self, awaitable: Awaitable[T]) -> T:
        return self._loop.run_until_complete(awaitable)

    def driver(self, call: Callable[[], Awaitable[T]]) -> Callable[[], T]:
        """A synchronous callable for pytest-benchmark that runs ``call()`` once."""
        run = self._loop.run_until_complete
        return lambda: run(call())

    def close(self) -> None:
        self._loop.run_until_complete(self._loop.shutdown_asyncgens())
        self._loop.close()


@attrs.define
class Contenders:
    """boursa_db, raw asyncpg, the floor, the ORM and the peers, each with its own pool on the
    same database."""

    context: PersistenceContext
    pool: asyncpg.Pool[Any]
    floor_pool: asyncpg.Pool[Any]
    engine: AsyncEngine | None
    sessions: async_sessionmaker[Any] | None
    peers: Peers | None
    _stack: contextlib.AsyncExitStack

    async def close(self) -> None:
        await self._stack.aclose()


async def open_contenders(
    url: str, *, pool_size: int, orm: bool = True, peers: bool = True
) -> Contenders:
    stack = contextlib.AsyncExitStack()
    context = await stack.enter_async_context(
        create_persistence_context(url, min_size=pool_size, max_size=pool_size)
    )
    # "Same SQL" runs with the library's own session settings, whatever they become.
    pool = await asyncpg.create_pool(
        url,
        min_size=pool_size,
        max_size=pool_size,
        init=register_codecs,
        server_settings={**context.settings.server_settings(), "application_name": "bench_raw"},
    )
    stack.push_async_callback(pool.close)
    floor_pool = await asyncpg.create_pool(
        url, min_size=pool_size, max_size=pool_size, server_settings=RAW_SERVER_SETTINGS
    )
    stack.push_async_callback(floor_pool.close)
    engine = sessions = None
    if orm:
        from benchmarks.orm import orm_engine

        engine, sessions = orm_engine(url, pool_size=pool_size)
        stack.push_async_callback(engine.dispose)
    opened_peers = None
    if peers:
        from benchmarks.peers import open_peers

        opened_peers = await open_peers(url, pool_size=pool_size, stack=stack)
    return Contenders(context, pool, floor_pool, engine, sessions, opened_peers, stack)


def settle() -> None:
    """Collect, then freeze every object that exists now (``gc.freeze``), as long-running
    services do after start-up: a full collection then walks only the objects made since, so a
    measured call is not charged for the harness's own heap (pytest, SQLAlchemy's modules, the
    ingest batch) when it happens to trigger one."""
    gc.collect()
    gc.freeze()


def rounds_for(run_once: Callable[[], object], *, budget: float, low: int, high: int) -> int:
    """How many rounds of ``run_once`` fit in ``budget`` seconds, kept within ``[low, high]``
    (estimated from three calls, which also warm the pool's connections up)."""
    started = time.perf_counter()
    for _ in range(3):
        run_once()
    estimate = (time.perf_counter() - started) / 3
    return max(low, min(high, int(budget / estimate)))


def raw_query(name: str, **values: Any) -> tuple[str, tuple[Any, ...]]:
    """The library's SQL text for ``name`` and its positional arguments, for raw asyncpg."""
    query = default_library()[name]
    return query.sql, tuple(values[parameter] for parameter in query.parameters)


class RoundRobin:
    """Times several ways of one shape side by side: each round calls every way once, in an
    order shuffled per round, and keeps each call's time under the way's name.

    Ways measured round-robin see the same machine load, heap, caches and connection state, so
    their ratios hold even when the shared machine's speed drifts during the run; the cost of a
    shape is then about ``budget`` seconds per way, not per pair of ways.
    """

    def __init__(self, loop: Loop, calls: dict[str, Callable[[], Awaitable[Any]]]) -> None:
        self._drivers = {name: loop.driver(call) for name, call in calls.items()}
        self._order = list(self._drivers)
        self._shuffle = random.Random(",".join(self._order)).shuffle
        self.timings: dict[str, list[float]] = {name: [] for name in self._drivers}

    def rounds(self, *, budget: float, low: int, high: int) -> int:
        """Rounds that fit in ``budget`` seconds per way, within ``[low, high]``; the three
        rounds it takes to estimate also warm every way up and are not kept."""
        started = time.perf_counter()
        for _ in range(3):
            for driver in self._drivers.values():
                driver()
        per_round = (time.perf_counter() - started) / 3
        return max(low, min(high, int(budget * len(self._drivers) / per_round)))

    def run_round(self) -> None:
        clock, timings = time.perf_counter, self.timings
        self._shuffle(self._order)
        for name in self._order:
            driver = self._drivers[name]
            started = clock()
            driver()
            timings[name].append(clock() - started)

    def discard(self) -> None:
        """Forget what was timed so far (warm-up rounds)."""
        for kept in self.timings.values():
            kept.clear()
