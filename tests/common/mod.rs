//! The one test helper: a real server on 127.0.0.1 (free port) over a temp SQLite file.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use std::net::TcpListener;
use std::path::PathBuf;

use diesel::SqliteConnection;
use marginalia::config::{
    CommentsConfig, Config, DatabaseConfig, MailConfig, ModerationMode, NotifyRole, NotifyTarget, Secret,
    SecurityConfig, ServerConfig, SiteConfig,
};
use marginalia::services::import::{self, ImportOutcome};
use marginalia::state::AppState;
use tempfile::TempDir;

/// Built as a literal, never from the environment.
pub fn test_config(db_path: &str) -> Config {
    Config {
        server: ServerConfig {
            bind: "127.0.0.1:0".parse().unwrap(),
            base_url: "http://blog.test".into(),
            workers: 2,
        },
        site: SiteConfig {
            title: "Test Blog".into(),
            description: "A blog under test.".into(),
            language: "en".into(),
            per_page: 10,
        },
        database: DatabaseConfig {
            url: db_path.into(),
            pool_size: 4,
        },
        mail: MailConfig {
            smtp_url: Secret::new("smtp://127.0.0.1:1"),
            from: "marginalia <blog@blog.test>".into(),
            notify: NotifyTarget::Role(NotifyRole::Moderators),
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
        },
        security: SecurityConfig {
            secret_key: Secret::new("test-secret-key-0123456789abcdef-0123456789"),
        },
    }
}

pub struct TestApp {
    pub base_url: String,
    pub client: reqwest::Client,
    pub state: AppState,
    pub db_path: PathBuf,
    server: actix_web::dev::ServerHandle,
    // Must be the last field: dropped after the server and the pool.
    _dir: TempDir,
}

pub struct TestAppBuilder {
    tweak: Box<dyn FnOnce(&mut Config)>,
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

    pub async fn spawn(self) -> TestApp {
        let dir = tempfile::tempdir().unwrap();
        let db_path = dir.path().join("test.db");
        let mut config = test_config(db_path.to_str().unwrap());
        (self.tweak)(&mut config);
        config.validate().unwrap();
        let state = AppState::build(config).unwrap();
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let server = marginalia::app::run(listener, state.clone()).unwrap();
        let handle = server.handle();
        tokio::spawn(server);
        let client = reqwest::Client::builder()
            .cookie_store(true)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap();
        TestApp {
            base_url: format!("http://127.0.0.1:{port}"),
            client,
            state,
            db_path,
            server: handle,
            _dir: dir,
        }
    }
}

impl TestApp {
    pub fn builder() -> TestAppBuilder {
        TestAppBuilder {
            tweak: Box::new(|_| {}),
        }
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
    pub fn db<T>(&self, f: impl FnOnce(&mut SqliteConnection) -> T) -> T {
        let mut conn = self.state.pool.get().unwrap();
        f(&mut conn)
    }

    /// Imports an article given as front-matter Markdown text.
    pub fn import(&self, text: &str) -> ImportOutcome {
        let article = import::parse_article("test.md", text).unwrap();
        self.db(|c| import::import_article(c, &article)).unwrap()
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

impl Drop for TestApp {
    fn drop(&mut self) {
        // Stop the workers; the temp dir goes after.
        drop(self.server.stop(false));
    }
}

/// The seed article as shipped in content/demo.
pub fn seed_article() -> String {
    std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/content/demo/does-smp-hair-treatment-treat-hair-loss.md"
    ))
    .unwrap()
}
