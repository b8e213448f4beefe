"""Alerts: save, find, list, record triggers (queries in ``sql/alerts.sql``)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from boursa_db.domain.alerts import Alert
from boursa_db.errors import NotFound
from boursa_db.repositories.arguments import (
    check_aware,
    check_flag,
    check_id,
    check_instance,
    check_symbol,
)
from boursa_db.repositories.base import Repository

__all__ = ["AlertRepository"]


class AlertRepository(Repository):
    """Collection-like access to :class:`~boursa_db.domain.alerts.Alert`."""

    async def save(self, alert: Alert) -> Alert:
        """Insert the alert (``id`` None) or update it; returns the stored alert.

        Updating an alert that does not exist raises :class:`~boursa_db.errors.NotFound`.
        """
        check_instance("alert", alert, Alert)
        columns = _alert_columns(alert)
        async with self._session.connection() as connection:
            if alert.id is None:
                record = await self._queries.alert_insert(connection, **columns)
            else:
                record = await self._queries.alert_update(connection, id=alert.id, **columns)
        if record is None:
            raise NotFound(f"no alert with id {alert.id}")
        return _alert_from_record(record)

    async def find_by_id(self, alert_id: uuid.UUID) -> Alert | None:
        """The alert with this id, or None."""
        check_id("alert_id", alert_id)
        record = await self._session.read(self._queries.alert_find_by_id, id=alert_id)
        return None if record is None else _alert_from_record(record)

    async def list_for_user(self, user_id: uuid.UUID, active_only: bool = False) -> list[Alert]:
        """The user's alerts, oldest first; only the active ones if ``active_only``."""
        check_id("user_id", user_id)
        check_flag("active_only", active_only)
        records = await self._session.read(
            self._queries.alert_list_for_user, user_id=user_id, active_only=active_only
        )
        return [_alert_from_record(record) for record in records]

    async def list_active_for_symbol(self, symbol: str) -> list[Alert]:
        """The alerts to evaluate when ``symbol`` moves: active and not expired, oldest first."""
        check_symbol("symbol", symbol)
        records = await self._session.read(
            self._queries.alert_list_active_for_symbol, symbol=symbol
        )
        return [_alert_from_record(record) for record in records]

    async def mark_triggered(self, alert_id: uuid.UUID, at: datetime) -> Alert:
        """Record that the alert fired at ``at``: counts it, marks it triggered.

        The count is incremented in the database, so concurrent triggers all count. Raises
        :class:`~boursa_db.errors.NotFound` for an unknown alert.
        """
        check_id("alert_id", alert_id)
        check_aware("at", at)
        async with self._session.connection() as connection:
            record = await self._queries.alert_mark_triggered(connection, id=alert_id, at=at)
        if record is None:
            raise NotFound(f"no alert with id {alert_id}")
        return _alert_from_record(record)

    async def delete(self, alert_id: uuid.UUID) -> bool:
        """Delete the alert (its notifications stay, unlinked); False if there was none."""
        check_id("alert_id", alert_id)
        async with self._session.connection() as connection:
            deleted: int = await self._queries.alert_delete(connection, id=alert_id)
        return deleted > 0


def _alert_columns(alert: Alert) -> dict[str, Any]:
    """The values of the columns a client owns (not id or the server-set timestamps)."""
    return {
        "user_id": alert.user_id,
        "portfolio_id": alert.portfolio_id,
        "symbol": alert.symbol,
        "alert_type": alert.alert_type.value,
        "condition_type": alert.condition_type.value,
        "threshold_value": alert.threshold_value,
        "title": alert.title,
        "message": alert.message,
        "notification_channels": [channel.value for channel in alert.notification_channels],
        "is_active": alert.is_active,
        "is_triggered": alert.is_triggered,
        "trigger_count": alert.trigger_count,
        "last_triggered_at": alert.last_triggered_at,
        "expires_at": alert.expires_at,
    }


def _alert_from_record(record: Any) -> Alert:
    return Alert(
        id=record["id"],
        user_id=record["user_id"],
        portfolio_id=record["portfolio_id"],
        symbol=record["symbol"],
        alert_type=record["alert_type"],
        condition_type=record["condition_type"],
        threshold_value=record["threshold_value"],
        title=record["title"],
        message=record["message"],
        notification_channels=record["notification_channels"],
        is_active=record["is_active"],
        is_triggered=record["is_triggered"],
        trigger_count=record["trigger_count"],
        last_triggered_at=record["last_triggered_at"],
        expires_at=record["expires_at"],
        created_at=record["created_at"],
        updated_at=record["updated_at"],
    )
