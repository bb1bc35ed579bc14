//! The audit log: who did what, when, from which status to which. Written in the same
//! transaction as the change it records.

use chrono::{NaiveDateTime, Utc};

use crate::db::audit::{self, NewAuditEntry};
use crate::db::enums::CommentStatus;
use crate::db::ids::{CommentId, UserId};
use crate::db::users::User;
use crate::db::Tx;
use crate::error::AppError;

/// Who acts: a user, or the command line, or the system (purge job).
#[derive(Debug, Clone)]
pub struct Actor {
    pub name: String,
    pub user_id: Option<UserId>,
}

impl Actor {
    pub fn user(user: &User) -> Actor {
        Actor { name: user.username.clone(), user_id: Some(user.id) }
    }
    pub fn cli() -> Actor {
        Actor { name: "cli".into(), user_id: None }
    }
    pub fn system() -> Actor {
        Actor { name: "system".into(), user_id: None }
    }
}

/// One audit log line.
pub struct Change<'a> {
    pub action: &'a str,
    pub comment: Option<CommentId>,
    pub from: Option<CommentStatus>,
    pub to: Option<CommentStatus>,
    pub detail: &'a str,
}

pub fn record(
    conn: &mut Tx<'_>,
    actor: &Actor,
    change: Change<'_>,
    now: NaiveDateTime,
) -> Result<(), AppError> {
    audit::insert(
        conn,
        &NewAuditEntry {
            actor: &actor.name,
            user_id: actor.user_id,
            action: change.action,
            comment_id: change.comment,
            from_status: change.from.map(|s| s.as_str()),
            to_status: change.to.map(|s| s.as_str()),
            detail: change.detail,
            created_at: now,
        },
    )?;
    Ok(())
}

/// Audits a change of the admin settings.
pub fn record_setting_change(conn: &mut Tx<'_>, actor: &str) -> Result<(), AppError> {
    let actor = Actor { name: actor.to_string(), user_id: None };
    let change = Change {
        action: "settings",
        comment: None,
        from: None,
        to: None,
        detail: "comment settings changed",
    };
    record(conn, &actor, change, Utc::now().naive_utc())
}

/// Audits an admin action that is not about one comment (an import, say).
pub fn record_admin_action(
    conn: &mut Tx<'_>,
    actor: &str,
    action: &'static str,
    detail: &str,
) -> Result<(), AppError> {
    let actor = Actor { name: actor.to_string(), user_id: None };
    let change = Change { action, comment: None, from: None, to: None, detail };
    record(conn, &actor, change, Utc::now().naive_utc())
}
