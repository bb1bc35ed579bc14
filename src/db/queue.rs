//! Moderator-side comment queries: full rows (email, IP and user agent included), the queue
//! with search, status changes and deletion. Never used by public pages.

use crate::db::MultiBackend;
use crate::db::{BackendKind, Conn};
use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::comments::Comment;
use super::enums::CommentStatus;
use super::ids::CommentId;
use super::schema::{comments, posts};

/// A queue row: the comment and its article's slug and title.
pub type QueueRow = (Comment, String, String);

pub fn find(conn: &mut Conn, id: CommentId) -> QueryResult<Option<Comment>> {
    comments::table.find(id).select(Comment::as_select()).first(conn).optional()
}

/// API listing: newest first, optionally one status.
pub fn api_list(
    conn: &mut Conn,
    status: Option<CommentStatus>,
    offset: i64,
    limit: i64,
) -> QueryResult<Vec<QueueRow>> {
    queue(conn, &QueueFilter { status, search: None }, offset, limit)
}

pub fn find_with_post(conn: &mut Conn, id: CommentId) -> QueryResult<Option<QueueRow>> {
    comments::table
        .inner_join(posts::table)
        .filter(comments::id.eq(id))
        .select((Comment::as_select(), posts::slug, posts::title))
        .first(conn)
        .optional()
}

pub fn counts_by_status(conn: &mut Conn) -> QueryResult<Vec<(CommentStatus, i64)>> {
    comments::table
        .group_by(comments::status)
        .select((comments::status, diesel::dsl::count(comments::id)))
        .load(conn)
}

#[derive(Debug, Clone, Default)]
pub struct QueueFilter {
    pub status: Option<CommentStatus>,
    /// Matched against author, email, text and article title.
    pub search: Option<String>,
}

fn filtered(kind: BackendKind, filter: &QueueFilter) -> comments::BoxedQuery<'static, MultiBackend> {
    let mut query = comments::table.into_boxed();
    if let Some(status) = filter.status {
        query = query.filter(comments::status.eq(status));
    }
    if let Some(search) = filter.search.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        use super::lower;
        let pattern = super::lower_contains(kind, search);
        let titles =
            posts::table.filter(lower(posts::title).like(pattern.clone()).escape('\\')).select(posts::id);
        query = query.filter(
            lower(comments::author)
                .like(pattern.clone())
                .escape('\\')
                .or(lower(comments::email).like(pattern.clone()).escape('\\'))
                .or(lower(comments::body_source).like(pattern).escape('\\'))
                .or(comments::post_id.eq_any(titles)),
        );
    }
    query
}

pub fn queue_count(conn: &mut Conn, filter: &QueueFilter) -> QueryResult<i64> {
    filtered(conn.kind(), filter).count().get_result(conn)
}

/// Newest first.
pub fn queue(conn: &mut Conn, filter: &QueueFilter, offset: i64, limit: i64) -> QueryResult<Vec<QueueRow>> {
    let ids: Vec<CommentId> = filtered(conn.kind(), filter)
        .order((comments::created_at.desc(), comments::id.desc()))
        .offset(offset)
        .limit(limit)
        .select(comments::id)
        .load(conn)?;
    let mut rows: Vec<QueueRow> = comments::table
        .inner_join(posts::table)
        .filter(comments::id.eq_any(&ids))
        .select((Comment::as_select(), posts::slug, posts::title))
        .load(conn)?;
    rows.sort_by_key(|(c, _, _)| ids.iter().position(|id| *id == c.id));
    Ok(rows)
}

/// (id, author, text) of the given comments: the "in reply to" excerpts.
pub fn excerpts(conn: &mut Conn, ids: &[CommentId]) -> QueryResult<Vec<(CommentId, String, String)>> {
    comments::table
        .filter(comments::id.eq_any(ids))
        .select((comments::id, comments::author, comments::body_source))
        .load(conn)
}

pub fn set_status(
    conn: &mut Conn,
    id: CommentId,
    status: CommentStatus,
    previous: Option<CommentStatus>,
    now: NaiveDateTime,
) -> QueryResult<usize> {
    diesel::update(comments::table.find(id))
        .set((
            comments::status.eq(status),
            comments::previous_status.eq(previous),
            comments::updated_at.eq(now),
        ))
        .execute(conn)
}

pub fn update_body(
    conn: &mut Conn,
    id: CommentId,
    source: &str,
    html: &str,
    now: NaiveDateTime,
) -> QueryResult<usize> {
    diesel::update(comments::table.find(id))
        .set((comments::body_source.eq(source), comments::body_html.eq(html), comments::updated_at.eq(now)))
        .execute(conn)
}

/// Moves the replies of `id` up to `new_parent` (WordPress does this on permanent deletion).
pub fn reparent_children(
    conn: &mut Conn,
    id: CommentId,
    new_parent: Option<CommentId>,
) -> QueryResult<usize> {
    diesel::update(comments::table.filter(comments::parent_id.eq(id)))
        .set(comments::parent_id.eq(new_parent))
        .execute(conn)
}

pub fn delete(conn: &mut Conn, id: CommentId) -> QueryResult<usize> {
    diesel::delete(comments::table.find(id)).execute(conn)
}

/// Comments in `statuses` untouched since before `cutoff` (the purge job).
pub fn stale(
    conn: &mut Conn,
    statuses: &[CommentStatus],
    cutoff: NaiveDateTime,
) -> QueryResult<Vec<CommentId>> {
    comments::table
        .filter(comments::status.eq_any(statuses))
        .filter(comments::updated_at.lt(cutoff))
        .select(comments::id)
        .load(conn)
}

/// Comments held (still pending) that arrived at or after `since`, oldest first (digests).
pub fn held_since(conn: &mut Conn, since: NaiveDateTime) -> QueryResult<Vec<QueueRow>> {
    comments::table
        .inner_join(posts::table)
        .filter(comments::status.eq(CommentStatus::Pending))
        .filter(comments::created_at.ge(since))
        .order(comments::id.asc())
        .select((Comment::as_select(), posts::slug, posts::title))
        .load(conn)
}

/// Pending comments from this email (approve-and-trust approves them all).
pub fn pending_ids_by_email(conn: &mut Conn, email: &str) -> QueryResult<Vec<CommentId>> {
    comments::table
        .filter(comments::email.eq(email))
        .filter(comments::status.eq(CommentStatus::Pending))
        .select(comments::id)
        .load(conn)
}

/// A held or spam comment as spam waves are found from.
#[derive(Debug, Clone, Queryable)]
pub struct WaveCandidate {
    pub id: CommentId,
    pub status: CommentStatus,
    pub url: Option<String>,
    pub body_source: String,
}

/// The newest `limit` comments in `statuses` (readers' comments only).
pub fn newest_in(conn: &mut Conn, statuses: &[CommentStatus], limit: i64) -> QueryResult<Vec<WaveCandidate>> {
    comments::table
        .filter(comments::status.eq_any(statuses))
        .filter(comments::kind.eq(crate::db::enums::CommentKind::Comment))
        .order((comments::created_at.desc(), comments::id.desc()))
        .limit(limit)
        .select((comments::id, comments::status, comments::url, comments::body_source))
        .load(conn)
}
