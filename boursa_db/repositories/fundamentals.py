"""Fundamentals per instrument and period (queries in ``sql/fundamentals.sql``)."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

import attrs

from boursa_db.domain.instruments import FundamentalData, PeriodType
from boursa_db.repositories.arguments import (
    check_date,
    check_id,
    check_instance,
    check_range,
    check_word,
)
from boursa_db.repositories.base import Repository

__all__ = ["FundamentalsRepository"]

# Every column but the key and the server-set ones, in the order of the domain class.
_FIGURES = tuple(
    field.name
    for field in attrs.fields(FundamentalData)
    if field.name
    not in {"id", "instrument_id", "period_end", "period_type", "created_at", "updated_at"}
)


class FundamentalsRepository(Repository):
    """Collection-like access to :class:`~boursa_db.domain.instruments.FundamentalData`."""

    async def save(self, fundamentals: FundamentalData) -> FundamentalData:
        """Store the period's figures, replacing any already stored for the same instrument,
        period type and period end (a restatement). Returns the stored row.

        The stored row keeps the id it had; ``fundamentals.id`` is not used to find it. An
        unknown instrument raises :class:`~boursa_db.errors.MissingReference`.
        """
        check_instance("fundamentals", fundamentals, FundamentalData)
        figures = {name: getattr(fundamentals, name) for name in _FIGURES}
        async with self._session.connection() as connection:
            record = await self._queries.fundamentals_upsert(
                connection,
                instrument_id=fundamentals.instrument_id,
                period_end=fundamentals.period_end,
                period_type=fundamentals.period_type.value,
                **figures,
            )
        return _fundamentals_from_record(record)

    async def find_latest(
        self, instrument_id: uuid.UUID, period_type: PeriodType | str
    ) -> FundamentalData | None:
        """The most recent period of this type, or None."""
        check_id("instrument_id", instrument_id)
        period = check_word("period_type", PeriodType, period_type)
        record = await self._session.read(
            self._queries.fundamentals_find_latest,
            instrument_id=instrument_id,
            period_type=period.value,
        )
        return None if record is None else _fundamentals_from_record(record)

    async def list_for_instrument(
        self, instrument_id: uuid.UUID, start: date | None = None, end: date | None = None
    ) -> list[FundamentalData]:
        """Every period (quarterly and annual) ending from ``start`` to ``end`` inclusive,
        oldest first; None leaves that side open."""
        check_id("instrument_id", instrument_id)
        for name, value in (("start", start), ("end", end)):
            if value is not None:
                check_date(name, value)
        check_range(start, end)
        records = await self._session.read(
            self._queries.fundamentals_list_for_instrument,
            instrument_id=instrument_id,
            start=start,
            end=end,
        )
        return [_fundamentals_from_record(record) for record in records]


def _fundamentals_from_record(record: Any) -> FundamentalData:
    return FundamentalData(
        id=record["id"],
        instrument_id=record["instrument_id"],
        period_end=record["period_end"],
        period_type=record["period_type"],
        created_at=record["created_at"],
        updated_at=record["updated_at"],
        **{name: record[name] for name in _FIGURES},
    )
