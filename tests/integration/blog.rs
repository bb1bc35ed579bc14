//! The blog around the comments (issue 17): site settings, media, post management and
//! scheduling, authors, search and per-post comment feeds, each through the real server.

use std::io::Cursor;

use crate::common::{comment_id, extract_value, CommentDraft, TestApp};
use marginalia::db::enums::Role;

/// A JPEG whose EXIF block holds a GPS position and a marker text (what a phone photo carries).
fn jpeg_with_gps(width: u32, height: u32) -> Vec<u8> {
    let picture = image::DynamicImage::new_rgb8(width, height);
    let mut plain = Vec::new();
    picture.write_to(&mut Cursor::new(&mut plain), image::ImageFormat::Jpeg).unwrap();
    let exif = b"Exif\0\0MM\0*\0\0\0\x08\0\0GPSLatitude 52.5200 N SECRET-HOME-LOCATION";
    let len = u16::try_from(exif.len() + 2).unwrap().to_be_bytes();
    let mut out = plain[..2].to_vec(); // SOI
    out.extend_from_slice(&[0xFF, 0xE1, len[0], len[1]]);
    out.extend_from_slice(exif);
    out.extend_from_slice(&plain[2..]);
    out
}

fn png(width: u32, height: u32) -> Vec<u8> {
    let mut out = Vec::new();
    image::DynamicImage::new_rgba8(width, height)
        .write_to(&mut Cursor::new(&mut out), image::ImageFormat::Png)
        .unwrap();
    out
}

async fn csrf_of(app: &TestApp, client: &reqwest::Client, path: &str) -> String {
    let page = client.get(app.url(path)).send().await.unwrap().text().await.unwrap();
    extract_value(&page, "csrf_token").unwrap()
}

fn multipart(
    csrf: &str,
    fields: &[(&str, &str)],
    files: Vec<(&str, &str, Vec<u8>)>,
) -> reqwest::multipart::Form {
    let mut form = reqwest::multipart::Form::new().text("csrf_token", csrf.to_string());
    for (name, value) in fields {
        form = form.text(name.to_string(), value.to_string());
    }
    for (field, name, bytes) in files {
        form =
            form.part(field.to_string(), reqwest::multipart::Part::bytes(bytes).file_name(name.to_string()));
    }
    form
}

/// The (file key) of the newest upload.
fn newest_media_key(app: &TestApp) -> String {
    app.db(|c| marginalia::db::media::list(c, 0, 1)).unwrap().remove(0).file_key
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn site_settings_change_every_page_at_once_and_bad_values_keep_the_form() {
    let app = TestApp::spawn().await;
    app.article("first", "First post", 20, "News", &[]);
    assert!(app.get_text("/").await.1.contains("Test Blog"), "cached with the configured title");
    let admin = app.logged_in("root", Role::Admin).await;
    let fields = [
        ("title", "Ada's Notebook"),
        ("tagline", "Engines, looms & numbers"),
        ("description", "Notes on analytical engines."),
        ("language", "en-GB"),
        ("per_page", "5"),
        ("footer", "© 2026 Ada Lovelace"),
    ];
    let response = app.admin_post(&admin, "/admin/site", &fields).await;
    assert_eq!(response.status(), 303);
    let (_, front) = app.get_text("/").await;
    assert!(
        front.contains("<title>Ada&#x27;s Notebook</title>") || front.contains("Ada&#39;s Notebook"),
        "{front}"
    );
    assert!(front.contains("Engines, looms &amp; numbers"), "the tagline under the title");
    assert!(front.contains("© 2026 Ada Lovelace"), "the footer");
    assert!(front.contains("<html lang=\"en-GB\" dir=\"ltr\">"));
    let (_, article) = app.get_text("/posts/first").await;
    assert!(article.contains("Ada&#x27;s Notebook") || article.contains("Ada&#39;s Notebook"));

    let bad = [("title", "Still here"), ("language", "not a language!"), ("per_page", "5")];
    let response = app.admin_post(&admin, "/admin/site", &bad).await;
    assert_eq!(response.status(), 422);
    let page = response.text().await.unwrap();
    assert!(page.contains("The language must be a code like en"), "{page}");
    assert!(page.contains("value=\"Still here\""), "the typed title is kept");

    let moderator = app.logged_in("mod", Role::Moderator).await;
    let response = app.admin_post(&moderator, "/admin/site", &fields).await;
    assert_eq!(response.status(), 403);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn uploads_are_re_encoded_without_exif_resized_and_served_by_their_decoded_type() {
    let app = TestApp::spawn().await;
    let admin = app.logged_in("root", Role::Admin).await;
    let csrf = csrf_of(&app, &admin, "/admin/media").await;
    let photo = jpeg_with_gps(1200, 800);
    assert!(photo.windows(8).any(|w| w == b"SECRET-H"), "the test photo carries its marker");
    let form = multipart(&csrf, &[("alt", "A loom")], vec![("file", "holiday.php.jpg", photo)]);
    let response = admin.post(app.url("/admin/media/upload")).multipart(form).send().await.unwrap();
    assert_eq!(response.status(), 303);
    let key = newest_media_key(&app);
    for (file, content_type) in [
        ("full.jpg", "image/jpeg"),
        ("full.webp", "image/webp"),
        ("480.jpg", "image/jpeg"),
        ("960.webp", "image/webp"),
    ] {
        let response = app.get(&format!("/media/{key}/{file}")).await;
        assert_eq!(response.status(), 200, "{file}");
        assert_eq!(response.headers()["content-type"], content_type, "{file}");
        assert!(response.headers()["cache-control"].to_str().unwrap().contains("immutable"));
        let bytes = response.bytes().await.unwrap();
        assert!(!bytes.windows(8).any(|w| w == b"SECRET-H"), "{file} carries no EXIF/GPS");
        assert!(!bytes.windows(11).any(|w| w == b"GPSLatitude"), "{file} carries no EXIF/GPS");
    }
    let full =
        image::load_from_memory(&app.get(&format!("/media/{key}/full.jpg")).await.bytes().await.unwrap())
            .unwrap();
    assert_eq!((full.width(), full.height()), (1200, 800));
    let small =
        image::load_from_memory(&app.get(&format!("/media/{key}/480.jpg")).await.bytes().await.unwrap())
            .unwrap();
    assert_eq!((small.width(), small.height()), (480, 320));
    assert_eq!(app.get(&format!("/media/{key}/1920.jpg")).await.status(), 404, "no upscaled copy");
    assert_eq!(app.get(&format!("/media/{key}/full.png")).await.status(), 404, "only its own format");
    assert_eq!(app.get(&format!("/media/{key}/..%2F..%2Fmarginalia.db")).await.status(), 404);
    assert_eq!(app.get("/media/../../etc/passwd").await.status(), 404);
    let library = admin.get(app.url("/admin/media")).send().await.unwrap().text().await.unwrap();
    assert!(library.contains("holiday.php.jpg") && library.contains("1200×800"), "listed with its size");
    assert!(library.contains(&format!("![A loom](/media/{key}/full.jpg)")), "Markdown to paste");

    // Not an image (whatever the name says), and too many pixels: refused, nothing stored.
    for (name, bytes, message) in [
        ("shell.jpg", b"<?php system($_GET['c']); ?>".to_vec(), "not a JPEG, PNG, GIF or WebP image"),
        ("huge.png", png(5000, 5000), "images up to 20 megapixels"),
    ] {
        let csrf = csrf_of(&app, &admin, "/admin/media").await;
        let form = multipart(&csrf, &[], vec![("file", name, bytes)]);
        let response = admin
            .post(app.url("/admin/media/upload"))
            .header("Accept", "application/json")
            .multipart(form)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 422, "{name}");
        let body = response.text().await.unwrap();
        assert!(body.contains(message), "{name}: {body}");
    }
    assert_eq!(app.db(marginalia::db::media::count).unwrap(), 1, "refused uploads leave no row");

    // Without the CSRF token nothing is stored.
    let form = multipart("forged", &[], vec![("file", "x.png", png(10, 10))]);
    let response = admin.post(app.url("/admin/media/upload")).multipart(form).send().await.unwrap();
    assert_eq!(response.status(), 403);
    assert_eq!(app.db(marginalia::db::media::count).unwrap(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_image_sent_with_the_editor_is_in_the_published_post_responsive_and_featured() {
    let app = TestApp::spawn().await;
    let admin = app.logged_in("root", Role::Admin).await;
    let csrf = csrf_of(&app, &admin, "/admin/posts/new").await;
    let form = multipart(
        &csrf,
        &[
            ("title", "Looms and Engines"),
            ("date", "2026-11-24T09:30"),
            ("body", "Jacquard's cards came first."),
            ("image_alt", "A Jacquard loom"),
            ("intent", "publish"),
            ("comments_open", "yes"),
        ],
        vec![
            ("image", "loom.png", png(1000, 600)),
            ("featured_image", "cover.jpg", jpeg_with_gps(2000, 1000)),
        ],
    );
    let response = admin.post(app.url("/admin/posts/new")).multipart(form).send().await.unwrap();
    assert_eq!(response.status(), 303, "{}", response.text().await.unwrap());
    let (status, html) = app.get_text("/posts/looms-and-engines").await;
    assert_eq!(status, 200);
    let uploads = app.db(|c| marginalia::db::media::list(c, 0, 10)).unwrap();
    let loom = uploads.iter().find(|m| m.original_name == "loom.png").unwrap();
    let cover = uploads.iter().find(|m| m.original_name == "cover.jpg").unwrap();
    let key = &loom.file_key;
    assert!(
        html.contains(&format!(
            "srcset=\"/media/{key}/480.png 480w, /media/{key}/960.png 960w, /media/{key}/full.png 1000w\""
        )),
        "{html}"
    );
    assert!(html.contains(&format!("<source type=\"image/webp\" srcset=\"/media/{key}/480.webp 480w")));
    assert!(html.contains("alt=\"A Jacquard loom\"") && html.contains("width=\"1000\" height=\"600\""));
    assert!(html.contains(&format!(
        "<meta property=\"og:image\" content=\"http://blog.test/media/{}/1920.jpg\">",
        cover.file_key
    )));
    assert!(html.contains("<meta name=\"twitter:card\" content=\"summary_large_image\">"));
    let (_, front) = app.get_text("/").await;
    assert!(front.contains(&format!("/media/{}/960.jpg", cover.file_key)), "the front-page card shows it");
    let (_, feed) = app.get_text("/feed.xml").await;
    assert!(
        feed.contains(&format!("http://blog.test/media/{}/960.jpg", cover.file_key)),
        "the feed shows it"
    );

    // A media file a post shows is not deleted without a warning naming the post.
    let csrf = csrf_of(&app, &admin, "/admin/media").await;
    let response = admin
        .post(app.url(&format!("/admin/media/{}/delete", loom.id)))
        .form(&[("csrf_token", csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let page = response.text().await.unwrap();
    assert!(page.contains("This image is in use") && page.contains("Looms and Engines"), "{page}");
    assert_eq!(app.db(marginalia::db::media::count).unwrap(), 2, "asked, not deleted");
    let response = admin
        .post(app.url(&format!("/admin/media/{}/delete", loom.id)))
        .form(&[("csrf_token", csrf.as_str()), ("confirm", "yes")])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 303);
    assert_eq!(app.get(&format!("/media/{key}/full.png")).await.status(), 404, "its files are gone");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_trashed_post_leaves_the_site_with_its_comments_kept_until_deleted_for_good() {
    let app = TestApp::spawn().await;
    app.article("kept", "Kept Post", 20, "News", &[]);
    let id = comment_id(&app.submit("kept", CommentDraft::new("Ada", "ada@example.org", "A thought")).await);
    app.moderate(id, marginalia::services::moderation::Action::Approve);
    let admin = app.logged_in("root", Role::Admin).await;
    let post = app.db(|c| marginalia::db::posts::find_by_slug(c, "kept")).unwrap().unwrap();
    assert!(app.get_text("/").await.1.contains("Kept Post"));

    let response = app.admin_post(&admin, &format!("/admin/posts/{}/trash", post.id), &[]).await;
    assert_eq!(response.status(), 303);
    assert_eq!(app.get("/posts/kept").await.status(), 404);
    assert!(!app.get_text("/").await.1.contains("Kept Post"), "gone from the front page at once");
    assert_eq!(app.comment_status(id).0, "approved", "its comment waits with it");
    let list = admin.get(app.url("/admin/posts?status=trash")).send().await.unwrap().text().await.unwrap();
    assert!(list.contains("Kept Post") && list.contains("Delete permanently"));
    let list = admin.get(app.url("/admin/posts")).send().await.unwrap().text().await.unwrap();
    assert!(!list.contains("Kept Post"), "the default list leaves the trash out");

    let response = app.admin_post(&admin, &format!("/admin/posts/{}/restore", post.id), &[]).await;
    assert_eq!(response.status(), 303);
    let (status, html) = app.get_text("/posts/kept").await;
    assert_eq!(status, 200);
    assert!(html.contains("A thought"), "back with its comment");

    let response = app.admin_post(&admin, &format!("/admin/posts/{}/delete", post.id), &[]).await;
    assert_eq!(response.status(), 400, "only a trashed post can be deleted for good");
    let out = app.cli(&["post", "delete", "kept"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stdout).contains("moved “Kept Post” to the trash"));
    let out = app.cli(&["post", "restore", "kept"]);
    assert!(String::from_utf8_lossy(&out.stdout).contains("restored “Kept Post” as published"));
    let out = app.cli(&["post", "delete", "--permanently", "kept"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(app.db(|c| marginalia::db::posts::find_by_slug(c, "kept")).unwrap().is_none());
    let gone = app.db(|c| marginalia::db::queue::find(c, marginalia::db::ids::CommentId(id))).unwrap();
    assert!(gone.is_none(), "deleted for good with its comments");
    let out = app.cli(&["post", "restore", "no-such-post"]);
    assert!(!out.status.success());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_post_published_with_a_date_to_come_appears_on_its_own_then() {
    let app = TestApp::spawn().await;
    let admin = app.logged_in("root", Role::Admin).await;
    let soon = (chrono::Utc::now() + chrono::Duration::seconds(2)).format("%Y-%m-%dT%H:%M:%S").to_string();
    let fields = [
        ("title", "Tomorrow's News"),
        ("slug", "tomorrows-news"),
        ("date", soon.as_str()),
        ("body", "Not yet."),
        ("intent", "publish"),
    ];
    let response = app.admin_post(&admin, "/admin/posts/new", &fields).await;
    assert_eq!(response.status(), 303);
    let post = app.db(|c| marginalia::db::posts::find_by_slug(c, "tomorrows-news")).unwrap().unwrap();
    assert_eq!(post.status.as_str(), "scheduled");
    assert_eq!(app.get("/posts/tomorrows-news").await.status(), 404, "not before its time");
    assert!(!app.get_text("/").await.1.contains("Tomorrow"), "not listed before its time");
    let list =
        admin.get(app.url("/admin/posts?status=scheduled")).send().await.unwrap().text().await.unwrap();
    assert!(list.contains("Tomorrow&#x27;s News") || list.contains("Tomorrow&#39;s News"), "{list}");
    app.wait_until("the scheduler published it", |c| {
        marginalia::db::posts::find_published_by_slug(c, "tomorrows-news").unwrap().is_some()
    })
    .await;
    assert_eq!(app.get("/posts/tomorrows-news").await.status(), 200);
    assert!(app.get_text("/").await.1.contains("Tomorrow"), "the cached front page was dropped");

    // Drafts stay drafts whatever their date.
    let fields = [("title", "A Draft"), ("body", "x"), ("intent", "draft")];
    app.admin_post(&admin, "/admin/posts/new", &fields).await;
    let draft = app.db(|c| marginalia::db::posts::find_by_slug(c, "a-draft")).unwrap().unwrap();
    assert_eq!(draft.status.as_str(), "draft");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn authors_have_bylines_pages_and_sign_their_replies_without_their_email() {
    let app = TestApp::spawn().await;
    let admin = app.logged_in("ada", Role::Admin).await;
    let csrf = csrf_of(&app, &admin, "/admin/profile").await;
    let form = multipart(
        &csrf,
        &[("display_name", "Ada Lovelace"), ("slug", ""), ("bio", "Writes about engines.")],
        vec![("avatar", "me.png", png(300, 300))],
    );
    let response = admin.post(app.url("/admin/profile")).multipart(form).send().await.unwrap();
    assert_eq!(response.status(), 303);
    let fields = [
        ("title", "On Engines"),
        ("date", "2026-11-24T09:30"),
        ("body", "Body."),
        ("intent", "publish"),
        ("comments_open", "yes"),
    ];
    assert_eq!(app.admin_post(&admin, "/admin/posts/new", &fields).await.status(), 303);

    let (_, html) = app.get_text("/posts/on-engines").await;
    assert!(
        html.contains(
            "by <span class=\"author\"><a rel=\"author\" href=\"/author/ada-lovelace\">Ada Lovelace</a>"
        ),
        "{html}"
    );
    let ld = html
        .split("<script type=\"application/ld+json\">")
        .nth(1)
        .unwrap()
        .split("</script>")
        .next()
        .unwrap();
    let ld: serde_json::Value = serde_json::from_str(ld).unwrap();
    assert_eq!(ld["@type"], "Article");
    assert_eq!(ld["author"]["name"], "Ada Lovelace");
    assert_eq!(ld["author"]["url"], "http://blog.test/author/ada-lovelace");
    assert_eq!(ld["datePublished"], "2026-11-24T09:30:00Z");
    assert!(!html.contains("ada@staff.example"), "the account's email is never on a page");
    let (status, page) = app.get_text("/author/ada-lovelace").await;
    assert_eq!(status, 200);
    assert!(
        page.contains("Ada Lovelace")
            && page.contains("Writes about engines.")
            && page.contains("On Engines")
    );
    assert!(!page.contains("ada@staff.example"));
    assert_eq!(app.get("/author/nobody").await.status(), 404);

    // A moderator's reply carries the display name.
    let id = comment_id(
        &app.submit("on-engines", CommentDraft::new("Reader", "r@example.org", "Question?")).await,
    );
    let response =
        app.admin_post(&admin, &format!("/admin/comments/{id}/reply"), &[("text", "An answer.")]).await;
    assert_eq!(response.status(), 303);
    let (_, html) = app.get_text("/posts/on-engines").await;
    let thread = crate::common::comments_section(&html);
    assert!(thread.contains("Ada Lovelace") && thread.contains("An answer."), "{thread}");

    // A slug another account has is refused, with the form kept.
    let other = app.logged_in("bob", Role::Moderator).await;
    let csrf = csrf_of(&app, &other, "/admin/profile").await;
    let response = other
        .post(app.url("/admin/profile"))
        .form(&[("csrf_token", csrf.as_str()), ("display_name", "Bob"), ("slug", "ada-lovelace")])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 422);
    assert!(response.text().await.unwrap().contains("Another account already has /author/ada-lovelace"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn search_finds_published_posts_highlighted_and_escaped_and_never_fails_on_syntax() {
    let app = TestApp::spawn().await;
    app.import("+++\ntitle = \"Analytical <Engines>\"\nslug = \"engines\"\ndate = 2026-11-20T10:00:00Z\n+++\nThe engine weaves algebraic patterns as the loom weaves flowers.\n");
    app.import("+++\ntitle = \"Secret plans\"\nslug = \"secret\"\ndraft = true\n+++\nThe engine draft nobody may read.\n");
    app.import("+++\ntitle = \"Çay ve Sohbet\"\nslug = \"cay\"\ndate = 2026-11-21T10:00:00Z\n+++\nTürkçe bir yazı: çay demlemek üzerine.\n");
    let (status, html) = app.get_text("/search?q=algebraic+weav").await;
    assert_eq!(status, 200);
    assert!(html.contains("One result"), "{html}");
    assert!(html.contains("<mark>algebraic</mark>") && html.contains("<mark>weaves</mark>"), "{html}");
    assert!(html.contains("Analytical &lt;Engines&gt;"), "titles are escaped, never markup");
    assert!(!html.contains("Secret plans"), "drafts are not searched");
    let (_, html) = app.get_text("/search?q=engine").await;
    assert!(!html.contains("nobody may read"));
    let (_, html) = app.get_text("/search?q=cay").await;
    assert!(html.contains("<mark>Çay</mark>"), "diacritics folded: {html}");
    for nasty in ["%22", "NEAR(a%20b)", "*", "a%20OR%20", "%E2%80%AE", "%3Cscript%3E"] {
        let (status, _) = app.get_text(&format!("/search?q={nasty}")).await;
        assert_eq!(status, 200, "{nasty}");
    }
    let long = "a".repeat(5000);
    assert_eq!(app.get_text(&format!("/search?q={long}")).await.0, 200);
    assert!(app.get_text("/").await.1.contains("action=\"/search\""), "every page has the search box");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_article_has_a_comment_feed_with_only_its_approved_comments() {
    let app = TestApp::spawn().await;
    app.article("one", "One", 20, "News", &[]);
    app.article("two", "Two", 21, "News", &[]);
    let approved =
        comment_id(&app.submit("one", CommentDraft::new("Ada", "ada@example.org", "Approved words")).await);
    app.moderate(approved, marginalia::services::moderation::Action::Approve);
    app.submit("one", CommentDraft::new("Bob", "bob@example.org", "Held words")).await;
    let other = comment_id(&app.submit("two", CommentDraft::new("Cy", "cy@example.org", "Other post")).await);
    app.moderate(other, marginalia::services::moderation::Action::Approve);
    let (status, feed) = app.get_text("/posts/one/comments.xml").await;
    assert_eq!(status, 200);
    assert!(feed.contains("Approved words") && !feed.contains("Held words") && !feed.contains("Other post"));
    assert!(!feed.contains("ada@example.org"), "no email in a feed");
    let (_, html) = app.get_text("/posts/one").await;
    assert!(html.contains("href=\"/posts/one/comments.xml\""), "linked in <head>");
    assert!(html.contains("href=\"/comments/feed.xml\"") && html.contains("href=\"/feed.xml\""));
    let later =
        comment_id(&app.submit("one", CommentDraft::new("Dee", "dee@example.org", "Later words")).await);
    app.moderate(later, marginalia::services::moderation::Action::Approve);
    assert!(
        app.get_text("/posts/one/comments.xml").await.1.contains("Later words"),
        "the cached feed was dropped"
    );
    assert_eq!(app.get("/posts/nope/comments.xml").await.status(), 404);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_admin_post_list_searches_filters_sorts_and_counts_comments() {
    let app = TestApp::spawn().await;
    app.article("alpha", "Alpha Post", 20, "News", &[]);
    app.article("beta", "Beta Post", 21, "News", &[]);
    app.import("+++\ntitle = \"Gamma Draft\"\nslug = \"gamma\"\ndraft = true\n+++\nx\n");
    let id = comment_id(&app.submit("alpha", CommentDraft::new("Ada", "ada@example.org", "one")).await);
    app.moderate(id, marginalia::services::moderation::Action::Approve);
    app.submit("alpha", CommentDraft::new("Bob", "bob@example.org", "two")).await;
    let admin = app.logged_in("root", Role::Admin).await;
    let page = |path: &str| {
        let (admin, url) = (admin.clone(), app.url(path));
        async move { admin.get(url).send().await.unwrap().text().await.unwrap() }
    };
    let all = page("/admin/posts").await;
    assert!(all.contains("All (3)") && all.contains("Drafts (1)") && all.contains("Published (2)"), "{all}");
    let alpha_row = all.split("Alpha Post").nth(1).unwrap().split("</tr>").next().unwrap();
    assert!(alpha_row.contains(">1</span>") && alpha_row.contains("1 pending"), "{alpha_row}");
    let found = page("/admin/posts?q=bet").await;
    assert!(found.contains("Beta Post") && !found.contains("Alpha Post"));
    let drafts = page("/admin/posts?status=draft").await;
    assert!(drafts.contains("Gamma Draft") && !drafts.contains("Beta Post"));
    let by_title = page("/admin/posts?sort=title").await;
    assert!(by_title.find("Alpha Post").unwrap() < by_title.find("Beta Post").unwrap());
    let newest = page("/admin/posts").await;
    assert!(newest.find("Beta Post").unwrap() < newest.find("Alpha Post").unwrap());
    let moderator = app.logged_in("mod", Role::Moderator).await;
    assert_eq!(moderator.get(app.url("/admin/posts")).send().await.unwrap().status(), 403);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_tools_page_lists_posts_still_showing_images_from_the_old_wordpress_site() {
    let app = TestApp::spawn().await;
    app.import("+++\ntitle = \"Old Photos\"\nslug = \"old-photos\"\nformat = \"html\"\n+++\n<p><img src=\"https://old.example/wp-content/uploads/2019/05/cat.jpg\" alt=\"cat\"></p>\n");
    app.article("plain", "Plain Post", 20, "News", &[]);
    let admin = app.logged_in("root", Role::Admin).await;
    let page = admin.get(app.url("/admin/tools")).send().await.unwrap().text().await.unwrap();
    let section = page.split("id=\"old-media\"").nth(1).expect("the old-media list");
    assert!(section.contains("1 post shows images from WordPress"), "{section}");
    assert!(section.contains("Old Photos") && !section.contains("Plain Post"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn upload_directories_no_row_knows_are_swept_and_recorded_ones_kept() {
    if crate::common::postgres::selected() {
        return; // PostgreSQL keeps uploads in the database: no directory to sweep
    }
    let mut app = TestApp::spawn().await;
    let admin = app.logged_in("root", Role::Admin).await;
    let csrf = csrf_of(&app, &admin, "/admin/media").await;
    let form = multipart(&csrf, &[], vec![("file", "kept.png", png(40, 40))]);
    assert_eq!(
        admin.post(app.url("/admin/media/upload")).multipart(form).send().await.unwrap().status(),
        303
    );
    let media = app.state.config.media_dir();
    let kept = media.join(newest_media_key(&app));
    let orphan = media.join("0123456789abcdef0123456789abcdef");
    std::fs::create_dir_all(&orphan).unwrap();
    std::fs::write(orphan.join("full.png"), b"left behind").unwrap();
    let two_hours_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(7200);
    for dir in [&orphan, &kept] {
        std::fs::File::open(dir).unwrap().set_modified(two_hours_ago).unwrap();
    }
    app.restart().await; // the hourly sweep runs once at start
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while orphan.exists() {
        assert!(std::time::Instant::now() < deadline, "the orphan directory was not swept");
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert!(kept.join("full.png").exists(), "an upload with its row stays");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn searches_are_limited_per_address() {
    let app = TestApp::spawn().await;
    for i in 0..30 {
        assert_eq!(app.get(&format!("/search?q=word{i}")).await.status(), 200, "search {i}");
    }
    assert_eq!(app.get("/search?q=one-too-many").await.status(), 429);
    assert_eq!(app.get("/search").await.status(), 200, "the empty search page is not counted");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn approving_a_comment_of_a_trashed_post_mails_no_reader_a_missing_page() {
    let app = TestApp::spawn().await;
    app.article("gone", "Gone Post", 20, "News", &[]);
    let draft =
        CommentDraft::new("Ada", "ada@example.org", "Tell me when it is up").set("notify_published", "yes");
    let id = comment_id(&app.submit("gone", draft).await);
    let admin = app.logged_in("root", Role::Admin).await;
    let post = app.db(|c| marginalia::db::posts::find_by_slug(c, "gone")).unwrap().unwrap();
    app.admin_post(&admin, &format!("/admin/posts/{}/trash", post.id), &[]).await;
    app.wait_outbox_settled().await;
    let before = app.outbox_count("pending") + app.outbox_count("sent");
    app.moderate(id, marginalia::services::moderation::Action::Approve);
    app.wait_outbox_settled().await;
    assert_eq!(
        app.outbox_count("pending") + app.outbox_count("sent"),
        before,
        "no mail links to a trashed post"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn uploads_kept_as_files_before_postgresql_stored_them_are_still_served() {
    if !crate::common::postgres::selected() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let media_dir = dir.path().to_str().unwrap().to_string();
    let app = TestApp::builder().with_config(move |c| c.media.dir = media_dir).spawn().await;
    let key = "0123456789abcdef0123456789abcdef";
    let picture = png(30, 20);
    std::fs::create_dir_all(dir.path().join(key)).unwrap();
    std::fs::write(dir.path().join(key).join("full.png"), &picture).unwrap();
    app.write(|tx| {
        let new = marginalia::db::media::NewMedia {
            file_key: key,
            original_name: "old.png",
            format: marginalia::db::enums::MediaFormat::Png,
            width: 30,
            height: 20,
            bytes: picture.len() as i32,
            variants: "[]",
            alt_text: "",
            uploaded_by: None,
            created_at: chrono::Utc::now().naive_utc(),
        };
        Ok(marginalia::db::media::insert(tx, &new)?)
    })
    .unwrap();
    let response = app.get(&format!("/media/{key}/full.png")).await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.bytes().await.unwrap(), picture, "from media.dir, the database having no copy");
    assert_eq!(app.get(&format!("/media/{key}/full.webp")).await.status(), 404, "nothing invented");
}
