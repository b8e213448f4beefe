"""Per-connection type codecs: JSON columns arrive as Python objects, not strings."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from boursa_db.connection import Connection

__all__ = ["register_codecs"]

# Binary jsonb is a version byte (1) followed by the JSON text. Binary format matters because
# binary COPY (copy_records_to_table) has no text fallback.
_JSONB_VERSION = b"\x01"


def _encode_jsonb(value: Any) -> bytes:
    return _JSONB_VERSION + json.dumps(value).encode()


def _decode_jsonb(data: bytes) -> Any:
    return json.loads(data[1:])


async def register_codecs(connection: Connection) -> None:
    """Decode and encode ``json`` and ``jsonb`` with the standard library's json module."""
    await connection.set_type_codec(
        "json", encoder=json.dumps, decoder=json.loads, schema="pg_catalog"
    )
    await connection.set_type_codec(
        "jsonb",
        encoder=_encode_jsonb,
        decoder=_decode_jsonb,
        schema="pg_catalog",
        format="binary",
    )
