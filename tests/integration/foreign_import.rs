//! `import disqus|isso|remark42|commento`: the fixtures (written from each format's
//! documentation) into threads by URL, statuses kept, replies threaded, nothing public that was
//! not, a re-import adding nothing, a dry run writing nothing.

use diesel::prelude::*;

use crate::common::{count_rows, TestApp};

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/foreign");

/// The site the fixtures' pages are on, added as the admin's Embed page stores it.
async fn app() -> TestApp {
    let app = TestApp::spawn().await;
    app.db(|c| {
        let sites = r#"[{"name":"blog","origins":["https://blog.example"],"keep_query":[]}]"#;
        marginalia::db::settings::set(c, "embed.sites", sites).unwrap();
    });
    app
}

fn run(app: &TestApp, args: &[&str]) -> String {
    let out = app.cli(args);
    let (stdout, stderr) = (String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert!(out.status.success(), "{args:?}: {stdout}{stderr}");
    stdout.into_owned()
}

/// (author, status, parent's author, body html) of every comment, oldest first.
fn comments(app: &TestApp) -> Vec<(String, String, Option<String>, String)> {
    app.db(|c| {
        use marginalia::db::schema::comments;
        let rows: Vec<(i32, String, String, Option<i32>, String)> = comments::table
            .order(comments::created_at)
            .select((
                comments::id,
                comments::author,
                comments::status,
                comments::parent_id,
                comments::body_html,
            ))
            .load(c)
            .unwrap();
        rows.iter()
            .map(|(_, author, status, parent, html)| {
                let parent = parent.and_then(|p| rows.iter().find(|r| r.0 == p)).map(|r| r.1.clone());
                (author.clone(), status.clone(), parent, html.clone())
            })
            .collect()
    })
}

/// (author, status, parent's author) of `comments`.
fn who(all: &[(String, String, Option<String>, String)]) -> Vec<(&str, &str, Option<&str>)> {
    all.iter().map(|(a, s, p, _)| (a.as_str(), s.as_str(), p.as_deref())).collect()
}

fn thread_urls(app: &TestApp) -> Vec<(String, String)> {
    app.db(|c| {
        use marginalia::db::schema::{posts, threads};
        threads::table.inner_join(posts::table).select((threads::url, posts::title)).load(c).unwrap()
    })
}

#[tokio::test]
async fn disqus_threads_authors_statuses_and_replies() {
    let app = app().await;
    let file = format!("{FIXTURES}/disqus.xml");
    let dry = run(&app, &["import", "disqus", &file, "--dry-run"]);
    assert!(dry.contains("would import 4 comments"), "{dry}");
    assert_eq!(app.db(|c| count_rows(c, "comments")), 0, "a dry run writes nothing");

    let out = run(&app, &["import", "disqus", &file]);
    assert!(out.contains("imported 4 comments (2 approved, 2 not) in 1 new threads"), "{out}");
    assert!(out.contains("on no site of embed.sites: 1"), "{out}");
    assert_eq!(
        thread_urls(&app),
        vec![("https://blog.example/posts/hello/".into(), "Hello & welcome".into())]
    );
    let all = comments(&app);
    let summary = who(&all);
    assert_eq!(
        summary,
        vec![
            ("Ada", "approved", None),
            ("Bob", "approved", Some("Ada")),
            ("Spammer", "spam", None),
            ("Carol", "trash", None)
        ]
    );
    assert!(!all[1].3.contains("<script"), "imported HTML is sanitized: {}", all[1].3);
    let email: String = app.db(|c| {
        use marginalia::db::schema::comments;
        comments::table.filter(comments::author.eq("Ada")).select(comments::email).first(c).unwrap()
    });
    assert_eq!(email, "ada@example.org");

    // Again: nothing new.
    let again = run(&app, &["import", "disqus", &file]);
    assert!(again.contains("imported 0 comments") && again.contains("earlier import: 4"), "{again}");
    assert_eq!(app.db(|c| count_rows(c, "comments")), 4);
    // Only what Disqus showed is public: the thread page has Ada and Bob, not the spam.
    let slug: String = app.db(|c| {
        use marginalia::db::schema::posts;
        posts::table.filter(posts::kind.eq("thread")).select(posts::slug).first(c).unwrap()
    });
    let (status, page) = app.get_text(&format!("/threads/{slug}")).await;
    assert_eq!(status, 200);
    assert!(page.contains("First!") && page.contains("A reply to Ada"), "{page}");
    assert!(!page.contains("Cheap pills") && !page.contains("Deleted by its author"));
    assert!(!page.contains("ada@example.org"));
}

#[tokio::test]
async fn isso_paths_go_on_the_named_site() {
    let app = app().await;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("comments.db");
    let mut isso = diesel::SqliteConnection::establish(file.to_str().unwrap()).unwrap();
    diesel::connection::SimpleConnection::batch_execute(
        &mut isso,
        &std::fs::read_to_string(format!("{FIXTURES}/isso.sql")).unwrap(),
    )
    .unwrap();
    drop(isso);
    let path = file.to_str().unwrap();
    // Isso keeps paths: without a site, no page can be placed.
    let lost = run(&app, &["import", "isso", path]);
    assert!(lost.contains("on no site of embed.sites: 4"), "{lost}");
    let out = run(&app, &["import", "isso", path, "--site", "blog"]);
    assert!(out.contains("imported 4 comments (2 approved, 2 not) in 1 new threads"), "{out}");
    assert_eq!(
        thread_urls(&app),
        vec![("https://blog.example/posts/hello/".into(), "Hello & welcome".into())]
    );
    let all = comments(&app);
    let summary = who(&all);
    assert_eq!(
        summary,
        vec![
            ("Ada", "approved", None),
            ("Bob", "approved", Some("Ada")),
            ("Eve", "pending", None),
            ("Anonymous", "trash", None)
        ]
    );
    assert!(all[0].3.contains("<em>world</em>"), "Isso's Markdown rendered by our rules: {}", all[0].3);
    assert!(run(&app, &["import", "isso", path, "--site", "blog"]).contains("imported 0 comments"));
    let refused = app.cli(&["import", "isso", path, "--site", "nope"]);
    assert!(!refused.status.success());
}

#[tokio::test]
async fn remark42_and_commento_backups() {
    let app = app().await;
    let out = run(&app, &["import", "remark42", &format!("{FIXTURES}/remark42.txt")]);
    assert!(out.contains("imported 3 comments (2 approved, 1 not) in 1 new threads"), "{out}");
    // The same backup gzipped, as `remark42 backup` writes it: the same comments, none new.
    let dir = tempfile::tempdir().unwrap();
    let gz = dir.path().join("backup.gz");
    let mut encoder =
        flate2::write::GzEncoder::new(std::fs::File::create(&gz).unwrap(), flate2::Compression::fast());
    std::io::Write::write_all(&mut encoder, &std::fs::read(format!("{FIXTURES}/remark42.txt")).unwrap())
        .unwrap();
    encoder.finish().unwrap();
    let again = run(&app, &["import", "remark42", gz.to_str().unwrap()]);
    assert!(again.contains("imported 0 comments") && again.contains("earlier import: 3"), "{again}");

    let out = run(&app, &["import", "commento", &format!("{FIXTURES}/commento.json")]);
    assert!(
        out.contains("imported 3 comments (2 approved, 1 not) in 0 new threads"),
        "same page, same thread: {out}"
    );
    let all = comments(&app);
    let summary = who(&all);
    assert_eq!(
        summary,
        vec![
            ("Ada", "approved", None),
            ("Bob", "approved", Some("Ada")),
            ("deleted", "trash", None),
            ("Ada", "approved", None),
            ("Bob", "approved", Some("Ada")),
            ("Bob", "pending", None),
        ]
    );
    assert_eq!(thread_urls(&app).len(), 1);
    // A broken file: a clear error, nothing written.
    let dir = tempfile::tempdir().unwrap();
    let broken = dir.path().join("broken.json");
    std::fs::write(&broken, "{\"comments\": [{\"commentHex\": 1}]}").unwrap();
    let failed = app.cli(&["import", "commento", broken.to_str().unwrap()]);
    assert!(!failed.status.success());
    assert!(String::from_utf8_lossy(&failed.stderr).contains("not a Commento export"));
    assert_eq!(app.db(|c| count_rows(c, "comments")), 6);
}

#[tokio::test]
async fn a_failure_half_way_leaves_nothing() {
    let app = app().await;
    // The third comment cannot be written (a disk error, say): the whole import is undone.
    app.db(|c| crate::common::fail_when(c, "third_fails", "INSERT", "comments", "NEW.author = 'Spammer'"));
    let failed = app.cli(&["import", "disqus", &format!("{FIXTURES}/disqus.xml")]);
    assert!(!failed.status.success());
    assert_eq!(app.db(|c| count_rows(c, "comments")), 0);
    assert_eq!(app.db(|c| count_rows(c, "threads")), 0);
    assert_eq!(app.db(|c| count_rows(c, "imported_comments")), 0);
    // Fixed, it comes in whole.
    app.db(|c| {
        use diesel::connection::SimpleConnection;
        c.batch_execute("DROP TRIGGER third_fails ON comments")
            .or_else(|_| c.batch_execute("DROP TRIGGER third_fails"))
            .unwrap();
    });
    assert!(
        run(&app, &["import", "disqus", &format!("{FIXTURES}/disqus.xml")]).contains("imported 4 comments")
    );
}
