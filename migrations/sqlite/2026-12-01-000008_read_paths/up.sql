-- Read paths that do not grow with the site: counts kept on the post row, listing indexes
-- that serve ORDER BY ... LIMIT directly (tag archives through columns copied onto
-- post_tags), and "Related Articles" stored when a post is written instead of per view.
-- Triggers keep the copies exact whatever writes the rows (the app, an import, a script).

-- Approved comments, and approved top-level comments (the threads comment pages count).
ALTER TABLE posts ADD COLUMN approved_comments INTEGER NOT NULL DEFAULT 0;
ALTER TABLE posts ADD COLUMN approved_threads INTEGER NOT NULL DEFAULT 0;
UPDATE posts SET
    approved_comments = (SELECT COUNT(*) FROM comments c
        WHERE c.post_id = posts.id AND c.kind = 'comment' AND c.status = 'approved'),
    approved_threads = (SELECT COUNT(*) FROM comments c
        WHERE c.post_id = posts.id AND c.kind = 'comment' AND c.status = 'approved' AND c.parent_id IS NULL);

CREATE TRIGGER comments_count_insert AFTER INSERT ON comments
WHEN NEW.kind = 'comment' AND NEW.status = 'approved'
BEGIN
    UPDATE posts SET approved_comments = approved_comments + 1,
        approved_threads = approved_threads + (NEW.parent_id IS NULL)
    WHERE id = NEW.post_id;
END;

CREATE TRIGGER comments_count_delete AFTER DELETE ON comments
WHEN OLD.kind = 'comment' AND OLD.status = 'approved'
BEGIN
    UPDATE posts SET approved_comments = approved_comments - 1,
        approved_threads = approved_threads - (OLD.parent_id IS NULL)
    WHERE id = OLD.post_id;
END;

CREATE TRIGGER comments_count_update AFTER UPDATE OF status, kind, post_id, parent_id ON comments
WHEN (OLD.kind = 'comment' AND OLD.status = 'approved') OR (NEW.kind = 'comment' AND NEW.status = 'approved')
BEGIN
    UPDATE posts SET approved_comments = approved_comments - 1,
        approved_threads = approved_threads - (OLD.parent_id IS NULL)
    WHERE id = OLD.post_id AND OLD.kind = 'comment' AND OLD.status = 'approved';
    UPDATE posts SET approved_comments = approved_comments + 1,
        approved_threads = approved_threads + (NEW.parent_id IS NULL)
    WHERE id = NEW.post_id AND NEW.kind = 'comment' AND NEW.status = 'approved';
END;

-- The duplicate check ("you've already said that") finds the same text on the post through
-- its length and last 32 characters, instead of reading every comment of a busy post.
CREATE INDEX comments_duplicates ON comments (post_id, length(body_source), substr(body_source, -32));

-- Pingbacks and trackbacks of a post, without reading its thousands of comments.
CREATE INDEX comments_mentions ON comments (post_id, status, created_at) WHERE kind <> 'comment';

-- Threads of a post in time order, and their replies.
CREATE INDEX comments_threads ON comments (post_id, kind, status, parent_id, created_at, id);

-- Listings: newest first with the id as tie-break, straight from the index.
-- The listing index also covers the sitemap (slug, updated_at): a post's row holds its body
-- before those columns, so reading them from the table means reading the body's pages.
DROP INDEX posts_kind_status_published_at;
CREATE INDEX posts_listing ON posts (kind, status, published_at DESC, id DESC, slug, updated_at);
-- What ranking related articles reads of a candidate, without its row (see above).
CREATE INDEX posts_rank ON posts (id, kind, status, category_id, published_at);
DROP INDEX posts_category;
CREATE INDEX posts_category_listing ON posts (category_id, kind, status, published_at DESC, id DESC);

-- Tag archives: whether the post is listed (a published article) and its date, copied here.
ALTER TABLE post_tags ADD COLUMN listed BOOLEAN NOT NULL DEFAULT 0 CHECK (listed IN (0, 1));
ALTER TABLE post_tags ADD COLUMN published_at TIMESTAMP;
UPDATE post_tags SET
    listed = (SELECT p.kind = 'article' AND p.status = 'published' FROM posts p WHERE p.id = post_tags.post_id),
    published_at = (SELECT p.published_at FROM posts p WHERE p.id = post_tags.post_id);
CREATE INDEX post_tags_listing ON post_tags (tag_id, listed, published_at DESC, post_id DESC);

CREATE TRIGGER post_tags_copy_insert AFTER INSERT ON post_tags
BEGIN
    UPDATE post_tags SET
        listed = (SELECT p.kind = 'article' AND p.status = 'published' FROM posts p WHERE p.id = NEW.post_id),
        published_at = (SELECT p.published_at FROM posts p WHERE p.id = NEW.post_id)
    WHERE post_id = NEW.post_id AND tag_id = NEW.tag_id;
END;

CREATE TRIGGER post_tags_copy_update AFTER UPDATE OF kind, status, published_at ON posts
BEGIN
    UPDATE post_tags SET listed = (NEW.kind = 'article' AND NEW.status = 'published'),
        published_at = NEW.published_at
    WHERE post_id = NEW.id;
END;

-- "Related Articles": up to three per post, best first, with what ranked them (so a later
-- write can tell whether it beats them without recomputing).
CREATE TABLE related_posts (
    post_id INTEGER NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
    rank INTEGER NOT NULL,
    related_id INTEGER NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
    score INTEGER NOT NULL,
    published_at TIMESTAMP NOT NULL,
    PRIMARY KEY (post_id, rank)
);
CREATE INDEX related_posts_related ON related_posts (related_id);

-- How many posts each listing has ('all', 'category:ID', 'tag:ID'): pagination without
-- counting thousands of index entries per view. Kept by triggers, like the copies above.
CREATE TABLE listing_counts (
    listing TEXT PRIMARY KEY NOT NULL,
    posts INTEGER NOT NULL DEFAULT 0
);
INSERT INTO listing_counts (listing, posts)
    SELECT 'all', COUNT(*) FROM posts WHERE kind = 'article' AND status = 'published';
INSERT INTO listing_counts (listing, posts)
    SELECT 'category:' || category_id, COUNT(*) FROM posts
    WHERE kind = 'article' AND status = 'published' AND category_id IS NOT NULL GROUP BY category_id;
INSERT INTO listing_counts (listing, posts)
    SELECT 'tag:' || tag_id, COUNT(*) FROM post_tags WHERE listed = 1 GROUP BY tag_id;

CREATE TRIGGER listing_counts_post_insert AFTER INSERT ON posts
WHEN NEW.kind = 'article' AND NEW.status = 'published'
BEGIN
    INSERT INTO listing_counts (listing, posts) VALUES ('all', 1)
        ON CONFLICT (listing) DO UPDATE SET posts = posts + 1;
    INSERT INTO listing_counts (listing, posts) SELECT 'category:' || NEW.category_id, 1
        WHERE NEW.category_id IS NOT NULL ON CONFLICT (listing) DO UPDATE SET posts = posts + 1;
END;

CREATE TRIGGER listing_counts_post_delete AFTER DELETE ON posts
WHEN OLD.kind = 'article' AND OLD.status = 'published'
BEGIN
    UPDATE listing_counts SET posts = posts - 1 WHERE listing IN ('all', 'category:' || OLD.category_id);
END;

CREATE TRIGGER listing_counts_post_update AFTER UPDATE OF kind, status, category_id ON posts
WHEN (OLD.kind = 'article' AND OLD.status = 'published') OR (NEW.kind = 'article' AND NEW.status = 'published')
BEGIN
    UPDATE listing_counts SET posts = posts - 1
        WHERE OLD.kind = 'article' AND OLD.status = 'published'
        AND listing IN ('all', 'category:' || OLD.category_id);
    INSERT INTO listing_counts (listing, posts) SELECT 'all', 1
        WHERE NEW.kind = 'article' AND NEW.status = 'published'
        ON CONFLICT (listing) DO UPDATE SET posts = posts + 1;
    INSERT INTO listing_counts (listing, posts) SELECT 'category:' || NEW.category_id, 1
        WHERE NEW.kind = 'article' AND NEW.status = 'published' AND NEW.category_id IS NOT NULL
        ON CONFLICT (listing) DO UPDATE SET posts = posts + 1;
END;

-- post_tags.listed is set by the copy triggers above, which fire this one.
CREATE TRIGGER listing_counts_tag_listed AFTER UPDATE OF listed ON post_tags
WHEN OLD.listed <> NEW.listed
BEGIN
    INSERT INTO listing_counts (listing, posts) SELECT 'tag:' || NEW.tag_id, CASE WHEN NEW.listed THEN 1 ELSE -1 END
        WHERE 1 ON CONFLICT (listing) DO UPDATE SET posts = posts + (CASE WHEN NEW.listed THEN 1 ELSE -1 END);
END;

CREATE TRIGGER listing_counts_tag_delete AFTER DELETE ON post_tags
WHEN OLD.listed = 1
BEGIN
    UPDATE listing_counts SET posts = posts - 1 WHERE listing = 'tag:' || OLD.tag_id;
END;

-- IP retention looks for comments not yet truncated: through this index the hourly pass
-- reads only those (it scanned every comment once they were all done).
CREATE INDEX comments_ip_untruncated ON comments (created_at) WHERE ip_truncated_at IS NULL;
