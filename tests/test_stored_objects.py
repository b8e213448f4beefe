"""Objects read back are built without re-validation, and are the objects validation would build."""

from __future__ import annotations

from decimal import Decimal

import attrs
import pytest

from boursa_db import PersistenceContext, Portfolio, Position, User
from boursa_db.repositories.stored import stored


def test_a_stored_object_without_every_field_is_refused_naming_what_is_missing() -> None:
    with pytest.raises(TypeError, match="missing average_price, created_at"):
        stored(Position, symbol="AAPL")


def test_a_stored_object_with_a_field_its_class_lacks_is_refused_naming_it() -> None:
    fields = {field.name: None for field in attrs.fields(Position)}

    with pytest.raises(TypeError, match="no colour"):
        stored(Position, **fields, colour="red")


async def test_a_user_read_back_equals_the_same_user_validated_again(
    context: PersistenceContext,
) -> None:
    async with context.uow() as uow:
        await uow.users.save(
            User(email="ada@example.com", username="ada", password_hash="h", role="trader")
        )

    found = await context.users.find_by_email("ada@example.com")

    assert found is not None
    assert found == User(**attrs.asdict(found, recurse=False))


async def test_a_portfolio_read_back_equals_the_same_portfolio_validated_again(
    context: PersistenceContext,
) -> None:
    async with context.uow() as uow:
        user = await uow.users.save(
            User(email="bob@example.com", username="bob", password_hash="h")
        )
        assert user.id is not None
        saved = await uow.portfolios.save(
            Portfolio(
                user_id=user.id,
                name="Main",
                cash_balance=Decimal("10.5"),
                positions=[Position(symbol="AAPL", quantity=Decimal(3), average_price=Decimal(2))],
            )
        )
    assert saved.id is not None

    found = await context.portfolios.get_by_id(saved.id)

    positions = [Position(**attrs.asdict(item, recurse=False)) for item in found.positions]
    again = Portfolio(**{**attrs.asdict(found, recurse=False), "positions": positions})
    assert found == again
    assert found.positions == saved.positions
