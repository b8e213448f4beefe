"""The one error hierarchy of boursa_db: callers catch meaning, not driver exceptions or strings."""

from __future__ import annotations

__all__ = [
    "BoursaDbError",
    "ConfigurationError",
    "EmbeddedServerError",
    "MigrationError",
    "QueryArgumentError",
    "QueryFileError",
]


class BoursaDbError(Exception):
    """Base class of every error raised by boursa_db."""


class ConfigurationError(BoursaDbError):
    """A setting is missing or malformed (a database URL, a pool size, ...)."""


class EmbeddedServerError(BoursaDbError):
    """The throwaway PostgreSQL server could not be found, started or reached."""


class MigrationError(BoursaDbError):
    """Applying or rolling back the schema migrations failed."""


class QueryFileError(BoursaDbError):
    """A ``.sql`` file is malformed; raised when the files are loaded, naming file and line."""

    def __init__(self, source: str, message: str) -> None:
        super().__init__(f"{source}: {message}")
        self.source = source


class QueryArgumentError(BoursaDbError, TypeError):
    """A query was called with missing or unexpected arguments (a programming error)."""
