//! The comment form's state for templates: the reader's values, one message per bad field,
//! and a notice (the rules are `services::comment_form`).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::i18n::Text;
use crate::services::comment_form::{RawCommentForm, Rejected};

/// Name, email and website the reader asked this browser to remember.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct Remembered {
    pub author: String,
    pub email: String,
    pub url: String,
}

/// What a (re-)rendered form shows: the reader's values, one message per bad field, and an
/// optional notice for problems that belong to no single field.
#[derive(Debug, Clone, Default, Serialize)]
pub struct FormState {
    pub author: String,
    pub email: String,
    pub url: String,
    pub comment: String,
    pub comment_parent: String,
    pub remember: bool,
    pub notify_replies: bool,
    pub notify_published: bool,
    pub errors: BTreeMap<String, Text>,
    pub notice: Option<Text>,
    /// The comment as it would be published (the "Preview" button).
    pub preview: Option<crate::services::markup::SafeHtml>,
    /// Comments this browser wrote and when (unix seconds): "Edit" shows under those still
    /// in the window and without a reply.
    #[serde(skip)]
    pub editable: Vec<(crate::db::ids::CommentId, i64)>,
}

impl FormState {
    pub fn from_raw(raw: &RawCommentForm) -> FormState {
        FormState {
            author: raw.author.clone(),
            email: raw.email.clone(),
            url: raw.url.clone(),
            comment: raw.comment.clone(),
            comment_parent: raw.comment_parent.trim().to_string(),
            remember: raw.remember.is_some(),
            notify_replies: raw.notify_replies.is_some(),
            notify_published: raw.notify_published.is_some(),
            errors: BTreeMap::new(),
            notice: None,
            preview: None,
            editable: Vec::new(),
        }
    }

    /// An empty form prefilled from the "remember me" cookie.
    pub fn prefilled(remembered: Remembered) -> FormState {
        FormState {
            author: remembered.author,
            email: remembered.email,
            url: remembered.url,
            remember: true,
            ..FormState::default()
        }
    }

    pub fn with_notice(mut self, notice: Text) -> FormState {
        self.notice = Some(notice);
        self
    }
}

impl FormState {
    /// The form as refused: the values kept, the messages shown.
    pub fn rejected(raw: &RawCommentForm, rejected: &Rejected) -> FormState {
        let mut state = FormState::from_raw(raw);
        state.errors = rejected.errors.clone();
        state.notice = rejected.notice.clone();
        state
    }
}
