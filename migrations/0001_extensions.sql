-- Extensions and shared helpers.
--
-- TimescaleDB is optional. It is created only when the server offers it *and* preloads it:
-- CREATE EXTENSION on a server that has the files but does not preload the library kills the
-- session. Without it every later migration keeps the same tables as plain PostgreSQL tables.

DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'timescaledb')
       AND current_setting('shared_preload_libraries', true) ~ '(^|[\s,])timescaledb($|[\s,])'
    THEN
        CREATE EXTENSION IF NOT EXISTS timescaledb;
    END IF;
END
$$;

-- Keeps updated_at true without relying on application code.
CREATE FUNCTION set_updated_at() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.updated_at := now();
    RETURN NEW;
END
$$;
