"""Users: find, page through, save and delete accounts (queries in ``sql/users.sql``)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from boursa_db.domain.users import InvestmentExperience, RiskTolerance, User, UserRole
from boursa_db.errors import NotFound, ValidationError
from boursa_db.repositories.arguments import (
    check_aware,
    check_flag,
    check_id,
    check_instance,
    check_page,
    check_text,
)
from boursa_db.repositories.base import Repository
from boursa_db.repositories.stored import stored

__all__ = ["UserRepository"]


class UserRepository(Repository):
    """Collection-like access to :class:`~boursa_db.domain.users.User`.

    E-mail lookups ignore case, as the unique index on ``lower(email)`` does.
    """

    async def find_by_id(self, user_id: uuid.UUID) -> User | None:
        """The user with this id, or None."""
        check_id("user_id", user_id)
        record = await self._session.read(self._queries.user_find_by_id, id=user_id)
        return None if record is None else _user_from_record(record)

    async def get_by_id(self, user_id: uuid.UUID) -> User:
        """The user with this id; raises :class:`~boursa_db.errors.NotFound` if there is none."""
        user = await self.find_by_id(user_id)
        if user is None:
            raise NotFound(f"no user with id {user_id}")
        return user

    async def find_by_email(self, email: str) -> User | None:
        """The user with this e-mail address in any case (``Ada@X.io`` finds ``ada@x.io``)."""
        check_text("email", email)
        record = await self._session.read(self._queries.user_find_by_email, email=email)
        return None if record is None else _user_from_record(record)

    async def find_by_username(self, username: str) -> User | None:
        """The user with exactly this username, or None."""
        check_text("username", username)
        record = await self._session.read(self._queries.user_find_by_username, username=username)
        return None if record is None else _user_from_record(record)

    async def exists_by_email(self, email: str) -> bool:
        """Whether an account uses this e-mail address, in any case."""
        check_text("email", email)
        found = await self._session.read(self._queries.user_exists_by_email, email=email)
        return bool(found)

    async def list(
        self,
        limit: int = 100,
        offset: int = 0,
        *,
        role: UserRole | str | None = None,
        active_only: bool = False,
    ) -> list[User]:
        """One page of users, oldest account first, in an order that is stable across pages."""
        check_page(limit, offset)
        records = await self._session.read(
            self._queries.user_list,
            role=_role_filter(role),
            active_only=check_flag("active_only", active_only),
            limit=limit,
            offset=offset,
        )
        return [_user_from_record(record) for record in records]

    async def count(self, *, role: UserRole | str | None = None, active_only: bool = False) -> int:
        """How many users :meth:`list` would page through with the same filters."""
        total = await self._session.read(
            self._queries.user_count,
            role=_role_filter(role),
            active_only=check_flag("active_only", active_only),
        )
        return int(total)

    async def save(self, user: User) -> User:
        """Insert the user (``id`` None) or update it; returns the stored user.

        An update keeps ``created_at``; the server moves ``updated_at``. Updating a user that
        does not exist raises :class:`~boursa_db.errors.NotFound`. A taken e-mail address (in
        any case) or username raises :class:`~boursa_db.errors.Duplicate` naming the index.
        """
        check_instance("user", user, User)
        columns = _user_columns(user)
        async with self._session.connection() as connection:
            if user.id is None:
                record = await self._queries.user_insert(connection, **columns)
            else:
                record = await self._queries.user_update(connection, id=user.id, **columns)
        if record is None:
            raise NotFound(f"no user with id {user.id}")
        return _user_from_record(record)

    async def delete(self, user_id: uuid.UUID) -> bool:
        """Delete the user and everything they own; False if there was no such user."""
        check_id("user_id", user_id)
        async with self._session.connection() as connection:
            deleted: int = await self._queries.user_delete(connection, id=user_id)
        return deleted > 0

    async def record_login(self, user_id: uuid.UUID, at: datetime) -> None:
        """Set the user's ``last_login_at``; raises :class:`~boursa_db.errors.NotFound`."""
        check_id("user_id", user_id)
        check_aware("at", at)
        async with self._session.connection() as connection:
            updated: int = await self._queries.user_record_login(
                connection, id=user_id, logged_in_at=at
            )
        if updated == 0:
            raise NotFound(f"no user with id {user_id}")


def _user_columns(user: User) -> dict[str, Any]:
    """The values of the columns a client owns (not id or the server-set timestamps)."""
    return {
        "email": user.email,
        "username": user.username,
        "password_hash": user.password_hash,
        "role": user.role.value,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "phone": user.phone,
        "date_of_birth": user.date_of_birth,
        "country": user.country,
        "timezone": user.timezone,
        "language": user.language,
        "preferred_currency": user.preferred_currency,
        "risk_tolerance": user.risk_tolerance.value,
        "investment_experience": user.investment_experience.value,
        "is_active": user.is_active,
        "is_verified": user.is_verified,
        "two_factor_enabled": user.two_factor_enabled,
        "last_login_at": user.last_login_at,
    }


def _user_from_record(record: Any) -> User:
    return stored(
        User,
        id=record["id"],
        email=record["email"],
        username=record["username"],
        password_hash=record["password_hash"],
        role=UserRole(record["role"]),
        first_name=record["first_name"],
        last_name=record["last_name"],
        phone=record["phone"],
        date_of_birth=record["date_of_birth"],
        country=record["country"],
        timezone=record["timezone"],
        language=record["language"],
        preferred_currency=record["preferred_currency"],
        risk_tolerance=RiskTolerance(record["risk_tolerance"]),
        investment_experience=InvestmentExperience(record["investment_experience"]),
        is_active=record["is_active"],
        is_verified=record["is_verified"],
        two_factor_enabled=record["two_factor_enabled"],
        last_login_at=record["last_login_at"],
        created_at=record["created_at"],
        updated_at=record["updated_at"],
    )


def _role_filter(role: UserRole | str | None) -> str | None:
    if role is None:
        return None
    try:
        return UserRole(role).value
    except ValueError:
        known = ", ".join(repr(member.value) for member in UserRole)
        raise ValidationError(f"role: {role!r} is not one of {known}", field="role") from None
