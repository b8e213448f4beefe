-- Summaries of the time series: daily OHLCV per symbol and interval, hourly OHLCV from
-- one-minute bars, hourly portfolio performance. Same names, columns and answers on both
-- backends:
--
-- * TimescaleDB: continuous aggregates with real-time aggregation (materialized_only = false):
--   buckets below the watermark come from the materialization, newer ones are computed from the
--   raw rows at query time, so a bar written a second ago is already in its summary. They are
--   created WITH NO DATA (a DO block runs inside a transaction, where materializing is refused);
--   until the first refresh every bucket is computed in real time. Refresh policies materialize
--   the last 7 days up to 1 hour ago; a write below the watermark (a late correction) shows only
--   after a refresh of its window (boursa_db.maintenance.refresh_aggregates).
-- * Plain PostgreSQL: plain views over the raw tables, computed at query time, always fresh.
--
-- Buckets are UTC whatever the session TimeZone: time_bucket on timestamptz aligns to UTC, and
-- date_trunc gets 'UTC' as its time zone argument. first()/last() pick the open and close by
-- time; (array_agg(x ORDER BY time))[1] is their plain-PostgreSQL twin (time is unique within a
-- group, so there are no ties). Volume sums are cast back to bigint.
--
-- hourly_portfolio_performance: average, lowest and highest total_value of the hour, the
-- total_return of the hour's last snapshot (cumulative return at the end of the hour), and
-- volatility = the sample standard deviation of total_value within the hour, in the portfolio's
-- currency (NULL for a single snapshot). Both are computed in numeric, exactly, so the two
-- backends agree to the last digit.
-- depends: 0008_retention

DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'timescaledb') THEN
        CREATE MATERIALIZED VIEW daily_market_summary
        WITH (timescaledb.continuous, timescaledb.materialized_only = false) AS
        SELECT time_bucket(INTERVAL '1 day', time) AS day, symbol, interval_type,
               first(open, time) AS open, max(high) AS high, min(low) AS low,
               last(close, time) AS close, sum(volume)::bigint AS volume, count(*) AS bar_count
        FROM market_data
        GROUP BY time_bucket(INTERVAL '1 day', time), symbol, interval_type
        WITH NO DATA;

        CREATE MATERIALIZED VIEW hourly_market_bars
        WITH (timescaledb.continuous, timescaledb.materialized_only = false) AS
        SELECT time_bucket(INTERVAL '1 hour', time) AS hour, symbol,
               first(open, time) AS open, max(high) AS high, min(low) AS low,
               last(close, time) AS close, sum(volume)::bigint AS volume, count(*) AS bar_count
        FROM market_data
        WHERE interval_type = '1m'
        GROUP BY time_bucket(INTERVAL '1 hour', time), symbol
        WITH NO DATA;

        CREATE MATERIALIZED VIEW hourly_portfolio_performance
        WITH (timescaledb.continuous, timescaledb.materialized_only = false) AS
        SELECT time_bucket(INTERVAL '1 hour', time) AS hour, portfolio_id,
               avg(total_value) AS avg_total_value, min(total_value) AS min_total_value,
               max(total_value) AS max_total_value,
               last(total_return, time) AS last_total_return,
               stddev_samp(total_value) AS volatility, count(*) AS snapshot_count
        FROM portfolio_performance
        GROUP BY time_bucket(INTERVAL '1 hour', time), portfolio_id
        WITH NO DATA;

        PERFORM add_continuous_aggregate_policy('daily_market_summary',
            start_offset => INTERVAL '7 days', end_offset => INTERVAL '1 hour',
            schedule_interval => INTERVAL '1 hour', if_not_exists => true);
        PERFORM add_continuous_aggregate_policy('hourly_market_bars',
            start_offset => INTERVAL '7 days', end_offset => INTERVAL '1 hour',
            schedule_interval => INTERVAL '30 minutes', if_not_exists => true);
        PERFORM add_continuous_aggregate_policy('hourly_portfolio_performance',
            start_offset => INTERVAL '7 days', end_offset => INTERVAL '1 hour',
            schedule_interval => INTERVAL '1 hour', if_not_exists => true);
    ELSE
        CREATE VIEW daily_market_summary AS
        SELECT date_trunc('day', time, 'UTC') AS day, symbol, interval_type,
               (array_agg(open ORDER BY time))[1] AS open, max(high) AS high, min(low) AS low,
               (array_agg(close ORDER BY time DESC))[1] AS close,
               sum(volume)::bigint AS volume, count(*) AS bar_count
        FROM market_data
        GROUP BY date_trunc('day', time, 'UTC'), symbol, interval_type;

        CREATE VIEW hourly_market_bars AS
        SELECT date_trunc('hour', time, 'UTC') AS hour, symbol,
               (array_agg(open ORDER BY time))[1] AS open, max(high) AS high, min(low) AS low,
               (array_agg(close ORDER BY time DESC))[1] AS close,
               sum(volume)::bigint AS volume, count(*) AS bar_count
        FROM market_data
        WHERE interval_type = '1m'
        GROUP BY date_trunc('hour', time, 'UTC'), symbol;

        CREATE VIEW hourly_portfolio_performance AS
        SELECT date_trunc('hour', time, 'UTC') AS hour, portfolio_id,
               avg(total_value) AS avg_total_value, min(total_value) AS min_total_value,
               max(total_value) AS max_total_value,
               (array_agg(total_return ORDER BY time DESC))[1] AS last_total_return,
               stddev_samp(total_value) AS volatility, count(*) AS snapshot_count
        FROM portfolio_performance
        GROUP BY date_trunc('hour', time, 'UTC'), portfolio_id;
    END IF;
END
$$;
