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

use crate::db::Conn;
use chrono::{NaiveDateTime, Utc};
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

pub(crate) mod map;
mod plan;
mod undo;
pub(crate) mod writer;

use map::*;
use plan::*;
pub use undo::recover_abandoned;
use undo::*;

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
    /// New posts whose slug was taken: imported under another one, never silently.
    pub renamed: Vec<Renamed>,
}

/// A new post imported under another slug than the one it had in WordPress.
#[derive(Debug, Clone, Serialize)]
pub struct Renamed {
    /// "article" or "page".
    pub kind: String,
    pub title: String,
    pub wanted_slug: String,
    /// Its address here.
    pub path: String,
    /// A page kept out of the header: a page of the same title is already there.
    pub kept_out_of_header: bool,
}

impl fmt::Display for Renamed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let Renamed { kind, title, wanted_slug, path, .. } = self;
        write!(f, "renamed: {kind} “{title}” → {path} (slug “{wanted_slug}” was taken)")?;
        if self.kept_out_of_header {
            write!(f, "; kept out of the header, which already lists a page “{title}”")?;
        }
        Ok(())
    }
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
        // The filter learns every new approved comment as genuine and every spam as spam.
        let taught = |status: &str| self.comments.get(status).copied().unwrap_or(0).to_string();
        row("spam filter taught spam", taught("spam"))?;
        row("spam filter taught genuine", taught("approved"))?;
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
        for renamed in &self.renamed {
            writeln!(f, "{renamed}")?;
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
            if writer.summary.articles_created + writer.summary.articles_updated > 0 {
                progress.phase("ranking related articles", 0, 0);
                crate::services::related::rebuild_all(db)?;
            }
            db.write_now(|tx| Ok(import_runs::finish(tx, run, RunState::Done, Utc::now().naive_utc())?))?;
            // After the run is done: teaching is not part of what an undo takes back, and a
            // failure here loses no imported content (the next import teaches what is left).
            progress.phase("teaching the spam filter", 0, 0);
            match crate::services::classifier::learn_import(db, &plan.site) {
                Ok((spam, genuine)) => tracing::info!(spam, genuine, "spam filter taught from the import"),
                Err(error) => tracing::warn!(%error, "teaching the spam filter from the import failed"),
            }
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
    in_navigation: bool,
    /// Set when a new post cannot have the slug it asked for.
    renamed: Option<Renamed>,
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

/// What pass 1 keeps of an item.
struct PlanItem {
    kind: PostKind,
    status: PostStatus,
    title: String,
    /// No parent page (WordPress's own page list nests child pages; a flat header shows the
    /// top level).
    top_level: bool,
    wanted_slug: String,
    post_name: String,
    link: String,
    guid: String,
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

    /// Only for a post this run writes: an unchanged one's links and shortcodes were
    /// converted by the import that wrote it.
    fn count_content(&mut self, stats: &ContentStats, links_rewritten: u64) {
        self.links_rewritten += links_rewritten;
        for (name, count) in &stats.converted {
            *self.shortcodes_converted.entry(name.clone()).or_default() += count;
        }
        for (name, count) in &stats.removed {
            *self.shortcodes_removed.entry(name.clone()).or_default() += count;
        }
    }
}

/// An item with its content converted and sanitized: done before the write transaction, so
/// the database's write lock is held only for the inserts.
struct Prepared {
    item: WxrItem,
    body: String,
    body_html: String,
    excerpt: String,
    /// What converting the body did, counted if the post is written.
    stats: ContentStats,
    links_rewritten: u64,
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
