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

/// A WXR 1.2 file of `items`: (id, type, slug, title, content).
fn wxr(items: &[(i64, &str, &str, &str, &str)]) -> String {
    let base = "https://old.example.com";
    let mut xml = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" ?>\n<rss version=\"2.0\" \
         xmlns:excerpt=\"http://wordpress.org/export/1.2/excerpt/\" \
         xmlns:content=\"http://purl.org/rss/1.0/modules/content/\" \
         xmlns:dc=\"http://purl.org/dc/elements/1.1/\" xmlns:wp=\"http://wordpress.org/export/1.2/\">\n\
         <channel>\n<title>Old</title>\n<link>{base}</link>\n<wp:wxr_version>1.2</wp:wxr_version>\n\
         <wp:base_site_url>{base}</wp:base_site_url>\n<wp:base_blog_url>{base}</wp:base_blog_url>\n"
    );
    for (id, kind, slug, title, content) in items {
        xml.push_str(&format!(
            "<item>\n<title>{title}</title>\n<link>{base}/{slug}/</link>\n<dc:creator>admin</dc:creator>\n\
             <guid isPermaLink=\"false\">{base}/?p={id}</guid>\n<content:encoded><![CDATA[{content}]]></content:encoded>\n\
             <wp:post_id>{id}</wp:post_id>\n<wp:post_date>2022-01-05 10:00:00</wp:post_date>\n\
             <wp:post_date_gmt>2022-01-05 10:00:00</wp:post_date_gmt>\n<wp:comment_status>open</wp:comment_status>\n\
             <wp:post_name>{slug}</wp:post_name>\n<wp:status>publish</wp:status>\n<wp:post_parent>0</wp:post_parent>\n\
             <wp:menu_order>0</wp:menu_order>\n<wp:post_type>{kind}</wp:post_type>\n</item>\n"
        ));
    }
    xml.push_str("</channel>\n</rss>\n");
    xml
}

fn import_wxr(app: &TestApp, file: &std::path::Path, extra: &[&str]) -> String {
    let mut args = vec!["import", "wxr", file.to_str().unwrap()];
    args.extend_from_slice(extra);
    let output = app.cli(&args);
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    assert!(output.status.success(), "{stdout}\n{}", String::from_utf8_lossy(&output.stderr));
    stdout
}

/// The header's page links: (href, text).
fn header_links(html: &str) -> Vec<(String, String)> {
    let document = scraper::Html::parse_document(html);
    let links = scraper::Selector::parse("nav.site-nav a").unwrap();
    document
        .select(&links)
        .map(|a| (a.value().attr("href").unwrap_or("").to_string(), a.text().collect::<String>()))
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_imported_page_whose_slug_is_taken_is_reported_and_not_doubled_in_the_header() {
    let app = TestApp::spawn().await;
    app.import("+++\ntitle = \"About\"\nslug = \"about\"\nkind = \"page\"\ndate = 2026-11-01T08:00:00Z\n+++\nOurs.\n");
    let file = app.db_path.with_file_name("old.xml");
    let items = [
        (20, "page", "about", "About", "The old site&#8217;s about page."),
        (21, "post", "hello", "Hello", "Hello there."),
    ];
    std::fs::write(&file, wxr(&items)).unwrap();
    let said = "renamed: page “About” → /pages/about-2 (slug “about” was taken); kept out of the \
                header, which already lists a page “About”";

    let dry = import_wxr(&app, &file, &["--dry-run"]);
    assert!(dry.contains(said), "the dry run says so:\n{dry}");
    let run = import_wxr(&app, &file, &[]);
    assert!(run.contains(said), "the summary says so:\n{run}");
    assert_eq!(run.matches("renamed:").count(), 1, "only the page was renamed:\n{run}");

    app.db(|c| app.state.navigation.refresh(c)).unwrap();
    let (_, home) = app.get_text("/").await;
    assert_eq!(
        header_links(&home),
        vec![("/pages/about".to_string(), "About".to_string())],
        "not “About About”"
    );
    let (status, page) = app.get_text("/pages/about-2").await;
    assert_eq!(status, 200);
    assert!(page.contains("old site’s about page"), "the imported page is there");

    // Imported now: a second run renames nothing and keeps it where it is.
    let again = import_wxr(&app, &file, &[]);
    assert!(!again.contains("renamed:"), "{again}");
    app.db(|c| app.state.navigation.refresh(c)).unwrap();
    assert_eq!(header_links(&app.get_text("/").await.1).len(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_second_import_of_the_same_file_counts_no_conversions() {
    let app = TestApp::spawn().await;
    let file = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/wxr/site.xml");
    let row = |out: &str, name: &str| -> Option<u64> {
        out.lines().find_map(|l| l.strip_prefix(name).and_then(|rest| rest.trim().parse().ok()))
    };
    let first = import_wxr(&app, &file, &[]);
    assert!(row(&first, "links rewritten in content").unwrap() > 0, "{first}");
    assert!(row(&first, "shortcode [caption] converted").unwrap() > 0, "{first}");
    for again in [import_wxr(&app, &file, &["--dry-run"]), import_wxr(&app, &file, &[])] {
        assert_eq!(row(&again, "posts unchanged (imported before)"), Some(8), "{again}");
        assert_eq!(row(&again, "links rewritten in content"), Some(0), "nothing was rewritten:\n{again}");
        assert!(!again.contains("shortcode [caption]"), "nothing was converted:\n{again}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn footnotes_link_to_a_list_at_the_end_of_the_article_and_back() {
    let app = TestApp::spawn().await;
    app.import(
        "+++\ntitle = \"Noted\"\nslug = \"noted\"\ndate = 2026-11-03T10:00:00Z\n+++\n\
         SMP lasts years.[^fade]\n\n[^fade]: It fades slowly.\n\nThe last paragraph.\n",
    );
    let (status, html) = app.get_text("/posts/noted").await;
    assert_eq!(status, 200);
    let document = scraper::Html::parse_document(&html);
    let select = |css: &str| scraper::Selector::parse(css).unwrap();
    let body = document.select(&select(".article-body")).next().unwrap();
    let cite = body.select(&select("sup.footnote-ref a")).next().expect("a superscript link");
    assert_eq!((cite.value().attr("href"), cite.value().id()), (Some("#fn-1"), Some("fnref-1")));
    let notes = body.select(&select("section.footnotes")).next().expect("a footnotes section");
    assert!(notes.select(&select("hr")).next().is_some(), "separated by a rule");
    let note = notes.select(&select("ol > li#fn-1")).next().expect("the note, numbered");
    assert!(note.text().collect::<String>().contains("It fades slowly."));
    let back = note.select(&select("a.footnote-back")).next().expect("a link back");
    assert_eq!(back.value().attr("href"), Some("#fnref-1"));
    let text: String = body.text().collect();
    assert!(
        text.find("The last paragraph.").unwrap() < text.find("It fades slowly.").unwrap(),
        "the note comes after the article's text, not where it was written"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn your_comments_reads_as_words_and_the_mailed_link_carries_no_address() {
    use base64::Engine;
    use diesel::prelude::*;
    use marginalia::db::schema::{comments, privacy_requests};
    let app = TestApp::spawn().await;
    app.import(&seed_article());
    let email = "sue@example.org";
    let id = comment_id(&app.submit(SLUG, CommentDraft::new("Sue", email, "mine")).await);
    let agent = "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0";
    let written = chrono::NaiveDate::from_ymd_opt(2026, 12, 1).unwrap().and_hms_opt(14, 5, 0).unwrap();
    app.db(|c| {
        diesel::update(comments::table.find(id))
            .set((comments::user_agent.eq(agent), comments::created_at.eq(written)))
            .execute(c)
    })
    .unwrap();
    let sent_before = app.smtp.messages().len();

    let reader = app.new_client();
    let asked = reader.post(app.url("/privacy/manage")).form(&[("email", email)]).send().await.unwrap();
    assert_eq!(asked.status(), 200);
    let mails = app.smtp.wait_for(sent_before + 1, 10).await;
    let mail = mails.iter().find(|m| m.to == vec![email.to_string()]).expect("the link is mailed");
    let link = mail.links().into_iter().find(|l| l.contains("/privacy/manage/")).unwrap();
    let token = link.rsplit('/').next().unwrap().to_string();
    for encoded in [
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(email),
        base64::engine::general_purpose::STANDARD.encode(email),
        "sue".to_string(),
    ] {
        assert!(!token.contains(&encoded), "the address is not in the link: {link}");
    }
    let (hash, stored): (String, Option<String>) = app
        .db(|c| {
            privacy_requests::table.select((privacy_requests::token_hash, privacy_requests::email)).first(c)
        })
        .unwrap();
    assert_eq!(stored.as_deref(), Some(email), "the request holds it, server-side");
    assert!(!token.contains(&hash), "only a hash of the link's id is stored");

    let link = app.url(link.trim_start_matches("http://blog.test"));
    assert_eq!(reader.post(&link).send().await.unwrap().status(), 303);
    let used: Option<String> =
        app.db(|c| privacy_requests::table.select(privacy_requests::email).first(c)).unwrap();
    assert_eq!(used, None, "a used link's request forgets the address");
    let page = reader.get(app.url("/privacy/me")).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("December 1, 2026 at 14:05 UTC"), "{page}");
    assert!(page.contains("datetime=\"2026-12-01T14:05:00Z\""), "machine-readable beside it");
    assert!(page.contains("Firefox on Linux"), "{page}");
    assert!(!page.contains("Gecko/20100101") && !page.contains(">2026-12-01T"), "no raw strings: {page}");
    let download: serde_json::Value =
        reader.post(app.url("/privacy/me/download")).send().await.unwrap().json().await.unwrap();
    assert_eq!(download["comments"][0]["user_agent"], agent, "the download keeps everything");
    assert_eq!(reader.post(&link).send().await.unwrap().status(), 409, "still one use per link");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_tools_page_import_names_a_renamed_page_and_the_header_lists_it_once() {
    let app = TestApp::spawn().await;
    app.import("+++\ntitle = \"About\"\nslug = \"about\"\nkind = \"page\"\ndate = 2026-11-01T08:00:00Z\n+++\nOurs.\n");
    let admin = app.logged_in("boss", Role::Admin).await;
    let csrf = app.csrf(&admin).await;
    let file =
        reqwest::multipart::Part::bytes(wxr(&[(20, "page", "about", "About", "Theirs.")]).into_bytes())
            .file_name("old.xml")
            .mime_str("text/xml")
            .unwrap();
    let form = reqwest::multipart::Form::new().text("csrf_token", csrf).part("file", file);
    let response = admin.post(app.url("/admin/tools/import")).multipart(form).send().await.unwrap();
    assert_eq!(response.status(), 303);
    let mut status = serde_json::Value::Null;
    for _ in 0..300 {
        status = admin.get(app.url("/admin/tools/import/status")).send().await.unwrap().json().await.unwrap();
        if status["state"] != "running" {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(status["state"], "done", "{status}");
    let summary = status["summary"].as_str().unwrap();
    assert!(summary.contains("renamed: page “About” → /pages/about-2 (slug “about” was taken)"), "{summary}");
    let page = admin.get(app.url("/admin/tools")).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("renamed: page “About”"), "the Tools page shows it");
    // The job refreshed the navigation: the header still has one “About”.
    let (_, home) = app.get_text("/").await;
    assert_eq!(header_links(&home), vec![("/pages/about".to_string(), "About".to_string())]);
}
