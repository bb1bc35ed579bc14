//! What a WordPress import writes besides posts: the id mapping, imported comments, and the
//! reads the exporter streams from.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::enums::{CommentFormat, CommentKind, CommentStatus};
use super::ids::{CommentId, PostId};
use super::schema::{comments, wordpress_comments, wordpress_posts};

/// (wp_id, our post if it still exists, when an import last wrote it) of every post from `site`.
pub type PostMapping = (i32, Option<PostId>, Option<NaiveDateTime>);

pub fn post_mappings(conn: &mut SqliteConnection, site: &str) -> QueryResult<Vec<PostMapping>> {
    wordpress_posts::table
        .filter(wordpress_posts::site.eq(site))
        .select((wordpress_posts::wp_id, wordpress_posts::post_id, wordpress_posts::synced_at))
        .load(conn)
}

/// Records (or points anew, when the post was deleted here) a post's mapping.
pub fn map_post(
    conn: &mut SqliteConnection,
    site: &str,
    wp_id: i32,
    post: PostId,
    synced_at: NaiveDateTime,
) -> QueryResult<()> {
    diesel::replace_into(wordpress_posts::table)
        .values((
            wordpress_posts::site.eq(site),
            wordpress_posts::wp_id.eq(wp_id),
            wordpress_posts::post_id.eq(post),
            wordpress_posts::synced_at.eq(synced_at),
        ))
        .execute(conn)?;
    Ok(())
}

pub fn set_synced(
    conn: &mut SqliteConnection,
    site: &str,
    wp_id: i32,
    at: Option<NaiveDateTime>,
) -> QueryResult<()> {
    diesel::update(wordpress_posts::table.find((site, wp_id)))
        .set(wordpress_posts::synced_at.eq(at))
        .execute(conn)?;
    Ok(())
}

pub fn unmap_post(conn: &mut SqliteConnection, site: &str, wp_id: i32) -> QueryResult<()> {
    diesel::delete(wordpress_posts::table.find((site, wp_id))).execute(conn)?;
    Ok(())
}

/// (wp_id, our comment if it still exists) of every comment from `site`.
pub fn comment_mappings(
    conn: &mut SqliteConnection,
    site: &str,
) -> QueryResult<Vec<(i32, Option<CommentId>)>> {
    wordpress_comments::table
        .filter(wordpress_comments::site.eq(site))
        .select((wordpress_comments::wp_id, wordpress_comments::comment_id))
        .load(conn)
}

pub fn map_comment(
    conn: &mut SqliteConnection,
    site: &str,
    wp_id: i32,
    comment: CommentId,
) -> QueryResult<()> {
    diesel::replace_into(wordpress_comments::table)
        .values((
            wordpress_comments::site.eq(site),
            wordpress_comments::wp_id.eq(wp_id),
            wordpress_comments::comment_id.eq(comment),
        ))
        .execute(conn)?;
    Ok(())
}

pub fn unmap_comment(conn: &mut SqliteConnection, site: &str, wp_id: i32) -> QueryResult<()> {
    diesel::delete(wordpress_comments::table.find((site, wp_id))).execute(conn)?;
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
