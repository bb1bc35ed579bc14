//! `marginalia db copy`: a site moved into another database with the real binary, and back,
//! is the same site (pages, comments, counts, media, logins), refuses a non-empty target and
//! leaves a target untouched when it fails. On the `postgres` target the trip is PostgreSQL
//! -> SQLite -> PostgreSQL; on SQLite, SQLite -> SQLite -> SQLite.

use marginalia::config::ModerationMode;
use marginalia::db::enums::Role;
use marginalia::services::media::{MediaStore, UploadLimits};

use crate::common::{
    binary, comment_id, comments_section, png, postgres, seed_article, CommentDraft, TestApp,
};

const SLUG: &str = "does-smp-hair-treatment-treat-hair-loss";

fn copy(from: &str, to: &str) -> std::process::Output {
    binary().args(["db", "copy", "--from", from, "--to", to]).output().unwrap()
}

fn rows(app: &TestApp, table: &str) -> i64 {
    app.db(|c| marginalia::db::copy::count_rows(c, table)).unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_site_copied_there_and_back_is_the_same_site() {
    let source =
        TestApp::builder().with_config(|c| c.comments.moderation = ModerationMode::None).spawn().await;
    source.import(&seed_article());
    let first = comment_id(&source.submit(SLUG, CommentDraft::new("Ada", "ada@example.org", "First!")).await);
    let reply =
        CommentDraft::new("Grace", "grace@example.org", "A reply").set("comment_parent", &first.to_string());
    comment_id(&source.submit(SLUG, reply).await);
    let held =
        comment_id(&source.submit(SLUG, CommentDraft::new("Eve", "eve@example.org", "Held one")).await);
    source.set_comment_status(held, "pending");
    // The newest comment deleted: its id is never handed out again, on either side.
    let doomed =
        comment_id(&source.submit(SLUG, CommentDraft::new("Mal", "mal@example.org", "Doomed")).await);
    source
        .db(|c| {
            use diesel::prelude::*;
            diesel::sql_query(crate::common::sql("DELETE FROM comments WHERE id = ?"))
                .bind::<diesel::sql_types::Integer, _>(doomed)
                .execute(c)
        })
        .unwrap();
    source.user("root", Role::Admin, "long-enough-password");
    let config = &source.state.config;
    let upload = marginalia::services::media::store_upload(
        &source.state.db,
        MediaStore::of(config),
        UploadLimits::from_config(config),
        "loom.png".into(),
        png(600, 400),
        "A loom".into(),
        None,
    )
    .await
    .unwrap();
    let image_path = format!("/media/{}/480.webp", upload.file_key);
    let image = source.get(&image_path).await.bytes().await.unwrap();
    assert!(!image.is_empty());
    // As an anonymous reader (the app's own client posted, and may edit, its comments).
    let anonymous = source.new_client();
    let article =
        anonymous.get(source.url(&format!("/posts/{SLUG}"))).send().await.unwrap().text().await.unwrap();

    // There: into a SQLite file, media into a directory beside it.
    let dir = tempfile::tempdir().unwrap();
    let middle = dir.path().join("moved.db");
    let middle = middle.to_str().unwrap();
    let out = copy(&source.db_url, middle);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let printed = String::from_utf8_lossy(&out.stdout);
    assert!(printed.contains(&format!("comments: {} row(s)", rows(&source, "comments"))), "{printed}");
    assert!(printed.contains("media files: 1 upload(s)"), "{printed}");
    assert!(dir.path().join("media").join(&upload.file_key).join("480.webp").is_file());

    // And back: into a fresh database of the source's kind.
    let last = if postgres::selected() {
        postgres::fresh_database()
    } else {
        dir.path().join("back.db").to_str().unwrap().to_string()
    };
    let out = copy(middle, &last);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));

    let moved = TestApp::builder()
        .with_config(|c| c.comments.moderation = ModerationMode::None)
        .database_url(last.clone())
        .spawn()
        .await;
    if !postgres::selected() {
        // A SQLite target's media directory is beside its file.
        let back_media = dir.path().join("media");
        assert!(back_media.join(&upload.file_key).join("full.png").is_file());
    }
    for table in ["posts", "comments", "users", "media", "settings", "audit_log", "spam_tokens", "tags"] {
        assert_eq!(rows(&moved, table), rows(&source, table), "{table}");
    }
    assert_eq!(rows(&moved, "media_files"), rows(&source, "media_files"));
    let moved_article = moved
        .new_client()
        .get(moved.url(&format!("/posts/{SLUG}")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(
        comments_section(&moved_article),
        comments_section(&article),
        "the same thread, counts and all"
    );
    assert!(!moved_article.contains("Held one"), "still held");
    assert_eq!(moved.get(&image_path).await.bytes().await.unwrap(), image, "the same image bytes");
    let admin = moved.login_with(&moved.new_client(), "root", "long-enough-password").await;
    assert_eq!(admin.status(), 303, "the same password works");
    // New rows carry on after the copied ids.
    let next =
        comment_id(&moved.submit(SLUG, CommentDraft::new("Lin", "lin@example.org", "After the move")).await);
    assert!(next > doomed, "{next} after {doomed}, the deleted one");

    // A second copy into it is refused, and changes nothing.
    let before = rows(&moved, "comments");
    let out = copy(middle, &last);
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("not empty") && stderr.lines().count() == 1, "{stderr}");
    assert_eq!(rows(&moved, "comments"), before);
}

#[test]
fn a_missing_source_is_refused_and_not_created() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("typo.db");
    let target = dir.path().join("t.db");
    let out = copy(missing.to_str().unwrap(), target.to_str().unwrap());
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("no SQLite database at"), "{out:?}");
    assert!(!missing.exists(), "the source is only read, never created");
}

#[test]
fn a_copy_that_fails_midway_leaves_the_target_empty() {
    let dir = tempfile::tempdir().unwrap();
    let source = dir.path().join("source.db");
    let source = source.to_str().unwrap();
    crate::common::seeded_sqlite_file(std::path::Path::new(source));
    let target = if postgres::selected() {
        postgres::fresh_database()
    } else {
        dir.path().join("t.db").to_str().unwrap().into()
    };
    // The target refuses posts: the copy fails after the categories and tags went in.
    let db = marginalia::db::Db::open(&target, 1).unwrap();
    db.write_now(|tx| {
        crate::common::fail_when(tx, "no_posts", "INSERT", "posts", "1 = 1");
        Ok(())
    })
    .unwrap();
    let out = copy(source, &target);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("simulated disk failure"));
    for table in ["categories", "tags", "posts"] {
        assert_eq!(db.read_now(|c| Ok(marginalia::db::copy::count_rows(c, table)?)).unwrap(), 0, "{table}");
    }
}
