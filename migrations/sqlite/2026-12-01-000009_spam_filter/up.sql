-- The learned spam filter: token counts trained by moderators' decisions, the number of
-- decisions of each kind, and the filter's record. Each comment remembers what it was
-- trained as, so a changed mind untrains exactly that.

CREATE TABLE spam_tokens (
    token TEXT PRIMARY KEY NOT NULL,
    spam BIGINT NOT NULL DEFAULT 0 CHECK (spam >= 0),
    ham BIGINT NOT NULL DEFAULT 0 CHECK (ham >= 0),
    -- Last trained: rare tokens are pruned oldest first.
    trained_at TIMESTAMP NOT NULL
) WITHOUT ROWID;

CREATE TABLE spam_filter (
    id INTEGER PRIMARY KEY NOT NULL CHECK (id = 1),
    spam_docs BIGINT NOT NULL DEFAULT 0 CHECK (spam_docs >= 0),
    ham_docs BIGINT NOT NULL DEFAULT 0 CHECK (ham_docs >= 0),
    marked_spam BIGINT NOT NULL DEFAULT 0,
    reversed BIGINT NOT NULL DEFAULT 0,
    held BIGINT NOT NULL DEFAULT 0
);
INSERT INTO spam_filter (id) VALUES (1);

ALTER TABLE comments ADD COLUMN trained_as TEXT CHECK (trained_as IN ('spam', 'ham'));
-- What the filter decided when the comment came in.
ALTER TABLE comments ADD COLUMN filter_verdict TEXT CHECK (filter_verdict IN ('spam', 'held'));
