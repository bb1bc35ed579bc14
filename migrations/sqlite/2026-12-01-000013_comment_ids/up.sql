-- Comment ids are never used twice. Without AUTOINCREMENT SQLite hands the largest id out
-- again once its row is deleted (a reader deleting their own newest comment, a purge), and
-- the ids in a reader's signed cookies (their held comments, "Edit") and in mailed
-- unsubscribe links would then point at someone else's comment.
--
-- AUTOINCREMENT changes how new ids are picked, nothing stored, so the table keeps its rows,
-- indexes, triggers and foreign keys: the declaration is edited through writable_schema as in
-- 000010 (https://sqlite.org/lang_altertable.html, section 7). sqlite_sequence, which
-- AUTOINCREMENT needs, exists only once some table was created with it.
CREATE TABLE comment_ids_bootstrap (id INTEGER PRIMARY KEY AUTOINCREMENT);
DROP TABLE comment_ids_bootstrap;
INSERT INTO sqlite_sequence (name, seq) SELECT 'comments', coalesce(max(id), 0) FROM comments;
PRAGMA writable_schema = ON;
UPDATE sqlite_schema
   SET sql = replace(sql, 'id INTEGER PRIMARY KEY NOT NULL,', 'id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,')
 WHERE type = 'table' AND name = 'comments';
PRAGMA writable_schema = OFF;
-- Fails the migration if the declaration above was not found.
CREATE TEMP TABLE comment_ids_check (ok INTEGER NOT NULL CHECK (ok = 1));
INSERT INTO comment_ids_check
    SELECT instr(sql, 'id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,') > 0
      FROM sqlite_schema WHERE type = 'table' AND name = 'comments';
DROP TABLE comment_ids_check;
-- A change to the main schema bumps its version, so every other connection parses it anew.
CREATE TABLE comment_ids_bump (x INTEGER);
DROP TABLE comment_ids_bump;
