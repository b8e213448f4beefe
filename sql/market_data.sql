-- name: find_latest_prices :many
-- params: symbols, interval_type
-- not null: symbol
-- The newest bar of each symbol at one interval. One backward probe of the primary key per
-- symbol (LATERAL ... ORDER BY time DESC LIMIT 1): never a scan of the table, fast on plain
-- PostgreSQL and on compressed hypertables alike. Symbols without bars are left out.
SELECT s.symbol, b.time, b.interval_type, b.open, b.high, b.low, b.close, b.adjusted_close,
       b.volume, b.source
FROM unnest(:symbols::text[]) AS s(symbol)
CROSS JOIN LATERAL (
    SELECT m.time, m.interval_type, m.open, m.high, m.low, m.close, m.adjusted_close,
           m.volume, m.source
    FROM market_data AS m
    WHERE m.symbol = s.symbol AND m.interval_type = :interval_type
    ORDER BY m.time DESC
    LIMIT 1
) AS b
ORDER BY s.symbol;

-- name: market_data_find_latest :one
-- params: symbol, interval_type
-- The newest bar of one symbol at one interval, or no row.
SELECT time, symbol, interval_type, open, high, low, close, adjusted_close, volume, source
FROM market_data
WHERE symbol = :symbol AND interval_type = :interval_type
ORDER BY time DESC
LIMIT 1;

-- name: market_data_find_range :many
-- params: symbol, interval_type, start, end
-- The bars of [start, end), oldest first: one range scan of the primary key.
SELECT time, symbol, interval_type, open, high, low, close, adjusted_close, volume, source
FROM market_data
WHERE symbol = :symbol AND interval_type = :interval_type
  AND time >= :start AND time < :end
ORDER BY time;

-- name: market_data_find_gaps :many
-- params: symbol, interval_type, start, end, step, max_results
-- not null: gap_start, missing_bars
-- Holes in the series within [start, end): consecutive bars further apart than one step (the
-- interval's width). gap_start and gap_end are the times of the bars around the hole. Bars
-- expected before the first or after the last bar of the range are not reported.
SELECT gap_start, gap_end,
       (ceil(extract(epoch FROM gap_end - gap_start) / extract(epoch FROM :step::interval))
        - 1)::bigint AS missing_bars
FROM (
    SELECT lag(time) OVER (ORDER BY time) AS gap_start, time AS gap_end
    FROM market_data
    WHERE symbol = :symbol AND interval_type = :interval_type
      AND time >= :start AND time < :end
) AS steps
WHERE gap_end - gap_start > :step::interval
ORDER BY gap_start
LIMIT :max_results;

-- name: market_data_summary :many
-- params: symbols, interval_type, now
-- Per symbol: the newest bar of (now - 7 days, now] and statistics over (now - 30 days, now].
-- Three index probes per symbol (newest bar, oldest bar of the window, the window's range).
-- Symbols without a bar in the last 7 days are left out.
SELECT s.symbol, latest.time, latest.interval_type, latest.open, latest.high, latest.low,
       latest.close, latest.adjusted_close, latest.volume, latest.source,
       stats.average_close, stats.low_30d, stats.high_30d, stats.volume_30d, stats.bar_count,
       oldest.close AS first_close
FROM unnest(:symbols::text[]) AS s(symbol)
CROSS JOIN LATERAL (
    SELECT m.time, m.interval_type, m.open, m.high, m.low, m.close, m.adjusted_close,
           m.volume, m.source
    FROM market_data AS m
    WHERE m.symbol = s.symbol AND m.interval_type = :interval_type
      AND m.time > :now::timestamptz - interval '7 days' AND m.time <= :now::timestamptz
    ORDER BY m.time DESC
    LIMIT 1
) AS latest
CROSS JOIN LATERAL (
    SELECT m.close
    FROM market_data AS m
    WHERE m.symbol = s.symbol AND m.interval_type = :interval_type
      AND m.time > :now::timestamptz - interval '30 days' AND m.time <= :now::timestamptz
    ORDER BY m.time
    LIMIT 1
) AS oldest
CROSS JOIN LATERAL (
    SELECT avg(m.close) AS average_close, min(m.low) AS low_30d, max(m.high) AS high_30d,
           sum(m.volume)::bigint AS volume_30d, count(*) AS bar_count
    FROM market_data AS m
    WHERE m.symbol = s.symbol AND m.interval_type = :interval_type
      AND m.time > :now::timestamptz - interval '30 days' AND m.time <= :now::timestamptz
) AS stats
ORDER BY s.symbol;

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
SELECT EXISTS (
    SELECT FROM market_data
    WHERE symbol = :symbol AND interval_type = :interval_type AND time = :time
) AS stored;

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
