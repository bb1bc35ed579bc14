//! Running it for years: backups taken while the site writes, restore and its refusals,
//! scheduled backups and their rotation, a backup before new migrations, a full disk during a
//! backup, SIGTERM in the middle of a comment burst. SQLite (PostgreSQL sites use pg_dump).

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use marginalia::config::ModerationMode;

use crate::common::{binary, comment_id, postgres, seed_article, CommentDraft, ServeProcess, TestApp};

const SLUG: &str = "does-smp-hair-treatment-treat-hair-loss";

async fn site() -> TestApp {
    let app = TestApp::builder().with_config(|c| c.comments.moderation = ModerationMode::None).spawn().await;
    app.import(&seed_article());
    app
}

/// The comment ids in the SQLite file at `path`.
fn comment_ids(path: &Path) -> Vec<i32> {
    #[derive(QueryableByName)]
    struct Id {
        #[diesel(sql_type = diesel::sql_types::Integer)]
        id: i32,
    }
    let mut conn = SqliteConnection::establish(path.to_str().unwrap()).unwrap();
    diesel::sql_query("SELECT id FROM comments")
        .load::<Id>(&mut conn)
        .unwrap()
        .into_iter()
        .map(|r| r.id)
        .collect()
}

/// `marginalia serve` on the SQLite file `db`, answering.
async fn serve_on(db: &Path) -> ServeProcess {
    serve_with(db, &[], std::process::Stdio::inherit()).await
}

async fn serve_with(db: &Path, env: &[(&str, &str)], stderr: std::process::Stdio) -> ServeProcess {
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let child = binary()
        .env("MARGINALIA_DATABASE__URL", db)
        .env("MARGINALIA_SERVER__BIND", format!("127.0.0.1:{port}"))
        .env("MARGINALIA_COMMENTS__MODERATION", "none")
        .env("MARGINALIA_COMMENTS__MIN_SUBMIT_SECONDS", "0")
        .env("MARGINALIA_COMMENTS__FLOOD_SECONDS", "0")
        .env("MARGINALIA_COMMENTS__RATE_LIMIT_PER_MINUTE", "0")
        .env("MARGINALIA_BACKUP__EVERY_HOURS", "0")
        .envs(env.iter().copied())
        .arg("serve")
        .stdout(std::process::Stdio::null())
        .stderr(stderr)
        .spawn()
        .unwrap();
    let process = ServeProcess { child, base_url: format!("http://127.0.0.1:{port}") };
    let deadline = Instant::now() + Duration::from_secs(30);
    while reqwest::get(process.url("/healthz")).await.map_or(true, |r| r.status() != 200) {
        assert!(Instant::now() < deadline, "marginalia serve did not start");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    process
}

/// Acknowledged comment ids, with when the 303 came.
type Acked = Arc<Mutex<Vec<(i32, Instant)>>>;

/// Comment POSTs from four readers until `stop`; each acknowledged (303) id with when.
fn burst(base_url: String, stop: Arc<AtomicBool>) -> (Acked, Vec<tokio::task::JoinHandle<()>>) {
    let acked = Arc::new(Mutex::new(Vec::new()));
    let tasks = (0..4)
        .map(|reader| {
            let (acked, stop, base_url) = (acked.clone(), stop.clone(), base_url.clone());
            tokio::spawn(async move {
                let client =
                    reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
                let mut n = 0;
                while !stop.load(Ordering::Relaxed) {
                    n += 1;
                    let draft = CommentDraft::new(
                        &format!("Reader {reader}"),
                        &format!("r{reader}@example.org"),
                        &format!("Comment {n} from reader {reader}"),
                    );
                    // Errors are expected once the server goes away: only 303s count.
                    let Ok(Some(response)) =
                        tokio::time::timeout(Duration::from_secs(10), try_submit(&base_url, &client, draft))
                            .await
                    else {
                        tokio::time::sleep(Duration::from_millis(5)).await;
                        continue;
                    };
                    if response.status() == 303 {
                        acked.lock().unwrap().push((comment_id(&response), Instant::now()));
                    }
                }
            })
        })
        .collect();
    (acked, tasks)
}

/// The form loaded, then the comment posted, as `submit_at` does; None on any transport error.
async fn try_submit(
    base_url: &str,
    client: &reqwest::Client,
    draft: CommentDraft,
) -> Option<reqwest::Response> {
    let page = client.get(format!("{base_url}/posts/{SLUG}")).send().await.ok()?.text().await.ok()?;
    let token = crate::common::extract_value(&page, "form_token")?;
    let draft = draft.set("form_token", &token);
    client.post(format!("{base_url}/posts/{SLUG}/comments")).form(&draft.fields).send().await.ok()
}

async fn wait_for(what: &str, seconds: u64, check: impl Fn() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(seconds);
    while !check() {
        assert!(Instant::now() < deadline, "timed out waiting until {what}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_backup_taken_while_comments_pour_in_holds_every_one_acknowledged_before_it() {
    if postgres::selected() {
        let app = site().await;
        let out = app.cli(&["backup", "--output", "/tmp/never-written.db"]);
        assert!(!out.status.success());
        assert!(String::from_utf8_lossy(&out.stderr).contains("pg_dump"));
        return;
    }
    let app = site().await;
    let stop = Arc::new(AtomicBool::new(false));
    let (acked, tasks) = burst(app.base_url.clone(), stop.clone());
    wait_for("20 comments are in", 60, || acked.lock().unwrap().len() >= 20).await;
    let dir = tempfile::tempdir().unwrap();
    let output = dir.path().join("live.db");
    let began = Instant::now();
    let mut command = app.cli_command();
    command.args(["backup", "--output"]).arg(&output);
    let out = tokio::task::spawn_blocking(move || command.output().unwrap()).await.unwrap();
    let ended = Instant::now();
    wait_for("comments are still taken after the backup", 60, || {
        acked.lock().unwrap().iter().filter(|(_, at)| *at > ended).count() >= 5
    })
    .await;
    stop.store(true, Ordering::Relaxed);
    for task in tasks {
        task.await.unwrap();
    }
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stdout).contains("backed up to"));
    marginalia::db::backup::check_file(&output).expect("the copy is whole");
    let in_copy = comment_ids(&output);
    let before: Vec<i32> =
        acked.lock().unwrap().iter().filter(|(_, at)| *at < began).map(|(id, _)| *id).collect();
    assert!(before.len() >= 20);
    for id in &before {
        assert!(in_copy.contains(id), "comment {id}, acknowledged before the backup began, is in it");
    }
    let again = app.cli(&["backup", "--output", output.to_str().unwrap()]);
    assert!(!again.status.success(), "an existing backup is never overwritten");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn restore_checks_the_file_refuses_a_served_database_and_puts_the_backup_in_place() {
    if postgres::selected() {
        return;
    }
    let app = site().await;
    for text in ["Kept one", "Kept two"] {
        comment_id(&app.submit(SLUG, CommentDraft::new("Ada", "ada@example.org", text)).await);
    }
    let config = &app.state.config;
    let upload = marginalia::services::media::store_upload(
        &app.state.db,
        marginalia::services::media::MediaStore::of(config),
        marginalia::services::media::UploadLimits::from_config(config),
        "loom.png".into(),
        crate::common::png(50, 40),
        String::new(),
        None,
    )
    .await
    .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let backup = dir.path().join("site.db");
    let out = app.cli(&["backup", "--output", backup.to_str().unwrap()]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(dir.path().join("site.db.media").join(&upload.file_key).join("full.png").is_file());

    // A new machine: an empty site, served.
    let target_dir = tempfile::tempdir().unwrap();
    let target = target_dir.path().join("blog.db");
    let restore = |file: &Path| {
        binary().env("MARGINALIA_DATABASE__URL", &target).arg("restore").arg(file).output().unwrap()
    };
    let served = serve_on(&target).await;
    let out = restore(&backup);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("in use by a running marginalia"), "{out:?}");
    drop(served);

    // Files that are not a good backup, each refused with its reason, nothing changed.
    let size = std::fs::metadata(&target).unwrap().len();
    let garbage = dir.path().join("garbage.db");
    std::fs::write(&garbage, vec![0x5a; 64 * 1024]).unwrap();
    let foreign = dir.path().join("foreign.db");
    SqliteConnection::establish(foreign.to_str().unwrap())
        .unwrap()
        .batch_execute("CREATE TABLE notes (x TEXT)")
        .unwrap();
    let newer = dir.path().join("newer.db");
    std::fs::copy(&backup, &newer).unwrap();
    SqliteConnection::establish(newer.to_str().unwrap())
        .unwrap()
        .batch_execute("INSERT INTO __diesel_schema_migrations (version) VALUES ('29991231000001')")
        .unwrap();
    let damaged = dir.path().join("damaged.db");
    let mut bytes = std::fs::read(&backup).unwrap();
    for b in bytes.iter_mut().skip(8192).take(16384) {
        *b = 0xff;
    }
    std::fs::write(&damaged, bytes).unwrap();
    for (file, reason) in [
        (&garbage, "not a readable SQLite database"),
        (&foreign, "not a marginalia database"),
        (&newer, "newer marginalia"),
        (&damaged, "cannot be restored"),
        (&dir.path().join("missing.db"), "no such file"),
    ] {
        let out = restore(file);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success() && stderr.contains(reason), "{}: {stderr}", file.display());
        assert!(stderr.contains(file.to_str().unwrap()), "names the file: {stderr}");
        assert_eq!(
            std::fs::metadata(&target).unwrap().len(),
            size,
            "{} left the database alone",
            file.display()
        );
    }

    let out = restore(&backup);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let printed = String::from_utf8_lossy(&out.stdout);
    assert!(printed.contains("2 comment(s)"), "{out:?}");
    assert!(printed.contains("the database it replaced is kept as"), "{printed}");
    let kept: Vec<_> = std::fs::read_dir(target_dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| n.starts_with("blog.db.before-restore-"))
        .collect();
    assert_eq!(kept.len(), 1, "{kept:?}");
    let served = serve_on(&target).await;
    let page = reqwest::get(served.url(&format!("/posts/{SLUG}"))).await.unwrap().text().await.unwrap();
    assert!(page.contains("Kept one") && page.contains("Kept two"), "the restored site");
    let image = reqwest::get(served.url(&format!("/media/{}/full.png", upload.file_key))).await.unwrap();
    assert_eq!(image.status(), 200, "its uploads came back too");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn scheduled_backups_run_and_only_the_newest_are_kept() {
    if postgres::selected() {
        return;
    }
    let backups = tempfile::tempdir().unwrap();
    for old in
        ["marginalia-20200101-000000.db", "marginalia-20200102-000000.db", "marginalia-20200103-000000.db"]
    {
        std::fs::write(backups.path().join(old), b"old").unwrap();
    }
    std::fs::create_dir(backups.path().join("marginalia-20200101-000000.db.media")).unwrap();
    std::fs::write(backups.path().join("unrelated.txt"), b"mine").unwrap();
    let dir = backups.path().to_str().unwrap().to_string();
    let app = TestApp::builder()
        .with_config(move |c| {
            c.backup.every_hours = 24;
            c.backup.keep = 2;
            c.backup.dir = dir;
        })
        .spawn()
        .await;
    let listing = || {
        let mut names: Vec<String> = std::fs::read_dir(backups.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        names.sort();
        names
    };
    wait_for("a scheduled backup is written and the old ones rotated", 30, || {
        listing()
            .iter()
            .filter(|n| n.starts_with("marginalia-2026") || n.starts_with("marginalia-20"))
            .count()
            == 2
            && listing().iter().any(|n| !n.starts_with("marginalia-2020") && n.ends_with(".db"))
    })
    .await;
    let names = listing();
    assert!(names.contains(&"marginalia-20200103-000000.db".to_string()), "{names:?}");
    assert!(!names.contains(&"marginalia-20200101-000000.db".to_string()), "{names:?}");
    assert!(!names.contains(&"marginalia-20200101-000000.db.media".to_string()), "its media went with it");
    assert!(names.contains(&"unrelated.txt".to_string()), "only backups are rotated");
    let newest = names.iter().rfind(|n| n.ends_with(".db")).unwrap();
    marginalia::db::backup::check_file(&backups.path().join(newest)).expect("a whole database");
    drop(app);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_full_disk_during_a_backup_leaves_no_file_under_its_name_and_the_site_serves_on() {
    if postgres::selected() {
        return;
    }
    let app = site().await;
    for i in 0..30 {
        comment_id(
            &app.submit(
                SLUG,
                CommentDraft::new("Ada", "ada@example.org", &format!("Filler {i} {}", "x".repeat(2000))),
            )
            .await,
        );
    }
    let dir = tempfile::tempdir().unwrap();
    let output = dir.path().join("full.db");
    // The file size limit stands in for a full disk: writes past 64 KB fail.
    let line = format!(
        "ulimit -f 128; exec {} backup --output {}",
        env!("CARGO_BIN_EXE_marginalia"),
        output.display()
    );
    let mut shell = std::process::Command::new("bash");
    shell.arg("-c").arg(&line);
    for (key, value) in app.cli_command().get_envs() {
        if let Some(value) = value {
            shell.env(key, value);
        }
    }
    let failed = shell.output().unwrap();
    assert!(!failed.status.success(), "the backup could not be written");
    assert!(!output.exists(), "no half backup under the final name");
    assert_eq!(app.get(&format!("/posts/{SLUG}")).await.status(), 200, "the site serves on");
    let out = app.cli(&["backup", "--output", output.to_str().unwrap()]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(comment_ids(&output).len() >= 30);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigterm_in_the_middle_of_a_comment_burst_loses_no_acknowledged_comment() {
    if postgres::selected() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("blog.db");
    crate::common::seeded_sqlite_file(&db);
    let mut served = serve_on(&db).await;
    let stop = Arc::new(AtomicBool::new(false));
    let (acked, tasks) = burst(served.base_url.clone(), stop.clone());
    wait_for("30 comments are in", 60, || acked.lock().unwrap().len() >= 30).await;
    let pid = served.child.id().to_string();
    assert!(std::process::Command::new("kill").args(["-TERM", &pid]).status().unwrap().success());
    let exited = tokio::task::spawn_blocking(move || {
        let status = served.child.wait().unwrap();
        (served, status)
    });
    let (served, status) =
        tokio::time::timeout(Duration::from_secs(40), exited).await.expect("stopped").unwrap();
    stop.store(true, Ordering::Relaxed);
    for task in tasks {
        task.await.unwrap();
    }
    assert!(status.success(), "a clean exit on SIGTERM: {status:?}");
    drop(served);
    let stored = comment_ids(&db);
    let acked = acked.lock().unwrap();
    assert!(acked.len() >= 30);
    for (id, _) in acked.iter() {
        assert!(stored.contains(id), "comment {id} was acknowledged and is stored");
    }
}

#[test]
fn new_migrations_at_start_back_the_database_up_first() {
    if postgres::selected() {
        return;
    }
    use diesel_migrations::MigrationHarness;
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("old.db");
    // A database of the release before the last two migrations, with a post in it.
    let mut conn = SqliteConnection::establish(db.to_str().unwrap()).unwrap();
    let all = marginalia::db::migrations::sqlite_versions().len();
    for _ in 0..all - 2 {
        conn.run_next_migration(marginalia::db::migrations::SQLITE).unwrap();
    }
    conn.batch_execute(
        "INSERT INTO posts (slug, title, body_source, body_html, excerpt, status, published_at, created_at, updated_at) \
         VALUES ('old-post', 'Old post', 'x', '<p>x</p>', '', 'published', '2026-01-01 00:00:00', \
         '2026-01-01 00:00:00', '2026-01-01 00:00:00')",
    )
    .unwrap();
    drop(conn);
    let out = binary().env("MARGINALIA_DATABASE__URL", &db).arg("migrate").output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stderr).contains("backed up the database first"), "{out:?}");
    let backups: Vec<PathBuf> =
        std::fs::read_dir(dir.path().join("backups")).unwrap().map(|e| e.unwrap().path()).collect();
    let before =
        backups.iter().find(|p| p.to_string_lossy().contains("before-migrate-")).expect("the backup");
    let check = marginalia::db::backup::check_file(before).unwrap();
    assert_eq!((check.posts, check.behind), (1, 2), "the database as it was, two migrations behind");
    // Up to date now: the next start backs nothing up.
    let out = binary().env("MARGINALIA_DATABASE__URL", &db).arg("migrate").output().unwrap();
    assert!(!String::from_utf8_lossy(&out.stderr).contains("backed up"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn serve_tells_systemd_it_is_ready_and_logs_json_lines_without_addresses() {
    if postgres::selected() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("blog.db");
    let socket_path = dir.path().join("notify.sock");
    let socket = std::os::unix::net::UnixDatagram::bind(&socket_path).unwrap();
    socket.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    let log_path = dir.path().join("serve.log");
    let log = std::fs::File::create(&log_path).unwrap();
    let served = serve_with(
        &db,
        &[
            ("NOTIFY_SOCKET", socket_path.to_str().unwrap()),
            ("MARGINALIA_LOG__FORMAT", "json"),
            ("RUST_LOG", "info"),
        ],
        log.into(),
    )
    .await;
    let mut message = [0u8; 256];
    let n = socket.recv(&mut message).expect("a readiness message");
    assert_eq!(String::from_utf8_lossy(&message[..n]).trim(), "READY=1");
    let client = reqwest::Client::new();
    let page = client
        .get(served.url("/?from=ada@example.org"))
        .header("X-Forwarded-For", "203.0.113.9")
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), 200);
    drop(served);
    let text = std::fs::read_to_string(&log_path).unwrap();
    let lines: Vec<serde_json::Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON ({e}): {l}")))
        .collect();
    assert!(lines.iter().any(|l| l["message"] == "request" && l["path"] == "/"), "{text}");
    assert!(!text.contains("203.0.113.9") && !text.contains("ada@example.org"), "{text}");
}

const METRICS_TOKEN: &str = "a-metrics-token-long-enough-0123";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn metrics_count_requests_comments_and_mail_and_never_show_an_address() {
    let app = TestApp::builder()
        .with_config(|c| c.metrics.token = marginalia::config::Secret::new(METRICS_TOKEN))
        .spawn()
        .await;
    app.import(&seed_article());
    app.import(
        "+++\ntitle = \"Secret plans\"\nslug = \"unpublished-secret-plans\"\ndraft = true\n+++\nSoon.\n",
    );
    app.user("mod", marginalia::db::enums::Role::Moderator, "long-enough-password");
    for _ in 0..2 {
        assert_eq!(app.get(&format!("/posts/{SLUG}")).await.status(), 200);
    }
    assert_eq!(app.get("/posts/unpublished-secret-plans").await.status(), 404);
    let held = app
        .submit_with(
            &app.new_client(),
            SLUG,
            CommentDraft::new("Ada", "ada.secret@example.org", "Held for the moderators")
                .set("url", "https://ada.example.org"),
        )
        .await;
    comment_id(&held);
    let dupe = CommentDraft::new("Ada", "ada.secret@example.org", "Held for the moderators");
    assert_eq!(app.submit_with(&app.new_client(), SLUG, dupe).await.status(), 409);
    app.wait_outbox_settled().await;

    let scrape = |token: Option<&str>| {
        let request = app.client.get(app.url("/metrics"));
        let request = match token {
            Some(t) => request.bearer_auth(t),
            None => request,
        };
        request.send()
    };
    assert_eq!(scrape(None).await.unwrap().status(), 401);
    assert_eq!(scrape(Some("wrong-token-wrong-token-wrong")).await.unwrap().status(), 401);
    let response = scrape(Some(METRICS_TOKEN)).await.unwrap();
    assert_eq!(response.status(), 200);
    assert!(response.headers()["content-type"].to_str().unwrap().starts_with("text/plain; version=0.0.4"));
    let text = response.text().await.unwrap();
    for expected in [
        r#"marginalia_http_requests_total{method="GET",route="/posts/{slug}",status="200"} 4"#, // 2 views + 2 forms loaded
        r#"marginalia_http_requests_total{method="GET",route="/posts/{slug}",status="404"} 1"#,
        r#"marginalia_http_request_duration_seconds_bucket{route="/posts/{slug}",le="+Inf"}"#,
        r#"marginalia_comments_total{outcome="held",reason=""} 1"#,
        r#"marginalia_comments_total{outcome="refused",reason="duplicate"} 1"#,
        r#"marginalia_page_cache{measure="hits"}"#,
        r#"marginalia_outbox_mails{state="sent"} 1"#,
        "marginalia_outbox_oldest_pending_seconds 0",
        r#"marginalia_db_pool{measure="connections"}"#,
        r#"marginalia_job_runs_total{job="navigation refresh"}"#,
    ] {
        assert!(text.contains(expected), "{expected} in\n{text}");
    }
    for private in
        ["ada.secret@example.org", "ada.example.org", "127.0.0.1", "unpublished-secret-plans", "Ada"]
    {
        assert!(!text.contains(private), "{private} leaked into the metrics");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn metrics_are_off_the_public_port_by_default_and_on_their_own_listener() {
    if postgres::selected() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("blog.db");
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let bind = format!("127.0.0.1:{port}");
    let served =
        serve_with(&db, &[("MARGINALIA_METRICS__BIND", &bind)], std::process::Stdio::inherit()).await;
    assert_eq!(reqwest::get(served.url("/metrics")).await.unwrap().status(), 404, "not on the public port");
    let deadline = Instant::now() + Duration::from_secs(10);
    let text = loop {
        if let Ok(r) = reqwest::get(format!("http://{bind}/metrics")).await {
            break r.text().await.unwrap();
        }
        assert!(Instant::now() < deadline, "no metrics listener on {bind}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    assert!(text.contains("marginalia_db_pool"), "{text}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigterm_hands_back_the_mails_it_claimed_and_did_not_send() {
    if postgres::selected() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("blog.db");
    crate::common::seeded_sqlite_file(&db);
    let mut add = binary();
    add.env("MARGINALIA_DATABASE__URL", &db);
    let mut child = add
        .args(["user", "add", "--username", "mod", "--email", "mod@staff.example", "--password-stdin"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::null())
        .spawn()
        .unwrap();
    use std::io::Write;
    child.stdin.take().unwrap().write_all(b"long-enough-password\n").unwrap();
    assert!(child.wait().unwrap().success());
    // An SMTP server that accepts and never says a word: the mail stays claimed mid-send.
    let smtp = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let smtp_url = format!("smtp://{}", smtp.local_addr().unwrap());
    std::thread::spawn(move || {
        let mut held = Vec::new();
        for stream in smtp.incoming().flatten() {
            held.push(stream);
        }
    });
    let mut served = serve_with(
        &db,
        &[
            ("MARGINALIA_MAIL__SMTP_URL", &smtp_url),
            ("MARGINALIA_MAIL__TIMEOUT_SECONDS", "300"),
            ("MARGINALIA_COMMENTS__MODERATION", "all"),
        ],
        std::process::Stdio::inherit(),
    )
    .await;
    let client = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let posted =
        try_submit(&served.base_url, &client, CommentDraft::new("Ada", "ada@example.org", "Held, mailed"))
            .await
            .unwrap();
    assert_eq!(posted.status(), 303);
    let state = |db: &Path| {
        #[derive(QueryableByName)]
        struct Row {
            #[diesel(sql_type = diesel::sql_types::Text)]
            state: String,
            #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Timestamp>)]
            claimed_until: Option<chrono::NaiveDateTime>,
        }
        let mut conn = SqliteConnection::establish(db.to_str().unwrap()).unwrap();
        conn.batch_execute("PRAGMA busy_timeout = 5000").unwrap();
        diesel::sql_query("SELECT state, claimed_until FROM outbox")
            .load::<Row>(&mut conn)
            .unwrap()
            .into_iter()
            .map(|r| (r.state, r.claimed_until.is_some()))
            .collect::<Vec<_>>()
    };
    wait_for("the moderator's mail is claimed", 30, || state(&db) == vec![("sending".to_string(), true)])
        .await;
    let pid = served.child.id().to_string();
    assert!(std::process::Command::new("kill").args(["-TERM", &pid]).status().unwrap().success());
    let status = tokio::task::spawn_blocking(move || served.child.wait().unwrap()).await.unwrap();
    assert!(status.success(), "{status:?}");
    assert_eq!(state(&db), vec![("pending".to_string(), false)], "back in the queue, due now");
}

/// The last migration of the release before this one (2026-11-25): its schema, then a row in
/// every table, then the binary's `migrate`.
const PREVIOUS_RELEASE: &str = "20261125000006";

/// Every table of the previous release, one or more rows, through its own columns.
const PREVIOUS_RELEASE_DATA: &str = "
INSERT INTO settings (key, value, updated_at) VALUES ('site.title', '\"Old Blog\"', '2026-11-20 10:00:00');
INSERT INTO categories (id, name, slug) VALUES (1, 'Health', 'health');
INSERT INTO tags (id, name, slug) VALUES (1, 'hair', 'hair');
INSERT INTO users (id, username, email, role, password_hash, created_at)
    VALUES (1, 'root', 'root@staff.example', 'admin', 'not-a-real-hash', '2026-11-20 10:00:00');
INSERT INTO posts (id, slug, title, body_source, body_html, excerpt, status, category_id, published_at, created_at, updated_at)
    VALUES (1, 'old-post', 'Old post', 'Hello', '<p>Hello</p>', 'Hello', 'published', 1,
            '2026-11-20 10:00:00', '2026-11-20 10:00:00', '2026-11-20 10:00:00');
INSERT INTO post_tags (post_id, tag_id) VALUES (1, 1);
INSERT INTO comments (id, post_id, parent_id, status, author, email, url, ip, user_agent, body_source, body_html, reason, created_at, updated_at)
    VALUES (1, 1, NULL, 'approved', 'Ada', 'ada@example.org', NULL, '192.0.2.1', 'ua', 'First', '<p>First</p>', '', '2026-11-21 10:00:00', '2026-11-21 10:00:00'),
           (2, 1, 1, 'approved', 'Grace', 'grace@example.org', NULL, '192.0.2.2', 'ua', 'Reply', '<p>Reply</p>', '', '2026-11-21 11:00:00', '2026-11-21 11:00:00'),
           (3, 1, NULL, 'pending', 'Eve', 'eve@example.org', NULL, '192.0.2.3', 'ua', 'Held', '<p>Held</p>', 'first comment', '2026-11-21 12:00:00', '2026-11-21 12:00:00');
INSERT INTO api_tokens (id, user_id, label, token_hash, created_at) VALUES (1, 1, 'ci', 'abc123', '2026-11-20 10:00:00');
INSERT INTO audit_log (id, actor, user_id, action, comment_id, from_status, to_status, detail, created_at)
    VALUES (1, 'root', 1, 'approve', 1, 'pending', 'approved', '', '2026-11-21 10:05:00');
INSERT INTO login_throttle (key, failures, locked_until, updated_at) VALUES ('k', 2, NULL, '2026-11-21 10:00:00');
INSERT INTO outbox (id, kind, recipient, subject, body_text, body_html, message_id, comment_id, state, next_attempt_at, created_at)
    VALUES (1, 'held_comment', 'root@staff.example', 'Held', 'text', '<p>html</p>', '<m1@blog>', 3, 'pending', '2026-11-21 12:00:00', '2026-11-21 12:00:00');
INSERT INTO subscriptions (id, comment_id, email, kind, created_at) VALUES (1, 1, 'ada@example.org', 'replies', '2026-11-21 10:00:00');
INSERT INTO used_links (nonce, used_at) VALUES ('n1', '2026-11-21 10:00:00');
INSERT INTO wordpress_posts (site, wp_id, post_id, synced_at) VALUES ('https://old.example', 7, 1, '2026-11-20 10:00:00');
INSERT INTO wordpress_comments (site, wp_id, comment_id) VALUES ('https://old.example', 70, 1);
INSERT INTO redirects (from_path, post_id, to_path, created_at) VALUES ('/?p=7', 1, NULL, '2026-11-20 10:00:00');
INSERT INTO import_runs (id, site, file_name, state, started_at, heartbeat_at, finished_at)
    VALUES (1, 'https://old.example', 'old.xml', 'done', '2026-11-20 09:00:00', '2026-11-20 09:01:00', '2026-11-20 09:01:00');
INSERT INTO import_undo (id, run_id, kind, ref_id, detail) VALUES (1, 1, 'post_created', 1, NULL);
";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn upgrading_a_database_of_the_previous_release_loses_nothing() {
    if postgres::selected() {
        return;
    }
    use diesel_migrations::MigrationHarness;
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("old.db");
    let mut conn = SqliteConnection::establish(db.to_str().unwrap()).unwrap();
    let at_release = |conn: &mut SqliteConnection| {
        conn.applied_migrations().unwrap().iter().any(|v| v.to_string() == PREVIOUS_RELEASE)
    };
    while !at_release(&mut conn) {
        conn.run_next_migration(marginalia::db::migrations::SQLITE).unwrap();
    }
    conn.batch_execute(PREVIOUS_RELEASE_DATA).unwrap();
    let tables: Vec<String> = {
        #[derive(QueryableByName)]
        struct Name {
            #[diesel(sql_type = diesel::sql_types::Text)]
            name: String,
        }
        diesel::sql_query(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' \
             AND name != '__diesel_schema_migrations'",
        )
        .load::<Name>(&mut conn)
        .unwrap()
        .into_iter()
        .map(|n| n.name)
        .collect()
    };
    let mut before = Vec::new();
    for table in &tables {
        let n = diesel::sql_query(format!("SELECT COUNT(*) AS n FROM {table}"))
            .get_result::<RowCount>(&mut conn)
            .unwrap()
            .n;
        assert!(n > 0, "the fixture fills {table}");
        before.push((table.clone(), n));
    }
    drop(conn);

    let out = binary().env("MARGINALIA_DATABASE__URL", &db).arg("migrate").output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let mut conn = SqliteConnection::establish(db.to_str().unwrap()).unwrap();
    for (table, n) in &before {
        let now = diesel::sql_query(format!("SELECT COUNT(*) AS n FROM {table}"))
            .get_result::<RowCount>(&mut conn)
            .unwrap()
            .n;
        assert_eq!(now, *n, "{table} kept every row");
    }
    // The data, as the site now reads it: counts kept by the new triggers, the thread, the
    // held comment in the queue, the redirect, the settings.
    drop(conn);
    let served = serve_on(&db).await;
    let page = reqwest::get(served.url("/posts/old-post")).await.unwrap().text().await.unwrap();
    assert!(page.contains("First") && page.contains("Reply") && !page.contains("Held"), "{page}");
    assert!(page.contains("2 thoughts on"), "counted by the new columns");
    assert!(page.contains("Old Blog"), "the setting still applies");
    let client = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let moved = client.get(served.url("/?p=7")).send().await.unwrap();
    assert_eq!(moved.status(), 301);
    let tag = reqwest::get(served.url("/tag/hair")).await.unwrap().text().await.unwrap();
    assert!(tag.contains("Old post"), "listed under its tag");
}

#[derive(QueryableByName)]
struct RowCount {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    n: i64,
}
