//! WordPress WXR import and export through the real binary (`marginalia import wxr`,
//! `marginalia export wxr`) against a test database, checked through the real server.

use std::collections::{BTreeMap, BTreeSet};
use std::io::BufReader;
use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::common::TestApp;
use diesel::prelude::*;
use marginalia::services::wordpress::wxr::{read_wxr, WxrEvent, WxrItem};
use scraper::{ElementRef, Html, Selector};

/// Tables an import writes to.
const TABLES: [&str; 8] = [
    "posts",
    "comments",
    "redirects",
    "post_tags",
    "categories",
    "tags",
    "wordpress_posts",
    "wordpress_comments",
];

/// Commenters' emails and IPs from site.xml: none may appear on a public page.
const PRIVATE: [&str; 22] = [
    "alice@example.com",
    "bob@example.com",
    "carol@example.com",
    "dave@example.com",
    "pete@example.com",
    "bot@casino.example",
    "tom@example.com",
    "mallory@example.com",
    "zoe@example.com",
    "erin@example.com",
    "192.0.2.10",
    "192.0.2.11",
    "192.0.2.12",
    "2001:db8::103",
    "192.0.2.14",
    "198.51.100.5",
    "192.0.2.16",
    "203.0.113.7",
    "198.51.100.8",
    "192.0.2.19",
    "198.51.100.10",
    "192.0.2.20",
];

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/wxr").join(name)
}

/// What a run of the binary did.
struct Run {
    success: bool,
    stdout: String,
    stderr: String,
}

impl Run {
    fn assert_ok(self, what: &str) -> Run {
        assert!(
            self.success,
            "{what}: expected exit status 0\nstdout:\n{}\nstderr:\n{}",
            self.stdout, self.stderr
        );
        self
    }
}

fn cli(app: &TestApp, args: &[&str]) -> Run {
    let output = app.cli(args);
    Run {
        success: output.status.success(),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

fn import(app: &TestApp, file: &Path, extra: &[&str]) -> Run {
    let mut args = vec!["import", "wxr", file.to_str().unwrap()];
    args.extend_from_slice(extra);
    cli(app, &args)
}

fn import_ok(app: &TestApp, file: &Path, extra: &[&str]) -> Run {
    import(app, file, extra).assert_ok(&format!("import wxr {} {extra:?}", file.display()))
}

/// A fresh app with site.xml imported.
async fn site_app() -> TestApp {
    let app = TestApp::spawn().await;
    import_ok(&app, &fixture("site.xml"), &[]);
    app
}

/// The number in the summary row `row` (`articles created        7`).
fn summary_value(stdout: &str, row: &str) -> u64 {
    stdout
        .lines()
        .find_map(|line| line.strip_prefix(row).and_then(|rest| rest.trim().parse().ok()))
        .unwrap_or_else(|| panic!("expected a summary row `{row}` with a number in:\n{stdout}"))
}

#[derive(QueryableByName)]
struct Count {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    n: i64,
}

fn count(app: &TestApp, sql: &str) -> i64 {
    app.db(|c| diesel::sql_query(sql).get_result::<Count>(c)).unwrap_or_else(|e| panic!("{sql}: {e}")).n
}

/// Rows per table an import writes to.
fn counts(app: &TestApp) -> BTreeMap<&'static str, i64> {
    TABLES.iter().map(|t| (*t, count(app, &format!("SELECT COUNT(*) AS n FROM {t}")))).collect()
}

#[derive(QueryableByName, Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct PostRow {
    #[diesel(sql_type = diesel::sql_types::Text)]
    slug: String,
    #[diesel(sql_type = diesel::sql_types::Text)]
    title: String,
    #[diesel(sql_type = diesel::sql_types::Text)]
    status: String,
    #[diesel(sql_type = diesel::sql_types::Text)]
    kind: String,
}

fn posts(app: &TestApp) -> BTreeSet<PostRow> {
    app.db(|c| diesel::sql_query("SELECT slug, title, status, kind FROM posts").load::<PostRow>(c))
        .unwrap()
        .into_iter()
        .collect()
}

#[derive(QueryableByName, Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct CommentRow {
    #[diesel(sql_type = diesel::sql_types::Text)]
    slug: String,
    #[diesel(sql_type = diesel::sql_types::Text)]
    author: String,
    #[diesel(sql_type = diesel::sql_types::Text)]
    status: String,
    #[diesel(sql_type = diesel::sql_types::Text)]
    kind: String,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Text>)]
    parent: Option<String>,
}

/// (post slug, author, status, kind, parent's author) of every comment, sorted (a multiset).
fn comment_rows(app: &TestApp) -> Vec<CommentRow> {
    let mut rows = app
        .db(|c| {
            diesel::sql_query(
                "SELECT p.slug AS slug, c.author AS author, c.status AS status, c.kind AS kind, \
                 par.author AS parent FROM comments c JOIN posts p ON p.id = c.post_id \
                 LEFT JOIN comments par ON par.id = c.parent_id",
            )
            .load::<CommentRow>(c)
        })
        .unwrap();
    rows.sort();
    rows
}

#[derive(QueryableByName)]
struct Id {
    #[diesel(sql_type = diesel::sql_types::Integer)]
    id: i32,
}

/// marginalia's id of the (only) comment by `author`.
fn comment_id_by_author(app: &TestApp, author: &str) -> i32 {
    let ids: Vec<Id> = app
        .db(|c| {
            diesel::sql_query(crate::common::sql("SELECT id FROM comments WHERE author = ?"))
                .bind::<diesel::sql_types::Text, _>(author)
                .load::<Id>(c)
        })
        .unwrap();
    assert_eq!(ids.len(), 1, "expected exactly one comment by {author:?}");
    ids[0].id
}

fn sel(selector: &str) -> Selector {
    Selector::parse(selector).unwrap()
}

fn normalize(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// GETs `path`, asserting a 200.
async fn page(app: &TestApp, path: &str) -> String {
    let (status, body) = app.get_text(path).await;
    assert_eq!(status, 200, "expected GET {path} to answer 200");
    body
}

/// The path of a Location header (`/x` or `http://host/x` both give `/x`).
fn location_path(location: &str) -> String {
    match location.split_once("://") {
        Some((_, rest)) => rest.find('/').map(|i| rest[i..].to_string()).unwrap_or_else(|| "/".into()),
        None => location.to_string(),
    }
}

async fn assert_redirect(app: &TestApp, from: &str, to: &str) {
    let response = app.get(from).await;
    assert_eq!(response.status().as_u16(), 301, "expected GET {from} to answer 301 (to {to})");
    let location = response
        .headers()
        .get("location")
        .unwrap_or_else(|| panic!("expected a Location header on the 301 for {from}"))
        .to_str()
        .unwrap()
        .to_string();
    assert_eq!(
        location_path(&location),
        to,
        "expected GET {from} to redirect to {to}, got Location {location}"
    );
}

async fn assert_status(app: &TestApp, path: &str, expected: u16) {
    let status = app.get(path).await.status().as_u16();
    assert_eq!(status, expected, "expected GET {path} to answer {expected}");
}

fn article_body_text(html: &str) -> String {
    let document = Html::parse_document(html);
    let body = document.select(&sel(".article-body")).next().expect("an .article-body");
    normalize(&body.text().collect::<String>())
}

// ---------------------------------------------------------------------------------------------
// Import summary, posts and pages
// ---------------------------------------------------------------------------------------------

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn import_of_site_xml_reports_and_writes_what_the_file_holds() {
    let app = TestApp::spawn().await;
    let run = import_ok(&app, &fixture("site.xml"), &[]);
    let out = &run.stdout;
    assert!(!out.contains("dry run"), "a real import is not a dry run:\n{out}");
    assert_eq!(summary_value(out, "articles created"), 7, "7 posts (4 published, 3 drafts)");
    assert_eq!(summary_value(out, "pages created"), 1, "1 page");
    assert_eq!(
        summary_value(out, "  new ones that are drafts (not public)"),
        3,
        "draft/private/future are drafts"
    );
    assert_eq!(summary_value(out, "posts unchanged (imported before)"), 0, "nothing imported before");
    assert_eq!(summary_value(out, "comments approved"), 7, "approved regular comments");
    assert_eq!(summary_value(out, "comments pending"), 1, "pending comments");
    assert_eq!(summary_value(out, "comments spam"), 1, "spam comments");
    assert_eq!(summary_value(out, "comments trash"), 1, "trashed comments");
    assert_eq!(summary_value(out, "pingbacks"), 1, "pingbacks");
    assert_eq!(summary_value(out, "trackbacks"), 1, "trackbacks");

    assert_eq!(count(&app, "SELECT COUNT(*) AS n FROM posts WHERE kind = 'article'"), 7, "articles in db");
    assert_eq!(count(&app, "SELECT COUNT(*) AS n FROM posts WHERE kind = 'page'"), 1, "pages in db");
    assert_eq!(
        count(&app, "SELECT COUNT(*) AS n FROM posts WHERE status = 'published' AND kind = 'article'"),
        4,
        "published articles: 10 11 12 15"
    );
    assert_eq!(count(&app, "SELECT COUNT(*) AS n FROM comments"), 12, "all 12 wp:comment elements");
    assert_eq!(count(&app, "SELECT COUNT(*) AS n FROM categories"), 2, "categories news, health-and-fitness");
    assert_eq!(count(&app, "SELECT COUNT(*) AS n FROM tags"), 2, "tags hair, cafes");
    let titles: BTreeSet<String> = posts(&app).into_iter().map(|p| p.title).collect();
    assert!(
        !titles.contains("photo") && !titles.contains("Home"),
        "attachments and menu items skipped: {titles:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn articles_pages_and_drafts_answer_where_they_should() {
    let mut app = site_app().await;
    for slug in ["classic-post", "block-post", "minimal"] {
        page(&app, &format!("/posts/{slug}")).await;
    }
    // Post 12: no post_name and the title of post 10, so it gets a free slug of its own.
    let twelve = posts(&app).into_iter().find(|p| p.title == "Classic Post" && p.slug != "classic-post");
    let twelve = twelve.expect("expected post 12 (same title as 10) imported under another slug");
    assert_eq!(twelve.status, "published", "post 12 is published");
    let body = page(&app, &format!("/posts/{}", twelve.slug)).await;
    assert!(body.contains("a]]&gt;b"), "expected the CDATA edge case text a]]>b in post 12");
    assert!(body.contains(r"C:\Users\ada\file.txt"), "expected the backslashes of post 12 kept");

    let about = page(&app, "/pages/about").await;
    assert!(about.contains("We are a small blog."), "expected the page's content on /pages/about");
    assert_redirect(&app, "/posts/about", "/pages/about").await;
    assert_redirect(&app, "/posts/about?replytocom=7", "/pages/about?replytocom=7").await;

    // Drafts (draft, private, future) are not public, under any slug they got.
    let drafts: Vec<PostRow> = posts(&app).into_iter().filter(|p| p.status == "draft").collect();
    assert_eq!(drafts.len(), 3, "expected 3 drafts (13 private, 14 future, 30 draft): {drafts:?}");
    for draft in &drafts {
        assert_status(&app, &format!("/posts/{}", draft.slug), 404).await;
    }
    assert!(
        drafts.iter().any(|d| d.slug == "private-notes") && drafts.iter().any(|d| d.slug == "coming-soon")
    );

    // The page is in neither the index nor the feed.
    let index = page(&app, "/").await;
    let document = Html::parse_document(&index);
    let cards: Vec<String> = document
        .select(&sel("article.post-card h2 a"))
        .map(|a| a.value().attr("href").unwrap().to_string())
        .collect();
    assert!(
        cards.contains(&"/posts/classic-post".to_string()),
        "expected classic-post on the index: {cards:?}"
    );
    assert!(
        cards.iter().all(|href| !href.contains("/pages/") && !href.ends_with("/about")),
        "page on index: {cards:?}"
    );
    assert_eq!(cards.len(), 4, "expected the 4 published articles on the index: {cards:?}");
    let feed = page(&app, "/feed.xml").await;
    assert!(feed.contains("Classic Post"), "expected articles in /feed.xml");
    assert!(!feed.contains("About Us") && !feed.contains("/pages/about"), "expected no page in /feed.xml");
    for secret in ["Private Notes", "Coming Soon", "Unfinished Draft"] {
        assert!(!feed.contains(secret) && !index.contains(secret), "draft {secret:?} must not be listed");
    }

    // Navigation is refreshed at start: after the CLI import, restart.
    app.restart().await;
    let index = page(&app, "/").await;
    let document = Html::parse_document(&index);
    let nav: Vec<(String, String)> = document
        .select(&sel("nav.site-nav a"))
        .map(|a| (a.value().attr("href").unwrap_or("").to_string(), normalize(&a.text().collect::<String>())))
        .collect();
    assert_eq!(
        nav,
        vec![("/pages/about".to_string(), "About Us".to_string())],
        "expected the page in nav.site-nav"
    );
}

/// A small WXR 1.2 file: items are (id, type, slug, title, category, tag).
fn small_wxr(base: &str, items: &[(i64, &str, &str, &str, &str, &str)]) -> String {
    let mut xml = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" ?>\n<rss version=\"2.0\" \
         xmlns:excerpt=\"http://wordpress.org/export/1.2/excerpt/\" \
         xmlns:content=\"http://purl.org/rss/1.0/modules/content/\" \
         xmlns:dc=\"http://purl.org/dc/elements/1.1/\" xmlns:wp=\"http://wordpress.org/export/1.2/\">\n\
         <channel>\n<title>Small</title>\n<link>{base}</link>\n<wp:wxr_version>1.2</wp:wxr_version>\n\
         <wp:base_site_url>{base}</wp:base_site_url>\n<wp:base_blog_url>{base}</wp:base_blog_url>\n"
    );
    for (id, kind, slug, title, category, tag) in items {
        xml.push_str(&format!(
            "<item>\n<title>{title}</title>\n<link>{base}/{slug}/</link>\n<dc:creator>admin</dc:creator>\n\
             <guid isPermaLink=\"false\">{base}/?p={id}</guid>\n<content:encoded><![CDATA[Text of {title}.]]></content:encoded>\n\
             <wp:post_id>{id}</wp:post_id>\n<wp:post_date>2022-01-{day:02} 10:00:00</wp:post_date>\n\
             <wp:post_date_gmt>2022-01-{day:02} 10:00:00</wp:post_date_gmt>\n<wp:comment_status>open</wp:comment_status>\n\
             <wp:post_name>{slug}</wp:post_name>\n<wp:status>publish</wp:status>\n<wp:post_parent>0</wp:post_parent>\n\
             <wp:menu_order>0</wp:menu_order>\n<wp:post_type>{kind}</wp:post_type>\n\
             <category domain=\"category\" nicename=\"{category}\"><![CDATA[{category}]]></category>\n\
             <category domain=\"post_tag\" nicename=\"{tag}\"><![CDATA[{tag}]]></category>\n</item>\n",
            day = (id % 28) + 1
        ));
    }
    xml.push_str("</channel>\n</rss>\n");
    xml
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn password_protected_posts_are_not_made_public() {
    let app = TestApp::spawn().await;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("protected.xml");
    let xml = small_wxr(
        "https://protected.example",
        &[
            (1, "post", "open-post", "Open Post", "misc", "x"),
            (2, "post", "secret-post", "Secret Post", "misc", "x"),
        ],
    )
    .replace(
        "<wp:post_id>2</wp:post_id>",
        "<wp:post_id>2</wp:post_id>\n<wp:post_password>hunter2</wp:post_password>",
    );
    std::fs::write(&file, xml).unwrap();
    import_ok(&app, &file, &[]);
    assert_status(&app, "/posts/open-post", 200).await;
    assert_status(&app, "/posts/secret-post", 404).await;
    let (_, home) = app.get_text("/").await;
    assert!(!home.contains("Secret Post"), "a password-protected post is not listed");
    let drafts: Vec<PostRow> = posts(&app).into_iter().filter(|p| p.status == "draft").collect();
    assert_eq!(drafts.len(), 1, "the protected post is kept as a draft: {drafts:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pages_are_never_related_articles() {
    let app = TestApp::spawn().await;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("related.xml");
    // A page sharing category and tag with the articles, and newer than them.
    std::fs::write(
        &file,
        small_wxr(
            "https://related.example",
            &[
                (1, "post", "first-article", "First Article", "coffee", "beans"),
                (2, "post", "second-article", "Second Article", "coffee", "beans"),
                (3, "page", "coffee-page", "Coffee Page", "coffee", "beans"),
            ],
        ),
    )
    .unwrap();
    import_ok(&app, &file, &[]);
    page(&app, "/pages/coffee-page").await;
    let html = page(&app, "/posts/first-article").await;
    let document = Html::parse_document(&html);
    let related: Vec<String> = document
        .select(&sel("section.related a"))
        .map(|a| a.value().attr("href").unwrap_or("").to_string())
        .collect();
    assert!(
        related.contains(&"/posts/second-article".to_string()),
        "expected the other article related: {related:?}"
    );
    assert!(
        related.iter().all(|href| !href.contains("coffee-page")),
        "expected no page among Related Articles: {related:?}"
    );
    for listing in ["/category/coffee", "/tag/beans", "/"] {
        let html = page(&app, listing).await;
        let document = Html::parse_document(&html);
        let cards: Vec<String> = document
            .select(&sel("article.post-card h2 a"))
            .map(|a| a.value().attr("href").unwrap_or("").to_string())
            .collect();
        assert!(!cards.is_empty(), "expected articles listed on {listing}");
        assert!(
            cards.iter().all(|h| !h.contains("coffee-page")),
            "expected no page listed on {listing}: {cards:?}"
        );
    }
}

// ---------------------------------------------------------------------------------------------
// Content conversion
// ---------------------------------------------------------------------------------------------

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn classic_editor_content_becomes_paragraphs_figures_and_new_links() {
    let app = site_app().await;
    let html = page(&app, "/posts/classic-post").await;
    let document = Html::parse_document(&html);
    let body = document.select(&sel(".article-body")).next().expect("an .article-body");
    let body_html = body.inner_html();

    let paragraphs: Vec<String> =
        body.select(&sel("p")).map(|p| normalize(&p.text().collect::<String>())).collect();
    for start in
        ["Welcome to the classic post.", "This paragraph has a line break", "The third paragraph points"]
    {
        assert!(
            paragraphs.iter().any(|p| p.starts_with(start)),
            "expected a <p> starting with {start:?}; paragraphs: {paragraphs:?}"
        );
    }
    let with_break = body
        .select(&sel("p"))
        .find(|p| p.text().collect::<String>().contains("line break"))
        .expect("the line-break paragraph");
    assert_eq!(with_break.select(&sel("br")).count(), 1, "expected one <br> for the single newline");
    assert!(
        normalize(&with_break.text().collect::<String>()).contains("in the middle & nowhere else."),
        "expected &amp; shown as &"
    );

    let figure = body.select(&sel("figure.wp-caption")).next().unwrap_or_else(|| {
        panic!("expected [caption] converted to <figure class=\"wp-caption ...\">; body:\n{body_html}")
    });
    let caption = figure.select(&sel("figcaption")).next().expect("expected a <figcaption> in the figure");
    assert_eq!(normalize(&caption.text().collect::<String>()), "The photo caption", "figcaption text");
    assert!(
        figure.select(&sel("img[alt=\"A photo\"]")).next().is_some(),
        "expected the image inside the figure"
    );
    assert!(
        !body_html.contains("[caption") && !body_html.contains("[/caption]"),
        "caption shortcode left:\n{body_html}"
    );
    assert!(!body_html.contains("contact-form-7"), "unknown shortcode not removed:\n{body_html}");

    let hrefs: Vec<String> =
        body.select(&sel("a")).map(|a| a.value().attr("href").unwrap_or("").to_string()).collect();
    let to_block = hrefs.iter().filter(|h| location_path(h) == "/posts/block-post").count();
    assert_eq!(to_block, 2, "expected both links to post 11 (permalink and ?p=11) rewritten: {hrefs:?}");
    assert!(hrefs.contains(&"https://example.net/elsewhere".to_string()), "outside link kept: {hrefs:?}");
    assert!(!hrefs.iter().any(|h| h.contains("old.example.com")), "old-site links left: {hrefs:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn block_editor_content_keeps_its_html_without_block_comments() {
    let app = site_app().await;
    let html = page(&app, "/posts/block-post").await;
    let document = Html::parse_document(&html);
    let body = document.select(&sel(".article-body")).next().expect("an .article-body");
    let body_html = body.inner_html();
    assert!(!body_html.contains("<!--"), "expected block comments dropped:\n{body_html}");
    assert!(!body_html.contains("wp:"), "expected no block markup left:\n{body_html}");
    let heading = body.select(&sel("h2")).next().expect("expected the wp:heading's <h2>");
    assert_eq!(normalize(&heading.text().collect::<String>()), "What we drink");
    let items: Vec<String> =
        body.select(&sel("li")).map(|li| normalize(&li.text().collect::<String>())).collect();
    assert_eq!(items, ["Flat white", "Café crème"], "list items");
    assert!(body.select(&sel("hr")).next().is_some(), "expected the separator's <hr>");
    assert!(body.select(&sel("strong")).next().is_some(), "expected the <strong> kept");
    let hrefs: Vec<String> =
        body.select(&sel("a")).map(|a| a.value().attr("href").unwrap_or("").to_string()).collect();
    assert!(
        hrefs.iter().any(|h| location_path(h) == "/posts/classic-post"),
        "expected the link to post 10 rewritten to /posts/classic-post: {hrefs:?}"
    );
    assert!(normalize(&body.text().collect::<String>()).ends_with("Thanks for reading."), "last paragraph");
}

// ---------------------------------------------------------------------------------------------
// Comments
// ---------------------------------------------------------------------------------------------

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn comment_statuses_map_and_only_approved_ones_are_public() {
    let app = site_app().await;
    let by_author = |author: &str| {
        comment_rows(&app)
            .into_iter()
            .find(|r| r.author == author)
            .unwrap_or_else(|| panic!("no comment by {author}"))
    };
    assert_eq!(by_author("Alice").status, "approved", "approved 1 -> approved");
    assert_eq!(by_author("Pending Pete").status, "pending", "approved 0 -> pending");
    assert_eq!(by_author("Casino Bot").status, "spam", "spam -> spam");
    assert_eq!(by_author("Trashed Tom").status, "trash", "trash -> trash");
    assert_eq!(by_author("Erin").slug, "block-post", "Erin's comment on post 11");

    let html = page(&app, "/posts/classic-post").await;
    let comments_feed = page(&app, "/comments/feed.xml").await;
    for hidden in [
        "This one waits for moderation",
        "Best online casino bonus",
        "This one was trashed",
        "Pending Pete",
        "Casino Bot",
        "Trashed Tom",
    ] {
        assert!(!html.contains(hidden), "expected {hidden:?} not on the article page");
        assert!(!comments_feed.contains(hidden), "expected {hidden:?} not in /comments/feed.xml");
    }
    for shown in ["First level comment", "Second level reply", "Third level reply", "Fourth level reply"] {
        assert!(html.contains(shown), "expected approved comment {shown:?} on the article page");
    }
    assert!(
        comments_feed.contains("Lovely list of drinks."),
        "expected approved comments in /comments/feed.xml"
    );

    let document = Html::parse_document(&html);
    let heading = document.select(&sel("#comments-heading")).next().expect("a comments heading");
    // 6 approved regular comments on post 10: 100 101 102 103 107 109 (not the pingback/trackback).
    assert_eq!(
        normalize(&heading.text().collect::<String>()),
        "6 thoughts on “Classic Post”",
        "expected the heading to count the approved regular comments only"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn four_level_thread_is_nested_in_the_dom() {
    let app = site_app().await;
    let ids: Vec<i32> =
        ["Alice", "Bob", "Carol", "Dave"].iter().map(|a| comment_id_by_author(&app, a)).collect();
    let zoe = comment_id_by_author(&app, "Zoë Ünïcödé");
    let html = page(&app, "/posts/classic-post").await;
    let document = Html::parse_document(&html);
    let enclosing = |id: i32| -> Vec<String> {
        let li = document
            .select(&sel(&format!("li#comment-{id}")))
            .next()
            .unwrap_or_else(|| panic!("expected li#comment-{id} on the page"));
        li.ancestors()
            .filter_map(ElementRef::wrap)
            .filter(|e| e.value().name() == "li")
            .filter_map(|e| e.value().id().map(str::to_string))
            .collect()
    };
    let expected: Vec<String> = ids[..3].iter().rev().map(|id| format!("comment-{id}")).collect();
    assert_eq!(enclosing(ids[3]), expected, "expected Dave's li inside Carol's inside Bob's inside Alice's");
    assert_eq!(enclosing(ids[0]), Vec::<String>::new(), "expected Alice's comment at the top level");
    assert_eq!(
        enclosing(zoe),
        vec![format!("comment-{}", ids[0])],
        "expected Zoë's reply directly under Alice's"
    );
    let dave = document.select(&sel(&format!("li#comment-{}", ids[3]))).next().unwrap();
    assert!(dave.value().classes().any(|c| c == "depth-4"), "expected Dave's comment marked depth-4");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hostile_comment_html_stays_inert() {
    let app = site_app().await;
    let mallory = comment_id_by_author(&app, "Mallory");
    let html = page(&app, "/posts/classic-post").await;
    let document = Html::parse_document(&html);
    let section = document.select(&sel("section#comments")).next().expect("section#comments");
    assert_eq!(
        section.select(&sel("script")).count(),
        0,
        "expected no <script> element in the comments section"
    );
    assert_eq!(document.select(&sel("[onerror]")).count(), 0, "expected no onerror attribute anywhere");
    let li = document
        .select(&sel(&format!("li#comment-{mallory}")))
        .next()
        .expect("Mallory's approved comment shown");
    let text = normalize(&li.select(&sel(".comment-content")).next().unwrap().text().collect::<String>());
    assert!(text.starts_with("Nice post"), "expected Mallory's text shown: {text:?}");
    for script in document.select(&sel("script")) {
        let inline = script.text().collect::<String>();
        assert!(!inline.contains("__xss"), "expected the comment's script not executable anywhere: {inline}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pingbacks_and_trackbacks_are_mentions_not_comments() {
    let app = site_app().await;
    let html = page(&app, "/posts/classic-post").await;
    let document = Html::parse_document(&html);
    let mentions = document.select(&sel("section.mentions")).next().expect("expected a section.mentions");
    let names: Vec<String> =
        mentions.select(&sel("li")).map(|li| normalize(&li.text().collect::<String>())).collect();
    assert_eq!(names.len(), 2, "expected the pingback and the trackback as mentions: {names:?}");
    assert!(
        names.iter().any(|n| n.contains("Other Blog » A post")),
        "pingback with &raquo; decoded: {names:?}"
    );
    assert!(names.iter().any(|n| n.contains("Track Site")), "trackback listed: {names:?}");
    let hrefs: Vec<&str> = mentions.select(&sel("a")).filter_map(|a| a.value().attr("href")).collect();
    assert!(
        hrefs.contains(&"https://other.example/linking-post/"),
        "pingback links to its source: {hrefs:?}"
    );

    let thread = document.select(&sel("ol.comment-list")).next().expect("ol.comment-list");
    let thread_text = thread.text().collect::<String>();
    for mention in ["Other Blog", "Track Site", "linking here", "tracked back"] {
        assert!(!thread_text.contains(mention), "expected {mention:?} not in the comment thread");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn many_mentions_show_the_newest_with_a_link_to_all() {
    let app = site_app().await;
    for i in 0..23 {
        let sql = format!(
            "INSERT INTO comments (post_id, status, author, email, url, body_source, body_html, reason, \
             created_at, updated_at, kind, body_format) SELECT post_id, 'approved', 'Linker {i:02}', '', \
             'https://linker{i}.example/', '', '', 'imported', '2030-01-01 00:00:{i:02}', \
             '2030-01-01 00:00:{i:02}', 'pingback', 'html' FROM comments WHERE kind = 'pingback' LIMIT 1"
        );
        app.db(|c| diesel::sql_query(&sql).execute(c)).unwrap();
    }
    let names = |html: &str| -> Vec<String> {
        let document = Html::parse_document(html);
        let section = document.select(&sel("section#mentions")).next().expect("section#mentions");
        section.select(&sel("li")).map(|li| normalize(&li.text().collect::<String>())).collect()
    };
    let html = page(&app, "/posts/classic-post").await;
    let shown = names(&html);
    assert_eq!(shown.len(), 20, "the newest 20 of 25 mentions: {shown:?}");
    assert!(
        shown[0].contains("Linker 03") && shown[19].contains("Linker 22"),
        "newest, oldest first: {shown:?}"
    );
    assert!(html.contains("href=\"/posts/classic-post?mentions=all#mentions\""), "a link to all of them");
    assert!(html.contains("Show all 25 mentions"));
    let all = names(&page(&app, "/posts/classic-post?mentions=all").await);
    assert_eq!(all.len(), 25, "every mention on ?mentions=all: {all:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn skip_pingbacks_leaves_them_out() {
    let app = TestApp::spawn().await;
    let run = import_ok(&app, &fixture("site.xml"), &["--skip-pingbacks"]);
    assert_eq!(summary_value(&run.stdout, "pingbacks"), 0, "no pingbacks imported");
    assert_eq!(summary_value(&run.stdout, "trackbacks"), 0, "no trackbacks imported");
    assert_eq!(
        count(&app, "SELECT COUNT(*) AS n FROM comments WHERE kind <> 'comment'"),
        0,
        "pingbacks in db"
    );
    assert_eq!(
        count(&app, "SELECT COUNT(*) AS n FROM comments"),
        10,
        "expected the 10 regular comments only"
    );
    let html = page(&app, "/posts/classic-post").await;
    let document = Html::parse_document(&html);
    assert!(document.select(&sel("section.mentions")).next().is_none(), "expected no mentions section");
    assert!(!html.contains("Track Site") && !html.contains("Other Blog"), "expected no pingback on the page");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn non_ascii_names_emoji_and_entities_survive() {
    let app = site_app().await;
    let zoe = comment_id_by_author(&app, "Zoë Ünïcödé");
    comment_id_by_author(&app, "Other Blog \u{bb} A post");
    let html = page(&app, "/posts/classic-post").await;
    let document = Html::parse_document(&html);
    let li = document.select(&sel(&format!("li#comment-{zoe}"))).next().expect("Zoë's comment");
    let author = normalize(&li.select(&sel(".comment-author")).next().unwrap().text().collect::<String>());
    assert_eq!(author, "Zoë Ünïcödé", "non-ASCII author name");
    let text = normalize(&li.select(&sel(".comment-content")).next().unwrap().text().collect::<String>());
    assert_eq!(text, "Ça marche très bien 😀 — 日本語 too", "non-ASCII comment text with 4-byte emoji");
    assert!(
        !html.contains("&amp;raquo;") && !html.contains("&raquo;"),
        "expected &raquo; decoded, not shown"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn commenter_emails_and_ips_are_on_no_public_page() {
    let app = site_app().await;
    let paths = [
        "/",
        "/posts/classic-post",
        "/posts/block-post",
        "/pages/about",
        "/feed.xml",
        "/comments/feed.xml",
        "/sitemap.xml",
        "/sitemap-posts-1.xml",
        "/sitemap-site.xml",
        "/category/news",
        "/tag/hair",
    ];
    for path in paths {
        let body = page(&app, path).await;
        for secret in PRIVATE {
            assert!(!body.contains(secret), "expected {secret} nowhere on {path}");
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Old links
// ---------------------------------------------------------------------------------------------

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn old_wordpress_links_redirect_permanently() {
    let app = site_app().await;
    assert_redirect(&app, "/2019/03/04/classic-post/", "/posts/classic-post").await;
    assert_redirect(&app, "/2019/03/04/classic-post", "/posts/classic-post").await;
    assert_redirect(&app, "/2019/05/06/block-post/", "/posts/block-post").await;
    assert_redirect(&app, "/?p=10", "/posts/classic-post").await;
    assert_redirect(&app, "/?p=11", "/posts/block-post").await;
    assert_redirect(&app, "/?page_id=20", "/pages/about").await;
    assert_redirect(&app, "/about/", "/pages/about").await;
    assert_redirect(&app, "/category/news/", "/category/news").await;
    assert_redirect(&app, "/tag/cafes/", "/tag/cafes").await;
    assert_redirect(&app, "/feed/", "/feed.xml").await;
    assert_redirect(&app, "/comments/feed/", "/comments/feed.xml").await;
    page(&app, "/category/news").await;
    page(&app, "/tag/cafes").await;

    assert_status(&app, "/2019/03/04/no-such-post/", 404).await;
    assert_status(&app, "/?p=9999", 404).await;
    assert_status(&app, "/nothing/here", 404).await;
    // Unpublished posts: their old links do not reveal them.
    assert_status(&app, "/?p=30", 404).await;
    assert_status(&app, "/?p=13", 404).await;
    assert_status(&app, "/2020/02/02/private-notes/", 404).await;
    assert_status(&app, "/?p=14", 404).await;
}

// ---------------------------------------------------------------------------------------------
// Idempotence, malformed files, dry runs, WXR 1.0
// ---------------------------------------------------------------------------------------------

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn second_import_of_the_same_file_changes_nothing() {
    let app = site_app().await;
    let before = counts(&app);
    let posts_before = posts(&app);
    let comments_before = comment_rows(&app);
    let run = import_ok(&app, &fixture("site.xml"), &[]);
    let out = &run.stdout;
    assert_eq!(summary_value(out, "posts unchanged (imported before)"), 8, "7 posts + 1 page unchanged");
    for row in ["articles created", "pages created", "articles updated", "pages updated", "comments approved"]
    {
        assert_eq!(summary_value(out, row), 0, "expected `{row}` 0 on the second import");
    }
    assert_eq!(summary_value(out, "comments imported before"), 12, "all 12 comments known");
    assert_eq!(counts(&app), before, "expected the same row counts after a second import");
    assert_eq!(posts(&app), posts_before, "expected the same posts after a second import");
    assert_eq!(comment_rows(&app), comments_before, "expected the same comments after a second import");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn malformed_file_is_refused_with_its_position_and_nothing_is_written() {
    let app = TestApp::spawn().await;
    let run = import(&app, &fixture("malformed.xml"), &[]);
    assert!(!run.success, "expected a non-zero exit for malformed.xml; stdout:\n{}", run.stdout);
    assert!(
        run.stderr.contains("malformed.xml:56:40:"),
        "expected `malformed.xml:56:40:` in stderr:\n{}",
        run.stderr
    );
    assert!(!run.stderr.contains("panicked"), "expected an error, not a panic:\n{}", run.stderr);
    let counts = counts(&app);
    for table in ["posts", "comments", "redirects"] {
        assert_eq!(counts[table], 0, "expected nothing written to {table}");
    }
    assert_status(&app, "/posts/fine-post", 404).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dry_run_prints_the_summary_and_writes_nothing() {
    let app = TestApp::spawn().await;
    let run = import_ok(&app, &fixture("site.xml"), &["--dry-run"]);
    assert!(run.stdout.contains("dry run"), "expected `dry run` in the summary:\n{}", run.stdout);
    assert_eq!(summary_value(&run.stdout, "articles created"), 7, "dry run counts the 7 posts");
    assert_eq!(summary_value(&run.stdout, "pages created"), 1, "dry run counts the page");
    assert_eq!(summary_value(&run.stdout, "comments approved"), 7, "dry run counts the comments");
    let counts = counts(&app);
    assert!(counts.values().all(|n| *n == 0), "expected nothing written by a dry run: {counts:?}");
    assert_status(&app, "/posts/classic-post", 404).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wxr_1_0_file_imports_its_post_terms_and_thread() {
    let app = TestApp::spawn().await;
    let run = import_ok(&app, &fixture("wxr-1.0.xml"), &[]);
    assert_eq!(summary_value(&run.stdout, "articles created"), 1, "one post");
    assert_eq!(summary_value(&run.stdout, "comments approved"), 2, "two approved comments");
    let html = page(&app, "/posts/old-style").await;
    let document = Html::parse_document(&html);
    let title = document.select(&sel("h1.article-title")).next().expect("a title");
    assert_eq!(normalize(&title.text().collect::<String>()), "Old & Style", "title with &amp; decoded");
    let body = article_body_text(&html);
    assert!(body.contains("Written with WordPress 2.6"), "post body: {body}");
    let grace = comment_id_by_author(&app, "Grace");
    let heinz = comment_id_by_author(&app, "Heinz Müller");
    let reply = document.select(&sel(&format!("li#comment-{heinz}"))).next().expect("Heinz's reply shown");
    let parent = reply.ancestors().filter_map(ElementRef::wrap).find(|e| e.value().name() == "li");
    assert_eq!(
        parent.and_then(|p| p.value().id()),
        Some(format!("comment-{grace}").as_str()),
        "expected Heinz's reply nested under Grace's comment"
    );
    let tags: Vec<String> =
        document.select(&sel(".article-tags a")).map(|a| normalize(&a.text().collect::<String>())).collect();
    assert_eq!(tags, ["History"], "expected the WXR 1.0 tag (domain=\"tag\") once");
    let category =
        document.select(&sel("a.category-link")).next().map(|a| normalize(&a.text().collect::<String>()));
    assert_eq!(category.as_deref(), Some("Uncategorized"), "expected the WXR 1.0 category");
    assert_redirect(&app, "/2008/07/09/old-style/", "/posts/old-style").await;
    assert_redirect(&app, "/?p=5", "/posts/old-style").await;
}

// ---------------------------------------------------------------------------------------------
// Failure mid-import
// ---------------------------------------------------------------------------------------------

#[derive(QueryableByName, Debug, PartialEq, Eq, PartialOrd, Ord)]
struct WpIdRow {
    #[diesel(sql_type = diesel::sql_types::Text)]
    site: String,
    #[diesel(sql_type = diesel::sql_types::Text)]
    kind: String,
    #[diesel(sql_type = diesel::sql_types::Integer)]
    wp_id: i32,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Integer>)]
    local_id: Option<i32>,
}

fn wordpress_ids(app: &TestApp) -> Vec<WpIdRow> {
    let mut rows = app
        .db(|c| {
            diesel::sql_query(
                "SELECT site, 'post' AS kind, wp_id, post_id AS local_id FROM wordpress_posts \
                 UNION ALL SELECT site, 'comment', wp_id, comment_id FROM wordpress_comments",
            )
            .load::<WpIdRow>(c)
        })
        .unwrap();
    rows.sort();
    rows
}

fn fail_on_dave(app: &TestApp) {
    app.db(|c| crate::common::fail_when(c, "fail_dave", "INSERT", "comments", "NEW.author = 'Dave'"));
}

fn assert_failed_import_left_nothing(app: &TestApp, file: &Path, what: &str) {
    let before = counts(app);
    let posts_before = posts(app);
    let ids_before = wordpress_ids(app);
    let run = import(app, file, &[]);
    assert!(!run.success, "{what}: expected a non-zero exit when a write fails; stdout:\n{}", run.stdout);
    assert!(
        run.stderr.contains("simulated disk failure"),
        "{what}: expected the failure named on stderr:\n{}",
        run.stderr
    );
    assert_eq!(counts(app), before, "{what}: expected every table as it was before the failed import");
    assert_eq!(posts(app), posts_before, "{what}: expected the same posts as before");
    assert_eq!(wordpress_ids(app), ids_before, "{what}: expected the same wordpress_ids as before");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn failure_mid_import_leaves_an_empty_database_empty() {
    let app = TestApp::spawn().await;
    fail_on_dave(&app);
    assert_failed_import_left_nothing(&app, &fixture("site.xml"), "empty database");
    assert!(counts(&app).values().all(|n| *n == 0), "expected all tables still empty");
    assert_status(&app, "/posts/classic-post", 404).await;
    assert_status(&app, "/2019/03/04/classic-post/", 404).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn failure_mid_import_keeps_an_earlier_import_as_it_was() {
    let app = TestApp::spawn().await;
    import_ok(&app, &fixture("wxr-1.0.xml"), &[]);
    fail_on_dave(&app);
    assert_failed_import_left_nothing(&app, &fixture("site.xml"), "after wxr-1.0.xml");
    assert!(
        counts(&app)["posts"] == 1 && counts(&app)["comments"] == 2,
        "expected the earlier import intact"
    );
    page(&app, "/posts/old-style").await;
    assert_status(&app, "/posts/classic-post", 404).await;
}

/// A file large enough for several write batches, whose last item fails (Dave's comment):
/// what the earlier, committed batches wrote must be undone.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn failure_in_a_later_batch_undoes_the_committed_batches() {
    let app = TestApp::spawn().await;
    import_ok(&app, &fixture("wxr-1.0.xml"), &[]);
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("big.xml");
    std::fs::write(&file, bulk_wxr()).unwrap();

    // Without the trigger the file imports (so the failure below is the trigger's).
    let control = TestApp::spawn().await;
    import_ok(&control, &file, &[]);
    assert_eq!(counts(&control)["posts"], 1101, "control: the generated file imports all its posts");

    fail_on_dave(&app);
    assert_failed_import_left_nothing(&app, &file, "failure after a committed batch");
    assert_eq!(
        count(&app, "SELECT COUNT(*) AS n FROM categories WHERE slug = 'bulk-category'"),
        0,
        "category undone"
    );
    assert_eq!(count(&app, "SELECT COUNT(*) AS n FROM tags WHERE slug = 'bulk-tag'"), 0, "tag undone");
    assert_status(&app, "/posts/bulk-1", 404).await;
    page(&app, "/posts/old-style").await;
}

/// 1100 posts (more than one write batch of 1000 rows), then post 5000 `last` with a comment
/// by Dave.
fn bulk_wxr() -> String {
    let items: Vec<(i64, String)> = (1..=1100).map(|i| (i, format!("bulk-{i}"))).collect();
    let refs: Vec<(i64, &str, &str, &str, &str, &str)> = items
        .iter()
        .map(|(i, s)| (*i, "post", s.as_str(), s.as_str(), "bulk-category", "bulk-tag"))
        .collect();
    let xml = small_wxr("https://bulk.example", &refs);
    let last = "<item>\n<title>Last</title>\n<link>https://bulk.example/last/</link>\n\
        <dc:creator>admin</dc:creator>\n<guid isPermaLink=\"false\">https://bulk.example/?p=5000</guid>\n\
        <content:encoded><![CDATA[Last one.]]></content:encoded>\n<wp:post_id>5000</wp:post_id>\n\
        <wp:post_date_gmt>2022-02-01 10:00:00</wp:post_date_gmt>\n<wp:post_name>last</wp:post_name>\n\
        <wp:status>publish</wp:status>\n<wp:post_type>post</wp:post_type>\n\
        <wp:comment><wp:comment_id>1</wp:comment_id><wp:comment_author><![CDATA[Dave]]></wp:comment_author>\
        <wp:comment_author_email>dave@example.com</wp:comment_author_email>\
        <wp:comment_date_gmt>2022-02-01 11:00:00</wp:comment_date_gmt>\
        <wp:comment_content><![CDATA[Boom]]></wp:comment_content><wp:comment_approved>1</wp:comment_approved>\
        <wp:comment_type>comment</wp:comment_type><wp:comment_parent>0</wp:comment_parent></wp:comment>\n</item>\n";
    xml.replace("</channel>", &format!("{last}</channel>"))
}

/// Every post as one comparable line (what an undo must restore, including updated_at).
fn post_lines(app: &TestApp) -> Vec<String> {
    #[derive(QueryableByName)]
    struct Line {
        #[diesel(sql_type = diesel::sql_types::Text)]
        line: String,
    }
    app.db(|c| {
        diesel::sql_query(
            "SELECT slug || '|' || title || '|' || COALESCE(author_name, '') || '|' || status || '|' || \
             updated_at || '|' || body_html AS line FROM posts ORDER BY id",
        )
        .load::<Line>(c)
    })
    .unwrap()
    .into_iter()
    .map(|l| l.line)
    .collect()
}

/// A second import that updates posts (the author changes) and fails in its second batch: the
/// posts the first batch updated are restored.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn failure_after_updates_restores_the_updated_posts() {
    let app = TestApp::spawn().await;
    app.user("ada", marginalia::db::enums::Role::Admin, "long-enough-password");
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("big.xml");
    std::fs::write(&file, bulk_wxr()).unwrap();
    import_ok(&app, &file, &["--author", "ada"]);
    app.db(|c| crate::common::fail_when(c, "fail_last", "UPDATE", "posts", "NEW.slug = 'last'"));
    let lines = post_lines(&app);
    assert!(lines.iter().all(|l| l.contains("|ada|")), "setup: every post shown as by ada");
    assert_failed_import_left_nothing(&app, &file, "failed re-import that updates");
    assert_eq!(post_lines(&app), lines, "expected every updated post restored (author, updated_at, body)");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn author_option_shows_the_user_and_refuses_unknown_ones() {
    let app = TestApp::spawn().await;
    let run = import(&app, &fixture("site.xml"), &["--author", "nobody"]);
    assert!(!run.success, "expected a non-zero exit for an unknown --author");
    assert!(run.stderr.contains("nobody"), "expected the unknown user named on stderr:\n{}", run.stderr);
    assert_eq!(counts(&app)["posts"], 0, "expected nothing written for an unknown --author");

    app.user("ada", marginalia::db::enums::Role::Admin, "long-enough-password");
    import_ok(&app, &fixture("site.xml"), &["--author", "ada"]);
    let html = page(&app, "/posts/minimal").await;
    let document = Html::parse_document(&html);
    let author =
        document.select(&sel(".meta .author")).next().map(|a| normalize(&a.text().collect::<String>()));
    assert_eq!(author.as_deref(), Some("ada"), "expected --author's user shown as the author");
}

/// The summary lines after the title, which say what the import did or would do.
fn summary_rows(stdout: &str) -> Vec<String> {
    stdout.lines().skip(1).map(normalize).collect()
}

/// Rows that differ between a dry run's summary and the real import's (title aside).
fn summary_differences(label: &str, dry: &str, real: &str) -> Vec<String> {
    let (dry, real) = (summary_rows(dry), summary_rows(real));
    let mut differences: Vec<String> =
        dry.iter().filter(|row| !real.contains(row)).map(|row| format!("{label}: dry run `{row}`")).collect();
    differences.extend(
        real.iter().filter(|row| !dry.contains(row)).map(|row| format!("{label}: real import `{row}`")),
    );
    differences
}

/// A dry run says what the import would do: its table is the real import's, row for row
/// (on a fresh database, on one that already holds the import, with and without
/// --skip-pingbacks).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dry_run_summary_predicts_the_real_import() {
    let mut differences = Vec::new();
    for extra in [&[][..], &["--skip-pingbacks"][..]] {
        let app = TestApp::spawn().await;
        let site = fixture("site.xml");
        let with_dry_run = [&["--dry-run"][..], extra].concat();
        for attempt in ["first import", "second import"] {
            let dry = import_ok(&app, &site, &with_dry_run);
            let real = import_ok(&app, &site, extra);
            let label = format!("{attempt} {extra:?}");
            differences.extend(summary_differences(&label, &dry.stdout, &real.stdout));
        }
    }
    assert!(
        differences.is_empty(),
        "expected a dry run to print the summary the real import then prints; differences:\n{}",
        differences.join("\n")
    );
}

// ---------------------------------------------------------------------------------------------
// Export and round trip
// ---------------------------------------------------------------------------------------------

/// Every item of a WXR file, read with the library's reader (so the file must be well-formed).
fn read_items(path: &Path) -> Vec<WxrItem> {
    let file = std::fs::File::open(path).unwrap();
    let mut items = Vec::new();
    read_wxr(BufReader::new(file), |event| {
        if let WxrEvent::Item(item) = event {
            items.push(*item);
        }
        Ok::<(), std::convert::Infallible>(())
    })
    .unwrap_or_else(|e| panic!("expected {} to be a readable WXR file: {e}", path.display()));
    items
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn export_then_import_into_a_fresh_site_gives_the_same_site() {
    let a = site_app().await;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("export.xml");
    let run =
        cli(&a, &["export", "wxr", "--output", file.to_str().unwrap()]).assert_ok("export wxr --output");
    assert!(
        run.stderr.contains("7 articles, 1 pages, 12 comments"),
        "export counts on stderr:\n{}",
        run.stderr
    );
    let items = read_items(&file);
    assert_eq!(items.len(), 8, "expected 8 items (7 articles, 1 page) in the export");
    let exported_comments: usize = items.iter().map(|i| i.comments.len()).sum();
    assert_eq!(exported_comments, 12, "expected every comment, spam and trash included");
    assert!(
        items.iter().flat_map(|i| &i.comments).any(|c| c.approved == "spam"),
        "expected spam in the export by default"
    );
    let dry = import_ok(&a, &file, &["--dry-run"]);
    assert!(dry.stdout.contains("dry run"), "the importer reads the export:\n{}", dry.stdout);

    let b = TestApp::spawn().await;
    import_ok(&b, &file, &[]);
    assert_eq!(
        posts(&b),
        posts(&a),
        "expected the same (slug, title, status, kind) of posts after a round trip"
    );
    assert_eq!(
        comment_rows(&b),
        comment_rows(&a),
        "expected the same comments (post, author, status, kind, parent)"
    );

    for post in posts(&a).into_iter().filter(|p| p.status == "published") {
        let path = match post.kind.as_str() {
            "page" => format!("/pages/{}", post.slug),
            _ => format!("/posts/{}", post.slug),
        };
        let text_a = article_body_text(&page(&a, &path).await);
        let text_b = article_body_text(&page(&b, &path).await);
        assert_eq!(text_b, text_a, "expected the same text of {path} after a round trip");
    }
    // And the converted HTML structure survived, not just the text.
    let html_b = page(&b, "/posts/classic-post").await;
    let document = Html::parse_document(&html_b);
    assert!(
        document.select(&sel(".article-body figure.wp-caption figcaption")).next().is_some(),
        "figure kept"
    );
    for secret in PRIVATE {
        assert!(!html_b.contains(secret), "expected {secret} not public after the round trip");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn export_no_spam_leaves_spam_out() {
    let app = site_app().await;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("clean.xml");
    cli(&app, &["export", "wxr", "--no-spam", "--output", file.to_str().unwrap()])
        .assert_ok("export wxr --no-spam");
    let items = read_items(&file);
    let comments: Vec<_> = items.iter().flat_map(|i| &i.comments).collect();
    assert_eq!(comments.len(), 11, "expected 11 comments (12 minus the spam one)");
    assert!(comments.iter().all(|c| c.approved != "spam"), "expected no spam comment in the file");
    assert!(comments.iter().all(|c| c.author != "Casino Bot"), "expected the spammer left out");
    assert!(comments.iter().any(|c| c.approved == "trash"), "trash is not spam: expected it kept");
    let raw = std::fs::read_to_string(&file).unwrap();
    assert!(!raw.contains("Best online casino bonus"), "expected the spam text nowhere in the file");
}

// ---------------------------------------------------------------------------------------------
// An import whose process dies half-way
// ---------------------------------------------------------------------------------------------

/// An export of 6,000 one-line posts (`bulk-N`): several batches, so one can be killed.
fn bulk_export(dir: &Path) -> PathBuf {
    let big = dir.join("big.xml");
    let items: Vec<(i64, String)> = (1..=6000).map(|i| (i, format!("bulk-{i}"))).collect();
    let rows: Vec<(i64, &str, &str, &str, &str, &str)> =
        items.iter().map(|(i, slug)| (*i, "post", slug.as_str(), slug.as_str(), "bulk", "many")).collect();
    std::fs::write(&big, small_wxr("https://bulk.example", &rows)).unwrap();
    big
}

/// Starts `import wxr` as a child process (to be killed).
fn spawn_import(app: &TestApp, file: &Path) -> std::process::Child {
    app.cli_command()
        .args(["import", "wxr", file.to_str().unwrap()])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_import_killed_half_way_is_undone_before_the_next_one() {
    let app = TestApp::spawn().await;
    import_ok(&app, &fixture("wxr-1.0.xml"), &[]);
    let before = counts(&app);
    let dir = tempfile::tempdir().unwrap();
    let big = bulk_export(dir.path());

    let mut child = spawn_import(&app, &big);
    // Kill it (SIGKILL: no clean-up code runs) once at least one batch is committed.
    let mut committed = 0;
    for _ in 0..3000 {
        committed = count(&app, "SELECT COUNT(*) AS n FROM posts WHERE slug LIKE 'bulk-%'");
        if committed > 0 {
            break;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    child.kill().unwrap();
    let status = child.wait().unwrap();
    assert!(committed > 0 && !status.success(), "expected the import killed after a committed batch");
    let left = count(&app, "SELECT COUNT(*) AS n FROM posts WHERE slug LIKE 'bulk-%'");
    assert!(left > 0 && left < 6000, "a part of the import is in the database ({left} posts)");
    assert_eq!(count(&app, "SELECT COUNT(*) AS n FROM import_runs WHERE state = 'running'"), 1);

    // While the dead run still looks alive, a new import is refused with a clear message...
    let refused = import(&app, &fixture("site.xml"), &[]);
    assert!(!refused.success, "a second concurrent import is refused");
    assert!(refused.stderr.contains("still running"), "says why: {}", refused.stderr);

    // ...and once its heartbeat is old, the next import undoes it first.
    app.db(|c| {
        diesel::sql_query(crate::common::sql(
            "UPDATE import_runs SET heartbeat_at = datetime('now', '-1 hour') WHERE state = 'running'",
        ))
        .execute(c)
    })
    .unwrap();
    import_ok(&app, &fixture("site.xml"), &[]);
    assert_eq!(
        count(&app, "SELECT COUNT(*) AS n FROM posts WHERE slug LIKE 'bulk-%'"),
        0,
        "the dead run is undone"
    );
    assert_eq!(count(&app, "SELECT COUNT(*) AS n FROM import_runs WHERE state = 'undone'"), 1);
    assert_eq!(count(&app, "SELECT COUNT(*) AS n FROM import_undo"), 0, "no undo log is left behind");
    assert_eq!(count(&app, "SELECT COUNT(*) AS n FROM categories WHERE slug = 'bulk'"), 0);
    assert_eq!(count(&app, "SELECT COUNT(*) AS n FROM redirects WHERE from_path LIKE '/bulk-%'"), 0);
    // What was there before the dead run is intact, and the new import landed in full.
    let after = counts(&app);
    assert!(
        after["posts"] == before["posts"] + 8,
        "earlier posts kept, site.xml added: {before:?} -> {after:?}"
    );
    assert_redirect(&app, "/2019/03/04/classic-post/", "/posts/classic-post").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_server_undoes_an_abandoned_import_when_it_starts() {
    let mut app = TestApp::spawn().await;
    let dir = tempfile::tempdir().unwrap();
    let big = bulk_export(dir.path());
    let mut child = spawn_import(&app, &big);
    for _ in 0..3000 {
        if count(&app, "SELECT COUNT(*) AS n FROM posts") > 0 {
            break;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    child.kill().unwrap();
    child.wait().unwrap();
    assert!(count(&app, "SELECT COUNT(*) AS n FROM posts") > 0, "part of the import was committed");
    app.db(|c| {
        diesel::sql_query(crate::common::sql(
            "UPDATE import_runs SET heartbeat_at = datetime('now', '-1 hour')",
        ))
        .execute(c)
    })
    .unwrap();
    app.restart().await;
    for _ in 0..100 {
        if count(&app, "SELECT COUNT(*) AS n FROM import_runs WHERE state = 'undone'") == 1 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(count(&app, "SELECT COUNT(*) AS n FROM posts"), 0, "the server undid the abandoned run");
    assert_eq!(count(&app, "SELECT COUNT(*) AS n FROM redirects"), 0);
}

// ---------------------------------------------------------------------------------------------
// Re-imports against a site that lives on
// ---------------------------------------------------------------------------------------------

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reimport_keeps_local_edits_and_updates_untouched_posts() {
    let app = site_app().await;
    // Edited here after the import: unpublished and retitled.
    app.db(|c| {
        diesel::sql_query(crate::common::sql(
            "UPDATE posts SET status = 'draft', title = 'Edited Here', updated_at = datetime('now', '+1 second') \
             WHERE slug = 'classic-post'",
        ))
        .execute(c)
    })
    .unwrap();
    // A newer export in which WordPress changed another post's title.
    let dir = tempfile::tempdir().unwrap();
    let newer = dir.path().join("newer.xml");
    let xml = std::fs::read_to_string(fixture("site.xml")).unwrap();
    assert!(xml.contains("Block Post"), "fixture has the block post");
    std::fs::write(&newer, xml.replace("<![CDATA[Block Post]]>", "<![CDATA[Block Post, Revised]]>")).unwrap();
    let run = import_ok(&app, &newer, &[]);
    assert_eq!(summary_value(&run.stdout, "posts edited here since, left as they are"), 1, "{}", run.stdout);
    assert_eq!(summary_value(&run.stdout, "articles updated"), 1, "{}", run.stdout);
    assert_status(&app, "/posts/classic-post", 404).await;
    let rows = posts(&app);
    assert!(rows.iter().any(|p| p.slug == "classic-post" && p.title == "Edited Here" && p.status == "draft"));
    assert!(rows.iter().any(|p| p.slug == "block-post" && p.title == "Block Post, Revised"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_purged_comment_is_not_brought_back_by_a_reimport() {
    let app = site_app().await;
    let before = count(&app, "SELECT COUNT(*) AS n FROM comments");
    app.db(|c| diesel::sql_query("DELETE FROM comments WHERE author = 'Casino Bot'").execute(c)).unwrap();
    let run = import_ok(&app, &fixture("site.xml"), &[]);
    assert_eq!(count(&app, "SELECT COUNT(*) AS n FROM comments"), before - 1, "{}", run.stdout);
    assert_eq!(summary_value(&run.stdout, "comments spam"), 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_exact_old_link_wins_over_a_guessed_one() {
    let app = TestApp::spawn().await;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("about.xml");
    let base = "https://clash.example";
    let xml = small_wxr(
        base,
        &[
            (1, "post", "about", "About Something", "misc", "x"),
            (2, "page", "about", "About Us", "misc", "x"),
        ],
    )
    .replacen(
        &format!("<link>{base}/about/</link>"),
        &format!("<link>{base}/2012/01/01/about/</link>"),
        1,
    );
    std::fs::write(&file, xml).unwrap();
    import_ok(&app, &file, &[]);
    assert_redirect(&app, "/2012/01/01/about/", "/posts/about").await;
    assert_redirect(&app, "/about/", "/pages/about-2").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_blog_in_a_subdirectory_gets_its_links_rewritten_and_redirected() {
    let app = TestApp::spawn().await;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("sub.xml");
    let base = "https://sub.example/blog";
    let xml = small_wxr(base, &[(1, "post", "first-article", "First Article", "misc", "x"), (2, "post", "second-article", "Second Article", "misc", "x")])
        .replace(
            "Text of First Article.",
            "See <a href=\"https://sub.example/blog/second-article/\">the second</a> and <a href=\"https://sub.example/blog/?p=2\">again</a>.",
        );
    std::fs::write(&file, xml).unwrap();
    let run = import_ok(&app, &file, &[]);
    assert_eq!(summary_value(&run.stdout, "links rewritten in content"), 2, "{}", run.stdout);
    let html = page(&app, "/posts/first-article").await;
    assert!(html.contains("href=\"/posts/second-article\""), "links to the old site point here now");
    assert!(!html.contains("sub.example"), "no link to the old site is left");
    assert_redirect(&app, "/blog/second-article/", "/posts/second-article").await;
    assert_redirect(&app, "/blog/?p=2", "/posts/second-article").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_export_taken_after_a_move_to_https_and_www_maps_to_the_same_posts() {
    let app = TestApp::spawn().await;
    let dir = tempfile::tempdir().unwrap();
    let (old, new) = (dir.path().join("old.xml"), dir.path().join("new.xml"));
    let items = [(1, "post", "moved-post", "Moved Post", "misc", "x")];
    std::fs::write(&old, small_wxr("http://move.example", &items)).unwrap();
    std::fs::write(&new, small_wxr("https://www.move.example", &items)).unwrap();
    import_ok(&app, &old, &[]);
    let run = import_ok(&app, &new, &[]);
    assert_eq!(summary_value(&run.stdout, "articles created"), 0, "{}", run.stdout);
    assert_eq!(count(&app, "SELECT COUNT(*) AS n FROM posts"), 1, "no duplicate");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn child_pages_are_served_but_kept_out_of_the_header() {
    let mut app = TestApp::spawn().await;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("pages.xml");
    let xml = small_wxr(
        "https://pages.example",
        &[(1, "page", "services", "Services", "misc", "x"), (2, "page", "pricing", "Pricing", "misc", "x")],
    );
    // Pricing is a child of Services.
    let xml = {
        let at = xml.find("<title>Pricing").unwrap();
        let (head, tail) = xml.split_at(at);
        format!(
            "{head}{}",
            tail.replacen("<wp:post_parent>0</wp:post_parent>", "<wp:post_parent>1</wp:post_parent>", 1)
        )
    };
    std::fs::write(&file, xml).unwrap();
    import_ok(&app, &file, &[]);
    app.restart().await;
    assert_status(&app, "/pages/pricing", 200).await;
    let html = page(&app, "/").await;
    let document = Html::parse_document(&html);
    let nav: Vec<String> = document.select(&sel("nav.site-nav a")).map(|a| a.text().collect()).collect();
    assert_eq!(nav, vec!["Services".to_string()], "only the top-level page is in the header");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_import_teaches_the_spam_filter_its_approved_and_spam_comments_once() {
    let app = TestApp::spawn().await;
    let run = import_ok(&app, &fixture("site.xml"), &[]);
    let approved =
        count(&app, "SELECT COUNT(*) AS n FROM comments WHERE kind = 'comment' AND status = 'approved'");
    let spam = count(&app, "SELECT COUNT(*) AS n FROM comments WHERE kind = 'comment' AND status = 'spam'");
    assert!(approved > 0 && spam > 0, "the fixture has both");
    assert_eq!(summary_value(&run.stdout, "spam filter taught genuine") as i64, approved);
    assert_eq!(summary_value(&run.stdout, "spam filter taught spam") as i64, spam);
    let docs = |column: &str| count(&app, &format!("SELECT {column} AS n FROM spam_filter"));
    assert_eq!((docs("spam_docs"), docs("ham_docs")), (spam, approved));
    let trained = count(&app, "SELECT COUNT(*) AS n FROM comments WHERE trained_as IS NOT NULL");
    assert_eq!(trained, approved + spam, "each learned comment remembers it (a later decision untrains it)");
    import_ok(&app, &fixture("site.xml"), &[]);
    assert_eq!(
        (docs("spam_docs"), docs("ham_docs")),
        (spam, approved),
        "importing again teaches nothing twice"
    );
}
