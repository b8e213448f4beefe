"""Portfolio performance snapshots: upserts, binary COPY, ranges and the latest snapshot."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from boursa_db.domain.market import PortfolioPerformance, require_time_range
from boursa_db.errors import ValidationError
from boursa_db.queries import QueryLibrary
from boursa_db.repositories.arguments import check_instance
from boursa_db.repositories.base import Repository, Session
from boursa_db.repositories.copying import ConflictMode, CopyTarget, copy_items

__all__ = ["PerformanceRepository"]


class PerformanceRepository(Repository):
    """The ``portfolio_performance`` table: one snapshot per portfolio and time."""

    def __init__(self, session: Session, queries: QueryLibrary | None = None) -> None:
        super().__init__(session, queries)
        self._copy_target = CopyTarget(
            item_type=PortfolioPerformance,
            to_record=_snapshot_record,
            key=_snapshot_key,
            describe=_describe_snapshot,
            copy_into_table=self._queries.performance_copy,
            create_staging=self._queries.performance_create_staging,
            copy_into_staging=self._queries.performance_copy_staging,
            insert_from_staging=self._queries.performance_insert_from_staging,
            upsert_from_staging=self._queries.performance_upsert_from_staging,
            empty_staging=self._queries.performance_empty_staging,
        )

    async def save(self, snapshot: PortfolioPerformance) -> PortfolioPerformance:
        """Insert the snapshot, or replace the portfolio's snapshot at the same time.

        An unknown portfolio raises :class:`~boursa_db.errors.MissingReference`.
        """
        check_instance("snapshot", snapshot, PortfolioPerformance)
        async with self._session.connection() as connection:
            record = await self._queries.performance_save(
                connection, **_snapshot_arguments(snapshot)
            )
        return _snapshot_from_record(record)

    async def copy(
        self,
        snapshots: Iterable[PortfolioPerformance],
        on_conflict: ConflictMode = ConflictMode.FAIL,
    ) -> int:
        """Write snapshots with binary COPY, all or nothing; return how many were written.

        See :mod:`boursa_db.repositories.copying` for the conflict modes.
        """
        return await copy_items(self._session, self._copy_target, snapshots, on_conflict)

    async def find_range(
        self, portfolio_id: uuid.UUID, start: datetime, end: datetime
    ) -> list[PortfolioPerformance]:
        """The portfolio's snapshots in ``[start, end)``, oldest first."""
        checked = _portfolio_id(portfolio_id)
        start, end = require_time_range(start, end)
        records = await self._session.read(
            self._queries.performance_find_range, portfolio_id=checked, start=start, end=end
        )
        return [_snapshot_from_record(record) for record in records]

    async def find_latest(self, portfolio_id: uuid.UUID) -> PortfolioPerformance | None:
        """The portfolio's newest snapshot, or None when it has none."""
        checked = _portfolio_id(portfolio_id)
        record = await self._session.read(
            self._queries.performance_find_latest, portfolio_id=checked
        )
        return None if record is None else _snapshot_from_record(record)


_COLUMNS = (
    "time",
    "portfolio_id",
    "total_value",
    "cash_value",
    "invested_value",
    "daily_return",
    "total_return",
    "volatility_30d",
    "sharpe_ratio_30d",
    "max_drawdown_30d",
    "beta_30d",
    "alpha_30d",
    "number_of_positions",
)


def _portfolio_id(value: object) -> uuid.UUID:
    if not isinstance(value, uuid.UUID):
        raise ValidationError(
            f"portfolio_id: expected a UUID, got {type(value).__name__}", field="portfolio_id"
        )
    return value


def _snapshot_from_record(record: Any) -> PortfolioPerformance:
    return PortfolioPerformance(**{column: record[column] for column in _COLUMNS})


def _snapshot_arguments(snapshot: PortfolioPerformance) -> dict[str, Any]:
    return dict(zip(_COLUMNS, _snapshot_record(snapshot), strict=True))


def _snapshot_record(snapshot: PortfolioPerformance) -> tuple[Any, ...]:
    return (
        snapshot.time,
        snapshot.portfolio_id,
        snapshot.total_value,
        snapshot.cash_value,
        snapshot.invested_value,
        snapshot.daily_return,
        snapshot.total_return,
        snapshot.volatility_30d,
        snapshot.sharpe_ratio_30d,
        snapshot.max_drawdown_30d,
        snapshot.beta_30d,
        snapshot.alpha_30d,
        snapshot.number_of_positions,
    )


def _snapshot_key(snapshot: PortfolioPerformance) -> tuple[uuid.UUID, datetime]:
    return (snapshot.portfolio_id, snapshot.time)


def _describe_snapshot(snapshot: PortfolioPerformance) -> str:
    return f"portfolio {snapshot.portfolio_id} at {snapshot.time.isoformat()}"
