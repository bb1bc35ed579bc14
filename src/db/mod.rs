//! Diesel on SQLite: the pool, per-connection pragmas, and `Db`, the one way to use them.

pub mod audit;
pub mod backup;
pub mod comments;
pub mod copy;

pub mod enums;
pub mod ids;
pub mod import_runs;
pub mod instances;
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
pub mod threads;
pub mod throttle;
pub mod tokens;
pub mod used_links;
pub mod users;

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

use diesel::connection::{AnsiTransactionManager, SimpleConnection, TransactionManager};
use diesel::r2d2::Pool;
use diesel::{Connection, PgConnection, SqliteConnection};
use tokio::sync::Notify;

use crate::error::AppError;
use ids::PostId;

/// A connection to either backend: queries written in Diesel's DSL run on both; the few
/// that need one backend's SQL (full-text search, upserts) match on the variant.
#[derive(diesel::MultiConnection)]
pub enum Conn {
    Sqlite(SqliteConnection),
    Pg(PgConnection),
}

type DbPool = Pool<ConnManager>;

impl Conn {
    pub fn kind(&self) -> BackendKind {
        match self {
            Conn::Sqlite(_) => BackendKind::Sqlite,
            Conn::Pg(_) => BackendKind::Postgres,
        }
    }
}

/// `$body` on the backend's own connection, for statements the two-backend connection cannot
/// build (upserts, `ON CONFLICT DO NOTHING`): `$c` is a `SqliteConnection` in one expansion
/// and a `PgConnection` in the other.
macro_rules! per_backend {
    ($conn:expr, |$c:ident| $body:expr) => {
        match $conn {
            $crate::db::Conn::Sqlite($c) => $body,
            $crate::db::Conn::Pg($c) => $body,
        }
    };
}
pub(crate) use per_backend;

/// The columns of `T` for a RETURNING clause (`as_returning()` builds a fragment of the
/// two-backend query builder, which the RETURNING of each backend cannot take).
pub(crate) fn returning<T: diesel::Selectable<MultiBackend>>() -> T::SelectExpression {
    T::construct_selection()
}

/// Which database a `database.url` names: `postgres://` or `postgresql://` is PostgreSQL,
/// anything else a SQLite file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BackendKind {
    Sqlite,
    Postgres,
}

impl BackendKind {
    pub fn of(database_url: &str) -> BackendKind {
        if crate::config::is_postgres_url(database_url) {
            BackendKind::Postgres
        } else {
            BackendKind::Sqlite
        }
    }
}

/// `database_url` fit for a log line or an error: a PostgreSQL password is masked.
pub fn display_url(database_url: &str) -> String {
    match (BackendKind::of(database_url), database_url.split_once("://")) {
        (BackendKind::Postgres, Some((scheme, rest))) => match rest.rsplit_once('@') {
            Some((user_info, host)) => {
                let user = user_info.split(':').next().unwrap_or("");
                format!("{scheme}://{user}@{host}")
            }
            None => database_url.to_string(),
        },
        _ => database_url.to_string(),
    }
}

/// Settings every SQLite connection gets.
// synchronous=FULL: in WAL mode NORMAL can drop the last commits on power loss, and a comment
// we answered "303, awaiting moderation" must never vanish. FULL costs one fsync per write
// transaction (comment POSTs share one per group commit).
// No mmap: it made reads after other connections' commits cheaper (SQLite drops a
// connection's page cache then), but every mapped page start-up touched on an imported site
// counted in the RSS (~200 MB on the bench's big site).
// busy_timeout first: the WAL switch itself needs a lock when many connect at once.
const SQLITE_SETUP: &str = "PRAGMA busy_timeout = 5000;
     PRAGMA journal_mode = WAL;
     PRAGMA synchronous = FULL;
     PRAGMA foreign_keys = ON;";

/// Settings every PostgreSQL connection gets: timestamps are stored as `timestamptz` and read
/// and written as UTC; a writer waits at most 15 s for the write lock (as SQLite's busy
/// timeout bounds the wait there), and a transaction left idle by a stalled instance is ended
/// after 5 minutes so it cannot hold the lock for ever.
const POSTGRES_SETUP: &str = "SET TIME ZONE 'UTC'; SET lock_timeout = '15s'; \
     SET idle_in_transaction_session_timeout = '5min'";

/// Taken by every PostgreSQL write transaction, on every instance: writes keep SQLite's
/// one-at-a-time rules (flood checks, counters and claims stay exact across instances).
const POSTGRES_WRITE_LOCK: &str = "SELECT pg_advisory_xact_lock(7236111)";

/// One new connection with its backend's settings.
fn open_connection(database_url: &str) -> Result<Conn, diesel::r2d2::Error> {
    use diesel::r2d2::Error;
    match BackendKind::of(database_url) {
        BackendKind::Sqlite => {
            let mut conn = SqliteConnection::establish(database_url).map_err(Error::ConnectionError)?;
            conn.batch_execute(SQLITE_SETUP).map_err(Error::QueryError)?;
            Ok(Conn::Sqlite(conn))
        }
        BackendKind::Postgres => {
            let mut conn = PgConnection::establish(database_url).map_err(Error::ConnectionError)?;
            conn.batch_execute(POSTGRES_SETUP).map_err(Error::QueryError)?;
            Ok(Conn::Pg(conn))
        }
    }
}

/// Builds pooled connections of the backend `database.url` names.
#[derive(Debug)]
struct ConnManager {
    url: String,
}

impl diesel::r2d2::ManageConnection for ConnManager {
    type Connection = Conn;
    type Error = diesel::r2d2::Error;

    fn connect(&self) -> Result<Conn, Self::Error> {
        open_connection(&self.url)
    }

    fn is_valid(&self, conn: &mut Conn) -> Result<(), Self::Error> {
        diesel::r2d2::R2D2Connection::ping(conn).map_err(diesel::r2d2::Error::QueryError)
    }

    fn has_broken(&self, conn: &mut Conn) -> bool {
        diesel::r2d2::R2D2Connection::is_broken(conn)
    }
}

/// Begins a write transaction: `BEGIN IMMEDIATE` on SQLite (the write lock up front, so a
/// transaction that read first never meets SQLITE_BUSY when it writes); on PostgreSQL a
/// transaction holding `POSTGRES_WRITE_LOCK`.
fn begin_write(conn: &mut Conn) -> diesel::QueryResult<()> {
    match conn {
        Conn::Sqlite(c) => AnsiTransactionManager::begin_transaction_sql(c, "BEGIN IMMEDIATE"),
        Conn::Pg(c) => {
            AnsiTransactionManager::begin_transaction(c)?;
            c.batch_execute(POSTGRES_WRITE_LOCK).inspect_err(|_| {
                let _ = AnsiTransactionManager::rollback_transaction(c);
            })
        }
    }
}

/// How many transactions and savepoints are open on `conn`.
fn transaction_depth(conn: &mut Conn) -> u32 {
    type Manager = <Conn as Connection>::TransactionManager;
    Manager::transaction_manager_status_mut(conn)
        .transaction_depth()
        .ok()
        .flatten()
        .map_or(0, std::num::NonZeroU32::get)
}

/// Rolls back savepoints until `depth` remain open.
fn roll_back_to(conn: &mut Conn, depth: u32) {
    type Manager = <Conn as Connection>::TransactionManager;
    while transaction_depth(conn) > depth {
        if let Err(e) = Manager::rollback_transaction(conn) {
            tracing::error!(error = %e, "rolling back a panicked write failed");
            break;
        }
    }
}

/// `f` in a write transaction (see `begin_write`), committed when it returns `Ok`.
fn write_transaction<T>(
    conn: &mut Conn,
    f: impl FnOnce(&mut Conn) -> Result<T, AppError>,
) -> Result<T, AppError> {
    type Manager = <Conn as Connection>::TransactionManager;
    begin_write(conn)?;
    match f(conn) {
        // Anything left open inside (a savepoint a panic skipped) would make the commit
        // below only a release: commit the transaction, not a part of it.
        Ok(value) if transaction_depth(conn) == 1 => {
            Manager::commit_transaction(conn)?;
            Ok(value)
        }
        Ok(_) => {
            roll_back_to(conn, 0);
            Err(AppError::Internal("a write left a savepoint open; rolled back".into()))
        }
        Err(e) => {
            if let Err(rollback) = Manager::rollback_transaction(conn) {
                tracing::error!(error = %rollback, "a rollback failed");
            }
            Err(e)
        }
    }
}

/// `text` for a LIKE pattern, its `%`, `_` and `\` matched as themselves (use the pattern
/// with `.escape('\\')`).
pub(crate) fn like_escape(text: &str) -> String {
    text.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_")
}

/// One number read by hand-written SQL (`SELECT COUNT(*) AS n ...`).
#[derive(diesel::QueryableByName)]
pub(crate) struct Count {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    pub n: i64,
}

/// A LIKE pattern for `lower(column)` containing `text`: lowered the way the backend's own
/// lower() lowers (SQLite: ASCII letters only; PostgreSQL: every letter), `%`, `_` and `\`
/// escaped (use with `.escape('\\')`).
pub(crate) fn lower_contains(kind: BackendKind, text: &str) -> String {
    let lowered = match kind {
        BackendKind::Sqlite => text.to_ascii_lowercase(),
        BackendKind::Postgres => text.to_lowercase(),
    };
    format!("%{}%", like_escape(&lowered))
}

/// `sql` written with `?` placeholders, numbered (`$1`, `$2`...) for PostgreSQL. Only for our
/// own SQL text, which has no `?` inside a string literal.
pub fn numbered(kind: BackendKind, sql: &str) -> std::borrow::Cow<'_, str> {
    match kind {
        BackendKind::Sqlite => sql.into(),
        BackendKind::Postgres => {
            let mut out = String::with_capacity(sql.len() + 8);
            let mut n = 0;
            for c in sql.chars() {
                if c == '?' {
                    n += 1;
                    out.push('$');
                    out.push_str(&n.to_string());
                } else {
                    out.push(c);
                }
            }
            out.into()
        }
    }
}

diesel::define_sql_function! {
    /// SQL `lower()`: `lower(col).like(lower_case_pattern)` matches ignoring case on both
    /// backends (SQLite's LIKE ignores ASCII case, PostgreSQL's none).
    fn lower(text: diesel::sql_types::Text) -> diesel::sql_types::Text;
}

/// A LIKE pattern for "starts with `prefix`" (see `like_escape`).
pub(crate) fn like_prefix(prefix: &str) -> String {
    format!("{}%", like_escape(prefix))
}

/// Fills a SQLite database's search index when it is empty (a database from before the
/// index). PostgreSQL databases have had theirs from the first migration.
fn fill_search_index(database_url: &str) -> Result<(), AppError> {
    if BackendKind::of(database_url) == BackendKind::Sqlite {
        search::ensure_index(&mut single_connection(database_url)?)?;
    }
    Ok(())
}

/// Whether the SQLite file at `database_url` holds a migrated database with migrations of this
/// binary still to apply (a new file, or one already up to date: false).
pub fn has_data_to_migrate(database_url: &str) -> Result<bool, AppError> {
    if BackendKind::of(database_url) != BackendKind::Sqlite
        || std::fs::metadata(database_url).map_or(true, |m| m.len() == 0)
    {
        return Ok(false);
    }
    let mut conn = single_connection(database_url)?;
    Ok(migrations::applied_any(&mut conn)? && migrations::pending(&mut conn)?)
}

/// One connection outside the pool, with the pool's settings (migrations run on these).
fn single_connection(database_url: &str) -> Result<Conn, AppError> {
    open_connection(database_url).map_err(|e| cannot_open(database_url, &e))
}

/// "cannot open database URL: why", on one line (libpq's messages span several), without the
/// password.
fn cannot_open(database_url: &str, error: &dyn std::fmt::Display) -> AppError {
    let why = error.to_string().split_whitespace().collect::<Vec<_>>().join(" ");
    AppError::Internal(format!("cannot open database {}: {why}", display_url(database_url)))
}

/// Opens (creating a SQLite file if needed) and builds the pool.
fn build_pool(database_url: &str, max_size: u32) -> Result<DbPool, AppError> {
    Pool::builder()
        .max_size(max_size)
        .connection_timeout(Duration::from_secs(10))
        .build(ConnManager { url: database_url.to_string() })
        .map_err(|e| cannot_open(database_url, &e))
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
    /// This process among the instances sharing the database (change log, job leases).
    instance: String,
    /// Checkouts that waited for a connection, and the milliseconds waited (metrics).
    waits: std::sync::atomic::AtomicU64,
    waited_ms: std::sync::atomic::AtomicU64,
    /// The last change-log row this instance has followed (None until the first look).
    followed: Mutex<Option<i32>>,
}

/// The connection pool: open and idle connections, checkouts that waited (1 ms or more) and
/// the milliseconds they waited since start.
#[derive(Debug, Clone, Copy, Default)]
pub struct PoolStats {
    pub connections: u32,
    pub idle: u32,
    pub waits: u64,
    pub waited_ms: u64,
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

impl Change {
    /// As stored in the change log other instances follow.
    pub fn as_text(&self) -> String {
        match self {
            Change::Post(id) => format!("post:{}", id.0),
            Change::Comments(id) => format!("comments:{}", id.0),
            Change::Related(id) => format!("related:{}", id.0),
            Change::PostList => "post_list".into(),
            Change::CommentFeed => "comment_feed".into(),
            Change::Everything => "everything".into(),
        }
    }

    pub fn from_text(text: &str) -> Option<Change> {
        let post = |id: &str| id.parse().ok().map(PostId);
        match text.split_once(':') {
            Some(("post", id)) => post(id).map(Change::Post),
            Some(("comments", id)) => post(id).map(Change::Comments),
            Some(("related", id)) => post(id).map(Change::Related),
            _ => match text {
                "post_list" => Some(Change::PostList),
                "comment_feed" => Some(Change::CommentFeed),
                "everything" => Some(Change::Everything),
                _ => None,
            },
        }
    }
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
    conn: &'c mut Conn,
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
    type Target = Conn;
    fn deref(&self) -> &Conn {
        self.conn
    }
}

impl std::ops::DerefMut for Tx<'_> {
    fn deref_mut(&mut self) -> &mut Conn {
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
        fill_search_index(database_url)?;
        let db = Db::connect(database_url, pool_size)?;
        // Changes from here on are followed; the page cache starts empty anyway.
        let last = db.read_now(|c| Ok(instances::last_change(c)?))?;
        *lock(&db.inner.followed) = Some(last);
        Ok(db)
    }

    /// Opens without touching the schema (`migrate` reports what it applies).
    pub fn connect(database_url: &str, pool_size: u32) -> Result<Db, AppError> {
        // One try first: an unreachable server is reported at once, not after the pool's wait.
        drop(single_connection(database_url)?);
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
                instance: format!("{}-{:016x}", std::process::id(), rand::random::<u64>()),
                waits: Default::default(),
                waited_ms: Default::default(),
                followed: Mutex::new(None),
            }),
        })
    }

    /// Applies pending migrations; returns how many.
    pub fn migrate(&self) -> Result<usize, AppError> {
        let _turn = lock(&self.inner.write_turn);
        let applied = migrations::run_pending(|| single_connection(&self.inner.url))?;
        fill_search_index(&self.inner.url)?;
        Ok(applied)
    }

    /// A pooled connection, the wait counted when there was one.
    fn pooled(&self) -> Result<diesel::r2d2::PooledConnection<ConnManager>, AppError> {
        use std::sync::atomic::Ordering;
        let started = std::time::Instant::now();
        let conn = self.inner.pool.get()?;
        let waited = started.elapsed();
        if waited >= Duration::from_millis(1) {
            self.inner.waits.fetch_add(1, Ordering::Relaxed);
            self.inner.waited_ms.fetch_add(waited.as_millis() as u64, Ordering::Relaxed);
        }
        Ok(conn)
    }

    /// The pool as it stands (metrics).
    pub fn pool_stats(&self) -> PoolStats {
        use std::sync::atomic::Ordering;
        let state = self.inner.pool.state();
        PoolStats {
            connections: state.connections,
            idle: state.idle_connections,
            waits: self.inner.waits.load(Ordering::Relaxed),
            waited_ms: self.inner.waited_ms.load(Ordering::Relaxed),
        }
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
        F: FnOnce(&mut Conn) -> Result<T, AppError> + Send + 'static,
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
    pub fn read_now<T>(&self, f: impl FnOnce(&mut Conn) -> Result<T, AppError>) -> Result<T, AppError> {
        let mut conn = self.pooled()?;
        f(&mut conn)
    }

    /// Reads that must all see one snapshot (an export), on this thread.
    pub fn snapshot_now<T>(&self, f: impl FnOnce(&mut Conn) -> Result<T, AppError>) -> Result<T, AppError> {
        let mut conn = self.pooled()?;
        conn.transaction(|c| {
            // PostgreSQL's default (read committed) gives each statement its own snapshot.
            if c.kind() == BackendKind::Postgres {
                c.batch_execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")?;
            }
            f(c)
        })
    }

    /// A write transaction on this thread.
    pub fn write_now<T>(&self, f: impl FnOnce(&mut Tx<'_>) -> Result<T, AppError>) -> Result<T, AppError> {
        let (value, effects) = {
            let _turn = lock(&self.inner.write_turn);
            let mut conn = self.pooled()?;
            write_transaction(&mut conn, |conn| {
                let mut tx = Tx { conn, effects: Effects::default() };
                let value = f(&mut tx)?;
                self.log_changes(tx.conn, &tx.effects)?;
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
            let depth = transaction_depth(tx.conn);
            let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                tx.conn.transaction(|conn| {
                    let mut inner = Tx { conn, effects: Effects::default() };
                    let value = f(&mut inner)?;
                    Ok::<_, AppError>((value, inner.effects))
                })
            }))
            .unwrap_or_else(|_| {
                // Diesel leaves a panicking closure's savepoint open: roll it back, so this
                // job's writes go and the others' commit as they should.
                roll_back_to(tx.conn, depth);
                Err(AppError::Internal("a grouped write panicked".into()))
            });
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
        let committed = self.pooled().and_then(|mut conn| {
            write_transaction(&mut conn, |conn| {
                let mut tx = Tx {
                    conn,
                    effects: Effects { public: Public::Declared(Vec::new()), ..Effects::default() },
                };
                for job in batch {
                    answers.push(job(&mut tx));
                }
                self.log_changes(tx.conn, &tx.effects)?;
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

    /// Writes what a transaction changed to the change log, inside it: other instances (and
    /// this server, for the command line's writes) drop the same cached pages.
    fn log_changes(&self, conn: &mut Conn, effects: &Effects) -> Result<(), AppError> {
        let mut texts: Vec<String> = effects.changes().iter().map(Change::as_text).collect();
        if texts.is_empty() {
            return Ok(());
        }
        if effects.changes().contains(&Change::Everything) {
            texts = vec![Change::Everything.as_text()];
        }
        texts.sort();
        texts.dedup();
        instances::record_changes(conn, &self.inner.instance, &texts, chrono::Utc::now().naive_utc())?;
        Ok(())
    }

    /// Tells this process's listener what other instances (or the command line) committed
    /// since the last call; returns how many changes. The first call only finds the place.
    pub fn follow_others_now(&self) -> Result<usize, AppError> {
        let mut followed = lock(&self.inner.followed);
        let changes = {
            let mut conn = self.pooled()?;
            let Some(after) = *followed else {
                *followed = Some(instances::last_change(&mut conn)?);
                return Ok(0);
            };
            let (changes, last) = instances::changes_after(&mut conn, after, &self.inner.instance, 1000)?;
            if let Some(last) = last {
                *followed = Some(last);
            }
            changes
        };
        // A kind this version does not know (a newer instance during an upgrade): everything.
        let changes: Vec<Change> =
            changes.iter().map(|text| Change::from_text(text).unwrap_or(Change::Everything)).collect();
        if let (Some(listener), false) = (self.inner.on_change.get(), changes.is_empty()) {
            listener(self, &changes);
        }
        Ok(changes.len())
    }

    /// `follow_others_now`, off the async workers.
    pub async fn follow_others(&self) -> Result<usize, AppError> {
        let db = self.clone();
        blocking(move || db.follow_others_now()).await
    }

    /// This process's name among the instances sharing the database.
    pub fn instance(&self) -> &str {
        &self.inner.instance
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
