"""Users: the domain rules and the repository, against a real PostgreSQL."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any

import asyncpg
import attrs
import pytest

from boursa_db.domain.users import InvestmentExperience, RiskTolerance, User, UserRole
from boursa_db.errors import Duplicate, NotFound, ValidationError
from boursa_db.queries import default_library
from boursa_db.repositories.base import BoundSession
from boursa_db.repositories.users import UserRepository

SERVER_SET = ("id", "created_at", "updated_at")


def _user(**overrides: Any) -> User:
    fields: dict[str, Any] = {
        "email": "ada@example.com",
        "username": "ada",
        "password_hash": "argon2id$v=19$m=65536,t=3,p=4$c2FsdA$aGFzaA",
    }
    return User(**(fields | overrides))


def _fully_populated_user() -> User:
    return User(
        email="Grace.Hopper@Example.com",
        username="grace.hopper",
        password_hash="argon2id$v=19$m=65536,t=3,p=4$c2FsdA$aGFzaA",
        role=UserRole.TRADER,
        first_name="Grace",
        last_name="Hopper",
        phone="+1 (212) 555-0199",
        date_of_birth=date(1906, 12, 9),
        country="US",
        timezone="America/New_York",
        language="en-US",
        preferred_currency="EUR",
        risk_tolerance=RiskTolerance.AGGRESSIVE,
        investment_experience=InvestmentExperience.EXPERT,
        is_active=False,
        is_verified=True,
        two_factor_enabled=True,
        last_login_at=datetime(2026, 3, 1, 9, 15, 30, 123456, tzinfo=timezone(timedelta(hours=2))),
    )


def _client_fields(user: User) -> dict[str, Any]:
    return {name: value for name, value in attrs.asdict(user).items() if name not in SERVER_SET}


@pytest.fixture
def users(session: BoundSession) -> UserRepository:
    return UserRepository(session)


# --- the domain -----------------------------------------------------------------------------


def test_a_user_accepts_vocabulary_words_and_enum_members_alike() -> None:
    user = _user(role="analyst", risk_tolerance="conservative", investment_experience="advanced")

    assert user.role is UserRole.ANALYST
    assert user.risk_tolerance is RiskTolerance.CONSERVATIVE
    assert user.investment_experience is InvestmentExperience.ADVANCED


@pytest.mark.parametrize(
    ("field", "value", "vocabulary"),
    [
        ("role", "superuser", "UserRole"),
        ("role", "ADMIN", "UserRole"),
        ("risk_tolerance", "yolo", "RiskTolerance"),
        ("investment_experience", "guru", "InvestmentExperience"),
    ],
)
def test_a_word_outside_a_vocabulary_is_rejected(field: str, value: str, vocabulary: str) -> None:
    with pytest.raises(ValidationError, match=f"{value!r} is not a valid {vocabulary}"):
        _user(**{field: value})


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("email", "not-an-email"),
        ("email", "two@@example.com"),
        ("email", "ada@example.com\n"),
        ("email", "a" * 243 + "@example.com"),
        ("username", "ab"),
        ("username", "a b"),
        ("username", "x" * 51),
        ("password_hash", ""),
        ("first_name", "x" * 101),
        ("phone", "call me maybe"),
        ("country", "fr"),
        ("country", "FRA"),
        ("timezone", ""),
        ("language", "EN"),
        ("language", "en-us"),
        ("preferred_currency", "usd"),
        ("date_of_birth", datetime(1990, 1, 1, tzinfo=UTC)),
        ("is_active", "yes"),
        ("id", "0b8e2a36-0000-0000-0000-000000000000"),
    ],
)
def test_a_value_the_table_would_refuse_is_rejected_naming_the_field(
    field: str, value: Any
) -> None:
    with pytest.raises(ValidationError) as caught:
        _user(**{field: value})
    assert caught.value.field == field


@pytest.mark.parametrize("field", ["last_login_at", "created_at", "updated_at"])
def test_a_naive_datetime_is_rejected(field: str) -> None:
    with pytest.raises(ValidationError) as caught:
        _user(**{field: datetime(2026, 1, 1, 12, 0)})
    assert caught.value.field == field


def test_an_email_of_254_characters_is_accepted() -> None:
    email = "a" * 242 + "@example.com"
    assert len(email) == 254
    assert _user(email=email).email == email


def test_the_password_hash_stays_out_of_repr() -> None:
    assert "argon2id" not in repr(_user())


def test_a_changed_field_is_validated_too() -> None:
    user = _user()
    with pytest.raises(ValidationError):
        user.role = "root"  # type: ignore[assignment]


# --- the repository -------------------------------------------------------------------------


async def test_a_fully_populated_user_round_trips(users: UserRepository) -> None:
    original = _fully_populated_user()

    saved = await users.save(original)
    found = await users.find_by_id(saved.id)  # type: ignore[arg-type]

    assert saved.id is not None
    assert saved.created_at is not None
    assert saved.updated_at is not None
    assert _client_fields(saved) == _client_fields(original)
    assert found is not None
    assert attrs.asdict(found) == attrs.asdict(saved)


async def test_saving_returns_the_server_defaults(users: UserRepository) -> None:
    saved = await users.save(_user())

    assert saved.role is UserRole.VIEWER
    assert (saved.timezone, saved.language, saved.preferred_currency) == ("UTC", "en", "USD")
    assert saved.created_at == saved.updated_at


async def test_saving_a_user_twice_updates_it(users: UserRepository) -> None:
    first = await users.save(_user())

    second = await users.save(attrs.evolve(first, first_name="Ada", role=UserRole.ADMIN))

    assert second.id == first.id
    assert (second.first_name, second.role) == ("Ada", UserRole.ADMIN)
    assert second.created_at == first.created_at
    assert second.updated_at > first.updated_at  # type: ignore[operator]
    assert await users.count() == 1


async def test_saving_a_user_that_does_not_exist_raises_not_found(users: UserRepository) -> None:
    with pytest.raises(NotFound):
        await users.save(_user(id=uuid.uuid4()))


async def test_an_email_taken_in_another_case_is_a_duplicate(users: UserRepository) -> None:
    await users.save(_user(email="ada@example.com", username="ada"))

    with pytest.raises(Duplicate) as caught:
        await users.save(_user(email="ADA@Example.COM", username="ada2"))

    assert caught.value.constraint == "users_email_key"


async def test_a_taken_username_is_a_duplicate(users: UserRepository) -> None:
    await users.save(_user(email="ada@example.com", username="ada"))

    with pytest.raises(Duplicate) as caught:
        await users.save(_user(email="other@example.com", username="ada"))

    assert caught.value.constraint == "users_username_key"


async def test_find_by_email_ignores_case(users: UserRepository) -> None:
    saved = await users.save(_user(email="Ada.Lovelace@Example.com"))

    found = await users.find_by_email("ada.lovelace@EXAMPLE.COM")

    assert found == saved
    assert await users.find_by_email("nobody@example.com") is None


async def test_exists_by_email_ignores_case(users: UserRepository) -> None:
    await users.save(_user(email="ada@example.com"))

    assert await users.exists_by_email("ADA@example.com") is True
    assert await users.exists_by_email("bob@example.com") is False


async def test_find_by_username_is_exact(users: UserRepository) -> None:
    saved = await users.save(_user(username="Ada_L"))

    assert await users.find_by_username("Ada_L") == saved
    assert await users.find_by_username("ada_l") is None


async def test_get_by_id_raises_not_found_for_an_unknown_id(users: UserRepository) -> None:
    with pytest.raises(NotFound):
        await users.get_by_id(uuid.uuid4())


async def test_get_by_id_returns_the_user(users: UserRepository) -> None:
    saved = await users.save(_user())

    assert await users.get_by_id(saved.id) == saved  # type: ignore[arg-type]


async def test_delete_removes_the_user_and_reports_it(users: UserRepository) -> None:
    saved = await users.save(_user())

    assert await users.delete(saved.id) is True  # type: ignore[arg-type]
    assert await users.find_by_id(saved.id) is None  # type: ignore[arg-type]


async def test_delete_returns_false_for_an_unknown_id(users: UserRepository) -> None:
    assert await users.delete(uuid.uuid4()) is False


async def test_record_login_sets_last_login_at(users: UserRepository) -> None:
    saved = await users.save(_user())
    at = datetime(2026, 5, 4, 8, 0, tzinfo=UTC)

    await users.record_login(saved.id, at)  # type: ignore[arg-type]

    found = await users.get_by_id(saved.id)  # type: ignore[arg-type]
    assert found.last_login_at == at


async def test_record_login_for_an_unknown_user_raises_not_found(users: UserRepository) -> None:
    with pytest.raises(NotFound):
        await users.record_login(uuid.uuid4(), datetime(2026, 5, 4, tzinfo=UTC))


async def test_a_naive_datetime_is_rejected_before_any_sql(
    connection: asyncpg.Connection, users: UserRepository
) -> None:
    saved = await users.save(_user())
    # A closed connection fails any statement: only a check made before SQL can answer.
    await connection.close()

    with pytest.raises(ValidationError) as caught:
        await users.record_login(saved.id, datetime(2026, 5, 4, 8, 0))  # type: ignore[arg-type]

    assert caught.value.field == "at"


@pytest.mark.parametrize(
    ("arguments", "field"),
    [
        ({"limit": 0}, "limit"),
        ({"limit": 1001}, "limit"),
        ({"offset": -1}, "offset"),
        ({"role": "root"}, "role"),
    ],
)
async def test_list_arguments_are_validated_before_any_sql(
    connection: asyncpg.Connection,
    users: UserRepository,
    arguments: dict[str, Any],
    field: str,
) -> None:
    await connection.close()

    with pytest.raises(ValidationError) as caught:
        await users.list(**arguments)

    assert caught.value.field == field


async def test_an_id_that_is_not_a_uuid_is_rejected(users: UserRepository) -> None:
    with pytest.raises(ValidationError):
        await users.find_by_id("42")  # type: ignore[arg-type]


async def test_pages_are_stable_and_complete(
    connection: asyncpg.Connection, users: UserRepository
) -> None:
    # One transaction gives every user the same created_at: the order must still be total.
    async with connection.transaction():
        for number in range(23):
            await users.save(_user(email=f"user{number}@example.com", username=f"user{number}"))
    for number in range(23, 30):
        await users.save(_user(email=f"user{number}@example.com", username=f"user{number}"))

    pages = [await users.list(limit=7, offset=offset) for offset in range(0, 35, 7)]
    again = [await users.list(limit=7, offset=offset) for offset in range(0, 35, 7)]

    ids = [user.id for page in pages for user in page]
    assert [len(page) for page in pages] == [7, 7, 7, 7, 2]
    assert len(set(ids)) == len(ids) == await users.count() == 30
    assert [user.id for page in again for user in page] == ids
    keys = [(user.created_at, user.id) for page in pages for user in page]
    assert keys == sorted(keys)


async def test_list_and_count_filter_by_role_and_activity(users: UserRepository) -> None:
    specs = [
        ("a1", UserRole.ADMIN, True),
        ("t1", UserRole.TRADER, True),
        ("t2", UserRole.TRADER, False),
        ("v1", UserRole.VIEWER, True),
    ]
    for name, role, is_active in specs:
        await users.save(
            _user(email=f"{name}@example.com", username=f"{name}xx", role=role, is_active=is_active)
        )

    traders = await users.list(role="trader")
    active_traders = await users.list(role=UserRole.TRADER, active_only=True)
    active = await users.list(active_only=True)

    assert sorted(user.username for user in traders) == ["t1xx", "t2xx"]
    assert [user.username for user in active_traders] == ["t1xx"]
    assert sorted(user.username for user in active) == ["a1xx", "t1xx", "v1xx"]
    assert await users.count(role="trader") == 2
    assert await users.count(role="trader", active_only=True) == 1
    assert await users.count(active_only=True) == 3
    assert await users.count(role=UserRole.ANALYST) == 0


async def test_find_by_email_uses_the_lower_email_index(
    connection: asyncpg.Connection, users: UserRepository
) -> None:
    await connection.execute(
        "INSERT INTO users (email, username, password_hash) "
        "SELECT 'user' || n || '@example.com', 'user' || n, 'hash' "
        "FROM generate_series(1, 3000) AS n"
    )
    await connection.execute("ANALYZE users")
    statement = default_library().user_find_by_email.sql

    plan_rows = await connection.fetch(f"EXPLAIN {statement}", "USER1234@example.com")
    plan = "\n".join(row[0] for row in plan_rows)
    # asyncpg keeps the statement prepared; after a few runs the server may switch to a plan
    # made without the value. That generic plan must use the index as well.
    await connection.execute("SET plan_cache_mode = force_generic_plan")
    await connection.execute(f"PREPARE find_by_email (text) AS {statement}")
    generic_rows = await connection.fetch("EXPLAIN EXECUTE find_by_email ('USER1234@example.com')")
    generic_plan = "\n".join(row[0] for row in generic_rows)

    assert "users_email_key" in plan, plan
    assert "users_email_key" in generic_plan, generic_plan
    found = await users.find_by_email("USER1234@example.com")
    assert found is not None
    assert found.username == "user1234"
