-- The audit trail: every insert, update and delete on users, portfolios, positions and
-- transactions leaves exactly one row in audit_log, written by a trigger in the same
-- transaction (so a change that is rolled back leaves none).
--
-- Each audit row holds the table, the key of the changed row ({"id": "..."}), the action, the
-- row before (update, delete) and after (insert, update) as JSON, the login role of the session
-- (session_user: inside the trigger current_user is the function's owner), the application user
-- that the unit of work declared with set_config('boursa.app_user', ..., true) (NULL when none)
-- and the time of the transaction.
--
-- Secrets are never copied: users.password_hash is left out of both images (a password change
-- shows as an update with updated_at moved), and refresh_tokens is not audited at all. The
-- time-series tables are not audited either: a row trigger makes COPY several times slower, and
-- bars are a vendor's facts, not actions of users.
--
-- The trigger function is SECURITY DEFINER and owned by boursa_owner: the application role
-- causes audit rows without holding any privilege on audit_log beyond SELECT, so it can neither
-- forge, alter nor delete them. Its search_path is pinned to pg_catalog, the schema of audit_log,
-- and pg_temp last, so that a temporary table named audit_log cannot capture the rows.
-- depends: 0010_roles

-- TG_ARGV[0] names the key column; the other arguments name columns never to copy.
CREATE FUNCTION audit_row_change() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER AS $$
DECLARE
    hidden text[] := TG_ARGV[1:];
    old_values jsonb;
    new_values jsonb;
BEGIN
    IF TG_OP <> 'INSERT' THEN
        old_values := to_jsonb(OLD) - hidden;
    END IF;
    IF TG_OP <> 'DELETE' THEN
        new_values := to_jsonb(NEW) - hidden;
    END IF;
    INSERT INTO audit_log (table_name, row_key, action, old_values, new_values, db_user,
                           app_user)
    VALUES (TG_TABLE_NAME,
            jsonb_build_object(TG_ARGV[0], coalesce(new_values, old_values) -> TG_ARGV[0]),
            lower(TG_OP), old_values, new_values, session_user,
            nullif(current_setting('boursa.app_user', true), ''));
    RETURN NULL;
END
$$;

DO $$
BEGIN
    EXECUTE format('ALTER FUNCTION audit_row_change() SET search_path = pg_catalog, %I, pg_temp',
                   (SELECT relnamespace::regnamespace::text FROM pg_class
                    WHERE oid = 'audit_log'::regclass));
END
$$;

ALTER FUNCTION audit_row_change() OWNER TO boursa_owner;
REVOKE ALL ON FUNCTION audit_row_change() FROM PUBLIC;

CREATE TRIGGER users_audit AFTER INSERT OR UPDATE OR DELETE ON users
    FOR EACH ROW EXECUTE FUNCTION audit_row_change('id', 'password_hash');
CREATE TRIGGER portfolios_audit AFTER INSERT OR UPDATE OR DELETE ON portfolios
    FOR EACH ROW EXECUTE FUNCTION audit_row_change('id');
CREATE TRIGGER positions_audit AFTER INSERT OR UPDATE OR DELETE ON positions
    FOR EACH ROW EXECUTE FUNCTION audit_row_change('id');
CREATE TRIGGER transactions_audit AFTER INSERT OR UPDATE OR DELETE ON transactions
    FOR EACH ROW EXECUTE FUNCTION audit_row_change('id');
