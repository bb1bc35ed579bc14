-- Not reversible in place: SQLite cannot drop the new columns that are foreign keys
-- (author_id, featured_media_id, avatar_media_id). Restore the backup taken before upgrading.
CREATE TEMP TABLE irreversible (reason TEXT NOT NULL CHECK (reason = 'restore a backup'));
INSERT INTO irreversible VALUES ('migration 2026-12-01-000010_blog cannot be undone: restore the backup taken before the upgrade');
