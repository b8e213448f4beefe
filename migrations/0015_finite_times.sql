-- Every stored instant and day is finite. PostgreSQL accepts 'infinity' and '-infinity' in
-- timestamptz and date columns (a hypertable's time column too), and asyncpg reads them back as
-- naive datetime.max / datetime.min (date.max / date.min): a value no aware-datetime code can
-- compare with a real instant. The domain refuses them on the way in; these constraints make sure
-- that nothing written by other means (raw SQL, another client) can make the library read one
-- back. A NULL still passes: isfinite(NULL) is NULL, and CHECK lets NULL through.
-- Adding a CHECK scans the table once, compressed chunks of a hypertable included.
-- depends: 0013_secret_columns

ALTER TABLE alerts ADD CONSTRAINT alerts_finite_times CHECK (
    isfinite(last_triggered_at)
    AND isfinite(expires_at)
    AND isfinite(created_at)
    AND isfinite(updated_at));

ALTER TABLE audit_log ADD CONSTRAINT audit_log_finite_times CHECK (
    isfinite(changed_at));

ALTER TABLE fundamental_data ADD CONSTRAINT fundamental_data_finite_times CHECK (
    isfinite(period_end)
    AND isfinite(created_at)
    AND isfinite(updated_at));

ALTER TABLE instruments ADD CONSTRAINT instruments_finite_times CHECK (
    isfinite(created_at)
    AND isfinite(updated_at));

ALTER TABLE market_data ADD CONSTRAINT market_data_finite_times CHECK (
    isfinite(time));

ALTER TABLE notifications ADD CONSTRAINT notifications_finite_times CHECK (
    isfinite(read_at)
    AND isfinite(sent_at)
    AND isfinite(created_at));

ALTER TABLE portfolio_performance ADD CONSTRAINT portfolio_performance_finite_times CHECK (
    isfinite(time));

ALTER TABLE portfolios ADD CONSTRAINT portfolios_finite_times CHECK (
    isfinite(created_at)
    AND isfinite(updated_at));

ALTER TABLE positions ADD CONSTRAINT positions_finite_times CHECK (
    isfinite(opened_at)
    AND isfinite(created_at)
    AND isfinite(updated_at));

ALTER TABLE refresh_tokens ADD CONSTRAINT refresh_tokens_finite_times CHECK (
    isfinite(expires_at)
    AND isfinite(created_at)
    AND isfinite(last_used_at)
    AND isfinite(revoked_at));

ALTER TABLE signals ADD CONSTRAINT signals_finite_times CHECK (
    isfinite(time)
    AND isfinite(expires_at));

ALTER TABLE system_config ADD CONSTRAINT system_config_finite_times CHECK (
    isfinite(updated_at));

ALTER TABLE technical_indicators ADD CONSTRAINT technical_indicators_finite_times CHECK (
    isfinite(time));

ALTER TABLE transactions ADD CONSTRAINT transactions_finite_times CHECK (
    isfinite(executed_at)
    AND isfinite(created_at));

ALTER TABLE users ADD CONSTRAINT users_finite_times CHECK (
    isfinite(date_of_birth)
    AND isfinite(last_login_at)
    AND isfinite(created_at)
    AND isfinite(updated_at));
