"""Refresh tokens: store, look up, revoke and purge (queries in ``sql/refresh_tokens.sql``).

A token is *active* at a moment when it is not revoked and expires after that moment; the
same rule as :meth:`RefreshToken.is_active_at <boursa_db.domain.users.RefreshToken.is_active_at>`.
Every moment is passed in by the caller (aware), so the rule is testable and clock-independent.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from boursa_db.domain.users import RefreshToken
from boursa_db.errors import NotFound, ValidationError
from boursa_db.repositories.arguments import check_aware, check_id, check_instance
from boursa_db.repositories.base import Repository

__all__ = ["RefreshTokenRepository"]

MAX_REVOKE_REASON_LENGTH = 100


class RefreshTokenRepository(Repository):
    """Collection-like access to :class:`~boursa_db.domain.users.RefreshToken`."""

    async def find_by_id(self, token_id: uuid.UUID) -> RefreshToken | None:
        """The token with this id, or None."""
        check_id("token_id", token_id)
        record = await self._session.read(self._queries.refresh_token_find_by_id, id=token_id)
        return None if record is None else _token_from_record(record)

    async def find_by_token_hash(self, token_hash: str) -> RefreshToken | None:
        """The token with this hash, active or not, or None."""
        if not isinstance(token_hash, str):
            message = f"token_hash: expected text, got {type(token_hash).__name__}"
            raise ValidationError(message, field="token_hash")
        record = await self._session.read(
            self._queries.refresh_token_find_by_token_hash, token_hash=token_hash
        )
        return None if record is None else _token_from_record(record)

    async def find_active_for_user(self, user_id: uuid.UUID, now: datetime) -> list[RefreshToken]:
        """The user's tokens active at ``now``, newest first."""
        check_id("user_id", user_id)
        check_aware("now", now)
        records = await self._session.read(
            self._queries.refresh_token_find_active_for_user, user_id=user_id, now=now
        )
        return [_token_from_record(record) for record in records]

    async def count_active_for_user(self, user_id: uuid.UUID, now: datetime) -> int:
        """How many of the user's tokens are active at ``now`` (open sessions)."""
        check_id("user_id", user_id)
        check_aware("now", now)
        total = await self._session.read(
            self._queries.refresh_token_count_active_for_user, user_id=user_id, now=now
        )
        return int(total)

    async def save(self, token: RefreshToken) -> RefreshToken:
        """Insert the token (``id`` None) or update it; returns the stored token.

        A hash in use already raises :class:`~boursa_db.errors.Duplicate`; an unknown user
        :class:`~boursa_db.errors.MissingReference`; updating a token that does not exist
        :class:`~boursa_db.errors.NotFound`.
        """
        check_instance("token", token, RefreshToken)
        columns = _token_columns(token)
        async with self._session.connection() as connection:
            if token.id is None:
                record = await self._queries.refresh_token_insert(connection, **columns)
            else:
                record = await self._queries.refresh_token_update(
                    connection, id=token.id, **columns
                )
        if record is None:
            raise NotFound(f"no refresh token with id {token.id}")
        return _token_from_record(record)

    async def touch(self, token_id: uuid.UUID, used_at: datetime) -> bool:
        """Record a use of the token at ``used_at``; False if there is no such token.

        ``last_used_at`` never moves back: an older ``used_at`` leaves it as it is.
        """
        check_id("token_id", token_id)
        check_aware("used_at", used_at)
        async with self._session.connection() as connection:
            touched: int = await self._queries.refresh_token_touch(
                connection, id=token_id, used_at=used_at
            )
        return touched > 0

    async def revoke(self, token_id: uuid.UUID, reason: str, at: datetime) -> bool:
        """Revoke one token; False if there is no such token or it was revoked already."""
        check_id("token_id", token_id)
        _check_reason(reason)
        check_aware("at", at)
        async with self._session.connection() as connection:
            revoked: int = await self._queries.refresh_token_revoke(
                connection, id=token_id, reason=reason, revoked_at=at
            )
        return revoked > 0

    async def revoke_all_for_user(self, user_id: uuid.UUID, reason: str, at: datetime) -> int:
        """Revoke every token of the user active at ``at``; returns how many were revoked."""
        check_id("user_id", user_id)
        _check_reason(reason)
        check_aware("at", at)
        async with self._session.connection() as connection:
            revoked: int = await self._queries.refresh_token_revoke_all_for_user(
                connection, user_id=user_id, reason=reason, revoked_at=at
            )
        return revoked

    async def purge_expired(self, before: datetime) -> int:
        """Delete every token expired by ``before`` (revoked or not); returns how many."""
        check_aware("before", before)
        async with self._session.connection() as connection:
            deleted: int = await self._queries.refresh_token_purge_expired(
                connection, before=before
            )
        return deleted

    async def delete(self, token_id: uuid.UUID) -> bool:
        """Delete one token; False if there was no such token."""
        check_id("token_id", token_id)
        async with self._session.connection() as connection:
            deleted: int = await self._queries.refresh_token_delete(connection, id=token_id)
        return deleted > 0


def _token_columns(token: RefreshToken) -> dict[str, Any]:
    """The values of the columns a client owns (not id or created_at)."""
    return {
        "user_id": token.user_id,
        "token_hash": token.token_hash,
        "expires_at": token.expires_at,
        "last_used_at": token.last_used_at,
        "revoked_at": token.revoked_at,
        "revoke_reason": token.revoke_reason,
        "ip_address": token.ip_address,
        "user_agent": token.user_agent,
    }


def _token_from_record(record: Any) -> RefreshToken:
    return RefreshToken(
        id=record["id"],
        user_id=record["user_id"],
        token_hash=record["token_hash"],
        expires_at=record["expires_at"],
        created_at=record["created_at"],
        last_used_at=record["last_used_at"],
        revoked_at=record["revoked_at"],
        revoke_reason=record["revoke_reason"],
        ip_address=record["ip_address"],
        user_agent=record["user_agent"],
    )


def _check_reason(reason: str) -> None:
    if not isinstance(reason, str) or len(reason) > MAX_REVOKE_REASON_LENGTH:
        message = f"reason: expected text of at most {MAX_REVOKE_REASON_LENGTH} characters"
        raise ValidationError(message, field="reason")
