PRAGMA writable_schema = ON;
UPDATE sqlite_schema
   SET sql = replace(sql, 'id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,', 'id INTEGER PRIMARY KEY NOT NULL,')
 WHERE type = 'table' AND name = 'comments';
PRAGMA writable_schema = OFF;
DELETE FROM sqlite_sequence WHERE name = 'comments';
CREATE TABLE comment_ids_bump (x INTEGER);
DROP TABLE comment_ids_bump;
