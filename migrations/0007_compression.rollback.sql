-- Compression can only be switched off once no chunk is compressed: decompress them all first.
DO $$
DECLARE
    hypertable regclass;
BEGIN
    IF EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'timescaledb') THEN
        FOREACH hypertable IN ARRAY ARRAY['market_data', 'technical_indicators', 'signals',
                                          'portfolio_performance']::regclass[]
        LOOP
            PERFORM remove_compression_policy(hypertable, if_exists => true);
            PERFORM decompress_chunk(chunk, if_compressed => true)
            FROM show_chunks(hypertable) AS chunk;
            EXECUTE format('ALTER TABLE %s SET (timescaledb.compress = false)', hypertable);
        END LOOP;
    END IF;
END
$$;
