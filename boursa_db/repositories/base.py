"""What every repository stands on: a session that lends it a connection, and the queries.

A repository never opens transactions itself. Inside a Unit of Work its session lends the UoW's
connection, so every call joins the UoW's transaction. Outside one (``ctx.users``,
``get_user_repository()``) its session takes a pooled connection and runs each call in its own
short transaction. Either way, driver errors leave the session translated into the boursa_db
hierarchy, with the asyncpg exception chained.

A pooled connection whose server went away while it sat idle in the pool (a restart, a
terminated backend) fails its ``BEGIN``; it is dropped and replaced, so that such a connection
never reaches a caller (:func:`begin_pooled_transaction`).
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from typing import TYPE_CHECKING, Any, Literal, Protocol

import asyncpg

from boursa_db.errors import (
    DatabaseUnavailable,
    OutcomeUnknown,
    PoolExhausted,
    translate_database_error,
)
from boursa_db.queries import QueryLibrary
from boursa_db.query_types import typed_library

__all__ = [
    "DRIVER_ERRORS",
    "BoundSession",
    "IsolationLevel",
    "PooledSession",
    "Repository",
    "Session",
    "begin_pooled_transaction",
    "commit_transaction",
    "release_connection",
]

if TYPE_CHECKING:
    from asyncpg.pool import PoolConnectionProxy
    from asyncpg.transaction import Transaction

    from boursa_db.connection import Connection

IsolationLevel = Literal["read_committed", "repeatable_read", "serializable"]
DRIVER_ERRORS = (
    asyncpg.PostgresError,
    asyncpg.InterfaceError,
    asyncpg.InternalClientError,
    OSError,
)
"""What asyncpg raises: server errors, client-side errors, broken protocol states, sockets."""


async def begin_pooled_transaction(
    pool: asyncpg.Pool[Any], *, acquire_timeout: float | None, isolation: IsolationLevel
) -> tuple[PoolConnectionProxy[Any], Transaction]:
    """A connection from the pool with a transaction started on it.

    Waits at most ``acquire_timeout`` seconds for a free connection (then
    :class:`~boursa_db.errors.PoolExhausted`). A connection whose server went away while it sat
    in the pool fails its BEGIN: it is dropped and the next one is tried. After a restart every
    pooled connection may be dead, so up to all of them are dropped; a server that is still
    down fails the next connection attempt at once.
    """
    attempts = pool.get_max_size() + 1
    for attempt in range(1, attempts + 1):
        try:
            connection = await pool.acquire(timeout=acquire_timeout)
        except TimeoutError as error:
            raise PoolExhausted(
                f"no pooled connection became free within {acquire_timeout} s"
            ) from error
        except DRIVER_ERRORS as error:
            raise translate_database_error(error) from error
        transaction = connection.transaction(isolation=isolation)
        try:
            await transaction.start()
        except DRIVER_ERRORS as error:
            await release_connection(pool, connection, reset_timeout=acquire_timeout)
            translated = translate_database_error(error)
            if isinstance(translated, DatabaseUnavailable) and attempt < attempts:
                continue
            raise translated from error
        return connection, transaction
    raise AssertionError("unreachable")


async def commit_transaction(transaction: Transaction) -> None:
    """Commit; a connection lost meanwhile raises :class:`~boursa_db.errors.OutcomeUnknown`."""
    try:
        await transaction.commit()
    except DRIVER_ERRORS as error:
        translated = translate_database_error(error)
        if type(translated) is DatabaseUnavailable:
            raise OutcomeUnknown(
                f"the connection was lost during COMMIT, so whether the work was committed is "
                f"unknown ({translated})"
            ) from error
        raise translated from error


async def release_connection(
    pool: asyncpg.Pool[Any], connection: PoolConnectionProxy[Any], *, reset_timeout: float | None
) -> None:
    """Return the connection to the pool; one that cannot be reset in time is dropped."""
    try:
        await pool.release(connection, timeout=reset_timeout)
    except (*DRIVER_ERRORS, TimeoutError):
        # Its server went away or stopped answering: the pool opens a new one when needed.
        connection.terminate()


class Session(Protocol):
    """Lends a connection for the duration of one repository call."""

    def connection(self) -> contextlib.AbstractAsyncContextManager[Connection]: ...


class BoundSession:
    """The session of a Unit of Work: always its one connection, inside its transaction."""

    def __init__(self, connection: Connection) -> None:
        self._connection = connection

    @contextlib.asynccontextmanager
    async def connection(self) -> AsyncIterator[Connection]:
        try:
            yield self._connection
        except DRIVER_ERRORS as error:
            raise translate_database_error(error) from error


class PooledSession:
    """A session for repositories used outside a Unit of Work: one short transaction per call."""

    def __init__(self, pool: asyncpg.Pool[Any], *, acquire_timeout: float | None) -> None:
        self._pool = pool
        self._acquire_timeout = acquire_timeout

    @contextlib.asynccontextmanager
    async def connection(self) -> AsyncIterator[Connection]:
        connection, transaction = await begin_pooled_transaction(
            self._pool, acquire_timeout=self._acquire_timeout, isolation="read_committed"
        )
        try:
            try:
                yield connection
            except BaseException:
                with contextlib.suppress(*DRIVER_ERRORS):  # a dead connection rolls back itself
                    await transaction.rollback()
                raise
            await commit_transaction(transaction)
        except DRIVER_ERRORS as error:
            raise translate_database_error(error) from error
        finally:
            await release_connection(self._pool, connection, reset_timeout=self._acquire_timeout)


class Repository:
    """Base of the repositories: holds the session and the query library."""

    def __init__(self, session: Session, queries: QueryLibrary | None = None) -> None:
        self._session = session
        self._queries = typed_library(queries)
