//! Admin settings: the comment rules, stored in the database and applied at once.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use serde::{Deserialize, Serialize};

use super::session::{set_flash, take_flash, AdminUser, CsrfForm};
use crate::config::{CommentsConfig, ModerationMode};
use crate::error::AppError;
use crate::routes::admin::redirect_back;
use crate::services::settings;
use crate::state::AppState;
use crate::views::admin::AdminLayout;
use crate::views::render;

#[derive(Serialize)]
struct SettingsView {
    layout: AdminLayout,
    s: SettingsForm,
    error: Option<String>,
}

/// The form as typed: lists are one entry per line.
#[derive(Debug, Clone, Serialize, Deserialize, Default)]
pub struct SettingsForm {
    #[serde(default)]
    moderation: String,
    #[serde(default)]
    max_links: String,
    #[serde(default)]
    min_submit_seconds: String,
    #[serde(default)]
    rate_limit_per_minute: String,
    #[serde(default)]
    flood_seconds: String,
    #[serde(default)]
    thread_depth: String,
    #[serde(default)]
    close_after_days: String,
    #[serde(default)]
    per_page: String,
    #[serde(default)]
    purge_after_days: String,
    #[serde(default)]
    edit_minutes: String,
    #[serde(default)]
    moderation_words: String,
    #[serde(default)]
    disallowed_words: String,
    #[serde(default)]
    trusted_emails: String,
    #[serde(default)]
    builtin_disallowed: Option<String>,
}

impl SettingsForm {
    fn from_config(c: &CommentsConfig) -> SettingsForm {
        SettingsForm {
            moderation: serde_json::to_value(c.moderation)
                .ok()
                .and_then(|v| v.as_str().map(String::from))
                .unwrap_or_default(),
            max_links: c.max_links.to_string(),
            min_submit_seconds: c.min_submit_seconds.to_string(),
            rate_limit_per_minute: c.rate_limit_per_minute.to_string(),
            flood_seconds: c.flood_seconds.to_string(),
            thread_depth: c.thread_depth.to_string(),
            close_after_days: c.close_after_days.to_string(),
            per_page: c.per_page.to_string(),
            purge_after_days: c.purge_after_days.to_string(),
            edit_minutes: c.edit_minutes.to_string(),
            moderation_words: c.moderation_words.join("\n"),
            disallowed_words: c.disallowed_words.join("\n"),
            trusted_emails: c.trusted_emails.join("\n"),
            builtin_disallowed: c.builtin_disallowed.then(|| "yes".into()),
        }
    }

    fn to_config(&self) -> Result<CommentsConfig, AppError> {
        fn number(name: &str, value: &str) -> Result<u32, AppError> {
            value.trim().parse().map_err(|_| AppError::Invalid(format!("{name} must be a whole number.")))
        }
        fn lines(value: &str) -> Vec<String> {
            value.lines().map(str::trim).filter(|l| !l.is_empty()).map(String::from).collect()
        }
        let moderation = match self.moderation.as_str() {
            "all" => ModerationMode::All,
            "first_time" => ModerationMode::FirstTime,
            "none" => ModerationMode::None,
            other => return Err(AppError::Invalid(format!("Unknown moderation mode `{other}`."))),
        };
        Ok(CommentsConfig {
            moderation,
            max_links: number("Link limit", &self.max_links)?,
            min_submit_seconds: number("Minimum seconds", &self.min_submit_seconds)?,
            rate_limit_per_minute: number("Rate limit", &self.rate_limit_per_minute)?,
            flood_seconds: number("Flood interval", &self.flood_seconds)?,
            thread_depth: number("Thread depth", &self.thread_depth)?,
            close_after_days: number("Close after days", &self.close_after_days)?,
            per_page: number("Comments per page", &self.per_page)?,
            purge_after_days: number("Purge after days", &self.purge_after_days)?,
            // A form from before this setting (an open tab, a script) keeps the default.
            edit_minutes: match self.edit_minutes.trim() {
                "" => 15,
                minutes => number("Edit window", minutes)?,
            },
            moderation_words: lines(&self.moderation_words),
            disallowed_words: lines(&self.disallowed_words),
            trusted_emails: lines(&self.trusted_emails),
            builtin_disallowed: self.builtin_disallowed.is_some(),
        })
    }
}

pub async fn show(
    state: web::Data<AppState>,
    req: HttpRequest,
    admin: AdminUser,
) -> Result<HttpResponse, AppError> {
    let base = state.config.comments.clone();
    let effective = state.db.read(move |c| settings::effective_comments(c, &base)).await?;
    let view = SettingsView {
        layout: AdminLayout::new("Settings", admin.0.viewer(), take_flash(&req)),
        s: SettingsForm::from_config(&effective),
        error: None,
    };
    render(&state.tera, "admin/settings.html", &view, StatusCode::OK)
}

pub async fn save(
    state: web::Data<AppState>,
    req: HttpRequest,
    form: CsrfForm<SettingsForm>,
) -> Result<HttpResponse, AppError> {
    let CsrfForm { current, form } = form;
    current.require_admin()?;
    let result = match form.to_config() {
        Ok(wanted) => {
            let config = state.config.clone();
            let actor = current.user.username.clone();
            state
                .db
                .write(move |c| {
                    settings::save_comments(c, &config, &wanted)?;
                    crate::services::audit::record_setting_change(c, &actor)
                })
                .await
        }
        Err(e) => Err(e),
    };
    match result {
        Ok(()) => {
            set_flash(&req, "Settings saved; they apply now.");
            Ok(redirect_back(Some("/admin/settings"), "/admin/settings"))
        }
        Err(AppError::Invalid(message)) => {
            let view = SettingsView {
                layout: AdminLayout::new("Settings", current.viewer(), None),
                s: form,
                error: Some(message),
            };
            render(&state.tera, "admin/settings.html", &view, StatusCode::UNPROCESSABLE_ENTITY)
        }
        Err(other) => Err(other),
    }
}
