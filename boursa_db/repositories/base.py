"""What every repository stands on: a session that lends it a connection, and the queries.

A repository never opens transactions itself. Inside a Unit of Work its session lends the UoW's
connection, so every call joins the UoW's transaction. Outside one (``ctx.users``,
``get_user_repository()``) its session takes a pooled connection and runs a read on its own
(:meth:`PooledSession.read`) and a write in a short transaction of its own. Either way,
driver errors leave the session translated into the boursa_db hierarchy, with the asyncpg
exception chained, and a transaction counts as committed only when PostgreSQL answered its
``COMMIT`` with ``COMMIT`` (:mod:`boursa_db.transactions`).

A pooled connection whose server went away while it sat idle in the pool (a restart, a
terminated backend) fails its ``BEGIN``; it is dropped and replaced, so that such a connection
never reaches a caller (:func:`begin_pooled_transaction`).

A Unit of Work's connection serves one task at a time: asyncpg cannot run two statements on
one connection at once, and interleaving two tasks' statements in one transaction would mix
their work. A second task that calls a repository of a Unit of Work while the first one's call
is running gets :class:`~boursa_db.errors.UsageError`, and so does any call after the Unit of
Work ended.
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import TYPE_CHECKING, Any, Concatenate, ParamSpec, Protocol, TypeVar

import asyncpg

from boursa_db import transactions
from boursa_db.errors import (
    DRIVER_ERRORS,
    BoursaDbError,
    DatabaseUnavailable,
    OutcomeUnknown,
    PoolExhausted,
    UsageError,
    translate_database_error,
)
from boursa_db.queries import Query, QueryLibrary, default_library
from boursa_db.query_types import typed_library
from boursa_db.transactions import IsolationLevel

__all__ = [
    "DRIVER_ERRORS",
    "BoundSession",
    "IsolationLevel",
    "PooledSession",
    "Repository",
    "Session",
    "acquire_connection",
    "begin_pooled_transaction",
    "commit_transaction",
    "needs_reset",
    "release_connection",
]

if TYPE_CHECKING:
    from asyncpg.pool import PoolConnectionProxy

    from boursa_db.connection import Connection

P = ParamSpec("P")
T = TypeVar("T")


async def acquire_connection(
    pool: asyncpg.Pool[Any], *, acquire_timeout: float | None
) -> PoolConnectionProxy[Any]:
    """A connection from the pool, waiting at most ``acquire_timeout`` seconds for a free one."""
    if pool.is_closing():
        raise UsageError(
            "the persistence context is closed: use repositories and units of work only inside "
            "'async with create_persistence_context(...)'"
        )
    asked_at = time.monotonic()
    try:
        if pool.get_idle_size():
            # A connection is free: taking it does not wait (reopening one the server closed
            # is bounded by connect_timeout), so no timer is armed for it.
            return await pool.acquire()
        # asyncio.timeout, not acquire(timeout=...): asyncpg would wrap the wait in a task of
        # its own, about a tenth of a one-row read.
        async with asyncio.timeout(acquire_timeout):
            return await pool.acquire()
    except TimeoutError as error:
        if acquire_timeout is None or time.monotonic() - asked_at < acquire_timeout:
            # Earlier than the wait allows: opening a new connection timed out.
            raise DatabaseUnavailable(
                "the server did not answer a new connection within connect_timeout"
            ) from error
        message = f"no pooled connection became free within {acquire_timeout} s"
        raise PoolExhausted(message) from error
    except DRIVER_ERRORS as error:
        raise translate_database_error(error) from error


def _lost(translated: BoursaDbError, error: BaseException) -> bool:
    """Whether the connection died under a statement (not a timeout): the statement may rerun."""
    return type(translated) is DatabaseUnavailable and not isinstance(error, TimeoutError)


async def begin_pooled_transaction(
    pool: asyncpg.Pool[Any], *, acquire_timeout: float | None, isolation: IsolationLevel
) -> PoolConnectionProxy[Any]:
    """A connection from the pool with a transaction started on it.

    Waits at most ``acquire_timeout`` seconds for a free connection (then
    :class:`~boursa_db.errors.PoolExhausted`). A connection whose server went away while it sat
    in the pool fails its BEGIN: it is dropped and the next one is tried. After a restart every
    pooled connection may be dead, so up to all of them are dropped; a server that is still
    down fails the next connection attempt at once.
    """
    attempts = pool.get_max_size() + 1
    for attempt in range(1, attempts + 1):
        connection = await acquire_connection(pool, acquire_timeout=acquire_timeout)
        try:
            await transactions.begin(connection, isolation)
        except DRIVER_ERRORS as error:
            await release_connection(pool, connection, reset_timeout=acquire_timeout)
            translated = translate_database_error(error)
            # A BEGIN that timed out met a silent server, not a connection that died in the
            # pool: trying the others would only multiply the wait.
            timed_out = isinstance(error, TimeoutError)
            if isinstance(translated, DatabaseUnavailable) and attempt < attempts and not timed_out:
                continue
            raise translated from error
        except BaseException:
            await release_connection(pool, connection, reset_timeout=acquire_timeout)
            raise
        return connection
    raise AssertionError("unreachable")


async def commit_transaction(
    connection: Connection, *, first_failure: BaseException | None = None
) -> None:
    """Commit, confirmed by PostgreSQL.

    Raises :class:`~boursa_db.errors.TransactionAborted` when PostgreSQL rolled the transaction
    back instead (a statement in it had failed), and :class:`~boursa_db.errors.OutcomeUnknown`
    when the connection was lost during the COMMIT.
    """
    try:
        await transactions.commit(connection, first_failure=first_failure)
    except DRIVER_ERRORS as error:
        translated = translate_database_error(error)
        if type(translated) is DatabaseUnavailable:
            raise OutcomeUnknown(
                f"the connection was lost during COMMIT, so whether the work was committed is "
                f"unknown ({translated})"
            ) from error
        raise translated from error


async def rollback_transaction(connection: Connection) -> None:
    """Roll back; a connection that cannot do it (broken, busy, or waiting for the cancel of a
    call that timed out, which a silent server never answers) is closed, which rolls back."""
    if _cancelling(connection):
        connection.terminate()
        return
    try:
        await transactions.rollback(connection)
    except DRIVER_ERRORS:
        connection.terminate()


_LIBRARY_ONLY: contextvars.ContextVar[bool] = contextvars.ContextVar(
    "boursa_db_library_only", default=False
)


def needs_reset() -> bool:
    """Whether the connection being released must be reset (see :func:`release_connection`)."""
    return not _LIBRARY_ONLY.get()


async def release_connection(
    pool: asyncpg.Pool[Any],
    connection: PoolConnectionProxy[Any],
    *,
    reset_timeout: float | None,
    library_only: bool = False,
) -> None:
    """Return the connection to the pool; one that cannot be reset in time is dropped.

    So is one whose last call timed out: asyncpg then sends a cancel request over a new
    connection and makes every later call wait for it, the reset on release included, and a
    server that went silent never answers it.

    ``library_only``: since it was lent, the connection ran only the library's own statements,
    which leave no session state behind (no SET, LISTEN, cursor or advisory lock outlives their
    transaction, and their temporary tables are dropped at COMMIT or named apart), so the
    pool's reset, a round trip as long as a one-row read, is skipped. asyncpg releases in a
    task of its own, which starts from a copy of this task's context: the pool's reset
    callback reads the flag there (:func:`needs_reset`).
    """
    if _cancelling(connection):
        connection.terminate()
    marked = _LIBRARY_ONLY.set(library_only)
    try:
        with contextlib.suppress(*DRIVER_ERRORS, TimeoutError):
            # A connection whose reset fails (its server went away or stopped answering) has
            # been terminated by asyncpg already, and a closed one is only taken back: the pool
            # opens a new one when needed.
            await pool.release(connection, timeout=reset_timeout)
    finally:
        _LIBRARY_ONLY.reset(marked)


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
    """Lends a connection for the duration of one repository call.

    ``connection()`` lends it inside a transaction (the Unit of Work's, or one of its own per
    call). ``read(work, ...)`` runs read-only work, ``await work(connection, ...)``; outside a
    Unit of Work it runs without a transaction: one round trip for a one-statement read instead
    of three (BEGIN, the statement, COMMIT). At READ COMMITTED every statement sees its own
    snapshot with or without a transaction, so a read loses nothing by it.
    """

    def connection(self) -> contextlib.AbstractAsyncContextManager[Connection]: ...

    async def read(
        self,
        work: Callable[Concatenate[Connection, P], Awaitable[T]],
        /,
        *args: P.args,
        **kwargs: P.kwargs,
    ) -> T: ...


class BoundSession:
    """The session of a Unit of Work: always its one connection, inside its transaction.

    It remembers the first error a call raised (the message of a later
    :class:`~boursa_db.errors.TransactionAborted` names it), lends the connection to one task at
    a time, and refuses every call once :meth:`close` was called.
    """

    def __init__(self, connection: Connection | None) -> None:
        self._connection = connection
        self._closed = False
        self._user: asyncio.Task[Any] | None = None
        self._depth = 0
        self.first_failure: BaseException | None = None

    def close(self) -> None:
        """End the session: its Unit of Work is over, later calls raise UsageError."""
        self._closed = True
        self._connection = None

    @property
    def closed(self) -> bool:
        return self._closed

    @contextlib.asynccontextmanager
    async def connection(self) -> AsyncIterator[Connection]:
        connection = self._claim()
        try:
            yield connection
        except DRIVER_ERRORS as error:
            _drop_if_timed_out(connection, error)
            translated = translate_database_error(error)
            self._remember(translated)
            raise translated from error
        except BoursaDbError as error:
            self._remember(error)
            raise
        finally:
            self._depth -= 1
            if self._depth == 0:
                self._user = None

    async def read(
        self,
        work: Callable[Concatenate[Connection, P], Awaitable[T]],
        /,
        *args: P.args,
        **kwargs: P.kwargs,
    ) -> T:
        """Run read-only ``work`` on the Unit of Work's connection, in its transaction."""
        async with self.connection() as connection:
            return await work(connection, *args, **kwargs)

    def _claim(self) -> Connection:
        if self._closed or self._connection is None:
            raise UsageError(
                "this repository's unit of work has ended: open a new one with "
                "'async with ctx.uow() as uow' and use its repositories"
            )
        task = asyncio.current_task()
        if self._user is not None and self._user is not task:
            raise UsageError(
                "a unit of work serves one task at a time, and another task's call on it is "
                "still running: give each task its own unit of work"
            )
        self._user = task
        self._depth += 1
        return self._connection

    def _remember(self, error: BaseException) -> None:
        if self.first_failure is None:
            self.first_failure = error


class PooledSession:
    """A session for repositories used outside a Unit of Work: a transaction per write call."""

    def __init__(self, pool: asyncpg.Pool[Any], *, acquire_timeout: float | None) -> None:
        self._pool = pool
        self._acquire_timeout = acquire_timeout

    @property
    def pool(self) -> asyncpg.Pool[Any]:
        """The pool the session takes its connections from (parallel work takes more)."""
        return self._pool

    @property
    def acquire_timeout(self) -> float | None:
        """How long a call waits for a free pooled connection."""
        return self._acquire_timeout

    @contextlib.asynccontextmanager
    async def connection(self) -> AsyncIterator[Connection]:
        connection = await begin_pooled_transaction(
            self._pool, acquire_timeout=self._acquire_timeout, isolation="read_committed"
        )
        try:
            try:
                yield connection
            except BaseException as error:
                _drop_if_timed_out(connection, error)
                await rollback_transaction(connection)
                raise
            await commit_transaction(connection)
        except DRIVER_ERRORS as error:
            raise translate_database_error(error) from error
        finally:
            await release_connection(self._pool, connection, reset_timeout=self._acquire_timeout)

    async def read(
        self,
        work: Callable[Concatenate[Connection, P], Awaitable[T]],
        /,
        *args: P.args,
        **kwargs: P.kwargs,
    ) -> T:
        """Run read-only ``work`` on a pooled connection, without a transaction.

        A read is safe to repeat: when the connection turns out to be dead (its server went
        away while it sat in the pool), the work runs again on another one, up to once per
        pooled connection; a read that ran out of time is not repeated.
        """
        attempts = self._pool.get_max_size() + 1
        library_only = _runs_library_statements(work)
        for attempt in range(1, attempts + 1):
            connection = await acquire_connection(self._pool, acquire_timeout=self._acquire_timeout)
            try:
                return await work(connection, *args, **kwargs)
            except DRIVER_ERRORS as error:
                translated = translate_database_error(error)
                if not _lost(translated, error) or attempt == attempts:
                    raise translated from error
            finally:
                await release_connection(
                    self._pool,
                    connection,
                    reset_timeout=self._acquire_timeout,
                    library_only=library_only,
                )
        raise AssertionError("unreachable")


def _runs_library_statements(work: object) -> bool:
    """Whether ``work`` runs only statements of the library's own ``sql/``: one of its queries,
    or a read method of one of its repositories bound to them. A caller's own work (or a
    repository given another query library) may leave session state behind: it gets the reset.
    """
    library = default_library()
    if isinstance(work, Query):
        return library.get(work.name) is work
    owner = getattr(work, "__self__", None)
    return (
        isinstance(owner, Repository)
        and type(owner).__module__.startswith("boursa_db.repositories.")
        and owner._queries is typed_library()
    )


class Repository:
    """Base of the repositories: holds the session and the query library."""

    def __init__(self, session: Session, queries: QueryLibrary | None = None) -> None:
        self._session = session
        self._queries = typed_library(queries)
