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
    ├── TransactionAborted
    ├── UsageError (also RuntimeError)
    ├── DatabaseUnavailable ── PoolExhausted, OutcomeUnknown
    ├── PermissionDenied
    ├── QueryTimeout
    └── DatabaseError

Messages carry no secrets. A connection error names host, port, user and database, never the
password, and the library shows URLs only through :func:`boursa_db.urls.redact_url`. The detail
PostgreSQL adds to a constraint violation echoes the refused row or key, which may hold a
password hash or a token hash: it is withheld, from the message and from the chained asyncpg
exception alike; the constraint's name says which rule failed.
"""

from __future__ import annotations

import asyncio
import re
import ssl

import asyncpg
import asyncpg.exceptions._base

__all__ = [
    "DRIVER_ERRORS",
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
    "OutcomeUnknown",
    "PermissionDenied",
    "PoolExhausted",
    "QueryArgumentError",
    "QueryFileError",
    "QueryTimeout",
    "SchemaMismatch",
    "SerializationFailure",
    "TransactionAborted",
    "UsageError",
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


class TransactionAborted(BoursaDbError):
    """The transaction was aborted by an earlier error, so its work cannot be committed.

    PostgreSQL refuses every statement of a transaction after one failed, and answers its COMMIT
    with ROLLBACK. A caller who caught that first error and carried on gets this error when the
    Unit of Work ends (or at :meth:`~boursa_db.unit_of_work.UnitOfWork.commit`), never a silent
    loss. ``__cause__`` is the first failure. To go on after an error, run the step that may fail
    inside ``async with uow.savepoint():``.
    """


class UsageError(BoursaDbError, RuntimeError):
    """The library was used in a way it does not allow (a programming error, never retryable).

    E.g. a Unit of Work used after it ended or by two tasks at once, a repository kept past its
    Unit of Work, a call on a closed context.
    """


class DatabaseUnavailable(BoursaDbError):
    """The server cannot be reached, went away, or refuses connections now."""


class PoolExhausted(DatabaseUnavailable):
    """No pooled connection became free within the configured wait."""


class OutcomeUnknown(DatabaseUnavailable):
    """The connection was lost while committing: the work may or may not have been committed.

    Nothing tells which. Redo the work only if it is idempotent (keys the database deduplicates,
    such as a transaction's ``external_id`` or a bar's time), or check what landed first.
    """


class PermissionDenied(BoursaDbError):
    """The role may not do this (SQLSTATE 42501) or could not log in (SQLSTATE class 28)."""


class QueryTimeout(BoursaDbError):
    """A statement ran past the statement timeout and was cancelled (SQLSTATE 57014)."""


class DatabaseError(BoursaDbError):
    """Any other error reported by the database; ``sqlstate`` tells which."""

    def __init__(self, message: str, *, sqlstate: str | None = None) -> None:
        super().__init__(message)
        self.sqlstate = sqlstate


DRIVER_ERRORS = (
    asyncpg.PostgresError,
    asyncpg.InterfaceError,
    asyncpg.InternalClientError,
    OSError,
)
"""What asyncpg raises: server errors, client-side errors, broken protocol states, sockets."""

# A hypertable's chunks carry its constraints under names like "12_34_market_data_pkey".
_CHUNK_PREFIX = re.compile(r"^\d+_(?:\d+_)?")
_UNAVAILABLE_STATES = {"57P01", "57P02", "57P03", "53300", "53400"}
# "Failing row contains (...)" (check, not-null) and "Key (...)=(...)" (unique, foreign key).
_ROW_ECHOES = ("Failing row contains", "Key (")
_WITHHELD = "(the values of the row are withheld: they may hold secrets)"


def translate_database_error(error: BaseException) -> BoursaDbError:
    """The boursa_db error for a driver or connection error (not raised: the caller chains it)."""
    if isinstance(error, BoursaDbError):
        return error
    if isinstance(error, asyncpg.PostgresError):
        return _translate_postgres_error(error)
    if isinstance(error, asyncpg.exceptions._base.DataError):
        # The driver could not encode an argument (a str where a number belongs, ...).
        return ValidationError(f"a value cannot be sent to the database: {error}")
    if isinstance(error, asyncpg.exceptions._base.ClientConfigurationError):
        return ConfigurationError(f"bad connection settings: {error}")
    if isinstance(error, ssl.SSLCertVerificationError):
        # Not transient: the root certificate or the host name does not match the server's.
        return ConfigurationError(f"the server's TLS certificate was refused: {error}")
    lost = _connection_loss(error)
    if lost is not None:
        # asyncpg reports a connection lost inside a transaction block as an InterfaceError of
        # the block's exit; the server's reason is further down the chain.
        return DatabaseUnavailable(f"connection lost: {type(lost).__name__}: {lost}")
    if isinstance(error, asyncpg.OutdatedSchemaCacheError):
        # A migration changed a type under a statement cached on this connection.
        return ConcurrencyConflict(f"the schema changed under a cached statement: {error}")
    if isinstance(error, asyncpg.InternalClientError):
        # E.g. the server's farewell (a terminated backend) arrived while the connection was
        # idle: the connection is in a state no statement can follow, and will be dropped.
        return DatabaseUnavailable(f"the connection broke: {error}")
    if isinstance(error, asyncpg.InterfaceError) and _is_misuse(error):
        return UsageError(f"the connection was used wrongly: {error}")
    if isinstance(error, asyncio.TimeoutError | TimeoutError):
        # Before OSError, of which TimeoutError is a subclass (and which says nothing more).
        return DatabaseUnavailable("timed out waiting for the database (command_timeout)")
    if isinstance(error, asyncpg.InterfaceError | ConnectionError | OSError):
        return DatabaseUnavailable(f"connection lost or refused: {type(error).__name__}: {error}")
    return DatabaseError(f"{type(error).__name__}: {error}")


# asyncpg's words for a connection used by two tasks at once, or a pool used after it closed.
_MISUSE_MESSAGES = ("another operation is in progress", "pool is closing", "pool is closed")


def _is_misuse(error: asyncpg.InterfaceError) -> bool:
    message = str(error)
    return any(words in message for words in _MISUSE_MESSAGES)


def _connection_loss(error: BaseException) -> BaseException | None:
    """The server-side reason a connection died, if one is chained to ``error``."""
    seen: set[int] = set()
    cause = error.__cause__ or error.__context__
    while cause is not None and id(cause) not in seen:
        seen.add(id(cause))
        if isinstance(cause, asyncpg.PostgresError) and _is_unavailable(cause):
            return cause
        cause = cause.__cause__ or cause.__context__
    return None


def _is_unavailable(error: asyncpg.PostgresError) -> bool:
    state = str(getattr(error, "sqlstate", "") or "")
    return state.startswith("08") or state in _UNAVAILABLE_STATES


def _translate_postgres_error(error: asyncpg.PostgresError) -> BoursaDbError:
    if isinstance(error, asyncpg.exceptions.InvalidCachedStatementError):
        # A migration changed a table under a statement prepared on this connection; asyncpg
        # re-prepares it by itself only outside a transaction. Running the work again succeeds.
        return ConcurrencyConflict(f"the schema changed under a cached statement: {error}")
    state = str(getattr(error, "sqlstate", "") or "")
    constraint = getattr(error, "constraint_name", None)
    if constraint:
        constraint = _CHUNK_PREFIX.sub("", constraint)
    detail = getattr(error, "detail", None)
    if isinstance(detail, str) and detail.startswith(_ROW_ECHOES):
        # asyncpg prints .detail whenever the exception is shown, so it goes at the source.
        error.detail = _WITHHELD
    message = str(error)
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
    if _is_unavailable(error):
        return DatabaseUnavailable(message)
    if state == "42501" or state.startswith("28"):
        return PermissionDenied(message)
    return DatabaseError(message, sqlstate=state or None)
