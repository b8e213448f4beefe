"""Apply and roll back the schema with yoyo, the same migrations ``yoyo apply`` runs.

Example::

    apply_migrations("postgresql://app@db.internal/trading")
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

from yoyo import get_backend, read_migrations

from boursa_db.errors import MigrationError
from boursa_db.resources import migrations_dir

__all__ = ["applied_migration_ids", "apply_migrations", "migration_ids", "rollback_migrations"]


def migration_ids() -> list[str]:
    """The ids of every migration shipped with the library, in order."""
    return [migration.id for migration in read_migrations(str(migrations_dir()))]


def apply_migrations(database_url: str) -> list[str]:
    """Apply every pending migration; returns the ids applied now (empty when up to date)."""
    with _backend(database_url) as backend, backend.lock():
        pending = backend.to_apply(read_migrations(str(migrations_dir())))
        ids = [migration.id for migration in pending]
        try:
            backend.apply_migrations(pending)
        except Exception as exc:
            raise MigrationError(f"applying migrations failed: {exc}") from exc
    return ids


def rollback_migrations(database_url: str, *, count: int | None = None) -> list[str]:
    """Roll back the newest ``count`` applied migrations (all of them by default)."""
    with _backend(database_url) as backend, backend.lock():
        applied = backend.to_rollback(read_migrations(str(migrations_dir())))
        if count is not None:
            applied = applied[:count]
        ids = [migration.id for migration in applied]
        try:
            backend.rollback_migrations(applied)
        except Exception as exc:
            raise MigrationError(f"rolling back migrations failed: {exc}") from exc
    return ids


def applied_migration_ids(database_url: str) -> list[str]:
    """The ids of the migrations applied to that database, in order of application."""
    with _backend(database_url) as backend:
        applied = backend.get_applied_migration_hashes()
        known = read_migrations(str(migrations_dir()))
        return [migration.id for migration in known if migration.hash in applied]


@contextlib.contextmanager
def _backend(database_url: str) -> Iterator[Any]:
    try:
        backend = get_backend(database_url)
    except Exception as exc:
        raise MigrationError(f"cannot connect to run migrations: {type(exc).__name__}") from exc
    try:
        yield backend
    finally:
        backend.connection.close()
