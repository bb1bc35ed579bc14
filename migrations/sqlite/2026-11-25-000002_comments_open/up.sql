-- Per-article switch; comments also close by age (comments.close_after_days).
ALTER TABLE posts ADD COLUMN comments_open BOOLEAN NOT NULL DEFAULT 1 CHECK (comments_open IN (0, 1));
