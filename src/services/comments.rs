//! Taking a reader's comment: checks that need the database (reply target, duplicates,
//! flood), the moderation policy's decision, and the insert, in one write transaction.

use chrono::{Duration, NaiveDateTime, Utc};

use crate::config::{CommentsConfig, ModerationMode, SpamConfig};
use crate::db::comments::{self, NewComment};
use crate::db::enums::SubscriptionKind;
use crate::db::enums::{CommentFormat, CommentKind, CommentStatus};
use crate::db::ids::CommentId;
use crate::db::posts::{self, Post};
use crate::db::spam_filter::{self, Tally};
use crate::db::subscriptions;
use crate::db::{Change, Conn, Tx};
use crate::error::AppError;
use crate::services::classifier::{self, CommentText, Verdict};
use crate::services::comment_form::{CommentInput, RawCommentForm, Rejected};
use crate::services::markup::{self, RenderedComment};
use crate::services::moderation::policy::{Candidate, Decision, FilterMark, ModerationPolicy};
use crate::services::notify::{self, Notifier};
use crate::services::rate_limit::RateLimiter;
use crate::services::settings;
use crate::services::signing::Signer;
use crate::services::spam::{self, FormTokenCheck};
use crate::services::threads;

/// Where the request came from; stored for moderators only.
#[derive(Debug, Clone, Default)]
pub struct ClientInfo {
    pub ip: Option<String>,
    pub user_agent: Option<String>,
    /// The view-time stamp the browser kept for this article (`spam::view_stamp`).
    pub form_viewed: Option<String>,
}

/// Why a submission was not taken (routes choose the answer's status from the kind).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RefusalKind {
    /// More submissions from this address in a minute than the limit.
    RateLimited,
    /// The same address or email again within `flood_seconds`.
    Flood,
    Closed,
    /// The form token is forged or expired.
    BadToken,
    /// Fields failed validation.
    Invalid,
    /// A reply to a comment that is not approved (or not on this article).
    BadReply,
    Duplicate,
}

#[derive(Debug, Clone)]
pub struct Refusal {
    pub kind: RefusalKind,
    pub rejected: Rejected,
}

#[derive(Debug, Clone)]
pub enum Outcome {
    Accepted { id: CommentId, status: CommentStatus, reason: String },
    Refused(Refusal),
}

/// `notice` is the message id of the reason (`locales/`).
fn refuse(kind: RefusalKind, notice: &'static str) -> Outcome {
    Outcome::Refused(Refusal {
        kind,
        rejected: Rejected { errors: Default::default(), notice: Some(crate::i18n::Text::new(notice)) },
    })
}

/// Closed by the article's own switch or by age (`close_after_days`, 0 = never).
pub fn comments_closed(post: &Post, close_after_days: u32, now: NaiveDateTime) -> bool {
    !post.comments_open
        || (close_after_days > 0 && post.published_at + Duration::days(i64::from(close_after_days)) < now)
}

/// The part of a submission that only reads: validation, rendering (the costly step) and the
/// learned filter's score, done before the write turn is taken so nobody waits on them.
#[derive(Debug, Clone)]
pub enum Prepared {
    Valid { input: CommentInput, rendered: RenderedComment, learned: Option<Verdict> },
    Invalid(Box<Rejected>),
}

/// The "Preview" button: the comment rendered exactly as it would be published (the same
/// rules and sanitizer), or the form's errors. Nothing is stored or scored.
pub fn preview(form: &RawCommentForm) -> Result<markup::SafeHtml, Box<Rejected>> {
    match prepare(form) {
        Prepared::Valid { rendered, .. } => Ok(rendered.html),
        Prepared::Invalid(rejected) => Err(rejected),
    }
}

pub fn prepare(form: &RawCommentForm) -> Prepared {
    match form.validate_input() {
        Ok(input) => {
            let rendered = markup::render_comment(&input.text);
            Prepared::Valid { input, rendered, learned: None }
        }
        Err(state) => Prepared::Invalid(state),
    }
}

/// Adds the learned filter's opinion (a read of the model; None while it has none). A bot
/// that filled the honeypot is spam whatever the filter says: no read for it.
pub fn assess(conn: &mut crate::db::Conn, form: &RawCommentForm, prepared: Prepared) -> Prepared {
    match prepared {
        Prepared::Valid { input, rendered, .. } if form.honeypot.trim().is_empty() => {
            let text = CommentText {
                author: &input.author,
                email: &input.email,
                url: input.url.as_deref().unwrap_or(""),
                text: &input.text,
            };
            let learned = classifier::assess(conn, &text);
            Prepared::Valid { input, rendered, learned }
        }
        other => other,
    }
}

/// Everything `submit` needs besides the connection.
pub struct Submission<'a> {
    pub slug: &'a str,
    pub form: &'a RawCommentForm,
    pub prepared: &'a Prepared,
    pub client: &'a ClientInfo,
    /// From config; admin settings in the database override it.
    pub config: &'a CommentsConfig,
    pub spam: &'a SpamConfig,
    pub signer: &'a Signer,
    pub limiter: &'a RateLimiter,
    pub notifier: &'a Notifier,
}

/// Validates and stores a comment, or says why not (with the reader's text kept).
pub fn submit(conn: &mut Tx<'_>, s: &Submission<'_>) -> Result<Outcome, AppError> {
    let now = Utc::now().naive_utc();
    conn.private_only(); // until an approved comment is stored
    let post = posts::find_published_by_slug(conn, s.slug)?.ok_or(AppError::NotFound)?;
    let settings = settings::effective_comments(conn, s.config)?;
    let elapsed_ms = match admit(conn, s, &post, &settings, now)? {
        Ok(elapsed_ms) => elapsed_ms,
        Err(refused) => return Ok(refused),
    };
    let (input, rendered, learned) = match s.prepared {
        Prepared::Valid { input, rendered, learned } => (input, rendered, learned),
        Prepared::Invalid(state) => {
            return Ok(Outcome::Refused(Refusal { kind: RefusalKind::Invalid, rejected: (**state).clone() }))
        }
    };
    let parent_id = match fits_the_thread(conn, s, &post, &settings, input, now)? {
        Ok(parent_id) => parent_id,
        Err(refused) => return Ok(refused),
    };
    let policy = ModerationPolicy::from_config(&settings, s.spam);
    // Needed by `first_time`, and whenever the filter has an opinion (a regular is only held).
    let trusted_author = (policy.mode == ModerationMode::FirstTime || learned.is_some())
        && comments::is_trusted_author(conn, &input.author, &input.email)?;
    let decision = policy.decide(&Candidate {
        author: &input.author,
        email: &input.email,
        url: input.url.as_deref().unwrap_or(""),
        text: &input.text,
        ip: s.client.ip.as_deref().unwrap_or(""),
        user_agent: s.client.user_agent.as_deref().unwrap_or(""),
        links: rendered.links,
        elapsed_ms,
        honeypot_filled: !s.form.honeypot.trim().is_empty(),
        trusted_author,
        learned: learned.clone(),
    });
    let (id, status) = store(conn, s, &post, (input, rendered), parent_id, &decision, now)?;
    if status == CommentStatus::Approved {
        conn.changed(Change::Comments(post.id));
        conn.changed(Change::CommentFeed);
    }
    // Not the reason: it may quote a blocked email or IP (`matched disallowed word ...`).
    tracing::info!(comment = id.0, post = post.id.0, %status, by_filter = decision.by_filter.is_some(), "comment received");
    Ok(Outcome::Accepted { id, status, reason: decision.reason })
}

/// Checks that need no row of this comment: the rate limit, closing, the form token.
/// Returns how long the form was open, when the browser's view-time cookie tells.
fn admit(
    conn: &mut Conn,
    s: &Submission<'_>,
    post: &Post,
    settings: &CommentsConfig,
    now: NaiveDateTime,
) -> Result<Result<Option<i64>, Outcome>, AppError> {
    if !within_rate_limit(conn, s, settings.rate_limit_per_minute, now)? {
        return Ok(Err(refuse(RefusalKind::RateLimited, "refused-rate-limited")));
    }
    Ok(admit_open_and_signed(s, post, settings, now))
}

/// The per-address comment rate limit. On PostgreSQL, where several instances may serve the
/// site, it is counted in the database (per minute, under a keyed hash of the address), so a
/// client cannot multiply it by the number of instances; one SQLite instance counts in memory.
fn within_rate_limit(
    conn: &mut Conn,
    s: &Submission<'_>,
    limit: u32,
    now: NaiveDateTime,
) -> Result<bool, AppError> {
    let ip = s.client.ip.as_deref().unwrap_or("");
    if !s.limiter.allow(ip, limit) {
        return Ok(false);
    }
    if limit == 0 || conn.kind() != crate::db::BackendKind::Postgres {
        return Ok(true);
    }
    let key = s.signer.digest("comment-rate", ip);
    let minute = chrono::DurationRound::duration_trunc(now, Duration::minutes(1)).unwrap_or(now);
    Ok(crate::db::instances::hit(conn, "comment", &key, minute, limit)?)
}

/// Closing and the form token.
fn admit_open_and_signed(
    s: &Submission<'_>,
    post: &Post,
    settings: &CommentsConfig,
    now: NaiveDateTime,
) -> Result<Option<i64>, Outcome> {
    if comments_closed(post, settings.close_after_days, now) {
        return Err(refuse(RefusalKind::Closed, "refused-closed"));
    }
    match spam::check_form_token(s.signer, &s.form.form_token, post.id.0) {
        // A cached page's token is as old as the cached copy; the view-time cookie says when
        // this browser was shown it. Without the cookie, the token's age is all we know.
        FormTokenCheck::Valid { elapsed_ms } => Ok(s
            .client
            .form_viewed
            .as_deref()
            .and_then(|stamp| spam::view_elapsed(s.signer, stamp, post.id.0))
            .map(|viewed| viewed.min(elapsed_ms))),
        FormTokenCheck::Forged => Err(refuse(RefusalKind::BadToken, "refused-forged-token")),
        FormTokenCheck::Expired => Err(refuse(RefusalKind::BadToken, "refused-expired-token")),
    }
}

/// A reply goes under an approved comment of this article (stored no deeper than allowed);
/// no duplicate, no flood. Returns the parent to store.
fn fits_the_thread(
    conn: &mut Tx<'_>,
    s: &Submission<'_>,
    post: &Post,
    settings: &CommentsConfig,
    input: &CommentInput,
    now: NaiveDateTime,
) -> Result<Result<Option<CommentId>, Outcome>, AppError> {
    let mut parent_id = None;
    if let Some(parent) = input.parent {
        let allowed = matches!(
            comments::post_and_status(conn, parent)?,
            Some((parent_post, CommentStatus::Approved)) if parent_post == post.id
        );
        if !allowed {
            return Ok(Err(refuse(RefusalKind::BadReply, "refused-bad-reply")));
        }
        parent_id = threads::reply_parent(conn, parent, settings.thread_depth)?;
    }
    if comments::is_duplicate(conn, post.id, &input.author, &input.email, &input.text)? {
        return Ok(Err(refuse(RefusalKind::Duplicate, "refused-duplicate")));
    }
    if settings.flood_seconds > 0 {
        let since = now - Duration::seconds(i64::from(settings.flood_seconds));
        if comments::posted_since(conn, s.client.ip.as_deref(), &input.email, since)? {
            return Ok(Err(refuse(RefusalKind::Flood, "refused-flood")));
        }
    }
    Ok(Ok(parent_id))
}

/// The comment, its subscriptions and its mail, in the caller's transaction.
fn store(
    conn: &mut Tx<'_>,
    s: &Submission<'_>,
    post: &Post,
    (input, rendered): (&CommentInput, &RenderedComment),
    parent_id: Option<CommentId>,
    decision: &Decision,
    now: NaiveDateTime,
) -> Result<(CommentId, CommentStatus), AppError> {
    let (id, status) = comments::insert(
        conn,
        &NewComment {
            post_id: post.id,
            parent_id,
            status: decision.status,
            author: &input.author,
            email: &input.email,
            url: input.url.as_deref(),
            // privacy.store_ip = false: the IP is used for the checks above, never stored.
            ip: s.client.ip.as_deref().filter(|_| s.notifier.config.privacy.store_ip),
            user_agent: s.client.user_agent.as_deref(),
            body_source: &input.text,
            body_html: rendered.html.as_str(),
            reason: &decision.reason,
            created_at: now,
            updated_at: now,
            user_id: None,
            kind: CommentKind::Comment,
            body_format: CommentFormat::Text,
        },
    )?;
    if status != CommentStatus::Spam {
        if s.form.notify_replies.is_some() {
            subscriptions::insert(conn, id, &input.email, SubscriptionKind::Replies, now)?;
        }
        if s.form.notify_published.is_some() && status == CommentStatus::Pending {
            subscriptions::insert(conn, id, &input.email, SubscriptionKind::Published, now)?;
        }
    }
    if let Some(mark) = decision.by_filter {
        spam_filter::set_filter_verdict(conn, id, mark.as_str())?;
        let tally = if mark == FilterMark::Spam { Tally::MarkedSpam } else { Tally::Held };
        spam_filter::tally(conn, tally)?;
    }
    // The outbox rows commit with the comment, or neither does.
    notify::comment_received(s.notifier, conn, id)?;
    Ok((id, status))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::enums::PostStatus;
    use crate::db::ids::PostId;

    fn post(open: bool, days_old: i64, now: NaiveDateTime) -> Post {
        Post {
            id: PostId(1),
            slug: "a".into(),
            title: "A".into(),
            body_source: String::new(),
            body_html: String::new(),
            excerpt: String::new(),
            status: PostStatus::Published,
            category_id: None,
            published_at: now - Duration::days(days_old),
            created_at: now,
            updated_at: now,
            comments_open: open,
            kind: crate::db::enums::PostKind::Article,
            body_format: crate::db::enums::BodyFormat::Markdown,
            author_name: None,
            menu_order: 0,
            in_navigation: true,
            approved_comments: 0,
            approved_threads: 0,
            trashed_from: None,
            trashed_at: None,
            author_id: None,
            featured_media_id: None,
            excerpt_source: String::new(),
        }
    }

    #[test]
    fn closing_by_switch_and_by_age() {
        let now = Utc::now().naive_utc();
        assert!(!comments_closed(&post(true, 400, now), 0, now), "0 = never");
        assert!(comments_closed(&post(false, 0, now), 0, now));
        assert!(!comments_closed(&post(true, 13, now), 14, now));
        assert!(comments_closed(&post(true, 15, now), 14, now));
    }
}
