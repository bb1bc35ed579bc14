//! Nonces of one-click links already used.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::schema::used_links;

/// Marks `nonce` used; false when it already was (the link works once).
pub fn use_once(conn: &mut SqliteConnection, nonce: &str, now: NaiveDateTime) -> QueryResult<bool> {
    let inserted = diesel::insert_or_ignore_into(used_links::table)
        .values((used_links::nonce.eq(nonce), used_links::used_at.eq(now)))
        .execute(conn)?;
    Ok(inserted == 1)
}

pub fn is_used(conn: &mut SqliteConnection, nonce: &str) -> QueryResult<bool> {
    let n: i64 = used_links::table.filter(used_links::nonce.eq(nonce)).count().get_result(conn)?;
    Ok(n > 0)
}
