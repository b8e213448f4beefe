"""Bulk writes with binary COPY, shared by the time-series repositories.

Three ways to meet rows that exist already (:class:`ConflictMode`):

* ``FAIL``: COPY straight into the table. The fastest path; a row whose key exists already
  (in the table or earlier in the batch) fails the whole batch with :class:`Duplicate`.
* ``SKIP`` and ``UPDATE``: COPY into a temporary staging table shaped like the target, then one
  ``INSERT ... SELECT ... ON CONFLICT DO NOTHING`` or ``DO UPDATE``. PostgreSQL's COPY cannot
  upsert, and ``ON CONFLICT DO UPDATE`` cannot touch one row twice, so the batch is first reduced
  to the last occurrence of each key. Most batches only add rows (new bars after the stored
  ones), so the reduced batch is first COPYed straight into the table inside a savepoint: when
  no key exists yet that is the whole write, at the speed of ``FAIL``, with the same result as
  the staging path; the first existing key (or a deadlock with a concurrent batch) rolls the
  savepoint back and the staging path runs.

Every batch is written inside :func:`~boursa_db.transactions.atomic` (a savepoint inside a
Unit of Work), so a failure writes nothing of it. The staging table lives until the end of the
transaction (``ON COMMIT DROP``) and is emptied by each upsert, so later batches of the same
transaction reuse it.

Tables, columns and keys are fixed by the queries of ``sql/``; nothing of the input becomes SQL.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Callable, Hashable, Iterable, Iterator, Sequence
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
from boursa_db.transactions import atomic

if TYPE_CHECKING:
    from boursa_db.connection import Connection
    from boursa_db.repositories.base import Session

__all__ = ["ConflictMode", "CopyTarget", "copy_items"]

T = TypeVar("T")

# PostgreSQL's error context for a row refused during COPY: "COPY market_data, line 3".
_COPY_LINE = re.compile(r"\bCOPY \S+, line (\d+)")


class ConflictMode(enum.Enum):
    """What a bulk write does with a row whose key exists already."""

    FAIL = "fail"
    """Refuse the whole batch with :class:`~boursa_db.errors.Duplicate`."""
    SKIP = "skip"
    """Keep the stored row and drop the new one."""
    UPDATE = "update"
    """Replace the stored row with the new one."""


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


async def copy_items(
    session: Session, target: CopyTarget[T], items: Iterable[object], on_conflict: ConflictMode
) -> int:
    """Write ``items`` with binary COPY; return how many rows were inserted or updated.

    Items that are not ``target.item_type`` raise :class:`ValidationError` with ``row`` set to
    their index, before the database is touched; an empty batch returns 0 without touching it.
    A row the database refuses raises :class:`ValidationError` (``row`` set) or
    :class:`Duplicate` naming its index, and nothing of the batch is written.
    """
    mode = _conflict_mode(on_conflict)
    typed = _checked(target, list(items))
    # positions[i] is the index in the batch of the i-th record sent: COPY's line i + 1.
    # Records are made while COPY encodes them, one at a time, by map() (the loop stays in C):
    # a list of 100,000 tuples would cost more to build, and to garbage-collect, than to send.
    positions: Sequence[int] = (
        range(len(typed)) if mode is ConflictMode.FAIL else _last_of_each(target, typed)
    )
    if not positions:
        return 0

    def records() -> Iterator[tuple[Any, ...]]:
        return map(target.to_record, map(typed.__getitem__, positions))

    async with session.connection() as connection, atomic(connection):
        if mode is ConflictMode.FAIL:
            return await _copy(
                connection, target.copy_into_table, records(), target, typed, positions
            )
        try:
            async with atomic(connection):
                return await _copy(
                    connection, target.copy_into_table, records(), target, typed, positions
                )
        except (Duplicate, DeadlockDetected):
            # Some keys exist already, or a concurrent batch holds some of them (it met them in
            # another order): merge through the staging table, which inserts in key order.
            pass
        await target.create_staging(connection)
        await _copy(connection, target.copy_into_staging, records(), target, typed, positions)
        if mode is ConflictMode.SKIP:
            return int(await target.insert_from_staging(connection))
        return int(await target.upsert_from_staging(connection))


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


def _last_of_each(target: CopyTarget[T], items: list[T]) -> list[int]:
    """The index of the last occurrence of each key, in order of first occurrence.

    A dict built from (key, index) pairs keeps the first position of each key and the last
    index written for it: exactly that, in C.
    """
    last: dict[Hashable, int] = dict(zip(map(target.key, items), range(len(items)), strict=True))
    return list(last.values())


async def _copy(
    connection: Connection,
    query: Query,
    records: Iterator[tuple[Any, ...]],
    target: CopyTarget[T],
    items: list[T],
    positions: Sequence[int],
) -> int:
    try:
        return await query.copy(connection, records)
    except asyncpg.PostgresError as error:
        raise _naming_the_row(error, target, items, positions) from error


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
