//! The one test helper: a real server on 127.0.0.1 (free port) over a temp SQLite file, or a
//! fresh database on a real PostgreSQL server with `MARGINALIA_TEST_BACKEND=postgres`.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

pub mod postgres;
pub mod smtp;

use std::net::TcpListener;
use std::path::PathBuf;

use marginalia::config::{
    CommentsConfig, Config, DatabaseConfig, MailConfig, ModerationMode, NotifyRole, NotifyTarget, Secret,
    SecurityConfig, ServerConfig, SiteConfig,
};
use marginalia::db::Conn;
use marginalia::services::articles::{self, ImportOutcome};
use marginalia::state::AppState;
use tempfile::TempDir;

/// The test site's secret (config literal below; the binary gets it from the environment).
pub const SECRET: &str = "test-secret-key-0123456789abcdef-0123456789";

/// The real binary, with no `MARGINALIA_*` inherited from the caller's shell (any would
/// change what is tested, and an unknown one stops it).
pub fn binary() -> std::process::Command {
    let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_marginalia"));
    for (key, _) in std::env::vars_os() {
        if key.to_string_lossy().starts_with("MARGINALIA_") {
            command.env_remove(key);
        }
    }
    command.env("RUST_LOG", "warn");
    // Many serve processes at once: none takes the default metrics port.
    command.env("MARGINALIA_METRICS__BIND", "");
    command
}

/// Built as a literal, never from the environment.
pub fn test_config(db_path: &str) -> Config {
    Config {
        server: ServerConfig {
            bind: "127.0.0.1:0".parse().unwrap(),
            base_url: "http://blog.test".into(),
            workers: 2,
            trusted_proxies: vec![],
            body_timeout_seconds: 10,
            upload_timeout_seconds: 600,
        },
        site: SiteConfig {
            title: "Test Blog".into(),
            description: "A blog under test.".into(),
            language: "en".into(),
            per_page: 10,
            tagline: String::new(),
            footer: String::new(),
        },
        database: DatabaseConfig { url: db_path.into(), pool_size: 4 },
        mail: MailConfig {
            smtp_url: Secret::new("smtp://127.0.0.1:1"),
            from: "marginalia <blog@blog.test>".into(),
            notify: NotifyTarget::Role(NotifyRole::Moderators),
            notify_on: marginalia::config::NotifyOn::Held,
            digest: marginalia::config::Digest::Off,
            max_attempts: 8,
            retry_base_seconds: 1,
            retry_max_seconds: 2,
            link_expiry_days: 7,
            timeout_seconds: 5,
        },
        comments: CommentsConfig {
            moderation: ModerationMode::FirstTime,
            max_links: 2,
            min_submit_seconds: 0,
            rate_limit_per_minute: 0,
            flood_seconds: 0,
            thread_depth: 5,
            close_after_days: 0,
            per_page: 50,
            moderation_words: vec![],
            disallowed_words: vec![],
            builtin_disallowed: true,
            trusted_emails: vec![],
            purge_after_days: 30,
            edit_minutes: 15,
        },

        privacy: marginalia::config::PrivacyConfig { ip_retention_days: 30, store_ip: true, show_note: true },
        security: SecurityConfig { secret_key: Secret::new(SECRET), session_idle_minutes: 120 },
        import: marginalia::config::ImportConfig { max_upload_mb: 256 },
        // On, as in production: every test that writes and reads again checks the cache too.
        cache: marginalia::config::CacheConfig { enabled: true, max_mb: 16, max_age_seconds: 300 },
        spam: marginalia::config::SpamConfig {
            learn: true,
            threshold_spam: 0.99,
            threshold_hold: 0.8,
            min_training: 20,
            max_tokens: 200_000,
        },
        // Next to the test's database file (a tempdir): media.dir empty.
        media: marginalia::config::MediaConfig { dir: String::new(), max_upload_mb: 2, max_megapixels: 20 },
        // Scheduled backups only where a test turns them on.
        backup: marginalia::config::BackupConfig { every_hours: 0, ..Default::default() },
        log: Default::default(),
        metrics: marginalia::config::MetricsConfig { bind: String::new(), token: Secret::new("") },
        embed: Default::default(),
    }
}

pub struct TestApp {
    pub base_url: String,
    /// The SMTP server the app sends to (already running unless built `.smtp_down()`).
    pub smtp: smtp::SmtpSink,
    pub client: reqwest::Client,
    pub state: AppState,
    /// Where a SQLite database would be (in the test's temp dir; only used on SQLite).
    pub db_path: PathBuf,
    /// `database.url`: the SQLite file, or a fresh PostgreSQL database.
    pub db_url: String,
    server: actix_web::dev::ServerHandle,
    jobs: marginalia::jobs::Jobs,
    config: Config,
    // Must be the last field: dropped after the server and the pool.
    _dir: TempDir,
}

pub struct TestAppBuilder {
    tweak: Box<dyn FnOnce(&mut Config)>,
    smtp_down: bool,
    database_url: Option<String>,
}

impl TestAppBuilder {
    pub fn with_config(mut self, f: impl FnOnce(&mut Config) + 'static) -> Self {
        let previous = self.tweak;
        self.tweak = Box::new(move |c| {
            previous(c);
            f(c);
        });
        self
    }

    /// On this database (a PostgreSQL server of the test's own) instead of a fresh one.
    pub fn database_url(mut self, url: String) -> Self {
        self.database_url = Some(url);
        self
    }

    /// The SMTP server starts stopped: `app.smtp` is a sink on a reserved port, not listening.
    pub fn smtp_down(mut self) -> Self {
        self.smtp_down = true;
        self
    }

    pub async fn spawn(self) -> TestApp {
        // The app's log in the test output, when asked for (RUST_LOG=warn cargo test ...).
        if std::env::var_os("RUST_LOG").is_some() {
            let _ = tracing_subscriber::fmt()
                .with_env_filter(tracing_subscriber::EnvFilter::from_default_env())
                .with_test_writer()
                .try_init();
        }
        let dir = tempfile::tempdir().unwrap();
        let db_path = dir.path().join("test.db");
        let mut smtp = smtp::SmtpSink::start(0).await;
        if self.smtp_down {
            smtp.stop();
        }
        let db_url = match self.database_url {
            Some(url) => url,
            None if postgres::selected() => postgres::fresh_database(),
            None => db_path.to_str().unwrap().to_string(),
        };
        let mut config = test_config(&db_url);
        config.mail.smtp_url = Secret::new(format!("smtp://127.0.0.1:{}", smtp.port));
        (self.tweak)(&mut config);
        config.validate().unwrap();
        let config_copy = config.clone();
        let state = AppState::build(config).unwrap();
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let server = marginalia::app::run(listener, state.clone()).unwrap();
        let jobs = marginalia::jobs::spawn_all(&state);
        let handle = server.handle();
        tokio::spawn(server);
        let client = reqwest::Client::builder()
            .cookie_store(true)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap();
        TestApp {
            base_url: format!("http://127.0.0.1:{port}"),
            smtp,
            client,
            state,
            db_path,
            db_url,
            server: handle,
            jobs,
            config: config_copy,
            _dir: dir,
        }
    }
}

/// Test SQL written for SQLite, as the backend under test reads it: on PostgreSQL `?`
/// placeholders are numbered and `datetime('now', '±N unit')` is `now() ± interval`.
pub fn sql(text: &str) -> String {
    if !postgres::selected() {
        return text.to_string();
    }
    let mut out = marginalia::db::numbered(marginalia::db::BackendKind::Postgres, text).into_owned();
    while let Some(start) = out.find("datetime('now', '") {
        let rest = &out[start + "datetime('now', '".len()..];
        let end = rest.find("')").expect("datetime('now', '...') closed");
        let (sign, amount) = rest[..end].split_at(1);
        let replaced = format!("(now() {sign} interval '{amount}')");
        out.replace_range(start..start + "datetime('now', '".len() + end + 2, &replaced);
    }
    out
}

/// A trigger on `table` that makes `event` (`INSERT` or `UPDATE`) fail where `condition`
/// (on `NEW`) holds: a simulated disk failure part-way through a write.
pub fn fail_when(conn: &mut Conn, name: &str, event: &str, table: &str, condition: &str) {
    use diesel::connection::SimpleConnection;
    let sql = if postgres::selected() {
        format!(
            "CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN \
             RAISE EXCEPTION 'simulated disk failure'; END $$; \
             CREATE TRIGGER {name} BEFORE {event} ON {table} FOR EACH ROW WHEN ({condition}) \
             EXECUTE FUNCTION {name}();"
        )
    } else {
        format!(
            "CREATE TRIGGER {name} BEFORE {event} ON {table} WHEN {condition} \
             BEGIN SELECT RAISE(ABORT, 'simulated disk failure'); END;"
        )
    };
    conn.batch_execute(&sql).unwrap();
}

impl TestApp {
    pub fn builder() -> TestAppBuilder {
        TestAppBuilder { tweak: Box::new(|_| {}), smtp_down: false, database_url: None }
    }

    pub async fn spawn() -> TestApp {
        Self::builder().spawn().await
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base_url, path)
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client.get(self.url(path)).send().await.unwrap()
    }

    /// GET and return (status, body).
    pub async fn get_text(&self, path: &str) -> (u16, String) {
        let response = self.get(path).await;
        let status = response.status().as_u16();
        (status, response.text().await.unwrap())
    }

    pub async fn post_form(&self, path: &str, form: &[(&str, &str)]) -> reqwest::Response {
        self.client.post(self.url(path)).form(form).send().await.unwrap()
    }

    /// Runs `f` on a pooled connection (setup and assertions).
    pub fn db<T>(&self, f: impl FnOnce(&mut Conn) -> T) -> T {
        let mut result = None;
        self.state
            .db
            .read_now(|c| {
                result = Some(f(c));
                Ok(())
            })
            .unwrap();
        result.unwrap()
    }

    /// Runs `f` in a write transaction, as the app does (mail it queues wakes the worker).
    pub fn write<T>(
        &self,
        f: impl FnOnce(&mut marginalia::db::Tx<'_>) -> Result<T, marginalia::error::AppError>,
    ) -> Result<T, marginalia::error::AppError> {
        self.state.db.write_now(f)
    }

    /// Imports an article given as front-matter Markdown text.
    pub fn import(&self, text: &str) -> ImportOutcome {
        let article = articles::parse_article("test.md", text).unwrap();
        self.write(|tx| articles::import_article(tx, &article)).unwrap()
    }

    /// Imports a published article with the given slug, title, day of November 2026, category
    /// and tags.
    pub fn article(&self, slug: &str, title: &str, day: u32, category: &str, tags: &[&str]) -> ImportOutcome {
        let tags: Vec<String> = tags.iter().map(|t| format!("\"{t}\"")).collect();
        self.import(&format!(
            "+++\ntitle = \"{title}\"\nslug = \"{slug}\"\ndate = 2026-11-{day:02}T10:00:00Z\ncategory = \"{category}\"\ntags = [{}]\n+++\nFirst paragraph of {title}.\n\n## A heading\n\nMore text.\n",
            tags.join(", ")
        ))
    }
}

impl TestApp {
    /// The binary on this app's database, SMTP server and secret.
    pub fn cli_command(&self) -> std::process::Command {
        let mut command = binary();
        command
            .env("MARGINALIA_DATABASE__URL", &self.db_url)
            .env("MARGINALIA_MAIL__SMTP_URL", format!("smtp://127.0.0.1:{}", self.smtp.port))
            .env("MARGINALIA_SECURITY__SECRET_KEY", SECRET)
            .env("MARGINALIA_SERVER__BASE_URL", "http://blog.test");
        if !self.config.media.dir.is_empty() {
            command.env("MARGINALIA_MEDIA__DIR", &self.config.media.dir);
        }
        command
    }

    /// Another instance of the site: `marginalia serve` on this app's database, SMTP server and
    /// secret, with this app's comment settings, on a free port; answering once it returns.
    pub async fn serve_process(&self) -> ServeProcess {
        let port = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let c = &self.config.comments;
        let moderation = serde_json::to_value(c.moderation).unwrap().as_str().unwrap().to_string();
        let mut command = self.cli_command();
        command
            .env("MARGINALIA_SERVER__BIND", format!("127.0.0.1:{port}"))
            .env("MARGINALIA_COMMENTS__MODERATION", moderation)
            .env("MARGINALIA_COMMENTS__MIN_SUBMIT_SECONDS", c.min_submit_seconds.to_string())
            .env("MARGINALIA_COMMENTS__FLOOD_SECONDS", c.flood_seconds.to_string())
            .env("MARGINALIA_COMMENTS__RATE_LIMIT_PER_MINUTE", c.rate_limit_per_minute.to_string())
            .env("MARGINALIA_MAIL__RETRY_BASE_SECONDS", "1")
            .arg("serve")
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::inherit());
        let child = command.spawn().unwrap();
        let process = ServeProcess { child, base_url: format!("http://127.0.0.1:{port}") };
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
        loop {
            if let Ok(r) = self.client.get(format!("{}/healthz", process.base_url)).send().await {
                if r.status() == 200 {
                    return process;
                }
            }
            assert!(std::time::Instant::now() < deadline, "marginalia serve did not start");
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
    }

    /// Runs `marginalia ARGS...` on this app's database and returns what it did.
    pub fn cli(&self, args: &[&str]) -> std::process::Output {
        self.cli_command().args(args).output().unwrap()
    }

    /// Applies a moderation action as the command line does (audit actor `cli`).
    pub fn moderate(&self, id: i32, action: marginalia::services::moderation::Action) {
        let notifier = self.state.notifier.clone();
        let actor = marginalia::services::audit::Actor::cli();
        let id = marginalia::db::ids::CommentId(id);
        self.write(|tx| marginalia::services::moderation::actions::apply(tx, &notifier, &actor, id, action))
            .unwrap();
    }

    /// Waits (up to 10 s) until `condition` holds on the database; panics with `what` if not.
    pub async fn wait_until(&self, what: &str, condition: impl Fn(&mut Conn) -> bool) {
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
        while !self.db(&condition) {
            assert!(std::time::Instant::now() < deadline, "timed out waiting until {what}");
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
    }

    /// Outbox rows in `state`.
    pub fn outbox_count(&self, state: &str) -> i64 {
        use diesel::prelude::*;
        use marginalia::db::schema::outbox;
        self.db(|c| outbox::table.filter(outbox::state.eq(state)).count().get_result(c).unwrap())
    }

    /// Waits until the worker has handled every queued mail (none pending or being sent), so
    /// what the SMTP sink holds is final: a mail is marked sent only once the server took it.
    pub async fn wait_outbox_settled(&self) {
        use diesel::prelude::*;
        use marginalia::db::schema::outbox;
        self.wait_until("the outbox is settled", |c| {
            outbox::table
                .filter(outbox::state.eq_any(["pending", "sending"]))
                .count()
                .get_result::<i64>(c)
                .unwrap()
                == 0
        })
        .await;
    }
}

/// The reply form's token, as a browser loads it from the article at `base_url`.
pub async fn form_token_at(base_url: &str, client: &reqwest::Client, slug: &str) -> String {
    let html = client.get(format!("{base_url}/posts/{slug}")).send().await.unwrap().text().await.unwrap();
    extract_value(&html, "form_token").unwrap_or_else(|| panic!("no form token on /posts/{slug}"))
}

/// Loads the form like a browser from the site at `base_url`, then posts the draft there.
pub async fn submit_at(
    base_url: &str,
    client: &reqwest::Client,
    slug: &str,
    draft: CommentDraft,
) -> reqwest::Response {
    let mut draft = draft;
    if !draft.fields.iter().any(|(k, _)| k == "form_token") {
        let token = form_token_at(base_url, client, slug).await;
        draft = draft.set("form_token", &token);
    }
    client.post(format!("{base_url}/posts/{slug}/comments")).form(&draft.fields).send().await.unwrap()
}

/// A `marginalia serve` process (killed when dropped).
pub struct ServeProcess {
    pub child: std::process::Child,
    pub base_url: String,
}

impl ServeProcess {
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base_url, path)
    }
}

impl Drop for ServeProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A reader filling in the reply form.
#[derive(Debug, Clone)]
pub struct CommentDraft {
    pub fields: Vec<(String, String)>,
}

impl CommentDraft {
    pub fn new(author: &str, email: &str, comment: &str) -> CommentDraft {
        CommentDraft {
            fields: vec![
                ("author".into(), author.into()),
                ("email".into(), email.into()),
                ("url".into(), String::new()),
                ("comment".into(), comment.into()),
                ("comment_parent".into(), "0".into()),
                ("marginalia_hp".into(), String::new()),
            ],
        }
    }

    /// Sets (or adds) a field.
    pub fn set(mut self, name: &str, value: &str) -> CommentDraft {
        self.fields.retain(|(k, _)| k != name);
        self.fields.push((name.into(), value.into()));
        self
    }

    pub fn without(mut self, name: &str) -> CommentDraft {
        self.fields.retain(|(k, _)| k != name);
        self
    }
}

impl TestApp {
    /// The form token in the article page's reply form (as a browser would get it).
    pub async fn form_token(&self, client: &reqwest::Client, slug: &str) -> String {
        form_token_at(&self.base_url, client, slug).await
    }

    /// Loads the form like a browser, then posts the draft with this client.
    pub async fn submit_with(
        &self,
        client: &reqwest::Client,
        slug: &str,
        draft: CommentDraft,
    ) -> reqwest::Response {
        submit_at(&self.base_url, client, slug, draft).await
    }

    pub async fn submit(&self, slug: &str, draft: CommentDraft) -> reqwest::Response {
        self.submit_with(&self.client, slug, draft).await
    }

    /// A client with its own cookie jar: another reader.
    pub fn new_client(&self) -> reqwest::Client {
        reqwest::Client::builder()
            .cookie_store(true)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap()
    }

    /// (status, reason) of a comment, read from the database.
    pub fn comment_status(&self, id: i32) -> (String, String) {
        use diesel::prelude::*;
        use marginalia::db::schema::comments;
        self.db(|c| {
            comments::table
                .find(id)
                .select((comments::status, comments::reason))
                .first::<(String, String)>(c)
                .unwrap()
        })
    }

    /// Test setup only (moderation actions arrive with the admin).
    pub fn set_comment_status(&self, id: i32, status: &str) {
        use diesel::prelude::*;
        use marginalia::db::schema::comments;
        self.db(|c| {
            diesel::update(comments::table.find(id)).set(comments::status.eq(status)).execute(c).unwrap()
        });
    }
}

/// The comment id from a 303's Location (`/posts/slug#comment-12`).
pub fn comment_id(response: &reqwest::Response) -> i32 {
    assert_eq!(response.status(), 303, "expected a redirect");
    let location = response.headers()["location"].to_str().unwrap();
    location.rsplit("#comment-").next().unwrap().parse().unwrap()
}

/// The value="" of the input named `name`.
pub fn extract_value(html: &str, name: &str) -> Option<String> {
    let at = html.find(&format!("name=\"{name}\""))?;
    let rest = &html[at..];
    let value = rest.split("value=\"").nth(1)?.split('"').next()?;
    Some(
        value
            .replace("&amp;", "&")
            .replace("&quot;", "\"")
            .replace("&#x27;", "'")
            .replace("&lt;", "<")
            .replace("&gt;", ">"),
    )
}

impl TestApp {
    /// Stops the server and its jobs and starts a new instance on the same database (and
    /// port-independent: a new port), as an operator's restart would.
    pub async fn restart(&mut self) {
        self.jobs.stop();
        self.server.stop(true).await;
        let state = AppState::build(self.config.clone()).unwrap();
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let server = marginalia::app::run(listener, state.clone()).unwrap();
        self.server = server.handle();
        tokio::spawn(server);
        self.jobs = marginalia::jobs::spawn_all(&state);
        self.state = state;
        self.base_url = format!("http://127.0.0.1:{port}");
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        // Stop the jobs and workers; the temp dir goes after.
        self.jobs.stop();
        drop(self.server.stop(false));
    }
}

/// The seed article's file, as shipped in content/demo.
pub const SEED_FILE: &str =
    concat!(env!("CARGO_MANIFEST_DIR"), "/content/demo/does-smp-hair-treatment-treat-hair-loss.md");

/// The seed article as shipped in content/demo.
pub fn seed_article() -> String {
    std::fs::read_to_string(SEED_FILE).unwrap()
}

/// A SQLite site at `db` holding the seed article, made by the real binary (`post import`).
pub fn seeded_sqlite_file(db: &std::path::Path) {
    let made =
        binary().env("MARGINALIA_DATABASE__URL", db).args(["post", "import", SEED_FILE]).output().unwrap();
    assert!(made.status.success(), "{}", String::from_utf8_lossy(&made.stderr));
}

/// A PNG of `width` x `height` black pixels.
pub fn png(width: u32, height: u32) -> Vec<u8> {
    let mut out = Vec::new();
    image::DynamicImage::new_rgb8(width, height)
        .write_to(&mut std::io::Cursor::new(&mut out), image::ImageFormat::Png)
        .unwrap();
    out
}

/// The text inside `<textarea id="{id}" ...>...</textarea>`, unescaped.
pub fn textarea(html: &str, id: &str) -> Option<String> {
    let at = html.find(&format!("<textarea id=\"{id}\""))?;
    let rest = &html[at..];
    let start = rest.find('>')? + 1;
    let end = rest.find("</textarea>")?;
    Some(
        rest[start..end]
            .replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&quot;", "\"")
            .replace("&#x27;", "'")
            .replace("&amp;", "&"),
    )
}

/// The HTML of the comments section only.
pub fn comments_section(html: &str) -> &str {
    let start = html.find("<section id=\"comments\"").expect("comments section");
    let end = html[start..].find("<div id=\"respond\"").map(|e| start + e).unwrap_or(html.len());
    &html[start..end]
}

/// Admin-side helpers.
impl TestApp {
    /// Creates a user through the same service the CLI uses.
    pub fn user(&self, username: &str, role: marginalia::db::enums::Role, password: &str) {
        let email = format!("{username}@staff.example");
        marginalia::services::accounts::add_user(&self.state.db, username, &email, role, password).unwrap();
    }

    /// Logs `client` in through the real form; returns the login response.
    pub async fn login_with(
        &self,
        client: &reqwest::Client,
        username: &str,
        password: &str,
    ) -> reqwest::Response {
        let page = client.get(self.url("/admin/login")).send().await.unwrap().text().await.unwrap();
        let csrf = extract_value(&page, "csrf_token").unwrap();
        client
            .post(self.url("/admin/login"))
            .form(&[("username", username), ("password", password), ("csrf_token", csrf.as_str())])
            .send()
            .await
            .unwrap()
    }

    /// A new client logged in as a fresh user with `role`.
    pub async fn logged_in(&self, username: &str, role: marginalia::db::enums::Role) -> reqwest::Client {
        self.user(username, role, "long-enough-password");
        let client = self.new_client();
        let response = self.login_with(&client, username, "long-enough-password").await;
        assert_eq!(response.status(), 303, "login as {username}");
        client
    }

    /// The CSRF token on an admin page.
    pub async fn csrf(&self, client: &reqwest::Client) -> String {
        let page = client.get(self.url("/admin")).send().await.unwrap().text().await.unwrap();
        extract_value(&page, "csrf_token").expect("csrf token on /admin")
    }

    /// POSTs an admin form with the session's CSRF token added.
    pub async fn admin_post(
        &self,
        client: &reqwest::Client,
        path: &str,
        form: &[(&str, &str)],
    ) -> reqwest::Response {
        let csrf = self.csrf(client).await;
        let mut fields: Vec<(&str, &str)> = form.to_vec();
        fields.push(("csrf_token", csrf.as_str()));
        client.post(self.url(path)).form(&fields).send().await.unwrap()
    }

    /// Audit rows (action, from, to) for a comment.
    pub fn audit_for(&self, id: i32) -> Vec<(String, Option<String>, Option<String>)> {
        self.db(|c| marginalia::db::audit::for_comment(c, marginalia::db::ids::CommentId(id)))
            .unwrap()
            .into_iter()
            .map(|e| (e.action, e.from_status, e.to_status))
            .collect()
    }
}

/// Another site on 127.0.0.1 (a free port): a few static pages, as a Hugo or Zola site would
/// serve them; any other path is a 404. Speaks just enough HTTP/1.1 for browsers and reqwest.
pub struct StaticSite {
    pub origin: String,
    pages: std::sync::Arc<std::sync::Mutex<Vec<(String, String)>>>,
    csp: std::sync::Arc<std::sync::Mutex<String>>,
}

impl StaticSite {
    /// Every page is sent with this Content-Security-Policy from now on.
    pub fn set_csp(&self, policy: &str) {
        *self.csp.lock().unwrap() = policy.to_string();
    }

    /// Serves `html` at `path` from now on.
    pub fn add(&self, path: &str, html: String) {
        self.pages.lock().unwrap().push((path.to_string(), html));
    }

    pub async fn start() -> StaticSite {
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let origin = format!("http://{}", listener.local_addr().unwrap());
        let pages: std::sync::Arc<std::sync::Mutex<Vec<(String, String)>>> = Default::default();
        let csp: std::sync::Arc<std::sync::Mutex<String>> = Default::default();
        let site = StaticSite { origin, pages: pages.clone(), csp: csp.clone() };
        tokio::spawn(async move {
            loop {
                let Ok((mut stream, _)) = listener.accept().await else { return };
                let pages = pages.clone();
                let csp = csp.lock().unwrap().clone();
                tokio::spawn(async move {
                    let mut buf = vec![0u8; 8192];
                    let mut read = 0;
                    while read < buf.len() {
                        let Ok(n) = stream.read(&mut buf[read..]).await else { return };
                        if n == 0 {
                            return;
                        }
                        read += n;
                        if buf[..read].windows(4).any(|w| w == b"\r\n\r\n") {
                            break;
                        }
                    }
                    let head = String::from_utf8_lossy(&buf[..read]).to_string();
                    let target = head.split_whitespace().nth(1).unwrap_or("/").to_string();
                    let path = target.split(['?', '#']).next().unwrap_or("/").to_string();
                    let found =
                        pages.lock().unwrap().iter().find(|(p, _)| *p == path).map(|(_, h)| h.clone());
                    let (status, body) = match found {
                        Some(html) => ("200 OK", html),
                        None => ("404 Not Found", "<!doctype html><title>Not found</title>".to_string()),
                    };
                    let csp = if csp.is_empty() {
                        String::new()
                    } else {
                        format!("Content-Security-Policy: {csp}\r\n")
                    };
                    let answer = format!(
                        "HTTP/1.1 {status}\r\nContent-Type: text/html; charset=utf-8\r\n{csp}Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
                        body.len()
                    );
                    let _ = stream.write_all(answer.as_bytes()).await;
                    let _ = stream.shutdown().await;
                });
            }
        });
        site
    }
}

/// A static page at `page` embedding the thread of the comment server at `server`.
pub fn embedding_page(server: &str, page: &str, title: &str) -> String {
    let page: String = form_urlencoded::byte_serialize(page.as_bytes()).collect();
    format!(
        "<!doctype html><html><head><meta charset=utf-8><title>{title}</title></head><body>\
         <h1>{title}</h1><p>A post on a static site.</p>\
         <p><span data-marginalia-count>?</span> comments</p>\
         <div id=\"marginalia-thread\"><a href=\"{server}/thread?url={page}\">Comments</a></div>\
         <script src=\"{server}/embed.js\" data-site=\"static\" async></script></body></html>"
    )
}

/// Rows in `table` (a name from this crate's schema, never input).
pub fn count_rows(conn: &mut Conn, table: &str) -> i64 {
    use diesel::prelude::*;
    #[derive(QueryableByName)]
    struct N {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        n: i64,
    }
    diesel::sql_query(format!("SELECT COUNT(*) AS n FROM {table}")).get_result::<N>(conn).unwrap().n
}
