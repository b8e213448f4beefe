ALTER TABLE portfolio_performance DROP CONSTRAINT portfolio_performance_not_nan;
ALTER TABLE fundamental_data DROP CONSTRAINT fundamental_data_not_nan;
ALTER TABLE alerts DROP CONSTRAINT alerts_not_nan;
ALTER TABLE transactions DROP CONSTRAINT transactions_not_nan;
ALTER TABLE positions DROP CONSTRAINT positions_not_nan;
ALTER TABLE portfolios DROP CONSTRAINT portfolios_not_nan;
