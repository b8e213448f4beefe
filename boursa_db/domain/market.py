"""Market time series as values: OHLCV bars, indicators, signals, portfolio snapshots.

Every class is frozen and validated at construction with the rules of the columns' CHECK
constraints, so a bar that the database would refuse cannot be built. The ``require_*``
functions apply the same rules to the arguments of repository methods (a symbol to look up,
a time range), so a bad argument is refused before it reaches the database.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal
from typing import Any, TypeVar

import attrs

from boursa_db.domain.intervals import Interval
from boursa_db.domain.storable import MONEY, moment_problem
from boursa_db.domain.values import (
    SYMBOL_PATTERN,
    Vocabulary,
    aware_datetime,
    bounded_float,
    finite_float,
    json_object,
    matches,
    non_negative_money,
    optional,
    positive_float,
    symbol,
    text_length,
    text_list,
)
from boursa_db.errors import ValidationError

__all__ = [
    "BarColumns",
    "Gap",
    "MarketBar",
    "MarketSummary",
    "PortfolioPerformance",
    "Signal",
    "SignalStrength",
    "SignalType",
    "TechnicalIndicator",
    "require_aware",
    "require_indicator_name",
    "require_interval",
    "require_limit",
    "require_signal_type",
    "require_strategy",
    "require_symbol",
    "require_symbols",
    "require_time_range",
]

INDICATOR_NAME_PATTERN = r"^[a-z][a-z0-9_]{0,39}$"
STRATEGY_PATTERN = r"^[a-z][a-z0-9_]{0,49}$"
SOURCE_PATTERN = r"^[a-z0-9_]{1,30}$"
RATIONALE_MAX_LENGTH = 5000


class SignalType(Vocabulary):
    """What a signal advises."""

    BUY = "buy"
    SELL = "sell"
    HOLD = "hold"


class SignalStrength(Vocabulary):
    """How strongly a signal advises it."""

    WEAK = "weak"
    MODERATE = "moderate"
    STRONG = "strong"


def _fail(attribute: attrs.Attribute[Any], message: str) -> ValidationError:
    return ValidationError(f"{attribute.name}: {message}", field=attribute.name)


def _count(maximum: int) -> Any:
    """An int in ``0..maximum`` (the range of the column's integer type)."""

    def check(_: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
        if isinstance(value, bool) or not isinstance(value, int):
            raise _fail(attribute, f"expected an integer, got {type(value).__name__}")
        if not 0 <= value <= maximum:
            raise _fail(attribute, f"must be between 0 and {maximum}, got {value}")

    return check


_BIGINT_MAX = 2**63 - 1
_INTEGER_MAX = 2**31 - 1


def _non_negative_float(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    finite_float(instance, attribute, value)
    if value < 0:
        raise _fail(attribute, f"must not be negative, got {value}")


def _uuid(_: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if not isinstance(value, uuid.UUID):
        raise _fail(attribute, f"expected a UUID, got {type(value).__name__}")


_unit_score = bounded_float(0.0, 1.0)
V = TypeVar("V", bound=Vocabulary)


def _word(vocabulary: type[V], value: str, name: str) -> V:
    try:
        return vocabulary(value)
    except ValidationError as error:
        raise ValidationError(f"{name}: {error}", field=name) from None


@attrs.frozen(kw_only=True)
class MarketBar:
    """One OHLCV bar of a symbol at one interval, stamped with the time it opens."""

    time: datetime = attrs.field(validator=aware_datetime)
    symbol: str = attrs.field(validator=symbol)
    interval_type: Interval = attrs.field(converter=Interval)
    open: float = attrs.field(validator=positive_float)
    high: float = attrs.field(validator=positive_float)
    low: float = attrs.field(validator=positive_float)
    close: float = attrs.field(validator=positive_float)
    adjusted_close: float | None = attrs.field(default=None, validator=optional(positive_float))
    volume: int = attrs.field(default=0, validator=_count(_BIGINT_MAX))
    source: str = attrs.field(
        default="unknown", validator=matches(SOURCE_PATTERN, "a source name (^[a-z0-9_]{1,30}$)")
    )

    def __attrs_post_init__(self) -> None:
        if not (self.low <= min(self.open, self.close) and self.high >= max(self.open, self.close)):
            raise ValidationError(
                f"ohlc: low <= open, close <= high does not hold for {self.symbol} at "
                f"{self.time.isoformat()} (open {self.open}, high {self.high}, "
                f"low {self.low}, close {self.close})",
                field="ohlc",
            )


@attrs.frozen(kw_only=True)
class BarColumns:
    """A series of bars of one symbol at one interval as parallel columns, oldest first.

    ``close[i]`` is the close of the bar that opens at ``time[i]``. One object holds the whole
    series: reading 30 days of one-minute bars this way costs a fraction of building one
    :class:`MarketBar` per bar, and the columns go straight into numpy or pandas
    (``numpy.array(columns.close)``). Built from stored rows, which passed the table's CHECK
    constraints, so nothing is validated again.
    """

    symbol: str
    interval_type: Interval
    time: tuple[datetime, ...]
    open: tuple[float, ...]
    high: tuple[float, ...]
    low: tuple[float, ...]
    close: tuple[float, ...]
    adjusted_close: tuple[float | None, ...]
    volume: tuple[int, ...]
    source: tuple[str, ...]

    def __len__(self) -> int:
        return len(self.time)


@attrs.frozen(kw_only=True)
class TechnicalIndicator:
    """The value of one indicator (``rsi_14``, ``macd``...) for one bar of a symbol.

    Indicators with several outputs (MACD line, signal and histogram; Bollinger bands) keep them
    in ``value``, ``value_secondary`` and ``value_tertiary``.
    """

    time: datetime = attrs.field(validator=aware_datetime)
    symbol: str = attrs.field(validator=symbol)
    interval_type: Interval = attrs.field(converter=Interval)
    indicator_name: str = attrs.field(
        validator=matches(INDICATOR_NAME_PATTERN, "an indicator name (^[a-z][a-z0-9_]{0,39}$)")
    )
    value: float = attrs.field(validator=finite_float)
    value_secondary: float | None = attrs.field(default=None, validator=optional(finite_float))
    value_tertiary: float | None = attrs.field(default=None, validator=optional(finite_float))
    parameters: dict[str, Any] = attrs.field(factory=dict, validator=json_object)


@attrs.frozen(kw_only=True)
class Signal:
    """A strategy's advice on a symbol at a point in time, valid until ``expires_at`` if set."""

    time: datetime = attrs.field(validator=aware_datetime)
    symbol: str = attrs.field(validator=symbol)
    strategy: str = attrs.field(
        default="default",
        validator=matches(STRATEGY_PATTERN, "a strategy name (^[a-z][a-z0-9_]{0,49}$)"),
    )
    signal_type: SignalType = attrs.field(converter=SignalType)
    strength: SignalStrength = attrs.field(converter=SignalStrength)
    confidence: float = attrs.field(validator=_unit_score)
    price_target: float | None = attrs.field(default=None, validator=optional(positive_float))
    stop_loss: float | None = attrs.field(default=None, validator=optional(positive_float))
    technical_score: float | None = attrs.field(default=None, validator=optional(_unit_score))
    fundamental_score: float | None = attrs.field(default=None, validator=optional(_unit_score))
    market_context_score: float | None = attrs.field(default=None, validator=optional(_unit_score))
    rationale: str | None = attrs.field(
        default=None, validator=optional(text_length(0, RATIONALE_MAX_LENGTH))
    )
    indicators_used: list[str] = attrs.field(factory=list, validator=text_list)
    metadata: dict[str, Any] = attrs.field(factory=dict, validator=json_object)
    expires_at: datetime | None = attrs.field(default=None, validator=optional(aware_datetime))

    def __attrs_post_init__(self) -> None:
        if self.expires_at is not None and self.expires_at <= self.time:
            raise ValidationError(
                f"expires_at: must be after time ({self.time.isoformat()}), "
                f"got {self.expires_at.isoformat()}",
                field="expires_at",
            )


@attrs.frozen(kw_only=True)
class PortfolioPerformance:
    """A snapshot of a portfolio's value and 30-day risk figures at one point in time."""

    time: datetime = attrs.field(validator=aware_datetime)
    portfolio_id: uuid.UUID = attrs.field(validator=_uuid)
    total_value: Decimal = attrs.field(validator=non_negative_money, metadata=MONEY)
    cash_value: Decimal = attrs.field(validator=non_negative_money, metadata=MONEY)
    invested_value: Decimal = attrs.field(validator=non_negative_money, metadata=MONEY)
    daily_return: float | None = attrs.field(default=None, validator=optional(finite_float))
    total_return: float | None = attrs.field(default=None, validator=optional(finite_float))
    volatility_30d: float | None = attrs.field(
        default=None, validator=optional(_non_negative_float)
    )
    sharpe_ratio_30d: float | None = attrs.field(default=None, validator=optional(finite_float))
    max_drawdown_30d: float | None = attrs.field(
        default=None, validator=optional(bounded_float(-1.0, 0.0))
    )
    beta_30d: float | None = attrs.field(default=None, validator=optional(finite_float))
    alpha_30d: float | None = attrs.field(default=None, validator=optional(finite_float))
    number_of_positions: int = attrs.field(default=0, validator=_count(_INTEGER_MAX))


@attrs.frozen(kw_only=True)
class MarketSummary:
    """A symbol's latest bar next to its statistics over the 30 days before a point in time.

    The window is ``(now - 30 days, now]``; ``change_30d`` is the latest close minus the close
    of the oldest bar in that window.
    """

    symbol: str
    latest: MarketBar
    average_close_30d: float
    low_30d: float
    high_30d: float
    volume_30d: int
    bar_count_30d: int
    change_30d: float
    change_percent_30d: float


@attrs.frozen(kw_only=True)
class Gap:
    """A hole in a series: the bars between ``gap_start`` and ``gap_end`` are missing.

    ``gap_start`` is the time of the last bar before the hole and ``gap_end`` the time of the
    first bar after it; ``missing_bars`` is how many bars of the interval fit between them.
    """

    symbol: str
    interval_type: Interval
    gap_start: datetime
    gap_end: datetime
    missing_bars: int


def require_symbol(value: object, name: str = "symbol") -> str:
    """``value`` if it is a ticker symbol, else :class:`ValidationError` naming ``name``."""
    if not isinstance(value, str) or not SYMBOL_PATTERN.fullmatch(value):
        raise ValidationError(
            f"{name}: {value!r} is not a ticker symbol (e.g. AAPL, BRK-B, MC.PA)", field=name
        )
    return value


def require_symbols(values: Sequence[str], name: str = "symbols") -> list[str]:
    """The symbols as a list, each checked; a lone str is refused (it is not a list of symbols)."""
    if isinstance(values, str):
        raise ValidationError(f"{name}: expected a sequence of symbols, got a str", field=name)
    return [require_symbol(value, name) for value in values]


def require_aware(value: object, name: str) -> datetime:
    """``value`` if it is an aware datetime (naive ones are ambiguous) in the stored range."""
    if isinstance(value, datetime) and moment_problem(value) is None:
        return value
    raise ValidationError(f"{name}: {moment_problem(value)}", field=name)


def require_time_range(start: object, end: object) -> tuple[datetime, datetime]:
    """Both bounds aware and ``start <= end`` (the range ``[start, end)`` may be empty)."""
    start_time, end_time = require_aware(start, "start"), require_aware(end, "end")
    if start_time > end_time:
        raise ValidationError(
            f"start ({start_time.isoformat()}) is after end ({end_time.isoformat()})",
            field="start",
        )
    return start_time, end_time


def require_interval(value: Interval | str, name: str = "interval") -> Interval:
    """The :class:`Interval` for a member or its value ('1m')."""
    return _word(Interval, value, name)


def require_signal_type(value: SignalType | str, name: str = "signal_type") -> SignalType:
    """The :class:`SignalType` for a member or its value ('buy')."""
    return _word(SignalType, value, name)


def require_indicator_name(value: object, name: str = "indicator_name") -> str:
    """``value`` if it is an indicator name such as ``rsi_14``."""
    if not isinstance(value, str) or not re.fullmatch(INDICATOR_NAME_PATTERN, value):
        raise ValidationError(f"{name}: {value!r} is not an indicator name", field=name)
    return value


def require_strategy(value: object) -> str:
    """``value`` if it is a strategy name such as ``momentum``."""
    if not isinstance(value, str) or not re.fullmatch(STRATEGY_PATTERN, value):
        raise ValidationError(f"strategy: {value!r} is not a strategy name", field="strategy")
    return value


def require_limit(value: object, *, maximum: int = 1000, name: str = "limit") -> int:
    """An int in ``1..maximum``."""
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= maximum:
        raise ValidationError(
            f"{name}: must be an int from 1 to {maximum}, got {value!r}", field=name
        )
    return value
