//! Moderation actions. Web admin, API and CLI all come through `apply`, and every change
//! writes the audit log in the same transaction.

use chrono::{Duration, NaiveDateTime, Utc};

use super::Action;
use crate::db::comments::Comment;
use crate::db::comments::{self as public_comments, NewComment};
use crate::db::enums::{CommentFormat, CommentKind, CommentStatus, Role};
use crate::db::ids::{CommentId, PostId};
use crate::db::queue;
use crate::db::spam_filter::Label;
use crate::db::users::User;
use crate::db::Change as Shown;
use crate::db::Tx;
use crate::error::AppError;
use crate::services::audit::{record, Actor, Change};
use crate::services::classifier::{self, CommentText};
use crate::services::markup;
use crate::services::notify::{self, Notifier};
use crate::services::settings::{self, ListName};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Changed {
        from: CommentStatus,
        to: CommentStatus,
    },
    Deleted,
    /// Nothing to do (already in that state, or the action does not apply); says why.
    Unchanged(String),
}

/// Where an action takes a comment now in `from` (None: it does not apply).
pub fn target(action: Action, from: CommentStatus, previous: Option<CommentStatus>) -> Option<CommentStatus> {
    use CommentStatus::*;
    let back = previous.filter(|p| *p == Pending || *p == Approved).unwrap_or(Pending);
    match (action, from) {
        (Action::Approve | Action::ApproveAndTrust, s) if s != Approved => Some(Approved),
        (Action::Unapprove, Approved) => Some(Pending),
        (Action::Spam | Action::SpamAndBlock, s) if s != Spam => Some(Spam),
        (Action::NotSpam, Spam) => Some(back),
        (Action::Trash, s) if s != Trash => Some(Trash),
        (Action::Restore, Trash) => Some(previous.filter(|p| *p != Trash).unwrap_or(Pending)),
        _ => None,
    }
}

/// Tells the page cache a post's approved comments changed.
fn shown(conn: &mut Tx<'_>, post: PostId) {
    conn.changed(Shown::Comments(post));
    conn.changed(Shown::CommentFeed);
}

/// Readers see a status or text change only of a comment that was or becomes approved.
fn shown_if_visible(conn: &mut Tx<'_>, comment: &Comment, to: CommentStatus) {
    if comment.status == CommentStatus::Approved || to == CommentStatus::Approved {
        shown(conn, comment.post_id);
    } else {
        conn.private_only();
    }
}

/// What a moderator's decision teaches the learned filter: spam is spam, approved or "not
/// spam" is genuine, unapproving takes an approval back; trash and restore teach nothing new.
fn teach(conn: &mut Tx<'_>, comment: &Comment, action: Action, to: CommentStatus) -> Result<(), AppError> {
    if comment.kind != CommentKind::Comment || matches!(action, Action::Trash | Action::Restore) {
        // Pingbacks are not what readers write; trash and restore are not a verdict (a
        // restored comment goes back to what it was, already learned or never decided).
        return Ok(());
    }
    let wanted = match (action, to) {
        (_, CommentStatus::Spam) => Some(Label::Spam),
        (_, CommentStatus::Approved) | (Action::NotSpam, _) => Some(Label::Ham),
        (Action::Unapprove, _) => None,
        _ => return Ok(()),
    };
    classifier::learn(conn, comment.id, wanted)
}

/// `apply` for a group drawn on a page earlier (a spam wave): a comment approved or trashed
/// since then by someone else is left alone.
pub fn apply_if_held(
    conn: &mut Tx<'_>,
    notifier: &Notifier,
    actor: &Actor,
    id: CommentId,
    action: Action,
) -> Result<Outcome, AppError> {
    let comment = queue::find(conn, id)?.ok_or(AppError::NotFound)?;
    if !matches!(comment.status, CommentStatus::Pending | CommentStatus::Spam) {
        return Ok(Outcome::Unchanged(format!("the comment is {} now", comment.status)));
    }
    apply_to(conn, notifier, actor, comment, action)
}

/// Applies `action` to comment `id`.
pub fn apply(
    conn: &mut Tx<'_>,
    notifier: &Notifier,
    actor: &Actor,
    id: CommentId,
    action: Action,
) -> Result<Outcome, AppError> {
    let comment = queue::find(conn, id)?.ok_or(AppError::NotFound)?;
    apply_to(conn, notifier, actor, comment, action)
}

fn apply_to(
    conn: &mut Tx<'_>,
    notifier: &Notifier,
    actor: &Actor,
    comment: Comment,
    action: Action,
) -> Result<Outcome, AppError> {
    let now = Utc::now().naive_utc();
    let id = comment.id;
    conn.private_only(); // until a visible comment changes
    if action == Action::Delete {
        if comment.status != CommentStatus::Trash {
            return Ok(Outcome::Unchanged("only comments in the trash can be deleted permanently".into()));
        }
        delete_permanently(conn, actor, &comment, now)?;
        return Ok(Outcome::Deleted);
    }
    if action == Action::SpamAndBlock && comment.status == CommentStatus::Spam {
        // Already spam (a wave's older members): its sender is still blocked, and a moderator
        // has now said it is spam.
        block_sender(conn, notifier, &comment)?;
        teach(conn, &comment, action, CommentStatus::Spam)?;
        let change = Change {
            action: action.name(),
            comment: Some(id),
            from: Some(comment.status),
            to: Some(comment.status),
            detail: "email and IP added to the disallowed list",
        };
        record(conn, actor, change, now)?;
        return Ok(Outcome::Unchanged("already spam; its email and IP are now blocked".into()));
    }
    let Some(to) = target(action, comment.status, comment.previous_status) else {
        return Ok(Outcome::Unchanged(format!("the comment is {}", comment.status)));
    };
    queue::set_status(conn, id, to, Some(comment.status), now)?;
    shown_if_visible(conn, &comment, to);
    teach(conn, &comment, action, to)?;
    let detail = match action {
        Action::ApproveAndTrust => trust_author(conn, notifier, actor, &comment, now)?,
        Action::SpamAndBlock => {
            block_sender(conn, notifier, &comment)?;
            "email and IP added to the disallowed list"
        }
        _ => "",
    };
    let change =
        Change { action: action.name(), comment: Some(id), from: Some(comment.status), to: Some(to), detail };
    record(conn, actor, change, now)?;
    if to == CommentStatus::Approved {
        notify::comment_approved(notifier, conn, id)?;
    }
    Ok(Outcome::Changed { from: comment.status, to })
}

/// The comment's email and IP join the disallowed list.
fn block_sender(conn: &mut Tx<'_>, notifier: &Notifier, comment: &Comment) -> Result<(), AppError> {
    let config = &notifier.config;
    settings::add_to_list(conn, config, ListName::Disallowed, &comment.email)?;
    if let Some(ip) = &comment.ip {
        settings::add_to_list(conn, config, ListName::Disallowed, ip)?;
    }
    Ok(())
}

/// "Approve and trust": the author's email joins the trusted list and their other held
/// comments are approved with it.
fn trust_author(
    conn: &mut Tx<'_>,
    notifier: &Notifier,
    actor: &Actor,
    comment: &Comment,
    now: NaiveDateTime,
) -> Result<&'static str, AppError> {
    settings::add_to_list(conn, &notifier.config, ListName::Trusted, &comment.email)?;
    // Held comments on any article may be approved here.
    conn.changed(Shown::Everything);
    for other in queue::pending_ids_by_email(conn, &comment.email)? {
        queue::set_status(conn, other, CommentStatus::Approved, Some(CommentStatus::Pending), now)?;
        classifier::learn(conn, other, Some(Label::Ham))?;
        let change = Change {
            action: "approve",
            comment: Some(other),
            from: Some(CommentStatus::Pending),
            to: Some(CommentStatus::Approved),
            detail: "trusted author",
        };
        record(conn, actor, change, now)?;
        notify::comment_approved(notifier, conn, other)?;
    }
    Ok("author added to the trusted list")
}

/// What happened to a one-click link from a mail.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LinkOutcome {
    Done {
        from: CommentStatus,
        to: CommentStatus,
    },
    /// Another moderator (or this one, elsewhere) already moved the comment.
    AlreadyHandled(CommentStatus),
    AlreadyUsed,
    Gone,
    /// The account the mail went to was removed, lost its role or changed its password.
    Revoked,
}

/// Checks a verified link against the comment's current status and the used-link list;
/// `commit` false only looks (the GET confirmation page), true acts (the POST).
pub fn follow_link(
    conn: &mut Tx<'_>,
    notifier: &Notifier,
    link: &crate::services::links::ModerationLink,
    commit: bool,
) -> Result<LinkOutcome, AppError> {
    conn.private_only(); // `apply` declares what readers see
    {
        let account = crate::db::users::find(conn, link.user)?.filter(|u| {
            u.session_version == link.session_version
                && u.created_at.and_utc().timestamp() == link.user_since
                && matches!(u.role, Role::Admin | Role::Moderator)
        });
        let Some(account) = account else {
            return Ok(LinkOutcome::Revoked);
        };
        let Some(comment) = queue::find(conn, link.comment)? else {
            return Ok(LinkOutcome::Gone);
        };
        if crate::db::used_links::is_used(conn, &link.nonce)? {
            return Ok(LinkOutcome::AlreadyUsed);
        }
        if comment.status != link.expected {
            return Ok(LinkOutcome::AlreadyHandled(comment.status));
        }
        let Some(to) = target(link.action, comment.status, comment.previous_status) else {
            return Ok(LinkOutcome::AlreadyHandled(comment.status));
        };
        if !commit {
            return Ok(LinkOutcome::Done { from: comment.status, to });
        }
        crate::db::used_links::use_once(conn, &link.nonce, Utc::now().naive_utc())?;
        let actor = Actor { name: format!("{} (mail link)", account.username), user_id: Some(account.id) };
        match apply(conn, notifier, &actor, link.comment, link.action)? {
            Outcome::Changed { from, to } => Ok(LinkOutcome::Done { from, to }),
            Outcome::Deleted => Ok(LinkOutcome::Gone),
            Outcome::Unchanged(_) => Ok(LinkOutcome::AlreadyHandled(comment.status)),
        }
    }
}

/// Replies move up to the deleted comment's parent, as WordPress does.
fn delete_permanently(
    conn: &mut Tx<'_>,
    actor: &Actor,
    comment: &Comment,
    now: NaiveDateTime,
) -> Result<(), AppError> {
    queue::reparent_children(conn, comment.id, comment.parent_id)?;
    queue::delete(conn, comment.id)?;
    // Its approved replies move up a level.
    shown(conn, comment.post_id);
    let change = Change {
        action: "delete",
        comment: Some(comment.id),
        from: Some(comment.status),
        to: None,
        detail: "",
    };
    record(conn, actor, change, now)
}

/// Replaces the text (re-sanitized).
pub fn edit_text(conn: &mut Tx<'_>, actor: &Actor, id: CommentId, text: &str) -> Result<(), AppError> {
    let text = text.trim().replace("\r\n", "\n");
    if text.is_empty() {
        return Err(AppError::Invalid("The comment text cannot be empty.".into()));
    }
    let now = Utc::now().naive_utc();
    {
        let comment = queue::find(conn, id)?.ok_or(AppError::NotFound)?;
        // An imported comment stays HTML; a reader's stays in our comment format.
        let rendered = markup::render_comment_as(comment.body_format, &text);
        queue::update_body(conn, id, &text, rendered.html.as_str(), now)?;
        // A trained comment is learned again from its new text, under the same label.
        let label = match comment.trained_as.as_deref() {
            Some("spam") => Some(Label::Spam),
            Some("ham") => Some(Label::Ham),
            _ => None,
        };
        if let Some(label) = label {
            let (author, email, url) =
                (&comment.author, &comment.email, comment.url.as_deref().unwrap_or(""));
            let old = CommentText { author, email, url, text: &comment.body_source };
            let new = CommentText { author, email, url, text: &text };
            classifier::relearn_edited(conn, &old, &new, label)?;
        }
        shown_if_visible(conn, &comment, comment.status);
        let (from, to) = (Some(comment.status), Some(comment.status));
        record(
            conn,
            actor,
            Change { action: "edit", comment: Some(id), from, to, detail: "text edited" },
            now,
        )
    }
}

/// A moderator's reply: approved at once, marked as the moderator's. Replying to a held
/// comment approves it first (a reply under an invisible comment would be orphaned).
pub fn reply_as_moderator(
    conn: &mut Tx<'_>,
    notifier: &Notifier,
    user: &User,
    parent: CommentId,
    text: &str,
) -> Result<CommentId, AppError> {
    let text = text.trim().replace("\r\n", "\n");
    if text.is_empty() {
        return Err(AppError::Invalid("The reply cannot be empty.".into()));
    }
    let now = Utc::now().naive_utc();
    let rendered = markup::render_comment(&text);
    let actor = Actor::user(user);
    {
        let parent_comment = queue::find(conn, parent)?.ok_or(AppError::NotFound)?;
        shown(conn, parent_comment.post_id);
        if parent_comment.status == CommentStatus::Pending {
            queue::set_status(conn, parent, CommentStatus::Approved, Some(CommentStatus::Pending), now)?;
            classifier::learn(conn, parent, Some(Label::Ham))?;
            let (from, to) = (Some(CommentStatus::Pending), Some(CommentStatus::Approved));
            let change =
                Change { action: "approve", comment: Some(parent), from, to, detail: "approved by replying" };
            record(conn, &actor, change, now)?;
            notify::comment_approved(notifier, conn, parent)?;
        } else if parent_comment.status != CommentStatus::Approved {
            return Err(AppError::Invalid("Only approved or held comments can be answered.".into()));
        }
        let depth =
            crate::services::settings::effective_comments(conn, &notifier.config.comments)?.thread_depth;
        let parent_id = crate::services::threads::reply_parent(conn, parent, depth)?;
        let (id, _) = public_comments::insert(
            conn,
            &NewComment {
                post_id: parent_comment.post_id,
                parent_id,
                status: CommentStatus::Approved,
                // Signed as readers know the moderator (the profile's display name).
                author: user.public_name(),
                email: &user.email,
                url: None,
                ip: None,
                user_agent: None,
                body_source: &text,
                body_html: rendered.html.as_str(),
                reason: "reply by a moderator",
                created_at: now,
                updated_at: now,
                user_id: Some(user.id),
                kind: CommentKind::Comment,
                body_format: CommentFormat::Text,
            },
        )?;
        let change = Change {
            action: "reply",
            comment: Some(id),
            from: None,
            to: Some(CommentStatus::Approved),
            detail: "",
        };
        record(conn, &actor, change, now)?;
        notify::comment_approved(notifier, conn, id)?;
        Ok(id)
    }
}

/// Deletes spam and trash untouched for `days` days; returns how many.
pub fn purge_stale(conn: &mut Tx<'_>, days: u32) -> Result<usize, AppError> {
    conn.private_only(); // readers never see spam or trash
    let now = Utc::now().naive_utc();
    let cutoff = now - Duration::days(i64::from(days));
    let actor = Actor::system();
    {
        let ids = queue::stale(conn, &[CommentStatus::Spam, CommentStatus::Trash], cutoff)?;
        for id in &ids {
            if let Some(comment) = queue::find(conn, *id)? {
                delete_permanently(conn, &actor, &comment, now)?;
            }
        }
        Ok(ids.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use CommentStatus::*;

    #[test]
    fn transitions() {
        assert_eq!(target(Action::Approve, Pending, None), Some(Approved));
        assert_eq!(target(Action::Approve, Approved, None), None);
        assert_eq!(target(Action::Unapprove, Approved, None), Some(Pending));
        assert_eq!(target(Action::Unapprove, Pending, None), None);
        assert_eq!(target(Action::NotSpam, Spam, Some(Approved)), Some(Approved));
        assert_eq!(target(Action::NotSpam, Spam, None), Some(Pending));
        assert_eq!(target(Action::NotSpam, Pending, None), None);
        assert_eq!(target(Action::Restore, Trash, Some(Spam)), Some(Spam));
        assert_eq!(target(Action::Restore, Trash, Some(Approved)), Some(Approved));
        assert_eq!(target(Action::Restore, Trash, None), Some(Pending));
        assert_eq!(target(Action::Trash, Trash, None), None);
    }

    #[test]
    fn action_names_round_trip() {
        for action in [
            Action::Approve,
            Action::Unapprove,
            Action::Spam,
            Action::NotSpam,
            Action::Trash,
            Action::Restore,
            Action::Delete,
            Action::ApproveAndTrust,
            Action::SpamAndBlock,
        ] {
            assert_eq!(action.name().parse::<Action>().ok(), Some(action));
        }
    }
}
