//! Threads embedded in other sites' pages (`embed.js`): which origins may, one thread per
//! page, first visits that start threads only for real pages, posting from the other site,
//! counts, and the no-JS way in.

use reqwest::header::{ACCESS_CONTROL_ALLOW_ORIGIN, CONTENT_SECURITY_POLICY, LOCATION, ORIGIN};

use crate::common::{embedding_page, extract_value, StaticSite, TestApp};
use marginalia::config::EmbedSite;

struct Embed {
    app: TestApp,
    site: StaticSite,
}

async fn embed_with(tweak: impl FnOnce(&mut marginalia::config::Config) + 'static) -> Embed {
    let site = StaticSite::start().await;
    let origin = site.origin.clone();
    site.add("/hello/", embedding_page("http://unused", &format!("{origin}/hello/"), "Hello &amp; welcome"));
    site.add("/second/", embedding_page("http://unused", &format!("{origin}/second/"), "Second"));
    let app = TestApp::builder()
        .with_config(move |c| {
            c.embed.sites = vec![
                EmbedSite { name: "static".into(), origins: vec![origin], keep_query: vec!["p".into()] },
                EmbedSite {
                    name: "other".into(),
                    origins: vec!["http://other.test".into()],
                    keep_query: vec![],
                },
            ];
            tweak(c);
        })
        .spawn()
        .await;
    Embed { app, site }
}

impl Embed {
    async fn thread(&self, origin: &str, page: &str, extra: &str) -> reqwest::Response {
        let url: String = form_urlencoded::byte_serialize(page.as_bytes()).collect();
        self.app
            .client
            .get(self.app.url(&format!("/embed/thread?url={url}{extra}")))
            .header(ORIGIN, origin)
            .send()
            .await
            .unwrap()
    }

    fn threads(&self) -> Vec<(String, String, String)> {
        self.app.db(|c| {
            use diesel::prelude::*;
            use marginalia::db::schema::{posts, threads};
            threads::table
                .inner_join(posts::table)
                .order(threads::url)
                .select((threads::site, threads::url, posts::title))
                .load(c)
                .unwrap()
        })
    }
}

#[tokio::test]
async fn a_first_visit_starts_one_thread_per_page_titled_from_the_page() {
    let e = embed_with(|_| {}).await;
    let origin = e.site.origin.clone();
    let first = e.thread(&origin, &format!("{origin}/hello/#comments"), "").await;
    assert_eq!(first.status(), 200);
    assert_eq!(first.headers()[ACCESS_CONTROL_ALLOW_ORIGIN], origin.as_str());
    let html = first.text().await.unwrap();
    assert!(html.contains("class=\"marginalia-thread\""), "{html}");
    assert!(html.contains("id=\"commentform\""));
    assert!(html.contains("marginalia_hp"), "the honeypot is in the embedded form too");
    assert!(html.contains("action=\"/posts/t-"), "the form posts to the thread: {html}");
    // The same page with a fragment, tracking parameters or another spelling: the same thread.
    for again in [
        format!("{origin}/hello/"),
        format!("{origin}/hello/?utm_source=x&fbclid=y#c"),
        format!("{origin}/%68ello/"),
        format!("{origin}//hello/"),
    ] {
        assert_eq!(e.thread(&origin, &again, "").await.status(), 200);
    }
    // A kept query key makes a page of its own.
    assert_eq!(e.thread(&origin, &format!("{origin}/second/?p=2"), "").await.status(), 200);
    assert_eq!(
        e.threads(),
        vec![
            ("static".into(), format!("{origin}/hello/"), "Hello & welcome".into()),
            ("static".into(), format!("{origin}/second/?p=2"), "Second".into()),
        ]
    );
    // Threads are not articles: not on the front page, in the feed, the sitemap or search.
    for path in ["/", "/feed.xml", "/sitemap-posts-1.xml", "/search?q=welcome"] {
        let (_, body) = e.app.get_text(path).await;
        assert!(!body.contains("Hello &amp; welcome") && !body.contains("Hello & welcome"), "{path}: {body}");
    }
}

#[tokio::test]
async fn origins_urls_and_pages_not_allowed_get_no_thread() {
    let e = embed_with(|_| {}).await;
    let origin = e.site.origin.clone();
    // An origin not in embed.sites: refused, and no CORS header for the browser to read it.
    let foreign = e.thread("http://evil.test", &format!("{origin}/hello/"), "").await;
    assert_eq!(foreign.status(), 403);
    assert!(foreign.headers().get(ACCESS_CONTROL_ALLOW_ORIGIN).is_none());
    // No Origin at all (not a browser's embed).
    let url: String = form_urlencoded::byte_serialize(format!("{origin}/hello/").as_bytes()).collect();
    assert_eq!(e.app.get(&format!("/embed/thread?url={url}")).await.status(), 403);
    // An allowed origin asking for another site's page, or for junk.
    assert_eq!(e.thread(&origin, "http://other.test/page", "").await.status(), 400);
    assert_eq!(e.thread("http://other.test", &format!("{origin}/hello/"), "").await.status(), 400);
    assert_eq!(e.thread(&origin, "javascript:alert(1)", "").await.status(), 400);
    // A page the site does not have: our GET of it is a 404, so no thread.
    let missing = e.thread(&origin, &format!("{origin}/made-up/"), "").await;
    assert_eq!(missing.status(), 404);
    assert_eq!(missing.headers()[ACCESS_CONTROL_ALLOW_ORIGIN], origin.as_str(), "the embed may read why");
    assert!(e.threads().is_empty());
}

#[tokio::test]
async fn one_address_cannot_start_threads_without_end() {
    let e = embed_with(|c| {
        c.embed.verify_pages = false;
        c.embed.threads_per_hour = 3;
    })
    .await;
    let origin = e.site.origin.clone();
    let mut statuses = Vec::new();
    for n in 0..6 {
        statuses
            .push(e.thread(&origin, &format!("{origin}/page-{n}/"), "&title=Page").await.status().as_u16());
    }
    assert_eq!(statuses, vec![200, 200, 200, 429, 429, 429]);
    assert_eq!(e.threads().len(), 3);
    // Existing threads still load for that address.
    assert_eq!(e.thread(&origin, &format!("{origin}/page-0/"), "").await.status(), 200);
}

/// Posts through the embed as `embed.js` does: from the other site's origin, `?embed=1`.
async fn post_embedded(
    e: &Embed,
    origin: &str,
    html: &str,
    fields: &[(&str, &str)],
    tokens: &str,
) -> reqwest::Response {
    let action = extract_attr(html, "commentform", "action");
    let path = action.as_str();
    let token = extract_value(html, "form_token").unwrap();
    let mut form: Vec<(&str, &str)> =
        vec![("comment_parent", "0"), ("marginalia_hp", ""), ("form_token", token.as_str())];
    form.extend_from_slice(fields);
    e.app
        .client
        .post(e.app.url(&format!("{path}?embed=1{tokens}")))
        .header(ORIGIN, origin)
        .header("Sec-Fetch-Site", "cross-site")
        .form(&form)
        .send()
        .await
        .unwrap()
}

fn extract_attr(html: &str, id: &str, attr: &str) -> String {
    let at = html.find(&format!("id=\"{id}\"")).unwrap();
    let tag_end = at + html[at..].find('>').unwrap();
    let tag_start = html[..at].rfind('<').unwrap();
    let tag = &html[tag_start..tag_end];
    let start = tag.find(&format!("{attr}=\"")).unwrap() + attr.len() + 2;
    tag[start..start + tag[start..].find('"').unwrap()].to_string()
}

fn data(html: &str, name: &str) -> String {
    let key = format!("{name}=\"");
    let start = html.find(&key).unwrap() + key.len();
    html[start..start + html[start..].find('"').unwrap()].to_string()
}

#[tokio::test]
async fn a_comment_posted_from_the_other_site_is_held_and_shown_to_its_author_only() {
    let e = embed_with(|_| {}).await;
    let origin = e.site.origin.clone();
    let page = format!("{origin}/hello/");
    let html = e.thread(&origin, &page, "").await.text().await.unwrap();
    let fields = [("author", "Ada"), ("email", "ada@example.org"), ("comment", "Lovely static post.")];
    let posted = post_embedded(&e, &origin, &html, &fields, "").await;
    assert_eq!(posted.status(), 200);
    assert_eq!(posted.headers()[ACCESS_CONTROL_ALLOW_ORIGIN], origin.as_str());
    let fragment = posted.text().await.unwrap();
    assert!(fragment.contains("Lovely static post."), "{fragment}");
    assert!(fragment.contains("awaiting moderation"), "{fragment}");
    assert!(!fragment.contains("ada@example.org"), "the email is never shown back");
    let own = data(&fragment, "data-own");
    assert!(!own.is_empty());
    let (status, _) = e.app.comment_status(1);
    assert_eq!(status, "pending");

    // The author's next visit (with the token the embed kept) shows it; nobody else sees it.
    let own_q: String = form_urlencoded::byte_serialize(own.as_bytes()).collect();
    let theirs = e.thread(&origin, &page, &format!("&own={own_q}")).await.text().await.unwrap();
    assert!(theirs.contains("Lovely static post."));
    let others = e.thread(&origin, &page, "").await.text().await.unwrap();
    assert!(!others.contains("Lovely static post."));

    // Approved: everyone sees it in the embed, and its count is 1.
    e.app.moderate(1, marginalia::services::moderation::Action::Approve);
    let url: String = form_urlencoded::byte_serialize(page.as_bytes()).collect();
    let everyone = e.thread(&origin, &page, "").await.text().await.unwrap();
    assert!(everyone.contains("Lovely static post."), "{everyone}");
    let counts: serde_json::Value = e
        .app
        .client
        .get(e.app.url(&format!("/api/v1/counts?url={url}&url=https%3A%2F%2Fnowhere.test%2F")))
        .header(ORIGIN, &origin)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(counts["counts"][&page], 1);
    assert_eq!(counts["counts"]["https://nowhere.test/"], 0);
}

#[tokio::test]
async fn a_valid_form_token_from_another_origin_is_refused() {
    let e = embed_with(|_| {}).await;
    let origin = e.site.origin.clone();
    let html = e.thread(&origin, &format!("{origin}/hello/"), "").await.text().await.unwrap();
    let fields = [("author", "Mallory"), ("email", "m@example.org"), ("comment", "Posted from elsewhere")];
    // Another allowed site's origin, and an origin allowed nowhere: the thread is not theirs.
    for forged in ["http://other.test", "http://evil.test"] {
        let response = post_embedded(&e, forged, &html, &fields, "").await;
        assert_eq!(response.status(), 403, "{forged}");
        assert!(response.text().await.unwrap().contains("Posted from elsewhere"), "the text is shown back");
    }
    assert_eq!(e.app.db(|c| crate::common::count_rows(c, "comments")), 0);
}

#[tokio::test]
async fn without_javascript_the_link_leads_to_the_threads_own_page() {
    let e = embed_with(|_| {}).await;
    let origin = e.site.origin.clone();
    let page: String = form_urlencoded::byte_serialize(format!("{origin}/hello/").as_bytes()).collect();
    let response = e.app.get(&format!("/thread?url={page}")).await;
    assert_eq!(response.status(), 303);
    let location = response.headers()[LOCATION].to_str().unwrap().to_string();
    assert!(location.starts_with("/threads/t-"), "{location}");
    let page_response = e.app.get(&location).await;
    assert_eq!(page_response.status(), 200);
    let csp = page_response.headers()[CONTENT_SECURITY_POLICY].to_str().unwrap().to_string();
    assert!(csp.contains(&format!("frame-ancestors 'self' {origin}")), "{csp}");
    let html = page_response.text().await.unwrap();
    assert!(html.contains("Comments on"), "{html}");
    assert!(html.contains(&format!("href=\"{origin}/hello/\"")), "links back to the page");
    assert!(html.contains("id=\"commentform\""));
    // The whole form works there as on the blog: a comment, then the thread's page again.
    let slug = location.trim_start_matches("/threads/");
    let token = extract_value(&html, "form_token").unwrap();
    let posted = e
        .app
        .post_form(
            &format!("/posts/{slug}/comments"),
            &[
                ("author", "Bea"),
                ("email", "bea@example.org"),
                ("comment", "No JavaScript here."),
                ("comment_parent", "0"),
                ("marginalia_hp", ""),
                ("form_token", &token),
            ],
        )
        .await;
    assert_eq!(posted.status(), 303);
    let back = posted.headers()[LOCATION].to_str().unwrap().to_string();
    assert!(back.starts_with(&format!("/posts/{slug}#comment-")), "{back}");
    assert_eq!(e.app.comment_status(1).0, "pending");
    // A site nobody allowed gets nothing.
    assert_eq!(e.app.get("/thread?url=http%3A%2F%2Fevil.test%2F").await.status(), 403);
}

#[tokio::test]
async fn the_script_is_small_and_needs_no_inline_code() {
    let e = embed_with(|_| {}).await;
    let response = e.app.get("/embed.js").await;
    assert_eq!(response.status(), 200);
    assert!(response.headers()["content-type"].to_str().unwrap().starts_with("text/javascript"));
    let script = response.bytes().await.unwrap();
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    std::io::Write::write_all(&mut gz, &script).unwrap();
    let size = gz.finish().unwrap().len();
    assert!(size < 15 * 1024, "embed.js is {size} bytes gzipped");
    let text = String::from_utf8_lossy(&script);
    assert!(!text.contains(".style.") && !text.contains("eval("), "no inline styles or eval");
    assert_eq!(e.app.get("/static/css/embed.css").await.status(), 200);
}

#[tokio::test]
async fn admins_add_and_remove_sites_and_the_queue_names_them() {
    let site = StaticSite::start().await;
    let origin = site.origin.clone();
    site.add("/a/", embedding_page("http://unused", &format!("{origin}/a/"), "Page A"));
    let app = TestApp::spawn().await;
    let e = Embed { app, site };
    let page = format!("{origin}/a/");
    assert_eq!(e.thread(&origin, &page, "").await.status(), 403, "not allowed yet");

    let admin = e.app.logged_in("boss", marginalia::db::enums::Role::Admin).await;
    // A path in an origin, and a missing CSRF token: refused.
    let bad = e
        .app
        .admin_post(&admin, "/admin/embed", &[("name", "hugo"), ("origins", &format!("{origin}/blog"))])
        .await;
    assert_eq!(bad.status(), 303);
    let html = admin.get(e.app.url("/admin/embed")).send().await.unwrap().text().await.unwrap();
    assert!(html.contains("Not saved:") && html.contains("no path"), "{html}");
    let no_csrf = admin
        .post(e.app.url("/admin/embed"))
        .form(&[("name", "hugo"), ("origins", origin.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(no_csrf.status(), 403);
    // A moderator may not.
    let moderator = e.app.logged_in("mod", marginalia::db::enums::Role::Moderator).await;
    let theirs =
        e.app.admin_post(&moderator, "/admin/embed", &[("name", "hugo"), ("origins", origin.as_str())]).await;
    assert_eq!(theirs.status(), 403);
    assert_eq!(e.thread(&origin, &page, "").await.status(), 403);

    // The comment server itself is no site to embed in.
    e.app.admin_post(&admin, "/admin/embed", &[("name", "self"), ("origins", "http://blog.test")]).await;
    let html = admin.get(e.app.url("/admin/embed")).send().await.unwrap().text().await.unwrap();
    assert!(html.contains("is this comment server itself"), "{html}");
    let saved =
        e.app.admin_post(&admin, "/admin/embed", &[("name", "hugo"), ("origins", origin.as_str())]).await;
    assert_eq!(saved.status(), 303);
    let html = admin.get(e.app.url("/admin/embed")).send().await.unwrap().text().await.unwrap();
    assert!(html.contains("Site saved") && html.contains(&origin), "{html}");
    // At once, without a restart.
    let thread = e.thread(&origin, &page, "").await;
    assert_eq!(thread.status(), 200);
    let html = thread.text().await.unwrap();
    let fields = [("author", "Ada"), ("email", "ada@example.org"), ("comment", "Through the admin's site.")];
    assert_eq!(post_embedded(&e, &origin, &html, &fields, "").await.status(), 200);
    let queue =
        admin.get(e.app.url("/admin/comments?status=pending")).send().await.unwrap().text().await.unwrap();
    assert!(
        queue.contains("Page A")
            && queue.contains("site-badge\" title=\"A page of this site embeds the thread\">hugo"),
        "{queue}"
    );
    let listed = admin.get(e.app.url("/admin/embed")).send().await.unwrap().text().await.unwrap();
    assert!(listed.contains("<td>hugo</td>") && listed.contains("<td>1</td>"), "one thread: {listed}");

    let removed = e.app.admin_post(&admin, "/admin/embed/hugo/remove", &[]).await;
    assert_eq!(removed.status(), 303);
    assert_eq!(e.thread(&origin, &page, "").await.status(), 403, "no longer allowed");
    assert_eq!(e.app.comment_status(1).0, "pending", "its comments stay");
}

#[tokio::test]
async fn threads_start_only_from_pages_that_embed_them_and_links_followed_by_a_reader() {
    let e = embed_with(|_| {}).await;
    let origin = e.site.origin.clone();
    // A page that answers but does not embed the thread (a catch-all 200, say): no thread.
    e.site.add("/plain/", "<!doctype html><title>Plain</title><p>No comments here.</p>".into());
    assert_eq!(e.thread(&origin, &format!("{origin}/plain/"), "").await.status(), 404);
    // The no-JS link as an <img> on some page (every visitor's address would start threads).
    let page: String = form_urlencoded::byte_serialize(format!("{origin}/hello/").as_bytes()).collect();
    let link = |mode: &'static str, dest: &'static str| {
        let request = e.app.client.get(e.app.url(&format!("/thread?url={page}")));
        request.header("Sec-Fetch-Mode", mode).header("Sec-Fetch-Dest", dest).send()
    };
    assert_eq!(link("no-cors", "image").await.unwrap().status(), 403);
    assert!(e.threads().is_empty());
    assert_eq!(link("navigate", "document").await.unwrap().status(), 303);
    assert_eq!(e.threads().len(), 1);
}

#[tokio::test]
async fn the_embed_answers_only_as_the_embed() {
    let e = embed_with(|_| {}).await;
    let origin = e.site.origin.clone();
    let html = e.thread(&origin, &format!("{origin}/hello/"), "").await.text().await.unwrap();
    assert!(e
        .thread(&origin, &format!("{origin}/hello/"), "")
        .await
        .headers()
        .contains_key("x-marginalia-seen"));
    // A plain form post from the allowed site (no ?embed=1) would plant our cookies: refused.
    let token = extract_value(&html, "form_token").unwrap();
    let action = extract_attr(&html, "commentform", "action");
    let plain = e
        .app
        .client
        .post(e.app.url(&action))
        .header(ORIGIN, &origin)
        .form(&[
            ("author", "Ada"),
            ("email", "ada@example.org"),
            ("comment", "Hi"),
            ("form_token", token.as_str()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(plain.status(), 403);
    assert!(plain.headers().get("set-cookie").is_none());
    // ?embed=1 for an article of the blog: not a thread, nothing stored.
    e.app.import(&crate::common::seed_article());
    let slug = "does-smp-hair-treatment-treat-hair-loss";
    let token = e.app.form_token(&e.app.client, slug).await;
    let not_thread = e
        .app
        .client
        .post(e.app.url(&format!("/posts/{slug}/comments?embed=1")))
        .form(&[
            ("author", "Ada"),
            ("email", "ada@example.org"),
            ("comment", "Hi"),
            ("form_token", token.as_str()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(not_thread.status(), 404);
    assert_eq!(e.app.db(|c| crate::common::count_rows(c, "comments")), 0);
}

#[tokio::test]
async fn mails_name_the_site_and_send_readers_to_the_page_that_embeds_the_thread() {
    let e = embed_with(|_| {}).await;
    e.app.user("mod", marginalia::db::enums::Role::Moderator, "long-enough-password");
    let origin = e.site.origin.clone();
    let page = format!("{origin}/hello/");
    let html = e.thread(&origin, &page, "").await.text().await.unwrap();
    let fields = [
        ("author", "Ada"),
        ("email", "ada@example.org"),
        ("comment", "Tell me when it is up."),
        ("notify_published", "yes"),
    ];
    assert_eq!(post_embedded(&e, &origin, &html, &fields, "").await.status(), 200);
    let held = e.app.smtp.wait_for(1, 10).await;
    assert!(held[0].subject().contains("Hello & welcome (static)"), "{}", held[0].subject());
    assert!(held[0].text().contains("Tell me when it is up."));
    e.app.smtp.received.lock().unwrap().clear();

    e.app.moderate(1, marginalia::services::moderation::Action::Approve);
    let published = e.app.smtp.wait_for(1, 10).await;
    let to_reader = published.iter().find(|m| m.to.contains(&"ada@example.org".to_string())).unwrap();
    assert!(to_reader.text().contains(&format!("{page}#comment-1")), "{}", to_reader.text());
}
