//! Snapshots (insta) of what readers, moderators and integrations see: the public comment
//! HTML, a moderator's mail, the API's JSON. Times, ids and signed tokens are redacted so a
//! snapshot changes only when the output does. Review changes with `cargo insta review`.

use marginalia::config::ModerationMode;
use marginalia::db::enums::Role;
use regex::Regex;

/// One set of snapshot files for this suite's SQLite and PostgreSQL runs (by default insta
/// names them after the test binary too).
macro_rules! snapshot {
    ($name:literal, $value:expr) => {
        insta::with_settings!({ prepend_module_to_snapshot => false }, {
            insta::assert_snapshot!(concat!("integration__snapshots__", $name), $value)
        })
    };
}

use crate::common::{comment_id, comments_section, seed_article, CommentDraft, TestApp};

const SLUG: &str = "does-smp-hair-treatment-treat-hair-loss";

fn redact(text: &str) -> String {
    let rules = [
        (r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?Z?( UTC)?", "[time]"),
        (
            r"(?i)(January|February|March|April|May|June|July|August|September|October|November|December) \d{1,2}, \d{4}( at \d{1,2}:\d{2}( ?[ap]m| UTC))?",
            "[date]",
        ),
        (r"/m/[A-Za-z0-9_.~\-]+", "/m/[token]"),
        (r"/unsubscribe/[A-Za-z0-9_.~\-]+", "/unsubscribe/[token]"),
        (r#"data-comment-id="\d+""#, "data-comment-id=\"[id]\""),
        (r"comment-\d+", "comment-[id]"),
        (r"replytocom=\d+", "replytocom=[id]"),
        (r#""(id|parent_id)": \d+"#, "\"$1\": [id]"),
        (r"/admin/comments/\d+/", "/admin/comments/[id]/"),
        (r"<[^>@\s]+@blog\.test>", "<[message-id]>"),
        (r"127\.0\.0\.1:\d+", "127.0.0.1:[port]"),
    ];
    let mut out = text.to_string();
    for (pattern, replacement) in rules {
        out = Regex::new(pattern).unwrap().replace_all(&out, replacement).into_owned();
    }
    out
}

async fn site() -> TestApp {
    let app = TestApp::builder().with_config(|c| c.comments.moderation = ModerationMode::All).spawn().await;
    app.import(&seed_article());
    app.user("mod", Role::Moderator, "long-enough-password");
    app
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn public_comment_thread_html() {
    let app = site().await;
    let parent = comment_id(
        &app.submit(
            SLUG,
            CommentDraft::new("Ada Lovelace", "ada@example.org", "Does it *fade*?\n\n> quoted"),
        )
        .await,
    );
    app.set_comment_status(parent, "approved");
    let reply = CommentDraft::new("Bob", "bob@example.org", "See https://example.org/x")
        .set("url", "https://bob.example")
        .set("comment_parent", &parent.to_string());
    let reply = comment_id(&app.submit_with(&app.new_client(), SLUG, reply).await);
    app.set_comment_status(reply, "approved");
    let (_, html) = app.get_text(&format!("/posts/{SLUG}")).await;
    let section = comments_section(&html);
    assert!(!section.contains("@example.org"), "no commenter email on the page");
    snapshot!("public_comment_thread_html", redact(section));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn held_comment_mail_to_a_moderator() {
    let app = site().await;
    let draft = CommentDraft::new("Ada Lovelace", "ada@example.org", "Does the pigment fade?")
        .set("url", "https://ada.example");
    app.submit(SLUG, draft).await;
    let mails = app.smtp.wait_for(1, 10).await;
    snapshot!(
        "held_comment_mail_to_a_moderator",
        format!("Subject: {}\n\n{}", mails[0].subject(), redact(&mails[0].text()))
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn api_comment_list_json() {
    let app = site().await;
    app.submit(SLUG, CommentDraft::new("Ada Lovelace", "ada@example.org", "Held for the API.")).await;
    let token = app.write(|c| marginalia::services::accounts::create_token(c, "mod", "snap")).unwrap();
    let list: serde_json::Value = app
        .client
        .get(app.url("/api/v1/comments?status=pending"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    snapshot!("api_comment_list_json", redact(&serde_json::to_string_pretty(&list).unwrap()));
}
