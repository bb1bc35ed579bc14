//! Admin sessions (server-side; the cookie holds only a token whose hash is the key).

use crate::db::Conn;
use crate::db::MultiBackend;
use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::ids::{SessionId, UserId};
use super::schema::admin_sessions;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = admin_sessions, check_for_backend(MultiBackend))]
pub struct AdminSession {
    pub id: SessionId,
    pub user_id: UserId,
    pub session_version: i32,
    pub csrf_token: String,
    pub created_at: NaiveDateTime,
    pub last_seen_at: NaiveDateTime,
    pub ip_network: Option<String>,
    pub user_agent: Option<String>,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = admin_sessions)]
pub struct NewSession<'a> {
    pub token_hash: &'a str,
    pub user_id: UserId,
    pub session_version: i32,
    pub csrf_token: &'a str,
    pub created_at: NaiveDateTime,
    pub last_seen_at: NaiveDateTime,
    pub ip_network: Option<&'a str>,
    pub user_agent: Option<&'a str>,
}

pub fn insert(conn: &mut Conn, new: &NewSession<'_>) -> QueryResult<SessionId> {
    diesel::insert_into(admin_sessions::table).values(new).returning(admin_sessions::id).get_result(conn)
}

pub fn find_by_token_hash(conn: &mut Conn, hash: &str) -> QueryResult<Option<AdminSession>> {
    admin_sessions::table
        .filter(admin_sessions::token_hash.eq(hash))
        .select(AdminSession::as_select())
        .first(conn)
        .optional()
}

pub fn touch(conn: &mut Conn, id: SessionId, at: NaiveDateTime) -> QueryResult<usize> {
    diesel::update(admin_sessions::table.find(id)).set(admin_sessions::last_seen_at.eq(at)).execute(conn)
}

/// A user's sessions, most recently used first.
pub fn list_for_user(conn: &mut Conn, user: UserId) -> QueryResult<Vec<AdminSession>> {
    admin_sessions::table
        .filter(admin_sessions::user_id.eq(user))
        .order((admin_sessions::last_seen_at.desc(), admin_sessions::id.desc()))
        .select(AdminSession::as_select())
        .load(conn)
}

pub fn delete(conn: &mut Conn, id: SessionId) -> QueryResult<usize> {
    diesel::delete(admin_sessions::table.find(id)).execute(conn)
}

/// Ends one of `user`'s sessions (a session of someone else is left alone).
pub fn delete_for_user(conn: &mut Conn, user: UserId, id: SessionId) -> QueryResult<usize> {
    diesel::delete(
        admin_sessions::table.filter(admin_sessions::id.eq(id)).filter(admin_sessions::user_id.eq(user)),
    )
    .execute(conn)
}

/// Ends every session of `user` but `keep`.
pub fn delete_all_for_user(conn: &mut Conn, user: UserId, keep: Option<SessionId>) -> QueryResult<usize> {
    let mine = admin_sessions::table.filter(admin_sessions::user_id.eq(user));
    match keep {
        Some(keep) => diesel::delete(mine.filter(admin_sessions::id.ne(keep))).execute(conn),
        None => diesel::delete(mine).execute(conn),
    }
}

/// Sessions idle since `idle_before` or started before `started_before`.
pub fn delete_expired(
    conn: &mut Conn,
    idle_before: NaiveDateTime,
    started_before: NaiveDateTime,
) -> QueryResult<usize> {
    diesel::delete(admin_sessions::table.filter(
        admin_sessions::last_seen_at.lt(idle_before).or(admin_sessions::created_at.lt(started_before)),
    ))
    .execute(conn)
}
