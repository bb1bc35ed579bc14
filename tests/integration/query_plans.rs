//! Every query a public page (or a reader's comment) runs is planned without a full scan of
//! `posts`, `comments` or `post_tags`: each page reads what it shows, whatever the site's size.

use std::sync::{Arc, Mutex};

use diesel::connection::{Instrumentation, InstrumentationEvent};
use diesel::prelude::*;
use diesel::sql_types::{Integer, Text};

use crate::common::{comment_id, seed_article, CommentDraft, TestApp};
use marginalia::config::ModerationMode;
use marginalia::db::comments;
use marginalia::db::ids::{CommentId, PostId};
use marginalia::db::posts::Listing;
use marginalia::db::taxonomy;
use marginalia::services::{posts, redirects, settings};

const SLUG: &str = "does-smp-hair-treatment-treat-hair-loss";

#[derive(QueryableByName, Debug)]
struct PlanRow {
    #[diesel(sql_type = Integer)]
    id: i32,
    #[diesel(sql_type = Text)]
    detail: String,
}

/// Records the SQL of every query the connection runs (binds left out).
fn recording(conn: &mut SqliteConnection) -> Arc<Mutex<Vec<String>>> {
    let seen = Arc::new(Mutex::new(Vec::new()));
    let sink = seen.clone();
    let instrumentation = move |event: InstrumentationEvent<'_>| {
        if let InstrumentationEvent::StartQuery { query, .. } = event {
            let text = query.to_string();
            let sql = text.split(" -- binds:").next().unwrap_or("").trim().to_string();
            sink.lock().unwrap().push(sql);
        }
    };
    conn.set_instrumentation(Box::new(instrumentation) as Box<dyn Instrumentation>);
    seen
}

/// The tables (or their aliases in our SQL) a page must never read whole.
fn is_full_scan(detail: &str) -> bool {
    let Some(rest) = detail.strip_prefix("SCAN ") else { return false };
    let table = rest.split_whitespace().next().unwrap_or("");
    matches!(table, "posts" | "comments" | "post_tags" | "p" | "c" | "pt" | "pt2")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_public_query_scans_posts_comments_or_post_tags() {
    let app = TestApp::builder().with_config(|c| c.comments.moderation = ModerationMode::None).spawn().await;
    app.import(&seed_article());
    for day in 1..=25 {
        let tags: &[&str] = if day % 2 == 0 { &["smp", "hair-loss"] } else { &["smp"] };
        app.article(&format!("a-{day}"), &format!("Article {day}"), day, "Health and Fitness", tags);
    }
    app.import("+++\ntitle = \"About\"\nslug = \"about\"\nkind = \"page\"\n+++\nHello.\n");
    let first = comment_id(&app.submit(SLUG, CommentDraft::new("Ada", "ada@example.org", "Top level")).await);
    let reply =
        CommentDraft::new("Bob", "bob@example.org", "A reply").set("comment_parent", &first.to_string());
    assert_eq!(app.submit(SLUG, reply).await.status(), 303);
    // No ANALYZE: without statistics SQLite plans as for a big table, which is what matters
    // (on a table this small it would rightly prefer scanning).

    let mut conn = SqliteConnection::establish(app.db_path.to_str().unwrap()).unwrap();
    let seen = recording(&mut conn);
    let config = app.state.config.comments.clone();
    let category = taxonomy::find_category_by_slug(&mut conn, "health-and-fitness").unwrap().unwrap();
    let tag = taxonomy::find_tag_by_slug(&mut conn, "smp").unwrap().unwrap();
    for page in [1, 2, 3] {
        posts::listing_page(&mut conn, Listing::All, page, 10).unwrap();
        posts::listing_page(&mut conn, Listing::Category(category.id), page, 10).unwrap();
        posts::listing_page(&mut conn, Listing::Tag(tag.id), page, 10).unwrap();
    }
    for (own, page) in [(vec![], None), (vec![CommentId(first)], Some(1))] {
        posts::article(&mut conn, SLUG, &own, &config, page).unwrap();
    }
    posts::article(&mut conn, "about", &[], &config, None).unwrap();
    posts::article(&mut conn, "a-3", &[], &config, None).unwrap();
    posts::sitemap_chunks(&mut conn).unwrap();
    posts::sitemap_posts(&mut conn, 1).unwrap();
    posts::sitemap_site(&mut conn).unwrap();
    posts::feed(&mut conn, 20).unwrap();
    comments::recent_approved(&mut conn, 30).unwrap();
    redirects::lookup(&mut conn, "/2019/01/old-post/", "").unwrap();
    settings::effective_comments(&mut conn, &config).unwrap();
    app.state.navigation.refresh(&mut conn).unwrap();
    // What a reader's comment checks before it is stored.
    let post = PostId(1);
    comments::post_and_status(&mut conn, CommentId(first)).unwrap();
    comments::is_trusted_author(&mut conn, "Ada", "ada@example.org").unwrap();
    comments::is_duplicate(&mut conn, post, "Ada", "ada@example.org", "Top level").unwrap();
    comments::posted_since(&mut conn, Some("127.0.0.1"), "ada@example.org", chrono::Utc::now().naive_utc())
        .unwrap();
    comments::ancestry(&mut conn, CommentId(first)).unwrap();

    let queries: Vec<String> = {
        let mut all = seen.lock().unwrap().clone();
        all.sort();
        all.dedup();
        all
    };
    conn.set_instrumentation(Box::new(None::<fn(InstrumentationEvent<'_>)>) as Box<dyn Instrumentation>);
    assert!(queries.len() > 20, "the pages ran their queries: {queries:#?}");
    let mut scans = Vec::new();
    for sql in &queries {
        if !sql.trim_start().to_uppercase().starts_with("SELECT") && !sql.trim_start().starts_with("WITH") {
            continue; // PRAGMA and the like
        }
        let plan: Vec<PlanRow> =
            diesel::sql_query(format!("EXPLAIN QUERY PLAN {sql}")).load(&mut conn).unwrap();
        for row in plan.iter().filter(|r| is_full_scan(&r.detail)) {
            scans.push(format!("{} [{}]\n    {sql}", row.detail, row.id));
        }
    }
    assert!(scans.is_empty(), "full scans:\n{}", scans.join("\n"));
}

#[test]
fn the_scan_check_itself_tells_scans_from_searches() {
    assert!(is_full_scan("SCAN posts"));
    assert!(is_full_scan("SCAN comments USING COVERING INDEX comments_created"));
    assert!(is_full_scan("SCAN pt"));
    assert!(!is_full_scan("SEARCH posts USING INDEX posts_listing (kind=? AND status=?)"));
    assert!(!is_full_scan("SCAN thread"));
    assert!(!is_full_scan("USE TEMP B-TREE FOR ORDER BY"));
}
