//! `marginalia import wxr`: a WordPress export in, in two streaming passes.
//!
//! Pass 1 reads the whole file without writing: it refuses a malformed file (file, line and
//! column), picks every new post's slug and learns every old URL, so links between posts can
//! be rewritten whatever their order in the file. Pass 2 reads it again and writes in
//! transactions of bounded size (a live site keeps taking comments meanwhile), each also
//! recording how to take its writes back (`import_undo`): if a write fails, or the process
//! dies and a later import or server start finds the run abandoned, the run is undone and the
//! database is as it was.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt;
use std::fs::File;
use std::io::BufReader;
use std::path::Path;

use chrono::{NaiveDateTime, Utc};
use diesel::SqliteConnection;
use serde::Serialize;

use super::content::{self, ContentStats};
use super::wxr::{self, ReadError, WxrChannel, WxrComment, WxrEvent, WxrItem, WxrTerm};
use crate::db::comments::{self as comment_rows, NewComment};
use crate::db::enums::{
    BodyFormat, CommentFormat, CommentKind, CommentStatus, PostKind, PostStatus, RunState, UndoKind,
};
use crate::db::ids::{CategoryId, CommentId, PostId, TagId};
use crate::db::posts::{self, NewPost, Post, PostChanges};
use crate::db::wordpress as wp_db;
use crate::db::{import_runs, redirects, taxonomy, users, Db};
use crate::error::AppError;
use crate::services::comment_form::{AUTHOR_MAX, URL_MAX};
use crate::services::redirects as redirect_keys;
use crate::services::{markup, posts as post_service, slug, threads};

const EXCERPT_CHARS: usize = 200;
/// Rows (posts + comments) per write transaction.
const BATCH_ROWS: usize = 1000;
const IMPORT_REASON: &str = "imported from WordPress";

#[derive(Debug, Clone, Default)]
pub struct ImportOptions {
    /// Parse, validate and count; write nothing.
    pub dry_run: bool,
    /// A marginalia username shown as the author of every imported post.
    pub author: Option<String>,
    pub skip_pingbacks: bool,
    /// The name errors give the file (an upload's own name, not where it was saved).
    pub display_name: Option<String>,
}

/// Told how far the import is; implemented by the terminal progress bar and the admin page.
pub trait Progress {
    fn phase(&self, name: &str, items: u64, comments: u64);
    /// Cumulative counts in the current phase.
    fn advance(&self, items: u64, comments: u64);
}

/// What an import did (or, for a dry run, would do).
#[derive(Debug, Clone, Default, Serialize)]
pub struct Summary {
    pub dry_run: bool,
    pub articles_created: u64,
    pub articles_updated: u64,
    pub pages_created: u64,
    pub pages_updated: u64,
    pub unchanged: u64,
    /// Posts edited here since their import: left as they are.
    pub kept_local_edits: u64,
    /// Imported as drafts (draft, pending, private, future and password-protected in WordPress).
    pub drafts: u64,
    /// New comments by status.
    pub comments: BTreeMap<String, u64>,
    pub pingbacks: u64,
    pub trackbacks: u64,
    pub comments_already_imported: u64,
    pub redirects: u64,
    pub links_rewritten: u64,
    /// Reason -> count of WordPress items or comments not imported.
    pub skipped: BTreeMap<String, u64>,
    pub shortcodes_converted: BTreeMap<String, u64>,
    pub shortcodes_removed: BTreeMap<String, u64>,
}

impl Summary {
    fn skip(&mut self, reason: impl Into<String>) {
        *self.skipped.entry(reason.into()).or_default() += 1;
    }

    pub fn comments_total(&self) -> u64 {
        self.comments.values().sum()
    }
}

impl fmt::Display for Summary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let title =
            if self.dry_run { "WordPress import (dry run: nothing written)" } else { "WordPress import" };
        writeln!(f, "{title}")?;
        writeln!(f, "{}", "-".repeat(56))?;
        let mut row = |name: &str, value: String| writeln!(f, "{name:<44}{value:>12}");
        row("articles created", self.articles_created.to_string())?;
        row("articles updated", self.articles_updated.to_string())?;
        row("pages created", self.pages_created.to_string())?;
        row("pages updated", self.pages_updated.to_string())?;
        row("  new ones that are drafts (not public)", self.drafts.to_string())?;
        row("posts unchanged (imported before)", self.unchanged.to_string())?;
        row("posts edited here since, left as they are", self.kept_local_edits.to_string())?;
        for status in CommentStatus::ALL {
            let count = self.comments.get(status.as_str()).copied().unwrap_or(0);
            row(&format!("comments {status}"), count.to_string())?;
        }
        row("pingbacks", self.pingbacks.to_string())?;
        row("trackbacks", self.trackbacks.to_string())?;
        row("comments imported before", self.comments_already_imported.to_string())?;
        row("redirects for old links", self.redirects.to_string())?;
        row("links rewritten in content", self.links_rewritten.to_string())?;
        for (name, count) in &self.shortcodes_converted {
            row(&format!("shortcode [{name}] converted"), count.to_string())?;
        }
        for (name, count) in &self.shortcodes_removed {
            row(&format!("shortcode [{name}] removed"), count.to_string())?;
        }
        if self.skipped.is_empty() {
            row("skipped", "0".into())?;
        }
        for (reason, count) in &self.skipped {
            row(&format!("skipped: {reason}"), count.to_string())?;
        }
        Ok(())
    }
}

/// Imports `path`, a batch per write transaction.
pub fn import_file(
    db: &Db,
    path: &Path,
    options: &ImportOptions,
    progress: &dyn Progress,
) -> Result<Summary, AppError> {
    let author_name = match &options.author {
        Some(name) => Some(
            db.read_now(|c| Ok(users::find_by_username(c, name)?))?
                .map(|u| u.username)
                .ok_or_else(|| AppError::Invalid(format!("no marginalia user `{name}` (see `user list`)")))?,
        ),
        None => None,
    };
    let plan = db.read_now(|c| plan(c, path, options, progress))?;
    if options.dry_run {
        return db.read_now(|c| preview(c, path, &plan, options, progress));
    }
    let run = begin_run(db, &plan.site, &display_name(path, options))?;
    let mut writer = Writer::new(&plan, options, author_name, run);
    writer.local_comments =
        db.read_now(|c| Ok(wp_db::comment_mappings(c, &plan.site)?))?.into_iter().collect();
    writer.known_comments = writer.local_comments.keys().copied().collect();
    progress.phase("importing", plan.items, plan.comments);
    let result = read_items(path, &display_name(path, options), |item| writer.push(db, item, progress))
        .and_then(|()| writer.flush(db, progress));
    match result {
        Ok(()) => {
            db.write_now(|tx| Ok(import_runs::finish(tx, run, RunState::Done, Utc::now().naive_utc())?))?;
            Ok(writer.summary)
        }
        Err(e) => {
            tracing::error!(error = %e, "WordPress import failed; undoing what it wrote");
            undo_run(db, run, &plan.site, RunState::Failed).map_err(|undo| {
                AppError::Internal(format!("import failed ({e}) and undoing it failed too: {undo}"))
            })?;
            Err(e)
        }
    }
}

/// An import that has not moved for this long has died (its process stopped or crashed).
const ABANDONED_AFTER_SECONDS: i64 = 300;

/// Starts a run, first undoing runs that died half-way; refused while another one is alive.
fn begin_run(db: &Db, site: &str, file_name: &str) -> Result<i32, AppError> {
    recover_abandoned(db)?;
    db.write_now(|tx| {
        if let Some(alive) = import_runs::running(tx)?.into_iter().next() {
            return Err(AppError::RateLimited(format!(
                "Another import ({}, started {} UTC) is still running; try again when it has finished.",
                alive.file_name,
                alive.started_at.format("%Y-%m-%d %H:%M")
            )));
        }
        Ok(import_runs::start(tx, site, file_name, Utc::now().naive_utc())?)
    })
}

/// Undoes every run whose process died mid-import (its heartbeat is old); returns how many.
/// Called before each import and when the server starts.
pub fn recover_abandoned(db: &Db) -> Result<usize, AppError> {
    let cutoff = Utc::now().naive_utc() - chrono::Duration::seconds(ABANDONED_AFTER_SECONDS);
    let abandoned: Vec<_> = db
        .read_now(|c| Ok(import_runs::running(c)?))?
        .into_iter()
        .filter(|r| r.heartbeat_at < cutoff)
        .collect();
    for run in &abandoned {
        tracing::warn!(run = run.id, file = %run.file_name, "undoing an import that stopped half-way");
        undo_run(db, run.id, &run.site, RunState::Undone)?;
    }
    Ok(abandoned.len())
}

const UNDO_BATCH: i64 = 1000;

/// Takes back what run `run` wrote, newest first, a batch per transaction; each batch also
/// deletes its log entries, so an undo interrupted in turn resumes where it stopped.
fn undo_run(db: &Db, run: i32, site: &str, final_state: RunState) -> Result<(), AppError> {
    loop {
        let done = db.write_now(|tx| {
            let entries = import_runs::newest_entries(tx, run, UNDO_BATCH)?;
            if entries.is_empty() {
                import_runs::finish(tx, run, final_state, Utc::now().naive_utc())?;
                return Ok::<bool, AppError>(true);
            }
            for (_, kind, ref_id, detail) in &entries {
                undo_entry(tx, site, *kind, *ref_id, detail.as_deref())?;
            }
            let ids: Vec<i32> = entries.iter().map(|e| e.0).collect();
            import_runs::delete_entries(tx, &ids)?;
            Ok(false)
        })?;
        if done {
            return Ok(());
        }
    }
}

fn undo_entry(
    conn: &mut SqliteConnection,
    site: &str,
    kind: UndoKind,
    ref_id: Option<i32>,
    detail: Option<&str>,
) -> Result<(), AppError> {
    match (kind, ref_id) {
        (UndoKind::CommentCreated, Some(id)) => {
            wp_db::delete_comment(conn, CommentId(id))?;
        }
        (UndoKind::PostCreated, Some(id)) => {
            posts::delete(conn, PostId(id))?;
        }
        (UndoKind::PostUpdated, Some(_)) => {
            let snapshot: PostSnapshot = serde_json::from_str(detail.unwrap_or_default())
                .map_err(|e| AppError::Internal(format!("unreadable undo entry: {e}")))?;
            posts::update(conn, snapshot.post.id, &changes_of(&snapshot.post))?;
            taxonomy::set_post_tags(conn, snapshot.post.id, &snapshot.tags)?;
            wp_db::set_synced(conn, site, snapshot.wp_id, snapshot.synced_at)?;
        }
        (UndoKind::CategoryCreated, Some(id)) => {
            taxonomy::delete_unused_categories(conn, &[CategoryId(id)])?;
        }
        (UndoKind::TagCreated, Some(id)) => {
            taxonomy::delete_unused_tags(conn, &[TagId(id)])?;
        }
        (UndoKind::MappedPost, Some(wp_id)) => wp_db::unmap_post(conn, site, wp_id)?,
        (UndoKind::MappedComment, Some(wp_id)) => wp_db::unmap_comment(conn, site, wp_id)?,
        (UndoKind::Redirect, _) => {
            if let Some(from) = detail {
                redirects::delete(conn, from)?;
            }
        }
        _ => {}
    }
    Ok(())
}

/// A post as it was before a run updated it.
#[derive(Debug, Serialize, serde::Deserialize)]
struct PostSnapshot {
    post: Post,
    tags: Vec<TagId>,
    wp_id: i32,
    synced_at: Option<NaiveDateTime>,
}

/// Streams the items of `path` (pass 2; the file was checked by pass 1).
fn read_items(
    path: &Path,
    name: &str,
    mut on_item: impl FnMut(WxrItem) -> Result<(), AppError>,
) -> Result<(), AppError> {
    let file = File::open(path).map_err(|e| AppError::Invalid(format!("{name}: {e}")))?;
    wxr::read_wxr(BufReader::with_capacity(1 << 16, file), |event| match event {
        WxrEvent::Item(item) => on_item(*item),
        _ => Ok(()),
    })
    .map_err(|e| located(path, name, e))
}

/// A read error as `file:line:column: message`.
fn located(path: &Path, name: &str, error: ReadError<AppError>) -> AppError {
    match error {
        ReadError::Callback(e) => e,
        ReadError::Wxr(wxr::WxrError::Io(e)) => AppError::Invalid(format!("{name}: {e}")),
        ReadError::Wxr(wxr::WxrError::Syntax { offset, message }) => at(path, name, offset, &message),
    }
}

fn at(path: &Path, name: &str, offset: u64, message: &str) -> AppError {
    let position = File::open(path).ok().and_then(|f| wxr::locate(BufReader::new(f), offset).ok());
    match position {
        Some((line, column)) => AppError::Invalid(format!("{name}:{line}:{column}: {message}")),
        None => AppError::Invalid(format!("{name}: byte {offset}: {message}")),
    }
}

fn display_name(path: &Path, options: &ImportOptions) -> String {
    options.display_name.clone().unwrap_or_else(|| path.display().to_string())
}

/// How pass 2 treats one WordPress item.
#[derive(Debug, Clone)]
struct PlannedPost {
    kind: PostKind,
    status: PostStatus,
    slug: String,
    /// The post imported from this item before, if it still exists.
    existing: Option<PostId>,
    /// Its updated_at when an import last wrote it (a later one: edited here since).
    synced_at: Option<NaiveDateTime>,
    keys: Vec<String>,
}

#[derive(Debug)]
struct Plan {
    site: String,
    bases: Vec<String>,
    posts: HashMap<i64, PlannedPost>,
    /// Old URL key -> new path, for rewriting links in content.
    url_map: HashMap<String, String>,
    /// Redirects that point at fixed paths (archives, feeds).
    path_redirects: Vec<(String, String)>,
    categories: Vec<WxrTerm>,
    tags: Vec<WxrTerm>,
    authors: HashMap<String, String>,
    items: u64,
    comments: u64,
    preview: Summary,
}

/// Pass 1: read everything, write nothing.
fn plan(
    conn: &mut SqliteConnection,
    path: &Path,
    options: &ImportOptions,
    progress: &dyn Progress,
) -> Result<Plan, AppError> {
    let name = display_name(path, options);
    let file = File::open(path).map_err(|e| AppError::Invalid(format!("{name}: {e}")))?;
    let size = file.metadata().map(|m| m.len()).unwrap_or(0);
    progress.phase("checking", size, 0);
    let mut channel: Option<WxrChannel> = None;
    let mut categories = Vec::new();
    let mut tags = Vec::new();
    let mut authors = HashMap::new();
    let mut items: Vec<(i64, PlanItem)> = Vec::new();
    let mut seen_ids = HashSet::new();
    let mut preview = Summary { dry_run: true, ..Summary::default() };
    let (mut item_count, mut comment_count) = (0u64, 0u64);
    wxr::read_wxr(BufReader::with_capacity(1 << 16, file), |event| {
        match event {
            WxrEvent::Channel(c) => channel = Some(c),
            WxrEvent::Author(a) => {
                let shown = if a.display_name.trim().is_empty() { &a.login } else { &a.display_name };
                authors.insert(a.login.clone(), shown.trim().to_string());
            }
            WxrEvent::Category(term) => categories.push(term),
            WxrEvent::Tag(term) => tags.push(term),
            WxrEvent::Term(_) => {}
            WxrEvent::Item(item) => {
                let item = *item;
                match item_kind(&item) {
                    Err(reason) => preview.skip(reason),
                    Ok(_) if !seen_ids.insert(item.post_id) => {
                        preview.skip("item with a post id seen before in the file")
                    }
                    Ok(kind) => {
                        parse_wp_date(&item.post_date_gmt, &item.post_date).map_err(|m| {
                            at(path, &name, item.offset, &format!("post {}: {m}", item.post_id))
                        })?;
                        for comment in &item.comments {
                            parse_wp_date(&comment.date_gmt, &comment.date).map_err(|m| {
                                at(path, &name, item.offset, &format!("comment {}: {m}", comment.id))
                            })?;
                        }
                        item_count += 1;
                        comment_count += item.comments.len() as u64;
                        progress.advance(item.offset, comment_count);
                        items.push((item.post_id, PlanItem::new(&item, kind)));
                    }
                }
            }
        }
        Ok::<(), AppError>(())
    })
    .map_err(|e| located(path, &name, e))?;
    let channel = channel.unwrap_or_default();
    let site = site_key(&first_nonempty(&[&channel.base_site_url, &channel.base_blog_url, &channel.link]));
    let mut bases: Vec<String> = [&channel.base_blog_url, &channel.base_site_url, &channel.link]
        .iter()
        .map(|b| b.trim().trim_end_matches('/').to_string())
        .filter(|b| !b.is_empty())
        .collect();
    bases.dedup();
    let blog_base = bases.first().cloned().unwrap_or_default();
    let base_path = base_path(&blog_base);

    // Slugs: a post imported before keeps its slug; a new one gets a free one.
    let known: HashMap<i32, (Option<PostId>, Option<NaiveDateTime>)> = wp_db::post_mappings(conn, &site)?
        .into_iter()
        .map(|(wp, post, synced)| (wp, (post, synced)))
        .collect();
    let existing_slugs: HashMap<PostId, String> = posts::all_slugs(conn)?.into_iter().collect();
    let mut taken: HashSet<String> = existing_slugs.values().cloned().collect();
    let mut planned = HashMap::new();
    let mut url_map = HashMap::new();
    // Keys from an item's own <link> and <guid> win over keys guessed from a post_name (an
    // article whose slug is `about` must not take the About page's real address).
    let exact_keys: HashSet<String> = items
        .iter()
        .flat_map(|(_, item)| [&item.link, &item.guid])
        .flat_map(|url| bases.iter().filter_map(|b| redirect_keys::key_for_url(url, b)).collect::<Vec<_>>())
        .collect();
    for (wp_id, item) in items {
        let mapping = i32::try_from(wp_id).ok().and_then(|id| known.get(&id));
        let existing = mapping.and_then(|(post, _)| *post).filter(|id| existing_slugs.contains_key(id));
        let synced_at = mapping.and_then(|(_, synced)| *synced);
        let slug = match existing.and_then(|id| existing_slugs.get(&id)) {
            Some(slug) => slug.clone(),
            None => free_slug(&item.wanted_slug, wp_id, &mut taken),
        };
        let new_path = post_service::public_path(item.kind, &slug);
        let mut keys = Vec::new();
        for url in [&item.link, &item.guid] {
            bases.iter().filter_map(|b| redirect_keys::key_for_url(url, b)).for_each(|k| keys.push(k));
        }
        keys.push(format!("{base_path}/?p={wp_id}"));
        if item.kind == PostKind::Page {
            keys.push(format!("{base_path}/?page_id={wp_id}"));
        }
        let guessed = format!("{base_path}/{}", item.post_name.to_ascii_lowercase());
        if !item.post_name.is_empty() && !exact_keys.contains(&guessed) {
            keys.push(guessed);
        }
        keys.retain(|k| k != &new_path && k != "/" && !k.is_empty());
        keys.sort();
        keys.dedup();
        if existing.is_none() {
            if item.status == PostStatus::Draft {
                preview.drafts += 1;
            }
            match item.kind {
                PostKind::Article => preview.articles_created += 1,
                PostKind::Page => preview.pages_created += 1,
            }
        } else {
            preview.unchanged += 1;
        }
        for key in &keys {
            url_map.entry(key.clone()).or_insert_with(|| new_path.clone());
        }
        planned.insert(
            wp_id,
            PlannedPost { kind: item.kind, status: item.status, slug, existing, synced_at, keys },
        );
    }
    let mut path_redirects = vec![
        (format!("{base_path}/feed"), "/feed.xml".to_string()),
        (format!("{base_path}/comments/feed"), "/comments/feed.xml".to_string()),
    ];
    for term in &categories {
        let slug = term_slug(term);
        path_redirects.push((format!("{base_path}/category/{}", term.slug), format!("/category/{slug}")));
    }
    for term in &tags {
        let slug = term_slug(term);
        path_redirects.push((format!("{base_path}/tag/{}", term.slug), format!("/tag/{slug}")));
    }
    for (from, to) in &path_redirects {
        url_map.entry(from.clone()).or_insert_with(|| to.clone());
    }
    Ok(Plan {
        site,
        bases,
        posts: planned,
        url_map,
        path_redirects,
        categories,
        tags,
        authors,
        items: item_count,
        comments: comment_count,
        preview,
    })
}

/// What pass 1 keeps of an item.
struct PlanItem {
    kind: PostKind,
    status: PostStatus,
    wanted_slug: String,
    post_name: String,
    link: String,
    guid: String,
}

impl PlanItem {
    fn new(item: &WxrItem, kind: PostKind) -> PlanItem {
        let post_name = percent_decode(item.post_name.trim());
        let wanted = slug::slugify(&post_name);
        let wanted = if wanted.is_empty() { slug::slugify(&item.title) } else { wanted };
        PlanItem {
            kind,
            status: post_status(&item.status, &item.post_password),
            wanted_slug: wanted,
            post_name: item.post_name.trim().to_string(),
            link: item.link.trim().to_string(),
            guid: item.guid.trim().to_string(),
        }
    }
}

/// Article or page, or why the item is left out.
fn item_kind(item: &WxrItem) -> Result<PostKind, String> {
    let kind = match item.post_type.trim() {
        "post" | "" => PostKind::Article,
        "page" => PostKind::Page,
        other => return Err(format!("post type `{other}`")),
    };
    match item.status.trim() {
        "publish" | "draft" | "pending" | "private" | "future" => Ok(kind),
        "trash" => Err("post in the WordPress trash".into()),
        "auto-draft" => Err("auto-draft".into()),
        "inherit" => Err("revision".into()),
        other => Err(format!("post status `{other}`")),
    }
}

/// Published only when WordPress showed it to everyone: a password-protected post stays a
/// draft here (marginalia has no post passwords, and its text must not become public).
fn post_status(wp: &str, password: &str) -> PostStatus {
    if wp.trim() == "publish" && password.is_empty() {
        PostStatus::Published
    } else {
        PostStatus::Draft
    }
}

fn comment_status(approved: &str) -> CommentStatus {
    match approved.trim() {
        "1" | "approve" => CommentStatus::Approved,
        "spam" => CommentStatus::Spam,
        "trash" | "post-trashed" => CommentStatus::Trash,
        _ => CommentStatus::Pending,
    }
}

fn comment_kind(comment: &WxrComment) -> CommentKind {
    match comment.comment_type.trim() {
        "pingback" => CommentKind::Pingback,
        "trackback" => CommentKind::Trackback,
        _ => CommentKind::Comment,
    }
}

/// What an import does with one WordPress comment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum CommentFate {
    /// Imported before: left as moderated here, and not brought back if deleted here (spam
    /// and trash are purged after a while). Only a post created again (deleted here, comments
    /// and all) gets its comments again.
    ImportedBefore,
    SkippedPingback,
    New(CommentKind, CommentStatus),
}

const SKIPPED_PINGBACK: &str = "pingback/trackback (--skip-pingbacks)";

fn comment_fate(
    comment: &WxrComment,
    known: &HashSet<i32>,
    post_is_new: bool,
    skip_pingbacks: bool,
) -> CommentFate {
    let kind = comment_kind(comment);
    if kind != CommentKind::Comment && skip_pingbacks {
        return CommentFate::SkippedPingback;
    }
    let imported_before = i32::try_from(comment.id).is_ok_and(|id| known.contains(&id));
    if imported_before && !post_is_new {
        return CommentFate::ImportedBefore;
    }
    CommentFate::New(kind, comment_status(&comment.approved))
}

impl Summary {
    fn count_comment(&mut self, fate: CommentFate) {
        match fate {
            CommentFate::ImportedBefore => self.comments_already_imported += 1,
            CommentFate::SkippedPingback => self.skip(SKIPPED_PINGBACK),
            CommentFate::New(CommentKind::Pingback, _) => self.pingbacks += 1,
            CommentFate::New(CommentKind::Trackback, _) => self.trackbacks += 1,
            CommentFate::New(CommentKind::Comment, status) => {
                *self.comments.entry(status.to_string()).or_default() += 1
            }
        }
    }

    fn count_content(&mut self, stats: ContentStats, links_rewritten: u64) {
        self.links_rewritten += links_rewritten;
        for (name, count) in stats.converted {
            *self.shortcodes_converted.entry(name).or_default() += count;
        }
        for (name, count) in stats.removed {
            *self.shortcodes_removed.entry(name).or_default() += count;
        }
    }
}

/// A dry run's pass 2: the same reading and conversion as the import, against what the
/// database holds, with no write at all; so it prints what the import will print.
fn preview(
    conn: &mut SqliteConnection,
    path: &Path,
    plan: &Plan,
    options: &ImportOptions,
    progress: &dyn Progress,
) -> Result<Summary, AppError> {
    let mut summary = plan.preview.clone();
    let known: HashSet<i32> =
        wp_db::comment_mappings(conn, &plan.site)?.into_iter().map(|(wp, _)| wp).collect();
    let mut claimed: HashSet<String> = redirects::all_from_paths(conn)?.into_iter().collect();
    for (from, _) in &plan.path_redirects {
        if claimed.insert(from.clone()) {
            summary.redirects += 1;
        }
    }
    progress.phase("previewing", plan.items, plan.comments);
    let (mut items, mut comments) = (0u64, 0u64);
    read_items(path, &display_name(path, options), |item| {
        let Some(planned) = plan.posts.get(&item.post_id) else { return Ok(()) };
        let (_, stats, rewritten) = convert_body(plan, &item.content);
        summary.count_content(stats, rewritten);
        for key in &planned.keys {
            if claimed.insert(key.clone()) {
                summary.redirects += 1;
            }
        }
        let post_is_new = planned.existing.is_none();
        for comment in &item.comments {
            summary.count_comment(comment_fate(comment, &known, post_is_new, options.skip_pingbacks));
        }
        items += 1;
        comments += item.comments.len() as u64;
        progress.advance(items, comments);
        Ok(())
    })?;
    Ok(summary)
}

/// Post content as stored here: WordPress's formats converted, old links rewritten.
fn convert_body(plan: &Plan, raw: &str) -> (String, ContentStats, u64) {
    let mut stats = ContentStats::default();
    let converted = content::post_to_html(raw, &mut stats);
    let (body, rewritten) = content::rewrite_links(&converted, &plan.bases, |path_and_query| {
        let (path, query) = path_and_query.split_once('?').unwrap_or((path_and_query, ""));
        redirect_keys::key(path, query).and_then(|k| plan.url_map.get(&k).cloned())
    });
    (body, stats, rewritten)
}

/// The GMT date when WordPress wrote one, else the local one (drafts have `0000-00-00`), else
/// none at all (the caller uses the time of import).
fn parse_wp_date(gmt: &str, local: &str) -> Result<Option<NaiveDateTime>, String> {
    for text in [gmt.trim(), local.trim()] {
        if text.is_empty() || text.starts_with("0000-00-00") {
            continue;
        }
        return NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M:%S")
            .map(Some)
            .map_err(|_| format!("date `{text}` is not YYYY-MM-DD HH:MM:SS"));
    }
    Ok(None)
}

/// A site's identity for the id mapping: host (lowercase, without `www.`) and path, so an
/// export taken after a move to https, or with `www.` added, maps to the same rows.
fn site_key(url: &str) -> String {
    let rest = url
        .trim()
        .strip_prefix("https://")
        .or_else(|| url.trim().strip_prefix("http://"))
        .unwrap_or(url.trim());
    let (host, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
    let host = host.to_ascii_lowercase();
    format!("{}{}", host.strip_prefix("www.").unwrap_or(&host), path.trim_end_matches('/'))
}

fn first_nonempty(values: &[&String]) -> String {
    values.iter().map(|v| v.trim()).find(|v| !v.is_empty()).unwrap_or("").trim_end_matches('/').to_string()
}

/// "/blog" for "https://example.com/blog/", "" for the root.
fn base_path(base: &str) -> String {
    let rest = base.strip_prefix("https://").or_else(|| base.strip_prefix("http://")).unwrap_or(base);
    rest.find('/').map(|i| rest[i..].trim_end_matches('/').to_string()).unwrap_or_default()
}

fn term_slug(term: &WxrTerm) -> String {
    let wanted = slug::slugify(&percent_decode(&term.slug));
    if wanted.is_empty() {
        slug::slugify(&term.name)
    } else {
        wanted
    }
}

fn free_slug(wanted: &str, wp_id: i64, taken: &mut HashSet<String>) -> String {
    let base = if wanted.is_empty() { format!("post-{wp_id}") } else { wanted.to_string() };
    let mut candidate = base.clone();
    let mut n = 2;
    while taken.contains(&candidate) {
        candidate = format!("{base}-{n}");
        n += 1;
    }
    taken.insert(candidate.clone());
    candidate
}

/// A commenter's website under the same rule as the comment form: http(s) only, at most
/// `URL_MAX` bytes; anything else (a `javascript:` link in an old database) is dropped.
fn commenter_url(raw: &str) -> Option<&str> {
    let url = raw.trim();
    let scheme_ok = url.get(..8).is_some_and(|p| p.eq_ignore_ascii_case("https://"))
        || url.get(..7).is_some_and(|p| p.eq_ignore_ascii_case("http://"));
    (scheme_ok && url.len() <= URL_MAX && !url.chars().any(char::is_whitespace)).then_some(url)
}

/// At most `max` bytes, cut at a character boundary.
fn cut_at(text: &str, max: usize) -> &str {
    let mut end = text.len().min(max);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

/// WordPress keeps titles and names with HTML entities (`&amp;`, `&raquo;`); our templates
/// escape text themselves, so they are stored as the characters they stand for.
fn decode_entities(text: &str) -> String {
    if !text.contains('&') {
        return text.to_string();
    }
    quick_xml::escape::unescape(text).map(|t| t.into_owned()).unwrap_or_else(|_| text.to_string())
}

/// WordPress stores non-ASCII slugs percent-encoded.
fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let (Some(h), Some(l)) = (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                out.push((h * 16 + l) as u8);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn changes_of(post: &Post) -> PostChanges<'_> {
    PostChanges {
        title: &post.title,
        body_source: &post.body_source,
        body_html: &post.body_html,
        excerpt: &post.excerpt,
        status: post.status,
        category_id: post.category_id,
        published_at: post.published_at,
        updated_at: post.updated_at,
        comments_open: post.comments_open,
        kind: post.kind,
        body_format: post.body_format,
        author_name: post.author_name.as_deref(),
        menu_order: post.menu_order,
        in_navigation: post.in_navigation,
    }
}

/// An item with its content converted and sanitized: done before the write transaction, so
/// the database's write lock is held only for the inserts.
struct Prepared {
    item: WxrItem,
    body: String,
    body_html: String,
    excerpt: String,
    /// Rendered HTML of each comment that will be written (None: not written, or not known yet).
    comment_html: Vec<Option<String>>,
}

/// Pass 2: buffers items into batches and writes each batch in one transaction.
struct Writer<'p> {
    plan: &'p Plan,
    options: &'p ImportOptions,
    author_name: Option<String>,
    buffer: Vec<Prepared>,
    buffered_rows: usize,
    summary: Summary,
    /// The import run whose undo log records every write.
    run: i32,
    /// WordPress ids of the comments imported by earlier runs.
    known_comments: HashSet<i32>,
    /// WordPress id -> our id (None: deleted here since), of every comment imported, for parents.
    local_comments: HashMap<i32, Option<CommentId>>,
    categories: HashMap<String, CategoryId>,
    tags: HashMap<String, TagId>,
    terms_ready: bool,
    done_items: u64,
    done_comments: u64,
    now: NaiveDateTime,
}

impl<'p> Writer<'p> {
    fn new(plan: &'p Plan, options: &'p ImportOptions, author_name: Option<String>, run: i32) -> Writer<'p> {
        let summary = Summary { skipped: plan.preview.skipped.clone(), ..Summary::default() };
        Writer {
            plan,
            options,
            author_name,
            buffer: Vec::new(),
            buffered_rows: 0,
            summary,
            run,
            known_comments: HashSet::new(),
            local_comments: HashMap::new(),
            categories: HashMap::new(),
            tags: HashMap::new(),
            terms_ready: false,
            done_items: 0,
            done_comments: 0,
            now: Utc::now().naive_utc(),
        }
    }

    fn push(&mut self, db: &Db, item: WxrItem, progress: &dyn Progress) -> Result<(), AppError> {
        let Some(planned) = self.plan.posts.get(&item.post_id) else { return Ok(()) };
        let (body, stats, rewritten) = convert_body(self.plan, &item.content);
        self.summary.count_content(stats, rewritten);
        let body_html = markup::render_body(BodyFormat::Html, &body).into_string();
        let excerpt = if item.excerpt.trim().is_empty() {
            markup::excerpt_html(&body_html, EXCERPT_CHARS)
        } else {
            let mut ignored = ContentStats::default();
            markup::excerpt_html(&content::post_to_html(&item.excerpt, &mut ignored), EXCERPT_CHARS)
        };
        let post_is_new = planned.existing.is_none();
        let comment_html = item
            .comments
            .iter()
            .map(|c| {
                let fate = comment_fate(c, &self.known_comments, post_is_new, self.options.skip_pingbacks);
                matches!(fate, CommentFate::New(..))
                    .then(|| markup::render_imported_comment(&c.content).html.into_string())
            })
            .collect();
        self.buffered_rows += 1 + item.comments.len();
        self.buffer.push(Prepared { item, body, body_html, excerpt, comment_html });
        if self.buffered_rows >= BATCH_ROWS {
            self.flush(db, progress)?;
        }
        Ok(())
    }

    fn flush(&mut self, db: &Db, progress: &dyn Progress) -> Result<(), AppError> {
        let batch = std::mem::take(&mut self.buffer);
        self.buffered_rows = 0;
        db.write_now(|tx| {
            if !self.terms_ready {
                self.prepare(tx)?;
            }
            import_runs::heartbeat(tx, self.run, Utc::now().naive_utc())?;
            for prepared in &batch {
                self.write_item(tx, prepared)?;
            }
            Ok::<(), AppError>(())
        })?;
        self.done_items += batch.len() as u64;
        self.done_comments += batch.iter().map(|p| p.item.comments.len() as u64).sum::<u64>();
        progress.advance(self.done_items, self.done_comments);
        Ok(())
    }

    /// First batch: the mapping of comments imported before, channel terms, fixed redirects.
    fn prepare(&mut self, conn: &mut SqliteConnection) -> Result<(), AppError> {
        for term in &self.plan.categories {
            self.category(conn, &term.slug, &term.name)?;
        }
        for term in &self.plan.tags {
            self.tag(conn, &term.slug, &term.name)?;
        }
        for (from, to) in &self.plan.path_redirects {
            if redirects::insert_if_absent(conn, from, None, Some(to), self.now)? {
                import_runs::log(conn, self.run, UndoKind::Redirect, None, Some(from))?;
                self.summary.redirects += 1;
            }
        }
        self.terms_ready = true;
        Ok(())
    }

    fn category(
        &mut self,
        conn: &mut SqliteConnection,
        wp_slug: &str,
        name: &str,
    ) -> Result<CategoryId, AppError> {
        let slug =
            term_slug(&WxrTerm { slug: wp_slug.to_string(), name: name.to_string(), ..WxrTerm::default() });
        if let Some(id) = self.categories.get(&slug) {
            return Ok(*id);
        }
        let existed = taxonomy::find_category_by_slug(conn, &slug)?.is_some();
        let name = if name.trim().is_empty() { slug.as_str() } else { name.trim() };
        let category = taxonomy::find_or_create_category(conn, name, &slug)?;
        if !existed {
            import_runs::log(conn, self.run, UndoKind::CategoryCreated, Some(category.id.0), None)?;
        }
        self.categories.insert(slug, category.id);
        Ok(category.id)
    }

    fn tag(&mut self, conn: &mut SqliteConnection, wp_slug: &str, name: &str) -> Result<TagId, AppError> {
        let slug =
            term_slug(&WxrTerm { slug: wp_slug.to_string(), name: name.to_string(), ..WxrTerm::default() });
        if let Some(id) = self.tags.get(&slug) {
            return Ok(*id);
        }
        let existed = taxonomy::find_tag_by_slug(conn, &slug)?.is_some();
        let name = if name.trim().is_empty() { slug.as_str() } else { name.trim() };
        let tag = taxonomy::find_or_create_tag(conn, name, &slug)?;
        if !existed {
            import_runs::log(conn, self.run, UndoKind::TagCreated, Some(tag.id.0), None)?;
        }
        self.tags.insert(slug, tag.id);
        Ok(tag.id)
    }

    fn write_item(&mut self, conn: &mut SqliteConnection, prepared: &Prepared) -> Result<(), AppError> {
        let item = &prepared.item;
        let Some(planned) = self.plan.posts.get(&item.post_id) else { return Ok(()) };
        let (body, body_html, excerpt) = (&prepared.body, &prepared.body_html, &prepared.excerpt);
        let mut category = None;
        let mut tag_ids = Vec::new();
        for term in &item.terms {
            match term.domain.as_str() {
                "category" if category.is_none() => {
                    category = Some(self.category(conn, &term.slug, &term.name)?)
                }
                "post_tag" => {
                    let id = self.tag(conn, &term.slug, &term.name)?;
                    if !tag_ids.contains(&id) {
                        tag_ids.push(id);
                    }
                }
                _ => {}
            }
        }
        tag_ids.sort();
        let published_at = parse_wp_date(&item.post_date_gmt, &item.post_date)
            .map_err(AppError::Invalid)?
            .unwrap_or(self.now);
        let author = self.author_name.clone().or_else(|| {
            let login = item.creator.trim();
            (!login.is_empty())
                .then(|| self.plan.authors.get(login).cloned().unwrap_or_else(|| login.to_string()))
        });
        let title = decode_entities(item.title.trim());
        let title = if title.is_empty() { "(no title)" } else { title.as_str() };
        let fields = PostChanges {
            title,
            body_source: body,
            body_html,
            excerpt,
            status: planned.status,
            category_id: category,
            published_at,
            updated_at: self.now,
            comments_open: item.comment_status.trim() == "open",
            kind: planned.kind,
            body_format: BodyFormat::Html,
            author_name: author.as_deref(),
            menu_order: i32::try_from(item.menu_order).unwrap_or(0),
            // WordPress's own page list nests child pages; a flat header shows the top level.
            in_navigation: item.post_parent == 0,
        };
        let existing = planned.existing.map(|id| posts::find(conn, id)).transpose()?.flatten();
        let post_is_new = existing.is_none();
        let post_id = match existing {
            Some(old) => {
                let mut old_tags: Vec<TagId> =
                    taxonomy::tags_for_post(conn, old.id)?.into_iter().map(|t| t.id).collect();
                old_tags.sort();
                if same_post(&old, &fields) && old_tags == tag_ids {
                    self.summary.unchanged += 1;
                } else if planned.synced_at != Some(old.updated_at) {
                    // Edited here since it was imported: the edit wins over the export.
                    self.summary.kept_local_edits += 1;
                } else {
                    let changes = PostChanges { updated_at: self.now, ..fields };
                    posts::update(conn, old.id, &changes)?;
                    taxonomy::set_post_tags(conn, old.id, &tag_ids)?;
                    match planned.kind {
                        PostKind::Article => self.summary.articles_updated += 1,
                        PostKind::Page => self.summary.pages_updated += 1,
                    }
                    let wp_id = i32::try_from(item.post_id).unwrap_or_default();
                    let snapshot = PostSnapshot {
                        post: old.clone(),
                        tags: old_tags,
                        wp_id,
                        synced_at: planned.synced_at,
                    };
                    let snapshot = serde_json::to_string(&snapshot)
                        .map_err(|e| AppError::Internal(format!("undo entry: {e}")))?;
                    wp_db::set_synced(conn, &self.plan.site, wp_id, Some(self.now))?;
                    import_runs::log(conn, self.run, UndoKind::PostUpdated, Some(old.id.0), Some(&snapshot))?;
                }
                old.id
            }
            None => {
                let post = posts::insert(
                    conn,
                    &NewPost {
                        slug: &planned.slug,
                        title: fields.title,
                        body_source: fields.body_source,
                        body_html: fields.body_html,
                        excerpt: fields.excerpt,
                        status: fields.status,
                        category_id: fields.category_id,
                        published_at: fields.published_at,
                        created_at: self.now,
                        updated_at: self.now,
                        comments_open: fields.comments_open,
                        kind: fields.kind,
                        body_format: fields.body_format,
                        author_name: fields.author_name,
                        menu_order: fields.menu_order,
                        in_navigation: fields.in_navigation,
                    },
                )?;
                taxonomy::set_post_tags(conn, post.id, &tag_ids)?;
                import_runs::log(conn, self.run, UndoKind::PostCreated, Some(post.id.0), None)?;
                if let Ok(wp_id) = i32::try_from(item.post_id) {
                    wp_db::map_post(conn, &self.plan.site, wp_id, post.id, self.now)?;
                    import_runs::log(conn, self.run, UndoKind::MappedPost, Some(wp_id), None)?;
                }
                match planned.kind {
                    PostKind::Article => self.summary.articles_created += 1,
                    PostKind::Page => self.summary.pages_created += 1,
                }
                if planned.status == PostStatus::Draft {
                    self.summary.drafts += 1;
                }
                post.id
            }
        };
        for key in &planned.keys {
            if redirects::insert_if_absent(conn, key, Some(post_id), None, self.now)? {
                // Redirects to a post created here go with it; to an older post they need a log.
                if !post_is_new {
                    import_runs::log(conn, self.run, UndoKind::Redirect, None, Some(key))?;
                }
                self.summary.redirects += 1;
            }
        }
        self.write_comments(conn, post_id, published_at, post_is_new, &item.comments, &prepared.comment_html)
    }

    fn write_comments(
        &mut self,
        conn: &mut SqliteConnection,
        post_id: PostId,
        post_date: NaiveDateTime,
        post_is_new: bool,
        comments: &[WxrComment],
        rendered: &[Option<String>],
    ) -> Result<(), AppError> {
        let mut new_here: Vec<(CommentId, i64)> = Vec::new();
        for (index, comment) in comments.iter().enumerate() {
            let fate = comment_fate(comment, &self.known_comments, post_is_new, self.options.skip_pingbacks);
            let CommentFate::New(kind, status) = fate else {
                self.summary.count_comment(fate);
                continue;
            };
            let wp_id = i32::try_from(comment.id).ok();
            // Rendered before the transaction; only a post deleted here meanwhile needs it now.
            let html = match rendered.get(index).cloned().flatten() {
                Some(html) => html,
                None => markup::render_imported_comment(&comment.content).html.into_string(),
            };
            let created_at = parse_wp_date(&comment.date_gmt, &comment.date)
                .map_err(AppError::Invalid)?
                .unwrap_or(post_date);
            let email = comment.author_email.trim().to_lowercase();
            let author = decode_entities(comment.author.trim());
            let author = author.as_str();
            let (id, _) = comment_rows::insert(
                conn,
                &NewComment {
                    post_id,
                    // Set once every comment of the post exists (below).
                    parent_id: None,
                    status,
                    kind,
                    body_format: CommentFormat::Html,
                    author: if author.is_empty() { "Anonymous" } else { cut_at(author, AUTHOR_MAX) },
                    email: &email,
                    url: commenter_url(&comment.author_url),
                    ip: Some(comment.author_ip.trim()).filter(|ip| !ip.is_empty()),
                    user_agent: None,
                    body_source: &comment.content,
                    body_html: &html,
                    reason: IMPORT_REASON,
                    created_at,
                    updated_at: self.now,
                    user_id: None,
                },
            )?;
            import_runs::log(conn, self.run, UndoKind::CommentCreated, Some(id.0), None)?;
            if let Some(wp_id) = wp_id {
                wp_db::map_comment(conn, &self.plan.site, wp_id, id)?;
                import_runs::log(conn, self.run, UndoKind::MappedComment, Some(wp_id), None)?;
                self.local_comments.insert(wp_id, Some(id));
            }
            self.summary.count_comment(fate);
            new_here.push((id, comment.parent));
        }
        // Parents after all comments of the post exist: WordPress does not promise order.
        // A parent deleted here since (its mapping is NULL): the reply becomes top-level.
        let intended: HashMap<CommentId, CommentId> = new_here
            .iter()
            .filter_map(|&(id, parent)| {
                let parent = i32::try_from(parent)
                    .ok()
                    .filter(|p| *p > 0)
                    .and_then(|p| self.local_comments.get(&p).copied().flatten())?;
                (parent != id).then_some((id, parent))
            })
            .collect();
        for (id, parent) in
            place_replies(conn, &new_here.iter().map(|(id, _)| *id).collect::<Vec<_>>(), &intended)?
        {
            if let Some(parent) = parent {
                wp_db::set_parent(conn, id, parent)?;
            }
        }
        Ok(())
    }
}

/// Where each of a post's new comments is stored, given the parent WordPress gave it
/// (`intended`): parents are placed before their replies, depth is capped at
/// `MAX_THREAD_DEPTH` (a 5,000-deep WordPress chain stays 10 deep here), and a parent cycle
/// is cut where it closes. Loops only: a WordPress thread is user-controlled and unbounded.
fn place_replies(
    conn: &mut SqliteConnection,
    new_ids: &[CommentId],
    intended: &HashMap<CommentId, CommentId>,
) -> Result<Vec<(CommentId, Option<CommentId>)>, AppError> {
    let is_new: HashSet<CommentId> = new_ids.iter().copied().collect();
    let mut placed: HashMap<CommentId, Option<CommentId>> = HashMap::new();
    let mut cut: HashSet<CommentId> = HashSet::new();
    let mut order = Vec::with_capacity(new_ids.len());
    for &start in new_ids {
        if placed.contains_key(&start) {
            continue;
        }
        // Up through unplaced new comments; stop at a placed one, an older one, or the top.
        let mut path = vec![start];
        let mut on_path = HashSet::from([start]);
        let mut at = start;
        while let Some(&parent) = intended.get(&at) {
            if !is_new.contains(&parent) || placed.contains_key(&parent) {
                break;
            }
            if !on_path.insert(parent) {
                cut.insert(at);
                break;
            }
            path.push(parent);
            at = parent;
        }
        for &id in path.iter().rev() {
            let parent = match intended.get(&id).filter(|_| !cut.contains(&id)) {
                Some(&parent) => {
                    let mut chain = vec![parent];
                    let mut top = parent;
                    while let Some(Some(up)) = placed.get(&top) {
                        chain.push(*up);
                        top = *up;
                    }
                    if !is_new.contains(&top) {
                        // An older comment (an earlier import): its own ancestry from the database.
                        chain.extend(comment_rows::ancestry(conn, top)?.into_iter().skip(1));
                    }
                    threads::capped_parent(&chain, threads::MAX_THREAD_DEPTH)
                }
                None => None,
            };
            placed.insert(id, parent);
            order.push((id, parent));
        }
    }
    Ok(order)
}

fn same_post(old: &Post, new: &PostChanges<'_>) -> bool {
    old.title == new.title
        && old.body_source == new.body_source
        && old.body_html == new.body_html
        && old.excerpt == new.excerpt
        && old.status == new.status
        && old.category_id == new.category_id
        && old.published_at == new.published_at
        && old.comments_open == new.comments_open
        && old.kind == new.kind
        && old.body_format == new.body_format
        && old.author_name.as_deref() == new.author_name
        && old.menu_order == new.menu_order
        && old.in_navigation == new.in_navigation
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wordpress_statuses_map_to_ours() {
        assert_eq!(comment_status("1"), CommentStatus::Approved);
        assert_eq!(comment_status("0"), CommentStatus::Pending);
        assert_eq!(comment_status("spam"), CommentStatus::Spam);
        assert_eq!(comment_status("trash"), CommentStatus::Trash);
        assert_eq!(comment_status("post-trashed"), CommentStatus::Trash);
        assert_eq!(post_status("publish", ""), PostStatus::Published);
        assert_eq!(post_status("future", ""), PostStatus::Draft);
        assert_eq!(post_status("publish", "secret"), PostStatus::Draft);
    }

    #[test]
    fn dates_prefer_gmt_and_skip_zero_dates() {
        let at = |s: &str| NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S").ok();
        assert_eq!(
            parse_wp_date("2019-03-04 10:00:00", "2019-03-04 12:00:00"),
            Ok(at("2019-03-04 10:00:00"))
        );
        assert_eq!(
            parse_wp_date("0000-00-00 00:00:00", "2019-03-04 12:00:00"),
            Ok(at("2019-03-04 12:00:00"))
        );
        assert_eq!(parse_wp_date("", ""), Ok(None));
        assert!(parse_wp_date("yesterday", "").is_err());
    }

    #[test]
    fn duplicate_slugs_get_numbers() {
        let mut taken = HashSet::from(["hello".to_string()]);
        assert_eq!(free_slug("hello", 1, &mut taken), "hello-2");
        assert_eq!(free_slug("hello", 2, &mut taken), "hello-3");
        assert_eq!(free_slug("", 7, &mut taken), "post-7");
    }

    #[test]
    fn percent_encoded_slugs_decode() {
        assert_eq!(percent_decode("caf%c3%a9"), "café");
        assert_eq!(percent_decode("100%"), "100%");
        assert_eq!(slug::slugify(&percent_decode("%e6%97%a5%e6%9c%ac")), slug::slugify("日本"));
    }

    #[test]
    fn entities_in_names_become_characters() {
        assert_eq!(decode_entities("Other Blog &raquo; A post"), "Other Blog \u{bb} A post");
        assert_eq!(decode_entities("Fish & chips"), "Fish & chips");
        assert_eq!(decode_entities("Tom &amp; Jerry"), "Tom & Jerry");
    }

    #[test]
    fn site_keys_ignore_scheme_www_and_case() {
        assert_eq!(site_key("https://www.Example.com/"), "example.com");
        assert_eq!(site_key("http://example.com/blog/"), "example.com/blog");
    }

    #[test]
    fn commenter_urls_follow_the_form_rules() {
        assert_eq!(commenter_url(" https://example.com/x "), Some("https://example.com/x"));
        assert_eq!(commenter_url("HTTP://example.com"), Some("HTTP://example.com"));
        assert_eq!(commenter_url("javascript:alert(1)"), None);
        assert_eq!(commenter_url("data:text/html,x"), None);
        assert_eq!(commenter_url(&format!("https://e.com/{}", "a".repeat(300))), None);
        assert_eq!(cut_at("Zoë", 3), "Zo");
    }

    #[test]
    fn base_paths() {
        assert_eq!(base_path("https://example.com"), "");
        assert_eq!(base_path("https://example.com/blog/"), "/blog");
    }
}
