use std::sync::Arc;
use std::time::Duration;

use tera::Tera;

use crate::config::{Config, Secret};
use crate::db::Db;
use crate::error::AppError;
use crate::routes::page_cache::PageCache;
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
    pub db: Db,
    pub tera: Arc<Tera>,
    pub secret_key: Secret,
    pub signer: Signer,
    /// Comment submissions per client IP per minute.
    pub comment_limiter: Arc<RateLimiter>,
    /// Encrypts and signs the admin session cookie.
    pub session_key: actix_web::cookie::Key,
    /// Composes mail into the outbox (inside the caller's transaction).
    pub notifier: Notifier,
    pub mailer: Mailer,
    /// Self-service privacy requests per IP and per address per hour.
    pub privacy_limiter: Arc<RateLimiter>,
    /// Public searches per IP per minute (each one reads the index; results are not cached).
    pub search_limiter: Arc<RateLimiter>,
    /// New embedded threads per IP per hour (`embed.threads_per_hour`).
    pub thread_limiter: Arc<RateLimiter>,
    /// Published pages for the site navigation.
    pub navigation: Navigation,
    /// The admin Tools page's background import.
    pub imports: ImportJobs,
    /// Rendered pages for anonymous readers; told of every commit by `db`.
    pub page_cache: Arc<PageCache>,
    pub metrics: Arc<crate::services::metrics::Metrics>,
}

impl AppState {
    /// The catalogue of the site's language (`site.language`, as the admin set it).
    pub fn locale(&self) -> &'static crate::i18n::Locale {
        crate::i18n::Locale::get(&self.navigation.site().language)
    }

    /// Opens the database, applies pending migrations, settles the secret key and parses
    /// every template. Any failure stops start-up.
    pub fn build(config: Config) -> Result<AppState, AppError> {
        let db = Db::open(&config.database.url, config.database.pool_size)?;
        let secret_key = db.write_private_now(|tx| secrets::secret_key(tx, &config))?;
        let navigation = Navigation::new(
            crate::services::settings::SiteSettings::from_config(&config.site),
            &config.embed.sites,
        );
        db.read_now(|c| navigation.refresh(c))?;
        let tera = Arc::new(templates::build(&navigation)?);
        let config = Arc::new(config);
        let signer = Signer::new(secret_key.clone());
        let notifier = Notifier { tera: tera.clone(), config: config.clone(), signer: signer.clone() };
        let limiter = RateLimiter::new(Duration::from_secs(60));
        let mailer = Mailer::new(&config.mail)?;
        let session_key = crate::services::auth::session_key(secret_key.expose());
        let page_cache = Arc::new(PageCache::new(&config.cache));
        let (cache, nav) = (page_cache.clone(), navigation.clone());
        db.on_change(move |db, changes| {
            if changes.contains(&crate::db::Change::Everything) {
                // Pages may have changed: the navigation on every page is read again now.
                if let Err(e) = db.read_now(|c| nav.refresh(c)) {
                    tracing::warn!(error = %e, "navigation refresh after a write failed");
                }
            }
            cache.changed(changes);
        });
        Ok(AppState {
            config,
            db,
            tera,
            signer,
            secret_key,
            comment_limiter: Arc::new(limiter),
            session_key,
            notifier,
            mailer,
            privacy_limiter: Arc::new(RateLimiter::new(Duration::from_secs(3600))),
            search_limiter: Arc::new(RateLimiter::new(Duration::from_secs(60))),
            thread_limiter: Arc::new(RateLimiter::new(Duration::from_secs(3600))),
            navigation,
            imports: ImportJobs::default(),
            page_cache,
            metrics: Arc::new(crate::services::metrics::Metrics::new()),
        })
    }
}
