//! Readers' privacy pages: what is stored (`/privacy`), and self-service through a mailed,
//! single-use link: see, download and delete one's comments, stop all mail.

use actix_web::cookie::{time::Duration as CookieDuration, Cookie, SameSite};
use actix_web::http::{header, StatusCode};
use actix_web::{web, HttpRequest, HttpResponse};
use chrono::Utc;
use serde::{Deserialize, Serialize};

use crate::db::ids::CommentId;
use crate::error::AppError;
use crate::i18n::Text;
use crate::services::comments::ClientInfo;
use crate::services::privacy::{self, ManageLinkError};
use crate::services::{notify, settings};
use crate::state::AppState;
use crate::views::pages::OwnDataView;
use crate::views::{render, Layout};

const SESSION_COOKIE: &str = "marginalia_privacy";
/// Self-service requests allowed per IP and per address per hour.
const REQUESTS_PER_HOUR: u32 = 5;

#[derive(Serialize)]
struct PolicyView {
    layout: Layout,
    ip_retention_days: u32,
    store_ip: bool,
    purge_after_days: u32,
    remember_days: u32,
}

pub async fn policy(state: web::Data<AppState>) -> Result<HttpResponse, AppError> {
    let base = state.config.comments.clone();
    let comments = state.db.read(move |c| settings::effective_comments(c, &base)).await?;
    let view = PolicyView {
        layout: Layout::new(&state.config, "/privacy", Some(state.locale().get_text("privacy-title"))),
        ip_retention_days: state.config.privacy.ip_retention_days,
        store_ip: state.config.privacy.store_ip,
        purge_after_days: comments.purge_after_days,
        remember_days: 365,
    };
    render(&state.tera, "privacy/policy.html", &view, StatusCode::OK)
}

#[derive(Serialize)]
struct RequestView {
    layout: Layout,
    sent: bool,
    email: String,
    error: Option<Text>,
    /// A mailed link that no longer works: "You can ask for a new one below."
    ask_again: bool,
}

fn request_page(state: &AppState, view: RequestView, status: StatusCode) -> Result<HttpResponse, AppError> {
    render(&state.tera, "privacy/request.html", &view, status)
}

pub async fn request_form(state: web::Data<AppState>) -> Result<HttpResponse, AppError> {
    request_page(
        &state,
        RequestView {
            layout: manage_layout(&state),
            sent: false,
            email: String::new(),
            error: None,
            ask_again: false,
        },
        StatusCode::OK,
    )
}

#[derive(Deserialize)]
pub struct RequestForm {
    #[serde(default)]
    email: String,
}

/// Always the same answer, whether or not the address commented; rate limited per IP and
/// per address.
pub async fn request_link(
    state: web::Data<AppState>,
    client: ClientInfo,
    form: web::Form<RequestForm>,
) -> Result<HttpResponse, AppError> {
    let email = privacy::normalize(&form.email);
    let layout = manage_layout(&state);
    if crate::services::comment_form::validate_email(&email).is_err() {
        let error = Some(Text::new("manage-invalid-email"));
        return request_page(
            &state,
            RequestView { layout, sent: false, email: form.email.clone(), error, ask_again: false },
            StatusCode::UNPROCESSABLE_ENTITY,
        );
    }
    let ip_key = format!("ip:{}", client.ip.unwrap_or_default());
    if !state.privacy_limiter.allow(&ip_key, REQUESTS_PER_HOUR)
        || !state.privacy_limiter.allow(&format!("to:{email}"), REQUESTS_PER_HOUR)
    {
        let error = Some(Text::new("manage-rate-limited"));
        let mut response = request_page(
            &state,
            RequestView { layout, sent: false, email, error, ask_again: false },
            StatusCode::TOO_MANY_REQUESTS,
        )?;
        response.headers_mut().insert(header::RETRY_AFTER, header::HeaderValue::from_static("3600"));
        return Ok(response);
    }
    let notifier = state.notifier.clone();
    let address = email.clone();
    state
        .db
        .write_private(move |c| {
            if privacy::has_comments(c, &address)? {
                notify::privacy_link(&notifier, c, &address)?;
            }
            Ok(())
        })
        .await?;
    request_page(
        &state,
        RequestView { layout, sent: true, email, error: None, ask_again: false },
        StatusCode::OK,
    )
}

fn manage_layout(state: &AppState) -> Layout {
    Layout::new(&state.config, "/privacy/manage", Some(state.locale().get_text("manage-title")))
}

fn link_error_page(state: &AppState, error: ManageLinkError) -> Result<HttpResponse, AppError> {
    let (status, message) = match error {
        ManageLinkError::Invalid => (StatusCode::BAD_REQUEST, "manage-link-invalid"),
        ManageLinkError::Expired => (StatusCode::GONE, "manage-link-expired"),
        ManageLinkError::Used => (StatusCode::CONFLICT, "manage-link-used"),
    };
    let view = RequestView {
        layout: manage_layout(state),
        sent: false,
        email: String::new(),
        error: Some(Text::new(message)),
        ask_again: true,
    };
    request_page(state, view, status)
}

/// GET on the mailed link: asks (mail scanners prefetch links; only the button uses it up).
pub async fn confirm_link(
    state: web::Data<AppState>,
    token: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let signer = state.signer.clone();
    let token = token.into_inner();
    let result = state
        .db
        .read(move |c| privacy::check_manage_link(c, &signer, &token, Utc::now().naive_utc()))
        .await?;
    if let Err(error) = result {
        return link_error_page(&state, error);
    }
    let locale = state.locale();
    let minutes = privacy::SESSION_MINUTES;
    super::links::page(
        &state,
        StatusCode::OK,
        &locale.get_text("manage-open-heading"),
        locale.text(&Text::new("manage-open-intro").number("minutes", minutes)),
        Some(locale.get_text("manage-open-button")),
        None,
    )
}

/// The confirmation's button: uses up the mailed link and opens a short session (a signed,
/// Strict cookie).
pub async fn follow_link(
    state: web::Data<AppState>,
    token: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let signer = state.signer.clone();
    let token = token.into_inner();
    let result = state
        .db
        .write_private(move |c| privacy::use_manage_link(c, &signer, &token, Utc::now().naive_utc()))
        .await?;
    let email = match result {
        Ok(email) => email,
        Err(error) => return link_error_page(&state, error),
    };
    let value = privacy::session_token(&state.signer, &email, Utc::now().naive_utc());
    let cookie = Cookie::build(SESSION_COOKIE, value)
        .path("/privacy")
        .http_only(true)
        .same_site(SameSite::Strict)
        .secure(state.config.is_https())
        .max_age(CookieDuration::minutes(privacy::SESSION_MINUTES))
        .finish();
    Ok(HttpResponse::SeeOther().cookie(cookie).insert_header((header::LOCATION, "/privacy/me")).finish())
}

fn session(state: &AppState, req: &HttpRequest) -> Result<String, AppError> {
    req.cookie(SESSION_COOKIE)
        .and_then(|c| privacy::session_email(&state.signer, c.value(), Utc::now().naive_utc()))
        .ok_or_else(|| {
            AppError::Forbidden("This page needs a fresh link: ask for one at /privacy/manage.".into())
        })
}

#[derive(Serialize)]
struct MeView {
    layout: Layout,
    data: OwnDataView,
    notice: Option<Text>,
}

pub async fn me(
    state: web::Data<AppState>,
    req: HttpRequest,
    query: web::Query<NoticeQuery>,
) -> Result<HttpResponse, AppError> {
    let email = session(&state, &req)?;
    let config = state.config.clone();
    let export = state.db.read(move |c| privacy::export(c, &config, &email)).await?;
    let mut layout = Layout::new(&state.config, "/privacy/me", Some(state.locale().get_text("own-title")));
    layout.noindex = true;
    // A fixed set: anything else in the address is ignored, never shown back.
    let notice = query.done.as_deref().and_then(|d| match d {
        "deleted" => Some(Text::new("own-deleted")),
        "stopped" => Some(Text::new("own-stopped")),
        _ => None,
    });
    let data = OwnDataView::new(export, state.locale());
    let mut response =
        render(&state.tera, "privacy/me.html", &MeView { layout, data, notice }, StatusCode::OK)?;
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, header::HeaderValue::from_static("private, no-store"));
    Ok(response)
}

#[derive(Deserialize)]
pub struct NoticeQuery {
    done: Option<String>,
}

pub async fn download(state: web::Data<AppState>, req: HttpRequest) -> Result<HttpResponse, AppError> {
    let email = session(&state, &req)?;
    let config = state.config.clone();
    let export = state.db.read(move |c| privacy::export(c, &config, &email)).await?;
    Ok(HttpResponse::Ok()
        .insert_header((header::CONTENT_DISPOSITION, "attachment; filename=\"my-comments.json\""))
        .insert_header((header::CACHE_CONTROL, "private, no-store"))
        .json(export))
}

#[derive(Deserialize)]
pub struct DeleteForm {
    #[serde(default)]
    comment: Option<i32>,
}

/// Deletes one comment (by id, if it is this address's) or all of them: anonymized, so
/// replies keep their place.
pub async fn delete(
    state: web::Data<AppState>,
    req: HttpRequest,
    form: web::Form<DeleteForm>,
) -> Result<HttpResponse, AppError> {
    let email = session(&state, &req)?;
    let config = state.config.clone();
    let only = form.comment.map(CommentId);
    state.db.write(move |c| privacy::erase(c, &config, "reader (self-service)", &email, false, only)).await?;
    Ok(HttpResponse::SeeOther().insert_header((header::LOCATION, "/privacy/me?done=deleted")).finish())
}

pub async fn stop_mail(state: web::Data<AppState>, req: HttpRequest) -> Result<HttpResponse, AppError> {
    let email = session(&state, &req)?;
    state.db.write_private(move |c| privacy::stop_all_mail(c, &email)).await?;
    Ok(HttpResponse::SeeOther().insert_header((header::LOCATION, "/privacy/me?done=stopped")).finish())
}
