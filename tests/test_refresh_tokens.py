"""Refresh tokens: active, revoked and expired tokens, revocation and purging, for real."""

from __future__ import annotations

import ipaddress
import uuid
from datetime import UTC, datetime, timedelta

import asyncpg
import attrs
import pytest

from boursa_db.domain.users import RefreshToken, User
from boursa_db.errors import Duplicate, MissingReference, NotFound, ValidationError
from boursa_db.repositories.base import BoundSession
from boursa_db.repositories.refresh_tokens import RefreshTokenRepository
from boursa_db.repositories.users import UserRepository

NOW = datetime(2026, 11, 2, 15, 30, tzinfo=UTC)
HOUR = timedelta(hours=1)


@pytest.fixture
async def now(connection: asyncpg.Connection) -> datetime:
    """The server's present, to the second: tokens expire after their server-set created_at."""
    moment: datetime = await connection.fetchval("SELECT date_trunc('second', now())")
    return moment


@pytest.fixture
def tokens(session: BoundSession) -> RefreshTokenRepository:
    return RefreshTokenRepository(session)


@pytest.fixture
async def user(session: BoundSession) -> User:
    return await UserRepository(session).save(
        User(email="ada@example.com", username="ada", password_hash="argon2id$hash")
    )


@pytest.fixture
async def other_user(session: BoundSession) -> User:
    return await UserRepository(session).save(
        User(email="bob@example.com", username="bob", password_hash="argon2id$hash")
    )


def _token(
    user: User, name: str, now: datetime, *, expires_in: timedelta = 24 * HOUR
) -> RefreshToken:
    return RefreshToken(
        user_id=user.id,  # type: ignore[arg-type]
        token_hash=f"sha256:{name:0>32}",
        expires_at=now + expires_in,
    )


async def _ids_of_active(
    tokens: RefreshTokenRepository, user: User, now: datetime
) -> set[uuid.UUID | None]:
    return {token.id for token in await tokens.find_active_for_user(user.id, now)}  # type: ignore[arg-type]


# --- the domain -----------------------------------------------------------------------------


def test_a_token_is_active_until_it_expires_or_is_revoked() -> None:
    token = RefreshToken(user_id=uuid.uuid4(), token_hash="h" * 64, expires_at=NOW + HOUR)
    revoked = attrs.evolve(token, revoked_at=NOW, revoke_reason="logout")

    assert token.is_active_at(NOW) is True
    assert token.is_active_at(NOW + HOUR) is False
    assert revoked.is_active_at(NOW) is False


def test_is_active_at_rejects_a_naive_moment() -> None:
    token = RefreshToken(user_id=uuid.uuid4(), token_hash="h" * 64, expires_at=NOW + HOUR)
    with pytest.raises(ValidationError):
        token.is_active_at(datetime(2026, 1, 1))


def test_an_ip_address_may_be_given_as_text() -> None:
    token = RefreshToken(
        user_id=uuid.uuid4(), token_hash="h" * 64, expires_at=NOW + HOUR, ip_address="2001:db8::1"
    )
    assert token.ip_address == ipaddress.IPv6Address("2001:db8::1")


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"token_hash": "short"}, "token_hash"),
        ({"expires_at": datetime(2026, 1, 1)}, "expires_at"),
        ({"ip_address": "not an address"}, "ip_address"),
        ({"revoke_reason": "logout"}, "revoke_reason"),
        ({"revoked_at": NOW, "revoke_reason": "x" * 101}, "revoke_reason"),
        ({"user_agent": "x" * 1001}, "user_agent"),
        ({"created_at": NOW + 2 * HOUR}, "expires_at"),
        ({"user_id": "not-a-uuid"}, "user_id"),
    ],
)
def test_a_token_the_table_would_refuse_is_rejected(changes: dict[str, object], field: str) -> None:
    fields: dict[str, object] = {
        "user_id": uuid.uuid4(),
        "token_hash": "h" * 64,
        "expires_at": NOW + HOUR,
    }
    with pytest.raises(ValidationError) as caught:
        RefreshToken(**(fields | changes))  # type: ignore[arg-type]
    assert caught.value.field == field


def test_the_token_hash_stays_out_of_repr() -> None:
    token = RefreshToken(user_id=uuid.uuid4(), token_hash="secret" * 8, expires_at=NOW + HOUR)
    assert "secret" not in repr(token)


# --- the repository -------------------------------------------------------------------------


async def test_a_fully_populated_token_round_trips(
    tokens: RefreshTokenRepository, user: User, now: datetime
) -> None:
    original = RefreshToken(
        user_id=user.id,  # type: ignore[arg-type]
        token_hash="sha256:" + "ab" * 32,
        expires_at=now + 30 * 24 * HOUR,
        last_used_at=now - HOUR,
        revoked_at=now + HOUR,
        revoke_reason="password changed",
        ip_address=ipaddress.IPv6Address("2001:db8::42"),
        user_agent="Mozilla/5.0 (X11; Linux x86_64)",
    )

    saved = await tokens.save(original)
    found = await tokens.find_by_token_hash(original.token_hash)

    assert saved.id is not None
    assert saved.created_at is not None
    assert attrs.asdict(saved) == attrs.asdict(original) | {
        "id": saved.id,
        "created_at": saved.created_at,
    }
    assert found is not None
    assert attrs.asdict(found) == attrs.asdict(saved)
    assert await tokens.find_by_id(saved.id) == saved


async def test_the_server_sets_last_used_at_when_none_is_given(
    tokens: RefreshTokenRepository, user: User, now: datetime
) -> None:
    saved = await tokens.save(_token(user, "a", now))

    assert saved.last_used_at == saved.created_at
    assert saved.ip_address is None


async def test_an_ipv4_address_comes_back_as_an_address(
    tokens: RefreshTokenRepository, user: User, now: datetime
) -> None:
    saved = await tokens.save(attrs.evolve(_token(user, "a", now), ip_address="192.0.2.7"))

    assert saved.ip_address == ipaddress.IPv4Address("192.0.2.7")


async def test_saving_a_token_twice_updates_it(
    tokens: RefreshTokenRepository, user: User, now: datetime
) -> None:
    first = await tokens.save(_token(user, "a", now))

    second = await tokens.save(attrs.evolve(first, user_agent="curl/8.5", expires_at=now + HOUR))

    assert second.id == first.id
    assert (second.user_agent, second.expires_at) == ("curl/8.5", now + HOUR)
    assert (second.created_at, second.last_used_at) == (first.created_at, first.last_used_at)


async def test_saving_an_unknown_token_raises_not_found(
    tokens: RefreshTokenRepository, user: User, now: datetime
) -> None:
    with pytest.raises(NotFound):
        await tokens.save(attrs.evolve(_token(user, "a", now), id=uuid.uuid4()))


async def test_a_hash_in_use_is_a_duplicate(
    tokens: RefreshTokenRepository, user: User, now: datetime
) -> None:
    await tokens.save(_token(user, "a", now))

    with pytest.raises(Duplicate) as caught:
        await tokens.save(_token(user, "a", now))

    assert caught.value.constraint == "refresh_tokens_token_hash_key"


async def test_a_token_of_an_unknown_user_is_a_missing_reference(
    tokens: RefreshTokenRepository, now: datetime
) -> None:
    ghost = User(id=uuid.uuid4(), email="g@example.com", username="ghost", password_hash="h")

    with pytest.raises(MissingReference):
        await tokens.save(_token(ghost, "a", now))


async def test_find_by_token_hash_returns_none_for_an_unknown_hash(
    tokens: RefreshTokenRepository,
) -> None:
    assert await tokens.find_by_token_hash("sha256:" + "0" * 64) is None


async def test_only_tokens_neither_revoked_nor_expired_are_active(
    tokens: RefreshTokenRepository, user: User, other_user: User, now: datetime
) -> None:
    short = await tokens.save(_token(user, "short", now, expires_in=HOUR))
    long = await tokens.save(_token(user, "long", now, expires_in=3 * HOUR))
    revoked = await tokens.save(_token(user, "revoked", now, expires_in=3 * HOUR))
    await tokens.revoke(revoked.id, "logout", now)  # type: ignore[arg-type]
    await tokens.save(_token(other_user, "theirs", now, expires_in=3 * HOUR))

    assert await _ids_of_active(tokens, user, now) == {short.id, long.id}
    assert await _ids_of_active(tokens, user, now + 2 * HOUR) == {long.id}
    assert await _ids_of_active(tokens, user, now + 3 * HOUR) == set()
    assert await tokens.count_active_for_user(user.id, now) == 2  # type: ignore[arg-type]
    assert await tokens.count_active_for_user(user.id, now + 2 * HOUR) == 1  # type: ignore[arg-type]


async def test_active_tokens_agree_with_the_domain_rule(
    tokens: RefreshTokenRepository, user: User, now: datetime
) -> None:
    saved = [
        await tokens.save(_token(user, str(hours), now, expires_in=hours * HOUR))
        for hours in (1, 2, 3)
    ]
    await tokens.revoke(saved[2].id, "stolen", now)  # type: ignore[arg-type]
    stored = [await tokens.find_by_id(token.id) for token in saved]  # type: ignore[arg-type]

    for moment in (now, now + HOUR, now + 90 * timedelta(minutes=1)):
        expected = {token.id for token in stored if token and token.is_active_at(moment)}
        assert await _ids_of_active(tokens, user, moment) == expected


async def test_active_tokens_come_newest_first(
    connection: asyncpg.Connection, tokens: RefreshTokenRepository, user: User, now: datetime
) -> None:
    older = await tokens.save(_token(user, "older", now))
    newer = await tokens.save(_token(user, "newer", now))
    await connection.execute(
        "UPDATE refresh_tokens SET created_at = created_at - interval '1 hour' WHERE id = $1",
        older.id,
    )

    active = await tokens.find_active_for_user(user.id, now)  # type: ignore[arg-type]

    assert [token.id for token in active] == [newer.id, older.id]


async def test_revoke_marks_the_token_once(
    tokens: RefreshTokenRepository, user: User, now: datetime
) -> None:
    saved = await tokens.save(_token(user, "a", now))

    first = await tokens.revoke(saved.id, "logout", now)  # type: ignore[arg-type]
    second = await tokens.revoke(saved.id, "stolen", now + HOUR)  # type: ignore[arg-type]

    found = await tokens.find_by_id(saved.id)  # type: ignore[arg-type]
    assert (first, second) == (True, False)
    assert found is not None
    assert (found.revoked_at, found.revoke_reason) == (now, "logout")


async def test_revoke_returns_false_for_an_unknown_token(
    tokens: RefreshTokenRepository, now: datetime
) -> None:
    assert await tokens.revoke(uuid.uuid4(), "logout", now) is False


async def test_revoke_all_revokes_exactly_the_users_active_tokens(
    tokens: RefreshTokenRepository, user: User, other_user: User, now: datetime
) -> None:
    active = [await tokens.save(_token(user, f"a{n}", now, expires_in=3 * HOUR)) for n in range(3)]
    expiring = await tokens.save(_token(user, "expiring", now, expires_in=HOUR))
    revoked = await tokens.save(_token(user, "revoked", now, expires_in=3 * HOUR))
    await tokens.revoke(revoked.id, "logout", now)  # type: ignore[arg-type]
    theirs = await tokens.save(_token(other_user, "theirs", now, expires_in=3 * HOUR))
    at = now + 2 * HOUR

    count = await tokens.revoke_all_for_user(user.id, "logout everywhere", at)  # type: ignore[arg-type]
    again = await tokens.revoke_all_for_user(user.id, "logout everywhere", at)  # type: ignore[arg-type]

    assert (count, again) == (3, 0)
    for token in active:
        found = await tokens.find_by_id(token.id)  # type: ignore[arg-type]
        assert found is not None
        assert (found.revoked_at, found.revoke_reason) == (at, "logout everywhere")
    unchanged = await tokens.find_by_id(expiring.id)  # type: ignore[arg-type]
    assert unchanged is not None
    assert unchanged.revoked_at is None
    still_first = await tokens.find_by_id(revoked.id)  # type: ignore[arg-type]
    assert still_first is not None
    assert still_first.revoke_reason == "logout"
    assert await tokens.count_active_for_user(other_user.id, at) == 1  # type: ignore[arg-type]
    assert await tokens.find_by_id(theirs.id) == theirs  # type: ignore[arg-type]


async def test_purge_expired_deletes_exactly_the_expired_tokens(
    tokens: RefreshTokenRepository, user: User, other_user: User, now: datetime
) -> None:
    saved = [
        await tokens.save(_token(user, f"t{hours}", now, expires_in=hours * HOUR))
        for hours in (1, 2, 3)
    ]
    revoked_live = await tokens.save(_token(user, "revoked-live", now, expires_in=3 * HOUR))
    await tokens.revoke(revoked_live.id, "logout", now)  # type: ignore[arg-type]
    revoked_dead = await tokens.save(_token(other_user, "revoked-dead", now, expires_in=HOUR))
    await tokens.revoke(revoked_dead.id, "logout", now)  # type: ignore[arg-type]
    before = now + 2 * HOUR

    purged = await tokens.purge_expired(before)

    remaining = {
        token.id
        for token in [*saved, revoked_live, revoked_dead]
        if await tokens.find_by_id(token.id) is not None  # type: ignore[arg-type]
    }
    assert purged == 3
    assert remaining == {saved[2].id, revoked_live.id}
    assert await tokens.purge_expired(before) == 0


async def test_touch_moves_last_used_at_forward_only(
    tokens: RefreshTokenRepository, user: User, now: datetime
) -> None:
    saved = await tokens.save(attrs.evolve(_token(user, "a", now), last_used_at=now))

    forward = await tokens.touch(saved.id, now + HOUR)  # type: ignore[arg-type]
    backward = await tokens.touch(saved.id, now - HOUR)  # type: ignore[arg-type]

    found = await tokens.find_by_id(saved.id)  # type: ignore[arg-type]
    assert (forward, backward) == (True, True)
    assert found is not None
    assert found.last_used_at == now + HOUR
    assert await tokens.touch(uuid.uuid4(), now) is False


async def test_delete_removes_one_token(
    tokens: RefreshTokenRepository, user: User, now: datetime
) -> None:
    saved = await tokens.save(_token(user, "a", now))

    assert await tokens.delete(saved.id) is True  # type: ignore[arg-type]
    assert await tokens.delete(saved.id) is False  # type: ignore[arg-type]
    assert await tokens.find_by_id(saved.id) is None  # type: ignore[arg-type]


async def test_deleting_a_user_deletes_their_tokens(
    session: BoundSession,
    tokens: RefreshTokenRepository,
    user: User,
    other_user: User,
    now: datetime,
) -> None:
    mine = [await tokens.save(_token(user, f"m{n}", now)) for n in range(3)]
    theirs = await tokens.save(_token(other_user, "theirs", now))

    await UserRepository(session).delete(user.id)  # type: ignore[arg-type]

    for token in mine:
        assert await tokens.find_by_id(token.id) is None  # type: ignore[arg-type]
    assert await tokens.find_by_id(theirs.id) == theirs  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "call",
    [
        lambda tokens, user_id: tokens.find_active_for_user(user_id, datetime(2026, 1, 1)),
        lambda tokens, user_id: tokens.count_active_for_user(user_id, datetime(2026, 1, 1)),
        lambda tokens, user_id: tokens.revoke_all_for_user(user_id, "x", datetime(2026, 1, 1)),
        lambda tokens, user_id: tokens.revoke(user_id, "x", datetime(2026, 1, 1)),
        lambda tokens, user_id: tokens.touch(user_id, datetime(2026, 1, 1)),
        lambda tokens, _: tokens.purge_expired(datetime(2026, 1, 1)),
        lambda tokens, user_id: tokens.revoke(user_id, "x" * 101, NOW),
    ],
    ids=[
        "naive-active-moment",
        "naive-count-moment",
        "naive-revoke-all-moment",
        "naive-revoke-moment",
        "naive-touch-moment",
        "naive-purge-moment",
        "over-long-reason",
    ],
)
async def test_bad_arguments_are_rejected_before_any_sql(
    connection: asyncpg.Connection, tokens: RefreshTokenRepository, call: object
) -> None:
    await connection.close()

    with pytest.raises(ValidationError):
        await call(tokens, uuid.uuid4())  # type: ignore[operator]
