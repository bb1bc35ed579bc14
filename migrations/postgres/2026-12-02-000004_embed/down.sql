DELETE FROM posts WHERE kind = 'thread';
DROP TABLE imported_comments;
DROP TABLE threads;
ALTER TABLE posts DROP CONSTRAINT posts_kind_check;
ALTER TABLE posts ADD CONSTRAINT posts_kind_check CHECK (kind IN ('article', 'page'));
