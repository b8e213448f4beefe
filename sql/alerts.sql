-- name: alert_find_by_id :one
-- params: id
SELECT id, user_id, portfolio_id, symbol, alert_type, condition_type, threshold_value, title,
       message, notification_channels, is_active, is_triggered, trigger_count,
       last_triggered_at, expires_at, created_at, updated_at
FROM alerts
WHERE id = :id;

-- name: alert_insert :one
-- params: user_id, portfolio_id, symbol, alert_type, condition_type, threshold_value, title
-- params: message, notification_channels, is_active, is_triggered, trigger_count
-- params: last_triggered_at, expires_at
INSERT INTO alerts (user_id, portfolio_id, symbol, alert_type, condition_type, threshold_value,
                    title, message, notification_channels, is_active, is_triggered,
                    trigger_count, last_triggered_at, expires_at)
VALUES (:user_id, :portfolio_id, :symbol, :alert_type, :condition_type, :threshold_value,
        :title, :message, :notification_channels, :is_active, :is_triggered, :trigger_count,
        :last_triggered_at, :expires_at)
RETURNING id, user_id, portfolio_id, symbol, alert_type, condition_type, threshold_value, title,
          message, notification_channels, is_active, is_triggered, trigger_count,
          last_triggered_at, expires_at, created_at, updated_at;

-- name: alert_update :one
-- params: id, user_id, portfolio_id, symbol, alert_type, condition_type, threshold_value, title
-- params: message, notification_channels, is_active, is_triggered, trigger_count
-- params: last_triggered_at, expires_at
-- No row when the alert does not exist (any more).
UPDATE alerts
SET user_id = :user_id, portfolio_id = :portfolio_id, symbol = :symbol,
    alert_type = :alert_type, condition_type = :condition_type,
    threshold_value = :threshold_value, title = :title, message = :message,
    notification_channels = :notification_channels, is_active = :is_active,
    is_triggered = :is_triggered, trigger_count = :trigger_count,
    last_triggered_at = :last_triggered_at, expires_at = :expires_at
WHERE id = :id
RETURNING id, user_id, portfolio_id, symbol, alert_type, condition_type, threshold_value, title,
          message, notification_channels, is_active, is_triggered, trigger_count,
          last_triggered_at, expires_at, created_at, updated_at;

-- name: alert_list_for_user :many
-- params: user_id, active_only
SELECT id, user_id, portfolio_id, symbol, alert_type, condition_type, threshold_value, title,
       message, notification_channels, is_active, is_triggered, trigger_count,
       last_triggered_at, expires_at, created_at, updated_at
FROM alerts
WHERE user_id = :user_id AND (is_active OR NOT :active_only::boolean)
ORDER BY created_at, id;

-- name: alert_list_active_for_symbol :many
-- params: symbol
-- The alerts to evaluate when the symbol moves: active and not expired (by the database's
-- clock). Served by the partial index alerts_active_symbol_idx.
SELECT id, user_id, portfolio_id, symbol, alert_type, condition_type, threshold_value, title,
       message, notification_channels, is_active, is_triggered, trigger_count,
       last_triggered_at, expires_at, created_at, updated_at
FROM alerts
WHERE symbol = :symbol AND is_active
  AND (expires_at IS NULL OR expires_at > statement_timestamp())
ORDER BY created_at, id;

-- name: alert_mark_triggered :one
-- params: id, at
-- Counts the trigger in the database, so concurrent triggers are never lost.
UPDATE alerts
SET is_triggered = true, last_triggered_at = :at, trigger_count = trigger_count + 1
WHERE id = :id
RETURNING id, user_id, portfolio_id, symbol, alert_type, condition_type, threshold_value, title,
          message, notification_channels, is_active, is_triggered, trigger_count,
          last_triggered_at, expires_at, created_at, updated_at;

-- name: alert_delete :execute
-- params: id
DELETE FROM alerts WHERE id = :id;
