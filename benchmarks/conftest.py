"""Fixtures of the benchmark suite: the server, the loaded datasets, the three contenders.

``BOURSA_BENCH_SIZE`` picks the preset (``smoke``, ``default``, ``large``; see
:mod:`benchmarks.dataset`); ``DATABASE_URL`` picks the server (else an embedded one). The
suite's modules are ``bench_*.py``, collected only when ``benchmarks/`` is named on the command
line: the default ``pytest`` run (``testpaths = tests``) never sees them.
"""

from __future__ import annotations

import os
import platform
from collections.abc import Iterator
from datetime import timedelta
from importlib.metadata import version
from pathlib import Path
from typing import Any

import pytest

from benchmarks.dataset import (
    LAST_TRADING_DAY,
    LATEST_PRICE_SYMBOLS,
    SERIES_SYMBOL,
    SIZES,
    Size,
    email,
    series_window,
)
from benchmarks.harness import Contenders, Loop, open_contenders, settle
from benchmarks.server import Server, dataset_database, drop_database, fresh_database, open_server
from benchmarks.shapes import Params

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
            attrs=version("attrs"),
            main_dataset={
                "symbols": size.main.symbols,
                "trading_days": size.main.trading_days,
                "minute_bars": size.main.minute_bars,
                "daily_bar_days": size.main.daily_days,
                "users": size.main.users,
                "positions_per_portfolio": size.main.positions_per_portfolio,
            },
            pool_size=POOL_SIZE,
        )
        yield opened


@pytest.fixture(scope="session")
def main_url(server: Server, size: Size, log: Any) -> str:
    return dataset_database(server, f"boursa_bench_{size.name}_main", size.main, log)


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
    start, end = series_window(size.main)
    return Params(
        symbols=LATEST_PRICE_SYMBOLS,
        series_symbol=SERIES_SYMBOL,
        series_start=start,
        series_end=end,
        portfolio_id=portfolio.id,
        user_email=user_email,
        summary_start=LAST_TRADING_DAY - timedelta(days=364),
        summary_end=LAST_TRADING_DAY,
    )


class ScaledDatabases:
    """The scaling datasets, loaded (or reused) on first use, with boursa_db and raw pools."""

    def __init__(self, server: Server, size: Size, loop: Loop, log: Any) -> None:
        self._server, self._size, self._loop, self._log = server, size, loop, log
        self._open: dict[int, Contenders] = {}

    def contenders(self, factor: int) -> Contenders:
        if factor not in self._open:
            spec = self._size.scaled(factor)
            name = f"boursa_bench_{self._size.name}_scale{factor}"
            url = dataset_database(self._server, name, spec, self._log)
            self._open[factor] = self._loop.run(
                open_contenders(url, pool_size=POOL_SIZE, orm=False)
            )
            RUN_INFO.setdefault("scaling", {})[str(factor)] = {
                "symbols": spec.symbols,
                "trading_days": spec.trading_days,
                "minute_bars": spec.minute_bars,
            }
        return self._open[factor]

    def close(self) -> None:
        for opened in self._open.values():
            self._loop.run(opened.close())


@pytest.fixture(scope="session")
def scaled(server: Server, size: Size, loop: Loop, log: Any) -> Iterator[ScaledDatabases]:
    databases = ScaledDatabases(server, size, loop, log)
    yield databases
    databases.close()


@pytest.fixture(scope="session")
def ingest_url(server: Server) -> Iterator[str]:
    """An empty migrated database for the ingest measurements, dropped at the end."""
    name = "boursa_bench_ingest"
    yield fresh_database(server, name)
    drop_database(server, name)
