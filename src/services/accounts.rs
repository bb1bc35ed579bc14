//! Users and API tokens: the rules shared by the CLI and the web admin.

use crate::db::Conn;
use chrono::Utc;

use crate::db::enums::Role;
use crate::db::ids::{TokenId, UserId};
use crate::db::tokens;
use crate::db::users::{self, NewUser, User};
use crate::db::{Db, Tx};
use crate::error::AppError;
use crate::services::auth;
use crate::services::comment_form::validate_email;

/// Adds an account. The password is hashed (slow, on purpose) before the write turn.
pub fn add_user(db: &Db, username: &str, email: &str, role: Role, password: &str) -> Result<User, AppError> {
    let username = username.trim();
    let valid_name = !username.is_empty()
        && username.len() <= 60
        && username.chars().all(|c| c.is_ascii_alphanumeric() || "._-".contains(c));
    if !valid_name {
        return Err(AppError::Invalid(
            "A username is 1 to 60 letters, digits, dots, hyphens or underscores.".into(),
        ));
    }
    let email = email.trim().to_lowercase();
    validate_email(&email)
        .map_err(|_| AppError::Invalid(format!("`{email}` is not a valid email address.")))?;
    auth::check_password_strength(password)?;
    let hash = auth::hash_password(password)?;
    db.write_private_now(|tx| {
        if users::find_by_username(tx, username)?.is_some() {
            return Err(AppError::Invalid(format!("A user named `{username}` already exists.")));
        }
        let now = Utc::now().naive_utc();
        Ok(users::insert(
            tx,
            &NewUser { username, email: &email, role, password_hash: &hash, created_at: now },
        )?)
    })
}

pub fn find_user(conn: &mut Conn, username: &str) -> Result<User, AppError> {
    users::find_by_username(conn, username.trim())?
        .ok_or_else(|| AppError::Invalid(format!("There is no user named `{}`.", username.trim())))
}

/// A new password; every session of the user ends and their mailed links die with it.
pub fn set_password(db: &Db, id: UserId, password: &str) -> Result<(), AppError> {
    auth::check_password_strength(password)?;
    let hash = auth::hash_password(password)?;
    db.write_private_now(|tx| {
        crate::db::sessions::delete_all_for_user(tx, id, None)?;
        users::set_password(tx, id, &hash)?;
        Ok(())
    })
}

/// Removes a user; the last admin stays (someone must be able to run the site).
pub fn remove_user(tx: &mut Tx<'_>, id: UserId) -> Result<User, AppError> {
    let user = users::find(tx, id)?.ok_or(AppError::NotFound)?;
    if user.role == Role::Admin && users::count_admins(tx)? <= 1 {
        return Err(AppError::Invalid("The last admin cannot be removed.".into()));
    }
    users::delete(tx, id)?;
    Ok(user)
}

/// A new API token for `username`; the token is returned once and only its hash is kept.
pub fn create_token(conn: &mut Tx<'_>, username: &str, label: &str) -> Result<String, AppError> {
    let user = find_user(conn, username)?;
    let token = format!("mgl_{}", auth::random_token(32));
    let label = if label.trim().is_empty() { "api" } else { label.trim() };
    tokens::insert(conn, user.id, label, &auth::token_hash(&token), Utc::now().naive_utc())?;
    Ok(token)
}

pub fn revoke_token(conn: &mut Tx<'_>, id: TokenId) -> Result<(), AppError> {
    if tokens::revoke(conn, id, Utc::now().naive_utc())? == 0 {
        return Err(AppError::Invalid(format!("There is no active token with id {id}.")));
    }
    Ok(())
}

/// The user behind a bearer token, if it is valid and not revoked.
pub fn authenticate_token(conn: &mut Tx<'_>, token: &str) -> Result<Option<User>, AppError> {
    let Some((id, user)) = tokens::find_active_user(conn, &auth::token_hash(token.trim()))? else {
        return Ok(None);
    };
    tokens::touch(conn, id, Utc::now().naive_utc())?;
    Ok(Some(user))
}

/// What a user shows readers: the name on bylines and moderator replies, the author page's
/// address and bio, an avatar.
#[derive(Debug, Clone)]
pub struct Profile {
    pub display_name: String,
    pub slug: String,
    pub bio: String,
    pub avatar: Option<crate::db::ids::MediaId>,
}

/// Checks and stores `profile` (bylines on every page change: the write declares nothing
/// narrower, so cached pages go).
pub fn save_profile(tx: &mut Tx<'_>, id: UserId, profile: &Profile) -> Result<(), AppError> {
    let user = users::find(tx, id)?.ok_or(AppError::NotFound)?;
    let name = profile.display_name.trim();
    if name.chars().count() > 80 || crate::text::has_forbidden(name) {
        return Err(AppError::Invalid("The display name can be at most 80 characters.".into()));
    }
    let slug = match profile.slug.trim() {
        // Never made from the login name (it would publish it).
        "" if name.is_empty() => format!("author-{}", user.id),
        "" => crate::services::slug::slugify(name),
        given => given.to_string(),
    };
    if !crate::services::slug::is_valid(&slug) {
        return Err(AppError::Invalid(
            "The author page address must be lowercase letters, digits and single hyphens.".into(),
        ));
    }
    if users::slug_taken(tx, &slug, id)? {
        return Err(AppError::Invalid(format!("Another account already has /author/{slug}.")));
    }
    if profile.bio.chars().count() > 2000 {
        return Err(AppError::Invalid("The bio can be at most 2,000 characters.".into()));
    }
    users::set_profile(tx, id, name, &slug, profile.bio.trim(), profile.avatar)?;
    Ok(())
}
