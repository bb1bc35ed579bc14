//! Commenters' data: IP retention, export, erasure, and the self-service links.

use std::net::IpAddr;

use crate::db::Conn;
use chrono::{Duration, NaiveDateTime, Utc};
use serde::Serialize;

use crate::config::Config;
use crate::db::ids::CommentId;
use crate::db::privacy as db;
use crate::db::Db;
use crate::db::Tx;
use crate::db::{audit, outbox, subscriptions};
use crate::error::AppError;
use crate::services::settings;
use crate::services::signing::Signer;
use crate::services::{auth, markup};

pub const REMOVED_TEXT: &str = "[removed at the author's request]";
const PURGE_BATCH: i64 = 500;
/// Self-service links work for a day (and once).
const MANAGE_LINK_HOURS: i64 = 24;
const MANAGE_PURPOSE: &str = "privacy-manage";
const SESSION_PURPOSE: &str = "privacy-session";
/// After following the mailed link, the management page stays open this long.
pub const SESSION_MINUTES: i64 = 30;

/// IPv4 to its /24, IPv6 to its /48: enough for spam patterns, not a person.
pub fn truncate_ip(ip: &str) -> Option<String> {
    match ip.parse::<IpAddr>().ok()? {
        IpAddr::V4(v4) => {
            let [a, b, c, _] = v4.octets();
            Some(format!("{a}.{b}.{c}.0"))
        }
        IpAddr::V6(v6) => {
            let s = v6.segments();
            Some(format!("{:x}:{:x}:{:x}::", s[0], s[1], s[2]))
        }
    }
}

/// Truncates IPs and drops user agents of comments older than `days`; returns how many.
/// A batch per write transaction, so other writers take turns in between.
pub fn purge_ips(database: &Db, days: u32) -> Result<usize, AppError> {
    let now = Utc::now().naive_utc();
    let cutoff = now - Duration::days(i64::from(days));
    let mut total = 0;
    loop {
        let batch = database.write_private_now(|tx| {
            let rows = db::untruncated_before(tx, cutoff, PURGE_BATCH)?;
            for (id, ip) in &rows {
                let cut = ip.as_deref().and_then(truncate_ip);
                db::set_truncated(tx, *id, cut.as_deref(), now)?;
            }
            Ok::<usize, AppError>(rows.len())
        })?;
        total += batch;
        if batch < PURGE_BATCH as usize {
            return Ok(total);
        }
    }
}

#[derive(Debug, Serialize)]
pub struct ExportedComment {
    pub id: i32,
    pub article_title: String,
    pub article_url: String,
    pub status: String,
    pub author: String,
    pub website: Option<String>,
    pub ip: Option<String>,
    pub user_agent: Option<String>,
    pub text: String,
    pub created_at: String,
    /// For pages that show the date in words (the download has `created_at`).
    #[serde(skip)]
    pub created: NaiveDateTime,
}

#[derive(Debug, Serialize)]
pub struct ExportedSubscription {
    pub comment_id: i32,
    pub kind: String,
    pub created_at: String,
    pub active: bool,
}

#[derive(Debug, Serialize)]
pub struct ExportedMail {
    pub subject: String,
    pub state: String,
    pub created_at: String,
    pub sent_at: Option<String>,
}

/// Everything held about one email address.
#[derive(Debug, Serialize)]
pub struct Export {
    pub email: String,
    pub site: String,
    pub generated_at: String,
    pub comments: Vec<ExportedComment>,
    pub subscriptions: Vec<ExportedSubscription>,
    pub mails: Vec<ExportedMail>,
}

fn stamp(at: NaiveDateTime) -> String {
    format!("{}Z", at.format("%Y-%m-%dT%H:%M:%S"))
}

pub fn normalize(email: &str) -> String {
    email.trim().to_lowercase()
}

pub fn export(conn: &mut Conn, config: &Config, email: &str) -> Result<Export, AppError> {
    let email = normalize(email);
    let base = &config.server.base_url;
    let comments = db::comments_of(conn, &email)?
        .into_iter()
        .map(|(c, slug, title)| ExportedComment {
            id: c.id.0,
            article_url: format!("{base}/posts/{slug}#comment-{}", c.id),
            article_title: title,
            status: c.status.to_string(),
            author: c.author,
            website: c.url,
            ip: c.ip,
            user_agent: c.user_agent,
            text: c.body_source,
            created_at: stamp(c.created_at),
            created: c.created_at,
        })
        .collect();
    let subscriptions = db::subscriptions_of(conn, &email)?
        .into_iter()
        .map(|(comment, kind, created, cancelled)| ExportedSubscription {
            comment_id: comment.0,
            kind,
            created_at: stamp(created),
            active: cancelled.is_none(),
        })
        .collect();
    let mails = db::mails_to(conn, &email)?
        .into_iter()
        .map(|(subject, state, created, sent)| ExportedMail {
            subject,
            state,
            created_at: stamp(created),
            sent_at: sent.map(stamp),
        })
        .collect();
    Ok(Export {
        email,
        site: base.clone(),
        generated_at: stamp(Utc::now().naive_utc()),
        comments,
        subscriptions,
        mails,
    })
}

#[derive(Debug, Default, Serialize, PartialEq, Eq)]
pub struct Erased {
    pub comments: usize,
    pub subscriptions: usize,
    pub mails: usize,
}

/// Anonymizes every comment of `email` (threads keep their shape), deletes its subscriptions
/// and every mail to or about it, and takes it off the trusted and disallowed lists. The audit
/// entry records counts only. `only` limits it to one comment (self-service "delete this").
pub fn erase(
    conn: &mut Tx<'_>,
    config: &Config,
    actor: &str,
    email: &str,
    keep_text: bool,
    only: Option<CommentId>,
) -> Result<Erased, AppError> {
    let email = normalize(email);
    if email.is_empty() {
        return Err(AppError::Invalid("An email address is needed.".into()));
    }
    let now = Utc::now().naive_utc();
    {
        let mut erased = Erased::default();
        let removed = markup::render_comment(REMOVED_TEXT);
        let mut ids = Vec::new();
        for (comment, _, _) in db::comments_of(conn, &email)? {
            if only.is_some_and(|id| id != comment.id) {
                continue;
            }
            // What the comment taught the spam filter (its name and domain among the tokens)
            // goes with it, while the stored fields still say what was learned.
            crate::services::classifier::learn(conn, comment.id, None)?;
            if keep_text {
                db::anonymize(conn, comment.id, &comment.body_source, &comment.body_html, now)?;
            } else {
                db::anonymize(conn, comment.id, REMOVED_TEXT, removed.html.as_str(), now)?;
            }
            erased.comments += 1;
            ids.push(comment.id);
        }
        if only.is_none() {
            erased.subscriptions = db::delete_subscriptions_of(conn, &email)?;
            // Links asked for and not used yet hold the address.
            db::delete_requests_of(conn, &email)?;
            erased.mails = db::delete_mail_mentioning(conn, &email, &ids)?;
            let mut lists = settings::effective_comments(conn, &config.comments)?;
            let before = (lists.trusted_emails.len(), lists.disallowed_words.len());
            lists.trusted_emails.retain(|e| !e.eq_ignore_ascii_case(&email));
            lists.disallowed_words.retain(|w| !w.eq_ignore_ascii_case(&email));
            if before != (lists.trusted_emails.len(), lists.disallowed_words.len()) {
                settings::save_comments(conn, config, &lists)?;
            }
        }
        let detail = format!(
            "{} comment(s) anonymized{}, {} subscription(s) and {} mail(s) deleted",
            erased.comments,
            if keep_text { " (text kept)" } else { "" },
            erased.subscriptions,
            erased.mails
        );
        audit::insert(
            conn,
            &audit::NewAuditEntry {
                actor,
                user_id: None,
                action: "privacy_erase",
                comment_id: only,
                from_status: None,
                to_status: None,
                detail: &detail,
                created_at: now,
            },
        )?;
        Ok(erased)
    }
}

/// Stops every mail to `email`: subscriptions cancelled, unsent mail cancelled.
pub fn stop_all_mail(conn: &mut Tx<'_>, email: &str) -> Result<usize, AppError> {
    let email = normalize(email);
    let now = Utc::now().naive_utc();
    {
        let n = subscriptions::cancel_all_for(conn, &email, now)?;
        outbox::cancel_pending_to(conn, &email)?;
        Ok(n)
    }
}

/// The mailed self-service link: `/privacy/manage/<token>`, single use, a day long. The token
/// is a random request id and its expiry, signed; the address stays in the database under the
/// id's hash, so it appears in no URL, log or browser history.
pub fn manage_url(
    conn: &mut Tx<'_>,
    signer: &Signer,
    base_url: &str,
    email: &str,
    now: NaiveDateTime,
) -> Result<String, AppError> {
    let id = auth::random_token(18);
    let expires = now + Duration::hours(MANAGE_LINK_HOURS);
    db::insert_request(conn, &auth::token_hash(&id), &normalize(email), now, expires)?;
    let token = signer.sign(MANAGE_PURPOSE, &format!("{id}.{}", expires.and_utc().timestamp()));
    Ok(format!("{base_url}/privacy/manage/{token}"))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ManageLinkError {
    Invalid,
    Expired,
    Used,
}

/// The address a mailed link is for, if it is genuine, unexpired and not used yet (it is not
/// used up here: a GET only asks, scanners prefetch).
pub fn check_manage_link(
    conn: &mut crate::db::Conn,
    signer: &Signer,
    token: &str,
    now: NaiveDateTime,
) -> Result<Result<String, ManageLinkError>, AppError> {
    let hash = match read_manage_link(signer, token, now) {
        Ok(hash) => hash,
        Err(error) => return Ok(Err(error)),
    };
    Ok(match db::find_request(conn, &hash)? {
        Some((_, Some(_used))) => Err(ManageLinkError::Used),
        Some((Some(email), None)) => Ok(email),
        // Signed by us but gone: the address was erased since.
        _ => Err(ManageLinkError::Invalid),
    })
}

/// Uses up a mailed link; returns the address it is for.
pub fn use_manage_link(
    conn: &mut Tx<'_>,
    signer: &Signer,
    token: &str,
    now: NaiveDateTime,
) -> Result<Result<String, ManageLinkError>, AppError> {
    let hash = match read_manage_link(signer, token, now) {
        Ok(hash) => hash,
        Err(error) => return Ok(Err(error)),
    };
    if let Some(email) = db::use_request(conn, &hash, now)? {
        return Ok(Ok(email));
    }
    Ok(Err(if db::find_request(conn, &hash)?.is_some() {
        ManageLinkError::Used
    } else {
        ManageLinkError::Invalid
    }))
}

/// The stored hash of a genuine, unexpired link's request id. The expiry is in the signed
/// token, so an expired link says so even after its row is purged.
fn read_manage_link(signer: &Signer, token: &str, now: NaiveDateTime) -> Result<String, ManageLinkError> {
    let payload = signer.verify(MANAGE_PURPOSE, token).ok_or(ManageLinkError::Invalid)?;
    let (id, expires) = payload.split_once('.').ok_or(ManageLinkError::Invalid)?;
    let expires = expires.parse::<i64>().map_err(|_| ManageLinkError::Invalid)?;
    if now.and_utc().timestamp() > expires {
        return Err(ManageLinkError::Expired);
    }
    Ok(auth::token_hash(id))
}

/// Requests whose links have expired (used or not): nothing is left of them.
pub fn purge_expired_links(conn: &mut Tx<'_>, now: NaiveDateTime) -> Result<usize, AppError> {
    Ok(db::purge_expired_requests(conn, now)?)
}

/// The short session the link opens (a signed cookie value).
pub fn session_token(signer: &Signer, email: &str, now: NaiveDateTime) -> String {
    use base64::Engine;
    let who = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(normalize(email));
    let expires = (now + Duration::minutes(SESSION_MINUTES)).and_utc().timestamp();
    signer.sign(SESSION_PURPOSE, &format!("{who}.{expires}"))
}

pub fn session_email(signer: &Signer, token: &str, now: NaiveDateTime) -> Option<String> {
    use base64::Engine;
    let payload = signer.verify(SESSION_PURPOSE, token)?;
    let (who, expires) = payload.split_once('.')?;
    if now.and_utc().timestamp() > expires.parse::<i64>().ok()? {
        return None;
    }
    String::from_utf8(base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(who).ok()?).ok()
}

pub fn has_comments(conn: &mut Conn, email: &str) -> Result<bool, AppError> {
    Ok(db::count_with_email(conn, &normalize(email))? > 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ips_are_cut_to_their_network() {
        assert_eq!(truncate_ip("203.0.113.77").as_deref(), Some("203.0.113.0"));
        assert_eq!(truncate_ip("2001:db8:abcd:12:1:2:3:4").as_deref(), Some("2001:db8:abcd::"));
        assert_eq!(truncate_ip("not an ip"), None);
    }

    #[test]
    fn sessions_expire_and_are_signed() {
        let signer = Signer::new(crate::config::Secret::new("0123456789abcdef0123456789abcdef"));
        let now = Utc::now().naive_utc();
        let token = session_token(&signer, "A@Example.org", now);
        assert_eq!(session_email(&signer, &token, now).as_deref(), Some("a@example.org"));
        assert_eq!(session_email(&signer, &token, now + Duration::minutes(31)), None);
        assert_eq!(session_email(&signer, &format!("{token}x"), now), None);
    }
}
