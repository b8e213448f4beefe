-- name: summary_daily :many
-- params: symbols, interval_type, start_date, end_date
-- not null: day, symbol, interval_type, open, high, low, close, volume, bar_count
-- Daily OHLCV of some symbols at one bar interval, for the UTC days start_date..end_date
-- (both included), by symbol then day. day is the UTC calendar date of the bucket.
SELECT (s.day AT TIME ZONE 'UTC')::date AS day, s.symbol, s.interval_type, s.open, s.high,
       s.low, s.close, s.volume, s.bar_count
FROM daily_market_summary AS s
WHERE s.symbol = ANY(:symbols::text[]) AND s.interval_type = :interval_type
  AND s.day >= (:start_date::date)::timestamp AT TIME ZONE 'UTC'
  AND s.day < (:end_date::date + 1)::timestamp AT TIME ZONE 'UTC'
ORDER BY s.symbol, s.day;

-- name: summary_hourly_bars :many
-- params: symbol, start, end
-- not null: hour, symbol, open, high, low, close, volume, bar_count
-- Hourly OHLCV rolled up from one-minute bars, for the hours starting in [start, end), oldest
-- first.
SELECT hour, symbol, open, high, low, close, volume, bar_count
FROM hourly_market_bars
WHERE symbol = :symbol AND hour >= :start AND hour < :end
ORDER BY hour;

-- name: summary_hourly_portfolio_performance :many
-- params: portfolio_id, start, end
-- not null: hour, portfolio_id, avg_total_value, min_total_value, max_total_value
-- not null: snapshot_count
-- Hourly statistics of one portfolio's snapshots, for the hours starting in [start, end),
-- oldest first.
SELECT hour, portfolio_id, avg_total_value, min_total_value, max_total_value,
       last_total_return, volatility, snapshot_count
FROM hourly_portfolio_performance
WHERE portfolio_id = :portfolio_id AND hour >= :start AND hour < :end
ORDER BY hour;
