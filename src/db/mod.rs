//! Diesel on SQLite: the pool, per-connection pragmas, and the one helper that
//! moves blocking database work off the async workers.

pub mod audit;
pub mod comments;

pub mod enums;
pub mod ids;
pub mod import_runs;
pub mod migrations;
pub mod outbox;
pub mod posts;
pub mod privacy;
pub mod queue;
pub mod redirects;
pub mod wordpress;

pub mod schema;
pub mod sessions;
pub mod settings;
pub mod subscriptions;
pub mod taxonomy;
pub mod throttle;
pub mod tokens;
pub mod used_links;
pub mod users;

use std::time::Duration;

use diesel::connection::SimpleConnection;
use diesel::r2d2::{ConnectionManager, CustomizeConnection, Pool, PooledConnection};
use diesel::SqliteConnection;

use crate::error::AppError;

pub type DbPool = Pool<ConnectionManager<SqliteConnection>>;
pub type DbConn = PooledConnection<ConnectionManager<SqliteConnection>>;

/// Pragmas every pooled connection gets. SQLite-only SQL lives here and in migrations.
#[derive(Debug, Clone, Copy)]
struct SqlitePragmas;

impl CustomizeConnection<SqliteConnection, diesel::r2d2::Error> for SqlitePragmas {
    fn on_acquire(&self, conn: &mut SqliteConnection) -> Result<(), diesel::r2d2::Error> {
        // synchronous=FULL: in WAL mode NORMAL can drop the last commits on power loss, and a
        // comment we answered "303, awaiting moderation" must never vanish. FULL costs one fsync
        // per write transaction; reads (the hot path) are unaffected.
        conn.batch_execute(
            // busy_timeout first: the WAL switch itself needs a lock when many connect at once.
            "PRAGMA busy_timeout = 5000;
             PRAGMA journal_mode = WAL;
             PRAGMA synchronous = FULL;
             PRAGMA foreign_keys = ON;",
        )
        .map_err(diesel::r2d2::Error::QueryError)
    }
}

/// Opens (creating if needed) the SQLite file and builds the pool.
pub fn build_pool(database_url: &str, max_size: u32) -> Result<DbPool, AppError> {
    let manager = ConnectionManager::<SqliteConnection>::new(database_url);
    Pool::builder()
        .max_size(max_size)
        .connection_timeout(Duration::from_secs(10))
        .connection_customizer(Box::new(SqlitePragmas))
        .build(manager)
        .map_err(|e| AppError::Internal(format!("cannot open database {database_url}: {e}")))
}

/// Like `run`, for write transactions: writers of this process take turns on `lock` before
/// asking SQLite for its write lock, instead of all retrying in SQLite's busy handler (which
/// sleeps, and gave comment POSTs a p99 of seconds under load). The turn is taken before a
/// pooled connection, so writers waiting their turn hold none and readers never starve.
/// Other instances still coordinate through SQLite's own lock and the busy timeout.
pub async fn run_write<F, T>(
    pool: &DbPool,
    lock: &std::sync::Arc<std::sync::Mutex<()>>,
    f: F,
) -> Result<T, AppError>
where
    F: FnOnce(&mut SqliteConnection) -> Result<T, AppError> + Send + 'static,
    T: Send + 'static,
{
    let (pool, lock) = (pool.clone(), lock.clone());
    blocking(move || {
        with_write_turn(Some(&lock), || {
            let mut conn = pool.get()?;
            f(&mut conn)
        })
    })
    .await
}

/// Runs `f` holding this process's write lock (when there is one: the command line has none).
pub fn with_write_turn<T>(lock: Option<&std::sync::Mutex<()>>, f: impl FnOnce() -> T) -> T {
    let _turn = lock.map(|l| l.lock().unwrap_or_else(|poisoned| poisoned.into_inner()));
    f()
}

/// Runs `f` with a pooled connection on the blocking thread pool.
pub async fn run<F, T>(pool: &DbPool, f: F) -> Result<T, AppError>
where
    F: FnOnce(&mut SqliteConnection) -> Result<T, AppError> + Send + 'static,
    T: Send + 'static,
{
    let pool = pool.clone();
    blocking(move || {
        let mut conn = pool.get()?;
        f(&mut conn)
    })
    .await
}

/// Blocking or CPU-heavy work (Diesel, rendering, argon2) on the blocking thread pool: the
/// only place that calls `web::block`.
pub async fn blocking<F, T>(f: F) -> Result<T, AppError>
where
    F: FnOnce() -> Result<T, AppError> + Send + 'static,
    T: Send + 'static,
{
    actix_web::web::block(f).await.map_err(|e| AppError::Internal(format!("blocking task failed: {e}")))?
}
