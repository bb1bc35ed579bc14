//! Page view structs for the public site, built from service results.

use serde::Serialize;

use super::comment::{build_tree, mark_editable, render_list, render_mentions, CommentListHtml, CommentNode};
use super::{DateView, Layout};
use crate::config::Config;
use crate::db::enums::PostKind;
use crate::db::media::Media;
use crate::db::posts::PostSummary;
use crate::db::taxonomy::{Category, Tag};
use crate::i18n::{Locale, Text};
use crate::services::comment_form::{AUTHOR_MAX, COMMENT_MAX, EMAIL_MAX, HONEYPOT_FIELD, URL_MAX};
use crate::services::comments::comments_closed;
use crate::services::markup::SafeHtml;
use crate::services::media as media_service;
use crate::services::posts::{self, ArticleData, CommentPage, ListingPage};
use crate::views::forms::FormState;
use chrono::NaiveDateTime;

#[derive(Debug, Serialize)]
pub struct Link {
    pub name: String,
    pub url: String,
}

impl Link {
    pub fn category(category: &Category) -> Link {
        Link { name: category.name.clone(), url: format!("/category/{}", category.slug) }
    }
    pub fn tag(tag: &Tag) -> Link {
        Link { name: tag.name.clone(), url: format!("/tag/{}", tag.slug) }
    }
}

/// An uploaded image as a page shows it: a fallback `src`, the sizes to pick from, its size.
#[derive(Debug, Serialize)]
pub struct ImageView {
    pub src: String,
    pub srcset: String,
    pub webp_srcset: String,
    pub width: i32,
    pub height: i32,
    pub alt: String,
}

impl ImageView {
    pub fn new(media: &Media, fallback_width: u32) -> ImageView {
        ImageView {
            src: media_service::url_for_width(media, fallback_width),
            srcset: media_service::srcset(media, media.format.extension()),
            webp_srcset: media_service::srcset(media, "webp"),
            width: media.width,
            height: media.height,
            alt: media.alt_text.clone(),
        }
    }
}

#[derive(Debug, Serialize)]
pub struct PostCard {
    pub title: String,
    pub url: String,
    pub excerpt: String,
    pub date: DateView,
    pub category: Option<Link>,
    pub comment_count: i64,
    pub image: Option<ImageView>,
}

impl PostCard {
    pub fn new(post: &PostSummary, category: Option<&Category>, locale: &Locale) -> PostCard {
        PostCard {
            image: None,
            comment_count: 0,
            title: post.title.clone(),
            url: format!("/posts/{}", post.slug),
            excerpt: post.excerpt.clone(),
            date: DateView::new(post.published_at, locale),
            category: category.map(Link::category),
        }
    }
}

#[derive(Debug, Serialize)]
pub struct Pagination {
    pub page: u32,
    pub total_pages: u32,
    pub newer_url: Option<String>,
    pub older_url: Option<String>,
}

impl Pagination {
    fn new(path: &str, page: u32, total_pages: u32) -> Pagination {
        let url = |n: u32| {
            if n == 1 {
                path.to_string()
            } else {
                format!("{path}?page={n}")
            }
        };
        Pagination {
            page,
            total_pages,
            newer_url: (page > 1).then(|| url(page - 1)),
            older_url: (page < total_pages).then(|| url(page + 1)),
        }
    }
}

/// The index and both archives.
#[derive(Debug, Serialize)]
pub struct ListingView {
    pub layout: Layout,
    /// "Category: Health and Fitness"; absent on the index.
    pub heading: Option<String>,
    pub posts: Vec<PostCard>,
    pub pagination: Pagination,
}

impl ListingView {
    pub fn new(
        config: &Config,
        locale: &Locale,
        path: &str,
        heading: Option<String>,
        data: &ListingPage,
    ) -> ListingView {
        let canonical = if data.page == 1 { path.to_string() } else { format!("{path}?page={}", data.page) };
        let mut title = heading.clone();
        if data.page > 1 {
            let heading = heading.clone().unwrap_or_else(|| locale.get_text("listing-articles"));
            let text = Text::new("listing-page-title")
                .string("heading", heading)
                .number("page", i64::from(data.page));
            title = Some(locale.text(&text));
        }
        ListingView {
            layout: Layout::new(config, &canonical, title),
            heading,
            posts: data
                .posts
                .iter()
                .map(|(p, c)| PostCard {
                    comment_count: i64::from(p.approved_comments),
                    image: p
                        .featured_media_id
                        .and_then(|id| data.images.get(&id))
                        .map(|m| ImageView::new(m, 960)),
                    ..PostCard::new(p, c.as_ref(), locale)
                })
                .collect(),
            pagination: Pagination::new(path, data.page, data.total_pages),
        }
    }
}

/// The reply form as the template needs it.
#[derive(Debug, Serialize)]
pub struct CommentFormView {
    pub state: FormState,
    pub token: String,
    pub open: bool,
    pub action: String,
    /// The comment being replied to, when `comment_parent` names a visible one.
    pub reply_to: Option<ReplyTo>,
    pub honeypot_field: &'static str,
    /// "IP addresses are kept for 30 days." (privacy.show_note)
    pub privacy_note: Option<Text>,
    pub max_author: usize,
    pub max_email: usize,
    pub max_url: usize,
    pub max_comment: usize,
}

#[derive(Debug, Serialize)]
pub struct ReplyTo {
    pub id: i32,
    pub author: String,
}

#[derive(Debug, Serialize)]
pub struct ArticleView {
    pub layout: Layout,
    /// A thread of another site's page: that page and the site's name.
    pub thread: Option<ThreadView>,
    pub title: String,
    pub slug: String,
    pub body_html: SafeHtml,
    pub date: DateView,
    pub updated: DateView,
    pub category: Option<Link>,
    pub tags: Vec<Link>,
    pub related: Vec<PostCard>,
    /// The page's threads (the form's reply target is looked up here); templates get
    /// `comments_html`.
    #[serde(skip)]
    pub comments: Vec<CommentNode>,
    pub comments_html: CommentListHtml,
    /// Tested in templates instead of the HTML: Tera escapes a string to test it.
    pub has_comments: bool,
    pub comment_pagination: Option<Pagination>,
    pub approved_count: i64,
    pub form: CommentFormView,
    /// Pages show no date, category, tags or related articles.
    pub is_page: bool,
    /// Who wrote it: an account here (linked to its author page) or an imported name.
    pub byline: Option<Link>,
    pub featured: Option<ImageView>,
    /// schema.org `Article` as JSON, safe inside `<script type="application/ld+json">`.
    pub json_ld: SafeHtml,
    /// The compact "Mentions" list (pingbacks and trackbacks), empty when there are none.
    pub mentions_html: CommentListHtml,
    pub has_mentions: bool,
    /// "Show all N mentions" when only the newest are listed.
    pub all_mentions: Option<Link>,
}

impl ArticleView {
    pub fn new(
        config: &Config,
        locale: &Locale,
        data: ArticleData,
        form: FormState,
        token: String,
        now: NaiveDateTime,
    ) -> ArticleView {
        let settings = &data.settings;
        let open = !comments_closed(&data.post, settings.close_after_days, now);
        let mut tree = build_tree(data.comments, settings.thread_depth, locale);
        let window = i64::from(settings.edit_minutes) * 60;
        let editable: Vec<_> = form
            .editable
            .iter()
            .filter(|(_, at)| now.and_utc().timestamp() - at <= window)
            .map(|(id, _)| *id)
            .collect();
        mark_editable(&mut tree, &editable);
        let reply_to = form
            .comment_parent
            .parse::<i32>()
            .ok()
            .and_then(|id| find_comment(&tree, id))
            .map(|c| ReplyTo { id: c.id.0, author: c.author.clone() });
        let path = posts::public_path(data.post.kind, &data.post.slug);
        let comment_pagination = comment_pagination(data.comment_page, &path);
        let comments = tree;
        let form = CommentFormView {
            state: form,
            token,
            open,
            // The fragment brings a refused form (422) into view, not the top of the article.
            action: format!("/posts/{}/comments#respond", data.post.slug),
            reply_to,
            honeypot_field: HONEYPOT_FIELD,
            privacy_note: config.privacy.show_note.then(|| {
                if config.privacy.store_ip {
                    Text::new("form-ip-kept").number("days", i64::from(config.privacy.ip_retention_days))
                } else {
                    Text::new("form-no-ip")
                }
            }),
            max_author: AUTHOR_MAX,
            max_email: EMAIL_MAX,
            max_url: URL_MAX,
            max_comment: COMMENT_MAX,
        };
        let post = data.post;
        let mut layout = Layout::new(config, &path, Some(post.title.clone()));
        let is_page = post.kind != PostKind::Article;
        let thread = data.thread.map(|t| ThreadView { url: t.url, site: t.site });
        layout.og_type = if is_page { "website" } else { "article" };
        layout.description = post.excerpt.clone();
        let base = &config.server.base_url;
        layout.og_image =
            data.featured.as_ref().map(|m| format!("{base}{}", media_service::url_for_width(m, 1920)));
        let byline = match (&data.author, &post.author_name) {
            (Some(author), _) => Some(Link {
                name: author.name.clone(),
                url: author.slug.as_ref().map(|s| format!("/author/{s}")).unwrap_or_default(),
            }),
            (None, Some(name)) => Some(Link { name: name.clone(), url: String::new() }),
            (None, None) => None,
        };
        let json_ld = article_json_ld(&post, byline.as_ref(), base, &layout);
        ArticleView {
            layout,
            thread,
            title: post.title,
            slug: post.slug,
            body_html: SafeHtml::from_stored(post.body_html),
            date: DateView::new(post.published_at, locale),
            updated: DateView::new(post.updated_at, locale),
            category: data.category.as_ref().map(Link::category),
            tags: data.tags.iter().map(Link::tag).collect(),
            related: data.related.iter().map(|(p, c)| PostCard::new(p, c.as_ref(), locale)).collect(),
            comments_html: render_list(&comments, locale),
            has_comments: !comments.is_empty(),
            comments,
            comment_pagination,
            approved_count: data.approved_count,
            form,
            is_page,
            byline,
            featured: data.featured.as_ref().map(|m| ImageView::new(m, 960)),
            json_ld,
            mentions_html: render_mentions(&data.mentions, locale),
            has_mentions: !data.mentions.is_empty(),
            all_mentions: (data.mention_count > data.mentions.len() as i64).then(|| Link {
                name: locale.text(&Text::new("mentions-show-all").number("count", data.mention_count)),
                url: format!("{path}?mentions=all#mentions"),
            }),
        }
    }
}

#[derive(Debug, Serialize)]
pub struct ThreadView {
    pub url: String,
    pub site: String,
}

/// The thread as `embed.js` inserts it into another site's page: the article's comments and
/// form, every address absolute, and this browser's own-comment tokens (it keeps them, not
/// cookies, since the page may be on another site).
#[derive(Debug, Serialize)]
pub struct EmbedThreadView {
    #[serde(flatten)]
    pub article: ArticleView,
    pub base_url: String,
    pub own_token: String,
    pub edit_token: String,
    /// The comment just posted (the embed scrolls to it).
    pub new_comment: Option<i32>,
}

impl EmbedThreadView {
    pub fn new(config: &Config, mut article: ArticleView, own_token: String, edit_token: String) -> Self {
        let base = config.server.base_url.clone();
        // Addresses stay relative: the embed puts the origin it was loaded from in front.
        article.form.action = format!("/posts/{}/comments", article.slug);
        EmbedThreadView { article, base_url: base, own_token, edit_token, new_comment: None }
    }
}

/// schema.org `Article` for search engines, escaped so nothing in a title can close the
/// script element.
fn article_json_ld(
    post: &crate::db::posts::Post,
    byline: Option<&Link>,
    base: &str,
    layout: &Layout,
) -> SafeHtml {
    let mut value = serde_json::json!({
        "@context": "https://schema.org",
        "@type": if post.kind == PostKind::Page { "WebPage" } else { "Article" },
        "headline": post.title,
        "datePublished": super::iso(post.published_at),
        "dateModified": super::iso(post.updated_at),
        "mainEntityOfPage": layout.canonical_url,
        "description": post.excerpt,
    });
    if let Some(author) = byline {
        let mut person = serde_json::json!({ "@type": "Person", "name": author.name });
        if !author.url.is_empty() {
            person["url"] = serde_json::Value::String(format!("{base}{}", author.url));
        }
        value["author"] = person;
    }
    if let Some(image) = &layout.og_image {
        value["image"] = serde_json::Value::String(image.clone());
    }
    // `<`, `>` and `&` only occur inside JSON strings, where \u escapes mean the same: no
    // markup is left, so it may stand in the page as it is.
    SafeHtml::from_stored(
        value.to_string().replace('<', "\\u003c").replace('>', "\\u003e").replace('&', "\\u0026"),
    )
}

fn find_comment(nodes: &[CommentNode], id: i32) -> Option<&CommentNode> {
    nodes.iter().find_map(|n| if n.id.0 == id { Some(n) } else { find_comment(&n.children, id) })
}

/// Links to the other pages of threads (none when there is one page).
fn comment_pagination(page: CommentPage, path: &str) -> Option<Pagination> {
    if page.total_pages <= 1 {
        return None;
    }
    let url = |n: u32| format!("{path}?cpage={n}#comments");
    Some(Pagination {
        page: page.page,
        total_pages: page.total_pages,
        newer_url: (page.page < page.total_pages).then(|| url(page.page + 1)),
        older_url: (page.page > 1).then(|| url(page.page - 1)),
    })
}

/// The themed error page.
#[derive(Debug, Serialize)]
pub struct ErrorView {
    pub layout: Layout,
    pub status: u16,
    pub heading: String,
    pub message: String,
}

/// `/author/{slug}`.
#[derive(Debug, Serialize)]
pub struct AuthorView {
    pub layout: Layout,
    pub name: String,
    pub bio: String,
    pub avatar: Option<String>,
    pub posts: Vec<PostCard>,
    pub pagination: Pagination,
}

impl AuthorView {
    pub fn new(config: &Config, locale: &Locale, data: &posts::AuthorPage) -> AuthorView {
        let path = format!("/author/{}", data.author.slug.as_deref().unwrap_or_default());
        let listing = ListingView::new(config, locale, &path, Some(data.author.name.clone()), &data.listing);
        let mut layout = listing.layout;
        if !data.author.bio.is_empty() {
            layout.description = data.author.bio.clone();
        }
        AuthorView {
            layout,
            name: data.author.name.clone(),
            bio: data.author.bio.clone(),
            avatar: data.author.avatar.as_ref().map(|m| media_service::url_for_width(m, 480)),
            posts: listing.posts,
            pagination: listing.pagination,
        }
    }
}

#[derive(Debug, Serialize)]
pub struct SearchResult {
    pub url: String,
    /// Escaped text with `<mark>` around the matches.
    pub title_html: SafeHtml,
    pub snippet_html: SafeHtml,
    pub date: DateView,
}

/// `/search?q=`.
#[derive(Debug, Serialize)]
pub struct SearchView {
    pub layout: Layout,
    pub q: String,
    pub searched: bool,
    pub total: i64,
    pub results: Vec<SearchResult>,
    pub newer_url: Option<String>,
    pub older_url: Option<String>,
    pub page: u32,
    pub total_pages: u32,
}

/// Escapes `text`, then turns the index's highlight marks into `<mark>`.
fn highlighted(text: &str) -> SafeHtml {
    use crate::db::search::{MARK_END, MARK_START};
    let escaped = crate::templates::escape_html(text);
    // Escaped first: the only markup is the <mark> pairs added here.
    SafeHtml::from_stored(escaped.replace(MARK_START, "<mark>").replace(MARK_END, "</mark>"))
}

impl SearchView {
    pub fn new(
        config: &Config,
        locale: &Locale,
        q: &str,
        data: &crate::services::search::SearchPage,
    ) -> SearchView {
        let mut layout = Layout::new(
            config,
            "/search",
            Some(if q.is_empty() {
                locale.get_text("search-title")
            } else {
                locale.text(&Text::new("search-title-query").string("query", q))
            }),
        );
        layout.noindex = true;
        let encoded: String = form_urlencoded::byte_serialize(q.as_bytes()).collect();
        let url = |n: u32| format!("/search?q={encoded}&page={n}");
        SearchView {
            layout,
            q: q.to_string(),
            searched: !q.trim().is_empty(),
            total: data.total,
            results: data
                .hits
                .iter()
                .map(|hit| SearchResult {
                    url: posts::public_path(hit.kind, &hit.slug),
                    title_html: highlighted(&hit.title),
                    snippet_html: highlighted(&hit.snippet),
                    date: DateView::new(hit.published_at, locale),
                })
                .collect(),
            newer_url: (data.page > 1).then(|| url(data.page - 1)),
            older_url: (data.page < data.total_pages).then(|| url(data.page + 1)),
            page: data.page,
            total_pages: data.total_pages,
        }
    }
}

/// "Your comments" (the reader's self-service page): what is stored, in words.
#[derive(Debug, Serialize)]
pub struct OwnDataView {
    pub email: String,
    pub subscriptions: usize,
    pub mails: usize,
    pub comments: Vec<OwnCommentView>,
}

#[derive(Debug, Serialize)]
pub struct OwnCommentView {
    pub id: i32,
    pub article_title: String,
    pub article_url: String,
    pub status: String,
    pub author: String,
    pub website: Option<String>,
    pub ip: Option<String>,
    /// "Firefox on Linux" (the full string is in the download).
    pub browser: Option<String>,
    pub text: String,
    /// "December 1, 2026 at 14:05 UTC"
    pub written: String,
    pub iso: String,
}

impl OwnDataView {
    pub fn new(export: crate::services::privacy::Export, locale: &Locale) -> OwnDataView {
        let comments = export
            .comments
            .into_iter()
            .map(|c| OwnCommentView {
                id: c.id,
                article_title: c.article_title,
                article_url: c.article_url,
                status: c.status,
                author: c.author,
                website: c.website,
                ip: c.ip,
                browser: c.user_agent.as_deref().map(|agent| browser_summary(agent, locale)),
                text: c.text,
                written: locale.date_time(c.created),
                iso: c.created_at,
            })
            .collect();
        OwnDataView {
            email: export.email,
            subscriptions: export.subscriptions.len(),
            mails: export.mails.len(),
            comments,
        }
    }
}

/// A user agent as a reader recognises it: "Firefox on Linux", "Safari on iPhone".
pub fn browser_summary(user_agent: &str, locale: &Locale) -> String {
    let has = |needle: &str| user_agent.contains(needle);
    // Order matters: Edge and Opera say "Chrome", Chrome says "Safari", iOS says "Mac OS X",
    // Android says "Linux".
    let browser = [
        ("Edg/", "Edge"),
        ("Edge/", "Edge"),
        ("OPR/", "Opera"),
        ("SamsungBrowser/", "Samsung Internet"),
        ("Firefox/", "Firefox"),
        ("FxiOS/", "Firefox"),
        ("CriOS/", "Chrome"),
        ("Chrome/", "Chrome"),
        ("Chromium/", "Chromium"),
        ("Safari/", "Safari"),
        ("curl/", "curl"),
    ]
    .into_iter()
    .find(|(needle, _)| has(needle))
    .map(|(_, name)| name);
    let system = [
        ("Windows", "Windows"),
        ("iPhone", "iPhone"),
        ("iPad", "iPad"),
        ("Android", "Android"),
        ("CrOS", "ChromeOS"),
        ("Mac OS X", "macOS"),
        ("Macintosh", "macOS"),
        ("Linux", "Linux"),
    ]
    .into_iter()
    .find(|(needle, _)| has(needle))
    .map(|(_, name)| name);
    let on = |browser: String, system: &str| {
        locale.text(&Text::new("browser-on").string("browser", browser).string("system", system))
    };
    match (browser, system) {
        (Some(browser), Some(system)) => on(browser.to_string(), system),
        (Some(browser), None) => browser.to_string(),
        (None, Some(system)) => on(locale.get_text("browser-unknown"), system),
        (None, None) => locale.get_text("browser-unknown"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_agents_read_as_browser_on_system() {
        let cases = [
            ("Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0", "Firefox on Linux"),
            (
                "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) \
                 Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0",
                "Edge on Windows",
            ),
            (
                "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) \
                 Version/18.1 Safari/605.1.15",
                "Safari on macOS",
            ),
            (
                "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like \
                 Gecko) CriOS/131.0 Mobile/15E148 Safari/604.1",
                "Chrome on iPhone",
            ),
            (
                "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) \
                 Chrome/131.0.0.0 Mobile Safari/537.36",
                "Chrome on Android",
            ),
            ("curl/8.5.0", "curl"),
            ("", "unknown browser"),
        ];
        for (agent, expected) in cases {
            assert_eq!(browser_summary(agent, Locale::english()), expected, "{agent}");
        }
    }

    #[test]
    fn dates_read_with_the_time_of_day() {
        let at = chrono::NaiveDate::from_ymd_opt(2026, 12, 1).and_then(|d| d.and_hms_opt(14, 5, 9));
        assert_eq!(
            at.map(|at| DateView::with_time(at, Locale::english()).display).as_deref(),
            Some("December 1, 2026 at 14:05 UTC")
        );
    }
}
