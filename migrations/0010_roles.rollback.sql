-- Revoke everything granted to the three roles in this database and hand the objects back to
-- the role running the rollback. The roles themselves are server-wide: drop each one only when
-- no database refers to it any more and it has no members, so other databases of the server
-- and the operator's login roles keep working.
DO $$
DECLARE
    schema_name text := current_schema();
    object record;
    aggregates text[] := '{}';
    role_name text;
BEGIN
    -- A continuous aggregate looks like a view in pg_class but takes ALTER MATERIALIZED VIEW.
    IF EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'timescaledb') THEN
        SELECT coalesce(array_agg(view_name::text), '{}') INTO aggregates
        FROM timescaledb_information.continuous_aggregates
        WHERE view_schema = schema_name;
    END IF;
    FOR object IN
        SELECT c.oid::regclass AS name,
               CASE WHEN c.relkind = 'm' OR c.relname = ANY (aggregates) THEN 'MATERIALIZED VIEW'
                    WHEN c.relkind = 'v' THEN 'VIEW'
                    ELSE 'TABLE' END AS kind
        FROM pg_class AS c
        WHERE c.relnamespace = schema_name::regnamespace
          AND c.relkind IN ('r', 'p', 'v', 'm')
          AND c.relowner = 'boursa_owner'::regrole
    LOOP
        EXECUTE format('REVOKE ALL ON %s FROM boursa_app, boursa_readonly', object.name);
        EXECUTE format('ALTER %s %s OWNER TO CURRENT_USER', object.kind, object.name);
    END LOOP;
    ALTER FUNCTION set_updated_at() OWNER TO CURRENT_USER;

    EXECUTE format('ALTER DEFAULT PRIVILEGES FOR ROLE boursa_owner IN SCHEMA %I '
                   'REVOKE ALL ON TABLES FROM boursa_app, boursa_readonly', schema_name);
    EXECUTE format('ALTER DEFAULT PRIVILEGES FOR ROLE boursa_owner IN SCHEMA %I '
                   'REVOKE ALL ON SEQUENCES FROM boursa_app', schema_name);
    ALTER DEFAULT PRIVILEGES FOR ROLE boursa_owner GRANT EXECUTE ON FUNCTIONS TO PUBLIC;
    EXECUTE format('REVOKE ALL ON SCHEMA %I FROM boursa_owner, boursa_app, boursa_readonly',
                   schema_name);

    FOREACH role_name IN ARRAY ARRAY['boursa_readonly', 'boursa_app', 'boursa_owner'] LOOP
        IF NOT EXISTS (SELECT 1 FROM pg_shdepend
                       WHERE refclassid = 'pg_authid'::regclass
                         AND refobjid = role_name::regrole)
           AND NOT EXISTS (SELECT 1 FROM pg_auth_members
                           WHERE roleid = role_name::regrole OR member = role_name::regrole)
        THEN
            EXECUTE format('DROP ROLE %I', role_name);
        END IF;
    END LOOP;
END
$$;
