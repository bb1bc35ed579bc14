use std::sync::Arc;
use std::time::Duration;

use diesel::SqliteConnection;
use tera::Tera;

use crate::config::{Config, Secret};
use crate::db::{self, DbPool};
use crate::error::AppError;
use crate::services::rate_limit::RateLimiter;
use crate::services::secrets;
use crate::services::signing::Signer;
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
        let tera = templates::build()?;
        let limiter = RateLimiter::new(Duration::from_secs(60));
        let session_key = crate::routes::admin::session_key(secret_key.expose());
        Ok(AppState {
            config: Arc::new(config),
            pool,
            tera: Arc::new(tera),
            signer: Signer::new(secret_key.clone()),
            secret_key,
            comment_limiter: Arc::new(limiter),
            session_key,
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
}
