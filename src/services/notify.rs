//! Who is told what by mail. Every function here only writes outbox rows, inside the caller's
//! transaction, so a mail exists exactly when the change that causes it is committed.

use std::sync::Arc;

use crate::db::Conn;
use chrono::{NaiveDateTime, Utc};
use serde::Serialize;
use tera::Tera;

use crate::config::{Config, Digest, NotifyOn, NotifyTarget};
use crate::db::comments::Comment;
use crate::db::enums::{CommentStatus, MailKind, OutboxState, SubscriptionKind};
use crate::db::ids::{CommentId, MailId, UserId};
use crate::db::outbox::{self, NewMail};
use crate::db::queue;
use crate::db::Tx;
use crate::db::{settings, subscriptions, users};
use crate::error::AppError;
use crate::services::auth;
use crate::services::links::{self, LinkMaker};
use crate::services::markup::truncate_words;
use crate::services::moderation::Action;
use crate::services::signing::Signer;

/// What composing mail needs; cheap to clone.
#[derive(Clone)]
pub struct Notifier {
    pub tera: Arc<Tera>,
    pub config: Arc<Config>,
    pub signer: Signer,
}

const LAST_DIGEST_KEY: &str = "mail.last_digest_at";

impl Notifier {
    /// For command-line use: the site's secret key from the database.
    pub fn for_cli(db: &crate::db::Db, config: &Config, tera: Arc<Tera>) -> Result<Notifier, AppError> {
        let key = db.write_private_now(|tx| crate::services::secrets::secret_key(tx, config))?;
        Ok(Notifier { tera, config: Arc::new(config.clone()), signer: Signer::new(key) })
    }
}

/// Renders `email/<name>/{subject.txt, body.txt, body.html}`.
fn compose(tera: &Tera, name: &str, context: &impl Serialize) -> Result<(String, String, String), AppError> {
    let context = tera::Context::from_serialize(context)?;
    let subject = tera.render(&format!("email/{name}/subject.txt"), &context)?;
    let text = tera.render(&format!("email/{name}/body.txt"), &context)?;
    let html = tera.render(&format!("email/{name}/body.html"), &context)?;
    Ok((subject.split_whitespace().collect::<Vec<_>>().join(" "), text, html))
}

impl Notifier {
    /// The site's title as the admin set it (mail is composed in the write's transaction).
    fn site_title(&self, conn: &mut Conn) -> Result<String, AppError> {
        let base = crate::services::settings::SiteSettings::from_config(&self.config.site);
        Ok(crate::services::settings::effective_site(conn, &base)?.title)
    }

    fn base(&self) -> &str {
        &self.config.server.base_url
    }

    fn message_id(&self, kind: MailKind) -> String {
        let host = self
            .base()
            .split("://")
            .nth(1)
            .unwrap_or("localhost")
            .split(['/', ':'])
            .next()
            .unwrap_or("localhost");
        format!("<{}.{}@{}>", auth::random_token(16), kind.as_str(), host)
    }

    fn enqueue(
        &self,
        tx: &mut Tx<'_>,
        kind: MailKind,
        recipient: &str,
        content: (String, String, String),
        comment: Option<CommentId>,
        unsubscribe_url: Option<String>,
    ) -> Result<MailId, AppError> {
        let now = Utc::now().naive_utc();
        let (subject, body_text, body_html) = content;
        let id = outbox::insert(
            tx,
            &NewMail {
                kind,
                recipient: recipient.to_string(),
                subject,
                body_text,
                body_html,
                unsubscribe_url,
                message_id: self.message_id(kind),
                comment_id: comment,
                state: OutboxState::Pending,
                next_attempt_at: now,
                created_at: now,
            },
        )?;
        tx.mail_queued();
        Ok(id)
    }

    /// Who hears about comments. An address of `mail.notify` that belongs to no moderating
    /// account gets the mail without one-click links (they act as an account, see `links`).
    fn moderator_recipients(&self, conn: &mut Conn) -> Result<Vec<Recipient>, AppError> {
        let moderators = users::moderators(conn)?;
        let account = |address: &str| {
            moderators.iter().find(|u| u.email.eq_ignore_ascii_case(address)).map(Account::of)
        };
        let mut list: Vec<Recipient> = match &self.config.mail.notify {
            NotifyTarget::Role(_) => moderators
                .iter()
                .map(|u| Recipient { address: u.email.clone(), account: Some(Account::of(u)) })
                .collect(),
            NotifyTarget::Addresses(list) => {
                list.iter().map(|a| Recipient { address: a.clone(), account: account(a) }).collect()
            }
        };
        list.sort_by(|a, b| a.address.cmp(&b.address));
        list.dedup_by(|a, b| a.address == b.address);
        Ok(list)
    }
}

/// A moderator mail's recipient: the address, and the account its links act as.
#[derive(Debug, Clone)]
struct Recipient {
    address: String,
    account: Option<Account>,
}

/// What a mailed link is bound to: the account, its password generation, its creation.
#[derive(Debug, Clone, Copy)]
struct Account {
    user: UserId,
    session_version: i32,
    since: i64,
}

impl Account {
    fn of(user: &crate::db::users::User) -> Account {
        Account {
            user: user.id,
            session_version: user.session_version,
            since: user.created_at.and_utc().timestamp(),
        }
    }
}

#[derive(Serialize)]
struct CommentMail {
    site_title: String,
    post_title: String,
    comment_url: String,
    admin_url: String,
    author: String,
    email: String,
    url: Option<String>,
    ip: Option<String>,
    user_agent: Option<String>,
    reason: String,
    status: String,
    in_reply_to: Option<String>,
    text: String,
    waiting: i64,
    /// None when the recipient has no moderating account.
    approve_url: Option<String>,
    spam_url: Option<String>,
    trash_url: Option<String>,
}

/// Where a comment is read: the article here, or for a thread the other site's page that
/// embeds it; and its title as mails name it (a thread's with its site's name beside it).
fn comment_place(
    n: &Notifier,
    conn: &mut Conn,
    comment: &Comment,
    slug: &str,
    title: &str,
) -> Result<(String, String), AppError> {
    Ok(match crate::db::threads::find(conn, comment.post_id)? {
        Some(thread) => {
            (format!("{}#comment-{}", thread.url, comment.id), format!("{title} ({})", thread.site))
        }
        None => (format!("{}/posts/{slug}#comment-{}", n.base(), comment.id), title.to_string()),
    })
}

fn comment_mail(
    n: &Notifier,
    conn: &mut Conn,
    comment: &Comment,
    post_slug: &str,
    post_title: &str,
    recipient: &Recipient,
    now: NaiveDateTime,
) -> Result<CommentMail, AppError> {
    let in_reply_to = match comment.parent_id {
        Some(parent) => queue::excerpts(conn, &[parent])?
            .into_iter()
            .next()
            .map(|(_, author, text)| format!("{author}: {}", truncate_words(&text, 200))),
        None => None,
    };
    let waiting = queue::counts_by_status(conn)?
        .into_iter()
        .find(|(s, _)| *s == CommentStatus::Pending)
        .map(|(_, n)| n)
        .unwrap_or(0);
    let links = recipient.account.map(|account| LinkMaker {
        signer: &n.signer,
        base_url: n.base(),
        recipient: &recipient.address,
        user: account.user,
        session_version: account.session_version,
        user_since: account.since,
        now,
        days: n.config.mail.link_expiry_days,
    });
    let link = |action| links.as_ref().map(|l| l.moderation(comment.id, action, comment.status));
    let (comment_url, post_title) = comment_place(n, conn, comment, post_slug, post_title)?;
    Ok(CommentMail {
        site_title: n.site_title(conn)?,
        post_title,
        comment_url,
        admin_url: format!("{}/admin/comments/{}/edit", n.base(), comment.id),
        author: comment.author.clone(),
        email: comment.email.clone(),
        url: comment.url.clone(),
        ip: comment.ip.clone(),
        user_agent: comment.user_agent.clone(),
        reason: comment.reason.clone(),
        status: comment.status.to_string(),
        in_reply_to,
        text: comment.body_source.clone(),
        waiting,
        approve_url: link(Action::Approve),
        spam_url: link(Action::Spam),
        trash_url: link(Action::Trash),
    })
}

/// A new comment was stored: tell the moderators (held ones always, approved ones when
/// `mail.notify_on = all`; never spam; per-comment mail only without a digest), and tell the
/// parent's author when the comment is an approved reply.
pub fn comment_received(n: &Notifier, conn: &mut Tx<'_>, id: CommentId) -> Result<(), AppError> {
    let (comment, slug, title) = queue::find_with_post(conn, id)?.ok_or(AppError::NotFound)?;
    let wanted = match comment.status {
        CommentStatus::Pending => n.config.mail.digest == Digest::Off,
        CommentStatus::Approved => {
            n.config.mail.notify_on == NotifyOn::All && n.config.mail.digest == Digest::Off
        }
        CommentStatus::Spam | CommentStatus::Trash => false,
    };
    if wanted {
        let now = Utc::now().naive_utc();
        let kind = if comment.status == CommentStatus::Pending {
            MailKind::HeldComment
        } else {
            MailKind::NewComment
        };
        for recipient in n.moderator_recipients(conn)? {
            // A moderator's own reply (by account: a reader typing a moderator's address must
            // not keep that moderator from hearing about it).
            if comment.user_id.is_some() && recipient.account.map(|a| a.user) == comment.user_id {
                continue;
            }
            let mail = comment_mail(n, conn, &comment, &slug, &title, &recipient, now)?;
            let content = compose(&n.tera, kind.as_str(), &mail)?;
            n.enqueue(conn, kind, &recipient.address, content, Some(id), None)?;
        }
    }
    if comment.status == CommentStatus::Approved {
        comment_approved(n, conn, id)?;
    }
    Ok(())
}

#[derive(Serialize)]
struct ReaderMail {
    site_title: String,
    post_title: String,
    comment_url: String,
    reply_author: String,
    reply_text: String,
    your_text: String,
    unsubscribe_url: String,
    manage_url: String,
}

/// A comment became public: its parent's author hears about the reply (once, if subscribed,
/// never their own), and its own author hears it is published (once, if they asked).
pub fn comment_approved(n: &Notifier, conn: &mut Tx<'_>, id: CommentId) -> Result<(), AppError> {
    let (comment, slug, title) = queue::find_with_post(conn, id)?.ok_or(AppError::NotFound)?;
    if comment.status != CommentStatus::Approved {
        return Ok(());
    }
    // A post in the trash (or a draft): readers would be sent a link to a missing page.
    let post_status = crate::db::posts::find(conn, comment.post_id)?.map(|p| p.status);
    if post_status != Some(crate::db::enums::PostStatus::Published) {
        return Ok(());
    }
    let (comment_url, title) = comment_place(n, conn, &comment, &slug, &title)?;
    if let Some(parent_id) = comment.parent_id {
        let subscription = subscriptions::active(conn, parent_id, SubscriptionKind::Replies)?;
        let parent = queue::find(conn, parent_id)?;
        if let (Some((_, address)), Some(parent)) = (subscription, parent) {
            let already = outbox::exists_for_comment(conn, MailKind::ReplyNotice, id)?;
            if !already && !address.eq_ignore_ascii_case(&comment.email) {
                let unsubscribe_url = links::unsubscribe_url(&n.signer, n.base(), parent_id);
                let mail = ReaderMail {
                    site_title: n.site_title(conn)?,
                    post_title: title.clone(),
                    comment_url: comment_url.clone(),
                    reply_author: comment.author.clone(),
                    reply_text: comment.body_source.clone(),
                    your_text: truncate_words(&parent.body_source, 300),
                    unsubscribe_url: unsubscribe_url.clone(),
                    manage_url: format!("{}/privacy/manage", n.base()),
                };
                let content = compose(&n.tera, "reply_notice", &mail)?;
                n.enqueue(conn, MailKind::ReplyNotice, &address, content, Some(id), Some(unsubscribe_url))?;
            }
        }
    }
    if let Some((subscription, address)) = subscriptions::active(conn, id, SubscriptionKind::Published)? {
        let unsubscribe_url = links::unsubscribe_url(&n.signer, n.base(), id);
        let mail = ReaderMail {
            site_title: n.site_title(conn)?,
            post_title: title,
            comment_url,
            reply_author: String::new(),
            reply_text: String::new(),
            your_text: truncate_words(&comment.body_source, 300),
            unsubscribe_url: unsubscribe_url.clone(),
            manage_url: format!("{}/privacy/manage", n.base()),
        };
        let content = compose(&n.tera, "published_notice", &mail)?;
        n.enqueue(conn, MailKind::PublishedNotice, &address, content, Some(id), Some(unsubscribe_url))?;
        // One mail only: the subscription is used up.
        subscriptions::cancel(conn, subscription, Utc::now().naive_utc())?;
    }
    Ok(())
}

#[derive(Serialize)]
struct DigestMail {
    site_title: String,
    admin_url: String,
    comments: Vec<CommentMail>,
}

/// Sends the digest when one is due (`mail.digest` hourly or daily); returns how many mails.
pub fn digest_if_due(n: &Notifier, conn: &mut Tx<'_>, now: NaiveDateTime) -> Result<usize, AppError> {
    let period = match n.config.mail.digest {
        Digest::Off => return Ok(0),
        Digest::Hourly => chrono::Duration::hours(1),
        Digest::Daily => chrono::Duration::days(1),
    };
    {
        let last = settings::get(conn, LAST_DIGEST_KEY)?
            .and_then(|v| NaiveDateTime::parse_from_str(&v, "%Y-%m-%d %H:%M:%S").ok());
        let Some(last) = last else {
            // First run: start counting from now.
            settings::set(conn, LAST_DIGEST_KEY, &now.format("%Y-%m-%d %H:%M:%S").to_string())?;
            return Ok(0);
        };
        if now - last < period {
            return Ok(0);
        }
        let held = queue::held_since(conn, last)?;
        settings::set(conn, LAST_DIGEST_KEY, &now.format("%Y-%m-%d %H:%M:%S").to_string())?;
        if held.is_empty() {
            return Ok(0);
        }
        let recipients = n.moderator_recipients(conn)?;
        for recipient in &recipients {
            let mut comments = Vec::with_capacity(held.len());
            for (comment, slug, title) in &held {
                comments.push(comment_mail(n, conn, comment, slug, title, recipient, now)?);
            }
            let mail = DigestMail {
                site_title: n.site_title(conn)?,
                admin_url: format!("{}/admin/comments?status=pending", n.base()),
                comments,
            };
            let content = compose(&n.tera, "digest", &mail)?;
            n.enqueue(conn, MailKind::Digest, &recipient.address, content, None, None)?;
        }
        Ok(recipients.len())
    }
}

#[derive(Serialize)]
struct PrivacyMail {
    site_title: String,
    link: String,
    hours: i64,
}

/// The self-service link, to an address that has comments.
pub fn privacy_link(n: &Notifier, conn: &mut Tx<'_>, email: &str) -> Result<(), AppError> {
    let link =
        crate::services::privacy::manage_url(conn, &n.signer, n.base(), email, Utc::now().naive_utc())?;
    let mail = PrivacyMail { site_title: n.site_title(conn)?, link, hours: 24 };
    let content = compose(&n.tera, "privacy_link", &mail)?;
    n.enqueue(conn, MailKind::PrivacyLink, email, content, None, None)?;
    Ok(())
}

/// A failed mail goes back to the outbox (the admin's Retry button); false if it was not failed.
pub fn retry_failed(tx: &mut Tx<'_>, id: MailId, now: NaiveDateTime) -> Result<bool, AppError> {
    let queued = outbox::retry(tx, id, now)? == 1;
    if queued {
        tx.mail_queued();
    }
    Ok(queued)
}

#[derive(Serialize)]
struct TestMail {
    site_title: String,
    base_url: String,
    sent_at: String,
}

/// The admin's "send test email" (through the outbox like every other mail).
pub fn test_mail(n: &Notifier, conn: &mut Tx<'_>, to: &str) -> Result<MailId, AppError> {
    let mail = TestMail {
        site_title: n.site_title(conn)?,
        base_url: n.base().to_string(),
        sent_at: Utc::now().format("%Y-%m-%d %H:%M:%S UTC").to_string(),
    };
    let content = compose(&n.tera, "test", &mail)?;
    n.enqueue(conn, MailKind::Test, to, content, None, None)
}
