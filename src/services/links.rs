//! Signed links in mails: one-click moderation (expiring, single use, tied to the comment's
//! status at sending time) and unsubscribe (no expiry; idempotent).

use chrono::{Duration, NaiveDateTime};

use crate::db::enums::CommentStatus;
use crate::db::ids::{CommentId, UserId};
use crate::services::auth;
use crate::services::moderation::Action;
use crate::services::signing::Signer;

const MODERATION_PURPOSE: &str = "moderation-link";
const UNSUBSCRIBE_PURPOSE: &str = "unsubscribe-link";

/// What a verified moderation link asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModerationLink {
    pub comment: CommentId,
    pub action: Action,
    /// The status the comment had when the mail was written.
    pub expected: CommentStatus,
    pub recipient_hint: String,
    pub nonce: String,
    /// The moderator the mail went to, and their `session_version` then: the link acts only
    /// while that account exists, moderates, and has not changed its password since.
    pub user: UserId,
    pub session_version: i32,
    /// When that account was created (unix seconds): ids of removed users can be reused.
    pub user_since: i64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkError {
    Invalid,
    Expired,
}

/// Makes the moderation links of one mail, to one moderator's account.
pub struct LinkMaker<'a> {
    pub signer: &'a Signer,
    pub base_url: &'a str,
    pub recipient: &'a str,
    pub user: UserId,
    pub session_version: i32,
    pub user_since: i64,
    pub now: NaiveDateTime,
    pub days: u32,
}

impl LinkMaker<'_> {
    /// `/m/<token>` for `action` on `comment` (now in `expected`), valid `days` days.
    pub fn moderation(&self, comment: CommentId, action: Action, expected: CommentStatus) -> String {
        let expires = (self.now + Duration::days(i64::from(self.days))).and_utc().timestamp();
        // The recipient's user part only: enough for the audit log, no address in URLs.
        let who: String = self
            .recipient
            .split('@')
            .next()
            .unwrap_or("")
            .chars()
            .filter(|c| c.is_ascii_alphanumeric())
            .take(32)
            .collect();
        let nonce = auth::random_token(12);
        let payload = format!(
            "{}.{}.{}.{expires}.{nonce}.{}.{}.{}.{who}",
            comment.0,
            action.name(),
            expected.as_str(),
            self.user.0,
            self.session_version,
            self.user_since
        );
        format!("{}/m/{}", self.base_url, self.signer.sign(MODERATION_PURPOSE, &payload))
    }
}

pub fn verify_moderation(
    signer: &Signer,
    token: &str,
    now: NaiveDateTime,
) -> Result<ModerationLink, LinkError> {
    let payload = signer.verify(MODERATION_PURPOSE, token).ok_or(LinkError::Invalid)?;
    let parts: Vec<&str> = payload.split('.').collect();
    let [id, action, expected, expires, nonce, user, version, since, who] = parts.as_slice() else {
        return Err(LinkError::Invalid);
    };
    let comment = CommentId(id.parse().map_err(|_| LinkError::Invalid)?);
    let action = action.parse::<Action>().map_err(|_| LinkError::Invalid)?;
    let expected = expected.parse::<CommentStatus>().map_err(|_| LinkError::Invalid)?;
    let expires: i64 = expires.parse().map_err(|_| LinkError::Invalid)?;
    let user = UserId(user.parse().map_err(|_| LinkError::Invalid)?);
    let session_version: i32 = version.parse().map_err(|_| LinkError::Invalid)?;
    let user_since: i64 = since.parse().map_err(|_| LinkError::Invalid)?;
    if now.and_utc().timestamp() > expires {
        return Err(LinkError::Expired);
    }
    Ok(ModerationLink {
        comment,
        action,
        expected,
        recipient_hint: who.to_string(),
        nonce: nonce.to_string(),
        user,
        session_version,
        user_since,
    })
}

/// `/unsubscribe/<token>`: stops every mail about this comment to its author.
pub fn unsubscribe_url(signer: &Signer, base_url: &str, comment: CommentId) -> String {
    format!("{base_url}/unsubscribe/{}", signer.sign(UNSUBSCRIBE_PURPOSE, &format!("c.{}", comment.0)))
}

pub fn verify_unsubscribe(signer: &Signer, token: &str) -> Option<CommentId> {
    let payload = signer.verify(UNSUBSCRIBE_PURPOSE, token)?;
    payload.strip_prefix("c.")?.parse().ok().map(CommentId)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Secret;

    fn signer() -> Signer {
        Signer::new(Secret::new("0123456789abcdef0123456789abcdef"))
    }

    fn now() -> NaiveDateTime {
        chrono::Utc::now().naive_utc()
    }

    fn token(url: &str, prefix: &str) -> String {
        url.strip_prefix(prefix).expect("prefix").to_string()
    }

    #[test]
    fn moderation_links_round_trip_and_expire() {
        let s = signer();
        let maker = LinkMaker {
            signer: &s,
            base_url: "https://b.test",
            recipient: "mod@x.org",
            user: UserId(4),
            session_version: 2,
            user_since: 1_700_000_000,
            now: now(),
            days: 7,
        };
        let url = maker.moderation(CommentId(7), Action::Approve, CommentStatus::Pending);
        let t = token(&url, "https://b.test/m/");
        let link = verify_moderation(&signer(), &t, now()).expect("valid");
        assert_eq!(
            (link.comment, link.action, link.expected),
            (CommentId(7), Action::Approve, CommentStatus::Pending)
        );
        assert_eq!(link.recipient_hint, "mod");
        assert_eq!((link.user, link.session_version, link.user_since), (UserId(4), 2, 1_700_000_000));
        assert_eq!(verify_moderation(&signer(), &t, now() + Duration::days(8)), Err(LinkError::Expired));
        let tampered = t.replacen("7.", "8.", 1);
        assert_eq!(verify_moderation(&signer(), &tampered, now()), Err(LinkError::Invalid));
    }

    #[test]
    fn unsubscribe_links_are_signed() {
        let url = unsubscribe_url(&signer(), "https://b.test", CommentId(3));
        let t = token(&url, "https://b.test/unsubscribe/");
        assert_eq!(verify_unsubscribe(&signer(), &t), Some(CommentId(3)));
        assert_eq!(verify_unsubscribe(&signer(), &t.replace("c.3", "c.4")), None);
    }
}
