-- Uploaded images' files, kept in the database so every instance serves them without a shared
-- filesystem (see the SQLite migration 2026-12-02-000015).
CREATE TABLE media_files (
    media_id integer NOT NULL REFERENCES media (id) ON DELETE CASCADE,
    name text NOT NULL,
    sha256 text NOT NULL,
    data bytea NOT NULL,
    PRIMARY KEY (media_id, name)
);
