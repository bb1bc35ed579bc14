//! What several instances on one database share: the log of changes readers see (each
//! instance's page cache follows the others'), leases for periodic jobs, and rate-limit
//! windows.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::schema::{cache_changes, job_leases, rate_limits};
use super::Conn;

/// Appends what one transaction changed (as `Change::as_text`), in that transaction.
pub fn record_changes(
    conn: &mut Conn,
    instance: &str,
    changes: &[String],
    now: NaiveDateTime,
) -> QueryResult<()> {
    let rows: Vec<_> = changes
        .iter()
        .map(|change| {
            (
                cache_changes::instance.eq(instance),
                cache_changes::change.eq(change),
                cache_changes::created_at.eq(now),
            )
        })
        .collect();
    // Batch inserts differ per backend (SQLite has no DEFAULT keyword).
    super::per_backend!(conn, |c| diesel::insert_into(cache_changes::table).values(&rows).execute(c))?;
    Ok(())
}

/// The newest change's id (0 when there is none): where a starting instance begins to follow.
pub fn last_change(conn: &mut Conn) -> QueryResult<i32> {
    Ok(cache_changes::table
        .select(diesel::dsl::max(cache_changes::id))
        .first::<Option<i32>>(conn)?
        .unwrap_or(0))
}

/// (id, change) after `after`, oldest first, of other instances than `instance`, and the last
/// id read (mine included), so the caller never reads the same rows twice.
pub fn changes_after(
    conn: &mut Conn,
    after: i32,
    instance: &str,
    limit: i64,
) -> QueryResult<(Vec<String>, Option<i32>)> {
    let rows: Vec<(i32, String, String)> = cache_changes::table
        .filter(cache_changes::id.gt(after))
        .order(cache_changes::id.asc())
        .limit(limit)
        .select((cache_changes::id, cache_changes::instance, cache_changes::change))
        .load(conn)?;
    let last = rows.last().map(|(id, _, _)| *id);
    let theirs = rows.into_iter().filter(|(_, by, _)| by != instance).map(|(_, _, change)| change).collect();
    Ok((theirs, last))
}

pub fn prune_changes(conn: &mut Conn, before: NaiveDateTime) -> QueryResult<usize> {
    diesel::delete(cache_changes::table.filter(cache_changes::created_at.lt(before))).execute(conn)
}

/// Takes the lease on job `name` until `until` when nobody holds it past `now`; true when
/// this caller got it (and runs the job).
pub fn take_lease(
    conn: &mut Conn,
    name: &str,
    holder: &str,
    now: NaiveDateTime,
    until: NaiveDateTime,
) -> QueryResult<bool> {
    let taken = diesel::update(job_leases::table.find(name).filter(job_leases::until.le(now)))
        .set((job_leases::holder.eq(holder), job_leases::until.eq(until)))
        .execute(conn)?;
    if taken == 1 {
        return Ok(true);
    }
    let created = super::per_backend!(conn, |c| diesel::insert_into(job_leases::table)
        .values((job_leases::name.eq(name), job_leases::holder.eq(holder), job_leases::until.eq(until)))
        .on_conflict_do_nothing()
        .execute(c))?;
    Ok(created == 1)
}

/// Counts a hit of `key` in `scope` for the window starting at `window_start`; false when the
/// window already had `limit` hits (this one is then not counted).
pub fn hit(
    conn: &mut Conn,
    scope: &str,
    key: &str,
    window_start: NaiveDateTime,
    limit: u32,
) -> QueryResult<bool> {
    let row = rate_limits::table.find((scope, key, window_start));
    let hits: Option<i32> = row.select(rate_limits::hits).first(conn).optional()?;
    match hits {
        Some(n) if i64::from(n) >= i64::from(limit) => Ok(false),
        Some(_) => {
            diesel::update(row).set(rate_limits::hits.eq(rate_limits::hits + 1)).execute(conn)?;
            Ok(true)
        }
        None => {
            // Two first hits at once (PostgreSQL): the second waits for the first, then counts.
            let inserted = crate::db::per_backend!(conn, |c| diesel::insert_into(rate_limits::table)
                .values((
                    rate_limits::scope.eq(scope),
                    rate_limits::key.eq(key),
                    rate_limits::window_start.eq(window_start),
                    rate_limits::hits.eq(1),
                ))
                .on_conflict_do_nothing()
                .execute(c))?;
            if inserted == 0 {
                return hit(conn, scope, key, window_start, limit);
            }
            Ok(true)
        }
    }
}

pub fn prune_rate_limits(conn: &mut Conn, before: NaiveDateTime) -> QueryResult<usize> {
    diesel::delete(rate_limits::table.filter(rate_limits::window_start.lt(before))).execute(conn)
}
