//! The page cache through the real server: what it serves is never one reader's, never stale
//! after a write that changes what a page shows, and the same bytes in every encoding.

use std::io::Read;

use crate::common::{comment_id, comments_section, seed_article, CommentDraft, TestApp};
use marginalia::config::ModerationMode;
use marginalia::services::moderation::Action;

const SLUG: &str = "does-smp-hair-treatment-treat-hair-loss";

async fn site(moderation: ModerationMode) -> TestApp {
    let app = TestApp::builder()
        .with_config(move |c| {
            c.comments.moderation = moderation;
            c.comments.builtin_disallowed = false;
            c.comments.max_links = 0;
        })
        .spawn()
        .await;
    app.import(&seed_article());
    app
}

#[derive(Clone, Copy, Debug)]
enum Enc {
    Identity,
    Gzip,
    Brotli,
}

const ENCODINGS: [Enc; 3] = [Enc::Identity, Enc::Gzip, Enc::Brotli];

/// An anonymous GET (no cookies at all) in `enc`, decoded: (status, headers, body).
async fn anonymous(app: &TestApp, path: &str, enc: Enc) -> (u16, reqwest::header::HeaderMap, String) {
    let client = reqwest::Client::new();
    let mut request = client.get(app.url(path));
    request = match enc {
        Enc::Identity => request,
        Enc::Gzip => request.header("accept-encoding", "gzip"),
        Enc::Brotli => request.header("accept-encoding", "gzip, br"),
    };
    let response = request.send().await.unwrap();
    let (status, headers) = (response.status().as_u16(), response.headers().clone());
    let bytes = response.bytes().await.unwrap();
    let coding = headers.get("content-encoding").map(|v| v.to_str().unwrap().to_string());
    let mut text = String::new();
    match coding.as_deref() {
        None => text = String::from_utf8(bytes.to_vec()).unwrap(),
        Some("gzip") => {
            flate2::read::GzDecoder::new(&bytes[..]).read_to_string(&mut text).unwrap();
        }
        Some("br") => {
            brotli::Decompressor::new(&bytes[..], 4096).read_to_string(&mut text).unwrap();
        }
        Some(other) => panic!("unexpected content-encoding {other}"),
    }
    (status, headers, text)
}

/// The page as every anonymous reader sees it, in every encoding (asserted identical).
async fn everyone_sees(app: &TestApp, path: &str) -> String {
    let (status, _, plain) = anonymous(app, path, Enc::Identity).await;
    assert_eq!(status, 200, "{path}");
    for enc in ENCODINGS {
        let (status, _, body) = anonymous(app, path, enc).await;
        assert_eq!(status, 200, "{path} {enc:?}");
        assert_eq!(body, plain, "{path}: {enc:?} differs from identity");
    }
    plain
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_held_comment_is_never_served_to_another_reader_and_shows_once_approved() {
    let app = site(ModerationMode::All).await;
    let page = format!("/posts/{SLUG}");
    // Warm every variant first, so a stale copy would be there to be served.
    everyone_sees(&app, &page).await;
    let reader_a = app.new_client();
    let draft = CommentDraft::new("Reader A", "a@example.org", "Held words of reader A").set("remember", "1");
    let response = app.submit_with(&reader_a, SLUG, draft).await;
    let id = comment_id(&response);
    // A sees their own held comment (and their remembered email in the form)...
    let own = reader_a.get(app.url(&page)).send().await.unwrap();
    assert_eq!(own.headers().get("cache-control").unwrap(), "private, no-store");
    let own = own.text().await.unwrap();
    assert!(own.contains("Held words of reader A"), "the author sees it");
    assert!(own.contains("a@example.org"), "the author's form is prefilled");
    // ...nobody else does: not B, not anonymous readers in any encoding, before or after A.
    let reader_b = app.new_client();
    for _ in 0..2 {
        let b = reader_b.get(app.url(&page)).send().await.unwrap().text().await.unwrap();
        assert!(!b.contains("Held words of reader A") && !b.contains("a@example.org"), "B sees A's data");
        let anon = everyone_sees(&app, &page).await;
        assert!(!anon.contains("Held words of reader A") && !anon.contains("a@example.org"));
    }
    assert!(app.state.page_cache.stats().hits > 0, "the anonymous pages came from the cache");
    app.moderate(id, Action::Approve);
    let after = everyone_sees(&app, &page).await;
    assert!(comments_section(&after).contains("Held words of reader A"), "approved: on the very next GET");
    assert!(!after.contains("a@example.org"));
    app.moderate(id, Action::Spam);
    let after = everyone_sees(&app, &page).await;
    assert!(!after.contains("Held words of reader A"), "unapproved: gone on the very next GET");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cached_pages_answer_304_to_their_etag_and_vary_on_encoding() {
    let app = site(ModerationMode::None).await;
    let page = format!("/posts/{SLUG}");
    let (_, first, _) = anonymous(&app, &page, Enc::Identity).await;
    let (_, second, _) = anonymous(&app, &page, Enc::Identity).await;
    let etag = second.get("etag").expect("an etag").to_str().unwrap().to_string();
    assert_eq!(first.get("etag").unwrap(), etag.as_str(), "the same bytes, the same tag");
    assert_eq!(second.get("vary").unwrap(), "Accept-Encoding");
    assert!(second.get("last-modified").is_some());
    assert!(second.get("content-security-policy").is_some(), "security headers kept");
    let cookie = second.get("set-cookie").expect("a view-time cookie").to_str().unwrap();
    assert!(cookie.starts_with("marginalia_seen=") && cookie.contains(&format!("Path=/posts/{SLUG}")));
    assert!(cookie.contains("HttpOnly"));
    let (_, gz, _) = anonymous(&app, &page, Enc::Gzip).await;
    assert_ne!(gz.get("etag").unwrap(), etag.as_str(), "each encoding has its own tag");
    let client = reqwest::Client::new();
    let not_modified = client.get(app.url(&page)).header("if-none-match", &etag).send().await.unwrap();
    assert_eq!(not_modified.status(), 304);
    assert!(not_modified.bytes().await.unwrap().is_empty());
    // After a change the old tag no longer matches.
    let response = app.submit(SLUG, CommentDraft::new("Ada", "ada@example.org", "A fresh comment")).await;
    assert_eq!(response.status(), 303);
    let changed = client.get(app.url(&page)).header("if-none-match", &etag).send().await.unwrap();
    assert_eq!(changed.status(), 200);
    assert!(changed.text().await.unwrap().contains("A fresh comment"));
    // The admin's dashboard counts them.
    let admin = app.logged_in("admin", marginalia::db::enums::Role::Admin).await;
    let dashboard = admin.get(app.url("/admin")).send().await.unwrap().text().await.unwrap();
    let stats = app.state.page_cache.stats();
    assert!(stats.hits >= 3, "{stats:?}");
    assert!(dashboard.contains(&format!("{} hits", stats.hits)), "{dashboard}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_invalidating_write_shows_on_the_next_get() {
    let app = site(ModerationMode::None).await;
    app.article("older", "An Older Article", 2, "Health and Fitness", &["smp"]);
    let paths = [
        format!("/posts/{SLUG}"),
        "/posts/older".to_string(),
        "/".into(),
        "/tag/smp".into(),
        "/category/health-and-fitness".into(),
        "/feed.xml".into(),
        "/comments/feed.xml".into(),
        "/sitemap-posts-1.xml".into(),
        "/sitemap-site.xml".into(),
    ];
    for path in &paths {
        everyone_sees(&app, path).await;
    }
    // A comment approved: its article, the listings' counts, the comments feed.
    let response = app.submit(SLUG, CommentDraft::new("Grace", "grace@example.org", "Counted words")).await;
    assert_eq!(response.status(), 303);
    assert!(everyone_sees(&app, &format!("/posts/{SLUG}")).await.contains("Counted words"));
    assert!(everyone_sees(&app, "/comments/feed.xml").await.contains("Counted words"));
    let front = everyone_sees(&app, "/").await;
    assert!(front.contains("1 comment") || front.contains("1 Comment"), "the count on the front page");
    // A new article with a shared tag: listings, feed, sitemap and the related lists.
    app.article("newest", "The Newest Article", 28, "Health and Fitness", &["smp"]);
    for path in ["/", "/tag/smp", "/category/health-and-fitness", "/feed.xml", "/sitemap-posts-1.xml"] {
        assert!(everyone_sees(&app, path).await.contains("newest"), "{path} lists the new article");
    }
    let older = everyone_sees(&app, "/posts/older").await;
    assert!(older.contains("The Newest Article"), "related articles of a post sharing its tag");
    // The article edited: its title everywhere it is shown.
    app.article("newest", "A Renamed Article", 28, "Health and Fitness", &["smp"]);
    for path in ["/", "/tag/smp", "/feed.xml", "/posts/older", "/posts/newest"] {
        let body = everyone_sees(&app, path).await;
        assert!(body.contains("A Renamed Article") && !body.contains("The Newest Article"), "{path}");
    }
    // Unpublished: gone from listings and related lists, and its page is a 404.
    app.import("+++\ntitle = \"A Renamed Article\"\nslug = \"newest\"\ndate = 2026-11-28T10:00:00Z\ndraft = true\ncategory = \"Health and Fitness\"\ntags = [\"smp\"]\n+++\nBody.\n");
    for path in ["/", "/tag/smp", "/feed.xml", "/posts/older"] {
        assert!(!everyone_sees(&app, path).await.contains("A Renamed Article"), "{path}");
    }
    assert_eq!(anonymous(&app, "/posts/newest", Enc::Identity).await.0, 404);
    // A page: the navigation on every page.
    app.import("+++\ntitle = \"About Us\"\nslug = \"about-us\"\nkind = \"page\"\n+++\nHello.\n");
    for path in paths.iter().filter(|p| !p.ends_with(".xml")) {
        assert!(everyone_sees(&app, path).await.contains("/pages/about-us"), "{path} shows the new page");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_timing_check_works_on_a_cached_page() {
    let app = TestApp::builder()
        .with_config(|c| {
            c.comments.moderation = ModerationMode::None;
            c.comments.min_submit_seconds = 3;
            c.comments.builtin_disallowed = false;
        })
        .spawn()
        .await;
    app.import(&seed_article());
    let page = format!("/posts/{SLUG}");
    everyone_sees(&app, &page).await; // now cached, with a token minted at that moment
    tokio::time::sleep(std::time::Duration::from_millis(3200)).await;
    // A bot that keeps cookies: the cached copy is older than 3 s, but it was shown just now.
    let bot = app.new_client();
    let response = app.submit_with(&bot, SLUG, CommentDraft::new("Bot", "bot@example.org", "Too fast")).await;
    let (status, reason) = app.comment_status(comment_id(&response));
    assert_eq!(status, "spam", "{reason}");
    assert!(reason.contains("form sent in"), "{reason}");
    // One that drops cookies cannot be timed: held for a moderator, never approved.
    let token = crate::common::extract_value(&everyone_sees(&app, &page).await, "form_token").unwrap();
    let cookieless = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let draft = CommentDraft::new("Bot", "bot2@example.org", "No cookies here").set("form_token", &token);
    let response = cookieless
        .post(app.url(&format!("/posts/{SLUG}/comments")))
        .form(&draft.fields)
        .send()
        .await
        .unwrap();
    let (status, reason) = app.comment_status(comment_id(&response));
    assert_eq!(status, "pending", "{reason}");
    assert!(reason.contains("view-time cookie"), "{reason}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_small_cache_stays_within_its_bound() {
    let app = TestApp::builder().with_config(|c| c.cache.max_mb = 1).spawn().await;
    for day in 1..=20 {
        app.article(&format!("a-{day}"), &format!("Article {day}"), day, "News", &["t"]);
    }
    for enc in ENCODINGS {
        for day in 1..=20 {
            let (status, _, _) = anonymous(&app, &format!("/posts/a-{day}"), enc).await;
            assert_eq!(status, 200);
            let stats = app.state.page_cache.stats();
            assert!(stats.bytes <= stats.max_bytes, "{stats:?}");
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn spellings_of_a_query_share_one_entry_and_junk_values_make_none() {
    let app = site(ModerationMode::None).await;
    let base = format!("/posts/{SLUG}");
    for query in ["", "?mentions=x", "?mentions=y", "?cpage=1", "?cpage=01", "?cpage=+1", "?utm=1"] {
        let (status, _, _) = anonymous(&app, &format!("{base}{query}"), Enc::Identity).await;
        assert_eq!(status, 200, "{query}");
    }
    let stats = app.state.page_cache.stats();
    assert_eq!(stats.pages, 2, "the article and its ?cpage=1, however spelt: {stats:?}");
    let (_, _, all) = anonymous(&app, &format!("{base}?mentions=all"), Enc::Identity).await;
    assert!(all.contains("Leave a Reply"));
    assert_eq!(app.state.page_cache.stats().pages, 3, "?mentions=all is its own page");
}
