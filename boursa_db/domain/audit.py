"""The audit trail: one entry per inserted, updated or deleted row of an audited table.

Entries are written by database triggers, never by application code, so the domain only reads
them: :class:`AuditEntry` is frozen and the repository has no write method.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import attrs

from boursa_db.domain.values import Vocabulary, aware_datetime, optional, text, text_length
from boursa_db.errors import ValidationError

__all__ = ["AuditAction", "AuditEntry"]


class AuditAction(Vocabulary):
    """What happened to the row."""

    INSERT = "insert"
    UPDATE = "update"
    DELETE = "delete"


def _json_object(_: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if not isinstance(value, dict):
        message = f"{attribute.name}: expected a JSON object (dict), got {type(value).__name__}"
        raise ValidationError(message, field=attribute.name)


# Which images of the row each action carries (the CHECK audit_log_values_match_action).
_IMAGES = {
    AuditAction.INSERT: (False, True),
    AuditAction.UPDATE: (True, True),
    AuditAction.DELETE: (True, False),
}


@attrs.frozen(kw_only=True)
class AuditEntry:
    """One change of one row: who made it, when, and the row before and after.

    ``row_key`` holds the primary key of the changed row (``{"id": "..."}``); ``old_values`` is
    the row before an update or delete, ``new_values`` the row after an insert or update.
    ``db_user`` is the PostgreSQL role that made the change, ``app_user`` the application user
    the session declared, if any.
    """

    id: int
    table_name: str = attrs.field(validator=text_length(1, 63))
    row_key: dict[str, Any] = attrs.field(validator=_json_object)
    action: AuditAction = attrs.field(converter=AuditAction)
    old_values: dict[str, Any] | None = attrs.field(validator=optional(_json_object))
    new_values: dict[str, Any] | None = attrs.field(validator=optional(_json_object))
    db_user: str = attrs.field(validator=text)
    app_user: str | None = attrs.field(validator=optional(text))
    changed_at: datetime = attrs.field(validator=aware_datetime)

    def __attrs_post_init__(self) -> None:
        has_old, has_new = _IMAGES[self.action]
        if (self.old_values is not None) != has_old or (self.new_values is not None) != has_new:
            raise ValidationError(
                f"old_values/new_values do not match the action {self.action.value!r}",
                field="action",
            )
