//! WordPress values to ours: statuses, kinds, dates, slugs, commenter fields, content.

use super::*;

/// Published only when WordPress showed it to everyone: a password-protected post stays a
/// draft here (marginalia has no post passwords, and its text must not become public).
pub(super) fn post_status(wp: &str, password: &str) -> PostStatus {
    // A WordPress "future" post arrives as a draft (its date may long have passed; the
    // summary counts it with the drafts); schedule it again in the editor.
    if wp.trim() == "publish" && password.is_empty() {
        PostStatus::Published
    } else {
        PostStatus::Draft
    }
}

pub(super) fn comment_status(approved: &str) -> CommentStatus {
    match approved.trim() {
        "1" | "approve" => CommentStatus::Approved,
        "spam" => CommentStatus::Spam,
        "trash" | "post-trashed" => CommentStatus::Trash,
        _ => CommentStatus::Pending,
    }
}

pub(super) fn comment_kind(comment: &WxrComment) -> CommentKind {
    match comment.comment_type.trim() {
        "pingback" => CommentKind::Pingback,
        "trackback" => CommentKind::Trackback,
        _ => CommentKind::Comment,
    }
}

pub(super) fn comment_fate(
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

/// Post content as stored here: WordPress's formats converted, old links rewritten.
pub(super) fn convert_body(plan: &Plan, raw: &str) -> (String, ContentStats, u64) {
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
pub(super) fn parse_wp_date(gmt: &str, local: &str) -> Result<Option<NaiveDateTime>, String> {
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
pub(super) fn site_key(url: &str) -> String {
    let rest = url
        .trim()
        .strip_prefix("https://")
        .or_else(|| url.trim().strip_prefix("http://"))
        .unwrap_or(url.trim());
    let (host, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
    let host = host.to_ascii_lowercase();
    format!("{}{}", host.strip_prefix("www.").unwrap_or(&host), path.trim_end_matches('/'))
}

pub(super) fn first_nonempty(values: &[&String]) -> String {
    values.iter().map(|v| v.trim()).find(|v| !v.is_empty()).unwrap_or("").trim_end_matches('/').to_string()
}

/// "/blog" for "https://example.com/blog/", "" for the root.
pub(super) fn base_path(base: &str) -> String {
    let rest = base.strip_prefix("https://").or_else(|| base.strip_prefix("http://")).unwrap_or(base);
    rest.find('/').map(|i| rest[i..].trim_end_matches('/').to_string()).unwrap_or_default()
}

pub(super) fn term_slug(term: &WxrTerm) -> String {
    let wanted = slug::slugify(&percent_decode(&term.slug));
    if wanted.is_empty() {
        slug::slugify(&term.name)
    } else {
        wanted
    }
}

pub(super) fn free_slug(wanted: &str, wp_id: i64, taken: &mut HashSet<String>) -> String {
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
pub(crate) fn commenter_url(raw: &str) -> Option<&str> {
    let url = raw.trim();
    let scheme_ok = url.get(..8).is_some_and(|p| p.eq_ignore_ascii_case("https://"))
        || url.get(..7).is_some_and(|p| p.eq_ignore_ascii_case("http://"));
    (scheme_ok && url.len() <= URL_MAX && !url.chars().any(char::is_whitespace)).then_some(url)
}

/// At most `max` bytes, cut at a character boundary.
pub(crate) fn cut_at(text: &str, max: usize) -> &str {
    let mut end = text.len().min(max);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

/// WordPress keeps titles and names with HTML entities (`&amp;`, `&raquo;`); our templates
/// escape text themselves, so they are stored as the characters they stand for.
pub(super) fn decode_entities(text: &str) -> String {
    if !text.contains('&') {
        return text.to_string();
    }
    quick_xml::escape::unescape(text).map(|t| t.into_owned()).unwrap_or_else(|_| text.to_string())
}

/// WordPress stores non-ASCII slugs percent-encoded.
pub(super) fn percent_decode(text: &str) -> String {
    percent_encoding::percent_decode_str(text).decode_utf8_lossy().into_owned()
}

pub(super) fn changes_of(post: &Post) -> PostChanges<'_> {
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
        author_id: post.author_id,
        featured_media_id: post.featured_media_id,
        excerpt_source: &post.excerpt_source,
    }
}
