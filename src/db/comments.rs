//! Comments. Public queries select through `PublicCommentRow`, which has no email, IP or
//! user agent: what a public page cannot load, it cannot leak.

use crate::db::MultiBackend;
use crate::db::{BackendKind, Conn};
use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::enums::PostStatus;
use super::enums::{CommentFormat, CommentKind, CommentStatus};
use super::ids::{CommentId, PostId, UserId};
use super::schema::{comments, posts};

#[derive(Debug, Clone, Queryable, QueryableByName, Selectable)]
#[diesel(table_name = comments, check_for_backend(MultiBackend))]
pub struct PublicCommentRow {
    pub id: CommentId,
    pub parent_id: Option<CommentId>,
    pub status: CommentStatus,
    pub author: String,
    pub url: Option<String>,
    pub body_html: String,
    pub created_at: NaiveDateTime,
    /// Set when a moderator wrote it (shown with a badge).
    pub user_id: Option<UserId>,
    /// When its author last changed it ("edited" beside the date).
    pub edited_at: Option<NaiveDateTime>,
}

/// A full comment row, as moderators see it (email, IP and user agent included): never
/// loaded by a public page.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = comments, check_for_backend(MultiBackend))]
pub struct Comment {
    pub id: CommentId,
    pub post_id: PostId,
    pub parent_id: Option<CommentId>,
    pub status: CommentStatus,
    pub author: String,
    pub email: String,
    pub url: Option<String>,
    pub ip: Option<String>,
    pub user_agent: Option<String>,
    pub body_source: String,
    pub body_html: String,
    pub reason: String,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub previous_status: Option<CommentStatus>,
    pub user_id: Option<UserId>,
    pub kind: CommentKind,
    pub body_format: CommentFormat,
    /// `spam` or `ham` once a moderator's decision trained the learned filter with it.
    pub trained_as: Option<String>,
    /// `spam` or `held` when the learned filter decided its status on arrival.
    pub filter_verdict: Option<String>,
    pub edited_at: Option<NaiveDateTime>,
}

/// Top-level comments of one page of threads, oldest first: `limit` threads after skipping
/// the `skip_newest` newest (comment pages count from the newest, which is the default page),
/// read from the thread index whatever the number of comments.
pub fn thread_roots(
    conn: &mut Conn,
    post: PostId,
    own_ids: &[CommentId],
    skip_newest: i64,
    limit: i64,
) -> QueryResult<Vec<CommentId>> {
    use comments::dsl as c;
    let roots = c::comments
        .filter(c::post_id.eq(post))
        .filter(c::kind.eq(CommentKind::Comment))
        .filter(c::parent_id.is_null())
        .order((c::created_at.desc(), c::id.desc()))
        .limit(limit)
        .offset(skip_newest)
        .select(c::id);
    let approved = c::status.eq(CommentStatus::Approved);
    // Two shapes, so the anonymous one (a fixed statement) stays in the statement cache.
    let mut ids: Vec<CommentId> = if own_ids.is_empty() {
        roots.filter(approved).load(conn)?
    } else {
        let own_held =
            c::status.eq_any([CommentStatus::Pending, CommentStatus::Spam]).and(c::id.eq_any(own_ids));
        roots.filter(approved.or(own_held)).load(conn)?
    };
    ids.reverse();
    Ok(ids)
}

/// The viewer's own held top-level comments on `post` (threads beside the approved ones).
pub fn own_held_roots(conn: &mut Conn, post: PostId, own_ids: &[CommentId]) -> QueryResult<i64> {
    if own_ids.is_empty() {
        return Ok(0);
    }
    comments::table
        .filter(comments::id.eq_any(own_ids))
        .filter(comments::post_id.eq(post))
        .filter(comments::kind.eq(CommentKind::Comment))
        .filter(comments::parent_id.is_null())
        .filter(comments::status.eq_any([CommentStatus::Pending, CommentStatus::Spam]))
        .count()
        .get_result(conn)
}

/// The threads under `roots` that this viewer may see, oldest first. Replies are found level by
/// level from the parent index (SQLite runs the recursive query as a loop, and stored depth is
/// bounded); a reply under a comment the viewer cannot see is not shown, as in WordPress.
pub fn threads(
    conn: &mut Conn,
    roots: &[CommentId],
    own_ids: &[CommentId],
) -> QueryResult<Vec<PublicCommentRow>> {
    if roots.is_empty() {
        return Ok(Vec::new());
    }
    let ids = |list: &[CommentId]| {
        format!("[{}]", list.iter().map(|id| id.0.to_string()).collect::<Vec<_>>().join(","))
    };
    let kind = conn.kind();
    ThreadsOf { kind, roots: ids(roots), own: ids(own_ids) }.load(conn)
}

/// A bound JSON array of ids read as rows: the SQL before and after the bound array, and the
/// column holding an id.
pub(crate) fn json_ids(kind: BackendKind) -> (&'static str, &'static str, &'static str) {
    match kind {
        BackendKind::Sqlite => ("json_each(", ")", "value"),
        BackendKind::Postgres => {
            ("(SELECT value::integer AS id FROM json_array_elements_text(CAST(", " AS json)))", "id")
        }
    }
}

/// The comments of some threads (their roots and every visible reply), oldest first. Written
/// out as a query type so that SQLite prepares it once per connection: the lists are bound as
/// JSON arrays, so the text never changes (`sql_query` is prepared anew on every call).
/// Visible: approved, or the viewer's own held comment (spam among them, so a wrongly flagged
/// reader sees "awaiting moderation" rather than nothing, and bots learn nothing).
#[derive(diesel::query_builder::QueryId)]
struct ThreadsOf {
    kind: BackendKind,
    roots: String,
    own: String,
}

impl diesel::query_builder::Query for ThreadsOf {
    type SqlType = diesel::sql_types::Untyped;
}

impl RunQueryDsl<Conn> for ThreadsOf {}

impl diesel::query_builder::QueryFragment<MultiBackend> for ThreadsOf {
    fn walk_ast<'b>(
        &'b self,
        mut out: diesel::query_builder::AstPass<'_, 'b, MultiBackend>,
    ) -> QueryResult<()> {
        use diesel::sql_types::Text;
        let (open, close, value) = json_ids(self.kind);
        // CROSS JOIN keeps the queue as the outer loop: each step probes the parent index
        // (left to itself, SQLite may scan every comment once per step). PostgreSQL has no
        // CROSS JOIN ... ON and plans the order itself.
        let join = match self.kind {
            BackendKind::Sqlite => " CROSS JOIN ",
            BackendKind::Postgres => " JOIN ",
        };
        for part in ["WITH RECURSIVE thread(id) AS (SELECT c.id FROM ", open] {
            out.push_sql(part);
        }
        out.push_bind_param::<Text, _>(&self.roots)?;
        for part in
            [close, " r", join, "comments c ON c.id = r.", value, " UNION SELECT c.id FROM thread t", join]
        {
            out.push_sql(part);
        }
        out.push_sql(
            "comments c ON c.parent_id = t.id \
             WHERE c.kind = 'comment' AND (c.status = 'approved' OR (c.status IN ('pending', 'spam') \
             AND c.id IN (SELECT j.",
        );
        for part in [value, " FROM ", open] {
            out.push_sql(part);
        }
        out.push_bind_param::<Text, _>(&self.own)?;
        for part in [
            close,
            " j)))) SELECT c.id, c.parent_id, c.status, c.author, c.url, c.body_html, c.created_at, \
             c.user_id, c.edited_at FROM thread t",
            join,
            "comments c ON c.id = t.id ORDER BY c.created_at, c.id",
        ] {
            out.push_sql(part);
        }
        Ok(())
    }
}

/// An approved pingback or trackback: who linked here (no email, no IP).
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = comments, check_for_backend(MultiBackend))]
pub struct Mention {
    pub id: CommentId,
    pub kind: CommentKind,
    pub author: String,
    pub url: Option<String>,
    pub created_at: NaiveDateTime,
}

/// Approved pingbacks and trackbacks of a post, oldest first: all, or the newest `newest`.
pub fn mentions_for_post(conn: &mut Conn, post: PostId, newest: Option<i64>) -> QueryResult<Vec<Mention>> {
    let query = comments::table
        .filter(comments::post_id.eq(post))
        // Written as the partial index `comments_mentions` is defined.
        .filter(comments::kind.ne(CommentKind::Comment))
        .filter(comments::status.eq(CommentStatus::Approved))
        .select(Mention::as_select());
    match newest {
        None => query.order((comments::created_at.asc(), comments::id.asc())).load(conn),
        Some(limit) => {
            let mut rows: Vec<Mention> =
                query.order((comments::created_at.desc(), comments::id.desc())).limit(limit).load(conn)?;
            rows.reverse();
            Ok(rows)
        }
    }
}

/// How many approved pingbacks and trackbacks a post has.
pub fn mention_count(conn: &mut Conn, post: PostId) -> QueryResult<i64> {
    comments::table
        .filter(comments::post_id.eq(post))
        // Both kinds named, so `comments_threads` is probed for each (with `<>` SQLite
        // counted through every comment of the post).
        .filter(comments::kind.eq(CommentKind::Pingback).or(comments::kind.eq(CommentKind::Trackback)))
        .filter(comments::status.eq(CommentStatus::Approved))
        .count()
        .get_result(conn)
}

#[derive(Debug, Insertable)]
#[diesel(table_name = comments)]
pub struct NewComment<'a> {
    pub post_id: PostId,
    pub parent_id: Option<CommentId>,
    pub status: CommentStatus,
    pub author: &'a str,
    pub email: &'a str,
    pub url: Option<&'a str>,
    pub ip: Option<&'a str>,
    pub user_agent: Option<&'a str>,
    pub body_source: &'a str,
    pub body_html: &'a str,
    pub reason: &'a str,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub user_id: Option<UserId>,
    pub kind: CommentKind,
    pub body_format: CommentFormat,
}

/// Inserts and returns (id, status).
pub fn insert(conn: &mut Conn, new: &NewComment<'_>) -> QueryResult<(CommentId, CommentStatus)> {
    diesel::insert_into(comments::table)
        .values(new)
        .returning((comments::id, comments::status))
        .get_result(conn)
}

/// The post and status of a comment (to check a reply's parent).
pub fn post_and_status(conn: &mut Conn, id: CommentId) -> QueryResult<Option<(PostId, CommentStatus)>> {
    comments::table.find(id).select((comments::post_id, comments::status)).first(conn).optional()
}

/// WordPress's rule (emails are stored lowercased): the same name and email have an approved comment; any spam from that
/// email removes the trust.
pub fn is_trusted_author(conn: &mut Conn, author: &str, email: &str) -> QueryResult<bool> {
    let approved: i64 = comments::table
        .filter(comments::author.eq(author))
        .filter(comments::email.eq(email))
        .filter(comments::status.eq(CommentStatus::Approved))
        .count()
        .get_result(conn)?;
    if approved == 0 {
        return Ok(false);
    }
    let spam: i64 = comments::table
        .filter(comments::email.eq(email))
        .filter(comments::status.eq(CommentStatus::Spam))
        .count()
        .get_result(conn)?;
    Ok(spam == 0)
}

/// The same text from the same email or name on the same post, in any status but trash.
pub fn is_duplicate(
    conn: &mut Conn,
    post: PostId,
    author: &str,
    email: &str,
    body_source: &str,
) -> QueryResult<bool> {
    let query = SameText {
        kind: conn.kind(),
        post: post.0,
        author: author.into(),
        email: email.into(),
        body: body_source.into(),
    };
    let found: Vec<Found> = query.load(conn)?;
    Ok(found.first().is_some_and(|f| f.n > 0))
}

#[derive(QueryableByName)]
struct Found {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    n: i64,
}

/// The duplicate check as a query type, so SQLite prepares it once per connection (it runs
/// for every comment, inside the group commit).
#[derive(diesel::query_builder::QueryId)]
struct SameText {
    kind: BackendKind,
    post: i32,
    author: String,
    email: String,
    body: String,
}

impl diesel::query_builder::Query for SameText {
    type SqlType = diesel::sql_types::Untyped;
}

impl RunQueryDsl<Conn> for SameText {}

impl diesel::query_builder::QueryFragment<MultiBackend> for SameText {
    fn walk_ast<'b>(
        &'b self,
        mut out: diesel::query_builder::AstPass<'_, 'b, MultiBackend>,
    ) -> QueryResult<()> {
        use diesel::sql_types::{Integer, Text};
        // Through `comments_duplicates`: the expression must be written exactly as indexed.
        out.push_sql("SELECT COUNT(*) AS n FROM comments WHERE post_id = ");
        out.push_bind_param::<Integer, _>(&self.post)?;
        out.push_sql(" AND length(body_source) = length(");
        out.push_bind_param::<Text, _>(&self.body)?;
        let (tail, tail_end) = match self.kind {
            BackendKind::Sqlite => (") AND substr(body_source, -32) = substr(", ", -32)"),
            BackendKind::Postgres => (") AND right(body_source, 32) = right(", ", 32)"),
        };
        out.push_sql(tail);
        out.push_bind_param::<Text, _>(&self.body)?;
        out.push_sql(tail_end);
        out.push_sql(" AND body_source = ");
        out.push_bind_param::<Text, _>(&self.body)?;
        out.push_sql(" AND (email = ");
        out.push_bind_param::<Text, _>(&self.email)?;
        out.push_sql(" OR author = ");
        out.push_bind_param::<Text, _>(&self.author)?;
        out.push_sql(") AND status <> 'trash'");
        Ok(())
    }
}

pub fn posted_since(
    conn: &mut Conn,
    ip: Option<&str>,
    email: &str,
    since: NaiveDateTime,
) -> QueryResult<bool> {
    let mut query = comments::table.filter(comments::created_at.ge(since)).into_boxed();
    query = match ip {
        Some(ip) => query.filter(comments::email.eq(email).or(comments::ip.eq(ip))),
        None => query.filter(comments::email.eq(email)),
    };
    let found: i64 = query.count().get_result(conn)?;
    Ok(found > 0)
}

/// An approved comment as the comments feed shows it (no email, no IP).
#[derive(Debug, Clone, Queryable)]
pub struct FeedComment {
    pub id: CommentId,
    pub author: String,
    pub body_html: String,
    pub created_at: NaiveDateTime,
    pub post_slug: String,
    pub post_title: String,
}

pub fn recent_approved(conn: &mut Conn, limit: i64) -> QueryResult<Vec<FeedComment>> {
    recent_approved_in(conn, None, limit)
}

/// The newest approved comments of one post (its own comment feed).
pub fn recent_approved_for_post(conn: &mut Conn, post: PostId, limit: i64) -> QueryResult<Vec<FeedComment>> {
    recent_approved_in(conn, Some(post), limit)
}

fn recent_approved_in(conn: &mut Conn, post: Option<PostId>, limit: i64) -> QueryResult<Vec<FeedComment>> {
    let mut query = comments::table.inner_join(posts::table).into_boxed();
    if let Some(post) = post {
        query = query.filter(comments::post_id.eq(post));
    }
    query
        .filter(comments::kind.eq(CommentKind::Comment))
        .filter(comments::status.eq(CommentStatus::Approved))
        .filter(posts::status.eq(PostStatus::Published))
        .order((comments::created_at.desc(), comments::id.desc()))
        .limit(limit)
        .select((
            comments::id,
            comments::author,
            comments::body_html,
            comments::created_at,
            posts::slug,
            posts::title,
        ))
        .load(conn)
}

/// `id` and its ancestors up to the top level, nearest first. Walked in a loop (a legacy
/// chain may be thousands deep); a parent cycle ends the walk where it would repeat.
pub fn ancestry(conn: &mut Conn, id: CommentId) -> QueryResult<Vec<CommentId>> {
    let mut chain = vec![id];
    let mut seen = std::collections::HashSet::from([id]);
    let mut at = id;
    while let Some(parent) = comments::table
        .find(at)
        .select(comments::parent_id)
        .first::<Option<CommentId>>(conn)
        .optional()?
        .flatten()
    {
        if !seen.insert(parent) {
            break;
        }
        chain.push(parent);
        at = parent;
    }
    Ok(chain)
}

/// Every comment of a post, in any status and kind.
pub fn count_for_post(conn: &mut Conn, post: PostId) -> QueryResult<i64> {
    comments::table.filter(comments::post_id.eq(post)).count().get_result(conn)
}

/// Whether `id` has a reply (of any status): its author can no longer change it.
pub fn has_replies(conn: &mut Conn, id: CommentId) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(comments::table.filter(comments::parent_id.eq(id)))).get_result(conn)
}

/// The author's own edit: the new text, and when.
pub fn set_edited(
    conn: &mut Conn,
    id: CommentId,
    source: &str,
    html: &str,
    status: CommentStatus,
    reason: &str,
    now: NaiveDateTime,
) -> QueryResult<usize> {
    diesel::update(comments::table.find(id))
        .set((
            comments::body_source.eq(source),
            comments::body_html.eq(html),
            comments::status.eq(status),
            comments::reason.eq(reason),
            comments::updated_at.eq(now),
            comments::edited_at.eq(Some(now)),
        ))
        .execute(conn)
}
