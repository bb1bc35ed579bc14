//! Public pages: index, article, archives.

use actix_web::http::{header, StatusCode};
use actix_web::{web, HttpRequest, HttpResponse};
use chrono::Utc;
use serde::Deserialize;

use crate::db::enums::PostKind;
use crate::db::ids::CommentId;
use crate::db::posts::Listing;
use crate::db::taxonomy;
use crate::db::Change;
use crate::error::AppError;
use crate::i18n::Text;
use crate::routes::page_cache::{cacheable, CacheDeps};
use crate::routes::visitor;
use crate::services::posts::{ListingPage, Showing};
use crate::services::{posts, redirects, spam};
use crate::state::AppState;
use crate::views::forms::FormState;
use crate::views::pages::{ArticleView, AuthorView, ListingView, SearchView};
use crate::views::render;

#[derive(Debug, Deserialize)]
pub struct PageQuery {
    page: Option<u32>,
}

/// The front page also answers WordPress's id links (`/?p=12`, `/?page_id=3`).
#[derive(Debug, Deserialize)]
pub struct IndexQuery {
    page: Option<u32>,
    p: Option<String>,
    page_id: Option<String>,
}

impl PageQuery {
    fn page(&self) -> u32 {
        self.page.unwrap_or(1)
    }
}

pub async fn index(
    state: web::Data<AppState>,
    req: HttpRequest,
    query: web::Query<IndexQuery>,
) -> Result<HttpResponse, AppError> {
    if query.p.is_some() || query.page_id.is_some() {
        return old_link(&state, &req).await;
    }
    let (page, per_page) = (query.page.unwrap_or(1), state.navigation.site().per_page);
    let data = state.db.read(move |c| posts::listing_page(c, Listing::All, page, per_page)).await?;
    let view = ListingView::new(&state.config, state.locale(), "/", None, &data);
    let response = render(&state.tera, "posts/index.html", &view, StatusCode::OK)?;
    Ok(cacheable(response, listing_deps(&data)))
}

/// A listing shows which posts are listed, each one's card and its comment count.
fn listing_deps(data: &ListingPage) -> CacheDeps {
    let mut shows = vec![Change::PostList];
    for (post, _) in &data.posts {
        shows.extend([Change::Post(post.id), Change::Comments(post.id)]);
    }
    CacheDeps { shows, form: None }
}

#[derive(Debug, Deserialize)]
pub struct ArticleQuery {
    /// Reply without JavaScript: `?replytocom=ID#respond` sets the form's `comment_parent`.
    replytocom: Option<i32>,
    /// Page of comments; the newest (last) page by default.
    cpage: Option<u32>,
    /// `?mentions=all`: every pingback, not only the newest.
    mentions: Option<String>,
}

pub async fn article(
    state: web::Data<AppState>,
    req: HttpRequest,
    slug: web::Path<String>,
    query: web::Query<ArticleQuery>,
) -> Result<HttpResponse, AppError> {
    show(state, req, slug, query, PostKind::Article).await
}

/// `/threads/{slug}`: the comments of another site's page, on their own page here (where the
/// embed's no-JS link leads).
pub async fn thread(
    state: web::Data<AppState>,
    req: HttpRequest,
    slug: web::Path<String>,
    query: web::Query<ArticleQuery>,
) -> Result<HttpResponse, AppError> {
    show(state, req, slug, query, PostKind::Thread).await
}

pub async fn page(
    state: web::Data<AppState>,
    req: HttpRequest,
    slug: web::Path<String>,
    query: web::Query<ArticleQuery>,
) -> Result<HttpResponse, AppError> {
    show(state, req, slug, query, PostKind::Page).await
}

async fn show(
    state: web::Data<AppState>,
    req: HttpRequest,
    slug: web::Path<String>,
    query: web::Query<ArticleQuery>,
    kind: PostKind,
) -> Result<HttpResponse, AppError> {
    let own = visitor::own_comment_ids(&req, &state.signer);
    let mut form = visitor::remembered(&req).map(FormState::prefilled).unwrap_or_default();
    form.editable = visitor::edit_entries(&req, &state.signer);
    if let Some(parent) = query.replytocom.filter(|id| *id > 0) {
        form.comment_parent = parent.to_string();
    }
    let expected = Some((kind, req.query_string()));
    let showing =
        Showing { comment_page: query.cpage, all_mentions: query.mentions.as_deref() == Some("all") };
    render_article(&state, slug.into_inner(), own, form, showing, StatusCode::OK, expected).await
}

/// Any URL no route knows: an old WordPress link answers 301 to its new place, else 404.
pub async fn old_link(state: &AppState, req: &HttpRequest) -> Result<HttpResponse, AppError> {
    let (path, query) = (req.path().to_string(), req.query_string().to_string());
    let target = state.db.read(move |c| redirects::lookup(c, &path, &query)).await?;
    match target {
        Some(location) => Ok(moved_permanently(&location)),
        None => Err(AppError::NotFound),
    }
}

fn moved_permanently(location: &str) -> HttpResponse {
    HttpResponse::MovedPermanently().insert_header((header::LOCATION, location)).finish()
}

/// The article page with its comment form in `form`'s state; used by GET and by refused POSTs.
pub async fn render_article(
    state: &AppState,
    slug: String,
    own: Vec<CommentId>,
    form: FormState,
    showing: Showing,
    status: StatusCode,
    // The kind the URL asked for, and the request's query string (kept by the redirect).
    expected: Option<(PostKind, &str)>,
) -> Result<HttpResponse, AppError> {
    let previewing = form.preview.is_some();
    let mut personal = !own.is_empty() || !form.author.is_empty() || status != StatusCode::OK || previewing;
    let base = state.config.comments.clone();
    let data = state.db.read(move |c| posts::article(c, &slug, &own, &base, showing)).await?;
    if let Some((_, query)) = expected.filter(|(kind, _)| *kind != data.post.kind) {
        // A page asked for under /posts/ (the comment form's redirect) or the reverse.
        let path = posts::public_path(data.post.kind, &data.post.slug);
        let location = if query.is_empty() { path } else { format!("{path}?{query}") };
        return Ok(moved_permanently(&location));
    }
    let token = spam::form_token(&state.signer, data.post.id.0);
    let (post, slug) = (data.post.id, data.post.slug.clone());
    let mut shows = vec![Change::Post(post), Change::Comments(post), Change::Related(post)];
    shows.extend(data.related.iter().map(|(related, _)| Change::Post(related.id)));
    let now = Utc::now();
    // A comment of this reader's still in its edit window gets an "Edit" link: a page for them.
    let window = i64::from(data.settings.edit_minutes) * 60;
    personal |= form.editable.iter().any(|(_, at)| now.timestamp() - at <= window);
    let framed_by = data
        .thread
        .as_ref()
        .and_then(|t| state.navigation.embed_sites().by_name(&t.site).map(|s| s.origins.clone()));
    let view = ArticleView::new(&state.config, state.locale(), data, form, token, now.naive_utc());
    let mut response = render(&state.tera, "posts/show.html", &view, status)?;
    if let Some(origins) = framed_by {
        // Its own site may frame a thread's page (frame-ancestors supersedes X-Frame-Options).
        let csp = header::HeaderValue::from_str(&crate::routes::csp_framed_by(&origins))
            .map_err(|e| AppError::Internal(format!("csp: {e}")))?;
        response.headers_mut().insert(header::CONTENT_SECURITY_POLICY, csp);
        response
            .headers_mut()
            .insert(header::X_FRAME_OPTIONS, header::HeaderValue::from_static("SAMEORIGIN"));
    }
    if status == StatusCode::OK && !previewing {
        // A refused form (and a preview) keeps the view time of the page it was sent from.
        let seen = visitor::seen_cookie(&state.signer, post.0, &slug, state.config.is_https());
        response.add_cookie(&seen).map_err(|e| AppError::Internal(format!("view-time cookie: {e}")))?;
    }
    if personal {
        // Holds the reader's own details or held comments: never for shared caches.
        response
            .headers_mut()
            .insert(header::CACHE_CONTROL, header::HeaderValue::from_static("private, no-store"));
        return Ok(response);
    }
    Ok(cacheable(response, CacheDeps { shows, form: Some((post.0, slug)) }))
}

/// Which kind of archive.
#[derive(Clone, Copy)]
enum Archive {
    Category,
    Tag,
}

pub async fn category(
    state: web::Data<AppState>,
    slug: web::Path<String>,
    query: web::Query<PageQuery>,
) -> Result<HttpResponse, AppError> {
    archive(&state, Archive::Category, slug.into_inner(), query.page()).await
}

pub async fn tag(
    state: web::Data<AppState>,
    slug: web::Path<String>,
    query: web::Query<PageQuery>,
) -> Result<HttpResponse, AppError> {
    archive(&state, Archive::Tag, slug.into_inner(), query.page()).await
}

/// `/category/{slug}` or `/tag/{slug}`: that term's articles, a page at a time.
async fn archive(state: &AppState, kind: Archive, slug: String, page: u32) -> Result<HttpResponse, AppError> {
    let per_page = state.navigation.site().per_page;
    let (heading, name, path, data) = state
        .db
        .read(move |c| {
            let (listing, heading, name, path) = match kind {
                Archive::Category => {
                    let term = taxonomy::find_category_by_slug(c, &slug)?.ok_or(AppError::NotFound)?;
                    (
                        Listing::Category(term.id),
                        "listing-category",
                        term.name,
                        format!("/category/{}", term.slug),
                    )
                }
                Archive::Tag => {
                    let term = taxonomy::find_tag_by_slug(c, &slug)?.ok_or(AppError::NotFound)?;
                    (Listing::Tag(term.id), "listing-tag", term.name, format!("/tag/{}", term.slug))
                }
            };
            Ok((heading, name, path, posts::listing_page(c, listing, page, per_page)?))
        })
        .await?;
    let locale = state.locale();
    let title = locale.text(&Text::new(heading).string("name", name));
    let view = ListingView::new(&state.config, locale, &path, Some(title), &data);
    let response = render(&state.tera, "archive/list.html", &view, StatusCode::OK)?;
    Ok(cacheable(response, listing_deps(&data)))
}

/// `/author/{slug}`: who writes here, and their articles.
pub async fn author(
    state: web::Data<AppState>,
    slug: web::Path<String>,
    query: web::Query<PageQuery>,
) -> Result<HttpResponse, AppError> {
    let (slug, page, per_page) = (slug.into_inner(), query.page(), state.navigation.site().per_page);
    let data = state.db.read(move |c| posts::author_page(c, &slug, page, per_page)).await?;
    let view = AuthorView::new(&state.config, state.locale(), &data);
    let response = render(&state.tera, "archive/author.html", &view, StatusCode::OK)?;
    let mut deps = listing_deps(&data.listing);
    // The profile shown is not a post: a profile save declares nothing narrower than everything.
    deps.shows.push(Change::PostList);
    Ok(cacheable(response, deps))
}

#[derive(Debug, Deserialize)]
pub struct SearchQuery {
    #[serde(default)]
    q: String,
    page: Option<u32>,
}

/// `/search?q=`: published posts matching every word, best first, matches highlighted.
/// Neither the query nor the reader is logged (the request log writes the path only).
/// Searches one address may run per minute (a reader types a few; a scraper is slowed).
const SEARCHES_PER_MINUTE: u32 = 30;

pub async fn search(
    state: web::Data<AppState>,
    query: web::Query<SearchQuery>,
    client: crate::services::comments::ClientInfo,
) -> Result<HttpResponse, AppError> {
    if !query.q.trim().is_empty()
        && !state.search_limiter.allow(client.ip.as_deref().unwrap_or(""), SEARCHES_PER_MINUTE)
    {
        return Err(AppError::RateLimited(
            "Too many searches from your address; please wait a minute.".into(),
        ));
    }
    let typed: String = query.q.chars().take(200).collect();
    let page = query.page.unwrap_or(1);
    let words = typed.clone();
    let results = state.db.read(move |c| crate::services::search::search(c, &words, page)).await?;
    let view = SearchView::new(&state.config, state.locale(), &typed, &results);
    let mut response = render(&state.tera, "archive/search.html", &view, StatusCode::OK)?;
    // Results are cheap and personal to the words typed: kept out of shared caches.
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, header::HeaderValue::from_static("private, max-age=60"));
    Ok(response)
}
