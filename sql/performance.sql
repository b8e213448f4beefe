-- name: performance_save :one
-- params: time, portfolio_id, total_value, cash_value, invested_value, daily_return,
-- params: total_return, volatility_30d, sharpe_ratio_30d, max_drawdown_30d, beta_30d, alpha_30d,
-- params: number_of_positions
-- Insert one snapshot, or replace the portfolio's snapshot at the same time.
INSERT INTO portfolio_performance (time, portfolio_id, total_value, cash_value, invested_value,
                                   daily_return, total_return, volatility_30d, sharpe_ratio_30d,
                                   max_drawdown_30d, beta_30d, alpha_30d, number_of_positions)
VALUES (:time, :portfolio_id, :total_value, :cash_value, :invested_value, :daily_return,
        :total_return, :volatility_30d, :sharpe_ratio_30d, :max_drawdown_30d, :beta_30d,
        :alpha_30d, :number_of_positions)
ON CONFLICT (portfolio_id, time) DO UPDATE
SET total_value = EXCLUDED.total_value, cash_value = EXCLUDED.cash_value,
    invested_value = EXCLUDED.invested_value, daily_return = EXCLUDED.daily_return,
    total_return = EXCLUDED.total_return, volatility_30d = EXCLUDED.volatility_30d,
    sharpe_ratio_30d = EXCLUDED.sharpe_ratio_30d, max_drawdown_30d = EXCLUDED.max_drawdown_30d,
    beta_30d = EXCLUDED.beta_30d, alpha_30d = EXCLUDED.alpha_30d,
    number_of_positions = EXCLUDED.number_of_positions
RETURNING time, portfolio_id, total_value, cash_value, invested_value, daily_return,
          total_return, volatility_30d, sharpe_ratio_30d, max_drawdown_30d, beta_30d, alpha_30d,
          number_of_positions;

-- name: performance_find_range :many
-- params: portfolio_id, start, end
-- not null: time, portfolio_id, total_value, cash_value, invested_value, number_of_positions
-- A portfolio's snapshots in [start, end), oldest first: one range scan of the primary key
-- (performance_range, migration 0018).
SELECT time, portfolio_id, total_value, cash_value, invested_value, daily_return, total_return,
       volatility_30d, sharpe_ratio_30d, max_drawdown_30d, beta_30d, alpha_30d,
       number_of_positions
FROM performance_range(:portfolio_id, :start, :end);

-- name: performance_find_latest :one
-- params: portfolio_id
-- A portfolio's newest snapshot, or no row.
SELECT time, portfolio_id, total_value, cash_value, invested_value, daily_return, total_return,
       volatility_30d, sharpe_ratio_30d, max_drawdown_30d, beta_30d, alpha_30d,
       number_of_positions
FROM portfolio_performance
WHERE portfolio_id = :portfolio_id
ORDER BY time DESC
LIMIT 1;

-- name: performance_copy :copy
-- Snapshots straight into the table: a snapshot that exists already fails the whole COPY.
COPY portfolio_performance (time, portfolio_id, total_value, cash_value, invested_value,
                            daily_return, total_return, volatility_30d, sharpe_ratio_30d,
                            max_drawdown_30d, beta_30d, alpha_30d, number_of_positions)
FROM STDIN (FORMAT binary);

-- name: performance_create_staging :execute
-- The transaction's staging table for COPY followed by an upsert; it keeps the CHECK
-- constraints (not the foreign key) so a bad snapshot fails during COPY, where PostgreSQL
-- names its line. An unknown portfolio fails in the insert that follows.
CREATE TEMPORARY TABLE IF NOT EXISTS portfolio_performance_staging
    (LIKE portfolio_performance INCLUDING DEFAULTS INCLUDING CONSTRAINTS) ON COMMIT DROP;

-- name: performance_copy_staging :copy
COPY portfolio_performance_staging (time, portfolio_id, total_value, cash_value, invested_value,
                                    daily_return, total_return, volatility_30d, sharpe_ratio_30d,
                                    max_drawdown_30d, beta_30d, alpha_30d, number_of_positions)
FROM STDIN (FORMAT binary);

-- name: performance_empty_staging :execute
-- Empties the staging table for the next batch of the transaction. TRUNCATE of a temporary
-- table costs a file, where emptying it with DELETE cost about a tenth of an upsert.
TRUNCATE portfolio_performance_staging;

-- name: performance_insert_from_staging :execute
-- Move the staged snapshots into the table, keeping snapshots that exist already. The count is the
-- number of snapshots inserted.
INSERT INTO portfolio_performance (time, portfolio_id, total_value, cash_value, invested_value,
                                   daily_return, total_return, volatility_30d, sharpe_ratio_30d,
                                   max_drawdown_30d, beta_30d, alpha_30d, number_of_positions)
SELECT time, portfolio_id, total_value, cash_value, invested_value, daily_return, total_return,
       volatility_30d, sharpe_ratio_30d, max_drawdown_30d, beta_30d, alpha_30d,
       number_of_positions
FROM portfolio_performance_staging
-- Rows go in key order, so concurrent overlapping batches lock rows in the same order
-- and cannot deadlock each other.
ORDER BY portfolio_id, time
ON CONFLICT (portfolio_id, time) DO NOTHING;

-- name: performance_upsert_from_staging :execute
-- Move the staged snapshots into the table, replacing snapshots that exist already. The count is
-- the number of snapshots inserted or replaced.
INSERT INTO portfolio_performance (time, portfolio_id, total_value, cash_value, invested_value,
                                   daily_return, total_return, volatility_30d, sharpe_ratio_30d,
                                   max_drawdown_30d, beta_30d, alpha_30d, number_of_positions)
SELECT time, portfolio_id, total_value, cash_value, invested_value, daily_return, total_return,
       volatility_30d, sharpe_ratio_30d, max_drawdown_30d, beta_30d, alpha_30d,
       number_of_positions
FROM portfolio_performance_staging
-- Rows go in key order, so concurrent overlapping batches lock rows in the same order
-- and cannot deadlock each other.
ORDER BY portfolio_id, time
ON CONFLICT (portfolio_id, time) DO UPDATE
SET total_value = EXCLUDED.total_value, cash_value = EXCLUDED.cash_value,
    invested_value = EXCLUDED.invested_value, daily_return = EXCLUDED.daily_return,
    total_return = EXCLUDED.total_return, volatility_30d = EXCLUDED.volatility_30d,
    sharpe_ratio_30d = EXCLUDED.sharpe_ratio_30d, max_drawdown_30d = EXCLUDED.max_drawdown_30d,
    beta_30d = EXCLUDED.beta_30d, alpha_30d = EXCLUDED.alpha_30d,
    number_of_positions = EXCLUDED.number_of_positions;
