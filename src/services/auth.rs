//! Passwords (argon2id), login with throttling, and random tokens.

use std::sync::OnceLock;

use crate::db::Conn;
use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use chrono::{Duration, NaiveDateTime};
use rand::RngCore;
use sha2::Digest;

use crate::db::users::{self, User};
use crate::db::{throttle, Tx};
use crate::error::AppError;

pub const MIN_PASSWORD_CHARS: usize = 10;
/// Failures allowed per (username, address) before that pair is locked.
pub const FREE_ATTEMPTS: i32 = 5;
/// Failures allowed per address, across usernames (a shared office or NAT has several users).
pub const FREE_ATTEMPTS_PER_ADDRESS: i32 = 20;
/// Failures per username, from any address, before the soft lock: then only addresses with
/// no failures for that user may try (so an attacker cannot lock the owner out).
pub const FREE_ATTEMPTS_PER_USER: i32 = 10;
const FIRST_LOCK_SECONDS: i64 = 30;
const MAX_LOCK_SECONDS: i64 = 3600;
/// One failure is forgotten per this many seconds without new ones.
const DECAY_SECONDS: i64 = 600;

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

/// The throttle keys of one login attempt.
#[derive(Debug, Clone)]
struct ThrottleKeys {
    pair: String,
    address: Option<String>,
    user: String,
}

fn throttle_keys(username: &str, ip: Option<&str>) -> ThrottleKeys {
    let user = normalized_username(username);
    let address = ip.map(throttled_address);
    ThrottleKeys {
        pair: format!("pair:{user}@{}", address.as_deref().unwrap_or("-")),
        address: address.map(|a| format!("ip:{a}")),
        user: format!("user:{user}"),
    }
}

/// The unit a throttle counts: an IPv4 address, or an IPv6 /64 (one subscriber gets a whole
/// /64, and 2^64 fresh addresses must not mean 2^64 fresh sets of guesses).
fn throttled_address(ip: &str) -> String {
    match ip.parse::<std::net::IpAddr>() {
        Ok(std::net::IpAddr::V6(v6)) => {
            let s = v6.segments();
            format!("{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
        }
        _ => ip.to_string(),
    }
}

fn normalized_username(username: &str) -> String {
    username.trim().to_lowercase()
}

/// Lock length after `failures` failures with `free` allowed: 30 s at the first one past
/// `free`, doubling, capped at an hour.
pub fn lock_seconds(failures: i32, free: i32) -> Option<i64> {
    if failures < free {
        return None;
    }
    let doublings = (failures - free).min(20) as u32;
    Some((FIRST_LOCK_SECONDS << doublings).min(MAX_LOCK_SECONDS))
}

/// Failures still counted at `now`: one is forgotten per `DECAY_SECONDS` since the last.
pub fn decayed(failures: i32, updated_at: NaiveDateTime, now: NaiveDateTime) -> i32 {
    let forgotten = ((now - updated_at).num_seconds().max(0) / DECAY_SECONDS).min(i64::from(i32::MAX));
    (failures - forgotten as i32).max(0)
}

/// A counter as it stands at `now`.
#[derive(Debug, Clone, Copy, Default)]
struct Count {
    failures: i32,
    locked_for: Option<i64>,
}

fn count(conn: &mut Conn, key: &str, now: NaiveDateTime) -> Result<Count, AppError> {
    Ok(match throttle::get(conn, key)? {
        Some(row) => Count {
            failures: decayed(row.failures, row.updated_at, now),
            locked_for: row
                .locked_until
                .filter(|until| *until > now)
                .map(|until| (until - now).num_seconds().max(1)),
        },
        None => Count::default(),
    })
}

fn add_failure(
    conn: &mut Conn,
    key: &str,
    current: Count,
    free: i32,
    now: NaiveDateTime,
) -> Result<(), AppError> {
    let failures = current.failures + 1;
    let until = lock_seconds(failures, free).map(|s| now + Duration::seconds(s));
    throttle::set(conn, key, failures, until, now)?;
    Ok(())
}

/// A login attempt that the throttle let through (and already counted as a failure, so
/// parallel attempts cannot all pass the check before any is counted).
#[derive(Debug)]
pub struct LoginAttempt {
    keys: ThrottleKeys,
    user: Option<User>,
}

/// Checks and counts in one write transaction, before any password is hashed.
pub fn begin_login(
    conn: &mut Tx<'_>,
    username: &str,
    ip: Option<&str>,
    now: NaiveDateTime,
) -> Result<Result<LoginAttempt, LoginOutcome>, AppError> {
    let keys = throttle_keys(username, ip);
    {
        let pair = count(conn, &keys.pair, now)?;
        let address = match &keys.address {
            Some(key) => count(conn, key, now)?,
            None => Count::default(),
        };
        let user_count = count(conn, &keys.user, now)?;
        // The soft per-user lock stops only addresses that already failed for this user.
        let user_lock = user_count.locked_for.filter(|_| pair.failures > 0);
        if let Some(wait) = [pair.locked_for, address.locked_for, user_lock].into_iter().flatten().max() {
            return Ok(Err(LoginOutcome::Throttled { retry_after_seconds: wait }));
        }
        add_failure(conn, &keys.pair, pair, FREE_ATTEMPTS, now)?;
        if let Some(key) = &keys.address {
            add_failure(conn, key, address, FREE_ATTEMPTS_PER_ADDRESS, now)?;
        }
        add_failure(conn, &keys.user, user_count, FREE_ATTEMPTS_PER_USER, now)?;
        let user = users::find_by_username(conn, username.trim())?;
        Ok(Ok(LoginAttempt { keys, user }))
    }
}

/// The slow part, outside any transaction or lock: argon2 against the user's hash (or a
/// dummy hash, so an unknown username takes as long).
pub fn verify_attempt(attempt: &LoginAttempt, password: &str) -> bool {
    match &attempt.user {
        Some(user) => verify_password(&user.password_hash, password),
        None => {
            verify_password(dummy_hash(), password);
            false
        }
    }
}

/// Settles a verified attempt: a success takes back the failure counted up front.
pub fn finish_login(
    conn: &mut Tx<'_>,
    attempt: LoginAttempt,
    valid: bool,
    now: NaiveDateTime,
) -> Result<LoginOutcome, AppError> {
    let (true, Some(user)) = (valid, attempt.user) else {
        return Ok(LoginOutcome::Invalid);
    };
    throttle::clear(conn, &attempt.keys.pair)?;
    throttle::clear(conn, &attempt.keys.user)?;
    if let Some(key) = &attempt.keys.address {
        // Take back this attempt's failure only: others from the address meanwhile stay.
        let failures = count(conn, key, now)?.failures - 1;
        if failures <= 0 {
            throttle::clear(conn, key)?;
        } else {
            let until = lock_seconds(failures, FREE_ATTEMPTS_PER_ADDRESS).map(|s| now + Duration::seconds(s));
            throttle::set(conn, key, failures, until, now)?;
        }
    }
    users::touch_login(conn, user.id, now)?;
    Ok(LoginOutcome::Success(Box::new(user)))
}

/// Hourly: counters idle for a day have decayed to zero (6 failures are forgotten an hour).
pub fn purge_throttle(conn: &mut Tx<'_>, now: NaiveDateTime) -> Result<usize, AppError> {
    Ok(throttle::purge_stale(conn, now - Duration::days(1), now)?)
}

/// `marginalia user unlock`: forgets every failure counted against `username`.
pub fn unlock(conn: &mut Tx<'_>, username: &str) -> Result<usize, AppError> {
    let user = normalized_username(username);
    Ok(throttle::clear_user(conn, &format!("user:{user}"), &format!("pair:{user}@"))?)
}

/// The admin session cookie's key, derived from the site secret (64 bytes: signing and
/// encryption).
pub fn session_key(secret: &str) -> actix_web::cookie::Key {
    let digest = sha2::Sha512::digest(format!("marginalia-admin-session\0{secret}").as_bytes());
    actix_web::cookie::Key::from(digest.as_slice())
}

/// `bytes` random bytes, URL-safe base64.
pub fn random_token(bytes: usize) -> String {
    let mut buf = vec![0u8; bytes];
    rand::rngs::OsRng.fill_bytes(&mut buf);
    URL_SAFE_NO_PAD.encode(buf)
}

/// Hex SHA-256, for storing API tokens (high-entropy, so no slow hash is needed).
pub fn token_hash(token: &str) -> String {
    crate::text::sha256_hex(token.as_bytes())
}

/// Constant-time comparison for CSRF tokens.
pub fn same_token(a: &str, b: &str) -> bool {
    use subtle::ConstantTimeEq;
    a.as_bytes().ct_eq(b.as_bytes()).into()
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
        assert_eq!(lock_seconds(4, FREE_ATTEMPTS), None);
        assert_eq!(lock_seconds(5, FREE_ATTEMPTS), Some(30));
        assert_eq!(lock_seconds(6, FREE_ATTEMPTS), Some(60));
        assert_eq!(lock_seconds(50, FREE_ATTEMPTS), Some(3600));
    }

    #[test]
    fn ipv6_addresses_are_throttled_by_their_64() {
        assert_eq!(throttled_address("2001:db8:1:2:aaaa::1"), throttled_address("2001:db8:1:2:bbbb::9"));
        assert_ne!(throttled_address("2001:db8:1:2::1"), throttled_address("2001:db8:1:3::1"));
        assert_eq!(throttled_address("203.0.113.7"), "203.0.113.7");
    }

    #[test]
    fn failures_decay_so_one_an_hour_never_locks() {
        let t0 = chrono::DateTime::from_timestamp(1_800_000_000, 0).expect("time").naive_utc();
        assert_eq!(decayed(5, t0, t0), 5);
        assert_eq!(decayed(5, t0, t0 + Duration::seconds(DECAY_SECONDS - 1)), 5);
        assert_eq!(decayed(5, t0, t0 + Duration::seconds(DECAY_SECONDS)), 4);
        assert_eq!(decayed(5, t0, t0 + Duration::hours(1)), 0);
        // One failure an hour: each finds the count back at zero, so it stays at one.
        assert_eq!(decayed(1, t0, t0 + Duration::hours(1)) + 1, 1);
    }

    #[test]
    fn token_comparison() {
        assert!(same_token("abc", "abc"));
        assert!(!same_token("abc", "abd"));
        assert!(!same_token("abc", "ab"));
    }
}
