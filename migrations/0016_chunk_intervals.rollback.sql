DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'timescaledb') THEN
        PERFORM set_chunk_time_interval('market_data', INTERVAL '1 day');
        PERFORM set_chunk_time_interval('technical_indicators', INTERVAL '1 day');
        PERFORM set_chunk_time_interval('signals', INTERVAL '1 day');
        PERFORM set_chunk_time_interval('portfolio_performance', INTERVAL '1 day');
        PERFORM set_chunk_time_interval(
            format('%I.%I', materialization_hypertable_schema, materialization_hypertable_name),
            INTERVAL '10 days')
        FROM timescaledb_information.continuous_aggregates
        WHERE view_schema = current_schema()
          AND view_name IN ('daily_market_summary', 'hourly_market_bars',
                            'hourly_portfolio_performance');
    END IF;
END
$$;
