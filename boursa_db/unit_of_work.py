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
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from types import TracebackType
from typing import TYPE_CHECKING, Any, Literal, Self

import asyncpg

from boursa_db.errors import BoursaDbError, PoolExhausted, translate_database_error
from boursa_db.queries import QueryLibrary
from boursa_db.repositories.alerts import AlertRepository
from boursa_db.repositories.audit import AuditRepository
from boursa_db.repositories.base import BoundSession
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

__all__ = ["IsolationLevel", "UnitOfWork"]

IsolationLevel = Literal["read_committed", "repeatable_read", "serializable"]
_DRIVER_ERRORS = (asyncpg.PostgresError, asyncpg.InterfaceError, OSError)


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
    ) -> None:
        self._pool = pool
        self._queries = queries
        self._acquire_timeout = acquire_timeout
        self._isolation = isolation
        self._connection: PoolConnectionProxy[Any] | None = None
        self._transaction: Any = None
        self._session: BoundSession | None = None

    async def __aenter__(self) -> Self:
        if self._connection is not None:
            raise BoursaDbError("this unit of work is already in use; open a new one per block")
        try:
            self._connection = await self._pool.acquire(timeout=self._acquire_timeout)
        except TimeoutError as error:
            raise PoolExhausted(
                f"no pooled connection became free within {self._acquire_timeout} s"
            ) from error
        except _DRIVER_ERRORS as error:
            raise translate_database_error(error) from error
        try:
            await self._begin()
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
                with contextlib.suppress(*_DRIVER_ERRORS, BoursaDbError):
                    await self._finish(commit=False)
        finally:
            await self._release()
        if isinstance(exc, _DRIVER_ERRORS):
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
        except _DRIVER_ERRORS as error:
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
        connection = self._require_connection()
        self._transaction = connection.transaction(isolation=self._isolation)
        try:
            await self._transaction.start()
        except _DRIVER_ERRORS as error:
            self._transaction = None
            raise translate_database_error(error) from error

    async def _finish(self, *, commit: bool) -> None:
        transaction, self._transaction = self._transaction, None
        if transaction is None:
            return
        try:
            if commit:
                await transaction.commit()
            else:
                await transaction.rollback()
        except _DRIVER_ERRORS as error:
            raise translate_database_error(error) from error

    async def _release(self) -> None:
        connection, self._connection = self._connection, None
        self._session = None
        if connection is None:
            return
        try:
            await self._pool.release(connection)
        except _DRIVER_ERRORS:
            # A connection whose server went away cannot be reset; drop it from the pool.
            connection.terminate()

    def _require_connection(self) -> PoolConnectionProxy[Any]:
        if self._connection is None:
            raise BoursaDbError("the unit of work is not open: use 'async with ctx.uow() as uow'")
        return self._connection

    def _require_session(self) -> BoundSession:
        if self._session is None:
            raise BoursaDbError("the unit of work is not open: use 'async with ctx.uow() as uow'")
        return self._session
