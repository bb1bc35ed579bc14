//! Moderation: the policy that decides a new comment's status (`policy`), what moderators do
//! to comments (`actions`), and what they read (`queue`). `Action` is the vocabulary every
//! way of moderating shares (web, API, CLI, mailed links).

pub mod actions;
pub mod policy;
pub mod queue;
pub mod waves;

use crate::error::AppError;

/// Something a moderator does to a comment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Approve,
    Unapprove,
    Spam,
    NotSpam,
    Trash,
    Restore,
    Delete,
    ApproveAndTrust,
    SpamAndBlock,
}

impl std::str::FromStr for Action {
    type Err = AppError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Ok(match s {
            "approve" => Action::Approve,
            "unapprove" => Action::Unapprove,
            "spam" => Action::Spam,
            "notspam" | "not_spam" => Action::NotSpam,
            "trash" => Action::Trash,
            "restore" => Action::Restore,
            "delete" => Action::Delete,
            "approve_trust" => Action::ApproveAndTrust,
            "spam_block" => Action::SpamAndBlock,
            other => return Err(AppError::Invalid(format!("Unknown action `{other}`."))),
        })
    }
}

impl Action {
    pub fn name(self) -> &'static str {
        match self {
            Action::Approve => "approve",
            Action::Unapprove => "unapprove",
            Action::Spam => "spam",
            Action::NotSpam => "notspam",
            Action::Trash => "trash",
            Action::Restore => "restore",
            Action::Delete => "delete",
            Action::ApproveAndTrust => "approve_trust",
            Action::SpamAndBlock => "spam_block",
        }
    }
}
