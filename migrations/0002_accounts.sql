-- Accounts: users, their refresh tokens, system settings and the audit log.
--
-- Conventions for every table of boursa_db:
--   * TIMESTAMPTZ for every point in time; defaults are set by the server, never by the client;
--   * enumerated values are lower-case words checked by a named CHECK constraint;
--   * text columns are `text` with a length CHECK, so an over-long value is a check violation
--     (SQLSTATE 23514) like every other bad value.
-- depends: 0001_extensions

CREATE TABLE users (
    id                    uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
    email                 text        NOT NULL,
    username              text        NOT NULL,
    password_hash         text        NOT NULL,
    role                  text        NOT NULL DEFAULT 'viewer',
    first_name            text,
    last_name             text,
    phone                 text,
    date_of_birth         date,
    country               text,
    timezone              text        NOT NULL DEFAULT 'UTC',
    language              text        NOT NULL DEFAULT 'en',
    preferred_currency    text        NOT NULL DEFAULT 'USD',
    risk_tolerance        text        NOT NULL DEFAULT 'moderate',
    investment_experience text        NOT NULL DEFAULT 'beginner',
    is_active             boolean     NOT NULL DEFAULT true,
    is_verified           boolean     NOT NULL DEFAULT false,
    two_factor_enabled    boolean     NOT NULL DEFAULT false,
    last_login_at         timestamptz,
    created_at            timestamptz NOT NULL DEFAULT now(),
    updated_at            timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT users_email_format CHECK (
        length(email) <= 254 AND email ~ '^[^@\s]+@[^@\s]+\.[^@\s]+$'),
    CONSTRAINT users_username_format CHECK (username ~ '^[A-Za-z0-9_.-]{3,50}$'),
    CONSTRAINT users_password_hash_present CHECK (length(password_hash) BETWEEN 1 AND 255),
    CONSTRAINT users_role_known CHECK (role IN ('admin', 'trader', 'analyst', 'viewer')),
    CONSTRAINT users_first_name_length CHECK (length(first_name) <= 100),
    CONSTRAINT users_last_name_length CHECK (length(last_name) <= 100),
    CONSTRAINT users_phone_format CHECK (phone ~ '^\+?[0-9 ().-]{4,20}$'),
    CONSTRAINT users_country_code CHECK (country ~ '^[A-Z]{2}$'),
    CONSTRAINT users_timezone_length CHECK (length(timezone) BETWEEN 1 AND 64),
    CONSTRAINT users_language_code CHECK (language ~ '^[a-z]{2}(-[A-Z]{2})?$'),
    CONSTRAINT users_preferred_currency_code CHECK (preferred_currency ~ '^[A-Z]{3}$'),
    CONSTRAINT users_risk_tolerance_known CHECK (
        risk_tolerance IN ('conservative', 'moderate', 'aggressive')),
    CONSTRAINT users_investment_experience_known CHECK (
        investment_experience IN ('beginner', 'intermediate', 'advanced', 'expert'))
);

-- E-mail addresses are unique regardless of case; lookups use lower(email).
CREATE UNIQUE INDEX users_email_key ON users (lower(email));
CREATE UNIQUE INDEX users_username_key ON users (username);
CREATE INDEX users_role_idx ON users (role) WHERE is_active;

CREATE TRIGGER users_set_updated_at BEFORE UPDATE ON users
    FOR EACH ROW EXECUTE FUNCTION set_updated_at();

-- A refresh token is stored as a hash of the token the client holds, never the token itself.
CREATE TABLE refresh_tokens (
    id            uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id       uuid        NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    token_hash    text        NOT NULL,
    expires_at    timestamptz NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now(),
    last_used_at  timestamptz NOT NULL DEFAULT now(),
    revoked_at    timestamptz,
    revoke_reason text,
    ip_address    inet,
    user_agent    text,
    CONSTRAINT refresh_tokens_token_hash_key UNIQUE (token_hash),
    CONSTRAINT refresh_tokens_token_hash_length CHECK (length(token_hash) BETWEEN 16 AND 512),
    CONSTRAINT refresh_tokens_expiry_after_creation CHECK (expires_at > created_at),
    CONSTRAINT refresh_tokens_reason_needs_revocation CHECK (
        revoke_reason IS NULL OR revoked_at IS NOT NULL),
    CONSTRAINT refresh_tokens_revoke_reason_length CHECK (length(revoke_reason) <= 100),
    CONSTRAINT refresh_tokens_user_agent_length CHECK (length(user_agent) <= 1000)
);

CREATE INDEX refresh_tokens_user_active_idx ON refresh_tokens (user_id, expires_at)
    WHERE revoked_at IS NULL;
CREATE INDEX refresh_tokens_expires_at_idx ON refresh_tokens (expires_at);

CREATE TABLE system_config (
    key         text        PRIMARY KEY,
    value       jsonb       NOT NULL,
    description text,
    is_secret   boolean     NOT NULL DEFAULT false,
    updated_by  uuid        REFERENCES users (id) ON DELETE SET NULL,
    updated_at  timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT system_config_key_format CHECK (key ~ '^[a-z][a-z0-9_.]{0,99}$')
);

CREATE TRIGGER system_config_set_updated_at BEFORE UPDATE ON system_config
    FOR EACH ROW EXECUTE FUNCTION set_updated_at();

-- Written by triggers on the audited tables (a later migration), never by application code.
CREATE TABLE audit_log (
    id          bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    table_name  text        NOT NULL,
    row_key     jsonb       NOT NULL,
    action      text        NOT NULL,
    old_values  jsonb,
    new_values  jsonb,
    db_user     text        NOT NULL DEFAULT current_user,
    app_user    text,
    changed_at  timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT audit_log_action_known CHECK (action IN ('insert', 'update', 'delete')),
    CONSTRAINT audit_log_values_match_action CHECK (
        (action = 'insert' AND old_values IS NULL AND new_values IS NOT NULL)
        OR (action = 'update' AND old_values IS NOT NULL AND new_values IS NOT NULL)
        OR (action = 'delete' AND old_values IS NOT NULL AND new_values IS NULL))
);

CREATE INDEX audit_log_row_idx ON audit_log (table_name, row_key, changed_at);
CREATE INDEX audit_log_changed_at_idx ON audit_log (changed_at);
