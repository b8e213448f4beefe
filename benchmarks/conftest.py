"""Fixtures of the benchmark suite: the server, the loaded datasets, the contenders.

``BOURSA_BENCH_SIZE`` picks the preset (``smoke``, ``default``, ``large``, ``history``; see
:mod:`benchmarks.sizes`); ``DATABASE_URL`` picks the server (else an embedded one). The
suite's modules are ``bench_*.py``, collected only when ``benchmarks/`` is named on the command
line: the default ``pytest`` run (``testpaths = tests``) never sees them.
"""

from __future__ import annotations

import asyncio
import os
import platform
import uuid
from collections.abc import Iterator
from datetime import timedelta
from importlib.metadata import version
from pathlib import Path
from typing import Any

import pytest

from benchmarks.dataset import (
    BARS_PER_DAY,
    LAST_TRADING_DAY,
    LATEST_PRICE_SYMBOLS,
    SERIES_SYMBOL,
    STALE_SYMBOL,
    UNKNOWN_SYMBOL,
    DatasetSpec,
    email,
    series_window,
)
from benchmarks.harness import Contenders, Loop, open_contenders, settle
from benchmarks.server import (
    Server,
    dataset_database,
    describe_chunks,
    drop_database,
    fresh_database,
    open_server,
)
from benchmarks.shapes import Params
from benchmarks.sizes import SIZES, Size

POOL_SIZE = 2
"""Connections per contender for the one-caller-at-a-time measurements."""

# Filled by the fixtures, read when pytest-benchmark writes its JSON (after the fixtures ended).
RUN_INFO: dict[str, Any] = {}


def pytest_collect_file(file_path: Path, parent: pytest.Collector) -> pytest.Module | None:
    # A file named on the command line is collected by pytest itself, whatever its name.
    if (
        file_path.suffix == ".py"
        and file_path.name.startswith("bench_")
        and not parent.session.isinitpath(file_path)
    ):
        return pytest.Module.from_parent(parent, path=file_path)
    return None


def pytest_benchmark_update_machine_info(
    config: pytest.Config, machine_info: dict[str, Any]
) -> None:
    machine_info["boursa_bench"] = dict(RUN_INFO)


def selected_size() -> Size:
    name = os.environ.get("BOURSA_BENCH_SIZE", "default")
    if name not in SIZES:
        raise pytest.UsageError(f"BOURSA_BENCH_SIZE={name!r}: use one of {', '.join(SIZES)}")
    return SIZES[name]


@pytest.fixture(scope="session")
def size() -> Size:
    return selected_size()


@pytest.fixture(scope="session")
def log(request: pytest.FixtureRequest) -> Any:
    reporter = request.config.pluginmanager.get_plugin("terminalreporter")

    def write(message: str) -> None:
        if reporter is not None:
            reporter.write_line(f"[bench] {message}")

    return write


@pytest.fixture(scope="session")
def loop() -> Iterator[Loop]:
    runner = Loop()
    yield runner
    runner.close()


@pytest.fixture(scope="session")
def server(size: Size) -> Iterator[Server]:
    with open_server() as opened:
        RUN_INFO.update(
            size=size.name,
            server="embedded" if opened.embedded else "DATABASE_URL",
            postgresql=opened.version,
            timescaledb=opened.timescaledb,
            cores=os.cpu_count(),
            processor=platform.processor() or platform.machine(),
            python=platform.python_version(),
            asyncpg=version("asyncpg"),
            sqlalchemy=version("sqlalchemy"),
            aiosql=version("aiosql"),
            psycopg=version("psycopg"),
            attrs=version("attrs"),
            main_dataset=size.main.describe(),
            pool_size=POOL_SIZE,
        )
        yield opened


def _database(server: Server, name: str, spec: DatasetSpec, label: str, log: Any) -> str:
    url = dataset_database(server, name, spec, log)
    chunks = asyncio.run(describe_chunks(url))
    RUN_INFO.setdefault("datasets", {})[label] = {**spec.describe(), **chunks}
    log(f"{label}: {chunks}")
    return url


def params_for(
    spec: DatasetSpec,
    *,
    portfolio_id: uuid.UUID | None = None,
    user_email: str | None = None,
) -> Params:
    """The arguments of every shape on a dataset of ``spec``."""
    start, end = series_window(spec)
    return Params(
        symbols=LATEST_PRICE_SYMBOLS,
        mixed_symbols=("AAPL", "MSFT", "TSLA", STALE_SYMBOL, UNKNOWN_SYMBOL),
        stale_symbol=STALE_SYMBOL if spec.stale_symbol else None,
        series_symbol=SERIES_SYMBOL,
        series_start=start,
        series_end=end,
        series_bars=min(30, spec.trading_days) * BARS_PER_DAY,
        summary_now=end,
        portfolio_id=portfolio_id,
        user_email=user_email,
        summary_start=LAST_TRADING_DAY - timedelta(days=364),
        summary_end=LAST_TRADING_DAY,
    )


@pytest.fixture(scope="session")
def main_url(server: Server, size: Size, log: Any) -> str:
    return _database(server, f"boursa_bench_{size.name}_main", size.main, "main", log)


@pytest.fixture(scope="session")
def contenders(loop: Loop, main_url: str) -> Iterator[Contenders]:
    opened = loop.run(open_contenders(main_url, pool_size=POOL_SIZE))
    RUN_INFO["timescaledb_in_database"] = opened.context.timescaledb_version
    settle()
    yield opened
    loop.run(opened.close())


@pytest.fixture(scope="session")
def params(loop: Loop, contenders: Contenders, size: Size) -> Params:
    user_email = email(size.main.users // 2)
    user = loop.run(contenders.context.users.find_by_email(user_email))
    assert user is not None
    assert user.id is not None
    portfolio = loop.run(contenders.context.portfolios.find_by_name(user.id, "Main"))
    assert portfolio is not None
    assert portfolio.id is not None
    return params_for(size.main, portfolio_id=portfolio.id, user_email=user_email)


COMPRESSED = "compressed"
"""The label of the compressed copy of the deepest history step."""


class HistorySteps:
    """The history steps (and the compressed copy), loaded or reused on first use, each with
    boursa_db, same-SQL asyncpg and floor pools."""

    def __init__(self, server: Server, size: Size, loop: Loop, log: Any, main_url: str) -> None:
        self._server, self._size, self._loop, self._log = server, size, loop, log
        self._main_url = main_url
        self._open: dict[str, Contenders] = {}

    def spec(self, label: str) -> DatasetSpec:
        if label == COMPRESSED:
            assert self._size.compressed is not None
            return self._size.compressed
        step = next(step for step in self._size.steps if step.label == label)
        return step.spec or self._size.main

    def contenders(self, label: str) -> Contenders:
        if label not in self._open:
            spec = self.spec(label)
            main = label != COMPRESSED and spec == self._size.main
            name = f"boursa_bench_{self._size.name}_{label}"
            url = self._main_url if main else _database(self._server, name, spec, label, self._log)
            if main:
                RUN_INFO.setdefault("datasets", {})[label] = RUN_INFO["datasets"]["main"]
            self._open[label] = self._loop.run(
                open_contenders(url, pool_size=POOL_SIZE, orm=False, peers=False)
            )
        return self._open[label]

    def close(self) -> None:
        for opened in self._open.values():
            self._loop.run(opened.close())


@pytest.fixture(scope="session")
def steps(
    server: Server, size: Size, loop: Loop, log: Any, main_url: str
) -> Iterator[HistorySteps]:
    databases = HistorySteps(server, size, loop, log, main_url)
    yield databases
    databases.close()


@pytest.fixture(scope="session")
def ingest_url(server: Server) -> Iterator[str]:
    """An empty migrated database for the ingest measurements, dropped at the end."""
    name = "boursa_bench_ingest"
    yield fresh_database(server, name)
    drop_database(server, name)
