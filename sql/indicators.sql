-- name: indicator_save :one
-- params: time, symbol, interval_type, indicator_name, value, value_secondary, value_tertiary,
-- params: parameters
-- Insert one indicator value, or replace the one with the same symbol, interval, name and time.
INSERT INTO technical_indicators (time, symbol, interval_type, indicator_name, value,
                                  value_secondary, value_tertiary, parameters)
VALUES (:time, :symbol, :interval_type, :indicator_name, :value, :value_secondary,
        :value_tertiary, :parameters)
ON CONFLICT (symbol, interval_type, indicator_name, time) DO UPDATE
SET value = EXCLUDED.value, value_secondary = EXCLUDED.value_secondary,
    value_tertiary = EXCLUDED.value_tertiary, parameters = EXCLUDED.parameters
RETURNING time, symbol, interval_type, indicator_name, value, value_secondary, value_tertiary,
          parameters;

-- name: indicator_find_range :many
-- params: symbol, interval_type, indicator_name, start, end
-- not null: time, symbol, interval_type, indicator_name, value, parameters
-- One indicator's values in [start, end), oldest first: one range scan of the primary key
-- (indicator_range, migration 0018).
SELECT time, symbol, interval_type, indicator_name, value, value_secondary, value_tertiary,
       parameters
FROM indicator_range(:symbol, :interval_type, :indicator_name, :start, :end);

-- name: indicator_find_latest :many
-- params: symbol, interval_type, indicator_names
-- not null: indicator_name
-- The newest value of each named indicator: one backward probe of the primary key per name.
-- Names without values are left out.
SELECT latest.time, latest.symbol, latest.interval_type, n.indicator_name, latest.value,
       latest.value_secondary, latest.value_tertiary, latest.parameters
FROM unnest(:indicator_names::text[]) AS n(indicator_name)
CROSS JOIN LATERAL (
    SELECT t.time, t.symbol, t.interval_type, t.value, t.value_secondary, t.value_tertiary,
           t.parameters
    FROM technical_indicators AS t
    WHERE t.symbol = :symbol AND t.interval_type = :interval_type
      AND t.indicator_name = n.indicator_name
    ORDER BY t.time DESC
    LIMIT 1
) AS latest
ORDER BY n.indicator_name;

-- name: indicator_copy :copy
-- Indicator values straight into technical_indicators: one that exists already fails the COPY.
COPY technical_indicators (time, symbol, interval_type, indicator_name, value, value_secondary,
                           value_tertiary, parameters) FROM STDIN (FORMAT binary);

-- name: indicator_create_staging :execute
-- The transaction's staging table for COPY followed by an upsert; it keeps the CHECK
-- constraints so a bad value fails during COPY, where PostgreSQL names its line.
CREATE TEMPORARY TABLE IF NOT EXISTS technical_indicators_staging
    (LIKE technical_indicators INCLUDING DEFAULTS INCLUDING CONSTRAINTS) ON COMMIT DROP;

-- name: indicator_copy_staging :copy
COPY technical_indicators_staging (time, symbol, interval_type, indicator_name, value,
                                   value_secondary, value_tertiary, parameters)
FROM STDIN (FORMAT binary);

-- name: indicator_empty_staging :execute
-- Empties the staging table for the next batch of the transaction. TRUNCATE of a temporary
-- table costs a file, where emptying it with DELETE cost about a tenth of an upsert.
TRUNCATE technical_indicators_staging;

-- name: indicator_insert_from_staging :execute
-- Move the staged values into technical_indicators, keeping values that exist already. The count
-- is the number of values inserted.
INSERT INTO technical_indicators (time, symbol, interval_type, indicator_name, value,
                                  value_secondary, value_tertiary, parameters)
SELECT time, symbol, interval_type, indicator_name, value, value_secondary, value_tertiary,
       parameters
FROM technical_indicators_staging
-- Rows go in key order, so concurrent overlapping batches lock rows in the same order
-- and cannot deadlock each other.
ORDER BY symbol, interval_type, indicator_name, time
ON CONFLICT (symbol, interval_type, indicator_name, time) DO NOTHING;

-- name: indicator_upsert_from_staging :execute
-- Move the staged values into technical_indicators, replacing values that exist already. The count
-- is the number of values inserted or replaced.
INSERT INTO technical_indicators (time, symbol, interval_type, indicator_name, value,
                                  value_secondary, value_tertiary, parameters)
SELECT time, symbol, interval_type, indicator_name, value, value_secondary, value_tertiary,
       parameters
FROM technical_indicators_staging
-- Rows go in key order, so concurrent overlapping batches lock rows in the same order
-- and cannot deadlock each other.
ORDER BY symbol, interval_type, indicator_name, time
ON CONFLICT (symbol, interval_type, indicator_name, time) DO UPDATE
SET value = EXCLUDED.value, value_secondary = EXCLUDED.value_secondary,
    value_tertiary = EXCLUDED.value_tertiary, parameters = EXCLUDED.parameters;
