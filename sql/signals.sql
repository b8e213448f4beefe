-- name: signal_save :one
-- params: time, symbol, strategy, signal_type, strength, confidence, price_target, stop_loss,
-- params: technical_score, fundamental_score, market_context_score, rationale, indicators_used,
-- params: metadata, expires_at
-- Insert one signal, or replace the one with the same symbol, strategy and time.
INSERT INTO signals (time, symbol, strategy, signal_type, strength, confidence, price_target,
                     stop_loss, technical_score, fundamental_score, market_context_score,
                     rationale, indicators_used, metadata, expires_at)
VALUES (:time, :symbol, :strategy, :signal_type, :strength, :confidence, :price_target,
        :stop_loss, :technical_score, :fundamental_score, :market_context_score, :rationale,
        :indicators_used, :metadata, :expires_at)
ON CONFLICT (symbol, strategy, time) DO UPDATE
SET signal_type = EXCLUDED.signal_type, strength = EXCLUDED.strength,
    confidence = EXCLUDED.confidence, price_target = EXCLUDED.price_target,
    stop_loss = EXCLUDED.stop_loss, technical_score = EXCLUDED.technical_score,
    fundamental_score = EXCLUDED.fundamental_score,
    market_context_score = EXCLUDED.market_context_score, rationale = EXCLUDED.rationale,
    indicators_used = EXCLUDED.indicators_used, metadata = EXCLUDED.metadata,
    expires_at = EXCLUDED.expires_at
RETURNING time, symbol, strategy, signal_type, strength, confidence, price_target, stop_loss,
          technical_score, fundamental_score, market_context_score, rationale, indicators_used,
          metadata, expires_at;

-- name: signal_find_range :many
-- params: symbol, start, end
-- not null: time, symbol, strategy, signal_type, strength, confidence, indicators_used
-- not null: metadata
-- A symbol's signals of every strategy in [start, end), oldest first (signal_range,
-- migration 0018).
SELECT time, symbol, strategy, signal_type, strength, confidence, price_target, stop_loss,
       technical_score, fundamental_score, market_context_score, rationale, indicators_used,
       metadata, expires_at
FROM signal_range(:symbol, :start, :end);

-- name: signal_find_range_for_strategy :many
-- params: symbol, strategy, start, end
-- not null: time, symbol, strategy, signal_type, strength, confidence, indicators_used
-- not null: metadata
-- A symbol's signals of one strategy in [start, end), oldest first: one range scan of the key
-- (signal_range_for_strategy, migration 0018).
SELECT time, symbol, strategy, signal_type, strength, confidence, price_target, stop_loss,
       technical_score, fundamental_score, market_context_score, rationale, indicators_used,
       metadata, expires_at
FROM signal_range_for_strategy(:symbol, :strategy, :start, :end);

-- name: signal_find_active :many
-- params: signal_types, now, limit
-- Signals issued at or before now that have not expired, newest first. One backward walk of
-- signals_type_time_idx per signal type, so the newest signals are read first and the walk
-- stops after limit rows.
SELECT active.time, active.symbol, active.strategy, active.signal_type, active.strength,
       active.confidence, active.price_target, active.stop_loss, active.technical_score,
       active.fundamental_score, active.market_context_score, active.rationale,
       active.indicators_used, active.metadata, active.expires_at
FROM unnest(:signal_types::text[]) AS t(signal_type)
CROSS JOIN LATERAL (
    SELECT s.time, s.symbol, s.strategy, s.signal_type, s.strength, s.confidence,
           s.price_target, s.stop_loss, s.technical_score, s.fundamental_score,
           s.market_context_score, s.rationale, s.indicators_used, s.metadata, s.expires_at
    FROM signals AS s
    WHERE s.signal_type = t.signal_type AND s.time <= :now
      AND (s.expires_at IS NULL OR s.expires_at > :now)
    ORDER BY s.time DESC
    LIMIT :limit
) AS active
ORDER BY active.time DESC, active.symbol, active.strategy
LIMIT :limit;

-- name: signal_copy :copy
-- Signals straight into the table: a signal that exists already fails the whole COPY.
COPY signals (time, symbol, strategy, signal_type, strength, confidence, price_target, stop_loss,
              technical_score, fundamental_score, market_context_score, rationale,
              indicators_used, metadata, expires_at) FROM STDIN (FORMAT binary);

-- name: signal_create_staging :execute
-- The transaction's staging table for COPY followed by an upsert; it keeps the CHECK
-- constraints so a bad signal fails during COPY, where PostgreSQL names its line.
CREATE TEMPORARY TABLE IF NOT EXISTS signals_staging
    (LIKE signals INCLUDING DEFAULTS INCLUDING CONSTRAINTS) ON COMMIT DROP;

-- name: signal_copy_staging :copy
COPY signals_staging (time, symbol, strategy, signal_type, strength, confidence, price_target,
                      stop_loss, technical_score, fundamental_score, market_context_score,
                      rationale, indicators_used, metadata, expires_at) FROM STDIN (FORMAT binary);

-- name: signal_empty_staging :execute
-- Empties the staging table for the next batch of the transaction. TRUNCATE of a temporary
-- table costs a file, where emptying it with DELETE cost about a tenth of an upsert.
TRUNCATE signals_staging;

-- name: signal_insert_from_staging :execute
-- Move the staged signals into the table, keeping signals that exist already. The count is the
-- number of signals inserted.
INSERT INTO signals (time, symbol, strategy, signal_type, strength, confidence, price_target,
                     stop_loss, technical_score, fundamental_score, market_context_score,
                     rationale, indicators_used, metadata, expires_at)
SELECT time, symbol, strategy, signal_type, strength, confidence, price_target, stop_loss,
       technical_score, fundamental_score, market_context_score, rationale, indicators_used,
       metadata, expires_at
FROM signals_staging
-- Rows go in key order, so concurrent overlapping batches lock rows in the same order
-- and cannot deadlock each other.
ORDER BY symbol, strategy, time
ON CONFLICT (symbol, strategy, time) DO NOTHING;

-- name: signal_upsert_from_staging :execute
-- Move the staged signals into the table, replacing signals that exist already. The count is the
-- number of signals inserted or replaced.
INSERT INTO signals (time, symbol, strategy, signal_type, strength, confidence, price_target,
                     stop_loss, technical_score, fundamental_score, market_context_score,
                     rationale, indicators_used, metadata, expires_at)
SELECT time, symbol, strategy, signal_type, strength, confidence, price_target, stop_loss,
       technical_score, fundamental_score, market_context_score, rationale, indicators_used,
       metadata, expires_at
FROM signals_staging
-- Rows go in key order, so concurrent overlapping batches lock rows in the same order
-- and cannot deadlock each other.
ORDER BY symbol, strategy, time
ON CONFLICT (symbol, strategy, time) DO UPDATE
SET signal_type = EXCLUDED.signal_type, strength = EXCLUDED.strength,
    confidence = EXCLUDED.confidence, price_target = EXCLUDED.price_target,
    stop_loss = EXCLUDED.stop_loss, technical_score = EXCLUDED.technical_score,
    fundamental_score = EXCLUDED.fundamental_score,
    market_context_score = EXCLUDED.market_context_score, rationale = EXCLUDED.rationale,
    indicators_used = EXCLUDED.indicators_used, metadata = EXCLUDED.metadata,
    expires_at = EXCLUDED.expires_at;
