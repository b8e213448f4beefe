"""The watch over a running COPY: it ends when its connection dies or it stops making progress.

asyncpg's own bound on a COPY runs from its start, so it would cut a long batch that is going
well, and it does not even end a COPY whose connection died while asyncpg waited for the socket
to drain (it then waits forever). So the driver's bound is off, and the COPY is
watched instead: it ends with :class:`DatabaseUnavailable` as soon as its connection is lost, or
when no row has been taken for the pool's ``command_timeout`` (checked ten times per
``command_timeout``; after the last row that is the time the server has to finish). The
connection is then closed, and its server rolls the transaction back.
"""

from __future__ import annotations

import asyncio
import contextlib
import operator
from collections.abc import Coroutine, Iterator
from typing import TYPE_CHECKING, Any

import asyncpg

from boursa_db.errors import DatabaseUnavailable

if TYPE_CHECKING:
    from boursa_db.connection import Connection

__all__ = ["watched"]

# How often, within one command_timeout, a running COPY is checked for progress.
_CHECKS_PER_DEADLINE = 10


async def watched(
    connection: Connection, copying: Coroutine[Any, Any, int], pending: Iterator[int]
) -> int:
    """Run the COPY; give up when its connection dies or when it stops making progress.

    asyncpg waits for the socket to drain before it sends more rows, and a connection lost
    during that wait never wakes it: without this watch the COPY would wait forever.
    """
    loop = asyncio.get_running_loop()
    task = asyncio.ensure_future(copying)
    lost: asyncio.Future[None] = loop.create_future()

    def on_lost(_: object) -> None:
        if not lost.done():
            lost.set_result(None)

    connection.add_termination_listener(on_lost)
    patience = _command_timeout(connection)
    position, progressed_at = _position(connection, pending), loop.time()
    try:
        while True:
            await asyncio.wait(
                (task, lost),
                timeout=None if patience is None else patience / _CHECKS_PER_DEADLINE,
                return_when=asyncio.FIRST_COMPLETED,
            )
            if task.done():
                return task.result()
            if lost.done():
                reason = "the connection was lost during COPY"
                break
            # Fewer rows to take, or fewer bytes to send: a buffer that grows is no progress.
            reached = _position(connection, pending)
            if reached[0] < position[0] or reached[1] < position[1]:
                progressed_at = loop.time()
            position = reached
            if patience is not None and loop.time() - progressed_at >= patience:
                reason = f"COPY made no progress for {patience:g} s (command_timeout)"
                break
    except asyncio.CancelledError:
        # The caller was cancelled: so is the COPY, which sends CopyFail and leaves the
        # connection usable, as it would have without the watch.
        task.cancel()
        await asyncio.wait((task,))
        raise
    finally:
        if not lost.done():
            with contextlib.suppress(asyncpg.InterfaceError):  # a proxy already released
                connection.remove_termination_listener(on_lost)
    await _abandon(connection, task)
    raise DatabaseUnavailable(reason)


async def _abandon(connection: Connection, task: asyncio.Future[int]) -> None:
    """Drop the connection and stop the COPY task.

    The connection is closed first: cancelling a COPY asks asyncpg to send a cancel request
    over a new connection, which a silent server would leave unanswered.
    """
    with contextlib.suppress(asyncpg.InterfaceError):  # a proxy already released
        connection.terminate()
    task.cancel()
    await asyncio.wait((task,))
    if not task.cancelled():
        task.exception()  # retrieved, so that asyncio does not log it as lost


def _position(connection: Connection, pending: Iterator[int]) -> tuple[int, int]:
    """How far the COPY is: the rows not yet taken, and the bytes not yet sent.

    Bytes leaving the client's buffer are progress too: after the last row is taken, the
    server may still be reading megabytes of buffered rows, slowly on a loaded machine.
    """
    # asyncpg keeps the transport private; its write buffer size is asyncio's public API.
    transport = getattr(connection, "_transport", None)
    unsent = transport.get_write_buffer_size() if transport is not None else 0
    return operator.length_hint(pending), unsent


def _command_timeout(connection: Connection) -> float | None:
    # The pool's command_timeout, which asyncpg keeps in the connection's private config and
    # offers no public getter for. Plain connections without one are watched for loss only.
    config = getattr(connection, "_config", None)
    timeout = getattr(config, "command_timeout", None)
    return None if timeout is None else float(timeout)
