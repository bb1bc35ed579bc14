//! Moderators and admins through the real server: sessions, CSRF, the queue, settings, API, CLI.

use crate::common::{comment_id, comments_section, seed_article, CommentDraft, TestApp};
use marginalia::config::ModerationMode;
use marginalia::db::enums::Role;

const SLUG: &str = "does-smp-hair-treatment-treat-hair-loss";

async fn app() -> TestApp {
    let app = TestApp::builder().with_config(|c| c.comments.moderation = ModerationMode::All).spawn().await;
    app.import(&seed_article());
    app
}

async fn held(app: &TestApp, n: usize) -> Vec<i32> {
    let mut ids = Vec::new();
    for i in 0..n {
        let reader = app.new_client();
        let draft = CommentDraft::new(
            &format!("Reader {i}"),
            &format!("reader{i}@example.org"),
            &format!("held comment {i}"),
        );
        ids.push(comment_id(&app.submit_with(&reader, SLUG, draft).await));
    }
    ids
}

#[tokio::test]
async fn admin_pages_need_a_login() {
    let app = app().await;
    for path in ["/admin", "/admin/comments", "/admin/settings", "/admin/audit"] {
        let response = app.get(path).await;
        assert_eq!(response.status(), 303, "{path}");
        let location = response.headers()["location"].to_str().unwrap();
        assert!(location.starts_with("/admin/login"), "{path}: {location}");
    }
    let response = app
        .client
        .post(app.url("/admin/comments/moderate"))
        .form(&[("single", "1:approve")])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 303);
}

#[tokio::test]
async fn login_success_failure_and_no_enumeration() {
    let app = app().await;
    app.user("alice", Role::Admin, "correct-horse-battery");
    let client = app.new_client();
    let wrong = app.login_with(&client, "alice", "wrong-password").await;
    assert_eq!(wrong.status(), 401);
    let wrong_text = wrong.text().await.unwrap();
    let unknown = app.login_with(&client, "nobody", "wrong-password").await;
    assert_eq!(unknown.status(), 401);
    let unknown_text = unknown.text().await.unwrap();
    assert!(wrong_text.contains("Wrong username or password."));
    assert!(unknown_text.contains("Wrong username or password."));

    let ok = app.login_with(&client, "alice", "correct-horse-battery").await;
    assert_eq!(ok.status(), 303);
    let cookie = ok
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().to_string())
        .find(|c| c.starts_with("marginalia_admin="));
    let cookie = cookie.expect("session cookie");
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax") && cookie.contains("Path=/admin"),
        "{cookie}"
    );
    let (status, dashboard) = {
        let r = client.get(app.url("/admin")).send().await.unwrap();
        (r.status().as_u16(), r.text().await.unwrap())
    };
    assert_eq!(status, 200);
    assert!(dashboard.contains("Dashboard"));

    // A login form without its CSRF token is refused.
    let response = app
        .new_client()
        .post(app.url("/admin/login"))
        .form(&[("username", "alice"), ("password", "correct-horse-battery")])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 403);

    // Logout ends the session.
    let response = app.admin_post(&client, "/admin/logout", &[]).await;
    assert_eq!(response.status(), 303);
    assert_eq!(client.get(app.url("/admin")).send().await.unwrap().status(), 303);
}

#[tokio::test]
async fn repeated_failures_are_throttled_even_with_the_right_password() {
    let app = app().await;
    app.user("bob", Role::Moderator, "correct-horse-battery");
    let client = app.new_client();
    for _ in 0..5 {
        assert_eq!(app.login_with(&client, "bob", "nope-nope-nope").await.status(), 401);
    }
    let response = app.login_with(&client, "bob", "correct-horse-battery").await;
    assert_eq!(response.status(), 429);
    assert!(response.headers().contains_key("retry-after"));
    assert!(response.text().await.unwrap().contains("Too many failed attempts"));
    // Unknown usernames are throttled the same way (no enumeration through the lock).
    for _ in 0..5 {
        app.login_with(&app.new_client(), "ghost", "x").await;
    }
    assert_eq!(app.login_with(&app.new_client(), "ghost", "x").await.status(), 429);
}

#[tokio::test]
async fn csrf_refusal_changes_nothing() {
    let app = app().await;
    let ids = held(&app, 1).await;
    let client = app.logged_in("mod", Role::Moderator).await;
    let single = format!("{}:approve", ids[0]);
    let response = client
        .post(app.url("/admin/comments/moderate"))
        .form(&[("single", single.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 403);
    let response = client
        .post(app.url("/admin/comments/moderate"))
        .form(&[("single", single.as_str()), ("csrf_token", "forged")])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 403);
    assert!(response.text().await.unwrap().contains("did not come from this site"));
    assert_eq!(app.comment_status(ids[0]).0, "pending");
    assert!(app.audit_for(ids[0]).is_empty());
}

#[tokio::test]
async fn moderators_cannot_reach_admin_only_pages() {
    let app = app().await;
    let client = app.logged_in("mod", Role::Moderator).await;
    for path in ["/admin/settings", "/admin/users", "/admin/audit", "/admin/posts", "/admin/posts/new"] {
        assert_eq!(client.get(app.url(path)).send().await.unwrap().status(), 403, "{path}");
    }
    let response = app.admin_post(&client, "/admin/settings", &[("moderation", "none")]).await;
    assert_eq!(response.status(), 403);
    let response = app
        .admin_post(
            &client,
            "/admin/users",
            &[("username", "x"), ("email", "x@y.org"), ("role", "admin"), ("password", "0123456789")],
        )
        .await;
    assert_eq!(response.status(), 403);
    assert_eq!(client.get(app.url("/admin/comments")).send().await.unwrap().status(), 200);
}

#[tokio::test]
async fn the_queue_shows_why_and_approving_makes_it_public() {
    let app = app().await;
    let ids = held(&app, 1).await;
    let client = app.logged_in("mod", Role::Moderator).await;
    let page =
        client.get(app.url("/admin/comments?status=pending")).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("reader0@example.org"));
    assert!(page.contains("127.0.0.1"));
    assert!(page.contains("every comment is held (moderation: all)"));
    assert!(page.contains("held comment 0"));

    let single = format!("{}:approve", ids[0]);
    let response = app
        .admin_post(
            &client,
            "/admin/comments/moderate",
            &[("single", &single), ("back", "/admin/comments?status=pending")],
        )
        .await;
    assert_eq!(response.status(), 303);
    assert_eq!(response.headers()["location"], "/admin/comments?status=pending");
    assert_eq!(app.comment_status(ids[0]).0, "approved");
    assert_eq!(
        app.audit_for(ids[0]),
        vec![("approve".into(), Some("pending".into()), Some("approved".into()))]
    );

    let stranger = app.new_client();
    let html = stranger.get(app.url(&format!("/posts/{SLUG}"))).send().await.unwrap().text().await.unwrap();
    assert!(comments_section(&html).contains("held comment 0"));
    assert!(html.contains("One thought on"));
    let flash =
        client.get(app.url("/admin/comments?status=pending")).send().await.unwrap().text().await.unwrap();
    assert!(flash.contains("1 comment: approved."));
}

#[tokio::test]
async fn bulk_actions_and_the_status_round_trips() {
    let app = app().await;
    let ids = held(&app, 3).await;
    let client = app.logged_in("mod", Role::Moderator).await;
    let (a, b, c) = (ids[0].to_string(), ids[1].to_string(), ids[2].to_string());

    app.admin_post(&client, "/admin/comments/moderate", &[("action", "approve"), ("ids", &a), ("ids", &b)])
        .await;
    assert_eq!(app.comment_status(ids[0]).0, "approved");
    assert_eq!(app.comment_status(ids[1]).0, "approved");
    assert_eq!(app.comment_status(ids[2]).0, "pending");

    app.admin_post(&client, "/admin/comments/moderate", &[("action", "unapprove"), ("ids", &a)]).await;
    assert_eq!(app.comment_status(ids[0]).0, "pending");

    app.admin_post(&client, "/admin/comments/moderate", &[("action", "spam"), ("ids", &b), ("ids", &c)])
        .await;
    assert_eq!(app.comment_status(ids[1]).0, "spam");
    app.admin_post(&client, "/admin/comments/moderate", &[("action", "notspam"), ("ids", &b)]).await;
    assert_eq!(app.comment_status(ids[1]).0, "approved", "not spam returns to where it was");

    app.admin_post(&client, "/admin/comments/moderate", &[("action", "trash"), ("ids", &b)]).await;
    assert_eq!(app.comment_status(ids[1]).0, "trash");
    app.admin_post(&client, "/admin/comments/moderate", &[("action", "restore"), ("ids", &b)]).await;
    assert_eq!(app.comment_status(ids[1]).0, "approved", "restore returns to the status before trash");

    let audit = app.audit_for(ids[1]);
    let actions: Vec<&str> = audit.iter().map(|(a, _, _)| a.as_str()).collect();
    assert_eq!(actions, vec!["approve", "spam", "notspam", "trash", "restore"]);
    assert_eq!(audit[3], ("trash".into(), Some("approved".into()), Some("trash".into())));

    // The admin reads it at /admin/audit.
    let admin = app.logged_in("root", Role::Admin).await;
    let page = admin.get(app.url("/admin/audit")).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("<td>mod</td><td>restore</td>"));
}

#[tokio::test]
async fn permanent_deletion_needs_confirmation_and_reparents_replies() {
    let app = TestApp::builder().with_config(|c| c.comments.moderation = ModerationMode::None).spawn().await;
    app.import(&seed_article());
    let top = comment_id(&app.submit(SLUG, CommentDraft::new("Top", "top@example.org", "top")).await);
    let middle = comment_id(
        &app.submit_with(
            &app.new_client(),
            SLUG,
            CommentDraft::new("Mid", "mid@example.org", "middle").set("comment_parent", &top.to_string()),
        )
        .await,
    );
    let leaf = comment_id(
        &app.submit_with(
            &app.new_client(),
            SLUG,
            CommentDraft::new("Leaf", "leaf@example.org", "leaf").set("comment_parent", &middle.to_string()),
        )
        .await,
    );
    let client = app.logged_in("mod", Role::Moderator).await;
    let m = middle.to_string();
    // Only trash can be deleted.
    app.admin_post(
        &client,
        "/admin/comments/moderate",
        &[("action", "delete"), ("ids", &m), ("confirmed", "yes")],
    )
    .await;
    assert_eq!(app.comment_status(middle).0, "approved");

    app.admin_post(&client, "/admin/comments/moderate", &[("action", "trash"), ("ids", &m)]).await;
    let confirm =
        app.admin_post(&client, "/admin/comments/moderate", &[("single", &format!("{middle}:delete"))]).await;
    assert_eq!(confirm.status(), 200);
    assert!(confirm.text().await.unwrap().contains("Delete permanently?"));
    assert_eq!(app.comment_status(middle).0, "trash", "nothing deleted before confirming");

    let response = app
        .admin_post(
            &client,
            "/admin/comments/moderate",
            &[("action", "delete"), ("ids", &m), ("confirmed", "yes")],
        )
        .await;
    assert_eq!(response.status(), 303);
    let remaining: Option<i32> = app.db(|c| {
        use diesel::prelude::*;
        use marginalia::db::schema::comments;
        comments::table.find(leaf).select(comments::parent_id).first::<Option<i32>>(c).unwrap()
    });
    assert_eq!(remaining, Some(top), "the reply moved up to the deleted comment's parent");
    assert_eq!(app.audit_for(middle).last().unwrap().0, "delete");
    let (_, html) = app.get_text(&format!("/posts/{SLUG}")).await;
    assert!(!html.contains("middle"));
    assert!(html.contains("leaf"));
}

#[tokio::test]
async fn trust_and_block_change_what_happens_next() {
    let app = app().await;
    let client = app.logged_in("mod", Role::Moderator).await;
    let reader = app.new_client();
    let first = comment_id(
        &app.submit_with(&reader, SLUG, CommentDraft::new("Tru", "trusted@example.org", "one")).await,
    );
    app.admin_post(&client, "/admin/comments/moderate", &[("single", &format!("{first}:approve_trust"))])
        .await;
    assert_eq!(app.comment_status(first).0, "approved");
    let next = comment_id(
        &app.submit_with(&app.new_client(), SLUG, CommentDraft::new("Tru", "trusted@example.org", "two"))
            .await,
    );
    assert_eq!(app.comment_status(next), ("approved".into(), "the email is on the trusted list".into()));

    let bad = comment_id(
        &app.submit_with(&app.new_client(), SLUG, CommentDraft::new("Bad", "bad@example.org", "meh")).await,
    );
    app.admin_post(&client, "/admin/comments/moderate", &[("single", &format!("{bad}:spam_block"))]).await;
    assert_eq!(app.comment_status(bad).0, "spam");
    let again = comment_id(
        &app.submit_with(&app.new_client(), SLUG, CommentDraft::new("Bad", "bad@example.org", "again")).await,
    );
    let (status, reason) = app.comment_status(again);
    assert_eq!(status, "spam");
    assert!(reason.contains("bad@example.org") || reason.contains("127.0.0.1"), "{reason}");
}

#[tokio::test]
async fn editing_and_replying_as_a_moderator() {
    let app = app().await;
    let ids = held(&app, 1).await;
    let client = app.logged_in("mod", Role::Moderator).await;
    let id = ids[0];
    let page = client
        .get(app.url(&format!("/admin/comments/{id}/edit")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("held comment 0"));
    let response = app
        .admin_post(
            &client,
            &format!("/admin/comments/{id}/edit"),
            &[("text", "edited <script>x</script> *text*")],
        )
        .await;
    assert_eq!(response.status(), 303);
    let body: String = app.db(|c| {
        use diesel::prelude::*;
        use marginalia::db::schema::comments;
        comments::table.find(id).select(comments::body_html).first(c).unwrap()
    });
    assert!(body.contains("<em>text</em>") && !body.contains("<script"), "{body}");

    let response = app
        .admin_post(&client, &format!("/admin/comments/{id}/reply"), &[("text", "Thanks for asking!")])
        .await;
    assert_eq!(response.status(), 303);
    assert_eq!(app.comment_status(id).0, "approved", "replying approves the held parent");
    let (_, html) = app.get_text(&format!("/posts/{SLUG}")).await;
    let section = comments_section(&html);
    assert!(section.contains("Thanks for asking!"));
    assert!(section.contains("moderator-badge"));
    assert!(!section.contains("mod@staff.example"));
}

#[tokio::test]
async fn settings_apply_at_once() {
    let app = app().await;
    let admin = app.logged_in("root", Role::Admin).await;
    let page = admin.get(app.url("/admin/settings")).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("value=\"all\" selected"));
    let form = [
        ("moderation", "none"),
        ("max_links", "2"),
        ("min_submit_seconds", "0"),
        ("rate_limit_per_minute", "0"),
        ("flood_seconds", "0"),
        ("thread_depth", "3"),
        ("close_after_days", "0"),
        ("per_page", "50"),
        ("purge_after_days", "30"),
        ("moderation_words", "refund\nvoucher"),
        ("disallowed_words", ""),
        ("trusted_emails", ""),
        ("builtin_disallowed", "yes"),
    ];
    let response = app.admin_post(&admin, "/admin/settings", &form).await;
    assert_eq!(response.status(), 303);
    let id = comment_id(&app.submit(SLUG, CommentDraft::new("Now", "now@example.org", "approved now")).await);
    assert_eq!(app.comment_status(id).0, "approved");
    let held = comment_id(
        &app.submit_with(&app.new_client(), SLUG, CommentDraft::new("V", "v@example.org", "free VOUCHER"))
            .await,
    );
    assert_eq!(app.comment_status(held), ("pending".into(), "matched moderation word `voucher`".into()));

    let mut bad = form.to_vec();
    bad[5] = ("thread_depth", "99");
    let response = app.admin_post(&admin, "/admin/settings", &bad).await;
    assert_eq!(response.status(), 422);
    assert!(response.text().await.unwrap().contains("comments.thread_depth"));
}

#[tokio::test]
async fn admins_write_articles_in_the_web_admin() {
    let app = app().await;
    let admin = app.logged_in("root", Role::Admin).await;
    let fields = [
        ("title", "Written in the Admin"),
        ("slug", ""),
        ("date", "2026-11-24T09:30"),
        ("category", "News"),
        ("tags", "admin, web"),
        ("body", "Hello **admin**.\n\n| a | b |\n|---|---|\n| 1 | 2 |"),
        ("comments_open", "yes"),
    ];
    let mut preview = fields.to_vec();
    preview.push(("intent", "preview"));
    let response = app.admin_post(&admin, "/admin/posts/new", &preview).await;
    assert_eq!(response.status(), 200);
    assert!(response.text().await.unwrap().contains("<strong>admin</strong>"));
    assert_eq!(app.get("/posts/written-in-the-admin").await.status(), 404, "preview saves nothing");

    let mut save = fields.to_vec();
    save.push(("intent", "publish"));
    let response = app.admin_post(&admin, "/admin/posts/new", &save).await;
    assert_eq!(response.status(), 303);
    let (status, html) = app.get_text("/posts/written-in-the-admin").await;
    assert_eq!(status, 200);
    assert!(html.contains("<table>") && html.contains("href=\"/tag/web\""));
}

#[tokio::test]
async fn users_are_managed_and_a_password_change_ends_sessions() {
    let app = app().await;
    let admin = app.logged_in("root", Role::Admin).await;
    let moderator = app.logged_in("mod", Role::Moderator).await;
    let weak = app
        .admin_post(
            &admin,
            "/admin/users",
            &[
                ("username", "new"),
                ("email", "new@example.org"),
                ("role", "moderator"),
                ("password", "short"),
            ],
        )
        .await;
    assert_eq!(weak.status(), 303);
    let page = admin.get(app.url("/admin/users")).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("too short"));
    assert!(!page.contains("new@example.org"));

    let mod_id: i32 = app.db(|c| marginalia::db::users::find_by_username(c, "mod")).unwrap().unwrap().id.0;
    let response = app
        .admin_post(
            &admin,
            &format!("/admin/users/{mod_id}/password"),
            &[("password", "another-long-password")],
        )
        .await;
    assert_eq!(response.status(), 303);
    assert_eq!(moderator.get(app.url("/admin")).send().await.unwrap().status(), 303, "old session ended");
    assert_eq!(app.login_with(&app.new_client(), "mod", "another-long-password").await.status(), 303);
}

#[tokio::test]
async fn api_lists_and_moderates_with_a_bearer_token() {
    let app = app().await;
    let ids = held(&app, 2).await;
    app.user("bot", Role::Moderator, "long-enough-password");
    let token = app.write(|c| marginalia::services::accounts::create_token(c, "bot", "ci")).unwrap();

    let response = app.client.get(app.url("/api/v1/comments?status=pending")).send().await.unwrap();
    assert_eq!(response.status(), 401);
    assert_eq!(response.headers()["content-type"], "application/json");
    let wrong = app.client.get(app.url("/api/v1/comments")).bearer_auth("mgl_wrong").send().await.unwrap();
    assert_eq!(wrong.status(), 401);

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
    let list = list.as_array().unwrap();
    assert_eq!(list.len(), 2);
    for key in ["id", "post_slug", "parent_id", "author", "email", "url", "body_html", "status", "created_at"]
    {
        assert!(list[0].get(key).is_some(), "{key}");
    }
    assert_eq!(list[0]["post_slug"], SLUG);

    let approved: serde_json::Value = app
        .client
        .post(app.url(&format!("/api/v1/comments/{}/approve", ids[0])))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(approved["status"], "approved");
    assert_eq!(app.audit_for(ids[0])[0].0, "approve");
    let response = app
        .client
        .post(app.url(&format!("/api/v1/comments/{}/spam", ids[1])))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(app.comment_status(ids[1]).0, "spam");

    let missing =
        app.client.post(app.url("/api/v1/comments/999999/trash")).bearer_auth(&token).send().await.unwrap();
    assert_eq!(missing.status(), 404);
    let body: serde_json::Value = missing.json().await.unwrap();
    assert!(body["error"].is_string());
    let bad =
        app.client.get(app.url("/api/v1/comments?status=nope")).bearer_auth(&token).send().await.unwrap();
    assert_eq!(bad.status(), 422);

    let token_id = app.db(marginalia::db::tokens::list).unwrap()[0].0.id;
    app.write(|c| marginalia::services::accounts::revoke_token(c, token_id)).unwrap();
    let revoked = app.client.get(app.url("/api/v1/comments")).bearer_auth(&token).send().await.unwrap();
    assert_eq!(revoked.status(), 401);
}

#[tokio::test]
async fn stale_spam_and_trash_are_purged() {
    let app = app().await;
    let ids = held(&app, 3).await;
    app.set_comment_status(ids[0], "spam");
    app.set_comment_status(ids[1], "trash");
    app.db(|c| {
        use diesel::prelude::*;
        use marginalia::db::schema::comments;
        let old = chrono::Utc::now().naive_utc() - chrono::Duration::days(31);
        diesel::update(comments::table).set(comments::updated_at.eq(old)).execute(c).unwrap();
    });
    let purged = app.write(|c| marginalia::services::moderation::actions::purge_stale(c, 30)).unwrap();
    assert_eq!(purged, 2);
    assert_eq!(app.comment_status(ids[2]).0, "pending", "held comments are never purged");
    assert_eq!(app.audit_for(ids[0]).last().unwrap().0, "delete");
}
