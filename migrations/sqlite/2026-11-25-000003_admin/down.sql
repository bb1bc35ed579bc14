ALTER TABLE comments DROP COLUMN user_id;
ALTER TABLE comments DROP COLUMN previous_status;
DROP TABLE login_throttle;
DROP TABLE audit_log;
DROP TABLE api_tokens;
DROP TABLE users;
