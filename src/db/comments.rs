//! Comments. Public queries select through `PublicCommentRow`, which has no email, IP or
//! user agent: what a public page cannot load, it cannot leak.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use diesel::sqlite::Sqlite;

use super::enums::CommentStatus;
use super::ids::{CommentId, PostId};
use super::schema::comments;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = comments, check_for_backend(Sqlite))]
pub struct PublicCommentRow {
    pub id: CommentId,
    pub parent_id: Option<CommentId>,
    pub status: CommentStatus,
    pub author: String,
    pub url: Option<String>,
    pub body_html: String,
    pub created_at: NaiveDateTime,
}

pub fn count_approved_for_post(conn: &mut SqliteConnection, post: PostId) -> QueryResult<i64> {
    comments::table
        .filter(comments::post_id.eq(post))
        .filter(comments::status.eq(CommentStatus::Approved))
        .count()
        .get_result(conn)
}

/// Approved comments of a post, oldest first, plus the viewer's own held ones (`own_ids`).
pub fn list_public_for_post(
    conn: &mut SqliteConnection,
    post: PostId,
    own_ids: &[CommentId],
) -> QueryResult<Vec<PublicCommentRow>> {
    comments::table
        .filter(comments::post_id.eq(post))
        .filter(
            comments::status.eq(CommentStatus::Approved).or(comments::id
                .eq_any(own_ids)
                .and(comments::status.eq(CommentStatus::Pending))),
        )
        .order((comments::created_at.asc(), comments::id.asc()))
        .select(PublicCommentRow::as_select())
        .load(conn)
}
