//! `marginalia db copy`: every table from one database into another, empty one (SQLite to
//! PostgreSQL and back), in batches, inside one transaction on the target (a failed copy
//! leaves it as empty as it was), read from one snapshot of the source, verified by counting.
//!
//! What triggers derive (comment counts on posts, the copies on `post_tags`, listing counts)
//! is not copied but rebuilt by the target's own triggers as the rows arrive, and then checked
//! against the source. The change log, job leases and rate limits belong to running instances
//! and start empty.

use super::Count;
use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Binary, Bool, Integer, Nullable, Text, Timestamp};

use super::{migrations, open_connection, per_backend, search, BackendKind, Conn};
use crate::error::AppError;

/// Rows per INSERT: 24 columns x 500 stays under both backends' limits on bound parameters.
const BATCH: i64 = 500;

/// The Rust type a column's SQL type loads into, so each table's row type comes from
/// `schema.rs` alone.
pub trait Native {
    type Rust;
}
impl Native for Integer {
    type Rust = i32;
}
impl Native for BigInt {
    type Rust = i64;
}
impl Native for Text {
    type Rust = String;
}
impl Native for Bool {
    type Rust = bool;
}
impl Native for Timestamp {
    type Rust = chrono::NaiveDateTime;
}
impl Native for Binary {
    type Rust = Vec<u8>;
}
impl<T: Native> Native for Nullable<T> {
    type Rust = Option<T::Rust>;
}

/// Told how the copy goes (a progress bar on the command line).
pub trait CopyProgress {
    fn table(&self, name: &str, rows: u64);
    fn copied(&self, rows: u64);
}

/// How many rows each table received.
#[derive(Debug, Default)]
pub struct CopyReport {
    pub tables: Vec<(&'static str, i64)>,
}

impl CopyReport {
    pub fn rows(&self, table: &str) -> Option<i64> {
        self.tables.iter().find(|(name, _)| *name == table).map(|(_, rows)| *rows)
    }
}

struct Copier<'a> {
    src: &'a mut Conn,
    dst: &'a mut Conn,
    progress: &'a dyn CopyProgress,
    report: CopyReport,
    /// users.avatar_media_id, set once media exists (media rows name their uploader).
    avatars: Vec<(i32, i32)>,
    /// comments.parent_id naming a later comment (never by the app; a hand-edited import).
    later_parents: Vec<(i32, i32)>,
    /// The tables the empty check looked at (every copied one).
    checked: Vec<&'static str>,
}

#[derive(Clone, Copy, PartialEq)]
enum Pass {
    /// Refuses a target with rows in any copied table.
    CheckEmpty,
    Copy,
}

/// One table, every column in `schema.rs` order (a column added there and not here fails to
/// compile), `$adjust` run on each row's columns (bound by name) before it is written.
macro_rules! copy_table {
    ($cx:ident, $pass:expr, $table:ident, order $order:expr, [$($col:ident),+ $(,)?] $(, adjust $adjust:block)?) => {{
        use super::schema::$table;
        let _: <$table::table as diesel::Table>::AllColumns = ($($table::$col,)+);
        type Row = ($(<<$table::$col as diesel::Expression>::SqlType as Native>::Rust,)+);
        let name = stringify!($table);
        if $pass == Pass::CheckEmpty {
            $cx.checked.push(name);
            let present: i64 = $table::table.count().get_result(&mut *$cx.dst)?;
            if present > 0 && name != "spam_filter" {
                return Err(AppError::Invalid(format!(
                    "the target database is not empty ({name} has {present} rows): copy into a new, empty database"
                )));
            }
        } else {
            let total: i64 = $table::table.count().get_result(&mut *$cx.src)?;
            $cx.progress.table(name, total as u64);
            let mut offset = 0;
            while offset < total {
                let rows: Vec<Row> = $table::table
                    .select(($($table::$col,)+))
                    .order($order)
                    .limit(BATCH)
                    .offset(offset)
                    .load(&mut *$cx.src)?;
                if rows.is_empty() {
                    break;
                }
                offset += rows.len() as i64;
                let mut values = Vec::with_capacity(rows.len());
                for row in rows {
                    #[allow(unused_mut, unused_variables, unused_assignments)]
                    let ($(mut $col,)+) = row;
                    $($adjust)?
                    values.push(($($table::$col.eq($col),)+));
                }
                per_backend!(&mut *$cx.dst, |c| diesel::insert_into($table::table).values(&values).execute(c))?;
                $cx.progress.copied(offset as u64);
            }
            let copied: i64 = $table::table.count().get_result(&mut *$cx.dst)?;
            if copied != total {
                return Err(AppError::Internal(format!(
                    "copy check failed: {name} has {total} rows in the source and {copied} in the target"
                )));
            }
            $cx.report.tables.push((name, copied));
        }
    }};
}

/// Every copied table, parents before children.
fn each_table(cx: &mut Copier<'_>, pass: Pass) -> Result<(), AppError> {
    copy_table!(cx, pass, settings, order settings::key, [key, value, updated_at]);
    copy_table!(cx, pass, users, order users::id, [
        id, username, email, role, password_hash, session_version, created_at, last_login_at,
        display_name, slug, bio, avatar_media_id,
    ], adjust {
        if let Some(media) = avatar_media_id.take() {
            cx.avatars.push((id, media));
        }
    });
    copy_table!(cx, pass, categories, order categories::id, [id, name, slug]);
    copy_table!(cx, pass, tags, order tags::id, [id, name, slug]);
    copy_table!(cx, pass, media, order media::id, [
        id, file_key, original_name, format, width, height, bytes, variants, alt_text, uploaded_by,
        created_at,
    ]);
    copy_table!(cx, pass, posts, order posts::id, [
        id, slug, title, body_source, body_html, excerpt, status, category_id, published_at,
        created_at, updated_at, comments_open, kind, body_format, author_name, menu_order,
        in_navigation, approved_comments, approved_threads, trashed_from, trashed_at, author_id,
        featured_media_id, excerpt_source,
    ], adjust {
        // Counted again by the comments' insert triggers.
        approved_comments = 0;
        approved_threads = 0;
    });
    copy_table!(cx, pass, post_tags, order (post_tags::post_id, post_tags::tag_id), [
        post_id, tag_id, listed, published_at,
    ], adjust {
        // Set from the post by the insert trigger, which also counts the tag's listing.
        listed = false;
        published_at = None;
    });
    copy_table!(
        cx,
        pass,
        related_posts,
        order(related_posts::post_id, related_posts::rank),
        [post_id, rank, related_id, score, published_at,]
    );
    copy_table!(cx, pass, comments, order comments::id, [
        id, post_id, parent_id, status, author, email, url, ip, user_agent, body_source, body_html,
        reason, created_at, updated_at, previous_status, user_id, ip_truncated_at, kind,
        body_format, trained_as, filter_verdict, edited_at,
    ], adjust {
        if let Some(parent) = parent_id.filter(|parent| *parent > id) {
            cx.later_parents.push((id, parent));
            parent_id = None;
        }
    });
    copy_table!(cx, pass, outbox, order outbox::id, [
        id, kind, recipient, subject, body_text, body_html, unsubscribe_url, message_id, comment_id,
        state, attempts, next_attempt_at, claimed_until, last_error, created_at, sent_at,
    ]);
    copy_table!(cx, pass, subscriptions, order subscriptions::id, [
        id, comment_id, email, kind, created_at, cancelled_at,
    ]);
    copy_table!(cx, pass, api_tokens, order api_tokens::id, [
        id, user_id, label, token_hash, created_at, last_used_at, revoked_at,
    ]);
    copy_table!(cx, pass, audit_log, order audit_log::id, [
        id, actor, user_id, action, comment_id, from_status, to_status, detail, created_at,
    ]);
    copy_table!(cx, pass, admin_sessions, order admin_sessions::id, [
        id, token_hash, user_id, session_version, csrf_token, created_at, last_seen_at, ip_network,
        user_agent,
    ]);
    copy_table!(cx, pass, login_throttle, order login_throttle::key, [key, failures, locked_until, updated_at]);
    copy_table!(cx, pass, used_links, order used_links::nonce, [nonce, used_at]);
    copy_table!(
        cx,
        pass,
        wordpress_posts,
        order(wordpress_posts::site, wordpress_posts::wp_id),
        [site, wp_id, post_id, synced_at,]
    );
    copy_table!(
        cx,
        pass,
        wordpress_comments,
        order(wordpress_comments::site, wordpress_comments::wp_id),
        [site, wp_id, comment_id,]
    );
    copy_table!(cx, pass, redirects, order redirects::from_path, [from_path, post_id, to_path, created_at]);
    copy_table!(cx, pass, threads, order threads::post_id, [post_id, site, url, created_at]);
    copy_table!(
        cx,
        pass,
        imported_comments,
        order(imported_comments::source, imported_comments::external_id),
        [source, external_id, comment_id,]
    );
    copy_table!(cx, pass, import_runs, order import_runs::id, [
        id, site, file_name, state, started_at, heartbeat_at, finished_at,
    ]);
    copy_table!(cx, pass, import_undo, order import_undo::id, [id, run_id, kind, ref_id, detail]);
    copy_table!(cx, pass, spam_tokens, order spam_tokens::token, [token, spam, ham, trained_at]);
    if pass == Pass::Copy {
        // Its one row is made by the migrations: the source's replaces it.
        diesel::delete(super::schema::spam_filter::table).execute(&mut *cx.dst)?;
    }
    copy_table!(cx, pass, spam_filter, order spam_filter::id, [
        id, spam_docs, ham_docs, marked_spam, reversed, held,
    ]);
    copy_table!(cx, pass, privacy_requests, order privacy_requests::id, [
        id, token_hash, email, created_at, expires_at, used_at,
    ]);
    Ok(())
}

/// Tables of `schema.rs` not copied as rows: derived by triggers, per running instance, or
/// (`media_files`) moved by the caller with the files of a media directory.
pub const NOT_COPIED: [&str; 5] =
    ["listing_counts", "cache_changes", "job_leases", "rate_limits", "media_files"];

/// Tables whose ids the target must go on from (PostgreSQL identities do not follow
/// explicit ids; SQLite's AUTOINCREMENT does).
const WITH_IDS: [&str; 14] = [
    "users",
    "categories",
    "tags",
    "media",
    "posts",
    "comments",
    "outbox",
    "subscriptions",
    "api_tokens",
    "audit_log",
    "admin_sessions",
    "import_runs",
    "import_undo",
    "privacy_requests",
];

/// Copies the database at `from` into the empty one at `to` (migrated first). `also` runs
/// inside the target's transaction once the tables are in (the media files).
pub fn copy(
    from: &str,
    to: &str,
    progress: &dyn CopyProgress,
    also: impl FnOnce(&mut Conn, &mut Conn) -> Result<(), AppError>,
) -> Result<CopyReport, AppError> {
    if from.trim() == to.trim() {
        return Err(AppError::Invalid("--from and --to name the same database".into()));
    }
    let mut src = open_source(from)?;
    if migrations::pending(&mut src)? {
        return Err(AppError::Invalid(format!(
            "the source database {} is older than this binary: run `marginalia migrate` on it first",
            super::display_url(from)
        )));
    }
    migrations::run_pending(|| super::single_connection(to))?;
    let mut dst = super::single_connection(to)?;
    src.transaction(|src| {
        if src.kind() == BackendKind::Postgres {
            src.batch_execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")?;
        }
        dst.transaction(|dst| {
            let mut cx = Copier {
                src,
                dst,
                progress,
                report: CopyReport::default(),
                avatars: Vec::new(),
                later_parents: Vec::new(),
                checked: Vec::new(),
            };
            each_table(&mut cx, Pass::CheckEmpty)?;
            each_table(&mut cx, Pass::Copy)?;
            finish(&mut cx)?;
            also(cx.src, cx.dst)?;
            Ok(cx.report)
        })
    })
}

/// The source, never written: a SQLite file must exist and is opened read-only.
fn open_source(from: &str) -> Result<Conn, AppError> {
    if BackendKind::of(from) == BackendKind::Postgres {
        return open_connection(from).map_err(|e| super::cannot_open(from, &e));
    }
    if !std::path::Path::new(from).is_file() {
        return Err(AppError::Invalid(format!("no SQLite database at {from}")));
    }
    let uri = format!("file:{}?mode=ro", from.replace('%', "%25").replace('?', "%3f").replace('#', "%23"));
    let mut conn = diesel::SqliteConnection::establish(&uri).map_err(|e| super::cannot_open(from, &e))?;
    conn.batch_execute("PRAGMA busy_timeout = 15000").map_err(|e| super::cannot_open(from, &e))?;
    Ok(Conn::Sqlite(conn))
}

/// What waited for later rows, identities moved past the copied ids, the search index, and
/// the derived counts checked against the source's.
fn finish(cx: &mut Copier<'_>) -> Result<(), AppError> {
    use super::schema::{comments, users};
    for (user, media) in std::mem::take(&mut cx.avatars) {
        diesel::update(users::table.find(user))
            .set(users::avatar_media_id.eq(media))
            .execute(&mut *cx.dst)?;
    }
    for (comment, parent) in std::mem::take(&mut cx.later_parents) {
        diesel::update(comments::table.find(comment))
            .set(comments::parent_id.eq(parent))
            .execute(&mut *cx.dst)?;
    }
    for table in WITH_IDS {
        let next = next_id(cx.src, table)?;
        set_next_id(cx.dst, table, next)?;
    }
    search::ensure_index(cx.dst)?;
    let (source, target) = (derived(cx.src)?, derived(cx.dst)?);
    if source != target {
        return Err(AppError::Internal(format!(
            "copy check failed: counts kept by triggers differ (source {source:?}, target {target:?})"
        )));
    }
    Ok(())
}

/// The id the database at `conn` hands the next row of `table`: past every id it ever gave
/// (comments deleted at the top stay unused: signed cookies and mailed links name ids).
fn next_id(conn: &mut Conn, table: &str) -> QueryResult<i64> {
    let highest = diesel::sql_query(format!("SELECT CAST(COALESCE(MAX(id), 0) AS BIGINT) AS n FROM {table}"))
        .get_result::<Count>(conn)?
        .n;
    let counter = match conn.kind() {
        // AUTOINCREMENT tables only; the others reuse the top id anyway.
        BackendKind::Sqlite => diesel::sql_query(format!(
            "SELECT CAST(COALESCE(MAX(seq), 0) AS BIGINT) AS n FROM sqlite_sequence WHERE name = '{table}'"
        )),
        BackendKind::Postgres => diesel::sql_query(format!(
            "SELECT CAST(COALESCE(MAX(last_value), 0) AS BIGINT) AS n FROM pg_sequences WHERE sequencename = '{table}_id_seq'"
        )),
    }
    .get_result::<Count>(conn)?
    .n;
    Ok(highest.max(counter) + 1)
}

/// The target hands out `next` and after for `table`.
fn set_next_id(conn: &mut Conn, table: &str, next: i64) -> QueryResult<()> {
    match conn.kind() {
        BackendKind::Postgres => conn
            .batch_execute(&format!("SELECT setval(pg_get_serial_sequence('{table}', 'id'), {next}, false)")),
        BackendKind::Sqlite => conn.batch_execute(&format!(
            "UPDATE sqlite_sequence SET seq = MAX(seq, {last}) WHERE name = '{table}'; \
             INSERT INTO sqlite_sequence (name, seq) SELECT '{table}', {last} \
             WHERE NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = '{table}') \
             AND EXISTS (SELECT 1 FROM sqlite_master WHERE name = '{table}' AND sql LIKE '%AUTOINCREMENT%')",
            last = next - 1
        )),
    }
}

/// What the triggers keep: comment counts on posts, and every non-empty listing's count.
#[derive(Debug, PartialEq)]
struct Derived {
    approved_comments: i64,
    approved_threads: i64,
    listings: Vec<(String, i32)>,
}

fn derived(conn: &mut Conn) -> QueryResult<Derived> {
    use super::schema::{listing_counts, posts};
    use diesel::dsl::sum;
    let (comments, threads): (Option<i64>, Option<i64>) =
        posts::table.select((sum(posts::approved_comments), sum(posts::approved_threads))).first(conn)?;
    let listings = listing_counts::table
        .filter(listing_counts::posts.ne(0))
        .order(listing_counts::listing)
        .select((listing_counts::listing, listing_counts::posts))
        .load(conn)?;
    Ok(Derived { approved_comments: comments.unwrap_or(0), approved_threads: threads.unwrap_or(0), listings })
}

/// Rows in `table` (a name of `schema.rs`; anything else is refused).
pub fn count_rows(conn: &mut Conn, table: &str) -> QueryResult<i64> {
    if table.is_empty() || !table.bytes().all(|b| b.is_ascii_lowercase() || b == b'_') {
        return Err(diesel::result::Error::NotFound);
    }
    Ok(diesel::sql_query(format!("SELECT COUNT(*) AS n FROM {table}")).get_result::<Count>(conn)?.n)
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Quiet;
    impl CopyProgress for Quiet {
        fn table(&self, _: &str, _: u64) {}
        fn copied(&self, _: u64) {}
    }

    #[test]
    fn every_table_of_the_schema_is_copied_or_named_as_not_copied() {
        let dir = tempfile::tempdir().unwrap();
        let url = |name: &str| dir.path().join(name).to_str().unwrap().to_string();
        let (a, b) = (url("a.db"), url("b.db"));
        for db in [&a, &b] {
            migrations::run_pending(|| super::super::single_connection(db)).unwrap();
        }
        let (mut src, mut dst) =
            (super::super::single_connection(&a).unwrap(), super::super::single_connection(&b).unwrap());
        let mut cx = Copier {
            src: &mut src,
            dst: &mut dst,
            progress: &Quiet,
            report: CopyReport::default(),
            avatars: Vec::new(),
            later_parents: Vec::new(),
            checked: Vec::new(),
        };
        each_table(&mut cx, Pass::CheckEmpty).unwrap();
        let schema = include_str!("schema.rs");
        let tables: Vec<&str> = schema
            .lines()
            .filter_map(|line| line.strip_prefix("    ")?.split_once(" (").map(|(name, _)| name))
            .filter(|name| name.bytes().all(|b| b.is_ascii_lowercase() || b == b'_'))
            .collect();
        assert!(tables.len() > 20, "{tables:?}");
        for table in &tables {
            assert!(
                cx.checked.contains(table) || NOT_COPIED.contains(table),
                "{table} is neither copied nor in NOT_COPIED"
            );
        }
        for table in WITH_IDS {
            assert!(cx.checked.contains(&table), "{table}");
        }
    }
}
