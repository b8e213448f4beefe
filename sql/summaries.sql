-- name: summary_daily :many
-- params: symbols, interval_type, start_date, end_date
-- not null: day, symbol, interval_type, open, high, low, close, volume, bar_count
-- Daily OHLCV of some symbols at one bar interval, for the UTC days start_date..end_date
-- (both included), by symbol then day. day is the UTC calendar date of the bucket. Planned for
-- the window on every call (daily_summaries_between, migration 0018).
SELECT day, symbol, interval_type, open, high, low, close, volume, bar_count
FROM daily_summaries_between(:symbols, :interval_type, :start_date, :end_date);

-- name: summary_hourly_bars :many
-- params: symbol, start, end
-- not null: hour, symbol, open, high, low, close, volume, bar_count
-- Hourly OHLCV rolled up from one-minute bars, for the hours starting in [start, end), oldest
-- first (hourly_bars_between, migration 0018).
SELECT hour, symbol, open, high, low, close, volume, bar_count
FROM hourly_bars_between(:symbol, :start, :end);

-- name: summary_hourly_portfolio_performance :many
-- params: portfolio_id, start, end
-- not null: hour, portfolio_id, avg_total_value, min_total_value, max_total_value
-- not null: snapshot_count
-- Hourly statistics of one portfolio's snapshots, for the hours starting in [start, end),
-- oldest first (hourly_portfolio_performance_between, migration 0018).
SELECT hour, portfolio_id, avg_total_value, min_total_value, max_total_value,
       last_total_return, volatility, snapshot_count
FROM hourly_portfolio_performance_between(:portfolio_id, :start, :end);
