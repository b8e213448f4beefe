"""Platform settings: JSON values by key, secrets kept out of repr."""

from __future__ import annotations

import math
import uuid
from typing import Any

import asyncpg
import attrs
import pytest

from boursa_db.domain.system_config import ConfigEntry
from boursa_db.domain.users import User
from boursa_db.errors import MissingReference, ValidationError
from boursa_db.repositories.base import BoundSession
from boursa_db.repositories.system_config import SystemConfigRepository
from boursa_db.repositories.users import UserRepository


@pytest.fixture
def config(session: BoundSession) -> SystemConfigRepository:
    return SystemConfigRepository(session)


@pytest.fixture
async def admin(session: BoundSession) -> User:
    return await UserRepository(session).save(
        User(email="root@example.com", username="root", password_hash="h", role="admin")
    )


# --- the domain -----------------------------------------------------------------------------


@pytest.mark.parametrize("key", ["trading.enabled", "a", "risk.max_position_pct", "x" * 100])
def test_a_well_formed_key_is_accepted(key: str) -> None:
    assert ConfigEntry(key=key, value=True).key == key


@pytest.mark.parametrize("key", ["Bad Key", "Trading", "1st", "_x", "", "x" * 101, "a-b", "a\n"])
def test_a_malformed_key_is_rejected(key: str) -> None:
    with pytest.raises(ValidationError) as caught:
        ConfigEntry(key=key, value=True)
    assert caught.value.field == "key"


@pytest.mark.parametrize("value", [math.nan, math.inf, {1, 2}, {"when": object()}])
def test_a_value_json_cannot_hold_is_rejected(value: Any) -> None:
    with pytest.raises(ValidationError) as caught:
        ConfigEntry(key="k", value=value)
    assert caught.value.field == "value"


def test_a_secret_value_stays_out_of_repr() -> None:
    secret = ConfigEntry(key="broker.api_key", value="s3cr3t-token", is_secret=True)
    plain = ConfigEntry(key="broker.name", value="acme-broker")

    assert "s3cr3t-token" not in repr(secret)
    assert "broker.api_key" in repr(secret)
    assert "acme-broker" in repr(plain)


def test_a_changed_flag_is_validated_too() -> None:
    entry = ConfigEntry(key="k", value=1)
    with pytest.raises(ValidationError):
        entry.is_secret = "yes"  # type: ignore[assignment]


# --- the repository -------------------------------------------------------------------------


async def test_a_fully_populated_entry_round_trips(
    config: SystemConfigRepository, admin: User
) -> None:
    original = ConfigEntry(
        key="risk.limits",
        value={"max_position_pct": 10.5, "symbols": ["AAPL", "BRK-B"], "enabled": True},
        description="Per-portfolio risk limits",
        is_secret=True,
        updated_by=admin.id,
    )

    stored = await config.set(original)
    found = await config.get("risk.limits")

    assert stored.updated_at is not None
    assert attrs.asdict(stored) == attrs.asdict(original) | {"updated_at": stored.updated_at}
    assert found is not None
    assert attrs.asdict(found) == attrs.asdict(stored)


@pytest.mark.parametrize(
    "value",
    [{"a": {"b": [1, 2]}}, [1, "two", 3.5], "text", 42, 2.5, True, False, None, 10**30],
    ids=["object", "array", "string", "int", "float", "true", "false", "null", "big-int"],
)
async def test_every_kind_of_json_value_round_trips(
    config: SystemConfigRepository, value: Any
) -> None:
    await config.set(ConfigEntry(key="some.setting", value=value))

    found = await config.get("some.setting")

    assert found is not None
    assert found.value == value
    assert type(found.value) is type(value)


async def test_setting_a_key_again_replaces_it(
    connection: asyncpg.Connection, config: SystemConfigRepository, admin: User
) -> None:
    first = await config.set(ConfigEntry(key="trading.enabled", value=True, description="on"))

    second = await config.set(ConfigEntry(key="trading.enabled", value=False, updated_by=admin.id))

    assert (second.value, second.description, second.updated_by) == (False, None, admin.id)
    assert second.updated_at > first.updated_at  # type: ignore[operator]
    assert await connection.fetchval("SELECT count(*) FROM system_config") == 1


async def test_get_returns_none_for_an_unknown_key(config: SystemConfigRepository) -> None:
    assert await config.get("no.such.key") is None


async def test_delete_reports_whether_there_was_a_setting(config: SystemConfigRepository) -> None:
    await config.set(ConfigEntry(key="trading.enabled", value=True))

    assert await config.delete("trading.enabled") is True
    assert await config.delete("trading.enabled") is False
    assert await config.get("trading.enabled") is None


async def test_list_all_returns_every_setting_by_key(config: SystemConfigRepository) -> None:
    for key in ("zeta", "alpha.b", "alpha.a"):
        await config.set(ConfigEntry(key=key, value=key))

    entries = await config.list_all()

    assert [entry.key for entry in entries] == ["alpha.a", "alpha.b", "zeta"]
    assert [entry.value for entry in entries] == ["alpha.a", "alpha.b", "zeta"]


async def test_an_unknown_updater_is_a_missing_reference(config: SystemConfigRepository) -> None:
    with pytest.raises(MissingReference):
        await config.set(ConfigEntry(key="k", value=1, updated_by=uuid.uuid4()))


async def test_a_key_that_is_not_text_is_rejected_before_any_sql(
    connection: asyncpg.Connection, config: SystemConfigRepository
) -> None:
    await connection.close()

    with pytest.raises(ValidationError):
        await config.get(42)  # type: ignore[arg-type]
