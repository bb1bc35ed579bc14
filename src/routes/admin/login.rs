//! /admin/login and /admin/logout.

use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use chrono::Utc;
use serde::{Deserialize, Serialize};

use super::session::{self, CsrfForm};
use crate::db;
use crate::error::AppError;
use crate::routes::admin::{is_admin_path, redirect_back};
use crate::services::auth::{self, LoginOutcome};
use crate::services::comments::ClientInfo;
use crate::services::sessions;
use crate::state::AppState;
use crate::views::render;

#[derive(Serialize)]
struct LoginView {
    site_title: String,
    csrf: String,
    username: String,
    error: Option<String>,
    /// The admin page to open after logging in.
    next: Option<String>,
}

fn page(
    state: &AppState,
    session: &Session,
    (username, next): (&str, Option<&str>),
    error: Option<String>,
    status: StatusCode,
) -> Result<HttpResponse, AppError> {
    let view = LoginView {
        site_title: state.navigation.site().title.clone(),
        csrf: session::login_csrf(session)?,
        username: username.to_string(),
        error,
        next: next.filter(|n| is_admin_path(n)).map(str::to_string),
    };
    render(&state.tera, "admin/login.html", &view, status)
}

#[derive(Deserialize)]
pub struct LoginQuery {
    next: Option<String>,
}

pub async fn show(
    state: web::Data<AppState>,
    session: Session,
    query: web::Query<LoginQuery>,
) -> Result<HttpResponse, AppError> {
    page(&state, &session, ("", query.next.as_deref()), None, StatusCode::OK)
}

#[derive(Deserialize)]
pub struct LoginForm {
    #[serde(default)]
    username: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    csrf_token: String,
    #[serde(default)]
    next: Option<String>,
}

pub async fn submit(
    state: web::Data<AppState>,
    session: Session,
    client: ClientInfo,
    form: web::Form<LoginForm>,
) -> Result<HttpResponse, AppError> {
    let form = form.into_inner();
    if !session::check_login_csrf(&session, &form.csrf_token) {
        let error = "The login form expired. Please try again.".to_string();
        return page(
            &state,
            &session,
            (&form.username, form.next.as_deref()),
            Some(error),
            StatusCode::FORBIDDEN,
        );
    }
    if crate::text::has_forbidden(&form.username) {
        let error = crate::text::forbidden_message("The username");
        return page(
            &state,
            &session,
            ("", form.next.as_deref()),
            Some(error),
            StatusCode::UNPROCESSABLE_ENTITY,
        );
    }
    let client_info = client.clone();
    let (username, password, ip) = (form.username.clone(), form.password, client.ip);
    let now = Utc::now().naive_utc();
    let outcome =
        match state.db.write_private(move |c| auth::begin_login(c, &username, ip.as_deref(), now)).await? {
            Err(throttled) => throttled,
            Ok(attempt) => {
                let (attempt, valid) = db::blocking(move || {
                    let valid = auth::verify_attempt(&attempt, &password);
                    Ok((attempt, valid))
                })
                .await?;
                state.db.write_private(move |c| auth::finish_login(c, attempt, valid, now)).await?
            }
        };
    match outcome {
        LoginOutcome::Success(user) => {
            let token = {
                let user = user.clone();
                state
                    .db
                    .write_private(move |c| sessions::open(c, &user, &client_info, Utc::now().naive_utc()))
                    .await?
            };
            session::start(&session, &token)?;
            tracing::info!(user = %user.username, "admin login");
            Ok(redirect_back(form.next.as_deref(), "/admin"))
        }
        LoginOutcome::Invalid => {
            let error = "Wrong username or password.".to_string();
            page(
                &state,
                &session,
                (&form.username, form.next.as_deref()),
                Some(error),
                StatusCode::UNAUTHORIZED,
            )
        }
        LoginOutcome::Throttled { retry_after_seconds } => {
            let minutes = (retry_after_seconds + 59) / 60;
            let error = format!(
                "Too many failed attempts. Please wait {minutes} minute{} and try again.",
                if minutes == 1 { "" } else { "s" }
            );
            let mut response = page(
                &state,
                &session,
                (&form.username, form.next.as_deref()),
                Some(error),
                StatusCode::TOO_MANY_REQUESTS,
            )?;
            if let Ok(value) = retry_after_seconds.to_string().parse() {
                response.headers_mut().insert(actix_web::http::header::RETRY_AFTER, value);
            }
            Ok(response)
        }
    }
}

#[derive(Deserialize)]
pub struct Empty {}

pub async fn logout(
    state: web::Data<AppState>,
    req: HttpRequest,
    form: CsrfForm<Empty>,
) -> Result<HttpResponse, AppError> {
    tracing::info!(user = %form.current.user.username, "admin logout");
    session::end(&state, &actix_session::SessionExt::get_session(&req)).await?;
    Ok(redirect_back(None, "/admin/login"))
}
