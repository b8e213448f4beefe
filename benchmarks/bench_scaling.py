"""Latency against table size: latest prices and the 30-day series at 1x, 5x and 20x history.

The scaling datasets keep the symbols of the base (``size.scaling_base``) and multiply the
trading days, so the table (and on TimescaleDB the number of daily chunks) grows while both
answers keep their size: five bars, and the base's last 30 days of one symbol. Latest prices
should stay flat; the series should cost the same at every size. As in ``bench_queries``, each
timed round of one way is preceded by an untimed call of the other.
"""

from __future__ import annotations

from typing import Any

import pytest

from benchmarks.conftest import ScaledDatabases, selected_size
from benchmarks.dataset import LATEST_PRICE_SYMBOLS, SERIES_SYMBOL, Size, series_window
from benchmarks.harness import Loop, raw_query, rounds_for

CASES = [
    (factor, shape, contender)
    for factor in selected_size().scaling_factors
    for shape in ("latest_prices", "series_30d")
    for contender in ("boursa_db", "asyncpg")
]


@pytest.mark.parametrize(
    ("factor", "shape", "contender"), CASES, ids=[f"{f}x-{s}-{c}" for f, s, c in CASES]
)
def test_scaling(
    benchmark: Any,
    loop: Loop,
    scaled: ScaledDatabases,
    size: Size,
    factor: int,
    shape: str,
    contender: str,
) -> None:
    contenders = scaled.contenders(factor)
    spec = size.scaled(factor)
    market_data, pool = contenders.context.market_data, contenders.pool
    symbols = list(LATEST_PRICE_SYMBOLS[: spec.symbols])
    start, end = series_window(spec, days=size.scaling_base.trading_days)
    if shape == "latest_prices":
        sql, args = raw_query("find_latest_prices", symbols=symbols, interval_type="1m")

        async def boursa() -> Any:
            return await market_data.find_latest_prices(symbols)

    else:
        sql, args = raw_query(
            "market_data_find_range",
            symbol=SERIES_SYMBOL,
            interval_type="1m",
            start=start,
            end=end,
        )

        async def boursa() -> Any:
            return await market_data.find_by_symbol_and_timerange(SERIES_SYMBOL, start, end)

    async def raw() -> Any:
        async with pool.acquire() as connection:
            return await connection.fetch(sql, *args)

    call, other = (boursa, raw) if contender == "boursa_db" else (raw, boursa)
    result = loop.run(call())
    expected = len(symbols) if shape == "latest_prices" else 390 * size.scaling_base.trading_days
    assert len(result) == expected
    driver = loop.driver(call)
    rounds = rounds_for(
        driver, budget=size.seconds_per_benchmark, low=size.min_rounds, high=size.max_rounds
    )
    benchmark.group = f"scaling-{shape}"
    benchmark.extra_info.update(
        kind="scaling",
        shape=shape,
        contender=contender,
        factor=factor,
        minute_bars=spec.minute_bars,
        rows=expected,
    )

    def interleave() -> None:
        loop.run(other())  # pedantic reads a setup's return value as arguments: return None

    benchmark.pedantic(
        driver,
        setup=interleave,
        rounds=rounds,
        warmup_rounds=max(2, rounds // 20),
        iterations=1,
    )
