"""Schema invariants, read from the catalog and proven with real rows."""

from __future__ import annotations

import math
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

import asyncpg
import pytest

from tests.test_migrations import YOYO_TABLES

TIME_SERIES_TABLES = ("market_data", "technical_indicators", "signals", "portfolio_performance")
NOW = datetime(2026, 11, 2, 15, 30, tzinfo=UTC)
INF = math.inf
# What asyncpg sends as 'infinity' and '-infinity'.
FOREVER = datetime.max.replace(tzinfo=UTC)
NEVER = datetime.min.replace(tzinfo=UTC)
# NUMERIC NaN sorts above every number, so it passes "> 0" and ">= 0"; only *_not_nan refuse it.
NAN = Decimal("NaN")


async def _insert(
    connection: asyncpg.Connection, table: str, row: dict[str, Any]
) -> asyncpg.Record:
    columns = ", ".join(row)
    placeholders = ", ".join(f"${index}" for index in range(1, len(row) + 1))
    return await connection.fetchrow(
        f"INSERT INTO {table} ({columns}) VALUES ({placeholders}) RETURNING *", *row.values()
    )


@pytest.fixture
async def parents(connection: asyncpg.Connection) -> dict[str, Any]:
    """One user, instrument, portfolio and alert that valid child rows can point at."""
    user = await _insert(
        connection,
        "users",
        {"email": "ada@example.com", "username": "ada", "password_hash": "argon2id$hash"},
    )
    instrument = await _insert(
        connection,
        "instruments",
        {"symbol": "AAPL", "name": "Apple Inc.", "instrument_type": "stock"},
    )
    portfolio = await _insert(connection, "portfolios", {"user_id": user["id"], "name": "Main"})
    alert = await _insert(
        connection,
        "alerts",
        {
            "user_id": user["id"],
            "symbol": "AAPL",
            "alert_type": "price",
            "condition_type": "above",
            "threshold_value": Decimal("200"),
            "title": "AAPL > 200",
        },
    )
    return {
        "user": user["id"],
        "instrument": instrument["id"],
        "portfolio": portfolio["id"],
        "alert": alert["id"],
    }


def _valid_rows(parents: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {
        "users": {"email": "grace@example.com", "username": "grace", "password_hash": "argon2id$x"},
        "refresh_tokens": {
            "user_id": parents["user"],
            "token_hash": "f" * 64,
            "expires_at": datetime.now(UTC) + timedelta(days=30),
        },
        "system_config": {"key": "trading.enabled", "value": True},
        "audit_log": {
            "table_name": "users",
            "row_key": {"id": 1},
            "action": "insert",
            "new_values": {},
        },
        "instruments": {"symbol": "MSFT", "name": "Microsoft", "instrument_type": "stock"},
        "fundamental_data": {
            "instrument_id": parents["instrument"],
            "period_end": date(2026, 9, 30),
            "period_type": "quarterly",
        },
        "portfolios": {"user_id": parents["user"], "name": "Second"},
        "positions": {
            "portfolio_id": parents["portfolio"],
            "symbol": "MSFT",
            "quantity": Decimal("10"),
            "average_price": Decimal("300"),
        },
        "transactions": {
            "portfolio_id": parents["portfolio"],
            "transaction_type": "buy",
            "symbol": "MSFT",
            "quantity": Decimal("10"),
            "price": Decimal("300"),
            "amount": Decimal("3000"),
            "executed_at": NOW,
        },
        "alerts": {
            "user_id": parents["user"],
            "symbol": "MSFT",
            "alert_type": "price",
            "condition_type": "below",
            "threshold_value": Decimal("250"),
            "title": "dip",
        },
        "notifications": {
            "user_id": parents["user"],
            "notification_type": "system",
            "title": "Hello",
            "message": "Welcome",
        },
        "market_data": {
            "time": NOW,
            "symbol": "AAPL",
            "interval_type": "1m",
            "open": 100.0,
            "high": 101.0,
            "low": 99.0,
            "close": 100.5,
            "volume": 1000,
        },
        "technical_indicators": {
            "time": NOW,
            "symbol": "AAPL",
            "interval_type": "1d",
            "indicator_name": "rsi_14",
            "value": 55.0,
        },
        "signals": {
            "time": NOW,
            "symbol": "AAPL",
            "signal_type": "buy",
            "strength": "strong",
            "confidence": 0.8,
        },
        "portfolio_performance": {
            "time": NOW,
            "portfolio_id": parents["portfolio"],
            "total_value": Decimal("1000"),
            "cash_value": Decimal("100"),
            "invested_value": Decimal("900"),
        },
    }


# constraint name -> (table, the columns that make an otherwise valid row violate it, and only it)
BAD_ROWS: dict[str, tuple[str, dict[str, Any]]] = {
    "users_email_format": ("users", {"email": "not-an-email"}),
    "users_username_format": ("users", {"username": "a b"}),
    "users_password_hash_present": ("users", {"password_hash": ""}),
    "users_role_known": ("users", {"role": "ADMIN"}),
    "users_first_name_length": ("users", {"first_name": "x" * 101}),
    "users_last_name_length": ("users", {"last_name": "x" * 101}),
    "users_phone_format": ("users", {"phone": "call me maybe"}),
    "users_country_code": ("users", {"country": "fr"}),
    "users_timezone_length": ("users", {"timezone": ""}),
    "users_language_code": ("users", {"language": "EN"}),
    "users_preferred_currency_code": ("users", {"preferred_currency": "usd"}),
    "users_risk_tolerance_known": ("users", {"risk_tolerance": "yolo"}),
    "users_investment_experience_known": ("users", {"investment_experience": "guru"}),
    "refresh_tokens_token_hash_length": ("refresh_tokens", {"token_hash": "short"}),
    "refresh_tokens_expiry_after_creation": (
        "refresh_tokens",
        {"expires_at": datetime.now(UTC) - timedelta(days=1)},
    ),
    "refresh_tokens_reason_needs_revocation": ("refresh_tokens", {"revoke_reason": "logout"}),
    "refresh_tokens_revoke_reason_length": (
        "refresh_tokens",
        {"revoked_at": datetime.now(UTC), "revoke_reason": "x" * 101},
    ),
    "refresh_tokens_user_agent_length": ("refresh_tokens", {"user_agent": "x" * 1001}),
    "system_config_key_format": ("system_config", {"key": "Bad Key"}),
    "audit_log_action_known": ("audit_log", {"action": "truncate"}),
    "audit_log_values_match_action": ("audit_log", {"old_values": {}}),
    "instruments_symbol_format": ("instruments", {"symbol": "msft"}),
    "instruments_name_length": ("instruments", {"name": ""}),
    "instruments_type_known": ("instruments", {"instrument_type": "STOCK"}),
    "instruments_exchange_format": ("instruments", {"exchange": "nasdaq"}),
    "instruments_currency_code": ("instruments", {"currency": "US"}),
    "instruments_sector_length": ("instruments", {"sector": "x" * 101}),
    "instruments_industry_length": ("instruments", {"industry": "x" * 101}),
    "instruments_country_code": ("instruments", {"country": "USA"}),
    "instruments_isin_format": ("instruments", {"isin": "US59491810"}),
    "fundamental_data_period_type_known": ("fundamental_data", {"period_type": "monthly"}),
    "fundamental_data_currency_code": ("fundamental_data", {"currency": "eur"}),
    "fundamental_data_market_cap_non_negative": ("fundamental_data", {"market_cap": Decimal(-1)}),
    "fundamental_data_shares_non_negative": ("fundamental_data", {"shares_outstanding": -5}),
    "fundamental_data_float_within_outstanding": (
        "fundamental_data",
        {"shares_outstanding": 10, "float_shares": 20},
    ),
    "fundamental_data_not_nan": ("fundamental_data", {"pe_ratio": NAN}),
    "portfolios_name_length": ("portfolios", {"name": ""}),
    "portfolios_description_length": ("portfolios", {"description": "x" * 2001}),
    "portfolios_base_currency_code": ("portfolios", {"base_currency": "EURO"}),
    "portfolios_initial_cash_non_negative": ("portfolios", {"initial_cash": Decimal("-1")}),
    "portfolios_cash_balance_non_negative": ("portfolios", {"cash_balance": Decimal("-0.01")}),
    "portfolios_version_positive": ("portfolios", {"version": 0}),
    "portfolios_not_nan": ("portfolios", {"cash_balance": NAN}),
    "positions_symbol_format": ("positions", {"symbol": "MSFT!"}),
    "positions_quantity_positive": ("positions", {"quantity": Decimal(0)}),
    "positions_average_price_non_negative": ("positions", {"average_price": Decimal(-1)}),
    "positions_currency_code": ("positions", {"currency": "usd"}),
    "positions_not_nan": ("positions", {"quantity": NAN}),
    "transactions_type_known": ("transactions", {"transaction_type": "BUY"}),
    "transactions_symbol_format": ("transactions", {"symbol": "msft"}),
    "transactions_symbol_matches_type": ("transactions", {"transaction_type": "deposit"}),
    "transactions_trade_has_quantity_and_price": ("transactions", {"price": None}),
    "transactions_quantity_positive": ("transactions", {"quantity": Decimal(0)}),
    "transactions_price_non_negative": ("transactions", {"price": Decimal(-1)}),
    "transactions_amount_non_negative": ("transactions", {"amount": Decimal(-1)}),
    "transactions_fees_non_negative": ("transactions", {"fees": Decimal("-0.5")}),
    "transactions_taxes_non_negative": ("transactions", {"taxes": Decimal("-0.5")}),
    "transactions_currency_code": ("transactions", {"currency": "Usd"}),
    "transactions_fx_rate_positive": ("transactions", {"fx_rate": Decimal(0)}),
    "transactions_external_id_length": ("transactions", {"external_id": ""}),
    "transactions_notes_length": ("transactions", {"notes": "x" * 2001}),
    "transactions_not_nan": ("transactions", {"fx_rate": NAN}),
    "alerts_symbol_format": ("alerts", {"symbol": "MSFT "}),
    "alerts_type_known": ("alerts", {"alert_type": "PRICE"}),
    "alerts_condition_known": ("alerts", {"condition_type": "over"}),
    "alerts_target_matches_type": ("alerts", {"alert_type": "portfolio"}),
    "alerts_title_length": ("alerts", {"title": ""}),
    "alerts_message_length": ("alerts", {"message": "x" * 2001}),
    "alerts_channels_known": ("alerts", {"notification_channels": ["pigeon"]}),
    "alerts_trigger_count_non_negative": ("alerts", {"trigger_count": -1}),
    "alerts_triggered_has_time": ("alerts", {"is_triggered": True}),
    "alerts_not_nan": ("alerts", {"threshold_value": NAN}),
    "notifications_type_known": ("notifications", {"notification_type": "SYSTEM"}),
    "notifications_title_length": ("notifications", {"title": ""}),
    "notifications_message_length": ("notifications", {"message": ""}),
    "notifications_channels_known": ("notifications", {"channels": ["fax"]}),
    "notifications_read_has_time": ("notifications", {"is_read": True}),
    "market_data_symbol_format": ("market_data", {"symbol": "A" * 21}),
    "market_data_interval_known": ("market_data", {"interval_type": "2m"}),
    "market_data_prices_positive": (
        "market_data",
        {"open": INF, "high": INF, "low": INF, "close": INF},
    ),
    "market_data_adjusted_close_positive": ("market_data", {"adjusted_close": -1.0}),
    "market_data_ohlc_consistent": ("market_data", {"high": 98.0}),
    "market_data_volume_non_negative": ("market_data", {"volume": -1}),
    "market_data_source_format": ("market_data", {"source": "Bad Source"}),
    "technical_indicators_symbol_format": ("technical_indicators", {"symbol": "-AAPL"}),
    "technical_indicators_interval_known": ("technical_indicators", {"interval_type": "1y"}),
    "technical_indicators_name_format": ("technical_indicators", {"indicator_name": "RSI"}),
    "technical_indicators_values_finite": ("technical_indicators", {"value": math.nan}),
    "technical_indicators_parameters_object": ("technical_indicators", {"parameters": [14]}),
    "signals_symbol_format": ("signals", {"symbol": "AAPL."}),
    "signals_strategy_format": ("signals", {"strategy": "Momentum!"}),
    "signals_type_known": ("signals", {"signal_type": "BUY"}),
    "signals_strength_known": ("signals", {"strength": "huge"}),
    "signals_confidence_range": ("signals", {"confidence": 1.5}),
    "signals_prices_positive": ("signals", {"price_target": -1.0}),
    "signals_scores_range": ("signals", {"technical_score": 2.0}),
    "signals_rationale_length": ("signals", {"rationale": "x" * 5001}),
    "signals_metadata_object": ("signals", {"metadata": "x"}),
    "signals_expiry_after_time": ("signals", {"expires_at": NOW - timedelta(hours=1)}),
    "portfolio_performance_values_non_negative": (
        "portfolio_performance",
        {"total_value": Decimal(-1)},
    ),
    "portfolio_performance_ratios_finite": ("portfolio_performance", {"daily_return": INF}),
    "portfolio_performance_volatility_non_negative": (
        "portfolio_performance",
        {"volatility_30d": -0.1},
    ),
    "portfolio_performance_drawdown_range": ("portfolio_performance", {"max_drawdown_30d": 0.5}),
    "portfolio_performance_positions_non_negative": (
        "portfolio_performance",
        {"number_of_positions": -1},
    ),
    "portfolio_performance_not_nan": ("portfolio_performance", {"invested_value": NAN}),
    "alerts_finite_times": ("alerts", {"last_triggered_at": NEVER}),
    "audit_log_finite_times": ("audit_log", {"changed_at": FOREVER}),
    "fundamental_data_finite_times": ("fundamental_data", {"period_end": date.max}),
    "instruments_finite_times": ("instruments", {"created_at": NEVER}),
    "market_data_finite_times": ("market_data", {"time": FOREVER}),
    "notifications_finite_times": ("notifications", {"read_at": FOREVER}),
    "portfolio_performance_finite_times": ("portfolio_performance", {"time": FOREVER}),
    "portfolios_finite_times": ("portfolios", {"created_at": NEVER}),
    "positions_finite_times": ("positions", {"opened_at": NEVER}),
    "refresh_tokens_finite_times": ("refresh_tokens", {"revoked_at": FOREVER}),
    "signals_finite_times": ("signals", {"time": FOREVER}),
    "system_config_finite_times": ("system_config", {"updated_at": FOREVER}),
    "technical_indicators_finite_times": ("technical_indicators", {"time": FOREVER}),
    "transactions_finite_times": ("transactions", {"executed_at": NEVER}),
    "users_finite_times": ("users", {"date_of_birth": date.min}),
}


async def test_every_timestamp_and_date_column_is_checked_to_be_finite(
    connection: asyncpg.Connection,
) -> None:
    """asyncpg reads 'infinity' back as a naive datetime.max: no stored time may be infinite."""
    unchecked = await connection.fetch(
        """
        SELECT c.table_name, c.column_name
        FROM information_schema.columns AS c
        JOIN information_schema.tables AS t USING (table_schema, table_name)
        WHERE c.table_schema = 'public' AND t.table_type = 'BASE TABLE'
          AND c.data_type IN ('timestamp with time zone', 'date')
          AND c.table_name <> ALL($1::text[])
          AND NOT EXISTS (
              SELECT FROM pg_constraint AS k
              WHERE k.conrelid = format('%I', c.table_name)::regclass AND k.contype = 'c'
                AND pg_get_constraintdef(k.oid)
                    LIKE '%isfinite(' || quote_ident(c.column_name) || ')%')
        """,
        sorted(YOYO_TABLES),
    )
    assert [tuple(row) for row in unchecked] == []


async def test_no_column_is_a_timestamp_without_time_zone(connection: asyncpg.Connection) -> None:
    naive = await connection.fetch(
        """
        SELECT table_name, column_name FROM information_schema.columns
        WHERE table_schema = 'public' AND data_type = 'timestamp without time zone'
          AND table_name <> ALL($1::text[])
        """,
        sorted(YOYO_TABLES),
    )
    assert [tuple(row) for row in naive] == []


@pytest.mark.parametrize("table", TIME_SERIES_TABLES)
async def test_every_time_series_primary_key_contains_the_time_column(
    connection: asyncpg.Connection, table: str
) -> None:
    key_columns = await connection.fetchval(
        """
        SELECT array_agg(a.attname ORDER BY k.ordinality)
        FROM pg_constraint AS c
        CROSS JOIN LATERAL unnest(c.conkey) WITH ORDINALITY AS k(attnum, ordinality)
        JOIN pg_attribute AS a ON a.attrelid = c.conrelid AND a.attnum = k.attnum
        WHERE c.conrelid = $1::regclass AND c.contype = 'p'
        """,
        table,
    )
    assert key_columns is not None
    assert "time" in key_columns


async def test_every_check_constraint_has_a_bad_row_in_this_specification(
    connection: asyncpg.Connection,
) -> None:
    names = await connection.fetch(
        """
        SELECT c.conname FROM pg_constraint AS c
        JOIN pg_class AS t ON t.oid = c.conrelid
        WHERE c.contype = 'c' AND t.relnamespace = 'public'::regnamespace
          AND t.relname <> ALL($1::text[])
        """,
        sorted(YOYO_TABLES),
    )
    assert {row[0] for row in names} == set(BAD_ROWS)


@pytest.mark.parametrize("table", sorted({table for table, _ in BAD_ROWS.values()}))
async def test_the_baseline_row_of_each_table_is_valid(
    connection: asyncpg.Connection, parents: dict[str, Any], table: str
) -> None:
    inserted = await _insert(connection, table, _valid_rows(parents)[table])
    assert inserted is not None


@pytest.mark.parametrize("constraint", sorted(BAD_ROWS))
async def test_each_check_constraint_rejects_its_bad_row(
    connection: asyncpg.Connection, parents: dict[str, Any], constraint: str
) -> None:
    table, bad_columns = BAD_ROWS[constraint]
    row = _valid_rows(parents)[table] | bad_columns
    rows_before = await connection.fetchval(f"SELECT count(*) FROM {table}")

    with pytest.raises(asyncpg.CheckViolationError) as raised:
        await _insert(connection, table, row)

    assert raised.value.constraint_name == constraint
    assert await connection.fetchval(f"SELECT count(*) FROM {table}") == rows_before


@pytest.mark.parametrize(
    "symbol",
    ["AAPL", "BRK-B", "BRK.B", "MC.PA", "BTC-USD", "GC=F", "EURUSD=X", "^GSPC", "7203.T", "RDS-A"],
)
async def test_real_ticker_symbols_are_accepted(
    connection: asyncpg.Connection, symbol: str
) -> None:
    row = {
        "time": NOW,
        "symbol": symbol,
        "interval_type": "1d",
        "open": 1.0,
        "high": 1.0,
        "low": 1.0,
        "close": 1.0,
    }
    assert (await _insert(connection, "market_data", row))["symbol"] == symbol


async def test_defaults_are_set_by_the_server(connection: asyncpg.Connection) -> None:
    user = await connection.fetchrow(
        "INSERT INTO users (email, username, password_hash) "
        "VALUES ('a@b.io', 'abc', 'h') RETURNING *"
    )
    assert user["id"] is not None
    assert user["role"] == "viewer"
    assert user["preferred_currency"] == "USD"
    assert (user["is_active"], user["is_verified"], user["two_factor_enabled"]) == (
        True,
        False,
        False,
    )
    assert user["created_at"].tzinfo is not None
    portfolio = await connection.fetchrow(
        "INSERT INTO portfolios (user_id, name) VALUES ($1, 'P') RETURNING *", user["id"]
    )
    assert (portfolio["version"], portfolio["cash_balance"], portfolio["base_currency"]) == (
        1,
        Decimal("0.0000"),
        "USD",
    )


async def test_updated_at_moves_on_update(connection: asyncpg.Connection) -> None:
    user_id = await connection.fetchval(
        "INSERT INTO users (email, username, password_hash, updated_at) "
        "VALUES ('a@b.io', 'abc', 'h', now() - interval '1 day') RETURNING id"
    )
    await connection.execute("UPDATE users SET first_name = 'Ada' WHERE id = $1", user_id)
    moved = await connection.fetchval(
        "SELECT updated_at > now() - interval '1 minute' FROM users WHERE id = $1", user_id
    )
    assert moved


async def test_deleting_a_user_removes_everything_they_own(
    connection: asyncpg.Connection, parents: dict[str, Any]
) -> None:
    rows = _valid_rows(parents)
    for table in (
        "refresh_tokens",
        "positions",
        "transactions",
        "notifications",
        "portfolio_performance",
    ):
        await _insert(connection, table, rows[table])
    await _insert(
        connection, "system_config", rows["system_config"] | {"updated_by": parents["user"]}
    )

    await connection.execute("DELETE FROM users WHERE id = $1", parents["user"])

    for table in (
        "portfolios",
        "positions",
        "transactions",
        "alerts",
        "notifications",
        "refresh_tokens",
        "portfolio_performance",
    ):
        assert await connection.fetchval(f"SELECT count(*) FROM {table}") == 0, table
    assert await connection.fetchval("SELECT updated_by FROM system_config") is None


async def test_deleting_an_alert_keeps_its_notifications(
    connection: asyncpg.Connection, parents: dict[str, Any]
) -> None:
    rows = _valid_rows(parents)
    await _insert(
        connection, "notifications", rows["notifications"] | {"alert_id": parents["alert"]}
    )

    await connection.execute("DELETE FROM alerts WHERE id = $1", parents["alert"])

    assert await connection.fetchval("SELECT alert_id IS NULL FROM notifications") is True


async def test_email_is_unique_regardless_of_case(
    connection: asyncpg.Connection, parents: dict[str, Any]
) -> None:
    with pytest.raises(asyncpg.UniqueViolationError):
        await _insert(
            connection,
            "users",
            {"email": "ADA@example.com", "username": "ada2", "password_hash": "h"},
        )


async def test_a_user_has_at_most_one_default_portfolio(
    connection: asyncpg.Connection, parents: dict[str, Any]
) -> None:
    await connection.execute(
        "UPDATE portfolios SET is_default = true WHERE id = $1", parents["portfolio"]
    )
    with pytest.raises(asyncpg.UniqueViolationError):
        await _insert(
            connection,
            "portfolios",
            {"user_id": parents["user"], "name": "Other", "is_default": True},
        )


async def test_portfolio_names_are_unique_per_user(
    connection: asyncpg.Connection, parents: dict[str, Any]
) -> None:
    with pytest.raises(asyncpg.UniqueViolationError):
        await _insert(connection, "portfolios", {"user_id": parents["user"], "name": "Main"})


async def test_json_columns_hold_objects(connection: asyncpg.Connection) -> None:
    row = await _insert(
        connection,
        "audit_log",
        {"table_name": "users", "row_key": {"id": "a7c1"}, "action": "delete", "old_values": {}},
    )
    assert row["row_key"] == {"id": "a7c1"}
    assert await connection.fetchval("SELECT jsonb_typeof(row_key) FROM audit_log") == "object"
