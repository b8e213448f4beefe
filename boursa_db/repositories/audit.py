"""The audit trail, read-only (queries in ``sql/audit.sql``).

Entries are written by triggers on the audited tables; there is deliberately no way to add,
change or remove one from here.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from boursa_db.domain.audit import AuditEntry
from boursa_db.errors import ValidationError
from boursa_db.repositories.arguments import check_limit, check_text
from boursa_db.repositories.base import Repository

__all__ = ["AuditRepository"]


class AuditRepository(Repository):
    """Read access to :class:`~boursa_db.domain.audit.AuditEntry`, newest change first."""

    async def list_for_row(
        self, table_name: str, row_key: dict[str, Any], limit: int = 100
    ) -> list[AuditEntry]:
        """The history of one row, e.g. ``list_for_row("users", {"id": str(user.id)})``.

        ``row_key`` is the row's primary key as the triggers record it; the order of its keys
        does not matter.
        """
        check_text("table_name", table_name)
        if not isinstance(row_key, dict) or not row_key:
            raise ValidationError("row_key: expected a non-empty dict", field="row_key")
        check_limit(limit)
        records = await self._session.read(
            self._queries.audit_list_for_row, table_name=table_name, row_key=row_key, limit=limit
        )
        return [_entry_from_record(record) for record in records]

    async def list_recent(self, since: datetime, limit: int = 100) -> list[AuditEntry]:
        """Changes to any audited table at or after ``since`` (aware), at most ``limit``."""
        if not isinstance(since, datetime):
            message = f"since: expected a datetime, got {type(since).__name__}"
            raise ValidationError(message, field="since")
        if since.tzinfo is None or since.tzinfo.utcoffset(since) is None:
            raise ValidationError("since: naive datetime: give a time zone (UTC)", field="since")
        check_limit(limit)
        records = await self._session.read(
            self._queries.audit_list_recent, since=since, limit=limit
        )
        return [_entry_from_record(record) for record in records]

    async def list_by_app_user(self, app_user: str, limit: int = 100) -> list[AuditEntry]:
        """Changes made on behalf of one application user, at most ``limit``."""
        check_text("app_user", app_user)
        check_limit(limit)
        records = await self._session.read(
            self._queries.audit_list_by_app_user, app_user=app_user, limit=limit
        )
        return [_entry_from_record(record) for record in records]


def _entry_from_record(record: Any) -> AuditEntry:
    return AuditEntry(
        id=record["id"],
        table_name=record["table_name"],
        row_key=record["row_key"],
        action=record["action"],
        old_values=record["old_values"],
        new_values=record["new_values"],
        db_user=record["db_user"],
        app_user=record["app_user"],
        changed_at=record["changed_at"],
    )
