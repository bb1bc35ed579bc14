//! /admin/audit: who did what, when, from which status to which.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use serde::{Deserialize, Serialize};

use super::session::{take_flash, AdminUser};
use crate::db::audit;
use crate::error::AppError;
use crate::services::posts::total_pages;
use crate::state::AppState;
use crate::views::admin::AdminLayout;
use crate::views::render;

const PER_PAGE: u32 = 50;

#[derive(Serialize)]
struct EntryView {
    at: String,
    actor: String,
    action: String,
    comment_id: Option<i32>,
    from: Option<String>,
    to: Option<String>,
    detail: String,
}

#[derive(Serialize)]
struct AuditView {
    layout: AdminLayout,
    entries: Vec<EntryView>,
    page: u32,
    total_pages: u32,
}

#[derive(Deserialize)]
pub struct PageQuery {
    page: Option<u32>,
}

pub async fn list(
    state: web::Data<AppState>,
    req: HttpRequest,
    admin: AdminUser,
    query: web::Query<PageQuery>,
) -> Result<HttpResponse, AppError> {
    let requested = query.page.unwrap_or(1);
    let (entries, page, pages) = state
        .db
        .read(move |c| {
            let pages = total_pages(audit::count(c)?, PER_PAGE);
            let page = requested.clamp(1, pages);
            let entries = audit::list(c, i64::from(page - 1) * i64::from(PER_PAGE), i64::from(PER_PAGE))?;
            Ok((entries, page, pages))
        })
        .await?;
    let view = AuditView {
        layout: AdminLayout::new("Audit log", admin.0.viewer(), take_flash(&req)),
        entries: entries
            .into_iter()
            .map(|e| EntryView {
                at: e.created_at.format("%Y-%m-%d %H:%M:%S UTC").to_string(),
                actor: e.actor,
                action: e.action,
                comment_id: e.comment_id.map(|id| id.0),
                from: e.from_status,
                to: e.to_status,
                detail: e.detail,
            })
            .collect(),
        page,
        total_pages: pages,
    };
    render(&state.tera, "admin/audit.html", &view, StatusCode::OK)
}
