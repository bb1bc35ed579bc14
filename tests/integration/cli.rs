//! The real binary: imports, migrations, one-line errors.

use std::process::Command;

fn marginalia(db: &std::path::Path) -> Command {
    let mut command = crate::common::binary();
    command.env("MARGINALIA_DATABASE__URL", db);
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

fn run_with_stdin(command: &mut Command, input: &str) -> std::process::Output {
    use std::io::Write;
    let mut child = command
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(input.as_bytes()).unwrap();
    child.wait_with_output().unwrap()
}

#[test]
fn users_tokens_and_comment_moderation_from_the_shell() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("blog.db");
    let add = [
        "user",
        "add",
        "--username",
        "ops",
        "--email",
        "ops@example.org",
        "--role",
        "admin",
        "--password-stdin",
    ];

    let weak = run_with_stdin(marginalia(&db).args(add), "short\n");
    assert!(!weak.status.success());
    assert!(String::from_utf8_lossy(&weak.stderr).contains("at least 10 characters"));
    let ok = run_with_stdin(marginalia(&db).args(add), "a-long-enough-password\n");
    assert!(ok.status.success(), "{}", String::from_utf8_lossy(&ok.stderr));
    let again = run_with_stdin(marginalia(&db).args(add), "a-long-enough-password\n");
    assert!(String::from_utf8_lossy(&again.stderr).contains("already exists"));
    let list = marginalia(&db).args(["user", "list"]).output().unwrap();
    assert!(String::from_utf8_lossy(&list.stdout).contains("ops\tadmin\tops@example.org"));

    let token =
        marginalia(&db).args(["token", "create", "--username", "ops", "--label", "ci"]).output().unwrap();
    let token = String::from_utf8_lossy(&token.stdout).trim().to_string();
    assert!(token.starts_with("mgl_") && token.len() > 40, "{token}");
    let stored: Vec<u8> = std::fs::read(&db).unwrap();
    assert!(!stored.windows(token.len()).any(|w| w == token.as_bytes()), "only the hash is stored");
    let tokens = marginalia(&db).args(["token", "list"]).output().unwrap();
    assert!(String::from_utf8_lossy(&tokens.stdout).contains("ops\tci\tactive"));
    let revoke = marginalia(&db).args(["token", "revoke", "1"]).output().unwrap();
    assert!(revoke.status.success());
    let tokens = marginalia(&db).args(["token", "list"]).output().unwrap();
    assert!(String::from_utf8_lossy(&tokens.stdout).contains("revoked"));

    // A held comment, written the way the site writes them.
    let article = dir.path().join("a.md");
    std::fs::write(&article, "+++\ntitle = \"A\"\n+++\nbody\n").unwrap();
    assert!(marginalia(&db).args(["post", "import"]).arg(&article).output().unwrap().status.success());
    {
        use diesel::prelude::*;
        let mut conn = diesel::SqliteConnection::establish(db.to_str().unwrap()).unwrap();
        diesel::sql_query(
            "INSERT INTO comments (post_id, status, author, email, body_source, body_html, reason, created_at, updated_at)
             VALUES (1, 'pending', 'Ann', 'ann@example.org', 'hi', '<p>hi</p>', 'first comment from this email',
                     '2026-11-25 10:00:00', '2026-11-25 10:00:00')",
        )
        .execute(&mut conn)
        .unwrap();
    }
    let listed =
        marginalia(&db).args(["comments", "list", "--status", "pending", "--json"]).output().unwrap();
    let json: serde_json::Value = serde_json::from_slice(&listed.stdout).unwrap();
    assert_eq!(json[0]["email"], "ann@example.org");
    assert_eq!(json[0]["status"], "pending");
    let approve = marginalia(&db).args(["comments", "approve", "1"]).output().unwrap();
    assert!(String::from_utf8_lossy(&approve.stdout).contains("1: pending -> approved"));
    let missing = marginalia(&db).args(["comments", "trash", "42"]).output().unwrap();
    assert!(!missing.status.success());
    assert!(String::from_utf8_lossy(&missing.stderr).contains("no comment with id 42"));
    let listed = marginalia(&db).args(["comments", "list", "--status", "approved"]).output().unwrap();
    let text = String::from_utf8_lossy(&listed.stdout);
    assert!(text.starts_with("ID\tSTATUS\tARTICLE\tAUTHOR\tEMAIL\tTEXT\n"), "a header line: {text}");
    assert!(text.contains("approved"));
    let empty = marginalia(&db).args(["comments", "list", "--status", "spam"]).output().unwrap();
    assert!(String::from_utf8_lossy(&empty.stdout).contains("(no comments)"), "an empty list says so");

    // `comments list --json | head`: the reader closes the pipe before the list is written.
    let mut child = marginalia(&db)
        .args(["comments", "list", "--json"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success() && !stderr.contains("panicked"), "a closed pipe is not a crash: {stderr}");
}
