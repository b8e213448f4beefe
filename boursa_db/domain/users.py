"""Accounts: users and the refresh tokens that keep their sessions alive.

Field names equal the columns of ``users`` and ``refresh_tokens``; every rule mirrors a CHECK of
the migration, so a bad value fails here, naming the field, before it reaches SQL. Patterns end
in ``\\Z`` rather than ``$`` and are matched whole, because Python's ``$`` also matches before a
trailing newline, which PostgreSQL's does not.
"""

from __future__ import annotations

import ipaddress
import uuid
from datetime import date, datetime
from typing import Any

import attrs

from boursa_db.domain.values import (
    Vocabulary,
    aware_datetime,
    calendar_day,
    currency_code,
    matches,
    optional,
    text_length,
)
from boursa_db.errors import ValidationError

__all__ = [
    "InvestmentExperience",
    "IpAddress",
    "RefreshToken",
    "RiskTolerance",
    "User",
    "UserRole",
]

IpAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
"""What asyncpg decodes an ``inet`` column into (for a single host address)."""


class UserRole(Vocabulary):
    """What a user may do on the platform: the one role vocabulary."""

    ADMIN = "admin"
    TRADER = "trader"
    ANALYST = "analyst"
    VIEWER = "viewer"


class RiskTolerance(Vocabulary):
    """How much risk the user accepts, as declared in their profile."""

    CONSERVATIVE = "conservative"
    MODERATE = "moderate"
    AGGRESSIVE = "aggressive"


class InvestmentExperience(Vocabulary):
    """How experienced the user says they are."""

    BEGINNER = "beginner"
    INTERMEDIATE = "intermediate"
    ADVANCED = "advanced"
    EXPERT = "expert"


def _instance_of(kind: type[Any], description: str) -> Any:
    def check(_: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
        if not isinstance(value, kind):
            message = f"{attribute.name}: expected {description}, got {type(value).__name__}"
            raise ValidationError(message, field=attribute.name)

    return check


def _ip_address(value: IpAddress | str | None) -> IpAddress | None:
    if value is None or isinstance(value, ipaddress.IPv4Address | ipaddress.IPv6Address):
        return value
    if isinstance(value, str):
        try:
            return ipaddress.ip_address(value)
        except ValueError:
            pass
    message = f"ip_address: {value!r} is not an IPv4 or IPv6 address"
    raise ValidationError(message, field="ip_address")


_optional_id = optional(_instance_of(uuid.UUID, "a UUID"))
_flag = _instance_of(bool, "a bool")
_optional_moment = optional(aware_datetime)


@attrs.define(kw_only=True)
class User:
    """A platform account. The password is stored only as a hash, hidden from ``repr``.

    ``id``, ``created_at`` and ``updated_at`` are set by the server when the user is saved.

    >>> user = User(email="ada@example.com", username="ada", password_hash="h", role="trader")
    >>> user.role
    <UserRole.TRADER: 'trader'>
    """

    id: uuid.UUID | None = attrs.field(default=None, validator=_optional_id)
    email: str = attrs.field(
        validator=[
            text_length(1, 254),
            matches(r"^[^@\s]+@[^@\s]+\.[^@\s]+\Z", "an e-mail address"),
        ]
    )
    username: str = attrs.field(
        validator=matches(r"^[A-Za-z0-9_.-]{3,50}\Z", "a username (3-50 of A-Z a-z 0-9 _ . -)")
    )
    password_hash: str = attrs.field(repr=False, validator=text_length(1, 255))
    role: UserRole = attrs.field(
        default=UserRole.VIEWER,
        converter=UserRole,
    )
    first_name: str | None = attrs.field(default=None, validator=optional(text_length(0, 100)))
    last_name: str | None = attrs.field(default=None, validator=optional(text_length(0, 100)))
    phone: str | None = attrs.field(
        default=None,
        validator=optional(matches(r"^\+?[0-9 ().-]{4,20}\Z", "a phone number")),
    )
    date_of_birth: date | None = attrs.field(default=None, validator=optional(calendar_day))
    country: str | None = attrs.field(
        default=None,
        validator=optional(matches(r"^[A-Z]{2}\Z", "a country code (two upper-case letters)")),
    )
    timezone: str = attrs.field(default="UTC", validator=text_length(1, 64))
    language: str = attrs.field(
        default="en",
        validator=matches(r"^[a-z]{2}(-[A-Z]{2})?\Z", "a language tag such as 'en' or 'fr-CA'"),
    )
    preferred_currency: str = attrs.field(default="USD", validator=currency_code)
    risk_tolerance: RiskTolerance = attrs.field(
        default=RiskTolerance.MODERATE,
        converter=RiskTolerance,
    )
    investment_experience: InvestmentExperience = attrs.field(
        default=InvestmentExperience.BEGINNER,
        converter=InvestmentExperience,
    )
    is_active: bool = attrs.field(default=True, validator=_flag)
    is_verified: bool = attrs.field(default=False, validator=_flag)
    two_factor_enabled: bool = attrs.field(default=False, validator=_flag)
    last_login_at: datetime | None = attrs.field(default=None, validator=_optional_moment)
    created_at: datetime | None = attrs.field(default=None, validator=_optional_moment)
    updated_at: datetime | None = attrs.field(default=None, validator=_optional_moment)


@attrs.define(kw_only=True)
class RefreshToken:
    """A long-lived session credential. Only a hash of the client's token is stored.

    A token is active while it is neither revoked nor expired (:meth:`is_active_at`).
    ``id`` and ``created_at`` are set by the server; ``last_used_at`` too when left None.
    """

    id: uuid.UUID | None = attrs.field(default=None, validator=_optional_id)
    user_id: uuid.UUID = attrs.field(validator=_instance_of(uuid.UUID, "a UUID"))
    token_hash: str = attrs.field(repr=False, validator=text_length(16, 512))
    expires_at: datetime = attrs.field(validator=aware_datetime)
    created_at: datetime | None = attrs.field(default=None, validator=_optional_moment)
    last_used_at: datetime | None = attrs.field(default=None, validator=_optional_moment)
    revoked_at: datetime | None = attrs.field(default=None, validator=_optional_moment)
    revoke_reason: str | None = attrs.field(default=None, validator=optional(text_length(0, 100)))
    ip_address: IpAddress | None = attrs.field(default=None, converter=_ip_address)
    user_agent: str | None = attrs.field(default=None, validator=optional(text_length(0, 1000)))

    def __attrs_post_init__(self) -> None:
        if self.revoke_reason is not None and self.revoked_at is None:
            raise ValidationError(
                "revoke_reason: a reason needs revoked_at (the token is not revoked)",
                field="revoke_reason",
            )
        if self.created_at is not None and self.expires_at <= self.created_at:
            raise ValidationError("expires_at: must be after created_at", field="expires_at")

    def is_active_at(self, now: datetime) -> bool:
        """True when the token is not revoked and has not expired at ``now`` (aware)."""
        if now.tzinfo is None or now.tzinfo.utcoffset(now) is None:
            raise ValidationError("now: naive datetime: give a time zone (UTC)", field="now")
        return self.revoked_at is None and self.expires_at > now
