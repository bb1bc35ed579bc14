//! What the moderation API (and `comments list --json`) answers: moderators only, so the
//! commenter's email is included.

use serde::Serialize;

use crate::db::enums::CommentStatus;
use crate::db::queue::QueueRow;

/// A comment as the API shows it to moderators (email included).
#[derive(Debug, Serialize)]
pub struct ApiComment {
    pub id: i32,
    pub post_slug: String,
    pub parent_id: Option<i32>,
    pub author: String,
    pub email: String,
    pub url: Option<String>,
    pub body_html: String,
    pub status: CommentStatus,
    pub created_at: String,
}

impl From<QueueRow> for ApiComment {
    fn from((c, slug, _title): QueueRow) -> ApiComment {
        ApiComment {
            id: c.id.0,
            post_slug: slug,
            parent_id: c.parent_id.map(|p| p.0),
            author: c.author,
            email: c.email,
            url: c.url,
            body_html: c.body_html,
            status: c.status,
            created_at: format!("{}Z", c.created_at.format("%Y-%m-%dT%H:%M:%S")),
        }
    }
}
