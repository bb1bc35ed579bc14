-- The blog around the comments (issue 17): scheduled and trashed posts, authors, media,
-- featured images, hand-written excerpts and public search.

CREATE TABLE media (
    id INTEGER PRIMARY KEY NOT NULL,
    -- Random, names the directory under media.dir: never the uploaded file name.
    file_key TEXT NOT NULL UNIQUE,
    original_name TEXT NOT NULL,
    format TEXT NOT NULL CHECK (format IN ('jpeg', 'png', 'gif', 'webp')),
    width INTEGER NOT NULL,
    height INTEGER NOT NULL,
    bytes INTEGER NOT NULL,
    -- JSON array of the resized widths written beside the full size, e.g. [480, 960].
    variants TEXT NOT NULL,
    alt_text TEXT NOT NULL DEFAULT '',
    uploaded_by INTEGER REFERENCES users (id) ON DELETE SET NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX media_created ON media (created_at DESC, id DESC);

-- The status a trashed post had (restore puts it back), and when it went.
ALTER TABLE posts ADD COLUMN trashed_from TEXT CHECK (trashed_from IN ('draft', 'scheduled', 'published'));
ALTER TABLE posts ADD COLUMN trashed_at TIMESTAMP;
ALTER TABLE posts ADD COLUMN author_id INTEGER REFERENCES users (id) ON DELETE SET NULL;
ALTER TABLE posts ADD COLUMN featured_media_id INTEGER REFERENCES media (id) ON DELETE SET NULL;
-- The excerpt as written by hand; empty: made from the body.
ALTER TABLE posts ADD COLUMN excerpt_source TEXT NOT NULL DEFAULT '';
CREATE INDEX posts_author_listing ON posts (author_id, kind, status, published_at DESC, id DESC);
CREATE INDEX posts_scheduled ON posts (published_at) WHERE status = 'scheduled';

ALTER TABLE users ADD COLUMN display_name TEXT NOT NULL DEFAULT '';
-- /author/{slug}; set from the username when the profile is first saved.
ALTER TABLE users ADD COLUMN slug TEXT;
ALTER TABLE users ADD COLUMN bio TEXT NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN avatar_media_id INTEGER REFERENCES media (id) ON DELETE SET NULL;
CREATE UNIQUE INDEX users_slug ON users (slug) WHERE slug IS NOT NULL;

-- Published posts' titles and text (tags stripped), kept by db::posts on every write; rowid
-- is the post id. Filled at start when empty (db::search::ensure_index).
CREATE VIRTUAL TABLE post_search USING fts5 (title, body, tokenize = 'unicode61 remove_diacritics 2');

-- Post statuses gain 'scheduled' (published when its date comes) and 'trash'. SQLite cannot
-- alter a CHECK; widening one changes nothing stored, which is the case the SQLite manual
-- allows through writable_schema (https://sqlite.org/lang_altertable.html, section 7) instead
-- of rebuilding a table that eleven triggers and five foreign keys point at. Last in this
-- file: ALTER TABLE reads the connection's parsed schema, stale after this edit (and
-- db::migrations runs each migration on a fresh connection for the same reason).
PRAGMA writable_schema = ON;
UPDATE sqlite_schema
   SET sql = replace(sql, 'CHECK (status IN (''draft'', ''published''))',
                     'CHECK (status IN (''draft'', ''scheduled'', ''published'', ''trash''))')
 WHERE type = 'table' AND name = 'posts';
PRAGMA writable_schema = OFF;
-- Fails the migration if the text above was not found (the new CHECK is there, the old gone).
CREATE TEMP TABLE blog_migration_check (ok INTEGER NOT NULL CHECK (ok = 1));
INSERT INTO blog_migration_check
    SELECT instr(sql, 'CHECK (status IN (''draft'', ''scheduled'', ''published'', ''trash''))') > 0
       AND instr(sql, 'CHECK (status IN (''draft'', ''published''))') = 0
      FROM sqlite_schema WHERE type = 'table' AND name = 'posts';
DROP TABLE blog_migration_check;
-- A change to the main schema bumps its version, so every other connection parses it anew.
CREATE TABLE blog_migration_bump (x INTEGER);
DROP TABLE blog_migration_bump;
