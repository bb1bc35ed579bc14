-- Comments for other sites (issue 20): a thread is a post of kind 'thread' keyed by the
-- canonical URL of a page on an allowed site (embed.sites), so the queue, mails, feeds, privacy
-- tools and the WXR export treat it like an article.
CREATE TABLE threads (
    post_id INTEGER PRIMARY KEY NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
    -- The embed site's name (embed.sites), shown beside the thread's title.
    site TEXT NOT NULL,
    -- Normalized: no fragment, only the site's kept query keys.
    url TEXT NOT NULL UNIQUE,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX threads_site ON threads (site, created_at);

-- Comments brought over from Disqus, Isso, Remark42 or Commento: a re-import finds them here
-- (their ids are text in some of those formats).
CREATE TABLE imported_comments (
    source TEXT NOT NULL,
    external_id TEXT NOT NULL,
    comment_id INTEGER REFERENCES comments (id) ON DELETE SET NULL,
    PRIMARY KEY (source, external_id)
);

-- Post kinds gain 'thread'. Widened through writable_schema as 000010 widened the statuses
-- (nothing stored changes); last in the file for the same reason.
PRAGMA writable_schema = ON;
UPDATE sqlite_schema
   SET sql = replace(sql, 'CHECK (kind IN (''article'', ''page''))',
                     'CHECK (kind IN (''article'', ''page'', ''thread''))')
 WHERE type = 'table' AND name = 'posts';
PRAGMA writable_schema = OFF;
CREATE TEMP TABLE embed_migration_check (ok INTEGER NOT NULL CHECK (ok = 1));
INSERT INTO embed_migration_check
    SELECT instr(sql, 'CHECK (kind IN (''article'', ''page'', ''thread''))') > 0
      FROM sqlite_schema WHERE type = 'table' AND name = 'posts';
DROP TABLE embed_migration_check;
