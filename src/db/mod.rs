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

pub mod media;
pub mod schema;
pub mod search;
pub mod sessions;
pub mod settings;
pub mod spam_filter;
pub mod subscriptions;
pub mod taxonomy;
pub mod throttle;
pub mod tokens;
pub mod used_links;
pub mod users;

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

use diesel::connection::SimpleConnection;
use diesel::r2d2::{ConnectionManager, CustomizeConnection, Pool};
use diesel::{Connection, SqliteConnection};
use tokio::sync::Notify;

use crate::error::AppError;
use ids::PostId;

pub type DbPool = Pool<ConnectionManager<SqliteConnection>>;

/// Pragmas every pooled connection gets. SQLite-only SQL lives here and in migrations.
#[derive(Debug, Clone, Copy)]
struct SqlitePragmas;

impl CustomizeConnection<SqliteConnection, diesel::r2d2::Error> for SqlitePragmas {
    fn on_acquire(&self, conn: &mut SqliteConnection) -> Result<(), diesel::r2d2::Error> {
        // synchronous=FULL: in WAL mode NORMAL can drop the last commits on power loss, and a
        // comment we answered "303, awaiting moderation" must never vanish. FULL costs one fsync
        // per write transaction (comment POSTs share one per group commit).
        // No mmap: it made reads after other connections' commits cheaper (SQLite drops a
        // connection's page cache then), but every mapped page start-up touched on an imported
        // site counted in the RSS (~200 MB on the bench's big site).
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

/// One connection outside the pool, with the pool's pragmas (migrations run on these).
fn single_connection(database_url: &str) -> Result<SqliteConnection, AppError> {
    let mut conn = SqliteConnection::establish(database_url)
        .map_err(|e| AppError::Internal(format!("cannot open database {database_url}: {e}")))?;
    SqlitePragmas.on_acquire(&mut conn).map_err(|e| AppError::Internal(format!("database setup: {e}")))?;
    Ok(conn)
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
    url: String,
    pool: DbPool,
    /// Writers of this process take turns here instead of all retrying in SQLite's busy
    /// handler (which sleeps, and gave comment POSTs a p99 of seconds under load). Other
    /// instances still coordinate through SQLite's own lock and the busy timeout.
    write_turn: Mutex<()>,
    /// Grouped writes waiting for the next group commit, and whether a task is committing them.
    grouped: Mutex<Vec<GroupedJob>>,
    draining: AtomicBool,
    mail_wake: Arc<Notify>,
    /// Told what every commit changed that readers can see (the page cache).
    on_change: OnceLock<ChangeListener>,
}

/// What a committed write changed that readers can see: the page cache drops exactly the
/// pages that show it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Change {
    /// A post as shown anywhere (title, excerpt, body, slug, category, tags, dates).
    Post(PostId),
    /// The approved comments of a post (count included).
    Comments(PostId),
    /// The "Related Articles" of a post.
    Related(PostId),
    /// Which posts are published and in what order (listings, feeds, sitemap).
    PostList,
    /// The newest approved comments anywhere (the comments feed).
    CommentFeed,
    /// Anything else (settings, navigation, categories, users, an import): every page.
    Everything,
}

/// What a write declared it changed; undeclared means everything, so a forgotten
/// declaration costs a cache refill, never a stale page.
#[derive(Debug, Default)]
enum Public {
    #[default]
    Undeclared,
    Declared(Vec<Change>),
}

/// A write transaction in progress. Derefs to the connection, so every `db::` query runs on
/// it; what the transaction did that matters after commit is noted on it.
pub struct Tx<'c> {
    conn: &'c mut SqliteConnection,
    effects: Effects,
}

/// What a committed write must be followed by.
#[derive(Debug, Default)]
struct Effects {
    mail_queued: bool,
    public: Public,
}

impl Effects {
    fn merge(&mut self, other: Effects) {
        self.mail_queued |= other.mail_queued;
        self.public = match (std::mem::take(&mut self.public), other.public) {
            (Public::Declared(mut a), Public::Declared(b)) => {
                a.extend(b);
                Public::Declared(a)
            }
            _ => Public::Undeclared,
        };
    }

    fn changes(&self) -> &[Change] {
        match &self.public {
            Public::Undeclared => &[Change::Everything],
            Public::Declared(changes) => changes,
        }
    }
}

impl Tx<'_> {
    /// Mail was added to the outbox: the worker is woken once this commits.
    pub fn mail_queued(&mut self) {
        self.effects.mail_queued = true;
    }

    /// This transaction changed `change` (and, with other calls, nothing else readers see).
    pub fn changed(&mut self, change: Change) {
        match &mut self.effects.public {
            Public::Declared(changes) => changes.push(change),
            undeclared => *undeclared = Public::Declared(vec![change]),
        }
    }

    /// This transaction changes nothing a reader sees (sessions, mail, throttles).
    pub fn private_only(&mut self) {
        if let Public::Undeclared = self.effects.public {
            self.effects.public = Public::Declared(Vec::new());
        }
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
        // On one connection before the pool opens: pooled connections switching to WAL while
        // the migration holds the lock logged "database is locked".
        migrations::run_pending(|| single_connection(database_url))?;
        search::ensure_index(&mut single_connection(database_url)?)?;
        Db::connect(database_url, pool_size)
    }

    /// Opens without touching the schema (`migrate` reports what it applies).
    pub fn connect(database_url: &str, pool_size: u32) -> Result<Db, AppError> {
        let pool = build_pool(database_url, pool_size)?;
        Ok(Db {
            inner: Arc::new(DbInner {
                url: database_url.to_string(),
                pool,
                write_turn: Mutex::new(()),
                grouped: Mutex::new(Vec::new()),
                draining: AtomicBool::new(false),
                mail_wake: Arc::new(Notify::new()),
                on_change: OnceLock::new(),
            }),
        })
    }

    /// Applies pending migrations; returns how many.
    pub fn migrate(&self) -> Result<usize, AppError> {
        let _turn = lock(&self.inner.write_turn);
        let applied = migrations::run_pending(|| single_connection(&self.inner.url))?;
        search::ensure_index(&mut single_connection(&self.inner.url)?)?;
        Ok(applied)
    }

    /// Calls `listener` after every commit with what it changed (set once, at start-up).
    pub fn on_change(&self, listener: impl Fn(&Db, &[Change]) + Send + Sync + 'static) {
        if self.inner.on_change.set(Box::new(listener)).is_err() {
            tracing::warn!("a second change listener was ignored");
        }
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

    /// A write transaction that changes nothing a reader sees (sessions, mail, throttles,
    /// tokens): the page cache keeps every page.
    pub async fn write_private<F, T>(&self, f: F) -> Result<T, AppError>
    where
        F: FnOnce(&mut Tx<'_>) -> Result<T, AppError> + Send + 'static,
        T: Send + 'static,
    {
        let db = self.clone();
        blocking(move || db.write_private_now(f)).await
    }

    /// `write_private` on this thread.
    pub fn write_private_now<T>(
        &self,
        f: impl FnOnce(&mut Tx<'_>) -> Result<T, AppError>,
    ) -> Result<T, AppError> {
        self.write_now(|tx| {
            tx.private_only();
            f(tx)
        })
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
            let _turn = lock(&self.inner.write_turn);
            let mut conn = self.inner.pool.get()?;
            conn.immediate_transaction(|conn| {
                let mut tx = Tx { conn, effects: Effects::default() };
                let value = f(&mut tx)?;
                Ok::<_, AppError>((value, tx.effects))
            })?
        };
        self.after_commit(&effects);
        Ok(value)
    }

    /// A write that may share one transaction (and one fsync) with others waiting at the
    /// same moment: group commit for comment POSTs. Each runs in its own savepoint, so a
    /// failing one is rolled back alone; every caller is answered after the commit. Callers
    /// wait without holding a thread: one blocking task drains the queue while it is not empty.
    pub async fn write_grouped<F, T>(&self, f: F) -> Result<T, AppError>
    where
        F: FnOnce(&mut Tx<'_>) -> Result<T, AppError> + Send + 'static,
        T: Send + 'static,
    {
        let (answer, result) = tokio::sync::oneshot::channel::<Result<T, AppError>>();
        let job: GroupedJob = Box::new(move |tx: &mut Tx<'_>| {
            let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                tx.conn.transaction(|conn| {
                    let mut inner = Tx { conn, effects: Effects::default() };
                    let value = f(&mut inner)?;
                    Ok::<_, AppError>((value, inner.effects))
                })
            }))
            .unwrap_or_else(|_| Err(AppError::Internal("a grouped write panicked".into())));
            let outcome = match outcome {
                Ok((value, effects)) => {
                    tx.effects.merge(effects);
                    Ok(value)
                }
                Err(e) => Err(e),
            };
            Box::new(move |committed: Result<(), String>| {
                let _ = answer.send(committed.map_err(AppError::Internal).and(outcome));
            })
        });
        lock(&self.inner.grouped).push(job);
        if !self.inner.draining.swap(true, Ordering::AcqRel) {
            let db = self.clone();
            drop(actix_web::rt::task::spawn_blocking(move || db.drain_grouped()));
        }
        result.await.unwrap_or_else(|_| Err(AppError::Internal("a grouped write was dropped".into())))
    }

    /// Commits batches until the queue is empty (the only drainer while `draining` is set).
    fn drain_grouped(&self) {
        loop {
            {
                // Cleared however this ends (a panic included), so the next POST starts a drainer.
                let _draining = ClearOnDrop(&self.inner.draining);
                let _turn = lock(&self.inner.write_turn);
                loop {
                    let batch: Vec<GroupedJob> = {
                        let mut waiting = lock(&self.inner.grouped);
                        let n = waiting.len().min(GROUP_MAX);
                        waiting.drain(..n).collect()
                    };
                    if batch.is_empty() {
                        break;
                    }
                    self.commit_group(batch);
                }
            }
            // A job queued between the last batch and the flag's clearing has no drainer yet.
            if lock(&self.inner.grouped).is_empty() || self.inner.draining.swap(true, Ordering::AcqRel) {
                return;
            }
        }
    }

    /// One immediate transaction for `batch`, then each job's answer.
    fn commit_group(&self, batch: Vec<GroupedJob>) {
        let mut answers = Vec::with_capacity(batch.len());
        let mut effects = Effects { public: Public::Declared(Vec::new()), ..Effects::default() };
        let committed = self.inner.pool.get().map_err(AppError::from).and_then(|mut conn| {
            conn.immediate_transaction(|conn| {
                let mut tx = Tx {
                    conn,
                    effects: Effects { public: Public::Declared(Vec::new()), ..Effects::default() },
                };
                for job in batch {
                    answers.push(job(&mut tx));
                }
                effects = tx.effects;
                Ok::<_, AppError>(())
            })
        });
        let committed = committed.map_err(|e| {
            tracing::error!(error = %e, "a group commit failed");
            e.to_string()
        });
        if committed.is_ok() {
            self.after_commit(&effects);
        }
        for answer in answers {
            answer(committed.clone());
        }
    }

    fn after_commit(&self, effects: &Effects) {
        if effects.mail_queued {
            self.inner.mail_wake.notify_one();
        }
        let changes = effects.changes();
        if let (Some(listener), false) = (self.inner.on_change.get(), changes.is_empty()) {
            listener(self, changes);
        }
    }
}

/// Called after a commit with what it changed.
type ChangeListener = Box<dyn Fn(&Db, &[Change]) + Send + Sync>;

/// Most writes one group commit takes (the rest wait for the next).
const GROUP_MAX: usize = 256;

/// A grouped write: runs inside the shared transaction and returns what answers its caller
/// once the commit's outcome is known.
type GroupedJob = Box<dyn FnOnce(&mut Tx<'_>) -> Box<dyn FnOnce(Result<(), String>) + Send> + Send>;

/// Clears its flag when dropped.
struct ClearOnDrop<'a>(&'a AtomicBool);

impl Drop for ClearOnDrop<'_> {
    fn drop(&mut self) {
        self.0.store(false, Ordering::Release);
    }
}

/// A poisoned lock only means a panic elsewhere; the data (`()` or a queue) is still fine.
fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
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
