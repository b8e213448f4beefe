"""One valid object of every domain class that validates its fields, for tests that change one
field at a time (``attrs.evolve(SAMPLES[cls], name=value)``)."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

from boursa_db.domain.alerts import Alert, Notification
from boursa_db.domain.audit import AuditEntry
from boursa_db.domain.instruments import FundamentalData, Instrument
from boursa_db.domain.market import MarketBar, PortfolioPerformance, Signal, TechnicalIndicator
from boursa_db.domain.portfolios import Portfolio, Position, Transaction
from boursa_db.domain.summaries import DailySummary, HourlyBar, HourlyPortfolioPerformance
from boursa_db.domain.system_config import ConfigEntry
from boursa_db.domain.users import RefreshToken, User

T0 = datetime(2026, 11, 2, 14, 30, tzinfo=UTC)
DAY = timedelta(days=1)
ANY_ID = uuid.UUID(int=1)

SAMPLES: dict[type[Any], Any] = {
    sample.__class__: sample
    for sample in (
        Alert(
            user_id=ANY_ID,
            alert_type="price",
            condition_type="above",
            title="AAPL above 200",
            symbol="AAPL",
            threshold_value=Decimal(200),
            message="Apple is up",
            last_triggered_at=T0,
            is_triggered=True,
            expires_at=T0 + DAY,
            created_at=T0,
            updated_at=T0,
        ),
        Notification(
            user_id=ANY_ID,
            notification_type="alert",
            title="AAPL above 200",
            message="Apple is up",
            data={"price": 201.5},
            is_read=True,
            read_at=T0,
            sent_at=T0,
            created_at=T0,
        ),
        AuditEntry(
            id=1,
            table_name="users",
            row_key={"id": "1"},
            action="update",
            old_values={"role": "viewer"},
            new_values={"role": "trader"},
            db_user="boursa_app",
            app_user="ada",
            changed_at=T0,
        ),
        Instrument(
            symbol="AAPL",
            name="Apple Inc.",
            instrument_type="stock",
            exchange="NASDAQ",
            sector="Technology",
            industry="Hardware",
            country="US",
            isin="US0378331005",
            description="Phones",
            created_at=T0,
            updated_at=T0,
        ),
        FundamentalData(
            instrument_id=ANY_ID,
            period_end=date(2026, 9, 30),
            period_type="quarterly",
            created_at=T0,
            updated_at=T0,
        ),
        MarketBar(
            time=T0,
            symbol="AAPL",
            interval_type="1m",
            open=1.0,
            high=1.0,
            low=1.0,
            close=1.0,
            source="test",
        ),
        TechnicalIndicator(
            time=T0, symbol="AAPL", interval_type="1d", indicator_name="rsi_14", value=55.0
        ),
        Signal(
            time=T0,
            symbol="AAPL",
            strategy="momentum",
            signal_type="buy",
            strength="strong",
            confidence=0.5,
            rationale="Trend",
            indicators_used=["rsi_14"],
            expires_at=T0 + DAY,
        ),
        PortfolioPerformance(
            time=T0,
            portfolio_id=ANY_ID,
            total_value=Decimal(1),
            cash_value=Decimal(1),
            invested_value=Decimal(0),
        ),
        Portfolio(
            user_id=ANY_ID, name="Main", description="Long term", created_at=T0, updated_at=T0
        ),
        Position(
            symbol="AAPL",
            quantity=Decimal(1),
            average_price=Decimal(1),
            opened_at=T0,
            created_at=T0,
            updated_at=T0,
        ),
        Transaction(
            portfolio_id=ANY_ID,
            transaction_type="buy",
            symbol="AAPL",
            quantity=Decimal(1),
            price=Decimal(1),
            amount=Decimal(1),
            executed_at=T0,
            external_id="T-1",
            notes="First",
            created_at=T0,
        ),
        ConfigEntry(key="broker.name", value={"name": "x"}, description="Broker", updated_at=T0),
        User(
            email="ada@example.com",
            username="ada",
            password_hash="argon2id$h",
            first_name="Ada",
            last_name="Lovelace",
            phone="+1 555 0100",
            date_of_birth=date(1990, 1, 1),
            country="GB",
            last_login_at=T0,
            created_at=T0,
            updated_at=T0,
        ),
        RefreshToken(
            user_id=ANY_ID,
            token_hash="h" * 64,
            expires_at=T0 + DAY,
            created_at=T0,
            last_used_at=T0,
            revoked_at=T0,
            revoke_reason="logout",
            user_agent="curl",
        ),
        DailySummary(
            day=date(2026, 11, 2),
            symbol="AAPL",
            interval_type="1m",
            open=1.0,
            high=1.0,
            low=1.0,
            close=1.0,
            volume=1,
            bar_count=1,
        ),
        HourlyBar(
            hour=T0, symbol="AAPL", open=1.0, high=1.0, low=1.0, close=1.0, volume=1, bar_count=1
        ),
        HourlyPortfolioPerformance(
            hour=T0,
            portfolio_id=ANY_ID,
            avg_total_value=Decimal(1),
            min_total_value=Decimal(1),
            max_total_value=Decimal(1),
            last_total_return=None,
            volatility=None,
            snapshot_count=1,
        ),
    )
}
"""One valid object of every domain class that validates its fields, every optional field set."""
