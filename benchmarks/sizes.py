"""The size presets of the suite: ``smoke``, ``default``, ``large`` and ``history``.

A preset names the main dataset (every query shape runs on it), the history steps (the key
shapes at growing depth of history: on TimescaleDB with one-day chunks, N days are about N
chunks), an optional compressed copy of the deepest step, the ingest batches and how long each
measurement runs. ``history`` is issue 11's setting: three years of daily bars and twenty trading
days of one-minute bars for 40 symbols, one of them last traded 400 days ago.
"""

from __future__ import annotations

import attrs

from benchmarks.dataset import DatasetSpec


@attrs.frozen(kw_only=True)
class Step:
    """One depth of history; ``spec`` None means the main dataset itself (loaded once)."""

    label: str
    days: int
    spec: DatasetSpec | None


@attrs.frozen(kw_only=True)
class Size:
    """A preset of the suite: the main dataset, the history steps, ingest, rounds."""

    name: str
    main: DatasetSpec
    ingest_rows: int
    steps: tuple[Step, ...]
    compressed: DatasetSpec | None
    """A copy of the deepest step with every chunk compressed (measured on TimescaleDB only)."""
    parallel_ingest_rows: int
    parallel_workers: int = 4
    concurrent_callers: int = 200
    calls_per_caller: int = 10
    max_rounds: int = 1000
    min_rounds: int = 30
    seconds_per_benchmark: float = 3.0
    """Timed seconds per way of a shape (the ways of a shape run round-robin)."""
    ingest_rounds: int = 5
    slow_ingest_rounds: int = 3
    parallel_ingest_rounds: int = 2
    compression_symbols: int = 40
    compression_sessions: int = 60
    """One-minute bars in cents compressed by ``bench_compression`` (TimescaleDB only)."""


def history_steps(symbols: int, trading_days: int, depths: tuple[int, ...]) -> tuple[Step, ...]:
    """Steps of ``depths`` calendar days of daily bars, with the same one-minute bars."""
    return tuple(
        Step(
            label=f"{days}d",
            days=days,
            spec=DatasetSpec(symbols=symbols, trading_days=trading_days, history_days=days),
        )
        for days in depths
    )


def _compressed(step: Step, main: DatasetSpec) -> DatasetSpec:
    return attrs.evolve(step.spec or main, compressed=True)


_SMOKE_MAIN = DatasetSpec(
    symbols=8,
    trading_days=3,
    history_days=60,
    users=20,
    positions_per_portfolio=5,
    signals=True,
    stale_symbol=True,
)
_SMOKE_STEPS = history_steps(5, 2, (10, 30, 60))
_DEFAULT_MAIN = DatasetSpec(
    symbols=200,
    trading_days=30,
    history_days=365,
    users=2_000,
    positions_per_portfolio=10,
    signals=True,
    stale_symbol=True,
)
_ISSUE_STEPS = history_steps(40, 20, (30, 300, 1_100))
_HISTORY_MAIN = DatasetSpec(
    symbols=40,
    trading_days=20,
    history_days=1_100,
    users=500,
    positions_per_portfolio=10,
    signals=False,
    stale_symbol=True,
)
_HISTORY_STEPS = (*_ISSUE_STEPS[:2], Step(label="1100d", days=1_100, spec=None))

SIZES = {
    "smoke": Size(
        name="smoke",
        main=_SMOKE_MAIN,
        ingest_rows=2_000,
        steps=_SMOKE_STEPS,
        compressed=_compressed(_SMOKE_STEPS[-1], _SMOKE_MAIN),
        parallel_ingest_rows=8_000,
        parallel_workers=2,
        calls_per_caller=1,
        max_rounds=20,
        min_rounds=3,
        seconds_per_benchmark=0.1,
        ingest_rounds=2,
        slow_ingest_rounds=1,
        parallel_ingest_rounds=1,
        compression_symbols=3,
        compression_sessions=6,
    ),
    "default": Size(
        name="default",
        main=_DEFAULT_MAIN,
        ingest_rows=100_000,
        steps=_ISSUE_STEPS,
        compressed=_compressed(_ISSUE_STEPS[-1], _DEFAULT_MAIN),
        parallel_ingest_rows=2_000_000,
    ),
    "large": Size(
        name="large",
        main=attrs.evolve(_DEFAULT_MAIN, trading_days=130, users=10_000),
        ingest_rows=200_000,
        steps=_ISSUE_STEPS,
        compressed=_compressed(_ISSUE_STEPS[-1], _DEFAULT_MAIN),
        parallel_ingest_rows=2_000_000,
    ),
    "history": Size(
        name="history",
        main=_HISTORY_MAIN,
        ingest_rows=100_000,
        steps=_HISTORY_STEPS,
        compressed=_compressed(_HISTORY_STEPS[-1], _HISTORY_MAIN),
        parallel_ingest_rows=2_000_000,
    ),
}
