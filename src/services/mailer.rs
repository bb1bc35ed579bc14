//! The SMTP transport (lettre): a stored outbox row becomes a message and is sent. The worker
//! that drains the outbox is in `jobs`; requests never wait on either.

use std::time::Duration;

use lettre::message::header::{HeaderName, HeaderValue};
use lettre::message::{Mailbox, MultiPart};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

use crate::config::MailConfig;
use crate::db::enums::MailKind;
use crate::db::outbox::Mail;
use crate::error::AppError;

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
