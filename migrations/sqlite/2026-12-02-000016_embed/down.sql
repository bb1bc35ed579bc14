DELETE FROM posts WHERE kind = 'thread';
DROP TABLE imported_comments;
DROP TABLE threads;
PRAGMA writable_schema = ON;
UPDATE sqlite_schema
   SET sql = replace(sql, 'CHECK (kind IN (''article'', ''page'', ''thread''))',
                     'CHECK (kind IN (''article'', ''page''))')
 WHERE type = 'table' AND name = 'posts';
PRAGMA writable_schema = OFF;
