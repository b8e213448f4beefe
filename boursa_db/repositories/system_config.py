"""Platform settings by key (queries in ``sql/system_config.sql``)."""

from __future__ import annotations

from typing import Any

from boursa_db.domain.system_config import ConfigEntry
from boursa_db.errors import ValidationError
from boursa_db.repositories.arguments import check_instance
from boursa_db.repositories.base import Repository

__all__ = ["SystemConfigRepository"]


class SystemConfigRepository(Repository):
    """Read and write :class:`~boursa_db.domain.system_config.ConfigEntry` by key."""

    async def get(self, key: str) -> ConfigEntry | None:
        """The setting with this key, or None."""
        _check_key(key)
        record = await self._session.read(self._queries.system_config_get, key=key)
        return None if record is None else _entry_from_record(record)

    async def list_all(self) -> list[ConfigEntry]:
        """Every setting, by key."""
        records = await self._session.read(self._queries.system_config_list_all)
        return [_entry_from_record(record) for record in records]

    async def set(self, entry: ConfigEntry) -> ConfigEntry:
        """Create or replace the setting; returns it as stored, with ``updated_at``.

        An ``updated_by`` naming no user raises :class:`~boursa_db.errors.MissingReference`.
        """
        check_instance("entry", entry, ConfigEntry)
        async with self._session.connection() as connection:
            record = await self._queries.system_config_set(
                connection,
                key=entry.key,
                value=entry.value,
                description=entry.description,
                is_secret=entry.is_secret,
                updated_by=entry.updated_by,
            )
        return _entry_from_record(record)

    async def delete(self, key: str) -> bool:
        """Remove the setting; False if there was none."""
        _check_key(key)
        async with self._session.connection() as connection:
            deleted: int = await self._queries.system_config_delete(connection, key=key)
        return deleted > 0


def _entry_from_record(record: Any) -> ConfigEntry:
    return ConfigEntry(
        key=record["key"],
        value=record["value"],
        description=record["description"],
        is_secret=record["is_secret"],
        updated_by=record["updated_by"],
        updated_at=record["updated_at"],
    )


def _check_key(key: str) -> None:
    if not isinstance(key, str):
        raise ValidationError(f"key: expected text, got {type(key).__name__}", field="key")
