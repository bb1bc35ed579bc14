//! Admin settings stored in the database, overriding `config/` at once (read per request, so
//! every instance sees a change without restart or cache invalidation).

use diesel::SqliteConnection;
use serde_json::Value;

use crate::config::{CommentsConfig, Config};
use crate::db::settings as store;
use crate::db::Tx;
use crate::error::AppError;

const PREFIX: &str = "comments.";

/// `base` with every stored `comments.*` override applied.
pub fn effective_comments(
    conn: &mut SqliteConnection,
    base: &CommentsConfig,
) -> Result<CommentsConfig, AppError> {
    let rows = store::with_prefix(conn, PREFIX)?;
    if rows.is_empty() {
        return Ok(base.clone());
    }
    let mut merged = serde_json::to_value(base).map_err(|e| AppError::Internal(e.to_string()))?;
    if let Value::Object(map) = &mut merged {
        for (key, value) in rows {
            let field = key.trim_start_matches(PREFIX);
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
    let base = serde_json::to_value(&config.comments).map_err(|e| AppError::Internal(e.to_string()))?;
    let wanted = serde_json::to_value(new).map_err(|e| AppError::Internal(e.to_string()))?;
    let (Value::Object(base), Value::Object(wanted)) = (base, wanted) else {
        return Err(AppError::Internal("settings are not an object".into()));
    };
    for (field, value) in wanted {
        let key = format!("{PREFIX}{field}");
        if base.get(&field) == Some(&value) {
            store::delete(tx, &key)?;
        } else {
            store::set(tx, &key, &value.to_string())?;
        }
    }
    Ok(())
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
