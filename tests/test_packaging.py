"""A built wheel carries the SQL files and the migrations, and an installed library finds them."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

from boursa_db.migrations import migration_ids
from boursa_db.resources import migrations_dir, sql_dir

PROJECT_ROOT = Path(__file__).resolve().parents[1]


def test_a_checkout_reads_sql_and_migrations_from_the_top_of_the_repository() -> None:
    assert migrations_dir() == PROJECT_ROOT / "migrations"
    assert sql_dir() == PROJECT_ROOT / "sql"


def test_the_wheel_ships_sql_and_migrations_and_the_installed_package_finds_them(
    tmp_path: Path,
) -> None:
    build = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "--wheel-dir",
            str(tmp_path / "dist"),
            str(PROJECT_ROOT),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert build.returncode == 0, build.stderr
    (wheel,) = (tmp_path / "dist").glob("boursa_db-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    for migration_id in migration_ids():
        assert f"boursa_db/_resources/migrations/{migration_id}.sql" in names
        assert f"boursa_db/_resources/migrations/{migration_id}.rollback.sql" in names
    shipped_sql = {name for name in names if name.startswith("boursa_db/_resources/sql/")}
    assert {Path(name).name for name in shipped_sql} == {p.name for p in sql_dir().glob("*.sql")}
    assert "boursa_db/py.typed" in names

    target = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(target)
    probe = subprocess.run(
        [
            sys.executable,
            "-c",
            "import boursa_db.resources as r, boursa_db.migrations as m;"
            "print(r.migrations_dir()); print(r.sql_dir()); print(len(m.migration_ids()))",
        ],
        capture_output=True,
        text=True,
        check=False,
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(target), "PYTHONSAFEPATH": "1"},
    )
    assert probe.returncode == 0, probe.stderr
    found_migrations, found_sql, count = probe.stdout.split()
    assert Path(found_migrations) == target / "boursa_db" / "_resources" / "migrations"
    assert Path(found_sql) == target / "boursa_db" / "_resources" / "sql"
    assert int(count) == len(migration_ids())
