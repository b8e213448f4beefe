-- NUMERIC accepts NaN, and PostgreSQL sorts NaN above every number: NaN passes CHECK (x > 0)
-- and CHECK (x >= 0), so a NaN amount or quantity would slip past every rule of the earlier
-- migrations. These constraints refuse it in every NUMERIC column. (NUMERIC(p, s) already
-- refuses the infinities; the double precision columns refuse NaN with abs(x) < 'Infinity'.)
-- depends: 0011_audit_trail

ALTER TABLE portfolios ADD CONSTRAINT portfolios_not_nan CHECK (
    initial_cash <> 'NaN' AND cash_balance <> 'NaN');

ALTER TABLE positions ADD CONSTRAINT positions_not_nan CHECK (
    quantity <> 'NaN' AND average_price <> 'NaN');

ALTER TABLE transactions ADD CONSTRAINT transactions_not_nan CHECK (
    quantity <> 'NaN' AND price <> 'NaN' AND amount <> 'NaN' AND fees <> 'NaN'
    AND taxes <> 'NaN' AND fx_rate <> 'NaN');

ALTER TABLE alerts ADD CONSTRAINT alerts_not_nan CHECK (threshold_value <> 'NaN');

ALTER TABLE fundamental_data ADD CONSTRAINT fundamental_data_not_nan CHECK (
    market_cap <> 'NaN' AND enterprise_value <> 'NaN' AND revenue <> 'NaN'
    AND net_income <> 'NaN' AND pe_ratio <> 'NaN' AND forward_pe <> 'NaN'
    AND peg_ratio <> 'NaN' AND price_to_book <> 'NaN' AND price_to_sales <> 'NaN'
    AND ev_to_revenue <> 'NaN' AND ev_to_ebitda <> 'NaN' AND profit_margin <> 'NaN'
    AND operating_margin <> 'NaN' AND return_on_assets <> 'NaN'
    AND return_on_equity <> 'NaN' AND revenue_growth <> 'NaN'
    AND earnings_growth <> 'NaN' AND debt_to_equity <> 'NaN' AND current_ratio <> 'NaN'
    AND quick_ratio <> 'NaN' AND dividend_yield <> 'NaN' AND payout_ratio <> 'NaN'
    AND beta <> 'NaN');

ALTER TABLE portfolio_performance ADD CONSTRAINT portfolio_performance_not_nan CHECK (
    total_value <> 'NaN' AND cash_value <> 'NaN' AND invested_value <> 'NaN');
