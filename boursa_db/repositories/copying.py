"""Bulk writes with binary COPY, shared by the time-series repositories.

Three ways to meet rows that exist already (:class:`ConflictMode`):

* ``FAIL``: COPY straight into the table. The fastest path; a row whose key exists already
  (in the table or earlier in the batch) fails the whole batch with :class:`Duplicate`.
* ``SKIP`` and ``UPDATE``: COPY into a temporary staging table shaped like the target, then one
  ``INSERT ... SELECT ... ON CONFLICT DO NOTHING`` or ``DO UPDATE``. PostgreSQL's COPY cannot
  upsert, and ``ON CONFLICT`` keeps the first of two rows with one key (``DO NOTHING``) or refuses
  them (``DO UPDATE``), so the batch is reduced to the last occurrence of each key: up front for
  ``SKIP``, and for ``UPDATE`` only when the upsert found a key twice. Most batches only add
  rows (new bars after the stored ones), so the batch is first COPYed straight into the table
  inside a savepoint: when no key exists yet that is the whole write, at the speed of ``FAIL``,
  with the same result as the staging path; the first existing key (or a deadlock with a
  concurrent batch) rolls the savepoint back and the staging path runs. A large batch whose
  first key is stored (a re-ingest) goes to staging at once, when the target can probe a key
  (``CopyTarget.stored``).

The market-data upsert leaves a stored row equal to the new one as it is (no new row version:
re-ingesting stored bars costs a third of replacing them), and its staging table has no CHECK
constraints (checking every staged row cost a third of the upsert); the upsert checks what it
writes, and when it refuses a row the batch is COPYed again into a checked table
(``CopyTarget.create_checked_staging``) so that the error names the row, as the other paths do.
For ``UPDATE`` the count is the batch's distinct keys: each now holds the batch's row.

Every batch is written inside :func:`~boursa_db.transactions.atomic` (a savepoint inside a
Unit of Work), so a failure writes nothing of it. The staging table lives until the end of the
transaction (``ON COMMIT DROP``) and is emptied (``TRUNCATE``) after each upsert, so later
batches of the same transaction reuse it.

A target may keep another table up to date from its writes (``CopyTarget.kept``: the newest bar
of each key for ``market_data``, :mod:`boursa_db.repositories.latest_bars`): its row triggers are
told to skip the batch before it is written, and the kept table is merged from the batch once,
after it is written, in the same transaction.

Deadlines: the COPY is watched (:mod:`boursa_db.repositories.copy_watch`).

Tables, columns and keys are fixed by the queries of ``sql/``; nothing of the input becomes SQL.
"""

from __future__ import annotations

import contextlib
import enum
import math
import operator
import re
from collections.abc import (
    Awaitable,
    Callable,
    Hashable,
    Iterable,
    Mapping,
    Sequence,
)
from typing import TYPE_CHECKING, Any, Generic, TypeVar, cast

import asyncpg
import attrs

from boursa_db.errors import (
    BoursaDbError,
    DatabaseError,
    DeadlockDetected,
    Duplicate,
    ValidationError,
    translate_database_error,
)
from boursa_db.queries import Query
from boursa_db.repositories.copy_watch import watched
from boursa_db.transactions import atomic

if TYPE_CHECKING:
    from boursa_db.connection import Connection
    from boursa_db.repositories.base import Session

__all__ = [
    "ConflictMode",
    "CopyTarget",
    "KeptTable",
    "checked_batch",
    "copy_items",
    "write_batch",
]

T = TypeVar("T")

# PostgreSQL's error context for a row refused during COPY: "COPY market_data, line 3".
_COPY_LINE = re.compile(r"\bCOPY \S+, line (\d+)")
# What asyncpg's encoders raise for a value they cannot write: a str that is not valid UTF-8
# (UnicodeEncodeError is a ValueError), an int too large for its column's type, JSON that
# json.dumps refuses. asyncpg's own DataError is a ValueError too.
_ENCODING_ERRORS = (TypeError, ValueError, OverflowError)
# Batches of at least this many rows probe their first key before an upserting COPY.
_PROBED_FROM = 1_000


class ConflictMode(enum.Enum):
    """What a bulk write does with a row whose key exists already."""

    FAIL = "fail"
    """Refuse the whole batch with :class:`~boursa_db.errors.Duplicate`."""
    SKIP = "skip"
    """Keep the stored row and drop the new one."""
    UPDATE = "update"
    """Replace the stored row with the new one."""


@attrs.frozen(kw_only=True)
class KeptTable(Generic[T]):
    """A table that the target's row triggers keep up to date, which a bulk write keeps itself.

    ``defer`` turns the triggers off for the rest of the transaction; ``merge`` brings the table
    up to date from a written batch (``items[i]`` for ``i`` in the positions written, and the
    conflict mode) and turns them back on.
    """

    defer: Query
    merge: Callable[[Connection, list[T], Sequence[int], ConflictMode], Awaitable[None]]


@attrs.frozen(kw_only=True)
class CopyTarget(Generic[T]):
    """How one table takes bulk writes: the items it accepts and the queries that write them.

    ``to_record`` gives a tuple in the column order of the ``:copy`` queries, ``key`` the values of
    the table's primary key and ``describe`` a short name of an item for error messages.
    """

    item_type: type[T]
    to_record: Callable[[T], tuple[Any, ...]]
    key: Callable[[T], Hashable]
    describe: Callable[[T], str]
    copy_into_table: Query
    create_staging: Query
    copy_into_staging: Query
    insert_from_staging: Query
    upsert_from_staging: Query
    empty_staging: Query
    create_checked_staging: Query | None = None
    """A table with the target's CHECK constraints, when the staging table has none: a batch the
    merge refused is COPYed into it to name the refused row. None when the staging table keeps
    the constraints (its COPY names the row itself)."""
    copy_into_checked_staging: Query | None = None
    stored: Callable[[Connection, T], Awaitable[bool]] | None = None
    """Whether an item's key is stored already: probed for the first item of a large batch to
    skip a COPY straight into the table that would fail. None: never probed."""
    kept: KeptTable[T] | None = None
    """A table kept up to date from the target's writes, or None."""


async def copy_items(
    session: Session, target: CopyTarget[T], items: Iterable[object], on_conflict: ConflictMode
) -> int:
    """Write ``items`` with binary COPY; return how many rows were inserted or updated.

    ``items`` that is not an iterable of ``target.item_type`` (None, a number, a str, a mapping,
    or an iterable holding another type) raises :class:`ValidationError`, with ``row`` set to
    the index of the first intruder, before the database is touched; an empty batch returns 0
    without touching it. A row the database refuses, or that cannot be encoded for it (text
    with a lone surrogate, JSON that cannot be written, a number too large for its column's
    type), raises :class:`ValidationError` (``row`` set) or :class:`Duplicate` naming its
    index, and nothing of the batch is written. A connection lost or a server gone silent
    raises :class:`DatabaseUnavailable` (see the module's documentation for the deadlines).
    """
    mode, typed, positions = checked_batch(target, items, on_conflict)
    if not positions:
        return 0
    async with session.connection() as connection, atomic(connection):
        return await write_batch(connection, target, typed, positions, mode)


def checked_batch(
    target: CopyTarget[T], items: Iterable[object], on_conflict: object
) -> tuple[ConflictMode, list[T], Sequence[int]]:
    """The mode, the items checked for type, and the indices of the items to send.

    ``positions[i]`` is the index in the batch of the i-th record sent (COPY's line i + 1):
    the last occurrence of each key for ``SKIP``, every item otherwise. ``UPDATE`` reduces the
    batch only when the upsert finds a key twice (:func:`write_batch`): reducing a batch whose
    keys are all distinct, as nearly all are, cost a tenth of an upsert of 100,000 stored bars.
    """
    mode = _conflict_mode(on_conflict)
    typed = _checked(target, _as_list(target, items))
    positions: Sequence[int] = (
        _last_of_each(target, typed, range(len(typed)))
        if mode is ConflictMode.SKIP
        else range(len(typed))
    )
    return mode, typed, positions


async def write_batch(
    connection: Connection,
    target: CopyTarget[T],
    items: list[T],
    positions: Sequence[int],
    mode: ConflictMode,
) -> int:
    """Write ``items[i]`` for each ``i`` in ``positions``, inside the caller's transaction.

    A failure leaves the kept table's triggers deferred: the caller's transaction or savepoint,
    which rolls back, takes the deferral back with it.
    """
    kept = target.kept
    if kept is None:
        return await _write_rows(connection, target, items, positions, mode)
    await kept.defer(connection)
    written = await _write_rows(connection, target, items, positions, mode)
    await kept.merge(connection, items, positions, mode)
    return written


async def _write_rows(
    connection: Connection,
    target: CopyTarget[T],
    items: list[T],
    positions: Sequence[int],
    mode: ConflictMode,
) -> int:
    if mode is ConflictMode.FAIL:
        return await _copy(connection, target.copy_into_table, target, items, positions)
    if not await _first_is_stored(connection, target, items, positions):
        try:
            async with atomic(connection):
                return await _copy(connection, target.copy_into_table, target, items, positions)
        except (Duplicate, DeadlockDetected):
            # Some keys exist already, or a concurrent batch holds some of them (it met them in
            # another order): merge through the staging table, which inserts in key order.
            pass
    await target.create_staging(connection)
    await _copy(connection, target.copy_into_staging, target, items, positions)
    try:
        written = await _merge(connection, target, items, positions, mode)
    except _RepeatedKey:
        # ON CONFLICT DO UPDATE cannot touch a row twice: keep the last occurrence of each key.
        positions = _last_of_each(target, items, positions)
        await target.empty_staging(connection)
        await _copy(connection, target.copy_into_staging, target, items, positions)
        written = await _merge(connection, target, items, positions, mode)
    await target.empty_staging(connection)
    return written


async def _first_is_stored(
    connection: Connection, target: CopyTarget[T], items: list[T], positions: Sequence[int]
) -> bool:
    # A COPY that fails on its first row still encodes and sends the whole batch: about a
    # tenth of an upsert of 100,000 stored bars, for one round trip. Small batches fail fast.
    if target.stored is None or len(positions) < _PROBED_FROM:
        return False
    return await target.stored(connection, items[positions[0]])


async def _merge(
    connection: Connection,
    target: CopyTarget[T],
    items: list[T],
    positions: Sequence[int],
    mode: ConflictMode,
) -> int:
    """Move the staged rows into the table; a row it refuses is named by a checked COPY."""
    try:
        async with atomic(connection):
            if mode is ConflictMode.SKIP:
                return int(await target.insert_from_staging(connection))
            # Every key of the batch now holds the batch's row, whether it was inserted,
            # replaced, or found equal and left alone: the count is the batch's keys.
            await target.upsert_from_staging(connection)
            return len(positions)
    except asyncpg.CardinalityViolationError as error:
        raise _RepeatedKey from error
    except asyncpg.PostgresError as error:
        translated = translate_database_error(error)
        if isinstance(translated, ValidationError):
            await _name_refused_row(connection, target, items, positions)
        raise translated from error


async def _name_refused_row(
    connection: Connection, target: CopyTarget[T], items: list[T], positions: Sequence[int]
) -> None:
    """Raise the refused row's error, named by its index, from a COPY into a checked table.

    Returns when there is no checked table or the COPY took every row (the merge failed on a
    rule the checked table does not hold, such as a foreign key): the merge's error stands.
    """
    create, copy_checked = target.create_checked_staging, target.copy_into_checked_staging
    if create is None or copy_checked is None:
        return
    with contextlib.suppress(_NothingRefused):
        async with atomic(connection):
            await create(connection)
            await _copy(connection, copy_checked, target, items, positions)
            # Rolls the checked rows back: they were only sent to find the refused one.
            raise _NothingRefused


class _NothingRefused(Exception):
    """The checked COPY took every row."""


class _RepeatedKey(Exception):
    """The upsert met a key twice in the staged rows."""


def _as_list(target: CopyTarget[T], items: object) -> list[object]:
    # A str or a mapping is iterable, but of characters or keys: never what the caller meant.
    if isinstance(items, str | bytes | bytearray | Mapping) or not isinstance(items, Iterable):
        raise ValidationError(
            f"expected an iterable of {target.item_type.__name__}, got {type(items).__name__}"
        )
    return list(items)


def _conflict_mode(value: object) -> ConflictMode:
    try:
        return ConflictMode(value)
    except ValueError:
        known = ", ".join(f"ConflictMode.{mode.name}" for mode in ConflictMode)
        message = f"on_conflict: {value!r} is not one of {known}"
        raise ValidationError(message, field="on_conflict") from None


def _checked(target: CopyTarget[T], batch: list[object]) -> list[T]:
    item_type = target.item_type
    if not all(map(item_type.__instancecheck__, batch)):
        for index, item in enumerate(batch):
            if not isinstance(item, item_type):
                raise ValidationError(
                    f"row {index}: expected a {item_type.__name__}, got {type(item).__name__}",
                    row=index,
                )
    return cast("list[T]", batch)


def _last_of_each(target: CopyTarget[T], items: list[T], positions: Sequence[int]) -> list[int]:
    """Of ``positions``, the last occurrence of each key, in order of first occurrence.

    A dict built from (key, position) pairs keeps the first place of each key and the last
    position written for it: exactly that, in C.
    """
    keys = map(target.key, map(items.__getitem__, positions))
    last: dict[Hashable, int] = dict(zip(keys, positions, strict=True))
    return list(last.values())


async def _copy(
    connection: Connection,
    query: Query,
    target: CopyTarget[T],
    items: list[T],
    positions: Sequence[int],
) -> int:
    # Records are made while COPY encodes them, one at a time, by map() (the loop stays in C):
    # a list of 100,000 tuples would cost more to build, and to garbage-collect, than to send.
    # asyncpg encodes each record as soon as it has taken it, so what is left of ``pending``
    # tells how far COPY got: the progress the watch sees, and the row a client-side failure
    # belongs to.
    pending = iter(positions)
    records = map(target.to_record, map(items.__getitem__, pending))
    try:
        return await watched(
            connection, query.copy(connection, records, driver_timeout=math.inf), pending
        )
    except asyncpg.PostgresError as error:
        raise _naming_the_row(error, target, items, positions) from error
    except BoursaDbError:
        raise
    except _ENCODING_ERRORS as error:
        taken = len(positions) - operator.length_hint(pending)
        if taken == 0:
            raise ValidationError(f"the batch cannot be sent to the database: {error}") from error
        index = positions[taken - 1]
        message = (
            f"row {index} ({target.describe(items[index])}): a value cannot be sent to the "
            f"database ({type(error).__name__}: {error})"
        )
        raise ValidationError(message, row=index) from error


def _naming_the_row(
    error: asyncpg.PostgresError, target: CopyTarget[T], items: list[T], positions: Sequence[int]
) -> BoursaDbError:
    """The translated error, its message naming the refused row when PostgreSQL tells which."""
    translated = translate_database_error(error)
    line = _COPY_LINE.search(str(getattr(error, "context", None) or ""))
    if line is None or not 1 <= int(line.group(1)) <= len(positions):
        return translated
    index = positions[int(line.group(1)) - 1]
    message = f"row {index} ({target.describe(items[index])}): {translated}"
    if isinstance(translated, ValidationError):
        return type(translated)(message, field=translated.field, row=index)
    if isinstance(translated, Duplicate):
        return Duplicate(message, constraint=translated.constraint)
    if isinstance(translated, DatabaseError):
        return DatabaseError(message, sqlstate=translated.sqlstate)
    return translated
