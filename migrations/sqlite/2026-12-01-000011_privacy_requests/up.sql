-- A reader's request for a self-service link. The mailed link carries a random id (signed,
-- with its expiry) and never the address; the id is stored only as its SHA-256, so the table
-- gives no working link. Once the link is used the address is cleared: the row then only
-- says "used". Rows go when they expire (the hourly purge) or when the address is erased.
CREATE TABLE privacy_requests (
    id INTEGER PRIMARY KEY NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    email TEXT,
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    used_at TIMESTAMP,
    CHECK ((used_at IS NULL) = (email IS NOT NULL))
);
CREATE INDEX privacy_requests_expires ON privacy_requests (expires_at);
CREATE INDEX privacy_requests_email ON privacy_requests (email) WHERE email IS NOT NULL;
