#!/usr/bin/env python3
"""Benchmark datasets for marginalia, written straight into SQLite (stdlib only).

The database must already have marginalia's schema (`marginalia migrate`). Rows are inserted
directly, bypassing the application: this is bench data, built in seconds, not an example of
how to load a real site (use `marginalia post import` for that).

    gen_large.py large    --db FILE [--posts 10000] [--comments 100000]
                          [--hot-slug large-article-00042] [--hot-comments 40] [--seed 1]
    gen_large.py comments --db FILE --slug SLUG [--count 30] [--seed 1]

`large` adds articles `large-article-00000` ... with Markdown sources and matching HTML
bodies, categories, tags and approved comments spread over the articles (about a third of
them replies). The article `--hot-slug` gets exactly `--hot-comments` approved comments, so
the measured page has a known, realistic size whatever the random spread.

`comments` adds approved comments (some threaded) to one existing article.
"""

from __future__ import annotations

import argparse
import datetime as dt
import html
import random
import sqlite3
import sys
import time

TS = "%Y-%m-%d %H:%M:%S"

SENTENCES = [
    "Most of what we call productivity is really the absence of interruptions.",
    "The first version of anything is mostly a list of the things you did not know yet.",
    "A garden teaches patience faster than any book on the subject.",
    "Cold brew is forgiving: the ratio matters more than the beans.",
    "I kept a paper notebook for a year, and the index turned out to be the useful part.",
    "Trains are slower than planes until you count the hours spent in airports.",
    "Sourdough starters are less fragile than the internet would have you believe.",
    "Every backup strategy looks fine until the day you need to restore from it.",
    "Walking meetings work best when nobody needs to take notes.",
    "The library still has the best collection of magazines nobody else subscribes to.",
    "A good recipe tells you what to look for, not only how long to wait.",
    "Running in the rain is unpleasant for the first five minutes and wonderful afterwards.",
    "Old maps are full of confident mistakes, which is part of their charm.",
    "The cheapest upgrade for an old laptop is usually a new battery and a clean install.",
    "Learning a language as an adult is mostly about tolerating sounding silly.",
    "Houseplants die from too much attention far more often than from neglect.",
    "Spreadsheets are the most widely deployed programming language in the world.",
    "A weekly review takes twenty minutes and saves a surprising number of hours.",
    "Most bicycle problems can be fixed with a hex key and some patience.",
    "Photographs of food rarely capture what made the meal good.",
    "The hardest part of decluttering is deciding what counts as clutter.",
    "Local history societies know things that no search engine has indexed.",
    "Writing by hand is slower, which is exactly why it helps you think.",
    "A long-term project needs small visible wins to survive the middle stretch.",
    "Winter light is low and golden, and it makes every street look like a film set.",
    "Repairing a chair is more satisfying than buying a new one, and rarely cheaper.",
    "The best travel advice is to pack half the clothes and twice the money.",
    "Sleep is the performance enhancer that nobody wants to hear about.",
    "Board games are a reliable way to learn how your friends negotiate.",
    "A budget is a plan for money you have not spent yet.",
    "Most arguments on the internet are about definitions nobody stated.",
    "Good documentation answers the question the reader has right now.",
    "The neighbourhood bakery opens at six, and by eight the good bread is gone.",
    "Composting is chemistry that happens whether you understand it or not.",
    "Every city has a view that the tourist guides forgot to mention.",
    "Stretching after a run feels optional until you skip it for a week.",
    "The second-hand bookshop sorts by colour, which is useless and delightful.",
    "An honest estimate includes the time spent being wrong about the estimate.",
    "A quiet morning is worth more than an extra hour of sleep, most days.",
    "The difference between a hobby and a chore is who set the deadline.",
]

COMMENT_SENTENCES = [
    "Thanks for writing this up, it matches my experience almost exactly.",
    "I tried this last spring and it worked better than I expected.",
    "Do you have a source for the second point? I would like to read more.",
    "This is the clearest explanation I have found so far.",
    "I disagree a little: in my case the opposite turned out to be true.",
    "Bookmarked. Sharing this with my sister, she has been asking about it.",
    "Great post. Would love a follow-up on what you would do differently.",
    "We did something similar at home and the kids loved it.",
    "How long did it take before you noticed a difference?",
    "The part about patience is so true.",
    "I had never thought about it that way, thank you.",
    "Small correction: the shop you mention closed last year.",
    "Same here! Although it took me three attempts to get it right.",
    "This made my morning, thanks.",
    "Any tips for someone just starting out?",
    "I read this twice. The second half is especially good.",
    "Interesting, but I think it depends a lot on where you live.",
    "Could you share the exact amounts you used?",
    "My grandmother used to say exactly the same thing.",
    "Well put. I will try the weekly review idea.",
]

FIRST_NAMES = [
    "Ada", "Ben", "Chloe", "Dmitri", "Elena", "Farid", "Grace", "Hiro", "Ines", "Jonas",
    "Keiko", "Liam", "Maya", "Noor", "Oscar", "Priya", "Quentin", "Rosa", "Sami", "Tess",
    "Umar", "Vera", "Wen", "Xavier", "Yara", "Zoe",
]
LAST_NAMES = [
    "Okafor", "Lindqvist", "Moreau", "Tanaka", "Silva", "Novak", "Haddad", "Kowalski",
    "Byrne", "Rossi", "Petrov", "Nguyen", "Schmidt", "Alvarez", "Chen", "Dubois",
]
USER_AGENTS = [
    "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148",
]
CATEGORIES = [
    "Health and Fitness", "Food and Drink", "Travel", "Technology", "Home and Garden",
    "Books", "Money", "Notes",
]
TOPICS = [
    "coffee", "running", "sleep", "habits", "bread", "trains", "maps", "backups", "linux",
    "garden", "plants", "bikes", "writing", "notebooks", "languages", "budget", "cities",
    "photography", "recipes", "repair", "board games", "history", "winter", "walking",
    "documentation", "compost", "books", "travel tips", "focus", "mornings",
]
# 150 tags; popularity follows a mild Zipf law (a few tags on thousands of articles, most on a
# few hundred or fewer), as on long-running blogs.
TAGS = TOPICS + [f"{t} {v}" for v in ("basics", "gear", "history", "mistakes") for t in TOPICS]
TAG_WEIGHTS = [1 / (rank + 1) ** 0.8 for rank in range(len(TAGS))]
# The measured article is tagged like a popular article: the most used tag and two others.
HOT_TAG_RANKS = (0, 9, 39)
TITLE_HEADS = [
    "Notes on", "What I learned about", "A short guide to", "Ten years of", "Rethinking",
    "The case for", "Getting started with", "Small lessons from", "Why I still care about",
    "A beginner's look at", "Revisiting", "Field notes:",
]
TITLE_TAILS = [
    "slow mornings", "cold brew", "sourdough", "night trains", "old maps", "paper notebooks",
    "houseplants", "bicycle repair", "weekly reviews", "second-hand books", "winter running",
    "spreadsheets", "home backups", "learning Portuguese", "composting", "walking meetings",
    "board game nights", "a tiny budget", "local history", "fixing old chairs",
]
SUBHEADINGS = [
    "Where it started", "What worked", "What did not", "A few numbers", "The boring part",
    "Mistakes worth making", "What I would do again", "Further reading",
]


def slugify(text: str) -> str:
    out, dash = [], False
    for ch in text.lower():
        if ch.isalnum():
            out.append(ch)
            dash = False
        elif not dash and out:
            out.append("-")
            dash = True
    return "".join(out).strip("-")


def paragraph(rng: random.Random, sentences: list[str], lo: int, hi: int) -> str:
    return " ".join(rng.sample(sentences, rng.randint(lo, hi)))


def article_body(rng: random.Random) -> tuple[str, str, str]:
    """(markdown, html, excerpt): 5-9 paragraphs under 1-2 subheadings, one list."""
    md, out = [], []
    paragraphs = [paragraph(rng, SENTENCES, 3, 6) for _ in range(rng.randint(5, 9))]
    heads = rng.sample(SUBHEADINGS, 2)
    items = rng.sample(SENTENCES, 3)
    for i, text in enumerate(paragraphs):
        if i in (2, 5):
            head = heads[0 if i == 2 else 1]
            md.append(f"## {head}")
            out.append(f'<h2 id="{slugify(head)}">{html.escape(head)}</h2>')
        md.append(text)
        out.append(f"<p>{html.escape(text, quote=False)}</p>")
        if i == 3:
            md.append("\n".join(f"- {item}" for item in items))
            out.append("<ul>\n" + "\n".join(f"<li>{html.escape(it, quote=False)}</li>" for it in items) + "\n</ul>")
    excerpt = paragraphs[0]
    if len(excerpt) > 200:
        cut = excerpt[:199]
        excerpt = cut[: cut.rfind(" ")].rstrip(",;:. ") + "…"
    return "\n\n".join(md) + "\n", "\n".join(out) + "\n", excerpt


def comment_body(rng: random.Random) -> tuple[str, str]:
    """(source, html): one or two short paragraphs, as render_comment would produce."""
    paras = [paragraph(rng, COMMENT_SENTENCES, 1, 3) for _ in range(rng.choice((1, 1, 1, 2)))]
    return "\n\n".join(paras), "".join(f"<p>{html.escape(p, quote=False)}</p>\n" for p in paras)


class CommentWriter:
    """Builds comment rows for one article at a time, ids assigned here."""

    def __init__(self, rng: random.Random, next_id: int):
        self.rng = rng
        self.next_id = next_id
        self.rows: list[tuple] = []

    def add_for_post(self, post_id: int, published: dt.datetime, count: int, now: dt.datetime) -> None:
        rng = self.rng
        ids: list[int] = []
        # Comments arrive after the article, oldest first, within about two months (never in the future).
        span = max(60, min(60 * 86400, int((now - published).total_seconds()) - 60))
        offsets = sorted(rng.randrange(60, span + 60) for _ in range(count))
        for offset in offsets:
            cid = self.next_id
            self.next_id += 1
            parent = rng.choice(ids) if ids and rng.random() < 0.33 else None
            first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
            author = f"{first} {last}"
            email = f"{first.lower()}.{last.lower()}{rng.randrange(1000)}@example.org"
            url = f"https://{last.lower()}.example.net" if rng.random() < 0.2 else None
            at = (published + dt.timedelta(seconds=offset)).strftime(TS)
            source, body_html = comment_body(rng)
            self.rows.append((
                cid, post_id, parent, "approved", author, email, url,
                f"198.51.100.{rng.randrange(1, 255)}", rng.choice(USER_AGENTS), source, body_html,
                "passed every check (moderation: none)", at, at,
            ))
            ids.append(cid)


COMMENT_INSERT = (
    "INSERT INTO comments (id, post_id, parent_id, status, author, email, url, ip, user_agent, "
    "body_source, body_html, reason, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)"
)


def open_db(path: str) -> sqlite3.Connection:
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA synchronous = OFF")
    conn.execute("PRAGMA busy_timeout = 5000")
    have = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    if not {"posts", "comments", "categories", "tags", "post_tags"} <= have:
        sys.exit(f"{path}: no marginalia schema; run `marginalia migrate` first")
    return conn


def finish(conn: sqlite3.Connection) -> None:
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()


def name_id(conn: sqlite3.Connection, table: str, name: str) -> int:
    slug = slugify(name)
    conn.execute(f"INSERT OR IGNORE INTO {table} (name, slug) VALUES (?, ?)", (name, slug))
    return conn.execute(f"SELECT id FROM {table} WHERE slug = ?", (slug,)).fetchone()[0]


def cmd_large(args: argparse.Namespace) -> None:
    rng = random.Random(args.seed)
    started = time.monotonic()
    conn = open_db(args.db)
    now = dt.datetime.now(dt.timezone.utc).replace(tzinfo=None, microsecond=0)
    hot_index = int(args.hot_slug.rsplit("-", 1)[1]) if args.hot_slug.startswith("large-article-") else None

    conn.execute("BEGIN")
    category_ids = [name_id(conn, "categories", n) for n in CATEGORIES]
    tag_ids = [name_id(conn, "tags", n) for n in TAGS]
    post_base = conn.execute("SELECT COALESCE(MAX(id), 0) FROM posts").fetchone()[0] + 1
    comment_base = conn.execute("SELECT COALESCE(MAX(id), 0) FROM comments").fetchone()[0] + 1

    # A pool of bodies, reused: generating 10,000 distinct ones costs time and shows nothing more.
    bodies = [article_body(rng) for _ in range(500)]
    # One article every ~4 hours, the newest yesterday.
    step = dt.timedelta(hours=4)
    newest = now - dt.timedelta(days=1)
    posts, post_tags, published = [], [], []
    for i in range(args.posts):
        pid = post_base + i
        at_dt = newest - step * (args.posts - 1 - i) + dt.timedelta(minutes=rng.randrange(0, 180))
        at = at_dt.strftime(TS)
        title = f"{rng.choice(TITLE_HEADS)} {rng.choice(TITLE_TAILS)} ({i})"
        source, body_html, excerpt = bodies[rng.randrange(len(bodies))]
        posts.append((pid, f"large-article-{i:05d}", title, source, body_html, excerpt, "published",
                      rng.choice(category_ids), at, at, at, 1))
        if i == hot_index:
            chosen = {tag_ids[r] for r in HOT_TAG_RANKS}
        else:
            chosen = set()
            wanted = rng.randint(2, 4)
            while len(chosen) < wanted:
                chosen.update(rng.choices(tag_ids, weights=TAG_WEIGHTS, k=wanted - len(chosen)))
        post_tags.extend((pid, tag) for tag in sorted(chosen))
        published.append(at_dt)
    conn.executemany(
        "INSERT INTO posts (id, slug, title, body_source, body_html, excerpt, status, category_id, "
        "published_at, created_at, updated_at, comments_open) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
        posts,
    )
    conn.executemany("INSERT INTO post_tags (post_id, tag_id) VALUES (?, ?)", post_tags)

    # Spread the comments: a skewed draw, so a few articles are busy and many are quiet.
    counts = [0] * args.posts
    hot = hot_index if hot_index is not None and hot_index < args.posts else None
    rest = args.comments - (args.hot_comments if hot is not None else 0)
    others = [i for i in range(args.posts) if i != hot]
    for _ in range(max(0, rest)):
        counts[others[int(len(others) * rng.random() ** 1.6)]] += 1
    if hot is not None:
        counts[hot] = args.hot_comments

    writer = CommentWriter(rng, comment_base)
    for i, count in enumerate(counts):
        if count:
            writer.add_for_post(post_base + i, published[i], count, now)
        if len(writer.rows) >= 20_000:
            conn.executemany(COMMENT_INSERT, writer.rows)
            writer.rows.clear()
    conn.executemany(COMMENT_INSERT, writer.rows)
    conn.execute("COMMIT")
    finish(conn)
    total = writer.next_id - comment_base
    print(
        f"large dataset: {args.posts} articles, {total} approved comments "
        f"({args.hot_comments if hot is not None else 0} on {args.hot_slug}) in {time.monotonic() - started:.1f} s"
    )


def cmd_comments(args: argparse.Namespace) -> None:
    rng = random.Random(args.seed)
    conn = open_db(args.db)
    row = conn.execute("SELECT id, published_at FROM posts WHERE slug = ?", (args.slug,)).fetchone()
    if row is None:
        sys.exit(f"{args.db}: no article with slug {args.slug}")
    now = dt.datetime.now(dt.timezone.utc).replace(tzinfo=None, microsecond=0)
    published = dt.datetime.strptime(row[1][:19], TS)
    if published > now - dt.timedelta(hours=1):
        published = now - dt.timedelta(days=2)
    conn.execute("BEGIN")
    base = conn.execute("SELECT COALESCE(MAX(id), 0) FROM comments").fetchone()[0] + 1
    writer = CommentWriter(rng, base)
    writer.add_for_post(row[0], published, args.count, now)
    conn.executemany(COMMENT_INSERT, writer.rows)
    conn.execute("COMMIT")
    finish(conn)
    print(f"added {args.count} approved comments to {args.slug}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    large = sub.add_parser("large", help="10,000 articles and 100,000 comments (by default)")
    large.add_argument("--db", required=True)
    large.add_argument("--posts", type=int, default=10_000)
    large.add_argument("--comments", type=int, default=100_000)
    large.add_argument("--hot-slug", default="large-article-00042")
    large.add_argument("--hot-comments", type=int, default=40)
    large.add_argument("--seed", type=int, default=1)
    large.set_defaults(func=cmd_large)
    comments = sub.add_parser("comments", help="approved comments on one article")
    comments.add_argument("--db", required=True)
    comments.add_argument("--slug", required=True)
    comments.add_argument("--count", type=int, default=30)
    comments.add_argument("--seed", type=int, default=1)
    comments.set_defaults(func=cmd_comments)
    args = parser.parse_args()
    args.func(args)


if __name__ == "__main__":
    main()
