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
import time
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
        asked_at = time.monotonic()
        try:
            connection = await pool.acquire(timeout=acquire_timeout)
        except TimeoutError as error:
            if acquire_timeout is None or time.monotonic() - asked_at < acquire_timeout:
                # Earlier than the wait allows: opening a new connection timed out.
                raise DatabaseUnavailable(
                    "the server did not answer a new connection within connect_timeout"
                ) from error
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
            # A BEGIN that timed out met a silent server, not a connection that died in the
            # pool: trying the others would only multiply the wait.
            timed_out = isinstance(error, TimeoutError)
            if isinstance(translated, DatabaseUnavailable) and attempt < attempts and not timed_out:
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
    """Return the connection to the pool; one that cannot be reset in time is dropped.

    So is one whose last call timed out: asyncpg then sends a cancel request over a new
    connection and makes every later call wait for it, the reset on release included, and a
    server that went silent never answers it.
    """
    if _cancelling(connection):
        connection.terminate()
        return
    try:
        await pool.release(connection, timeout=reset_timeout)
    except (*DRIVER_ERRORS, TimeoutError):
        # Its server went away or stopped answering: the pool opens a new one when needed.
        connection.terminate()


def _drop_if_timed_out(connection: Connection, error: BaseException) -> None:
    """Close a connection at once after a call on it timed out on the client side.

    Its ROLLBACK would first wait for asyncpg's cancel request, which a silent server leaves
    unanswered: one more ``command_timeout``, or forever (asyncpg issue 1326). The server rolls
    back the transaction of a connection that closed.
    """
    if isinstance(error, TimeoutError):
        with contextlib.suppress(asyncpg.InterfaceError):  # a pool proxy already released
            connection.terminate()


def _cancelling(connection: Connection) -> bool:
    # asyncpg has no public way to ask; its own pool asks the protocol the same way.
    protocol = getattr(connection, "_protocol", None)
    return bool(protocol is not None and protocol._is_cancelling())


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
            _drop_if_timed_out(self._connection, error)
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
            except BaseException as error:
                _drop_if_timed_out(connection, error)
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
