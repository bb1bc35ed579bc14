DROP INDEX comments_created;
ALTER TABLE comments DROP COLUMN ip_truncated_at;
