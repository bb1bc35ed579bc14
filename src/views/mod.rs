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
    pub fn with_time(at: NaiveDateTime) -> DateView {
        use chrono::Timelike;
        let mut view = DateView::new(at);
        view.display = format!("{} at {:02}:{:02} UTC", view.display, at.hour(), at.minute());
        view
    }

    pub fn new(at: NaiveDateTime) -> DateView {
        use chrono::{Datelike, Timelike};
        const MONTHS: [&str; 12] = [
            "January",
            "February",
            "March",
            "April",
            "May",
            "June",
            "July",
            "August",
            "September",
            "October",
            "November",
            "December",
        ];
        // By hand: chrono's strftime parses its format string on every call.
        let month = MONTHS[at.month0() as usize];
        DateView {
            display: format!("{month} {}, {}", at.day(), at.year()),
            iso: format!(
                "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
                at.year(),
                at.month(),
                at.day(),
                at.hour(),
                at.minute(),
                at.second()
            ),
        }
    }
}
