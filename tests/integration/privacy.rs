//! Commenters' privacy through HTTP, the CLI and a real SMTP server: IP retention, export,
//! erasure, and the self-service link.

use crate::common::{comment_id, seed_article, CommentDraft, TestApp};
use diesel::prelude::*;
use marginalia::config::ModerationMode;
use marginalia::db::enums::Role;

const SLUG: &str = "does-smp-hair-treatment-treat-hair-loss";

async fn app() -> TestApp {
    let app = TestApp::builder().with_config(|c| c.comments.moderation = ModerationMode::All).spawn().await;
    app.import(&seed_article());
    app.user("mod", Role::Moderator, "long-enough-password");
    app
}

fn ip_and_agent(app: &TestApp, id: i32) -> (Option<String>, Option<String>) {
    use marginalia::db::schema::comments;
    app.db(|c| comments::table.find(id).select((comments::ip, comments::user_agent)).first(c).unwrap())
}

#[derive(QueryableByName)]
struct Name {
    #[diesel(sql_type = diesel::sql_types::Text)]
    name: String,
}

#[derive(QueryableByName)]
struct Count {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    n: i64,
}

/// Rows in any table of the database with a column containing `needle`.
fn traces(app: &TestApp, needle: &str) -> Vec<String> {
    app.db(|c| {
        let postgres = crate::common::postgres::selected();
        let tables: Vec<Name> = diesel::sql_query(if postgres {
            "SELECT table_name::text AS name FROM information_schema.tables WHERE table_schema = 'public'"
        } else {
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        })
        .load(c)
        .unwrap();
        let mut found = Vec::new();
        for table in tables {
            let columns: Vec<Name> = diesel::sql_query(if postgres {
                format!(
                    "SELECT column_name::text AS name FROM information_schema.columns \
                         WHERE table_schema = 'public' AND table_name = '{}'",
                    table.name
                )
            } else {
                format!("SELECT name FROM pragma_table_info('{}')", table.name)
            })
            .load(c)
            .unwrap();
            let condition: Vec<String> = columns
                .iter()
                .map(|col| {
                    if postgres {
                        format!("strpos(lower(CAST(\"{}\" AS TEXT)), ?) > 0", col.name)
                    } else {
                        format!("instr(lower(CAST(\"{}\" AS TEXT)), ?) > 0", col.name)
                    }
                })
                .collect();
            let sql =
                format!("SELECT COUNT(*) AS n FROM \"{}\" WHERE {}", table.name, condition.join(" OR "));
            let mut query = diesel::sql_query(crate::common::sql(&sql)).into_boxed();
            for _ in &columns {
                query = query.bind::<diesel::sql_types::Text, _>(needle.to_lowercase());
            }
            let count: Count = query.get_result(c).unwrap();
            if count.n > 0 {
                found.push(format!("{} ({} rows)", table.name, count.n));
            }
        }
        found
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn retention_truncates_old_ips_and_keeps_recent_ones() {
    let app = app().await;
    let browser = || {
        reqwest::Client::builder()
            .cookie_store(true)
            .user_agent("TestBrowser/1.0")
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap()
    };
    let old = comment_id(
        &app.submit_with(&browser(), SLUG, CommentDraft::new("Old", "old@example.org", "old one")).await,
    );
    let recent = comment_id(
        &app.submit_with(&browser(), SLUG, CommentDraft::new("New", "new@example.org", "new one")).await,
    );
    assert!(ip_and_agent(&app, old).1.is_some());
    app.db(|c| {
        use marginalia::db::schema::comments;
        let long_ago = chrono::Utc::now().naive_utc() - chrono::Duration::days(31);
        diesel::update(comments::table.find(old)).set(comments::created_at.eq(long_ago)).execute(c).unwrap();
    });
    let output = app.cli(&["privacy", "purge"]);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    assert!(String::from_utf8_lossy(&output.stdout).contains("1 comment(s)"));
    assert_eq!(ip_and_agent(&app, old), (Some("127.0.0.0".into()), None));
    let (ip, agent) = ip_and_agent(&app, recent);
    assert_eq!(ip.as_deref(), Some("127.0.0.1"));
    assert!(agent.is_some());
    // Running it again changes nothing.
    assert!(String::from_utf8_lossy(&app.cli(&["privacy", "purge"]).stdout).contains("0 comment(s)"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn store_ip_false_keeps_no_ip() {
    let app = TestApp::builder().with_config(|c| c.privacy.store_ip = false).spawn().await;
    app.import(&seed_article());
    let id = comment_id(&app.submit(SLUG, CommentDraft::new("N", "n@example.org", "no ip")).await);
    assert_eq!(ip_and_agent(&app, id).0, None);
    let (_, page) = app.get_text("/privacy").await;
    assert!(page.contains("No IP address"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn export_holds_exactly_that_address() {
    let app = app().await;
    let a = comment_id(
        &app.submit(
            SLUG,
            CommentDraft::new("Ann", "ann@example.org", "ann's words").set("notify_replies", "yes"),
        )
        .await,
    );
    let spam = comment_id(
        &app.submit_with(&app.new_client(), SLUG, CommentDraft::new("Ann", "ann@example.org", "ann again"))
            .await,
    );
    app.set_comment_status(spam, "spam");
    app.submit_with(&app.new_client(), SLUG, CommentDraft::new("Bob", "bob@example.org", "bob's words"))
        .await;
    app.set_comment_status(a, "approved");
    let output = app.cli(&["privacy", "export", "--email", "ANN@example.org"]);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let text = String::from_utf8_lossy(&output.stdout).to_string();
    let json: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(json["email"], "ann@example.org");
    let comments = json["comments"].as_array().unwrap();
    assert_eq!(comments.len(), 2, "every status");
    assert_eq!(comments[0]["ip"], "127.0.0.1");
    assert!(comments[0]["article_url"].as_str().unwrap().contains(SLUG));
    assert!(comments[0]["article_title"].as_str().unwrap().contains("SMP"));
    assert_eq!(json["subscriptions"].as_array().unwrap().len(), 1);
    assert!(!text.contains("bob"), "nobody else's data");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn erasure_removes_every_trace_and_threads_still_render() {
    let app = app().await;
    let admin = app.logged_in("root", Role::Admin).await;
    let parent = comment_id(
        &app.submit(
            SLUG,
            CommentDraft::new("Erin Secret", "erin@example.org", "erin's parent")
                .set("url", "https://erin.example")
                .set("notify_replies", "yes"),
        )
        .await,
    );
    app.set_comment_status(parent, "approved");
    let reply = comment_id(
        &app.submit_with(
            &app.new_client(),
            SLUG,
            CommentDraft::new("Rob", "rob@example.org", "rob's reply")
                .set("comment_parent", &parent.to_string()),
        )
        .await,
    );
    app.moderate(reply, marginalia::services::moderation::Action::Approve);
    app.smtp.wait_for(4, 10).await; // two held mails to the two staff, one reply notice to erin
    assert!(!traces(&app, "erin@example.org").is_empty(), "the address is there before");

    let response = app
        .admin_post(&admin, "/admin/privacy/erase", &[("email", "erin@example.org"), ("confirm", "yes")])
        .await;
    assert_eq!(response.status(), 303);
    let page = admin.get(app.url("/admin/privacy")).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("1 comment(s) anonymized"), "{page}");

    assert_eq!(traces(&app, "erin@example.org"), Vec::<String>::new(), "the address left behind");
    // Name, website and text were public; they are gone from the comments too.
    for needle in ["Erin Secret", "erin.example", "erin's parent"] {
        let left: Vec<String> =
            traces(&app, needle).into_iter().filter(|t| t.starts_with("comments")).collect();
        assert_eq!(left, Vec::<String>::new(), "{needle} left behind");
    }
    let (_, html) = app.get_text(&format!("/posts/{SLUG}")).await;
    assert!(html.contains("Anonymous"));
    assert!(html.contains("removed at the author"));
    let parent_li = html.split(&format!("<li id=\"comment-{parent}\"")).nth(1).unwrap();
    assert!(parent_li.contains(&format!("id=\"comment-{reply}\"")), "the reply keeps its place");
    let audit = app.audit_for(0);
    assert!(audit.is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn self_service_from_the_mailed_link() {
    let app = app().await;
    let first = comment_id(
        &app.submit(
            SLUG,
            CommentDraft::new("Sue", "sue@example.org", "first of sue").set("notify_replies", "yes"),
        )
        .await,
    );
    let second = comment_id(
        &app.submit_with(
            &app.new_client(),
            SLUG,
            CommentDraft::new("Sue", "sue@example.org", "second of sue"),
        )
        .await,
    );
    app.set_comment_status(first, "approved");
    app.smtp.wait_for(2, 10).await;
    app.smtp.received.lock().unwrap().clear();

    let reader = app.new_client();
    let known =
        reader.post(app.url("/privacy/manage")).form(&[("email", "sue@example.org")]).send().await.unwrap();
    assert_eq!(known.status(), 200);
    let known_text = known.text().await.unwrap();
    let unknown = reader
        .post(app.url("/privacy/manage"))
        .form(&[("email", "nobody@example.org")])
        .send()
        .await
        .unwrap();
    assert_eq!(unknown.status(), 200);
    let unknown_text = unknown.text().await.unwrap();
    assert_eq!(
        known_text.replace("sue@example.org", "X"),
        unknown_text.replace("nobody@example.org", "X"),
        "the same answer for a known and an unknown address"
    );
    let mails = app.smtp.wait_for(1, 10).await;
    app.wait_outbox_settled().await;
    assert_eq!(app.smtp.messages().len(), 1, "no mail for an address without comments");
    assert_eq!(mails[0].to, vec!["sue@example.org".to_string()]);
    let link = mails[0].links().into_iter().find(|l| l.contains("/privacy/manage/")).unwrap();
    let link = app.url(link.trim_start_matches("http://blog.test"));

    // A GET (a mail scanner's prefetch, or the reader's click) only asks.
    let asked = reader.get(&link).send().await.unwrap();
    assert_eq!(asked.status(), 200);
    assert!(asked.text().await.unwrap().contains("Open my comments"));
    let asked_again = app.new_client().get(&link).send().await.unwrap();
    assert_eq!(asked_again.status(), 200, "a prefetch did not use the link up");
    let opened = reader.post(&link).send().await.unwrap();
    assert_eq!(opened.status(), 303);
    assert_eq!(opened.headers()["location"], "/privacy/me");
    let page = reader.get(app.url("/privacy/me")).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("first of sue") && page.contains("second of sue"));
    let download: serde_json::Value =
        reader.post(app.url("/privacy/me/download")).send().await.unwrap().json().await.unwrap();
    assert_eq!(download["comments"].as_array().unwrap().len(), 2);

    let response = reader
        .post(app.url("/privacy/me/delete"))
        .form(&[("comment", second.to_string().as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 303);
    let page = reader.get(app.url("/privacy/me")).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("first of sue") && !page.contains("second of sue"));
    assert_eq!(reader.post(app.url("/privacy/me/stop-mail")).send().await.unwrap().status(), 303);
    let active: i64 = app.db(|c| {
        use marginalia::db::schema::subscriptions;
        subscriptions::table.filter(subscriptions::cancelled_at.is_null()).count().get_result(c).unwrap()
    });
    assert_eq!(active, 0);
    let all = reader.post(app.url("/privacy/me/delete")).form(&[("all", "yes")]).send().await.unwrap();
    assert_eq!(all.status(), 303);
    assert_eq!(traces(&app, "sue@example.org"), Vec::<String>::new());

    // The link works once; forged and expired links are refused with a readable page.
    let reused = app.new_client().post(&link).send().await.unwrap();
    assert_eq!(reused.status(), 409);
    assert!(reused.text().await.unwrap().contains("already used"));
    let forged = app.new_client().get(format!("{link}x")).send().await.unwrap();
    assert_eq!(forged.status(), 400);
    let old = app
        .write(|tx| {
            marginalia::services::privacy::manage_url(
                tx,
                &app.state.signer,
                "",
                "sue@example.org",
                chrono::Utc::now().naive_utc() - chrono::Duration::days(2),
            )
        })
        .unwrap();
    let expired = app.new_client().get(app.url(&old)).send().await.unwrap();
    assert_eq!(expired.status(), 410);
    assert!(expired.text().await.unwrap().contains("expired"));
    // Without the session cookie the page is closed.
    assert_eq!(app.new_client().get(app.url("/privacy/me")).send().await.unwrap().status(), 403);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_request_form_is_rate_limited() {
    let app = app().await;
    let client = app.new_client();
    for n in 0..5 {
        let email = format!("p{n}@example.org");
        let response =
            client.post(app.url("/privacy/manage")).form(&[("email", email.as_str())]).send().await.unwrap();
        assert_eq!(response.status(), 200);
    }
    let response =
        client.post(app.url("/privacy/manage")).form(&[("email", "p9@example.org")]).send().await.unwrap();
    assert_eq!(response.status(), 429);
    let (_, form) = app.get_text(&format!("/posts/{SLUG}")).await;
    assert!(form.contains("IP addresses are kept in full for 30 days."));
    assert!(form.contains("href=\"/privacy\""));
}
