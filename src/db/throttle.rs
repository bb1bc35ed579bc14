//! Failed-login counters per username and per IP (in the database, so every instance sees them).

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::schema::login_throttle;

/// (failures, locked_until) for `key`.
pub fn get(conn: &mut SqliteConnection, key: &str) -> QueryResult<Option<(i32, Option<NaiveDateTime>)>> {
    login_throttle::table
        .find(key)
        .select((login_throttle::failures, login_throttle::locked_until))
        .first(conn)
        .optional()
}

pub fn set(
    conn: &mut SqliteConnection,
    key: &str,
    failures: i32,
    locked_until: Option<NaiveDateTime>,
    now: NaiveDateTime,
) -> QueryResult<usize> {
    diesel::insert_into(login_throttle::table)
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
        .execute(conn)
}

pub fn clear(conn: &mut SqliteConnection, key: &str) -> QueryResult<usize> {
    diesel::delete(login_throttle::table.find(key)).execute(conn)
}
