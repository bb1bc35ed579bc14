//! View structs (what templates see) and the one render function.

pub mod admin;
pub mod api;
pub mod comment;
pub mod forms;
pub mod pages;

use actix_web::http::StatusCode;
use actix_web::HttpResponse;
use chrono::NaiveDateTime;
use serde::Serialize;
use tera::Tera;

use crate::config::Config;
use crate::error::AppError;
use crate::i18n::Locale;

/// Renders `template` with `context` as an HTML response with `status`.
pub fn render(
    tera: &Tera,
    template: &str,
    context: &impl Serialize,
    status: StatusCode,
) -> Result<HttpResponse, AppError> {
    let context = tera::Context::from_serialize(context)?;
    let html = tera.render(template, &context)?;
    Ok(HttpResponse::build(status).content_type("text/html; charset=utf-8").body(html))
}

/// What the base layout needs on every page.
#[derive(Debug, Clone, Serialize)]
pub struct Layout {
    pub base_url: String,
    /// `<title>`; the site title is appended by the layout.
    pub page_title: Option<String>,
    pub description: String,
    /// Absolute canonical URL of this page.
    pub canonical_url: String,
    /// OpenGraph type: `website` or `article`.
    pub og_type: &'static str,
    pub noindex: bool,
    /// Absolute URL of the page's image (`og:image`, a large Twitter card).
    pub og_image: Option<String>,
}

impl Layout {
    pub fn new(config: &Config, path: &str, page_title: Option<String>) -> Layout {
        Layout {
            base_url: config.server.base_url.clone(),
            page_title,
            // Empty: the layout shows the site's description (as the admin set it).
            description: String::new(),
            canonical_url: format!("{}{}", config.server.base_url, path),
            og_type: "website",
            noindex: false,
            og_image: None,
        }
    }
}

/// A date as the page shows it ("November 23, 2026") and as machines read it.
#[derive(Debug, Clone, Serialize)]
pub struct DateView {
    pub display: String,
    pub iso: String,
}

impl DateView {
    /// With the time of day: "December 1, 2026 at 14:05 UTC" (stored times are UTC).
    pub fn with_time(at: NaiveDateTime, locale: &Locale) -> DateView {
        DateView { display: locale.date_time(at), iso: iso(at) }
    }

    /// "November 23, 2026", in the page's language.
    pub fn new(at: NaiveDateTime, locale: &Locale) -> DateView {
        DateView { display: locale.date(at), iso: iso(at) }
    }
}

/// "2026-11-23T14:05:00Z"; by hand: chrono's strftime parses its format string on every call.
pub fn iso(at: NaiveDateTime) -> String {
    use chrono::{Datelike, Timelike};
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
        at.year(),
        at.month(),
        at.day(),
        at.hour(),
        at.minute(),
        at.second()
    )
}
