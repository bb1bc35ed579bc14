//! Queries for commenters' data rights: everything held about one email, and its removal.

use crate::db::Conn;
use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::comments::Comment;
use super::ids::CommentId;
use super::schema::{comments, outbox, posts, privacy_requests, subscriptions};

/// Comments older than `cutoff` whose IP has not been truncated yet: (id, ip).
pub fn untruncated_before(
    conn: &mut Conn,
    cutoff: NaiveDateTime,
    limit: i64,
) -> QueryResult<Vec<(CommentId, Option<String>)>> {
    comments::table
        .filter(comments::created_at.lt(cutoff))
        .filter(comments::ip_truncated_at.is_null())
        // The order of `comments_ip_untruncated`.
        .order(comments::created_at.asc())
        .limit(limit)
        .select((comments::id, comments::ip))
        .load(conn)
}

pub fn set_truncated(
    conn: &mut Conn,
    id: CommentId,
    ip: Option<&str>,
    now: NaiveDateTime,
) -> QueryResult<usize> {
    diesel::update(comments::table.find(id))
        .set((
            comments::ip.eq(ip),
            comments::user_agent.eq(None::<String>),
            comments::ip_truncated_at.eq(now),
        ))
        .execute(conn)
}

/// Every comment with this email, any status, with its article's slug and title.
pub fn comments_of(conn: &mut Conn, email: &str) -> QueryResult<Vec<(Comment, String, String)>> {
    comments::table
        .inner_join(posts::table)
        .filter(comments::email.eq(email))
        .order(comments::id.asc())
        .select((Comment::as_select(), posts::slug, posts::title))
        .load(conn)
}

/// (comment id, kind, created, cancelled) of this email's subscriptions.
pub type SubscriptionRow = (CommentId, String, NaiveDateTime, Option<NaiveDateTime>);

pub fn subscriptions_of(conn: &mut Conn, email: &str) -> QueryResult<Vec<SubscriptionRow>> {
    subscriptions::table
        .filter(subscriptions::email.eq(email))
        .select((
            subscriptions::comment_id,
            subscriptions::kind,
            subscriptions::created_at,
            subscriptions::cancelled_at,
        ))
        .load(conn)
}

/// (subject, state, created, sent) of mail addressed to this email.
pub type MailRow = (String, String, NaiveDateTime, Option<NaiveDateTime>);

pub fn mails_to(conn: &mut Conn, email: &str) -> QueryResult<Vec<MailRow>> {
    outbox::table
        .filter(outbox::recipient.eq(email))
        .order(outbox::id.asc())
        .select((outbox::subject, outbox::state, outbox::created_at, outbox::sent_at))
        .load(conn)
}

/// The name an erased comment is shown under (pages show it in their language).
pub const ERASED_AUTHOR: &str = "Anonymous";

/// Anonymizes one comment: name "Anonymous", no email, website, IP or user agent; the text
/// replaced unless `keep_text` (then `text` and `html` are the current ones).
pub fn anonymize(
    conn: &mut Conn,
    id: CommentId,
    text: &str,
    html: &str,
    now: NaiveDateTime,
) -> QueryResult<usize> {
    diesel::update(comments::table.find(id))
        .set((
            comments::author.eq(ERASED_AUTHOR),
            comments::email.eq(""),
            comments::url.eq(None::<String>),
            comments::ip.eq(None::<String>),
            comments::user_agent.eq(None::<String>),
            comments::body_source.eq(text),
            comments::body_html.eq(html),
            comments::ip_truncated_at.eq(now),
            comments::updated_at.eq(now),
        ))
        .execute(conn)
}

pub fn delete_subscriptions_of(conn: &mut Conn, email: &str) -> QueryResult<usize> {
    diesel::delete(subscriptions::table.filter(subscriptions::email.eq(email))).execute(conn)
}

/// Mail to this address, about its comments, or quoting it is deleted (sent or not).
pub fn delete_mail_mentioning(conn: &mut Conn, email: &str, about: &[CommentId]) -> QueryResult<usize> {
    use super::lower;
    let pattern = super::lower_contains(conn.kind(), email);
    diesel::delete(
        outbox::table.filter(
            outbox::recipient
                .eq(email)
                .or(outbox::comment_id.eq_any(about))
                .or(lower(outbox::body_text).like(pattern.clone()).escape('\\'))
                .or(lower(outbox::body_html).like(pattern).escape('\\')),
        ),
    )
    .execute(conn)
}

pub fn count_with_email(conn: &mut Conn, email: &str) -> QueryResult<i64> {
    comments::table.filter(comments::email.eq(email)).count().get_result(conn)
}

/// A self-service link's request, by the hash of its random id.
pub fn insert_request(
    conn: &mut Conn,
    token_hash: &str,
    email: &str,
    now: NaiveDateTime,
    expires_at: NaiveDateTime,
) -> QueryResult<usize> {
    diesel::insert_into(privacy_requests::table)
        .values((
            privacy_requests::token_hash.eq(token_hash),
            privacy_requests::email.eq(email),
            privacy_requests::created_at.eq(now),
            privacy_requests::expires_at.eq(expires_at),
        ))
        .execute(conn)
}

/// (address, used) of a request: the address is None once used.
pub fn find_request(
    conn: &mut Conn,
    token_hash: &str,
) -> QueryResult<Option<(Option<String>, Option<NaiveDateTime>)>> {
    privacy_requests::table
        .filter(privacy_requests::token_hash.eq(token_hash))
        .select((privacy_requests::email, privacy_requests::used_at))
        .first(conn)
        .optional()
}

/// Marks an unused request used and forgets its address; the address, or None if it was
/// used already (or is unknown).
pub fn use_request(conn: &mut Conn, token_hash: &str, now: NaiveDateTime) -> QueryResult<Option<String>> {
    let unused = privacy_requests::table
        .filter(privacy_requests::token_hash.eq(token_hash))
        .filter(privacy_requests::used_at.is_null());
    let email: Option<Option<String>> = unused.select(privacy_requests::email).first(conn).optional()?;
    let Some(Some(email)) = email else { return Ok(None) };
    diesel::update(unused)
        .set((privacy_requests::used_at.eq(now), privacy_requests::email.eq(None::<String>)))
        .execute(conn)?;
    Ok(Some(email))
}

/// Unused requests for an address being erased.
pub fn delete_requests_of(conn: &mut Conn, email: &str) -> QueryResult<usize> {
    diesel::delete(privacy_requests::table.filter(privacy_requests::email.eq(email))).execute(conn)
}

pub fn purge_expired_requests(conn: &mut Conn, now: NaiveDateTime) -> QueryResult<usize> {
    diesel::delete(privacy_requests::table.filter(privacy_requests::expires_at.lt(now))).execute(conn)
}
