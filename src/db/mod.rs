//! Diesel on SQLite: the pool, per-connection pragmas, and `Db`, the one way to use them.

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

use std::sync::{Arc, Mutex};
use std::time::Duration;

use diesel::connection::SimpleConnection;
use diesel::r2d2::{ConnectionManager, CustomizeConnection, Pool};
use diesel::{Connection, SqliteConnection};
use tokio::sync::Notify;

use crate::error::AppError;

pub type DbPool = Pool<ConnectionManager<SqliteConnection>>;

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

/// `text` for a LIKE pattern, its `%`, `_` and `\` matched as themselves (use the pattern
/// with `.escape('\\')`).
pub(crate) fn like_escape(text: &str) -> String {
    text.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_")
}

/// A LIKE pattern for "starts with `prefix`" (see `like_escape`).
pub(crate) fn like_prefix(prefix: &str) -> String {
    format!("{}%", like_escape(prefix))
}

/// Opens (creating if needed) the SQLite file and builds the pool.
fn build_pool(database_url: &str, max_size: u32) -> Result<DbPool, AppError> {
    let manager = ConnectionManager::<SqliteConnection>::new(database_url);
    Pool::builder()
        .max_size(max_size)
        .connection_timeout(Duration::from_secs(10))
        .connection_customizer(Box::new(SqlitePragmas))
        .build(manager)
        .map_err(|e| AppError::Internal(format!("cannot open database {database_url}: {e}")))
}

/// The one way to the database: reads, and write transactions that take this process's
/// write turn before a pooled connection, run inside `BEGIN IMMEDIATE`, and after a commit do
/// what must follow it (wake the mail worker when mail was queued). Cheap to clone.
#[derive(Clone)]
pub struct Db {
    inner: Arc<DbInner>,
}

struct DbInner {
    pool: DbPool,
    /// Writers of this process take turns here instead of all retrying in SQLite's busy
    /// handler (which sleeps, and gave comment POSTs a p99 of seconds under load). Other
    /// instances still coordinate through SQLite's own lock and the busy timeout.
    write_turn: Mutex<()>,
    mail_wake: Arc<Notify>,
}

/// A write transaction in progress. Derefs to the connection, so every `db::` query runs on
/// it; what the transaction did that matters after commit is noted on it.
pub struct Tx<'c> {
    conn: &'c mut SqliteConnection,
    effects: Effects,
}

/// What a committed write must be followed by.
#[derive(Debug, Default, Clone, Copy)]
struct Effects {
    mail_queued: bool,
}

impl Tx<'_> {
    /// Mail was added to the outbox: the worker is woken once this commits.
    pub fn mail_queued(&mut self) {
        self.effects.mail_queued = true;
    }
}

impl std::ops::Deref for Tx<'_> {
    type Target = SqliteConnection;
    fn deref(&self) -> &SqliteConnection {
        self.conn
    }
}

impl std::ops::DerefMut for Tx<'_> {
    fn deref_mut(&mut self) -> &mut SqliteConnection {
        self.conn
    }
}

impl Db {
    /// Opens (creating if needed) the SQLite file, builds the pool and applies pending
    /// migrations.
    pub fn open(database_url: &str, pool_size: u32) -> Result<Db, AppError> {
        let db = Db::connect(database_url, pool_size)?;
        db.migrate()?;
        Ok(db)
    }

    /// Opens without touching the schema (`migrate` reports what it applies).
    pub fn connect(database_url: &str, pool_size: u32) -> Result<Db, AppError> {
        let pool = build_pool(database_url, pool_size)?;
        Ok(Db {
            inner: Arc::new(DbInner { pool, write_turn: Mutex::new(()), mail_wake: Arc::new(Notify::new()) }),
        })
    }

    /// Applies pending migrations; returns how many.
    pub fn migrate(&self) -> Result<usize, AppError> {
        let _turn = self.inner.write_turn.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        migrations::run_pending(&mut *self.inner.pool.get()?)
    }

    /// Woken after every commit that queued mail.
    pub fn mail_wake(&self) -> Arc<Notify> {
        self.inner.mail_wake.clone()
    }

    /// Reads, off the async workers.
    pub async fn read<F, T>(&self, f: F) -> Result<T, AppError>
    where
        F: FnOnce(&mut SqliteConnection) -> Result<T, AppError> + Send + 'static,
        T: Send + 'static,
    {
        let db = self.clone();
        blocking(move || db.read_now(f)).await
    }

    /// A write transaction, off the async workers.
    pub async fn write<F, T>(&self, f: F) -> Result<T, AppError>
    where
        F: FnOnce(&mut Tx<'_>) -> Result<T, AppError> + Send + 'static,
        T: Send + 'static,
    {
        let db = self.clone();
        blocking(move || db.write_now(f)).await
    }

    /// Reads on this thread (the command line, the import's own thread).
    pub fn read_now<T>(
        &self,
        f: impl FnOnce(&mut SqliteConnection) -> Result<T, AppError>,
    ) -> Result<T, AppError> {
        let mut conn = self.inner.pool.get()?;
        f(&mut conn)
    }

    /// Reads that must all see one snapshot (an export), on this thread.
    pub fn snapshot_now<T>(
        &self,
        f: impl FnOnce(&mut SqliteConnection) -> Result<T, AppError>,
    ) -> Result<T, AppError> {
        let mut conn = self.inner.pool.get()?;
        conn.transaction(|c| f(c))
    }

    /// A write transaction on this thread.
    pub fn write_now<T>(&self, f: impl FnOnce(&mut Tx<'_>) -> Result<T, AppError>) -> Result<T, AppError> {
        let (value, effects) = {
            let _turn = self.inner.write_turn.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
            let mut conn = self.inner.pool.get()?;
            conn.immediate_transaction(|conn| {
                let mut tx = Tx { conn, effects: Effects::default() };
                let value = f(&mut tx)?;
                Ok::<_, AppError>((value, tx.effects))
            })?
        };
        if effects.mail_queued {
            self.inner.mail_wake.notify_one();
        }
        Ok(value)
    }
}

/// Blocking or CPU-heavy work (rendering, argon2) on the blocking thread pool: with `Db`,
/// the only place that calls `web::block`.
pub async fn blocking<F, T>(f: F) -> Result<T, AppError>
where
    F: FnOnce() -> Result<T, AppError> + Send + 'static,
    T: Send + 'static,
{
    actix_web::web::block(f).await.map_err(|e| AppError::Internal(format!("blocking task failed: {e}")))?
}
