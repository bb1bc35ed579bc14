//! Admin settings stored in the database, overriding `config/` at once (read per request, so
//! every instance sees a change without restart or cache invalidation).

use crate::db::Conn;
use serde_json::Value;

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use crate::config::{CommentsConfig, Config};
use crate::db::settings as store;
use crate::db::Tx;
use crate::error::AppError;

const PREFIX: &str = "comments.";
const SITE_PREFIX: &str = "site.";

/// `base` with every stored `comments.*` override applied.
pub fn effective_comments(conn: &mut Conn, base: &CommentsConfig) -> Result<CommentsConfig, AppError> {
    effective(conn, PREFIX, base)
}

/// The site's identity as readers see it: what the admin's Site page set, else `config/`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SiteSettings {
    pub title: String,
    pub tagline: String,
    pub description: String,
    pub language: String,
    pub per_page: u32,
    pub footer: String,
    /// URLs of uploaded images (empty: none; the favicon then is the built-in one).
    #[serde(default)]
    pub logo: String,
    #[serde(default)]
    pub favicon: String,
}

impl SiteSettings {
    pub fn from_config(config: &crate::config::SiteConfig) -> SiteSettings {
        SiteSettings {
            title: config.title.clone(),
            tagline: config.tagline.clone(),
            description: config.description.clone(),
            language: config.language.clone(),
            per_page: config.per_page,
            footer: config.footer.clone(),
            logo: String::new(),
            favicon: String::new(),
        }
    }

    /// The line under the title.
    pub fn tagline_shown(&self) -> &str {
        if self.tagline.trim().is_empty() {
            &self.description
        } else {
            &self.tagline
        }
    }
}

impl Default for SiteSettings {
    fn default() -> Self {
        SiteSettings {
            title: "marginalia".into(),
            tagline: String::new(),
            description: String::new(),
            language: "en".into(),
            per_page: 10,
            footer: String::new(),
            logo: String::new(),
            favicon: String::new(),
        }
    }
}

pub fn effective_site(conn: &mut Conn, base: &SiteSettings) -> Result<SiteSettings, AppError> {
    effective(conn, SITE_PREFIX, base)
}

/// Checks and stores the site's identity (the fields that differ from `base`).
pub fn save_site(tx: &mut Tx<'_>, base: &SiteSettings, new: &SiteSettings) -> Result<(), AppError> {
    check_site(new)?;
    store_differences(tx, SITE_PREFIX, base, new)?;
    tx.changed(crate::db::Change::Everything);
    Ok(())
}

/// The rules of the Site page (checked before anything uploaded with it is stored).
pub fn check_site(new: &SiteSettings) -> Result<(), AppError> {
    let title = new.title.trim();
    if title.is_empty() || title.chars().count() > 120 {
        return Err(AppError::Invalid("The site title must be 1 to 120 characters.".into()));
    }
    if !(1..=100).contains(&new.per_page) {
        return Err(AppError::Invalid("Posts per page must be between 1 and 100.".into()));
    }
    let language = new.language.trim();
    let tag_ok = !language.is_empty()
        && language.len() <= 35
        && language
            .split('-')
            .all(|part| !part.is_empty() && part.chars().all(|c| c.is_ascii_alphanumeric()));
    if !tag_ok {
        return Err(AppError::Invalid("The language must be a code like en, de or pt-BR.".into()));
    }
    for (name, value, limit) in
        [("tagline", &new.tagline, 200), ("description", &new.description, 300), ("footer", &new.footer, 300)]
    {
        if value.chars().count() > limit {
            return Err(AppError::Invalid(format!("The {name} can be at most {limit} characters.")));
        }
    }
    Ok(())
}

/// Stores the fields of `new` that differ from `base` under `prefix`; drops the others.
fn store_differences<T: Serialize>(tx: &mut Tx<'_>, prefix: &str, base: &T, new: &T) -> Result<(), AppError> {
    let base = serde_json::to_value(base).map_err(|e| AppError::Internal(e.to_string()))?;
    let wanted = serde_json::to_value(new).map_err(|e| AppError::Internal(e.to_string()))?;
    let (Value::Object(base), Value::Object(wanted)) = (base, wanted) else {
        return Err(AppError::Internal("settings are not an object".into()));
    };
    for (field, value) in wanted {
        let key = format!("{prefix}{field}");
        if base.get(&field) == Some(&value) {
            store::delete(tx, &key)?;
        } else {
            store::set(tx, &key, &value.to_string())?;
        }
    }
    Ok(())
}

/// `base` with every stored `{prefix}*` override applied; a stored value that no longer fits
/// is ignored (the site keeps serving).
fn effective<T: Serialize + DeserializeOwned + Clone>(
    conn: &mut Conn,
    prefix: &str,
    base: &T,
) -> Result<T, AppError> {
    let rows = store::with_prefix(conn, prefix)?;
    if rows.is_empty() {
        return Ok(base.clone());
    }
    let mut merged = serde_json::to_value(base).map_err(|e| AppError::Internal(e.to_string()))?;
    if let Value::Object(map) = &mut merged {
        for (key, value) in rows {
            let field = key.trim_start_matches(prefix);
            if !map.contains_key(field) {
                continue; // a setting from an older version: ignore, keep serving
            }
            match serde_json::from_str(&value) {
                Ok(parsed) => {
                    map.insert(field.to_string(), parsed);
                }
                Err(e) => tracing::warn!(%key, error = %e, "ignoring unreadable setting"),
            }
        }
    }
    Ok(serde_json::from_value(merged).unwrap_or_else(|e| {
        tracing::warn!(error = %e, "stored settings do not fit; using config");
        base.clone()
    }))
}

/// Validates `new` (the same rules as start-up) and stores the fields that differ from config.
pub fn save_comments(tx: &mut Tx<'_>, config: &Config, new: &CommentsConfig) -> Result<(), AppError> {
    let mut candidate = config.clone();
    candidate.comments = new.clone();
    candidate.validate().map_err(|e| AppError::Invalid(e.to_string()))?;
    store_differences(tx, PREFIX, &config.comments, new)
}

#[derive(Debug, Clone, Copy)]
pub enum ListName {
    Disallowed,
    Trusted,
}

/// Adds `item` to one of the word/email lists (no duplicates), keeping the other settings.
pub fn add_to_list(conn: &mut Tx<'_>, config: &Config, list: ListName, item: &str) -> Result<(), AppError> {
    let item = item.trim().to_lowercase();
    if item.is_empty() {
        return Ok(());
    }
    let mut current = effective_comments(conn, &config.comments)?;
    let target = match list {
        ListName::Disallowed => &mut current.disallowed_words,
        ListName::Trusted => &mut current.trusted_emails,
    };
    if !target.iter().any(|existing| existing.eq_ignore_ascii_case(&item)) {
        target.push(item);
    }
    save_comments(conn, config, &current)
}
