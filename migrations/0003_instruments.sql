-- Tradable instruments and their periodic fundamentals.
--
-- A symbol is an upper-case ticker as market-data vendors write it: AAPL, BRK-B, MC.PA, BTC-USD,
-- GC=F, EURUSD=X, ^GSPC. The same pattern is checked on every table that holds a symbol.
-- depends: 0002_accounts

CREATE TABLE instruments (
    id              uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
    symbol          text        NOT NULL,
    name            text        NOT NULL,
    instrument_type text        NOT NULL,
    exchange        text,
    currency        text        NOT NULL DEFAULT 'USD',
    sector          text,
    industry        text,
    country         text,
    isin            text,
    description     text,
    is_active       boolean     NOT NULL DEFAULT true,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT instruments_symbol_key UNIQUE (symbol),
    CONSTRAINT instruments_symbol_format CHECK (
        symbol ~ '^\^?[A-Z0-9]([A-Z0-9.=-]{0,18}[A-Z0-9])?$'),
    CONSTRAINT instruments_name_length CHECK (length(name) BETWEEN 1 AND 200),
    CONSTRAINT instruments_type_known CHECK (
        instrument_type IN ('stock', 'etf', 'bond', 'crypto', 'forex', 'commodity', 'index')),
    CONSTRAINT instruments_exchange_format CHECK (exchange ~ '^[A-Z0-9]{1,12}$'),
    CONSTRAINT instruments_currency_code CHECK (currency ~ '^[A-Z]{3}$'),
    CONSTRAINT instruments_sector_length CHECK (length(sector) <= 100),
    CONSTRAINT instruments_industry_length CHECK (length(industry) <= 100),
    CONSTRAINT instruments_country_code CHECK (country ~ '^[A-Z]{2}$'),
    CONSTRAINT instruments_isin_format CHECK (isin ~ '^[A-Z]{2}[A-Z0-9]{9}[0-9]$')
);

CREATE INDEX instruments_type_idx ON instruments (instrument_type) WHERE is_active;
CREATE INDEX instruments_sector_idx ON instruments (sector) WHERE is_active;

CREATE TRIGGER instruments_set_updated_at BEFORE UPDATE ON instruments
    FOR EACH ROW EXECUTE FUNCTION set_updated_at();

-- Ratios are NUMERIC: they come from filings as decimals and are compared exactly.
CREATE TABLE fundamental_data (
    id                     uuid          PRIMARY KEY DEFAULT gen_random_uuid(),
    instrument_id          uuid          NOT NULL REFERENCES instruments (id) ON DELETE CASCADE,
    period_end             date          NOT NULL,
    period_type            text          NOT NULL,
    currency               text          NOT NULL DEFAULT 'USD',
    market_cap             numeric(24, 2),
    enterprise_value       numeric(24, 2),
    revenue                numeric(24, 2),
    net_income             numeric(24, 2),
    shares_outstanding     bigint,
    float_shares           bigint,
    pe_ratio               numeric(20, 6),
    forward_pe             numeric(20, 6),
    peg_ratio              numeric(20, 6),
    price_to_book          numeric(20, 6),
    price_to_sales         numeric(20, 6),
    ev_to_revenue          numeric(20, 6),
    ev_to_ebitda           numeric(20, 6),
    profit_margin          numeric(20, 6),
    operating_margin       numeric(20, 6),
    return_on_assets       numeric(20, 6),
    return_on_equity       numeric(20, 6),
    revenue_growth         numeric(20, 6),
    earnings_growth        numeric(20, 6),
    debt_to_equity         numeric(20, 6),
    current_ratio          numeric(20, 6),
    quick_ratio            numeric(20, 6),
    dividend_yield         numeric(20, 6),
    payout_ratio           numeric(20, 6),
    beta                   numeric(20, 6),
    created_at             timestamptz   NOT NULL DEFAULT now(),
    updated_at             timestamptz   NOT NULL DEFAULT now(),
    CONSTRAINT fundamental_data_period_key UNIQUE (instrument_id, period_type, period_end),
    CONSTRAINT fundamental_data_period_type_known CHECK (period_type IN ('quarterly', 'annual')),
    CONSTRAINT fundamental_data_currency_code CHECK (currency ~ '^[A-Z]{3}$'),
    CONSTRAINT fundamental_data_market_cap_non_negative CHECK (market_cap >= 0),
    CONSTRAINT fundamental_data_shares_non_negative CHECK (
        shares_outstanding >= 0 AND float_shares >= 0),
    CONSTRAINT fundamental_data_float_within_outstanding CHECK (
        float_shares <= shares_outstanding)
);

CREATE INDEX fundamental_data_period_end_idx ON fundamental_data (period_end);

CREATE TRIGGER fundamental_data_set_updated_at BEFORE UPDATE ON fundamental_data
    FOR EACH ROW EXECUTE FUNCTION set_updated_at();
