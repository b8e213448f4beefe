-- How long raw time-series rows are kept.
--
-- time_series_retention is the one place the windows are declared: on TimescaleDB this
-- migration creates a retention policy (a background job dropping whole chunks) from each row;
-- boursa_db.maintenance.apply_retention reads the same rows on both backends, so "apply
-- retention now" removes exactly the rows older than now - drop_after everywhere (on plain
-- PostgreSQL with DELETE, which is also the only way retention happens there).
-- Changing a window means updating its row and, on TimescaleDB, re-creating the policy
-- (remove_retention_policy / add_retention_policy).
--
-- Continuous aggregates keep their materialized buckets when raw chunks are dropped, so on
-- TimescaleDB the summaries outlive the raw rows; the plain views of plain PostgreSQL cannot.
-- Their refresh policies look back 7 days, far inside every window here, so a refresh never
-- recomputes a bucket from raw rows that retention already removed.
-- depends: 0007_compression

CREATE TABLE time_series_retention (
    table_name text     PRIMARY KEY,
    drop_after interval NOT NULL
);

INSERT INTO time_series_retention (table_name, drop_after) VALUES
    ('market_data', INTERVAL '2 years'),
    ('technical_indicators', INTERVAL '1 year'),
    ('signals', INTERVAL '1 year'),
    ('portfolio_performance', INTERVAL '5 years');

DO $$
DECLARE
    policy record;
BEGIN
    IF EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'timescaledb') THEN
        FOR policy IN SELECT table_name, drop_after FROM time_series_retention LOOP
            PERFORM add_retention_policy(policy.table_name::regclass,
                                         drop_after => policy.drop_after,
                                         if_not_exists => true);
        END LOOP;
    END IF;
END
$$;
