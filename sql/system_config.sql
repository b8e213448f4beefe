-- name: system_config_get :one
-- params: key
-- One setting by key.
SELECT key, value, description, is_secret, updated_by, updated_at
FROM system_config
WHERE key = :key;

-- name: system_config_list_all :many
-- Every setting, by key.
SELECT key, value, description, is_secret, updated_by, updated_at
FROM system_config
ORDER BY key;

-- name: system_config_set :one
-- params: key, value, description, is_secret, updated_by
-- Create or replace a setting; on replacement the trigger moves updated_at. A SQL NULL would
-- break the NOT NULL column, so a None value is stored as the JSON null it stands for.
INSERT INTO system_config (key, value, description, is_secret, updated_by)
VALUES (:key, COALESCE(:value::jsonb, 'null'::jsonb), :description, :is_secret, :updated_by)
ON CONFLICT (key) DO UPDATE
SET value = EXCLUDED.value, description = EXCLUDED.description,
    is_secret = EXCLUDED.is_secret, updated_by = EXCLUDED.updated_by
RETURNING key, value, description, is_secret, updated_by, updated_at;

-- name: system_config_delete :execute
-- params: key
-- Remove a setting.
DELETE FROM system_config WHERE key = :key;
