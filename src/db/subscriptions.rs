//! Commenters' opt-ins to mail (replies; "tell me when it is published").

use crate::db::Conn;
use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::enums::SubscriptionKind;
use super::ids::CommentId;
use super::schema::subscriptions;

pub fn insert(
    conn: &mut Conn,
    comment: CommentId,
    email: &str,
    kind: SubscriptionKind,
    now: NaiveDateTime,
) -> QueryResult<usize> {
    crate::db::per_backend!(conn, |c| diesel::insert_into(subscriptions::table)
        .values((
            subscriptions::comment_id.eq(comment),
            subscriptions::email.eq(email),
            subscriptions::kind.eq(kind),
            subscriptions::created_at.eq(now),
        ))
        .on_conflict_do_nothing()
        .execute(c))
}

/// (subscription id, email) of an active subscription.
pub fn active(
    conn: &mut Conn,
    comment: CommentId,
    kind: SubscriptionKind,
) -> QueryResult<Option<(i32, String)>> {
    subscriptions::table
        .filter(subscriptions::comment_id.eq(comment))
        .filter(subscriptions::kind.eq(kind))
        .filter(subscriptions::cancelled_at.is_null())
        .select((subscriptions::id, subscriptions::email))
        .first(conn)
        .optional()
}

/// Ends one subscription; returns (comment id, kind) when it existed.
pub fn cancel(conn: &mut Conn, id: i32, now: NaiveDateTime) -> QueryResult<Option<(CommentId, String)>> {
    let found: Option<(CommentId, String)> = subscriptions::table
        .find(id)
        .select((subscriptions::comment_id, subscriptions::kind))
        .first(conn)
        .optional()?;
    if found.is_some() {
        diesel::update(subscriptions::table.find(id).filter(subscriptions::cancelled_at.is_null()))
            .set(subscriptions::cancelled_at.eq(now))
            .execute(conn)?;
    }
    Ok(found)
}

pub fn cancel_all_for(conn: &mut Conn, email: &str, now: NaiveDateTime) -> QueryResult<usize> {
    diesel::update(
        subscriptions::table
            .filter(subscriptions::email.eq(email))
            .filter(subscriptions::cancelled_at.is_null()),
    )
    .set(subscriptions::cancelled_at.eq(now))
    .execute(conn)
}

/// Ends every subscription about one comment; returns how many were active.
pub fn cancel_for_comment(conn: &mut Conn, comment: CommentId, now: NaiveDateTime) -> QueryResult<usize> {
    diesel::update(
        subscriptions::table
            .filter(subscriptions::comment_id.eq(comment))
            .filter(subscriptions::cancelled_at.is_null()),
    )
    .set(subscriptions::cancelled_at.eq(now))
    .execute(conn)
}
