"""The benchmark data: a deterministic generator, loaded with the library's COPY.

Everything derives from a seed and a fixed calendar, so two runs (or two machines) load the same
rows: prices are random walks from ``random.Random(f"{SEED}:{symbol}:{kind}")``. One-minute bars
cover the regular New York session (14:30-21:00 UTC, 390 bars) of weekdays ending on
:data:`LAST_TRADING_DAY`; daily bars (``1d``, stamped at midnight UTC) cover every calendar day of
the history before it, so that the number of days is the number of one-day chunks. Users own one
portfolio each with positions in the generated symbols; daily indicators (``sma_20``,
``rsi_14``) and one ``momentum`` signal per symbol and trading day fill the other time-series
tables. :data:`STALE_SYMBOL` stopped trading :data:`STALE_AGE_DAYS` days before the others. The
presets live in :mod:`benchmarks.sizes`.
"""

from __future__ import annotations

import hashlib
import inspect
import math
import random
import uuid
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

import attrs

from boursa_db import (
    Interval,
    MarketBar,
    Portfolio,
    Position,
    Signal,
    TechnicalIndicator,
    User,
)
from boursa_db.maintenance import compress_chunks, refresh_aggregates
from boursa_db.migrations import migration_ids

if TYPE_CHECKING:
    from boursa_db import PersistenceContext

SEED = 20260501
LAST_TRADING_DAY = date(2026, 10, 30)
BARS_PER_DAY = 390
SESSION_OPEN_UTC = (14, 30)
SOURCE = "bench"
# Real tickers first (the seed's five, then the awkward shapes the symbol pattern allows).
REAL_SYMBOLS = ("AAPL", "GOOGL", "MSFT", "TSLA", "AMZN", "BRK-B", "MC.PA", "BTC-USD", "GC=F")
LATEST_PRICE_SYMBOLS = REAL_SYMBOLS[:5]
SERIES_SYMBOL = "AAPL"
STALE_SYMBOL = "OLDCO"
STALE_AGE_DAYS = 400
"""The stale symbol's newest bar is this many days before :data:`LAST_TRADING_DAY`."""
STALE_HISTORY_DAYS = 30
DAYS_PER_TRANSACTION = 100
UNKNOWN_SYMBOL = "NO-SUCH"
"""A symbol no dataset has: asked for among others, it must be absent from the answer."""


@attrs.frozen(kw_only=True)
class DatasetSpec:
    """What one benchmark database holds."""

    symbols: int
    trading_days: int
    """Weekdays of one-minute bars per symbol, ending on :data:`LAST_TRADING_DAY`."""
    history_days: int = 0
    """Calendar days of ``1d`` bars (and daily indicators) per symbol, one bar on EVERY day (a
    market open seven days a week), so that N days of history make N one-day chunks."""
    users: int = 0
    positions_per_portfolio: int = 0
    signals: bool = False
    stale_symbol: bool = False
    """Add :data:`STALE_SYMBOL`, whose newest bars (``1m`` and ``1d``) are
    :data:`STALE_AGE_DAYS` days older than everyone else's."""
    compressed: bool = False
    """After loading, compress every chunk with ``boursa_db.maintenance.compress_chunks``."""

    @property
    def minute_bars(self) -> int:
        stale = BARS_PER_DAY if self.stale_symbol else 0
        return self.symbols * self.trading_days * BARS_PER_DAY + stale

    @property
    def daily_bars(self) -> int:
        stale = STALE_HISTORY_DAYS if self.stale_symbol else 0
        return self.symbols * self.history_days + stale

    def describe(self) -> dict[str, object]:
        """The spec as plain values, for the results' JSON."""
        return {
            "symbols": self.symbols,
            "trading_days": self.trading_days,
            "minute_bars": self.minute_bars,
            "history_days": self.history_days,
            "daily_bars": self.daily_bars,
            "users": self.users,
            "positions_per_portfolio": self.positions_per_portfolio,
            "stale_symbol": STALE_SYMBOL if self.stale_symbol else None,
            "compressed": self.compressed,
        }

    def fingerprint(self) -> str:
        """Changes whenever the rows would: the spec, the generator's code, the migrations."""
        from benchmarks.floor import build_floor

        digest = hashlib.sha256()
        digest.update(repr(self).encode())
        digest.update(repr((SEED, LAST_TRADING_DAY, REAL_SYMBOLS, STALE_AGE_DAYS)).encode())
        for function in (*_GENERATOR, build_floor):
            digest.update(inspect.getsource(function).encode())
        digest.update(",".join(migration_ids()).encode())
        return digest.hexdigest()[:16]


def symbols(count: int) -> list[str]:
    """``count`` ticker symbols: the real ones first, then ``SYN0009``, ``SYN0010``..."""
    names = list(REAL_SYMBOLS[:count])
    names.extend(f"SYN{index:04d}" for index in range(len(names), count))
    return names


def trading_days(count: int, last: date = LAST_TRADING_DAY) -> list[date]:
    """The ``count`` weekdays up to ``last``, oldest first."""
    days: list[date] = []
    day = last
    while len(days) < count:
        if day.weekday() < 5:
            days.append(day)
        day -= timedelta(days=1)
    return days[::-1]


def series_window(spec: DatasetSpec, days: int = 30) -> tuple[datetime, datetime]:
    """``[start, end)`` of the last ``days`` trading days of one-minute bars (the 30-day series)."""
    sessions = trading_days(min(days, spec.trading_days))
    start = datetime(sessions[0].year, sessions[0].month, sessions[0].day, tzinfo=UTC)
    end = datetime(LAST_TRADING_DAY.year, LAST_TRADING_DAY.month, LAST_TRADING_DAY.day, tzinfo=UTC)
    return start, end + timedelta(days=1)


def minute_bars(symbol: str, days: list[date]) -> Iterator[MarketBar]:
    """One symbol's one-minute bars over the sessions of ``days``: a random walk."""
    rng = random.Random(f"{SEED}:{symbol}:1m")
    price = round(rng.uniform(20.0, 500.0), 2)
    gauss, exp = rng.gauss, math.exp
    step = timedelta(minutes=1)
    for day in days:
        moment = datetime(day.year, day.month, day.day, *SESSION_OPEN_UTC, tzinfo=UTC)
        for _ in range(BARS_PER_DAY):
            open_ = price
            close = round(open_ * exp(gauss(0.0, 0.0008)), 4)
            high = round(max(open_, close) * (1.0 + abs(gauss(0.0, 0.0004))), 4)
            low = max(round(min(open_, close) * (1.0 - abs(gauss(0.0, 0.0004))), 4), 0.0001)
            yield MarketBar(
                time=moment,
                symbol=symbol,
                interval_type=Interval.ONE_MINUTE,
                open=open_,
                high=high,
                low=min(low, open_, close),
                close=close,
                volume=int(rng.expovariate(1 / 2_000)) + 1,
                source=SOURCE,
            )
            price = close
            moment += step


def daily_bars(symbol: str, days: list[date]) -> list[MarketBar]:
    """One symbol's ``1d`` bars, stamped at midnight UTC."""
    rng = random.Random(f"{SEED}:{symbol}:1d")
    price = round(rng.uniform(20.0, 500.0), 2)
    bars = []
    for day in days:
        open_ = price
        close = round(open_ * math.exp(rng.gauss(0.0, 0.015)), 4)
        high = round(max(open_, close) * (1.0 + abs(rng.gauss(0.0, 0.006))), 4)
        low = round(min(open_, close) * (1.0 - abs(rng.gauss(0.0, 0.006))), 4)
        bars.append(
            MarketBar(
                time=datetime(day.year, day.month, day.day, tzinfo=UTC),
                symbol=symbol,
                interval_type=Interval.ONE_DAY,
                open=open_,
                high=high,
                low=min(low, open_, close),
                close=close,
                adjusted_close=close,
                volume=int(rng.expovariate(1 / 800_000)) + 1,
                source=SOURCE,
            )
        )
        price = close
    return bars


def daily_indicators(bars: list[MarketBar]) -> list[TechnicalIndicator]:
    """A 20-day simple moving average and a 14-day RSI for each daily bar."""
    indicators = []
    closes: list[float] = []
    gains: list[float] = []
    losses: list[float] = []
    for bar in bars:
        if closes:
            change = bar.close - closes[-1]
            gains.append(max(change, 0.0))
            losses.append(max(-change, 0.0))
        closes.append(bar.close)
        window = closes[-20:]
        indicators.append(
            TechnicalIndicator(
                time=bar.time,
                symbol=bar.symbol,
                interval_type=Interval.ONE_DAY,
                indicator_name="sma_20",
                value=sum(window) / len(window),
                parameters={"period": 20},
            )
        )
        gain, loss = sum(gains[-14:]), sum(losses[-14:])
        rsi = 50.0 if gain + loss == 0 else 100.0 * gain / (gain + loss)
        indicators.append(
            TechnicalIndicator(
                time=bar.time,
                symbol=bar.symbol,
                interval_type=Interval.ONE_DAY,
                indicator_name="rsi_14",
                value=rsi,
                parameters={"period": 14},
            )
        )
    return indicators


def daily_signals(symbol: str, days: list[date]) -> list[Signal]:
    """One ``momentum`` signal per trading day, at the close."""
    rng = random.Random(f"{SEED}:{symbol}:signals")
    signals = []
    for day in days:
        moment = datetime(day.year, day.month, day.day, 21, 0, tzinfo=UTC)
        signals.append(
            Signal(
                time=moment,
                symbol=symbol,
                strategy="momentum",
                signal_type=rng.choice(("buy", "sell", "hold")),
                strength=rng.choice(("weak", "moderate", "strong")),
                confidence=round(rng.random(), 4),
                technical_score=round(rng.random(), 4),
                indicators_used=["sma_20", "rsi_14"],
                metadata={"generator": SOURCE},
                expires_at=moment + timedelta(days=1),
            )
        )
    return signals


def user(index: int) -> User:
    """The ``index``-th generated account."""
    return User(
        email=email(index),
        username=f"bench_user_{index:06d}",
        password_hash="argon2id$v=19$m=65536,t=3,p=4$bench$bench",
        role=("trader", "analyst", "viewer")[index % 3],
        first_name="Bench",
        last_name=f"User {index}",
        country="US",
        preferred_currency="USD",
    )


def email(index: int) -> str:
    return f"bench.user.{index:06d}@example.com"


def portfolio(index: int, user_id: uuid.UUID, spec: DatasetSpec) -> Portfolio:
    """The ``index``-th user's portfolio, with positions in distinct generated symbols."""
    rng = random.Random(f"{SEED}:portfolio:{index}")
    held = rng.sample(symbols(spec.symbols), min(spec.positions_per_portfolio, spec.symbols))
    return Portfolio(
        user_id=user_id,
        name="Main",
        initial_cash=Decimal("100000.0000"),
        cash_balance=Decimal(rng.randrange(1_000_000, 5_000_000)) / 100,
        is_default=True,
        positions=[
            Position(
                symbol=symbol,
                quantity=Decimal(rng.randrange(1, 500)),
                average_price=Decimal(rng.randrange(2_000, 50_000)) / 100,
            )
            for symbol in sorted(held)
        ],
    )


def calendar_days(count: int, last: date = LAST_TRADING_DAY) -> list[date]:
    """The ``count`` calendar days up to ``last``, oldest first."""
    return [last - timedelta(days=offset) for offset in range(count - 1, -1, -1)]


def stale_day() -> date:
    """The last day :data:`STALE_SYMBOL` traded (moved back to a weekday)."""
    return trading_days(1, LAST_TRADING_DAY - timedelta(days=STALE_AGE_DAYS))[0]


async def load(context: PersistenceContext, spec: DatasetSpec) -> None:
    """Write the whole dataset through the library: COPY for series, ``save`` for accounts."""
    minute_days = trading_days(spec.trading_days)
    series = [
        (symbol, minute_days, calendar_days(spec.history_days)) for symbol in symbols(spec.symbols)
    ]
    if spec.stale_symbol:
        last = stale_day()
        series.append((STALE_SYMBOL, [last], calendar_days(STALE_HISTORY_DAYS, last)))
    for symbol, minutes, history in series:
        async with context.uow() as uow:
            await uow.market_data.copy(minute_bars(symbol, minutes))
            if spec.signals:
                await uow.signals.copy(daily_signals(symbol, minutes))
        bars = daily_bars(symbol, history)
        indicators = daily_indicators(bars)
        # A transaction locks every chunk it writes (and the chunk's indexes) until it ends:
        # years of daily bars in one would overflow the server's lock table
        # (max_locks_per_transaction), so they go in slices of DAYS_PER_TRANSACTION days.
        for first in range(0, len(bars), DAYS_PER_TRANSACTION):
            async with context.uow() as uow:
                await uow.market_data.copy(bars[first : first + DAYS_PER_TRANSACTION])
                await uow.indicators.copy(
                    indicators[2 * first : 2 * (first + DAYS_PER_TRANSACTION)]
                )
    batch = 500
    for first in range(0, spec.users, batch):
        async with context.uow() as uow:
            for index in range(first, min(first + batch, spec.users)):
                saved = await uow.users.save(user(index))
                if spec.positions_per_portfolio and saved.id is not None:
                    await uow.portfolios.save(portfolio(index, saved.id, spec))
    # On TimescaleDB the daily and hourly summaries are materialized, as their policies would.
    await refresh_aggregates(context.pool)


async def compress_everything(context: PersistenceContext) -> None:
    """Compress every chunk of the time-series tables (a no-op on plain PostgreSQL)."""
    await compress_chunks(context.pool, older_than=datetime(2100, 1, 1, tzinfo=UTC))


_GENERATOR = (
    symbols,
    trading_days,
    calendar_days,
    stale_day,
    compress_everything,
    minute_bars,
    daily_bars,
    daily_indicators,
    daily_signals,
    user,
    email,
    portfolio,
    load,
)
