-- Portfolios, their positions and the transactions that moved them.
--
-- Money, quantities and trade prices are NUMERIC (exact), never floating point:
--   money        numeric(24, 4)   cash, amounts, fees, taxes
--   quantity     numeric(28, 10)  shares, coins (crypto needs at least 8 places)
--   trade price  numeric(24, 8)
-- Deleting a user deletes their portfolios, and with them positions and transactions.
-- depends: 0003_instruments

CREATE TABLE portfolios (
    id            uuid           PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id       uuid           NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name          text           NOT NULL,
    description   text,
    base_currency text           NOT NULL DEFAULT 'USD',
    initial_cash  numeric(24, 4) NOT NULL DEFAULT 0,
    cash_balance  numeric(24, 4) NOT NULL DEFAULT 0,
    is_default    boolean        NOT NULL DEFAULT false,
    is_active     boolean        NOT NULL DEFAULT true,
    -- Optimistic concurrency: every update must name the version it read and bumps it by one.
    version       integer        NOT NULL DEFAULT 1,
    created_at    timestamptz    NOT NULL DEFAULT now(),
    updated_at    timestamptz    NOT NULL DEFAULT now(),
    CONSTRAINT portfolios_user_name_key UNIQUE (user_id, name),
    CONSTRAINT portfolios_name_length CHECK (length(name) BETWEEN 1 AND 100),
    CONSTRAINT portfolios_description_length CHECK (length(description) <= 2000),
    CONSTRAINT portfolios_base_currency_code CHECK (base_currency ~ '^[A-Z]{3}$'),
    CONSTRAINT portfolios_initial_cash_non_negative CHECK (initial_cash >= 0),
    CONSTRAINT portfolios_cash_balance_non_negative CHECK (cash_balance >= 0),
    CONSTRAINT portfolios_version_positive CHECK (version >= 1)
);

-- At most one default portfolio per user.
CREATE UNIQUE INDEX portfolios_one_default_per_user ON portfolios (user_id) WHERE is_default;

CREATE TRIGGER portfolios_set_updated_at BEFORE UPDATE ON portfolios
    FOR EACH ROW EXECUTE FUNCTION set_updated_at();

-- A position holds a positive quantity; a position sold to zero is deleted, not kept at zero.
CREATE TABLE positions (
    id            uuid            PRIMARY KEY DEFAULT gen_random_uuid(),
    portfolio_id  uuid            NOT NULL REFERENCES portfolios (id) ON DELETE CASCADE,
    symbol        text            NOT NULL,
    quantity      numeric(28, 10) NOT NULL,
    average_price numeric(24, 8)  NOT NULL,
    currency      text            NOT NULL DEFAULT 'USD',
    opened_at     timestamptz     NOT NULL DEFAULT now(),
    created_at    timestamptz     NOT NULL DEFAULT now(),
    updated_at    timestamptz     NOT NULL DEFAULT now(),
    CONSTRAINT positions_portfolio_symbol_key UNIQUE (portfolio_id, symbol),
    CONSTRAINT positions_symbol_format CHECK (
        symbol ~ '^\^?[A-Z0-9]([A-Z0-9.=-]{0,18}[A-Z0-9])?$'),
    CONSTRAINT positions_quantity_positive CHECK (quantity > 0),
    CONSTRAINT positions_average_price_non_negative CHECK (average_price >= 0),
    CONSTRAINT positions_currency_code CHECK (currency ~ '^[A-Z]{3}$')
);

CREATE INDEX positions_symbol_idx ON positions (symbol);

CREATE TRIGGER positions_set_updated_at BEFORE UPDATE ON positions
    FOR EACH ROW EXECUTE FUNCTION set_updated_at();

CREATE TABLE transactions (
    id               uuid            PRIMARY KEY DEFAULT gen_random_uuid(),
    portfolio_id     uuid            NOT NULL REFERENCES portfolios (id) ON DELETE CASCADE,
    transaction_type text            NOT NULL,
    symbol           text,
    quantity         numeric(28, 10),
    price            numeric(24, 8),
    amount           numeric(24, 4)  NOT NULL,
    fees             numeric(24, 4)  NOT NULL DEFAULT 0,
    taxes            numeric(24, 4)  NOT NULL DEFAULT 0,
    currency         text            NOT NULL DEFAULT 'USD',
    fx_rate          numeric(20, 10) NOT NULL DEFAULT 1,
    external_id      text,
    notes            text,
    executed_at      timestamptz     NOT NULL,
    created_at       timestamptz     NOT NULL DEFAULT now(),
    CONSTRAINT transactions_external_id_key UNIQUE (external_id),
    CONSTRAINT transactions_type_known CHECK (transaction_type IN (
        'buy', 'sell', 'dividend', 'split', 'spin_off', 'deposit', 'withdrawal')),
    CONSTRAINT transactions_symbol_format CHECK (
        symbol ~ '^\^?[A-Z0-9]([A-Z0-9.=-]{0,18}[A-Z0-9])?$'),
    -- Trades and corporate actions concern an instrument; cash movements do not.
    CONSTRAINT transactions_symbol_matches_type CHECK (
        (transaction_type IN ('deposit', 'withdrawal')) = (symbol IS NULL)),
    CONSTRAINT transactions_trade_has_quantity_and_price CHECK (
        transaction_type NOT IN ('buy', 'sell')
        OR (quantity IS NOT NULL AND price IS NOT NULL)),
    CONSTRAINT transactions_quantity_positive CHECK (quantity > 0),
    CONSTRAINT transactions_price_non_negative CHECK (price >= 0),
    CONSTRAINT transactions_amount_non_negative CHECK (amount >= 0),
    CONSTRAINT transactions_fees_non_negative CHECK (fees >= 0),
    CONSTRAINT transactions_taxes_non_negative CHECK (taxes >= 0),
    CONSTRAINT transactions_currency_code CHECK (currency ~ '^[A-Z]{3}$'),
    CONSTRAINT transactions_fx_rate_positive CHECK (fx_rate > 0),
    CONSTRAINT transactions_external_id_length CHECK (length(external_id) BETWEEN 1 AND 100),
    CONSTRAINT transactions_notes_length CHECK (length(notes) <= 2000)
);

CREATE INDEX transactions_portfolio_executed_idx ON transactions (portfolio_id, executed_at DESC);
CREATE INDEX transactions_symbol_executed_idx ON transactions (symbol, executed_at DESC)
    WHERE symbol IS NOT NULL;
