//! Every query a public page (or a reader's comment) runs is planned without a full scan of
//! `posts`, `comments` or `post_tags`: each page reads what it shows, whatever the site's size.

use std::sync::{Arc, Mutex};

use diesel::connection::{Instrumentation, InstrumentationEvent};
use diesel::prelude::*;
use diesel::sql_types::{Integer, Text};

use crate::common::{comment_id, seed_article, CommentDraft, TestApp};
use marginalia::config::ModerationMode;
use marginalia::db::ids::{CommentId, PostId};
use marginalia::db::posts::Listing;
use marginalia::db::taxonomy;
use marginalia::db::{comments, Conn};
use marginalia::services::posts::Showing;
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
fn recording(conn: &mut Conn) -> Arc<Mutex<Vec<String>>> {
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
    if crate::common::postgres::selected() {
        return; // SQLite's query plans; PostgreSQL plans by its own statistics.
    }
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

    let mut conn = Conn::Sqlite(SqliteConnection::establish(app.db_path.to_str().unwrap()).unwrap());
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
        posts::article(&mut conn, SLUG, &own, &config, Showing { comment_page: page, all_mentions: false })
            .unwrap();
        posts::article(&mut conn, SLUG, &own, &config, Showing { comment_page: page, all_mentions: true })
            .unwrap();
    }
    posts::article(&mut conn, "about", &[], &config, Showing::default()).unwrap();
    posts::article(&mut conn, "a-3", &[], &config, Showing::default()).unwrap();
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
    // The hourly IP retention pass (it read every comment, hourly, once all were truncated).
    marginalia::db::privacy::untruncated_before(&mut conn, chrono::Utc::now().naive_utc(), 500).unwrap();

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

#[derive(QueryableByName, Debug, PartialEq)]
struct Mismatch {
    #[diesel(sql_type = Text)]
    what: String,
}

/// Every count the triggers keep, compared with counting the rows.
fn count_mismatches(conn: &mut Conn) -> Vec<Mismatch> {
    diesel::sql_query(
        "WITH real(listing, posts) AS (
             SELECT 'all', COUNT(*) FROM posts WHERE kind = 'article' AND status = 'published'
             UNION ALL SELECT 'category:' || category_id, COUNT(*) FROM posts
                 WHERE kind = 'article' AND status = 'published' AND category_id IS NOT NULL GROUP BY category_id
             UNION ALL SELECT 'tag:' || pt.tag_id, COUNT(*) FROM post_tags pt JOIN posts p ON p.id = pt.post_id
                 WHERE p.kind = 'article' AND p.status = 'published' GROUP BY pt.tag_id)
         SELECT 'listing ' || r.listing AS what FROM real r LEFT JOIN listing_counts l ON l.listing = r.listing
             WHERE COALESCE(l.posts, 0) <> r.posts
         UNION ALL SELECT 'stale listing ' || l.listing FROM listing_counts l
             WHERE l.posts <> 0 AND l.listing NOT IN (SELECT listing FROM real)
         UNION ALL SELECT 'post ' || p.id FROM posts p WHERE p.approved_comments <>
             (SELECT COUNT(*) FROM comments c WHERE c.post_id = p.id AND c.kind = 'comment' AND c.status = 'approved')
             OR p.approved_threads <> (SELECT COUNT(*) FROM comments c WHERE c.post_id = p.id
                 AND c.kind = 'comment' AND c.status = 'approved' AND c.parent_id IS NULL)
         UNION ALL SELECT 'post_tags copy ' || pt.post_id FROM post_tags pt JOIN posts p ON p.id = pt.post_id
             WHERE pt.listed <> (p.kind = 'article' AND p.status = 'published') OR pt.published_at IS DISTINCT FROM p.published_at",
    )
    .load(conn)
    .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kept_counts_match_the_rows_after_every_kind_of_write() {
    let app = TestApp::builder().with_config(|c| c.comments.moderation = ModerationMode::None).spawn().await;
    app.import(&seed_article());
    app.article("one", "One", 3, "News", &["a", "b"]);
    app.article("two", "Two", 4, "News", &["b"]);
    app.article("three", "Three", 5, "Travel", &["a"]);
    assert_eq!(app.db(count_mismatches), vec![], "after creating");
    let top = comment_id(&app.submit("one", CommentDraft::new("Ada", "ada@example.org", "First")).await);
    let reply = CommentDraft::new("Bob", "bob@example.org", "Second").set("comment_parent", &top.to_string());
    let second = comment_id(&app.submit("one", reply).await);
    assert_eq!(app.db(count_mismatches), vec![], "after comments");
    use marginalia::services::moderation::Action;
    app.moderate(second, Action::Spam);
    app.moderate(top, Action::Trash);
    app.moderate(top, Action::Delete);
    app.moderate(second, Action::NotSpam);
    assert_eq!(app.db(count_mismatches), vec![], "after moderation (and a reply moved up)");
    // Re-tagged, moved to another category, dated, unpublished, deleted.
    app.article("one", "One", 6, "Travel", &["c"]);
    app.import("+++\ntitle = \"Two\"\nslug = \"two\"\ndate = 2026-11-04T10:00:00Z\ndraft = true\ncategory = \"News\"\ntags = [\"b\"]\n+++\nx\n");
    app.db(|c| diesel::sql_query("DELETE FROM posts WHERE slug = 'three'").execute(c).unwrap());
    assert_eq!(app.db(count_mismatches), vec![], "after edits, unpublishing and a delete");
    let (status, front) = app.get_text("/").await;
    assert_eq!(status, 200);
    assert!(front.contains("One") && !front.contains(">Two<"), "the front page follows");
}
