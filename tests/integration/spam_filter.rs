//! The learned spam filter, end to end: moderators' decisions train it (and a changed mind
//! untrains), `spam train` teaches it from files, below `min_training` it only holds, and the
//! reason names its clues.

use crate::common::{comment_id, seed_article, CommentDraft, TestApp};
use diesel::prelude::*;
use marginalia::config::ModerationMode;
use marginalia::db::enums::Role;
use marginalia::services::moderation::Action;

const SLUG: &str = "does-smp-hair-treatment-treat-hair-loss";

#[derive(QueryableByName, Debug, PartialEq)]
struct Totals {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    spam_docs: i64,
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    ham_docs: i64,
}

fn totals(app: &TestApp) -> (i64, i64) {
    let t: Totals =
        app.db(|c| diesel::sql_query("SELECT spam_docs, ham_docs FROM spam_filter").get_result(c)).unwrap();
    (t.spam_docs, t.ham_docs)
}

#[derive(QueryableByName, Debug)]
struct Counts {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    spam: i64,
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    ham: i64,
}

/// (spam, ham) counts of a token; (0, 0) when the model does not know it.
fn token(app: &TestApp, token: &str) -> (i64, i64) {
    let token = token.to_string();
    app.db(move |c| {
        diesel::sql_query(crate::common::sql("SELECT spam, ham FROM spam_tokens WHERE token = ?"))
            .bind::<diesel::sql_types::Text, _>(token)
            .get_result::<Counts>(c)
            .optional()
    })
    .unwrap()
    .map(|c| (c.spam, c.ham))
    .unwrap_or((0, 0))
}

fn trained_as(app: &TestApp, id: i32) -> Option<String> {
    #[derive(QueryableByName)]
    struct Row {
        #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Text>)]
        trained_as: Option<String>,
    }
    app.db(|c| {
        diesel::sql_query(crate::common::sql("SELECT trained_as FROM comments WHERE id = ?"))
            .bind::<diesel::sql_types::Integer, _>(id)
            .get_result::<Row>(c)
    })
    .unwrap()
    .trained_as
}

async fn held_comment(app: &TestApp, author: &str, text: &str) -> i32 {
    let response = app
        .submit(
            SLUG,
            CommentDraft::new(
                author,
                &format!("{}@example.org", author.to_lowercase().replace(' ', ".")),
                text,
            ),
        )
        .await;
    assert_eq!(response.status(), 303);
    comment_id(&response)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_decision_trains_and_a_changed_mind_untrains() {
    let app = TestApp::spawn().await;
    app.import(&seed_article());
    let id = held_comment(&app, "Spammer", "Refinance your mortgage with zero fees").await;
    assert_eq!(totals(&app), (0, 0), "a held comment teaches nothing yet");

    app.moderate(id, Action::Spam);
    assert_eq!(totals(&app), (1, 0));
    assert_eq!(token(&app, "mortgage"), (1, 0));
    assert_eq!(token(&app, "your mortgage"), (1, 0), "word pairs are learned too");
    assert_eq!(trained_as(&app, id).as_deref(), Some("spam"));

    app.moderate(id, Action::Trash);
    app.moderate(id, Action::Restore);
    assert_eq!(totals(&app), (1, 0), "trash and restore teach nothing");
    app.moderate(id, Action::NotSpam);
    assert_eq!(totals(&app), (0, 1), "not spam: the spam lesson is taken back, a genuine one learned");
    assert_eq!(token(&app, "mortgage"), (0, 1));

    app.moderate(id, Action::Approve);
    assert_eq!(totals(&app), (0, 1), "approving what is already learned as genuine changes nothing");
    app.moderate(id, Action::Unapprove);
    assert_eq!(totals(&app), (0, 0), "unapproving takes the approval back");
    assert_eq!(token(&app, "mortgage"), (0, 0), "a token counted nowhere is dropped");
    assert_eq!(trained_as(&app, id), None);

    // The API is one of the ways of deciding (web, bulk, CLI and mailed links share `apply`).
    app.user("bot", Role::Moderator, "long-enough-password");
    let api_token = app.write(|c| marginalia::services::accounts::create_token(c, "bot", "ci")).unwrap();
    let other = held_comment(&app, "Another", "Cheap pills shipped overnight").await;
    let response = app
        .client
        .post(app.url(&format!("/api/v1/comments/{other}/spam")))
        .bearer_auth(&api_token)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(totals(&app), (1, 0));
    assert_eq!(token(&app, "pills"), (1, 0));
}

const SPAM: [&str; 12] = [
    "Refinance your mortgage today at the lowest rates, free quote at cheap-loans.example",
    "Lowest mortgage rates of the year, refinance now and save thousands",
    "Get a free mortgage quote in minutes, lowest rates guaranteed",
    "Your mortgage could cost less: refinance with our lowest rates today",
    "Lowest rates on every mortgage, apply online for a free quote",
    "Save thousands on your mortgage, refinance at the lowest rates now",
    "Mortgage refinance made easy, lowest rates and a free quote today",
    "Stop overpaying your mortgage, our lowest rates start today",
    "Free quote, lowest rates, refinance your mortgage in one click",
    "Homeowners: refinance your mortgage at the lowest rates this week",
    "The lowest mortgage rates online, free quote and fast approval",
    "Refinance today: lowest rates on your mortgage, free quote included",
];

const HAM: [&str; 12] = [
    "The pigment faded a little after two years but a touch-up fixed it",
    "My scalp healed within a week and nobody can tell it is not hair",
    "Did you need a second session for the crown, or was one enough?",
    "I had SMP done last spring; the hairline looks natural in daylight",
    "How long should I avoid the gym after the first treatment?",
    "Thanks for the honest write-up, the healing photos helped a lot",
    "My practitioner used three sessions, the density is great now",
    "Is it normal for the dots to look darker in the first week?",
    "I was nervous about the pain but it felt like light scratching",
    "The hairline was drawn with a pencil first, which reassured me",
    "Does sweating affect the pigment while the scalp is still healing?",
    "After a year the result still looks like a fresh buzz cut",
];

fn corpus_file(dir: &std::path::Path, name: &str, lines: &[&str]) -> String {
    let path = dir.join(name);
    std::fs::write(&path, lines.join("\n")).unwrap();
    path.display().to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn below_min_training_it_holds_then_marks_spam_naming_its_clues() {
    let app = TestApp::builder()
        .with_config(|c| {
            c.comments.moderation = ModerationMode::None;
            c.spam.min_training = 10;
        })
        .spawn()
        .await;
    app.import(&seed_article());
    let dir = tempfile::tempdir().unwrap();
    let spam = corpus_file(dir.path(), "spam.txt", &SPAM[..6]);
    let ham = corpus_file(dir.path(), "ham.txt", &HAM[..6]);
    let out = app.cli(&["spam", "train", "--spam", &spam, "--ham", &ham]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("trained 6 spam text(s)") && stdout.contains("trained 6 ham text(s)"),
        "{stdout}"
    );
    assert_eq!(totals(&app), (6, 6));

    let text = "Refinance your mortgage at the lowest rates, free quote today";
    let learning = held_comment(&app, "Loans", text).await;
    let (status, reason) = app.comment_status(learning);
    assert_eq!(status, "pending", "still learning: held, not marked spam ({reason})");
    assert!(reason.starts_with("learned filter: ") && reason.contains("still learning"), "{reason}");
    let genuine = held_comment(&app, "Reader", "The pigment on my scalp healed nicely after a week").await;
    assert_eq!(app.comment_status(genuine).0, "approved", "a genuine comment passes");

    let spam = corpus_file(dir.path(), "spam2.txt", &SPAM[6..]);
    let ham = corpus_file(dir.path(), "ham2.txt", &HAM[6..]);
    let out = app.cli(&["spam", "train", "--spam", &spam, "--ham", &ham]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let marked =
        held_comment(&app, "Loans Again", "Lowest mortgage rates: refinance now for a free quote").await;
    let (status, reason) = app.comment_status(marked);
    assert_eq!(status, "spam", "{reason}");
    assert!(reason.contains("% spam; clues: `"), "the reason names the clues: {reason}");
    assert!(
        reason.contains("mortgage") || reason.contains("lowest") || reason.contains("refinance"),
        "{reason}"
    );

    // A moderator disagrees: the record counts the reversal.
    app.moderate(marked, Action::NotSpam);
    let out = app.cli(&["spam", "stats"]);
    let stats = String::from_utf8_lossy(&out.stdout);
    assert!(stats.contains("1 marked spam, 1 of them reversed"), "{stats}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_corrupt_model_means_no_opinion_not_an_error() {
    let app = TestApp::builder().with_config(|c| c.comments.moderation = ModerationMode::None).spawn().await;
    app.import(&seed_article());
    app.db(|c| diesel::sql_query("DROP TABLE spam_tokens").execute(c)).unwrap();
    let id = held_comment(&app, "Ada", "A perfectly ordinary comment").await;
    assert_eq!(app.comment_status(id).0, "approved");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn moderators_see_the_record_the_not_spam_button_and_waves_they_can_end_at_once() {
    let app = TestApp::builder().with_config(|c| c.spam.min_training = 10).spawn().await;
    app.import(&seed_article());
    let dir = tempfile::tempdir().unwrap();
    let spam = corpus_file(dir.path(), "spam.txt", &SPAM[..6]);
    let ham = corpus_file(dir.path(), "ham.txt", &HAM[..6]);
    assert!(app.cli(&["spam", "train", "--spam", &spam, "--ham", &ham]).status.success());
    // Held by the filter (still learning), then a wave of three linking to one domain.
    let by_filter =
        held_comment(&app, "Loans", "Refinance your mortgage at the lowest rates, free quote today").await;
    let mut wave = Vec::new();
    for (i, host) in ["pills.example", "www.pills.example", "pills.example"].iter().enumerate() {
        let text = format!("Nice post number {i}, see https://{host}/offer");
        wave.push(held_comment(&app, &format!("Wave{i}"), &text).await);
    }

    let admin = app.logged_in("boss", Role::Admin).await;
    let dashboard = admin.get(app.url("/admin")).send().await.unwrap().text().await.unwrap();
    let record = dashboard.split("id=\"spam-filter\"").nth(1).expect("the filter's record on the dashboard");
    assert!(record.contains("so far 6 spam and 6 genuine"), "{record}");
    assert!(record.contains("only holds comments"), "still learning is said: {record}");
    let queue =
        admin.get(app.url("/admin/comments?status=pending")).send().await.unwrap().text().await.unwrap();
    let card = queue.split(&format!("id=\"mod-comment-{by_filter}\"")).nth(1).unwrap();
    let card = card.split("</article>").next().unwrap();
    assert!(card.contains("held by the learned filter"), "{card}");
    assert!(
        card.contains(&format!("value=\"{by_filter}:approve\" class=\"action-approve\">Not spam: approve")),
        "{card}"
    );
    let waves = queue.split("id=\"spam-waves\"").nth(1).expect("a spam waves section");
    assert!(waves.contains("<strong>3 comments</strong> linking to pills.example"), "{waves}");

    let mut form: Vec<(&str, String)> = vec![("action", "spam_block".into())];
    form.extend(wave.iter().map(|id| ("ids", id.to_string())));
    let fields: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let response = app.admin_post(&admin, "/admin/comments/moderate", &fields).await;
    assert_eq!(response.status(), 303);
    for id in &wave {
        assert_eq!(app.comment_status(*id).0, "spam");
    }
    assert_eq!(totals(&app), (9, 6), "the wave taught the filter three spam");
    let next = app.submit(SLUG, CommentDraft::new("Wave0", "wave0@example.org", "hello again")).await;
    assert_eq!(app.comment_status(comment_id(&next)).0, "spam", "the wave's senders are blocked");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn erasing_a_commenter_takes_back_what_their_comments_taught() {
    let app = TestApp::spawn().await;
    app.import(&seed_article());
    let id = held_comment(&app, "Zelda", "Greetings from Hyrule, lovely article").await;
    app.moderate(id, Action::Approve);
    assert_eq!(totals(&app), (0, 1));
    assert_eq!(token(&app, "name:zelda"), (0, 1));
    let out = app.cli(&["privacy", "erase", "--email", "zelda@example.org"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(totals(&app), (0, 0));
    assert_eq!(token(&app, "name:zelda"), (0, 0), "the name leaves the model with the comment");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_model_is_pruned_to_its_bound() {
    let app = TestApp::spawn().await;
    let dir = tempfile::tempdir().unwrap();
    let lines: Vec<String> = (0..300).map(|i| format!("unique{i}a unique{i}b unique{i}c")).collect();
    let refs: Vec<&str> = lines.iter().map(String::as_str).collect();
    let spam = corpus_file(dir.path(), "spam.txt", &refs);
    assert!(app.cli(&["spam", "train", "--spam", &spam]).status.success());
    let count = || {
        #[derive(QueryableByName)]
        struct N {
            #[diesel(sql_type = diesel::sql_types::BigInt)]
            n: i64,
        }
        app.db(|c| diesel::sql_query("SELECT COUNT(*) AS n FROM spam_tokens").get_result::<N>(c)).unwrap().n
    };
    assert!(count() > 1000, "{}", count());
    let pruned = app.write(|tx| Ok(marginalia::db::spam_filter::prune(tx, 1000)?)).unwrap();
    assert!(pruned > 0);
    assert_eq!(count(), 1000, "rare tokens go until the bound holds");
}
