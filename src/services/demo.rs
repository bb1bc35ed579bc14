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

/// A demo comment: who, what, and how the policy would have decided it.
struct DemoComment {
    author: &'static str,
    email: &'static str,
    text: &'static str,
    status: CommentStatus,
    reason: &'static str,
    minutes_ago: i64,
}

const DISCUSSION: [DemoComment; 4] = [
    DemoComment {
        author: "Maya Lindqvist",
        email: "maya@example.org",
        text: "Does the pigment fade over the years? I am wondering whether I would need touch-ups.",
        status: CommentStatus::Approved,
        reason: "passed every check (demo)",
        minutes_ago: 180,
    },
    DemoComment {
        author: "Tom Okafor",
        email: "tom@example.org",
        text: "Mine faded a little after about three years; one short touch-up session fixed it.",
        status: CommentStatus::Approved,
        reason: "this name and email already have an approved comment (demo)",
        minutes_ago: 120,
    },
    DemoComment {
        author: "Jonas Weber",
        email: "jonas@example.org",
        text: "Is it safe to go swimming in the first week after a session?",
        status: CommentStatus::Pending,
        reason: "first comment from this email",
        minutes_ago: 30,
    },
    DemoComment {
        author: "Best Casino",
        email: "promo@casino.example",
        text: "casino siteleri canlı casino siteleri 1xbet canlı casino siteleri sex hikayeleri",
        status: CommentStatus::Spam,
        reason: "matched disallowed word `casino`",
        minutes_ago: 10,
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
        for (i, c) in DISCUSSION.iter().enumerate() {
            let at = now - Duration::minutes(c.minutes_ago);
            let rendered = markup::render_comment(c.text);
            let (id, _) = crate::db::comments::insert(
                tx,
                &NewComment {
                    post_id: post.id,
                    parent_id: if i == 1 { question } else { None },
                    status: c.status,
                    author: c.author,
                    email: c.email,
                    url: None,
                    ip: None,
                    user_agent: None,
                    body_source: c.text,
                    body_html: rendered.html.as_str(),
                    reason: c.reason,
                    created_at: at,
                    updated_at: at,
                    user_id: None,
                    kind: CommentKind::Comment,
                    body_format: CommentFormat::Text,
                },
            )?;
            if i == 0 {
                question = Some(id);
            }
        }
        if let Some(question) = question {
            let text = "They do soften over time, more in sun-exposed areas. Most people book a touch-up every few years.";
            let rendered = markup::render_comment(text);
            let at = now - Duration::minutes(60);
            crate::db::comments::insert(
                tx,
                &NewComment {
                    post_id: post.id,
                    parent_id: Some(question),
                    status: CommentStatus::Approved,
                    author: &admin.username,
                    email: &admin.email,
                    url: None,
                    ip: None,
                    user_agent: None,
                    body_source: text,
                    body_html: rendered.html.as_str(),
                    reason: "reply by a moderator",
                    created_at: at,
                    updated_at: at,
                    user_id: Some(admin.id),
                    kind: CommentKind::Comment,
                    body_format: CommentFormat::Text,
                },
            )?;
        }
        tx.changed(crate::db::Change::Comments(post.id));
        tx.changed(crate::db::Change::CommentFeed);
        Ok(true)
    })
}
