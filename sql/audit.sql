-- name: audit_list_for_row :many
-- params: table_name, row_key, limit
-- The history of one row, newest change first (index audit_log_row_idx). row_key is compared
-- as jsonb, so the order of its keys does not matter.
SELECT id, table_name, row_key, action, old_values, new_values, db_user, app_user, changed_at
FROM audit_log
WHERE table_name = :table_name AND row_key = :row_key
ORDER BY changed_at DESC, id DESC
LIMIT :limit;

-- name: audit_list_recent :many
-- params: since, limit
-- Changes at or after :since to any audited table, newest first (index audit_log_changed_at_idx).
SELECT id, table_name, row_key, action, old_values, new_values, db_user, app_user, changed_at
FROM audit_log
WHERE changed_at >= :since
ORDER BY changed_at DESC, id DESC
LIMIT :limit;

-- name: audit_list_by_app_user :many
-- params: app_user, limit
-- Changes made on behalf of one application user, newest first.
SELECT id, table_name, row_key, action, old_values, new_values, db_user, app_user, changed_at
FROM audit_log
WHERE app_user = :app_user
ORDER BY changed_at DESC, id DESC
LIMIT :limit;
