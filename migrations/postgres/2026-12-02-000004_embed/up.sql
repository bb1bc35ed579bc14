-- Comments for other sites (see the SQLite migration 2026-12-02-000016).
CREATE TABLE threads (
    post_id integer PRIMARY KEY REFERENCES posts (id) ON DELETE CASCADE,
    site text NOT NULL,
    url text NOT NULL UNIQUE,
    created_at timestamptz NOT NULL
);
CREATE INDEX threads_site ON threads (site, created_at);

CREATE TABLE imported_comments (
    source text NOT NULL,
    external_id text NOT NULL,
    comment_id integer REFERENCES comments (id) ON DELETE SET NULL,
    PRIMARY KEY (source, external_id)
);

ALTER TABLE posts DROP CONSTRAINT posts_kind_check;
ALTER TABLE posts ADD CONSTRAINT posts_kind_check CHECK (kind IN ('article', 'page', 'thread'));
