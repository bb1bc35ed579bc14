CREATE TABLE users (
    id INTEGER PRIMARY KEY NOT NULL,
    username TEXT NOT NULL UNIQUE,
    email TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('admin', 'moderator')),
    password_hash TEXT NOT NULL,
    -- Bumped on password change: sessions carry it and die when it no longer matches.
    session_version INTEGER NOT NULL DEFAULT 1,
    created_at TIMESTAMP NOT NULL,
    last_login_at TIMESTAMP
);

CREATE TABLE api_tokens (
    id INTEGER PRIMARY KEY NOT NULL,
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    label TEXT NOT NULL,
    -- SHA-256 of the token; the token itself is shown once and never stored.
    token_hash TEXT NOT NULL UNIQUE,
    created_at TIMESTAMP NOT NULL,
    last_used_at TIMESTAMP,
    revoked_at TIMESTAMP
);

CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY NOT NULL,
    -- Username, or `cli` / `system`; kept even when the user is removed.
    actor TEXT NOT NULL,
    user_id INTEGER REFERENCES users (id) ON DELETE SET NULL,
    action TEXT NOT NULL,
    -- No foreign key: the log outlives deleted comments.
    comment_id INTEGER,
    from_status TEXT,
    to_status TEXT,
    detail TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX audit_log_created ON audit_log (created_at DESC, id DESC);

CREATE TABLE login_throttle (
    key TEXT PRIMARY KEY NOT NULL,
    failures INTEGER NOT NULL,
    locked_until TIMESTAMP,
    updated_at TIMESTAMP NOT NULL
);

ALTER TABLE comments ADD COLUMN previous_status TEXT
    CHECK (previous_status IN ('pending', 'approved', 'spam', 'trash'));
ALTER TABLE comments ADD COLUMN user_id INTEGER REFERENCES users (id) ON DELETE SET NULL;
