//! Key/value settings stored in the database (the generated secret key, admin settings).

use crate::db::Conn;
use diesel::prelude::*;

use super::schema::settings;

pub fn get(conn: &mut Conn, key: &str) -> QueryResult<Option<String>> {
    settings::table.find(key).select(settings::value).first(conn).optional()
}

pub fn set(conn: &mut Conn, key: &str, value: &str) -> QueryResult<()> {
    let now = chrono::Utc::now().naive_utc();
    crate::db::per_backend!(conn, |c| diesel::insert_into(settings::table)
        .values((settings::key.eq(key), settings::value.eq(value), settings::updated_at.eq(now)))
        .on_conflict(settings::key)
        .do_update()
        .set((settings::value.eq(value), settings::updated_at.eq(now)))
        .execute(c))?;
    Ok(())
}

pub fn delete(conn: &mut Conn, key: &str) -> QueryResult<usize> {
    diesel::delete(settings::table.find(key)).execute(conn)
}

/// Every (key, value) whose key starts with `prefix`.
pub fn with_prefix(conn: &mut Conn, prefix: &str) -> QueryResult<Vec<(String, String)>> {
    settings::table
        .filter(settings::key.like(super::like_prefix(prefix)).escape('\\'))
        .select((settings::key, settings::value))
        .load(conn)
}
