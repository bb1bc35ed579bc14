//! Public pages: index, article, archives.

use actix_web::http::{header, StatusCode};
use actix_web::{web, HttpRequest, HttpResponse};
use chrono::Utc;
use serde::Deserialize;

use crate::db::ids::CommentId;
use crate::db::posts::Listing;
use crate::db::taxonomy;
use crate::error::AppError;
use crate::routes::visitor;
use crate::services::{posts, spam};
use crate::state::AppState;
use crate::views::forms::FormState;
use crate::views::pages::{ArticleView, ListingView};
use crate::views::render;

#[derive(Debug, Deserialize)]
pub struct PageQuery {
    page: Option<u32>,
}

impl PageQuery {
    fn page(&self) -> u32 {
        self.page.unwrap_or(1)
    }
}

pub async fn index(
    state: web::Data<AppState>,
    query: web::Query<PageQuery>,
) -> Result<HttpResponse, AppError> {
    let (page, per_page) = (query.page(), state.config.site.per_page);
    let data = state.db(move |c| posts::listing_page(c, Listing::All, page, per_page)).await?;
    let view = ListingView::new(&state.config, "/", None, &data);
    render(&state.tera, "posts/index.html", &view, StatusCode::OK)
}

#[derive(Debug, Deserialize)]
pub struct ArticleQuery {
    /// Reply without JavaScript: `?replytocom=ID#respond` sets the form's `comment_parent`.
    replytocom: Option<i32>,
    /// Page of comments; the newest (last) page by default.
    cpage: Option<u32>,
}

pub async fn article(
    state: web::Data<AppState>,
    req: HttpRequest,
    slug: web::Path<String>,
    query: web::Query<ArticleQuery>,
) -> Result<HttpResponse, AppError> {
    let own = visitor::own_comment_ids(&req, &state.signer);
    let mut form = visitor::remembered(&req).map(FormState::prefilled).unwrap_or_default();
    if let Some(parent) = query.replytocom.filter(|id| *id > 0) {
        form.comment_parent = parent.to_string();
    }
    render_article(&state, slug.into_inner(), own, form, query.cpage, StatusCode::OK).await
}

/// The article page with its comment form in `form`'s state; used by GET and by refused POSTs.
pub async fn render_article(
    state: &AppState,
    slug: String,
    own: Vec<CommentId>,
    form: FormState,
    comment_page: Option<u32>,
    status: StatusCode,
) -> Result<HttpResponse, AppError> {
    let personal = !own.is_empty() || !form.author.is_empty() || status != StatusCode::OK;
    let base = state.config.comments.clone();
    let data = state.db(move |c| posts::article(c, &slug, &own, &base)).await?;
    let token = spam::form_token(&state.signer, data.post.id.0);
    let view = ArticleView::new(&state.config, data, form, token, comment_page, Utc::now().naive_utc());
    let mut response = render(&state.tera, "posts/show.html", &view, status)?;
    if personal {
        // Holds the reader's own details or held comments: never for shared caches.
        response
            .headers_mut()
            .insert(header::CACHE_CONTROL, header::HeaderValue::from_static("private, no-store"));
    }
    Ok(response)
}

pub async fn category(
    state: web::Data<AppState>,
    slug: web::Path<String>,
    query: web::Query<PageQuery>,
) -> Result<HttpResponse, AppError> {
    let (page, per_page) = (query.page(), state.config.site.per_page);
    let slug = slug.into_inner();
    let (category, data) = state
        .db(move |c| {
            let category = taxonomy::find_category_by_slug(c, &slug)?.ok_or(AppError::NotFound)?;
            let data = posts::listing_page(c, Listing::Category(category.id), page, per_page)?;
            Ok((category, data))
        })
        .await?;
    let path = format!("/category/{}", category.slug);
    let view = ListingView::new(&state.config, &path, Some(format!("Category: {}", category.name)), &data);
    render(&state.tera, "archive/list.html", &view, StatusCode::OK)
}

pub async fn tag(
    state: web::Data<AppState>,
    slug: web::Path<String>,
    query: web::Query<PageQuery>,
) -> Result<HttpResponse, AppError> {
    let (page, per_page) = (query.page(), state.config.site.per_page);
    let slug = slug.into_inner();
    let (tag, data) = state
        .db(move |c| {
            let tag = taxonomy::find_tag_by_slug(c, &slug)?.ok_or(AppError::NotFound)?;
            let data = posts::listing_page(c, Listing::Tag(tag.id), page, per_page)?;
            Ok((tag, data))
        })
        .await?;
    let path = format!("/tag/{}", tag.slug);
    let view = ListingView::new(&state.config, &path, Some(format!("Tag: {}", tag.name)), &data);
    render(&state.tera, "archive/list.html", &view, StatusCode::OK)
}
