"""The audit trail, read through AuditRepository. Rows are inserted here with plain SQL (as the
superuser, to control their times and values); tests/test_audit_trail.py shows the triggers
that write them in real use, and that the application role cannot."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import asyncpg
import attrs
import pytest

from boursa_db.domain.audit import AuditAction, AuditEntry
from boursa_db.errors import ValidationError
from boursa_db.repositories.audit import AuditRepository
from boursa_db.repositories.base import BoundSession

T0 = datetime(2026, 4, 1, 12, 0, tzinfo=UTC)
MINUTE = timedelta(minutes=1)


@pytest.fixture
def audit(session: BoundSession) -> AuditRepository:
    return AuditRepository(session)


async def _record(
    connection: asyncpg.Connection,
    *,
    table_name: str = "users",
    row_key: dict[str, Any] | None = None,
    action: str = "update",
    changed_at: datetime = T0,
    app_user: str | None = None,
) -> int:
    images = {
        "insert": (None, {"email": "new@example.com"}),
        "update": ({"email": "old@example.com"}, {"email": "new@example.com"}),
        "delete": ({"email": "old@example.com"}, None),
    }
    old_values, new_values = images[action]
    entry_id: int = await connection.fetchval(
        "INSERT INTO audit_log (table_name, row_key, action, old_values, new_values, app_user, "
        "changed_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
        table_name,
        row_key if row_key is not None else {"id": "u1"},
        action,
        old_values,
        new_values,
        app_user,
        changed_at,
    )
    return entry_id


# --- the domain -----------------------------------------------------------------------------


def _entry(**overrides: Any) -> AuditEntry:
    fields: dict[str, Any] = {
        "id": 1,
        "table_name": "users",
        "row_key": {"id": "u1"},
        "action": "update",
        "old_values": {"a": 1},
        "new_values": {"a": 2},
        "db_user": "boursa_app",
        "app_user": None,
        "changed_at": T0,
    }
    return AuditEntry(**(fields | overrides))


def test_an_entry_cannot_be_changed() -> None:
    entry = _entry()
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        entry.action = AuditAction.DELETE  # type: ignore[misc]


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"action": "truncate"}, None),
        ({"action": "insert"}, "action"),
        ({"action": "delete"}, "action"),
        ({"row_key": "u1"}, "row_key"),
        ({"changed_at": datetime(2026, 4, 1, 12, 0)}, "changed_at"),
    ],
)
def test_an_entry_the_table_would_refuse_is_rejected(
    overrides: dict[str, Any], field: str | None
) -> None:
    """An unknown action is refused by the AuditAction vocabulary itself (no field name)."""
    with pytest.raises(ValidationError) as caught:
        _entry(**overrides)
    assert caught.value.field == field


def test_the_repository_offers_no_way_to_write() -> None:
    writers = {"save", "add", "insert", "update", "delete", "set"}
    assert writers.isdisjoint(dir(AuditRepository))


# --- the repository -------------------------------------------------------------------------


async def test_an_entry_is_read_back_with_every_column(
    connection: asyncpg.Connection, audit: AuditRepository
) -> None:
    entry_id = await _record(
        connection, row_key={"id": "u1"}, action="update", app_user="ada@example.com"
    )
    db_user = await connection.fetchval("SELECT current_user")

    (entry,) = await audit.list_for_row("users", {"id": "u1"})

    assert attrs.asdict(entry) == {
        "id": entry_id,
        "table_name": "users",
        "row_key": {"id": "u1"},
        "action": AuditAction.UPDATE,
        "old_values": {"email": "old@example.com"},
        "new_values": {"email": "new@example.com"},
        "db_user": db_user,
        "app_user": "ada@example.com",
        "changed_at": T0,
    }


async def test_the_history_of_a_row_comes_newest_first_and_only_for_that_row(
    connection: asyncpg.Connection, audit: AuditRepository
) -> None:
    inserted = await _record(connection, action="insert", changed_at=T0)
    updated = await _record(connection, action="update", changed_at=T0 + MINUTE)
    deleted = await _record(connection, action="delete", changed_at=T0 + 2 * MINUTE)
    await _record(connection, row_key={"id": "u2"}, changed_at=T0 + MINUTE)
    await _record(connection, table_name="portfolios", changed_at=T0 + MINUTE)

    history = await audit.list_for_row("users", {"id": "u1"})

    assert [entry.id for entry in history] == [deleted, updated, inserted]
    assert [entry.action for entry in history] == [
        AuditAction.DELETE,
        AuditAction.UPDATE,
        AuditAction.INSERT,
    ]


async def test_the_key_order_of_a_composite_row_key_does_not_matter(
    connection: asyncpg.Connection, audit: AuditRepository
) -> None:
    entry_id = await _record(
        connection, table_name="positions", row_key={"portfolio_id": "p1", "symbol": "AAPL"}
    )

    history = await audit.list_for_row("positions", {"symbol": "AAPL", "portfolio_id": "p1"})

    assert [entry.id for entry in history] == [entry_id]


async def test_the_history_of_a_row_stops_at_the_limit(
    connection: asyncpg.Connection, audit: AuditRepository
) -> None:
    ids = [await _record(connection, changed_at=T0 + n * MINUTE) for n in range(5)]

    history = await audit.list_for_row("users", {"id": "u1"}, limit=2)

    assert [entry.id for entry in history] == [ids[4], ids[3]]


async def test_changes_in_the_same_instant_come_in_reverse_insertion_order(
    connection: asyncpg.Connection, audit: AuditRepository
) -> None:
    ids = [await _record(connection, changed_at=T0) for _ in range(3)]

    history = await audit.list_for_row("users", {"id": "u1"})

    assert [entry.id for entry in history] == ids[::-1]


async def test_recent_changes_start_at_since_newest_first(
    connection: asyncpg.Connection, audit: AuditRepository
) -> None:
    await _record(connection, changed_at=T0 - MINUTE)
    at_since = await _record(connection, changed_at=T0)
    later = await _record(connection, table_name="portfolios", changed_at=T0 + MINUTE)

    recent = await audit.list_recent(T0)
    limited = await audit.list_recent(T0, limit=1)

    assert [entry.id for entry in recent] == [later, at_since]
    assert [entry.id for entry in limited] == [later]


async def test_changes_by_app_user_are_listed_newest_first(
    connection: asyncpg.Connection, audit: AuditRepository
) -> None:
    first = await _record(connection, app_user="ada", changed_at=T0)
    second = await _record(connection, app_user="ada", changed_at=T0 + MINUTE)
    await _record(connection, app_user="bob", changed_at=T0 + MINUTE)
    await _record(connection, app_user=None, changed_at=T0 + MINUTE)

    by_ada = await audit.list_by_app_user("ada")

    assert [entry.id for entry in by_ada] == [second, first]
    assert await audit.list_by_app_user("carol") == []


@pytest.mark.parametrize(
    "call",
    [
        lambda audit: audit.list_recent(datetime(2026, 4, 1)),
        lambda audit: audit.list_recent(T0, limit=0),
        lambda audit: audit.list_recent(T0, limit=1001),
        lambda audit: audit.list_for_row("users", {}),
        lambda audit: audit.list_for_row("", {"id": "u1"}),
        lambda audit: audit.list_by_app_user("ada", limit=-1),
    ],
    ids=[
        "naive-since",
        "zero-limit",
        "limit-above-1000",
        "empty-row-key",
        "empty-table-name",
        "negative-limit",
    ],
)
async def test_bad_arguments_are_rejected_before_any_sql(
    connection: asyncpg.Connection, audit: AuditRepository, call: Any
) -> None:
    await connection.close()

    with pytest.raises(ValidationError):
        await call(audit)
