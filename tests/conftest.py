"""Test fixtures: one server per session, one migrated template, one fresh database per test.

The server is the embedded throwaway PostgreSQL, or the one ``DATABASE_URL`` names (its role
needs CREATEDB). Every test that touches data gets its own database cloned from a template that
was migrated once, so tests never see each other's rows.
"""

from __future__ import annotations

import asyncio
import os
import secrets
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from typing import TYPE_CHECKING
from urllib.parse import quote, urlsplit, urlunsplit

import asyncpg
import attrs
import pytest

from boursa_db.codecs import register_codecs
from boursa_db.migrations import apply_migrations
from boursa_db.repositories.base import BoundSession

if TYPE_CHECKING:
    from boursa_db.context import PersistenceContext
from tests.support import (
    create_database,
    drop_database,
    quote_identifier,
    unique_name,
    url_with_database,
)


@attrs.frozen
class TestServer:
    admin_url: str
    embedded: bool
    server_version: str

    def url_for(self, database: str) -> str:
        return url_with_database(self.admin_url, database)


@attrs.frozen
class TemplateDatabase:
    name: str
    has_timescaledb: bool


@pytest.fixture(scope="session")
def test_server() -> Iterator[TestServer]:
    external_url = os.environ.get("DATABASE_URL")
    if external_url:
        yield TestServer(external_url, embedded=False, server_version=_server_version(external_url))
        return
    from boursa_db.embedded import start_embedded_postgres

    with start_embedded_postgres() as server:
        yield TestServer(server.url, embedded=True, server_version=_server_version(server.url))


@pytest.fixture(scope="session")
def template_database(test_server: TestServer) -> Iterator[TemplateDatabase]:
    name = unique_name("boursa_tmpl")
    asyncio.run(create_database(test_server.admin_url, name))
    try:
        apply_migrations(test_server.url_for(name))
        has_timescaledb = asyncio.run(_freeze_template(test_server, name))
        yield TemplateDatabase(name, has_timescaledb)
    finally:
        asyncio.run(_drop_template(test_server.admin_url, name))


@pytest.fixture
async def database_url(
    test_server: TestServer, template_database: TemplateDatabase
) -> AsyncIterator[str]:
    """A fresh, fully migrated database of its own for one test."""
    name = unique_name("boursa_test")
    await create_database(test_server.admin_url, name, template=template_database.name)
    try:
        yield test_server.url_for(name)
    finally:
        await drop_database(test_server.admin_url, name)


@pytest.fixture
async def empty_database_url(test_server: TestServer) -> AsyncIterator[str]:
    """A fresh database with no schema at all."""
    name = unique_name("boursa_empty")
    await create_database(test_server.admin_url, name)
    try:
        yield test_server.url_for(name)
    finally:
        await drop_database(test_server.admin_url, name)


@pytest.fixture
async def connection(database_url: str) -> AsyncIterator[asyncpg.Connection]:
    connection = await asyncpg.connect(database_url)
    await register_codecs(connection)
    try:
        yield connection
    finally:
        await connection.close()


@pytest.fixture
async def context(database_url: str) -> AsyncIterator[PersistenceContext]:
    """A persistence context with a small pool on the test's database."""
    from boursa_db.context import create_persistence_context

    async with create_persistence_context(database_url, min_size=1, max_size=4) as context:
        yield context


@pytest.fixture
async def user_id(connection: asyncpg.Connection) -> uuid.UUID:
    """The id of one stored user, Ada, for rows that need an owner."""
    found: uuid.UUID = await connection.fetchval(
        "INSERT INTO users (email, username, password_hash) "
        "VALUES ('ada@example.com', 'ada', 'argon2id$x') RETURNING id"
    )
    return found


@pytest.fixture
async def portfolio_id(connection: asyncpg.Connection, user_id: uuid.UUID) -> uuid.UUID:
    """The id of Ada's portfolio "Main"."""
    found: uuid.UUID = await connection.fetchval(
        "INSERT INTO portfolios (user_id, name) VALUES ($1, 'Main') RETURNING id", user_id
    )
    return found


@pytest.fixture
def session(connection: asyncpg.Connection) -> BoundSession:
    """A repository session over the test's connection (autocommit: each statement commits)."""
    return BoundSession(connection)


LoginFactory = Callable[[str], Awaitable[str]]


def url_for_user(url: str, user: str, password: str) -> str:
    """The same server and database, logging in as another user with a password."""
    parts = urlsplit(url)
    host = parts.netloc.rsplit("@", 1)[-1]
    netloc = f"{quote(user, safe='')}:{quote(password, safe='')}@{host}"
    return urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))


@pytest.fixture
async def login_as(test_server: TestServer, database_url: str) -> AsyncIterator[LoginFactory]:
    """Make a login role that is a member of a group role; returns its URL to the test's
    database. The login roles are server-wide and dropped at the end of the test."""
    created: list[str] = []

    async def make(group: str) -> str:
        name = unique_name(f"login_{group}")
        password = secrets.token_urlsafe(16)
        admin = await asyncpg.connect(test_server.admin_url)
        try:
            await admin.execute(
                f"CREATE ROLE {quote_identifier(name)} LOGIN PASSWORD "
                f"'{password}' IN ROLE {quote_identifier(group)}"
            )
            if group == "boursa_owner":
                # How a migrator acts as the owner: every session of it runs SET ROLE.
                await admin.execute(f"ALTER ROLE {quote_identifier(name)} SET role = {group}")
        finally:
            await admin.close()
        created.append(name)
        return url_for_user(database_url, name, password)

    yield make

    admin = await asyncpg.connect(test_server.admin_url)
    try:
        for name in created:
            await admin.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = $1", name
            )
            await admin.execute(f"DROP ROLE {quote_identifier(name)}")
    finally:
        await admin.close()


@pytest.fixture(autouse=True)
def _skip_without_timescaledb(request: pytest.FixtureRequest) -> None:
    if request.node.get_closest_marker("timescaledb") is None:
        return
    template: TemplateDatabase = request.getfixturevalue("template_database")
    if not template.has_timescaledb:
        server: TestServer = request.getfixturevalue("test_server")
        pytest.skip(
            "TimescaleDB is not available on the test server "
            f"(PostgreSQL {server.server_version}): point DATABASE_URL at a server "
            "with timescaledb in shared_preload_libraries"
        )


def _server_version(url: str) -> str:
    async def read() -> str:
        connection = await asyncpg.connect(url)
        try:
            return str(await connection.fetchval("SHOW server_version"))
        finally:
            await connection.close()

    return asyncio.run(read())


async def _freeze_template(server: TestServer, name: str) -> bool:
    """Mark the database as a template nobody may connect to, and report TimescaleDB.

    TimescaleDB's job scheduler keeps a connection to every database with the extension;
    CREATE DATABASE ... TEMPLATE needs the template to have no other session.
    """
    connection = await asyncpg.connect(server.url_for(name))
    try:
        has_timescaledb = bool(
            await connection.fetchval(
                "SELECT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'timescaledb')"
            )
        )
        if has_timescaledb:
            # Policies would compress, drop and refresh on their own schedule in the middle of a
            # test; tests run maintenance explicitly instead. Cloned databases inherit the pause.
            await connection.execute(
                "SELECT alter_job(job_id, scheduled => false) "
                "FROM timescaledb_information.jobs WHERE job_id >= 1000"
            )
    finally:
        await connection.close()
    admin = await asyncpg.connect(server.admin_url)
    try:
        await admin.execute(
            f"ALTER DATABASE {quote_identifier(name)} WITH IS_TEMPLATE true ALLOW_CONNECTIONS false"
        )
        await admin.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1", name
        )
    finally:
        await admin.close()
    return has_timescaledb


async def _drop_template(admin_url: str, name: str) -> None:
    admin = await asyncpg.connect(admin_url)
    try:
        exists = await admin.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", name)
        if exists:
            await admin.execute(f"ALTER DATABASE {quote_identifier(name)} WITH IS_TEMPLATE false")
    finally:
        await admin.close()
    await drop_database(admin_url, name)
