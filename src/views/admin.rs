//! View structs for the admin. These carry commenter emails and IPs: moderators only.

use std::collections::HashMap;

use serde::Serialize;

use super::DateView;
use crate::db::comments::Comment;
use crate::db::enums::CommentStatus;
use crate::db::ids::CommentId;
use crate::db::queue::QueueRow;
use crate::services::markup::{truncate_words, SafeHtml};

/// What every admin page's layout needs.
#[derive(Debug, Clone, Serialize)]
pub struct AdminLayout {
    pub page_title: String,
    pub username: String,
    pub is_admin: bool,
    pub csrf: String,
    pub flash: Option<String>,
}

/// Who is looking at an admin page.
#[derive(Debug, Clone)]
pub struct Viewer<'a> {
    pub username: &'a str,
    pub is_admin: bool,
    pub csrf: &'a str,
}

impl AdminLayout {
    pub fn new(page_title: &str, viewer: Viewer<'_>, flash: Option<String>) -> AdminLayout {
        AdminLayout {
            page_title: page_title.to_string(),
            username: viewer.username.to_string(),
            is_admin: viewer.is_admin,
            csrf: viewer.csrf.to_string(),
            flash,
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct ActionButton {
    pub action: &'static str,
    pub label: &'static str,
}

/// The actions offered for a comment in `status` (bulk actions cover the rest).
pub fn actions_for(status: CommentStatus) -> Vec<ActionButton> {
    let b = |action, label| ActionButton { action, label };
    match status {
        CommentStatus::Pending => vec![
            b("approve", "Approve"),
            b("approve_trust", "Approve and trust author"),
            b("spam", "Spam"),
            b("spam_block", "Spam and block"),
            b("trash", "Trash"),
        ],
        CommentStatus::Approved => vec![b("unapprove", "Unapprove"), b("spam", "Spam"), b("trash", "Trash")],
        CommentStatus::Spam => vec![b("notspam", "Not spam"), b("trash", "Trash")],
        CommentStatus::Trash => vec![b("restore", "Restore"), b("delete", "Delete permanently")],
    }
}

/// A comment the learned filter held gets a "Not spam" button (it approves, and teaches the
/// filter it was wrong); one it marked spam has "Not spam" already.
fn actions_for_comment(status: CommentStatus, filter_verdict: Option<&str>) -> Vec<ActionButton> {
    let mut actions = actions_for(status);
    if status == CommentStatus::Pending && filter_verdict.is_some() {
        actions.insert(0, ActionButton { action: "approve", label: "Not spam: approve" });
        actions.retain(|b| b.label != "Approve");
    }
    actions
}

#[derive(Debug, Clone, Serialize)]
pub struct ModCommentView {
    pub id: CommentId,
    pub status: CommentStatus,
    pub author: String,
    pub email: String,
    pub url: Option<String>,
    pub ip: Option<String>,
    pub user_agent: Option<String>,
    pub post_title: String,
    pub post_url: String,
    /// A thread of another site's page: that site's name (embed.sites).
    pub site: Option<String>,
    pub in_reply_to: Option<String>,
    pub reason: String,
    pub date: DateView,
    pub time: String,
    pub body_html: SafeHtml,
    pub body_source: String,
    pub by_moderator: bool,
    pub actions: Vec<ActionButton>,
    /// "marked spam by the learned filter" or "held by the learned filter".
    pub by_filter: Option<&'static str>,
}

impl ModCommentView {
    /// `parents`: id -> (author, text) of the comments replied to.
    pub fn new(row: QueueRow, parents: &HashMap<CommentId, (String, String)>) -> ModCommentView {
        let (comment, slug, title): (Comment, String, String) = row;
        let in_reply_to = comment
            .parent_id
            .and_then(|p| parents.get(&p))
            .map(|(author, text)| format!("{author}: {}", truncate_words(text, 140)));
        ModCommentView {
            id: comment.id,
            status: comment.status,
            actions: actions_for_comment(comment.status, comment.filter_verdict.as_deref()),
            by_filter: match comment.filter_verdict.as_deref() {
                Some("spam") => Some("marked spam by the learned filter"),
                Some("held") => Some("held by the learned filter"),
                _ => None,
            },
            author: comment.author,
            email: comment.email,
            url: comment.url,
            ip: comment.ip,
            user_agent: comment.user_agent,
            post_url: format!("/posts/{slug}#comment-{}", comment.id),
            post_title: title,
            site: None,
            in_reply_to,
            reason: comment.reason,
            date: DateView::new(comment.created_at, crate::i18n::Locale::english()),
            time: comment.created_at.format("%Y-%m-%d %H:%M UTC").to_string(),
            body_html: SafeHtml::from_stored(comment.body_html),
            body_source: comment.body_source,
            by_moderator: comment.user_id.is_some(),
        }
    }
}

/// The learned filter's record on the dashboard.
#[derive(Debug, Clone, Serialize)]
pub struct FilterRecordView {
    pub on: bool,
    pub spam_docs: i64,
    pub ham_docs: i64,
    pub marked_spam: i64,
    pub reversed: i64,
    pub held: i64,
    /// Reversed as a share of marked, in percent, one decimal.
    pub reversed_percent: String,
    /// Decisions of each kind still needed before it marks spam by itself.
    pub learning: Option<i64>,
    pub threshold_spam: f64,
    pub threshold_hold: f64,
}

impl FilterRecordView {
    pub fn new(
        record: crate::db::spam_filter::FilterRecord,
        config: &crate::config::SpamConfig,
    ) -> FilterRecordView {
        let needs = i64::from(config.min_training);
        let reversed_percent = if record.marked_spam > 0 {
            format!("{:.1}", record.reversed as f64 * 100.0 / record.marked_spam as f64)
        } else {
            "0".into()
        };
        FilterRecordView {
            on: config.learn,
            spam_docs: record.spam_docs,
            ham_docs: record.ham_docs,
            marked_spam: record.marked_spam,
            reversed: record.reversed,
            held: record.held,
            reversed_percent,
            learning: (record.spam_docs < needs || record.ham_docs < needs).then_some(needs),
            threshold_spam: config.threshold_spam,
            threshold_hold: config.threshold_hold,
        }
    }
}
