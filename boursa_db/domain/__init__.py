"""The domain: attrs classes validated at construction; it knows nothing of the database."""

from __future__ import annotations

from boursa_db.domain.alerts import (
    Alert,
    AlertType,
    ConditionType,
    Notification,
    NotificationChannel,
    NotificationType,
)
from boursa_db.domain.audit import AuditAction, AuditEntry
from boursa_db.domain.instruments import FundamentalData, Instrument, InstrumentType, PeriodType
from boursa_db.domain.intervals import Interval
from boursa_db.domain.market import (
    BarColumns,
    Gap,
    MarketBar,
    MarketSummary,
    PortfolioPerformance,
    Signal,
    SignalStrength,
    SignalType,
    TechnicalIndicator,
)
from boursa_db.domain.portfolios import (
    Portfolio,
    PortfolioValuation,
    Position,
    PositionValuation,
    Transaction,
    TransactionType,
)
from boursa_db.domain.system_config import ConfigEntry
from boursa_db.domain.users import (
    InvestmentExperience,
    RefreshToken,
    RiskTolerance,
    User,
    UserRole,
)
from boursa_db.domain.values import Vocabulary

__all__ = [
    "Alert",
    "AlertType",
    "AuditAction",
    "AuditEntry",
    "BarColumns",
    "ConditionType",
    "ConfigEntry",
    "FundamentalData",
    "Gap",
    "Instrument",
    "InstrumentType",
    "Interval",
    "InvestmentExperience",
    "MarketBar",
    "MarketSummary",
    "Notification",
    "NotificationChannel",
    "NotificationType",
    "PeriodType",
    "Portfolio",
    "PortfolioPerformance",
    "PortfolioValuation",
    "Position",
    "PositionValuation",
    "RefreshToken",
    "RiskTolerance",
    "Signal",
    "SignalStrength",
    "SignalType",
    "TechnicalIndicator",
    "Transaction",
    "TransactionType",
    "User",
    "UserRole",
    "Vocabulary",
]
