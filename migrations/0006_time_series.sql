-- Time-series tables: OHLCV bars, technical indicators, trading signals, portfolio snapshots.
--
-- Market prices, indicator values and scores are double precision: vendors deliver floats, and
-- asyncpg decodes float8 about 2.5x faster than numeric. Portfolio snapshots are money: NUMERIC.
-- `abs(x) < 'Infinity'` rejects NaN and both infinities (PostgreSQL sorts NaN above Infinity).
--
-- Every primary key ends with the time column and starts with the columns queries filter on
-- (symbol, interval): one index answers "latest bar", "bars in a range" and upserts, and the key
-- stays valid when TimescaleDB partitions the table by time.
--
-- With TimescaleDB the four tables become hypertables with 1-day chunks, partitioned by time only.
-- Space partitioning (the old layer's "symbol x 4") is not used: on a single node it only
-- multiplies chunks; TimescaleDB recommends time-only partitioning unless the chunks are spread
-- over several disks. Without TimescaleDB the tables stay plain and keep the same keys and indexes.
-- depends: 0005_alerts

CREATE TABLE market_data (
    time           timestamptz      NOT NULL,
    symbol         text             NOT NULL,
    interval_type  text             NOT NULL,
    open           double precision NOT NULL,
    high           double precision NOT NULL,
    low            double precision NOT NULL,
    close          double precision NOT NULL,
    adjusted_close double precision,
    volume         bigint           NOT NULL DEFAULT 0,
    source         text             NOT NULL DEFAULT 'unknown',
    CONSTRAINT market_data_pkey PRIMARY KEY (symbol, interval_type, time),
    CONSTRAINT market_data_symbol_format CHECK (
        symbol ~ '^\^?[A-Z0-9]([A-Z0-9.=-]{0,18}[A-Z0-9])?$'),
    CONSTRAINT market_data_interval_known CHECK (
        interval_type IN ('1m', '5m', '15m', '30m', '1h', '4h', '1d', '1w', '1mo')),
    CONSTRAINT market_data_prices_positive CHECK (
        open > 0 AND open < 'Infinity' AND high > 0 AND high < 'Infinity'
        AND low > 0 AND low < 'Infinity' AND close > 0 AND close < 'Infinity'),
    CONSTRAINT market_data_adjusted_close_positive CHECK (
        adjusted_close > 0 AND adjusted_close < 'Infinity'),
    CONSTRAINT market_data_ohlc_consistent CHECK (
        low <= open AND low <= close AND high >= open AND high >= close),
    CONSTRAINT market_data_volume_non_negative CHECK (volume >= 0),
    CONSTRAINT market_data_source_format CHECK (source ~ '^[a-z0-9_]{1,30}$')
);

CREATE TABLE technical_indicators (
    time            timestamptz      NOT NULL,
    symbol          text             NOT NULL,
    interval_type   text             NOT NULL,
    indicator_name  text             NOT NULL,
    value           double precision NOT NULL,
    value_secondary double precision,
    value_tertiary  double precision,
    parameters      jsonb            NOT NULL DEFAULT '{}',
    CONSTRAINT technical_indicators_pkey PRIMARY KEY (symbol, interval_type, indicator_name, time),
    CONSTRAINT technical_indicators_symbol_format CHECK (
        symbol ~ '^\^?[A-Z0-9]([A-Z0-9.=-]{0,18}[A-Z0-9])?$'),
    CONSTRAINT technical_indicators_interval_known CHECK (
        interval_type IN ('1m', '5m', '15m', '30m', '1h', '4h', '1d', '1w', '1mo')),
    CONSTRAINT technical_indicators_name_format CHECK (indicator_name ~ '^[a-z][a-z0-9_]{0,39}$'),
    CONSTRAINT technical_indicators_values_finite CHECK (
        abs(value) < 'Infinity' AND abs(value_secondary) < 'Infinity'
        AND abs(value_tertiary) < 'Infinity'),
    CONSTRAINT technical_indicators_parameters_object CHECK (jsonb_typeof(parameters) = 'object')
);

CREATE TABLE signals (
    time                 timestamptz      NOT NULL,
    symbol               text             NOT NULL,
    strategy             text             NOT NULL DEFAULT 'default',
    signal_type          text             NOT NULL,
    strength             text             NOT NULL,
    confidence           double precision NOT NULL,
    price_target         double precision,
    stop_loss            double precision,
    technical_score      double precision,
    fundamental_score    double precision,
    market_context_score double precision,
    rationale            text,
    indicators_used      text[]           NOT NULL DEFAULT '{}',
    metadata             jsonb            NOT NULL DEFAULT '{}',
    expires_at           timestamptz,
    -- The old layer keyed signals by a UUID alone, which made a hypertable impossible.
    CONSTRAINT signals_pkey PRIMARY KEY (symbol, strategy, time),
    CONSTRAINT signals_symbol_format CHECK (
        symbol ~ '^\^?[A-Z0-9]([A-Z0-9.=-]{0,18}[A-Z0-9])?$'),
    CONSTRAINT signals_strategy_format CHECK (strategy ~ '^[a-z][a-z0-9_]{0,49}$'),
    CONSTRAINT signals_type_known CHECK (signal_type IN ('buy', 'sell', 'hold')),
    CONSTRAINT signals_strength_known CHECK (strength IN ('weak', 'moderate', 'strong')),
    CONSTRAINT signals_confidence_range CHECK (confidence BETWEEN 0 AND 1),
    CONSTRAINT signals_prices_positive CHECK (
        price_target > 0 AND price_target < 'Infinity' AND stop_loss > 0 AND stop_loss < 'Infinity'),
    CONSTRAINT signals_scores_range CHECK (
        technical_score BETWEEN 0 AND 1 AND fundamental_score BETWEEN 0 AND 1
        AND market_context_score BETWEEN 0 AND 1),
    CONSTRAINT signals_rationale_length CHECK (length(rationale) <= 5000),
    CONSTRAINT signals_metadata_object CHECK (jsonb_typeof(metadata) = 'object'),
    CONSTRAINT signals_expiry_after_time CHECK (expires_at > time)
);

CREATE TABLE portfolio_performance (
    time                timestamptz      NOT NULL,
    portfolio_id        uuid             NOT NULL REFERENCES portfolios (id) ON DELETE CASCADE,
    total_value         numeric(24, 4)   NOT NULL,
    cash_value          numeric(24, 4)   NOT NULL,
    invested_value      numeric(24, 4)   NOT NULL,
    daily_return        double precision,
    total_return        double precision,
    volatility_30d      double precision,
    sharpe_ratio_30d    double precision,
    max_drawdown_30d    double precision,
    beta_30d            double precision,
    alpha_30d           double precision,
    number_of_positions integer          NOT NULL DEFAULT 0,
    CONSTRAINT portfolio_performance_pkey PRIMARY KEY (portfolio_id, time),
    CONSTRAINT portfolio_performance_values_non_negative CHECK (
        total_value >= 0 AND cash_value >= 0 AND invested_value >= 0),
    CONSTRAINT portfolio_performance_ratios_finite CHECK (
        abs(daily_return) < 'Infinity' AND abs(total_return) < 'Infinity'
        AND abs(sharpe_ratio_30d) < 'Infinity' AND abs(beta_30d) < 'Infinity'
        AND abs(alpha_30d) < 'Infinity'),
    CONSTRAINT portfolio_performance_volatility_non_negative CHECK (
        volatility_30d >= 0 AND volatility_30d < 'Infinity'),
    CONSTRAINT portfolio_performance_drawdown_range CHECK (max_drawdown_30d BETWEEN -1 AND 0),
    CONSTRAINT portfolio_performance_positions_non_negative CHECK (number_of_positions >= 0)
);

-- Time-range scans across symbols (daily summaries, retention) on plain PostgreSQL; BRIN stays
-- tiny because rows arrive in time order. With TimescaleDB, chunk exclusion does the same job.
CREATE INDEX market_data_time_brin ON market_data USING brin (time);
CREATE INDEX technical_indicators_time_brin ON technical_indicators USING brin (time);
CREATE INDEX signals_time_brin ON signals USING brin (time);
CREATE INDEX signals_type_time_idx ON signals (signal_type, time DESC);
CREATE INDEX portfolio_performance_time_brin ON portfolio_performance USING brin (time);

DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'timescaledb') THEN
        PERFORM create_hypertable('market_data', by_range('time', INTERVAL '1 day'),
                                  create_default_indexes => false);
        PERFORM create_hypertable('technical_indicators', by_range('time', INTERVAL '1 day'),
                                  create_default_indexes => false);
        PERFORM create_hypertable('signals', by_range('time', INTERVAL '1 day'),
                                  create_default_indexes => false);
        PERFORM create_hypertable('portfolio_performance', by_range('time', INTERVAL '1 day'),
                                  create_default_indexes => false);
    END IF;
END
$$;
