-- Positions written one at a time. Each write also bumps the owning portfolio's version: the
-- version guards the whole aggregate, so a portfolio read before this write cannot be saved
-- over it (its save would otherwise delete or overwrite the position without noticing).

-- name: position_list_for_portfolio :many
-- params: portfolio_id
SELECT id, portfolio_id, symbol, quantity, average_price, currency, opened_at, created_at,
       updated_at
FROM positions
WHERE portfolio_id = :portfolio_id
ORDER BY symbol;

-- name: position_find :one
-- params: portfolio_id, symbol
SELECT id, portfolio_id, symbol, quantity, average_price, currency, opened_at, created_at,
       updated_at
FROM positions
WHERE portfolio_id = :portfolio_id AND symbol = :symbol;

-- name: position_upsert :one
-- params: portfolio_id, symbol, quantity, average_price, currency, opened_at
-- Insert, or update the position in the same symbol. A NULL opened_at keeps the stored one.
WITH touched AS (
    UPDATE portfolios SET version = version + 1 WHERE id = :portfolio_id
)
INSERT INTO positions AS p (portfolio_id, symbol, quantity, average_price, currency, opened_at)
VALUES (:portfolio_id, :symbol, :quantity, :average_price, :currency,
        COALESCE(:opened_at::timestamptz, now()))
ON CONFLICT (portfolio_id, symbol) DO UPDATE
SET quantity = EXCLUDED.quantity, average_price = EXCLUDED.average_price,
    currency = EXCLUDED.currency, opened_at = COALESCE(:opened_at::timestamptz, p.opened_at)
RETURNING id, portfolio_id, symbol, quantity, average_price, currency, opened_at, created_at,
          updated_at;

-- name: position_delete :scalar
-- params: portfolio_id, symbol
-- The number of positions deleted: 0 or 1.
WITH removed AS (
    DELETE FROM positions
    WHERE portfolio_id = :portfolio_id AND symbol = :symbol
    RETURNING portfolio_id
),
touched AS (
    UPDATE portfolios SET version = version + 1
    WHERE id IN (SELECT portfolio_id FROM removed)
)
SELECT count(*) FROM removed;
