"""The audit trail written by triggers: one row per changed row, secrets left out, the application
user recorded, and nothing the application role can forge, alter or remove."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import asyncpg
import pytest

from boursa_db.codecs import register_codecs
from boursa_db.context import PersistenceContext, create_persistence_context, get_uow
from boursa_db.domain.audit import AuditAction
from boursa_db.domain.portfolios import Portfolio, Position, Transaction, TransactionType
from boursa_db.domain.users import RefreshToken, User
from boursa_db.errors import Duplicate, PermissionDenied, ValidationError
from tests.conftest import LoginFactory
from tests.test_market_data import START, minute_bars

NOW = datetime(2026, 11, 2, 15, 30, tzinfo=UTC)
PASSWORD_HASH = "argon2id$v=19$m=65536,t=3,p=4$c2VjcmV0LXNhbHQ$SECRET-HASH-VALUE"
TOKEN_HASH = "sha256:" + "ab" * 32


def _user(name: str = "ada") -> User:
    return User(email=f"{name}@example.com", username=name, password_hash=PASSWORD_HASH)


async def _audit_rows(database_url: str) -> list[asyncpg.Record]:
    connection = await asyncpg.connect(database_url)
    await register_codecs(connection)
    try:
        return list(await connection.fetch("SELECT * FROM audit_log ORDER BY id"))
    finally:
        await connection.close()


async def _tally(database_url: str) -> Counter[tuple[str, str]]:
    return Counter((row["table_name"], row["action"]) for row in await _audit_rows(database_url))


async def test_each_insert_update_and_delete_of_a_user_leaves_exactly_one_row(
    context: PersistenceContext, database_url: str
) -> None:
    async with context.uow() as uow:
        user = await uow.users.save(_user())
    user.first_name = "Ada"
    async with context.uow() as uow:
        user = await uow.users.save(user)
        assert await uow.users.delete(user.id)

    rows = await _audit_rows(database_url)
    session_user = await _session_user(database_url)

    assert [(row["table_name"], row["action"]) for row in rows] == [
        ("users", "insert"),
        ("users", "update"),
        ("users", "delete"),
    ]
    assert {row["row_key"]["id"] for row in rows} == {str(user.id)}
    inserted, updated, deleted = rows
    assert inserted["old_values"] is None
    assert inserted["new_values"]["email"] == "ada@example.com"
    assert (updated["old_values"]["first_name"], updated["new_values"]["first_name"]) == (
        None,
        "Ada",
    )
    assert deleted["new_values"] is None
    assert deleted["old_values"]["first_name"] == "Ada"
    assert {row["db_user"] for row in rows} == {session_user}
    assert {row["app_user"] for row in rows} == {None}


async def _session_user(database_url: str) -> str:
    connection = await asyncpg.connect(database_url)
    try:
        return str(await connection.fetchval("SELECT session_user"))
    finally:
        await connection.close()


async def test_portfolios_positions_and_transactions_leave_one_row_per_changed_row(
    context: PersistenceContext, database_url: str
) -> None:
    async with context.uow() as uow:
        user = await uow.users.save(_user())
        portfolio = await uow.portfolios.save(
            Portfolio(
                user_id=user.id,
                name="Main",
                cash_balance=Decimal("100"),
                positions=[
                    Position(symbol="AAPL", quantity=Decimal(1), average_price=Decimal(200)),
                    Position(symbol="MSFT", quantity=Decimal(2), average_price=Decimal(400)),
                ],
            )
        )
        await uow.transactions.add(
            Transaction(
                portfolio_id=portfolio.id,
                transaction_type=TransactionType.BUY,
                symbol="AAPL",
                quantity=Decimal(1),
                price=Decimal(200),
                amount=Decimal(200),
                executed_at=NOW,
            )
        )
    after_creation = await _tally(database_url)

    portfolio.positions = [
        Position(symbol="AAPL", quantity=Decimal(3), average_price=Decimal(210)),
        Position(symbol="GC=F", quantity=Decimal(1), average_price=Decimal(2000)),
    ]
    async with context.uow() as uow:
        await uow.portfolios.save(portfolio)  # AAPL changed, MSFT sold, GC=F bought
    after_update = await _tally(database_url) - after_creation

    async with context.uow() as uow:
        await uow.users.delete(user.id)  # cascades to everything the user owns
    after_delete = await _tally(database_url) - after_creation - after_update

    assert after_creation == Counter(
        {
            ("users", "insert"): 1,
            ("portfolios", "insert"): 1,
            ("positions", "insert"): 2,
            ("transactions", "insert"): 1,
        }
    )
    assert after_update == Counter(
        {
            ("portfolios", "update"): 1,
            ("positions", "update"): 1,
            ("positions", "delete"): 1,
            ("positions", "insert"): 1,
        }
    )
    assert after_delete == Counter(
        {
            ("users", "delete"): 1,
            ("portfolios", "delete"): 1,
            ("positions", "delete"): 2,
            ("transactions", "delete"): 1,
        }
    )


async def test_the_history_of_a_row_reads_back_through_the_audit_repository(
    context: PersistenceContext,
) -> None:
    async with context.uow(app_user="support-42") as uow:
        user = await uow.users.save(_user())
        await uow.users.record_login(user.id, NOW)
    async with context.uow() as uow:
        history = await uow.audit.list_for_row("users", {"id": str(user.id)})
        by_support = await uow.audit.list_by_app_user("support-42")

    assert [entry.action for entry in history] == [AuditAction.UPDATE, AuditAction.INSERT]
    assert history[0].new_values is not None
    assert history[0].new_values["last_login_at"] is not None
    assert by_support == history


async def test_a_change_that_is_rolled_back_leaves_no_audit_row(
    context: PersistenceContext, database_url: str
) -> None:
    with pytest.raises(Duplicate):
        async with context.uow() as uow:
            await uow.users.save(_user("ada"))
            await uow.users.save(_user("ada"))  # a duplicate: the whole unit of work fails

    assert await _audit_rows(database_url) == []


# --- secrets ----------------------------------------------------------------------------------


async def test_password_hashes_and_refresh_tokens_never_reach_the_audit_trail(
    context: PersistenceContext, database_url: str
) -> None:
    async with context.uow() as uow:
        user = await uow.users.save(_user())
    async with context.uow() as uow:
        user.password_hash = PASSWORD_HASH.replace("SECRET", "NEWER")
        user = await uow.users.save(user)
        assert user.id is not None
        await uow.refresh_tokens.save(
            RefreshToken(
                user_id=user.id,
                token_hash=TOKEN_HASH,
                expires_at=datetime.now(UTC) + timedelta(days=30),
            )
        )

    rows = await _audit_rows(database_url)
    text = " ".join(str(dict(row)) for row in rows)

    assert [(row["table_name"], row["action"]) for row in rows] == [
        ("users", "insert"),
        ("users", "update"),
    ]
    assert "password_hash" not in text
    assert "HASH-VALUE" not in text
    assert TOKEN_HASH not in text
    # A password change still shows, as an update that moved updated_at.
    assert rows[1]["old_values"]["updated_at"] != rows[1]["new_values"]["updated_at"]


# --- the application user ---------------------------------------------------------------------


async def test_the_application_user_of_a_unit_of_work_is_recorded_and_does_not_leak(
    database_url: str,
) -> None:
    async with create_persistence_context(database_url, min_size=1, max_size=1) as context:
        async with context.uow(app_user="alice") as uow:
            user = await uow.users.save(_user("ada"))
            await uow.commit()  # a new transaction: the application user stays declared
            user.first_name = "Ada"
            await uow.users.save(user)
        async with context.uow() as uow:  # the same pooled connection, no application user
            await uow.users.save(_user("bob"))
        await context.users.save(_user("cyd"))
        async with get_uow(app_user="dora") as uow:
            await uow.users.save(_user("dan"))

    rows = await _audit_rows(database_url)

    assert [row["app_user"] for row in rows] == ["alice", "alice", None, None, "dora"]


@pytest.mark.parametrize("app_user", ["", "x" * 256, "nul\x00byte", 42])
async def test_a_malformed_application_user_is_refused_before_any_sql(
    context: PersistenceContext, app_user: Any
) -> None:
    with pytest.raises(ValidationError, match="app_user"):
        context.uow(app_user=app_user)


# --- what the application role cannot do -----------------------------------------------------


async def test_the_application_role_causes_audit_rows_it_cannot_write_itself(
    login_as: LoginFactory, database_url: str
) -> None:
    app_url = await login_as("boursa_app")
    async with create_persistence_context(app_url, min_size=1, max_size=1) as app:
        async with app.uow(app_user="alice") as uow:
            await uow.users.save(_user())
            entry = (await uow.audit.list_by_app_user("alice"))[0]
        for statement in (
            "INSERT INTO audit_log (table_name, row_key, action, new_values) "
            "VALUES ('users', '{\"id\": \"forged\"}', 'insert', '{}')",
            "UPDATE audit_log SET app_user = 'mallory'",
            "DELETE FROM audit_log",
            "TRUNCATE audit_log",
        ):
            with pytest.raises(PermissionDenied):
                async with app.uow() as uow:
                    await uow.connection.execute(statement)

    rows = await _audit_rows(database_url)
    assert len(rows) == 1
    assert (rows[0]["id"], rows[0]["app_user"]) == (entry.id, "alice")
    assert rows[0]["db_user"] == app_url.split("//", 1)[1].split(":", 1)[0]


async def test_a_temporary_table_named_audit_log_cannot_capture_the_audit_rows(
    login_as: LoginFactory, database_url: str
) -> None:
    """The temp schema comes first in a default search_path; the trigger's is pinned."""
    async with (
        create_persistence_context(await login_as("boursa_app"), min_size=1, max_size=1) as app,
        app.uow() as uow,
    ):
        await uow.connection.execute(
            "CREATE TEMPORARY TABLE audit_log (LIKE public.audit_log INCLUDING DEFAULTS) "
            "ON COMMIT DROP"
        )
        await uow.connection.execute("GRANT ALL ON pg_temp.audit_log TO PUBLIC")
        user = await uow.users.save(_user())
        captured = await uow.connection.fetchval("SELECT count(*) FROM pg_temp.audit_log")

    assert captured == 0
    assert [row["row_key"] for row in await _audit_rows(database_url)] == [{"id": str(user.id)}]


async def test_the_trigger_function_runs_as_the_owner_with_a_pinned_search_path(
    connection: asyncpg.Connection,
) -> None:
    function = await connection.fetchrow(
        """
        SELECT prosecdef, pg_get_userbyid(proowner) AS owner, proconfig,
               has_function_privilege('boursa_app', oid, 'EXECUTE') AS app_may_call
        FROM pg_proc WHERE proname = 'audit_row_change'
        """
    )
    triggers = await connection.fetch(
        "SELECT tgrelid::regclass::text AS table_name FROM pg_trigger "
        "WHERE tgfoid = 'audit_row_change'::regproc ORDER BY 1"
    )

    assert function["prosecdef"] is True
    assert function["owner"] == "boursa_owner"
    assert function["proconfig"] == ["search_path=pg_catalog, public, pg_temp"]
    assert function["app_may_call"] is False
    assert [row["table_name"] for row in triggers] == [
        "portfolios",
        "positions",
        "transactions",
        "users",
    ]


async def test_the_time_series_tables_are_not_audited(
    context: PersistenceContext, database_url: str
) -> None:
    async with context.uow() as uow:
        await uow.market_data.copy(minute_bars("AAPL", START, 100))

    assert await _audit_rows(database_url) == []
