-- name: transaction_insert :one
-- params: portfolio_id, transaction_type, symbol, quantity, price, amount, fees, taxes, currency
-- params: fx_rate, external_id, notes, executed_at
INSERT INTO transactions (portfolio_id, transaction_type, symbol, quantity, price, amount, fees,
                          taxes, currency, fx_rate, external_id, notes, executed_at)
VALUES (:portfolio_id, :transaction_type, :symbol, :quantity, :price, :amount, :fees, :taxes,
        :currency, :fx_rate, :external_id, :notes, :executed_at)
RETURNING id, portfolio_id, transaction_type, symbol, quantity, price, amount, fees, taxes,
          currency, fx_rate, external_id, notes, executed_at, created_at;

-- name: transaction_find_by_id :one
-- params: id
SELECT id, portfolio_id, transaction_type, symbol, quantity, price, amount, fees, taxes,
       currency, fx_rate, external_id, notes, executed_at, created_at
FROM transactions
WHERE id = :id;

-- name: transaction_find_by_external_id :one
-- params: external_id
SELECT id, portfolio_id, transaction_type, symbol, quantity, price, amount, fees, taxes,
       currency, fx_rate, external_id, notes, executed_at, created_at
FROM transactions
WHERE external_id = :external_id;

-- name: transaction_list_for_portfolio :many
-- params: portfolio_id, start, end, limit, offset
-- A page of the ledger, newest first, executed in [start, end) (NULL: unbounded); walks the
-- (portfolio_id, executed_at DESC) index.
SELECT id, portfolio_id, transaction_type, symbol, quantity, price, amount, fees, taxes,
       currency, fx_rate, external_id, notes, executed_at, created_at
FROM transactions
WHERE portfolio_id = :portfolio_id
  AND (:start::timestamptz IS NULL OR executed_at >= :start)
  AND (:end::timestamptz IS NULL OR executed_at < :end)
ORDER BY executed_at DESC, id DESC
LIMIT :limit OFFSET :offset;

-- name: transaction_list_for_symbol :many
-- params: portfolio_id, symbol
-- Every transaction of one portfolio in one symbol, newest first.
SELECT id, portfolio_id, transaction_type, symbol, quantity, price, amount, fees, taxes,
       currency, fx_rate, external_id, notes, executed_at, created_at
FROM transactions
WHERE portfolio_id = :portfolio_id AND symbol = :symbol
ORDER BY executed_at DESC, id DESC;
