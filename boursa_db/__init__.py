"""boursa_db: the raw-SQL asyncpg persistence layer of a trading platform."""

from __future__ import annotations

from boursa_db.errors import (
    BoursaDbError,
    ConfigurationError,
    EmbeddedServerError,
    MigrationError,
    QueryArgumentError,
    QueryFileError,
)
from boursa_db.migrations import apply_migrations, rollback_migrations

__all__ = [
    "BoursaDbError",
    "ConfigurationError",
    "EmbeddedServerError",
    "MigrationError",
    "QueryArgumentError",
    "QueryFileError",
    "apply_migrations",
    "rollback_migrations",
]
