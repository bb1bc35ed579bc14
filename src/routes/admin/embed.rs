//! /admin/embed: the sites whose pages show threads from here (config's, and those added
//! here), their threads, and the snippet to paste into a page template.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use serde::{Deserialize, Serialize};

use super::redirect_back;
use super::session::{set_flash, take_flash, AdminUser, CsrfForm};
use crate::config::EmbedSite;
use crate::error::AppError;
use crate::services::embed;
use crate::state::AppState;
use crate::views::admin::AdminLayout;
use crate::views::render;

#[derive(Serialize)]
struct SiteRow {
    name: String,
    origins: Vec<String>,
    keep_query: Vec<String>,
    from_config: bool,
    threads: i64,
    comments: i64,
}

#[derive(Serialize)]
struct EmbedView {
    layout: AdminLayout,
    sites: Vec<SiteRow>,
    base_url: String,
}

pub async fn show(
    state: web::Data<AppState>,
    req: HttpRequest,
    admin: AdminUser,
) -> Result<HttpResponse, AppError> {
    admin.0.require_admin()?;
    let counts = state.db.read(|c| Ok(crate::db::threads::per_site(c)?)).await?;
    let config = &state.config.embed.sites;
    let sites = state
        .navigation
        .embed_sites()
        .0
        .iter()
        .map(|s| {
            let (threads, comments) = counts
                .iter()
                .find(|(name, _, _)| *name == s.name)
                .map(|(_, t, c)| (*t, c.unwrap_or(0)))
                .unwrap_or((0, 0));
            SiteRow {
                name: s.name.clone(),
                origins: s.origins.clone(),
                keep_query: s.keep_query.clone(),
                from_config: config.iter().any(|c| c.name == s.name),
                threads,
                comments,
            }
        })
        .collect();
    let view = EmbedView {
        layout: AdminLayout::new("Embed", admin.0.viewer(), take_flash(&req)),
        sites,
        base_url: state.config.server.base_url.clone(),
    };
    render(&state.tera, "admin/embed.html", &view, StatusCode::OK)
}

#[derive(Deserialize)]
pub struct SiteForm {
    #[serde(default)]
    name: String,
    /// One origin a line.
    #[serde(default)]
    origins: String,
    /// Comma or space separated.
    #[serde(default)]
    keep_query: String,
}

pub async fn save(
    state: web::Data<AppState>,
    req: HttpRequest,
    form: CsrfForm<SiteForm>,
) -> Result<HttpResponse, AppError> {
    let CsrfForm { current, form } = form;
    current.require_admin()?;
    let site = EmbedSite {
        name: form.name,
        origins: form.origins.split_whitespace().map(str::to_string).collect(),
        keep_query: form.keep_query.split([',', ' ', '\n']).map(|k| k.trim().to_string()).collect(),
    };
    let (config, actor, name) =
        (state.config.embed.sites.clone(), current.user.username.clone(), site.name.clone());
    let own = state.config.server.base_url.clone();
    let result = state
        .db
        .write(move |tx| {
            embed::save_site(tx, &config, &own, site)?;
            crate::services::audit::record_admin_action(tx, &actor, "embed site saved", name.trim())
        })
        .await;
    match result {
        Ok(()) => set_flash(&req, "Site saved: its pages can show threads from here now."),
        Err(AppError::Invalid(message)) => set_flash(&req, format!("Not saved: {message}")),
        Err(other) => return Err(other),
    }
    Ok(redirect_back(Some("/admin/embed"), "/admin/embed"))
}

#[derive(Deserialize)]
pub struct Empty {}

pub async fn remove(
    state: web::Data<AppState>,
    req: HttpRequest,
    name: web::Path<String>,
    form: CsrfForm<Empty>,
) -> Result<HttpResponse, AppError> {
    form.current.require_admin()?;
    let (name, actor) = (name.into_inner(), form.current.user.username.clone());
    let removed = state
        .db
        .write(move |tx| {
            let removed = embed::remove_site(tx, &name)?;
            if removed {
                crate::services::audit::record_admin_action(tx, &actor, "embed site removed", &name)?;
            }
            Ok(removed)
        })
        .await?;
    set_flash(
        &req,
        if removed {
            "Site removed: its threads and comments stay, its pages no longer show them."
        } else {
            "That site is not one added here (sites in the config file are changed there)."
        },
    );
    Ok(redirect_back(Some("/admin/embed"), "/admin/embed"))
}
