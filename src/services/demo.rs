//! The demo articles shipped in `content/demo/`, compiled in so `serve --demo` works anywhere.

use rust_embed::RustEmbed;

use chrono::{Duration, Utc};

use crate::db::comments::NewComment;
use crate::db::enums::{CommentFormat, CommentKind, CommentStatus};
use crate::db::Db;
use crate::error::AppError;
use crate::services::articles::{self, ImportOutcome};
use crate::services::markup;

#[derive(RustEmbed)]
#[folder = "content/demo/"]
#[include = "*.md"]
struct DemoContent;

/// Creates an `admin` account with a random password when the site has no users yet, so a
/// newcomer can try the moderation side; returns the password to print once.
pub fn ensure_admin(db: &Db) -> Result<Option<String>, AppError> {
    if !db.read_now(|c| Ok(crate::db::users::list(c)?))?.is_empty() {
        return Ok(None);
    }
    let password = crate::services::auth::random_token(12);
    crate::services::accounts::add_user(
        db,
        "admin",
        "admin@example.org",
        crate::db::enums::Role::Admin,
        &password,
    )?;
    Ok(Some(password))
}

/// Imports (or refreshes) every demo article; returns (file, outcome) pairs.
pub fn load(db: &Db) -> Result<Vec<(String, ImportOutcome)>, AppError> {
    let mut names: Vec<String> = DemoContent::iter().map(|n| n.to_string()).collect();
    names.sort();
    let mut outcomes = Vec::with_capacity(names.len());
    for name in names {
        let file =
            DemoContent::get(&name).ok_or_else(|| AppError::Internal(format!("demo {name} vanished")))?;
        let text = String::from_utf8_lossy(&file.data);
        let article = articles::parse_article(&format!("content/demo/{name}"), &text)?;
        outcomes.push((name, db.write_now(|tx| articles::import_article(tx, &article))?));
    }
    Ok(outcomes)
}

/// The article the demo discussion is left on.
const DISCUSSED: &str = "does-smp-hair-treatment-treat-hair-loss";

/// A demo comment: who, what, and how the policy would have decided it. `by: None` is the
/// demo admin (a moderator's answer, marked as theirs).
struct DemoComment {
    by: Option<(&'static str, &'static str)>,
    text: &'static str,
    status: CommentStatus,
    reason: &'static str,
    minutes_ago: i64,
    /// Answers the first comment (the question).
    reply: bool,
}

const DISCUSSION: [DemoComment; 5] = [
    DemoComment {
        by: Some(("Maya Lindqvist", "maya@example.org")),
        text: "Does the pigment fade over the years? I am wondering whether I would need touch-ups.",
        status: CommentStatus::Approved,
        reason: "passed every check (demo)",
        minutes_ago: 180,
        reply: false,
    },
    DemoComment {
        by: Some(("Tom Okafor", "tom@example.org")),
        text: "Mine faded a little after about three years; one short touch-up session fixed it.",
        status: CommentStatus::Approved,
        reason: "this name and email already have an approved comment (demo)",
        minutes_ago: 120,
        reply: true,
    },
    DemoComment {
        by: None,
        text: "They do soften over time, more in sun-exposed areas. Most people book a touch-up every few years.",
        status: CommentStatus::Approved,
        reason: "reply by a moderator",
        minutes_ago: 60,
        reply: true,
    },
    DemoComment {
        by: Some(("Jonas Weber", "jonas@example.org")),
        text: "Is it safe to go swimming in the first week after a session?",
        status: CommentStatus::Pending,
        reason: "first comment from this email",
        minutes_ago: 30,
        reply: false,
    },
    DemoComment {
        by: Some(("Best Casino", "promo@casino.example")),
        text: "casino siteleri canlı casino siteleri 1xbet canlı casino siteleri sex hikayeleri",
        status: CommentStatus::Spam,
        reason: "matched disallowed word `casino`",
        minutes_ago: 10,
        reply: false,
    },
];

/// Leaves the demo discussion on the seed article, once (when it has no comments yet): a
/// question, a reader's reply and the admin's answer, approved; a held comment in the queue;
/// the seed's casino spam, caught with its reason. Every part of the product in one minute.
pub fn seed_discussion(db: &Db) -> Result<bool, AppError> {
    db.write_now(|tx| {
        let Some(post) = crate::db::posts::find_published_by_slug(tx, DISCUSSED)? else {
            return Ok(false);
        };
        if crate::db::comments::count_for_post(tx, post.id)? > 0 {
            return Ok(false);
        }
        let Some(admin) = crate::db::users::find_by_username(tx, "admin")? else {
            return Ok(false);
        };
        let now = Utc::now().naive_utc();
        let mut question = None;
        for c in &DISCUSSION {
            let at = now - Duration::minutes(c.minutes_ago);
            let rendered = markup::render_comment(c.text);
            let (author, email) = c.by.unwrap_or((admin.public_name(), &admin.email));
            let (id, _) = crate::db::comments::insert(
                tx,
                &NewComment {
                    post_id: post.id,
                    parent_id: if c.reply { question } else { None },
                    status: c.status,
                    author,
                    email,
                    url: None,
                    ip: None,
                    user_agent: None,
                    body_source: c.text,
                    body_html: rendered.html.as_str(),
                    reason: c.reason,
                    created_at: at,
                    updated_at: at,
                    user_id: if c.by.is_none() { Some(admin.id) } else { None },
                    kind: CommentKind::Comment,
                    body_format: CommentFormat::Text,
                },
            )?;
            question = question.or(Some(id));
        }
        tx.changed(crate::db::Change::Comments(post.id));
        tx.changed(crate::db::Change::CommentFeed);
        Ok(true)
    })
}
