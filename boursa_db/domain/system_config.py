"""Platform settings: named JSON values in ``system_config``, some of them secret."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

import attrs

from boursa_db.domain.values import aware_datetime, json_value, matches, optional, text
from boursa_db.errors import ValidationError

__all__ = ["ConfigEntry"]


def _instance_of(kind: type[Any], description: str) -> Any:
    def check(_: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
        if not isinstance(value, kind):
            message = f"{attribute.name}: expected {description}, got {type(value).__name__}"
            raise ValidationError(message, field=attribute.name)

    return check


@attrs.define(kw_only=True, repr=False)
class ConfigEntry:
    """One setting. ``value`` is any JSON value (object, array, string, number, bool or None).

    A secret entry never shows its value in ``repr``, so it cannot leak into logs.
    ``updated_at`` is set by the server; ``updated_by`` names the user who changed it last.

    >>> "s3cr3t" in repr(ConfigEntry(key="broker.api_key", value="s3cr3t", is_secret=True))
    False
    """

    key: str = attrs.field(
        validator=matches(
            r"^[a-z][a-z0-9_.]{0,99}\Z", "a setting key (lower-case letters, digits, '_', '.')"
        )
    )
    value: Any = attrs.field(validator=json_value)
    description: str | None = attrs.field(default=None, validator=optional(text))
    is_secret: bool = attrs.field(default=False, validator=_instance_of(bool, "a bool"))
    updated_by: uuid.UUID | None = attrs.field(
        default=None, validator=optional(_instance_of(uuid.UUID, "a UUID"))
    )
    updated_at: datetime | None = attrs.field(default=None, validator=optional(aware_datetime))

    def __repr__(self) -> str:
        value = "<secret>" if self.is_secret else repr(self.value)
        return (
            f"ConfigEntry(key={self.key!r}, value={value}, description={self.description!r}, "
            f"is_secret={self.is_secret!r}, updated_by={self.updated_by!r}, "
            f"updated_at={self.updated_at!r})"
        )
