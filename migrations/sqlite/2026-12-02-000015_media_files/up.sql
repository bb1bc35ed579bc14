-- Uploaded images' files kept in the database itself. PostgreSQL sites keep them here, so every
-- instance serves them without a shared filesystem; SQLite sites keep them under media.dir and
-- leave this table empty (`db copy` moves them between the two).
CREATE TABLE media_files (
    media_id INTEGER NOT NULL REFERENCES media (id) ON DELETE CASCADE,
    -- "full.jpg", "480.webp": the last part of the file's URL.
    name TEXT NOT NULL,
    -- Hex SHA-256 of data.
    sha256 TEXT NOT NULL,
    data BLOB NOT NULL,
    PRIMARY KEY (media_id, name)
);
