-- name: user_find_by_id :one
-- params: id
-- One user by primary key.
SELECT id, email, username, password_hash, role, first_name, last_name, phone, date_of_birth,
       country, timezone, language, preferred_currency, risk_tolerance, investment_experience,
       is_active, is_verified, two_factor_enabled, last_login_at, created_at, updated_at
FROM users
WHERE id = :id;

-- name: user_find_by_email :one
-- params: email
-- One user by e-mail address, whatever its case. Written as lower(email) so that the unique
-- index users_email_key, which is on lower(email), answers it.
SELECT id, email, username, password_hash, role, first_name, last_name, phone, date_of_birth,
       country, timezone, language, preferred_currency, risk_tolerance, investment_experience,
       is_active, is_verified, two_factor_enabled, last_login_at, created_at, updated_at
FROM users
WHERE lower(email) = lower(:email);

-- name: user_find_by_username :one
-- params: username
-- One user by username (exact, case-sensitive: the unique index users_username_key).
SELECT id, email, username, password_hash, role, first_name, last_name, phone, date_of_birth,
       country, timezone, language, preferred_currency, risk_tolerance, investment_experience,
       is_active, is_verified, two_factor_enabled, last_login_at, created_at, updated_at
FROM users
WHERE username = :username;

-- name: user_exists_by_email :scalar
-- params: email
-- Whether an account uses this e-mail address, whatever its case.
SELECT EXISTS (SELECT 1 FROM users WHERE lower(email) = lower(:email));

-- name: user_list :many
-- params: role, active_only, limit, offset
-- One page of users, oldest account first. The id breaks ties between accounts created in the
-- same transaction, so pages never overlap or skip a user. A NULL role means every role.
SELECT id, email, username, password_hash, role, first_name, last_name, phone, date_of_birth,
       country, timezone, language, preferred_currency, risk_tolerance, investment_experience,
       is_active, is_verified, two_factor_enabled, last_login_at, created_at, updated_at
FROM users
WHERE (:role::text IS NULL OR role = :role)
  AND (is_active OR NOT :active_only)
ORDER BY created_at, id
LIMIT :limit OFFSET :offset;

-- name: user_count :scalar
-- params: role, active_only
-- not null: count
-- How many users match the filters of user_list.
SELECT count(*)
FROM users
WHERE (:role::text IS NULL OR role = :role)
  AND (is_active OR NOT :active_only);

-- name: user_insert :one
-- params: email, username, password_hash, role, first_name, last_name, phone, date_of_birth
-- params: country, timezone, language, preferred_currency, risk_tolerance, investment_experience
-- params: is_active, is_verified, two_factor_enabled, last_login_at
-- A new user; the server sets id, created_at and updated_at.
INSERT INTO users (email, username, password_hash, role, first_name, last_name, phone,
                   date_of_birth, country, timezone, language, preferred_currency,
                   risk_tolerance, investment_experience, is_active, is_verified,
                   two_factor_enabled, last_login_at)
VALUES (:email, :username, :password_hash, :role, :first_name, :last_name, :phone,
        :date_of_birth, :country, :timezone, :language, :preferred_currency,
        :risk_tolerance, :investment_experience, :is_active, :is_verified,
        :two_factor_enabled, :last_login_at)
RETURNING id, email, username, password_hash, role, first_name, last_name, phone, date_of_birth,
          country, timezone, language, preferred_currency, risk_tolerance, investment_experience,
          is_active, is_verified, two_factor_enabled, last_login_at, created_at, updated_at;

-- name: user_update :one
-- params: id, email, username, password_hash, role, first_name, last_name, phone, date_of_birth
-- params: country, timezone, language, preferred_currency, risk_tolerance, investment_experience
-- params: is_active, is_verified, two_factor_enabled, last_login_at
-- Replace every column a client owns; created_at stays, the trigger moves updated_at.
-- No row comes back when the user does not exist.
UPDATE users
SET email = :email, username = :username, password_hash = :password_hash, role = :role,
    first_name = :first_name, last_name = :last_name, phone = :phone,
    date_of_birth = :date_of_birth, country = :country, timezone = :timezone,
    language = :language, preferred_currency = :preferred_currency,
    risk_tolerance = :risk_tolerance, investment_experience = :investment_experience,
    is_active = :is_active, is_verified = :is_verified,
    two_factor_enabled = :two_factor_enabled, last_login_at = :last_login_at
WHERE id = :id
RETURNING id, email, username, password_hash, role, first_name, last_name, phone, date_of_birth,
          country, timezone, language, preferred_currency, risk_tolerance, investment_experience,
          is_active, is_verified, two_factor_enabled, last_login_at, created_at, updated_at;

-- name: user_record_login :execute
-- params: id, logged_in_at
-- Remember when the user last logged in.
UPDATE users SET last_login_at = :logged_in_at WHERE id = :id;

-- name: user_delete :execute
-- params: id
-- Remove a user; their tokens, portfolios, alerts and notifications go with them (CASCADE).
DELETE FROM users WHERE id = :id;
