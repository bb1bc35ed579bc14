#!/usr/bin/env python3
"""Picks the pages bench/run.sh measures on the big (imported) site, from its SQLite file.

    pick_pages.py DB [--per-page 10] [--want-comments 30]

Prints `key<TAB>value` lines:
  article_slug, article_comments   the published article whose approved comments are nearest
                                   --want-comments (ties: the lowest id)
  hot_slug, hot_comments           the published article with the most approved comments
  tag_slug, tag_posts, tag_last_page            the tag on the most published articles
  category_slug, category_posts, category_last_page   the same for categories
  front_last_page                  the last page of the front page listing
  articles, pages, approved_comments, replies, top_tag_share   dataset figures
"Comments" are rows of kind 'comment' with status 'approved' (pingbacks not counted).
Exits 1 when the database has no published article, tag or category.
"""

from __future__ import annotations

import argparse
import sqlite3
import sys

PUBLISHED = "p.status = 'published' AND p.kind = 'article'"


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("db")
    parser.add_argument("--per-page", type=int, default=10)
    parser.add_argument("--want-comments", type=int, default=30)
    args = parser.parse_args()
    db = sqlite3.connect(f"file:{args.db}?mode=ro", uri=True)
    one = lambda sql, *params: db.execute(sql, params).fetchone()  # noqa: E731

    articles = one(f"SELECT count(*) FROM posts p WHERE {PUBLISHED}")[0]
    if not articles:
        print("pick_pages: no published article in the database", file=sys.stderr)
        return 1
    counts = f"""
        SELECT p.id, p.slug, count(c.id) AS n FROM posts p
        LEFT JOIN comments c ON c.post_id = p.id AND c.status = 'approved' AND c.kind = 'comment'
        WHERE {PUBLISHED} GROUP BY p.id"""
    article = one(f"SELECT slug, n FROM ({counts}) ORDER BY abs(n - ?), id LIMIT 1", args.want_comments)
    hot = one(f"SELECT slug, n FROM ({counts}) ORDER BY n DESC, id LIMIT 1")
    tag = one(f"""
        SELECT t.slug, count(*) AS n FROM post_tags pt JOIN tags t ON t.id = pt.tag_id
        JOIN posts p ON p.id = pt.post_id WHERE {PUBLISHED}
        GROUP BY t.id ORDER BY n DESC, t.id LIMIT 1""")
    category = one(f"""
        SELECT k.slug, count(*) AS n FROM posts p JOIN categories k ON k.id = p.category_id
        WHERE {PUBLISHED} GROUP BY k.id ORDER BY n DESC, k.id LIMIT 1""")
    if tag is None or category is None:
        print("pick_pages: no tag or no category on a published article", file=sys.stderr)
        return 1
    approved, replies = one(
        "SELECT count(*), count(parent_id) FROM comments WHERE status = 'approved' AND kind = 'comment'")
    pages = one("SELECT count(*) FROM posts p WHERE p.status = 'published' AND p.kind = 'page'")[0]
    last = lambda n: max(1, -(-n // args.per_page))  # noqa: E731
    out = {
        "article_slug": article[0], "article_comments": article[1],
        "hot_slug": hot[0], "hot_comments": hot[1],
        "tag_slug": tag[0], "tag_posts": tag[1], "tag_last_page": last(tag[1]),
        "category_slug": category[0], "category_posts": category[1], "category_last_page": last(category[1]),
        "front_last_page": last(articles),
        "articles": articles, "pages": pages, "approved_comments": approved, "replies": replies,
        "top_tag_share": f"{tag[1] / articles:.3f}",
    }
    for key, value in out.items():
        print(f"{key}\t{value}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
