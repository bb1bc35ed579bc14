//! Sending the outbox through SMTP (lettre), with retries and exponential backoff.
//! Requests never wait on this: they only write outbox rows.

use std::sync::Arc;
use std::time::Duration;

use chrono::{NaiveDateTime, Utc};
use lettre::message::header::{HeaderName, HeaderValue};
use lettre::message::{Mailbox, MultiPart};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use tokio::sync::Notify;

use crate::config::MailConfig;
use crate::db::enums::MailKind;
use crate::db::outbox::{self, Mail};
use crate::error::AppError;
use crate::state::AppState;

const BATCH: i64 = 20;
/// How long a worker owns a claimed mail before another may take it over (crash recovery).
const CLAIM_SECONDS: i64 = 300;
/// Polling interval for retries that come due; new mail wakes the worker at once.
const POLL: Duration = Duration::from_secs(2);

#[derive(Clone)]
pub struct Mailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
}

impl Mailer {
    pub fn new(config: &MailConfig) -> Result<Mailer, AppError> {
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(config.smtp_url.expose())
            .map_err(|e| AppError::Internal(format!("mail.smtp_url: {e}")))?
            .timeout(Some(Duration::from_secs(u64::from(config.timeout_seconds))))
            .build();
        let from = config.from.parse().map_err(|e| AppError::Internal(format!("mail.from: {e}")))?;
        Ok(Mailer { transport, from })
    }

    /// Builds the message exactly as stored (same Message-ID on every attempt).
    pub fn message(&self, mail: &Mail) -> Result<Message, String> {
        let to: Mailbox = mail.recipient.parse().map_err(|e| format!("bad recipient: {e}"))?;
        let mut builder = Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(mail.subject.clone())
            .message_id(Some(mail.message_id.clone()))
            .date_now();
        if let Some(url) = &mail.unsubscribe_url {
            builder = builder
                .raw_header(HeaderValue::new(
                    HeaderName::new_from_ascii_str("List-Unsubscribe"),
                    format!("<{url}>"),
                ))
                .raw_header(HeaderValue::new(
                    HeaderName::new_from_ascii_str("List-Unsubscribe-Post"),
                    "List-Unsubscribe=One-Click".to_string(),
                ));
        }
        if mail.kind != MailKind::Test {
            builder = builder.raw_header(HeaderValue::new(
                HeaderName::new_from_ascii_str("Auto-Submitted"),
                "auto-generated".to_string(),
            ));
        }
        builder
            .multipart(MultiPart::alternative_plain_html(mail.body_text.clone(), mail.body_html.clone()))
            .map_err(|e| format!("cannot build message: {e}"))
    }

    pub async fn send(&self, mail: &Mail) -> Result<(), String> {
        let message = self.message(mail)?;
        self.transport.send(message).await.map(|_| ()).map_err(|e| e.to_string())
    }
}

/// Wait before attempt `attempts + 1`: base, 2×base, 4×base... capped.
pub fn backoff(config: &MailConfig, attempts: i32) -> chrono::Duration {
    let doublings = attempts.clamp(0, 20) as u32;
    let seconds = u64::from(config.retry_base_seconds).saturating_mul(1u64 << doublings);
    chrono::Duration::seconds(seconds.min(u64::from(config.retry_max_seconds)) as i64)
}

/// Sends every due mail once; returns how many were sent.
pub async fn deliver_due(state: &AppState, mailer: &Mailer) -> Result<usize, AppError> {
    let now = Utc::now().naive_utc();
    let claim_until = now + chrono::Duration::seconds(CLAIM_SECONDS);
    let batch = state.db.write(move |tx| Ok(outbox::claim_due(tx, now, claim_until, BATCH)?)).await?;
    let mut sent = 0;
    for mail in batch {
        let result = mailer.send(&mail).await;
        let config = state.config.clone();
        let id = mail.id;
        let attempts = mail.attempts;
        match result {
            Ok(()) => {
                sent += 1;
                tracing::info!(mail = id.0, kind = %mail.kind, "mail sent");
                state.db.write(move |c| Ok(outbox::mark_sent(c, id, Utc::now().naive_utc())?)).await?;
            }
            Err(error) => {
                let give_up = attempts + 1 >= config.mail.max_attempts as i32;
                let retry_at: NaiveDateTime = Utc::now().naive_utc() + backoff(&config.mail, attempts);
                tracing::warn!(mail = id.0, attempt = attempts + 1, give_up, %error, "mail not sent");
                state
                    .db
                    .write(move |c| Ok(outbox::mark_failed_attempt(c, id, &error, retry_at, give_up)?))
                    .await?;
            }
        }
    }
    Ok(sent)
}

/// The outbox worker started by `serve`: wakes on new mail or every POLL.
pub fn spawn_worker(state: AppState, mailer: Mailer, wake: Arc<Notify>) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        loop {
            match deliver_due(&state, &mailer).await {
                Ok(n) if n == BATCH as usize => continue,
                Ok(_) => {}
                Err(e) => tracing::warn!(error = %e, "outbox pass failed; will retry"),
            }
            tokio::select! {
                _ = wake.notified() => {}
                _ = tokio::time::sleep(POLL) => {}
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;

    #[test]
    fn backoff_doubles_and_caps() {
        let mut config = Config::defaults().expect("defaults").mail;
        config.retry_base_seconds = 30;
        config.retry_max_seconds = 3600;
        let secs: Vec<i64> = (0..9).map(|n| backoff(&config, n).num_seconds()).collect();
        assert_eq!(secs, vec![30, 60, 120, 240, 480, 960, 1920, 3600, 3600]);
    }
}
