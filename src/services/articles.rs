//! `marginalia post import`: Markdown files with TOML front matter, created or updated by slug.

use chrono::{NaiveDate, NaiveDateTime, Utc};
use serde::Deserialize;

use crate::db::enums::{BodyFormat, PostKind, PostStatus};
use crate::db::ids::{MediaId, TagId, UserId};
use crate::db::posts::{self, NewPost, Post, PostChanges};
use crate::db::taxonomy;
use crate::db::{Change, Tx};
use crate::error::AppError;
use crate::services::{markup, media, related, slug};

const EXCERPT_CHARS: usize = 200;

/// The front matter between the `+++` lines (the contract's format).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct FrontMatter {
    title: String,
    slug: Option<String>,
    date: Option<toml::value::Datetime>,
    category: Option<String>,
    #[serde(default)]
    tags: Vec<String>,
    #[serde(default)]
    draft: bool,
    excerpt: Option<String>,
    /// `comments = false` closes the comment form on this article.
    #[serde(default = "default_true")]
    comments: bool,
    /// `article` (default) or `page` (served at /pages/{slug}, listed in the navigation).
    kind: Option<String>,
    /// `markdown` (default) or `html`.
    format: Option<String>,
    /// Pages only: `false` keeps the page out of the header navigation.
    #[serde(default = "default_true")]
    navigation: bool,
}

fn default_true() -> bool {
    true
}

/// An article file, parsed and checked, ready to be written.
#[derive(Debug, Clone)]
pub struct ArticleSource {
    pub title: String,
    pub slug: String,
    pub published_at: NaiveDateTime,
    pub category: Option<String>,
    pub tags: Vec<String>,
    pub status: PostStatus,
    pub excerpt: Option<String>,
    pub comments_open: bool,
    pub kind: PostKind,
    pub body_format: BodyFormat,
    pub in_navigation: bool,
    pub body: String,
    /// Who wrote it here; None keeps the stored author.
    pub author: Option<UserId>,
    /// The featured image; None keeps the stored one, Some(None) removes it.
    pub featured_media: Option<Option<MediaId>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImportOutcome {
    Created,
    Updated,
    Unchanged,
}

/// Parses `text` (the content of `file`, named in every error with its line).
pub fn parse_article(file: &str, text: &str) -> Result<ArticleSource, AppError> {
    let fail = |line: usize, message: &str| AppError::Invalid(format!("{file}:{line}: {message}"));
    let (front, body) = split_front_matter(text).map_err(|message| fail(1, message))?;
    let matter: FrontMatter = toml::from_str(&front).map_err(|e| {
        // +1: the opening `+++`; toml spans are byte offsets into the front matter.
        let line =
            e.span().map(|span| front[..span.start.min(front.len())].matches('\n').count() + 2).unwrap_or(2);
        fail(line, &format!("bad front matter: {}", e.message()))
    })?;

    let title = matter.title.trim().to_string();
    if title.is_empty() {
        return Err(fail(2, "`title` must not be empty"));
    }
    let slug = article_slug(matter.slug.as_deref(), &title).map_err(|message| fail(2, &message))?;
    let published_at = match matter.date {
        Some(date) => toml_datetime_to_utc(&date)
            .ok_or_else(|| fail(2, &format!("`date = {date}` is not a date or date-time")))?,
        None => Utc::now().naive_utc(),
    };
    let category = matter.category.map(|c| c.trim().to_string()).filter(|c| !c.is_empty());
    let tags = distinct_tags(&matter.tags);
    let kind = match matter.kind.as_deref() {
        None => PostKind::Article,
        Some(text) => text
            .parse()
            .map_err(|_| fail(2, &format!("`kind = \"{text}\"` must be \"article\" or \"page\"")))?,
    };
    let body_format = match matter.format.as_deref() {
        None => BodyFormat::Markdown,
        Some(text) => text
            .parse()
            .map_err(|_| fail(2, &format!("`format = \"{text}\"` must be \"markdown\" or \"html\"")))?,
    };
    Ok(ArticleSource {
        kind,
        body_format,
        in_navigation: matter.navigation,
        title,
        slug,
        published_at,
        category,
        tags,
        status: if matter.draft { PostStatus::Draft } else { PostStatus::Published },
        excerpt: matter.excerpt.map(|e| e.trim().to_string()).filter(|e| !e.is_empty()),
        comments_open: matter.comments,
        body: body.trim_start_matches(['\n', '\r']).to_string(),
        author: None,
        featured_media: None,
    })
}

/// TOML offers offset date-times, local date-times (taken as UTC) and dates (midnight UTC).
/// (front matter, body) of a file that starts with a `+++` line and closes it with another.
fn split_front_matter(text: &str) -> Result<(String, String), &'static str> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut lines = text.split_inclusive('\n');
    if lines.next().map(str::trim_end) != Some("+++") {
        return Err("expected front matter: the file must start with a line `+++`");
    }
    let mut front = String::new();
    for (index, line) in lines.enumerate() {
        if line.trim_end() == "+++" {
            let body = text.split_inclusive('\n').skip(index + 2).collect::<String>();
            return Ok((front, body));
        }
        front.push_str(line);
    }
    Err("front matter is not closed: no second `+++` line")
}

/// The slug given (checked), or one made from the title.
fn article_slug(given: Option<&str>, title: &str) -> Result<String, String> {
    let slug = match given {
        Some(given) if !slug::is_valid(given) => {
            return Err(format!("`slug = \"{given}\"` must be lowercase letters, digits and single hyphens"))
        }
        Some(given) => given.to_string(),
        None => slug::slugify(title),
    };
    if slug.is_empty() {
        return Err("cannot make a slug from the title; set `slug`".into());
    }
    Ok(slug)
}

/// Tags in order, without blanks or two that make the same slug.
fn distinct_tags(tags: &[String]) -> Vec<String> {
    let mut distinct: Vec<String> = Vec::new();
    for tag in tags.iter().map(|t| t.trim()).filter(|t| !t.is_empty()) {
        if !distinct.iter().any(|t| slug::slugify(t) == slug::slugify(tag)) {
            distinct.push(tag.to_string());
        }
    }
    distinct
}

fn toml_datetime_to_utc(value: &toml::value::Datetime) -> Option<NaiveDateTime> {
    let text = value.to_string();
    if let Ok(with_offset) = chrono::DateTime::parse_from_rfc3339(&text) {
        return Some(with_offset.naive_utc());
    }
    if let Ok(local) = NaiveDateTime::parse_from_str(&text, "%Y-%m-%dT%H:%M:%S%.f") {
        return Some(local);
    }
    NaiveDate::parse_from_str(&text, "%Y-%m-%d").ok().and_then(|d| d.and_hms_opt(0, 0, 0))
}

/// Creates the article or updates the one with the same slug, in one transaction.
pub fn import_article(conn: &mut Tx<'_>, source: &ArticleSource) -> Result<ImportOutcome, AppError> {
    let category_id = match &source.category {
        Some(name) => Some(taxonomy::find_or_create_category(conn, name, &slug::slugify(name))?.id),
        None => None,
    };
    let mut tag_ids: Vec<TagId> = Vec::with_capacity(source.tags.len());
    for name in &source.tags {
        tag_ids.push(taxonomy::find_or_create_tag(conn, name, &slug::slugify(name))?.id);
    }
    let body_html = with_responsive_images(conn, markup::render_body(source.body_format, &source.body))?;
    let excerpt = source.excerpt.clone().unwrap_or_else(|| match source.body_format {
        BodyFormat::Markdown => markup::excerpt(&source.body, EXCERPT_CHARS),
        BodyFormat::Html => markup::excerpt_html(body_html.as_str(), EXCERPT_CHARS),
    });
    let now = Utc::now().naive_utc();
    let existing = posts::find_by_slug(conn, &source.slug)?;
    if existing.as_ref().is_some_and(|p| p.status == PostStatus::Trash) {
        return Err(AppError::Invalid(format!(
            "“{}” is in the trash: restore it before changing it.",
            source.title
        )));
    }
    if let Some(Some(id)) = source.featured_media {
        if crate::db::media::find(conn, id)?.is_none() {
            return Err(AppError::Invalid(
                "The chosen featured image is no longer in the media library.".into(),
            ));
        }
    }
    let excerpt_source = source.excerpt.clone().unwrap_or_default();
    let changes = PostChanges {
        title: &source.title,
        body_source: &source.body,
        body_html: body_html.as_str(),
        excerpt: &excerpt,
        status: scheduled_or_not(source.status, source.published_at, now),
        category_id,
        published_at: source.published_at,
        updated_at: now,
        comments_open: source.comments_open,
        kind: source.kind,
        body_format: source.body_format,
        // Not in front matter: kept as they are.
        author_name: existing.as_ref().and_then(|p| p.author_name.as_deref()),
        menu_order: existing.as_ref().map_or(0, |p| p.menu_order),
        in_navigation: source.in_navigation,
        // The author is who created it here; an edit by someone else keeps the byline.
        author_id: existing.as_ref().map_or(source.author, |p| p.author_id),
        featured_media_id: match source.featured_media {
            Some(chosen) => chosen,
            None => existing.as_ref().and_then(|p| p.featured_media_id),
        },
        excerpt_source: &excerpt_source,
    };
    let Some(existing) = existing.as_ref() else {
        let post = posts::insert(conn, &NewPost::from_changes(&source.slug, &changes, now))?;
        taxonomy::set_post_tags(conn, post.id, &tag_ids)?;
        written(conn, &post, None)?;
        return Ok(ImportOutcome::Created);
    };
    let mut old_tags: Vec<TagId> =
        taxonomy::tags_for_post(conn, existing.id)?.into_iter().map(|t| t.id).collect();
    old_tags.sort();
    let mut new_tags = tag_ids.clone();
    new_tags.sort();
    if existing.same_as(&changes) && old_tags == new_tags {
        return Ok(ImportOutcome::Unchanged);
    }
    let post = posts::update(conn, existing.id, &changes)?;
    taxonomy::set_post_tags(conn, existing.id, &tag_ids)?;
    written(conn, &post, Some(existing))?;
    Ok(ImportOutcome::Updated)
}

/// Uploaded images in `html` offered at every stored size (see `media::responsive`).
pub fn with_responsive_images(
    conn: &mut crate::db::Conn,
    html: markup::SafeHtml,
) -> Result<markup::SafeHtml, AppError> {
    let keys = media::keys_in(html.as_str());
    if keys.is_empty() {
        return Ok(html);
    }
    let uploads = crate::db::media::find_by_keys(conn, &keys)?;
    // Only attributes built from our own rows are added to HTML that was clean already.
    Ok(markup::SafeHtml::from_stored(media::responsive(html.as_str(), &uploads)))
}

/// A post meant to be published with a date still to come is scheduled: the scheduler
/// publishes it then (`jobs`); a scheduled one whose date has come is published.
pub fn scheduled_or_not(wanted: PostStatus, date: NaiveDateTime, now: NaiveDateTime) -> PostStatus {
    match wanted {
        PostStatus::Published | PostStatus::Scheduled if date > now => PostStatus::Scheduled,
        PostStatus::Scheduled => PostStatus::Published,
        other => other,
    }
}

/// What readers see change when a post is written: the post wherever it is shown, the
/// listings, and the related lists it enters or leaves. A page is in the navigation of
/// every page.
pub(crate) fn written(conn: &mut Tx<'_>, post: &Post, before: Option<&Post>) -> Result<(), AppError> {
    if post.kind == PostKind::Page || before.is_some_and(|b| b.kind == PostKind::Page) {
        conn.changed(Change::Everything);
    }
    conn.changed(Change::Post(post.id));
    conn.changed(Change::PostList);
    related::refresh_around(conn, post.id)
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = "+++\ntitle = \"Hello, World\"\ndate = 2026-11-23T10:00:00Z\ncategory = \"Health and Fitness\"\ntags = [\"hair\", \"Hair\", \"smp\"]\n+++\n\nBody *here*.\n";

    #[test]
    fn parses_front_matter_and_body() {
        let article = parse_article("a.md", GOOD).expect("parses");
        assert_eq!(article.title, "Hello, World");
        assert_eq!(article.slug, "hello-world");
        assert_eq!(article.published_at.to_string(), "2026-11-23 10:00:00");
        assert_eq!(article.tags, vec!["hair", "smp"]);
        assert_eq!(article.status, PostStatus::Published);
        assert_eq!(article.body, "Body *here*.\n");
    }

    #[test]
    fn pages_and_html_are_declared_in_front_matter() {
        let text = "+++\ntitle = \"About\"\nkind = \"page\"\nformat = \"html\"\n+++\n<p>Hi</p>\n";
        let article = parse_article("a.md", text).expect("parses");
        assert_eq!(article.kind, PostKind::Page);
        assert_eq!(article.body_format, BodyFormat::Html);
        let err = parse_article("a.md", "+++\ntitle = \"x\"\nkind = \"post\"\n+++\n").expect_err("refused");
        assert!(err.to_string().contains("kind"), "{err}");
    }

    #[test]
    fn a_future_date_schedules_and_a_past_one_publishes() {
        let now = NaiveDate::from_ymd_opt(2026, 12, 1).and_then(|d| d.and_hms_opt(12, 0, 0)).expect("date");
        let later = now + chrono::Duration::minutes(1);
        let earlier = now - chrono::Duration::minutes(1);
        assert_eq!(scheduled_or_not(PostStatus::Published, later, now), PostStatus::Scheduled);
        assert_eq!(scheduled_or_not(PostStatus::Published, earlier, now), PostStatus::Published);
        assert_eq!(scheduled_or_not(PostStatus::Scheduled, earlier, now), PostStatus::Published);
        assert_eq!(scheduled_or_not(PostStatus::Draft, later, now), PostStatus::Draft);
    }

    #[test]
    fn dates_without_time_are_midnight_utc() {
        let text = "+++\ntitle = \"x\"\ndate = 2026-01-02\n+++\nb";
        let article = parse_article("a.md", text).expect("parses");
        assert_eq!(article.published_at.to_string(), "2026-01-02 00:00:00");
    }

    #[test]
    fn missing_opening_line_names_file_and_line_1() {
        let err = parse_article("posts/x.md", "title = \"x\"\n").expect_err("refused");
        assert!(err.to_string().contains("posts/x.md:1:"), "{err}");
    }

    #[test]
    fn bad_toml_names_its_line() {
        let text = "+++\ntitle = \"ok\"\ndraft = maybe\n+++\nbody";
        let err = parse_article("x.md", text).expect_err("refused").to_string();
        assert!(err.starts_with("x.md:3:"), "{err}");
    }

    #[test]
    fn unknown_key_is_refused() {
        let text = "+++\ntitle = \"ok\"\n\ncatgory = \"typo\"\n+++\nbody";
        let err = parse_article("x.md", text).expect_err("refused").to_string();
        assert!(err.starts_with("x.md:4:"), "{err}");
        assert!(err.contains("catgory"), "{err}");
    }

    #[test]
    fn unclosed_front_matter_is_refused() {
        let err = parse_article("x.md", "+++\ntitle = \"x\"\n").expect_err("refused").to_string();
        assert!(err.contains("not closed"), "{err}");
    }

    #[test]
    fn bad_slug_is_refused() {
        let err = parse_article("x.md", "+++\ntitle = \"x\"\nslug = \"Not Valid\"\n+++\n")
            .expect_err("refused")
            .to_string();
        assert!(err.contains("slug"), "{err}");
    }
}
