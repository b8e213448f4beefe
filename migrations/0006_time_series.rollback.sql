DROP TABLE portfolio_performance;
DROP TABLE signals;
DROP TABLE technical_indicators;
DROP TABLE market_data;
