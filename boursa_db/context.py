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

The password of the URL is kept apart from it (:attr:`PoolSettings.password`, a
:class:`~boursa_db.settings.Secret`) and handed to asyncpg as a function, not as text: asyncpg
keeps its connection parameters on every connection (and shows them to query loggers), and a
password given that way is not among them. Errors and reprs show the URL only with the password
masked.
TLS settings pass through to asyncpg: ``sslmode``/``sslrootcert`` in the URL, or ``ssl=`` with
an :class:`ssl.SSLContext`.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from contextvars import ContextVar, Token
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
from boursa_db.repositories.base import DRIVER_ERRORS, PooledSession, needs_reset
from boursa_db.repositories.market_data import MarketDataRepository
from boursa_db.repositories.portfolios import PortfolioRepository
from boursa_db.repositories.summaries import SummaryRepository
from boursa_db.repositories.users import UserRepository
from boursa_db.settings import PoolSettings, Secret, checked_server_settings
from boursa_db.unit_of_work import IsolationLevel, UnitOfWork
from boursa_db.urls import redact_url

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
        """The session outside a Unit of Work: reads run alone, writes in a transaction each."""
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


# The context of the current task (set by create_persistence_context, inherited by the tasks it
# starts), and every open one: a task that has none of its own uses the only open one.
_task_context: ContextVar[PersistenceContext | None] = ContextVar(
    "boursa_db_persistence_context", default=None
)
_open_contexts: list[PersistenceContext] = []


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
    for :func:`get_uow` and the ``get_*_repository`` functions in the current task, and in the tasks
    it starts, until it closes (see :func:`current_context`).
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
    # The URL's password, or one given as password=, reaches asyncpg as a function only.
    password = connect_options.get("password", settings.password)
    if isinstance(password, str):
        password = Secret(password)
    if isinstance(password, Secret):
        connect_options["password"] = password.reveal
    server_settings = {
        **settings.server_settings(),
        **checked_server_settings(connect_options.pop("server_settings", {})),
    }
    dsn = settings.database_url
    try:
        pool = await asyncpg.create_pool(
            dsn,
            min_size=settings.min_size,
            max_size=settings.max_size,
            init=register_codecs,
            reset=_reset_connection,
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
        _open_contexts.append(context)
        token = _task_context.set(context)
        try:
            yield context
        finally:
            _open_contexts.remove(context)
            _forget(token, context)
    finally:
        await _close_pool(pool, settings.command_timeout)


def current_context() -> PersistenceContext:
    """The persistence context of the current task.

    That is the one the task opened with :func:`create_persistence_context`, or the one open in
    the task that started it; a task with neither (e.g. a web server's request handler when the
    context was opened at start-up) uses the only open context. With several open and none of
    its own, the task must use a context explicitly: this raises :class:`ConfigurationError`.
    """
    context = _task_context.get()
    if context is not None and context in _open_contexts:
        return context
    if len(_open_contexts) == 1:
        return _open_contexts[0]
    if not _open_contexts:
        raise ConfigurationError(
            "no persistence context is open: use 'async with create_persistence_context(...)'"
        )
    raise ConfigurationError(
        f"{len(_open_contexts)} persistence contexts are open and this task opened none of them: "
        "use the context you mean (ctx.uow(), ctx.users, ...) instead of get_uow()"
    )


def _forget(token: Token[PersistenceContext | None], context: PersistenceContext) -> None:
    """Undo the task's context, also when the context is closed from another task."""
    try:
        _task_context.reset(token)
    except ValueError:  # closed in another task or context than the one that opened it
        if _task_context.get() is context:
            _task_context.set(None)


def get_uow(
    *, isolation: IsolationLevel = "read_committed", app_user: str | None = None
) -> UnitOfWork:
    """A Unit of Work of the default context (the seed's ``get_uow()``)."""
    return current_context().uow(isolation=isolation, app_user=app_user)


def get_user_repository() -> UserRepository:
    """The users repository of the default context (calls outside a unit of work)."""
    return current_context().users


def get_portfolio_repository() -> PortfolioRepository:
    """The portfolios repository of the default context (calls outside a unit of work)."""
    return current_context().portfolios


def get_market_data_repository() -> MarketDataRepository:
    """The market-data repository of the default context (calls outside a unit of work)."""
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


async def _reset_connection(connection: asyncpg.Connection[Any]) -> None:
    """Make a connection that goes back to the pool like a new one, temporary tables included.

    asyncpg's own reset (RESET ALL, UNLISTEN, CLOSE ALL, advisory locks) keeps temporary
    tables, and PostgreSQL looks up an unqualified table name in the session's temporary schema
    first: a temporary ``users`` left by one caller would take the writes of every later unit of
    work on that connection. ``DISCARD TEMP`` drops them, in the same round trip. A connection
    that ran only the library's own statements since it was lent needs none of it
    (:func:`boursa_db.repositories.base.release_connection`).
    """
    if needs_reset():
        await connection.execute(f"{connection.get_reset_query()}\nDISCARD TEMP;")
