-- name: find_latest_prices :many
-- params: symbols, interval_type
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

-- name: upsert_market_data_from_staging :execute
-- Move bars from the session's staging table into market_data, replacing existing bars.
INSERT INTO market_data (time, symbol, interval_type, open, high, low, close, adjusted_close,
                         volume, source)
SELECT time, symbol, interval_type, open, high, low, close, adjusted_close, volume, source
FROM market_data_staging
ON CONFLICT (symbol, interval_type, time) DO UPDATE
SET open = EXCLUDED.open, high = EXCLUDED.high, low = EXCLUDED.low, close = EXCLUDED.close,
    adjusted_close = EXCLUDED.adjusted_close, volume = EXCLUDED.volume, source = EXCLUDED.source;

-- name: create_market_data_staging :execute
-- A per-transaction staging table shaped like market_data, for COPY followed by an upsert.
CREATE TEMPORARY TABLE IF NOT EXISTS market_data_staging
    (LIKE market_data INCLUDING DEFAULTS) ON COMMIT DROP;

-- name: copy_market_data_staging :copy
COPY market_data_staging (time, symbol, interval_type, open, high, low, close, adjusted_close,
                          volume, source) FROM STDIN (FORMAT binary);
