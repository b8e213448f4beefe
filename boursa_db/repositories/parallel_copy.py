"""One batch written by several pooled connections at once: ``copy(bars, workers=N)``.

The batch is split by a share key (the symbol for bars) into at most ``workers`` shares of
about equal size; each share is written by :func:`~boursa_db.repositories.copying.write_batch`
(the watched COPY, the same conflict handling as a serial copy) on a connection of its own, in
a transaction of its own. No key is in two shares, so the workers never wait for each other's
rows and cannot deadlock each other.

One coordinated outcome. No worker commits before every worker has written its share: the
first failure (a refused row, a duplicate, a lost connection) cancels the others and rolls
every share back, so nothing of the batch is written, and the error is the one a serial copy
would raise (a refused row named by its index in the batch given). Only when every share is
written are the COMMITs sent, together. PostgreSQL has no atomic commit across connections
without prepared transactions (which servers leave off by default), so one narrow window
remains: a connection lost *during* the COMMITs. Then the shares whose COMMIT was confirmed
are written and the others unknown; :class:`~boursa_db.errors.OutcomeUnknown` names the
symbols of each, and running the same batch again with ``SKIP`` or ``UPDATE`` completes it.

Every wait is bounded: each connection is taken within the pool's ``acquire_timeout`` (else
:class:`~boursa_db.errors.PoolExhausted`, nothing written), each COPY is watched as in a serial
copy, and every other statement runs under the pool's ``command_timeout``.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable, Hashable, Iterable, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

import asyncpg

from boursa_db.errors import (
    DRIVER_ERRORS,
    BoursaDbError,
    OutcomeUnknown,
    ValidationError,
    translate_database_error,
)
from boursa_db.repositories.base import (
    begin_pooled_transaction,
    commit_transaction,
    release_connection,
    rollback_transaction,
)
from boursa_db.repositories.copying import ConflictMode, CopyTarget, checked_batch, write_batch

if TYPE_CHECKING:
    from asyncpg.pool import PoolConnectionProxy

__all__ = ["MAX_WORKERS", "copy_in_parallel", "require_workers"]

T = TypeVar("T")

MAX_WORKERS = 64
"""More connections than this write no faster on any server the library targets."""


def require_workers(workers: object, *, pool_size: int | None = None) -> int:
    """``workers`` as a count of connections, or :class:`ValidationError` naming the field."""
    if isinstance(workers, bool) or not isinstance(workers, int):
        message = f"workers: expected an int, got {type(workers).__name__}"
        raise ValidationError(message, field="workers")
    if not 1 <= workers <= MAX_WORKERS:
        message = f"workers: {workers} is not between 1 and {MAX_WORKERS}"
        raise ValidationError(message, field="workers")
    if pool_size is not None and workers > pool_size:
        message = (
            f"workers: {workers} is more than the pool's max_size ({pool_size}); each worker "
            "holds a pooled connection until the whole batch is written"
        )
        raise ValidationError(message, field="workers")
    return workers


async def copy_in_parallel(
    pool: asyncpg.Pool[Any],
    *,
    acquire_timeout: float | None,
    target: CopyTarget[T],
    items: Iterable[object],
    on_conflict: ConflictMode,
    workers: int,
    share_key: Callable[[T], Hashable],
) -> int:
    """Write ``items`` over up to ``workers`` pooled connections; return the rows written.

    The outcome and the errors are those of the module's documentation.
    """
    mode, typed, positions = checked_batch(target, items, on_conflict)
    shares = _shares(typed, positions, share_key, workers)
    if not shares:
        return 0
    connections: list[PoolConnectionProxy[Any]] = []
    committed = False
    try:
        for _ in shares:
            connections.append(
                await begin_pooled_transaction(
                    pool, acquire_timeout=acquire_timeout, isolation="read_committed"
                )
            )
        written = await _write_all(connections, target, typed, shares, mode)
        committed = True
        await _commit_all(connections, [_symbols(typed, share, share_key) for share in shares])
        return written
    finally:
        for connection in connections:
            if not committed:
                # A connection that died was taken back by the pool already (asyncpg then
                # refuses every call on it): its server rolled back when it closed.
                with contextlib.suppress(asyncpg.InterfaceError):
                    await rollback_transaction(connection)
            await release_connection(pool, connection, reset_timeout=acquire_timeout)


def _shares(
    items: list[T], positions: Sequence[int], share_key: Callable[[T], Hashable], workers: int
) -> list[list[int]]:
    """The positions split by share key into at most ``workers`` lists of about equal length.

    Largest groups first, each to the shortest share so far; every share keeps batch order.
    """
    groups: dict[Hashable, list[int]] = {}
    for position in positions:
        groups.setdefault(share_key(items[position]), []).append(position)
    shares: list[list[int]] = [[] for _ in range(min(workers, len(groups)))]
    for group in sorted(groups.values(), key=len, reverse=True):
        min(shares, key=len).extend(group)
    return [sorted(share) for share in shares]


async def _write_all(
    connections: Sequence[PoolConnectionProxy[Any]],
    target: CopyTarget[T],
    items: list[T],
    shares: Sequence[Sequence[int]],
    mode: ConflictMode,
) -> int:
    """Write every share on its connection; the first failure cancels the others."""
    tasks = [
        asyncio.ensure_future(_write_share(connection, target, items, share, mode))
        for connection, share in zip(connections, shares, strict=True)
    ]
    try:
        done, _ = await asyncio.wait(tasks, return_when=asyncio.FIRST_EXCEPTION)
        failed = [task for task in tasks if task in done and task.exception() is not None]
        if failed:
            error = failed[0].exception()
            assert error is not None
            error.add_note(
                "copy with workers: nothing of the batch was written; every worker's "
                "transaction was rolled back"
            )
            raise error
        return sum(task.result() for task in tasks)
    finally:
        for task in tasks:
            task.cancel()
        await asyncio.wait(tasks)
        for task in tasks:
            if not task.cancelled():
                task.exception()  # retrieved, so that asyncio does not log it as lost


async def _write_share(
    connection: PoolConnectionProxy[Any],
    target: CopyTarget[T],
    items: list[T],
    share: Sequence[int],
    mode: ConflictMode,
) -> int:
    try:
        return await write_batch(connection, target, items, share, mode)
    except DRIVER_ERRORS as error:
        raise translate_database_error(error) from error


async def _commit_all(
    connections: Sequence[PoolConnectionProxy[Any]], symbols: Sequence[list[str]]
) -> None:
    """COMMIT every worker's transaction; when one fails, say which shares are written."""
    outcomes = await asyncio.gather(
        *(commit_transaction(connection) for connection in connections), return_exceptions=True
    )
    failures = [outcome for outcome in outcomes if isinstance(outcome, BaseException)]
    if not failures:
        return
    paired = list(zip(symbols, outcomes, strict=True))
    written = sorted(name for names, outcome in paired if outcome is None for name in names)
    unknown = sorted(name for names, outcome in paired if outcome is not None for name in names)
    first = failures[0]
    if not isinstance(first, BoursaDbError):
        raise first
    raise OutcomeUnknown(
        f"copy with workers: a COMMIT failed ({first}). Committed: "
        f"{', '.join(written) or 'nothing'}; not known to be committed: {', '.join(unknown)}. "
        "Copy the batch again with on_conflict=SKIP or UPDATE to complete it."
    ) from first


def _symbols(items: list[T], share: Sequence[int], share_key: Callable[[T], Hashable]) -> list[str]:
    return sorted({str(share_key(items[position])) for position in share})
