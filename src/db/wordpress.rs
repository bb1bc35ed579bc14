//! What a WordPress import writes besides posts and comments: the id mapping, threads, the
//! undo of a comment, and the exporter's read of a post's comments.

use crate::db::Conn;
use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::comments::Comment;
use super::enums::CommentStatus;
use super::ids::{CommentId, PostId};
use super::schema::{comments, wordpress_comments, wordpress_posts};

/// (wp_id, our post if it still exists, when an import last wrote it) of every post from `site`.
pub type PostMapping = (i32, Option<PostId>, Option<NaiveDateTime>);

pub fn post_mappings(conn: &mut Conn, site: &str) -> QueryResult<Vec<PostMapping>> {
    wordpress_posts::table
        .filter(wordpress_posts::site.eq(site))
        .select((wordpress_posts::wp_id, wordpress_posts::post_id, wordpress_posts::synced_at))
        .load(conn)
}

/// Records (or points anew, when the post was deleted here) a post's mapping.
pub fn map_post(
    conn: &mut Conn,
    site: &str,
    wp_id: i32,
    post: PostId,
    synced_at: NaiveDateTime,
) -> QueryResult<()> {
    crate::db::per_backend!(conn, |c| diesel::insert_into(wordpress_posts::table)
        .values((
            wordpress_posts::site.eq(site),
            wordpress_posts::wp_id.eq(wp_id),
            wordpress_posts::post_id.eq(post),
            wordpress_posts::synced_at.eq(synced_at),
        ))
        .on_conflict((wordpress_posts::site, wordpress_posts::wp_id))
        .do_update()
        .set((wordpress_posts::post_id.eq(post), wordpress_posts::synced_at.eq(synced_at)))
        .execute(c))?;
    Ok(())
}

pub fn set_synced(conn: &mut Conn, site: &str, wp_id: i32, at: Option<NaiveDateTime>) -> QueryResult<()> {
    diesel::update(wordpress_posts::table.find((site, wp_id)))
        .set(wordpress_posts::synced_at.eq(at))
        .execute(conn)?;
    Ok(())
}

pub fn unmap_post(conn: &mut Conn, site: &str, wp_id: i32) -> QueryResult<()> {
    diesel::delete(wordpress_posts::table.find((site, wp_id))).execute(conn)?;
    Ok(())
}

/// (wp_id, our comment if it still exists) of every comment from `site`.
pub fn comment_mappings(conn: &mut Conn, site: &str) -> QueryResult<Vec<(i32, Option<CommentId>)>> {
    wordpress_comments::table
        .filter(wordpress_comments::site.eq(site))
        .select((wordpress_comments::wp_id, wordpress_comments::comment_id))
        .load(conn)
}

pub fn map_comment(conn: &mut Conn, site: &str, wp_id: i32, comment: CommentId) -> QueryResult<()> {
    crate::db::per_backend!(conn, |c| diesel::insert_into(wordpress_comments::table)
        .values((
            wordpress_comments::site.eq(site),
            wordpress_comments::wp_id.eq(wp_id),
            wordpress_comments::comment_id.eq(comment),
        ))
        .on_conflict((wordpress_comments::site, wordpress_comments::wp_id))
        .do_update()
        .set(wordpress_comments::comment_id.eq(comment))
        .execute(c))?;
    Ok(())
}

pub fn unmap_comment(conn: &mut Conn, site: &str, wp_id: i32) -> QueryResult<()> {
    diesel::delete(wordpress_comments::table.find((site, wp_id))).execute(conn)?;
    Ok(())
}

pub fn set_parent(conn: &mut Conn, id: CommentId, parent: CommentId) -> QueryResult<()> {
    diesel::update(comments::table.find(id)).set(comments::parent_id.eq(parent)).execute(conn)?;
    Ok(())
}

/// Every comment of a post, oldest first; spam left out when `with_spam` is false.
pub fn comments_for_export(conn: &mut Conn, post: PostId, with_spam: bool) -> QueryResult<Vec<Comment>> {
    let mut query = comments::table.filter(comments::post_id.eq(post)).into_boxed();
    if !with_spam {
        query = query.filter(comments::status.ne(CommentStatus::Spam));
    }
    query.order((comments::created_at.asc(), comments::id.asc())).select(Comment::as_select()).load(conn)
}

/// Deletes a comment an undone import created (its replies go with it).
pub fn delete_comment(conn: &mut Conn, id: CommentId) -> QueryResult<usize> {
    diesel::delete(comments::table.find(id)).execute(conn)
}
