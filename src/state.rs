use std::sync::Arc;
use std::time::Duration;

use diesel::SqliteConnection;
use tera::Tera;

use crate::config::{Config, Secret};
use crate::db::{self, DbPool};
use crate::error::AppError;
use crate::services::mailer::Mailer;
use crate::services::navigation::Navigation;
use crate::services::notify::Notifier;
use crate::services::rate_limit::RateLimiter;
use crate::services::secrets;
use crate::services::signing::Signer;
use crate::services::wordpress::background::ImportJobs;
use crate::templates;

/// Everything a request needs; cheap to clone.
#[derive(Clone)]
pub struct AppState {
    pub config: Arc<Config>,
    pub pool: DbPool,
    pub tera: Arc<Tera>,
    pub secret_key: Secret,
    pub signer: Signer,
    /// Comment submissions per client IP per minute.
    pub comment_limiter: Arc<RateLimiter>,
    /// Encrypts and signs the admin session cookie.
    pub session_key: actix_web::cookie::Key,
    /// Composes mail into the outbox (inside the caller's transaction).
    pub notifier: Notifier,
    /// Wakes the outbox worker when new mail was queued.
    pub mail_wake: Arc<tokio::sync::Notify>,
    pub mailer: Mailer,
    /// Serializes this process's write transactions (see `db::run_write`).
    pub write_lock: Arc<std::sync::Mutex<()>>,
    /// Self-service privacy requests per IP and per address per hour.
    pub privacy_limiter: Arc<RateLimiter>,
    /// Published pages for the site navigation.
    pub navigation: Navigation,
    /// The admin Tools page's background import.
    pub imports: ImportJobs,
}

impl AppState {
    /// Opens the database, applies pending migrations, settles the secret key and parses
    /// every template. Any failure stops start-up.
    pub fn build(config: Config) -> Result<AppState, AppError> {
        let pool = db::build_pool(&config.database.url, config.database.pool_size)?;
        let secret_key = {
            let mut conn = pool.get()?;
            db::migrations::run_pending(&mut conn)?;
            secrets::secret_key(&mut conn, &config)?
        };
        let navigation = Navigation::default();
        navigation.refresh(&mut *pool.get()?)?;
        let tera = Arc::new(templates::build(&navigation)?);
        let config = Arc::new(config);
        let signer = Signer::new(secret_key.clone());
        let notifier = Notifier { tera: tera.clone(), config: config.clone(), signer: signer.clone() };
        let limiter = RateLimiter::new(Duration::from_secs(60));
        let mailer = Mailer::new(&config.mail)?;
        let session_key = crate::routes::admin::session_key(secret_key.expose());
        Ok(AppState {
            config,
            pool,
            tera,
            signer,
            secret_key,
            comment_limiter: Arc::new(limiter),
            session_key,
            notifier,
            mail_wake: Arc::new(tokio::sync::Notify::new()),
            mailer,
            write_lock: Arc::new(std::sync::Mutex::new(())),
            privacy_limiter: Arc::new(RateLimiter::new(Duration::from_secs(3600))),
            navigation,
            imports: ImportJobs::default(),
        })
    }

    /// Runs blocking database work off the async workers.
    pub async fn db<F, T>(&self, f: F) -> Result<T, AppError>
    where
        F: FnOnce(&mut SqliteConnection) -> Result<T, AppError> + Send + 'static,
        T: Send + 'static,
    {
        db::run(&self.pool, f).await
    }

    /// Runs a write transaction off the async workers, one writer of this process at a time.
    pub async fn db_write<F, T>(&self, f: F) -> Result<T, AppError>
    where
        F: FnOnce(&mut SqliteConnection) -> Result<T, AppError> + Send + 'static,
        T: Send + 'static,
    {
        db::run_write(&self.pool, &self.write_lock, f).await
    }
}
