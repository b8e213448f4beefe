"""The Unit of Work: one pooled connection, one transaction, every repository on it.

::

    async with ctx.uow() as uow:
        user = await uow.users.save(user)
        await uow.market_data.copy(bars, on_conflict=ConflictMode.SKIP)
    # committed here; an exception inside the block rolls everything back

Nested work that may fail on its own goes into a savepoint::

    async with ctx.uow() as uow:
        await uow.portfolios.save(portfolio)
        try:
            async with uow.savepoint():
                await uow.transactions.add(trade)   # rolled back alone if it fails
        except Duplicate:
            ...

``ctx.uow(app_user="alice")`` names the application user on whose behalf the work runs; the audit
triggers record it next to each change (``SELECT set_config('boursa.app_user', $1, true)`` at
the start of each transaction, so it never leaks to the next user of the pooled connection).

When the connection is lost, the work is not committed and the block raises
:class:`~boursa_db.errors.DatabaseUnavailable`; the pool replaces the connection. Only a loss
during the final COMMIT leaves the outcome open: :class:`~boursa_db.errors.OutcomeUnknown`.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from types import TracebackType
from typing import TYPE_CHECKING, Any, Self

import asyncpg

from boursa_db.errors import BoursaDbError, ValidationError, translate_database_error
from boursa_db.queries import QueryLibrary
from boursa_db.repositories.alerts import AlertRepository
from boursa_db.repositories.audit import AuditRepository
from boursa_db.repositories.base import (
    DRIVER_ERRORS,
    BoundSession,
    IsolationLevel,
    begin_pooled_transaction,
    commit_transaction,
    release_connection,
)
from boursa_db.repositories.fundamentals import FundamentalsRepository
from boursa_db.repositories.indicators import IndicatorRepository
from boursa_db.repositories.instruments import InstrumentRepository
from boursa_db.repositories.market_data import MarketDataRepository
from boursa_db.repositories.notifications import NotificationRepository
from boursa_db.repositories.performance import PerformanceRepository
from boursa_db.repositories.portfolios import PortfolioRepository
from boursa_db.repositories.positions import PositionRepository
from boursa_db.repositories.refresh_tokens import RefreshTokenRepository
from boursa_db.repositories.signals import SignalRepository
from boursa_db.repositories.summaries import SummaryRepository
from boursa_db.repositories.system_config import SystemConfigRepository
from boursa_db.repositories.transactions import TransactionRepository
from boursa_db.repositories.users import UserRepository

if TYPE_CHECKING:
    from asyncpg.pool import PoolConnectionProxy
    from asyncpg.transaction import Transaction

__all__ = ["IsolationLevel", "UnitOfWork"]

APP_USER_MAX_LENGTH = 255
# Transaction-local (is_local = true): it ends with the transaction, before the connection goes
# back to the pool. Infrastructure of the audit trail, not a query of an aggregate.
_SET_APP_USER = "SELECT set_config('boursa.app_user', $1, true)"


def _check_app_user(app_user: str | None) -> str | None:
    """The application user's name as given, if it is None or 1 to 255 characters of text."""
    if app_user is None:
        return None
    if not isinstance(app_user, str):
        message = f"app_user: expected text, got {type(app_user).__name__}"
        raise ValidationError(message, field="app_user")
    if not 1 <= len(app_user) <= APP_USER_MAX_LENGTH or "\x00" in app_user:
        raise ValidationError(
            f"app_user: must be 1 to {APP_USER_MAX_LENGTH} characters without NUL",
            field="app_user",
        )
    return app_user


class UnitOfWork:
    """One transaction on one pooled connection; the repositories hang off it.

    Leaving the ``async with`` block commits; an exception rolls back. :meth:`commit` and
    :meth:`rollback` end the current transaction early and start a new one on the same connection.
    """

    def __init__(
        self,
        pool: asyncpg.Pool[Any],
        queries: QueryLibrary,
        *,
        acquire_timeout: float | None,
        isolation: IsolationLevel = "read_committed",
        app_user: str | None = None,
    ) -> None:
        self._pool = pool
        self._queries = queries
        self._acquire_timeout = acquire_timeout
        self._isolation = isolation
        self._app_user = _check_app_user(app_user)
        self._connection: PoolConnectionProxy[Any] | None = None
        self._transaction: Transaction | None = None
        self._session: BoundSession | None = None

    async def __aenter__(self) -> Self:
        if self._connection is not None:
            raise BoursaDbError("this unit of work is already in use; open a new one per block")
        self._connection, self._transaction = await begin_pooled_transaction(
            self._pool, acquire_timeout=self._acquire_timeout, isolation=self._isolation
        )
        try:
            await self._declare_app_user()
        except BaseException:
            await self._release()
            raise
        self._session = BoundSession(self._connection)
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        try:
            if exc_type is None:
                await self._finish(commit=True)
            else:
                with contextlib.suppress(*DRIVER_ERRORS, BoursaDbError):
                    await self._finish(commit=False)
        finally:
            await self._release()
        if isinstance(exc, DRIVER_ERRORS):
            # SQL of the caller's own on uow.connection fails with the same typed errors.
            raise translate_database_error(exc) from exc

    async def commit(self) -> None:
        """Commit the work so far and continue in a new transaction."""
        await self._finish(commit=True)
        await self._begin()

    async def rollback(self) -> None:
        """Discard the work so far and continue in a new transaction."""
        await self._finish(commit=False)
        await self._begin()

    @contextlib.asynccontextmanager
    async def savepoint(self) -> AsyncIterator[None]:
        """A nested block: an exception inside rolls back only this block, then propagates."""
        connection = self._require_connection()
        try:
            async with connection.transaction():
                yield
        except DRIVER_ERRORS as error:
            raise translate_database_error(error) from error

    @property
    def connection(self) -> PoolConnectionProxy[Any]:
        """The connection of this unit of work, for queries of your own in its transaction."""
        return self._require_connection()

    @property
    def users(self) -> UserRepository:
        return UserRepository(self._require_session(), self._queries)

    @property
    def refresh_tokens(self) -> RefreshTokenRepository:
        return RefreshTokenRepository(self._require_session(), self._queries)

    @property
    def audit(self) -> AuditRepository:
        return AuditRepository(self._require_session(), self._queries)

    @property
    def system_config(self) -> SystemConfigRepository:
        return SystemConfigRepository(self._require_session(), self._queries)

    @property
    def instruments(self) -> InstrumentRepository:
        return InstrumentRepository(self._require_session(), self._queries)

    @property
    def fundamentals(self) -> FundamentalsRepository:
        return FundamentalsRepository(self._require_session(), self._queries)

    @property
    def portfolios(self) -> PortfolioRepository:
        return PortfolioRepository(self._require_session(), self._queries)

    @property
    def positions(self) -> PositionRepository:
        return PositionRepository(self._require_session(), self._queries)

    @property
    def transactions(self) -> TransactionRepository:
        return TransactionRepository(self._require_session(), self._queries)

    @property
    def alerts(self) -> AlertRepository:
        return AlertRepository(self._require_session(), self._queries)

    @property
    def notifications(self) -> NotificationRepository:
        return NotificationRepository(self._require_session(), self._queries)

    @property
    def market_data(self) -> MarketDataRepository:
        return MarketDataRepository(self._require_session(), self._queries)

    @property
    def indicators(self) -> IndicatorRepository:
        return IndicatorRepository(self._require_session(), self._queries)

    @property
    def signals(self) -> SignalRepository:
        return SignalRepository(self._require_session(), self._queries)

    @property
    def performance(self) -> PerformanceRepository:
        return PerformanceRepository(self._require_session(), self._queries)

    @property
    def summaries(self) -> SummaryRepository:
        return SummaryRepository(self._require_session(), self._queries)

    async def _begin(self) -> None:
        """A new transaction on the same connection, after :meth:`commit` or :meth:`rollback`."""
        connection = self._require_connection()
        transaction = connection.transaction(isolation=self._isolation)
        try:
            await transaction.start()
        except DRIVER_ERRORS as error:
            raise translate_database_error(error) from error
        self._transaction = transaction
        await self._declare_app_user()

    async def _declare_app_user(self) -> None:
        if self._app_user is None:
            return
        try:
            await self._require_connection().execute(_SET_APP_USER, self._app_user)
        except DRIVER_ERRORS as error:
            raise translate_database_error(error) from error

    async def _finish(self, *, commit: bool) -> None:
        transaction, self._transaction = self._transaction, None
        if transaction is None:
            return
        if commit:
            await commit_transaction(transaction)
            return
        try:
            await transaction.rollback()
        except DRIVER_ERRORS as error:
            raise translate_database_error(error) from error

    async def _release(self) -> None:
        connection, self._connection = self._connection, None
        self._session = None
        if connection is not None:
            await release_connection(self._pool, connection, reset_timeout=self._acquire_timeout)

    def _require_connection(self) -> PoolConnectionProxy[Any]:
        if self._connection is None:
            raise BoursaDbError("the unit of work is not open: use 'async with ctx.uow() as uow'")
        return self._connection

    def _require_session(self) -> BoundSession:
        if self._session is None:
            raise BoursaDbError("the unit of work is not open: use 'async with ctx.uow() as uow'")
        return self._session
