-- Reads of the time series that are planned for their arguments on every call.
--
-- asyncpg prepares each statement once per connection, and after five executions PostgreSQL may
-- keep a generic plan, made without the values of the parameters. On a hypertable a generic
-- plan holds every chunk and excludes the ones outside the time range only when it starts, at
-- a cost per chunk that grows with the history (three years of daily bars in one-day chunks:
-- tens of milliseconds for a range that a plain table answers in one). A custom plan, made for
-- the values, holds only the chunks of the range. plan_cache_mode = force_custom_plan on the
-- whole session would re-plan every statement, and the short lookups of accounts and portfolios
-- would pay planning on every call for nothing; so each bounded time-series read is a function
-- here, and on TimescaleDB each function alone runs with force_custom_plan (the DO block at the
-- end). On plain PostgreSQL the functions keep PostgreSQL's default: there are no chunks.
--
-- The queries of sql/ call these functions; each function is the statement that read the table
-- itself before, unchanged, and returns its rows in the order its ORDER BY gives (a function
-- scan hands its rows on in the order they were returned). Parameters are named after what they
-- hold with a prefix of their own (wanted_, from_, until_), so that they never read as a column.
-- Reads without a time bound (counts, the newest value of an indicator or a snapshot) stay
-- plain statements: no plan could leave a chunk out.
-- depends: 0017_latest_bars

CREATE FUNCTION market_data_range(wanted_symbol text, wanted_interval text,
                                  from_time timestamptz, until_time timestamptz)
RETURNS TABLE ("time" timestamptz, symbol text, interval_type text, open double precision,
               high double precision, low double precision, close double precision,
               adjusted_close double precision, volume bigint, source text)
LANGUAGE plpgsql STABLE AS $$
#variable_conflict use_column
BEGIN
    RETURN QUERY
    SELECT m.time, m.symbol, m.interval_type, m.open, m.high, m.low, m.close, m.adjusted_close,
           m.volume, m.source
    FROM market_data AS m
    WHERE m.symbol = wanted_symbol AND m.interval_type = wanted_interval
      AND m.time >= from_time AND m.time < until_time
    ORDER BY m.time;
END
$$;

CREATE FUNCTION market_data_gaps(wanted_symbol text, wanted_interval text,
                                 from_time timestamptz, until_time timestamptz,
                                 wanted_step interval, wanted_limit bigint)
RETURNS TABLE (gap_start timestamptz, gap_end timestamptz, missing_bars bigint)
LANGUAGE plpgsql STABLE AS $$
#variable_conflict use_column
BEGIN
    RETURN QUERY
    SELECT steps.gap_start, steps.gap_end,
           (ceil(extract(epoch FROM steps.gap_end - steps.gap_start)
                 / extract(epoch FROM wanted_step)) - 1)::bigint
    FROM (
        SELECT lag(m.time) OVER (ORDER BY m.time) AS gap_start, m.time AS gap_end
        FROM market_data AS m
        WHERE m.symbol = wanted_symbol AND m.interval_type = wanted_interval
          AND m.time >= from_time AND m.time < until_time
    ) AS steps
    WHERE steps.gap_end - steps.gap_start > wanted_step
    ORDER BY steps.gap_start
    LIMIT wanted_limit;
END
$$;

CREATE FUNCTION market_data_summary(wanted_symbols text[], wanted_interval text,
                                    until_time timestamptz)
RETURNS TABLE (symbol text, "time" timestamptz, interval_type text, open double precision,
               high double precision, low double precision, close double precision,
               adjusted_close double precision, volume bigint, source text,
               average_close double precision, low_30d double precision,
               high_30d double precision, volume_30d bigint, bar_count bigint,
               first_close double precision)
LANGUAGE plpgsql STABLE AS $$
#variable_conflict use_column
BEGIN
    RETURN QUERY
    SELECT s.symbol, latest.time, latest.interval_type, latest.open, latest.high, latest.low,
           latest.close, latest.adjusted_close, latest.volume, latest.source,
           stats.average_close, stats.low_30d, stats.high_30d, stats.volume_30d,
           stats.bar_count, oldest.close
    FROM unnest(wanted_symbols) AS s(symbol)
    CROSS JOIN LATERAL (
        SELECT m.time, m.interval_type, m.open, m.high, m.low, m.close, m.adjusted_close,
               m.volume, m.source
        FROM market_data AS m
        WHERE m.symbol = s.symbol AND m.interval_type = wanted_interval
          AND m.time > until_time - interval '7 days' AND m.time <= until_time
        ORDER BY m.time DESC
        LIMIT 1
    ) AS latest
    CROSS JOIN LATERAL (
        SELECT m.close
        FROM market_data AS m
        WHERE m.symbol = s.symbol AND m.interval_type = wanted_interval
          AND m.time > until_time - interval '30 days' AND m.time <= until_time
        ORDER BY m.time
        LIMIT 1
    ) AS oldest
    CROSS JOIN LATERAL (
        SELECT avg(m.close) AS average_close, min(m.low) AS low_30d, max(m.high) AS high_30d,
               sum(m.volume)::bigint AS volume_30d, count(*) AS bar_count
        FROM market_data AS m
        WHERE m.symbol = s.symbol AND m.interval_type = wanted_interval
          AND m.time > until_time - interval '30 days' AND m.time <= until_time
    ) AS stats
    ORDER BY s.symbol;
END
$$;

CREATE FUNCTION market_data_stored(wanted_symbol text, wanted_interval text,
                                   wanted_time timestamptz)
RETURNS boolean
LANGUAGE plpgsql STABLE AS $$
BEGIN
    RETURN EXISTS (
        SELECT FROM market_data AS m
        WHERE m.symbol = wanted_symbol AND m.interval_type = wanted_interval
          AND m.time = wanted_time
    );
END
$$;

CREATE FUNCTION daily_summaries_between(wanted_symbols text[], wanted_interval text,
                                        from_day date, until_day date)
RETURNS TABLE (day date, symbol text, interval_type text, open double precision,
               high double precision, low double precision, close double precision,
               volume bigint, bar_count bigint)
LANGUAGE plpgsql STABLE AS $$
#variable_conflict use_column
BEGIN
    RETURN QUERY
    SELECT (s.day AT TIME ZONE 'UTC')::date, s.symbol, s.interval_type, s.open, s.high, s.low,
           s.close, s.volume, s.bar_count
    FROM daily_market_summary AS s
    WHERE s.symbol = ANY (wanted_symbols) AND s.interval_type = wanted_interval
      AND s.day >= from_day::timestamp AT TIME ZONE 'UTC'
      AND s.day < (until_day + 1)::timestamp AT TIME ZONE 'UTC'
    ORDER BY s.symbol, s.day;
END
$$;

CREATE FUNCTION hourly_bars_between(wanted_symbol text, from_time timestamptz,
                                    until_time timestamptz)
RETURNS TABLE (hour timestamptz, symbol text, open double precision, high double precision,
               low double precision, close double precision, volume bigint, bar_count bigint)
LANGUAGE plpgsql STABLE AS $$
#variable_conflict use_column
BEGIN
    RETURN QUERY
    SELECT h.hour, h.symbol, h.open, h.high, h.low, h.close, h.volume, h.bar_count
    FROM hourly_market_bars AS h
    WHERE h.symbol = wanted_symbol AND h.hour >= from_time AND h.hour < until_time
    ORDER BY h.hour;
END
$$;

CREATE FUNCTION hourly_portfolio_performance_between(wanted_portfolio uuid,
                                                     from_time timestamptz,
                                                     until_time timestamptz)
RETURNS TABLE (hour timestamptz, portfolio_id uuid, avg_total_value numeric,
               min_total_value numeric, max_total_value numeric,
               last_total_return double precision, volatility numeric, snapshot_count bigint)
LANGUAGE plpgsql STABLE AS $$
#variable_conflict use_column
BEGIN
    RETURN QUERY
    SELECT h.hour, h.portfolio_id, h.avg_total_value, h.min_total_value, h.max_total_value,
           h.last_total_return, h.volatility, h.snapshot_count
    FROM hourly_portfolio_performance AS h
    WHERE h.portfolio_id = wanted_portfolio AND h.hour >= from_time AND h.hour < until_time
    ORDER BY h.hour;
END
$$;

CREATE FUNCTION indicator_range(wanted_symbol text, wanted_interval text, wanted_name text,
                                from_time timestamptz, until_time timestamptz)
RETURNS TABLE ("time" timestamptz, symbol text, interval_type text, indicator_name text,
               value double precision, value_secondary double precision,
               value_tertiary double precision, parameters jsonb)
LANGUAGE plpgsql STABLE AS $$
#variable_conflict use_column
BEGIN
    RETURN QUERY
    SELECT t.time, t.symbol, t.interval_type, t.indicator_name, t.value, t.value_secondary,
           t.value_tertiary, t.parameters
    FROM technical_indicators AS t
    WHERE t.symbol = wanted_symbol AND t.interval_type = wanted_interval
      AND t.indicator_name = wanted_name AND t.time >= from_time AND t.time < until_time
    ORDER BY t.time;
END
$$;

CREATE FUNCTION signal_range(wanted_symbol text, from_time timestamptz, until_time timestamptz)
RETURNS TABLE ("time" timestamptz, symbol text, strategy text, signal_type text, strength text,
               confidence double precision, price_target double precision,
               stop_loss double precision, technical_score double precision,
               fundamental_score double precision, market_context_score double precision,
               rationale text, indicators_used text[], metadata jsonb, expires_at timestamptz)
LANGUAGE plpgsql STABLE AS $$
#variable_conflict use_column
BEGIN
    RETURN QUERY
    SELECT s.time, s.symbol, s.strategy, s.signal_type, s.strength, s.confidence,
           s.price_target, s.stop_loss, s.technical_score, s.fundamental_score,
           s.market_context_score, s.rationale, s.indicators_used, s.metadata, s.expires_at
    FROM signals AS s
    WHERE s.symbol = wanted_symbol AND s.time >= from_time AND s.time < until_time
    ORDER BY s.time, s.strategy;
END
$$;

CREATE FUNCTION signal_range_for_strategy(wanted_symbol text, wanted_strategy text,
                                          from_time timestamptz, until_time timestamptz)
RETURNS TABLE ("time" timestamptz, symbol text, strategy text, signal_type text, strength text,
               confidence double precision, price_target double precision,
               stop_loss double precision, technical_score double precision,
               fundamental_score double precision, market_context_score double precision,
               rationale text, indicators_used text[], metadata jsonb, expires_at timestamptz)
LANGUAGE plpgsql STABLE AS $$
#variable_conflict use_column
BEGIN
    RETURN QUERY
    SELECT s.time, s.symbol, s.strategy, s.signal_type, s.strength, s.confidence,
           s.price_target, s.stop_loss, s.technical_score, s.fundamental_score,
           s.market_context_score, s.rationale, s.indicators_used, s.metadata, s.expires_at
    FROM signals AS s
    WHERE s.symbol = wanted_symbol AND s.strategy = wanted_strategy
      AND s.time >= from_time AND s.time < until_time
    ORDER BY s.time;
END
$$;

CREATE FUNCTION performance_range(wanted_portfolio uuid, from_time timestamptz,
                                  until_time timestamptz)
RETURNS TABLE ("time" timestamptz, portfolio_id uuid, total_value numeric, cash_value numeric,
               invested_value numeric, daily_return double precision,
               total_return double precision, volatility_30d double precision,
               sharpe_ratio_30d double precision, max_drawdown_30d double precision,
               beta_30d double precision, alpha_30d double precision,
               number_of_positions integer)
LANGUAGE plpgsql STABLE AS $$
#variable_conflict use_column
BEGIN
    RETURN QUERY
    SELECT p.time, p.portfolio_id, p.total_value, p.cash_value, p.invested_value,
           p.daily_return, p.total_return, p.volatility_30d, p.sharpe_ratio_30d,
           p.max_drawdown_30d, p.beta_30d, p.alpha_30d, p.number_of_positions
    FROM portfolio_performance AS p
    WHERE p.portfolio_id = wanted_portfolio AND p.time >= from_time AND p.time < until_time
    ORDER BY p.time;
END
$$;

DO $$
DECLARE
    schema_name text := current_schema();
    timescaledb boolean := EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'timescaledb');
    read_function regprocedure;
BEGIN
    FOREACH read_function IN ARRAY ARRAY[
        'market_data_range(text, text, timestamptz, timestamptz)',
        'market_data_gaps(text, text, timestamptz, timestamptz, interval, bigint)',
        'market_data_summary(text[], text, timestamptz)',
        'market_data_stored(text, text, timestamptz)',
        'daily_summaries_between(text[], text, date, date)',
        'hourly_bars_between(text, timestamptz, timestamptz)',
        'hourly_portfolio_performance_between(uuid, timestamptz, timestamptz)',
        'indicator_range(text, text, text, timestamptz, timestamptz)',
        'signal_range(text, timestamptz, timestamptz)',
        'signal_range_for_strategy(text, text, timestamptz, timestamptz)',
        'performance_range(uuid, timestamptz, timestamptz)'
    ]::regprocedure[] LOOP
        -- A temporary table named like a time-series table must not capture the reads.
        EXECUTE format('ALTER FUNCTION %s SET search_path = %I, pg_catalog, pg_temp',
                       read_function, schema_name);
        IF timescaledb THEN
            EXECUTE format('ALTER FUNCTION %s SET plan_cache_mode = force_custom_plan',
                           read_function);
        END IF;
        EXECUTE format('ALTER FUNCTION %s OWNER TO boursa_owner', read_function);
        EXECUTE format('REVOKE ALL ON FUNCTION %s FROM PUBLIC', read_function);
        EXECUTE format('GRANT EXECUTE ON FUNCTION %s TO boursa_app, boursa_readonly',
                       read_function);
    END LOOP;
END
$$;
