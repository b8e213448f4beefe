"""Reads too long to hold in memory, in batches through a server-side cursor.

A stream is an async context manager. Entering it opens a cursor (a PostgreSQL portal) on a
named query, inside a transaction: the unit of work's, or outside one, a transaction of its own
on a pooled connection. The iterator it gives fetches one batch each time it is asked, so the
client holds one batch at a time however long the read. Leaving the block, at the end, by
``break`` or by an exception, ends the stream: outside a unit of work its transaction is ended
and the connection goes back to the pool, so an abandoned loop never leaves a connection idle in
a transaction. Inside a unit of work the portal lives until the unit of work ends.

The context manager, rather than a bare async generator, is what makes that deterministic: an
async generator left by ``break`` is closed only once it is collected, by a task the event loop
starts later, and meanwhile its connection stays idle in a transaction.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from boursa_db.domain.market import require_limit
from boursa_db.errors import UsageError, translate_database_error
from boursa_db.repositories.base import DRIVER_ERRORS, Session

if TYPE_CHECKING:
    from asyncpg.cursor import Cursor

    from boursa_db.queries import Query

__all__ = ["DEFAULT_BATCH_SIZE", "MAX_BATCH_SIZE", "stream_query"]

DEFAULT_BATCH_SIZE = 10_000
MAX_BATCH_SIZE = 50_000
"""A batch is held whole in memory: streamed as MarketBar lists, batches of 50,000 peaked at
about 60 MiB above the baseline and batches of 10,000 at about 10 MiB, however long the series."""

Batch = TypeVar("Batch")


def stream_query(
    session: Session,
    query: Query,
    arguments: Mapping[str, Any],
    *,
    batch_size: int,
    to_batch: Callable[[Sequence[Any]], Batch],
) -> contextlib.AbstractAsyncContextManager[AsyncIterator[Batch]]:
    """The rows of ``query`` in batches of at most ``batch_size`` rows, each made by ``to_batch``.

    The arguments and the batch size are checked now, before any connection is taken.
    """
    size = require_limit(batch_size, maximum=MAX_BATCH_SIZE, name="batch_size")
    values = query.bind(arguments)
    return _open_stream(session, query, values, size, to_batch)


@contextlib.asynccontextmanager
async def _open_stream(
    session: Session,
    query: Query,
    values: list[Any],
    batch_size: int,
    to_batch: Callable[[Sequence[Any]], Batch],
) -> AsyncIterator[AsyncIterator[Batch]]:
    async with session.connection() as connection:
        if not connection.is_in_transaction():
            raise UsageError(
                f"{query.name}: a stream needs a transaction; read it in a unit of work or "
                f"through a repository of the persistence context"
            )
        cursor = await connection.cursor(query.sql, *values)
        batches = _Batches(query.name, cursor, batch_size, to_batch)
        try:
            yield batches
        finally:
            batches.close()


class _Batches(Generic[Batch]):
    """The batches of one open cursor; unusable once its stream's block has ended."""

    def __init__(
        self,
        name: str,
        cursor: Cursor[Any],
        batch_size: int,
        to_batch: Callable[[Sequence[Any]], Batch],
    ) -> None:
        self._name = name
        self._cursor: Cursor[Any] | None = cursor
        self._batch_size = batch_size
        self._to_batch = to_batch
        self._exhausted = False

    def __aiter__(self) -> _Batches[Batch]:
        return self

    async def __anext__(self) -> Batch:
        if self._cursor is None:
            raise UsageError(f"{self._name}: the stream was used after its async with block ended")
        if self._exhausted:
            raise StopAsyncIteration
        try:
            records = await self._cursor.fetch(self._batch_size)
        except DRIVER_ERRORS as error:
            raise translate_database_error(error) from error
        # A short batch is the last one; a full one may be followed by an empty fetch.
        self._exhausted = len(records) < self._batch_size
        if not records:
            raise StopAsyncIteration
        return self._to_batch(records)

    def close(self) -> None:
        self._cursor = None
