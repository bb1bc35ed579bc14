//! The Site page: the blog's title, tagline, description, language, logo, favicon, posts per
//! page and footer, stored in the database and applied at once.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use serde::{Deserialize, Serialize};

use super::session::{set_flash, take_flash, AdminUser, CsrfUpload};
use crate::error::AppError;
use crate::services::media;
use crate::services::settings::{self, SiteSettings};
use crate::state::AppState;
use crate::views::admin::AdminLayout;
use crate::views::render;

#[derive(Serialize)]
struct SiteView {
    layout: AdminLayout,
    s: SiteSettings,
    error: Option<String>,
}

#[derive(Debug, Deserialize)]
pub struct SiteForm {
    #[serde(default)]
    title: String,
    #[serde(default)]
    tagline: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    language: String,
    #[serde(default)]
    per_page: String,
    #[serde(default)]
    footer: String,
    #[serde(default)]
    remove_logo: Option<String>,
    #[serde(default)]
    remove_favicon: Option<String>,
}

pub async fn show(
    state: web::Data<AppState>,
    req: HttpRequest,
    admin: AdminUser,
) -> Result<HttpResponse, AppError> {
    admin.0.require_admin()?;
    let view = SiteView {
        layout: AdminLayout::new("Site", admin.0.viewer(), take_flash(&req)),
        s: (*state.navigation.site()).clone(),
        error: None,
    };
    render(&state.tera, "admin/site.html", &view, StatusCode::OK)
}

pub async fn save(
    state: web::Data<AppState>,
    req: HttpRequest,
    form: CsrfUpload<SiteForm>,
) -> Result<HttpResponse, AppError> {
    let CsrfUpload { current, form, files } = form;
    current.require_admin()?;
    let current_site = state.navigation.site();
    let mut wanted = SiteSettings {
        title: form.title.trim().to_string(),
        tagline: form.tagline.trim().to_string(),
        description: form.description.trim().to_string(),
        language: form.language.trim().to_string(),
        per_page: form.per_page.trim().parse().unwrap_or(0),
        footer: form.footer.trim().to_string(),
        logo: if form.remove_logo.is_some() { String::new() } else { current_site.logo.clone() },
        favicon: if form.remove_favicon.is_some() { String::new() } else { current_site.favicon.clone() },
    };
    // Checked first: nothing uploaded with a form that is refused stays behind.
    let result = match settings::check_site(&wanted) {
        Ok(()) => {
            media::store_uploads(
                &state.db,
                &state.config,
                files,
                &["logo", "favicon"],
                "",
                Some(current.user.id),
            )
            .await
        }
        Err(e) => Err(e),
    };
    let result = match result {
        Ok(stored) => {
            for (field, row) in stored {
                let url = media::url_for_width(&row, 480);
                if field == "logo" {
                    wanted.logo = url;
                } else {
                    wanted.favicon = url;
                }
            }
            let (base, new, actor) =
                (state.navigation.base_site().clone(), wanted.clone(), current.user.username.clone());
            state
                .db
                .write(move |tx| {
                    settings::save_site(tx, &base, &new)?;
                    crate::services::audit::record_admin_action(
                        tx,
                        &actor,
                        "settings",
                        "site settings changed",
                    )
                })
                .await
        }
        Err(e) => Err(e),
    };
    match result {
        Ok(()) => {
            set_flash(&req, "Site settings saved; every page shows them now.");
            Ok(super::redirect_back(Some("/admin/site"), "/admin/site"))
        }
        Err(AppError::Invalid(message)) => {
            let view = SiteView {
                layout: AdminLayout::new("Site", current.viewer(), None),
                s: wanted,
                error: Some(message),
            };
            render(&state.tera, "admin/site.html", &view, StatusCode::UNPROCESSABLE_ENTITY)
        }
        Err(other) => Err(other),
    }
}
