-- Timestamps are stored as UTC ('YYYY-MM-DD HH:MM:SS[.f]', Diesel's Timestamp on SQLite).

CREATE TABLE settings (
    key TEXT PRIMARY KEY NOT NULL,
    value TEXT NOT NULL,
    updated_at TIMESTAMP NOT NULL
);

CREATE TABLE categories (
    id INTEGER PRIMARY KEY NOT NULL,
    name TEXT NOT NULL,
    slug TEXT NOT NULL UNIQUE
);

CREATE TABLE tags (
    id INTEGER PRIMARY KEY NOT NULL,
    name TEXT NOT NULL,
    slug TEXT NOT NULL UNIQUE
);

CREATE TABLE posts (
    id INTEGER PRIMARY KEY NOT NULL,
    slug TEXT NOT NULL UNIQUE,
    title TEXT NOT NULL,
    body_source TEXT NOT NULL,
    body_html TEXT NOT NULL,
    excerpt TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('draft', 'published')),
    category_id INTEGER REFERENCES categories (id) ON DELETE SET NULL,
    published_at TIMESTAMP NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX posts_status_published_at ON posts (status, published_at DESC);
CREATE INDEX posts_category ON posts (category_id);

CREATE TABLE post_tags (
    post_id INTEGER NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
    tag_id INTEGER NOT NULL REFERENCES tags (id) ON DELETE CASCADE,
    PRIMARY KEY (post_id, tag_id)
);
CREATE INDEX post_tags_tag ON post_tags (tag_id);

CREATE TABLE comments (
    id INTEGER PRIMARY KEY NOT NULL,
    post_id INTEGER NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
    parent_id INTEGER REFERENCES comments (id) ON DELETE SET NULL,
    status TEXT NOT NULL CHECK (status IN ('pending', 'approved', 'spam', 'trash')),
    author TEXT NOT NULL,
    email TEXT NOT NULL,
    url TEXT,
    ip TEXT,
    user_agent TEXT,
    body_source TEXT NOT NULL,
    body_html TEXT NOT NULL,
    -- Why the moderation policy chose the status, in words a moderator understands.
    reason TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX comments_post_status ON comments (post_id, status, created_at);
CREATE INDEX comments_status_created ON comments (status, created_at);
CREATE INDEX comments_email ON comments (email);
CREATE INDEX comments_parent ON comments (parent_id);
