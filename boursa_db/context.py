"""The persistence context: the pool, its connection settings, the startup checks, the teardown.

::

    async with create_persistence_context("postgresql://app@db/trading") as ctx:
        async with ctx.uow() as uow:
            await uow.users.save(user)
        latest = await ctx.market_data.find_latest_prices(["AAPL", "MSFT"])

Settings (pool sizes, timeouts, the application name) are resolved by
:class:`boursa_db.settings.PoolSettings`: arguments, else the environment, else the defaults of
the old layer (a pool of 20 connections with 10 more on demand: min 20, max 30).

Every connection runs in UTC with JIT off (JIT compilation costs more than it saves on short
OLTP and range queries), names itself with the application name, and decodes JSON to objects.

The password of the URL is handed to asyncpg as a function, not as text: asyncpg keeps its
connection parameters on every connection (and shows them to query loggers), and a password
given that way is not among them. Errors and reprs show the URL only with the password masked.
TLS settings pass through to asyncpg: ``sslmode``/``sslrootcert`` in the URL, or ``ssl=`` with
an :class:`ssl.SSLContext`.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Callable
from typing import Any

import asyncpg

from boursa_db.codecs import register_codecs
from boursa_db.errors import (
    ConfigurationError,
    DatabaseUnavailable,
    SchemaMismatch,
    translate_database_error,
)
from boursa_db.migrations import migration_ids
from boursa_db.queries import QueryLibrary, default_library
from boursa_db.repositories.base import DRIVER_ERRORS, PooledSession
from boursa_db.repositories.market_data import MarketDataRepository
from boursa_db.repositories.portfolios import PortfolioRepository
from boursa_db.repositories.summaries import SummaryRepository
from boursa_db.repositories.users import UserRepository
from boursa_db.settings import PoolSettings
from boursa_db.unit_of_work import IsolationLevel, UnitOfWork
from boursa_db.urls import redact_url, split_password

__all__ = [
    "PersistenceContext",
    "create_persistence_context",
    "current_context",
    "get_market_data_repository",
    "get_portfolio_repository",
    "get_uow",
    "get_user_repository",
]


class PersistenceContext:
    """An open pool with its checks done. Made by :func:`create_persistence_context`."""

    def __init__(
        self,
        pool: asyncpg.Pool[Any],
        settings: PoolSettings,
        queries: QueryLibrary,
        *,
        timescaledb_version: str | None,
        schema_version: str | None,
    ) -> None:
        self.pool = pool
        self.settings = settings
        self.queries = queries
        self.timescaledb_version = timescaledb_version
        """The installed TimescaleDB version, or None on plain PostgreSQL."""
        self.schema_version = schema_version
        """The id of the newest applied migration."""

    def __repr__(self) -> str:
        return (
            f"PersistenceContext({redact_url(self.settings.database_url)!r}, "
            f"timescaledb={self.timescaledb_version!r}, schema={self.schema_version!r})"
        )

    @property
    def has_timescaledb(self) -> bool:
        return self.timescaledb_version is not None

    def uow(
        self, *, isolation: IsolationLevel = "read_committed", app_user: str | None = None
    ) -> UnitOfWork:
        """A new Unit of Work: use it as ``async with ctx.uow() as uow:``.

        ``app_user`` names the application user on whose behalf the work runs; the audit trail
        records it next to each change.
        """
        return UnitOfWork(
            self.pool,
            self.queries,
            acquire_timeout=self.settings.acquire_timeout,
            isolation=isolation,
            app_user=app_user,
        )

    @property
    def session(self) -> PooledSession:
        """A session for repositories used outside a Unit of Work (a transaction per call)."""
        return PooledSession(self.pool, acquire_timeout=self.settings.acquire_timeout)

    @property
    def users(self) -> UserRepository:
        return UserRepository(self.session, self.queries)

    @property
    def portfolios(self) -> PortfolioRepository:
        return PortfolioRepository(self.session, self.queries)

    @property
    def market_data(self) -> MarketDataRepository:
        return MarketDataRepository(self.session, self.queries)

    @property
    def summaries(self) -> SummaryRepository:
        return SummaryRepository(self.session, self.queries)


# The open contexts, newest last: the newest is the default of get_uow() and get_*_repository().
_default_stack: list[PersistenceContext] = []


@contextlib.asynccontextmanager
async def create_persistence_context(
    database_url: str | None = None,
    *,
    min_size: int | None = None,
    max_size: int | None = None,
    acquire_timeout: float | None = None,
    statement_timeout: float | None = None,
    connect_timeout: float | None = None,
    command_timeout: float | None = None,
    application_name: str | None = None,
    check_schema: bool = True,
    **connect_options: Any,
) -> AsyncIterator[PersistenceContext]:
    """Open the pool, check the schema and TimescaleDB, yield the context, close everything.

    ``connect_options`` go to :func:`asyncpg.create_pool` (e.g. ``ssl=`` with an
    :class:`ssl.SSLContext` or ``"verify-full"``). With ``check_schema`` (the default) a database
    with pending migrations raises :class:`SchemaMismatch`. The context becomes the default one
    for :func:`get_uow` and the ``get_*_repository`` functions until it closes.
    """
    settings = PoolSettings.resolve(
        database_url,
        min_size=min_size,
        max_size=max_size,
        acquire_timeout=acquire_timeout,
        statement_timeout=statement_timeout,
        connect_timeout=connect_timeout,
        command_timeout=command_timeout,
        application_name=application_name,
    )
    queries = default_library()
    try:
        dsn, password = split_password(settings.database_url)
    except ValueError as error:
        raise ConfigurationError(f"the database URL cannot be parsed: {error}") from None
    if password is not None:
        connect_options.setdefault("password", _password_provider(password))
    server_settings = {
        **settings.server_settings(),
        **connect_options.pop("server_settings", {}),
    }
    try:
        pool = await asyncpg.create_pool(
            dsn,
            min_size=settings.min_size,
            max_size=settings.max_size,
            init=register_codecs,
            server_settings=server_settings,
            timeout=settings.connect_timeout,
            command_timeout=settings.command_timeout,
            # Every query of sql/ stays prepared on every connection.
            statement_cache_size=max(256, 2 * len(queries)),
            **connect_options,
        )
    except TimeoutError as error:
        raise DatabaseUnavailable(
            f"no answer from the server within connect_timeout ({settings.connect_timeout:g} s)"
        ) from error
    except DRIVER_ERRORS as error:
        raise translate_database_error(error) from error
    except (ValueError, TypeError) as error:
        # asyncpg's parsing of the URL and options; the password is no longer in the URL.
        raise ConfigurationError(f"bad connection settings: {error}") from error
    try:
        timescaledb_version, schema_version = await _startup_checks(pool, check_schema)
        context = PersistenceContext(
            pool,
            settings,
            queries,
            timescaledb_version=timescaledb_version,
            schema_version=schema_version,
        )
        _default_stack.append(context)
        try:
            yield context
        finally:
            _default_stack.remove(context)
    finally:
        await _close_pool(pool, settings.command_timeout)


def current_context() -> PersistenceContext:
    """The most recently opened context that is still open."""
    if not _default_stack:
        raise ConfigurationError(
            "no persistence context is open: use 'async with create_persistence_context(...)'"
        )
    return _default_stack[-1]


def get_uow(
    *, isolation: IsolationLevel = "read_committed", app_user: str | None = None
) -> UnitOfWork:
    """A Unit of Work of the default context (the seed's ``get_uow()``)."""
    return current_context().uow(isolation=isolation, app_user=app_user)


def get_user_repository() -> UserRepository:
    """The users repository of the default context; each call runs in its own transaction."""
    return current_context().users


def get_portfolio_repository() -> PortfolioRepository:
    """The portfolios repository of the default context; each call runs in its own transaction."""
    return current_context().portfolios


def get_market_data_repository() -> MarketDataRepository:
    """The market-data repository of the default context; each call in its own transaction."""
    return current_context().market_data


async def _startup_checks(
    pool: asyncpg.Pool[Any], check_schema: bool
) -> tuple[str | None, str | None]:
    try:
        async with pool.acquire() as connection:
            timescaledb_version = await connection.fetchval(
                "SELECT extversion FROM pg_extension WHERE extname = 'timescaledb'"
            )
            has_log = await connection.fetchval("SELECT to_regclass('_yoyo_migration') IS NOT NULL")
            applied: list[str] = []
            if has_log:
                rows = await connection.fetch(
                    "SELECT migration_id FROM _yoyo_migration ORDER BY applied_at_utc, migration_id"
                )
                applied = [row["migration_id"] for row in rows]
    except DRIVER_ERRORS as error:
        raise translate_database_error(error) from error
    if check_schema:
        pending = [migration for migration in migration_ids() if migration not in applied]
        if pending:
            raise SchemaMismatch(
                f"the database lacks {len(pending)} migration(s) ({', '.join(pending)}): "
                "run 'yoyo apply' or 'python -m boursa_db migrate' first"
            )
    known = [migration for migration in migration_ids() if migration in applied]
    return timescaledb_version, (known[-1] if known else None)


async def _close_pool(pool: asyncpg.Pool[Any], budget: float) -> None:
    """Close the pool gracefully within ``budget`` seconds, else drop every connection.

    asyncpg's close waits for every lent connection to come back and for the server to see
    each one off, without limit: a server gone silent would hold the caller forever.
    """
    try:
        await asyncio.wait_for(pool.close(), budget)
    except (*DRIVER_ERRORS, TimeoutError):
        pool.terminate()


def _password_provider(password: str) -> Callable[[], str]:
    """The password as asyncpg's ``password=`` function: kept out of its connection parameters."""

    def provide() -> str:
        return password

    return provide
