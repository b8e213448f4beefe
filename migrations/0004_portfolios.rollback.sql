DROP TABLE transactions;
DROP TABLE positions;
DROP TABLE portfolios;
