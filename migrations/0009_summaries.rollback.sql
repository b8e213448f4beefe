DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'timescaledb') THEN
        DROP MATERIALIZED VIEW hourly_portfolio_performance;
        DROP MATERIALIZED VIEW hourly_market_bars;
        DROP MATERIALIZED VIEW daily_market_summary;
    ELSE
        DROP VIEW hourly_portfolio_performance;
        DROP VIEW hourly_market_bars;
        DROP VIEW daily_market_summary;
    END IF;
END
$$;
