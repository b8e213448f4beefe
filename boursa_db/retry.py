"""Run a whole Unit of Work again when PostgreSQL aborts it for a concurrency reason.

A serialization failure, a deadlock or an optimistic version conflict means another transaction
won a race; the only correct reaction is to redo the whole unit of work from its reads onwards.

::

    async def transfer(uow: UnitOfWork) -> None:
        source = await uow.portfolios.get_by_id(source_id)
        ...

    await run_with_retry(ctx, transfer, isolation="serializable")
"""

from __future__ import annotations

import asyncio
import random
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, TypeVar

from boursa_db.errors import ConcurrencyConflict

if TYPE_CHECKING:
    from boursa_db.context import PersistenceContext
    from boursa_db.unit_of_work import IsolationLevel, UnitOfWork

__all__ = ["run_with_retry"]

T = TypeVar("T")


async def run_with_retry(
    context: PersistenceContext,
    work: Callable[[UnitOfWork], Awaitable[T]],
    *,
    attempts: int = 5,
    isolation: IsolationLevel = "serializable",
    app_user: str | None = None,
    first_delay: float = 0.01,
    max_delay: float = 1.0,
) -> T:
    """Run ``work`` in a fresh Unit of Work, retrying on :class:`ConcurrencyConflict`.

    Each retry waits a random time up to an exponentially growing bound (full jitter), so that
    the transactions that collided do not collide again. After ``attempts`` failures the last
    conflict propagates. Any other error propagates at once. ``app_user`` is recorded in the
    audit trail of every attempt.
    """
    if attempts < 1:
        raise ValueError("attempts must be at least 1")
    for attempt in range(1, attempts + 1):
        try:
            async with context.uow(isolation=isolation, app_user=app_user) as uow:
                return await work(uow)
        except ConcurrencyConflict:
            if attempt == attempts:
                raise
            bound = min(max_delay, first_delay * 2 ** (attempt - 1))
            await asyncio.sleep(random.uniform(0, bound))  # noqa: S311 - jitter, not security
    raise AssertionError("unreachable")
