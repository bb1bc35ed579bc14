//! Cookies a reader's browser keeps: which held comments are theirs (signed, so nobody can
//! claim another's), and the opt-in "remember me" values that prefill the form.

use actix_web::cookie::{time::Duration as CookieDuration, Cookie, SameSite};
use actix_web::HttpRequest;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;

use crate::db::ids::CommentId;
use crate::services::signing::Signer;
pub use crate::views::forms::Remembered;

pub const OWN_COOKIE: &str = "marginalia_own";
pub const REMEMBER_COOKIE: &str = "marginalia_commenter";
/// When this browser was shown an article's form (the bot-timing check), one per article.
pub const SEEN_COOKIE: &str = "marginalia_seen";
const OWN_PURPOSE: &str = "own-comments";
/// Comments this browser wrote that it may still change: `id:unix-seconds` pairs, signed.
pub const EDIT_COOKIE: &str = "marginalia_edit";
const EDIT_PURPOSE: &str = "editable-comments";
const EDIT_MAX: usize = 20;
const OWN_MAX: usize = 50;

/// Ids of held comments this browser wrote; empty when absent or tampered with.
pub fn own_comment_ids(req: &HttpRequest, signer: &Signer) -> Vec<CommentId> {
    req.cookie(OWN_COOKIE).map(|c| own_ids_in(signer, c.value())).unwrap_or_default()
}

/// The ids a signed own-comments value (the cookie's, or the token an embed keeps) names.
pub fn own_ids_in(signer: &Signer, value: &str) -> Vec<CommentId> {
    let Some(payload) = signer.verify(OWN_PURPOSE, value) else {
        return Vec::new();
    };
    payload.split('.').filter_map(|id| id.parse::<i32>().ok()).map(CommentId).collect()
}

/// The signed own-comments value after adding `id` (keeps the newest OWN_MAX).
pub fn own_token(signer: &Signer, mut ids: Vec<CommentId>, id: CommentId) -> String {
    ids.retain(|existing| *existing != id);
    ids.push(id);
    let skip = ids.len().saturating_sub(OWN_MAX);
    let payload: Vec<String> = ids.iter().skip(skip).map(|i| i.0.to_string()).collect();
    signer.sign(OWN_PURPOSE, &payload.join("."))
}

fn base_cookie(name: &'static str, value: String, secure: bool, max_age_days: i64) -> Cookie<'static> {
    Cookie::build(name, value)
        .path("/")
        .http_only(true)
        .same_site(SameSite::Lax)
        .secure(secure)
        .max_age(CookieDuration::days(max_age_days))
        .finish()
}

/// The cookie after adding `id` (keeps the newest OWN_MAX).
pub fn own_cookie(signer: &Signer, ids: Vec<CommentId>, id: CommentId, secure: bool) -> Cookie<'static> {
    base_cookie(OWN_COOKIE, own_token(signer, ids, id), secure, 30)
}

pub fn remembered(req: &HttpRequest) -> Option<Remembered> {
    let cookie = req.cookie(REMEMBER_COOKIE)?;
    let bytes = URL_SAFE_NO_PAD.decode(cookie.value()).ok()?;
    serde_json::from_slice(&bytes).ok()
}

pub fn remember_cookie(values: &Remembered, secure: bool) -> Cookie<'static> {
    let json = serde_json::to_vec(values).unwrap_or_default();
    base_cookie(REMEMBER_COOKIE, URL_SAFE_NO_PAD.encode(json), secure, 365)
}

/// Unchecking the box forgets what was remembered.
pub fn forget_cookie(secure: bool) -> Cookie<'static> {
    let mut cookie = base_cookie(REMEMBER_COOKIE, String::new(), secure, 0);
    cookie.make_removal();
    cookie
}

/// "This browser was shown the form of `post` now": signed, scoped to the article's path (so
/// its comment POST carries exactly this one). Sent with every copy of a cached page, whose
/// body (and its form token) is the same for every reader.
pub fn seen_cookie(signer: &Signer, post: i32, slug: &str, secure: bool) -> Cookie<'static> {
    let value = crate::services::spam::view_stamp(signer, post);
    let mut cookie = base_cookie(SEEN_COOKIE, value, secure, 1);
    cookie.set_path(format!("/posts/{slug}"));
    cookie
}

/// Comments this browser wrote that it may still change, with when (unix seconds); empty
/// when absent or tampered with. The window itself is checked against the stored comment.
pub fn edit_entries(req: &HttpRequest, signer: &Signer) -> Vec<(CommentId, i64)> {
    req.cookie(EDIT_COOKIE).map(|c| edit_entries_in(signer, c.value())).unwrap_or_default()
}

/// The entries of a signed edit value (the cookie's, or the token an embed keeps).
pub fn edit_entries_in(signer: &Signer, value: &str) -> Vec<(CommentId, i64)> {
    let Some(payload) = signer.verify(EDIT_PURPOSE, value) else { return Vec::new() };
    payload
        .split('.')
        .filter_map(|pair| pair.split_once(':'))
        .filter_map(|(id, at)| Some((CommentId(id.parse().ok()?), at.parse().ok()?)))
        .collect()
}

/// The edit cookie holding a signed edit value as it is (an embed's token, checked first).
pub fn edit_cookie_of(value: &str, secure: bool) -> Cookie<'static> {
    let mut cookie = base_cookie(EDIT_COOKIE, value.to_string(), secure, 1);
    cookie.set_max_age(CookieDuration::minutes(EDIT_COOKIE_MINUTES));
    cookie
}

/// The signed edit value of `entries` (the newest EDIT_MAX, each id once).
pub fn edit_value(signer: &Signer, entries: &[(CommentId, i64)]) -> String {
    let mut unique: Vec<(CommentId, i64)> = Vec::new();
    for entry in entries {
        if !unique.iter().any(|(id, _)| *id == entry.0) {
            unique.push(*entry);
        }
    }
    let skip = unique.len().saturating_sub(EDIT_MAX);
    let payload: Vec<String> = unique.iter().skip(skip).map(|(id, at)| format!("{id}:{at}")).collect();
    signer.sign(EDIT_PURPOSE, &payload.join("."))
}

/// The signed edit value with `id` (written at `now`) added; entries past any window dropped.
pub fn edit_token(signer: &Signer, entries: Vec<(CommentId, i64)>, id: CommentId, now: i64) -> String {
    let mut entries: Vec<(CommentId, i64)> =
        entries.into_iter().filter(|(old, at)| *old != id && now - at <= EDIT_COOKIE_MINUTES * 60).collect();
    entries.push((id, now));
    edit_value(signer, &entries)
}

/// The longest window an admin can set: the cookie lives this long, the server checks the
/// window in force.
const EDIT_COOKIE_MINUTES: i64 = 24 * 60;

/// The edit cookie with `id` (written at `now`) added; entries past any window dropped.
pub fn edit_cookie(
    req: &HttpRequest,
    signer: &Signer,
    id: CommentId,
    now: i64,
    secure: bool,
) -> Cookie<'static> {
    edit_cookie_of(&edit_token(signer, edit_entries(req, signer), id, now), secure)
}
