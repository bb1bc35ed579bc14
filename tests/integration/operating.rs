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
        {
            let mut png = Vec::new();
            image::DynamicImage::new_rgb8(50, 40)
                .write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
                .unwrap();
            png
        },
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
    assert!(String::from_utf8_lossy(&out.stdout).contains("2 comment(s)"), "{out:?}");
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
    let made = binary()
        .env("MARGINALIA_DATABASE__URL", &db)
        .args([
            "post",
            "import",
            concat!(env!("CARGO_MANIFEST_DIR"), "/content/demo/does-smp-hair-treatment-treat-hair-loss.md"),
        ])
        .output()
        .unwrap();
    assert!(made.status.success());
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
