//! Outbox controls: retry a failed mail, send a test mail.

use actix_web::{web, HttpRequest, HttpResponse};
use chrono::Utc;
use serde::{Deserialize, Serialize};

use super::redirect_back;
use super::session::{set_flash, CsrfForm};
use crate::db::enums::{MailKind, OutboxState};
use crate::db::ids::MailId;
use crate::db::outbox::{self, Mail};
use crate::error::AppError;
use crate::services::notify;
use crate::state::AppState;

/// A failed mail as the dashboard lists it.
#[derive(Debug, Serialize)]
pub struct FailedMail {
    pub id: i32,
    pub kind: MailKind,
    pub recipient: String,
    pub subject: String,
    pub attempts: i32,
    pub last_error: String,
    pub created: String,
}

impl From<Mail> for FailedMail {
    fn from(m: Mail) -> FailedMail {
        FailedMail {
            id: m.id.0,
            kind: m.kind,
            recipient: m.recipient,
            subject: m.subject,
            attempts: m.attempts,
            last_error: m.last_error.unwrap_or_default(),
            created: m.created_at.format("%Y-%m-%d %H:%M UTC").to_string(),
        }
    }
}

#[derive(Debug, Default, Serialize)]
pub struct OutboxSummary {
    pub pending: i64,
    pub failed: Vec<FailedMail>,
}

pub fn summary(conn: &mut crate::db::Conn) -> Result<OutboxSummary, AppError> {
    Ok(OutboxSummary {
        pending: outbox::count_in_state(conn, OutboxState::Pending)?,
        failed: outbox::list_in_state(conn, OutboxState::Failed, 20)?
            .into_iter()
            .map(FailedMail::from)
            .collect(),
    })
}

#[derive(Deserialize)]
pub struct Empty {}

pub async fn retry(
    state: web::Data<AppState>,
    req: HttpRequest,
    id: web::Path<i32>,
    _form: CsrfForm<Empty>,
) -> Result<HttpResponse, AppError> {
    let id = MailId(id.into_inner());
    let changed =
        state.db.write_private(move |tx| notify::retry_failed(tx, id, Utc::now().naive_utc())).await?;
    set_flash(
        &req,
        if changed { "The mail is queued again." } else { "That mail is not in the failed list." },
    );
    Ok(redirect_back(Some("/admin"), "/admin"))
}

pub async fn test(
    state: web::Data<AppState>,
    req: HttpRequest,
    form: CsrfForm<Empty>,
) -> Result<HttpResponse, AppError> {
    form.current.require_admin()?;
    let to = form.current.user.email.clone();
    let notifier = state.notifier.clone();
    let recipient = to.clone();
    state.db.write_private(move |c| notify::test_mail(&notifier, c, &recipient)).await?;
    set_flash(&req, format!("A test mail to {to} is queued; failures show here."));
    Ok(redirect_back(Some("/admin"), "/admin"))
}
