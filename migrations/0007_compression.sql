-- Columnstore compression of the four time-series hypertables (TimescaleDB only).
--
-- segmentby: the columns every query names with "=" (symbol, interval, indicator, strategy,
-- portfolio). A read for one symbol decompresses only that symbol's batches, and the latest-bar
-- and range queries keep their per-symbol plans. orderby: time DESC, the order those queries
-- read in; each batch also keeps min/max(time), so a time filter skips whole batches.
-- Chunks are compressed once they are older than 7 days (bars and indicators: written once,
-- then only read) or 30 days (signals and portfolio snapshots: still corrected for a month).
-- Writes into compressed chunks keep working (COPY, INSERT, UPDATE, DELETE, upserts).
--
-- Plain PostgreSQL has no columnar compression: this migration changes nothing there, and
-- boursa_db.maintenance.compress_chunks reports that it does not apply.
-- depends: 0006_time_series

DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'timescaledb') THEN
        ALTER TABLE market_data SET (
            timescaledb.compress,
            timescaledb.compress_segmentby = 'symbol, interval_type',
            timescaledb.compress_orderby = 'time DESC');
        ALTER TABLE technical_indicators SET (
            timescaledb.compress,
            timescaledb.compress_segmentby = 'symbol, interval_type, indicator_name',
            timescaledb.compress_orderby = 'time DESC');
        ALTER TABLE signals SET (
            timescaledb.compress,
            timescaledb.compress_segmentby = 'symbol, strategy',
            timescaledb.compress_orderby = 'time DESC');
        ALTER TABLE portfolio_performance SET (
            timescaledb.compress,
            timescaledb.compress_segmentby = 'portfolio_id',
            timescaledb.compress_orderby = 'time DESC');

        PERFORM add_compression_policy('market_data', compress_after => INTERVAL '7 days',
                                       if_not_exists => true);
        PERFORM add_compression_policy('technical_indicators', compress_after => INTERVAL '7 days',
                                       if_not_exists => true);
        PERFORM add_compression_policy('signals', compress_after => INTERVAL '30 days',
                                       if_not_exists => true);
        PERFORM add_compression_policy('portfolio_performance', compress_after => INTERVAL '30 days',
                                       if_not_exists => true);
    END IF;
END
$$;
