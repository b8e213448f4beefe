"""Per-connection type codecs: JSON columns arrive as Python objects, not strings."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from boursa_db.connection import Connection

__all__ = ["register_codecs"]


async def register_codecs(connection: Connection) -> None:
    """Decode and encode ``json`` and ``jsonb`` with the standard library's json module."""
    for type_name in ("json", "jsonb"):
        await connection.set_type_codec(
            type_name, encoder=json.dumps, decoder=json.loads, schema="pg_catalog"
        )
