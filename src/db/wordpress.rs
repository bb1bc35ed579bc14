//! What a WordPress import writes besides posts: the id mapping, imported comments, and the
//! reads the exporter streams from.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::enums::{CommentFormat, CommentKind, CommentStatus};
use super::ids::{CommentId, PostId};
use super::schema::{comments, wordpress_ids};

/// Which WordPress object a mapping row is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WpKind {
    Post,
    Comment,
}

impl WpKind {
    fn as_str(self) -> &'static str {
        match self {
            WpKind::Post => "post",
            WpKind::Comment => "comment",
        }
    }
}

/// The local id of WordPress object `wp_id` from `site`, if imported before.
pub fn local_id(
    conn: &mut SqliteConnection,
    site: &str,
    kind: WpKind,
    wp_id: i64,
) -> QueryResult<Option<i32>> {
    let Ok(wp_id) = i32::try_from(wp_id) else { return Ok(None) };
    wordpress_ids::table
        .filter(wordpress_ids::site.eq(site))
        .filter(wordpress_ids::kind.eq(kind.as_str()))
        .filter(wordpress_ids::wp_id.eq(wp_id))
        .select(wordpress_ids::local_id)
        .first(conn)
        .optional()
}

/// Every (wp_id, local_id) of one kind from `site` (loaded once per import).
pub fn all_ids(conn: &mut SqliteConnection, site: &str, kind: WpKind) -> QueryResult<Vec<(i32, i32)>> {
    wordpress_ids::table
        .filter(wordpress_ids::site.eq(site))
        .filter(wordpress_ids::kind.eq(kind.as_str()))
        .select((wordpress_ids::wp_id, wordpress_ids::local_id))
        .load(conn)
}

/// Records (or moves, when the old local row is gone) a mapping.
pub fn map_id(
    conn: &mut SqliteConnection,
    site: &str,
    kind: WpKind,
    wp_id: i32,
    local: i32,
) -> QueryResult<()> {
    diesel::replace_into(wordpress_ids::table)
        .values((
            wordpress_ids::site.eq(site),
            wordpress_ids::kind.eq(kind.as_str()),
            wordpress_ids::wp_id.eq(wp_id),
            wordpress_ids::local_id.eq(local),
        ))
        .execute(conn)?;
    Ok(())
}

pub fn unmap_id(conn: &mut SqliteConnection, site: &str, kind: WpKind, wp_id: i32) -> QueryResult<()> {
    diesel::delete(
        wordpress_ids::table
            .filter(wordpress_ids::site.eq(site))
            .filter(wordpress_ids::kind.eq(kind.as_str()))
            .filter(wordpress_ids::wp_id.eq(wp_id)),
    )
    .execute(conn)?;
    Ok(())
}

/// A comment as WordPress had it.
#[derive(Debug, Insertable)]
#[diesel(table_name = comments)]
pub struct ImportedComment<'a> {
    pub post_id: PostId,
    pub status: CommentStatus,
    pub kind: CommentKind,
    pub body_format: CommentFormat,
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
}

pub fn insert_comment(conn: &mut SqliteConnection, new: &ImportedComment<'_>) -> QueryResult<CommentId> {
    diesel::insert_into(comments::table).values(new).returning(comments::id).get_result(conn)
}

pub fn set_parent(conn: &mut SqliteConnection, id: CommentId, parent: CommentId) -> QueryResult<()> {
    diesel::update(comments::table.find(id)).set(comments::parent_id.eq(parent)).execute(conn)?;
    Ok(())
}

pub fn comment_exists(conn: &mut SqliteConnection, id: CommentId) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(comments::table.find(id))).get_result(conn)
}

/// A comment as the exporter writes it (the moderator's view: email and IP included).
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = comments, check_for_backend(diesel::sqlite::Sqlite))]
pub struct ExportComment {
    pub id: CommentId,
    pub parent_id: Option<CommentId>,
    pub status: CommentStatus,
    pub kind: CommentKind,
    pub body_format: CommentFormat,
    pub author: String,
    pub email: String,
    pub url: Option<String>,
    pub ip: Option<String>,
    pub user_agent: Option<String>,
    pub body_source: String,
    pub body_html: String,
    pub created_at: NaiveDateTime,
}

/// Every comment of a post, oldest first; spam left out when `with_spam` is false.
pub fn comments_for_export(
    conn: &mut SqliteConnection,
    post: PostId,
    with_spam: bool,
) -> QueryResult<Vec<ExportComment>> {
    let mut query = comments::table.filter(comments::post_id.eq(post)).into_boxed();
    if !with_spam {
        query = query.filter(comments::status.ne(CommentStatus::Spam));
    }
    query
        .order((comments::created_at.asc(), comments::id.asc()))
        .select(ExportComment::as_select())
        .load(conn)
}

/// Deletes the comments created by a failed import (their replies go with them).
pub fn delete_comments(conn: &mut SqliteConnection, ids: &[CommentId]) -> QueryResult<usize> {
    let mut deleted = 0;
    for chunk in ids.chunks(500) {
        deleted += diesel::delete(comments::table.filter(comments::id.eq_any(chunk))).execute(conn)?;
    }
    Ok(deleted)
}
