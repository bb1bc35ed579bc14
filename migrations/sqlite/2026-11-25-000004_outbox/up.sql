-- Mail to send. Rows are written in the same transaction as the comment that causes them and
-- rendered then (so a mail never depends on state that changes later).
CREATE TABLE outbox (
    id INTEGER PRIMARY KEY NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('held_comment', 'new_comment', 'reply_notice', 'published_notice', 'digest', 'test', 'privacy_link')),
    recipient TEXT NOT NULL,
    subject TEXT NOT NULL,
    body_text TEXT NOT NULL,
    body_html TEXT NOT NULL,
    -- Commenter mail: the URL for List-Unsubscribe.
    unsubscribe_url TEXT,
    -- Fixed at creation, so every retry is the same message.
    message_id TEXT NOT NULL UNIQUE,
    comment_id INTEGER REFERENCES comments (id) ON DELETE SET NULL,
    state TEXT NOT NULL CHECK (state IN ('pending', 'sending', 'sent', 'failed', 'cancelled')),
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TIMESTAMP NOT NULL,
    -- A worker owns a 'sending' row until then; after it, another may take it over.
    claimed_until TIMESTAMP,
    last_error TEXT,
    created_at TIMESTAMP NOT NULL,
    sent_at TIMESTAMP
);
CREATE INDEX outbox_due ON outbox (state, next_attempt_at);
CREATE INDEX outbox_recipient ON outbox (recipient);

-- A commenter's opt-ins: mail about replies, or one mail when the comment is published.
CREATE TABLE subscriptions (
    id INTEGER PRIMARY KEY NOT NULL,
    comment_id INTEGER NOT NULL REFERENCES comments (id) ON DELETE CASCADE,
    email TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('replies', 'published')),
    created_at TIMESTAMP NOT NULL,
    cancelled_at TIMESTAMP,
    UNIQUE (comment_id, kind)
);
CREATE INDEX subscriptions_email ON subscriptions (email);

-- Nonces of one-click links already used (each works once).
CREATE TABLE used_links (
    nonce TEXT PRIMARY KEY NOT NULL,
    used_at TIMESTAMP NOT NULL
);
