"""Instruments: find by id or symbol, page, search by name, save, delete
(queries in ``sql/instruments.sql``)."""

from __future__ import annotations

import uuid
from typing import Any

from boursa_db.domain.instruments import Instrument, InstrumentType
from boursa_db.errors import NotFound
from boursa_db.repositories.arguments import (
    check_flag,
    check_id,
    check_instance,
    check_limit,
    check_page,
    check_symbol,
    check_text,
    check_word,
)
from boursa_db.repositories.base import Repository

__all__ = ["InstrumentRepository"]


class InstrumentRepository(Repository):
    """Collection-like access to :class:`~boursa_db.domain.instruments.Instrument`."""

    async def find_by_id(self, instrument_id: uuid.UUID) -> Instrument | None:
        """The instrument with this id, or None."""
        check_id("instrument_id", instrument_id)
        record = await self._session.read(self._queries.instrument_find_by_id, id=instrument_id)
        return None if record is None else _instrument_from_record(record)

    async def get_by_id(self, instrument_id: uuid.UUID) -> Instrument:
        """The instrument with this id; raises :class:`~boursa_db.errors.NotFound`."""
        instrument = await self.find_by_id(instrument_id)
        if instrument is None:
            raise NotFound(f"no instrument with id {instrument_id}")
        return instrument

    async def find_by_symbol(self, symbol: str) -> Instrument | None:
        """The instrument with exactly this symbol (``BRK-B``, ``MC.PA``), or None."""
        check_symbol("symbol", symbol)
        record = await self._session.read(self._queries.instrument_find_by_symbol, symbol=symbol)
        return None if record is None else _instrument_from_record(record)

    async def save(self, instrument: Instrument) -> Instrument:
        """Insert the instrument (``id`` None) or update it; returns the stored instrument.

        A symbol another instrument has raises :class:`~boursa_db.errors.Duplicate`; updating
        an instrument that does not exist raises :class:`~boursa_db.errors.NotFound`.
        """
        check_instance("instrument", instrument, Instrument)
        columns = _instrument_columns(instrument)
        async with self._session.connection() as connection:
            if instrument.id is None:
                record = await self._queries.instrument_insert(connection, **columns)
            else:
                record = await self._queries.instrument_update(
                    connection, id=instrument.id, **columns
                )
        if record is None:
            raise NotFound(f"no instrument with id {instrument.id}")
        return _instrument_from_record(record)

    async def search_by_name(self, text: str, limit: int = 20) -> list[Instrument]:
        """Instruments whose name contains ``text`` in any case, by name.

        The text is matched literally: ``%``, ``_`` and ``\\`` are not wildcards.
        """
        check_text("text", text)
        check_limit(limit)
        records = await self._session.read(
            self._queries.instrument_search_by_name, text=text, limit=limit
        )
        return [_instrument_from_record(record) for record in records]

    async def delete(self, instrument_id: uuid.UUID) -> bool:
        """Delete the instrument and its fundamentals; False if there was no such instrument."""
        check_id("instrument_id", instrument_id)
        async with self._session.connection() as connection:
            deleted: int = await self._queries.instrument_delete(connection, id=instrument_id)
        return deleted > 0

    async def list(
        self,
        *,
        limit: int = 100,
        offset: int = 0,
        instrument_type: InstrumentType | str | None = None,
        sector: str | None = None,
        active_only: bool = True,
    ) -> list[Instrument]:
        """One page of instruments by symbol, optionally of one type and one sector."""
        check_page(limit, offset)
        check_flag("active_only", active_only)
        if sector is not None:
            check_text("sector", sector)
        type_filter = (
            None
            if instrument_type is None
            else check_word("instrument_type", InstrumentType, instrument_type).value
        )
        records = await self._session.read(
            self._queries.instrument_list,
            instrument_type=type_filter,
            sector=sector,
            active_only=active_only,
            limit=limit,
            offset=offset,
        )
        return [_instrument_from_record(record) for record in records]


def _instrument_columns(instrument: Instrument) -> dict[str, Any]:
    """The values of the columns a client owns (not id or the server-set timestamps)."""
    return {
        "symbol": instrument.symbol,
        "name": instrument.name,
        "instrument_type": instrument.instrument_type.value,
        "exchange": instrument.exchange,
        "currency": instrument.currency,
        "sector": instrument.sector,
        "industry": instrument.industry,
        "country": instrument.country,
        "isin": instrument.isin,
        "description": instrument.description,
        "is_active": instrument.is_active,
    }


def _instrument_from_record(record: Any) -> Instrument:
    return Instrument(
        id=record["id"],
        symbol=record["symbol"],
        name=record["name"],
        instrument_type=record["instrument_type"],
        exchange=record["exchange"],
        currency=record["currency"],
        sector=record["sector"],
        industry=record["industry"],
        country=record["country"],
        isin=record["isin"],
        description=record["description"],
        is_active=record["is_active"],
        created_at=record["created_at"],
        updated_at=record["updated_at"],
    )
