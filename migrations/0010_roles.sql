-- Least privilege: three group roles (NOLOGIN) that an operator grants to login roles.
--
--   boursa_owner     owns every object of the schema; migrations run as it (or as a member).
--   boursa_app       the application: SELECT, INSERT, UPDATE, DELETE on the data; no DDL, no
--                    TRUNCATE; reads audit_log but cannot write it (only the audit triggers do).
--   boursa_readonly  analytics and reporting: SELECT only.
--
-- Roles belong to the whole server, privileges to one database. Creating the roles is
-- idempotent (every database of the server shares them, and two databases may be migrated at
-- the same moment); the grants below concern this database only and are copied with it when it
-- serves as a template. The first run needs CREATEROLE (or an administrator creates the three
-- roles beforehand) and must be able to act as boursa_owner (a superuser, or a member of it).
--
-- The objects of the earlier migrations (and yoyo's bookkeeping tables, so that a migrator
-- acting as boursa_owner can apply later migrations) are handed to boursa_owner. Default
-- privileges make every table, view and sequence boursa_owner creates later follow the same
-- rules, and take EXECUTE on its new functions away from PUBLIC.
--
-- The rollback revokes everything in this database, hands the objects back to the role running
-- it, and drops a role only when nothing in any database refers to it any more and nobody is a
-- member of it: the other databases of the server (and the operator's login roles) keep theirs.
-- depends: 0009_summaries

DO $$
DECLARE
    role_name text;
BEGIN
    FOREACH role_name IN ARRAY ARRAY['boursa_owner', 'boursa_app', 'boursa_readonly'] LOOP
        IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = role_name) THEN
            BEGIN
                EXECUTE format('CREATE ROLE %I NOLOGIN', role_name);
            EXCEPTION WHEN duplicate_object OR unique_violation THEN
                NULL;  -- another database of this server created it at the same moment
            END;
        END IF;
    END LOOP;
END
$$;

DO $$
DECLARE
    schema_name text := current_schema();
    object record;
    aggregates text[] := '{}';
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
                    ELSE 'TABLE' END AS kind,
               c.relname IN ('audit_log', 'time_series_retention', 'daily_market_summary',
                             'hourly_market_bars', 'hourly_portfolio_performance',
                             '_yoyo_migration', '_yoyo_log', '_yoyo_version', 'yoyo_lock')
                   AS read_only,
               c.relname IN ('_yoyo_log', '_yoyo_version', 'yoyo_lock') AS bookkeeping
        FROM pg_class AS c
        WHERE c.relnamespace = schema_name::regnamespace
          AND c.relkind IN ('r', 'p', 'v', 'm')
          AND c.relname IN ('users', 'refresh_tokens', 'system_config', 'audit_log',
                            'instruments', 'fundamental_data', 'portfolios', 'positions',
                            'transactions', 'alerts', 'notifications', 'market_data',
                            'technical_indicators', 'signals', 'portfolio_performance',
                            'time_series_retention', 'daily_market_summary',
                            'hourly_market_bars', 'hourly_portfolio_performance',
                            '_yoyo_migration', '_yoyo_log', '_yoyo_version', 'yoyo_lock')
    LOOP
        EXECUTE format('ALTER %s %s OWNER TO boursa_owner', object.kind, object.name);
        IF object.bookkeeping THEN
            CONTINUE;
        ELSIF object.read_only THEN
            EXECUTE format('GRANT SELECT ON %s TO boursa_app, boursa_readonly', object.name);
        ELSE
            EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON %s TO boursa_app',
                           object.name);
            EXECUTE format('GRANT SELECT ON %s TO boursa_readonly', object.name);
        END IF;
    END LOOP;
    ALTER FUNCTION set_updated_at() OWNER TO boursa_owner;

    EXECUTE format('GRANT USAGE, CREATE ON SCHEMA %I TO boursa_owner', schema_name);
    EXECUTE format('GRANT USAGE ON SCHEMA %I TO boursa_app, boursa_readonly', schema_name);
    EXECUTE format('ALTER DEFAULT PRIVILEGES FOR ROLE boursa_owner IN SCHEMA %I '
                   'GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO boursa_app', schema_name);
    EXECUTE format('ALTER DEFAULT PRIVILEGES FOR ROLE boursa_owner IN SCHEMA %I '
                   'GRANT SELECT ON TABLES TO boursa_readonly', schema_name);
    EXECUTE format('ALTER DEFAULT PRIVILEGES FOR ROLE boursa_owner IN SCHEMA %I '
                   'GRANT USAGE, SELECT ON SEQUENCES TO boursa_app', schema_name);
    ALTER DEFAULT PRIVILEGES FOR ROLE boursa_owner REVOKE EXECUTE ON FUNCTIONS FROM PUBLIC;
END
$$;
