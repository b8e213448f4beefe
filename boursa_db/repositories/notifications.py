"""Notifications sent to users, and their read state (queries in ``sql/notifications.sql``)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from boursa_db.domain.alerts import Notification
from boursa_db.repositories.arguments import (
    check_aware,
    check_flag,
    check_id,
    check_instance,
    check_page,
)
from boursa_db.repositories.base import Repository

__all__ = ["NotificationRepository"]


class NotificationRepository(Repository):
    """Collection-like access to :class:`~boursa_db.domain.alerts.Notification`."""

    async def add(self, notification: Notification) -> Notification:
        """Store a new notification; returns it with its id and ``created_at``.

        An ``alert_id`` or ``user_id`` that does not exist raises
        :class:`~boursa_db.errors.MissingReference`.
        """
        check_instance("notification", notification, Notification)
        async with self._session.connection() as connection:
            record = await self._queries.notification_insert(
                connection,
                user_id=notification.user_id,
                alert_id=notification.alert_id,
                notification_type=notification.notification_type.value,
                title=notification.title,
                message=notification.message,
                data=notification.data,
                channels=[channel.value for channel in notification.channels],
                is_read=notification.is_read,
                read_at=notification.read_at,
                sent_at=notification.sent_at,
            )
        return _notification_from_record(record)

    async def find_by_id(self, notification_id: uuid.UUID) -> Notification | None:
        """The notification with this id, or None."""
        check_id("notification_id", notification_id)
        record = await self._session.read(self._queries.notification_find_by_id, id=notification_id)
        return None if record is None else _notification_from_record(record)

    async def list_for_user(
        self,
        user_id: uuid.UUID,
        unread_only: bool = False,
        *,
        limit: int = 50,
        offset: int = 0,
    ) -> list[Notification]:
        """A page of the user's notifications, newest first; only unread ones if asked."""
        check_id("user_id", user_id)
        check_flag("unread_only", unread_only)
        check_page(limit, offset)
        # Two statements rather than a flag in SQL: the unread one uses its partial index.
        query = (
            self._queries.notification_list_unread_for_user
            if unread_only
            else self._queries.notification_list_for_user
        )
        async with self._session.connection() as connection:
            records = await query(connection, user_id=user_id, limit=limit, offset=offset)
        return [_notification_from_record(record) for record in records]

    async def count_unread(self, user_id: uuid.UUID) -> int:
        """How many of the user's notifications are unread."""
        check_id("user_id", user_id)
        count = await self._session.read(self._queries.notification_count_unread, user_id=user_id)
        return int(count)

    async def mark_read(self, notification_id: uuid.UUID, at: datetime) -> bool:
        """Mark the notification read at ``at``.

        True if this call marked it; False if it does not exist or was read already (it then
        keeps the time it was first read).
        """
        check_id("notification_id", notification_id)
        check_aware("at", at)
        async with self._session.connection() as connection:
            updated: int = await self._queries.notification_mark_read(
                connection, id=notification_id, at=at
            )
        return updated > 0

    async def mark_all_read(self, user_id: uuid.UUID, at: datetime) -> int:
        """Mark every unread notification of the user read at ``at``; returns how many."""
        check_id("user_id", user_id)
        check_aware("at", at)
        async with self._session.connection() as connection:
            updated: int = await self._queries.notification_mark_all_read(
                connection, user_id=user_id, at=at
            )
        return updated

    async def delete(self, notification_id: uuid.UUID) -> bool:
        """Delete the notification; False if there was none."""
        check_id("notification_id", notification_id)
        async with self._session.connection() as connection:
            deleted: int = await self._queries.notification_delete(connection, id=notification_id)
        return deleted > 0


def _notification_from_record(record: Any) -> Notification:
    return Notification(
        id=record["id"],
        user_id=record["user_id"],
        alert_id=record["alert_id"],
        notification_type=record["notification_type"],
        title=record["title"],
        message=record["message"],
        data=record["data"],
        channels=record["channels"],
        is_read=record["is_read"],
        read_at=record["read_at"],
        sent_at=record["sent_at"],
        created_at=record["created_at"],
    )
