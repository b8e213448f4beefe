"""Bulk ingest of one-minute bars: rows per second, boursa_db against raw asyncpg and the ORM.

Each round writes the same batch (``size.ingest_rows`` bars of 10 symbols) into ``market_data``
of a database of its own, emptied by ``TRUNCATE`` before the round (untimed). Inputs are built
before timing: ``MarketBar`` objects for boursa_db, tuples for asyncpg, fresh ORM instances for
SQLAlchemy (an ORM object cannot be added twice). What a round includes:

* ``copy`` / ``copy_skip`` / ``copy_update``: ``uow.market_data.copy(bars, on_conflict=...)`` in a
  Unit of Work (commit included), every row new;
* ``copy_update_existing``: ``UPDATE`` mode when every row exists already with the same values
  (a re-ingest of stored bars: each one left as it is);
* ``copy_update_changed``: ``UPDATE`` mode when every row exists already with another volume
  (each one replaced by a new row version);
* ``copy_records_to_table``: raw asyncpg binary COPY of the tuples;
* ``executemany``: raw asyncpg ``INSERT ... VALUES ($1..$10)`` over the tuples;
* ``orm_add_all``: ``session.add_all(rows)`` then ``await session.commit()``;
* ``build_market_bars``: constructing the validated ``MarketBar`` objects from tuples (no I/O),
  the price of validation a caller pays before ``copy``.

The raw ways and the ORM write the bare table (``BARE_WRITE``): the library keeps
``market_data_latest`` up to date as it writes, and is measured against a write that does not.

Parallel ingest (``test_parallel_ingest``) writes a bigger batch (``size.parallel_ingest_rows``,
2,000,000 bars of 100 symbols outside ``smoke``) two ways: the library's parallel COPY over
``size.parallel_workers`` pooled connections, and ONE raw ``copy_records_to_table`` of the same
rows on one connection. The library's entry point is found by :func:`parallel_copy`.
"""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable, Iterator
from itertools import chain, islice
from typing import Any

import pytest

from benchmarks.conftest import RUN_INFO
from benchmarks.dataset import minute_bars, trading_days
from benchmarks.harness import Contenders, Loop, open_contenders, settle
from benchmarks.sizes import Size
from boursa_db import ConflictMode, MarketBar
from boursa_db.queries import default_library

COPY_COLUMNS = list(default_library()["market_data_copy"].copy_columns)
INSERT_SQL = (
    f"INSERT INTO market_data ({', '.join(COPY_COLUMNS)}) "
    f"VALUES ({', '.join(f'${index}' for index in range(1, len(COPY_COLUMNS) + 1))})"
)
WAYS = (
    "copy",
    "copy_skip",
    "copy_update",
    "copy_update_existing",
    "copy_update_changed",
    "copy_records_to_table",
    "executemany",
    "orm_add_all",
    "build_market_bars",
)
SLOW_WAYS = {"executemany", "orm_add_all"}
BARE_WRITE = "SELECT set_config('boursa.latest_bars', 'merged', true)"
"""The raw ways write the bare table: in their transaction the triggers of migration 0017 leave
market_data_latest alone (they would note every row), so the library, which keeps it, is
measured against the cost of the table itself."""


def _batch(rows: int, symbols: int = 10) -> list[MarketBar]:
    days = trading_days(-(-rows // (symbols * 390)))
    bars = chain.from_iterable(minute_bars(f"ING{index:03d}", days) for index in range(symbols))
    return list(islice(bars, rows))


def _record(bar: MarketBar) -> tuple[Any, ...]:
    return (
        bar.time,
        bar.symbol,
        bar.interval_type.value,
        bar.open,
        bar.high,
        bar.low,
        bar.close,
        bar.adjusted_close,
        bar.volume,
        bar.source,
    )


@pytest.fixture(scope="module")
def ingest(loop: Loop, ingest_url: str) -> Iterator[Contenders]:
    opened = loop.run(open_contenders(ingest_url, pool_size=2, peers=False))
    yield opened
    loop.run(opened.close())


@pytest.fixture(scope="module")
def batch(size: Size) -> list[MarketBar]:
    bars = _batch(size.ingest_rows)
    settle()
    return bars


async def _truncate(contenders: Contenders) -> None:
    async with contenders.pool.acquire() as connection:
        await connection.execute("TRUNCATE market_data")


def _way(
    way: str, contenders: Contenders, bars: list[MarketBar], loop: Loop
) -> tuple[Callable[..., Any], Callable[[], Any]]:
    """The timed callable of a way and the untimed setup that precedes each round."""
    records = [_record(bar) for bar in bars]
    context, pool, sessions = contenders.context, contenders.pool, contenders.sessions

    def empty() -> None:
        loop.run(_truncate(contenders))

    async def copy(mode: ConflictMode) -> None:
        async with context.uow() as uow:
            await uow.market_data.copy(bars, on_conflict=mode)

    async def raw_copy() -> None:
        async with pool.acquire() as connection, connection.transaction():
            await connection.execute(BARE_WRITE)
            await connection.copy_records_to_table(
                "market_data", records=records, columns=COPY_COLUMNS
            )

    async def executemany() -> None:
        async with pool.acquire() as connection, connection.transaction():
            await connection.execute(BARE_WRITE)
            await connection.executemany(INSERT_SQL, records)

    async def add_all(rows: list[Any]) -> None:
        from sqlalchemy import text

        async with sessions() as session:
            await session.execute(text(BARE_WRITE))
            session.add_all(rows)
            await session.commit()

    def filled() -> None:
        empty()
        loop.run(raw_copy())

    changed = [(*record[:8], record[8] + 1, *record[9:]) for record in records]

    async def raw_copy_changed() -> None:
        async with pool.acquire() as connection, connection.transaction():
            await connection.execute(BARE_WRITE)
            await connection.copy_records_to_table(
                "market_data", records=changed, columns=COPY_COLUMNS
            )

    def filled_with_other_volumes() -> None:
        empty()
        loop.run(raw_copy_changed())

    def orm_rows() -> tuple[tuple[Any, ...], dict[str, Any]]:
        from benchmarks.orm import MarketDataRow

        empty()
        rows = [MarketDataRow(**dict(zip(COPY_COLUMNS, record, strict=True))) for record in records]
        return (rows,), {}

    def build() -> list[MarketBar]:
        return [
            MarketBar(
                time=time,
                symbol=symbol,
                interval_type=interval_type,
                open=open_,
                high=high,
                low=low,
                close=close,
                adjusted_close=adjusted_close,
                volume=volume,
                source=source,
            )
            for (
                time,
                symbol,
                interval_type,
                open_,
                high,
                low,
                close,
                adjusted_close,
                volume,
                source,
            ) in records
        ]

    run = loop.run
    ways: dict[str, tuple[Callable[..., Any], Callable[[], Any]]] = {
        "copy": (lambda: run(copy(ConflictMode.FAIL)), empty),
        "copy_skip": (lambda: run(copy(ConflictMode.SKIP)), empty),
        "copy_update": (lambda: run(copy(ConflictMode.UPDATE)), empty),
        "copy_update_existing": (lambda: run(copy(ConflictMode.UPDATE)), filled),
        "copy_update_changed": (lambda: run(copy(ConflictMode.UPDATE)), filled_with_other_volumes),
        "copy_records_to_table": (lambda: run(raw_copy()), empty),
        "executemany": (lambda: run(executemany()), empty),
        "orm_add_all": (lambda rows: run(add_all(rows)), orm_rows),
        "build_market_bars": (build, lambda: None),
    }
    return ways[way]


@pytest.mark.parametrize("way", WAYS)
def test_ingest(
    benchmark: Any,
    loop: Loop,
    ingest: Contenders,
    batch: list[MarketBar],
    size: Size,
    way: str,
) -> None:
    target, setup = _way(way, ingest, batch, loop)
    rounds = size.slow_ingest_rounds if way in SLOW_WAYS else size.ingest_rounds
    benchmark.group = "ingest"
    benchmark.extra_info.update(kind="ingest", shape="ingest", contender=way, rows=len(batch))

    benchmark.pedantic(target, setup=setup, rounds=rounds, warmup_rounds=1)

    if way != "build_market_bars":
        written = loop.run(_count(ingest))
        assert written == len(batch)


async def _count(contenders: Contenders) -> int:
    async with contenders.pool.acquire() as connection:
        return int(await connection.fetchval("SELECT count(*) FROM market_data"))


PARALLEL_WAYS = ("copy_parallel", "copy_records_to_table_single")


def parallel_copy(context: Any, workers: int) -> Callable[[list[MarketBar]], Awaitable[Any]] | str:
    """The library's parallel ingest of bars over ``workers`` connections, or why there is none.

    Adapt this one function when the API settles: ``market_data.copy_parallel(bars, workers=)``
    on the context, else ``market_data.copy(bars, workers=)``.
    """
    repository = context.market_data
    method = getattr(repository, "copy_parallel", None)
    if method is not None:
        return lambda bars: method(bars, workers=workers)
    if "workers" in inspect.signature(repository.copy).parameters:
        return lambda bars: repository.copy(bars, workers=workers)
    return "boursa_db has no parallel ingest (no market_data.copy_parallel, no copy(workers=))"


@pytest.fixture(scope="module")
def parallel_ingest(loop: Loop, ingest_url: str, size: Size) -> Iterator[Contenders]:
    opened = loop.run(
        open_contenders(ingest_url, pool_size=size.parallel_workers, orm=False, peers=False)
    )
    yield opened
    loop.run(opened.close())


@pytest.fixture(scope="module")
def big_batch(size: Size) -> list[MarketBar]:
    bars = _batch(size.parallel_ingest_rows, symbols=100)
    settle()
    return bars


@pytest.mark.parametrize("way", PARALLEL_WAYS)
def test_parallel_ingest(
    benchmark: Any,
    loop: Loop,
    parallel_ingest: Contenders,
    big_batch: list[MarketBar],
    size: Size,
    way: str,
) -> None:
    contenders = parallel_ingest
    if way == "copy_parallel":
        found = parallel_copy(contenders.context, size.parallel_workers)
        if isinstance(found, str):
            RUN_INFO.setdefault("skipped", {})["copy_parallel"] = found
            pytest.skip(found)
        write = found

        def target() -> None:
            loop.run(write(big_batch))

    else:
        records = [_record(bar) for bar in big_batch]
        pool = contenders.pool

        async def single() -> None:
            async with pool.acquire() as connection, connection.transaction():
                await connection.execute(BARE_WRITE)
                await connection.copy_records_to_table(
                    "market_data", records=records, columns=COPY_COLUMNS
                )

        def target() -> None:
            loop.run(single())

    benchmark.group = "parallel_ingest"
    benchmark.extra_info.update(
        kind="parallel_ingest",
        shape="parallel_ingest",
        contender=way,
        rows=len(big_batch),
        workers=size.parallel_workers if way == "copy_parallel" else 1,
    )

    benchmark.pedantic(
        target,
        setup=lambda: loop.run(_truncate(contenders)),
        rounds=size.parallel_ingest_rounds,
        warmup_rounds=0,
    )

    assert loop.run(_count(contenders)) == len(big_batch)
