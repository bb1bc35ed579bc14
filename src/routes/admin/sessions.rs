//! /admin/sessions: where a user sees where they are logged in and ends other sessions.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use serde::{Deserialize, Serialize};

use super::redirect_back;
use super::session::{set_flash, take_flash, CsrfForm, CurrentUser};
use crate::db::ids::SessionId;
use crate::error::AppError;
use crate::services::sessions;
use crate::state::AppState;
use crate::views::admin::AdminLayout;
use crate::views::render;

#[derive(Serialize)]
struct SessionRow {
    id: i32,
    started: String,
    last_seen: String,
    network: String,
    browser: String,
    current: bool,
}

#[derive(Serialize)]
struct SessionsView {
    layout: AdminLayout,
    sessions: Vec<SessionRow>,
}

const TIME: &str = "%Y-%m-%d %H:%M UTC";

pub async fn list(
    state: web::Data<AppState>,
    req: HttpRequest,
    current: CurrentUser,
) -> Result<HttpResponse, AppError> {
    let user = current.user.id;
    let rows = state.db.read(move |c| Ok(crate::db::sessions::list_for_user(c, user)?)).await?;
    let view = SessionsView {
        layout: AdminLayout::new("Sessions", current.viewer(), take_flash(&req)),
        sessions: rows
            .into_iter()
            .map(|s| SessionRow {
                id: s.id.0,
                started: s.created_at.format(TIME).to_string(),
                last_seen: s.last_seen_at.format(TIME).to_string(),
                network: s.ip_network.unwrap_or_else(|| "unknown".into()),
                browser: s.user_agent.unwrap_or_else(|| "unknown".into()),
                current: s.id == current.session_id,
            })
            .collect(),
    };
    render(&state.tera, "admin/sessions.html", &view, StatusCode::OK)
}

#[derive(Deserialize)]
pub struct Empty {}

pub async fn end_one(
    state: web::Data<AppState>,
    req: HttpRequest,
    id: web::Path<i32>,
    form: CsrfForm<Empty>,
) -> Result<HttpResponse, AppError> {
    let (user, id) = (form.current.user.id, SessionId(id.into_inner()));
    if id == form.current.session_id {
        set_flash(&req, "That is this session: use Log out to end it.");
    } else if state.db.write_private(move |c| sessions::end_own(c, user, id)).await? {
        set_flash(&req, "Session ended.");
    } else {
        set_flash(&req, "That session had already ended.");
    }
    Ok(redirect_back(Some("/admin/sessions"), "/admin/sessions"))
}

pub async fn end_others(
    state: web::Data<AppState>,
    req: HttpRequest,
    form: CsrfForm<Empty>,
) -> Result<HttpResponse, AppError> {
    let (user, keep) = (form.current.user.id, form.current.session_id);
    let ended = state.db.write_private(move |c| sessions::end_others(c, user, keep)).await?;
    set_flash(&req, format!("{ended} other session{} ended.", if ended == 1 { "" } else { "s" }));
    Ok(redirect_back(Some("/admin/sessions"), "/admin/sessions"))
}
