//! A commenter changing or deleting their own comment: from the browser that wrote it (the
//! route checks its signed cookie), within `comments.edit_minutes`, and never once it has a
//! reply. An edit is checked like a new comment: one that adds links or trips a filter goes
//! back to the queue with its reason; the previous text stays in the audit log.

use crate::db::Conn;
use chrono::{Duration, NaiveDateTime};

use crate::config::{CommentsConfig, SpamConfig};
use crate::db::comments::{self as public_comments};
use crate::db::enums::{CommentKind, CommentStatus};
use crate::db::ids::{CommentId, PostId};
use crate::db::queue;
use crate::db::{Change, Tx};
use crate::error::AppError;
use crate::services::audit::{self, Actor};
use crate::services::classifier::{self, CommentText};
use crate::services::comment_form::COMMENT_MAX;
use crate::services::markup;
use crate::services::moderation::policy::{Candidate, ModerationPolicy};
use crate::services::notify::{self, Notifier};
use crate::services::settings;

/// A comment its author may still change: its text and article.
pub struct Editable {
    pub id: CommentId,
    pub post_id: PostId,
    pub text: String,
    pub created_at: NaiveDateTime,
}

fn refused(message: &str) -> AppError {
    AppError::Forbidden(message.to_string())
}

/// Whether `id` may still be changed by its author now; the reason in words when not.
pub fn editable(
    conn: &mut Conn,
    base: &CommentsConfig,
    id: CommentId,
    now: NaiveDateTime,
) -> Result<Editable, AppError> {
    let minutes = settings::effective_comments(conn, base)?.edit_minutes;
    let comment = queue::find(conn, id)?.ok_or(AppError::NotFound)?;
    if comment.kind != CommentKind::Comment || comment.status == CommentStatus::Trash {
        return Err(AppError::NotFound);
    }
    if minutes == 0 {
        return Err(refused("Comments on this site cannot be changed after they are sent."));
    }
    if now - comment.created_at > Duration::minutes(i64::from(minutes)) {
        return Err(refused(&format!(
            "A comment can be changed for {minutes} minutes after it is sent; that time has passed."
        )));
    }
    if public_comments::has_replies(conn, id)? {
        return Err(refused("Someone has replied to this comment, so it can no longer be changed."));
    }
    Ok(Editable { id, post_id: comment.post_id, text: comment.body_source, created_at: comment.created_at })
}

/// The author's new text, checked again; returns the status it now has.
pub fn edit(
    tx: &mut Tx<'_>,
    base: &CommentsConfig,
    spam: &SpamConfig,
    notifier: &Notifier,
    id: CommentId,
    text: &str,
    now: NaiveDateTime,
) -> Result<CommentStatus, AppError> {
    editable(tx, base, id, now)?;
    let text = text.trim().replace("\r\n", "\n");
    if text.is_empty() {
        return Err(AppError::Invalid("Please write something, or delete the comment instead.".into()));
    }
    if text.chars().count() > COMMENT_MAX || crate::text::has_forbidden(&text) {
        return Err(AppError::Invalid(
            "This text cannot be sent (too long, or with characters a comment cannot hold).".into(),
        ));
    }
    let comment = queue::find(tx, id)?.ok_or(AppError::NotFound)?;
    let rendered = markup::render_comment(&text);
    let settings = settings::effective_comments(tx, base)?;
    let policy = ModerationPolicy::from_config(&settings, spam);
    let url = comment.url.clone().unwrap_or_default();
    let learned = spam
        .learn
        .then(|| {
            classifier::assess(
                tx,
                &CommentText { author: &comment.author, email: &comment.email, url: &url, text: &text },
            )
        })
        .flatten();
    let trusted_author = public_comments::is_trusted_author(tx, &comment.author, &comment.email)?;
    let decision = policy.decide(&Candidate {
        author: &comment.author,
        email: &comment.email,
        url: &url,
        text: &text,
        ip: comment.ip.as_deref().unwrap_or(""),
        user_agent: comment.user_agent.as_deref().unwrap_or(""),
        links: rendered.links,
        elapsed_ms: None,
        honeypot_filled: false,
        trusted_author,
        learned,
    });
    // An edit never approves what moderators have not: held stays held, spam stays spam.
    let (status, reason) = match (comment.status, decision.status) {
        (CommentStatus::Spam, _) => (CommentStatus::Spam, comment.reason.clone()),
        (_, CommentStatus::Spam) => {
            (CommentStatus::Spam, format!("edited by its author: {}", decision.reason))
        }
        (CommentStatus::Approved, CommentStatus::Approved) => {
            (CommentStatus::Approved, comment.reason.clone())
        }
        (CommentStatus::Approved, _) => {
            (CommentStatus::Pending, format!("edited by its author: {}", decision.reason))
        }
        (_, CommentStatus::Pending) => {
            (CommentStatus::Pending, format!("edited by its author: {}", decision.reason))
        }
        _ => (comment.status, comment.reason.clone()),
    };
    public_comments::set_edited(tx, id, &text, rendered.html.as_str(), status, &reason, now)?;
    let previous: String = comment.body_source.chars().take(2000).collect();
    let actor = Actor { name: format!("{} (the author)", comment.author), user_id: None };
    let change = audit::Change {
        action: "edited by author",
        comment: Some(id),
        from: Some(comment.status),
        to: Some(status),
        detail: &format!("previous text: {previous}"),
    };
    audit::record(tx, &actor, change, now)?;
    declare(tx, comment.post_id, comment.status, status);
    if status == CommentStatus::Pending && comment.status != CommentStatus::Pending {
        // Back in the queue: moderators hear of it as of a new held comment.
        notify::comment_received(notifier, tx, id)?;
    }
    Ok(status)
}

/// The author deletes their comment (for good: it has no reply to leave orphaned).
pub fn delete(
    tx: &mut Tx<'_>,
    base: &CommentsConfig,
    id: CommentId,
    now: NaiveDateTime,
) -> Result<PostId, AppError> {
    let editable = editable(tx, base, id, now)?;
    let comment = queue::find(tx, id)?.ok_or(AppError::NotFound)?;
    queue::delete(tx, id)?;
    let actor = Actor { name: format!("{} (the author)", comment.author), user_id: None };
    let change = audit::Change {
        action: "deleted by author",
        comment: Some(id),
        from: Some(comment.status),
        to: None,
        detail: "",
    };
    audit::record(tx, &actor, change, now)?;
    declare(tx, editable.post_id, comment.status, comment.status);
    Ok(editable.post_id)
}

/// Readers see the change when the comment was or is approved.
fn declare(tx: &mut Tx<'_>, post: PostId, from: CommentStatus, to: CommentStatus) {
    if from == CommentStatus::Approved || to == CommentStatus::Approved {
        tx.changed(Change::Comments(post));
        tx.changed(Change::CommentFeed);
    } else {
        tx.private_only();
    }
}
