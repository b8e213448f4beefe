-- The extension is dropped only when no hypertable (ours or anyone's) still uses it.
DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'timescaledb') THEN
        IF NOT EXISTS (SELECT 1 FROM timescaledb_information.hypertables) THEN
            DROP EXTENSION timescaledb;
        END IF;
    END IF;
END
$$;

DROP FUNCTION set_updated_at();
