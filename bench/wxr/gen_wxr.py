#!/usr/bin/env python3
"""Write a large, realistic WordPress export (WXR 1.2) for the import/export bench.

    python3 gen_wxr.py --posts 10000 --comments 100000 --out big.xml

Python 3 standard library only. The file is written item by item (streaming); memory stays
small whatever the size (per-post comment counts, the slugs and the permalinks of earlier posts
are the only things kept). Output is deterministic for a given --seed and set of arguments.

Layout follows wp-admin/includes/export.php (WordPress 6.x): same element order, namespaces,
wxr_cdata() for every text field (`]]>` inside a value is written `]]]]><![CDATA[>`), spam
comments included (current WordPress leaves spam out of exports; older versions and several
plugins do not, so an importer must cope).

What is in it (defaults):
  * 3 authors, 20 categories, 200 tags; each post has 1-2 categories and 0-5 tags (tag
    popularity follows a Zipf-like law).
  * --pages pages (default 50; a few are children of others), comments closed, no comments.
  * --posts posts: ~97% publish, 2% draft (empty post_name, post_date_gmt 0000-00-00 00:00:00),
    1% private. Content 300-1500 words, half classic editor (paragraphs separated by blank
    lines, no <p>, single newlines as line breaks, [caption] shortcodes), half block editor
    (<!-- wp:paragraph --> etc.). Links to earlier posts (old-site permalinks and ?p=ID) and to
    outside sites.
  * One attachment item per post that carries an image (about 10% of posts): an item an importer
    of posts and comments skips.
  * --comments comments in total (pingbacks included), only on published posts, spread
    unevenly (log-normal: most posts have a handful, a few have hundreds), threaded up to depth
    5. Statuses ~85% approved ("1"), 8% pending ("0"), 5% "spam", 2% "trash"; 2% of all are
    pingbacks (approved). Many non-ASCII author names; ~1% of comments carry HTML including
    <script> and onerror= attributes, ~0.1% contain the CDATA terminator "]]>".

Skew, for the site bench (bench/run.sh); the defaults leave the output as it always was:
  * --hot-post-comments N: one published post (two thirds of the way through) takes N of the
    --comments; the rest are spread as above (default 0: none).
  * --tag-zipf S: tag weights 1/rank**S (default 1.0: the top tag on ~34% of the posts;
    0.85: ~25%).
  * --reply-prob P: chance that a comment replies to an earlier approved one of its post
    (default 0.4: ~33% of all comments are replies; 0.25: ~21%).

A one-line JSON summary (counts by type and status) goes to stderr, or to --summary FILE.
"""

import argparse
import datetime as dt
import json
import math
import random
import sys
import unicodedata

BASE = "https://old.example.com"
TZ_OFFSET = dt.timedelta(hours=2)  # the old site's fixed "UTC+2" setting: post_date = gmt + 2h
START = dt.datetime(2008, 1, 1, 8, 0, 0)
END = dt.datetime(2023, 12, 31, 20, 0, 0)
DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")

VOCAB = (
    "the of and to in is that it for on with as was by this be are from at or an have not which "
    "but all were when we there can more if no out so said what up its about into than them only "
    "other new some could time these two may then do first any like my now over such our man me "
    "even most made after also did many before must through back years where much your way well "
    "down should because each just those people how too little state good very make world still "
    "own see men work long get here between both life being under never day same another know "
    "while last might us great old year off come since against go came right used take three "
    "hair coffee garden bicycle recipe morning winter harbour library kitchen window weather "
    "journey bakery mountain village river notebook lantern market island orchard engine "
    "question answer letter chapter minute evening shadow silence colour music paper stone "
    "simple gentle quiet bright careful honest curious patient steady modern ancient wooden"
).split()
TITLE_WORDS = (
    "Notes On Morning Coffee Garden Winter Harbour Recipes Bicycle Journey Village Market Island "
    "Letters Silence Colour Music Paper Stone Lantern Orchard Engine Kitchen Library Weather Hair "
    "Care Why How What Everything Nothing Small Big Quiet Bright Honest Curious Patient Steady "
    "Café Crème Brûlée Zürich Köln São Paulo Naïve Déjà Vu Smørrebrød Ångström Fiancée Piñata"
).split()
FIRST_NAMES = (
    "Alice Bob Carol Dave Erin Frank Grace Heidi Ivan Judy Mallory Niaj Olivia Peggy Rupert Sybil "
    "Trent Victor Walter Zoë Chloé Renée Jürgen Björn Søren Åsa Łukasz Małgorzata Žofie Dvořák "
    "Ngọc Thảo José María Ñuño Çağla Ömer İlkay François Hélène Søs Ярослав Мария Αλέξανδρος "
    "Δήμητρα 太郎 花子 민준 서연 محمد فاطمة अनन्या राहुल"
).split()
LAST_NAMES = (
    "Smith Jones Müller Schäfer Dubois Lefèvre García Núñez Rossi Bianchi Kowalski Nowak Novák "
    "Svensson Østergaard Yılmaz Nguyễn Tanaka 山田 김 Иванов Παπαδόπουλος O'Brien D'Angelo"
).split()
COMMENT_SENTENCES = (
    "Great post, thanks for sharing.",
    "I tried this last weekend and it worked.",
    "Not sure I agree with the second point.",
    "Could you write more about this?",
    "This brought back memories.",
    "Merci beaucoup, très utile !",
    "Danke, genau das habe ich gesucht.",
    "¡Qué buena idea!",
    "Очень интересно, спасибо.",
    "とても参考になりました。",
    "Thanks 👍 — saved for later.",
    "Is there a follow-up coming?",
    "My grandmother used to say the same thing.",
    "Fixed my problem, cheers!",
    "The photo in the middle is lovely.",
    "Same here & I'm glad it's not just me.",
    "I think 2 < 3 but 5 > 4, so yes.",
)
NASTY = (
    "Nice post<script>window.__xss=1</script>",
    '<img src=x onerror="window.__xss=2">Look at this',
    '<a href="javascript:alert(1)">click me</a>',
    '<b>bold claim</b> and <i>italic doubt</i>',
    '<a href="https://spam.example/pills" rel="nofollow">cheap pills</a>',
    "<iframe src=\"https://evil.example/\"></iframe>",
    "<p onclick=\"alert('x')\">click</p>",
)
OUTSIDE = ("https://example.net/elsewhere", "https://en.wikipedia.org/wiki/Coffee", "https://example.org/a?b=1&c=2")


def cdata(s):
    return "<![CDATA[" + s.replace("]]>", "]]]]><![CDATA[>") + "]]>"


def esc_url(u):  # what WordPress' esc_url()/the_permalink_rss() does to '&'
    return u.replace("&", "&#038;")


def mysql(t):
    return t.strftime("%Y-%m-%d %H:%M:%S")


def rfc822(t):
    return "%s, %02d %s %04d %02d:%02d:%02d +0000" % (
        DAYS[t.weekday()], t.day, MONTHS[t.month - 1], t.year, t.hour, t.minute, t.second)


def slugify(text):
    s = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()
    out = []
    for ch in s:
        out.append(ch if ch.isalnum() else "-")
    return "-".join(p for p in "".join(out).split("-") if p)


class Gen:
    def __init__(self, args):
        self.a = args
        self.r = random.Random(args.seed)
        self.out = None
        self.stats = {
            "posts": {"publish": 0, "draft": 0, "private": 0},
            "pages": 0, "attachments": 0,
            "comments": {"1": 0, "0": 0, "spam": 0, "trash": 0},
            "pingbacks": 0, "replies": 0, "max_depth": 0, "max_comments_on_a_post": 0,
            "posts_with_100_plus_comments": 0, "comments_with_script": 0, "comments_with_cdata_end": 0,
        }
        self.slugs = set()
        self.permalinks = []  # (post_id, permalink) of earlier published posts
        self.comment_id = 0

    # ---------------------------------------------------------------- helpers
    def w(self, s):
        self.out.write(s)

    def unique_slug(self, base):
        slug, n = base, 2
        while slug in self.slugs:
            slug = "%s-%d" % (base, n)
            n += 1
        self.slugs.add(slug)
        return slug

    def words(self, n):
        r = self.r
        ws = r.choices(VOCAB, k=n)
        out, i = [], 0
        while i < n:
            k = min(n - i, r.randint(7, 18))
            sent = ws[i:i + k]
            sent[0] = sent[0].capitalize()
            out.append(" ".join(sent) + r.choice(".....?!"))
            i += k
        return " ".join(out)

    def title(self):
        return " ".join(self.r.choices(TITLE_WORDS, k=self.r.randint(2, 6)))

    def name(self):
        r = self.r
        if r.random() < 0.15:
            return r.choice(FIRST_NAMES)
        return r.choice(FIRST_NAMES) + " " + r.choice(LAST_NAMES)

    def ip(self):
        r = self.r
        if r.random() < 0.1:
            return "2001:db8::%x:%x" % (r.randint(0, 0xffff), r.randint(1, 0xffff))
        return "%s.%d" % (r.choice(("192.0.2", "198.51.100", "203.0.113")), r.randint(1, 254))

    def internal_link(self):
        r = self.r
        if not self.permalinks:
            return ""
        pid, link = self.permalinks[r.randrange(len(self.permalinks))]
        if r.random() < 0.3:
            return ' See <a href="%s/?p=%d">this older post</a>.' % (BASE, pid)
        return ' As I wrote in <a href="%s">an earlier post</a>.' % link

    # ---------------------------------------------------------------- content
    def content(self, block, image):
        r = self.r
        total = r.randint(300, 1500)
        parts, done = [], 0
        pi = 0
        while done < total:
            n = min(total - done, r.randint(40, 120))
            text = self.words(n)
            done += n
            if r.random() < 0.25:
                text += self.internal_link()
            if r.random() < 0.08:
                text += ' More at <a href="%s">%s</a>.' % (r.choice(OUTSIDE).replace("&", "&amp;"), "this site")
            if block:
                if pi and r.random() < 0.12:
                    parts.append('<!-- wp:heading -->\n<h2 class="wp-block-heading">%s</h2>\n<!-- /wp:heading -->'
                                 % self.title())
                parts.append("<!-- wp:paragraph -->\n<p>%s</p>\n<!-- /wp:paragraph -->" % text)
                if r.random() < 0.06:
                    items = "\n\n".join("<!-- wp:list-item -->\n<li>%s</li>\n<!-- /wp:list-item -->" % self.words(r.randint(3, 9))
                                        for _ in range(r.randint(2, 5)))
                    parts.append("<!-- wp:list -->\n<ul>%s</ul>\n<!-- /wp:list -->" % items)
                if r.random() < 0.03:
                    parts.append('<!-- wp:separator -->\n<hr class="wp-block-separator has-alpha-channel-opacity"/>\n<!-- /wp:separator -->')
            else:
                if r.random() < 0.2:  # a line break inside the paragraph
                    cut = text.find(" ", len(text) // 2)
                    if cut > 0:
                        text = text[:cut] + "\n" + text[cut + 1:]
                if pi and r.random() < 0.08:
                    parts.append("<h2>%s</h2>" % self.title())
                parts.append(text)
                if r.random() < 0.04:
                    parts.append("<ul>\n%s\n</ul>" % "\n".join("\t<li>%s</li>" % self.words(r.randint(3, 9))
                                                              for _ in range(r.randint(2, 5))))
                if r.random() < 0.02:
                    parts.append('[contact-form-7 id="%d" title="Contact"]' % r.randint(1, 99))
            pi += 1
            if image and pi == 2:
                aid, url = image
                if block:
                    parts.append('<!-- wp:image {"id":%d,"sizeSlug":"large"} -->\n<figure class="wp-block-image size-large">'
                                 '<img src="%s" alt="" class="wp-image-%d"/><figcaption class="wp-element-caption">%s</figcaption>'
                                 '</figure>\n<!-- /wp:image -->' % (aid, url, aid, self.title()))
                else:
                    parts.append('[caption id="attachment_%d" align="aligncenter" width="640"]<img src="%s" alt="" '
                                 'width="640" height="480" class="size-large wp-image-%d" /> %s[/caption]'
                                 % (aid, url, aid, self.title()))
        return "\n\n".join(parts)

    def comment_text(self):
        r = self.r
        s = " ".join(r.choice(COMMENT_SENTENCES) for _ in range(r.randint(1, 4)))
        if r.random() < 0.3:
            s += "\n\n" + self.words(r.randint(10, 60))
        x = r.random()
        if x < 0.01:
            s = r.choice(NASTY) + " " + s
            if "script" in s:
                self.stats["comments_with_script"] += 1
        elif x < 0.011:
            s += " Code: if (a[b[0]]>1) { return; } and x]]>y"
            self.stats["comments_with_cdata_end"] += 1
        return s

    # ---------------------------------------------------------------- XML pieces
    def header(self):
        self.w('<?xml version="1.0" encoding="UTF-8" ?>\n')
        self.w("<!-- This is a WordPress eXtended RSS file generated by WordPress as an export of your site. -->\n"
               "<!-- It contains information about your site's posts, pages, comments, categories, and other content. -->\n"
               "<!-- You may use this file to transfer that content from one site to another. -->\n"
               "<!-- This file is not intended to serve as a complete backup of your site. -->\n\n"
               "\t<!-- generator=\"WordPress/6.4.3\" created=\"2024-02-20 09:15\" -->\n"
               "<rss version=\"2.0\"\n"
               "\txmlns:excerpt=\"http://wordpress.org/export/1.2/excerpt/\"\n"
               "\txmlns:content=\"http://purl.org/rss/1.0/modules/content/\"\n"
               "\txmlns:wfw=\"http://wellformedweb.org/CommentAPI/\"\n"
               "\txmlns:dc=\"http://purl.org/dc/elements/1.1/\"\n"
               "\txmlns:wp=\"http://wordpress.org/export/1.2/\"\n>\n\n<channel>\n"
               "\t<title>Old Big Blog</title>\n"
               "\t<link>%s</link>\n"
               "\t<description>Generated by bench/wxr/gen_wxr.py</description>\n"
               "\t<pubDate>Tue, 20 Feb 2024 09:15:42 +0000</pubDate>\n"
               "\t<language>en-US</language>\n"
               "\t<wp:wxr_version>1.2</wp:wxr_version>\n"
               "\t<wp:base_site_url>%s</wp:base_site_url>\n"
               "\t<wp:base_blog_url>%s</wp:base_blog_url>\n\n\t" % (BASE, BASE, BASE))
        for aid, login, display in self.authors:
            first, _, last = display.partition(" ")
            self.w("\t<wp:author><wp:author_id>%d</wp:author_id><wp:author_login>%s</wp:author_login>"
                   "<wp:author_email>%s</wp:author_email><wp:author_display_name>%s</wp:author_display_name>"
                   "<wp:author_first_name>%s</wp:author_first_name><wp:author_last_name>%s</wp:author_last_name>"
                   "</wp:author>\n" % (aid, cdata(login), cdata(login + "@old.example.com"), cdata(display),
                                       cdata(first), cdata(last)))
        self.w("\n\t")
        for tid, slug, name in self.cats:
            self.w("\t<wp:category>\n\t\t<wp:term_id>%d</wp:term_id>\n\t\t<wp:category_nicename>%s</wp:category_nicename>\n"
                   "\t\t<wp:category_parent>%s</wp:category_parent>\n\t\t<wp:cat_name>%s</wp:cat_name>\n\t</wp:category>\n\t"
                   % (tid, cdata(slug), cdata(""), cdata(name)))
        self.w("\t")
        for tid, slug, name in self.tags:
            self.w("\t<wp:tag>\n\t\t<wp:term_id>%d</wp:term_id>\n\t\t<wp:tag_slug>%s</wp:tag_slug>\n"
                   "\t\t<wp:tag_name>%s</wp:tag_name>\n\t</wp:tag>\n\t" % (tid, cdata(slug), cdata(name)))
        self.w("\t\t\n\t<generator>https://wordpress.org/?v=6.4.3</generator>\n\n\t")

    def item(self, pid, title, link, gmt, guid, content, excerpt, name, status, ptype, creator,
             parent=0, menu_order=0, comment_status="open", terms=(), meta=(), attachment_url=None):
        draft = status == "draft"
        local = gmt + TZ_OFFSET
        s = ["\t<item>\n\t\t<title>", cdata(title), "</title>\n\t\t<link>", esc_url(link),
             "</link>\n\t\t<pubDate>", "Mon, 30 Nov -0001 00:00:00 +0000" if draft else rfc822(gmt),
             "</pubDate>\n\t\t<dc:creator>", cdata(creator),
             "</dc:creator>\n\t\t<guid isPermaLink=\"false\">", esc_url(guid),
             "</guid>\n\t\t<description></description>\n\t\t<content:encoded>", cdata(content),
             "</content:encoded>\n\t\t<excerpt:encoded>", cdata(excerpt),
             "</excerpt:encoded>\n\t\t<wp:post_id>%d</wp:post_id>\n" % pid,
             "\t\t<wp:post_date>", cdata(mysql(local)), "</wp:post_date>\n",
             "\t\t<wp:post_date_gmt>", cdata("0000-00-00 00:00:00" if draft else mysql(gmt)), "</wp:post_date_gmt>\n",
             "\t\t<wp:post_modified>", cdata(mysql(local)), "</wp:post_modified>\n",
             "\t\t<wp:post_modified_gmt>", cdata(mysql(gmt)), "</wp:post_modified_gmt>\n",
             "\t\t<wp:comment_status>", cdata(comment_status), "</wp:comment_status>\n",
             "\t\t<wp:ping_status>", cdata(comment_status), "</wp:ping_status>\n",
             "\t\t<wp:post_name>", cdata(name), "</wp:post_name>\n",
             "\t\t<wp:status>", cdata(status), "</wp:status>\n",
             "\t\t<wp:post_parent>%d</wp:post_parent>\n" % parent,
             "\t\t<wp:menu_order>%d</wp:menu_order>\n" % menu_order,
             "\t\t<wp:post_type>", cdata(ptype), "</wp:post_type>\n",
             "\t\t<wp:post_password>", cdata(""), "</wp:post_password>\n",
             "\t\t<wp:is_sticky>0</wp:is_sticky>\n\t\t\t\t"]
        if attachment_url:
            s += ["\t\t<wp:attachment_url>", cdata(attachment_url), "</wp:attachment_url>\n\t"]
        s.append("\t\t\t\t")
        for dom, slug, nm in terms:
            s.append('\t\t<category domain="%s" nicename="%s">%s</category>\n' % (dom, slug, cdata(nm)))
        s.append("\t\t\t\t")
        for k, v in meta:
            s += ["\t\t<wp:postmeta>\n\t\t<wp:meta_key>", cdata(k), "</wp:meta_key>\n\t\t<wp:meta_value>", cdata(v),
                  "</wp:meta_value>\n\t\t</wp:postmeta>\n\t\t\t\t\t"]
        self.w("".join(s))

    def end_item(self):
        self.w("\t\t</item>\n\t\t\t\t")

    def comments(self, post_gmt, n):
        r = self.r
        st = self.stats
        open_parents = []  # (comment_id, depth) of approved regular comments with depth < 5
        t = post_gmt
        buf = []
        for _ in range(n):
            self.comment_id += 1
            cid = self.comment_id
            t = t + dt.timedelta(seconds=r.randint(60, 3 * 86400 // max(1, min(n, 50))))
            if r.random() < 0.02:
                ctype, approved, parent, depth = "pingback", "1", 0, 1
                author = "%s &raquo; %s" % (self.title(), self.title())
                email, url = "", "https://blog%d.example/%s/" % (r.randint(1, 500), slugify(self.title()))
                text = "[&#8230;] %s [&#8230;]" % self.words(r.randint(8, 25))
                st["pingbacks"] += 1
            else:
                ctype = "comment"
                x = r.random()
                approved = "1" if x < 0.85 else "0" if x < 0.93 else "spam" if x < 0.98 else "trash"
                parent, depth = 0, 1
                if approved != "spam" and open_parents and r.random() < self.a.reply_prob:
                    # Prefer recent comments, as real threads do.
                    j = len(open_parents) - 1 - min(len(open_parents) - 1, int(r.expovariate(0.3)))
                    parent, pdepth = open_parents[j]
                    depth = pdepth + 1
                author = self.name()
                email = "%s%d@example.com" % (slugify(author).replace("-", ".") or "user", r.randint(1, 9999))
                url = "" if r.random() < 0.7 else "https://%s.example/" % (slugify(author) or "site")
                text = self.comment_text()
                if approved == "spam":
                    url = "https://casino%d.example/" % r.randint(1, 50)
                    text = "Best online casino bonus " + text
            st["comments"][approved] += 1
            if parent:
                st["replies"] += 1
            st["max_depth"] = max(st["max_depth"], depth)
            if ctype == "comment" and approved == "1" and depth < 5:
                open_parents.append((cid, depth))
            local = t + TZ_OFFSET
            buf.append("".join((
                "\t\t<wp:comment>\n\t\t\t<wp:comment_id>%d</wp:comment_id>\n" % cid,
                "\t\t\t<wp:comment_author>", cdata(author), "</wp:comment_author>\n",
                "\t\t\t<wp:comment_author_email>", cdata(email), "</wp:comment_author_email>\n",
                "\t\t\t<wp:comment_author_url>", esc_url(url), "</wp:comment_author_url>\n",
                "\t\t\t<wp:comment_author_IP>", cdata(self.ip()), "</wp:comment_author_IP>\n",
                "\t\t\t<wp:comment_date>", cdata(mysql(local)), "</wp:comment_date>\n",
                "\t\t\t<wp:comment_date_gmt>", cdata(mysql(t)), "</wp:comment_date_gmt>\n",
                "\t\t\t<wp:comment_content>", cdata(text), "</wp:comment_content>\n",
                "\t\t\t<wp:comment_approved>", cdata(approved), "</wp:comment_approved>\n",
                "\t\t\t<wp:comment_type>", cdata(ctype), "</wp:comment_type>\n",
                "\t\t\t<wp:comment_parent>%d</wp:comment_parent>\n" % parent,
                "\t\t\t<wp:comment_user_id>0</wp:comment_user_id>\n\t\t\t\t\t",
            )))
            if approved == "spam":
                buf.append("\t<wp:commentmeta>\n\t<wp:meta_key>%s</wp:meta_key>\n\t\t\t<wp:meta_value>%s</wp:meta_value>\n"
                           "\t\t\t</wp:commentmeta>\n\t\t\t\t\t" % (cdata("akismet_result"), cdata("true")))
            buf.append("\t\t</wp:comment>\n\t\t\t")
            if len(buf) >= 64:
                self.w("".join(buf))
                buf = []
        self.w("".join(buf))

    # ---------------------------------------------------------------- plan + run
    def comment_counts(self, statuses):
        """Comments per post (log-normal weights, largest remainder), only on published posts."""
        r = self.r
        weights = [r.lognormvariate(0.0, 1.5) if s == "publish" else 0.0 for s in statuses]
        want = self.a.comments
        hot = None
        if self.a.hot_post_comments:
            # The published post nearest two thirds of the way through (old enough not to be on
            # the front page) takes --hot-post-comments of the total; the rest spread as usual.
            published = [i for i, s in enumerate(statuses) if s == "publish"]
            if not published:
                raise SystemExit("gen_wxr: --hot-post-comments needs at least one published post")
            if self.a.hot_post_comments > want:
                raise SystemExit("gen_wxr: --hot-post-comments is more than --comments")
            hot = published[len(published) * 2 // 3]
            weights[hot] = 0.0
            want -= self.a.hot_post_comments
        total_w = sum(weights) or 1.0
        exact = [w_ * want / total_w for w_ in weights]
        counts = [int(math.floor(e)) for e in exact]
        rest = want - sum(counts)
        order = sorted(range(len(exact)), key=lambda i: (counts[i] - exact[i], i))
        for i in order[:rest]:
            counts[i] += 1
        if hot is not None:
            if want and not any(weights):
                raise SystemExit("gen_wxr: the comments beyond --hot-post-comments need a second published post")
            counts[hot] = self.a.hot_post_comments
        if want and not any(s == "publish" for s in statuses):
            raise SystemExit("gen_wxr: --comments needs at least one published post")
        return counts

    def run(self, out):
        a, r = self.a, self.r
        self.out = out
        self.authors = [(1, "admin", "Ada Admin"), (2, "editor", "Édith Éditrice"), (3, "guest", "Gustav Gäst")]
        self.cats = []
        for i in range(20):
            name = "Category %d %s" % (i + 1, TITLE_WORDS[i * 3 % len(TITLE_WORDS)])
            self.cats.append((10 + i, slugify(name), name))
        self.tags = []
        for i in range(200):
            name = "%s %d" % (TITLE_WORDS[i % len(TITLE_WORDS)], i + 1)
            self.tags.append((100 + i, slugify(name), name))
        tag_w = [1.0 / (k + 1) ** a.tag_zipf for k in range(len(self.tags))]

        statuses = []
        for _ in range(a.posts):
            x = r.random()
            statuses.append("publish" if x < 0.97 else "draft" if x < 0.99 else "private")
        counts = self.comment_counts(statuses)

        self.header()
        # Pages: ids 2 .. pages+1, in 2008; every 10th page from the 2nd on is a child of the one before.
        for i in range(a.pages):
            pid = 2 + i
            title = self.title() + " Page"
            slug = self.unique_slug(slugify(title) or "page")
            parent = pid - 1 if i % 10 == 5 else 0
            gmt = START + dt.timedelta(hours=i)
            self.item(pid, title, "%s/%s/" % (BASE, slug), gmt, "%s/?page_id=%d" % (BASE, pid),
                      self.words(r.randint(50, 300)), "", slug, "publish", "page", "admin", parent=parent,
                      menu_order=i, comment_status="closed", meta=[("_wp_page_template", "default")])
            self.end_item()
            self.stats["pages"] += 1

        span = (END - START).total_seconds()
        st = self.stats
        for i in range(a.posts):
            pid = 1000 + 2 * i  # gaps, as revisions and attachments use ids too
            status = statuses[i]
            gmt = START + dt.timedelta(seconds=int(span * (i + r.random() * 0.5) / max(1, a.posts)))
            title = self.title()
            slug = "" if status == "draft" else self.unique_slug(slugify(title) or "post")
            link = ("%s/%04d/%02d/%02d/%s/" % (BASE, gmt.year, gmt.month, gmt.day, slug)) if slug and status != "draft" \
                else "%s/?p=%d" % (BASE, pid)
            block = r.random() < 0.5
            image = None
            if r.random() < 0.1:
                image = (pid + 1, "%s/wp-content/uploads/%04d/%02d/image-%d.jpg" % (BASE, gmt.year, gmt.month, pid + 1))
            terms = []
            for c in r.sample(self.cats, r.randint(1, 2)):
                terms.append(("category", c[1], c[2]))
            ntags = r.randint(0, 5)
            if ntags:
                chosen = {}
                for t in r.choices(self.tags, weights=tag_w, k=ntags):
                    chosen[t[0]] = t
                for t in sorted(chosen.values()):
                    terms.append(("post_tag", t[1], t[2]))
            meta = [("_edit_last", "1")]
            if image:
                meta.append(("_thumbnail_id", str(image[0])))
            excerpt = self.words(r.randint(10, 30)) if r.random() < 0.2 else ""
            self.item(pid, title, link, gmt, "%s/?p=%d" % (BASE, pid), self.content(block, image), excerpt, slug,
                      status, "post", r.choice(self.authors)[1], terms=terms, meta=meta)
            n = counts[i]
            if n:
                self.comments(gmt, n)
            self.end_item()
            st["posts"][status] += 1
            st["max_comments_on_a_post"] = max(st["max_comments_on_a_post"], n)
            if n >= 100:
                st["posts_with_100_plus_comments"] += 1
            if status == "publish":
                self.permalinks.append((pid, link))
            if image:
                aid, url = image
                aslug = self.unique_slug("image-%d" % aid)
                self.item(aid, "image-%d" % aid, link + aslug + "/", gmt, url, "", "", aslug, "inherit",
                          "attachment", "admin", parent=pid, comment_status="closed", attachment_url=url,
                          meta=[("_wp_attached_file", url.split("/uploads/", 1)[1])])
                self.end_item()
                st["attachments"] += 1
        self.w("</channel>\n</rss>\n")


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--posts", type=int, default=10000)
    p.add_argument("--comments", type=int, default=100000, help="total, pingbacks included")
    p.add_argument("--pages", type=int, default=50)
    p.add_argument("--seed", type=int, default=42)
    p.add_argument("--hot-post-comments", type=int, default=0, metavar="N",
                   help="one published post (two thirds of the way through) gets N of the --comments "
                        "(default 0: none singled out)")
    p.add_argument("--tag-zipf", type=float, default=1.0, metavar="S",
                   help="tag weights 1/rank**S (default 1.0: the top tag on ~34%% of posts; 0.85: ~25%%)")
    p.add_argument("--reply-prob", type=float, default=0.4, metavar="P",
                   help="chance that a comment (not spam, not the first of its post) replies to an "
                        "earlier approved one (default 0.4)")
    p.add_argument("--out", required=True, help="output file ('-' for stdout)")
    p.add_argument("--summary", help="write the JSON summary here instead of stderr")
    a = p.parse_args()
    if a.posts < 0 or a.comments < 0 or a.pages < 0 or a.hot_post_comments < 0:
        p.error("counts must be >= 0")
    if a.tag_zipf < 0 or not 0 <= a.reply_prob <= 1:
        p.error("--tag-zipf must be >= 0 and --reply-prob between 0 and 1")
    g = Gen(a)
    if a.out == "-":
        g.run(sys.stdout)
    else:
        with open(a.out, "w", encoding="utf-8", newline="\n", buffering=1 << 20) as f:
            g.run(f)
    summary = json.dumps(g.stats, sort_keys=True)
    if a.summary:
        with open(a.summary, "w", encoding="utf-8") as f:
            f.write(summary + "\n")
    else:
        print(summary, file=sys.stderr)


if __name__ == "__main__":
    main()
