//! The audit log: who did what to which comment, from which status to which.

use crate::db::Conn;
use crate::db::MultiBackend;
use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::ids::{CommentId, UserId};
use super::schema::audit_log;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = audit_log, check_for_backend(MultiBackend))]
pub struct AuditEntry {
    pub id: i32,
    pub actor: String,
    pub user_id: Option<UserId>,
    pub action: String,
    pub comment_id: Option<CommentId>,
    pub from_status: Option<String>,
    pub to_status: Option<String>,
    pub detail: String,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = audit_log)]
pub struct NewAuditEntry<'a> {
    pub actor: &'a str,
    pub user_id: Option<UserId>,
    pub action: &'a str,
    pub comment_id: Option<CommentId>,
    pub from_status: Option<&'a str>,
    pub to_status: Option<&'a str>,
    pub detail: &'a str,
    pub created_at: NaiveDateTime,
}

pub fn insert(conn: &mut Conn, entry: &NewAuditEntry<'_>) -> QueryResult<usize> {
    diesel::insert_into(audit_log::table).values(entry).execute(conn)
}

pub fn count(conn: &mut Conn) -> QueryResult<i64> {
    audit_log::table.count().get_result(conn)
}

pub fn list(conn: &mut Conn, offset: i64, limit: i64) -> QueryResult<Vec<AuditEntry>> {
    audit_log::table
        .order((audit_log::created_at.desc(), audit_log::id.desc()))
        .offset(offset)
        .limit(limit)
        .select(AuditEntry::as_select())
        .load(conn)
}

pub fn for_comment(conn: &mut Conn, id: CommentId) -> QueryResult<Vec<AuditEntry>> {
    audit_log::table
        .filter(audit_log::comment_id.eq(id))
        .order(audit_log::id.asc())
        .select(AuditEntry::as_select())
        .load(conn)
}
