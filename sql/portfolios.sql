-- name: portfolio_find_by_id :one
-- params: id
SELECT id, user_id, name, description, base_currency, initial_cash, cash_balance, is_default,
       is_active, version, created_at, updated_at
FROM portfolios
WHERE id = :id;

-- name: portfolio_find_by_name :one
-- params: user_id, name
SELECT id, user_id, name, description, base_currency, initial_cash, cash_balance, is_default,
       is_active, version, created_at, updated_at
FROM portfolios
WHERE user_id = :user_id AND name = :name;

-- name: portfolio_list_for_user :many
-- params: user_id
-- The default portfolio first, then by name.
SELECT id, user_id, name, description, base_currency, initial_cash, cash_balance, is_default,
       is_active, version, created_at, updated_at
FROM portfolios
WHERE user_id = :user_id
ORDER BY is_default DESC, name;

-- name: portfolio_positions :many
-- params: portfolio_ids
-- The positions of several portfolios at once (no query per portfolio), by symbol.
SELECT id, portfolio_id, symbol, quantity, average_price, currency, opened_at, created_at,
       updated_at
FROM positions
WHERE portfolio_id = ANY(:portfolio_ids::uuid[])
ORDER BY portfolio_id, symbol;

-- name: portfolio_insert :one
-- params: user_id, name, description, base_currency, initial_cash, cash_balance, is_default
-- params: is_active
INSERT INTO portfolios (user_id, name, description, base_currency, initial_cash, cash_balance,
                        is_default, is_active)
VALUES (:user_id, :name, :description, :base_currency, :initial_cash, :cash_balance,
        :is_default, :is_active)
RETURNING id, user_id, name, description, base_currency, initial_cash, cash_balance, is_default,
          is_active, version, created_at, updated_at;

-- name: portfolio_update :one
-- params: id, version, user_id, name, description, base_currency, initial_cash, cash_balance
-- params: is_default, is_active
-- Optimistic concurrency: the update applies only to the version the caller read, and bumps it.
-- No row means the portfolio changed (or vanished) since it was read.
UPDATE portfolios
SET user_id = :user_id, name = :name, description = :description,
    base_currency = :base_currency, initial_cash = :initial_cash, cash_balance = :cash_balance,
    is_default = :is_default, is_active = :is_active, version = version + 1
WHERE id = :id AND version = :version
RETURNING id, user_id, name, description, base_currency, initial_cash, cash_balance, is_default,
          is_active, version, created_at, updated_at;

-- name: portfolio_exists :scalar
-- params: id
SELECT EXISTS (SELECT 1 FROM portfolios WHERE id = :id);

-- name: portfolio_sync_positions :many
-- params: portfolio_id, symbols, quantities, average_prices, currencies, opened_ats
-- Make the portfolio's positions exactly the given ones, in one statement: delete the others,
-- update those that differ, insert the new ones. Unchanged positions are not written, so their
-- updated_at stays. A NULL opened_at keeps the stored one (now() for a new position).
-- Returns every position of the portfolio afterwards, by symbol; the unchanged ones are read
-- from the statement's snapshot, which is current for them.
WITH incoming AS (
    SELECT s.symbol, s.quantity, s.average_price, s.currency, s.opened_at
    FROM unnest(:symbols::text[], :quantities::numeric[], :average_prices::numeric[],
                :currencies::text[], :opened_ats::timestamptz[])
         AS s(symbol, quantity, average_price, currency, opened_at)
),
removed AS (
    DELETE FROM positions AS p
    WHERE p.portfolio_id = :portfolio_id AND p.symbol NOT IN (SELECT symbol FROM incoming)
),
changed AS (
    UPDATE positions AS p
    SET quantity = i.quantity, average_price = i.average_price, currency = i.currency,
        opened_at = COALESCE(i.opened_at, p.opened_at)
    FROM incoming AS i
    WHERE p.portfolio_id = :portfolio_id AND p.symbol = i.symbol
      AND (p.quantity, p.average_price, p.currency, p.opened_at) IS DISTINCT FROM
          (i.quantity, i.average_price, i.currency, COALESCE(i.opened_at, p.opened_at))
    RETURNING p.id, p.portfolio_id, p.symbol, p.quantity, p.average_price, p.currency,
              p.opened_at, p.created_at, p.updated_at
),
added AS (
    INSERT INTO positions (portfolio_id, symbol, quantity, average_price, currency, opened_at)
    SELECT :portfolio_id, i.symbol, i.quantity, i.average_price, i.currency,
           COALESCE(i.opened_at, now())
    FROM incoming AS i
    WHERE NOT EXISTS (
        SELECT 1 FROM positions AS p WHERE p.portfolio_id = :portfolio_id AND p.symbol = i.symbol)
    RETURNING id, portfolio_id, symbol, quantity, average_price, currency, opened_at, created_at,
              updated_at
)
SELECT id, portfolio_id, symbol, quantity, average_price, currency, opened_at, created_at,
       updated_at
FROM changed
UNION ALL
SELECT id, portfolio_id, symbol, quantity, average_price, currency, opened_at, created_at,
       updated_at
FROM added
UNION ALL
SELECT p.id, p.portfolio_id, p.symbol, p.quantity, p.average_price, p.currency, p.opened_at,
       p.created_at, p.updated_at
FROM positions AS p
WHERE p.portfolio_id = :portfolio_id
  AND p.symbol IN (SELECT symbol FROM incoming)
  AND p.symbol NOT IN (SELECT symbol FROM changed)
ORDER BY symbol;

-- name: portfolio_delete :execute
-- params: id
-- Its positions, transactions, alerts and performance snapshots go with it (ON DELETE CASCADE).
DELETE FROM portfolios WHERE id = :id;

-- name: portfolio_valuation :many
-- params: portfolio_id, interval_type
-- not null: cash_balance, priced_at
-- The portfolio's cash and each position with its latest bar at one interval: one probe of
-- market_data_latest (migration 0017) per position, however deep the history.
-- One row with NULL position columns when the portfolio holds nothing; no row when it does not
-- exist. Positions without any bar have NULL last_price and price_time.
SELECT p.cash_balance, statement_timestamp() AS priced_at, pos.symbol, pos.quantity,
       pos.average_price, bar.close AS last_price, bar.time AS price_time
FROM portfolios AS p
LEFT JOIN positions AS pos ON pos.portfolio_id = p.id
LEFT JOIN LATERAL (
    SELECT m.time, m.close
    FROM market_data_latest AS m
    WHERE m.symbol = pos.symbol AND m.interval_type = :interval_type
    LIMIT 1
) AS bar ON true
WHERE p.id = :portfolio_id
ORDER BY pos.symbol;
