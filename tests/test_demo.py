"""The README's demo command works against DATABASE_URL and with its own embedded server."""

from __future__ import annotations

import os
import subprocess
import sys

from boursa_db.demo import DEMO_SYMBOLS
from boursa_db.migrations import migration_ids


def _run_demo(environment: dict[str, str]) -> str:
    result = subprocess.run(
        [sys.executable, "-m", "boursa_db", "demo"],
        capture_output=True,
        text=True,
        env=environment,
        check=False,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def _latest_price_lines(output: str) -> dict[str, str]:
    return {
        line.split()[0]: line for line in output.splitlines() if line.split()[0] in DEMO_SYMBOLS
    }


async def test_the_demo_prints_the_latest_price_of_every_symbol(database_url: str) -> None:
    output = _run_demo({**os.environ, "DATABASE_URL": database_url})

    assert "0 migration(s) applied" in output
    assert set(_latest_price_lines(output)) == set(DEMO_SYMBOLS)


async def test_the_demo_can_run_twice_on_the_same_database(database_url: str) -> None:
    _run_demo({**os.environ, "DATABASE_URL": database_url})
    output = _run_demo({**os.environ, "DATABASE_URL": database_url})
    assert set(_latest_price_lines(output)) == set(DEMO_SYMBOLS)


def test_the_demo_starts_its_own_server_without_database_url() -> None:
    environment = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    output = _run_demo(environment)
    assert f"{len(migration_ids())} migration(s) applied" in output
    assert set(_latest_price_lines(output)) == set(DEMO_SYMBOLS)
