"""What every repository stands on: a session that lends it a connection, and the queries.

A repository never opens transactions itself. Inside a Unit of Work its session lends the UoW's
connection, so every call joins the UoW's transaction. Outside one (``ctx.users``,
``get_user_repository()``) its session takes a pooled connection and runs each call in its own
short transaction. Either way, driver errors leave the session translated into the boursa_db
hierarchy, with the asyncpg exception chained.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from typing import TYPE_CHECKING, Any, Protocol

import asyncpg

from boursa_db.errors import PoolExhausted, translate_database_error
from boursa_db.queries import QueryLibrary
from boursa_db.query_types import typed_library

__all__ = ["BoundSession", "PooledSession", "Repository", "Session"]

if TYPE_CHECKING:
    from boursa_db.connection import Connection


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
        except (asyncpg.PostgresError, asyncpg.InterfaceError, OSError) as error:
            raise translate_database_error(error) from error


class PooledSession:
    """A session for repositories used outside a Unit of Work: one short transaction per call."""

    def __init__(self, pool: asyncpg.Pool[Any], *, acquire_timeout: float | None) -> None:
        self._pool = pool
        self._acquire_timeout = acquire_timeout

    @contextlib.asynccontextmanager
    async def connection(self) -> AsyncIterator[Connection]:
        try:
            connection = await self._pool.acquire(timeout=self._acquire_timeout)
        except TimeoutError as error:
            raise PoolExhausted(
                f"no pooled connection became free within {self._acquire_timeout} s"
            ) from error
        except (asyncpg.PostgresError, asyncpg.InterfaceError, OSError) as error:
            raise translate_database_error(error) from error
        try:
            async with connection.transaction():
                yield connection
        except (asyncpg.PostgresError, asyncpg.InterfaceError, OSError) as error:
            raise translate_database_error(error) from error
        finally:
            await self._pool.release(connection)


class Repository:
    """Base of the repositories: holds the session and the query library."""

    def __init__(self, session: Session, queries: QueryLibrary | None = None) -> None:
        self._session = session
        self._queries = typed_library(queries)
