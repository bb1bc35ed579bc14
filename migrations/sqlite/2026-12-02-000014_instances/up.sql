-- Several instances (or the command line beside a running server) on one database.

-- What each write changed that readers see, so every other instance's page cache drops the
-- same pages (polled; rows older than an hour are pruned).
CREATE TABLE cache_changes (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    instance TEXT NOT NULL,
    change TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);

-- One instance runs each periodic job per period: it takes the lease until the next run.
CREATE TABLE job_leases (
    name TEXT PRIMARY KEY NOT NULL,
    holder TEXT NOT NULL,
    until TIMESTAMP NOT NULL
);

-- Hits per client and fixed window, shared by every instance (the key is a keyed hash of the
-- address, never the address).
CREATE TABLE rate_limits (
    scope TEXT NOT NULL,
    key TEXT NOT NULL,
    window_start TIMESTAMP NOT NULL,
    hits INTEGER NOT NULL,
    PRIMARY KEY (scope, key, window_start)
);
CREATE INDEX rate_limits_window ON rate_limits (window_start);
