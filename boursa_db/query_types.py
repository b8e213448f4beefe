"""Static types of the queries in ``sql/``, generated from the database: do not edit.

After changing ``sql/`` or ``migrations/``, run ``python -m boursa_db typegen``; the test suite
fails while this file is stale. The rules (types, nullability) are in :mod:`boursa_db.typegen`.
Rows are plain asyncpg Records at run time: the classes below exist only for type checkers, so
import them under ``TYPE_CHECKING``. Example::

    queries = typed_library()
    row = await queries.<query>(connection, <parameter>=...)  # Row | None for a :one query
"""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from boursa_db.queries import QueryLibrary, default_library

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence
    from datetime import date, datetime, timedelta
    from decimal import Decimal
    from ipaddress import IPv4Address, IPv6Address
    from typing import Any, Literal, Protocol, TypeAlias, overload
    from uuid import UUID

    import asyncpg

    from boursa_db.connection import Connection
    from boursa_db.queries import Query

__all__ = [
    "AlertDeleteQuery",
    "AlertFindByIdQuery",
    "AlertFindByIdRow",
    "AlertInsertQuery",
    "AlertInsertRow",
    "AlertListActiveForSymbolQuery",
    "AlertListActiveForSymbolRow",
    "AlertListForUserQuery",
    "AlertListForUserRow",
    "AlertMarkTriggeredQuery",
    "AlertMarkTriggeredRow",
    "AlertUpdateQuery",
    "AlertUpdateRow",
    "AuditListByAppUserQuery",
    "AuditListByAppUserRow",
    "AuditListForRowQuery",
    "AuditListForRowRow",
    "AuditListRecentQuery",
    "AuditListRecentRow",
    "FindLatestPricesQuery",
    "FindLatestPricesRow",
    "FundamentalsFindLatestQuery",
    "FundamentalsFindLatestRow",
    "FundamentalsListForInstrumentQuery",
    "FundamentalsListForInstrumentRow",
    "FundamentalsUpsertQuery",
    "FundamentalsUpsertRow",
    "IndicatorCopyQuery",
    "IndicatorCopyRecord",
    "IndicatorCopyStagingQuery",
    "IndicatorCopyStagingRecord",
    "IndicatorCreateStagingQuery",
    "IndicatorEmptyStagingQuery",
    "IndicatorFindLatestQuery",
    "IndicatorFindLatestRow",
    "IndicatorFindRangeQuery",
    "IndicatorFindRangeRow",
    "IndicatorInsertFromStagingQuery",
    "IndicatorSaveQuery",
    "IndicatorSaveRow",
    "IndicatorUpsertFromStagingQuery",
    "InstrumentDeleteQuery",
    "InstrumentFindByIdQuery",
    "InstrumentFindByIdRow",
    "InstrumentFindBySymbolQuery",
    "InstrumentFindBySymbolRow",
    "InstrumentInsertQuery",
    "InstrumentInsertRow",
    "InstrumentListQuery",
    "InstrumentListRow",
    "InstrumentSearchByNameQuery",
    "InstrumentSearchByNameRow",
    "InstrumentUpdateQuery",
    "InstrumentUpdateRow",
    "MaintenanceAggregatesQuery",
    "MaintenanceChunksToCompressQuery",
    "MaintenanceCompressChunkQuery",
    "MaintenanceDeleteMarketDataBeforeQuery",
    "MaintenanceDeletePortfolioPerformanceBeforeQuery",
    "MaintenanceDeleteSignalsBeforeQuery",
    "MaintenanceDeleteTechnicalIndicatorsBeforeQuery",
    "MaintenanceDropChunksQuery",
    "MaintenanceForgetLatestBarsBeforeQuery",
    "MaintenanceHypertablesQuery",
    "MaintenanceJobsQuery",
    "MaintenanceLiftDecompressionLimitQuery",
    "MaintenanceRefreshAggregateQuery",
    "MaintenanceRetentionCutoffsQuery",
    "MaintenanceRetentionCutoffsRow",
    "MaintenanceTableSizesQuery",
    "MaintenanceTableSizesRow",
    "MaintenanceTimescaledbVersionQuery",
    "MarketDataCopyCheckedStagingQuery",
    "MarketDataCopyCheckedStagingRecord",
    "MarketDataCopyQuery",
    "MarketDataCopyRecord",
    "MarketDataCopyStagingQuery",
    "MarketDataCopyStagingRecord",
    "MarketDataCountQuery",
    "MarketDataCreateCheckedStagingQuery",
    "MarketDataCreateStagingQuery",
    "MarketDataDeleteRangeQuery",
    "MarketDataEmptyStagingQuery",
    "MarketDataFindGapsQuery",
    "MarketDataFindGapsRow",
    "MarketDataFindLatestQuery",
    "MarketDataFindLatestRow",
    "MarketDataFindRangeQuery",
    "MarketDataFindRangeRow",
    "MarketDataInsertFromStagingQuery",
    "MarketDataLatestAfterDeleteQuery",
    "MarketDataLatestDeferQuery",
    "MarketDataLatestMergeQuery",
    "MarketDataSaveQuery",
    "MarketDataSaveRow",
    "MarketDataStoredQuery",
    "MarketDataStreamRangeQuery",
    "MarketDataStreamRangeRow",
    "MarketDataSummaryQuery",
    "MarketDataSummaryRow",
    "MarketDataUpsertFromStagingQuery",
    "NotificationCountUnreadQuery",
    "NotificationDeleteQuery",
    "NotificationFindByIdQuery",
    "NotificationFindByIdRow",
    "NotificationInsertQuery",
    "NotificationInsertRow",
    "NotificationListForUserQuery",
    "NotificationListForUserRow",
    "NotificationListUnreadForUserQuery",
    "NotificationListUnreadForUserRow",
    "NotificationMarkAllReadQuery",
    "NotificationMarkReadQuery",
    "PerformanceCopyQuery",
    "PerformanceCopyRecord",
    "PerformanceCopyStagingQuery",
    "PerformanceCopyStagingRecord",
    "PerformanceCreateStagingQuery",
    "PerformanceEmptyStagingQuery",
    "PerformanceFindLatestQuery",
    "PerformanceFindLatestRow",
    "PerformanceFindRangeQuery",
    "PerformanceFindRangeRow",
    "PerformanceInsertFromStagingQuery",
    "PerformanceSaveQuery",
    "PerformanceSaveRow",
    "PerformanceUpsertFromStagingQuery",
    "PortfolioDeleteQuery",
    "PortfolioExistsQuery",
    "PortfolioFindByIdQuery",
    "PortfolioFindByIdRow",
    "PortfolioFindByNameQuery",
    "PortfolioFindByNameRow",
    "PortfolioInsertQuery",
    "PortfolioInsertRow",
    "PortfolioListForUserQuery",
    "PortfolioListForUserRow",
    "PortfolioPositionsQuery",
    "PortfolioPositionsRow",
    "PortfolioSyncPositionsQuery",
    "PortfolioSyncPositionsRow",
    "PortfolioUpdateQuery",
    "PortfolioUpdateRow",
    "PortfolioValuationQuery",
    "PortfolioValuationRow",
    "PositionDeleteQuery",
    "PositionFindQuery",
    "PositionFindRow",
    "PositionListForPortfolioQuery",
    "PositionListForPortfolioRow",
    "PositionUpsertQuery",
    "PositionUpsertRow",
    "Queries",
    "RefreshTokenCountActiveForUserQuery",
    "RefreshTokenDeleteQuery",
    "RefreshTokenFindActiveForUserQuery",
    "RefreshTokenFindActiveForUserRow",
    "RefreshTokenFindByIdQuery",
    "RefreshTokenFindByIdRow",
    "RefreshTokenFindByTokenHashQuery",
    "RefreshTokenFindByTokenHashRow",
    "RefreshTokenInsertQuery",
    "RefreshTokenInsertRow",
    "RefreshTokenPurgeExpiredQuery",
    "RefreshTokenRevokeAllForUserQuery",
    "RefreshTokenRevokeQuery",
    "RefreshTokenTouchQuery",
    "RefreshTokenUpdateQuery",
    "RefreshTokenUpdateRow",
    "SignalCopyQuery",
    "SignalCopyRecord",
    "SignalCopyStagingQuery",
    "SignalCopyStagingRecord",
    "SignalCreateStagingQuery",
    "SignalEmptyStagingQuery",
    "SignalFindActiveQuery",
    "SignalFindActiveRow",
    "SignalFindRangeForStrategyQuery",
    "SignalFindRangeForStrategyRow",
    "SignalFindRangeQuery",
    "SignalFindRangeRow",
    "SignalInsertFromStagingQuery",
    "SignalSaveQuery",
    "SignalSaveRow",
    "SignalUpsertFromStagingQuery",
    "SummaryDailyQuery",
    "SummaryDailyRow",
    "SummaryHourlyBarsQuery",
    "SummaryHourlyBarsRow",
    "SummaryHourlyPortfolioPerformanceQuery",
    "SummaryHourlyPortfolioPerformanceRow",
    "SystemConfigDeleteQuery",
    "SystemConfigGetQuery",
    "SystemConfigGetRow",
    "SystemConfigListAllQuery",
    "SystemConfigListAllRow",
    "SystemConfigSetQuery",
    "SystemConfigSetRow",
    "TransactionFindByExternalIdQuery",
    "TransactionFindByExternalIdRow",
    "TransactionFindByIdQuery",
    "TransactionFindByIdRow",
    "TransactionInsertQuery",
    "TransactionInsertRow",
    "TransactionListForPortfolioQuery",
    "TransactionListForPortfolioRow",
    "TransactionListForSymbolQuery",
    "TransactionListForSymbolRow",
    "UserCountQuery",
    "UserDeleteQuery",
    "UserExistsByEmailQuery",
    "UserFindByEmailQuery",
    "UserFindByEmailRow",
    "UserFindByIdQuery",
    "UserFindByIdRow",
    "UserFindByUsernameQuery",
    "UserFindByUsernameRow",
    "UserInsertQuery",
    "UserInsertRow",
    "UserListQuery",
    "UserListRow",
    "UserRecordLoginQuery",
    "UserUpdateQuery",
    "UserUpdateRow",
    "typed_library",
]

if TYPE_CHECKING:

    class AlertDeleteQuery(Query):
        """Defined in alerts.sql."""

        async def __call__(self, connection: Connection, /, *, id: UUID | None) -> int: ...  # type: ignore[override]

    class AlertFindByIdRow(Protocol):
        """A row of ``alert_find_by_id``: an asyncpg Record."""

        @overload
        def __getitem__(self, key: Literal["id"]) -> UUID: ...
        @overload
        def __getitem__(self, key: Literal["user_id"]) -> UUID: ...
        @overload
        def __getitem__(self, key: Literal["portfolio_id"]) -> UUID | None: ...
        @overload
        def __getitem__(self, key: Literal["symbol"]) -> str | None: ...
        @overload
        def __getitem__(self, key: Literal["alert_type"]) -> str: ...
        @overload
        def __getitem__(self, key: Literal["condition_type"]) -> str: ...
        @overload
        def __getitem__(self, key: Literal["threshold_value"]) -> Decimal | None: ...
        @overload
        def __getitem__(self, key: Literal["title"]) -> str: ...
        @overload
        def __getitem__(self, key: Literal["message"]) -> str | None: ...
        @overload
        def __getitem__(self, key: Literal["notification_channels"]) -> list[str]: ...
        @overload
        def __getitem__(self, key: Literal["is_active"]) -> bool: ...
        @overload
        def __getitem__(self, key: Literal["is_triggered"]) -> bool: ...
        @overload
        def __getitem__(self, key: Literal["trigger_count"]) -> int: ...
        @overload
        def __getitem__(self, key: Literal["last_triggered_at"]) -> datetime | None: ...
        @overload
        def __getitem__(self, key: Literal["expires_at"]) -> datetime | None: ...
        @overload
        def __getitem__(self, key: Literal["created_at"]) -> datetime: ...
        @overload
        def __getitem__(self, key: Literal["updated_at"]) -> datetime: ...

    class AlertFindByIdQuery(Query):
        """Defined in alerts.sql."""

        async def __call__(  # type: ignore[override]
            self, connection: Connection, /, *, id: UUID | None
        ) -> AlertFindByIdRow | None: ...

    class AlertInsertRow(Protocol):
        """A row of ``alert_insert``: an asyncpg Record."""

        @overload
        def __getitem__(self, key: Literal["id"]) -> UUID: ...
        @overload
        def __getitem__(self, key: Literal["user_id"]) -> UUID: ...
        @overload
        def __getitem__(self, key: Literal["portfolio_id"]) -> UUID | None: ...
        @overload
        def __getitem__(self, key: Literal["symbol"]) -> str | None: ...
        @overload
        def __getitem__(self, key: Literal["alert_type"]) -> str: ...
        @overload
        def __getitem__(self, key: Literal["condition_type"]) -> str: ...
        @overload
        def __getitem__(self, key: Literal["threshold_value"]) -> Decimal | None: ...
        @overload
        def __getitem__(self, key: Literal["title"]) -> str: ...
        @overload
        def __getitem__(self, key: Literal["message"]) -> str | None: ...
        @overload
        def __getitem__(self, key: Literal["notification_channels"]) -> list[str]: ...
        @overload
        def __getitem__(self, key: Literal["is_active"]) -> bool: ...
        @overload
        def __getitem__(self, key: Literal["is_triggered"]) -> bool: ...
        @overload
        def __getitem__(self, key: Literal["trigger_count"]) -> int: ...
        @overload
        def __getitem__(self, key: Literal["last_triggered_at"]) -> datetime | None: ...
        @overload
        def __getitem__(self, key: Literal["expires_at"]) -> datetime | None: ...
        @overload
        def __getitem__(self, key: Literal["created_at"]) -> datetime: ...
        @overload
        def __getitem__(self, key: Literal["updated_at"]) -> datetime: ...

    class AlertInsertQuery(Query):
        """Defined in alerts.sql."""

        async def __call__(  # type: ignore[override]
            self,
            connection: Connection,
            /,
            *,
            user_id: UUID | None,
            portfolio_id: UUID | None,
            symbol: str | None,
            alert_type: str | None,
            condition_type: str | None,
            threshold_value: Decimal | None,
            title: str | None,
            message: str | None,
            notification_channels: Sequence[str] | None,
            is_active: bool | None,
            is_triggered: bool | None,
            trigger_count: int | None,
            last_triggered_at: datetime | None,
            expires_at: datetime | None,
        ) -> AlertInsertRow | None: ...

    class AlertListActiveForSymbolRow(Protocol):
        """A row of ``alert_list_active_for_symbol``: an asyncpg Record."""

        @overload
        def __getitem__(self, key: Literal["id"]) -> UUID: ...
        @overload
        def __getitem__(self, key: Literal["user_id"]) -> UUID: ...
        @overload
        def __getitem__(self, key: Literal["portfolio_id"]) -> UUID | None: ...
        @overload
        def __getitem__(self, key: Literal["symbol"]) -> str | None: ...
        @overload
        def __getitem__(self, key: Literal["alert_type"]) -> str: ...
        @overload
        def __getitem__(self, key: Literal["condition_type"]) -> str: ...
        @overload
        def __getitem__(self, key: Literal["threshold_value"]) -> Decimal | None: ...
        @overload
        def __getitem__(self, key: Literal["title"]) -> str: ...
        @overload
        def __getitem__(self, key: Literal["message"]) -> str | None: ...
        @overload
        def __getitem__(self, key: Literal["notification_channels"]) -> list[str]: ...
        @overload
        def __getitem__(self, key: Literal["is_active"]) -> bool: ...
        @overload
        def __getitem__(self, key: Literal["is_triggered"]) -> bool: ...
        @overload
        def __getitem__(self, key: Literal["trigger_count"]) -> int: ...
        @overload
        def __getitem__(self, key: Literal["last_triggered_at"]) -> datetime | None: ...
        @overload
        def __getitem__(self, key: Literal["expires_at"]) -> datetime | None: ...
        @overload
        def __getitem__(self, key: Literal["created_at"]) -> datetime: ...
        @overload
        def __getitem__(self, key: Literal["updated_at"]) -> datetime: ...

    class AlertListActiveForSymbolQuery(Query):
        """The alerts to evaluate when the symbol moves: active and not expired (by the database's
        clock). Served by the partial index alerts_active_symbol_idx.

        Defined in alerts.sql.
        """

        async def __call__(  # type: ignore[override]
            self, connection: Connection, /, *, symbol: str | None
        ) -> list[AlertListActiveForSymbolRow]: ...

    class AlertListForUserRow(Protocol):
        """A row of ``alert_list_for_user``: an asyncpg Record."""

        @overload
        def __getitem__(self, key: Literal["id"]) -> UUID: ...
        @overload
        def __getitem__(self, key: Literal["user_id"]) -> UUID: ...
        @overload
        def __getitem__(self, key: Literal["portfolio_id"]) -> UUID | None: ...
        @overload
        def __getitem__(self, key: Literal["symbol"]) -> str | None: ...
        @overload
        def __getitem__(self, key: Literal["alert_type"]) -> str: ...
        @overload
        def __getitem__(self, key: Literal["condition_type"]) -> str: ...
        @overload
        def __getitem__(self, key: Literal["threshold_value"]) -> Decimal | None: ...
        @overload
        def __getitem__(self, key: Literal["title"]) -> str: ...
        @overload
        def __getitem__(self, key: Literal["message"]) -> str | None: ...
        @overload
        def __getitem__(self, key: Literal["notification_channels"]) -> list[str]: ...
        @overload
        def __getitem__(self, key: Literal["is_active"]) -> bool: ...
        @overload
        def __getitem__(self, key: Literal["is_triggered"]) -> bool: ...
        @overload
        def __getitem__(self, key: Literal["trigger_count"]) -> int: ...
        @overload
        def __getitem__(self, key: Literal["last_triggered_at"]) -> datetime | None: ...
        @overload
        def __getitem__(self, key: Literal["expires_at"]) -> datetime | None: ...
        @overload
        def __getitem__(self, key: Literal["created_at"]) -> datetime: ...
        @overload
        def __getitem__(self, key: Literal["updated_at"]) -> datetime: ...

    class AlertListForUserQuery(Query):
        """Defined in alerts.sql."""

        async def __call__(  # type: ignore[override]
            self, connection: Connection, /, *, user_id: UUID | None, active_only: bool | None
        ) -> list[AlertListForUserRow]: ...

    class AlertMarkTriggeredRow(Protocol):
        """A row of ``alert_mark_triggered``: an asyncpg Record."""

        @overload
        def __getitem__(self, key: Literal["id"]) -> UUID: ...
        @overload
        def __getitem__(self, key: Literal["user_id"]) -> UUID: ...
        @overload
        def __getitem__(self, key: Literal["portfolio_id"]) -> UUID | None: ...
        @overload
        def __getitem__(self, key: Literal["symbol"]) -> str | None: ...
        @overload
        def __getitem__(self, key: Literal["alert_type"]) -> str: ...
        @overload
        def __getitem__(self, key: Literal["condition_type"]) -> str: ...
        @overload
        def __getitem__(self, key: Literal["threshold_value"]) -> Decimal | None: ...
        @overload
        def __getitem__(self, key: Literal["title"]) -> str: ...
        @overload
        def __getitem__(self, key: Literal["message"]) -> str | None: ...
        @overload
        def __getitem__(self, key: Literal["notification_channels"]) -> list[str]: ...
        @overload
        def __getitem__(self, key: Literal["is_active"]) -> bool: ...
        @overload
        def __getitem__(self, key: Literal["is_triggered"]) -> bool: ...
        @overload
        def __getitem__(self, key: Literal["trigger_count"]) -> int: ...
        @overload
        def __getitem__(self, key: Literal["last_triggered_at"]) -> datetime | None: ...
        @overload
        def __getitem__(self, key: Literal["expires_at"]) -> datetime | None: ...
        @overload
        def __getitem__(self, key: Literal["created_at"]) -> datetime: ...
        @overload
        def __getitem__(self, key: Literal["updated_at"]) -> datetime: ...

    class AlertMarkTriggeredQuery(Query):
        """Counts the trigger in the database, so concurrent triggers are never lost.

        Defined in alerts.sql.
        """

        async def __call__(  # type: ignore[override]
            self, connection: Connection, /, *, at: datetime | None, id: UUID | None
        ) -> AlertMarkTriggeredRow | None: ...

    class AlertUpdateRow(Protocol):
        """A row of ``alert_update``: an asyncpg Record."""

        @overload
        def __getitem__(self, key: Literal["id"]) -> UUID: ...
        @overload
        def __getitem__(self, key: Literal["user_id"]) -> UUID: ...
        @overload
        def __getitem__(self, key: Literal["portfolio_id"]) -> UUID | None: ...
        @overload
        def __getitem__(self, key: Literal["symbol"]) -> str | None: ...
        @overload
        def __getitem__(self, key: Literal["alert_type"]) -> str: ...
        @overload
        def __getitem__(self, key: Literal["condition_type"]) -> str: ...
        @overload
        def __getitem__(self, key: Literal["threshold_value"]) -> Decimal | None: ...
        @overload
        def __getitem__(self, key: Literal["title"]) -> str: ...
        @overload
        def __getitem__(self, key: Literal["message"]) -> str | None: ...
        @overload
        def __getitem__(self, key: Literal["notification_channels"]) -> list[str]: ...
        @overload
        def __getitem__(self, key: Literal["is_active"]) -> bool: ...
        @overload
        def __getitem__(self, key: Literal["is_triggered"]) -> bool: ...
        @overload
        def __getitem__(self, key: Literal["trigger_count"]) -> int: ...
        @overload
        def __getitem__(self, key: Literal["last_triggered_at"]) -> datetime | None: ...
        @overload
        def __getitem__(self, key: Literal["expires_at"]) -> datetime | None: ...
        @overload
        def __getitem__(self, key: Literal["created_at"]) -> datetime: ...
        @overload
        def __getitem__(self, key: Literal["updated_at"]) -> datetime: ...

    class AlertUpdateQuery(Query):
        """No row when the alert does not exist (any more).

        Defined in alerts.sql.
        """

        async def __call__(  # type: ignore[override]
            self,
            connection: Connection,
            /,
            *,
            user_id: UUID | None,
            portfolio_id: UUID | None,
            symbol: str | None,
            alert_type: str | None,
            condition_type: str | None,
            threshold_value: Decimal | None,
            title: str | None,
            message: str | None,
            notification_channels: Sequence[str] | None,
            is_active: bool | None,
            is_triggered: bool | None,
            trigger_count: int | None,
            last_triggered_at: datetime | None,
            expires_at: datetime | None,
            id: UUID | None,
        ) -> AlertUpdateRow | None: ...

    class AuditListByAppUserRow(Protocol):
        """A row of ``audit_list_by_app_user``: an asyncpg Record."""

        @overload
        def __getitem__(self, key: Literal["id"]) -> int: ...
        @overload
        def __getitem__(self, key: Literal["table_name"]) -> str: ...
        @overload
        def __getitem__(self, key: Literal["row_key"]) -> Any: ...
        @overload
        def __getitem__(self, key: Literal["action"]) -> str: ...
        @overload
        def __getitem__(self, key: Literal["old_values"]) -> Any: ...
        @overload
        def __getitem__(self, key: Literal["new_values"]) -> Any: ...
        @overload
        def __getitem__(self, key: Literal["db_user"]) -> str: ...
        @overload
        def __getitem__(self, key: Literal["app_user"]) -> str | None: ...
        @overload
        def __getitem__(self, key: Literal["changed_at"]) -> datetime: ...

    class AuditListByAppUserQuery(Query):
        """Changes made on behalf of one application user, newest first.

        Defined in audit.sql.
        """

        async def __call__(  # type: ignore[override]
            self, connection: Connection, /, *, app_user: str | None, limit: int | None
        ) -> list[AuditListByAppUserRow]: ...

    class AuditListForRowRow(Protocol):
        """A row of ``audit_list_for_row``: an asyncpg Record."""

        @overload
        def __getitem__(self, key: Literal["id"]) -> int: ...
        @overload
        def __getitem__(self, key: Literal["table_name"]) -> str: ...
        @overload
        def __getitem__(self, key: Literal["row_key"]) -> Any: ...
        @overload
        def __getitem__(self, key: Literal["action"]) -> str: ...
        @overload
        def __getitem__(self, key: Literal["old_values"]) -> Any: ...
        @overload
        def __getitem__(self, key: Literal["new_values"]) -> Any: ...
        @overload
        def __getitem__(self, key: Literal["db_user"]) -> str: ...
        @overload
        def __getitem__(self, key: Literal["app_user"]) -> str | None: ...
        @overload
        def __getitem__(self, key: Literal["changed_at"]) -> datetime: ...

    class AuditListForRowQuery(Query):
        """The history of one row, newest change first (index audit_log_row_idx). row_key is
        compared as jsonb, so the order of its keys does not matter.

        Defined in audit.sql.
        """

        async def __call__(  # type: ignore[override]
            self,
            connection: Connection,
            /,
            *,
            table_name: str | None,
            row_key: Any,
            limit: int | None,
        ) -> list[AuditListForRowRow]: ...

    class AuditListRecentRow(Protocol):
        """A row of ``audit_list_recent``: an asyncpg Record."""

        @overload
        def __getitem__(self, key: Literal["id"]) -> int: ...
        @overload
        def __getitem__(self, key: Literal["table_name"]) -> str: ...
        @overload
        def __getitem__(self, key: Literal["row_key"]) -> Any: ...
        @overload
        def __getitem__(self, key: Literal["action"]) -> str: ...
        @overload
        def __getitem__(self, key: Literal["old_values"]) -> Any: ...
        @overload
        def __getitem__(self, key: Literal["new_values"]) -> Any: ...
        @overload
        def __getitem__(self, key: Literal["db_user"]) -> str: ...
        @overload
        def __getitem__(self, key: Literal["app_user"]) -> str | None: ...
        @overload
        def __getitem__(self, key: Literal["changed_at"]) -> datetime: ...

    class AuditListRecentQuery(Query):
        """Changes at or after :since to any audited table, newest first (index
        audit_log_changed_at_idx).

        Defined in audit.sql.
        """

        async def __call__(  # type: ignore[override]
            self, connection: Connection, /, *, since: datetime | None, limit: int | None
        ) -> list[AuditListRecentRow]: ...

    class FindLatestPricesRow(Protocol):
        """A row of ``find_latest_prices``: an asyncpg Record."""

        @overload
        def __getitem__(self, key: Literal["symbol"]) -> str: ...
        @overload
        def __getitem__(self, key: Literal["time"]) -> datetime: ...
        @overload
        def __getitem__(self, key: Literal["interval_type"]) -> str: ...
        @overload
        def __getitem__(self, key: Literal["open"]) -> float: ...
        @overload
        def __getitem__(self, key: Literal["high"]) -> float: ...
        @overload
        def __getitem__(self, key: Literal["low"]) -> float: ...
        @overload
        def __getitem__(self, key: Literal["close"]) -> float: ...
        @overload
        def __getitem__(self, key: Literal["adjusted_close"]) -> float | None: ...
        @overload
        def __getitem__(self, key: Literal["volume"]) -> int: ...
        @overload
        def __getitem__(self, key: Literal["source"]) -> str: ...

    class FindLatestPricesQuery(Query):
        """The newest bar of each symbol at one interval, from market_data_latest (migration 0017):
        one probe of its primary key per symbol, however many chunks of history market_data holds
        and however long ago the symbol last traded. Symbols without bars are left out.

        Defined in market_data.sql.
        """

        async def __call__(  # type: ignore[override]
            self,
            connection: Connection,
            /,
            *,
            symbols: Sequence[str] | None,
            interval_type: str | None,
        ) -> list[FindLatestPricesRow]: ...

    class FundamentalsFindLatestRow(Protocol):
        """A row of ``fundamentals_find_latest``: an asyncpg Record."""

        @overload
        def __getitem__(self, key: Literal["id"]) -> UUID: ...
        @overload
        def __getitem__(self, key: Literal["instrument_id"]) -> UUID: ...
        @overload
        def __getitem__(self, key: Literal["period_end"]) -> date: ...
        @overload
        def __getitem__(self, key: Literal["period_type"]) -> str: ...
        @overload
        def __getitem__(self, key: Literal["currency"]) -> str: ...
        @overload
        def __getitem__(self, key: Literal["market_cap"]) -> Decimal | None: ...
        @overload
        def __getitem__(self, key: Literal["enterprise_value"]) -> Decimal | None: ...
        @overload
        def __getitem__(self, key: Literal["revenue"]) -> Decimal | None: ...
        @overload
        def __getitem__(self, key: Literal["net_income"]) -> Decimal | None: ...
        @overload
        def __getitem__(self, key: Literal["shares_outstanding"]) -> int | None: ...
        @overload
        def __getitem__(self, key: Literal["float_shares"]) -> int | None: ...
        @overload
        def __getitem__(self, key: Literal["pe_ratio"]) -> Decimal | None: ...
        @overload
        def __getitem__(self, key: Literal["forward_pe"]) -> Decimal | None: ...
        @overload
        def __getitem__(self, key: Literal["peg_ratio"]) -> Decimal | None: ...
        @overload
        def __getitem__(self, key: Literal["price_to_book"]) -> Decimal | None: ...
        @overload
        def __getitem__(self, key: Literal["price_to_sales"]) -> Decimal | None: ...
        @overload
        def __getitem__(self, key: Literal["ev_to_revenue"]) -> Decimal | None: ...
        @overload
        def __getitem__(self, key: Literal["ev_to_ebitda"]) -> Decimal | None: ...
        @overload
        def __getitem__(self, key: Literal["profit_margin"]) -> Decimal | None: ...
        @overload
        def __getitem__(self, key: Literal["operating_margin"]) -> Decimal | None: ...
        @overload
        def __getitem__(self, key: Literal["return_on_assets"]) -> Decimal | None: ...
        @overload
        def __getitem__(self, key: Literal["return_on_equity"]) -> Decimal | None: ...
        @overload
        def __getitem__(self, key: Literal["revenue_growth"]) -> Decimal | None: ...
        @overload
        def __getitem__(self, key: Literal["earnings_growth"]) -> Decimal | None: ...
        @overload
        def __getitem__(self, key: Literal["debt_to_equity"]) -> Decimal | None: ...
        @overload
        def __getitem__(self, key: Literal["current_ratio"]) -> Decimal | None: ...
        @overload
        def __getitem__(self, key: Literal["quick_ratio"]) -> Decimal | None: ...
        @overload
        def __getitem__(self, key: Literal["dividend_yield"]) -> Decimal | None: ...
        @overload
        def __getitem__(self, key: Literal["payout_ratio"]) -> Decimal | None: ...
        @overload
        def __getitem__(self, key: Literal["beta"]) -> Decimal | None: ...
        @overload
        def __getitem__(self, key: Literal["created_at"]) -> datetime: ...
        @overload
        def __getitem__(self, key: Literal["updated_at"]) -> datetime: ...

    class FundamentalsFindLatestQuery(Query):
        """The most recent period: one backward probe of the (instrument, type, period end) key.

        Defined in fundamentals.sql.
        """

        async def __call__(  # type: ignore[override]
            self, connection: Connection, /, *, instrument_id: UUID | None, period_type: str | None
        ) -> FundamentalsFindLatestRow | None: ...

    class FundamentalsListForInstrumentRow(Protocol):
        """A row of ``fundamentals_list_for_instrument``: an asyncpg Record."""

        @overload
        def __getitem__(self, key: Literal["id"]) -> UUID: ...
        @overload
        def __getitem__(self, key: Literal["instrument_id"]) -> UUID: ...
        @overload
        def __getitem__(self, key: Literal["period_end"]) -> date: ...
        @overload
        def __getitem__(self, key: Literal["period_type"]) -> str: ...
        @overload
        def __getitem__(self, key: Literal["currency"]) -> str: ...
        @overload
        def __getitem__(self, key: Literal["market_cap"]) -> Decimal | None: ...
        @overload
        def __getitem__(self, key: Literal["enterprise_value"]) -> Decimal | None: ...
        @overload
        def __getitem__(self, key: Literal["revenue"]) -> Decimal | None: ...
        @overload
        def __getitem__(self, key: Literal["net_income"]) -> Decimal | None: ...
        @overload
        def __getitem__(self, key: Literal["shares_outstanding"]) -> int | None: ...
        @overload
        def __getitem__(self, key: Literal["float_shares"]) -> int | None: ...
        @overload
        def __getitem__(self, key: Literal["pe_ratio"]) -> Decimal | None: ...
        @overload
        def __getitem__(self, key: Literal["forward_pe"]) -> Decimal | None: ...
        @overload
        def __getitem__(self, key: Literal["peg_ratio"]) -> Decimal | None: ...
        @overload
        def __getitem__(self, key: Literal["price_to_book"]) -> Decimal | None: ...
        @overload
        def __getitem__(self, key: Literal["price_to_sales"]) -> Decimal | None: ...
        @overload
        def __getitem__(self, key: Literal["ev_to_revenue"]) -> Decimal | None: ...
        @overload
        def __getitem__(self, key: Literal["ev_to_ebitda"]) -> Decimal | None: ...
        @overload
        def __getitem__(self, key: Literal["profit_margin"]) -> Decimal | None: ...
        @overload
        def __getitem__(self, key: Literal["operating_margin"]) -> Decimal | None: ...
        @overload
        def __getitem__(self, key: Literal["return_on_assets"]) -> Decimal | None: ...
        @overload
        def __getitem__(self, key: Literal["return_on_equity"]) -> Decimal | None: ...
        @overload
        def __getitem__(self, key: Literal["revenue_growth"]) -> Decimal | None: ...
        @overload
        def __getitem__(self, key: Literal["earnings_growth"]) -> Decimal | None: ...
        @overload
        def __getitem__(self, key: Literal["debt_to_equity"]) -> Decimal | None: ...
        @overload
        def __getitem__(self, key: Literal["current_ratio"]) -> Decimal | None: ...
        @overload
        def __getitem__(self, key: Literal["quick_ratio"]) -> Decimal | None: ...
        @overload
        def __getitem__(self, key: Literal["dividend_yield"]) -> Decimal | None: ...
        @overload
        def __getitem__(self, key: Literal["payout_ratio"]) -> Decimal | None: ...
        @overload
        def __getitem__(self, key: Literal["beta"]) -> Decimal | None: ...
        @overload
        def __getitem__(self, key: Literal["created_at"]) -> datetime: ...
        @overload
        def __getitem__(self, key: Literal["updated_at"]) -> datetime: ...

    class FundamentalsListForInstrumentQuery(Query):
        """Every period of an instrument with start <= period_end <= end (NULL: unbounded), oldest
        first.

        Defined in fundamentals.sql.
        """

        async def __call__(  # type: ignore[override]
            self,
            connection: Connection,
            /,
            *,
            instrument_id: UUID | None,
            start: date | None,
            end: date | None,
        ) -> list[FundamentalsListForInstrumentRow]: ...

    class FundamentalsUpsertRow(Protocol):
        """A row of ``fundamentals_upsert``: an asyncpg Record."""

        @overload
        def __getitem__(self, key: Literal["id"]) -> UUID: ...
        @overload
        def __getitem__(self, key: Literal["instrument_id"]) -> UUID: ...
        @overload
        def __getitem__(self, key: Literal["period_end"]) -> date: ...
        @overload
        def __getitem__(self, key: Literal["period_type"]) -> str: ...
        @overload
        def __getitem__(self, key: Literal["currency"]) -> str: ...
        @overload
        def __getitem__(self, key: Literal["market_cap"]) -> Decimal | None: ...
        @overload
        def __getitem__(self, key: Literal["enterprise_value"]) -> Decimal | None: ...
        @overload
        def __getitem__(self, key: Literal["revenue"]) -> Decimal | None: ...
        @overload
        def __getitem__(self, key: Literal["net_income"]) -> Decimal | None: ...
        @overload
        def __getitem__(self, key: Literal["shares_outstanding"]) -> int | None: ...
        @overload
        def __getitem__(self, key: Literal["float_shares"]) -> int | None: ...
        @overload
        def __getitem__(self, key: Literal["pe_ratio"]) -> Decimal | None: ...
        @overload
        def __getitem__(self, key: Literal["forward_pe"]) -> Decimal | None: ...
        @overload
        def __getitem__(self, key: Literal["peg_ratio"]) -> Decimal | None: ...
        @overload
        def __getitem__(self, key: Literal["price_to_book"]) -> Decimal | None: ...
        @overload
        def __getitem__(self, key: Literal["price_to_sales"]) -> Decimal | None: ...
        @overload
        def __getitem__(self, key: Literal["ev_to_revenue"]) -> Decimal | None: ...
        @overload
        def __getitem__(self, key: Literal["ev_to_ebitda"]) -> Decimal | None: ...
        @overload
        def __getitem__(self, key: Literal["profit_margin"]) -> Decimal | None: ...
        @overload
        def __getitem__(self, key: Literal["operating_margin"]) -> Decimal | None: ...
        @overload
        def __getitem__(self, key: Literal["return_on_assets"]) -> Decimal | None: ...
        @overload
        def __getitem__(self, key: Literal["return_on_equity"]) -> Decimal | None: ...
        @overload
        def __getitem__(self, key: Literal["revenue_growth"]) -> Decimal | None: ...
        @overload
        def __getitem__(self, key: Literal["earnings_growth"]) -> Decimal | None: ...
        @overload
        def __getitem__(self, key: Literal["debt_to_equity"]) -> Decimal | None: ...
        @overload
        def __getitem__(self, key: Literal["current_ratio"]) -> Decimal | None: ...
        @overload
        def __getitem__(self, key: Literal["quick_ratio"]) -> Decimal | None: ...
        @overload
        def __getitem__(self, key: Literal["dividend_yield"]) -> Decimal | None: ...
        @overload
        def __getitem__(self, key: Literal["payout_ratio"]) -> Decimal | None: ...
        @overload
        def __getitem__(self, key: Literal["beta"]) -> Decimal | None: ...
        @overload
        def __getitem__(self, key: Literal["created_at"]) -> datetime: ...
        @overload
        def __getitem__(self, key: Literal["updated_at"]) -> datetime: ...

    class FundamentalsUpsertQuery(Query):
        """One row per (instrument, period type, period end): a restated period replaces the old
        figures.

        Defined in fundamentals.sql.
        """

        async def __call__(  # type: ignore[override]
            self,
            connection: Connection,
            /,
            *,
            instrument_id: UUID | None,
            period_end: date | None,
            period_type: str | None,
            currency: str | None,
            market_cap: Decimal | None,
            enterprise_value: Decimal | None,
            revenue: Decimal | None,
            net_income: Decimal | None,
            shares_outstanding: int | None,
            float_shares: int | None,
            pe_ratio: Decimal | None,
            forward_pe: Decimal | None,
            peg_ratio: Decimal | None,
            price_to_book: Decimal | None,
            price_to_sales: Decimal | None,
            ev_to_revenue: Decimal | None,
            ev_to_ebitda: Decimal | None,
            profit_margin: Decimal | None,
            operating_margin: Decimal | None,
            return_on_assets: Decimal | None,
            return_on_equity: Decimal | None,
            revenue_growth: Decimal | None,
            earnings_growth: Decimal | None,
            debt_to_equity: Decimal | None,
            current_ratio: Decimal | None,
            quick_ratio: Decimal | None,
            dividend_yield: Decimal | None,
            payout_ratio: Decimal | None,
            beta: Decimal | None,
        ) -> FundamentalsUpsertRow | None: ...

    IndicatorCopyRecord: TypeAlias = tuple[
        datetime, str, str, str, float, float | None, float | None, Any
    ]

    class IndicatorCopyQuery(Query):
        """Indicator values straight into technical_indicators: one that exists already fails the
        COPY.

        Defined in indicators.sql.
        """

        async def copy(  # type: ignore[override]
            self, connection: Connection, records: Iterable[IndicatorCopyRecord]
        ) -> int: ...

    IndicatorCopyStagingRecord: TypeAlias = tuple[
        datetime, str, str, str, float, float | None, float | None, Any
    ]

    class IndicatorCopyStagingQuery(Query):
        """Defined in indicators.sql."""

        async def copy(  # type: ignore[override]
            self, connection: Connection, records: Iterable[IndicatorCopyStagingRecord]
        ) -> int: ...

    class IndicatorCreateStagingQuery(Query):
        """The transaction's staging table for COPY followed by an upsert; it keeps the CHECK
        constraints so a bad value fails during COPY, where PostgreSQL names its line.

        Defined in indicators.sql.
        """

        async def __call__(self, connection: Connection, /) -> int: ...  # type: ignore[override]

    class IndicatorEmptyStagingQuery(Query):
        """Empties the staging table for the next batch of the transaction. TRUNCATE of a temporary
        table costs a file, where emptying it with DELETE cost about a tenth of an upsert.

        Defined in indicators.sql.
        """

        async def __call__(self, connection: Connection, /) -> int: ...  # type: ignore[override]

    class IndicatorFindLatestRow(Protocol):
        """A row of ``indicator_find_latest``: an asyncpg Record."""

        @overload
        def __getitem__(self, key: Literal["time"]) -> datetime: ...
        @overload
        def __getitem__(self, key: Literal["symbol"]) -> str: ...
        @overload
        def __getitem__(self, key: Literal["interval_type"]) -> str: ...
        @overload
        def __getitem__(self, key: Literal["indicator_name"]) -> str: ...
        @overload
        def __getitem__(self, key: Literal["value"]) -> float: ...
        @overload
        def __getitem__(self, key: Literal["value_secondary"]) -> float | None: ...
        @overload
        def __getitem__(self, key: Literal["value_tertiary"]) -> float | None: ...
        @overload
        def __getitem__(self, key: Literal["parameters"]) -> Any: ...

    class IndicatorFindLatestQuery(Query):
        """The newest value of each named indicator: one backward probe of the primary key per name.
        Names without values are left out.

        Defined in indicators.sql.
        """

        async def __call__(  # type: ignore[override]
            self,
            connection: Connection,
            /,
            *,
            indicator_names: Sequence[str] | None,
            symbol: str | None,
            interval_type: str | None,
        ) -> list[IndicatorFindLatestRow]: ...

    class IndicatorFindRangeRow(Protocol):
        """A row of ``indicator_find_range``: an asyncpg Record."""

        @overload
        def __getitem__(self, key: Literal["time"]) -> datetime: ...
        @overload
        def __getitem__(self, key: Literal["symbol"]) -> str: ...
        @overload
        def __getitem__(self, key: Literal["interval_type"]) -> str: ...
        @overload
        def __getitem__(self, key: Literal["indicator_name"]) -> str: ...
        @overload
        def __getitem__(self, key: Literal["value"]) -> float: ...
        @overload
        def __getitem__(self, key: Literal["value_secondary"]) -> float | None: ...
        @overload
        def __getitem__(self, key: Literal["value_tertiary"]) -> float | None: ...
        @overload
        def __getitem__(self, key: Literal["parameters"]) -> Any: ...

    class IndicatorFindRangeQuery(Query):
        """One indicator's values in [start, end), oldest first: one range scan of the primary key
        (indicator_range, migration 0018).

        Defined in indicators.sql.
        """

        async def __call__(  # type: ignore[override]
            self,
            connection: Connection,
            /,
            *,
            symbol: str | None,
            interval_type: str | None,
            indicator_name: str | None,
            start: datetime | None,
            end: datetime | None,
        ) -> list[IndicatorFindRangeRow]: ...

    class IndicatorInsertFromStagingQuery(Query):
        """Move the staged values into technical_indicators, keeping values that exist already. The
        count is the number of values inserted.

        Defined in indicators.sql.
        """

        async def __call__(self, connection: Connection, /) -> int: ...  # type: ignore[override]

    class IndicatorSaveRow(Protocol):
        """A row of ``indicator_save``: an asyncpg Record."""

        @overload
        def __getitem__(self, key: Literal["time"]) -> datetime: ...
        @overload
        def __getitem__(self, key: Literal["symbol"]) -> str: ...
        @overload
        def __getitem__(self, key: Literal["interval_type"]) -> str: ...
        @overload
        def __getitem__(self, key: Literal["indicator_name"]) -> str: ...
        @overload
        def __getitem__(self, key: Literal["value"]) -> float: ...
        @overload
        def __getitem__(self, key: Literal["value_secondary"]) -> float | None: ...
        @overload
        def __getitem__(self, key: Literal["value_tertiary"]) -> float | None: ...
        @overload
        def __getitem__(self, key: Literal["parameters"]) -> Any: ...

    class IndicatorSaveQuery(Query):
        """Insert one indicator value, or replace the one with the same symbol, interval, name and
        time.

        Defined in indicators.sql.
        """

        async def __call__(  # type: ignore[override]
            self,
            connection: Connection,
            /,
            *,
            time: datetime | None,
            symbol: str | None,
            interval_type: str | None,
            indicator_name: str | None,
            value: float | None,
            value_secondary: float | None,
            value_tertiary: float | None,
            parameters: Any,
        ) -> IndicatorSaveRow | None: ...

    class IndicatorUpsertFromStagingQuery(Query):
        """Move the staged values into technical_indicators, replacing values that exist already.
        The count is the number of values inserted or replaced.

        Defined in indicators.sql.
        """

        async def __call__(self, connection: Connection, /) -> int: ...  # type: ignore[override]

    class InstrumentDeleteQuery(Query):
        """Defined in instruments.sql."""

        async def __call__(self, connection: Connection, /, *, id: UUID | None) -> int: ...  # type: ignore[override]

    class InstrumentFindByIdRow(Protocol):
        """A row of ``instrument_find_by_id``: an asyncpg Record."""

        @overload
        def __getitem__(self, key: Literal["id"]) -> UUID: ...
        @overload
        def __getitem__(self, key: Literal["symbol"]) -> str: ...
        @overload
        def __getitem__(self, key: Literal["name"]) -> str: ...
        @overload
        def __getitem__(self, key: Literal["instrument_type"]) -> str: ...
        @overload
        def __getitem__(self, key: Literal["exchange"]) -> str | None: ...
        @overload
        def __getitem__(self, key: Literal["currency"]) -> str: ...
        @overload
        def __getitem__(self, key: Literal["sector"]) -> str | None: ...
        @overload
        def __getitem__(self, key: Literal["industry"]) -> str | None: ...
        @overload
        def __getitem__(self, key: Literal["country"]) -> str | None: ...
        @overload
        def __getitem__(self, key: Literal["isin"]) -> str | None: ...
        @overload
        def __getitem__(self, key: Literal["description"]) -> str | None: ...
        @overload
        def __getitem__(self, key: Literal["is_active"]) -> bool: ...
        @overload
        def __getitem__(self, key: Literal["created_at"]) -> datetime: ...
        @overload
        def __getitem__(self, key: Literal["updated_at"]) -> datetime: ...

    class InstrumentFindByIdQuery(Query):
        """Defined in instruments.sql."""

        async def __call__(  # type: ignore[override]
            self, connection: Connection, /, *, id: UUID | None
        ) -> InstrumentFindByIdRow | None: ...

    class InstrumentFindBySymbolRow(Protocol):
        """A row of ``instrument_find_by_symbol``: an asyncpg Record."""

        @overload
        def __getitem__(self, key: Literal["id"]) -> UUID: ...
        @overload
        def __getitem__(self, key: Literal["symbol"]) -> str: ...
        @overload
        def __getitem__(self, key: Literal["name"]) -> str: ...
        @overload
        def __getitem__(self, key: Literal["instrument_type"]) -> str: ...
        @overload
        def __getitem__(self, key: Literal["exchange"]) -> str | None: ...
        @overload
        def __getitem__(self, key: Literal["currency"]) -> str: ...
        @overload
        def __getitem__(self, key: Literal["sector"]) -> str | None: ...
        @overload
        def __getitem__(self, key: Literal["industry"]) -> str | None: ...
        @overload
        def __getitem__(self, key: Literal["country"]) -> str | None: ...
        @overload
        def __getitem__(self, key: Literal["isin"]) -> str | None: ...
        @overload
        def __getitem__(self, key: Literal["description"]) -> str | None: ...
        @overload
        def __getitem__(self, key: Literal["is_active"]) -> bool: ...
        @overload
        def __getitem__(self, key: Literal["created_at"]) -> datetime: ...
        @overload
        def __getitem__(self, key: Literal["updated_at"]) -> datetime: ...

    class InstrumentFindBySymbolQuery(Query):
        """Defined in instruments.sql."""

        async def __call__(  # type: ignore[override]
            self, connection: Connection, /, *, symbol: str | None
        ) -> InstrumentFindBySymbolRow | None: ...

    class InstrumentInsertRow(Protocol):
        """A row of ``instrument_insert``: an asyncpg Record."""

        @overload
        def __getitem__(self, key: Literal["id"]) -> UUID: ...
        @overload
        def __getitem__(self, key: Literal["symbol"]) -> str: ...
        @overload
        def __getitem__(self, key: Literal["name"]) -> str: ...
        @overload
        def __getitem__(self, key: Literal["instrument_type"]) -> str: ...
        @overload
        def __getitem__(self, key: Literal["exchange"]) -> str | None: ...
        @overload
        def __getitem__(self, key: Literal["currency"]) -> str: ...
        @overload
        def __getitem__(self, key: Literal["sector"]) -> str | None: ...
        @overload
        def __getitem__(self, key: Literal["industry"]) -> str | None: ...
        @overload
        def __getitem__(self, key: Literal["country"]) -> str | None: ...
        @overload
        def __getitem__(self, key: Literal["isin"]) -> str | None: ...
        @overload
        def __getitem__(self, key: Literal["description"]) -> str | None: ...
        @overload
        def __getitem__(self, key: Literal["is_active"]) -> bool: ...
        @overload
        def __getitem__(self, key: Literal["created_at"]) -> datetime: ...
        @overload
        def __getitem__(self, key: Literal["updated_at"]) -> datetime: ...

    class InstrumentInsertQuery(Query):
        """Defined in instruments.sql."""

        async def __call__(  # type: ignore[override]
            self,
            connection: Connection,
            /,
            *,
            symbol: str | None,
            name: str | None,
            instrument_type: str | None,
            exchange: str | None,
            currency: str | None,
            sector: str | None,
            industry: str | None,
            country: str | None,
            isin: str | None,
            description: str | None,
            is_active: bool | None,
        ) -> InstrumentInsertRow | None: ...

    class InstrumentListRow(Protocol):
        """A row of ``instrument_list``: an asyncpg Record."""

        @overload
        def __getitem__(self, key: Literal["id"]) -> UUID: ...
        @overload
        def __getitem__(self, key: Literal["symbol"]) -> str: ...
        @overload
        def __getitem__(self, key: Literal["name"]) -> str: ...
        @overload
        def __getitem__(self, key: Literal["instrument_type"]) -> str: ...
        @overload
        def __getitem__(self, key: Literal["exchange"]) -> str | None: ...
        @overload
        def __getitem__(self, key: Literal["currency"]) -> str: ...
        @overload
        def __getitem__(self, key: Literal["sector"]) -> str | None: ...
        @overload
        def __getitem__(self, key: Literal["industry"]) -> str | None: ...
        @overload
        def __getitem__(self, key: Literal["country"]) -> str | None: ...
        @overload
        def __getitem__(self, key: Literal["isin"]) -> str | None: ...
        @overload
        def __getitem__(self, key: Literal["description"]) -> str | None: ...
        @overload
        def __getitem__(self, key: Literal["is_active"]) -> bool: ...
        @overload
        def __getitem__(self, key: Literal["created_at"]) -> datetime: ...
        @overload
        def __getitem__(self, key: Literal["updated_at"]) -> datetime: ...

    class InstrumentListQuery(Query):
        """A page of instruments by symbol; a NULL filter matches everything.

        Defined in instruments.sql.
        """

        async def __call__(  # type: ignore[override]
            self,
            connection: Connection,
            /,
            *,
            instrument_type: str | None,
            sector: str | None,
            active_only: bool | None,
            limit: int | None,
            offset: int | None,
        ) -> list[InstrumentListRow]: ...

    class InstrumentSearchByNameRow(Protocol):
        """A row of ``instrument_search_by_name``: an asyncpg Record."""

        @overload
        def __getitem__(self, key: Literal["id"]) -> UUID: ...
        @overload
        def __getitem__(self, key: Literal["symbol"]) -> str: ...
        @overload
        def __getitem__(self, key: Literal["name"]) -> str: ...
        @overload
        def __getitem__(self, key: Literal["instrument_type"]) -> str: ...
        @overload
        def __getitem__(self, key: Literal["exchange"]) -> str | None: ...
        @overload
        def __getitem__(self, key: Literal["currency"]) -> str: ...
        @overload
        def __getitem__(self, key: Literal["sector"]) -> str | None: ...
        @overload
        def __getitem__(self, key: Literal["industry"]) -> str | None: ...
        @overload
        def __getitem__(self, key: Literal["country"]) -> str | None: ...
        @overload
        def __getitem__(self, key: Literal["isin"]) -> str | None: ...
        @overload
        def __getitem__(self, key: Literal["description"]) -> str | None: ...
        @overload
        def __getitem__(self, key: Literal["is_active"]) -> bool: ...
        @overload
        def __getitem__(self, key: Literal["created_at"]) -> datetime: ...
        @overload
        def __getitem__(self, key: Literal["updated_at"]) -> datetime: ...

    class InstrumentSearchByNameQuery(Query):
        """Names containing the text, case-insensitively. The text is matched literally: LIKE's
        wildcards % and _ and its escape character \\ are escaped before it becomes a pattern.

        Defined in instruments.sql.
        """

        async def __call__(  # type: ignore[override]
            self, connection: Connection, /, *, text: str | None, limit: int | None
        ) -> list[InstrumentSearchByNameRow]: ...

    class InstrumentUpdateRow(Protocol):
        """A row of ``instrument_update``: an asyncpg Record."""

        @overload
        def __getitem__(self, key: Literal["id"]) -> UUID: ...
        @overload
        def __getitem__(self, key: Literal["symbol"]) -> str: ...
        @overload
        def __getitem__(self, key: Literal["name"]) -> str: ...
        @overload
        def __getitem__(self, key: Literal["instrument_type"]) -> str: ...
        @overload
        def __getitem__(self, key: Literal["exchange"]) -> str | None: ...
        @overload
        def __getitem__(self, key: Literal["currency"]) -> str: ...
        @overload
        def __getitem__(self, key: Literal["sector"]) -> str | None: ...
        @overload
        def __getitem__(self, key: Literal["industry"]) -> str | None: ...
        @overload
        def __getitem__(self, key: Literal["country"]) -> str | None: ...
        @overload
        def __getitem__(self, key: Literal["isin"]) -> str | None: ...
        @overload
        def __getitem__(self, key: Literal["description"]) -> str | None: ...
        @overload
        def __getitem__(self, key: Literal["is_active"]) -> bool: ...
        @overload
        def __getitem__(self, key: Literal["created_at"]) -> datetime: ...
        @overload
        def __getitem__(self, key: Literal["updated_at"]) -> datetime: ...

    class InstrumentUpdateQuery(Query):
        """No row when the instrument does not exist (any more).

        Defined in instruments.sql.
        """

        async def __call__(  # type: ignore[override]
            self,
            connection: Connection,
            /,
            *,
            symbol: str | None,
            name: str | None,
            instrument_type: str | None,
            exchange: str | None,
            currency: str | None,
            sector: str | None,
            industry: str | None,
            country: str | None,
            isin: str | None,
            description: str | None,
            is_active: bool | None,
            id: UUID | None,
        ) -> InstrumentUpdateRow | None: ...

    class MaintenanceAggregatesQuery(Query):
        """TimescaleDB: each continuous aggregate, whether it adds real-time rows, how far it is
        materialized (its watermark; NULL before the first refresh, when TimescaleDB reports the
        lowest timestamp of 4714 BC) and when its refresh policy last succeeded.

        Defined in maintenance.sql. It needs TimescaleDB, so its parameters and rows are typed
        loosely.
        """

        async def __call__(self, connection: Connection, /) -> list[asyncpg.Record]: ...  # type: ignore[override]

    class MaintenanceChunksToCompressQuery(Query):
        """The chunks of a hypertable that end before older_than and are not fully compressed:
        uncompressed ones, and compressed ones that received writes since (partially compressed,
        which compress_chunk recompresses). Frozen chunks refuse changes and are left out. Chunk
        status bits: 1 compressed, 4 frozen, 8 partially compressed.

        Defined in maintenance.sql. It needs TimescaleDB, so its parameters and rows are typed
        loosely.
        """

        async def __call__(  # type: ignore[override]
            self, connection: Connection, /, *, table_name: Any, older_than: Any
        ) -> list[asyncpg.Record]: ...

    class MaintenanceCompressChunkQuery(Query):
        """Compress one chunk, or recompress a partially compressed one.

        Defined in maintenance.sql. It needs TimescaleDB, so its parameters and rows are typed
        loosely.
        """

        async def __call__(self, connection: Connection, /, *, chunk: Any) -> int: ...  # type: ignore[override]

    class MaintenanceDeleteMarketDataBeforeQuery(Query):
        """Defined in maintenance.sql."""

        async def __call__(self, connection: Connection, /, *, cutoff: datetime | None) -> int: ...  # type: ignore[override]

    class MaintenanceDeletePortfolioPerformanceBeforeQuery(Query):
        """Defined in maintenance.sql."""

        async def __call__(self, connection: Connection, /, *, cutoff: datetime | None) -> int: ...  # type: ignore[override]

    class MaintenanceDeleteSignalsBeforeQuery(Query):
        """Defined in maintenance.sql."""

        async def __call__(self, connection: Connection, /, *, cutoff: datetime | None) -> int: ...  # type: ignore[override]

    class MaintenanceDeleteTechnicalIndicatorsBeforeQuery(Query):
        """Defined in maintenance.sql."""

        async def __call__(self, connection: Connection, /, *, cutoff: datetime | None) -> int: ...  # type: ignore[override]

    class MaintenanceDropChunksQuery(Query):
        """Drop the chunks of a hypertable that end at or before cutoff; returns how many.

        Defined in maintenance.sql. It needs TimescaleDB, so its parameters and rows are typed
        loosely.
        """

        async def __call__(  # type: ignore[override]
            self, connection: Connection, /, *, table_name: Any, cutoff: Any
        ) -> Any: ...

    class MaintenanceForgetLatestBarsBeforeQuery(Query):
        """After every bar before cutoff was removed: the latest bars before it belong to keys that
        have no bar left. Then market_data's row triggers are back on (market_data_latest_defer).

        Defined in maintenance.sql.
        """

        async def __call__(  # type: ignore[override]
            self, connection: Connection, /, *, cutoff: datetime | None
        ) -> int | None: ...

    class MaintenanceHypertablesQuery(Query):
        """TimescaleDB: per hypertable, its size, its chunks, and the size of its compressed chunks
        before and after compression (indexes and TOAST included; NULL while none is compressed).

        Defined in maintenance.sql. It needs TimescaleDB, so its parameters and rows are typed
        loosely.
        """

        async def __call__(self, connection: Connection, /) -> list[asyncpg.Record]: ...  # type: ignore[override]

    class MaintenanceJobsQuery(Query):
        """TimescaleDB: the compression and refresh policies of this schema and the retention job
        (migration 0017: one job, retain_time_series, listed once per window of
        time_series_retention), with the statistics of their last background run (NULL before the
        first one).

        Defined in maintenance.sql. It needs TimescaleDB, so its parameters and rows are typed
        loosely.
        """

        async def __call__(self, connection: Connection, /) -> list[asyncpg.Record]: ...  # type: ignore[override]

    class MaintenanceLiftDecompressionLimitQuery(Query):
        """For the rest of the transaction, let one DELETE decompress any number of rows of a
        compressed chunk (TimescaleDB stops at 100,000 by default).

        Defined in maintenance.sql.
        """

        async def __call__(self, connection: Connection, /) -> str | None: ...  # type: ignore[override]

    class MaintenanceRefreshAggregateQuery(Query):
        """Materialize a continuous aggregate over [window_start, window_end) (NULL: unbounded). The
        window must be aligned to whole buckets, and the call must not run inside a transaction.

        Defined in maintenance.sql. It needs TimescaleDB, so its parameters and rows are typed
        loosely.
        """

        async def __call__(  # type: ignore[override]
            self, connection: Connection, /, *, view_name: Any, window_start: Any, window_end: Any
        ) -> int: ...

    class MaintenanceRetentionCutoffsRow(Protocol):
        """A row of ``maintenance_retention_cutoffs``: an asyncpg Record."""

        @overload
        def __getitem__(self, key: Literal["table_name"]) -> str: ...
        @overload
        def __getitem__(self, key: Literal["drop_after"]) -> str: ...
        @overload
        def __getitem__(self, key: Literal["cutoff"]) -> datetime: ...

    class MaintenanceRetentionCutoffsQuery(Query):
        """Per time-series table, its retention window (migration 0008) and the cutoff it gives at
        now. Years and months are subtracted on the UTC calendar, whatever the session TimeZone.

        Defined in maintenance.sql.
        """

        async def __call__(  # type: ignore[override]
            self, connection: Connection, /, *, now: datetime | None
        ) -> list[MaintenanceRetentionCutoffsRow]: ...

    class MaintenanceTableSizesRow(Protocol):
        """A row of ``maintenance_table_sizes``: an asyncpg Record."""

        @overload
        def __getitem__(self, key: Literal["table_name"]) -> str: ...
        @overload
        def __getitem__(self, key: Literal["total_bytes"]) -> int: ...
        @overload
        def __getitem__(self, key: Literal["drop_after"]) -> str: ...

    class MaintenanceTableSizesQuery(Query):
        """Plain PostgreSQL: the on-disk size of each time-series table, indexes and TOAST included,
        and its retention window.

        Defined in maintenance.sql.
        """

        async def __call__(self, connection: Connection, /) -> list[MaintenanceTableSizesRow]: ...  # type: ignore[override]

    class MaintenanceTimescaledbVersionQuery(Query):
        """The installed TimescaleDB version, or no row on plain PostgreSQL.

        Defined in maintenance.sql.
        """

        async def __call__(self, connection: Connection, /) -> str | None: ...  # type: ignore[override]

    MarketDataCopyRecord: TypeAlias = tuple[
        datetime, str, str, float, float, float, float, float | None, int, str
    ]

    class MarketDataCopyQuery(Query):
        """Bars straight into market_data: a bar that exists already fails the whole COPY.

        Defined in market_data.sql.
        """

        async def copy(  # type: ignore[override]
            self, connection: Connection, records: Iterable[MarketDataCopyRecord]
        ) -> int: ...

    MarketDataCopyCheckedStagingRecord: TypeAlias = tuple[
        datetime, str, str, float, float, float, float, float | None, int, str
    ]

    class MarketDataCopyCheckedStagingQuery(Query):
        """Defined in market_data.sql."""

        async def copy(  # type: ignore[override]
            self, connection: Connection, records: Iterable[MarketDataCopyCheckedStagingRecord]
        ) -> int: ...

    MarketDataCopyStagingRecord: TypeAlias = tuple[
        datetime, str, str, float, float, float, float, float | None, int, str
    ]

    class MarketDataCopyStagingQuery(Query):
        """Defined in market_data.sql."""

        async def copy(  # type: ignore[override]
            self, connection: Connection, records: Iterable[MarketDataCopyStagingRecord]
        ) -> int: ...

    class MarketDataCountQuery(Query):
        """Defined in market_data.sql."""

        async def __call__(  # type: ignore[override]
            self, connection: Connection, /, *, symbol: str | None, interval_type: str | None
        ) -> int: ...

    class MarketDataCreateCheckedStagingQuery(Query):
        """Shaped like market_data with its CHECK constraints: a COPY into it names the line of the
        first bar market_data refuses. Used only after an upsert from market_data_staging failed.

        Defined in market_data.sql.
        """

        async def __call__(self, connection: Connection, /) -> int: ...  # type: ignore[override]

    class MarketDataCreateStagingQuery(Query):
        """The transaction's staging table for COPY followed by an upsert. It has no CHECK
        constraints: evaluating them for every staged bar cost about a third of an upsert of
        100,000 bars, and a bar only reaches market_data through the upsert, which checks it.
        When the upsert refuses a bar, the batch is COPYed again into market_data_checked to name
        its line.

        Defined in market_data.sql.
        """

        async def __call__(self, connection: Connection, /) -> int: ...  # type: ignore[override]

    class MarketDataDeleteRangeQuery(Query):
        """Delete the bars of [start, end).

        Defined in market_data.sql.
        """

        async def __call__(  # type: ignore[override]
            self,
            connection: Connection,
            /,
            *,
            symbol: str | None,
            interval_type: str | None,
            start: datetime | None,
            end: datetime | None,
        ) -> int: ...

    class MarketDataEmptyStagingQuery(Query):
        """Empties the staging table for the next batch of the transaction. TRUNCATE of a temporary
        table costs a file, where emptying it with DELETE cost about a tenth of an upsert.

        Defined in market_data.sql.
        """

        async def __call__(self, connection: Connection, /) -> int: ...  # type: ignore[override]

    class MarketDataFindGapsRow(Protocol):
        """A row of ``market_data_find_gaps``: an asyncpg Record."""

        @overload
        def __getitem__(self, key: Literal["gap_start"]) -> datetime: ...
        @overload
        def __getitem__(self, key: Literal["gap_end"]) -> datetime: ...
        @overload
        def __getitem__(self, key: Literal["missing_bars"]) -> int: ...

    class MarketDataFindGapsQuery(Query):
        """Holes in the series within [start, end): consecutive bars further apart than one step
        (the interval's width). gap_start and gap_end are the times of the bars around the hole.
        Bars expected before the first or after the last bar of the range are not reported.

        Defined in market_data.sql.
        """

        async def __call__(  # type: ignore[override]
            self,
            connection: Connection,
            /,
            *,
            symbol: str | None,
            interval_type: str | None,
            start: datetime | None,
            end: datetime | None,
            step: timedelta | None,
            max_results: int | None,
        ) -> list[MarketDataFindGapsRow]: ...

    class MarketDataFindLatestRow(Protocol):
        """A row of ``market_data_find_latest``: an asyncpg Record."""

        @overload
        def __getitem__(self, key: Literal["time"]) -> datetime: ...
        @overload
        def __getitem__(self, key: Literal["symbol"]) -> str: ...
        @overload
        def __getitem__(self, key: Literal["interval_type"]) -> str: ...
        @overload
        def __getitem__(self, key: Literal["open"]) -> float: ...
        @overload
        def __getitem__(self, key: Literal["high"]) -> float: ...
        @overload
        def __getitem__(self, key: Literal["low"]) -> float: ...
        @overload
        def __getitem__(self, key: Literal["close"]) -> float: ...
        @overload
        def __getitem__(self, key: Literal["adjusted_close"]) -> float | None: ...
        @overload
        def __getitem__(self, key: Literal["volume"]) -> int: ...
        @overload
        def __getitem__(self, key: Literal["source"]) -> str: ...

    class MarketDataFindLatestQuery(Query):
        """The newest bar of one symbol at one interval, or no row: one probe of market_data_latest.

        Defined in market_data.sql.
        """

        async def __call__(  # type: ignore[override]
            self, connection: Connection, /, *, symbol: str | None, interval_type: str | None
        ) -> MarketDataFindLatestRow | None: ...

    class MarketDataFindRangeRow(Protocol):
        """A row of ``market_data_find_range``: an asyncpg Record."""

        @overload
        def __getitem__(self, key: Literal["time"]) -> datetime: ...
        @overload
        def __getitem__(self, key: Literal["symbol"]) -> str: ...
        @overload
        def __getitem__(self, key: Literal["interval_type"]) -> str: ...
        @overload
        def __getitem__(self, key: Literal["open"]) -> float: ...
        @overload
        def __getitem__(self, key: Literal["high"]) -> float: ...
        @overload
        def __getitem__(self, key: Literal["low"]) -> float: ...
        @overload
        def __getitem__(self, key: Literal["close"]) -> float: ...
        @overload
        def __getitem__(self, key: Literal["adjusted_close"]) -> float | None: ...
        @overload
        def __getitem__(self, key: Literal["volume"]) -> int: ...
        @overload
        def __getitem__(self, key: Literal["source"]) -> str: ...

    class MarketDataFindRangeQuery(Query):
        """The bars of [start, end), oldest first: one range scan of the primary key, planned for
        the range on every call (market_data_range, migration 0018).

        Defined in market_data.sql.
        """

        async def __call__(  # type: ignore[override]
            self,
            connection: Connection,
            /,
            *,
            symbol: str | None,
            interval_type: str | None,
            start: datetime | None,
            end: datetime | None,
        ) -> list[MarketDataFindRangeRow]: ...

    class MarketDataInsertFromStagingQuery(Query):
        """Move the staged bars into market_data, keeping bars that exist already. The count is the
        number of bars inserted.

        Defined in market_data.sql.
        """

        async def __call__(self, connection: Connection, /) -> int: ...  # type: ignore[override]

    class MarketDataLatestAfterDeleteQuery(Query):
        """After the bars of [start, end) were deleted: when the latest bar of the key was among
        them, the newest bar before start takes its place (there is none at or after end: the
        latest bar was the newest), or the key leaves market_data_latest. Then the row triggers
        are back on.

        Defined in market_data.sql.
        """

        async def __call__(  # type: ignore[override]
            self,
            connection: Connection,
            /,
            *,
            symbol: str | None,
            interval_type: str | None,
            start: datetime | None,
            end: datetime | None,
        ) -> int: ...

    class MarketDataLatestDeferQuery(Query):
        """Until market_data_latest_merge or market_data_latest_after_delete, the row triggers of
        market_data leave market_data_latest to the library (migration 0017): it merges a whole
        batch in one statement. Local to the transaction; a rolled-back savepoint undoes it too.

        Defined in market_data.sql.
        """

        async def __call__(self, connection: Connection, /) -> int: ...  # type: ignore[override]

    class MarketDataLatestMergeQuery(Query):
        """The newest bar of each key of a batch just written, into market_data_latest where it is
        newer than the stored latest bar (or, with replace_equal, as new and different: the batch
        replaced the stored bar), and the row triggers back on. The count is the keys changed.

        Defined in market_data.sql.
        """

        async def __call__(  # type: ignore[override]
            self,
            connection: Connection,
            /,
            *,
            times: Sequence[datetime] | None,
            symbols: Sequence[str] | None,
            interval_types: Sequence[str] | None,
            opens: Sequence[float] | None,
            highs: Sequence[float] | None,
            lows: Sequence[float] | None,
            closes: Sequence[float] | None,
            adjusted_closes: Sequence[float] | None,
            volumes: Sequence[int] | None,
            sources: Sequence[str] | None,
            replace_equal: bool | None,
        ) -> int: ...

    class MarketDataSaveRow(Protocol):
        """A row of ``market_data_save``: an asyncpg Record."""

        @overload
        def __getitem__(self, key: Literal["time"]) -> datetime: ...
        @overload
        def __getitem__(self, key: Literal["symbol"]) -> str: ...
        @overload
        def __getitem__(self, key: Literal["interval_type"]) -> str: ...
        @overload
        def __getitem__(self, key: Literal["open"]) -> float: ...
        @overload
        def __getitem__(self, key: Literal["high"]) -> float: ...
        @overload
        def __getitem__(self, key: Literal["low"]) -> float: ...
        @overload
        def __getitem__(self, key: Literal["close"]) -> float: ...
        @overload
        def __getitem__(self, key: Literal["adjusted_close"]) -> float | None: ...
        @overload
        def __getitem__(self, key: Literal["volume"]) -> int: ...
        @overload
        def __getitem__(self, key: Literal["source"]) -> str: ...

    class MarketDataSaveQuery(Query):
        """Insert one bar, or replace the bar with the same symbol, interval and time.

        Defined in market_data.sql.
        """

        async def __call__(  # type: ignore[override]
            self,
            connection: Connection,
            /,
            *,
            time: datetime | None,
            symbol: str | None,
            interval_type: str | None,
            open: float | None,
            high: float | None,
            low: float | None,
            close: float | None,
            adjusted_close: float | None,
            volume: int | None,
            source: str | None,
        ) -> MarketDataSaveRow | None: ...

    class MarketDataStoredQuery(Query):
        """Whether the bar with this key is stored. An upserting COPY of a large batch probes its
        first bar: when it is stored, a COPY straight into market_data would fail, so it goes to
        staging.

        Defined in market_data.sql.
        """

        async def __call__(  # type: ignore[override]
            self,
            connection: Connection,
            /,
            *,
            symbol: str | None,
            interval_type: str | None,
            time: datetime | None,
        ) -> bool: ...

    class MarketDataStreamRangeRow(Protocol):
        """A row of ``market_data_stream_range``: an asyncpg Record."""

        @overload
        def __getitem__(self, key: Literal["time"]) -> datetime: ...
        @overload
        def __getitem__(self, key: Literal["symbol"]) -> str: ...
        @overload
        def __getitem__(self, key: Literal["interval_type"]) -> str: ...
        @overload
        def __getitem__(self, key: Literal["open"]) -> float: ...
        @overload
        def __getitem__(self, key: Literal["high"]) -> float: ...
        @overload
        def __getitem__(self, key: Literal["low"]) -> float: ...
        @overload
        def __getitem__(self, key: Literal["close"]) -> float: ...
        @overload
        def __getitem__(self, key: Literal["adjusted_close"]) -> float | None: ...
        @overload
        def __getitem__(self, key: Literal["volume"]) -> int: ...
        @overload
        def __getitem__(self, key: Literal["source"]) -> str: ...

    class MarketDataStreamRangeQuery(Query):
        """The bars of [start, end), oldest first, for a server-side cursor: a function would hold
        the whole range before handing over the first row, so a stream reads the table itself
        (its plan is made once per cursor).

        Defined in market_data.sql.
        """

        async def __call__(  # type: ignore[override]
            self,
            connection: Connection,
            /,
            *,
            symbol: str | None,
            interval_type: str | None,
            start: datetime | None,
            end: datetime | None,
        ) -> list[MarketDataStreamRangeRow]: ...

    class MarketDataSummaryRow(Protocol):
        """A row of ``market_data_summary``: an asyncpg Record."""

        @overload
        def __getitem__(self, key: Literal["symbol"]) -> str: ...
        @overload
        def __getitem__(self, key: Literal["time"]) -> datetime: ...
        @overload
        def __getitem__(self, key: Literal["interval_type"]) -> str: ...
        @overload
        def __getitem__(self, key: Literal["open"]) -> float: ...
        @overload
        def __getitem__(self, key: Literal["high"]) -> float: ...
        @overload
        def __getitem__(self, key: Literal["low"]) -> float: ...
        @overload
        def __getitem__(self, key: Literal["close"]) -> float: ...
        @overload
        def __getitem__(self, key: Literal["adjusted_close"]) -> float | None: ...
        @overload
        def __getitem__(self, key: Literal["volume"]) -> int: ...
        @overload
        def __getitem__(self, key: Literal["source"]) -> str: ...
        @overload
        def __getitem__(self, key: Literal["average_close"]) -> float: ...
        @overload
        def __getitem__(self, key: Literal["low_30d"]) -> float: ...
        @overload
        def __getitem__(self, key: Literal["high_30d"]) -> float: ...
        @overload
        def __getitem__(self, key: Literal["volume_30d"]) -> int: ...
        @overload
        def __getitem__(self, key: Literal["bar_count"]) -> int: ...
        @overload
        def __getitem__(self, key: Literal["first_close"]) -> float: ...

    class MarketDataSummaryQuery(Query):
        """Per symbol: the newest bar of (now - 7 days, now] and statistics over (now - 30 days,
        now]. Three index probes per symbol (newest bar, oldest bar of the window, the window's
        range). Symbols without a bar in the last 7 days are left out.

        Defined in market_data.sql.
        """

        async def __call__(  # type: ignore[override]
            self,
            connection: Connection,
            /,
            *,
            symbols: Sequence[str] | None,
            interval_type: str | None,
            now: datetime | None,
        ) -> list[MarketDataSummaryRow]: ...

    class MarketDataUpsertFromStagingQuery(Query):
        """Move the staged bars into market_data, replacing bars that exist already. The count is
        the number of bars inserted or changed.

        Defined in market_data.sql.
        """

        async def __call__(self, connection: Connection, /) -> int: ...  # type: ignore[override]

    class NotificationCountUnreadQuery(Query):
        """Defined in notifications.sql."""

        async def __call__(self, connection: Connection, /, *, user_id: UUID | None) -> int: ...  # type: ignore[override]

    class NotificationDeleteQuery(Query):
        """Defined in notifications.sql."""

        async def __call__(self, connection: Connection, /, *, id: UUID | None) -> int: ...  # type: ignore[override]

    class NotificationFindByIdRow(Protocol):
        """A row of ``notification_find_by_id``: an asyncpg Record."""

        @overload
        def __getitem__(self, key: Literal["id"]) -> UUID: ...
        @overload
        def __getitem__(self, key: Literal["user_id"]) -> UUID: ...
        @overload
        def __getitem__(self, key: Literal["alert_id"]) -> UUID | None: ...
        @overload
        def __getitem__(self, key: Literal["notification_type"]) -> str: ...
        @overload
        def __getitem__(self, key: Literal["title"]) -> str: ...
        @overload
        def __getitem__(self, key: Literal["message"]) -> str: ...
        @overload
        def __getitem__(self, key: Literal["data"]) -> Any: ...
        @overload
        def __getitem__(self, key: Literal["channels"]) -> list[str]: ...
        @overload
        def __getitem__(self, key: Literal["is_read"]) -> bool: ...
        @overload
        def __getitem__(self, key: Literal["read_at"]) -> datetime | None: ...
        @overload
        def __getitem__(self, key: Literal["sent_at"]) -> datetime | None: ...
        @overload
        def __getitem__(self, key: Literal["created_at"]) -> datetime: ...

    class NotificationFindByIdQuery(Query):
        """Defined in notifications.sql."""

        async def __call__(  # type: ignore[override]
            self, connection: Connection, /, *, id: UUID | None
        ) -> NotificationFindByIdRow | None: ...

    class NotificationInsertRow(Protocol):
        """A row of ``notification_insert``: an asyncpg Record."""

        @overload
        def __getitem__(self, key: Literal["id"]) -> UUID: ...
        @overload
        def __getitem__(self, key: Literal["user_id"]) -> UUID: ...
        @overload
        def __getitem__(self, key: Literal["alert_id"]) -> UUID | None: ...
        @overload
        def __getitem__(self, key: Literal["notification_type"]) -> str: ...
        @overload
        def __getitem__(self, key: Literal["title"]) -> str: ...
        @overload
        def __getitem__(self, key: Literal["message"]) -> str: ...
        @overload
        def __getitem__(self, key: Literal["data"]) -> Any: ...
        @overload
        def __getitem__(self, key: Literal["channels"]) -> list[str]: ...
        @overload
        def __getitem__(self, key: Literal["is_read"]) -> bool: ...
        @overload
        def __getitem__(self, key: Literal["read_at"]) -> datetime | None: ...
        @overload
        def __getitem__(self, key: Literal["sent_at"]) -> datetime | None: ...
        @overload
        def __getitem__(self, key: Literal["created_at"]) -> datetime: ...

    class NotificationInsertQuery(Query):
        """Defined in notifications.sql."""

        async def __call__(  # type: ignore[override]
            self,
            connection: Connection,
            /,
            *,
            user_id: UUID | None,
            alert_id: UUID | None,
            notification_type: str | None,
            title: str | None,
            message: str | None,
            data: Any,
            channels: Sequence[str] | None,
            is_read: bool | None,
            read_at: datetime | None,
            sent_at: datetime | None,
        ) -> NotificationInsertRow | None: ...

    class NotificationListForUserRow(Protocol):
        """A row of ``notification_list_for_user``: an asyncpg Record."""

        @overload
        def __getitem__(self, key: Literal["id"]) -> UUID: ...
        @overload
        def __getitem__(self, key: Literal["user_id"]) -> UUID: ...
        @overload
        def __getitem__(self, key: Literal["alert_id"]) -> UUID | None: ...
        @overload
        def __getitem__(self, key: Literal["notification_type"]) -> str: ...
        @overload
        def __getitem__(self, key: Literal["title"]) -> str: ...
        @overload
        def __getitem__(self, key: Literal["message"]) -> str: ...
        @overload
        def __getitem__(self, key: Literal["data"]) -> Any: ...
        @overload
        def __getitem__(self, key: Literal["channels"]) -> list[str]: ...
        @overload
        def __getitem__(self, key: Literal["is_read"]) -> bool: ...
        @overload
        def __getitem__(self, key: Literal["read_at"]) -> datetime | None: ...
        @overload
        def __getitem__(self, key: Literal["sent_at"]) -> datetime | None: ...
        @overload
        def __getitem__(self, key: Literal["created_at"]) -> datetime: ...

    class NotificationListForUserQuery(Query):
        """Newest first, along notifications_user_created_idx.

        Defined in notifications.sql.
        """

        async def __call__(  # type: ignore[override]
            self,
            connection: Connection,
            /,
            *,
            user_id: UUID | None,
            limit: int | None,
            offset: int | None,
        ) -> list[NotificationListForUserRow]: ...

    class NotificationListUnreadForUserRow(Protocol):
        """A row of ``notification_list_unread_for_user``: an asyncpg Record."""

        @overload
        def __getitem__(self, key: Literal["id"]) -> UUID: ...
        @overload
        def __getitem__(self, key: Literal["user_id"]) -> UUID: ...
        @overload
        def __getitem__(self, key: Literal["alert_id"]) -> UUID | None: ...
        @overload
        def __getitem__(self, key: Literal["notification_type"]) -> str: ...
        @overload
        def __getitem__(self, key: Literal["title"]) -> str: ...
        @overload
        def __getitem__(self, key: Literal["message"]) -> str: ...
        @overload
        def __getitem__(self, key: Literal["data"]) -> Any: ...
        @overload
        def __getitem__(self, key: Literal["channels"]) -> list[str]: ...
        @overload
        def __getitem__(self, key: Literal["is_read"]) -> bool: ...
        @overload
        def __getitem__(self, key: Literal["read_at"]) -> datetime | None: ...
        @overload
        def __getitem__(self, key: Literal["sent_at"]) -> datetime | None: ...
        @overload
        def __getitem__(self, key: Literal["created_at"]) -> datetime: ...

    class NotificationListUnreadForUserQuery(Query):
        """Newest unread first, along the partial index notifications_unread_idx.

        Defined in notifications.sql.
        """

        async def __call__(  # type: ignore[override]
            self,
            connection: Connection,
            /,
            *,
            user_id: UUID | None,
            limit: int | None,
            offset: int | None,
        ) -> list[NotificationListUnreadForUserRow]: ...

    class NotificationMarkAllReadQuery(Query):
        """Defined in notifications.sql."""

        async def __call__(  # type: ignore[override]
            self, connection: Connection, /, *, at: datetime | None, user_id: UUID | None
        ) -> int: ...

    class NotificationMarkReadQuery(Query):
        """Already-read notifications keep the time they were first read.

        Defined in notifications.sql.
        """

        async def __call__(  # type: ignore[override]
            self, connection: Connection, /, *, at: datetime | None, id: UUID | None
        ) -> int: ...

    PerformanceCopyRecord: TypeAlias = tuple[
        datetime,
        UUID,
        Decimal,
        Decimal,
        Decimal,
        float | None,
        float | None,
        float | None,
        float | None,
        float | None,
        float | None,
        float | None,
        int,
    ]

    class PerformanceCopyQuery(Query):
        """Snapshots straight into the table: a snapshot that exists already fails the whole COPY.

        Defined in performance.sql.
        """

        async def copy(  # type: ignore[override]
            self, connection: Connection, records: Iterable[PerformanceCopyRecord]
        ) -> int: ...

    PerformanceCopyStagingRecord: TypeAlias = tuple[
        datetime,
        UUID,
        Decimal,
        Decimal,
        Decimal,
        float | None,
        float | None,
        float | None,
        float | None,
        float | None,
        float | None,
        float | None,
        int,
    ]

    class PerformanceCopyStagingQuery(Query):
        """Defined in performance.sql."""

        async def copy(  # type: ignore[override]
            self, connection: Connection, records: Iterable[PerformanceCopyStagingRecord]
        ) -> int: ...

    class PerformanceCreateStagingQuery(Query):
        """The transaction's staging table for COPY followed by an upsert; it keeps the CHECK
        constraints (not the foreign key) so a bad snapshot fails during COPY, where PostgreSQL
        names its line. An unknown portfolio fails in the insert that follows.

        Defined in performance.sql.
        """

        async def __call__(self, connection: Connection, /) -> int: ...  # type: ignore[override]

    class PerformanceEmptyStagingQuery(Query):
        """Empties the staging table for the next batch of the transaction. TRUNCATE of a temporary
        table costs a file, where emptying it with DELETE cost about a tenth of an upsert.

        Defined in performance.sql.
        """

        async def __call__(self, connection: Connection, /) -> int: ...  # type: ignore[override]

    class PerformanceFindLatestRow(Protocol):
        """A row of ``performance_find_latest``: an asyncpg Record."""

        @overload
        def __getitem__(self, key: Literal["time"]) -> datetime: ...
        @overload
        def __getitem__(self, key: Literal["portfolio_id"]) -> UUID: ...
        @overload
        def __getitem__(self, key: Literal["total_value"]) -> Decimal: ...
        @overload
        def __getitem__(self, key: Literal["cash_value"]) -> Decimal: ...
        @overload
        def __getitem__(self, key: Literal["invested_value"]) -> Decimal: ...
        @overload
        def __getitem__(self, key: Literal["daily_return"]) -> float | None: ...
        @overload
        def __getitem__(self, key: Literal["total_return"]) -> float | None: ...
        @overload
        def __getitem__(self, key: Literal["volatility_30d"]) -> float | None: ...
        @overload
        def __getitem__(self, key: Literal["sharpe_ratio_30d"]) -> float | None: ...
        @overload
        def __getitem__(self, key: Literal["max_drawdown_30d"]) -> float | None: ...
        @overload
        def __getitem__(self, key: Literal["beta_30d"]) -> float | None: ...
        @overload
        def __getitem__(self, key: Literal["alpha_30d"]) -> float | None: ...
        @overload
        def __getitem__(self, key: Literal["number_of_positions"]) -> int: ...

    class PerformanceFindLatestQuery(Query):
        """A portfolio's newest snapshot, or no row.

        Defined in performance.sql.
        """

        async def __call__(  # type: ignore[override]
            self, connection: Connection, /, *, portfolio_id: UUID | None
        ) -> PerformanceFindLatestRow | None: ...

    class PerformanceFindRangeRow(Protocol):
        """A row of ``performance_find_range``: an asyncpg Record."""

        @overload
        def __getitem__(self, key: Literal["time"]) -> datetime: ...
        @overload
        def __getitem__(self, key: Literal["portfolio_id"]) -> UUID: ...
        @overload
        def __getitem__(self, key: Literal["total_value"]) -> Decimal: ...
        @overload
        def __getitem__(self, key: Literal["cash_value"]) -> Decimal: ...
        @overload
        def __getitem__(self, key: Literal["invested_value"]) -> Decimal: ...
        @overload
        def __getitem__(self, key: Literal["daily_return"]) -> float | None: ...
        @overload
        def __getitem__(self, key: Literal["total_return"]) -> float | None: ...
        @overload
        def __getitem__(self, key: Literal["volatility_30d"]) -> float | None: ...
        @overload
        def __getitem__(self, key: Literal["sharpe_ratio_30d"]) -> float | None: ...
        @overload
        def __getitem__(self, key: Literal["max_drawdown_30d"]) -> float | None: ...
        @overload
        def __getitem__(self, key: Literal["beta_30d"]) -> float | None: ...
        @overload
        def __getitem__(self, key: Literal["alpha_30d"]) -> float | None: ...
        @overload
        def __getitem__(self, key: Literal["number_of_positions"]) -> int: ...

    class PerformanceFindRangeQuery(Query):
        """A portfolio's snapshots in [start, end), oldest first: one range scan of the primary key
        (performance_range, migration 0018).

        Defined in performance.sql.
        """

        async def __call__(  # type: ignore[override]
            self,
            connection: Connection,
            /,
            *,
            portfolio_id: UUID | None,
            start: datetime | None,
            end: datetime | None,
        ) -> list[PerformanceFindRangeRow]: ...

    class PerformanceInsertFromStagingQuery(Query):
        """Move the staged snapshots into the table, keeping snapshots that exist already. The count
        is the number of snapshots inserted.

        Defined in performance.sql.
        """

        async def __call__(self, connection: Connection, /) -> int: ...  # type: ignore[override]

    class PerformanceSaveRow(Protocol):
        """A row of ``performance_save``: an asyncpg Record."""

        @overload
        def __getitem__(self, key: Literal["time"]) -> datetime: ...
        @overload
        def __getitem__(self, key: Literal["portfolio_id"]) -> UUID: ...
        @overload
        def __getitem__(self, key: Literal["total_value"]) -> Decimal: ...
        @overload
        def __getitem__(self, key: Literal["cash_value"]) -> Decimal: ...
        @overload
        def __getitem__(self, key: Literal["invested_value"]) -> Decimal: ...
        @overload
        def __getitem__(self, key: Literal["daily_return"]) -> float | None: ...
        @overload
        def __getitem__(self, key: Literal["total_return"]) -> float | None: ...
        @overload
        def __getitem__(self, key: Literal["volatility_30d"]) -> float | None: ...
        @overload
        def __getitem__(self, key: Literal["sharpe_ratio_30d"]) -> float | None: ...
        @overload
        def __getitem__(self, key: Literal["max_drawdown_30d"]) -> float | None: ...
        @overload
        def __getitem__(self, key: Literal["beta_30d"]) -> float | None: ...
        @overload
        def __getitem__(self, key: Literal["alpha_30d"]) -> float | None: ...
        @overload
        def __getitem__(self, key: Literal["number_of_positions"]) -> int: ...

    class PerformanceSaveQuery(Query):
        """Insert one snapshot, or replace the portfolio's snapshot at the same time.

        Defined in performance.sql.
        """

        async def __call__(  # type: ignore[override]
            self,
            connection: Connection,
            /,
            *,
            time: datetime | None,
            portfolio_id: UUID | None,
            total_value: Decimal | None,
            cash_value: Decimal | None,
            invested_value: Decimal | None,
            daily_return: float | None,
            total_return: float | None,
            volatility_30d: float | None,
            sharpe_ratio_30d: float | None,
            max_drawdown_30d: float | None,
            beta_30d: float | None,
            alpha_30d: float | None,
            number_of_positions: int | None,
        ) -> PerformanceSaveRow | None: ...

    class PerformanceUpsertFromStagingQuery(Query):
        """Move the staged snapshots into the table, replacing snapshots that exist already. The
        count is the number of snapshots inserted or replaced.

        Defined in performance.sql.
        """

        async def __call__(self, connection: Connection, /) -> int: ...  # type: ignore[override]

    class PortfolioDeleteQuery(Query):
        """Its positions, transactions, alerts and performance snapshots go with it (ON DELETE
        CASCADE).

        Defined in portfolios.sql.
        """

        async def __call__(self, connection: Connection, /, *, id: UUID | None) -> int: ...  # type: ignore[override]

    class PortfolioExistsQuery(Query):
        """Defined in portfolios.sql."""

        async def __call__(self, connection: Connection, /, *, id: UUID | None) -> bool | None: ...  # type: ignore[override]

    class PortfolioFindByIdRow(Protocol):
        """A row of ``portfolio_find_by_id``: an asyncpg Record."""

        @overload
        def __getitem__(self, key: Literal["id"]) -> UUID: ...
        @overload
        def __getitem__(self, key: Literal["user_id"]) -> UUID: ...
        @overload
        def __getitem__(self, key: Literal["name"]) -> str: ...
        @overload
        def __getitem__(self, key: Literal["description"]) -> str | None: ...
        @overload
        def __getitem__(self, key: Literal["base_currency"]) -> str: ...
        @overload
        def __getitem__(self, key: Literal["initial_cash"]) -> Decimal: ...
        @overload
        def __getitem__(self, key: Literal["cash_balance"]) -> Decimal: ...
        @overload
        def __getitem__(self, key: Literal["is_default"]) -> bool: ...
        @overload
        def __getitem__(self, key: Literal["is_active"]) -> bool: ...
        @overload
        def __getitem__(self, key: Literal["version"]) -> int: ...
        @overload
        def __getitem__(self, key: Literal["created_at"]) -> datetime: ...
        @overload
        def __getitem__(self, key: Literal["updated_at"]) -> datetime: ...

    class PortfolioFindByIdQuery(Query):
        """Defined in portfolios.sql."""

        async def __call__(  # type: ignore[override]
            self, connection: Connection, /, *, id: UUID | None
        ) -> PortfolioFindByIdRow | None: ...

    class PortfolioFindByNameRow(Protocol):
        """A row of ``portfolio_find_by_name``: an asyncpg Record."""

        @overload
        def __getitem__(self, key: Literal["id"]) -> UUID: ...
        @overload
        def __getitem__(self, key: Literal["user_id"]) -> UUID: ...
        @overload
        def __getitem__(self, key: Literal["name"]) -> str: ...
        @overload
        def __getitem__(self, key: Literal["description"]) -> str | None: ...
        @overload
        def __getitem__(self, key: Literal["base_currency"]) -> str: ...
        @overload
        def __getitem__(self, key: Literal["initial_cash"]) -> Decimal: ...
        @overload
        def __getitem__(self, key: Literal["cash_balance"]) -> Decimal: ...
        @overload
        def __getitem__(self, key: Literal["is_default"]) -> bool: ...
        @overload
        def __getitem__(self, key: Literal["is_active"]) -> bool: ...
        @overload
        def __getitem__(self, key: Literal["version"]) -> int: ...
        @overload
        def __getitem__(self, key: Literal["created_at"]) -> datetime: ...
        @overload
        def __getitem__(self, key: Literal["updated_at"]) -> datetime: ...

    class PortfolioFindByNameQuery(Query):
        """Defined in portfolios.sql."""

        async def __call__(  # type: ignore[override]
            self, connection: Connection, /, *, user_id: UUID | None, name: str | None
        ) -> PortfolioFindByNameRow | None: ...

    class PortfolioInsertRow(Protocol):
        """A row of ``portfolio_insert``: an asyncpg Record."""

        @overload
        def __getitem__(self, key: Literal["id"]) -> UUID: ...
        @overload
        def __getitem__(self, key: Literal["user_id"]) -> UUID: ...
        @overload
        def __getitem__(self, key: Literal["name"]) -> str: ...
        @overload
        def __getitem__(self, key: Literal["description"]) -> str | None: ...
        @overload
        def __getitem__(self, key: Literal["base_currency"]) -> str: ...
        @overload
        def __getitem__(self, key: Literal["initial_cash"]) -> Decimal: ...
        @overload
        def __getitem__(self, key: Literal["cash_balance"]) -> Decimal: ...
        @overload
        def __getitem__(self, key: Literal["is_default"]) -> bool: ...
        @overload
        def __getitem__(self, key: Literal["is_active"]) -> bool: ...
        @overload
        def __getitem__(self, key: Literal["version"]) -> int: ...
        @overload
        def __getitem__(self, key: Literal["created_at"]) -> datetime: ...
        @overload
        def __getitem__(self, key: Literal["updated_at"]) -> datetime: ...

    class PortfolioInsertQuery(Query):
        """Defined in portfolios.sql."""

        async def __call__(  # type: ignore[override]
            self,
            connection: Connection,
            /,
            *,
            user_id: UUID | None,
            name: str | None,
            description: str | None,
            base_currency: str | None,
            initial_cash: Decimal | None,
            cash_balance: Decimal | None,
            is_default: bool | None,
            is_active: bool | None,
        ) -> PortfolioInsertRow | None: ...

    class PortfolioListForUserRow(Protocol):
        """A row of ``portfolio_list_for_user``: an asyncpg Record."""

        @overload
        def __getitem__(self, key: Literal["id"]) -> UUID: ...
        @overload
        def __getitem__(self, key: Literal["user_id"]) -> UUID: ...
        @overload
        def __getitem__(self, key: Literal["name"]) -> str: ...
        @overload
        def __getitem__(self, key: Literal["description"]) -> str | None: ...
        @overload
        def __getitem__(self, key: Literal["base_currency"]) -> str: ...
        @overload
        def __getitem__(self, key: Literal["initial_cash"]) -> Decimal: ...
        @overload
        def __getitem__(self, key: Literal["cash_balance"]) -> Decimal: ...
        @overload
        def __getitem__(self, key: Literal["is_default"]) -> bool: ...
        @overload
        def __getitem__(self, key: Literal["is_active"]) -> bool: ...
        @overload
        def __getitem__(self, key: Literal["version"]) -> int: ...
        @overload
        def __getitem__(self, key: Literal["created_at"]) -> datetime: ...
        @overload
        def __getitem__(self, key: Literal["updated_at"]) -> datetime: ...

    class PortfolioListForUserQuery(Query):
        """The default portfolio first, then by name.

        Defined in portfolios.sql.
        """

        async def __call__(  # type: ignore[override]
            self, connection: Connection, /, *, user_id: UUID | None
        ) -> list[PortfolioListForUserRow]: ...

    class PortfolioPositionsRow(Protocol):
        """A row of ``portfolio_positions``: an asyncpg Record."""

        @overload
        def __getitem__(self, key: Literal["id"]) -> UUID: ...
        @overload
        def __getitem__(self, key: Literal["portfolio_id"]) -> UUID: ...
        @overload
        def __getitem__(self, key: Literal["symbol"]) -> str: ...
        @overload
        def __getitem__(self, key: Literal["quantity"]) -> Decimal: ...
        @overload
        def __getitem__(self, key: Literal["average_price"]) -> Decimal: ...
        @overload
        def __getitem__(self, key: Literal["currency"]) -> str: ...
        @overload
        def __getitem__(self, key: Literal["opened_at"]) -> datetime: ...
        @overload
        def __getitem__(self, key: Literal["created_at"]) -> datetime: ...
        @overload
        def __getitem__(self, key: Literal["updated_at"]) -> datetime: ...

    class PortfolioPositionsQuery(Query):
        """The positions of several portfolios at once (no query per portfolio), by symbol.

        Defined in portfolios.sql.
        """

        async def __call__(  # type: ignore[override]
            self, connection: Connection, /, *, portfolio_ids: Sequence[UUID] | None
        ) -> list[PortfolioPositionsRow]: ...

    class PortfolioSyncPositionsRow(Protocol):
        """A row of ``portfolio_sync_positions``: an asyncpg Record."""

        @overload
        def __getitem__(self, key: Literal["id"]) -> UUID | None: ...
        @overload
        def __getitem__(self, key: Literal["portfolio_id"]) -> UUID | None: ...
        @overload
        def __getitem__(self, key: Literal["symbol"]) -> str | None: ...
        @overload
        def __getitem__(self, key: Literal["quantity"]) -> Decimal | None: ...
        @overload
        def __getitem__(self, key: Literal["average_price"]) -> Decimal | None: ...
        @overload
        def __getitem__(self, key: Literal["currency"]) -> str | None: ...
        @overload
        def __getitem__(self, key: Literal["opened_at"]) -> datetime | None: ...
        @overload
        def __getitem__(self, key: Literal["created_at"]) -> datetime | None: ...
        @overload
        def __getitem__(self, key: Literal["updated_at"]) -> datetime | None: ...

    class PortfolioSyncPositionsQuery(Query):
        """Make the portfolio's positions exactly the given ones, in one statement: delete the
        others, update those that differ, insert the new ones. Unchanged positions are not
        written, so their updated_at stays. A NULL opened_at keeps the stored one (now() for a
        new position). Returns every position of the portfolio afterwards, by symbol; the
        unchanged ones are read from the statement's snapshot, which is current for them.

        Defined in portfolios.sql.
        """

        async def __call__(  # type: ignore[override]
            self,
            connection: Connection,
            /,
            *,
            symbols: Sequence[str] | None,
            quantities: Sequence[Decimal] | None,
            average_prices: Sequence[Decimal] | None,
            currencies: Sequence[str] | None,
            opened_ats: Sequence[datetime] | None,
            portfolio_id: UUID | None,
        ) -> list[PortfolioSyncPositionsRow]: ...

    class PortfolioUpdateRow(Protocol):
        """A row of ``portfolio_update``: an asyncpg Record."""

        @overload
        def __getitem__(self, key: Literal["id"]) -> UUID: ...
        @overload
        def __getitem__(self, key: Literal["user_id"]) -> UUID: ...
        @overload
        def __getitem__(self, key: Literal["name"]) -> str: ...
        @overload
        def __getitem__(self, key: Literal["description"]) -> str | None: ...
        @overload
        def __getitem__(self, key: Literal["base_currency"]) -> str: ...
        @overload
        def __getitem__(self, key: Literal["initial_cash"]) -> Decimal: ...
        @overload
        def __getitem__(self, key: Literal["cash_balance"]) -> Decimal: ...
        @overload
        def __getitem__(self, key: Literal["is_default"]) -> bool: ...
        @overload
        def __getitem__(self, key: Literal["is_active"]) -> bool: ...
        @overload
        def __getitem__(self, key: Literal["version"]) -> int: ...
        @overload
        def __getitem__(self, key: Literal["created_at"]) -> datetime: ...
        @overload
        def __getitem__(self, key: Literal["updated_at"]) -> datetime: ...

    class PortfolioUpdateQuery(Query):
        """Optimistic concurrency: the update applies only to the version the caller read, and bumps
        it. No row means the portfolio changed (or vanished) since it was read.

        Defined in portfolios.sql.
        """

        async def __call__(  # type: ignore[override]
            self,
            connection: Connection,
            /,
            *,
            user_id: UUID | None,
            name: str | None,
            description: str | None,
            base_currency: str | None,
            initial_cash: Decimal | None,
            cash_balance: Decimal | None,
            is_default: bool | None,
            is_active: bool | None,
            id: UUID | None,
            version: int | None,
        ) -> PortfolioUpdateRow | None: ...

    class PortfolioValuationRow(Protocol):
        """A row of ``portfolio_valuation``: an asyncpg Record."""

        @overload
        def __getitem__(self, key: Literal["cash_balance"]) -> Decimal: ...
        @overload
        def __getitem__(self, key: Literal["priced_at"]) -> datetime: ...
        @overload
        def __getitem__(self, key: Literal["symbol"]) -> str | None: ...
        @overload
        def __getitem__(self, key: Literal["quantity"]) -> Decimal | None: ...
        @overload
        def __getitem__(self, key: Literal["average_price"]) -> Decimal | None: ...
        @overload
        def __getitem__(self, key: Literal["last_price"]) -> float | None: ...
        @overload
        def __getitem__(self, key: Literal["price_time"]) -> datetime | None: ...

    class PortfolioValuationQuery(Query):
        """The portfolio's cash and each position with its latest bar at one interval: one probe of
        market_data_latest (migration 0017) per position, however deep the history. One row with
        NULL position columns when the portfolio holds nothing; no row when it does not exist.
        Positions without any bar have NULL last_price and price_time.

        Defined in portfolios.sql.
        """

        async def __call__(  # type: ignore[override]
            self, connection: Connection, /, *, interval_type: str | None, portfolio_id: UUID | None
        ) -> list[PortfolioValuationRow]: ...

    class PositionDeleteQuery(Query):
        """The number of positions deleted: 0 or 1.

        Defined in positions.sql.
        """

        async def __call__(  # type: ignore[override]
            self, connection: Connection, /, *, portfolio_id: UUID | None, symbol: str | None
        ) -> int | None: ...

    class PositionFindRow(Protocol):
        """A row of ``position_find``: an asyncpg Record."""

        @overload
        def __getitem__(self, key: Literal["id"]) -> UUID: ...
        @overload
        def __getitem__(self, key: Literal["portfolio_id"]) -> UUID: ...
        @overload
        def __getitem__(self, key: Literal["symbol"]) -> str: ...
        @overload
        def __getitem__(self, key: Literal["quantity"]) -> Decimal: ...
        @overload
        def __getitem__(self, key: Literal["average_price"]) -> Decimal: ...
        @overload
        def __getitem__(self, key: Literal["currency"]) -> str: ...
        @overload
        def __getitem__(self, key: Literal["opened_at"]) -> datetime: ...
        @overload
        def __getitem__(self, key: Literal["created_at"]) -> datetime: ...
        @overload
        def __getitem__(self, key: Literal["updated_at"]) -> datetime: ...

    class PositionFindQuery(Query):
        """Defined in positions.sql."""

        async def __call__(  # type: ignore[override]
            self, connection: Connection, /, *, portfolio_id: UUID | None, symbol: str | None
        ) -> PositionFindRow | None: ...

    class PositionListForPortfolioRow(Protocol):
        """A row of ``position_list_for_portfolio``: an asyncpg Record."""

        @overload
        def __getitem__(self, key: Literal["id"]) -> UUID: ...
        @overload
        def __getitem__(self, key: Literal["portfolio_id"]) -> UUID: ...
        @overload
        def __getitem__(self, key: Literal["symbol"]) -> str: ...
        @overload
        def __getitem__(self, key: Literal["quantity"]) -> Decimal: ...
        @overload
        def __getitem__(self, key: Literal["average_price"]) -> Decimal: ...
        @overload
        def __getitem__(self, key: Literal["currency"]) -> str: ...
        @overload
        def __getitem__(self, key: Literal["opened_at"]) -> datetime: ...
        @overload
        def __getitem__(self, key: Literal["created_at"]) -> datetime: ...
        @overload
        def __getitem__(self, key: Literal["updated_at"]) -> datetime: ...

    class PositionListForPortfolioQuery(Query):
        """Defined in positions.sql."""

        async def __call__(  # type: ignore[override]
            self, connection: Connection, /, *, portfolio_id: UUID | None
        ) -> list[PositionListForPortfolioRow]: ...

    class PositionUpsertRow(Protocol):
        """A row of ``position_upsert``: an asyncpg Record."""

        @overload
        def __getitem__(self, key: Literal["id"]) -> UUID: ...
        @overload
        def __getitem__(self, key: Literal["portfolio_id"]) -> UUID: ...
        @overload
        def __getitem__(self, key: Literal["symbol"]) -> str: ...
        @overload
        def __getitem__(self, key: Literal["quantity"]) -> Decimal: ...
        @overload
        def __getitem__(self, key: Literal["average_price"]) -> Decimal: ...
        @overload
        def __getitem__(self, key: Literal["currency"]) -> str: ...
        @overload
        def __getitem__(self, key: Literal["opened_at"]) -> datetime: ...
        @overload
        def __getitem__(self, key: Literal["created_at"]) -> datetime: ...
        @overload
        def __getitem__(self, key: Literal["updated_at"]) -> datetime: ...

    class PositionUpsertQuery(Query):
        """Insert, or update the position in the same symbol. A NULL opened_at keeps the stored one.

        Defined in positions.sql.
        """

        async def __call__(  # type: ignore[override]
            self,
            connection: Connection,
            /,
            *,
            portfolio_id: UUID | None,
            symbol: str | None,
            quantity: Decimal | None,
            average_price: Decimal | None,
            currency: str | None,
            opened_at: datetime | None,
        ) -> PositionUpsertRow | None: ...

    class RefreshTokenCountActiveForUserQuery(Query):
        """How many of the user's tokens are neither revoked nor expired at :now.

        Defined in refresh_tokens.sql.
        """

        async def __call__(  # type: ignore[override]
            self, connection: Connection, /, *, user_id: UUID | None, now: datetime | None
        ) -> int: ...

    class RefreshTokenDeleteQuery(Query):
        """Remove one token.

        Defined in refresh_tokens.sql.
        """

        async def __call__(self, connection: Connection, /, *, id: UUID | None) -> int: ...  # type: ignore[override]

    class RefreshTokenFindActiveForUserRow(Protocol):
        """A row of ``refresh_token_find_active_for_user``: an asyncpg Record."""

        @overload
        def __getitem__(self, key: Literal["id"]) -> UUID: ...
        @overload
        def __getitem__(self, key: Literal["user_id"]) -> UUID: ...
        @overload
        def __getitem__(self, key: Literal["token_hash"]) -> str: ...
        @overload
        def __getitem__(self, key: Literal["expires_at"]) -> datetime: ...
        @overload
        def __getitem__(self, key: Literal["created_at"]) -> datetime: ...
        @overload
        def __getitem__(self, key: Literal["last_used_at"]) -> datetime: ...
        @overload
        def __getitem__(self, key: Literal["revoked_at"]) -> datetime | None: ...
        @overload
        def __getitem__(self, key: Literal["revoke_reason"]) -> str | None: ...
        @overload
        def __getitem__(self, key: Literal["ip_address"]) -> IPv4Address | IPv6Address | None: ...
        @overload
        def __getitem__(self, key: Literal["user_agent"]) -> str | None: ...

    class RefreshTokenFindActiveForUserQuery(Query):
        """The user's tokens that are neither revoked nor expired at :now, newest first (partial
        index refresh_tokens_user_active_idx).

        Defined in refresh_tokens.sql.
        """

        async def __call__(  # type: ignore[override]
            self, connection: Connection, /, *, user_id: UUID | None, now: datetime | None
        ) -> list[RefreshTokenFindActiveForUserRow]: ...

    class RefreshTokenFindByIdRow(Protocol):
        """A row of ``refresh_token_find_by_id``: an asyncpg Record."""

        @overload
        def __getitem__(self, key: Literal["id"]) -> UUID: ...
        @overload
        def __getitem__(self, key: Literal["user_id"]) -> UUID: ...
        @overload
        def __getitem__(self, key: Literal["token_hash"]) -> str: ...
        @overload
        def __getitem__(self, key: Literal["expires_at"]) -> datetime: ...
        @overload
        def __getitem__(self, key: Literal["created_at"]) -> datetime: ...
        @overload
        def __getitem__(self, key: Literal["last_used_at"]) -> datetime: ...
        @overload
        def __getitem__(self, key: Literal["revoked_at"]) -> datetime | None: ...
        @overload
        def __getitem__(self, key: Literal["revoke_reason"]) -> str | None: ...
        @overload
        def __getitem__(self, key: Literal["ip_address"]) -> IPv4Address | IPv6Address | None: ...
        @overload
        def __getitem__(self, key: Literal["user_agent"]) -> str | None: ...

    class RefreshTokenFindByIdQuery(Query):
        """One token by primary key.

        Defined in refresh_tokens.sql.
        """

        async def __call__(  # type: ignore[override]
            self, connection: Connection, /, *, id: UUID | None
        ) -> RefreshTokenFindByIdRow | None: ...

    class RefreshTokenFindByTokenHashRow(Protocol):
        """A row of ``refresh_token_find_by_token_hash``: an asyncpg Record."""

        @overload
        def __getitem__(self, key: Literal["id"]) -> UUID: ...
        @overload
        def __getitem__(self, key: Literal["user_id"]) -> UUID: ...
        @overload
        def __getitem__(self, key: Literal["token_hash"]) -> str: ...
        @overload
        def __getitem__(self, key: Literal["expires_at"]) -> datetime: ...
        @overload
        def __getitem__(self, key: Literal["created_at"]) -> datetime: ...
        @overload
        def __getitem__(self, key: Literal["last_used_at"]) -> datetime: ...
        @overload
        def __getitem__(self, key: Literal["revoked_at"]) -> datetime | None: ...
        @overload
        def __getitem__(self, key: Literal["revoke_reason"]) -> str | None: ...
        @overload
        def __getitem__(self, key: Literal["ip_address"]) -> IPv4Address | IPv6Address | None: ...
        @overload
        def __getitem__(self, key: Literal["user_agent"]) -> str | None: ...

    class RefreshTokenFindByTokenHashQuery(Query):
        """The token whose hash the client's token has (unique index refresh_tokens_token_hash_key),
        active or not: the caller decides what a revoked or expired token means.

        Defined in refresh_tokens.sql.
        """

        async def __call__(  # type: ignore[override]
            self, connection: Connection, /, *, token_hash: str | None
        ) -> RefreshTokenFindByTokenHashRow | None: ...

    class RefreshTokenInsertRow(Protocol):
        """A row of ``refresh_token_insert``: an asyncpg Record."""

        @overload
        def __getitem__(self, key: Literal["id"]) -> UUID: ...
        @overload
        def __getitem__(self, key: Literal["user_id"]) -> UUID: ...
        @overload
        def __getitem__(self, key: Literal["token_hash"]) -> str: ...
        @overload
        def __getitem__(self, key: Literal["expires_at"]) -> datetime: ...
        @overload
        def __getitem__(self, key: Literal["created_at"]) -> datetime: ...
        @overload
        def __getitem__(self, key: Literal["last_used_at"]) -> datetime: ...
        @overload
        def __getitem__(self, key: Literal["revoked_at"]) -> datetime | None: ...
        @overload
        def __getitem__(self, key: Literal["revoke_reason"]) -> str | None: ...
        @overload
        def __getitem__(self, key: Literal["ip_address"]) -> IPv4Address | IPv6Address | None: ...
        @overload
        def __getitem__(self, key: Literal["user_agent"]) -> str | None: ...

    class RefreshTokenInsertQuery(Query):
        """A new token; the server sets id and created_at, and last_used_at when none is given.

        Defined in refresh_tokens.sql.
        """

        async def __call__(  # type: ignore[override]
            self,
            connection: Connection,
            /,
            *,
            user_id: UUID | None,
            token_hash: str | None,
            expires_at: datetime | None,
            last_used_at: datetime | None,
            revoked_at: datetime | None,
            revoke_reason: str | None,
            ip_address: IPv4Address | IPv6Address | None,
            user_agent: str | None,
        ) -> RefreshTokenInsertRow | None: ...

    class RefreshTokenPurgeExpiredQuery(Query):
        """Delete every token that has expired by :before (no longer active then, see
        refresh_token_find_active_for_user), revoked or not (index
        refresh_tokens_expires_at_idx).

        Defined in refresh_tokens.sql.
        """

        async def __call__(self, connection: Connection, /, *, before: datetime | None) -> int: ...  # type: ignore[override]

    class RefreshTokenRevokeQuery(Query):
        """Revoke one token. A token revoked already keeps its first revocation time and reason.

        Defined in refresh_tokens.sql.
        """

        async def __call__(  # type: ignore[override]
            self,
            connection: Connection,
            /,
            *,
            revoked_at: datetime | None,
            reason: str | None,
            id: UUID | None,
        ) -> int: ...

    class RefreshTokenRevokeAllForUserQuery(Query):
        """Revoke every token of the user that is still active at :revoked_at ("log out
        everywhere"). Expired tokens are left alone: they are dead already, and purge_expired
        removes them.

        Defined in refresh_tokens.sql.
        """

        async def __call__(  # type: ignore[override]
            self,
            connection: Connection,
            /,
            *,
            revoked_at: datetime | None,
            reason: str | None,
            user_id: UUID | None,
        ) -> int: ...

    class RefreshTokenTouchQuery(Query):
        """Record a use of the token. GREATEST keeps last_used_at from moving back when two requests
        with the same token finish out of order.

        Defined in refresh_tokens.sql.
        """

        async def __call__(  # type: ignore[override]
            self, connection: Connection, /, *, used_at: datetime | None, id: UUID | None
        ) -> int: ...

    class RefreshTokenUpdateRow(Protocol):
        """A row of ``refresh_token_update``: an asyncpg Record."""

        @overload
        def __getitem__(self, key: Literal["id"]) -> UUID: ...
        @overload
        def __getitem__(self, key: Literal["user_id"]) -> UUID: ...
        @overload
        def __getitem__(self, key: Literal["token_hash"]) -> str: ...
        @overload
        def __getitem__(self, key: Literal["expires_at"]) -> datetime: ...
        @overload
        def __getitem__(self, key: Literal["created_at"]) -> datetime: ...
        @overload
        def __getitem__(self, key: Literal["last_used_at"]) -> datetime: ...
        @overload
        def __getitem__(self, key: Literal["revoked_at"]) -> datetime | None: ...
        @overload
        def __getitem__(self, key: Literal["revoke_reason"]) -> str | None: ...
        @overload
        def __getitem__(self, key: Literal["ip_address"]) -> IPv4Address | IPv6Address | None: ...
        @overload
        def __getitem__(self, key: Literal["user_agent"]) -> str | None: ...

    class RefreshTokenUpdateQuery(Query):
        """Replace every column a client owns; created_at stays, and so does last_used_at when none
        is given. No row comes back when the token does not exist.

        Defined in refresh_tokens.sql.
        """

        async def __call__(  # type: ignore[override]
            self,
            connection: Connection,
            /,
            *,
            user_id: UUID | None,
            token_hash: str | None,
            expires_at: datetime | None,
            last_used_at: datetime | None,
            revoked_at: datetime | None,
            revoke_reason: str | None,
            ip_address: IPv4Address | IPv6Address | None,
            user_agent: str | None,
            id: UUID | None,
        ) -> RefreshTokenUpdateRow | None: ...

    SignalCopyRecord: TypeAlias = tuple[
        datetime,
        str,
        str,
        str,
        str,
        float,
        float | None,
        float | None,
        float | None,
        float | None,
        float | None,
        str | None,
        Sequence[str],
        Any,
        datetime | None,
    ]

    class SignalCopyQuery(Query):
        """Signals straight into the table: a signal that exists already fails the whole COPY.

        Defined in signals.sql.
        """

        async def copy(  # type: ignore[override]
            self, connection: Connection, records: Iterable[SignalCopyRecord]
        ) -> int: ...

    SignalCopyStagingRecord: TypeAlias = tuple[
        datetime,
        str,
        str,
        str,
        str,
        float,
        float | None,
        float | None,
        float | None,
        float | None,
        float | None,
        str | None,
        Sequence[str],
        Any,
        datetime | None,
    ]

    class SignalCopyStagingQuery(Query):
        """Defined in signals.sql."""

        async def copy(  # type: ignore[override]
            self, connection: Connection, records: Iterable[SignalCopyStagingRecord]
        ) -> int: ...

    class SignalCreateStagingQuery(Query):
        """The transaction's staging table for COPY followed by an upsert; it keeps the CHECK
        constraints so a bad signal fails during COPY, where PostgreSQL names its line.

        Defined in signals.sql.
        """

        async def __call__(self, connection: Connection, /) -> int: ...  # type: ignore[override]

    class SignalEmptyStagingQuery(Query):
        """Empties the staging table for the next batch of the transaction. TRUNCATE of a temporary
        table costs a file, where emptying it with DELETE cost about a tenth of an upsert.

        Defined in signals.sql.
        """

        async def __call__(self, connection: Connection, /) -> int: ...  # type: ignore[override]

    class SignalFindActiveRow(Protocol):
        """A row of ``signal_find_active``: an asyncpg Record."""

        @overload
        def __getitem__(self, key: Literal["time"]) -> datetime: ...
        @overload
        def __getitem__(self, key: Literal["symbol"]) -> str: ...
        @overload
        def __getitem__(self, key: Literal["strategy"]) -> str: ...
        @overload
        def __getitem__(self, key: Literal["signal_type"]) -> str: ...
        @overload
        def __getitem__(self, key: Literal["strength"]) -> str: ...
        @overload
        def __getitem__(self, key: Literal["confidence"]) -> float: ...
        @overload
        def __getitem__(self, key: Literal["price_target"]) -> float | None: ...
        @overload
        def __getitem__(self, key: Literal["stop_loss"]) -> float | None: ...
        @overload
        def __getitem__(self, key: Literal["technical_score"]) -> float | None: ...
        @overload
        def __getitem__(self, key: Literal["fundamental_score"]) -> float | None: ...
        @overload
        def __getitem__(self, key: Literal["market_context_score"]) -> float | None: ...
        @overload
        def __getitem__(self, key: Literal["rationale"]) -> str | None: ...
        @overload
        def __getitem__(self, key: Literal["indicators_used"]) -> list[str]: ...
        @overload
        def __getitem__(self, key: Literal["metadata"]) -> Any: ...
        @overload
        def __getitem__(self, key: Literal["expires_at"]) -> datetime | None: ...

    class SignalFindActiveQuery(Query):
        """Signals issued at or before now that have not expired, newest first. One backward walk of
        signals_type_time_idx per signal type, so the newest signals are read first and the walk
        stops after limit rows.

        Defined in signals.sql.
        """

        async def __call__(  # type: ignore[override]
            self,
            connection: Connection,
            /,
            *,
            signal_types: Sequence[str] | None,
            now: datetime | None,
            limit: int | None,
        ) -> list[SignalFindActiveRow]: ...

    class SignalFindRangeRow(Protocol):
        """A row of ``signal_find_range``: an asyncpg Record."""

        @overload
        def __getitem__(self, key: Literal["time"]) -> datetime: ...
        @overload
        def __getitem__(self, key: Literal["symbol"]) -> str: ...
        @overload
        def __getitem__(self, key: Literal["strategy"]) -> str: ...
        @overload
        def __getitem__(self, key: Literal["signal_type"]) -> str: ...
        @overload
        def __getitem__(self, key: Literal["strength"]) -> str: ...
        @overload
        def __getitem__(self, key: Literal["confidence"]) -> float: ...
        @overload
        def __getitem__(self, key: Literal["price_target"]) -> float | None: ...
        @overload
        def __getitem__(self, key: Literal["stop_loss"]) -> float | None: ...
        @overload
        def __getitem__(self, key: Literal["technical_score"]) -> float | None: ...
        @overload
        def __getitem__(self, key: Literal["fundamental_score"]) -> float | None: ...
        @overload
        def __getitem__(self, key: Literal["market_context_score"]) -> float | None: ...
        @overload
        def __getitem__(self, key: Literal["rationale"]) -> str | None: ...
        @overload
        def __getitem__(self, key: Literal["indicators_used"]) -> list[str]: ...
        @overload
        def __getitem__(self, key: Literal["metadata"]) -> Any: ...
        @overload
        def __getitem__(self, key: Literal["expires_at"]) -> datetime | None: ...

    class SignalFindRangeQuery(Query):
        """A symbol's signals of every strategy in [start, end), oldest first (signal_range,
        migration 0018).

        Defined in signals.sql.
        """

        async def __call__(  # type: ignore[override]
            self,
            connection: Connection,
            /,
            *,
            symbol: str | None,
            start: datetime | None,
            end: datetime | None,
        ) -> list[SignalFindRangeRow]: ...

    class SignalFindRangeForStrategyRow(Protocol):
        """A row of ``signal_find_range_for_strategy``: an asyncpg Record."""

        @overload
        def __getitem__(self, key: Literal["time"]) -> datetime: ...
        @overload
        def __getitem__(self, key: Literal["symbol"]) -> str: ...
        @overload
        def __getitem__(self, key: Literal["strategy"]) -> str: ...
        @overload
        def __getitem__(self, key: Literal["signal_type"]) -> str: ...
        @overload
        def __getitem__(self, key: Literal["strength"]) -> str: ...
        @overload
        def __getitem__(self, key: Literal["confidence"]) -> float: ...
        @overload
        def __getitem__(self, key: Literal["price_target"]) -> float | None: ...
        @overload
        def __getitem__(self, key: Literal["stop_loss"]) -> float | None: ...
        @overload
        def __getitem__(self, key: Literal["technical_score"]) -> float | None: ...
        @overload
        def __getitem__(self, key: Literal["fundamental_score"]) -> float | None: ...
        @overload
        def __getitem__(self, key: Literal["market_context_score"]) -> float | None: ...
        @overload
        def __getitem__(self, key: Literal["rationale"]) -> str | None: ...
        @overload
        def __getitem__(self, key: Literal["indicators_used"]) -> list[str]: ...
        @overload
        def __getitem__(self, key: Literal["metadata"]) -> Any: ...
        @overload
        def __getitem__(self, key: Literal["expires_at"]) -> datetime | None: ...

    class SignalFindRangeForStrategyQuery(Query):
        """A symbol's signals of one strategy in [start, end), oldest first: one range scan of the
        key (signal_range_for_strategy, migration 0018).

        Defined in signals.sql.
        """

        async def __call__(  # type: ignore[override]
            self,
            connection: Connection,
            /,
            *,
            symbol: str | None,
            strategy: str | None,
            start: datetime | None,
            end: datetime | None,
        ) -> list[SignalFindRangeForStrategyRow]: ...

    class SignalInsertFromStagingQuery(Query):
        """Move the staged signals into the table, keeping signals that exist already. The count is
        the number of signals inserted.

        Defined in signals.sql.
        """

        async def __call__(self, connection: Connection, /) -> int: ...  # type: ignore[override]

    class SignalSaveRow(Protocol):
        """A row of ``signal_save``: an asyncpg Record."""

        @overload
        def __getitem__(self, key: Literal["time"]) -> datetime: ...
        @overload
        def __getitem__(self, key: Literal["symbol"]) -> str: ...
        @overload
        def __getitem__(self, key: Literal["strategy"]) -> str: ...
        @overload
        def __getitem__(self, key: Literal["signal_type"]) -> str: ...
        @overload
        def __getitem__(self, key: Literal["strength"]) -> str: ...
        @overload
        def __getitem__(self, key: Literal["confidence"]) -> float: ...
        @overload
        def __getitem__(self, key: Literal["price_target"]) -> float | None: ...
        @overload
        def __getitem__(self, key: Literal["stop_loss"]) -> float | None: ...
        @overload
        def __getitem__(self, key: Literal["technical_score"]) -> float | None: ...
        @overload
        def __getitem__(self, key: Literal["fundamental_score"]) -> float | None: ...
        @overload
        def __getitem__(self, key: Literal["market_context_score"]) -> float | None: ...
        @overload
        def __getitem__(self, key: Literal["rationale"]) -> str | None: ...
        @overload
        def __getitem__(self, key: Literal["indicators_used"]) -> list[str]: ...
        @overload
        def __getitem__(self, key: Literal["metadata"]) -> Any: ...
        @overload
        def __getitem__(self, key: Literal["expires_at"]) -> datetime | None: ...

    class SignalSaveQuery(Query):
        """Insert one signal, or replace the one with the same symbol, strategy and time.

        Defined in signals.sql.
        """

        async def __call__(  # type: ignore[override]
            self,
            connection: Connection,
            /,
            *,
            time: datetime | None,
            symbol: str | None,
            strategy: str | None,
            signal_type: str | None,
            strength: str | None,
            confidence: float | None,
            price_target: float | None,
            stop_loss: float | None,
            technical_score: float | None,
            fundamental_score: float | None,
            market_context_score: float | None,
            rationale: str | None,
            indicators_used: Sequence[str] | None,
            metadata: Any,
            expires_at: datetime | None,
        ) -> SignalSaveRow | None: ...

    class SignalUpsertFromStagingQuery(Query):
        """Move the staged signals into the table, replacing signals that exist already. The count
        is the number of signals inserted or replaced.

        Defined in signals.sql.
        """

        async def __call__(self, connection: Connection, /) -> int: ...  # type: ignore[override]

    class SummaryDailyRow(Protocol):
        """A row of ``summary_daily``: an asyncpg Record."""

        @overload
        def __getitem__(self, key: Literal["day"]) -> date: ...
        @overload
        def __getitem__(self, key: Literal["symbol"]) -> str: ...
        @overload
        def __getitem__(self, key: Literal["interval_type"]) -> str: ...
        @overload
        def __getitem__(self, key: Literal["open"]) -> float: ...
        @overload
        def __getitem__(self, key: Literal["high"]) -> float: ...
        @overload
        def __getitem__(self, key: Literal["low"]) -> float: ...
        @overload
        def __getitem__(self, key: Literal["close"]) -> float: ...
        @overload
        def __getitem__(self, key: Literal["volume"]) -> int: ...
        @overload
        def __getitem__(self, key: Literal["bar_count"]) -> int: ...

    class SummaryDailyQuery(Query):
        """Daily OHLCV of some symbols at one bar interval, for the UTC days start_date..end_date
        (both included), by symbol then day. day is the UTC calendar date of the bucket. Planned
        for the window on every call (daily_summaries_between, migration 0018).

        Defined in summaries.sql.
        """

        async def __call__(  # type: ignore[override]
            self,
            connection: Connection,
            /,
            *,
            symbols: Sequence[str] | None,
            interval_type: str | None,
            start_date: date | None,
            end_date: date | None,
        ) -> list[SummaryDailyRow]: ...

    class SummaryHourlyBarsRow(Protocol):
        """A row of ``summary_hourly_bars``: an asyncpg Record."""

        @overload
        def __getitem__(self, key: Literal["hour"]) -> datetime: ...
        @overload
        def __getitem__(self, key: Literal["symbol"]) -> str: ...
        @overload
        def __getitem__(self, key: Literal["open"]) -> float: ...
        @overload
        def __getitem__(self, key: Literal["high"]) -> float: ...
        @overload
        def __getitem__(self, key: Literal["low"]) -> float: ...
        @overload
        def __getitem__(self, key: Literal["close"]) -> float: ...
        @overload
        def __getitem__(self, key: Literal["volume"]) -> int: ...
        @overload
        def __getitem__(self, key: Literal["bar_count"]) -> int: ...

    class SummaryHourlyBarsQuery(Query):
        """Hourly OHLCV rolled up from one-minute bars, for the hours starting in [start, end),
        oldest first (hourly_bars_between, migration 0018).

        Defined in summaries.sql.
        """

        async def __call__(  # type: ignore[override]
            self,
            connection: Connection,
            /,
            *,
            symbol: str | None,
            start: datetime | None,
            end: datetime | None,
        ) -> list[SummaryHourlyBarsRow]: ...

    class SummaryHourlyPortfolioPerformanceRow(Protocol):
        """A row of ``summary_hourly_portfolio_performance``: an asyncpg Record."""

        @overload
        def __getitem__(self, key: Literal["hour"]) -> datetime: ...
        @overload
        def __getitem__(self, key: Literal["portfolio_id"]) -> UUID: ...
        @overload
        def __getitem__(self, key: Literal["avg_total_value"]) -> Decimal: ...
        @overload
        def __getitem__(self, key: Literal["min_total_value"]) -> Decimal: ...
        @overload
        def __getitem__(self, key: Literal["max_total_value"]) -> Decimal: ...
        @overload
        def __getitem__(self, key: Literal["last_total_return"]) -> float | None: ...
        @overload
        def __getitem__(self, key: Literal["volatility"]) -> Decimal | None: ...
        @overload
        def __getitem__(self, key: Literal["snapshot_count"]) -> int: ...

    class SummaryHourlyPortfolioPerformanceQuery(Query):
        """Hourly statistics of one portfolio's snapshots, for the hours starting in [start, end),
        oldest first (hourly_portfolio_performance_between, migration 0018).

        Defined in summaries.sql.
        """

        async def __call__(  # type: ignore[override]
            self,
            connection: Connection,
            /,
            *,
            portfolio_id: UUID | None,
            start: datetime | None,
            end: datetime | None,
        ) -> list[SummaryHourlyPortfolioPerformanceRow]: ...

    class SystemConfigDeleteQuery(Query):
        """Remove a setting.

        Defined in system_config.sql.
        """

        async def __call__(self, connection: Connection, /, *, key: str | None) -> int: ...  # type: ignore[override]

    class SystemConfigGetRow(Protocol):
        """A row of ``system_config_get``: an asyncpg Record."""

        @overload
        def __getitem__(self, key: Literal["key"]) -> str: ...
        @overload
        def __getitem__(self, key: Literal["value"]) -> Any: ...
        @overload
        def __getitem__(self, key: Literal["description"]) -> str | None: ...
        @overload
        def __getitem__(self, key: Literal["is_secret"]) -> bool: ...
        @overload
        def __getitem__(self, key: Literal["updated_by"]) -> UUID | None: ...
        @overload
        def __getitem__(self, key: Literal["updated_at"]) -> datetime: ...

    class SystemConfigGetQuery(Query):
        """One setting by key.

        Defined in system_config.sql.
        """

        async def __call__(  # type: ignore[override]
            self, connection: Connection, /, *, key: str | None
        ) -> SystemConfigGetRow | None: ...

    class SystemConfigListAllRow(Protocol):
        """A row of ``system_config_list_all``: an asyncpg Record."""

        @overload
        def __getitem__(self, key: Literal["key"]) -> str: ...
        @overload
        def __getitem__(self, key: Literal["value"]) -> Any: ...
        @overload
        def __getitem__(self, key: Literal["description"]) -> str | None: ...
        @overload
        def __getitem__(self, key: Literal["is_secret"]) -> bool: ...
        @overload
        def __getitem__(self, key: Literal["updated_by"]) -> UUID | None: ...
        @overload
        def __getitem__(self, key: Literal["updated_at"]) -> datetime: ...

    class SystemConfigListAllQuery(Query):
        """Every setting, by key.

        Defined in system_config.sql.
        """

        async def __call__(self, connection: Connection, /) -> list[SystemConfigListAllRow]: ...  # type: ignore[override]

    class SystemConfigSetRow(Protocol):
        """A row of ``system_config_set``: an asyncpg Record."""

        @overload
        def __getitem__(self, key: Literal["key"]) -> str: ...
        @overload
        def __getitem__(self, key: Literal["value"]) -> Any: ...
        @overload
        def __getitem__(self, key: Literal["description"]) -> str | None: ...
        @overload
        def __getitem__(self, key: Literal["is_secret"]) -> bool: ...
        @overload
        def __getitem__(self, key: Literal["updated_by"]) -> UUID | None: ...
        @overload
        def __getitem__(self, key: Literal["updated_at"]) -> datetime: ...

    class SystemConfigSetQuery(Query):
        """Create or replace a setting; on replacement the trigger moves updated_at. A SQL NULL
        would break the NOT NULL column, so a None value is stored as the JSON null it stands
        for.

        Defined in system_config.sql.
        """

        async def __call__(  # type: ignore[override]
            self,
            connection: Connection,
            /,
            *,
            key: str | None,
            value: Any,
            description: str | None,
            is_secret: bool | None,
            updated_by: UUID | None,
        ) -> SystemConfigSetRow | None: ...

    class TransactionFindByExternalIdRow(Protocol):
        """A row of ``transaction_find_by_external_id``: an asyncpg Record."""

        @overload
        def __getitem__(self, key: Literal["id"]) -> UUID: ...
        @overload
        def __getitem__(self, key: Literal["portfolio_id"]) -> UUID: ...
        @overload
        def __getitem__(self, key: Literal["transaction_type"]) -> str: ...
        @overload
        def __getitem__(self, key: Literal["symbol"]) -> str | None: ...
        @overload
        def __getitem__(self, key: Literal["quantity"]) -> Decimal | None: ...
        @overload
        def __getitem__(self, key: Literal["price"]) -> Decimal | None: ...
        @overload
        def __getitem__(self, key: Literal["amount"]) -> Decimal: ...
        @overload
        def __getitem__(self, key: Literal["fees"]) -> Decimal: ...
        @overload
        def __getitem__(self, key: Literal["taxes"]) -> Decimal: ...
        @overload
        def __getitem__(self, key: Literal["currency"]) -> str: ...
        @overload
        def __getitem__(self, key: Literal["fx_rate"]) -> Decimal: ...
        @overload
        def __getitem__(self, key: Literal["external_id"]) -> str | None: ...
        @overload
        def __getitem__(self, key: Literal["notes"]) -> str | None: ...
        @overload
        def __getitem__(self, key: Literal["executed_at"]) -> datetime: ...
        @overload
        def __getitem__(self, key: Literal["created_at"]) -> datetime: ...

    class TransactionFindByExternalIdQuery(Query):
        """Defined in transactions.sql."""

        async def __call__(  # type: ignore[override]
            self, connection: Connection, /, *, external_id: str | None
        ) -> TransactionFindByExternalIdRow | None: ...

    class TransactionFindByIdRow(Protocol):
        """A row of ``transaction_find_by_id``: an asyncpg Record."""

        @overload
        def __getitem__(self, key: Literal["id"]) -> UUID: ...
        @overload
        def __getitem__(self, key: Literal["portfolio_id"]) -> UUID: ...
        @overload
        def __getitem__(self, key: Literal["transaction_type"]) -> str: ...
        @overload
        def __getitem__(self, key: Literal["symbol"]) -> str | None: ...
        @overload
        def __getitem__(self, key: Literal["quantity"]) -> Decimal | None: ...
        @overload
        def __getitem__(self, key: Literal["price"]) -> Decimal | None: ...
        @overload
        def __getitem__(self, key: Literal["amount"]) -> Decimal: ...
        @overload
        def __getitem__(self, key: Literal["fees"]) -> Decimal: ...
        @overload
        def __getitem__(self, key: Literal["taxes"]) -> Decimal: ...
        @overload
        def __getitem__(self, key: Literal["currency"]) -> str: ...
        @overload
        def __getitem__(self, key: Literal["fx_rate"]) -> Decimal: ...
        @overload
        def __getitem__(self, key: Literal["external_id"]) -> str | None: ...
        @overload
        def __getitem__(self, key: Literal["notes"]) -> str | None: ...
        @overload
        def __getitem__(self, key: Literal["executed_at"]) -> datetime: ...
        @overload
        def __getitem__(self, key: Literal["created_at"]) -> datetime: ...

    class TransactionFindByIdQuery(Query):
        """Defined in transactions.sql."""

        async def __call__(  # type: ignore[override]
            self, connection: Connection, /, *, id: UUID | None
        ) -> TransactionFindByIdRow | None: ...

    class TransactionInsertRow(Protocol):
        """A row of ``transaction_insert``: an asyncpg Record."""

        @overload
        def __getitem__(self, key: Literal["id"]) -> UUID: ...
        @overload
        def __getitem__(self, key: Literal["portfolio_id"]) -> UUID: ...
        @overload
        def __getitem__(self, key: Literal["transaction_type"]) -> str: ...
        @overload
        def __getitem__(self, key: Literal["symbol"]) -> str | None: ...
        @overload
        def __getitem__(self, key: Literal["quantity"]) -> Decimal | None: ...
        @overload
        def __getitem__(self, key: Literal["price"]) -> Decimal | None: ...
        @overload
        def __getitem__(self, key: Literal["amount"]) -> Decimal: ...
        @overload
        def __getitem__(self, key: Literal["fees"]) -> Decimal: ...
        @overload
        def __getitem__(self, key: Literal["taxes"]) -> Decimal: ...
        @overload
        def __getitem__(self, key: Literal["currency"]) -> str: ...
        @overload
        def __getitem__(self, key: Literal["fx_rate"]) -> Decimal: ...
        @overload
        def __getitem__(self, key: Literal["external_id"]) -> str | None: ...
        @overload
        def __getitem__(self, key: Literal["notes"]) -> str | None: ...
        @overload
        def __getitem__(self, key: Literal["executed_at"]) -> datetime: ...
        @overload
        def __getitem__(self, key: Literal["created_at"]) -> datetime: ...

    class TransactionInsertQuery(Query):
        """Defined in transactions.sql."""

        async def __call__(  # type: ignore[override]
            self,
            connection: Connection,
            /,
            *,
            portfolio_id: UUID | None,
            transaction_type: str | None,
            symbol: str | None,
            quantity: Decimal | None,
            price: Decimal | None,
            amount: Decimal | None,
            fees: Decimal | None,
            taxes: Decimal | None,
            currency: str | None,
            fx_rate: Decimal | None,
            external_id: str | None,
            notes: str | None,
            executed_at: datetime | None,
        ) -> TransactionInsertRow | None: ...

    class TransactionListForPortfolioRow(Protocol):
        """A row of ``transaction_list_for_portfolio``: an asyncpg Record."""

        @overload
        def __getitem__(self, key: Literal["id"]) -> UUID: ...
        @overload
        def __getitem__(self, key: Literal["portfolio_id"]) -> UUID: ...
        @overload
        def __getitem__(self, key: Literal["transaction_type"]) -> str: ...
        @overload
        def __getitem__(self, key: Literal["symbol"]) -> str | None: ...
        @overload
        def __getitem__(self, key: Literal["quantity"]) -> Decimal | None: ...
        @overload
        def __getitem__(self, key: Literal["price"]) -> Decimal | None: ...
        @overload
        def __getitem__(self, key: Literal["amount"]) -> Decimal: ...
        @overload
        def __getitem__(self, key: Literal["fees"]) -> Decimal: ...
        @overload
        def __getitem__(self, key: Literal["taxes"]) -> Decimal: ...
        @overload
        def __getitem__(self, key: Literal["currency"]) -> str: ...
        @overload
        def __getitem__(self, key: Literal["fx_rate"]) -> Decimal: ...
        @overload
        def __getitem__(self, key: Literal["external_id"]) -> str | None: ...
        @overload
        def __getitem__(self, key: Literal["notes"]) -> str | None: ...
        @overload
        def __getitem__(self, key: Literal["executed_at"]) -> datetime: ...
        @overload
        def __getitem__(self, key: Literal["created_at"]) -> datetime: ...

    class TransactionListForPortfolioQuery(Query):
        """A page of the ledger, newest first, executed in [start, end) (NULL: unbounded); walks the
        (portfolio_id, executed_at DESC) index.

        Defined in transactions.sql.
        """

        async def __call__(  # type: ignore[override]
            self,
            connection: Connection,
            /,
            *,
            portfolio_id: UUID | None,
            start: datetime | None,
            end: datetime | None,
            limit: int | None,
            offset: int | None,
        ) -> list[TransactionListForPortfolioRow]: ...

    class TransactionListForSymbolRow(Protocol):
        """A row of ``transaction_list_for_symbol``: an asyncpg Record."""

        @overload
        def __getitem__(self, key: Literal["id"]) -> UUID: ...
        @overload
        def __getitem__(self, key: Literal["portfolio_id"]) -> UUID: ...
        @overload
        def __getitem__(self, key: Literal["transaction_type"]) -> str: ...
        @overload
        def __getitem__(self, key: Literal["symbol"]) -> str | None: ...
        @overload
        def __getitem__(self, key: Literal["quantity"]) -> Decimal | None: ...
        @overload
        def __getitem__(self, key: Literal["price"]) -> Decimal | None: ...
        @overload
        def __getitem__(self, key: Literal["amount"]) -> Decimal: ...
        @overload
        def __getitem__(self, key: Literal["fees"]) -> Decimal: ...
        @overload
        def __getitem__(self, key: Literal["taxes"]) -> Decimal: ...
        @overload
        def __getitem__(self, key: Literal["currency"]) -> str: ...
        @overload
        def __getitem__(self, key: Literal["fx_rate"]) -> Decimal: ...
        @overload
        def __getitem__(self, key: Literal["external_id"]) -> str | None: ...
        @overload
        def __getitem__(self, key: Literal["notes"]) -> str | None: ...
        @overload
        def __getitem__(self, key: Literal["executed_at"]) -> datetime: ...
        @overload
        def __getitem__(self, key: Literal["created_at"]) -> datetime: ...

    class TransactionListForSymbolQuery(Query):
        """Every transaction of one portfolio in one symbol, newest first.

        Defined in transactions.sql.
        """

        async def __call__(  # type: ignore[override]
            self, connection: Connection, /, *, portfolio_id: UUID | None, symbol: str | None
        ) -> list[TransactionListForSymbolRow]: ...

    class UserCountQuery(Query):
        """How many users match the filters of user_list.

        Defined in users.sql.
        """

        async def __call__(  # type: ignore[override]
            self, connection: Connection, /, *, role: str | None, active_only: bool | None
        ) -> int: ...

    class UserDeleteQuery(Query):
        """Remove a user; their tokens, portfolios, alerts and notifications go with them (CASCADE).

        Defined in users.sql.
        """

        async def __call__(self, connection: Connection, /, *, id: UUID | None) -> int: ...  # type: ignore[override]

    class UserExistsByEmailQuery(Query):
        """Whether an account uses this e-mail address, whatever its case.

        Defined in users.sql.
        """

        async def __call__(  # type: ignore[override]
            self, connection: Connection, /, *, email: str | None
        ) -> bool | None: ...

    class UserFindByEmailRow(Protocol):
        """A row of ``user_find_by_email``: an asyncpg Record."""

        @overload
        def __getitem__(self, key: Literal["id"]) -> UUID: ...
        @overload
        def __getitem__(self, key: Literal["email"]) -> str: ...
        @overload
        def __getitem__(self, key: Literal["username"]) -> str: ...
        @overload
        def __getitem__(self, key: Literal["password_hash"]) -> str: ...
        @overload
        def __getitem__(self, key: Literal["role"]) -> str: ...
        @overload
        def __getitem__(self, key: Literal["first_name"]) -> str | None: ...
        @overload
        def __getitem__(self, key: Literal["last_name"]) -> str | None: ...
        @overload
        def __getitem__(self, key: Literal["phone"]) -> str | None: ...
        @overload
        def __getitem__(self, key: Literal["date_of_birth"]) -> date | None: ...
        @overload
        def __getitem__(self, key: Literal["country"]) -> str | None: ...
        @overload
        def __getitem__(self, key: Literal["timezone"]) -> str: ...
        @overload
        def __getitem__(self, key: Literal["language"]) -> str: ...
        @overload
        def __getitem__(self, key: Literal["preferred_currency"]) -> str: ...
        @overload
        def __getitem__(self, key: Literal["risk_tolerance"]) -> str: ...
        @overload
        def __getitem__(self, key: Literal["investment_experience"]) -> str: ...
        @overload
        def __getitem__(self, key: Literal["is_active"]) -> bool: ...
        @overload
        def __getitem__(self, key: Literal["is_verified"]) -> bool: ...
        @overload
        def __getitem__(self, key: Literal["two_factor_enabled"]) -> bool: ...
        @overload
        def __getitem__(self, key: Literal["last_login_at"]) -> datetime | None: ...
        @overload
        def __getitem__(self, key: Literal["created_at"]) -> datetime: ...
        @overload
        def __getitem__(self, key: Literal["updated_at"]) -> datetime: ...

    class UserFindByEmailQuery(Query):
        """One user by e-mail address, whatever its case. Written as lower(email) so that the unique
        index users_email_key, which is on lower(email), answers it.

        Defined in users.sql.
        """

        async def __call__(  # type: ignore[override]
            self, connection: Connection, /, *, email: str | None
        ) -> UserFindByEmailRow | None: ...

    class UserFindByIdRow(Protocol):
        """A row of ``user_find_by_id``: an asyncpg Record."""

        @overload
        def __getitem__(self, key: Literal["id"]) -> UUID: ...
        @overload
        def __getitem__(self, key: Literal["email"]) -> str: ...
        @overload
        def __getitem__(self, key: Literal["username"]) -> str: ...
        @overload
        def __getitem__(self, key: Literal["password_hash"]) -> str: ...
        @overload
        def __getitem__(self, key: Literal["role"]) -> str: ...
        @overload
        def __getitem__(self, key: Literal["first_name"]) -> str | None: ...
        @overload
        def __getitem__(self, key: Literal["last_name"]) -> str | None: ...
        @overload
        def __getitem__(self, key: Literal["phone"]) -> str | None: ...
        @overload
        def __getitem__(self, key: Literal["date_of_birth"]) -> date | None: ...
        @overload
        def __getitem__(self, key: Literal["country"]) -> str | None: ...
        @overload
        def __getitem__(self, key: Literal["timezone"]) -> str: ...
        @overload
        def __getitem__(self, key: Literal["language"]) -> str: ...
        @overload
        def __getitem__(self, key: Literal["preferred_currency"]) -> str: ...
        @overload
        def __getitem__(self, key: Literal["risk_tolerance"]) -> str: ...
        @overload
        def __getitem__(self, key: Literal["investment_experience"]) -> str: ...
        @overload
        def __getitem__(self, key: Literal["is_active"]) -> bool: ...
        @overload
        def __getitem__(self, key: Literal["is_verified"]) -> bool: ...
        @overload
        def __getitem__(self, key: Literal["two_factor_enabled"]) -> bool: ...
        @overload
        def __getitem__(self, key: Literal["last_login_at"]) -> datetime | None: ...
        @overload
        def __getitem__(self, key: Literal["created_at"]) -> datetime: ...
        @overload
        def __getitem__(self, key: Literal["updated_at"]) -> datetime: ...

    class UserFindByIdQuery(Query):
        """One user by primary key.

        Defined in users.sql.
        """

        async def __call__(  # type: ignore[override]
            self, connection: Connection, /, *, id: UUID | None
        ) -> UserFindByIdRow | None: ...

    class UserFindByUsernameRow(Protocol):
        """A row of ``user_find_by_username``: an asyncpg Record."""

        @overload
        def __getitem__(self, key: Literal["id"]) -> UUID: ...
        @overload
        def __getitem__(self, key: Literal["email"]) -> str: ...
        @overload
        def __getitem__(self, key: Literal["username"]) -> str: ...
        @overload
        def __getitem__(self, key: Literal["password_hash"]) -> str: ...
        @overload
        def __getitem__(self, key: Literal["role"]) -> str: ...
        @overload
        def __getitem__(self, key: Literal["first_name"]) -> str | None: ...
        @overload
        def __getitem__(self, key: Literal["last_name"]) -> str | None: ...
        @overload
        def __getitem__(self, key: Literal["phone"]) -> str | None: ...
        @overload
        def __getitem__(self, key: Literal["date_of_birth"]) -> date | None: ...
        @overload
        def __getitem__(self, key: Literal["country"]) -> str | None: ...
        @overload
        def __getitem__(self, key: Literal["timezone"]) -> str: ...
        @overload
        def __getitem__(self, key: Literal["language"]) -> str: ...
        @overload
        def __getitem__(self, key: Literal["preferred_currency"]) -> str: ...
        @overload
        def __getitem__(self, key: Literal["risk_tolerance"]) -> str: ...
        @overload
        def __getitem__(self, key: Literal["investment_experience"]) -> str: ...
        @overload
        def __getitem__(self, key: Literal["is_active"]) -> bool: ...
        @overload
        def __getitem__(self, key: Literal["is_verified"]) -> bool: ...
        @overload
        def __getitem__(self, key: Literal["two_factor_enabled"]) -> bool: ...
        @overload
        def __getitem__(self, key: Literal["last_login_at"]) -> datetime | None: ...
        @overload
        def __getitem__(self, key: Literal["created_at"]) -> datetime: ...
        @overload
        def __getitem__(self, key: Literal["updated_at"]) -> datetime: ...

    class UserFindByUsernameQuery(Query):
        """One user by username (exact, case-sensitive: the unique index users_username_key).

        Defined in users.sql.
        """

        async def __call__(  # type: ignore[override]
            self, connection: Connection, /, *, username: str | None
        ) -> UserFindByUsernameRow | None: ...

    class UserInsertRow(Protocol):
        """A row of ``user_insert``: an asyncpg Record."""

        @overload
        def __getitem__(self, key: Literal["id"]) -> UUID: ...
        @overload
        def __getitem__(self, key: Literal["email"]) -> str: ...
        @overload
        def __getitem__(self, key: Literal["username"]) -> str: ...
        @overload
        def __getitem__(self, key: Literal["password_hash"]) -> str: ...
        @overload
        def __getitem__(self, key: Literal["role"]) -> str: ...
        @overload
        def __getitem__(self, key: Literal["first_name"]) -> str | None: ...
        @overload
        def __getitem__(self, key: Literal["last_name"]) -> str | None: ...
        @overload
        def __getitem__(self, key: Literal["phone"]) -> str | None: ...
        @overload
        def __getitem__(self, key: Literal["date_of_birth"]) -> date | None: ...
        @overload
        def __getitem__(self, key: Literal["country"]) -> str | None: ...
        @overload
        def __getitem__(self, key: Literal["timezone"]) -> str: ...
        @overload
        def __getitem__(self, key: Literal["language"]) -> str: ...
        @overload
        def __getitem__(self, key: Literal["preferred_currency"]) -> str: ...
        @overload
        def __getitem__(self, key: Literal["risk_tolerance"]) -> str: ...
        @overload
        def __getitem__(self, key: Literal["investment_experience"]) -> str: ...
        @overload
        def __getitem__(self, key: Literal["is_active"]) -> bool: ...
        @overload
        def __getitem__(self, key: Literal["is_verified"]) -> bool: ...
        @overload
        def __getitem__(self, key: Literal["two_factor_enabled"]) -> bool: ...
        @overload
        def __getitem__(self, key: Literal["last_login_at"]) -> datetime | None: ...
        @overload
        def __getitem__(self, key: Literal["created_at"]) -> datetime: ...
        @overload
        def __getitem__(self, key: Literal["updated_at"]) -> datetime: ...

    class UserInsertQuery(Query):
        """A new user; the server sets id, created_at and updated_at.

        Defined in users.sql.
        """

        async def __call__(  # type: ignore[override]
            self,
            connection: Connection,
            /,
            *,
            email: str | None,
            username: str | None,
            password_hash: str | None,
            role: str | None,
            first_name: str | None,
            last_name: str | None,
            phone: str | None,
            date_of_birth: date | None,
            country: str | None,
            timezone: str | None,
            language: str | None,
            preferred_currency: str | None,
            risk_tolerance: str | None,
            investment_experience: str | None,
            is_active: bool | None,
            is_verified: bool | None,
            two_factor_enabled: bool | None,
            last_login_at: datetime | None,
        ) -> UserInsertRow | None: ...

    class UserListRow(Protocol):
        """A row of ``user_list``: an asyncpg Record."""

        @overload
        def __getitem__(self, key: Literal["id"]) -> UUID: ...
        @overload
        def __getitem__(self, key: Literal["email"]) -> str: ...
        @overload
        def __getitem__(self, key: Literal["username"]) -> str: ...
        @overload
        def __getitem__(self, key: Literal["password_hash"]) -> str: ...
        @overload
        def __getitem__(self, key: Literal["role"]) -> str: ...
        @overload
        def __getitem__(self, key: Literal["first_name"]) -> str | None: ...
        @overload
        def __getitem__(self, key: Literal["last_name"]) -> str | None: ...
        @overload
        def __getitem__(self, key: Literal["phone"]) -> str | None: ...
        @overload
        def __getitem__(self, key: Literal["date_of_birth"]) -> date | None: ...
        @overload
        def __getitem__(self, key: Literal["country"]) -> str | None: ...
        @overload
        def __getitem__(self, key: Literal["timezone"]) -> str: ...
        @overload
        def __getitem__(self, key: Literal["language"]) -> str: ...
        @overload
        def __getitem__(self, key: Literal["preferred_currency"]) -> str: ...
        @overload
        def __getitem__(self, key: Literal["risk_tolerance"]) -> str: ...
        @overload
        def __getitem__(self, key: Literal["investment_experience"]) -> str: ...
        @overload
        def __getitem__(self, key: Literal["is_active"]) -> bool: ...
        @overload
        def __getitem__(self, key: Literal["is_verified"]) -> bool: ...
        @overload
        def __getitem__(self, key: Literal["two_factor_enabled"]) -> bool: ...
        @overload
        def __getitem__(self, key: Literal["last_login_at"]) -> datetime | None: ...
        @overload
        def __getitem__(self, key: Literal["created_at"]) -> datetime: ...
        @overload
        def __getitem__(self, key: Literal["updated_at"]) -> datetime: ...

    class UserListQuery(Query):
        """One page of users, oldest account first. The id breaks ties between accounts created in
        the same transaction, so pages never overlap or skip a user. A NULL role means every
        role.

        Defined in users.sql.
        """

        async def __call__(  # type: ignore[override]
            self,
            connection: Connection,
            /,
            *,
            role: str | None,
            active_only: bool | None,
            limit: int | None,
            offset: int | None,
        ) -> list[UserListRow]: ...

    class UserRecordLoginQuery(Query):
        """Remember when the user last logged in.

        Defined in users.sql.
        """

        async def __call__(  # type: ignore[override]
            self, connection: Connection, /, *, logged_in_at: datetime | None, id: UUID | None
        ) -> int: ...

    class UserUpdateRow(Protocol):
        """A row of ``user_update``: an asyncpg Record."""

        @overload
        def __getitem__(self, key: Literal["id"]) -> UUID: ...
        @overload
        def __getitem__(self, key: Literal["email"]) -> str: ...
        @overload
        def __getitem__(self, key: Literal["username"]) -> str: ...
        @overload
        def __getitem__(self, key: Literal["password_hash"]) -> str: ...
        @overload
        def __getitem__(self, key: Literal["role"]) -> str: ...
        @overload
        def __getitem__(self, key: Literal["first_name"]) -> str | None: ...
        @overload
        def __getitem__(self, key: Literal["last_name"]) -> str | None: ...
        @overload
        def __getitem__(self, key: Literal["phone"]) -> str | None: ...
        @overload
        def __getitem__(self, key: Literal["date_of_birth"]) -> date | None: ...
        @overload
        def __getitem__(self, key: Literal["country"]) -> str | None: ...
        @overload
        def __getitem__(self, key: Literal["timezone"]) -> str: ...
        @overload
        def __getitem__(self, key: Literal["language"]) -> str: ...
        @overload
        def __getitem__(self, key: Literal["preferred_currency"]) -> str: ...
        @overload
        def __getitem__(self, key: Literal["risk_tolerance"]) -> str: ...
        @overload
        def __getitem__(self, key: Literal["investment_experience"]) -> str: ...
        @overload
        def __getitem__(self, key: Literal["is_active"]) -> bool: ...
        @overload
        def __getitem__(self, key: Literal["is_verified"]) -> bool: ...
        @overload
        def __getitem__(self, key: Literal["two_factor_enabled"]) -> bool: ...
        @overload
        def __getitem__(self, key: Literal["last_login_at"]) -> datetime | None: ...
        @overload
        def __getitem__(self, key: Literal["created_at"]) -> datetime: ...
        @overload
        def __getitem__(self, key: Literal["updated_at"]) -> datetime: ...

    class UserUpdateQuery(Query):
        """Replace every column a client owns; created_at stays, the trigger moves updated_at. No
        row comes back when the user does not exist.

        Defined in users.sql.
        """

        async def __call__(  # type: ignore[override]
            self,
            connection: Connection,
            /,
            *,
            email: str | None,
            username: str | None,
            password_hash: str | None,
            role: str | None,
            first_name: str | None,
            last_name: str | None,
            phone: str | None,
            date_of_birth: date | None,
            country: str | None,
            timezone: str | None,
            language: str | None,
            preferred_currency: str | None,
            risk_tolerance: str | None,
            investment_experience: str | None,
            is_active: bool | None,
            is_verified: bool | None,
            two_factor_enabled: bool | None,
            last_login_at: datetime | None,
            id: UUID | None,
        ) -> UserUpdateRow | None: ...

    class Queries(Protocol):
        """Every query of ``sql/``, typed: get it from :func:`typed_library`."""

        alert_delete: AlertDeleteQuery
        alert_find_by_id: AlertFindByIdQuery
        alert_insert: AlertInsertQuery
        alert_list_active_for_symbol: AlertListActiveForSymbolQuery
        alert_list_for_user: AlertListForUserQuery
        alert_mark_triggered: AlertMarkTriggeredQuery
        alert_update: AlertUpdateQuery
        audit_list_by_app_user: AuditListByAppUserQuery
        audit_list_for_row: AuditListForRowQuery
        audit_list_recent: AuditListRecentQuery
        find_latest_prices: FindLatestPricesQuery
        fundamentals_find_latest: FundamentalsFindLatestQuery
        fundamentals_list_for_instrument: FundamentalsListForInstrumentQuery
        fundamentals_upsert: FundamentalsUpsertQuery
        indicator_copy: IndicatorCopyQuery
        indicator_copy_staging: IndicatorCopyStagingQuery
        indicator_create_staging: IndicatorCreateStagingQuery
        indicator_empty_staging: IndicatorEmptyStagingQuery
        indicator_find_latest: IndicatorFindLatestQuery
        indicator_find_range: IndicatorFindRangeQuery
        indicator_insert_from_staging: IndicatorInsertFromStagingQuery
        indicator_save: IndicatorSaveQuery
        indicator_upsert_from_staging: IndicatorUpsertFromStagingQuery
        instrument_delete: InstrumentDeleteQuery
        instrument_find_by_id: InstrumentFindByIdQuery
        instrument_find_by_symbol: InstrumentFindBySymbolQuery
        instrument_insert: InstrumentInsertQuery
        instrument_list: InstrumentListQuery
        instrument_search_by_name: InstrumentSearchByNameQuery
        instrument_update: InstrumentUpdateQuery
        maintenance_aggregates: MaintenanceAggregatesQuery
        maintenance_chunks_to_compress: MaintenanceChunksToCompressQuery
        maintenance_compress_chunk: MaintenanceCompressChunkQuery
        maintenance_delete_market_data_before: MaintenanceDeleteMarketDataBeforeQuery
        maintenance_delete_portfolio_performance_before: (
            MaintenanceDeletePortfolioPerformanceBeforeQuery
        )
        maintenance_delete_signals_before: MaintenanceDeleteSignalsBeforeQuery
        maintenance_delete_technical_indicators_before: (
            MaintenanceDeleteTechnicalIndicatorsBeforeQuery
        )
        maintenance_drop_chunks: MaintenanceDropChunksQuery
        maintenance_forget_latest_bars_before: MaintenanceForgetLatestBarsBeforeQuery
        maintenance_hypertables: MaintenanceHypertablesQuery
        maintenance_jobs: MaintenanceJobsQuery
        maintenance_lift_decompression_limit: MaintenanceLiftDecompressionLimitQuery
        maintenance_refresh_aggregate: MaintenanceRefreshAggregateQuery
        maintenance_retention_cutoffs: MaintenanceRetentionCutoffsQuery
        maintenance_table_sizes: MaintenanceTableSizesQuery
        maintenance_timescaledb_version: MaintenanceTimescaledbVersionQuery
        market_data_copy: MarketDataCopyQuery
        market_data_copy_checked_staging: MarketDataCopyCheckedStagingQuery
        market_data_copy_staging: MarketDataCopyStagingQuery
        market_data_count: MarketDataCountQuery
        market_data_create_checked_staging: MarketDataCreateCheckedStagingQuery
        market_data_create_staging: MarketDataCreateStagingQuery
        market_data_delete_range: MarketDataDeleteRangeQuery
        market_data_empty_staging: MarketDataEmptyStagingQuery
        market_data_find_gaps: MarketDataFindGapsQuery
        market_data_find_latest: MarketDataFindLatestQuery
        market_data_find_range: MarketDataFindRangeQuery
        market_data_insert_from_staging: MarketDataInsertFromStagingQuery
        market_data_latest_after_delete: MarketDataLatestAfterDeleteQuery
        market_data_latest_defer: MarketDataLatestDeferQuery
        market_data_latest_merge: MarketDataLatestMergeQuery
        market_data_save: MarketDataSaveQuery
        market_data_stored: MarketDataStoredQuery
        market_data_stream_range: MarketDataStreamRangeQuery
        market_data_summary: MarketDataSummaryQuery
        market_data_upsert_from_staging: MarketDataUpsertFromStagingQuery
        notification_count_unread: NotificationCountUnreadQuery
        notification_delete: NotificationDeleteQuery
        notification_find_by_id: NotificationFindByIdQuery
        notification_insert: NotificationInsertQuery
        notification_list_for_user: NotificationListForUserQuery
        notification_list_unread_for_user: NotificationListUnreadForUserQuery
        notification_mark_all_read: NotificationMarkAllReadQuery
        notification_mark_read: NotificationMarkReadQuery
        performance_copy: PerformanceCopyQuery
        performance_copy_staging: PerformanceCopyStagingQuery
        performance_create_staging: PerformanceCreateStagingQuery
        performance_empty_staging: PerformanceEmptyStagingQuery
        performance_find_latest: PerformanceFindLatestQuery
        performance_find_range: PerformanceFindRangeQuery
        performance_insert_from_staging: PerformanceInsertFromStagingQuery
        performance_save: PerformanceSaveQuery
        performance_upsert_from_staging: PerformanceUpsertFromStagingQuery
        portfolio_delete: PortfolioDeleteQuery
        portfolio_exists: PortfolioExistsQuery
        portfolio_find_by_id: PortfolioFindByIdQuery
        portfolio_find_by_name: PortfolioFindByNameQuery
        portfolio_insert: PortfolioInsertQuery
        portfolio_list_for_user: PortfolioListForUserQuery
        portfolio_positions: PortfolioPositionsQuery
        portfolio_sync_positions: PortfolioSyncPositionsQuery
        portfolio_update: PortfolioUpdateQuery
        portfolio_valuation: PortfolioValuationQuery
        position_delete: PositionDeleteQuery
        position_find: PositionFindQuery
        position_list_for_portfolio: PositionListForPortfolioQuery
        position_upsert: PositionUpsertQuery
        refresh_token_count_active_for_user: RefreshTokenCountActiveForUserQuery
        refresh_token_delete: RefreshTokenDeleteQuery
        refresh_token_find_active_for_user: RefreshTokenFindActiveForUserQuery
        refresh_token_find_by_id: RefreshTokenFindByIdQuery
        refresh_token_find_by_token_hash: RefreshTokenFindByTokenHashQuery
        refresh_token_insert: RefreshTokenInsertQuery
        refresh_token_purge_expired: RefreshTokenPurgeExpiredQuery
        refresh_token_revoke: RefreshTokenRevokeQuery
        refresh_token_revoke_all_for_user: RefreshTokenRevokeAllForUserQuery
        refresh_token_touch: RefreshTokenTouchQuery
        refresh_token_update: RefreshTokenUpdateQuery
        signal_copy: SignalCopyQuery
        signal_copy_staging: SignalCopyStagingQuery
        signal_create_staging: SignalCreateStagingQuery
        signal_empty_staging: SignalEmptyStagingQuery
        signal_find_active: SignalFindActiveQuery
        signal_find_range: SignalFindRangeQuery
        signal_find_range_for_strategy: SignalFindRangeForStrategyQuery
        signal_insert_from_staging: SignalInsertFromStagingQuery
        signal_save: SignalSaveQuery
        signal_upsert_from_staging: SignalUpsertFromStagingQuery
        summary_daily: SummaryDailyQuery
        summary_hourly_bars: SummaryHourlyBarsQuery
        summary_hourly_portfolio_performance: SummaryHourlyPortfolioPerformanceQuery
        system_config_delete: SystemConfigDeleteQuery
        system_config_get: SystemConfigGetQuery
        system_config_list_all: SystemConfigListAllQuery
        system_config_set: SystemConfigSetQuery
        transaction_find_by_external_id: TransactionFindByExternalIdQuery
        transaction_find_by_id: TransactionFindByIdQuery
        transaction_insert: TransactionInsertQuery
        transaction_list_for_portfolio: TransactionListForPortfolioQuery
        transaction_list_for_symbol: TransactionListForSymbolQuery
        user_count: UserCountQuery
        user_delete: UserDeleteQuery
        user_exists_by_email: UserExistsByEmailQuery
        user_find_by_email: UserFindByEmailQuery
        user_find_by_id: UserFindByIdQuery
        user_find_by_username: UserFindByUsernameQuery
        user_insert: UserInsertQuery
        user_list: UserListQuery
        user_record_login: UserRecordLoginQuery
        user_update: UserUpdateQuery


def typed_library(library: QueryLibrary | None = None) -> Queries:
    """The query library (the library's own by default) seen through its static types."""
    return cast("Queries", default_library() if library is None else library)
