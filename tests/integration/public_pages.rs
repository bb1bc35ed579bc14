//! Public pages through the real server: index, article, archives, feed, sitemap, 404, healthz.

use std::str::FromStr;

use crate::common::{seed_article, TestApp};
use marginalia::services::articles::ImportOutcome;

const SEED_SLUG: &str = "does-smp-hair-treatment-treat-hair-loss";

#[tokio::test]
async fn seed_article_page_looks_like_a_blog_page() {
    let app = TestApp::spawn().await;
    assert_eq!(app.import(&seed_article()), ImportOutcome::Created);

    let (status, html) = app.get_text(&format!("/posts/{SEED_SLUG}")).await;
    assert_eq!(status, 200);
    assert!(html.contains("<h1 class=\"article-title\">Does SMP Hair Treatment Treat Hair Loss?</h1>"));
    assert!(html.contains("href=\"/category/health-and-fitness\">Health and Fitness</a>"));
    assert!(html.contains("<time datetime=\"2026-11-23T10:00:00Z\">November 23, 2026</time>"));
    assert!(html.contains("<h2>What is Small Micro Pigmentation suited for?</h2>"));
    assert!(html.contains("<li>It is also helpful for females"));
    assert!(html.contains("href=\"/tag/smp\""));
    assert!(html.contains("Leave a Reply"));
    assert!(html.contains("No comments yet"));
    assert!(html.contains(&format!("<link rel=\"canonical\" href=\"http://blog.test/posts/{SEED_SLUG}\">")));
    assert!(html.contains("<meta property=\"og:type\" content=\"article\">"));
    assert!(
        html.contains("<meta property=\"og:title\" content=\"Does SMP Hair Treatment Treat Hair Loss?\">")
    );
    // The spam line of the real-world page is not part of the demo article.
    assert!(!html.contains("casino"));
}

#[tokio::test]
async fn related_articles_prefer_shared_tags_then_category() {
    let app = TestApp::spawn().await;
    app.article("main", "Main", 20, "Health", &["hair", "smp"]);
    app.article("two-tags", "Two Tags", 1, "Other", &["hair", "smp"]);
    app.article("same-category", "Same Category", 19, "Health", &[]);
    app.article("one-tag", "One Tag", 2, "Other", &["smp"]);
    app.article("unrelated", "Unrelated", 21, "Other", &["cars"]);

    let (_, html) = app.get_text("/posts/main").await;
    let section = html.split("Related Articles").nth(1).expect("related section");
    let section = section.split("</section>").next().unwrap();
    let order: Vec<usize> = ["/posts/two-tags", "/posts/one-tag", "/posts/same-category"]
        .iter()
        .map(|p| section.find(p).unwrap_or_else(|| panic!("{p} missing from {section}")))
        .collect();
    assert!(order.windows(2).all(|w| w[0] < w[1]), "order {order:?}");
    assert!(!section.contains("/posts/unrelated"));
    assert!(!section.contains("/posts/main\""));
}

#[tokio::test]
async fn index_lists_newest_first_and_paginates() {
    let app = TestApp::builder().with_config(|c| c.site.per_page = 2).spawn().await;
    for day in 1..=5 {
        app.article(&format!("post-{day}"), &format!("Post {day}"), day, "News", &[]);
    }
    let (status, page1) = app.get_text("/").await;
    assert_eq!(status, 200);
    assert!(page1.find("/posts/post-5").unwrap() < page1.find("/posts/post-4").unwrap());
    assert!(!page1.contains("/posts/post-3"));
    assert!(page1.contains("href=\"/?page=2\""));
    assert!(page1.contains("Page 1 of 3"));

    let (status, page3) = app.get_text("/?page=3").await;
    assert_eq!(status, 200);
    assert!(page3.contains("/posts/post-1"));
    assert!(!page3.contains("/posts/post-2\""));
    assert!(page3.contains("href=\"/?page=2\""));
    assert!(!page3.contains("?page=4"));

    assert_eq!(app.get("/?page=4").await.status(), 404);
    assert_eq!(app.get("/?page=0").await.status(), 404);
    let (status, body) = app.get_text("/?page=abc").await;
    assert_eq!(status, 400);
    assert!(body.contains("<html"), "bad query renders the themed page");
}

#[tokio::test]
async fn empty_site_has_a_first_page() {
    let app = TestApp::spawn().await;
    let (status, html) = app.get_text("/").await;
    assert_eq!(status, 200);
    assert!(html.contains("No articles yet"));
    assert_eq!(app.get("/?page=2").await.status(), 404);
}

#[tokio::test]
async fn category_and_tag_archives() {
    let app = TestApp::builder().with_config(|c| c.site.per_page = 1).spawn().await;
    app.import(&seed_article());
    app.article("other", "Other Post", 2, "Health and Fitness", &["misc"]);

    let (status, html) = app.get_text("/category/health-and-fitness").await;
    assert_eq!(status, 200);
    assert!(html.contains("Category: Health and Fitness"));
    assert!(html.contains(&format!("/posts/{SEED_SLUG}")));
    assert!(html.contains("href=\"/category/health-and-fitness?page=2\""));
    let (status, html) = app.get_text("/category/health-and-fitness?page=2").await;
    assert_eq!(status, 200);
    assert!(html.contains("/posts/other"));

    let (status, html) = app.get_text("/tag/smp").await;
    assert_eq!(status, 200);
    assert!(html.contains("Tag: smp"));
    assert!(html.contains(&format!("/posts/{SEED_SLUG}")));
    assert!(!html.contains("/posts/other"));

    assert_eq!(app.get("/category/nope").await.status(), 404);
    assert_eq!(app.get("/tag/nope").await.status(), 404);
}

#[tokio::test]
async fn atom_feed_parses_back() {
    let app = TestApp::spawn().await;
    app.import(&seed_article());
    app.article("second", "Second <Post> & more", 24, "News", &[]);
    let response = app.get("/feed.xml").await;
    assert_eq!(response.status(), 200);
    assert!(response.headers()["content-type"].to_str().unwrap().starts_with("application/atom+xml"));
    let feed = atom_syndication::Feed::from_str(&response.text().await.unwrap()).expect("valid Atom");
    assert_eq!(feed.title().as_str(), "Test Blog");
    assert_eq!(feed.entries().len(), 2);
    assert_eq!(feed.entries()[0].title().as_str(), "Second <Post> & more");
    let seed = &feed.entries()[1];
    assert_eq!(seed.links()[0].href(), format!("http://blog.test/posts/{SEED_SLUG}"));
    let content = seed.content().and_then(|c| c.value()).unwrap();
    assert!(content.contains("<h2>Benefits of scalp micro pigmentation</h2>"));
}

#[tokio::test]
async fn sitemap_lists_posts_and_archives() {
    let app = TestApp::spawn().await;
    app.import(&seed_article());
    let (status, index) = app.get_text("/sitemap.xml").await;
    assert_eq!(status, 200);
    assert!(index.contains("<sitemapindex"), "{index}");
    let mut xml = String::new();
    for file in ["/sitemap-posts-1.xml", "/sitemap-site.xml"] {
        assert!(index.contains(&format!("<loc>http://blog.test{file}</loc>")), "{file} in {index}");
        let (status, part) = app.get_text(file).await;
        assert_eq!(status, 200, "{file}");
        assert!(part.starts_with("<?xml") && part.contains("<urlset"), "{part}");
        xml.push_str(&part);
    }
    assert_eq!(app.get("/sitemap-posts-2.xml").await.status(), 404, "no second file for one article");
    for loc in [
        "http://blog.test/".to_string(),
        format!("http://blog.test/posts/{SEED_SLUG}"),
        "http://blog.test/category/health-and-fitness".into(),
        "http://blog.test/tag/hair-loss".into(),
    ] {
        assert!(xml.contains(&format!("<loc>{loc}</loc>")), "{loc} in {xml}");
    }
}

#[tokio::test]
async fn unknown_pages_get_the_themed_404() {
    let app = TestApp::spawn().await;
    for path in ["/no/such/page", "/posts/missing"] {
        let (status, html) = app.get_text(path).await;
        assert_eq!(status, 404, "{path}");
        assert!(html.contains("Page not found"), "{path}");
        assert!(html.contains("site.css"), "{path} uses the layout");
        assert!(html.contains("noindex"));
    }
    let response = app.client.post(app.url("/")).send().await.unwrap();
    assert!(response.status().is_client_error());
    assert!(response.text().await.unwrap().contains("<html"));
}

#[tokio::test]
async fn healthz_answers_ok() {
    let app = TestApp::spawn().await;
    let (status, body) = app.get_text("/healthz").await;
    assert_eq!((status, body.as_str()), (200, "ok"));
}

#[tokio::test]
async fn reimport_updates_instead_of_duplicating() {
    let app = TestApp::spawn().await;
    assert_eq!(app.import(&seed_article()), ImportOutcome::Created);
    assert_eq!(app.import(&seed_article()), ImportOutcome::Unchanged);
    let changed = seed_article()
        .replace("title = \"Does SMP Hair Treatment Treat Hair Loss?\"", "title = \"SMP, revisited\"")
        .replace("tags = [\"hair\", \"smp\", \"hair loss\"]", "tags = [\"smp\"]");
    assert_eq!(app.import(&changed), ImportOutcome::Updated);

    let (_, html) = app.get_text("/").await;
    assert_eq!(html.matches("class=\"post-card\"").count(), 1, "listed once");
    let (_, html) = app.get_text(&format!("/posts/{SEED_SLUG}")).await;
    assert!(html.contains("SMP, revisited"));
    assert!(!html.contains("href=\"/tag/hair\""), "tags replaced");
    let count: i64 = app.db(|c| {
        use diesel::prelude::*;
        marginalia::db::schema::posts::table.count().get_result(c).unwrap()
    });
    assert_eq!(count, 1);
}

#[tokio::test]
async fn drafts_are_not_public() {
    let app = TestApp::spawn().await;
    app.import("+++\ntitle = \"Secret Draft\"\nslug = \"secret-draft\"\ncategory = \"Hidden\"\ntags = [\"hush\"]\ndraft = true\n+++\nNot yet.\n");
    assert_eq!(app.get("/posts/secret-draft").await.status(), 404);
    for path in ["/", "/feed.xml", "/sitemap.xml"] {
        let (_, body) = app.get_text(path).await;
        assert!(!body.contains("secret-draft"), "{path} leaks the draft");
    }
    assert_eq!(app.get("/category/hidden").await.status(), 200);
    let (_, body) = app.get_text("/category/hidden").await;
    assert!(!body.contains("secret-draft"));
}

#[tokio::test]
async fn static_files_have_cache_headers_and_etags() {
    let app = TestApp::spawn().await;
    let (_, html) = app.get_text("/").await;
    let css_url = html.split("href=\"").find(|s| s.starts_with("/static/css/site.css?v=")).unwrap();
    let css_url = css_url.split('"').next().unwrap();
    let response = app.get(css_url).await;
    assert_eq!(response.status(), 200);
    assert!(response.headers()["content-type"].to_str().unwrap().starts_with("text/css"));
    assert!(response.headers()["cache-control"].to_str().unwrap().contains("immutable"));
    let etag = response.headers()["etag"].to_str().unwrap().to_string();
    let again = app.client.get(app.url(css_url)).header("If-None-Match", etag).send().await.unwrap();
    assert_eq!(again.status(), 304);
    assert_eq!(app.get("/static/nope.css").await.status(), 404);
    let (status, robots) = app.get_text("/robots.txt").await;
    assert_eq!(status, 200);
    assert!(robots.contains("Sitemap: http://blog.test/sitemap.xml"));
}

#[tokio::test]
async fn every_page_sends_security_headers() {
    let app = TestApp::spawn().await;
    app.import(&seed_article());
    for path in ["/", &format!("/posts/{SEED_SLUG}"), "/missing"] {
        let response = app.get(path).await;
        let headers = response.headers();
        assert_eq!(headers["x-content-type-options"], "nosniff", "{path}");
        assert!(headers["content-security-policy"].to_str().unwrap().contains("script-src 'self'"));
        assert!(headers.contains_key("referrer-policy"));
    }
}
