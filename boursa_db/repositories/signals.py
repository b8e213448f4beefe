"""Trading signals: upserts, binary COPY, a symbol's signals over time, the active ones."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from boursa_db.domain.market import (
    Signal,
    SignalType,
    require_aware,
    require_limit,
    require_signal_type,
    require_strategy,
    require_symbol,
    require_time_range,
)
from boursa_db.queries import QueryLibrary
from boursa_db.repositories.arguments import check_instance
from boursa_db.repositories.base import Repository, Session
from boursa_db.repositories.copying import ConflictMode, CopyTarget, copy_items

__all__ = ["SignalRepository"]


class SignalRepository(Repository):
    """The ``signals`` table: one signal per symbol, strategy and time."""

    def __init__(self, session: Session, queries: QueryLibrary | None = None) -> None:
        super().__init__(session, queries)
        self._copy_target = CopyTarget(
            item_type=Signal,
            to_record=_signal_record,
            key=_signal_key,
            describe=_describe_signal,
            copy_into_table=self._queries.signal_copy,
            create_staging=self._queries.signal_create_staging,
            copy_into_staging=self._queries.signal_copy_staging,
            insert_from_staging=self._queries.signal_insert_from_staging,
            upsert_from_staging=self._queries.signal_upsert_from_staging,
            empty_staging=self._queries.signal_empty_staging,
        )

    async def save(self, signal: Signal) -> Signal:
        """Insert the signal, or replace the stored one of the same symbol, strategy and time."""
        check_instance("signal", signal, Signal)
        async with self._session.connection() as connection:
            record = await self._queries.signal_save(connection, **_signal_arguments(signal))
        return _signal_from_record(record)

    async def copy(
        self, signals: Iterable[Signal], on_conflict: ConflictMode = ConflictMode.FAIL
    ) -> int:
        """Write signals with binary COPY, all or nothing; return how many were written.

        See :mod:`boursa_db.repositories.copying` for the conflict modes.
        """
        return await copy_items(self._session, self._copy_target, signals, on_conflict)

    async def find_range(
        self, symbol: str, start: datetime, end: datetime, strategy: str | None = None
    ) -> list[Signal]:
        """A symbol's signals in ``[start, end)``, oldest first; of one strategy if given."""
        checked = require_symbol(symbol)
        start, end = require_time_range(start, end)
        async with self._session.connection() as connection:
            if strategy is None:
                records = await self._queries.signal_find_range(
                    connection, symbol=checked, start=start, end=end
                )
            else:
                records = await self._queries.signal_find_range_for_strategy(
                    connection,
                    symbol=checked,
                    strategy=require_strategy(strategy),
                    start=start,
                    end=end,
                )
        return [_signal_from_record(record) for record in records]

    async def find_active(
        self, now: datetime, signal_type: SignalType | str | None = None, limit: int = 100
    ) -> list[Signal]:
        """Signals issued at or before ``now`` and not expired at ``now``, newest first.

        A signal without ``expires_at`` never expires. Each signal type is read newest first
        from the index ``signals_type_time_idx``, so only ``limit`` rows per type are visited
        beyond the expired ones.
        """
        moment = require_aware(now, "now")
        count = require_limit(limit)
        types = list(SignalType) if signal_type is None else [require_signal_type(signal_type)]
        records = await self._session.read(
            self._queries.signal_find_active,
            signal_types=[member.value for member in types],
            now=moment,
            limit=count,
        )
        return [_signal_from_record(record) for record in records]


def _signal_from_record(record: Any) -> Signal:
    return Signal(
        time=record["time"],
        symbol=record["symbol"],
        strategy=record["strategy"],
        signal_type=record["signal_type"],
        strength=record["strength"],
        confidence=record["confidence"],
        price_target=record["price_target"],
        stop_loss=record["stop_loss"],
        technical_score=record["technical_score"],
        fundamental_score=record["fundamental_score"],
        market_context_score=record["market_context_score"],
        rationale=record["rationale"],
        indicators_used=record["indicators_used"],
        metadata=record["metadata"],
        expires_at=record["expires_at"],
    )


_COLUMNS = (
    "time",
    "symbol",
    "strategy",
    "signal_type",
    "strength",
    "confidence",
    "price_target",
    "stop_loss",
    "technical_score",
    "fundamental_score",
    "market_context_score",
    "rationale",
    "indicators_used",
    "metadata",
    "expires_at",
)


def _signal_arguments(signal: Signal) -> dict[str, Any]:
    return dict(zip(_COLUMNS, _signal_record(signal), strict=True))


def _signal_record(signal: Signal) -> tuple[Any, ...]:
    return (
        signal.time,
        signal.symbol,
        signal.strategy,
        signal.signal_type.value,
        signal.strength.value,
        signal.confidence,
        signal.price_target,
        signal.stop_loss,
        signal.technical_score,
        signal.fundamental_score,
        signal.market_context_score,
        signal.rationale,
        signal.indicators_used,
        signal.metadata,
        signal.expires_at,
    )


def _signal_key(signal: Signal) -> tuple[str, str, datetime]:
    return (signal.symbol, signal.strategy, signal.time)


def _describe_signal(signal: Signal) -> str:
    return f"{signal.symbol} {signal.strategy} at {signal.time.isoformat()}"
