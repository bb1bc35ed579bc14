//! Several instances on one PostgreSQL database: this test's site (instance A, in-process) and
//! real `marginalia serve` processes on the same database (instance B). These run in the
//! `postgres` test target; on SQLite (one instance by design) they return at once.

use std::time::{Duration, Instant};

use diesel::prelude::*;
use marginalia::config::ModerationMode;
use marginalia::db::enums::Role;
use marginalia::db::schema::comments;

use crate::common::postgres::{self, PgServer};
use crate::common::{comment_id, seed_article, submit_at, CommentDraft, TestApp};

const SLUG: &str = "does-smp-hair-treatment-treat-hair-loss";

async fn site(moderation: ModerationMode) -> TestApp {
    let app = TestApp::builder().with_config(move |c| c.comments.moderation = moderation).spawn().await;
    app.import(&seed_article());
    app
}

/// Waits (up to `seconds`) until `check` holds.
async fn eventually<F, Fut>(seconds: u64, what: &str, check: F)
where
    F: Fn() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let deadline = Instant::now() + Duration::from_secs(seconds);
    while !check().await {
        assert!(Instant::now() < deadline, "timed out waiting until {what}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_comment_posted_on_one_instance_and_approved_on_another_shows_on_the_first() {
    if !postgres::selected() {
        return;
    }
    let app = site(ModerationMode::All).await;
    let b = app.serve_process().await;
    let page = app.url(&format!("/posts/{SLUG}"));
    // Cached on A (the second view is a hit).
    for _ in 0..2 {
        assert!(!app.client.get(&page).send().await.unwrap().text().await.unwrap().contains("Seen on both"));
    }
    let id = comment_id(
        &app.submit_with(
            &app.new_client(),
            SLUG,
            CommentDraft::new("Ada", "ada@example.org", "Seen on both"),
        )
        .await,
    );
    app.user("mod", Role::Moderator, "long-enough-password");
    let token = app.write(|c| marginalia::services::accounts::create_token(c, "mod", "instances")).unwrap();
    let approved = app
        .client
        .post(b.url(&format!("/api/v1/comments/{id}/approve")))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(approved.status(), 200, "approved on B");
    let started = Instant::now();
    let reader = app.new_client();
    eventually(5, "A's anonymous page shows the comment B approved", || async {
        reader.get(&page).send().await.unwrap().text().await.unwrap().contains("Seen on both")
    })
    .await;
    assert!(started.elapsed() < Duration::from_secs(2), "within a second or so: {:?}", started.elapsed());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fifty_held_comments_with_two_outbox_workers_give_exactly_fifty_moderator_mails() {
    if !postgres::selected() {
        return;
    }
    let app = site(ModerationMode::All).await;
    app.user("mod", Role::Moderator, "long-enough-password");
    let b = app.serve_process().await;
    for i in 0..50 {
        let base = if i % 2 == 0 { app.base_url.clone() } else { b.base_url.clone() };
        let draft =
            CommentDraft::new(&format!("Reader {i}"), &format!("r{i}@example.org"), &format!("Held {i}"));
        let response = submit_at(&base, &app.new_client(), SLUG, draft).await;
        assert_eq!(response.status(), 303, "comment {i} accepted");
    }
    app.wait_outbox_settled().await;
    let mails = app.smtp.wait_for(50, 30).await;
    // A moment more: a second copy of any mail would arrive now.
    tokio::time::sleep(Duration::from_secs(2)).await;
    let mails = if app.smtp.messages().len() > mails.len() { app.smtp.messages() } else { mails };
    assert_eq!(mails.len(), 50, "one mail per held comment, none twice");
    let mut subjects: Vec<String> = mails.iter().map(|m| m.text()).collect();
    subjects.sort();
    subjects.dedup();
    assert_eq!(subjects.len(), 50, "fifty different mails");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_flood_and_rate_limits_hold_when_the_next_post_goes_to_the_other_instance() {
    if !postgres::selected() {
        return;
    }
    let app = TestApp::builder()
        .with_config(|c| {
            c.comments.moderation = ModerationMode::All;
            c.comments.flood_seconds = 60;
        })
        .spawn()
        .await;
    app.import(&seed_article());
    let b = app.serve_process().await;
    let first = app.submit(SLUG, CommentDraft::new("Ada", "ada@example.org", "First words")).await;
    assert_eq!(first.status(), 303);
    let again = submit_at(
        &b.base_url,
        &app.new_client(),
        SLUG,
        CommentDraft::new("Ada", "ada@example.org", "Second words"),
    )
    .await;
    assert_ne!(again.status(), 303, "the flood limit holds on B");
    let text = again.text().await.unwrap();
    assert!(text.contains("Second words"), "the reader's text is kept");

    let limited = TestApp::builder()
        .with_config(|c| {
            c.comments.moderation = ModerationMode::All;
            c.comments.rate_limit_per_minute = 2;
        })
        .spawn()
        .await;
    limited.import(&seed_article());
    let b = limited.serve_process().await;
    let post = |base: String, n: usize| {
        let client = limited.new_client();
        async move {
            let draft =
                CommentDraft::new(&format!("R{n}"), &format!("r{n}@example.org"), &format!("Words {n}"));
            submit_at(&base, &client, SLUG, draft).await.status().as_u16()
        }
    };
    assert_eq!(post(limited.base_url.clone(), 1).await, 303);
    assert_eq!(post(b.base_url.clone(), 2).await, 303);
    // Two a minute from this address in all, whichever instance counts them.
    assert_ne!(post(limited.base_url.clone(), 3).await, 303, "third refused on A");
    assert_ne!(post(b.base_url.clone(), 4).await, 303, "and on B");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn killing_an_instance_mid_burst_loses_no_acknowledged_comment() {
    if !postgres::selected() {
        return;
    }
    let app = site(ModerationMode::None).await;
    let mut b = app.serve_process().await;
    let mut burst = tokio::task::JoinSet::new();
    for i in 0..200 {
        let (base, client) = (b.base_url.clone(), app.new_client());
        burst.spawn(async move {
            let draft = CommentDraft::new(
                &format!("Burst {i}"),
                &format!("b{i}@example.org"),
                &format!("Burst words {i}"),
            );
            let token = crate::common::form_token_at(&base, &client, SLUG).await;
            let draft = draft.set("form_token", &token);
            let response =
                client.post(format!("{base}/posts/{SLUG}/comments")).form(&draft.fields).send().await;
            match response {
                Ok(r) if r.status() == 303 => Some(comment_id(&r)),
                _ => None,
            }
        });
    }
    // Kill B once some comments are in.
    eventually(30, "part of the burst is stored", || async {
        app.db(|c| comments::table.count().get_result::<i64>(c).unwrap()) >= 20
    })
    .await;
    b.child.kill().unwrap();
    b.child.wait().unwrap();
    let mut acknowledged = Vec::new();
    while let Some(result) = burst.join_next().await {
        if let Some(id) = result.unwrap_or(None) {
            acknowledged.push(id);
        }
    }
    assert!(!acknowledged.is_empty(), "some were acknowledged before the kill");
    let stored: Vec<i32> = app.db(|c| comments::table.select(comments::id).load(c).unwrap());
    let lost: Vec<&i32> = acknowledged.iter().filter(|id| !stored.contains(id)).collect();
    assert!(lost.is_empty(), "acknowledged but lost: {lost:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_image_uploaded_through_one_instance_is_served_by_another_without_shared_files() {
    if !postgres::selected() {
        return;
    }
    let app = site(ModerationMode::All).await;
    let b = app.serve_process().await;
    let admin = app.logged_in("root", Role::Admin).await;
    let page = admin.get(app.url("/admin/media")).send().await.unwrap().text().await.unwrap();
    let csrf = crate::common::extract_value(&page, "csrf_token").unwrap();
    let png = crate::common::png(700, 500);
    let form = reqwest::multipart::Form::new()
        .text("csrf_token", csrf)
        .part("file", reqwest::multipart::Part::bytes(png).file_name("loom.png"));
    let response = admin.post(app.url("/admin/media/upload")).multipart(form).send().await.unwrap();
    assert_eq!(response.status(), 303);
    let key = app.db(|c| marginalia::db::media::list(c, 0, 1)).unwrap().remove(0).file_key;
    let on_a = app.get(&format!("/media/{key}/480.webp")).await.bytes().await.unwrap();
    let on_b = reqwest::get(b.url(&format!("/media/{key}/480.webp"))).await.unwrap();
    assert_eq!(on_b.status(), 200);
    assert_eq!(on_b.headers()["content-type"], "image/webp");
    assert!(on_b.headers().get("content-encoding").is_none(), "an image is not compressed again");
    assert_eq!(on_b.bytes().await.unwrap(), on_a, "the same bytes, from the database");
    assert!(!std::path::Path::new("media").join(&key).exists(), "no file written beside the process");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_lost_while_serving_answers_503_and_the_site_recovers_by_itself() {
    if !postgres::selected() {
        return;
    }
    let server = PgServer::own();
    let app = TestApp::builder()
        .database_url(server.create_database())
        .with_config(|c| c.comments.moderation = ModerationMode::None)
        .spawn()
        .await;
    app.import(&seed_article());
    let token = app.form_token(&app.client, SLUG).await;
    assert_eq!(app.get("/healthz").await.status(), 200);

    server.stop();
    let health = app.get("/healthz").await;
    assert_eq!(health.status(), 503, "healthz says the database is gone");
    let draft =
        CommentDraft::new("Ada", "ada@example.org", "While the database is away").set("form_token", &token);
    let refused = app
        .client
        .post(app.url(&format!("/posts/{SLUG}/comments")))
        .form(&draft.fields)
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 503, "not acknowledged");
    let page = refused.text().await.unwrap();
    assert!(
        page.contains("Test Blog") && !page.contains("postgres"),
        "the themed page, no internals: {page}"
    );

    server.run();
    eventually(30, "the site is back", || async { app.get("/healthz").await.status() == 200 }).await;
    let draft = CommentDraft::new("Ada", "ada@example.org", "After it came back");
    assert_eq!(app.submit(SLUG, draft).await.status(), 303, "comments are taken again");
}

#[test]
fn an_unreachable_postgresql_at_start_is_one_line_naming_the_host() {
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let output = crate::common::binary()
        .env("MARGINALIA_DATABASE__URL", format!("postgres://blog:secret-password@127.0.0.1:{port}/blog"))
        .env("MARGINALIA_SECURITY__SECRET_KEY", crate::common::SECRET)
        .arg("migrate")
        .output()
        .unwrap();
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    let lines: Vec<&str> = stderr.lines().filter(|l| !l.trim().is_empty()).collect();
    assert_eq!(lines.len(), 1, "one line: {stderr}");
    assert!(lines[0].contains(&format!("127.0.0.1:{port}")), "names the host: {stderr}");
    assert!(!stderr.contains("secret-password"), "never the password: {stderr}");
}
