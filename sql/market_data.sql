-- name: find_latest_prices :many
-- params: symbols, interval_type
-- not null: symbol
-- The newest bar of each symbol at one interval, from market_data_latest (migration 0017): one
-- probe of its primary key per symbol, however many chunks of history market_data holds and
-- however long ago the symbol last traded. Symbols without bars are left out.
SELECT s.symbol, l.time, l.interval_type, l.open, l.high, l.low, l.close, l.adjusted_close,
       l.volume, l.source
FROM unnest(:symbols::text[]) AS s(symbol)
CROSS JOIN LATERAL (
    -- LIMIT 1 keeps this a probe per symbol: a join would let the planner read the whole
    -- table for a few symbols whenever its statistics say it is small.
    SELECT m.time, m.interval_type, m.open, m.high, m.low, m.close, m.adjusted_close, m.volume,
           m.source
    FROM market_data_latest AS m
    WHERE m.symbol = s.symbol AND m.interval_type = :interval_type
    LIMIT 1
) AS l
ORDER BY s.symbol;

-- name: market_data_find_latest :one
-- params: symbol, interval_type
-- The newest bar of one symbol at one interval, or no row: one probe of market_data_latest.
SELECT time, symbol, interval_type, open, high, low, close, adjusted_close, volume, source
FROM market_data_latest
WHERE symbol = :symbol AND interval_type = :interval_type;

-- name: market_data_find_range :many
-- params: symbol, interval_type, start, end
-- not null: time, symbol, interval_type, open, high, low, close, volume, source
-- The bars of [start, end), oldest first: one range scan of the primary key, planned for the
-- range on every call (market_data_range, migration 0018).
SELECT time, symbol, interval_type, open, high, low, close, adjusted_close, volume, source
FROM market_data_range(:symbol, :interval_type, :start, :end);

-- name: market_data_stream_range :many
-- params: symbol, interval_type, start, end
-- The bars of [start, end), oldest first, for a server-side cursor: a function would hold the
-- whole range before handing over the first row, so a stream reads the table itself (its plan
-- is made once per cursor).
SELECT time, symbol, interval_type, open, high, low, close, adjusted_close, volume, source
FROM market_data
WHERE symbol = :symbol AND interval_type = :interval_type
  AND time >= :start AND time < :end
ORDER BY time;

-- name: market_data_find_gaps :many
-- params: symbol, interval_type, start, end, step, max_results
-- not null: gap_start, gap_end, missing_bars
-- Holes in the series within [start, end): consecutive bars further apart than one step (the
-- interval's width). gap_start and gap_end are the times of the bars around the hole. Bars
-- expected before the first or after the last bar of the range are not reported.
SELECT gap_start, gap_end, missing_bars
FROM market_data_gaps(:symbol, :interval_type, :start, :end, :step, :max_results);

-- name: market_data_summary :many
-- params: symbols, interval_type, now
-- not null: symbol, time, interval_type, open, high, low, close, volume, source
-- not null: average_close, low_30d, high_30d, volume_30d, bar_count, first_close
-- Per symbol: the newest bar of (now - 7 days, now] and statistics over (now - 30 days, now].
-- Three index probes per symbol (newest bar, oldest bar of the window, the window's range).
-- Symbols without a bar in the last 7 days are left out.
SELECT symbol, time, interval_type, open, high, low, close, adjusted_close, volume, source,
       average_close, low_30d, high_30d, volume_30d, bar_count, first_close
FROM market_data_summary(:symbols, :interval_type, :now);

-- name: market_data_save :one
-- params: time, symbol, interval_type, open, high, low, close, adjusted_close, volume, source
-- Insert one bar, or replace the bar with the same symbol, interval and time.
INSERT INTO market_data (time, symbol, interval_type, open, high, low, close, adjusted_close,
                         volume, source)
VALUES (:time, :symbol, :interval_type, :open, :high, :low, :close, :adjusted_close, :volume,
        :source)
ON CONFLICT (symbol, interval_type, time) DO UPDATE
SET open = EXCLUDED.open, high = EXCLUDED.high, low = EXCLUDED.low, close = EXCLUDED.close,
    adjusted_close = EXCLUDED.adjusted_close, volume = EXCLUDED.volume, source = EXCLUDED.source
RETURNING time, symbol, interval_type, open, high, low, close, adjusted_close, volume, source;

-- name: market_data_delete_range :execute
-- params: symbol, interval_type, start, end
-- Delete the bars of [start, end).
DELETE FROM market_data
WHERE symbol = :symbol AND interval_type = :interval_type AND time >= :start AND time < :end;

-- name: market_data_count :scalar
-- params: symbol, interval_type
-- not null: count
SELECT count(*) FROM market_data WHERE symbol = :symbol AND interval_type = :interval_type;

-- name: market_data_copy :copy
-- Bars straight into market_data: a bar that exists already fails the whole COPY.
COPY market_data (time, symbol, interval_type, open, high, low, close, adjusted_close, volume,
                  source) FROM STDIN (FORMAT binary);

-- name: market_data_stored :scalar
-- params: symbol, interval_type, time
-- not null: stored
-- Whether the bar with this key is stored. An upserting COPY of a large batch probes its first
-- bar: when it is stored, a COPY straight into market_data would fail, so it goes to staging.
SELECT market_data_stored(:symbol, :interval_type, :time) AS stored;

-- name: market_data_create_staging :execute
-- The transaction's staging table for COPY followed by an upsert. It has no CHECK constraints:
-- evaluating them for every staged bar cost about a third of an upsert of 100,000 bars, and a
-- bar only reaches market_data through the upsert, which checks it. When the upsert refuses a
-- bar, the batch is COPYed again into market_data_checked to name its line.
CREATE TEMPORARY TABLE IF NOT EXISTS market_data_staging
    (LIKE market_data INCLUDING DEFAULTS) ON COMMIT DROP;

-- name: market_data_copy_staging :copy
COPY market_data_staging (time, symbol, interval_type, open, high, low, close, adjusted_close,
                          volume, source) FROM STDIN (FORMAT binary);

-- name: market_data_create_checked_staging :execute
-- Shaped like market_data with its CHECK constraints: a COPY into it names the line of the first
-- bar market_data refuses. Used only after an upsert from market_data_staging failed.
CREATE TEMPORARY TABLE IF NOT EXISTS market_data_checked
    (LIKE market_data INCLUDING DEFAULTS INCLUDING CONSTRAINTS) ON COMMIT DROP;

-- name: market_data_copy_checked_staging :copy
COPY market_data_checked (time, symbol, interval_type, open, high, low, close, adjusted_close,
                          volume, source) FROM STDIN (FORMAT binary);

-- name: market_data_empty_staging :execute
-- Empties the staging table for the next batch of the transaction. TRUNCATE of a temporary
-- table costs a file, where emptying it with DELETE cost about a tenth of an upsert.
TRUNCATE market_data_staging;

-- name: market_data_insert_from_staging :execute
-- Move the staged bars into market_data, keeping bars that exist already. The count is the number
-- of bars inserted.
INSERT INTO market_data (time, symbol, interval_type, open, high, low, close, adjusted_close,
                         volume, source)
SELECT time, symbol, interval_type, open, high, low, close, adjusted_close, volume, source
FROM market_data_staging
-- Rows go in key order, so concurrent overlapping batches lock rows in the same order
-- and cannot deadlock each other.
ORDER BY symbol, interval_type, time
ON CONFLICT (symbol, interval_type, time) DO NOTHING;

-- name: market_data_upsert_from_staging :execute
-- Move the staged bars into market_data, replacing bars that exist already. The count is the
-- number of bars inserted or changed.
INSERT INTO market_data (time, symbol, interval_type, open, high, low, close, adjusted_close,
                         volume, source)
SELECT time, symbol, interval_type, open, high, low, close, adjusted_close, volume, source
FROM market_data_staging
-- Rows go in key order, so concurrent overlapping batches lock rows in the same order
-- and cannot deadlock each other.
ORDER BY symbol, interval_type, time
ON CONFLICT (symbol, interval_type, time) DO UPDATE
SET open = EXCLUDED.open, high = EXCLUDED.high, low = EXCLUDED.low, close = EXCLUDED.close,
    adjusted_close = EXCLUDED.adjusted_close, volume = EXCLUDED.volume, source = EXCLUDED.source
-- A stored bar equal to the new one is left as it is: no new row version, no index entry, no
-- WAL for it. Re-ingesting a day that is already stored costs about a third of replacing it.
WHERE (market_data.open, market_data.high, market_data.low, market_data.close,
       market_data.adjusted_close, market_data.volume, market_data.source)
      IS DISTINCT FROM (EXCLUDED.open, EXCLUDED.high, EXCLUDED.low, EXCLUDED.close,
                        EXCLUDED.adjusted_close, EXCLUDED.volume, EXCLUDED.source);

-- name: market_data_latest_defer :execute
-- Until market_data_latest_merge or market_data_latest_after_delete, the row triggers of
-- market_data leave market_data_latest to the library (migration 0017): it merges a whole
-- batch in one statement. Local to the transaction; a rolled-back savepoint undoes it too.
SELECT set_config('boursa.latest_bars', 'merged', true);

-- name: market_data_latest_merge :scalar
-- params: times, symbols, interval_types, opens, highs, lows, closes, adjusted_closes
-- params: volumes, sources, replace_equal
-- not null: merged
-- The newest bar of each key of a batch just written, into market_data_latest where it is
-- newer than the stored latest bar (or, with replace_equal, as new and different: the batch
-- replaced the stored bar), and the row triggers back on. The count is the keys changed.
WITH merged AS (
    INSERT INTO market_data_latest AS l (time, symbol, interval_type, open, high, low, close,
                                         adjusted_close, volume, source)
    SELECT *
    FROM unnest(:times::timestamptz[], :symbols::text[], :interval_types::text[],
                :opens::float8[], :highs::float8[], :lows::float8[], :closes::float8[],
                :adjusted_closes::float8[], :volumes::bigint[], :sources::text[])
    ON CONFLICT (symbol, interval_type) DO UPDATE
    SET time = EXCLUDED.time, open = EXCLUDED.open, high = EXCLUDED.high, low = EXCLUDED.low,
        close = EXCLUDED.close, adjusted_close = EXCLUDED.adjusted_close,
        volume = EXCLUDED.volume, source = EXCLUDED.source
    WHERE l.time < EXCLUDED.time
       OR (:replace_equal::boolean AND l.time = EXCLUDED.time
           AND (l.open, l.high, l.low, l.close, l.adjusted_close, l.volume, l.source)
               IS DISTINCT FROM (EXCLUDED.open, EXCLUDED.high, EXCLUDED.low, EXCLUDED.close,
                                 EXCLUDED.adjusted_close, EXCLUDED.volume, EXCLUDED.source))
    RETURNING 1
)
SELECT (SELECT count(*) FROM merged) AS merged, set_config('boursa.latest_bars', '', true);

-- name: market_data_latest_after_delete :scalar
-- params: symbol, interval_type, start, end
-- not null: replaced
-- After the bars of [start, end) were deleted: when the latest bar of the key was among them,
-- the newest bar before start takes its place (there is none at or after end: the latest bar
-- was the newest), or the key leaves market_data_latest. Then the row triggers are back on.
WITH forgotten AS (
    DELETE FROM market_data_latest
    WHERE symbol = :symbol AND interval_type = :interval_type
      AND time >= :start AND time < :end
    RETURNING symbol, interval_type
), replaced AS (
    INSERT INTO market_data_latest (time, symbol, interval_type, open, high, low, close,
                                    adjusted_close, volume, source)
    SELECT before.time, before.symbol, before.interval_type, before.open, before.high,
           before.low, before.close, before.adjusted_close, before.volume, before.source
    FROM forgotten AS f
    CROSS JOIN LATERAL (
        SELECT m.time, m.symbol, m.interval_type, m.open, m.high, m.low, m.close,
               m.adjusted_close, m.volume, m.source
        FROM market_data AS m
        WHERE m.symbol = f.symbol AND m.interval_type = f.interval_type AND m.time < :start
        ORDER BY m.time DESC
        LIMIT 1
    ) AS before
    RETURNING 1
)
SELECT (SELECT count(*) FROM replaced) AS replaced, set_config('boursa.latest_bars', '', true);
