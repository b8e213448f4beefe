-- name: fundamentals_upsert :one
-- params: instrument_id, period_end, period_type, currency, market_cap, enterprise_value
-- params: revenue, net_income, shares_outstanding, float_shares, pe_ratio, forward_pe, peg_ratio
-- params: price_to_book, price_to_sales, ev_to_revenue, ev_to_ebitda, profit_margin
-- params: operating_margin, return_on_assets, return_on_equity, revenue_growth, earnings_growth
-- params: debt_to_equity, current_ratio, quick_ratio, dividend_yield, payout_ratio, beta
-- One row per (instrument, period type, period end): a restated period replaces the old figures.
INSERT INTO fundamental_data (
    instrument_id, period_end, period_type, currency, market_cap, enterprise_value, revenue,
    net_income, shares_outstanding, float_shares, pe_ratio, forward_pe, peg_ratio, price_to_book,
    price_to_sales, ev_to_revenue, ev_to_ebitda, profit_margin, operating_margin,
    return_on_assets, return_on_equity, revenue_growth, earnings_growth, debt_to_equity,
    current_ratio, quick_ratio, dividend_yield, payout_ratio, beta)
VALUES (
    :instrument_id, :period_end, :period_type, :currency, :market_cap, :enterprise_value,
    :revenue, :net_income, :shares_outstanding, :float_shares, :pe_ratio, :forward_pe,
    :peg_ratio, :price_to_book, :price_to_sales, :ev_to_revenue, :ev_to_ebitda, :profit_margin,
    :operating_margin, :return_on_assets, :return_on_equity, :revenue_growth, :earnings_growth,
    :debt_to_equity, :current_ratio, :quick_ratio, :dividend_yield, :payout_ratio, :beta)
ON CONFLICT (instrument_id, period_type, period_end) DO UPDATE
SET currency = EXCLUDED.currency, market_cap = EXCLUDED.market_cap,
    enterprise_value = EXCLUDED.enterprise_value, revenue = EXCLUDED.revenue,
    net_income = EXCLUDED.net_income, shares_outstanding = EXCLUDED.shares_outstanding,
    float_shares = EXCLUDED.float_shares, pe_ratio = EXCLUDED.pe_ratio,
    forward_pe = EXCLUDED.forward_pe, peg_ratio = EXCLUDED.peg_ratio,
    price_to_book = EXCLUDED.price_to_book, price_to_sales = EXCLUDED.price_to_sales,
    ev_to_revenue = EXCLUDED.ev_to_revenue, ev_to_ebitda = EXCLUDED.ev_to_ebitda,
    profit_margin = EXCLUDED.profit_margin, operating_margin = EXCLUDED.operating_margin,
    return_on_assets = EXCLUDED.return_on_assets, return_on_equity = EXCLUDED.return_on_equity,
    revenue_growth = EXCLUDED.revenue_growth, earnings_growth = EXCLUDED.earnings_growth,
    debt_to_equity = EXCLUDED.debt_to_equity, current_ratio = EXCLUDED.current_ratio,
    quick_ratio = EXCLUDED.quick_ratio, dividend_yield = EXCLUDED.dividend_yield,
    payout_ratio = EXCLUDED.payout_ratio, beta = EXCLUDED.beta
RETURNING id, instrument_id, period_end, period_type, currency, market_cap, enterprise_value,
          revenue, net_income, shares_outstanding, float_shares, pe_ratio, forward_pe, peg_ratio,
          price_to_book, price_to_sales, ev_to_revenue, ev_to_ebitda, profit_margin,
          operating_margin, return_on_assets, return_on_equity, revenue_growth, earnings_growth,
          debt_to_equity, current_ratio, quick_ratio, dividend_yield, payout_ratio, beta,
          created_at, updated_at;

-- name: fundamentals_find_latest :one
-- params: instrument_id, period_type
-- The most recent period: one backward probe of the (instrument, type, period end) key.
SELECT id, instrument_id, period_end, period_type, currency, market_cap, enterprise_value,
       revenue, net_income, shares_outstanding, float_shares, pe_ratio, forward_pe, peg_ratio,
       price_to_book, price_to_sales, ev_to_revenue, ev_to_ebitda, profit_margin,
       operating_margin, return_on_assets, return_on_equity, revenue_growth, earnings_growth,
       debt_to_equity, current_ratio, quick_ratio, dividend_yield, payout_ratio, beta,
       created_at, updated_at
FROM fundamental_data
WHERE instrument_id = :instrument_id AND period_type = :period_type
ORDER BY period_end DESC
LIMIT 1;

-- name: fundamentals_list_for_instrument :many
-- params: instrument_id, start, end
-- Every period of an instrument with start <= period_end <= end (NULL: unbounded), oldest first.
SELECT id, instrument_id, period_end, period_type, currency, market_cap, enterprise_value,
       revenue, net_income, shares_outstanding, float_shares, pe_ratio, forward_pe, peg_ratio,
       price_to_book, price_to_sales, ev_to_revenue, ev_to_ebitda, profit_margin,
       operating_margin, return_on_assets, return_on_equity, revenue_growth, earnings_growth,
       debt_to_equity, current_ratio, quick_ratio, dividend_yield, payout_ratio, beta,
       created_at, updated_at
FROM fundamental_data
WHERE instrument_id = :instrument_id
  AND (:start::date IS NULL OR period_end >= :start)
  AND (:end::date IS NULL OR period_end <= :end)
ORDER BY period_end, period_type;
