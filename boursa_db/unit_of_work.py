"""The Unit of Work: one pooled connection, one transaction, every repository on it.

::

    async with ctx.uow() as uow:
        user = await uow.users.save(user)
        await uow.market_data.copy(bars, on_conflict=ConflictMode.SKIP)
    # committed here; an exception inside the block rolls everything back

A failed statement aborts the whole transaction: PostgreSQL refuses every later statement of
it and answers its COMMIT with ROLLBACK. So a caller who catches an error and carries on does
not get a silent loss: leaving the block (or calling :meth:`UnitOfWork.commit`) raises
:class:`~boursa_db.errors.TransactionAborted`, which names the first error raised, and nothing
of the unit is committed. Work that may fail on its own, and after which the rest should go on,
goes into a savepoint::

    async with ctx.uow() as uow:
        await uow.portfolios.save(portfolio)
        try:
            async with uow.savepoint():
                await uow.transactions.add(trade)   # rolled back alone if it fails
        except Duplicate:
            ...                                     # the portfolio is still committed

Success is reported only when PostgreSQL answered the COMMIT with COMMIT.

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

from boursa_db import transactions
from boursa_db.errors import (
    DRIVER_ERRORS,
    BoursaDbError,
    UsageError,
    ValidationError,
    translate_database_error,
)
from boursa_db.queries import QueryLibrary
from boursa_db.repositories.alerts import AlertRepository
from boursa_db.repositories.audit import AuditRepository
from boursa_db.repositories.base import (
    BoundSession,
    begin_pooled_transaction,
    commit_transaction,
    release_connection,
    rollback_transaction,
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
from boursa_db.transactions import IsolationLevel

if TYPE_CHECKING:
    from asyncpg.pool import PoolConnectionProxy

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
    A unit of work is entered once, by one task; its repositories stop working when it ends.
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
        self._in_transaction = False
        self._entered = False
        self._session = BoundSession(None)

    async def __aenter__(self) -> Self:
        if self._entered:
            raise UsageError("a unit of work is entered once: open a new one per block")
        self._entered = True
        self._connection = await begin_pooled_transaction(
            self._pool, acquire_timeout=self._acquire_timeout, isolation=self._isolation
        )
        self._in_transaction = True
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
        """Commit the work so far and continue in a new transaction.

        Raises :class:`~boursa_db.errors.TransactionAborted` if PostgreSQL rolled the work back
        instead (a statement failed); the unit of work cannot be used after that.
        """
        self._require_connection()
        await self._finish(commit=True)
        await self._begin()

    async def rollback(self) -> None:
        """Discard the work so far and continue in a new transaction."""
        self._require_connection()
        await self._finish(commit=False)
        await self._begin()

    @contextlib.asynccontextmanager
    async def savepoint(self) -> AsyncIterator[None]:
        """A nested block: an exception inside rolls back only this block, then propagates.

        The transaction goes on after it, so an error caught around the block does not abort
        the unit of work::

            try:
                async with uow.savepoint():
                    await uow.users.save(maybe_duplicate)
            except Duplicate:
                pass                        # the rest of the unit of work still commits
        """
        connection = self._require_connection()
        failure_before = self._session.first_failure
        try:
            async with transactions.atomic(connection):
                yield
        except DRIVER_ERRORS as error:
            self._session.first_failure = failure_before
            raise translate_database_error(error) from error
        except BaseException:
            # Rolled back to the savepoint: what failed inside no longer aborts the transaction.
            self._session.first_failure = failure_before
            raise

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
        try:
            await transactions.begin(connection, self._isolation)
        except DRIVER_ERRORS as error:
            raise translate_database_error(error) from error
        self._in_transaction = True
        self._session.first_failure = None
        await self._declare_app_user()

    async def _declare_app_user(self) -> None:
        if self._app_user is None:
            return
        try:
            await self._require_connection().execute(_SET_APP_USER, self._app_user)
        except DRIVER_ERRORS as error:
            raise translate_database_error(error) from error

    async def _finish(self, *, commit: bool) -> None:
        connection = self._connection
        if connection is None or not self._in_transaction:
            return
        self._in_transaction = False
        if commit:
            try:
                await commit_transaction(connection, first_failure=self._session.first_failure)
            except BoursaDbError:
                # Whatever happened to this transaction, the unit of work is over: nothing may
                # run on its connection outside a transaction.
                self._session.close()
                raise
            return
        await rollback_transaction(connection)

    async def _release(self) -> None:
        connection, self._connection = self._connection, None
        self._session.close()
        if connection is not None:
            await release_connection(self._pool, connection, reset_timeout=self._acquire_timeout)

    def _require_connection(self) -> PoolConnectionProxy[Any]:
        if self._connection is None or self._session.closed:
            raise UsageError(_NOT_OPEN)
        return self._connection

    def _require_session(self) -> BoundSession:
        self._require_connection()
        return self._session


_NOT_OPEN = (
    "the unit of work is not open (not entered yet, or ended): use it inside "
    "'async with ctx.uow() as uow'"
)
