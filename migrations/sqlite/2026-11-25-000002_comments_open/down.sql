ALTER TABLE posts DROP COLUMN comments_open;
