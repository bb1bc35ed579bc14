//! The demo articles shipped in `content/demo/`, compiled in so `serve --demo` works anywhere.

use rust_embed::RustEmbed;

use crate::db::Db;
use crate::error::AppError;
use crate::services::articles::{self, ImportOutcome};

#[derive(RustEmbed)]
#[folder = "content/demo/"]
#[include = "*.md"]
struct DemoContent;

/// Creates an `admin` account with a random password when the site has no users yet, so a
/// newcomer can try the moderation side; returns the password to print once.
pub fn ensure_admin(db: &Db) -> Result<Option<String>, AppError> {
    if !db.read_now(|c| Ok(crate::db::users::list(c)?))?.is_empty() {
        return Ok(None);
    }
    let password = crate::services::auth::random_token(12);
    crate::services::accounts::add_user(
        db,
        "admin",
        "admin@example.org",
        crate::db::enums::Role::Admin,
        &password,
    )?;
    Ok(Some(password))
}

/// Imports (or refreshes) every demo article; returns (file, outcome) pairs.
pub fn load(db: &Db) -> Result<Vec<(String, ImportOutcome)>, AppError> {
    let mut names: Vec<String> = DemoContent::iter().map(|n| n.to_string()).collect();
    names.sort();
    let mut outcomes = Vec::with_capacity(names.len());
    for name in names {
        let file =
            DemoContent::get(&name).ok_or_else(|| AppError::Internal(format!("demo {name} vanished")))?;
        let text = String::from_utf8_lossy(&file.data);
        let article = articles::parse_article(&format!("content/demo/{name}"), &text)?;
        outcomes.push((name, db.write_now(|tx| articles::import_article(tx, &article))?));
    }
    Ok(outcomes)
}
