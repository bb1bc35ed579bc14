//! What readers get around their own comment (issue 18): a preview before posting.

use crate::common::{seed_article, textarea, CommentDraft, TestApp};

const SLUG: &str = "does-smp-hair-treatment-treat-hair-loss";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn preview_shows_the_comment_as_published_keeps_the_form_and_stores_nothing() {
    let app = TestApp::spawn().await;
    app.import(&seed_article());
    let text = "Is it *safe*? <script>alert(1)</script> See https://example.org/faq";
    let draft = CommentDraft::new("Ada", "ada@example.org", text).set("preview", "1");
    let response = app.submit(SLUG, draft).await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["cache-control"], "private, no-store");
    let html = response.text().await.unwrap();
    let preview = html
        .split("id=\"comment-preview\"")
        .nth(1)
        .expect("a preview")
        .split("</div>\n    </div>")
        .next()
        .unwrap();
    assert!(preview.contains("<em>safe</em>"), "the same Markdown subset: {preview}");
    assert!(!preview.contains("<script"), "the same sanitizer: {preview}");
    assert!(preview.contains("href=\"https://example.org/faq\""), "links as published: {preview}");
    assert_eq!(textarea(&html, "comment").as_deref(), Some(text), "the form keeps the text");
    assert!(html.contains("value=\"Ada\""));
    let stored =
        app.db(|c| marginalia::db::comments::count_for_post(c, marginalia::db::ids::PostId(1))).unwrap();
    assert_eq!(stored, 0, "a preview stores nothing");
    assert_eq!(app.outbox_count("pending"), 0, "and mails nobody");

    // A preview of a form with errors shows the errors, not a preview.
    let response = app.submit(SLUG, CommentDraft::new("", "not-an-email", "x").set("preview", "1")).await;
    assert_eq!(response.status(), 422);
    let html = response.text().await.unwrap();
    assert!(!html.contains("id=\"comment-preview\"") && html.contains("field-error"));
}

/// An app with the seed article, under `moderation`.
async fn app_with_seed(moderation: marginalia::config::ModerationMode) -> TestApp {
    let app = TestApp::builder().with_config(move |c| c.comments.moderation = moderation).spawn().await;
    app.import(&seed_article());
    app
}

fn edit_link(html: &str, id: i32) -> bool {
    html.contains(&format!("href=\"/comments/{id}/edit\""))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reader_edits_their_comment_from_the_same_browser_and_an_edit_with_links_is_held_again() {
    let app = TestApp::builder()
        .with_config(|c| {
            c.comments.moderation = marginalia::config::ModerationMode::None;
            c.comments.max_links = 1;
        })
        .spawn()
        .await;
    app.import(&seed_article());
    let reader = app.new_client();
    let response =
        app.submit_with(&reader, SLUG, CommentDraft::new("Ada", "ada@example.org", "Frist!")).await;
    let id = crate::common::comment_id(&response);
    assert_eq!(app.comment_status(id).0, "approved");
    let (_, html) =
        (0, reader.get(app.url(&format!("/posts/{SLUG}"))).send().await.unwrap().text().await.unwrap());
    assert!(edit_link(&html, id), "the author sees Edit under their comment");
    assert!(!edit_link(&app.get_text(&format!("/posts/{SLUG}")).await.1, id), "nobody else does");

    let form = reader.get(app.url(&format!("/comments/{id}/edit"))).send().await.unwrap();
    assert_eq!(form.status(), 200);
    assert!(form.text().await.unwrap().contains("Frist!"));
    let response = reader
        .post(app.url(&format!("/comments/{id}/edit")))
        .form(&[("comment", "First, *properly* spelled."), ("action", "save")])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 303);
    let (_, html) = app.get_text(&format!("/posts/{SLUG}")).await;
    assert!(
        html.contains("First, <em>properly</em> spelled.") && !html.contains("Frist!"),
        "readers see the edit at once"
    );
    assert!(html.contains("(edited)"));
    let audit = app.audit_for(id);
    assert!(audit.iter().any(|(action, _, _)| action == "edited by author"), "{audit:?}");
    let detail: String = app
        .db(|c| {
            use diesel::prelude::*;
            marginalia::db::schema::audit_log::table
                .filter(marginalia::db::schema::audit_log::action.eq("edited by author"))
                .select(marginalia::db::schema::audit_log::detail)
                .first(c)
        })
        .unwrap();
    assert!(detail.contains("Frist!"), "moderators keep the previous text: {detail}");

    // An edit that adds links past the limit goes back to the queue with its reason.
    let response = reader
        .post(app.url(&format!("/comments/{id}/edit")))
        .form(&[("comment", "Buy at https://a.example and https://b.example now"), ("action", "save")])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 303);
    let (status, reason) = app.comment_status(id);
    assert_eq!(status, "pending");
    assert!(reason.starts_with("edited by its author:") && reason.contains("link"), "{reason}");
    assert!(
        !app.get_text(&format!("/posts/{SLUG}")).await.1.contains("https://a.example"),
        "off the public page"
    );

    // Another browser (no signed cookie) cannot, and is told why with its text kept.
    let stranger = app.new_client();
    assert_eq!(stranger.get(app.url(&format!("/comments/{id}/edit"))).send().await.unwrap().status(), 403);
    let response = stranger
        .post(app.url(&format!("/comments/{id}/edit")))
        .form(&[("comment", "Hijacked text"), ("action", "save")])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 403);
    let page = response.text().await.unwrap();
    assert!(page.contains("only be changed from the browser that sent it") && page.contains("Hijacked text"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_edit_after_a_reply_or_after_the_window_and_delete_within_it() {
    let app = app_with_seed(marginalia::config::ModerationMode::None).await;
    let reader = app.new_client();
    let first = crate::common::comment_id(
        &app.submit_with(&reader, SLUG, CommentDraft::new("Ada", "ada@example.org", "One")).await,
    );
    let other = app.new_client();
    let reply =
        CommentDraft::new("Bob", "bob@example.org", "A reply").set("comment_parent", &first.to_string());
    app.submit_with(&other, SLUG, reply).await;
    let response = reader
        .post(app.url(&format!("/comments/{first}/edit")))
        .form(&[("comment", "Changed after a reply"), ("action", "save")])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 403);
    let page = response.text().await.unwrap();
    assert!(
        page.contains("Someone has replied") && page.contains("Changed after a reply"),
        "the text is shown back"
    );
    assert!(!edit_link(
        &reader.get(app.url(&format!("/posts/{SLUG}"))).send().await.unwrap().text().await.unwrap(),
        first
    ));

    // Past the window (the comment's stored time moved back 16 minutes).
    let late = crate::common::comment_id(
        &app.submit_with(&reader, SLUG, CommentDraft::new("Ada", "ada@example.org", "Two")).await,
    );
    app.db(|c| {
        use diesel::prelude::*;
        use marginalia::db::schema::comments;
        let then = chrono::Utc::now().naive_utc() - chrono::Duration::minutes(16);
        diesel::update(comments::table.find(late)).set(comments::created_at.eq(then)).execute(c)
    })
    .unwrap();
    let response = reader
        .post(app.url(&format!("/comments/{late}/edit")))
        .form(&[("comment", "Too late"), ("action", "save")])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 403);
    assert!(response.text().await.unwrap().contains("15 minutes"));

    // Within the window, the author deletes it.
    let gone = crate::common::comment_id(
        &app.submit_with(&reader, SLUG, CommentDraft::new("Ada", "ada@example.org", "Three, a mistake"))
            .await,
    );
    assert!(app.get_text(&format!("/posts/{SLUG}")).await.1.contains("Three, a mistake"));
    let response = reader
        .post(app.url(&format!("/comments/{gone}/edit")))
        .form(&[("action", "delete")])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 303);
    assert!(
        !app.get_text(&format!("/posts/{SLUG}")).await.1.contains("Three, a mistake"),
        "gone for everyone at once"
    );
    let row = app.db(|c| marginalia::db::queue::find(c, marginalia::db::ids::CommentId(gone))).unwrap();
    assert!(row.is_none());
}

/// A deleted comment's id is never handed out again: the deleting browser's cookies (its
/// held comments, "Edit") name that id and must not open the next reader's comment.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_deleted_comments_id_is_never_reused_for_another_readers_comment() {
    let app = app_with_seed(marginalia::config::ModerationMode::All).await;
    let deniz = app.new_client();
    let gone = crate::common::comment_id(
        &app.submit_with(&deniz, SLUG, CommentDraft::new("Deniz", "deniz@example.org", "Posted in haste"))
            .await,
    );
    let response = deniz
        .post(app.url(&format!("/comments/{gone}/edit")))
        .form(&[("action", "delete")])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 303);
    let kurban = app.new_client();
    let next = crate::common::comment_id(
        &app.submit_with(&kurban, SLUG, CommentDraft::new("Kurban", "kurban@example.org", "My held words"))
            .await,
    );
    assert!(next > gone, "a new id ({next}), not the deleted one ({gone})");
    let page = deniz.get(app.url(&format!("/posts/{SLUG}"))).send().await.unwrap().text().await.unwrap();
    assert!(!page.contains("My held words"), "another reader's held comment stays hidden");
    let edit = deniz.get(app.url(&format!("/comments/{next}/edit"))).send().await.unwrap();
    assert_eq!(edit.status(), 403);
    // The same after a restart (the allocation is stored, not kept in memory; PostgreSQL's
    // identity sequence always is).
    if !crate::common::postgres::selected() {
        let restarted = app.db(|c| {
            use diesel::RunQueryDsl;
            diesel::sql_query("SELECT 1 FROM sqlite_sequence WHERE name = 'comments' AND seq >= 2").execute(c)
        });
        assert_eq!(restarted.unwrap(), 1);
    }
}
