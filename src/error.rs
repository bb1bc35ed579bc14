//! The one error type, mapped to HTTP once. Users see a friendly message; logs get the detail.

use actix_web::http::{header, StatusCode};
use actix_web::{HttpResponse, ResponseError};

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("not found")]
    NotFound,
    /// A user mistake; the message is written for the user and safe to show.
    #[error("{0}")]
    Invalid(String),
    #[error("forbidden: {0}")]
    Forbidden(String),
    /// No valid session on an admin page: answered with a redirect to the login page, which
    /// brings the user back to `next` (an /admin path they were opening) once logged in.
    #[error("login required")]
    LoginRequired { next: Option<String> },
    /// Well-formed but unacceptable input (API).
    #[error("{0}")]
    Unprocessable(String),
    /// No valid API token.
    #[error("unauthorized")]
    Unauthorized,
    #[error("too many requests: {0}")]
    RateLimited(String),
    /// The request body did not arrive within its deadline.
    #[error("request body too slow")]
    BodyTimeout,
    #[error("database error: {0}")]
    Database(#[from] diesel::result::Error),
    #[error("database pool error: {0}")]
    Pool(#[from] diesel::r2d2::PoolError),
    #[error("template error: {0:?}")]
    Template(#[from] tera::Error),
    #[error("{0}")]
    Internal(String),
}

impl AppError {
    /// A state-changing form whose CSRF token is missing or wrong.
    pub fn forged_form() -> AppError {
        AppError::Forbidden(
            "This form has expired or did not come from this site. Reload the page and try again.".into(),
        )
    }
}

/// The user-facing message of an error response, read by the error page renderer.
#[derive(Debug, Clone)]
pub struct PublicMessage(pub String);

impl AppError {
    /// What the reader is told. Never internals.
    pub fn public_message(&self) -> String {
        match self {
            AppError::NotFound | AppError::Database(diesel::result::Error::NotFound) => {
                "We could not find that page. It may have moved, or never existed.".into()
            }
            AppError::Invalid(message)
            | AppError::Forbidden(message)
            | AppError::RateLimited(message)
            | AppError::Unprocessable(message) => message.clone(),
            AppError::LoginRequired { .. } => "Please log in.".into(),
            AppError::BodyTimeout => {
                "What your browser sent arrived too slowly. Please check your connection and send it again."
                    .into()
            }
            AppError::Unauthorized => "A valid API token is required.".into(),
            AppError::Pool(_) => "The site is busy right now. Please try again in a moment.".into(),
            AppError::Database(_) | AppError::Template(_) | AppError::Internal(_) => {
                "Something went wrong on our side. Nothing you sent was lost; please try again.".into()
            }
        }
    }
}

impl ResponseError for AppError {
    fn status_code(&self) -> StatusCode {
        match self {
            AppError::NotFound | AppError::Database(diesel::result::Error::NotFound) => StatusCode::NOT_FOUND,
            AppError::Invalid(_) => StatusCode::BAD_REQUEST,
            AppError::Unprocessable(_) => StatusCode::UNPROCESSABLE_ENTITY,
            AppError::Forbidden(_) => StatusCode::FORBIDDEN,
            AppError::LoginRequired { .. } => StatusCode::SEE_OTHER,
            AppError::Unauthorized => StatusCode::UNAUTHORIZED,
            AppError::RateLimited(_) => StatusCode::TOO_MANY_REQUESTS,
            AppError::BodyTimeout => StatusCode::REQUEST_TIMEOUT,
            AppError::Pool(_) => StatusCode::SERVICE_UNAVAILABLE,
            AppError::Database(_) | AppError::Template(_) | AppError::Internal(_) => {
                StatusCode::INTERNAL_SERVER_ERROR
            }
        }
    }

    fn error_response(&self) -> HttpResponse {
        let status = self.status_code();
        if status.is_server_error() {
            tracing::error!(error = %self, "request failed");
        }
        if let AppError::LoginRequired { next } = self {
            let location = match next {
                Some(next) => format!(
                    "/admin/login?next={}",
                    form_urlencoded::byte_serialize(next.as_bytes()).collect::<String>()
                ),
                None => "/admin/login".to_string(),
            };
            return HttpResponse::SeeOther().insert_header((header::LOCATION, location)).finish();
        }
        let message = self.public_message();
        let mut response = HttpResponse::build(status);
        response.insert_header((header::CONTENT_TYPE, "text/plain; charset=utf-8"));
        if matches!(self, AppError::RateLimited(_)) {
            response.insert_header((header::RETRY_AFTER, "60"));
        }
        if matches!(self, AppError::BodyTimeout) {
            // The rest of the body may still be on its way: this connection is done.
            response.force_close();
        }
        if matches!(self, AppError::Unauthorized) {
            response.insert_header((header::WWW_AUTHENTICATE, "Bearer"));
        }
        let mut response = response.body(message.clone());
        response.extensions_mut().insert(PublicMessage(message));
        response
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_map_once_and_internals_stay_hidden() {
        let cases = [
            (AppError::NotFound, 404),
            (AppError::Database(diesel::result::Error::NotFound), 404),
            (AppError::Invalid("bad".into()), 400),
            (AppError::Forbidden("no".into()), 403),
            (AppError::RateLimited("slow".into()), 429),
            (AppError::Internal("secret detail".into()), 500),
        ];
        for (error, status) in cases {
            assert_eq!(error.status_code().as_u16(), status, "{error:?}");
            assert!(!error.public_message().contains("secret detail"));
        }
    }
}
