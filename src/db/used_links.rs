//! Nonces of one-click links already used.

use crate::db::Conn;
use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::schema::used_links;

/// Marks `nonce` used; false when it already was (the link works once).
pub fn use_once(conn: &mut Conn, nonce: &str, now: NaiveDateTime) -> QueryResult<bool> {
    let inserted = crate::db::per_backend!(conn, |c| diesel::insert_into(used_links::table)
        .values((used_links::nonce.eq(nonce), used_links::used_at.eq(now)))
        .on_conflict_do_nothing()
        .execute(c))?;
    Ok(inserted == 1)
}

pub fn is_used(conn: &mut Conn, nonce: &str) -> QueryResult<bool> {
    let n: i64 = used_links::table.filter(used_links::nonce.eq(nonce)).count().get_result(conn)?;
    Ok(n > 0)
}
