"""Alerts users set on symbols and portfolios, and the notifications sent to them."""

from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal
from typing import Any

import attrs

from boursa_db.domain.storable import PRICE
from boursa_db.domain.values import (
    Vocabulary,
    aware_datetime,
    json_object,
    money,
    optional,
    symbol,
    text_length,
)
from boursa_db.errors import ValidationError

__all__ = [
    "Alert",
    "AlertType",
    "ConditionType",
    "Notification",
    "NotificationChannel",
    "NotificationType",
]


class AlertType(Vocabulary):
    """What an alert watches: a symbol's price, volume or signals, or a whole portfolio."""

    PRICE = "price"
    VOLUME = "volume"
    SIGNAL = "signal"
    PORTFOLIO = "portfolio"


class ConditionType(Vocabulary):
    """How the watched value is compared with the threshold."""

    ABOVE = "above"
    BELOW = "below"
    EQUALS = "equals"
    CHANGE_PCT = "change_pct"


class NotificationChannel(Vocabulary):
    """Where a notification is delivered."""

    EMAIL = "email"
    PUSH = "push"
    SMS = "sms"
    IN_APP = "in_app"


class NotificationType(Vocabulary):
    """Why a notification was sent."""

    ALERT = "alert"
    SIGNAL = "signal"
    SYSTEM = "system"
    MARKETING = "marketing"


def _fail(attribute: attrs.Attribute[Any], message: str) -> ValidationError:
    return ValidationError(f"{attribute.name}: {message}", field=attribute.name)


def _to_channels(value: Any, field: attrs.Attribute[Any]) -> list[NotificationChannel]:
    if isinstance(value, str) or not isinstance(value, list | tuple):
        raise _fail(field, f"expected a list of channels, got {value!r}")
    try:
        return [NotificationChannel(item) for item in value]
    except ValueError:
        known = ", ".join(repr(member.value) for member in NotificationChannel)
        raise _fail(field, f"{value!r} names a channel not among {known}") from None


def _in_app_only() -> list[NotificationChannel]:
    return [NotificationChannel.IN_APP]


def _non_negative_count(_: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise _fail(attribute, f"expected a non-negative whole number, got {value!r}")


# The target rules mirror alerts_target_matches_type; they read alert_type, which is converted
# before any validator runs.


def _portfolio_for_type(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if value is None and instance.alert_type is AlertType.PORTFOLIO:
        raise _fail(attribute, "a portfolio alert needs the portfolio it watches")


def _symbol_for_type(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if value is None:
        if instance.alert_type is not AlertType.PORTFOLIO:
            raise _fail(attribute, f"a {instance.alert_type} alert needs the symbol it watches")
        return
    symbol(instance, attribute, value)


def _triggered_has_time(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if value and instance.last_triggered_at is None:
        raise _fail(attribute, "a triggered alert needs last_triggered_at")


@attrs.define(kw_only=True)
class Alert:
    """A condition a user watches. Portfolio alerts name a portfolio; the others a symbol.

    >>> Alert(user_id=uuid.uuid4(), symbol="AAPL", alert_type="price",
    ...       condition_type="above", threshold_value=Decimal("200"), title="AAPL > 200").is_active
    True
    """

    user_id: uuid.UUID
    alert_type: AlertType = attrs.field(converter=AlertType)
    condition_type: ConditionType = attrs.field(converter=ConditionType)
    title: str = attrs.field(validator=text_length(1, 200))
    portfolio_id: uuid.UUID | None = attrs.field(default=None, validator=_portfolio_for_type)
    symbol: str | None = attrs.field(default=None, validator=_symbol_for_type)
    threshold_value: Decimal | None = attrs.field(
        default=None, validator=optional(money), metadata=PRICE
    )
    message: str | None = attrs.field(default=None, validator=optional(text_length(0, 2000)))
    notification_channels: list[NotificationChannel] = attrs.field(
        factory=_in_app_only,
        converter=attrs.Converter(_to_channels, takes_field=True),  # type: ignore[misc]
    )
    is_active: bool = True
    last_triggered_at: datetime | None = attrs.field(
        default=None, validator=optional(aware_datetime)
    )
    is_triggered: bool = attrs.field(default=False, validator=_triggered_has_time)
    trigger_count: int = attrs.field(default=0, validator=_non_negative_count)
    expires_at: datetime | None = attrs.field(default=None, validator=optional(aware_datetime))
    id: uuid.UUID | None = None
    created_at: datetime | None = attrs.field(default=None, validator=optional(aware_datetime))
    updated_at: datetime | None = attrs.field(default=None, validator=optional(aware_datetime))


def _read_time_matches_flag(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if value is None:
        if instance.is_read:
            raise _fail(attribute, "a read notification needs read_at")
        return
    aware_datetime(instance, attribute, value)
    if not instance.is_read:
        raise _fail(attribute, "an unread notification has no read_at")


@attrs.define(kw_only=True)
class Notification:
    """A message sent to a user, possibly because an alert fired.

    ``is_read`` and ``read_at`` agree: a notification is read exactly when it has a read time.
    """

    user_id: uuid.UUID
    notification_type: NotificationType = attrs.field(converter=NotificationType)
    title: str = attrs.field(validator=text_length(1, 200))
    message: str = attrs.field(validator=text_length(1, 5000))
    data: dict[str, Any] = attrs.field(factory=dict, validator=json_object)
    channels: list[NotificationChannel] = attrs.field(
        factory=_in_app_only,
        converter=attrs.Converter(_to_channels, takes_field=True),  # type: ignore[misc]
    )
    alert_id: uuid.UUID | None = None
    is_read: bool = False
    read_at: datetime | None = attrs.field(default=None, validator=_read_time_matches_flag)
    sent_at: datetime | None = attrs.field(default=None, validator=optional(aware_datetime))
    id: uuid.UUID | None = None
    created_at: datetime | None = attrs.field(default=None, validator=optional(aware_datetime))
