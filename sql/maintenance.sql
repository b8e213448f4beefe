-- name: maintenance_timescaledb_version :scalar
-- The installed TimescaleDB version, or no row on plain PostgreSQL.
SELECT extversion FROM pg_extension WHERE extname = 'timescaledb';

-- name: maintenance_retention_cutoffs :many
-- params: now
-- not null: table_name, drop_after, cutoff
-- Per time-series table, its retention window (migration 0008) and the cutoff it gives at
-- now. Years and months are subtracted on the UTC calendar, whatever the session TimeZone.
SELECT table_name, drop_after::text AS drop_after,
       (:now::timestamptz AT TIME ZONE 'UTC' - drop_after) AT TIME ZONE 'UTC' AS cutoff
FROM time_series_retention
ORDER BY table_name;

-- name: maintenance_refresh_aggregate :execute
-- params: view_name, window_start, window_end
-- Materialize a continuous aggregate over [window_start, window_end) (NULL: unbounded). The
-- window must be aligned to whole buckets, and the call must not run inside a transaction.
CALL refresh_continuous_aggregate(:view_name::regclass, :window_start::timestamptz,
                                  :window_end::timestamptz);

-- name: maintenance_chunks_to_compress :many
-- params: table_name, older_than
-- The chunks of a hypertable that end before older_than and are not fully compressed:
-- uncompressed ones, and compressed ones that received writes since (partially compressed,
-- which compress_chunk recompresses). Frozen chunks refuse changes and are left out.
-- Chunk status bits: 1 compressed, 4 frozen, 8 partially compressed.
SELECT chunk::text AS chunk, (status & 1) = 1 AS was_compressed
FROM show_chunks(:table_name::regclass, older_than => :older_than::timestamptz) AS chunk
CROSS JOIN LATERAL _timescaledb_functions.chunk_status(chunk) AS status
WHERE status & 4 = 0 AND status <> 1
ORDER BY chunk::text;

-- name: maintenance_compress_chunk :execute
-- params: chunk
-- Compress one chunk, or recompress a partially compressed one.
SELECT compress_chunk(:chunk::regclass, if_not_compressed => true);

-- name: maintenance_drop_chunks :scalar
-- params: table_name, cutoff
-- Drop the chunks of a hypertable that end at or before cutoff; returns how many.
SELECT count(*) FROM drop_chunks(:table_name::regclass, older_than => :cutoff::timestamptz);

-- name: maintenance_lift_decompression_limit :scalar
-- For the rest of the transaction, let one DELETE decompress any number of rows of a
-- compressed chunk (TimescaleDB stops at 100,000 by default).
SELECT set_config('timescaledb.max_tuples_decompressed_per_dml_transaction', '0', true);

-- name: maintenance_delete_market_data_before :execute
-- params: cutoff
DELETE FROM market_data WHERE time < :cutoff;

-- name: maintenance_forget_latest_bars_before :scalar
-- params: cutoff
-- After every bar before cutoff was removed: the latest bars before it belong to keys that
-- have no bar left. Then market_data's row triggers are back on (market_data_latest_defer).
WITH forgotten AS (
    DELETE FROM market_data_latest WHERE time < :cutoff RETURNING 1
)
SELECT (SELECT count(*) FROM forgotten) AS forgotten, set_config('boursa.latest_bars', '', true);

-- name: maintenance_delete_technical_indicators_before :execute
-- params: cutoff
DELETE FROM technical_indicators WHERE time < :cutoff;

-- name: maintenance_delete_signals_before :execute
-- params: cutoff
DELETE FROM signals WHERE time < :cutoff;

-- name: maintenance_delete_portfolio_performance_before :execute
-- params: cutoff
DELETE FROM portfolio_performance WHERE time < :cutoff;

-- name: maintenance_table_sizes :many
-- not null: table_name, total_bytes, drop_after
-- Plain PostgreSQL: the on-disk size of each time-series table, indexes and TOAST included,
-- and its retention window.
SELECT table_name, pg_total_relation_size(table_name::regclass) AS total_bytes,
       drop_after::text AS drop_after
FROM time_series_retention
ORDER BY table_name;

-- name: maintenance_hypertables :many
-- TimescaleDB: per hypertable, its size, its chunks, and the size of its compressed chunks
-- before and after compression (indexes and TOAST included; NULL while none is compressed).
SELECT h.hypertable_name AS table_name,
       hypertable_size(format('%I.%I', h.hypertable_schema, h.hypertable_name)::regclass)
           AS total_bytes,
       h.num_chunks AS chunks,
       COALESCE(s.number_compressed_chunks, 0) AS compressed_chunks,
       s.before_compression_total_bytes AS uncompressed_bytes,
       s.after_compression_total_bytes AS compressed_bytes
FROM timescaledb_information.hypertables AS h
LEFT JOIN LATERAL hypertable_compression_stats(
    format('%I.%I', h.hypertable_schema, h.hypertable_name)::regclass) AS s ON true
WHERE h.hypertable_schema = current_schema()
ORDER BY h.hypertable_name;

-- name: maintenance_jobs :many
-- TimescaleDB: the compression and refresh policies of this schema and the retention job
-- (migration 0017: one job, retain_time_series, listed once per window of
-- time_series_retention), with the statistics of their last background run (NULL before the
-- first one).
SELECT j.job_id,
       CASE j.proc_name
           WHEN 'policy_compression' THEN 'compression'
           ELSE 'refresh'
       END AS kind,
       j.hypertable_name AS target,
       COALESCE(j.config ->> 'compress_after', j.config ->> 'start_offset') AS after,
       j.schedule_interval, j.scheduled,
       s.last_run_status, s.last_run_started_at, s.last_successful_finish,
       CASE WHEN isfinite(j.next_start) THEN j.next_start END AS next_start,
       COALESCE(s.total_runs, 0) AS total_runs, COALESCE(s.total_failures, 0) AS total_failures
FROM timescaledb_information.jobs AS j
LEFT JOIN timescaledb_information.job_stats AS s ON s.job_id = j.job_id
WHERE j.hypertable_schema = current_schema()
  AND j.proc_name IN ('policy_compression', 'policy_refresh_continuous_aggregate')
UNION ALL
SELECT j.job_id, 'retention', r.table_name, r.drop_after::text,
       j.schedule_interval, j.scheduled,
       s.last_run_status, s.last_run_started_at, s.last_successful_finish,
       CASE WHEN isfinite(j.next_start) THEN j.next_start END,
       COALESCE(s.total_runs, 0), COALESCE(s.total_failures, 0)
FROM timescaledb_information.jobs AS j
CROSS JOIN time_series_retention AS r
LEFT JOIN timescaledb_information.job_stats AS s ON s.job_id = j.job_id
WHERE j.proc_schema = current_schema() AND j.proc_name = 'retain_time_series'
ORDER BY target, kind;

-- name: maintenance_aggregates :many
-- TimescaleDB: each continuous aggregate, whether it adds real-time rows, how far it is
-- materialized (its watermark; NULL before the first refresh, when TimescaleDB reports the
-- lowest timestamp of 4714 BC) and when its refresh policy last succeeded.
SELECT ca.view_name,
       NOT ca.materialized_only AS real_time,
       CASE WHEN w.watermark > TIMESTAMPTZ '0001-01-01 00:00:00+00' THEN w.watermark END
           AS materialized_through,
       s.last_successful_finish AS last_refresh
FROM timescaledb_information.continuous_aggregates AS ca
JOIN _timescaledb_catalog.hypertable AS h
    ON h.schema_name = ca.materialization_hypertable_schema
   AND h.table_name = ca.materialization_hypertable_name
CROSS JOIN LATERAL _timescaledb_functions.to_timestamp(
    _timescaledb_functions.cagg_watermark(h.id)) AS w(watermark)
LEFT JOIN timescaledb_information.jobs AS j
    ON j.proc_name = 'policy_refresh_continuous_aggregate'
   AND j.hypertable_schema = ca.view_schema AND j.hypertable_name = ca.view_name
LEFT JOIN timescaledb_information.job_stats AS s ON s.job_id = j.job_id
WHERE ca.view_schema = current_schema()
ORDER BY ca.view_name;
