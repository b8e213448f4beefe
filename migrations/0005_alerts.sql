-- Price, volume, signal and portfolio alerts, and the notifications sent to users.
-- depends: 0004_portfolios

CREATE TABLE alerts (
    id                    uuid           PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id               uuid           NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    portfolio_id          uuid           REFERENCES portfolios (id) ON DELETE CASCADE,
    symbol                text,
    alert_type            text           NOT NULL,
    condition_type        text           NOT NULL,
    threshold_value       numeric(24, 8),
    title                 text           NOT NULL,
    message               text,
    notification_channels text[]         NOT NULL DEFAULT ARRAY['in_app'],
    is_active             boolean        NOT NULL DEFAULT true,
    is_triggered          boolean        NOT NULL DEFAULT false,
    trigger_count         integer        NOT NULL DEFAULT 0,
    last_triggered_at     timestamptz,
    expires_at            timestamptz,
    created_at            timestamptz    NOT NULL DEFAULT now(),
    updated_at            timestamptz    NOT NULL DEFAULT now(),
    CONSTRAINT alerts_symbol_format CHECK (
        symbol ~ '^\^?[A-Z0-9]([A-Z0-9.=-]{0,18}[A-Z0-9])?$'),
    CONSTRAINT alerts_type_known CHECK (alert_type IN ('price', 'volume', 'signal', 'portfolio')),
    CONSTRAINT alerts_condition_known CHECK (
        condition_type IN ('above', 'below', 'equals', 'change_pct')),
    -- Market alerts watch a symbol; portfolio alerts watch a portfolio.
    CONSTRAINT alerts_target_matches_type CHECK (
        (alert_type = 'portfolio' AND portfolio_id IS NOT NULL)
        OR (alert_type <> 'portfolio' AND symbol IS NOT NULL)),
    CONSTRAINT alerts_title_length CHECK (length(title) BETWEEN 1 AND 200),
    CONSTRAINT alerts_message_length CHECK (length(message) <= 2000),
    CONSTRAINT alerts_channels_known CHECK (
        notification_channels <@ ARRAY['email', 'push', 'sms', 'in_app']),
    CONSTRAINT alerts_trigger_count_non_negative CHECK (trigger_count >= 0),
    CONSTRAINT alerts_triggered_has_time CHECK (NOT is_triggered OR last_triggered_at IS NOT NULL)
);

CREATE INDEX alerts_user_idx ON alerts (user_id);
CREATE INDEX alerts_active_symbol_idx ON alerts (symbol) WHERE is_active AND symbol IS NOT NULL;

CREATE TRIGGER alerts_set_updated_at BEFORE UPDATE ON alerts
    FOR EACH ROW EXECUTE FUNCTION set_updated_at();

CREATE TABLE notifications (
    id                uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id           uuid        NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    alert_id          uuid        REFERENCES alerts (id) ON DELETE SET NULL,
    notification_type text        NOT NULL,
    title             text        NOT NULL,
    message           text        NOT NULL,
    data              jsonb       NOT NULL DEFAULT '{}',
    channels          text[]      NOT NULL DEFAULT ARRAY['in_app'],
    is_read           boolean     NOT NULL DEFAULT false,
    read_at           timestamptz,
    sent_at           timestamptz,
    created_at        timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT notifications_type_known CHECK (
        notification_type IN ('alert', 'signal', 'system', 'marketing')),
    CONSTRAINT notifications_title_length CHECK (length(title) BETWEEN 1 AND 200),
    CONSTRAINT notifications_message_length CHECK (length(message) BETWEEN 1 AND 5000),
    CONSTRAINT notifications_channels_known CHECK (channels <@ ARRAY['email', 'push', 'sms', 'in_app']),
    CONSTRAINT notifications_read_has_time CHECK (is_read = (read_at IS NOT NULL))
);

CREATE INDEX notifications_user_created_idx ON notifications (user_id, created_at DESC);
CREATE INDEX notifications_unread_idx ON notifications (user_id, created_at DESC) WHERE NOT is_read;
