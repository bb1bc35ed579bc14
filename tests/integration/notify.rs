//! Mail through a real SMTP server on 127.0.0.1: the outbox, one-click links, reply and
//! published notices, unsubscribe, an SMTP outage and a restart.

use std::collections::HashSet;

use crate::common::smtp::{Received, SmtpSink};
use crate::common::{comment_id, seed_article, CommentDraft, TestApp};
use marginalia::config::{Digest, ModerationMode, NotifyOn};
use marginalia::db::enums::Role;

const SLUG: &str = "does-smp-hair-treatment-treat-hair-loss";

async fn app_with(tweak: impl FnOnce(&mut marginalia::config::Config) + 'static) -> TestApp {
    let app = TestApp::builder().with_config(tweak).spawn().await;
    app.import(&seed_article());
    app.user("mod", Role::Moderator, "long-enough-password");
    app.user("root", Role::Admin, "long-enough-password");
    app
}

fn link(mail: &Received, path: &str) -> String {
    mail.links()
        .into_iter()
        .find(|l| l.contains(path))
        .unwrap_or_else(|| panic!("no {path} link in {}", mail.text()))
}

/// The app's own URL for a link written with the public base URL.
fn local(app: &TestApp, url: &str) -> String {
    app.url(url.trim_start_matches("http://blog.test"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_held_comment_mails_every_moderator_with_working_links() {
    let app = app_with(|c| c.comments.moderation = ModerationMode::All).await;
    let parent =
        comment_id(&app.submit(SLUG, CommentDraft::new("First", "first@example.org", "the parent")).await);
    app.set_comment_status(parent, "approved");
    app.smtp.wait_for(2, 10).await;
    app.smtp.received.lock().unwrap().clear();

    let draft = CommentDraft::new("Ada Lovelace", "ada@example.org", "Does the pigment fade?")
        .set("url", "https://ada.example")
        .set("comment_parent", &parent.to_string());
    let id = comment_id(&app.submit_with(&app.new_client(), SLUG, draft).await);
    let mails = app.smtp.wait_for(2, 10).await;
    assert_eq!(mails.len(), 2, "one mail per moderator");
    let recipients: HashSet<String> = mails.iter().flat_map(|m| m.to.clone()).collect();
    assert_eq!(
        recipients,
        HashSet::from(["mod@staff.example".to_string(), "root@staff.example".to_string()])
    );

    let mail = &mails[0];
    assert_eq!(mail.subject(), "[Test Blog] Please moderate: \"Does SMP Hair Treatment Treat Hair Loss?\"");
    let text = mail.text();
    for expected in [
        "Ada Lovelace",
        "ada@example.org",
        "https://ada.example",
        "127.0.0.1",
        "every comment is held",
        "In reply to: First: the parent",
        "Does the pigment fade?",
        "Currently 1 comment waiting",
    ] {
        assert!(text.contains(expected), "{expected} missing from {text}");
    }
    assert!(mail.html().contains("<strong>every comment is held (moderation: all)</strong>"));
    assert!(mail.header("Message-ID").unwrap().contains("@blog.test>"));
    assert!(mail.header("Date").is_some());

    // GET only asks; POST acts; a second use is refused.
    let approve = local(&app, &link(mail, "/m/"));
    let confirm = app.new_client().get(&approve).send().await.unwrap();
    assert_eq!(confirm.status(), 200);
    let confirm = confirm.text().await.unwrap();
    assert!(confirm.contains("Please confirm") && confirm.contains("Approve: the comment by"), "{confirm}");
    assert_eq!(app.comment_status(id).0, "pending", "GET changed nothing");
    let done = app.new_client().post(&approve).send().await.unwrap();
    assert_eq!(done.status(), 200);
    let done = done.text().await.unwrap();
    assert!(done.contains("is now approved"));
    assert!(
        done.contains(&format!("href=\"/admin/comments/{id}/edit\""))
            && done.contains("/admin/comments?status=pending"),
        "the done page leads to the comment and the queue"
    );
    assert_eq!(app.comment_status(id).0, "approved");
    let audit = app.audit_for(id);
    assert_eq!(
        audit.last().unwrap(),
        &("approve".to_string(), Some("pending".into()), Some("approved".into()))
    );
    let again = app.new_client().post(&approve).send().await.unwrap();
    assert_eq!(again.status(), 409);
    assert!(again.text().await.unwrap().contains("already used"));

    // The other moderator's spam link now says the comment was handled.
    let other_spam = local(&app, &mails[1].links().into_iter().filter(|l| l.contains("/m/")).nth(1).unwrap());
    let handled = app.new_client().post(&other_spam).send().await.unwrap();
    assert_eq!(handled.status(), 409);
    assert!(handled.text().await.unwrap().contains("already dealt with"));
    assert_eq!(app.comment_status(id).0, "approved");

    // Tampered and expired links are refused.
    let tampered = format!("{}x", approve);
    assert_eq!(app.new_client().post(&tampered).send().await.unwrap().status(), 400);
    let signer = app.state.signer.clone();
    let moderator = app.db(|c| marginalia::services::accounts::find_user(c, "mod")).unwrap();
    let old = marginalia::services::links::LinkMaker {
        signer: &signer,
        base_url: "",
        recipient: "mod@staff.example",
        user: moderator.id,
        session_version: moderator.session_version,
        user_since: moderator.created_at.and_utc().timestamp(),
        now: chrono::Utc::now().naive_utc() - chrono::Duration::days(8),
        days: 7,
    }
    .moderation(
        marginalia::db::ids::CommentId(id),
        marginalia::services::moderation::Action::Trash,
        marginalia::db::enums::CommentStatus::Approved,
    );
    let expired = app.new_client().post(app.url(&old)).send().await.unwrap();
    assert_eq!(expired.status(), 410);
    assert_eq!(app.comment_status(id).0, "approved");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reply_notices_arrive_after_approval_only_and_unsubscribe_stops_them() {
    let app = app_with(|c| c.comments.moderation = ModerationMode::All).await;
    let parent = comment_id(
        &app.submit(
            SLUG,
            CommentDraft::new("Pat", "pat@example.org", "parent text").set("notify_replies", "yes"),
        )
        .await,
    );
    app.set_comment_status(parent, "approved");
    let reply = comment_id(
        &app.submit_with(
            &app.new_client(),
            SLUG,
            CommentDraft::new("Rex", "rex.private@example.org", "reply text")
                .set("comment_parent", &parent.to_string()),
        )
        .await,
    );
    let moderator_mails = app.smtp.wait_for(4, 10).await; // 2 held mails per comment
    assert!(
        moderator_mails.iter().all(|m| !m.to.contains(&"pat@example.org".to_string())),
        "nothing before approval"
    );

    app.moderate(reply, marginalia::services::moderation::Action::Approve);
    let mails = app.smtp.wait_for(5, 10).await;
    let to_pat: Vec<&Received> =
        mails.iter().filter(|m| m.to.contains(&"pat@example.org".to_string())).collect();
    assert_eq!(to_pat.len(), 1);
    let notice = to_pat[0];
    assert!(notice.subject().contains("Rex replied to your comment"));
    assert!(notice.text().contains("reply text"));
    assert!(!notice.data.contains("rex.private@example.org"), "no other commenter's email");
    let unsubscribe = notice.header("List-Unsubscribe").expect("List-Unsubscribe");
    assert!(unsubscribe.starts_with("<http://blog.test/unsubscribe/"));
    assert_eq!(notice.header("List-Unsubscribe-Post").as_deref(), Some("List-Unsubscribe=One-Click"));

    // One click (RFC 8058's POST) stops the mail; a GET only asks.
    let url = local(&app, unsubscribe.trim_matches(['<', '>']));
    let response = app.new_client().get(&url).send().await.unwrap();
    assert_eq!(response.status(), 200);
    assert!(response.text().await.unwrap().contains("Stop these mails?"));
    let response =
        app.new_client().post(&url).form(&[("List-Unsubscribe", "One-Click")]).send().await.unwrap();
    assert_eq!(response.status(), 200);
    assert!(response.text().await.unwrap().contains("no more mail"));
    let second = comment_id(
        &app.submit_with(
            &app.new_client(),
            SLUG,
            CommentDraft::new("Sue", "sue@example.org", "another reply")
                .set("comment_parent", &parent.to_string()),
        )
        .await,
    );
    app.moderate(second, marginalia::services::moderation::Action::Approve);
    let after = app.smtp.wait_for(7, 10).await; // the two held mails for Sue's comment
    app.wait_outbox_settled().await;
    let to_pat = app.smtp.messages().iter().filter(|m| m.to.contains(&"pat@example.org".to_string())).count();
    assert_eq!(to_pat, 1, "unsubscribed: no second notice ({} mails in all)", after.len());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn published_notice_once_on_approval_never_for_spam() {
    let app = app_with(|c| c.comments.moderation = ModerationMode::All).await;
    let draft = CommentDraft::new("Pia", "pia@example.org", "tell me").set("notify_published", "yes");
    let id = comment_id(&app.submit(SLUG, draft).await);
    let spam_draft = CommentDraft::new("Sam", "sam@example.org", "me too").set("notify_published", "yes");
    let spam = comment_id(&app.submit_with(&app.new_client(), SLUG, spam_draft).await);
    app.smtp.wait_for(4, 10).await;
    use marginalia::services::moderation::Action;
    app.moderate(spam, Action::Spam);
    app.moderate(id, Action::Approve);
    app.moderate(id, Action::Unapprove);
    app.moderate(id, Action::Approve);
    app.smtp.wait_for(5, 10).await;
    app.wait_outbox_settled().await;
    let messages = app.smtp.messages();
    let to_pia: Vec<&Received> =
        messages.iter().filter(|m| m.to.contains(&"pia@example.org".to_string())).collect();
    assert_eq!(to_pia.len(), 1, "exactly one mail, even after re-approval");
    assert!(to_pia[0].subject().contains("is published"));
    assert!(!messages.iter().any(|m| m.to.contains(&"sam@example.org".to_string())));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_smtp_outage_loses_nothing_and_sends_each_mail_once_even_across_a_restart() {
    let mut app = TestApp::builder()
        .smtp_down()
        .with_config(|c| c.comments.moderation = ModerationMode::All)
        .spawn()
        .await;
    app.import(&seed_article());
    app.user("mod", Role::Moderator, "long-enough-password");
    for n in 0..5 {
        let draft =
            CommentDraft::new(&format!("R{n}"), &format!("r{n}@example.org"), &format!("while down {n}"));
        let response = app.submit_with(&app.new_client(), SLUG, draft).await;
        assert_eq!(response.status(), 303, "accepted while SMTP is down");
    }
    // Let the worker fail each mail, then restart marginalia with mail still queued.
    app.wait_until("every mail was tried", |c| {
        use diesel::prelude::*;
        use marginalia::db::schema::outbox;
        let attempts: Vec<i32> = outbox::table.select(outbox::attempts).load(c).unwrap();
        attempts.len() == 5 && attempts.iter().all(|a| *a >= 1)
    })
    .await;
    let attempts: Vec<i32> = app.db(|c| {
        use diesel::prelude::*;
        use marginalia::db::schema::outbox;
        outbox::table.select(outbox::attempts).load(c).unwrap()
    });
    assert_eq!(attempts.len(), 5);
    assert!(attempts.iter().all(|a| *a >= 1), "each mail was tried: {attempts:?}");
    app.restart().await;

    let port = app.smtp.port;
    let received = app.smtp.received.clone();
    app.smtp = SmtpSink::start_with(port, received).await;
    let mails = app.smtp.wait_for(5, 20).await;
    app.wait_outbox_settled().await;
    let mails_after = app.smtp.messages();
    assert_eq!(mails_after.len(), 5, "exactly once: {} then {}", mails.len(), mails_after.len());
    let ids: HashSet<String> = mails_after.iter().map(|m| m.header("Message-ID").unwrap()).collect();
    assert_eq!(ids.len(), 5);
    let texts: HashSet<String> = mails_after.iter().map(|m| m.text()).collect();
    for n in 0..5 {
        assert!(texts.iter().any(|t| t.contains(&format!("while down {n}"))));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn failed_mail_is_shown_and_can_be_retried() {
    let app = TestApp::builder()
        .smtp_down()
        .with_config(|c| {
            c.comments.moderation = ModerationMode::All;
            c.mail.max_attempts = 1;
        })
        .spawn()
        .await;
    app.import(&seed_article());
    let admin = app.logged_in("root", Role::Admin).await;
    app.submit(SLUG, CommentDraft::new("F", "f@example.org", "fails")).await;
    app.wait_outbox_settled().await;
    assert_eq!(app.outbox_count("failed"), 1);
    let page = admin.get(app.url("/admin")).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("Failed mail"), "{page}");
    let mail_id: i32 = app.db(|c| {
        use diesel::prelude::*;
        use marginalia::db::schema::outbox;
        outbox::table.filter(outbox::state.eq("failed")).select(outbox::id).first(c).unwrap()
    });
    let _sink = SmtpSink::start_with(app.smtp.port, app.smtp.received.clone()).await;
    let response = app.admin_post(&admin, &format!("/admin/mail/{mail_id}/retry"), &[]).await;
    assert_eq!(response.status(), 303);
    _sink.wait_for(1, 10).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn test_mail_from_the_admin_and_the_cli() {
    let app = app_with(|_| {}).await;
    let admin = app.logged_in("boss", Role::Admin).await;
    let response = app.admin_post(&admin, "/admin/mail/test", &[]).await;
    assert_eq!(response.status(), 303);
    let mails = app.smtp.wait_for(1, 10).await;
    assert_eq!(mails[0].to, vec!["boss@staff.example".to_string()]);
    assert!(mails[0].subject().contains("Test email"));

    let output = app.cli(&["mail", "test", "--to", "ops@example.org"]);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    assert!(String::from_utf8_lossy(&output.stdout)
        .contains("the SMTP server accepted a test mail for ops@example.org"));
    let mails = app.smtp.wait_for(2, 10).await;
    assert!(mails.iter().any(|m| m.to == vec!["ops@example.org".to_string()]));

    let refused = app
        .cli_command()
        .env("MARGINALIA_MAIL__SMTP_URL", "smtp://127.0.0.1:1")
        .args(["mail", "test", "--to", "ops@example.org"])
        .output()
        .unwrap();
    assert!(!refused.status.success());
    assert!(String::from_utf8_lossy(&refused.stderr).contains("could not be reached"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn digest_mode_sends_one_mail_listing_every_held_comment() {
    let app = app_with(|c| {
        c.comments.moderation = ModerationMode::All;
        c.mail.digest = Digest::Hourly;
    })
    .await;
    let notifier = app.state.notifier.clone();
    let start = chrono::Utc::now().naive_utc() - chrono::Duration::minutes(1);
    let n = notifier.clone();
    assert_eq!(app.write(move |c| marginalia::services::notify::digest_if_due(&n, c, start)).unwrap(), 0);
    for i in 0..2 {
        let draft =
            CommentDraft::new(&format!("D{i}"), &format!("d{i}@example.org"), &format!("digest item {i}"));
        app.submit_with(&app.new_client(), SLUG, draft).await;
    }
    let queued: i64 = ["pending", "sending", "sent", "failed"].iter().map(|s| app.outbox_count(s)).sum();
    assert_eq!(queued, 0, "no per-comment mail in digest mode");
    assert!(app.smtp.messages().is_empty(), "no per-comment mail in digest mode");
    let later = chrono::Utc::now().naive_utc() + chrono::Duration::minutes(61);
    let n = notifier.clone();
    assert_eq!(app.write(move |c| marginalia::services::notify::digest_if_due(&n, c, later)).unwrap(), 2);
    let mails = app.smtp.wait_for(2, 10).await;
    let text = mails[0].text();
    assert!(mails[0].subject().contains("2 comments waiting"));
    assert!(text.contains("digest item 0") && text.contains("digest item 1"));
    assert_eq!(mails[0].links().iter().filter(|l| l.contains("/m/")).count(), 6, "three links per comment");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn notify_on_all_mails_approved_comments_too() {
    let app = app_with(|c| {
        c.comments.moderation = ModerationMode::None;
        c.mail.notify_on = NotifyOn::All;
    })
    .await;
    app.submit(SLUG, CommentDraft::new("Al", "al@example.org", "auto approved")).await;
    let mails = app.smtp.wait_for(2, 10).await;
    assert!(mails[0].subject().contains("New comment on"));
    assert!(mails[0].text().contains("was published.") && mails[0].text().contains("Why:"));
    assert!(!mails[0].text().contains("Why held"));
}
