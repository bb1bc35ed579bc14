//! The admin Tools page: a WordPress export uploaded through the browser form (multipart,
//! CSRF, admins only, size limit), imported in the background with progress, and the export
//! download.

use std::time::Duration;

use crate::common::TestApp;
use marginalia::db::enums::Role;
use marginalia::services::wordpress::wxr::{read_wxr, WxrEvent};

const SITE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/wxr/site.xml");

fn upload_form(csrf: Option<&str>, bytes: Vec<u8>, dry_run: bool) -> reqwest::multipart::Form {
    let mut form = reqwest::multipart::Form::new();
    if let Some(csrf) = csrf {
        form = form.text("csrf_token", csrf.to_string());
    }
    if dry_run {
        form = form.text("dry_run", "yes");
    }
    let part = reqwest::multipart::Part::bytes(bytes).file_name("site.xml").mime_str("text/xml").unwrap();
    form.part("file", part)
}

/// Polls the status endpoint until the import is no longer running.
async fn wait_for_import(app: &TestApp, client: &reqwest::Client) -> serde_json::Value {
    for _ in 0..300 {
        let status: serde_json::Value =
            client.get(app.url("/admin/tools/import/status")).send().await.unwrap().json().await.unwrap();
        if status["state"] != "running" {
            return status;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("the import did not finish within 30 s");
}

fn count(app: &TestApp, table: &str) -> i64 {
    #[derive(diesel::QueryableByName)]
    struct Count {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        n: i64,
    }
    use diesel::RunQueryDsl;
    app.db(|c| diesel::sql_query(format!("SELECT COUNT(*) AS n FROM {table}")).get_result::<Count>(c))
        .unwrap()
        .n
}

fn uploads_left(app: &TestApp) -> usize {
    std::fs::read_dir(app.db_path.parent().unwrap())
        .unwrap()
        .filter(|e| e.as_ref().unwrap().file_name().to_string_lossy().starts_with(".marginalia-upload-"))
        .count()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn admin_uploads_an_export_and_sees_it_imported_with_progress_and_summary() {
    let app = TestApp::spawn().await;
    let admin = app.logged_in("boss", Role::Admin).await;
    let page = admin.get(app.url("/admin/tools")).send().await.unwrap();
    assert_eq!(page.status(), 200);
    let page = page.text().await.unwrap();
    assert!(page.contains("enctype=\"multipart/form-data\""), "the Tools page has the upload form");
    let csrf = app.csrf(&admin).await;

    let response = admin
        .post(app.url("/admin/tools/import"))
        .multipart(upload_form(Some(&csrf), std::fs::read(SITE).unwrap(), false))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 303, "upload accepted: {}", response.text().await.unwrap());
    let status = wait_for_import(&app, &admin).await;
    assert_eq!(status["state"], "done", "import finished: {status}");
    assert_eq!(status["percent"], 100);
    let summary = status["summary"].as_str().unwrap();
    assert!(summary.contains("articles created"), "{summary}");
    assert_eq!(uploads_left(&app), 0, "the uploaded file is deleted after the import");
    assert_eq!(count(&app, "outbox"), 0, "importing old comments sends no mail to anyone");
    assert_eq!(count(&app, "comments"), 12, "every comment of the fixture, pingbacks included");

    // The import is real: the article is public, the page is in the navigation at once.
    let (code, article) = app.get_text("/posts/classic-post").await;
    assert_eq!(code, 200);
    assert!(article.contains("First level comment"));
    let (_, home) = app.get_text("/").await;
    assert!(home.contains("href=\"/pages/about\""), "the imported page is in the navigation");

    let page = admin.get(app.url("/admin/tools")).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("Finished."), "the Tools page shows the result");
    assert!(page.contains("articles created"), "and the summary table");
    assert!(page.contains("Earlier imports") && page.contains("complete"), "and the history of runs");
    let audit = admin.get(app.url("/admin/audit")).send().await.unwrap().text().await.unwrap();
    assert!(audit.contains("imported site.xml"), "the import is in the audit log");
    let list = admin.get(app.url("/admin/posts")).send().await.unwrap().text().await.unwrap();
    assert!(list.contains("href=\"/pages/about\""), "the admin list links a page to its page address");
    assert!(list.contains("8 in all"), "every imported post and page is listed");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn upload_without_csrf_or_as_moderator_is_refused_and_writes_nothing() {
    let app = TestApp::spawn().await;
    let admin = app.logged_in("boss", Role::Admin).await;
    let refused = admin
        .post(app.url("/admin/tools/import"))
        .multipart(upload_form(None, std::fs::read(SITE).unwrap(), false))
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 403, "no CSRF token");
    let forged = admin
        .post(app.url("/admin/tools/import"))
        .multipart(upload_form(Some("forged-token"), std::fs::read(SITE).unwrap(), false))
        .send()
        .await
        .unwrap();
    assert_eq!(forged.status(), 403, "wrong CSRF token");

    let moderator = app.logged_in("mod", Role::Moderator).await;
    assert_eq!(moderator.get(app.url("/admin/tools")).send().await.unwrap().status(), 403);
    let csrf = app.csrf(&moderator).await;
    let response = moderator
        .post(app.url("/admin/tools/import"))
        .multipart(upload_form(Some(&csrf), std::fs::read(SITE).unwrap(), false))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 403, "moderators cannot import");
    assert_eq!(moderator.get(app.url("/admin/tools/export.xml")).send().await.unwrap().status(), 403);

    let anonymous = app.new_client();
    let response = anonymous.get(app.url("/admin/tools/export.xml")).send().await.unwrap();
    assert_ne!(response.status(), 200, "no export without a session");

    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(count(&app, "posts"), 0, "nothing imported");
    assert_eq!(uploads_left(&app), 0, "nothing left on disk");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn uploads_over_the_limit_are_refused_with_a_message() {
    let app = TestApp::builder().with_config(|c| c.import.max_upload_mb = 1).spawn().await;
    let admin = app.logged_in("boss", Role::Admin).await;
    let csrf = app.csrf(&admin).await;
    let mut big = std::fs::read(SITE).unwrap();
    big.extend(std::iter::repeat_n(b' ', 1024 * 1024 + 10));
    let response = admin
        .post(app.url("/admin/tools/import"))
        .multipart(upload_form(Some(&csrf), big, false))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 400);
    assert!(response.text().await.unwrap().contains("larger than 1 MiB"));
    assert_eq!(uploads_left(&app), 0, "the partial upload is deleted");
    assert_eq!(count(&app, "posts"), 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_dry_run_from_the_page_writes_nothing_and_a_broken_file_reports_its_position() {
    let app = TestApp::spawn().await;
    let admin = app.logged_in("boss", Role::Admin).await;
    let csrf = app.csrf(&admin).await;
    let response = admin
        .post(app.url("/admin/tools/import"))
        .multipart(upload_form(Some(&csrf), std::fs::read(SITE).unwrap(), true))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 303);
    let status = wait_for_import(&app, &admin).await;
    assert_eq!(status["state"], "done");
    assert!(status["summary"].as_str().unwrap().contains("dry run"));
    assert_eq!(count(&app, "posts"), 0, "a dry run writes nothing");

    let broken =
        std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/wxr/malformed.xml")).unwrap();
    let response = admin
        .post(app.url("/admin/tools/import"))
        .multipart(upload_form(Some(&csrf), broken, false))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 303);
    let status = wait_for_import(&app, &admin).await;
    assert_eq!(status["state"], "failed");
    let error = status["error"].as_str().unwrap();
    assert!(error.contains(":56:40:"), "line and column of the problem: {error}");
    assert!(!error.contains(app.db_path.parent().unwrap().to_str().unwrap()), "no server paths: {error}");
    assert_eq!(count(&app, "posts"), 0);
    let page = admin.get(app.url("/admin/tools")).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("The import failed"), "the page says so");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_export_download_is_a_wxr_file_of_the_site() {
    let app = TestApp::spawn().await;
    app.article("hello-world", "Hello, World", 3, "News", &["greetings"]);
    let admin = app.logged_in("boss", Role::Admin).await;
    let response = admin.get(app.url("/admin/tools/export.xml")).send().await.unwrap();
    assert_eq!(response.status(), 200);
    let disposition = response.headers()["content-disposition"].to_str().unwrap().to_string();
    assert!(disposition.starts_with("attachment;"), "{disposition}");
    let body = response.bytes().await.unwrap();
    let mut titles = Vec::new();
    read_wxr(&body[..], |event| {
        if let WxrEvent::Item(item) = event {
            titles.push(item.title.clone());
        }
        Ok::<(), std::convert::Infallible>(())
    })
    .unwrap();
    assert_eq!(titles, vec!["Hello, World".to_string()]);
    let audit = admin.get(app.url("/admin/audit")).send().await.unwrap().text().await.unwrap();
    assert!(audit.contains("WordPress export downloaded"), "downloads are audited");
}
