//! Admins answer "what do you hold about me?" and "delete it" for a commenter.

use actix_web::http::{header, StatusCode};
use actix_web::{web, HttpRequest, HttpResponse};
use serde::{Deserialize, Serialize};

use super::redirect_back;
use super::session::{set_flash, take_flash, AdminUser, CsrfForm};
use crate::error::AppError;
use crate::services::privacy;
use crate::state::AppState;
use crate::views::admin::AdminLayout;
use crate::views::render;

#[derive(Serialize)]
struct PrivacyAdminView {
    layout: AdminLayout,
    export: Option<privacy::Export>,
    email: String,
}

pub async fn show(
    state: web::Data<AppState>,
    req: HttpRequest,
    admin: AdminUser,
) -> Result<HttpResponse, AppError> {
    let view = PrivacyAdminView {
        layout: AdminLayout::new("Privacy requests", admin.0.viewer(), take_flash(&req)),
        export: None,
        email: String::new(),
    };
    render(&state.tera, "admin/privacy.html", &view, StatusCode::OK)
}

#[derive(Deserialize)]
pub struct ExportForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    format: String,
}

/// JSON download, or the readable HTML version on the page.
pub async fn export(
    state: web::Data<AppState>,
    form: CsrfForm<ExportForm>,
) -> Result<HttpResponse, AppError> {
    form.current.require_admin()?;
    let CsrfForm { current, form } = form;
    let config = state.config.clone();
    let email = form.email.clone();
    let export = state.db.read(move |c| privacy::export(c, &config, &email)).await?;
    if form.format == "json" {
        return Ok(HttpResponse::Ok()
            .insert_header((header::CONTENT_DISPOSITION, "attachment; filename=\"commenter-data.json\""))
            .json(export));
    }
    let view = PrivacyAdminView {
        layout: AdminLayout::new("Privacy requests", current.viewer(), None),
        email: export.email.clone(),
        export: Some(export),
    };
    render(&state.tera, "admin/privacy.html", &view, StatusCode::OK)
}

#[derive(Deserialize)]
pub struct EraseForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    keep_text: Option<String>,
    #[serde(default)]
    confirm: Option<String>,
}

pub async fn erase(
    state: web::Data<AppState>,
    req: HttpRequest,
    form: CsrfForm<EraseForm>,
) -> Result<HttpResponse, AppError> {
    form.current.require_admin()?;
    let CsrfForm { current, form } = form;
    if form.confirm.is_none() {
        set_flash(&req, "Tick the confirmation box to erase.");
        return Ok(redirect_back(Some("/admin/privacy"), "/admin/privacy"));
    }
    let config = state.config.clone();
    let actor = current.user.username.clone();
    let keep = form.keep_text.is_some();
    let email = form.email;
    let erased = state.db.write(move |c| privacy::erase(c, &config, &actor, &email, keep, None)).await?;
    set_flash(
        &req,
        format!(
            "Erased: {} comment(s) anonymized, {} subscription(s) and {} mail(s) deleted.",
            erased.comments, erased.subscriptions, erased.mails
        ),
    );
    Ok(redirect_back(Some("/admin/privacy"), "/admin/privacy"))
}
