//! Moving in from other comment systems (Disqus, Isso, Remark42, Commento): each format is read
//! into `Incoming` comments; one writer puts them into threads by URL, in one transaction (a
//! failure leaves nothing), with their ids kept in `imported_comments` (a re-import adds only
//! what is new). Nothing becomes public that was not: only comments the old system showed are
//! approved; held ones stay held, deleted ones go to the trash, spam stays spam.

pub mod commento;
pub mod disqus;
pub mod isso;
pub mod remark42;

use std::collections::HashMap;
use std::fmt;

use chrono::{NaiveDateTime, Utc};
use diesel::prelude::*;

use crate::db::comments::{self as comment_rows, NewComment};
use crate::db::enums::{CommentFormat, CommentKind, CommentStatus};
use crate::db::ids::{CommentId, PostId};
use crate::db::schema::imported_comments;
use crate::db::{threads, Change, Conn, Db};
use crate::error::AppError;
use crate::services::comment_form::AUTHOR_MAX;
use crate::services::embed::{self, EmbedSites};
use crate::services::markup;
use crate::services::wordpress::import::map::{commenter_url, cut_at};
use crate::services::wordpress::import::writer::place_replies;

/// A comment as the old system had it.
#[derive(Debug, Clone)]
pub struct Incoming {
    /// The old system's id (unique within the source).
    pub id: String,
    /// The page: absolute, or a path on the `--site` given.
    pub url: String,
    pub title: String,
    pub parent: Option<String>,
    pub author: String,
    pub email: String,
    pub website: String,
    pub ip: Option<String>,
    pub body: Body,
    pub created_at: NaiveDateTime,
    pub status: CommentStatus,
}

#[derive(Debug, Clone)]
pub enum Body {
    /// Rendered by the old system: sanitized again by ours.
    Html(String),
    /// Markdown as typed: rendered by our comment rules.
    Markdown(String),
}

#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Summary {
    pub dry_run: bool,
    pub threads_created: u64,
    pub comments_created: u64,
    pub already_imported: u64,
    /// On no site of `embed.sites` (and no `--site` given).
    pub not_on_a_site: u64,
    pub held: u64,
    pub approved: u64,
}

impl fmt::Display for Summary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let verb = if self.dry_run { "would import" } else { "imported" };
        writeln!(
            f,
            "{verb} {} comments ({} approved, {} not) in {} new threads",
            self.comments_created,
            self.approved,
            self.comments_created - self.approved,
            self.threads_created
        )?;
        writeln!(f, "already here from an earlier import: {}", self.already_imported)?;
        if self.not_on_a_site > 0 {
            writeln!(
                f,
                "left out, on no site of embed.sites: {} (add the site, or name it with --site)",
                self.not_on_a_site
            )?;
        }
        if self.dry_run {
            writeln!(f, "dry run: nothing was written")?;
        }
        Ok(())
    }
}

/// What an import needs besides the comments.
pub struct Target<'a> {
    /// `disqus`, `isso`, ...: ids are kept per source.
    pub source: &'a str,
    pub sites: &'a EmbedSites,
    /// `--site NAME`: every page is on this site (Isso keeps paths, not URLs).
    pub site: Option<&'a str>,
    pub dry_run: bool,
}

/// Bytes of an imported comment kept (the reply form takes 64 KB; HTML markup is extra).
const MAX_BODY: usize = 256 * 1024;

/// Refuses a dry run's transaction after counting.
const DRY_RUN: &str = "dry run";

pub fn import(db: &Db, target: &Target<'_>, mut comments: Vec<Incoming>) -> Result<Summary, AppError> {
    if let Some(name) = target.site {
        if target.sites.by_name(name).is_none() {
            return Err(AppError::Invalid(format!("no site `{name}` in embed.sites")));
        }
    }
    // Oldest first: a reply comes after what it answers.
    comments.sort_by(|a, b| a.created_at.cmp(&b.created_at).then_with(|| a.id.cmp(&b.id)));
    let mut summary = Summary { dry_run: target.dry_run, ..Summary::default() };
    let result = db.write_now(|tx| {
        write(tx, target, &comments, &mut summary)?;
        tx.changed(Change::Everything);
        if target.dry_run {
            return Err(AppError::Invalid(DRY_RUN.into()));
        }
        Ok(())
    });
    match result {
        Err(AppError::Invalid(message)) if message == DRY_RUN => Ok(summary),
        other => other.map(|()| summary),
    }
}

fn write(
    conn: &mut Conn,
    target: &Target<'_>,
    comments: &[Incoming],
    summary: &mut Summary,
) -> Result<(), AppError> {
    let now = Utc::now().naive_utc();
    let reason = format!("imported from {}", target.source);
    let mut ours: HashMap<String, CommentId> = HashMap::new();
    let mut per_thread: HashMap<PostId, Vec<(CommentId, Option<String>)>> = HashMap::new();
    let mut thread_of_url: HashMap<String, PostId> = HashMap::new();
    for comment in comments {
        if let Some(existing) = imported(conn, target.source, &comment.id)? {
            summary.already_imported += 1;
            if let Some(id) = existing {
                ours.insert(comment.id.clone(), id);
            }
            continue;
        }
        let Some((site, url)) = page_of(target, &comment.url) else {
            summary.not_on_a_site += 1;
            continue;
        };
        let post = match thread_of_url.get(&url) {
            Some(post) => *post,
            None => {
                let post = match threads::find_by_url(conn, &url)? {
                    Some((thread, _)) => thread.post_id,
                    None => {
                        let title = match embed::clean_title(&comment.title) {
                            t if t.is_empty() => url.clone(),
                            t => t,
                        };
                        summary.threads_created += 1;
                        threads::insert(conn, &site, &url, &title, &embed::slug_for(&url), now)?
                            .ok_or_else(|| AppError::Invalid(format!("a thread for {url} exists already")))?
                            .id
                    }
                };
                thread_of_url.insert(url.clone(), post);
                post
            }
        };
        // As long as the reply form allows, at most (an old system's record is kept whole
        // up to there; past it, the end is cut).
        let body = match &comment.body {
            Body::Html(text) => Body::Html(cut_at(text, MAX_BODY).to_string()),
            Body::Markdown(text) => Body::Markdown(cut_at(text, MAX_BODY).to_string()),
        };
        let (source, html, format) = match &body {
            Body::Html(html) => {
                (html.as_str(), markup::render_imported_comment(html).html, CommentFormat::Html)
            }
            Body::Markdown(text) => (text.as_str(), markup::render_comment(text).html, CommentFormat::Text),
        };
        let author = comment.author.trim();
        // The form's limits: an address longer than the form takes, or none at all, is left out.
        let email = Some(comment.email.trim().to_lowercase())
            .filter(|e| e.len() <= crate::services::comment_form::EMAIL_MAX && e.contains('@'))
            .unwrap_or_default();
        let (id, _) = comment_rows::insert(
            conn,
            &NewComment {
                post_id: post,
                parent_id: None,
                status: comment.status,
                kind: CommentKind::Comment,
                body_format: format,
                author: if author.is_empty() {
                    crate::db::privacy::ERASED_AUTHOR
                } else {
                    cut_at(author, AUTHOR_MAX)
                },
                email: &email,
                url: commenter_url(&comment.website),
                ip: comment.ip.as_deref().map(str::trim).filter(|ip| !ip.is_empty()),
                user_agent: None,
                body_source: source,
                body_html: html.as_str(),
                reason: &reason,
                created_at: comment.created_at,
                updated_at: now,
                user_id: None,
            },
        )?;
        diesel::insert_into(imported_comments::table)
            .values((
                imported_comments::source.eq(target.source),
                imported_comments::external_id.eq(&comment.id),
                imported_comments::comment_id.eq(id),
            ))
            .execute(conn)?;
        ours.insert(comment.id.clone(), id);
        per_thread.entry(post).or_default().push((id, comment.parent.clone()));
        summary.comments_created += 1;
        match comment.status {
            CommentStatus::Approved => summary.approved += 1,
            CommentStatus::Pending => summary.held += 1,
            _ => {}
        }
    }
    // Replies under their parents (looked up in this run and earlier ones), depth capped and
    // cycles cut as for WordPress threads.
    for (_, new_here) in per_thread {
        let intended: HashMap<CommentId, CommentId> = new_here
            .iter()
            .filter_map(|(id, parent)| {
                let parent = parent.as_ref().and_then(|p| ours.get(p).copied())?;
                (parent != *id).then_some((*id, parent))
            })
            .collect();
        let ids: Vec<CommentId> = new_here.iter().map(|(id, _)| *id).collect();
        for (id, parent) in place_replies(conn, &ids, &intended)? {
            if let Some(parent) = parent {
                crate::db::wordpress::set_parent(conn, id, parent)?;
            }
        }
    }
    Ok(())
}

/// Some(our id, or None when it was deleted here since) when imported before.
fn imported(conn: &mut Conn, source: &str, id: &str) -> QueryResult<Option<Option<CommentId>>> {
    imported_comments::table
        .find((source, id))
        .select(imported_comments::comment_id)
        .first::<Option<CommentId>>(conn)
        .optional()
}

/// The site and canonical URL of a page (a path is put on the `--site`'s first origin).
fn page_of(target: &Target<'_>, raw: &str) -> Option<(String, String)> {
    let forced = target.site.and_then(|name| target.sites.by_name(name));
    let on_forced =
        |url: &url::Url| forced.is_some_and(|s| s.origins.contains(&url.origin().ascii_serialization()));
    let absolute = match url::Url::parse(raw) {
        Ok(url) if forced.is_none() || on_forced(&url) => raw.to_string(),
        // A path, or an address the old system knew under another host: on the named site.
        Ok(url) => format!("{}{}", forced?.origins.first()?, &url[url::Position::BeforePath..]),
        Err(_) if raw.starts_with('/') => format!("{}{raw}", forced?.origins.first()?),
        Err(_) => return None,
    };
    let site = match forced {
        Some(site) => site,
        None => target.sites.for_url(&absolute)?,
    };
    let url = embed::canonical_url(site, &absolute).ok()?;
    Some((site.name.clone(), url))
}

/// A date in RFC 3339 (`2019-06-18T14:36:39.868-05:00`, `2013-01-01T00:00:00Z`), as UTC.
pub fn parse_date(raw: &str) -> Result<NaiveDateTime, AppError> {
    chrono::DateTime::parse_from_rfc3339(raw.trim())
        .map(|d| d.naive_utc())
        .map_err(|_| AppError::Invalid(format!("`{raw}` is not a date")))
}
