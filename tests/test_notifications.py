"""Notifications: the domain rules and the repository, against a real PostgreSQL."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import asyncpg
import attrs
import pytest

from boursa_db.domain.alerts import Notification, NotificationChannel, NotificationType
from boursa_db.errors import MissingReference, ValidationError
from boursa_db.repositories.base import BoundSession
from boursa_db.repositories.notifications import NotificationRepository

NOW = datetime(2026, 11, 2, 15, 30, tzinfo=UTC)


@pytest.fixture
async def alert_id(connection: asyncpg.Connection, user_id: uuid.UUID) -> uuid.UUID:
    found: uuid.UUID = await connection.fetchval(
        "INSERT INTO alerts (user_id, symbol, alert_type, condition_type, title) "
        "VALUES ($1, 'AAPL', 'price', 'above', 'AAPL up') RETURNING id",
        user_id,
    )
    return found


@pytest.fixture
def notifications(session: BoundSession) -> NotificationRepository:
    return NotificationRepository(session)


def _notification(user_id: uuid.UUID, **overrides: Any) -> Notification:
    fields: dict[str, Any] = {
        "user_id": user_id,
        "notification_type": "system",
        "title": "Welcome",
        "message": "Your account is ready.",
    }
    return Notification(**(fields | overrides))


async def _age(connection: asyncpg.Connection, notification: Notification, hours: int) -> None:
    """Move created_at back, so that 'newest first' does not depend on the clock's resolution."""
    await connection.execute(
        "UPDATE notifications SET created_at = $1 WHERE id = $2",
        NOW - timedelta(hours=hours),
        notification.id,
    )


# --- the domain -----------------------------------------------------------------------------


def test_read_state_and_read_time_agree() -> None:
    with pytest.raises(ValidationError, match="needs read_at") as raised:
        _notification(uuid.uuid4(), is_read=True)
    assert raised.value.field == "read_at"
    with pytest.raises(ValidationError, match="unread notification has no read_at"):
        _notification(uuid.uuid4(), read_at=NOW)
    assert _notification(uuid.uuid4(), is_read=True, read_at=NOW).read_at == NOW


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("title", ""),
        ("title", "x" * 201),
        ("message", ""),
        ("message", "x" * 5001),
        ("data", ["not", "an", "object"]),
        ("data", {"when": NOW}),
        ("channels", ["fax"]),
        ("sent_at", datetime(2026, 1, 1)),  # naive on purpose
    ],
)
def test_a_value_the_table_would_refuse_is_rejected_naming_the_field(
    field: str, value: Any
) -> None:
    with pytest.raises(ValidationError) as raised:
        _notification(uuid.uuid4(), **{field: value})
    assert raised.value.field == field


def test_a_naive_read_time_is_rejected() -> None:
    with pytest.raises(ValidationError, match="naive") as raised:
        _notification(uuid.uuid4(), is_read=True, read_at=datetime(2026, 1, 1))  # naive
    assert raised.value.field == "read_at"


def test_an_unknown_notification_type_is_rejected() -> None:
    with pytest.raises(ValidationError, match="'SYSTEM'"):
        _notification(uuid.uuid4(), notification_type="SYSTEM")


# --- the repository -------------------------------------------------------------------------


async def test_a_fully_populated_notification_round_trips(
    notifications: NotificationRepository, user_id: uuid.UUID, alert_id: uuid.UUID
) -> None:
    notification = Notification(
        user_id=user_id,
        alert_id=alert_id,
        notification_type=NotificationType.ALERT,
        title="AAPL above 200",
        message="Apple traded at 201.50.",
        data={"symbol": "AAPL", "price": "201.50", "levels": [200, 210], "nested": {"ok": True}},
        channels=[NotificationChannel.EMAIL, NotificationChannel.IN_APP],
        is_read=True,
        read_at=NOW,
        sent_at=NOW - timedelta(seconds=30),
    )

    added = await notifications.add(notification)
    found = await notifications.find_by_id(added.id)  # type: ignore[arg-type]

    assert added.id is not None
    assert added.created_at is not None
    assert found is not None
    assert attrs.asdict(found) == attrs.asdict(added)
    server_set = ("id", "created_at")
    assert attrs.asdict(found, filter=lambda a, _: a.name not in server_set) == attrs.asdict(
        notification, filter=lambda a, _: a.name not in server_set
    )


async def test_a_notification_for_an_unknown_user_is_a_missing_reference(
    notifications: NotificationRepository,
) -> None:
    with pytest.raises(MissingReference):
        await notifications.add(_notification(uuid.uuid4()))


async def test_list_for_user_pages_newest_first_and_can_skip_read_ones(
    notifications: NotificationRepository, connection: asyncpg.Connection, user_id: uuid.UUID
) -> None:
    other_user = await connection.fetchval(
        "INSERT INTO users (email, username, password_hash) "
        "VALUES ('grace@example.com', 'grace', 'h') RETURNING id"
    )
    await notifications.add(_notification(other_user))
    for hours, read in ((4, False), (3, True), (2, False), (1, False)):
        item = await notifications.add(
            _notification(
                user_id, title=f"{hours}h ago", is_read=read, read_at=NOW if read else None
            )
        )
        await _age(connection, item, hours)

    async def titles(**arguments: Any) -> list[str]:
        return [item.title for item in await notifications.list_for_user(user_id, **arguments)]

    assert await titles() == ["1h ago", "2h ago", "3h ago", "4h ago"]
    assert await titles(limit=2, offset=1) == ["2h ago", "3h ago"]
    assert await titles(unread_only=True) == ["1h ago", "2h ago", "4h ago"]
    assert await titles(unread_only=True, limit=1, offset=2) == ["4h ago"]
    assert await notifications.count_unread(user_id) == 3


async def test_mark_read_marks_once_and_keeps_the_first_read_time(
    notifications: NotificationRepository, user_id: uuid.UUID
) -> None:
    added = await notifications.add(_notification(user_id))

    assert await notifications.mark_read(added.id, NOW) is True  # type: ignore[arg-type]
    assert await notifications.mark_read(added.id, NOW + timedelta(hours=1)) is False  # type: ignore[arg-type]
    assert await notifications.mark_read(uuid.uuid4(), NOW) is False

    found = await notifications.find_by_id(added.id)  # type: ignore[arg-type]
    assert found is not None
    assert (found.is_read, found.read_at) == (True, NOW)
    assert await notifications.count_unread(user_id) == 0


async def test_mark_all_read_marks_only_that_user_s_unread_ones(
    notifications: NotificationRepository, connection: asyncpg.Connection, user_id: uuid.UUID
) -> None:
    other_user = await connection.fetchval(
        "INSERT INTO users (email, username, password_hash) "
        "VALUES ('grace@example.com', 'grace', 'h') RETURNING id"
    )
    theirs = await notifications.add(_notification(other_user))
    read_before = await notifications.add(
        _notification(user_id, is_read=True, read_at=NOW - timedelta(days=1))
    )
    for _ in range(3):
        await notifications.add(_notification(user_id))

    assert await notifications.mark_all_read(user_id, NOW) == 3

    assert await notifications.count_unread(user_id) == 0
    assert await notifications.count_unread(other_user) == 1
    assert await notifications.find_by_id(read_before.id) == read_before  # type: ignore[arg-type]
    assert await notifications.find_by_id(theirs.id) == theirs  # type: ignore[arg-type]
    assert await notifications.mark_all_read(user_id, NOW) == 0


async def test_deleting_an_alert_keeps_its_notifications_unlinked(
    notifications: NotificationRepository,
    connection: asyncpg.Connection,
    user_id: uuid.UUID,
    alert_id: uuid.UUID,
) -> None:
    added = await notifications.add(
        _notification(user_id, notification_type="alert", alert_id=alert_id)
    )

    await connection.execute("DELETE FROM alerts WHERE id = $1", alert_id)

    found = await notifications.find_by_id(added.id)  # type: ignore[arg-type]
    assert found is not None
    assert found.alert_id is None


async def test_delete_removes_the_notification_and_reports_it(
    notifications: NotificationRepository, user_id: uuid.UUID
) -> None:
    added = await notifications.add(_notification(user_id))

    assert await notifications.delete(added.id) is True  # type: ignore[arg-type]
    assert await notifications.find_by_id(added.id) is None  # type: ignore[arg-type]
    assert await notifications.delete(added.id) is False  # type: ignore[arg-type]


async def test_arguments_are_validated_before_any_sql(
    notifications: NotificationRepository,
) -> None:
    user_id = uuid.uuid4()
    with pytest.raises(ValidationError, match="at"):
        await notifications.mark_read(uuid.uuid4(), datetime(2026, 1, 1))
    with pytest.raises(ValidationError, match="at"):
        await notifications.mark_all_read(user_id, datetime(2026, 1, 1))
    with pytest.raises(ValidationError, match="limit"):
        await notifications.list_for_user(user_id, limit=0)
    with pytest.raises(ValidationError, match="unread_only"):
        await notifications.list_for_user(user_id, unread_only=None)  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match="user_id"):
        await notifications.count_unread(str(user_id))  # type: ignore[arg-type]
