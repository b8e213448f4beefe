DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'timescaledb') THEN
        PERFORM delete_job(job_id)
        FROM timescaledb_information.jobs
        WHERE proc_schema = current_schema() AND proc_name = 'retain_time_series';
        PERFORM alter_job(job_id, scheduled => true)
        FROM timescaledb_information.jobs
        WHERE proc_name = 'policy_retention' AND hypertable_schema = current_schema();
    END IF;
END
$$;
DROP PROCEDURE retain_time_series(integer, jsonb);
DROP TRIGGER market_data_latest_after_truncate ON market_data;
DROP TRIGGER market_data_latest_settle ON market_data;
DROP TRIGGER market_data_latest_note ON market_data;
DROP FUNCTION market_data_latest_rebuild();
DROP FUNCTION market_data_latest_after_truncate();
DROP FUNCTION market_data_latest_settle();
DROP FUNCTION market_data_latest_note();
DROP TABLE market_data_latest;
