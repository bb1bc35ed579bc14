//! The comment form through the real server and a real SQLite file.

use crate::common::{
    comment_id, comments_section, extract_value, seed_article, textarea, CommentDraft, TestApp,
};
use marginalia::config::ModerationMode;

const SLUG: &str = "does-smp-hair-treatment-treat-hair-loss";

async fn app_with(tweak: impl FnOnce(&mut marginalia::config::Config) + 'static) -> TestApp {
    let app = TestApp::builder().with_config(tweak).spawn().await;
    app.import(&seed_article());
    app
}

fn ada(text: &str) -> CommentDraft {
    CommentDraft::new("Ada Lovelace", "ada@example.org", text)
}

#[tokio::test]
async fn a_held_comment_is_shown_to_its_author_only() {
    let app = app_with(|_| {}).await;
    let response = app.submit(SLUG, ada("Does the pigment fade over the years?")).await;
    let id = comment_id(&response);
    assert_eq!(response.headers()["location"], format!("/posts/{SLUG}#comment-{id}").as_str());
    assert_eq!(app.comment_status(id), ("pending".into(), "first comment from this email".into()));

    let (status, mine) = app.get_text(&format!("/posts/{SLUG}")).await;
    assert_eq!(status, 200);
    let section = comments_section(&mine);
    assert!(section.contains("Your comment is awaiting moderation."));
    assert!(section.contains("Does the pigment fade over the years?"));
    assert!(section.contains(&format!("id=\"comment-{id}\"")));
    assert!(
        section.contains("id=\"comments-heading\">Comments</h2>") && !section.contains("One thought"),
        "held comments are not counted"
    );

    let stranger = app.new_client();
    let theirs = stranger.get(app.url(&format!("/posts/{SLUG}"))).send().await.unwrap().text().await.unwrap();
    assert!(!theirs.contains("pigment fade"));
    let (_, feed) = app.get_text("/comments/feed.xml").await;
    assert!(!feed.contains("pigment fade"));

    // A forged ownership cookie shows nothing.
    let forger = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let page = forger
        .get(app.url(&format!("/posts/{SLUG}")))
        .header("Cookie", format!("marginalia_own={id}~AAAA"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(!page.contains("pigment fade"));
}

#[tokio::test]
async fn approved_comments_are_public_counted_and_in_the_feed() {
    let app = app_with(|c| c.comments.moderation = ModerationMode::None).await;
    let id = comment_id(&app.submit(SLUG, ada("Great *overview*, thanks.")).await);
    assert_eq!(app.comment_status(id).0, "approved");

    let stranger = app.new_client();
    let html = stranger.get(app.url(&format!("/posts/{SLUG}"))).send().await.unwrap().text().await.unwrap();
    let section = comments_section(&html);
    assert!(section.contains("One thought on"));
    assert!(section.contains("<em>overview</em>"));
    assert!(section.contains("Ada Lovelace"));
    assert!(section.contains(">AL<"), "initials avatar");
    assert!(!section.contains("awaiting moderation"));
    let (_, index) = app.get_text("/").await;
    assert!(index.contains("1 comment<"));
    let (_, feed) = app.get_text("/comments/feed.xml").await;
    let feed = <atom_syndication::Feed as std::str::FromStr>::from_str(&feed).unwrap();
    assert_eq!(feed.entries().len(), 1);
    assert!(feed.entries()[0].title().as_str().contains("Ada Lovelace"));
}

#[tokio::test]
async fn first_time_policy_trusts_an_approved_author_until_spam() {
    let app = app_with(|c| c.comments.moderation = ModerationMode::FirstTime).await;
    let first = comment_id(&app.submit(SLUG, ada("First one")).await);
    assert_eq!(app.comment_status(first).0, "pending");
    app.set_comment_status(first, "approved");

    let second = comment_id(&app.submit(SLUG, ada("Second one")).await);
    assert_eq!(app.comment_status(second).0, "approved");
    // Same email, other name: not trusted (WordPress checks both).
    let other = comment_id(&app.submit(SLUG, CommentDraft::new("Someone", "ada@example.org", "Third")).await);
    assert_eq!(app.comment_status(other).0, "pending");

    app.set_comment_status(second, "spam");
    let fourth = comment_id(&app.submit(SLUG, ada("Fourth one")).await);
    assert_eq!(app.comment_status(fourth).0, "pending", "a spam mark removes the trust");
}

#[tokio::test]
async fn moderation_all_holds_everything() {
    let app = app_with(|c| c.comments.moderation = ModerationMode::All).await;
    let id = comment_id(&app.submit(SLUG, ada("hello")).await);
    assert_eq!(app.comment_status(id), ("pending".into(), "every comment is held (moderation: all)".into()));
}

#[tokio::test]
async fn invalid_input_is_422_with_every_value_kept_and_one_message_per_field() {
    let app = app_with(|_| {}).await;
    let text = "My <long> comment & \"quotes\"\nsecond line";
    let draft = CommentDraft::new("   ", "user@localhost", text).set("url", "javascript:alert(1)");
    let response = app.submit(SLUG, draft).await;
    assert_eq!(response.status(), 422);
    let html = response.text().await.unwrap();
    assert_eq!(textarea(&html, "comment").unwrap(), text);
    assert_eq!(extract_value(&html, "email").unwrap(), "user@localhost");
    assert_eq!(extract_value(&html, "url").unwrap(), "javascript:alert(1)");
    assert!(html.contains("<span id=\"author-error\" class=\"field-error\">Please enter your name.</span>"));
    assert!(html.contains("id=\"email-error\""));
    assert!(html.contains("id=\"url-error\""));
    assert!(!html.contains("id=\"comment-error\""));
    assert!(html.contains("aria-describedby=\"author-error\""));
    assert!(html.contains("aria-invalid=\"true\""));
    let count: i64 = app.db(|c| {
        use diesel::prelude::*;
        marginalia::db::schema::comments::table.count().get_result(c).unwrap()
    });
    assert_eq!(count, 0);

    let response = app.submit(SLUG, CommentDraft::new("A", "a@b.org", "  \n ")).await;
    assert_eq!(response.status(), 422);
    assert!(response.text().await.unwrap().contains("Please type your comment."));
}

#[tokio::test]
async fn comment_length_limit_at_and_past_the_boundary() {
    let app = app_with(|c| c.comments.moderation = ModerationMode::None).await;
    let at_limit = "x".repeat(65_525);
    let response = app.submit(SLUG, ada(&at_limit)).await;
    assert_eq!(response.status(), 303);
    let past = format!("{at_limit}y");
    let response = app.submit(SLUG, CommentDraft::new("B", "b@example.org", &past)).await;
    assert_eq!(response.status(), 422);
    let html = response.text().await.unwrap();
    assert_eq!(textarea(&html, "comment").unwrap(), past, "text kept");
    assert!(html.contains("too long"));
}

#[tokio::test]
async fn link_limit_holds_at_the_limit() {
    let app = app_with(|c| c.comments.moderation = ModerationMode::None).await;
    let one = comment_id(&app.submit(SLUG, ada("see https://example.org/a")).await);
    assert_eq!(app.comment_status(one).0, "approved");
    let two =
        comment_id(&app.submit(SLUG, ada("see https://example.org/a and [b](https://example.org/b)")).await);
    assert_eq!(app.comment_status(two), ("pending".into(), "2 links, limit is 2".into()));
}

#[tokio::test]
async fn word_lists_hold_or_mark_spam() {
    let app = app_with(|c| {
        c.comments.moderation = ModerationMode::None;
        c.comments.moderation_words = vec!["refund".into()];
        c.comments.disallowed_words = vec!["spamcorp".into()];
    })
    .await;
    let held = comment_id(&app.submit(SLUG, ada("I want a refund")).await);
    assert_eq!(app.comment_status(held), ("pending".into(), "matched moderation word `refund`".into()));
    let spam = comment_id(&app.submit(SLUG, ada("hi").set("url", "https://spamcorp.example")).await);
    assert_eq!(app.comment_status(spam), ("spam".into(), "matched disallowed word `spamcorp`".into()));
}

#[tokio::test]
async fn the_seed_pages_spam_line_ends_in_spam() {
    let app = app_with(|c| c.comments.moderation = ModerationMode::None).await;
    let line = "casino siteleri canlı casino siteleri 1xbet canlı casino siteleri sex hikayeleri";
    let response = app.submit(SLUG, CommentDraft::new("casino siteleri", "seo@casino.example", line)).await;
    let id = comment_id(&response);
    let (status, reason) = app.comment_status(id);
    assert_eq!(status, "spam");
    assert!(reason.starts_with("matched disallowed word"), "{reason}");
    // Its author sees it as held (bots learn nothing); nobody else sees it.
    let (_, mine) = app.get_text(&format!("/posts/{SLUG}")).await;
    assert!(comments_section(&mine).contains("awaiting moderation"));
    let stranger = app.new_client();
    let theirs = stranger.get(app.url(&format!("/posts/{SLUG}"))).send().await.unwrap().text().await.unwrap();
    assert!(!theirs.contains("casino"));
}

#[tokio::test]
async fn honeypot_and_fast_forms_are_spam() {
    let app = app_with(|c| {
        c.comments.moderation = ModerationMode::None;
        c.comments.min_submit_seconds = 3;
    })
    .await;
    let fast = comment_id(&app.submit(SLUG, ada("quick")).await);
    let (status, reason) = app.comment_status(fast);
    assert_eq!(status, "spam");
    assert!(reason.starts_with("form sent in 0."), "{reason}");

    let app = app_with(|c| c.comments.moderation = ModerationMode::None).await;
    let bot = comment_id(&app.submit(SLUG, ada("bot").set("marginalia_hp", "http://x.example")).await);
    assert_eq!(app.comment_status(bot), ("spam".into(), "the hidden anti-bot field was filled in".into()));
}

#[tokio::test]
async fn forged_or_foreign_form_tokens_get_400_with_text_kept() {
    let app = app_with(|_| {}).await;
    app.article("other", "Other", 2, "News", &[]);
    let response = app.submit(SLUG, ada("kept text").set("form_token", "1.1~forged")).await;
    assert_eq!(response.status(), 400);
    let html = response.text().await.unwrap();
    assert_eq!(textarea(&html, "comment").unwrap(), "kept text");
    assert!(html.contains("could not verify this form"));
    assert_ne!(extract_value(&html, "form_token").unwrap(), "1.1~forged", "a fresh token");

    let other_token = app.form_token(&app.client, "other").await;
    let response = app.submit(SLUG, ada("kept").set("form_token", &other_token)).await;
    assert_eq!(response.status(), 400);
    let response = app.submit(SLUG, ada("no token").without("form_token").set("form_token", "")).await;
    assert_eq!(response.status(), 400);
}

#[tokio::test]
async fn replies_nest_and_reply_rules_hold() {
    let app = app_with(|c| c.comments.moderation = ModerationMode::None).await;
    app.article("other", "Other", 2, "News", &[]);
    let parent = comment_id(&app.submit(SLUG, ada("parent")).await);
    let reply = comment_id(
        &app.submit(
            SLUG,
            CommentDraft::new("Bo", "bo@example.org", "child").set("comment_parent", &parent.to_string()),
        )
        .await,
    );
    let (_, html) = app.get_text(&format!("/posts/{SLUG}")).await;
    let parent_li = html.split(&format!("<li id=\"comment-{parent}\"")).nth(1).unwrap();
    let children = parent_li.split("<ol class=\"children\">").nth(1).expect("children list");
    assert!(children.contains(&format!("id=\"comment-{reply}\"")));
    assert!(html.contains(&format!("href=\"?replytocom={parent}#respond\"")));

    // Without JavaScript: the Reply link sets comment_parent.
    let (_, html) = app.get_text(&format!("/posts/{SLUG}?replytocom={parent}")).await;
    assert_eq!(extract_value(&html, "comment_parent").unwrap(), parent.to_string());
    assert!(html.contains("Reply to Ada Lovelace"));

    // Not approved, or on another article: 403 with the text kept.
    app.set_comment_status(parent, "pending");
    let response = app
        .submit(
            SLUG,
            CommentDraft::new("Cy", "cy@example.org", "to pending")
                .set("comment_parent", &parent.to_string()),
        )
        .await;
    assert_eq!(response.status(), 403);
    let html = response.text().await.unwrap();
    assert!(html.contains("Replies to unapproved comments are not allowed."));
    assert_eq!(textarea(&html, "comment").unwrap(), "to pending");
    app.set_comment_status(parent, "approved");
    let response = app
        .submit(
            "other",
            CommentDraft::new("Cy", "cy@example.org", "wrong article")
                .set("comment_parent", &parent.to_string()),
        )
        .await;
    assert_eq!(response.status(), 403);
}

#[tokio::test]
async fn threads_stop_nesting_at_the_configured_depth() {
    let app = app_with(|c| {
        c.comments.moderation = ModerationMode::None;
        c.comments.thread_depth = 2;
    })
    .await;
    let top = comment_id(&app.submit(SLUG, ada("level one")).await);
    let second = comment_id(
        &app.submit(
            SLUG,
            CommentDraft::new("B", "b@example.org", "level two").set("comment_parent", &top.to_string()),
        )
        .await,
    );
    let (_, html) = app.get_text(&format!("/posts/{SLUG}")).await;
    assert!(html.contains(&format!("?replytocom={top}#")));
    assert!(!html.contains(&format!("?replytocom={second}#")), "no Reply link at the deepest level");
    assert!(html.contains("class=\"comment depth-2"));
}

#[tokio::test]
async fn closed_articles_show_it_and_refuse_posts_with_403() {
    let app = app_with(|_| {}).await;
    app.import("+++\ntitle = \"Closed\"\nslug = \"closed\"\ncomments = false\n+++\nNo talking.\n");
    let (_, html) = app.get_text("/posts/closed").await;
    assert!(html.contains("Comments are closed."));
    assert!(!html.contains("id=\"commentform\""));
    let response = app.submit(SLUG, ada("x")).await; // a token to reuse would be for another post
    assert_eq!(response.status(), 303);
    let response = app
        .client
        .post(app.url("/posts/closed/comments"))
        .form(&[("author", "A"), ("email", "a@b.org"), ("comment", "let me in")])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 403);
    let html = response.text().await.unwrap();
    assert!(html.contains("Comments are closed."));
    assert_eq!(textarea(&html, "comment-kept").unwrap(), "let me in");

    // Closing by age: the seed article is from 2026-11-23.
    let old = TestApp::builder().with_config(|c| c.comments.close_after_days = 1).spawn().await;
    old.import("+++\ntitle = \"Old\"\nslug = \"old\"\ndate = 2020-01-01\n+++\nOld.\n");
    let (_, html) = old.get_text("/posts/old").await;
    assert!(html.contains("Comments are closed."));
}

#[tokio::test]
async fn flood_duplicates_and_rate_limit_keep_the_text() {
    let app = app_with(|c| {
        c.comments.flood_seconds = 15;
        c.comments.moderation = ModerationMode::None;
    })
    .await;
    assert_eq!(app.submit(SLUG, ada("first")).await.status(), 303);
    let response = app.submit(SLUG, ada("too soon")).await;
    assert_eq!(response.status(), 429);
    let html = response.text().await.unwrap();
    assert!(html.contains("too quickly"));
    assert_eq!(textarea(&html, "comment").unwrap(), "too soon");

    let app = app_with(|c| c.comments.moderation = ModerationMode::None).await;
    assert_eq!(app.submit(SLUG, ada("Same words")).await.status(), 303);
    let response = app.submit(SLUG, ada("Same words")).await;
    assert_eq!(response.status(), 409);
    assert!(response.text().await.unwrap().contains("already said that"));

    let app = app_with(|c| c.comments.rate_limit_per_minute = 2).await;
    for n in 0..2 {
        let draft = CommentDraft::new("R", &format!("r{n}@example.org"), &format!("n{n}"));
        assert_eq!(app.submit(SLUG, draft).await.status(), 303);
    }
    let response = app.submit(SLUG, CommentDraft::new("R", "r9@example.org", "third")).await;
    assert_eq!(response.status(), 429);
    assert_eq!(response.headers()["retry-after"], "60");
    assert_eq!(textarea(&response.text().await.unwrap(), "comment").unwrap(), "third");
}

#[tokio::test]
async fn remember_me_prefills_the_form_and_unchecking_forgets() {
    let app = app_with(|c| c.comments.moderation = ModerationMode::None).await;
    let draft = ada("remember me").set("url", "https://ada.example").set("remember", "yes");
    assert_eq!(app.submit(SLUG, draft).await.status(), 303);
    let (_, html) = app.get_text(&format!("/posts/{SLUG}")).await;
    assert_eq!(extract_value(&html, "author").unwrap(), "Ada Lovelace");
    assert_eq!(extract_value(&html, "email").unwrap(), "ada@example.org");
    assert_eq!(extract_value(&html, "url").unwrap(), "https://ada.example");
    assert!(html.contains("value=\"yes\" checked"));
    let response = app.get(&format!("/posts/{SLUG}")).await;
    assert_eq!(response.headers()["cache-control"], "private, no-store");

    assert_eq!(app.submit(SLUG, ada("forget me")).await.status(), 303);
    let (_, html) = app.get_text(&format!("/posts/{SLUG}")).await;
    assert_eq!(extract_value(&html, "author").unwrap(), "");
}

#[tokio::test]
async fn comments_paginate_with_the_newest_page_first_shown() {
    let app = app_with(|c| {
        c.comments.moderation = ModerationMode::None;
        c.comments.per_page = 2;
    })
    .await;
    for n in 1..=5 {
        let draft =
            CommentDraft::new(&format!("R{n}"), &format!("r{n}@example.org"), &format!("comment number {n}"));
        assert_eq!(app.submit(SLUG, draft).await.status(), 303);
    }
    let (_, html) = app.get_text(&format!("/posts/{SLUG}")).await;
    assert!(html.contains("comment number 5"));
    assert!(!html.contains("comment number 4"));
    assert!(html.contains("Comments page 3 of 3"));
    assert!(html.contains("5 thoughts on"));
    let (_, html) = app.get_text(&format!("/posts/{SLUG}?cpage=1")).await;
    assert!(html.contains("comment number 1") && html.contains("comment number 2"));
    assert!(!html.contains("comment number 3"));
}

#[tokio::test]
async fn behind_a_trusted_proxy_the_forwarded_address_is_the_client() {
    let app = app_with(|c| {
        c.server.trusted_proxies = vec!["127.0.0.1".parse().unwrap()];
        c.comments.flood_seconds = 15;
    })
    .await;
    let token = app.form_token(&app.client, SLUG).await;
    let post = |xff: &'static str, email: &'static str, text: &'static str| {
        let draft = CommentDraft::new("P", email, text).set("form_token", &token);
        app.client
            .post(app.url(&format!("/posts/{SLUG}/comments")))
            .header("X-Forwarded-For", xff)
            .form(&draft.fields)
            .send()
    };
    let first = post("203.0.113.7", "p1@example.org", "one").await.unwrap();
    let id = comment_id(&first);
    let ip: Option<String> = app.db(|c| {
        use diesel::prelude::*;
        use marginalia::db::schema::comments;
        comments::table.find(id).select(comments::ip).first(c).unwrap()
    });
    assert_eq!(ip.as_deref(), Some("203.0.113.7"));
    // Flood is per real client: another client behind the same proxy may post...
    assert_eq!(post("203.0.113.8", "p2@example.org", "two").await.unwrap().status(), 303);
    // ...the same client may not.
    assert_eq!(post("203.0.113.7", "p3@example.org", "three").await.unwrap().status(), 429);
}

// Group commit: many comments at once share transactions; each is answered after its own
// commit, and one refused (a duplicate in the same batch) does not take the others with it.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn comments_sent_at_once_are_all_stored_and_a_duplicate_among_them_is_refused_alone() {
    let app = std::sync::Arc::new(
        TestApp::builder().with_config(|c| c.comments.moderation = ModerationMode::None).spawn().await,
    );
    app.import(&seed_article());
    let token = app.form_token(&app.client, SLUG).await;
    let mut sent = Vec::new();
    for i in 0..48 {
        let (app, token) = (app.clone(), token.clone());
        let text = if i >= 46 { "The very same words".to_string() } else { format!("Comment number {i}") };
        sent.push(tokio::spawn(async move {
            let draft = CommentDraft::new("Crowd", "crowd@example.org", &text).set("form_token", &token);
            app.submit_with(&app.new_client(), SLUG, draft).await.status().as_u16()
        }));
    }
    let mut statuses = Vec::new();
    for task in sent {
        statuses.push(task.await.unwrap());
    }
    assert_eq!(statuses.iter().filter(|s| **s == 303).count(), 47, "{statuses:?}");
    assert_eq!(statuses.iter().filter(|s| **s == 409).count(), 1, "{statuses:?}");
    let stored: i64 = app.db(|c| {
        use diesel::prelude::*;
        use marginalia::db::schema::comments;
        comments::table.filter(comments::author.eq("Crowd")).count().get_result(c).unwrap()
    });
    assert_eq!(stored, 47, "every answered comment is stored, the duplicate once");
    let page = app.get_text(&format!("/posts/{SLUG}")).await.1;
    assert!(page.contains("Comment number 0") && page.contains("Comment number 45"));
}
