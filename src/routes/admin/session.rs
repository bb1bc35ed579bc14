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
            check_pairs(&current, &pairs)?;
            let form = serde_html_form::from_bytes(&body)
                .map_err(|e| AppError::Invalid(format!("The form could not be read: {e}")))?;
            Ok(CsrfForm { current, form })
        })
    }
}

/// The checks every admin form gets: exactly one matching `csrf_token`, no forbidden
/// characters in any field.
fn check_pairs(current: &CurrentUser, pairs: &[(String, String)]) -> Result<(), AppError> {
    let mut sent = pairs.iter().filter(|(name, _)| name == "csrf_token").map(|(_, value)| value);
    let csrf_ok = match (sent.next(), sent.next()) {
        (Some(token), None) => auth::same_token(&current.csrf, token),
        _ => false,
    };
    if !csrf_ok {
        return Err(AppError::forged_form());
    }
    if let Some((field, _)) = pairs.iter().find(|(_, value)| crate::text::has_forbidden(value)) {
        return Err(AppError::Invalid(crate::text::forbidden_message(&format!("The field “{field}”"))));
    }
    Ok(())
}

pub use crate::services::media::Upload as UploadedFile;

/// Files one form may carry: the editor sends two (an image, a featured image), the site page
/// two (logo, favicon); a moderator's only upload is their picture.
const MAX_FILES: usize = 2;
const MAX_FILES_MODERATOR: usize = 1;
/// Parts of any kind (a flood of empty parts is refused early).
const MAX_PARTS: usize = 100;

/// `CsrfForm` that also takes `multipart/form-data` with files (the editor, the media
/// library, the site and profile pages work without JavaScript as plain file fields).
pub struct CsrfUpload<T> {
    pub current: CurrentUser,
    pub form: T,
    pub files: Vec<UploadedFile>,
}

impl<T: DeserializeOwned + 'static> FromRequest for CsrfUpload<T> {
    type Error = AppError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, Self::Error>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let is_multipart = req
            .headers()
            .get(actix_web::http::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.trim_start().to_ascii_lowercase().starts_with("multipart/form-data"));
        if !is_multipart {
            let form = CsrfForm::<T>::from_request(req, payload);
            return Box::pin(async move {
                let CsrfForm { current, form } = form.await?;
                Ok(CsrfUpload { current, form, files: Vec::new() })
            });
        }
        let req = req.clone();
        let multipart = actix_multipart::Multipart::new(req.headers(), payload.take());
        Box::pin(async move {
            let current = current_user(req.clone()).await?;
            let file_limit = req
                .app_data::<web::Data<AppState>>()
                .map_or(10 << 20, |s| s.config.media.max_upload_mb as usize * 1024 * 1024);
            let max_files = if current.is_admin() { MAX_FILES } else { MAX_FILES_MODERATOR };
            let (pairs, files) = read_multipart(multipart, file_limit, max_files).await?;
            check_pairs(&current, &pairs)?;
            let encoded = form_urlencoded::Serializer::new(String::new()).extend_pairs(&pairs).finish();
            let form = serde_html_form::from_str(&encoded)
                .map_err(|e| AppError::Invalid(format!("The form could not be read: {e}")))?;
            Ok(CsrfUpload { current, form, files })
        })
    }
}

async fn read_multipart(
    mut multipart: actix_multipart::Multipart,
    file_limit: usize,
    max_files: usize,
) -> Result<(Vec<(String, String)>, Vec<UploadedFile>), AppError> {
    use futures_util::StreamExt;
    let unreadable = || AppError::Invalid("The form could not be read; please try again.".into());
    let (mut pairs, mut files, mut text_bytes, mut parts) = (Vec::new(), Vec::new(), 0usize, 0usize);
    while let Some(field) = multipart.next().await {
        let mut field = field.map_err(|_| unreadable())?;
        parts += 1;
        if parts > MAX_PARTS {
            return Err(AppError::Invalid("The form has too many fields.".into()));
        }
        let name = field.name().unwrap_or_default().to_string();
        text_bytes += name.len();
        let file_name = field.content_disposition().and_then(|d| d.get_filename()).map(String::from);
        // Counted before its bytes are read: a sixth file is refused, not buffered first.
        if file_name.as_deref().is_some_and(|n| !n.is_empty()) && files.len() == max_files {
            return Err(AppError::Invalid(format!("Send at most {max_files} file(s) at once.")));
        }
        let mut bytes = Vec::new();
        let limit = if file_name.is_some() { file_limit } else { FORM_LIMIT.saturating_sub(text_bytes) };
        while let Some(chunk) = field.next().await {
            let chunk = chunk.map_err(|_| unreadable())?;
            if bytes.len() + chunk.len() > limit {
                return Err(AppError::Invalid(match file_name {
                    Some(_) => format!("The file is larger than {} MB.", file_limit / 1024 / 1024),
                    None => "The form is too large.".into(),
                }));
            }
            bytes.extend_from_slice(&chunk);
        }
        match file_name {
            // A file field left empty arrives as a part with no name and no bytes.
            Some(file_name) if bytes.is_empty() && file_name.is_empty() => {}
            Some(file_name) => files.push(UploadedFile { field: name, file_name, bytes }),
            None => {
                text_bytes += bytes.len();
                pairs.push((name, String::from_utf8(bytes).map_err(|_| unreadable())?));
            }
        }
    }
    Ok((pairs, files))
}

const FLASH_KEY: &str = "flash";

/// A one-time notice shown on the next admin page ("3 comments approved.").
pub fn set_flash(req: &HttpRequest, message: impl Into<String>) {
    let _ = req.get_session().insert(FLASH_KEY, message.into());
}

pub fn take_flash(req: &HttpRequest) -> Option<String> {
    req.get_session().remove_as::<String>(FLASH_KEY).and_then(Result::ok)
}
