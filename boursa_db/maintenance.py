"""Maintenance of the time series: refresh summaries, compress, apply retention, report status.

Every function takes an asyncpg connection or pool and works on TimescaleDB and on plain
PostgreSQL. What only TimescaleDB can do is reported, not raised: on plain PostgreSQL
:func:`refresh_aggregates` and :func:`compress_chunks` return a result with ``applies=False``
and the reason (the summary views are plain views, always fresh; there is no columnar
compression). Retention applies on both, with the same answer::

    async with create_persistence_context(url) as ctx:
        await refresh_aggregates(ctx.pool, start, end)
        await compress_chunks(ctx.pool, older_than=now - timedelta(days=7))
        await apply_retention(ctx.pool)
        report = await status_report(ctx.pool)

Call :func:`refresh_aggregates` on a pool or on a connection outside a transaction:
TimescaleDB refuses to refresh inside one.
"""

from __future__ import annotations

import contextlib
import enum
from collections.abc import AsyncIterator, Iterable, Mapping
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any, TypeAlias

import asyncpg
import attrs

from boursa_db.domain.market import require_aware
from boursa_db.errors import ConfigurationError, ValidationError, translate_database_error
from boursa_db.query_types import typed_library
from boursa_db.repositories.base import DRIVER_ERRORS
from boursa_db.transactions import atomic

if TYPE_CHECKING:
    from boursa_db.connection import Connection
    from boursa_db.query_types import Queries

    Target: TypeAlias = Connection | asyncpg.Pool[Any]

__all__ = [
    "NO_COMPRESSION",
    "NO_MATERIALIZATION",
    "SUMMARY_BUCKETS",
    "TIME_SERIES_TABLES",
    "AggregateStatus",
    "CompressionResult",
    "MaintenanceStatus",
    "PolicyKind",
    "PolicyStatus",
    "RefreshResult",
    "RefreshedWindow",
    "RetentionResult",
    "TableCompression",
    "TableRetention",
    "TableStatus",
    "apply_retention",
    "compress_chunks",
    "refresh_aggregates",
    "status_report",
]

TIME_SERIES_TABLES = ("market_data", "technical_indicators", "signals", "portfolio_performance")
"""The tables that are hypertables on TimescaleDB, in the order maintenance visits them."""

SUMMARY_BUCKETS: Mapping[str, timedelta] = {
    "daily_market_summary": timedelta(days=1),
    "hourly_market_bars": timedelta(hours=1),
    "hourly_portfolio_performance": timedelta(hours=1),
}
"""The summary views and the width of their UTC buckets."""

NO_MATERIALIZATION = (
    "plain PostgreSQL: the summary views are plain views over the raw tables, always fresh; "
    "there is nothing to refresh"
)
NO_COMPRESSION = "plain PostgreSQL: there is no columnar compression without TimescaleDB"

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


class PolicyKind(enum.StrEnum):
    """What a policy does to its table or view."""

    COMPRESSION = "compression"
    RETENTION = "retention"
    REFRESH = "refresh"


@attrs.frozen(kw_only=True)
class RefreshedWindow:
    """The window of one view that was materialized, widened to whole buckets (None: open)."""

    view: str
    start: datetime | None
    end: datetime | None


@attrs.frozen(kw_only=True)
class RefreshResult:
    """What :func:`refresh_aggregates` did; ``applies`` is False on plain PostgreSQL."""

    applies: bool
    reason: str | None = None
    windows: tuple[RefreshedWindow, ...] = ()


@attrs.frozen(kw_only=True)
class TableCompression:
    """Chunks of one hypertable compressed now, and compressed ones that got new rows since."""

    table: str
    chunks_compressed: int
    chunks_recompressed: int


@attrs.frozen(kw_only=True)
class CompressionResult:
    """What :func:`compress_chunks` did; ``applies`` is False on plain PostgreSQL."""

    applies: bool
    reason: str | None = None
    tables: tuple[TableCompression, ...] = ()


@attrs.frozen(kw_only=True)
class TableRetention:
    """Retention of one table: every row with ``time < cutoff`` is gone.

    ``drop_after`` is the window as PostgreSQL writes it ('2 years'). ``chunks_dropped`` counts
    whole chunks dropped (TimescaleDB); ``rows_deleted`` the rows removed by DELETE: all of them
    on plain PostgreSQL, only those of the chunk straddling the cutoff on TimescaleDB.
    """

    table: str
    drop_after: str
    cutoff: datetime
    chunks_dropped: int
    rows_deleted: int


@attrs.frozen(kw_only=True)
class RetentionResult:
    """What :func:`apply_retention` did, per table."""

    tables: tuple[TableRetention, ...]


@attrs.frozen(kw_only=True)
class TableStatus:
    """Size and compression of one time-series table.

    On plain PostgreSQL ``hypertable`` is False and the chunk and compression fields are None.
    ``uncompressed_bytes`` and ``compressed_bytes`` measure the compressed chunks only, before
    and after compression (indexes and TOAST included).
    """

    table: str
    hypertable: bool
    total_bytes: int
    chunks: int | None = None
    compressed_chunks: int | None = None
    uncompressed_bytes: int | None = None
    compressed_bytes: int | None = None

    @property
    def compression_ratio(self) -> float | None:
        """How many times smaller the compressed chunks became, or None if none is."""
        if not self.uncompressed_bytes or not self.compressed_bytes:
            return None
        return self.uncompressed_bytes / self.compressed_bytes


@attrs.frozen(kw_only=True)
class PolicyStatus:
    """One policy and its last background run.

    ``after`` is its interval as PostgreSQL writes it: compress after, drop after, or how far
    back a refresh looks. On plain PostgreSQL only retention policies exist, with no job:
    ``job_id`` is None and ``scheduled`` False (retention runs when :func:`apply_retention` is
    called).
    """

    kind: PolicyKind = attrs.field(converter=PolicyKind)
    target: str
    after: str
    job_id: int | None = None
    scheduled: bool = False
    schedule_interval: timedelta | None = None
    last_run_status: str | None = None
    last_run_started_at: datetime | None = None
    last_successful_finish: datetime | None = None
    next_start: datetime | None = None
    total_runs: int = 0
    total_failures: int = 0


@attrs.frozen(kw_only=True)
class AggregateStatus:
    """Freshness of one summary view.

    ``materialized`` is False for the plain views of plain PostgreSQL, which are computed at
    query time and so always fresh. On TimescaleDB ``materialized_through`` is the watermark:
    buckets before it are read from the materialization, later ones computed from raw rows when
    ``real_time``; None before the first refresh. ``last_refresh`` is the last successful run
    of its refresh policy (manual refreshes are not recorded there).
    """

    view: str
    materialized: bool
    real_time: bool
    materialized_through: datetime | None = None
    last_refresh: datetime | None = None


@attrs.frozen(kw_only=True)
class MaintenanceStatus:
    """The state of the time series: tables, policies, summary views."""

    timescaledb_version: str | None
    tables: tuple[TableStatus, ...]
    policies: tuple[PolicyStatus, ...]
    aggregates: tuple[AggregateStatus, ...]

    @property
    def timescaledb(self) -> bool:
        """Whether the database has the TimescaleDB extension."""
        return self.timescaledb_version is not None


async def refresh_aggregates(
    target: Target,
    start: datetime | None = None,
    end: datetime | None = None,
    *,
    views: Iterable[str] | None = None,
) -> RefreshResult:
    """Materialize the summary views (all, or ``views``) over ``[start, end)``.

    The window is widened to whole UTC buckets of each view, so every bucket the window touches
    is recomputed; None leaves that side open. Needed after late writes below a view's
    watermark; new rows show up without it.
    """
    names = _summary_views(views)
    start = _optional_aware(start, "start")
    end = _optional_aware(end, "end")
    if start is not None and end is not None and start >= end:
        raise ValidationError(f"start ({start}) is not before end ({end})", field="start")
    queries = typed_library()
    async with _connection(target) as connection:
        if not await _has_timescaledb(connection, queries):
            return RefreshResult(applies=False, reason=NO_MATERIALIZATION)
        windows = []
        for name in names:
            width = SUMMARY_BUCKETS[name]
            window = RefreshedWindow(
                view=name,
                start=None if start is None else _bucket_floor(start, width),
                end=None if end is None else _bucket_ceiling(end, width),
            )
            await queries.maintenance_refresh_aggregate(
                connection, view_name=name, window_start=window.start, window_end=window.end
            )
            windows.append(window)
    return RefreshResult(applies=True, windows=tuple(windows))


async def compress_chunks(target: Target, older_than: datetime) -> CompressionResult:
    """Compress every chunk of the time-series hypertables that ends by ``older_than``.

    Chunks that were compressed and received rows since are recompressed. Each chunk is
    compressed in its own statement, so a long run commits chunk by chunk (on a pool, or on a
    connection outside a transaction).
    """
    cutoff = require_aware(older_than, "older_than")
    queries = typed_library()
    async with _connection(target) as connection:
        if not await _has_timescaledb(connection, queries):
            return CompressionResult(applies=False, reason=NO_COMPRESSION)
        tables = []
        for table in TIME_SERIES_TABLES:
            chunks = await queries.maintenance_chunks_to_compress(
                connection, table_name=table, older_than=cutoff
            )
            for chunk in chunks:
                await queries.maintenance_compress_chunk(connection, chunk=chunk["chunk"])
            recompressed = sum(1 for chunk in chunks if chunk["was_compressed"])
            tables.append(
                TableCompression(
                    table=table,
                    chunks_compressed=len(chunks) - recompressed,
                    chunks_recompressed=recompressed,
                )
            )
    return CompressionResult(applies=True, tables=tuple(tables))


async def apply_retention(target: Target, *, now: datetime | None = None) -> RetentionResult:
    """Remove every row older than its table's retention window, counted back from ``now``.

    The windows are the rows of ``time_series_retention``; ``cutoff = now - drop_after`` is
    computed in UTC. Exactly the rows with ``time < cutoff`` go, on both backends. TimescaleDB's
    own retention policy drops whole chunks only, so a chunk straddling the cutoff keeps its
    older rows until the chunk has aged out entirely; here those are deleted too. Summaries
    already materialized on TimescaleDB keep the buckets of dropped chunks. A symbol whose
    bars are all gone leaves ``market_data_latest`` in the same transaction.
    """
    reference = datetime.now(UTC) if now is None else require_aware(now, "now")
    queries = typed_library()
    async with _connection(target) as connection:
        timescaledb = await _has_timescaledb(connection, queries)
        windows = await queries.maintenance_retention_cutoffs(connection, now=reference)
        tables = [
            await _retain(queries, connection, window, timescaledb=timescaledb)
            for window in windows
        ]
    return RetentionResult(tables=tuple(tables))


async def status_report(target: Target) -> MaintenanceStatus:
    """Tables (size, chunks, compression), policies and their last run, summary freshness."""
    queries = typed_library()
    async with _connection(target) as connection:
        version = await queries.maintenance_timescaledb_version(connection)
        if version is None:
            return await _plain_status(connection, queries)
        hypertables = await queries.maintenance_hypertables(connection)
        jobs = await queries.maintenance_jobs(connection)
        aggregates = await queries.maintenance_aggregates(connection)
    return MaintenanceStatus(
        timescaledb_version=version,
        tables=tuple(
            TableStatus(
                table=row["table_name"],
                hypertable=True,
                total_bytes=row["total_bytes"],
                chunks=row["chunks"],
                compressed_chunks=row["compressed_chunks"],
                uncompressed_bytes=row["uncompressed_bytes"],
                compressed_bytes=row["compressed_bytes"],
            )
            for row in hypertables
        ),
        policies=tuple(_policy_from_job(row) for row in jobs),
        aggregates=tuple(
            AggregateStatus(
                view=row["view_name"],
                materialized=True,
                real_time=row["real_time"],
                materialized_through=row["materialized_through"],
                last_refresh=row["last_refresh"],
            )
            for row in aggregates
        ),
    )


async def _plain_status(connection: Connection, queries: Queries) -> MaintenanceStatus:
    tables = await queries.maintenance_table_sizes(connection)
    return MaintenanceStatus(
        timescaledb_version=None,
        tables=tuple(_plain_table(row) for row in tables),
        policies=tuple(_retention_policy(row) for row in tables),
        aggregates=tuple(
            AggregateStatus(view=name, materialized=False, real_time=True)
            for name in SUMMARY_BUCKETS
        ),
    )


async def _delete_before(
    queries: Queries, connection: Connection, table: str, cutoff: datetime
) -> int:
    # Table names cannot be bound: each table has its own DELETE, chosen from this allow-list.
    match table:
        case "market_data":
            return await queries.maintenance_delete_market_data_before(connection, cutoff=cutoff)
        case "technical_indicators":
            delete = queries.maintenance_delete_technical_indicators_before
            return await delete(connection, cutoff=cutoff)
        case "signals":
            return await queries.maintenance_delete_signals_before(connection, cutoff=cutoff)
        case "portfolio_performance":
            delete_snapshots = queries.maintenance_delete_portfolio_performance_before
            return await delete_snapshots(connection, cutoff=cutoff)
    raise ConfigurationError(f"time_series_retention names {table!r}: not a time-series table")


async def _retain(
    queries: Queries, connection: Connection, window: Any, *, timescaledb: bool
) -> TableRetention:
    table, cutoff = window["table_name"], window["cutoff"]
    chunks_dropped = 0
    async with atomic(connection):
        if timescaledb:
            chunks_dropped = await queries.maintenance_drop_chunks(
                connection, table_name=table, cutoff=cutoff
            )
            await queries.maintenance_lift_decompression_limit(connection)
        if table == "market_data":
            # The deleted bars leave market_data_latest in one statement, not a trigger each.
            await queries.market_data_latest_defer(connection)
        rows_deleted = await _delete_before(queries, connection, table, cutoff)
        if table == "market_data":
            await queries.maintenance_forget_latest_bars_before(connection, cutoff=cutoff)
    return TableRetention(
        table=table,
        drop_after=window["drop_after"],
        cutoff=cutoff,
        chunks_dropped=chunks_dropped,
        rows_deleted=rows_deleted,
    )


def _plain_table(row: Any) -> TableStatus:
    return TableStatus(table=row["table_name"], hypertable=False, total_bytes=row["total_bytes"])


def _retention_policy(row: Any) -> PolicyStatus:
    return PolicyStatus(
        kind=PolicyKind.RETENTION, target=row["table_name"], after=row["drop_after"]
    )


def _policy_from_job(row: Any) -> PolicyStatus:
    return PolicyStatus(
        kind=row["kind"],
        target=row["target"],
        after=row["after"],
        job_id=row["job_id"],
        scheduled=row["scheduled"],
        schedule_interval=row["schedule_interval"],
        last_run_status=row["last_run_status"],
        last_run_started_at=row["last_run_started_at"],
        last_successful_finish=row["last_successful_finish"],
        next_start=row["next_start"],
        total_runs=row["total_runs"],
        total_failures=row["total_failures"],
    )


@contextlib.asynccontextmanager
async def _connection(target: Target) -> AsyncIterator[Connection]:
    """The connection itself, or one borrowed from the pool; driver errors translated."""
    try:
        if isinstance(target, asyncpg.Pool):
            async with target.acquire() as connection:
                yield connection
        else:
            yield target
    except DRIVER_ERRORS as error:
        raise translate_database_error(error) from error


async def _has_timescaledb(connection: Connection, queries: Queries) -> bool:
    return await queries.maintenance_timescaledb_version(connection) is not None


def _summary_views(views: Iterable[str] | None) -> list[str]:
    if views is None:
        return list(SUMMARY_BUCKETS)
    if isinstance(views, str):
        raise ValidationError(
            "views: expected a collection of view names, got a str", field="views"
        )
    names = list(views)
    unknown = [name for name in names if name not in SUMMARY_BUCKETS]
    if unknown or not names:
        known = ", ".join(SUMMARY_BUCKETS)
        message = f"views: {unknown or 'none'} given; choose among {known}"
        raise ValidationError(message, field="views")
    return names


def _optional_aware(value: object, name: str) -> datetime | None:
    return None if value is None else require_aware(value, name)


def _bucket_floor(moment: datetime, width: timedelta) -> datetime:
    # Day and hour buckets are aligned on the Unix epoch in UTC, as time_bucket aligns them.
    return _EPOCH + ((moment - _EPOCH) // width) * width


def _bucket_ceiling(moment: datetime, width: timedelta) -> datetime:
    floor = _bucket_floor(moment, width)
    return floor if floor == moment else floor + width
