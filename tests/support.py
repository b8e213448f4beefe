"""Helpers shared by the tests: database names, URLs and admin statements."""

from __future__ import annotations

import uuid
from urllib.parse import urlsplit, urlunsplit

import asyncpg


def url_with_database(url: str, database: str) -> str:
    """The same server URL pointing at another database (keeps user, host, socket, options)."""
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, f"/{database}", parts.query, parts.fragment))


def unique_name(prefix: str) -> str:
    return f"{prefix}_{uuid.uuid4().hex[:12]}"


def quote_identifier(name: str) -> str:
    """Quote a generated identifier for DDL, where bind parameters cannot be used."""
    return '"' + name.replace('"', '""') + '"'


async def create_database(admin_url: str, name: str, *, template: str | None = None) -> None:
    connection = await asyncpg.connect(admin_url)
    try:
        statement = f"CREATE DATABASE {quote_identifier(name)}"
        if template is not None:
            statement += f" TEMPLATE {quote_identifier(template)}"
        await connection.execute(statement)
    finally:
        await connection.close()


async def drop_database(admin_url: str, name: str) -> None:
    connection = await asyncpg.connect(admin_url)
    try:
        await connection.execute(f"DROP DATABASE IF EXISTS {quote_identifier(name)} WITH (FORCE)")
    finally:
        await connection.close()
