//! Moderator and admin accounts.

use crate::db::Conn;
use crate::db::MultiBackend;
use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::enums::Role;
use super::ids::{MediaId, UserId};
use super::schema::users;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = users, check_for_backend(MultiBackend))]
pub struct User {
    pub id: UserId,
    pub username: String,
    pub email: String,
    pub role: Role,
    pub password_hash: String,
    pub session_version: i32,
    pub created_at: NaiveDateTime,
    pub last_login_at: Option<NaiveDateTime>,
    /// The name on bylines and moderator replies; empty: the username.
    pub display_name: String,
    /// `/author/{slug}`; None until the profile is first saved.
    pub slug: Option<String>,
    pub bio: String,
    pub avatar_media_id: Option<MediaId>,
}

impl User {
    /// The display name, when one was set (bylines and author pages need one: a login name
    /// is never published on its own).
    pub fn display_name(&self) -> Option<&str> {
        Some(self.display_name.trim()).filter(|n| !n.is_empty())
    }

    /// The name a moderator's reply is signed with.
    pub fn public_name(&self) -> &str {
        if self.display_name.trim().is_empty() {
            &self.username
        } else {
            &self.display_name
        }
    }
}

#[derive(Debug, Insertable)]
#[diesel(table_name = users)]
pub struct NewUser<'a> {
    pub username: &'a str,
    pub email: &'a str,
    pub role: Role,
    pub password_hash: &'a str,
    pub created_at: NaiveDateTime,
}

pub fn insert(conn: &mut Conn, new: &NewUser<'_>) -> QueryResult<User> {
    diesel::insert_into(users::table).values(new).returning(crate::db::returning::<User>()).get_result(conn)
}

pub fn find(conn: &mut Conn, id: UserId) -> QueryResult<Option<User>> {
    users::table.find(id).select(User::as_select()).first(conn).optional()
}

pub fn find_by_username(conn: &mut Conn, username: &str) -> QueryResult<Option<User>> {
    users::table.filter(users::username.eq(username)).select(User::as_select()).first(conn).optional()
}

pub fn list(conn: &mut Conn) -> QueryResult<Vec<User>> {
    users::table.order(users::username.asc()).select(User::as_select()).load(conn)
}

/// Every admin and moderator (both roles moderate), for notifications.
pub fn moderators(conn: &mut Conn) -> QueryResult<Vec<User>> {
    users::table
        .filter(users::role.eq_any([Role::Admin, Role::Moderator]))
        .order(users::id.asc())
        .select(User::as_select())
        .load(conn)
}

pub fn count_admins(conn: &mut Conn) -> QueryResult<i64> {
    users::table.filter(users::role.eq(Role::Admin)).count().get_result(conn)
}

/// New hash; bumps the version that mailed moderation links carry, so those die.
pub fn set_password(conn: &mut Conn, id: UserId, hash: &str) -> QueryResult<usize> {
    diesel::update(users::table.find(id))
        .set((users::password_hash.eq(hash), users::session_version.eq(users::session_version + 1)))
        .execute(conn)
}

pub fn touch_login(conn: &mut Conn, id: UserId, at: NaiveDateTime) -> QueryResult<usize> {
    diesel::update(users::table.find(id)).set(users::last_login_at.eq(at)).execute(conn)
}

pub fn delete(conn: &mut Conn, id: UserId) -> QueryResult<usize> {
    diesel::delete(users::table.find(id)).execute(conn)
}

/// The public profile: what bylines and the author page show.
pub fn set_profile(
    conn: &mut Conn,
    id: UserId,
    display_name: &str,
    slug: &str,
    bio: &str,
    avatar: Option<MediaId>,
) -> QueryResult<usize> {
    diesel::update(users::table.find(id))
        .set((
            users::display_name.eq(display_name),
            users::slug.eq(Some(slug)),
            users::bio.eq(bio),
            users::avatar_media_id.eq(avatar),
        ))
        .execute(conn)
}

pub fn find_by_slug(conn: &mut Conn, slug: &str) -> QueryResult<Option<User>> {
    users::table.filter(users::slug.eq(slug)).select(User::as_select()).first(conn).optional()
}

/// Whether another account than `except` has `slug`.
pub fn slug_taken(conn: &mut Conn, slug: &str, except: UserId) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(
        users::table.filter(users::slug.eq(slug)).filter(users::id.ne(except)),
    ))
    .get_result(conn)
}

/// Accounts whose picture is `media` (deleting it removes their picture).
pub fn count_with_avatar(conn: &mut Conn, media: MediaId) -> QueryResult<i64> {
    users::table.filter(users::avatar_media_id.eq(media)).count().get_result(conn)
}
