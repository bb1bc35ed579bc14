//! Passwords (argon2id), login with throttling, and random tokens.

use std::sync::OnceLock;

use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use chrono::{Duration, NaiveDateTime};
use diesel::SqliteConnection;
use rand::RngCore;
use sha2::{Digest, Sha256};

use crate::db::throttle;
use crate::db::users::{self, User};
use crate::error::AppError;

pub const MIN_PASSWORD_CHARS: usize = 10;
/// Failures allowed before a key is locked.
pub const FREE_ATTEMPTS: i32 = 5;
const FIRST_LOCK_SECONDS: i64 = 30;
const MAX_LOCK_SECONDS: i64 = 3600;

pub fn check_password_strength(password: &str) -> Result<(), AppError> {
    if password.chars().count() < MIN_PASSWORD_CHARS {
        return Err(AppError::Invalid(format!(
            "The password is too short: use at least {MIN_PASSWORD_CHARS} characters."
        )));
    }
    Ok(())
}

/// argon2id with the crate's default (OWASP) parameters and a random salt.
pub fn hash_password(password: &str) -> Result<String, AppError> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| AppError::Internal(format!("password hashing failed: {e}")))
}

pub fn verify_password(hash: &str, password: &str) -> bool {
    PasswordHash::new(hash)
        .map(|parsed| Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok())
        .unwrap_or(false)
}

/// Verified against when the username does not exist, so both answers take as long.
fn dummy_hash() -> &'static str {
    static HASH: OnceLock<String> = OnceLock::new();
    HASH.get_or_init(|| hash_password(&random_token(16)).unwrap_or_default())
}

#[derive(Debug)]
pub enum LoginOutcome {
    Success(Box<User>),
    /// Same answer for an unknown user and a wrong password.
    Invalid,
    Throttled {
        retry_after_seconds: i64,
    },
}

fn throttle_keys(username: &str, ip: Option<&str>) -> Vec<String> {
    let mut keys = vec![format!("user:{}", username.trim().to_lowercase())];
    if let Some(ip) = ip {
        keys.push(format!("ip:{ip}"));
    }
    keys
}

/// Lock length after `failures` failures: 30 s after the 5th, doubling, capped at an hour.
pub fn lock_seconds(failures: i32) -> Option<i64> {
    if failures < FREE_ATTEMPTS {
        return None;
    }
    let doublings = (failures - FREE_ATTEMPTS).min(20) as u32;
    Some((FIRST_LOCK_SECONDS << doublings).min(MAX_LOCK_SECONDS))
}

pub fn login(
    conn: &mut SqliteConnection,
    username: &str,
    password: &str,
    ip: Option<&str>,
    now: NaiveDateTime,
) -> Result<LoginOutcome, AppError> {
    let keys = throttle_keys(username, ip);
    for key in &keys {
        if let Some((_, Some(until))) = throttle::get(conn, key)? {
            if until > now {
                return Ok(LoginOutcome::Throttled {
                    retry_after_seconds: (until - now).num_seconds().max(1),
                });
            }
        }
    }
    let user = users::find_by_username(conn, username.trim())?;
    let valid = match &user {
        Some(user) => verify_password(&user.password_hash, password),
        None => {
            verify_password(dummy_hash(), password);
            false
        }
    };
    conn.immediate_transaction(|conn| {
        if let (true, Some(user)) = (valid, &user) {
            for key in &keys {
                throttle::clear(conn, key)?;
            }
            users::touch_login(conn, user.id, now)?;
            return Ok(());
        }
        for key in &keys {
            let failures = throttle::get(conn, key)?.map(|(f, _)| f).unwrap_or(0) + 1;
            let until = lock_seconds(failures).map(|s| now + Duration::seconds(s));
            throttle::set(conn, key, failures, until, now)?;
        }
        Ok::<(), AppError>(())
    })?;
    Ok(match (valid, user) {
        (true, Some(user)) => LoginOutcome::Success(Box::new(user)),
        _ => LoginOutcome::Invalid,
    })
}

/// `bytes` random bytes, URL-safe base64.
pub fn random_token(bytes: usize) -> String {
    let mut buf = vec![0u8; bytes];
    rand::rngs::OsRng.fill_bytes(&mut buf);
    URL_SAFE_NO_PAD.encode(buf)
}

/// Hex SHA-256, for storing API tokens (high-entropy, so no slow hash is needed).
pub fn token_hash(token: &str) -> String {
    Sha256::digest(token.as_bytes()).iter().map(|b| format!("{b:02x}")).collect()
}

/// Constant-time comparison for CSRF tokens.
pub fn same_token(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.bytes().zip(b.bytes()).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn argon2id_round_trip() {
        let hash = hash_password("correct horse battery").expect("hash");
        assert!(hash.starts_with("$argon2id$"));
        assert!(verify_password(&hash, "correct horse battery"));
        assert!(!verify_password(&hash, "wrong"));
        assert!(!verify_password("not a hash", "x"));
    }

    #[test]
    fn weak_passwords_are_refused() {
        assert!(check_password_strength("short").is_err());
        assert!(check_password_strength("0123456789").is_ok());
    }

    #[test]
    fn lock_grows_and_caps() {
        assert_eq!(lock_seconds(4), None);
        assert_eq!(lock_seconds(5), Some(30));
        assert_eq!(lock_seconds(6), Some(60));
        assert_eq!(lock_seconds(50), Some(3600));
    }

    #[test]
    fn token_comparison() {
        assert!(same_token("abc", "abc"));
        assert!(!same_token("abc", "abd"));
        assert!(!same_token("abc", "ab"));
    }
}
