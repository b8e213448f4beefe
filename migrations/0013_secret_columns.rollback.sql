-- Revoking SELECT on a table revokes the column grants on it too; then the whole table is
-- readable again, as 0010_roles left it.
REVOKE SELECT ON users, refresh_tokens, system_config FROM boursa_readonly;
GRANT SELECT ON users, refresh_tokens, system_config TO boursa_readonly;
