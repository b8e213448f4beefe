DROP TABLE audit_log;
DROP TABLE system_config;
DROP TABLE refresh_tokens;
DROP TABLE users;
