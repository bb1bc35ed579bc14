-- Admin sessions live here, not in the cookie: the cookie carries only a random token whose
-- SHA-256 is `token_hash`, so logout, a password change or "end this session" really ends it.
CREATE TABLE admin_sessions (
    id INTEGER PRIMARY KEY NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    -- The user's session_version at login: a password change ends the session even when a
    -- login that read the old password was still in flight.
    session_version INTEGER NOT NULL,
    csrf_token TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    last_seen_at TIMESTAMP NOT NULL,
    -- The client's network (IPv4 /24, IPv6 /48), never the full address.
    ip_network TEXT,
    user_agent TEXT
);
CREATE INDEX admin_sessions_user ON admin_sessions (user_id);
