"""The one error hierarchy of boursa_db: callers catch meaning, not driver exceptions or strings.

Database errors are translated once, by SQLSTATE, in :func:`translate_database_error`; the
original asyncpg exception stays chained as ``__cause__``.

::

    BoursaDbError
    ├── ConfigurationError ── SchemaMismatch
    ├── EmbeddedServerError
    ├── MigrationError
    ├── QueryFileError
    ├── QueryArgumentError (also TypeError)
    ├── ValidationError (also ValueError) ── MissingReference
    ├── NotFound (also LookupError)
    ├── Duplicate
    ├── ConcurrencyConflict ── SerializationFailure, DeadlockDetected
    ├── DatabaseUnavailable ── PoolExhausted
    ├── QueryTimeout
    └── DatabaseError
"""

from __future__ import annotations

import asyncio
import re

import asyncpg
import asyncpg.exceptions._base

__all__ = [
    "BoursaDbError",
    "ConcurrencyConflict",
    "ConfigurationError",
    "DatabaseError",
    "DatabaseUnavailable",
    "DeadlockDetected",
    "Duplicate",
    "EmbeddedServerError",
    "MigrationError",
    "MissingReference",
    "NotFound",
    "PoolExhausted",
    "QueryArgumentError",
    "QueryFileError",
    "QueryTimeout",
    "SchemaMismatch",
    "SerializationFailure",
    "ValidationError",
    "translate_database_error",
]


class BoursaDbError(Exception):
    """Base class of every error raised by boursa_db."""


class ConfigurationError(BoursaDbError):
    """A setting is missing or malformed (a database URL, a pool size, ...)."""


class SchemaMismatch(ConfigurationError):
    """The database schema is not at the version this library expects (pending migrations)."""


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


class ValidationError(BoursaDbError, ValueError):
    """A value was rejected, by the domain before the database or by a constraint in it.

    ``field`` names the offending attribute or constraint when known; ``row`` is the index of the
    offending item in a bulk write.
    """

    def __init__(self, message: str, *, field: str | None = None, row: int | None = None) -> None:
        super().__init__(message)
        self.field = field
        self.row = row


class MissingReference(ValidationError):
    """A row points at another row that does not exist (foreign-key violation)."""


class NotFound(BoursaDbError, LookupError):
    """The entity asked for does not exist."""


class Duplicate(BoursaDbError):
    """A row with the same unique key exists already. ``constraint`` names the key."""

    def __init__(self, message: str, *, constraint: str | None = None) -> None:
        super().__init__(message)
        self.constraint = constraint


class ConcurrencyConflict(BoursaDbError):
    """Another transaction changed the same data first; the work may be retried."""


class SerializationFailure(ConcurrencyConflict):
    """PostgreSQL could not serialize the transaction (SQLSTATE 40001)."""


class DeadlockDetected(ConcurrencyConflict):
    """PostgreSQL broke a deadlock by aborting this transaction (SQLSTATE 40P01)."""


class DatabaseUnavailable(BoursaDbError):
    """The server cannot be reached, went away, or refuses connections now."""


class PoolExhausted(DatabaseUnavailable):
    """No pooled connection became free within the configured wait."""


class QueryTimeout(BoursaDbError):
    """A statement ran past the statement timeout and was cancelled (SQLSTATE 57014)."""


class DatabaseError(BoursaDbError):
    """Any other error reported by the database; ``sqlstate`` tells which."""

    def __init__(self, message: str, *, sqlstate: str | None = None) -> None:
        super().__init__(message)
        self.sqlstate = sqlstate


# A hypertable's chunks carry its constraints under names like "12_34_market_data_pkey".
_CHUNK_PREFIX = re.compile(r"^\d+_(?:\d+_)?")
_UNAVAILABLE_STATES = {"57P01", "57P02", "57P03", "53300", "53400"}


def translate_database_error(error: BaseException) -> BoursaDbError:
    """The boursa_db error for a driver or connection error (not raised: the caller chains it)."""
    if isinstance(error, BoursaDbError):
        return error
    if isinstance(error, asyncpg.PostgresError):
        return _translate_postgres_error(error)
    if isinstance(error, asyncpg.exceptions._base.DataError):
        # The driver could not encode an argument (a str where a number belongs, ...).
        return ValidationError(f"a value cannot be sent to the database: {error}")
    if isinstance(error, asyncpg.InterfaceError | ConnectionError | OSError):
        return DatabaseUnavailable(f"connection lost or refused: {type(error).__name__}: {error}")
    if isinstance(error, asyncio.TimeoutError | TimeoutError):
        return DatabaseUnavailable("timed out waiting for the database")
    return DatabaseError(f"{type(error).__name__}: {error}")


def _translate_postgres_error(error: asyncpg.PostgresError) -> BoursaDbError:
    state = str(getattr(error, "sqlstate", "") or "")
    constraint = getattr(error, "constraint_name", None)
    if constraint:
        constraint = _CHUNK_PREFIX.sub("", constraint)
    detail = getattr(error, "detail", None)
    message = f"{error}" + (f" ({detail})" if detail else "")
    if state == "23505":
        return Duplicate(message, constraint=constraint)
    if state == "23503":
        return MissingReference(message, field=constraint)
    if state.startswith(("23", "22")):
        return ValidationError(message, field=constraint or getattr(error, "column_name", None))
    if state == "40001":
        return SerializationFailure(message)
    if state == "40P01":
        return DeadlockDetected(message)
    if state == "57014":
        return QueryTimeout(message)
    if state.startswith("08") or state in _UNAVAILABLE_STATES:
        return DatabaseUnavailable(message)
    return DatabaseError(message, sqlstate=state or None)
