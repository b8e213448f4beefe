-- market_data_latest: the newest bar of each symbol and interval, kept next to market_data.
--
-- Why: "the latest price" is the library's most frequent read (latest prices, the latest bar, a
-- portfolio's valuation), and on a hypertable with years of chunks a backward probe of the key
-- visits every chunk the symbol might be in: a symbol last traded 400 days ago is found only
-- after every younger chunk was tried. Read from this small plain table, a latest bar is one
-- probe of its primary key, whatever the depth of history, on TimescaleDB and plain PostgreSQL
-- alike; the latest-price shapes of `python -m benchmarks.run --size history` measure it.
--
-- Invariant: for every (symbol, interval_type) that has bars, one row holding its bar with the
-- greatest time; no row for a key without bars. Who keeps it:
--
-- * the library's bulk writes (binary COPY in every conflict mode, delete_range, retention):
--   once per batch, in the batch's transaction, from the newest bar of each key of the batch
--   (boursa_db.repositories.latest_bars). While one of them runs it sets the transaction-local
--   setting boursa.latest_bars to 'merged', and the triggers below skip its rows: noting every
--   bar costs a function call per row (a COPY several times slower);
-- * every other write (a single save, raw SQL from any client): the triggers below, which note
--   the rows a statement writes and settle them once the statement is done;
-- * TRUNCATE market_data empties it; the retention job (below) and
--   boursa_db.maintenance.apply_retention remove the rows of keys whose bars are all gone.
--
-- One way stays outside: TimescaleDB's drop_chunks called by hand fires no trigger. After it,
-- SELECT market_data_latest_rebuild() computes the table anew from market_data.
--
-- Retention on TimescaleDB becomes one background job, retain_time_series, instead of 0008's
-- four retention policies (paused here): it drops the chunks older than each window of
-- time_series_retention (read at every run, so changing a window is updating its row) and, in
-- the same transaction, the market_data_latest rows of keys that no chunk holds any more.
-- depends: 0016_chunk_intervals

CREATE TABLE market_data_latest (LIKE market_data INCLUDING DEFAULTS INCLUDING CONSTRAINTS);
ALTER TABLE market_data_latest
    ADD CONSTRAINT market_data_latest_pkey PRIMARY KEY (symbol, interval_type);

-- Every other write is noted by a row trigger and settled by a statement trigger, in sets:
-- one row trigger upserting market_data_latest itself would update the same row once per bar of
-- a bulk INSERT or COPY, and each update in one transaction walks the versions of that row
-- written before it (quadratic). The row trigger notes each bar written (and each bar gone, by
-- UPDATE or DELETE) in a temporary table of the session; the statement trigger, after the
-- statement, takes the newest noted bar of each key where it is newer than the stored latest
-- bar, gives a key whose latest bar went the newest bar left (one backward probe of
-- market_data), and empties the notes.
CREATE FUNCTION market_data_latest_note() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF to_regclass('pg_temp.market_data_latest_notes') IS NULL THEN
        CREATE TEMPORARY TABLE market_data_latest_notes
            (LIKE market_data, gone boolean NOT NULL) ON COMMIT DELETE ROWS;
    END IF;
    IF TG_OP <> 'INSERT' THEN
        INSERT INTO pg_temp.market_data_latest_notes SELECT (OLD).*, true;
    END IF;
    IF TG_OP <> 'DELETE' THEN
        INSERT INTO pg_temp.market_data_latest_notes SELECT (NEW).*, false;
    END IF;
    RETURN NULL;
END
$$;

CREATE FUNCTION market_data_latest_settle() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF to_regclass('pg_temp.market_data_latest_notes') IS NULL THEN
        RETURN NULL;
    END IF;
    -- A latest bar that went (deleted, changed or moved): the newest bar left takes its place.
    WITH forgotten AS (
        DELETE FROM market_data_latest AS l
        USING pg_temp.market_data_latest_notes AS n
        WHERE n.gone AND l.symbol = n.symbol AND l.interval_type = n.interval_type
          AND l.time = n.time
        RETURNING l.symbol, l.interval_type
    )
    INSERT INTO market_data_latest (time, symbol, interval_type, open, high, low, close,
                                    adjusted_close, volume, source)
    SELECT left_bar.time, left_bar.symbol, left_bar.interval_type, left_bar.open,
           left_bar.high, left_bar.low, left_bar.close, left_bar.adjusted_close,
           left_bar.volume, left_bar.source
    FROM (SELECT DISTINCT symbol, interval_type FROM forgotten) AS f
    CROSS JOIN LATERAL (
        SELECT m.time, m.symbol, m.interval_type, m.open, m.high, m.low, m.close,
               m.adjusted_close, m.volume, m.source
        FROM market_data AS m
        WHERE m.symbol = f.symbol AND m.interval_type = f.interval_type
        ORDER BY m.time DESC
        LIMIT 1
    ) AS left_bar;
    -- A bar newer than the latest bar of its key (or of a key without one) takes its place.
    INSERT INTO market_data_latest AS l (time, symbol, interval_type, open, high, low, close,
                                         adjusted_close, volume, source)
    SELECT DISTINCT ON (n.symbol, n.interval_type)
           n.time, n.symbol, n.interval_type, n.open, n.high, n.low, n.close,
           n.adjusted_close, n.volume, n.source
    FROM pg_temp.market_data_latest_notes AS n
    WHERE NOT n.gone
    ORDER BY n.symbol, n.interval_type, n.time DESC
    ON CONFLICT (symbol, interval_type) DO UPDATE
    SET time = EXCLUDED.time, open = EXCLUDED.open, high = EXCLUDED.high, low = EXCLUDED.low,
        close = EXCLUDED.close, adjusted_close = EXCLUDED.adjusted_close,
        volume = EXCLUDED.volume, source = EXCLUDED.source
    WHERE l.time < EXCLUDED.time;
    DELETE FROM pg_temp.market_data_latest_notes;
    RETURN NULL;
END
$$;

CREATE FUNCTION market_data_latest_after_truncate() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM market_data_latest;
    RETURN NULL;
END
$$;

-- The table anew from market_data: after a drop_chunks by hand, or to check the invariant.
CREATE FUNCTION market_data_latest_rebuild() RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
    kept bigint;
BEGIN
    DELETE FROM market_data_latest;
    INSERT INTO market_data_latest (time, symbol, interval_type, open, high, low, close,
                                    adjusted_close, volume, source)
    SELECT DISTINCT ON (symbol, interval_type)
           time, symbol, interval_type, open, high, low, close, adjusted_close, volume, source
    FROM market_data
    ORDER BY symbol, interval_type, time DESC;
    GET DIAGNOSTICS kept = ROW_COUNT;
    RETURN kept;
END
$$;

DO $$
DECLARE
    schema_name text := current_schema();
BEGIN
    -- A temporary table named market_data_latest must not capture the rows of these functions.
    EXECUTE format('ALTER FUNCTION market_data_latest_note() '
                   'SET search_path = %I, pg_catalog, pg_temp', schema_name);
    EXECUTE format('ALTER FUNCTION market_data_latest_settle() '
                   'SET search_path = %I, pg_catalog, pg_temp', schema_name);
    EXECUTE format('ALTER FUNCTION market_data_latest_after_truncate() '
                   'SET search_path = %I, pg_catalog, pg_temp', schema_name);
    EXECUTE format('ALTER FUNCTION market_data_latest_rebuild() '
                   'SET search_path = %I, pg_catalog, pg_temp', schema_name);
END
$$;

DO $$
BEGIN
    PERFORM market_data_latest_rebuild();
END
$$;

-- The WHEN clause is evaluated per row before any function is called: a bulk write of the
-- library costs each row one comparison, no call.
CREATE TRIGGER market_data_latest_note
    AFTER INSERT OR UPDATE OR DELETE ON market_data
    FOR EACH ROW
    WHEN (current_setting('boursa.latest_bars', true) IS DISTINCT FROM 'merged')
    EXECUTE FUNCTION market_data_latest_note();
CREATE TRIGGER market_data_latest_settle
    AFTER INSERT OR UPDATE OR DELETE ON market_data
    FOR EACH STATEMENT
    WHEN (current_setting('boursa.latest_bars', true) IS DISTINCT FROM 'merged')
    EXECUTE FUNCTION market_data_latest_settle();
CREATE TRIGGER market_data_latest_after_truncate
    AFTER TRUNCATE ON market_data
    FOR EACH STATEMENT EXECUTE FUNCTION market_data_latest_after_truncate();

ALTER TABLE market_data_latest OWNER TO boursa_owner;
GRANT SELECT, INSERT, UPDATE, DELETE ON market_data_latest TO boursa_app;
GRANT SELECT ON market_data_latest TO boursa_readonly;
ALTER FUNCTION market_data_latest_note() OWNER TO boursa_owner;
ALTER FUNCTION market_data_latest_settle() OWNER TO boursa_owner;
ALTER FUNCTION market_data_latest_after_truncate() OWNER TO boursa_owner;
ALTER FUNCTION market_data_latest_rebuild() OWNER TO boursa_owner;
-- The trigger functions run as the writer, who needs no EXECUTE on them to fire them (but TEMP
-- on the database for the notes, which PUBLIC has by default, as ConflictMode.SKIP needs).
REVOKE ALL ON FUNCTION market_data_latest_note() FROM PUBLIC;
REVOKE ALL ON FUNCTION market_data_latest_settle() FROM PUBLIC;
REVOKE ALL ON FUNCTION market_data_latest_after_truncate() FROM PUBLIC;
REVOKE ALL ON FUNCTION market_data_latest_rebuild() FROM PUBLIC;

-- Retention as one job (TimescaleDB only; plain PostgreSQL has no jobs, and retention runs
-- there when boursa_db.maintenance.apply_retention is called).
CREATE PROCEDURE retain_time_series(job_id integer, config jsonb)
LANGUAGE plpgsql AS $$
DECLARE
    retention record;
    horizon timestamptz;
BEGIN
    FOR retention IN
        SELECT table_name, drop_after FROM time_series_retention ORDER BY table_name
    LOOP
        -- Years and months are subtracted on the UTC calendar, as apply_retention does.
        PERFORM drop_chunks(retention.table_name::regclass,
                            older_than => (now() AT TIME ZONE 'UTC' - retention.drop_after)
                                          AT TIME ZONE 'UTC');
    END LOOP;
    -- Every bar left is at or after the start of the oldest chunk left: a latest bar before it
    -- was in a dropped chunk, with every older bar of its key.
    SELECT min(range_start) INTO horizon
    FROM timescaledb_information.chunks
    WHERE hypertable_schema = current_schema() AND hypertable_name = 'market_data';
    DELETE FROM market_data_latest WHERE horizon IS NULL OR time < horizon;
END
$$;

DO $$
DECLARE
    schema_name text := current_schema();
    extension_schema text;
BEGIN
    SELECT extnamespace::regnamespace::text INTO extension_schema
    FROM pg_extension WHERE extname = 'timescaledb';
    EXECUTE format('ALTER PROCEDURE retain_time_series(integer, jsonb) '
                   'SET search_path = %I, %I, pg_catalog, pg_temp',
                   schema_name, coalesce(extension_schema, schema_name));
    IF extension_schema IS NOT NULL THEN
        -- 0008's policies are paused, not removed: TimescaleDB creates a policy only for a
        -- hypertable whose owner may log in, which boursa_owner (0010) may not, so the rollback
        -- could not create them again; it resumes them.
        PERFORM alter_job(job_id, scheduled => false)
        FROM timescaledb_information.jobs
        WHERE proc_name = 'policy_retention' AND hypertable_schema = schema_name;
        PERFORM add_job('retain_time_series', INTERVAL '1 day');
    END IF;
END
$$;

ALTER PROCEDURE retain_time_series(integer, jsonb) OWNER TO boursa_owner;
REVOKE ALL ON PROCEDURE retain_time_series(integer, jsonb) FROM PUBLIC;
