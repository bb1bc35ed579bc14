//! Admins manage accounts.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use serde::{Deserialize, Serialize};

use super::redirect_back;
use super::session::{set_flash, take_flash, AdminUser, CsrfForm};
use crate::db;
use crate::db::enums::Role;
use crate::db::ids::UserId;
use crate::db::users;
use crate::error::AppError;
use crate::services::accounts;
use crate::state::AppState;
use crate::views::admin::AdminLayout;
use crate::views::render;

#[derive(Serialize)]
struct UserRow {
    id: i32,
    username: String,
    email: String,
    role: Role,
    last_login: Option<String>,
}

#[derive(Serialize)]
struct UsersView {
    layout: AdminLayout,
    users: Vec<UserRow>,
}

pub async fn list(
    state: web::Data<AppState>,
    req: HttpRequest,
    admin: AdminUser,
) -> Result<HttpResponse, AppError> {
    let rows = state.db.read(|c| Ok(users::list(c)?)).await?;
    let view = UsersView {
        layout: AdminLayout::new("Users", admin.0.viewer(), take_flash(&req)),
        users: rows
            .into_iter()
            .map(|u| UserRow {
                id: u.id.0,
                username: u.username,
                email: u.email,
                role: u.role,
                last_login: u.last_login_at.map(|t| t.format("%Y-%m-%d %H:%M UTC").to_string()),
            })
            .collect(),
    };
    render(&state.tera, "admin/users.html", &view, StatusCode::OK)
}

#[derive(Deserialize)]
pub struct AddForm {
    #[serde(default)]
    username: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    role: String,
    #[serde(default)]
    password: String,
}

pub async fn add(
    state: web::Data<AppState>,
    req: HttpRequest,
    form: CsrfForm<AddForm>,
) -> Result<HttpResponse, AppError> {
    form.current.require_admin()?;
    let f = form.form;
    let role: Role = f.role.parse().map_err(|_| AppError::Invalid("Choose a role.".into()))?;
    let db = state.db.clone();
    let result =
        db::blocking(move || accounts::add_user(&db, &f.username, &f.email, role, &f.password)).await;
    match result {
        Ok(user) => set_flash(&req, format!("User {} added.", user.username)),
        Err(AppError::Invalid(message)) => set_flash(&req, message),
        Err(other) => return Err(other),
    }
    Ok(redirect_back(Some("/admin/users"), "/admin/users"))
}

#[derive(Deserialize)]
pub struct Empty {}

pub async fn remove(
    state: web::Data<AppState>,
    req: HttpRequest,
    id: web::Path<i32>,
    form: CsrfForm<Empty>,
) -> Result<HttpResponse, AppError> {
    form.current.require_admin()?;
    let id = UserId(id.into_inner());
    match state.db.write(move |c| accounts::remove_user(c, id)).await {
        Ok(user) => set_flash(&req, format!("User {} removed.", user.username)),
        Err(AppError::Invalid(message)) => set_flash(&req, message),
        Err(other) => return Err(other),
    }
    Ok(redirect_back(Some("/admin/users"), "/admin/users"))
}

#[derive(Deserialize)]
pub struct PasswordForm {
    #[serde(default)]
    password: String,
}

pub async fn password(
    state: web::Data<AppState>,
    req: HttpRequest,
    id: web::Path<i32>,
    form: CsrfForm<PasswordForm>,
) -> Result<HttpResponse, AppError> {
    form.current.require_admin()?;
    let id = UserId(id.into_inner());
    let password = form.form.password;
    let db = state.db.clone();
    match db::blocking(move || accounts::set_password(&db, id, &password)).await {
        Ok(()) => set_flash(
            &req,
            "Password changed; every session of that user has ended (yours too, if it was your own).",
        ),
        Err(AppError::Invalid(message)) => set_flash(&req, message),
        Err(other) => return Err(other),
    }
    Ok(redirect_back(Some("/admin/users"), "/admin/users"))
}
