-- name: refresh_token_find_by_id :one
-- params: id
-- One token by primary key.
SELECT id, user_id, token_hash, expires_at, created_at, last_used_at, revoked_at, revoke_reason,
       ip_address, user_agent
FROM refresh_tokens
WHERE id = :id;

-- name: refresh_token_find_by_token_hash :one
-- params: token_hash
-- The token whose hash the client's token has (unique index refresh_tokens_token_hash_key),
-- active or not: the caller decides what a revoked or expired token means.
SELECT id, user_id, token_hash, expires_at, created_at, last_used_at, revoked_at, revoke_reason,
       ip_address, user_agent
FROM refresh_tokens
WHERE token_hash = :token_hash;

-- name: refresh_token_find_active_for_user :many
-- params: user_id, now
-- The user's tokens that are neither revoked nor expired at :now, newest first
-- (partial index refresh_tokens_user_active_idx).
SELECT id, user_id, token_hash, expires_at, created_at, last_used_at, revoked_at, revoke_reason,
       ip_address, user_agent
FROM refresh_tokens
WHERE user_id = :user_id AND revoked_at IS NULL AND expires_at > :now
ORDER BY created_at DESC, id;

-- name: refresh_token_count_active_for_user :scalar
-- params: user_id, now
-- not null: count
-- How many of the user's tokens are neither revoked nor expired at :now.
SELECT count(*)
FROM refresh_tokens
WHERE user_id = :user_id AND revoked_at IS NULL AND expires_at > :now;

-- name: refresh_token_insert :one
-- params: user_id, token_hash, expires_at, last_used_at, revoked_at, revoke_reason
-- params: ip_address, user_agent
-- A new token; the server sets id and created_at, and last_used_at when none is given.
INSERT INTO refresh_tokens (user_id, token_hash, expires_at, last_used_at, revoked_at,
                            revoke_reason, ip_address, user_agent)
VALUES (:user_id, :token_hash, :expires_at, COALESCE(:last_used_at, now()), :revoked_at,
        :revoke_reason, :ip_address, :user_agent)
RETURNING id, user_id, token_hash, expires_at, created_at, last_used_at, revoked_at,
          revoke_reason, ip_address, user_agent;

-- name: refresh_token_update :one
-- params: id, user_id, token_hash, expires_at, last_used_at, revoked_at, revoke_reason
-- params: ip_address, user_agent
-- Replace every column a client owns; created_at stays, and so does last_used_at when none is
-- given. No row comes back when the token does not exist.
UPDATE refresh_tokens
SET user_id = :user_id, token_hash = :token_hash, expires_at = :expires_at,
    last_used_at = COALESCE(:last_used_at, last_used_at), revoked_at = :revoked_at,
    revoke_reason = :revoke_reason, ip_address = :ip_address, user_agent = :user_agent
WHERE id = :id
RETURNING id, user_id, token_hash, expires_at, created_at, last_used_at, revoked_at,
          revoke_reason, ip_address, user_agent;

-- name: refresh_token_touch :execute
-- params: id, used_at
-- Record a use of the token. GREATEST keeps last_used_at from moving back when two requests
-- with the same token finish out of order.
UPDATE refresh_tokens SET last_used_at = GREATEST(last_used_at, :used_at) WHERE id = :id;

-- name: refresh_token_revoke :execute
-- params: id, reason, revoked_at
-- Revoke one token. A token revoked already keeps its first revocation time and reason.
UPDATE refresh_tokens
SET revoked_at = :revoked_at, revoke_reason = :reason
WHERE id = :id AND revoked_at IS NULL;

-- name: refresh_token_revoke_all_for_user :execute
-- params: user_id, reason, revoked_at
-- Revoke every token of the user that is still active at :revoked_at ("log out everywhere").
-- Expired tokens are left alone: they are dead already, and purge_expired removes them.
UPDATE refresh_tokens
SET revoked_at = :revoked_at, revoke_reason = :reason
WHERE user_id = :user_id AND revoked_at IS NULL AND expires_at > :revoked_at;

-- name: refresh_token_purge_expired :execute
-- params: before
-- Delete every token that has expired by :before (no longer active then, see
-- refresh_token_find_active_for_user), revoked or not (index refresh_tokens_expires_at_idx).
DELETE FROM refresh_tokens WHERE expires_at <= :before;

-- name: refresh_token_delete :execute
-- params: id
-- Remove one token.
DELETE FROM refresh_tokens WHERE id = :id;
