"""The schema is a chain of yoyo migrations: it applies, rolls back completely, applies again."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import asyncpg

from boursa_db.migrations import (
    applied_migration_ids,
    apply_migrations,
    migration_ids,
    rollback_migrations,
)
from boursa_db.resources import migrations_dir

EXPECTED_TABLES = {
    "users",
    "refresh_tokens",
    "system_config",
    "audit_log",
    "instruments",
    "fundamental_data",
    "portfolios",
    "positions",
    "transactions",
    "alerts",
    "notifications",
    "market_data",
    "technical_indicators",
    "signals",
    "portfolio_performance",
}
YOYO_TABLES = {"_yoyo_log", "_yoyo_migration", "_yoyo_version", "yoyo_lock"}


async def _public_objects(url: str) -> dict[str, set[str]]:
    connection = await asyncpg.connect(url)
    try:
        tables = await connection.fetch(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public'"
        )
        functions = await connection.fetch(
            "SELECT proname FROM pg_proc WHERE pronamespace = 'public'::regnamespace"
        )
        views = await connection.fetch(
            "SELECT relname FROM pg_class WHERE relnamespace = 'public'::regnamespace "
            "AND relkind IN ('v', 'm')"
        )
        extensions = await connection.fetch(
            "SELECT extname FROM pg_extension WHERE extname <> 'plpgsql'"
        )
    finally:
        await connection.close()
    return {
        "tables": {row[0] for row in tables},
        "functions": {row[0] for row in functions},
        "views": {row[0] for row in views},
        "extensions": {row[0] for row in extensions},
    }


def test_every_migration_has_a_rollback_file() -> None:
    folder = migrations_dir()
    for migration_id in migration_ids():
        assert (folder / f"{migration_id}.rollback.sql").is_file(), migration_id


async def test_migrations_apply_on_an_empty_database(empty_database_url: str) -> None:
    applied = apply_migrations(empty_database_url)

    assert applied == migration_ids()
    objects = await _public_objects(empty_database_url)
    assert objects["tables"] - YOYO_TABLES >= EXPECTED_TABLES
    assert applied_migration_ids(empty_database_url) == migration_ids()


async def test_applying_twice_applies_nothing_the_second_time(empty_database_url: str) -> None:
    apply_migrations(empty_database_url)

    assert apply_migrations(empty_database_url) == []


async def test_rollback_removes_everything_and_the_chain_applies_again(
    empty_database_url: str,
) -> None:
    before = await _public_objects(empty_database_url)
    apply_migrations(empty_database_url)

    rolled_back = rollback_migrations(empty_database_url)

    assert rolled_back == list(reversed(migration_ids()))
    after = await _public_objects(empty_database_url)
    assert after["tables"] - YOYO_TABLES == before["tables"]
    assert after["functions"] == before["functions"]
    assert after["views"] == before["views"]
    assert after["extensions"] == before["extensions"]
    assert applied_migration_ids(empty_database_url) == []

    assert apply_migrations(empty_database_url) == migration_ids()
    assert (await _public_objects(empty_database_url))["tables"] >= EXPECTED_TABLES


async def test_each_migration_rolls_back_on_its_own(empty_database_url: str) -> None:
    apply_migrations(empty_database_url)
    for expected in reversed(migration_ids()):
        assert rollback_migrations(empty_database_url, count=1) == [expected]
    assert (await _public_objects(empty_database_url))["tables"] <= YOYO_TABLES


async def test_yoyo_command_line_applies_the_migrations(empty_database_url: str) -> None:
    yoyo = Path(sys.executable).with_name("yoyo")
    command = [
        str(yoyo),
        "apply",
        "--batch",
        "--database",
        empty_database_url,
        str(migrations_dir()),
    ]

    result = subprocess.run(
        command, capture_output=True, text=True, env=dict(os.environ), check=False
    )

    assert result.returncode == 0, result.stderr
    assert (await _public_objects(empty_database_url))["tables"] >= EXPECTED_TABLES
    assert applied_migration_ids(empty_database_url) == migration_ids()


async def test_the_command_line_of_the_library_applies_and_rolls_back(
    empty_database_url: str,
) -> None:
    def run(*arguments: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "boursa_db", *arguments, "--database-url", empty_database_url],
            capture_output=True,
            text=True,
            check=False,
        )

    applied = run("migrate")
    assert applied.returncode == 0, applied.stderr
    assert applied.stdout.split() == migration_ids()
    assert run("migrate").stdout.strip() == "nothing to do"
    rolled_back = run("rollback")
    assert rolled_back.returncode == 0, rolled_back.stderr
    assert applied_migration_ids(empty_database_url) == []
