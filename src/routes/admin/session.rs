//! Admin sessions and CSRF. The session itself is a row in the database
//! (`services::sessions`); the encrypted actix-session cookie carries only its random token,
//! plus the login form's CSRF token and one-time notices.

use std::future::Future;
use std::pin::Pin;

use actix_session::{Session, SessionExt};
use actix_web::{dev::Payload, web, FromRequest, HttpRequest};
use chrono::Utc;
use serde::de::DeserializeOwned;

use crate::db::enums::Role;
use crate::db::ids::SessionId;
use crate::db::users::User;
use crate::error::AppError;
use crate::services::auth;
use crate::services::sessions::{self, Resumed};
use crate::state::AppState;

const AUTH_KEY: &str = "session";
const LOGIN_CSRF_KEY: &str = "login_csrf";
const FORM_LIMIT: usize = 256 * 1024;

/// Puts a fresh session's token in a new cookie (the pre-login cookie is discarded).
pub fn start(session: &Session, token: &str) -> Result<(), AppError> {
    session.renew();
    session.remove(LOGIN_CSRF_KEY);
    session.insert(AUTH_KEY, token).map_err(|e| AppError::Internal(format!("session: {e}")))
}

/// Logout: the database row goes, so a copied cookie opens nothing any more.
pub async fn end(state: &AppState, session: &Session) -> Result<(), AppError> {
    if let Ok(Some(token)) = session.get::<String>(AUTH_KEY) {
        state.db.write_private(move |c| sessions::close(c, &token)).await?;
    }
    session.purge();
    Ok(())
}

/// The CSRF token of the login form (before there is a user).
pub fn login_csrf(session: &Session) -> Result<String, AppError> {
    if let Ok(Some(token)) = session.get::<String>(LOGIN_CSRF_KEY) {
        return Ok(token);
    }
    let token = auth::random_token(32);
    session.insert(LOGIN_CSRF_KEY, &token).map_err(|e| AppError::Internal(format!("session: {e}")))?;
    Ok(token)
}

pub fn check_login_csrf(session: &Session, sent: &str) -> bool {
    matches!(session.get::<String>(LOGIN_CSRF_KEY), Ok(Some(token)) if auth::same_token(&token, sent))
}

/// A logged-in admin or moderator, with the session's CSRF token for the page's forms.
#[derive(Debug, Clone)]
pub struct CurrentUser {
    pub user: User,
    pub csrf: String,
    /// This session (the sessions page marks it and never ends it by "end the others").
    pub session_id: SessionId,
}

impl CurrentUser {
    pub fn is_admin(&self) -> bool {
        self.user.role == Role::Admin
    }

    /// For the admin layout.
    pub fn viewer(&self) -> crate::views::admin::Viewer<'_> {
        crate::views::admin::Viewer {
            username: &self.user.username,
            is_admin: self.is_admin(),
            csrf: &self.csrf,
        }
    }

    /// 403 for moderators on admin-only actions.
    pub fn require_admin(&self) -> Result<(), AppError> {
        if self.is_admin() {
            Ok(())
        } else {
            Err(AppError::Forbidden("This page is for admins only.".into()))
        }
    }
}

async fn current_user(req: HttpRequest) -> Result<CurrentUser, AppError> {
    let state = req
        .app_data::<web::Data<AppState>>()
        .cloned()
        .ok_or_else(|| AppError::Internal("no app state".into()))?;
    let session = req.get_session();
    // Where to come back to after logging in: a page being opened (never a form's POST).
    let next = (req.method() == actix_web::http::Method::GET)
        .then(|| req.uri().path_and_query().map(|p| p.as_str().to_string()))
        .flatten()
        .filter(|p| p.starts_with("/admin/") && !p.starts_with("/admin/login"));
    let login_required = move || AppError::LoginRequired { next };
    let Ok(Some(token)) = session.get::<String>(AUTH_KEY) else {
        return Err(login_required());
    };
    let idle = state.config.security.session_idle_minutes;
    let now = Utc::now().naive_utc();
    match state.db.read(move |c| sessions::resume(c, &token, idle, now)).await? {
        Resumed::Active { session: row, user, touch } => {
            if touch {
                let id = row.id;
                state.db.write_private(move |c| Ok(crate::db::sessions::touch(c, id, now)?)).await?;
            }
            Ok(CurrentUser { user: *user, csrf: row.csrf_token, session_id: row.id })
        }
        Resumed::Expired(id) => {
            state.db.write_private(move |c| Ok(crate::db::sessions::delete(c, id)?)).await?;
            session.purge();
            Err(login_required())
        }
        Resumed::Missing => {
            session.purge();
            Err(login_required())
        }
    }
}

impl FromRequest for CurrentUser {
    type Error = AppError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, Self::Error>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        Box::pin(current_user(req.clone()))
    }
}

/// A logged-in admin (moderators get 403).
#[derive(Debug, Clone)]
pub struct AdminUser(pub CurrentUser);

impl FromRequest for AdminUser {
    type Error = AppError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, Self::Error>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move {
            let current = current_user(req).await?;
            current.require_admin()?;
            Ok(AdminUser(current))
        })
    }
}

/// A state-changing admin form: the session's user, and the form `T`, only when the form's
/// `csrf_token` matches the session's (else 403 and nothing changes). Repeated keys (bulk
/// checkboxes) parse into `Vec`s.
pub struct CsrfForm<T> {
    pub current: CurrentUser,
    pub form: T,
}

impl<T: DeserializeOwned + 'static> FromRequest for CsrfForm<T> {
    type Error = AppError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, Self::Error>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let req = req.clone();
        let body = web::Bytes::from_request(&req, payload);
        Box::pin(async move {
            let current = current_user(req).await?;
            let body = body.await.map_err(|_| AppError::Invalid("The form could not be read.".into()))?;
            if body.len() > FORM_LIMIT {
                return Err(AppError::Invalid("The form is too large.".into()));
            }
            // Read once as plain pairs for the checks every admin form gets, then as `T`.
            let pairs: Vec<(String, String)> = serde_html_form::from_bytes(&body).unwrap_or_default();
            let mut sent = pairs.iter().filter(|(name, _)| name == "csrf_token").map(|(_, value)| value);
            let csrf_ok = match (sent.next(), sent.next()) {
                (Some(token), None) => auth::same_token(&current.csrf, token),
                _ => false,
            };
            if !csrf_ok {
                return Err(AppError::forged_form());
            }
            if let Some((field, _)) = pairs.iter().find(|(_, value)| crate::text::has_forbidden(value)) {
                return Err(AppError::Invalid(crate::text::forbidden_message(&format!(
                    "The field “{field}”"
                ))));
            }
            let form = serde_html_form::from_bytes(&body)
                .map_err(|e| AppError::Invalid(format!("The form could not be read: {e}")))?;
            Ok(CsrfForm { current, form })
        })
    }
}

const FLASH_KEY: &str = "flash";

/// A one-time notice shown on the next admin page ("3 comments approved.").
pub fn set_flash(req: &HttpRequest, message: impl Into<String>) {
    let _ = req.get_session().insert(FLASH_KEY, message.into());
}

pub fn take_flash(req: &HttpRequest) -> Option<String> {
    req.get_session().remove_as::<String>(FLASH_KEY).and_then(Result::ok)
}
