//! Rough edges a newcomer hits (issue 17): each fixed, each checked here.

use crate::common::{comment_id, seed_article, CommentDraft, TestApp};
use marginalia::db::enums::Role;

const SLUG: &str = "does-smp-hair-treatment-treat-hair-loss";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reloading_a_refused_form_goes_back_to_the_article_form() {
    let app = TestApp::spawn().await;
    app.import(&seed_article());
    let response = app.client.get(app.url(&format!("/posts/{SLUG}/comments"))).send().await.unwrap();
    assert_eq!(response.status(), 303);
    assert_eq!(response.headers()["location"], format!("/posts/{SLUG}#respond"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_readers_first_held_comment_is_not_under_no_comments_yet() {
    let app = TestApp::spawn().await;
    app.import(&seed_article());
    let reader = app.new_client();
    let response =
        app.submit_with(&reader, SLUG, CommentDraft::new("Ada", "ada@example.org", "Held one")).await;
    let id = comment_id(&response);
    let html = reader.get(app.url(&format!("/posts/{SLUG}"))).send().await.unwrap().text().await.unwrap();
    assert!(html.contains(&format!("id=\"comment-{id}\"")), "the reader sees their held comment");
    let heading = html.split("id=\"comments-heading\">").nth(1).unwrap().split("</h2>").next().unwrap();
    assert_eq!(heading, "Comments", "not “No comments yet” above a comment");
    let anonymous = app.new_client();
    let html = anonymous.get(app.url(&format!("/posts/{SLUG}"))).send().await.unwrap().text().await.unwrap();
    assert!(html.contains("id=\"comments-heading\">No comments yet</h2>"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn logging_in_brings_you_back_where_you_were_going_and_nowhere_else() {
    let app = TestApp::spawn().await;
    app.user("boss", Role::Admin, "long-enough-password");
    let client = app.new_client();
    let response = client.get(app.url("/admin/comments?status=spam")).send().await.unwrap();
    assert_eq!(response.status(), 303);
    let login = response.headers()["location"].to_str().unwrap().to_string();
    assert_eq!(login, "/admin/login?next=%2Fadmin%2Fcomments%3Fstatus%3Dspam");
    let page = client.get(app.url(&login)).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("name=\"next\" value=\"/admin/comments?status=spam\""), "the form carries it");
    let csrf = crate::common::extract_value(&page, "csrf_token").unwrap();
    let form = [
        ("username", "boss"),
        ("password", "long-enough-password"),
        ("csrf_token", csrf.as_str()),
        ("next", "/admin/comments?status=spam"),
    ];
    let response = client.post(app.url("/admin/login")).form(&form).send().await.unwrap();
    assert_eq!(response.status(), 303);
    assert_eq!(response.headers()["location"], "/admin/comments?status=spam");

    // Another site is never a destination.
    let other = app.new_client();
    let page =
        other.get(app.url("/admin/login?next=//evil.example/x")).send().await.unwrap().text().await.unwrap();
    assert!(!page.contains("evil.example"), "an outside `next` is dropped");
    let csrf = crate::common::extract_value(&page, "csrf_token").unwrap();
    let form = [
        ("username", "boss"),
        ("password", "long-enough-password"),
        ("csrf_token", csrf.as_str()),
        ("next", "https://evil.example/"),
    ];
    let response = other.post(app.url("/admin/login")).form(&form).send().await.unwrap();
    assert_eq!(response.headers()["location"], "/admin");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_demo_shows_a_discussion_a_held_comment_and_caught_spam_once() {
    use marginalia::services::demo;
    let app = TestApp::spawn().await;
    demo::load(&app.state.db).unwrap();
    assert!(demo::ensure_admin(&app.state.db).unwrap().is_some());
    assert!(demo::seed_discussion(&app.state.db).unwrap(), "left on the seed article");
    assert!(!demo::seed_discussion(&app.state.db).unwrap(), "only once");
    let (_, html) = app.get_text(&format!("/posts/{SLUG}")).await;
    assert!(html.contains("3 thoughts on"), "question, reply and the moderator's answer");
    assert!(html.contains("moderator-badge"), "the admin's answer is marked");
    assert!(!html.contains("swimming") && !html.contains("casino"), "held and spam stay out of sight");
    let admin = app.logged_in("moderator", Role::Moderator).await;
    let queue = admin.get(app.url("/admin/comments?status=all")).send().await.unwrap().text().await.unwrap();
    assert!(
        queue.contains("first comment from this email") && queue.contains("matched disallowed word `casino`")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_bulk_menu_offers_what_fits_the_list_and_a_single_comment_has_no_bulk_bar() {
    let app = TestApp::spawn().await;
    app.import(&seed_article());
    let id = comment_id(&app.submit(SLUG, CommentDraft::new("Ada", "ada@example.org", "Held one")).await);
    let admin = app.logged_in("boss", Role::Admin).await;
    let pending =
        admin.get(app.url("/admin/comments?status=pending")).send().await.unwrap().text().await.unwrap();
    let menu = pending.split("id=\"bulk-action\"").nth(1).unwrap().split("</select>").next().unwrap();
    assert!(menu.contains("value=\"approve\"") && menu.contains("value=\"trash\""), "{menu}");
    assert!(!menu.contains("value=\"delete\"") && !menu.contains("value=\"restore\""), "{menu}");
    let single =
        admin.get(app.url(&format!("/admin/comments/{id}/edit"))).send().await.unwrap().text().await.unwrap();
    assert!(single.contains("<form id=\"bulk\"") && single.contains(" hidden>"), "the buttons' form, hidden");
    assert!(!single.contains("id=\"bulk-action\""), "no bulk menu for one comment");
}
