//! The real binary: imports, migrations, one-line errors.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::process::Command;

fn marginalia(db: &std::path::Path) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_marginalia"));
    command.env("MARGINALIA_DATABASE__URL", db).env("RUST_LOG", "warn");
    command
}

#[test]
fn post_import_creates_then_updates_by_slug() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("blog.db");
    let file = dir.path().join("hello.md");
    std::fs::write(&file, "+++\ntitle = \"Hello\"\ndate = 2026-11-23\n+++\nHi.\n").unwrap();

    let first = marginalia(&db).args(["post", "import"]).arg(&file).output().unwrap();
    assert!(first.status.success(), "{}", String::from_utf8_lossy(&first.stderr));
    assert!(String::from_utf8_lossy(&first.stdout).contains("created /posts/hello"));

    std::fs::write(&file, "+++\ntitle = \"Hello\"\ndate = 2026-11-23\n+++\nHi again.\n").unwrap();
    let second = marginalia(&db).args(["post", "import"]).arg(&file).output().unwrap();
    assert!(String::from_utf8_lossy(&second.stdout).contains("updated /posts/hello"));
}

#[test]
fn bad_front_matter_names_file_and_line_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("blog.db");
    let good = dir.path().join("good.md");
    let bad = dir.path().join("bad.md");
    std::fs::write(&good, "+++\ntitle = \"Good\"\n+++\nok\n").unwrap();
    std::fs::write(&bad, "+++\ntitle = \"Bad\"\ntags = \"not-a-list\"\n+++\nbody\n").unwrap();

    let output = marginalia(&db).args(["post", "import"]).arg(&good).arg(&bad).output().unwrap();
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains(&format!("{}:3:", bad.display())), "{stderr}");
    assert_eq!(stderr.trim().lines().count(), 1, "one line: {stderr}");
    assert!(!stderr.contains("panicked"));

    // Nothing was imported: the good file was not written either.
    let list = marginalia(&db).args(["post", "import"]).arg(&good).output().unwrap();
    assert!(String::from_utf8_lossy(&list.stdout).contains("created"));
}

#[test]
fn missing_file_is_a_one_line_error() {
    let dir = tempfile::tempdir().unwrap();
    let output =
        marginalia(&dir.path().join("x.db")).args(["post", "import", "/nonexistent/a.md"]).output().unwrap();
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("/nonexistent/a.md: cannot read"));
}

#[test]
fn unknown_or_bad_config_keys_stop_startup_naming_the_key() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("x.db");
    let output = marginalia(&db).env("MARGINALIA_SERVER__COLOUR", "blue").arg("migrate").output().unwrap();
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("colour"), "{stderr}");

    let output =
        marginalia(&db).env("MARGINALIA_COMMENTS__MAX_LINKS", "many").arg("migrate").output().unwrap();
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("comments.max_links"));

    let config = dir.path().join("site.toml");
    std::fs::write(&config, "[comments]\nmoderation = \"sometimes\"\n").unwrap();
    let output = marginalia(&db).arg("--config").arg(&config).arg("migrate").output().unwrap();
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("comments.moderation"), "{stderr}");

    let output = marginalia(&db).args(["--config", "/nonexistent.toml", "migrate"]).output().unwrap();
    assert!(String::from_utf8_lossy(&output.stderr).contains("/nonexistent.toml does not exist"));
}

#[test]
fn migrate_creates_the_database() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("new.db");
    let output = marginalia(&db).arg("migrate").output().unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    assert!(db.exists());
    let again = marginalia(&db).arg("migrate").output().unwrap();
    assert!(String::from_utf8_lossy(&again.stdout).contains("applied 0 migration(s)"));
}
