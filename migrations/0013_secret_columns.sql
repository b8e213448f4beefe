-- Least privilege reaches columns: boursa_readonly reads every column except the secrets.
--
-- The secret columns are users.password_hash, refresh_tokens.token_hash and system_config.value
-- (a setting marked is_secret keeps its secret there, e.g. a broker's API key; privileges are per
-- column, not per row, so boursa_readonly reads no setting's value). boursa_readonly loses SELECT
-- on these three tables as a whole and gets SELECT on each of their other columns instead.
-- boursa_app keeps every column: it checks passwords and tokens against the hashes and reads the
-- settings. No audit row holds a secret: the users trigger leaves password_hash out, and
-- refresh_tokens and system_config are not audited.
--
-- A table-level SELECT covers every column, whatever the column grants say. So a later migration
-- must not GRANT SELECT ON one of these tables TO boursa_readonly; a column it adds to one of
-- them stays unreadable for boursa_readonly until it grants that column. A new table gets
-- table-level SELECT from the default privileges of 0010_roles: a secret column in it needs the
-- same revoke and column grants as below. tests/test_column_privileges.py checks every column
-- of every table against its list of secret columns, so a migration that forgets fails there.
-- depends: 0012_no_nan

REVOKE SELECT ON users, refresh_tokens, system_config FROM boursa_readonly;

GRANT SELECT (id, email, username, role, first_name, last_name, phone, date_of_birth, country,
              timezone, language, preferred_currency, risk_tolerance, investment_experience,
              is_active, is_verified, two_factor_enabled, last_login_at, created_at, updated_at)
    ON users TO boursa_readonly;

GRANT SELECT (id, user_id, expires_at, created_at, last_used_at, revoked_at, revoke_reason,
              ip_address, user_agent)
    ON refresh_tokens TO boursa_readonly;

GRANT SELECT (key, description, is_secret, updated_by, updated_at)
    ON system_config TO boursa_readonly;
