//! What moderators read: status counts and pages of the queue, with "in reply to" excerpts.

use std::collections::HashMap;

use crate::db::Conn;

use crate::db::enums::CommentStatus;
use crate::db::ids::CommentId;
use crate::db::queue::{self, QueueFilter, QueueRow};
use crate::error::AppError;
use crate::services::posts::total_pages;

#[derive(Debug, Default, Clone, serde::Serialize)]
pub struct StatusCounts {
    pub pending: i64,
    pub approved: i64,
    pub spam: i64,
    pub trash: i64,
}

pub fn counts(conn: &mut Conn) -> Result<StatusCounts, AppError> {
    let mut counts = StatusCounts::default();
    for (status, n) in queue::counts_by_status(conn)? {
        match status {
            CommentStatus::Pending => counts.pending = n,
            CommentStatus::Approved => counts.approved = n,
            CommentStatus::Spam => counts.spam = n,
            CommentStatus::Trash => counts.trash = n,
        }
    }
    Ok(counts)
}

#[derive(Debug)]
pub struct QueuePage {
    pub rows: Vec<QueueRow>,
    pub parents: HashMap<CommentId, (String, String)>,
    /// The embed site of each comment's thread (comments on other sites' pages).
    pub sites: HashMap<crate::db::ids::PostId, String>,
    pub counts: StatusCounts,
    pub page: u32,
    pub total_pages: u32,
    pub total: i64,
}

/// Page `page` (1-based; past the end gives the last page) of the filtered queue.
pub fn queue_page(
    conn: &mut Conn,
    filter: &QueueFilter,
    page: u32,
    per_page: u32,
) -> Result<QueuePage, AppError> {
    let total = queue::queue_count(conn, filter)?;
    let total_pages = total_pages(total, per_page);
    let page = page.clamp(1, total_pages);
    let offset = i64::from(page - 1) * i64::from(per_page);
    let rows = queue::queue(conn, filter, offset, i64::from(per_page))?;
    let parent_ids: Vec<CommentId> = rows.iter().filter_map(|(c, _, _)| c.parent_id).collect();
    let parents = queue::excerpts(conn, &parent_ids)?
        .into_iter()
        .map(|(id, author, text)| (id, (author, text)))
        .collect();
    let post_ids: Vec<crate::db::ids::PostId> = rows.iter().map(|(c, _, _)| c.post_id).collect();
    let sites = crate::db::threads::sites_of(conn, &post_ids)?.into_iter().collect();
    Ok(QueuePage { rows, parents, sites, counts: counts(conn)?, page, total_pages, total })
}
