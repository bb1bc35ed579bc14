//! Old permalinks (from a WordPress import) and where they lead now.

use crate::db::Conn;
use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::enums::{PostKind, PostStatus};
use super::ids::PostId;
use super::schema::{posts, redirects};

/// Where a redirect leads: a post (by its current slug) or a fixed path.
#[derive(Debug, Clone, PartialEq)]
pub enum Target {
    Post { kind: PostKind, slug: String },
    Path(String),
}

/// (to_path, and the post's kind, slug and status) of one redirect.
type RedirectRow = (Option<String>, Option<PostKind>, Option<String>, Option<PostStatus>);

/// The target of `from_path`, if any; redirects to unpublished posts do not resolve.
pub fn resolve(conn: &mut Conn, from_path: &str) -> QueryResult<Option<Target>> {
    let row: Option<RedirectRow> = redirects::table
        .left_join(posts::table)
        .filter(redirects::from_path.eq(from_path))
        .select((
            redirects::to_path,
            posts::kind.nullable(),
            posts::slug.nullable(),
            posts::status.nullable(),
        ))
        .first(conn)
        .optional()?;
    Ok(match row {
        Some((Some(path), _, _, _)) => Some(Target::Path(path)),
        Some((None, Some(kind), Some(slug), Some(PostStatus::Published))) => {
            Some(Target::Post { kind, slug })
        }
        _ => None,
    })
}

/// Adds a redirect unless `from_path` already has one (the first import to claim a path keeps
/// it). Returns whether a row was written.
pub fn insert_if_absent(
    conn: &mut Conn,
    from_path: &str,
    target: Option<PostId>,
    to_path: Option<&str>,
    now: NaiveDateTime,
) -> QueryResult<bool> {
    let written = crate::db::per_backend!(conn, |c| diesel::insert_into(redirects::table)
        .values((
            redirects::from_path.eq(from_path),
            redirects::post_id.eq(target),
            redirects::to_path.eq(to_path),
            redirects::created_at.eq(now),
        ))
        .on_conflict_do_nothing()
        .execute(c))?;
    Ok(written > 0)
}

pub fn delete(conn: &mut Conn, from_path: &str) -> QueryResult<usize> {
    diesel::delete(redirects::table.find(from_path)).execute(conn)
}

/// Every old path that already has a redirect (a dry run's prediction).
pub fn all_from_paths(conn: &mut Conn) -> QueryResult<Vec<String>> {
    redirects::table.select(redirects::from_path).load(conn)
}
