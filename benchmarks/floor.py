"""The physical floor: the best query for a shape, on PLAIN tables holding the same rows.

``build_floor`` copies, in the same database, the rows the shapes read into schema
``bench_floor``: ``market_data`` (``LIKE public.market_data INCLUDING ALL``: same columns,
constraints and indexes, but an ordinary heap, never a hypertable, never compressed) and
``daily_market_summary`` (the rows of the summary view, materialized with its key as primary
key: what a summary read costs when the summary exists). Users, portfolios and positions are
plain tables already; the floor reads them where they are.

The ``floor`` contender is raw asyncpg running the statements below on those tables, through
asyncpg's statement cache (prepared once per connection, as a tuned application does). Each is
the best plan we know for the shape: one backward probe of the primary key per latest bar, one
forward range scan per series, one statement per shape (the portfolio with its positions is one
join, not two queries).
"""

from __future__ import annotations

from datetime import timedelta

import asyncpg

SCHEMA = "bench_floor"

_BAR = "time, symbol, interval_type, open, high, low, close, adjusted_close, volume, source"


async def build_floor(url: str) -> None:
    """(Re)create ``bench_floor`` from the database's current rows.

    The bars are copied in slices of 100 days, one transaction each: on a hypertable a
    statement locks every chunk it reads until its transaction ends, and years of one-day
    chunks in one transaction would overflow the server's lock table.
    """
    connection = await asyncpg.connect(url)
    try:
        await connection.execute(f"""
            DROP SCHEMA IF EXISTS {SCHEMA} CASCADE;
            CREATE SCHEMA {SCHEMA};
            CREATE TABLE {SCHEMA}.market_data (LIKE public.market_data INCLUDING ALL);
        """)
        first, last = await connection.fetchrow("SELECT min(time), max(time) FROM market_data")
        start = first
        while first is not None and start <= last:
            end = start + timedelta(days=100)
            await connection.execute(
                f"INSERT INTO {SCHEMA}.market_data SELECT * FROM public.market_data "
                "WHERE time >= $1 AND time < $2 ORDER BY symbol, interval_type, time",
                start,
                end,
            )
            start = end
        await connection.execute(f"""
            CREATE TABLE {SCHEMA}.daily_market_summary AS
                SELECT * FROM public.daily_market_summary ORDER BY symbol, interval_type, day;
            ALTER TABLE {SCHEMA}.daily_market_summary ADD PRIMARY KEY (symbol, interval_type, day);
        """)
    finally:
        await connection.close()


LATEST_PRICES = f"""
SELECT s.symbol, b.time, b.interval_type, b.open, b.high, b.low, b.close, b.adjusted_close,
       b.volume, b.source
FROM unnest($1::text[]) AS s(symbol)
CROSS JOIN LATERAL (
    SELECT m.time, m.interval_type, m.open, m.high, m.low, m.close, m.adjusted_close,
           m.volume, m.source
    FROM {SCHEMA}.market_data AS m
    WHERE m.symbol = s.symbol AND m.interval_type = $2
    ORDER BY m.time DESC
    LIMIT 1
) AS b
ORDER BY s.symbol
"""
"""$1 symbols, $2 interval."""

LATEST_BAR = f"""
SELECT {_BAR} FROM {SCHEMA}.market_data
WHERE symbol = $1 AND interval_type = $2
ORDER BY time DESC
LIMIT 1
"""
"""$1 symbol, $2 interval."""

RANGE = f"""
SELECT {_BAR} FROM {SCHEMA}.market_data
WHERE symbol = $1 AND interval_type = $2 AND time >= $3 AND time < $4
ORDER BY time
"""
"""$1 symbol, $2 interval, [$3, $4)."""

GAPS = f"""
SELECT gap_start, gap_end,
       (ceil(extract(epoch FROM gap_end - gap_start) / extract(epoch FROM $5::interval))
        - 1)::bigint AS missing_bars
FROM (
    SELECT lag(time) OVER (ORDER BY time) AS gap_start, time AS gap_end
    FROM {SCHEMA}.market_data
    WHERE symbol = $1 AND interval_type = $2 AND time >= $3 AND time < $4
) AS steps
WHERE gap_end - gap_start > $5::interval
ORDER BY gap_start
LIMIT $6
"""
"""$1 symbol, $2 interval, [$3, $4), $5 step, $6 limit."""

MARKET_SUMMARY = f"""
SELECT s.symbol, latest.time, latest.close, stats.average_close, stats.low_30d, stats.high_30d,
       stats.volume_30d, stats.bar_count, oldest.close AS first_close
FROM unnest($1::text[]) AS s(symbol)
CROSS JOIN LATERAL (
    SELECT m.time, m.close FROM {SCHEMA}.market_data AS m
    WHERE m.symbol = s.symbol AND m.interval_type = $2
      AND m.time > $3::timestamptz - interval '7 days' AND m.time <= $3::timestamptz
    ORDER BY m.time DESC LIMIT 1
) AS latest
CROSS JOIN LATERAL (
    SELECT m.close FROM {SCHEMA}.market_data AS m
    WHERE m.symbol = s.symbol AND m.interval_type = $2
      AND m.time > $3::timestamptz - interval '30 days' AND m.time <= $3::timestamptz
    ORDER BY m.time LIMIT 1
) AS oldest
CROSS JOIN LATERAL (
    SELECT avg(m.close) AS average_close, min(m.low) AS low_30d, max(m.high) AS high_30d,
           sum(m.volume)::bigint AS volume_30d, count(*) AS bar_count
    FROM {SCHEMA}.market_data AS m
    WHERE m.symbol = s.symbol AND m.interval_type = $2
      AND m.time > $3::timestamptz - interval '30 days' AND m.time <= $3::timestamptz
) AS stats
ORDER BY s.symbol
"""
"""$1 symbols, $2 interval, $3 now."""

VALUATION = f"""
SELECT p.cash_balance, pos.symbol, pos.quantity, bar.close AS last_price
FROM portfolios AS p
LEFT JOIN positions AS pos ON pos.portfolio_id = p.id
LEFT JOIN LATERAL (
    SELECT m.close FROM {SCHEMA}.market_data AS m
    WHERE m.symbol = pos.symbol AND m.interval_type = $2
    ORDER BY m.time DESC LIMIT 1
) AS bar ON true
WHERE p.id = $1
ORDER BY pos.symbol
"""
"""$1 portfolio id, $2 interval."""

PORTFOLIO_WITH_POSITIONS = """
SELECT p.id, p.user_id, p.name, p.description, p.base_currency, p.initial_cash, p.cash_balance,
       p.is_default, p.is_active, p.version, p.created_at, p.updated_at,
       pos.id AS position_id, pos.symbol, pos.quantity, pos.average_price, pos.currency,
       pos.opened_at, pos.created_at AS position_created_at,
       pos.updated_at AS position_updated_at
FROM portfolios AS p
LEFT JOIN positions AS pos ON pos.portfolio_id = p.id
WHERE p.id = $1
ORDER BY pos.symbol
"""
"""$1 portfolio id: the portfolio's columns repeated on each of its positions' rows."""

USER_BY_EMAIL = """
SELECT id, email, username, password_hash, role, first_name, last_name, phone, date_of_birth,
       country, timezone, language, preferred_currency, risk_tolerance, investment_experience,
       is_active, is_verified, two_factor_enabled, last_login_at, created_at, updated_at
FROM users
WHERE lower(email) = lower($1)
"""
"""$1 e-mail (the unique index is on lower(email))."""

DAILY_SUMMARY = f"""
SELECT (day AT TIME ZONE 'UTC')::date AS day, symbol, close, volume, bar_count
FROM {SCHEMA}.daily_market_summary
WHERE symbol = ANY($1::text[]) AND interval_type = $2 AND day >= $3 AND day < $4
ORDER BY symbol, day
"""
"""$1 symbols, $2 interval, [$3, $4) as timestamptz."""
