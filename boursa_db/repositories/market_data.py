"""OHLCV bars: latest prices, ranges, gaps, summaries, upserts and binary COPY.

A latest bar is one probe of ``market_data_latest`` (migration 0017), which every write keeps
(:mod:`boursa_db.repositories.latest_bars`); a range is one forward scan of the primary key
``(symbol, interval_type, time)``, planned for its bounds on every call on TimescaleDB
(migration 0018), so that only the chunks of the range are visited.
"""

from __future__ import annotations

import contextlib
import functools
import operator
from collections.abc import AsyncIterator, Iterable, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

from boursa_db.domain.intervals import Interval
from boursa_db.domain.market import (
    BarColumns,
    Gap,
    MarketBar,
    MarketSummary,
    require_aware,
    require_interval,
    require_limit,
    require_symbol,
    require_symbols,
    require_time_range,
)
from boursa_db.errors import ValidationError
from boursa_db.queries import QueryLibrary
from boursa_db.repositories.arguments import check_instance
from boursa_db.repositories.bar_rows import bars_from_records, columns_from_records
from boursa_db.repositories.base import Repository, Session
from boursa_db.repositories.copying import ConflictMode, CopyTarget, KeptTable, copy_items
from boursa_db.repositories.latest_bars import merge_newest_bars
from boursa_db.repositories.parallel_copy import (
    by_symbol,
    copy_with_workers,
    describe_symbols,
    require_workers,
)
from boursa_db.repositories.streaming import DEFAULT_BATCH_SIZE, stream_query

if TYPE_CHECKING:
    from boursa_db.connection import Connection

__all__ = ["MarketDataRepository"]

MAX_GAPS = 10_000


class MarketDataRepository(Repository):
    """The ``market_data`` table: one :class:`MarketBar` per symbol, interval and time."""

    def __init__(self, session: Session, queries: QueryLibrary | None = None) -> None:
        super().__init__(session, queries)
        self._copy_target = CopyTarget(
            item_type=MarketBar,
            to_record=_bar_record,
            key=_bar_key,
            describe=_describe_bar,
            copy_into_table=self._queries.market_data_copy,
            create_staging=self._queries.market_data_create_staging,
            copy_into_staging=self._queries.market_data_copy_staging,
            insert_from_staging=self._queries.market_data_insert_from_staging,
            upsert_from_staging=self._queries.market_data_upsert_from_staging,
            empty_staging=self._queries.market_data_empty_staging,
            create_checked_staging=self._queries.market_data_create_checked_staging,
            copy_into_checked_staging=self._queries.market_data_copy_checked_staging,
            stored=self._stored,
            kept=KeptTable(
                defer=self._queries.market_data_latest_defer,
                merge=functools.partial(merge_newest_bars, self._queries),
            ),
        )

    async def find_latest_prices(
        self, symbols: Sequence[str], interval: Interval | str = Interval.ONE_MINUTE
    ) -> dict[str, MarketBar]:
        """The newest bar of each symbol, in one round trip; symbols without bars are absent::

        latest = await uow.market_data.find_latest_prices(["AAPL", "BRK-B"])
        latest["AAPL"].close
        """
        checked = require_symbols(symbols)
        interval_type = require_interval(interval)
        if not checked:
            return {}
        records = await self._session.read(
            self._queries.find_latest_prices, symbols=checked, interval_type=interval_type.value
        )
        return {bar.symbol: bar for bar in bars_from_records(records)}

    async def find_latest(
        self, symbol: str, interval: Interval | str = Interval.ONE_MINUTE
    ) -> MarketBar | None:
        """The newest bar of one symbol, or None when it has none."""
        checked = require_symbol(symbol)
        interval_type = require_interval(interval)
        record = await self._session.read(
            self._queries.market_data_find_latest, symbol=checked, interval_type=interval_type.value
        )
        return None if record is None else _bar_from_record(record)

    async def find_by_symbol_and_timerange(
        self,
        symbol: str,
        start: datetime,
        end: datetime,
        interval: Interval | str = Interval.ONE_MINUTE,
    ) -> list[MarketBar]:
        """The bars of ``[start, end)``, oldest first.

        For long series that feed computations rather than objects, :meth:`find_series_columns`
        returns the same bars as columns, several times cheaper.
        """
        _, _, records = await self._fetch_range(symbol, start, end, interval)
        return bars_from_records(records)

    async def find_series_columns(
        self,
        symbol: str,
        start: datetime,
        end: datetime,
        interval: Interval | str = Interval.ONE_MINUTE,
    ) -> BarColumns:
        """The bars of ``[start, end)`` as one :class:`BarColumns`, oldest first::

            series = await uow.market_data.find_series_columns("AAPL", start, end)
            closes = numpy.array(series.close)

        The same bars as :meth:`find_by_symbol_and_timerange`, without an object per bar.
        """
        checked, interval_type, records = await self._fetch_range(symbol, start, end, interval)
        return columns_from_records(checked, interval_type, records)

    def stream_range(
        self,
        symbol: str,
        start: datetime,
        end: datetime,
        interval: Interval | str = Interval.ONE_MINUTE,
        *,
        batch_size: int = DEFAULT_BATCH_SIZE,
    ) -> contextlib.AbstractAsyncContextManager[AsyncIterator[list[MarketBar]]]:
        """The bars of :meth:`find_by_symbol_and_timerange`, oldest first, in lists of at most
        ``batch_size`` (1 to 50,000) read through a server-side cursor, one list at a time::

            async with ctx.market_data.stream_range("AAPL", start, end) as batches:
                async for bars in batches:
                    ...

        Memory holds one batch, however long the series. The cursor's transaction (the unit of
        work's, or one of its own on a pooled connection) stays open until the block ends; see
        :mod:`boursa_db.repositories.streaming`.
        """
        _, _, arguments = _range_arguments(symbol, start, end, interval)
        return stream_query(
            self._session,
            self._queries.market_data_stream_range,
            arguments,
            batch_size=batch_size,
            to_batch=bars_from_records,
        )

    def stream_series_columns(
        self,
        symbol: str,
        start: datetime,
        end: datetime,
        interval: Interval | str = Interval.ONE_MINUTE,
        *,
        batch_size: int = DEFAULT_BATCH_SIZE,
    ) -> contextlib.AbstractAsyncContextManager[AsyncIterator[BarColumns]]:
        """:meth:`stream_range` with each batch as one :class:`BarColumns`."""
        checked, interval_type, arguments = _range_arguments(symbol, start, end, interval)
        return stream_query(
            self._session,
            self._queries.market_data_stream_range,
            arguments,
            batch_size=batch_size,
            to_batch=functools.partial(columns_from_records, checked, interval_type),
        )

    async def _fetch_range(
        self, symbol: str, start: datetime, end: datetime, interval: Interval | str
    ) -> tuple[str, Interval, list[Any]]:
        """The checked symbol and interval, and the records of ``[start, end)``."""
        checked, interval_type, arguments = _range_arguments(symbol, start, end, interval)
        records = await self._session.read(self._queries.market_data_find_range, **arguments)
        return checked, interval_type, records

    async def find_gaps(
        self,
        symbol: str,
        interval: Interval | str,
        start: datetime,
        end: datetime,
        *,
        max_results: int = 1000,
    ) -> list[Gap]:
        """Holes in the series within ``[start, end)``, oldest first, at most ``max_results``.

        A gap is two consecutive bars further apart than one interval, found in SQL with
        ``lag(time) OVER (ORDER BY time)``. Every hole counts: nights, weekends and holidays of
        a market that closes appear as gaps like a feed outage does. Missing bars before the
        first bar or after the last bar of the range are not reported. Calendar months have
        no fixed width, so ``1mo`` is refused.
        """
        checked = require_symbol(symbol)
        interval_type = require_interval(interval)
        start, end = require_time_range(start, end)
        limit = require_limit(max_results, maximum=MAX_GAPS, name="max_results")
        step = interval_type.duration
        if step is None:
            raise ValidationError(
                f"interval: {interval_type.value!r} has no fixed width; gaps need one",
                field="interval",
            )
        records = await self._session.read(
            self._queries.market_data_find_gaps,
            symbol=checked,
            interval_type=interval_type.value,
            start=start,
            end=end,
            step=step,
            max_results=limit,
        )
        return [
            Gap(
                symbol=checked,
                interval_type=interval_type,
                gap_start=record["gap_start"],
                gap_end=record["gap_end"],
                missing_bars=record["missing_bars"],
            )
            for record in records
        ]

    async def market_summary(
        self,
        symbols: Sequence[str],
        now: datetime,
        interval: Interval | str = Interval.ONE_MINUTE,
    ) -> list[MarketSummary]:
        """Per symbol, by symbol: the newest bar of the 7 days up to ``now`` and statistics
        over the 30 days up to ``now`` (both windows exclude their start and include ``now``).

        One round trip. Symbols without a bar in the last 7 days are left out.
        """
        checked = require_symbols(symbols)
        moment = require_aware(now, "now")
        interval_type = require_interval(interval)
        if not checked:
            return []
        records = await self._session.read(
            self._queries.market_data_summary,
            symbols=checked,
            interval_type=interval_type.value,
            now=moment,
        )
        return [_summary_from_record(record) for record in records]

    async def save(self, bar: MarketBar) -> MarketBar:
        """Insert the bar, or replace the stored bar of the same symbol, interval and time."""
        check_instance("bar", bar, MarketBar)
        async with self._session.connection() as connection:
            record = await self._queries.market_data_save(connection, **_bar_arguments(bar))
        return _bar_from_record(record)

    async def copy(
        self,
        bars: Iterable[MarketBar],
        on_conflict: ConflictMode = ConflictMode.FAIL,
        *,
        workers: int = 1,
    ) -> int:
        """Write bars with binary COPY, all or nothing; return how many were written.

        ``on_conflict`` says what happens to a bar that exists already: ``FAIL`` refuses the
        batch (:class:`~boursa_db.errors.Duplicate`), ``SKIP`` keeps the stored bar, ``UPDATE``
        replaces it (a stored bar equal to the new one is left as it is). See
        :mod:`boursa_db.repositories.copying`.

        ``workers`` > 1 (outside a Unit of Work only: ``ctx.market_data``) splits the batch by
        symbol over that many pooled connections, each share written and committed in
        a transaction of its own; see :mod:`boursa_db.repositories.parallel_copy`. Inside a Unit
        of Work, whose one connection writes one stream, it raises :class:`UsageError`.
        """
        if require_workers(workers) == 1:
            return await copy_items(self._session, self._copy_target, bars, on_conflict)
        return await copy_with_workers(
            self._session,
            self._copy_target,
            bars,
            on_conflict,
            workers=workers,
            share_keys=by_symbol,
            describe_share=describe_symbols,
        )

    async def _stored(self, connection: Connection, bar: MarketBar) -> bool:
        return await self._queries.market_data_stored(
            connection, symbol=bar.symbol, interval_type=bar.interval_type.value, time=bar.time
        )

    async def delete_range(
        self, symbol: str, interval: Interval | str, start: datetime, end: datetime
    ) -> int:
        """Delete the bars of ``[start, end)``; return how many were deleted.

        The latest bar of the key is brought up to date once, after the delete, instead of by a
        trigger call per deleted bar.
        """
        checked = require_symbol(symbol)
        interval_type = require_interval(interval)
        start, end = require_time_range(start, end)
        async with self._session.connection() as connection:
            await self._queries.market_data_latest_defer(connection)
            deleted = await self._queries.market_data_delete_range(
                connection, symbol=checked, interval_type=interval_type.value, start=start, end=end
            )
            await self._queries.market_data_latest_after_delete(
                connection, symbol=checked, interval_type=interval_type.value, start=start, end=end
            )
        return int(deleted)

    async def count(self, symbol: str, interval: Interval | str = Interval.ONE_MINUTE) -> int:
        """How many bars the symbol has at the interval."""
        checked = require_symbol(symbol)
        interval_type = require_interval(interval)
        total = await self._session.read(
            self._queries.market_data_count, symbol=checked, interval_type=interval_type.value
        )
        return int(total)


def _range_arguments(
    symbol: str, start: datetime, end: datetime, interval: Interval | str
) -> tuple[str, Interval, dict[str, Any]]:
    """The checked symbol and interval, and the arguments of ``market_data_find_range``."""
    checked = require_symbol(symbol)
    start, end = require_time_range(start, end)
    interval_type = require_interval(interval)
    arguments = {
        "symbol": checked,
        "interval_type": interval_type.value,
        "start": start,
        "end": end,
    }
    return checked, interval_type, arguments


def _bar_from_record(record: Any) -> MarketBar:
    """A bar from one row holding the columns of ``market_data``."""
    return bars_from_records([record])[0]


def _bar_arguments(bar: MarketBar) -> dict[str, Any]:
    return {
        "time": bar.time,
        "symbol": bar.symbol,
        "interval_type": bar.interval_type.value,
        "open": bar.open,
        "high": bar.high,
        "low": bar.low,
        "close": bar.close,
        "adjusted_close": bar.adjusted_close,
        "volume": bar.volume,
        "source": bar.source,
    }


# The COPY columns of market_data_copy, read in C. interval_type is an Interval, a str enum:
# asyncpg writes it as its value ('1m').
_bar_record = operator.attrgetter(
    "time",
    "symbol",
    "interval_type",
    "open",
    "high",
    "low",
    "close",
    "adjusted_close",
    "volume",
    "source",
)
# The key of a bar, its interval as the plain str value: a tuple holding the enum member would
# hash through Enum.__hash__, a Python call per bar.
_bar_key = operator.attrgetter("symbol", "interval_type._value_", "time")


def _describe_bar(bar: MarketBar) -> str:
    return f"{bar.symbol} {bar.interval_type.value} at {bar.time.isoformat()}"


def _summary_from_record(record: Any) -> MarketSummary:
    latest = _bar_from_record(record)
    first_close: float = record["first_close"]
    change = latest.close - first_close
    return MarketSummary(
        symbol=latest.symbol,
        latest=latest,
        average_close_30d=record["average_close"],
        low_30d=record["low_30d"],
        high_30d=record["high_30d"],
        volume_30d=record["volume_30d"],
        bar_count_30d=record["bar_count"],
        change_30d=change,
        change_percent_30d=change / first_close * 100,
    )
