DROP TABLE post_search;
DROP INDEX users_slug;
ALTER TABLE users DROP COLUMN avatar_media_id;
ALTER TABLE users DROP COLUMN bio;
ALTER TABLE users DROP COLUMN slug;
ALTER TABLE users DROP COLUMN display_name;
DROP INDEX posts_scheduled;
DROP INDEX posts_author_listing;
ALTER TABLE posts DROP COLUMN excerpt_source;
ALTER TABLE posts DROP COLUMN featured_media_id;
ALTER TABLE posts DROP COLUMN author_id;
ALTER TABLE posts DROP COLUMN trashed_at;
ALTER TABLE posts DROP COLUMN trashed_from;
DROP TABLE media;
UPDATE posts SET status = 'draft' WHERE status IN ('scheduled', 'trash');
PRAGMA writable_schema = ON;
UPDATE sqlite_schema
   SET sql = replace(sql, 'CHECK (status IN (''draft'', ''scheduled'', ''published'', ''trash''))',
                     'CHECK (status IN (''draft'', ''published''))')
 WHERE type = 'table' AND name = 'posts';
PRAGMA writable_schema = OFF;
