-- WordPress import: pages beside articles, HTML bodies beside Markdown, pingbacks beside
-- comments, the WordPress ids behind every imported row, and redirects for the old links.

ALTER TABLE posts ADD COLUMN kind TEXT NOT NULL DEFAULT 'article' CHECK (kind IN ('article', 'page'));
-- The editor and the renderer must know what the source is: Markdown we write, HTML we import.
ALTER TABLE posts ADD COLUMN body_format TEXT NOT NULL DEFAULT 'markdown'
    CHECK (body_format IN ('markdown', 'html'));
ALTER TABLE posts ADD COLUMN author_name TEXT;
ALTER TABLE posts ADD COLUMN menu_order INTEGER NOT NULL DEFAULT 0;
-- Pages listed in the header (a WordPress child page is not, by default).
ALTER TABLE posts ADD COLUMN in_navigation BOOLEAN NOT NULL DEFAULT 1;
DROP INDEX posts_status_published_at;
CREATE INDEX posts_kind_status_published_at ON posts (kind, status, published_at DESC);

ALTER TABLE comments ADD COLUMN kind TEXT NOT NULL DEFAULT 'comment'
    CHECK (kind IN ('comment', 'pingback', 'trackback'));
-- 'text' is what readers type (rendered by our comment rules); 'html' came from WordPress.
ALTER TABLE comments ADD COLUMN body_format TEXT NOT NULL DEFAULT 'text' CHECK (body_format IN ('text', 'html'));

-- The WordPress ids behind imported rows, so a second import of the same export updates
-- instead of duplicating. `site` is the export's site address without scheme or `www.`.
-- The local id becomes NULL when the row is deleted here: the import then knows it was
-- imported before (a purged spam comment is not brought back) and ids are never confused.
CREATE TABLE wordpress_posts (
    site TEXT NOT NULL,
    wp_id INTEGER NOT NULL,
    post_id INTEGER REFERENCES posts (id) ON DELETE SET NULL,
    -- The post's updated_at when an import last wrote it: a later one means it was edited here.
    synced_at TIMESTAMP,
    PRIMARY KEY (site, wp_id)
);
CREATE INDEX wordpress_posts_post ON wordpress_posts (post_id);

CREATE TABLE wordpress_comments (
    site TEXT NOT NULL,
    wp_id INTEGER NOT NULL,
    comment_id INTEGER REFERENCES comments (id) ON DELETE SET NULL,
    PRIMARY KEY (site, wp_id)
);
CREATE INDEX wordpress_comments_comment ON wordpress_comments (comment_id);

-- Old permalinks. `from_path` is the path (and query, for ?p=N) as a browser asks for it,
-- without a trailing slash. A redirect points at a post (so a later slug change follows)
-- or at a fixed path (archives, feeds).
CREATE TABLE redirects (
    from_path TEXT PRIMARY KEY NOT NULL,
    post_id INTEGER REFERENCES posts (id) ON DELETE CASCADE,
    to_path TEXT,
    created_at TIMESTAMP NOT NULL,
    CHECK ((post_id IS NULL) <> (to_path IS NULL))
);
CREATE INDEX redirects_post ON redirects (post_id);

-- Each import run, and what it wrote, recorded in the same transactions as the writes: if the
-- process dies half-way, the next import (or the next start of the server) undoes the run.
CREATE TABLE import_runs (
    id INTEGER PRIMARY KEY NOT NULL,
    site TEXT NOT NULL,
    file_name TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('running', 'done', 'failed', 'undone')),
    started_at TIMESTAMP NOT NULL,
    -- Refreshed by every batch: a running import whose heartbeat is old has died.
    heartbeat_at TIMESTAMP NOT NULL,
    finished_at TIMESTAMP
);

CREATE TABLE import_undo (
    id INTEGER PRIMARY KEY NOT NULL,
    run_id INTEGER NOT NULL REFERENCES import_runs (id) ON DELETE CASCADE,
    kind TEXT NOT NULL CHECK (kind IN (
        'post_created', 'post_updated', 'comment_created', 'category_created', 'tag_created',
        'mapped_post', 'mapped_comment', 'redirect')),
    -- The row concerned: a local id, a WordPress id (mapped_*), or NULL for a redirect.
    ref_id INTEGER,
    -- A redirect's from_path, or the JSON of a post as it was before the run updated it.
    detail TEXT
);
CREATE INDEX import_undo_run ON import_undo (run_id, id);
