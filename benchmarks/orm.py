"""The same tables as SQLAlchemy 2 declarative classes: the ORM approach the old layer took.

Written the way the SQLAlchemy 2 documentation teaches (``Mapped[...]`` annotations,
``mapped_column``, a relationship loaded with ``selectinload``), mapped onto the schema of
``migrations/`` (nothing here creates tables). ``DailySummaryRow`` maps the
``daily_market_summary`` view (a continuous aggregate on TimescaleDB) like a table, with its
grouping columns as the key.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import BigInteger, DateTime, ForeignKey, Numeric
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker, create_async_engine
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

__all__ = [
    "Base",
    "DailySummaryRow",
    "MarketDataRow",
    "PortfolioRow",
    "PositionRow",
    "UserRow",
    "orm_engine",
]


class Base(DeclarativeBase):
    type_annotation_map = {  # noqa: RUF012 - SQLAlchemy reads it from the class
        datetime: DateTime(timezone=True),
    }


class MarketDataRow(Base):
    __tablename__ = "market_data"

    symbol: Mapped[str] = mapped_column(primary_key=True)
    interval_type: Mapped[str] = mapped_column(primary_key=True)
    time: Mapped[datetime] = mapped_column(primary_key=True)
    open: Mapped[float]
    high: Mapped[float]
    low: Mapped[float]
    close: Mapped[float]
    adjusted_close: Mapped[float | None]
    volume: Mapped[int] = mapped_column(BigInteger)
    source: Mapped[str]


class UserRow(Base):
    __tablename__ = "users"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    email: Mapped[str]
    username: Mapped[str]
    password_hash: Mapped[str]
    role: Mapped[str]
    first_name: Mapped[str | None]
    last_name: Mapped[str | None]
    phone: Mapped[str | None]
    date_of_birth: Mapped[date | None]
    country: Mapped[str | None]
    timezone: Mapped[str]
    language: Mapped[str]
    preferred_currency: Mapped[str]
    risk_tolerance: Mapped[str]
    investment_experience: Mapped[str]
    is_active: Mapped[bool]
    is_verified: Mapped[bool]
    two_factor_enabled: Mapped[bool]
    last_login_at: Mapped[datetime | None]
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class PortfolioRow(Base):
    __tablename__ = "portfolios"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"))
    name: Mapped[str]
    description: Mapped[str | None]
    base_currency: Mapped[str]
    initial_cash: Mapped[Decimal] = mapped_column(Numeric(24, 4))
    cash_balance: Mapped[Decimal] = mapped_column(Numeric(24, 4))
    is_default: Mapped[bool]
    is_active: Mapped[bool]
    version: Mapped[int]
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    positions: Mapped[list[PositionRow]] = relationship(
        back_populates="portfolio", order_by="PositionRow.symbol"
    )


class PositionRow(Base):
    __tablename__ = "positions"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    portfolio_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("portfolios.id"))
    symbol: Mapped[str]
    quantity: Mapped[Decimal] = mapped_column(Numeric(28, 10))
    average_price: Mapped[Decimal] = mapped_column(Numeric(24, 8))
    currency: Mapped[str]
    opened_at: Mapped[datetime]
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    portfolio: Mapped[PortfolioRow] = relationship(back_populates="positions")


class DailySummaryRow(Base):
    __tablename__ = "daily_market_summary"

    day: Mapped[datetime] = mapped_column(primary_key=True)
    symbol: Mapped[str] = mapped_column(primary_key=True)
    interval_type: Mapped[str] = mapped_column(primary_key=True)
    open: Mapped[float]
    high: Mapped[float]
    low: Mapped[float]
    close: Mapped[float]
    volume: Mapped[int] = mapped_column(BigInteger)
    bar_count: Mapped[int] = mapped_column(BigInteger)


def orm_engine(database_url: str, *, pool_size: int) -> tuple[AsyncEngine, async_sessionmaker]:
    """An async engine on the asyncpg driver with a fixed small pool, and its session factory.

    Sessions run in UTC with JIT off, like the library's and the raw pool's connections.
    """
    url = database_url.replace("postgresql://", "postgresql+asyncpg://", 1)
    engine = create_async_engine(
        url,
        pool_size=pool_size,
        max_overflow=0,
        connect_args={"server_settings": {"timezone": "UTC", "jit": "off"}},
    )
    return engine, async_sessionmaker(engine, expire_on_commit=False)
