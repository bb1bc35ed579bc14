//! Threads embedded in other sites' pages: `/embed.js`, the thread as HTML for it, the no-JS
//! way in (`/thread?url=`), comment counts, and CORS for the allowed origins only.

use std::collections::BTreeMap;
use std::future::Future;

use actix_web::dev::{Service, ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, HeaderValue};
use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use chrono::Utc;
use serde::Deserialize;

use crate::config::EmbedSite;
use crate::db::ids::CommentId;
use crate::db::Change;
use crate::error::AppError;
use crate::routes::page_cache::{cacheable, CacheDeps};
use crate::routes::visitor;
use crate::services::comments::ClientInfo;
use crate::services::embed::{self, FirstVisit, NotStarted};
use crate::services::posts::{self, Showing};
use crate::services::spam;
use crate::state::AppState;
use crate::views::forms::FormState;
use crate::views::pages::{ArticleView, EmbedThreadView};
use crate::views::render;

/// The embed's own-comment tokens (it keeps them in the host page's storage, not in cookies:
/// the page may be on another site, where our cookies are third-party).
#[derive(Debug, Default, Clone, Deserialize)]
pub struct EmbedTokens {
    pub own: Option<String>,
    pub edit: Option<String>,
}

impl EmbedTokens {
    pub fn own_ids(&self, state: &AppState) -> Vec<CommentId> {
        self.own.as_deref().map(|t| visitor::own_ids_in(&state.signer, t)).unwrap_or_default()
    }

    fn edit_entries(&self, state: &AppState) -> Vec<(CommentId, i64)> {
        self.edit.as_deref().map(|t| visitor::edit_entries_in(&state.signer, t)).unwrap_or_default()
    }

    fn personal(&self) -> bool {
        self.own.as_deref().is_some_and(|t| !t.is_empty())
            || self.edit.as_deref().is_some_and(|t| !t.is_empty())
    }
}

#[derive(Debug, Deserialize)]
pub struct ThreadQuery {
    url: String,
    #[serde(default)]
    title: String,
    cpage: Option<u32>,
    #[serde(flatten)]
    tokens: EmbedTokens,
}

/// The `Origin` of a request when it is not this server's own.
pub fn foreign_origin<'r>(req: &'r HttpRequest, state: &AppState) -> Option<&'r str> {
    let origin = req.headers().get(header::ORIGIN)?.to_str().ok()?.trim();
    (!crate::routes::guard::is_own_origin(req, &state.config, origin)).then_some(origin)
}

const NOT_ALLOWED: &str = "This site is not allowed to show comments from here (embed.sites).";

/// `GET /embed/thread?url=`: the thread of a page on an allowed site, started by the page's
/// first visit. Only for an allowed `Origin`, and only for a URL of that same site.
pub async fn thread(
    state: web::Data<AppState>,
    req: HttpRequest,
    query: web::Query<ThreadQuery>,
    client: ClientInfo,
) -> Result<HttpResponse, AppError> {
    let query = query.into_inner();
    let sites = state.navigation.embed_sites();
    let site = foreign_origin(&req, &state)
        .and_then(|origin| sites.for_origin(origin))
        .ok_or_else(|| AppError::Forbidden(NOT_ALLOWED.into()))?;
    let (thread, slug) = find_or_start(&state, site, &query.url, &query.title, &client).await?;
    let showing = Showing { comment_page: query.cpage, all_mentions: false };
    let mut response =
        render_thread(&state, slug, &query.tokens, None, FormState::default(), showing, StatusCode::OK)
            .await?;
    if query.url.trim() != thread.url {
        // Kept only under the page's own address: spellings of it cannot fill the cache.
        response.extensions_mut().remove::<CacheDeps>();
    }
    Ok(response)
}

/// The thread of `raw_url` on `site`: 400 for a URL that is not one of its pages, 404 when
/// the page does not answer, 429 past the address's new threads per hour.
async fn find_or_start(
    state: &AppState,
    site: &EmbedSite,
    raw_url: &str,
    title: &str,
    client: &ClientInfo,
) -> Result<(crate::db::threads::Thread, String), AppError> {
    let url = embed::canonical_url(site, raw_url)
        .map_err(|_| AppError::Invalid("That address is not a page of a site allowed here.".into()))?;
    let visit = FirstVisit {
        config: &state.config.embed,
        title_hint: title,
        client_ip: client.ip.as_deref().unwrap_or(""),
        limiter: &state.thread_limiter,
        signer: &state.signer,
    };
    match embed::thread_for(&state.db, site, url, visit).await? {
        Ok(found) => Ok(found),
        Err(NotStarted::TooMany) => Err(AppError::RateLimited(
            "Too many new comment threads were started just now; try again later.".into(),
        )),
        // The page is not there (or not a page): no thread, as for any unknown address.
        Err(NotStarted::NoSuchPage) => Err(AppError::NotFound),
    }
}

/// A comment just written through the embed: its id, and whether it is held (then shown to
/// its author, whose token says so).
#[derive(Debug, Clone, Copy)]
pub struct Written {
    pub id: CommentId,
    pub held: bool,
}

/// The thread as the embed inserts it; the tokens it should keep go back in the fragment.
pub async fn render_thread(
    state: &AppState,
    slug: String,
    tokens: &EmbedTokens,
    written: Option<Written>,
    mut form: FormState,
    showing: Showing,
    status: StatusCode,
) -> Result<HttpResponse, AppError> {
    let mut own = tokens.own_ids(state);
    let now = Utc::now();
    form.editable = tokens.edit_entries(state);
    // Handed back only when they verified: nothing a request made up is reflected.
    let mut own_token = if own.is_empty() { String::new() } else { tokens.own.clone().unwrap_or_default() };
    let mut edit_token =
        if form.editable.is_empty() { String::new() } else { tokens.edit.clone().unwrap_or_default() };
    if let Some(Written { id, held }) = written {
        if held {
            own_token = visitor::own_token(&state.signer, own.clone(), id);
            own.push(id);
        }
        edit_token = visitor::edit_token(&state.signer, form.editable.clone(), id, now.timestamp());
        form.editable.push((id, now.timestamp()));
    }
    let personal =
        tokens.personal() || written.is_some() || status != StatusCode::OK || form.preview.is_some();
    let base = state.config.comments.clone();
    let data = state.db.read(move |c| posts::article(c, &slug, &own, &base, showing)).await?;
    if data.thread.is_none() {
        return Err(AppError::NotFound);
    }
    let token = spam::form_token(&state.signer, data.post.id.0);
    let (post, post_slug) = (data.post.id, data.post.slug.clone());
    let article = ArticleView::new(&state.config, state.locale(), data, form, token, now.naive_utc());
    let mut view = EmbedThreadView::new(&state.config, article, own_token, edit_token);
    view.new_comment = written.map(|w| w.id.0);
    let mut response = render(&state.tera, "embed/thread.html", &view, status)?;
    if let Some(seen) = crate::routes::page_cache::embed_seen(state, post.0) {
        response
            .headers_mut()
            .insert(header::HeaderName::from_static(crate::routes::page_cache::EMBED_SEEN), seen);
    }
    if personal {
        response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("private, no-store"));
        return Ok(response);
    }
    let shows = vec![Change::Post(post), Change::Comments(post)];
    Ok(cacheable(response, CacheDeps { shows, form: Some((post.0, post_slug)) }))
}

#[derive(Debug, Deserialize)]
pub struct PageQuery {
    url: String,
    #[serde(default)]
    title: String,
}

/// `GET /thread?url=`: the link a page without JavaScript shows; to the thread's own page
/// here, where the whole form works as on the blog.
pub async fn thread_page(
    state: web::Data<AppState>,
    req: HttpRequest,
    query: web::Query<PageQuery>,
    client: ClientInfo,
) -> Result<HttpResponse, AppError> {
    // A reader following the link, not an <img> or fetch on some page making threads with
    // every visitor's address.
    let fetch =
        |name: &str| req.headers().get(name).and_then(|v| v.to_str().ok()).map(str::to_ascii_lowercase);
    let navigating = fetch("sec-fetch-mode").is_none_or(|m| m == "navigate")
        && fetch("sec-fetch-dest").is_none_or(|d| d == "document");
    if !navigating {
        return Err(AppError::Forbidden("Open this link in the browser to read the comments.".into()));
    }
    let sites = state.navigation.embed_sites();
    let site = sites.for_url(&query.url).ok_or_else(|| AppError::Forbidden(NOT_ALLOWED.into()))?;
    let (_, slug) = find_or_start(&state, site, &query.url, &query.title, &client).await?;
    Ok(HttpResponse::SeeOther().insert_header((header::LOCATION, format!("/threads/{slug}"))).finish())
}

/// `GET /api/v1/counts?url=..&url=..`: approved comments per page (0 for a page without a
/// thread), for `data-marginalia-count` on listing pages. At most 100 URLs.
pub async fn counts(state: web::Data<AppState>, req: HttpRequest) -> Result<HttpResponse, AppError> {
    let sites = state.navigation.embed_sites();
    let asked: Vec<String> = form_urlencoded::parse(req.query_string().as_bytes())
        .filter(|(k, _)| k == "url")
        .map(|(_, v)| v.into_owned())
        .take(100)
        .collect();
    // Each asked URL -> its canonical form (URLs of no allowed site count nothing).
    let canonical: Vec<(String, Option<String>)> = asked
        .into_iter()
        .map(|raw| {
            let url = sites.for_url(&raw).and_then(|site| embed::canonical_url(site, &raw).ok());
            (raw, url)
        })
        .collect();
    let lookup: Vec<String> = canonical.iter().filter_map(|(_, u)| u.clone()).collect();
    let found: BTreeMap<String, i32> =
        state.db.read(move |c| Ok(crate::db::threads::counts(c, &lookup)?)).await?.into_iter().collect();
    let answer: BTreeMap<String, i32> = canonical
        .into_iter()
        .map(|(raw, url)| {
            let n = url.and_then(|u| found.get(&u).copied()).unwrap_or(0);
            (raw, n)
        })
        .collect();
    Ok(HttpResponse::Ok()
        // Counts move with every approval; asking again is one indexed read.
        .insert_header((header::CACHE_CONTROL, "public, no-cache"))
        .json(serde_json::json!({ "counts": answer })))
}

/// `GET /embed.js`: the script, from the embedded static files (cached an hour: its address
/// has no version, since host pages write it by hand).
pub async fn script() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/javascript; charset=utf-8")
        .insert_header((header::CACHE_CONTROL, "public, max-age=3600"))
        .body(EMBED_JS)
}

pub const EMBED_JS: &str = include_str!("../../static/js/embed.js");

/// Paths other sites' pages call from their own origin.
fn cross_origin_path(path: &str) -> bool {
    path.starts_with("/embed/")
        || path == "/api/v1/counts"
        || (path.starts_with("/posts/") && path.ends_with("/comments"))
}

/// CORS for the allowed origins only (outside the page cache, so a kept answer gets the
/// header of the origin asking). No credentials: the embed keeps its tokens itself.
pub fn cors<S, B>(
    req: ServiceRequest,
    srv: &S,
) -> impl Future<Output = Result<ServiceResponse<B>, actix_web::Error>> + 'static
where
    S: Service<ServiceRequest, Response = ServiceResponse<B>, Error = actix_web::Error>,
    S::Future: 'static,
    B: 'static,
{
    let watched = cross_origin_path(req.path());
    let allowed = watched
        .then(|| {
            let origin = req.headers().get(header::ORIGIN)?.clone();
            let state = req.app_data::<web::Data<AppState>>()?;
            let sites = state.navigation.embed_sites();
            sites.for_origin(origin.to_str().ok()?).is_some().then_some(origin)
        })
        .flatten();
    let response = srv.call(req);
    async move {
        let mut response = response.await?;
        let headers = response.headers_mut();
        if let Some(origin) = allowed {
            headers.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, origin);
            headers.insert(
                header::ACCESS_CONTROL_EXPOSE_HEADERS,
                HeaderValue::from_static(crate::routes::page_cache::EMBED_SEEN),
            );
        }
        if watched {
            headers.append(header::VARY, HeaderValue::from_static("Origin"));
        }
        Ok(response)
    }
}
