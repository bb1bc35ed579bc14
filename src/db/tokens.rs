//! API tokens (only their SHA-256 is stored).

use crate::db::Conn;
use crate::db::MultiBackend;
use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::ids::{TokenId, UserId};
use super::schema::{api_tokens, users};
use super::users::User;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = api_tokens, check_for_backend(MultiBackend))]
pub struct ApiToken {
    pub id: TokenId,
    pub user_id: UserId,
    pub label: String,
    pub created_at: NaiveDateTime,
    pub last_used_at: Option<NaiveDateTime>,
    pub revoked_at: Option<NaiveDateTime>,
}

pub fn insert(
    conn: &mut Conn,
    user: UserId,
    label: &str,
    token_hash: &str,
    now: NaiveDateTime,
) -> QueryResult<ApiToken> {
    diesel::insert_into(api_tokens::table)
        .values((
            api_tokens::user_id.eq(user),
            api_tokens::label.eq(label),
            api_tokens::token_hash.eq(token_hash),
            api_tokens::created_at.eq(now),
        ))
        .returning(crate::db::returning::<ApiToken>())
        .get_result(conn)
}

/// The owner of an unrevoked token with this hash.
pub fn find_active_user(conn: &mut Conn, token_hash: &str) -> QueryResult<Option<(TokenId, User)>> {
    api_tokens::table
        .inner_join(users::table)
        .filter(api_tokens::token_hash.eq(token_hash))
        .filter(api_tokens::revoked_at.is_null())
        .select((api_tokens::id, User::as_select()))
        .first(conn)
        .optional()
}

pub fn touch(conn: &mut Conn, id: TokenId, now: NaiveDateTime) -> QueryResult<usize> {
    diesel::update(api_tokens::table.find(id)).set(api_tokens::last_used_at.eq(now)).execute(conn)
}

/// All tokens with their owner's username.
pub fn list(conn: &mut Conn) -> QueryResult<Vec<(ApiToken, String)>> {
    api_tokens::table
        .inner_join(users::table)
        .order(api_tokens::id.asc())
        .select((ApiToken::as_select(), users::username))
        .load(conn)
}

pub fn revoke(conn: &mut Conn, id: TokenId, now: NaiveDateTime) -> QueryResult<usize> {
    diesel::update(api_tokens::table.find(id).filter(api_tokens::revoked_at.is_null()))
        .set(api_tokens::revoked_at.eq(now))
        .execute(conn)
}
