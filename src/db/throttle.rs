//! Failed-login counters per username and per IP (in the database, so every instance sees them).

use crate::db::Conn;
use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::schema::login_throttle;

#[derive(Debug, Clone, Queryable)]
pub struct ThrottleRow {
    pub failures: i32,
    pub locked_until: Option<NaiveDateTime>,
    pub updated_at: NaiveDateTime,
}

pub fn get(conn: &mut Conn, key: &str) -> QueryResult<Option<ThrottleRow>> {
    login_throttle::table
        .find(key)
        .select((login_throttle::failures, login_throttle::locked_until, login_throttle::updated_at))
        .first(conn)
        .optional()
}

pub fn set(
    conn: &mut Conn,
    key: &str,
    failures: i32,
    locked_until: Option<NaiveDateTime>,
    now: NaiveDateTime,
) -> QueryResult<usize> {
    crate::db::per_backend!(conn, |c| diesel::insert_into(login_throttle::table)
        .values((
            login_throttle::key.eq(key),
            login_throttle::failures.eq(failures),
            login_throttle::locked_until.eq(locked_until),
            login_throttle::updated_at.eq(now),
        ))
        .on_conflict(login_throttle::key)
        .do_update()
        .set((
            login_throttle::failures.eq(failures),
            login_throttle::locked_until.eq(locked_until),
            login_throttle::updated_at.eq(now),
        ))
        .execute(c))
}

pub fn clear(conn: &mut Conn, key: &str) -> QueryResult<usize> {
    diesel::delete(login_throttle::table.find(key)).execute(conn)
}

/// Deletes `user_key` and every key starting with `pair_prefix` (`%`, `_` and `\` in it
/// are matched as themselves).
pub fn clear_user(conn: &mut Conn, user_key: &str, pair_prefix: &str) -> QueryResult<usize> {
    let pairs = diesel::delete(
        login_throttle::table.filter(login_throttle::key.like(super::like_prefix(pair_prefix)).escape('\\')),
    )
    .execute(conn)?;
    Ok(pairs + clear(conn, user_key)?)
}

/// Counters untouched since `before` and not locked at `now` (they have decayed to nothing).
pub fn purge_stale(conn: &mut Conn, before: NaiveDateTime, now: NaiveDateTime) -> QueryResult<usize> {
    diesel::delete(
        login_throttle::table
            .filter(login_throttle::updated_at.lt(before))
            .filter(login_throttle::locked_until.is_null().or(login_throttle::locked_until.lt(now))),
    )
    .execute(conn)
}
