"""Alerts: the domain rules and the repository, against a real PostgreSQL."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import asyncpg
import attrs
import pytest

from boursa_db.domain.alerts import Alert, AlertType, ConditionType, NotificationChannel
from boursa_db.errors import MissingReference, NotFound, ValidationError
from boursa_db.repositories.alerts import AlertRepository
from boursa_db.repositories.base import BoundSession

NOW = datetime(2026, 11, 2, 15, 30, tzinfo=UTC)


@pytest.fixture
def alerts(session: BoundSession) -> AlertRepository:
    return AlertRepository(session)


def _alert(user_id: uuid.UUID, **overrides: Any) -> Alert:
    fields: dict[str, Any] = {
        "user_id": user_id,
        "symbol": "AAPL",
        "alert_type": "price",
        "condition_type": "above",
        "threshold_value": Decimal("200"),
        "title": "AAPL above 200",
    }
    return Alert(**(fields | overrides))


# --- the domain -----------------------------------------------------------------------------


def test_an_alert_takes_words_or_members_and_defaults_to_in_app() -> None:
    alert = _alert(uuid.uuid4(), alert_type=AlertType.VOLUME, condition_type="change_pct")

    assert (alert.alert_type, alert.condition_type) == (AlertType.VOLUME, ConditionType.CHANGE_PCT)
    assert alert.notification_channels == [NotificationChannel.IN_APP]
    assert _alert(uuid.uuid4(), notification_channels=("sms", "email")).notification_channels == [
        NotificationChannel.SMS,
        NotificationChannel.EMAIL,
    ]


def test_a_portfolio_alert_needs_a_portfolio() -> None:
    with pytest.raises(ValidationError, match="needs the portfolio") as raised:
        _alert(uuid.uuid4(), alert_type="portfolio")
    assert raised.value.field == "portfolio_id"
    watched = _alert(uuid.uuid4(), alert_type="portfolio", symbol=None, portfolio_id=uuid.uuid4())
    assert watched.symbol is None


@pytest.mark.parametrize("kind", ["price", "volume", "signal"])
def test_a_market_alert_needs_a_symbol(kind: str) -> None:
    with pytest.raises(ValidationError, match="needs the symbol") as raised:
        _alert(uuid.uuid4(), alert_type=kind, symbol=None, portfolio_id=uuid.uuid4())
    assert raised.value.field == "symbol"


def test_a_triggered_alert_needs_the_time_it_triggered() -> None:
    with pytest.raises(ValidationError, match="last_triggered_at") as raised:
        _alert(uuid.uuid4(), is_triggered=True)
    assert raised.value.field == "is_triggered"


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("symbol", "AAPL "),
        ("threshold_value", 200.0),
        ("title", ""),
        ("title", "x" * 201),
        ("message", "x" * 2001),
        ("notification_channels", ["pigeon"]),
        ("notification_channels", "email"),
        ("trigger_count", -1),
        ("expires_at", datetime(2027, 1, 1)),  # naive on purpose
        ("last_triggered_at", datetime(2026, 1, 1)),  # naive on purpose
    ],
)
def test_a_value_the_table_would_refuse_is_rejected_naming_the_field(
    field: str, value: Any
) -> None:
    with pytest.raises(ValidationError) as raised:
        _alert(uuid.uuid4(), **{field: value})
    assert raised.value.field == field


@pytest.mark.parametrize(("field", "value"), [("alert_type", "PRICE"), ("condition_type", "over")])
def test_an_unknown_word_is_rejected(field: str, value: str) -> None:
    with pytest.raises(ValidationError, match=repr(value)):
        _alert(uuid.uuid4(), **{field: value})


# --- the repository -------------------------------------------------------------------------


async def test_a_fully_populated_alert_round_trips(
    alerts: AlertRepository, user_id: uuid.UUID, portfolio_id: uuid.UUID
) -> None:
    alert = Alert(
        user_id=user_id,
        portfolio_id=portfolio_id,
        symbol="BRK-B",
        alert_type=AlertType.PRICE,
        condition_type=ConditionType.BELOW,
        threshold_value=Decimal("-12.12345678"),
        title="BRK-B dip",
        message="Berkshire fell below the threshold",
        notification_channels=[NotificationChannel.EMAIL, NotificationChannel.PUSH],
        is_active=False,
        is_triggered=True,
        trigger_count=7,
        last_triggered_at=NOW - timedelta(hours=1),
        expires_at=NOW + timedelta(days=30),
    )

    saved = await alerts.save(alert)
    found = await alerts.find_by_id(saved.id)  # type: ignore[arg-type]

    assert saved.id is not None
    assert saved.created_at is not None
    assert saved.updated_at is not None
    assert found is not None
    assert attrs.asdict(found) == attrs.asdict(saved)
    server_set = ("id", "created_at", "updated_at")
    assert attrs.asdict(found, filter=lambda a, _: a.name not in server_set) == attrs.asdict(
        alert, filter=lambda a, _: a.name not in server_set
    )


async def test_saving_an_alert_twice_updates_it(
    alerts: AlertRepository, user_id: uuid.UUID
) -> None:
    saved = await alerts.save(_alert(user_id))
    saved.threshold_value = Decimal("210.5")
    saved.notification_channels = [NotificationChannel.SMS]

    updated = await alerts.save(saved)

    assert updated.id == saved.id
    assert updated.threshold_value == Decimal("210.5")
    assert updated.notification_channels == [NotificationChannel.SMS]
    assert await alerts.find_by_id(saved.id) == updated  # type: ignore[arg-type]


async def test_a_rule_broken_by_reassigning_a_field_is_caught_on_save(
    alerts: AlertRepository, user_id: uuid.UUID
) -> None:
    alert = _alert(user_id)
    alert.alert_type = AlertType.PORTFOLIO

    with pytest.raises(ValidationError, match="needs the portfolio"):
        await alerts.save(alert)


async def test_updating_an_unknown_alert_raises_not_found(
    alerts: AlertRepository, user_id: uuid.UUID
) -> None:
    with pytest.raises(NotFound):
        await alerts.save(_alert(user_id, id=uuid.uuid4()))


async def test_an_alert_of_an_unknown_user_is_a_missing_reference(
    alerts: AlertRepository,
) -> None:
    with pytest.raises(MissingReference):
        await alerts.save(_alert(uuid.uuid4()))


async def test_list_for_user_returns_their_alerts_oldest_first(
    alerts: AlertRepository, connection: asyncpg.Connection, user_id: uuid.UUID
) -> None:
    other_user = await connection.fetchval(
        "INSERT INTO users (email, username, password_hash) "
        "VALUES ('grace@example.com', 'grace', 'h') RETURNING id"
    )
    await alerts.save(_alert(other_user))
    first = await alerts.save(_alert(user_id, title="first"))
    await alerts.save(_alert(user_id, title="second", is_active=False))
    await connection.execute(
        "UPDATE alerts SET created_at = created_at - interval '1 hour' WHERE id = $1", first.id
    )

    everything = await alerts.list_for_user(user_id)
    active = await alerts.list_for_user(user_id, active_only=True)

    assert [alert.title for alert in everything] == ["first", "second"]
    assert [alert.id for alert in active] == [first.id]


async def test_list_active_for_symbol_skips_inactive_and_expired_alerts(
    alerts: AlertRepository, user_id: uuid.UUID
) -> None:
    now = datetime.now(UTC)
    watching = await alerts.save(_alert(user_id, title="watching"))
    until_tomorrow = await alerts.save(
        _alert(user_id, title="until tomorrow", expires_at=now + timedelta(days=1))
    )
    await alerts.save(_alert(user_id, title="expired", expires_at=now - timedelta(days=1)))
    await alerts.save(_alert(user_id, title="paused", is_active=False))
    await alerts.save(_alert(user_id, title="other symbol", symbol="MSFT"))

    found = await alerts.list_active_for_symbol("AAPL")

    assert sorted(alert.title for alert in found) == sorted([watching.title, until_tomorrow.title])


async def test_mark_triggered_counts_each_trigger(
    alerts: AlertRepository, user_id: uuid.UUID
) -> None:
    saved = await alerts.save(_alert(user_id))

    once = await alerts.mark_triggered(saved.id, NOW)  # type: ignore[arg-type]
    twice = await alerts.mark_triggered(saved.id, NOW + timedelta(minutes=5))  # type: ignore[arg-type]

    assert (once.is_triggered, once.trigger_count, once.last_triggered_at) == (True, 1, NOW)
    assert (twice.trigger_count, twice.last_triggered_at) == (2, NOW + timedelta(minutes=5))
    assert await alerts.find_by_id(saved.id) == twice  # type: ignore[arg-type]


async def test_mark_triggered_on_an_unknown_alert_raises_not_found(
    alerts: AlertRepository,
) -> None:
    with pytest.raises(NotFound):
        await alerts.mark_triggered(uuid.uuid4(), NOW)


async def test_delete_removes_the_alert_and_reports_it(
    alerts: AlertRepository, user_id: uuid.UUID
) -> None:
    saved = await alerts.save(_alert(user_id))

    assert await alerts.delete(saved.id) is True  # type: ignore[arg-type]
    assert await alerts.find_by_id(saved.id) is None  # type: ignore[arg-type]
    assert await alerts.delete(saved.id) is False  # type: ignore[arg-type]


async def test_deleting_a_portfolio_deletes_its_alerts(
    alerts: AlertRepository,
    connection: asyncpg.Connection,
    user_id: uuid.UUID,
    portfolio_id: uuid.UUID,
) -> None:
    saved = await alerts.save(
        _alert(user_id, alert_type="portfolio", symbol=None, portfolio_id=portfolio_id)
    )

    await connection.execute("DELETE FROM portfolios WHERE id = $1", portfolio_id)

    assert await alerts.find_by_id(saved.id) is None  # type: ignore[arg-type]


async def test_arguments_are_validated_before_any_sql(alerts: AlertRepository) -> None:
    with pytest.raises(ValidationError, match="at"):
        await alerts.mark_triggered(uuid.uuid4(), datetime(2026, 1, 1))
    with pytest.raises(ValidationError, match="symbol"):
        await alerts.list_active_for_symbol("aapl")
    with pytest.raises(ValidationError, match="active_only"):
        await alerts.list_for_user(uuid.uuid4(), active_only="yes")  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match="alert_id"):
        await alerts.find_by_id("1")  # type: ignore[arg-type]
