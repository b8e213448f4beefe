DO $$
DECLARE
    policy record;
BEGIN
    IF EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'timescaledb') THEN
        FOR policy IN SELECT table_name FROM time_series_retention LOOP
            PERFORM remove_retention_policy(policy.table_name::regclass, if_exists => true);
        END LOOP;
    END IF;
END
$$;

DROP TABLE time_series_retention;
