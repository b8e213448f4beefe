"""Transaction control whose outcome PostgreSQL confirmed: BEGIN, COMMIT, ROLLBACK, savepoints.

The library sends these statements itself instead of using asyncpg's ``Transaction`` because
asyncpg discards the reply to ``COMMIT``. PostgreSQL answers the ``COMMIT`` of a transaction in
which a statement failed with the command tag ``ROLLBACK`` and no error: a caller who caught
that failure and carried on would otherwise be told the work was committed when none of it
was. :func:`commit` reads the tag and raises :class:`~boursa_db.errors.TransactionAborted`
unless it is ``COMMIT``.

Because the library opens transactions with plain ``BEGIN``, asyncpg's own
``connection.transaction()`` refuses to run inside one ("cannot use Connection.transaction()
in a manually started transaction"). Nested atomic steps use :func:`atomic`, which is a
savepoint inside a transaction and a transaction of its own outside one.

Savepoint names come from a counter of this module; nothing of the input becomes SQL.
"""

from __future__ import annotations

import contextlib
import itertools
from collections.abc import AsyncIterator
from typing import TYPE_CHECKING, Literal

from boursa_db.errors import DRIVER_ERRORS, TransactionAborted, ValidationError

if TYPE_CHECKING:
    from boursa_db.connection import Connection

__all__ = ["IsolationLevel", "atomic", "begin", "commit", "rollback"]

IsolationLevel = Literal["read_committed", "repeatable_read", "serializable"]

_BEGIN: dict[str, str] = {
    "read_committed": "BEGIN ISOLATION LEVEL READ COMMITTED",
    "repeatable_read": "BEGIN ISOLATION LEVEL REPEATABLE READ",
    "serializable": "BEGIN ISOLATION LEVEL SERIALIZABLE",
}
_savepoint_numbers = itertools.count(1)


async def begin(connection: Connection, isolation: IsolationLevel = "read_committed") -> None:
    """Start a transaction at the given isolation level."""
    statement = _BEGIN.get(isolation)
    if statement is None:
        known = ", ".join(sorted(_BEGIN))
        raise ValidationError(f"isolation: {isolation!r} is not one of {known}", field="isolation")
    await connection.execute(statement)


async def commit(connection: Connection, *, first_failure: BaseException | None = None) -> None:
    """Commit, and raise :class:`TransactionAborted` unless PostgreSQL answered ``COMMIT``.

    ``first_failure`` is the first error the caller saw in this transaction, if any: it is
    named in the message and chained as ``__cause__``.
    """
    status = await connection.execute("COMMIT")
    if status != "COMMIT":
        raise aborted(first_failure) from first_failure


async def rollback(connection: Connection) -> None:
    """Roll the transaction back."""
    await connection.execute("ROLLBACK")


def aborted(first_failure: BaseException | None) -> TransactionAborted:
    """The error for a transaction PostgreSQL rolled back instead of committing."""
    cause = (
        f"the first error raised in it was {type(first_failure).__name__}: {first_failure}"
        if first_failure is not None
        else "a statement in it failed"
    )
    return TransactionAborted(
        f"nothing was committed: PostgreSQL rolled the transaction back because {cause}. "
        "Run a step that may fail inside 'async with uow.savepoint():' to go on after it."
    )


@contextlib.asynccontextmanager
async def atomic(connection: Connection) -> AsyncIterator[None]:
    """The block as one atomic step: all of it or nothing of it.

    Inside a transaction it is a savepoint: an exception rolls back to it (the transaction goes
    on) and propagates. Outside one it is a transaction of its own, committed only when
    PostgreSQL confirms it.
    """
    if not connection.is_in_transaction():
        await begin(connection)
        try:
            yield
        except BaseException:
            # A failed ROLLBACK means a broken connection: the error that matters is the first.
            with contextlib.suppress(*DRIVER_ERRORS):
                await rollback(connection)
            raise
        await commit(connection)
        return
    name = f"boursa_savepoint_{next(_savepoint_numbers)}"
    await connection.execute(f"SAVEPOINT {name}")
    try:
        yield
    except BaseException:
        with contextlib.suppress(*DRIVER_ERRORS):
            await connection.execute(f"ROLLBACK TO SAVEPOINT {name}; RELEASE SAVEPOINT {name}")
        raise
    await connection.execute(f"RELEASE SAVEPOINT {name}")
