"""Technical indicator values: upserts, binary COPY, ranges and the latest value of each."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from boursa_db.domain.intervals import Interval
from boursa_db.domain.market import (
    TechnicalIndicator,
    require_indicator_name,
    require_interval,
    require_symbol,
    require_time_range,
)
from boursa_db.errors import ValidationError
from boursa_db.queries import QueryLibrary
from boursa_db.repositories.arguments import check_instance
from boursa_db.repositories.base import Repository, Session
from boursa_db.repositories.copying import ConflictMode, CopyTarget, copy_items

__all__ = ["IndicatorRepository"]


class IndicatorRepository(Repository):
    """The ``technical_indicators`` table: one value per symbol, interval, indicator and time."""

    def __init__(self, session: Session, queries: QueryLibrary | None = None) -> None:
        super().__init__(session, queries)
        self._copy_target = CopyTarget(
            item_type=TechnicalIndicator,
            to_record=_indicator_record,
            key=_indicator_key,
            describe=_describe_indicator,
            copy_into_table=self._queries.indicator_copy,
            create_staging=self._queries.indicator_create_staging,
            copy_into_staging=self._queries.indicator_copy_staging,
            insert_from_staging=self._queries.indicator_insert_from_staging,
            upsert_from_staging=self._queries.indicator_upsert_from_staging,
            empty_staging=self._queries.indicator_empty_staging,
        )

    async def save(self, indicator: TechnicalIndicator) -> TechnicalIndicator:
        """Insert the value, or replace the stored one of the same symbol, interval, name, time."""
        check_instance("indicator", indicator, TechnicalIndicator)
        async with self._session.connection() as connection:
            record = await self._queries.indicator_save(
                connection, **_indicator_arguments(indicator)
            )
        return _indicator_from_record(record)

    async def copy(
        self,
        indicators: Iterable[TechnicalIndicator],
        on_conflict: ConflictMode = ConflictMode.FAIL,
    ) -> int:
        """Write values with binary COPY, all or nothing; return how many were written.

        See :mod:`boursa_db.repositories.copying` for the conflict modes.
        """
        return await copy_items(self._session, self._copy_target, indicators, on_conflict)

    async def find_range(
        self,
        symbol: str,
        indicator_name: str,
        interval: Interval | str,
        start: datetime,
        end: datetime,
    ) -> list[TechnicalIndicator]:
        """One indicator's values in ``[start, end)``, oldest first."""
        checked = require_symbol(symbol)
        name = require_indicator_name(indicator_name)
        interval_type = require_interval(interval)
        start, end = require_time_range(start, end)
        records = await self._session.read(
            self._queries.indicator_find_range,
            symbol=checked,
            interval_type=interval_type.value,
            indicator_name=name,
            start=start,
            end=end,
        )
        return [_indicator_from_record(record) for record in records]

    async def find_latest(
        self, symbol: str, interval: Interval | str, indicator_names: Sequence[str]
    ) -> dict[str, TechnicalIndicator]:
        """The newest value of each named indicator, by name; names without values are absent."""
        checked = require_symbol(symbol)
        interval_type = require_interval(interval)
        if isinstance(indicator_names, str):
            raise ValidationError(
                "indicator_names: expected a sequence of names, got a str", field="indicator_names"
            )
        names = [require_indicator_name(name, "indicator_names") for name in indicator_names]
        if not names:
            return {}
        records = await self._session.read(
            self._queries.indicator_find_latest,
            symbol=checked,
            interval_type=interval_type.value,
            indicator_names=names,
        )
        return {record["indicator_name"]: _indicator_from_record(record) for record in records}


_INTERVALS = {member.value: member for member in Interval}
_new_instance = object.__new__
_set_field = object.__setattr__


def _indicator_from_record(record: Any) -> TechnicalIndicator:
    """A value from a row of ``technical_indicators``.

    The row passed the table's CHECK constraints, which the validators mirror, so they are not
    run again: indicator series are as long as bar series.
    """
    indicator: TechnicalIndicator = _new_instance(TechnicalIndicator)
    _set_field(indicator, "time", record["time"])
    _set_field(indicator, "symbol", record["symbol"])
    _set_field(indicator, "interval_type", _INTERVALS[record["interval_type"]])
    _set_field(indicator, "indicator_name", record["indicator_name"])
    _set_field(indicator, "value", record["value"])
    _set_field(indicator, "value_secondary", record["value_secondary"])
    _set_field(indicator, "value_tertiary", record["value_tertiary"])
    _set_field(indicator, "parameters", record["parameters"])
    return indicator


def _indicator_arguments(indicator: TechnicalIndicator) -> dict[str, Any]:
    return {
        "time": indicator.time,
        "symbol": indicator.symbol,
        "interval_type": indicator.interval_type.value,
        "indicator_name": indicator.indicator_name,
        "value": indicator.value,
        "value_secondary": indicator.value_secondary,
        "value_tertiary": indicator.value_tertiary,
        "parameters": indicator.parameters,
    }


def _indicator_record(indicator: TechnicalIndicator) -> tuple[Any, ...]:
    return (
        indicator.time,
        indicator.symbol,
        indicator.interval_type.value,
        indicator.indicator_name,
        indicator.value,
        indicator.value_secondary,
        indicator.value_tertiary,
        indicator.parameters,
    )


def _indicator_key(indicator: TechnicalIndicator) -> tuple[str, str, str, datetime]:
    return (
        indicator.symbol,
        indicator.interval_type.value,
        indicator.indicator_name,
        indicator.time,
    )


def _describe_indicator(indicator: TechnicalIndicator) -> str:
    return (
        f"{indicator.symbol} {indicator.interval_type.value} {indicator.indicator_name} "
        f"at {indicator.time.isoformat()}"
    )
