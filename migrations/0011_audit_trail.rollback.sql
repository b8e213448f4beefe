DROP TRIGGER transactions_audit ON transactions;
DROP TRIGGER positions_audit ON positions;
DROP TRIGGER portfolios_audit ON portfolios;
DROP TRIGGER users_audit ON users;
DROP FUNCTION audit_row_change();
