-- When the IP was cut to its network (IPv4 /24, IPv6 /48) and the user agent dropped
-- (privacy.ip_retention_days).
ALTER TABLE comments ADD COLUMN ip_truncated_at TIMESTAMP;
CREATE INDEX comments_created ON comments (created_at);
