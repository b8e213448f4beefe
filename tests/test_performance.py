"""PortfolioPerformance and PerformanceRepository: validation, round trips, COPY, ranges."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import asyncpg
import attrs
import pytest

from boursa_db.domain.market import PortfolioPerformance
from boursa_db.errors import Duplicate, MissingReference, ValidationError
from boursa_db.repositories.base import BoundSession
from boursa_db.repositories.copying import ConflictMode
from boursa_db.repositories.performance import PerformanceRepository

NOW = datetime(2026, 11, 2, 16, tzinfo=UTC)
HOUR = timedelta(hours=1)


@pytest.fixture
async def portfolio_id(connection: asyncpg.Connection) -> uuid.UUID:
    user_id = await connection.fetchval(
        "INSERT INTO users (email, username, password_hash) "
        "VALUES ('ada@example.com', 'ada', 'argon2id$hash') RETURNING id"
    )
    portfolio: uuid.UUID = await connection.fetchval(
        "INSERT INTO portfolios (user_id, name) VALUES ($1, 'Main') RETURNING id", user_id
    )
    return portfolio


@pytest.fixture
def performance(session: BoundSession) -> PerformanceRepository:
    return PerformanceRepository(session)


def make_snapshot(
    portfolio_id: uuid.UUID, time: datetime = NOW, **changes: Any
) -> PortfolioPerformance:
    values: dict[str, Any] = {
        "time": time,
        "portfolio_id": portfolio_id,
        "total_value": Decimal("1000.0000"),
        "cash_value": Decimal("100.0000"),
        "invested_value": Decimal("900.0000"),
    }
    values.update(changes)
    return PortfolioPerformance(**values)


def hourly(portfolio_id: uuid.UUID, count: int, **changes: Any) -> list[PortfolioPerformance]:
    total = changes.pop("total_value", Decimal("1000"))
    return [
        make_snapshot(portfolio_id, NOW + index * HOUR, total_value=total + index, **changes)
        for index in range(count)
    ]


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("total_value", Decimal("-0.01")),
        ("cash_value", 100.0),
        ("invested_value", Decimal("NaN")),
        ("daily_return", float("inf")),
        ("volatility_30d", -0.1),
        ("max_drawdown_30d", 0.5),
        ("max_drawdown_30d", -1.5),
        ("number_of_positions", -1),
        ("portfolio_id", "0b6c2d5e-0000-0000-0000-000000000000"),
        ("time", datetime(2026, 11, 2)),
    ],
)
def test_a_snapshot_rejects_values_its_table_refuses(field: str, value: Any) -> None:
    with pytest.raises(ValidationError) as raised:
        attrs.evolve(make_snapshot(uuid.uuid4()), **{field: value})
    assert raised.value.field == field


async def test_a_saved_snapshot_reads_back_with_every_field(
    performance: PerformanceRepository, portfolio_id: uuid.UUID
) -> None:
    snapshot = PortfolioPerformance(
        time=NOW,
        portfolio_id=portfolio_id,
        total_value=Decimal("1234567.8912"),
        cash_value=Decimal("234567.8912"),
        invested_value=Decimal("1000000.0000"),
        daily_return=-0.0125,
        total_return=0.2345,
        volatility_30d=0.18,
        sharpe_ratio_30d=1.45,
        max_drawdown_30d=-0.075,
        beta_30d=1.1,
        alpha_30d=-0.002,
        number_of_positions=12,
    )

    saved = await performance.save(snapshot)
    found = await performance.find_latest(portfolio_id)

    assert found is not None
    assert attrs.asdict(saved) == attrs.asdict(snapshot)
    assert attrs.asdict(found) == attrs.asdict(snapshot)
    assert isinstance(found.total_value, Decimal)


async def test_saving_a_snapshot_twice_replaces_it(
    performance: PerformanceRepository, portfolio_id: uuid.UUID
) -> None:
    await performance.save(make_snapshot(portfolio_id))

    replaced = await performance.save(make_snapshot(portfolio_id, total_value=Decimal("2000")))

    assert await performance.find_range(portfolio_id, NOW, NOW + HOUR) == [replaced]


async def test_a_snapshot_of_an_unknown_portfolio_is_a_missing_reference(
    performance: PerformanceRepository,
) -> None:
    with pytest.raises(MissingReference):
        await performance.save(make_snapshot(uuid.uuid4()))


async def test_the_latest_snapshot_is_none_without_snapshots(
    performance: PerformanceRepository, portfolio_id: uuid.UUID
) -> None:
    assert await performance.find_latest(portfolio_id) is None


async def test_a_range_of_snapshots_is_start_inclusive_end_exclusive(
    performance: PerformanceRepository, portfolio_id: uuid.UUID
) -> None:
    snapshots = hourly(portfolio_id, 6)
    await performance.copy(reversed(snapshots))

    found = await performance.find_range(portfolio_id, NOW + HOUR, NOW + 4 * HOUR)

    assert found == snapshots[1:4]
    assert await performance.find_latest(portfolio_id) == snapshots[-1]


async def test_copying_snapshots_in_each_conflict_mode(
    performance: PerformanceRepository, portfolio_id: uuid.UUID
) -> None:
    old = hourly(portfolio_id, 3)
    await performance.copy(old)
    newer = hourly(portfolio_id, 5, total_value=Decimal("5000"), number_of_positions=3)

    with pytest.raises(Duplicate, match=rf"row 0 \(portfolio {portfolio_id} at 2026-11-02T16"):
        await performance.copy(newer)
    skipped = await performance.copy(newer, on_conflict=ConflictMode.SKIP)
    after_skip = await performance.find_range(portfolio_id, NOW, NOW + 5 * HOUR)
    updated = await performance.copy(newer, on_conflict=ConflictMode.UPDATE)
    after_update = await performance.find_range(portfolio_id, NOW, NOW + 5 * HOUR)

    assert (skipped, updated) == (2, 5)
    assert after_skip == old + newer[3:]
    assert after_update == newer


@pytest.mark.parametrize("mode", list(ConflictMode))
async def test_copying_a_snapshot_of_an_unknown_portfolio_writes_nothing(
    performance: PerformanceRepository, portfolio_id: uuid.UUID, mode: ConflictMode
) -> None:
    batch = [*hourly(portfolio_id, 2), make_snapshot(uuid.uuid4())]

    with pytest.raises(MissingReference):
        await performance.copy(batch, on_conflict=mode)

    assert await performance.find_latest(portfolio_id) is None


async def test_a_refused_snapshot_writes_nothing_and_names_its_row(
    performance: PerformanceRepository, portfolio_id: uuid.UUID
) -> None:
    batch = hourly(portfolio_id, 3)
    object.__setattr__(batch[1], "max_drawdown_30d", 0.5)

    with pytest.raises(ValidationError, match=r"row 1 \(portfolio ") as raised:
        await performance.copy(batch)

    assert (raised.value.row, raised.value.field) == (1, "portfolio_performance_drawdown_range")
    assert await performance.find_latest(portfolio_id) is None


async def test_an_item_that_is_not_a_snapshot_is_refused_by_its_index(
    performance: PerformanceRepository, portfolio_id: uuid.UUID
) -> None:
    with pytest.raises(ValidationError, match="row 0: expected a PortfolioPerformance") as raised:
        await performance.copy([{"portfolio_id": portfolio_id}])  # type: ignore[list-item]
    assert raised.value.row == 0


async def test_snapshot_queries_reject_bad_arguments(
    performance: PerformanceRepository, portfolio_id: uuid.UUID
) -> None:
    with pytest.raises(ValidationError, match="portfolio_id"):
        await performance.find_latest(str(portfolio_id))  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match="naive"):
        await performance.find_range(portfolio_id, datetime(2026, 11, 2), NOW)
    with pytest.raises(ValidationError, match="after end"):
        await performance.find_range(portfolio_id, NOW, NOW - HOUR)
