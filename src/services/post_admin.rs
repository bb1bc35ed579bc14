//! Managing posts after they are written: the trash (comments kept with the post), deleting
//! for good, and the scheduler that publishes a post when its date comes.

use crate::db::Conn;
use chrono::{NaiveDateTime, Utc};

use crate::db::enums::PostStatus;
use crate::db::ids::PostId;
use crate::db::posts::{self, AdminFilter, AdminPostRow, Post};
use crate::db::{Change, Tx};
use crate::error::AppError;
use crate::services::articles::written;
use crate::services::audit;

/// Trashed posts are deleted for good after this many days (as WordPress does).
pub const TRASH_DAYS: i64 = 30;

fn find(tx: &mut Conn, id: PostId) -> Result<Post, AppError> {
    posts::find(tx, id)?.ok_or(AppError::NotFound)
}

/// Moves a post to the trash: it leaves every public page at once; its comments wait with it.
pub fn trash(tx: &mut Tx<'_>, id: PostId, actor: &str) -> Result<Post, AppError> {
    let post = find(tx, id)?;
    if post.status == PostStatus::Trash {
        return Ok(post);
    }
    let trashed = posts::trash(tx, &post, Utc::now().naive_utc())?;
    written(tx, &trashed, Some(&post))?;
    tx.changed(Change::CommentFeed);
    audit::record_admin_action(tx, actor, "post trashed", &format!("post {id} “{}”", post.title))?;
    Ok(trashed)
}

/// Takes a post out of the trash with the status it had (a scheduled post whose date has
/// passed meanwhile is published).
pub fn restore(tx: &mut Tx<'_>, id: PostId, actor: &str) -> Result<Post, AppError> {
    let post = find(tx, id)?;
    if post.status != PostStatus::Trash {
        return Ok(post);
    }
    let wanted = post.trashed_from.unwrap_or(PostStatus::Draft);
    let status =
        crate::services::articles::scheduled_or_not(wanted, post.published_at, Utc::now().naive_utc());
    let restored = posts::set_status(tx, id, status)?;
    written(tx, &restored, Some(&post))?;
    tx.changed(Change::CommentFeed);
    audit::record_admin_action(
        tx,
        actor,
        "post restored",
        &format!("post {id} “{}” as {status}", post.title),
    )?;
    Ok(restored)
}

/// Deletes a trashed post and its comments for good; a post not in the trash is refused.
pub fn delete_permanently(tx: &mut Tx<'_>, id: PostId, actor: &str) -> Result<Post, AppError> {
    let post = find(tx, id)?;
    if post.status != PostStatus::Trash {
        return Err(AppError::Invalid(format!(
            "“{}” is not in the trash: move it to the trash first.",
            post.title
        )));
    }
    posts::delete(tx, id)?;
    // Trashed: on no public page, but the navigation and listings are re-read.
    tx.changed(Change::Everything);
    audit::record_admin_action(tx, actor, "post deleted", &format!("post {id} “{}”", post.title))?;
    Ok(post)
}

/// Publishes every scheduled post whose date has come; returns them.
pub fn publish_due(tx: &mut Tx<'_>, now: NaiveDateTime) -> Result<Vec<Post>, AppError> {
    let mut published = Vec::new();
    for id in posts::due_scheduled(tx, now, 100)? {
        let before = find(tx, id)?;
        let post = posts::set_status(tx, id, PostStatus::Published)?;
        written(tx, &post, Some(&before))?;
        audit::record_admin_action(
            tx,
            "system",
            "post published",
            &format!("post {id} “{}” as scheduled", post.title),
        )?;
        published.push(post);
    }
    if published.is_empty() {
        tx.private_only();
    }
    Ok(published)
}

/// Deletes posts trashed more than `TRASH_DAYS` ago; returns how many.
pub fn purge_trash(tx: &mut Tx<'_>, now: NaiveDateTime) -> Result<usize, AppError> {
    let old = posts::trashed_before(tx, now - chrono::Duration::days(TRASH_DAYS))?;
    for id in &old {
        delete_permanently(tx, *id, "system")?;
    }
    if old.is_empty() {
        tx.private_only();
    }
    Ok(old.len())
}

/// One page of the admin's post list and how many match.
pub fn admin_page(
    conn: &mut Conn,
    filter: &AdminFilter,
    offset: i64,
    limit: i64,
) -> Result<(Vec<AdminPostRow>, i64), AppError> {
    let total = posts::admin_count(conn, filter)?;
    Ok((posts::admin_list(conn, filter, offset, limit)?, total))
}
