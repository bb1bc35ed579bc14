//! Public pages: index, article, archives.

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use serde::Deserialize;

use crate::db::posts::Listing;
use crate::db::taxonomy;
use crate::error::AppError;
use crate::services::posts;
use crate::state::AppState;
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
    let data = state
        .db(move |c| posts::listing_page(c, Listing::All, page, per_page))
        .await?;
    let view = ListingView::new(&state.config, "/", None, &data);
    render(&state.tera, "posts/index.html", &view, StatusCode::OK)
}

pub async fn article(state: web::Data<AppState>, slug: web::Path<String>) -> Result<HttpResponse, AppError> {
    let slug = slug.into_inner();
    let data = state.db(move |c| posts::article(c, &slug, &[])).await?;
    let view = ArticleView::new(&state.config, data);
    render(&state.tera, "posts/show.html", &view, StatusCode::OK)
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
    let view = ListingView::new(
        &state.config,
        &path,
        Some(format!("Category: {}", category.name)),
        &data,
    );
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
