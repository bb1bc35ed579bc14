//! Uploaded images: one row per upload; its files under `media.dir/{file_key}/` (SQLite) or
//! in `media_files` (PostgreSQL, so every instance reads them).

use crate::db::Conn;
use crate::db::MultiBackend;
use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::enums::MediaFormat;
use super::ids::{MediaId, UserId};
use super::schema::{media, media_files};

#[derive(Debug, Clone, Queryable, Selectable, Identifiable)]
#[diesel(table_name = media, check_for_backend(MultiBackend))]
pub struct Media {
    pub id: MediaId,
    pub file_key: String,
    pub original_name: String,
    pub format: MediaFormat,
    pub width: i32,
    pub height: i32,
    pub bytes: i32,
    /// JSON array of resized widths.
    pub variants: String,
    pub alt_text: String,
    pub uploaded_by: Option<UserId>,
    pub created_at: NaiveDateTime,
}

impl Media {
    /// The resized widths written beside the full size, smallest first.
    pub fn widths(&self) -> Vec<u32> {
        serde_json::from_str(&self.variants).unwrap_or_default()
    }
}

#[derive(Debug, Insertable)]
#[diesel(table_name = media)]
pub struct NewMedia<'a> {
    pub file_key: &'a str,
    pub original_name: &'a str,
    pub format: MediaFormat,
    pub width: i32,
    pub height: i32,
    pub bytes: i32,
    pub variants: &'a str,
    pub alt_text: &'a str,
    pub uploaded_by: Option<UserId>,
    pub created_at: NaiveDateTime,
}

pub fn insert(conn: &mut Conn, new: &NewMedia<'_>) -> QueryResult<Media> {
    diesel::insert_into(media::table).values(new).returning(crate::db::returning::<Media>()).get_result(conn)
}

pub fn find(conn: &mut Conn, id: MediaId) -> QueryResult<Option<Media>> {
    media::table.find(id).select(Media::as_select()).first(conn).optional()
}

pub fn find_by_key(conn: &mut Conn, key: &str) -> QueryResult<Option<Media>> {
    media::table.filter(media::file_key.eq(key)).select(Media::as_select()).first(conn).optional()
}

pub fn find_many(conn: &mut Conn, ids: &[MediaId]) -> QueryResult<Vec<Media>> {
    media::table.filter(media::id.eq_any(ids)).select(Media::as_select()).load(conn)
}

pub fn find_by_keys(conn: &mut Conn, keys: &[String]) -> QueryResult<Vec<Media>> {
    media::table.filter(media::file_key.eq_any(keys)).select(Media::as_select()).load(conn)
}

/// In id order, after `after` (a whole-table walk).
pub fn page_by_id(conn: &mut Conn, after: MediaId, limit: i64) -> QueryResult<Vec<Media>> {
    media::table
        .filter(media::id.gt(after))
        .order(media::id.asc())
        .limit(limit)
        .select(Media::as_select())
        .load(conn)
}

/// Newest first.
pub fn list(conn: &mut Conn, offset: i64, limit: i64) -> QueryResult<Vec<Media>> {
    media::table
        .order((media::created_at.desc(), media::id.desc()))
        .offset(offset)
        .limit(limit)
        .select(Media::as_select())
        .load(conn)
}

pub fn count(conn: &mut Conn) -> QueryResult<i64> {
    media::table.count().get_result(conn)
}

pub fn set_alt(conn: &mut Conn, id: MediaId, alt: &str) -> QueryResult<usize> {
    diesel::update(media::table.find(id)).set(media::alt_text.eq(alt)).execute(conn)
}

pub fn delete(conn: &mut Conn, id: MediaId) -> QueryResult<usize> {
    diesel::delete(media::table.find(id)).execute(conn)
}

/// Keeps one file of upload `id` in the database (`sha256` is its hex digest).
pub fn add_file(conn: &mut Conn, id: MediaId, name: &str, sha256: &str, data: &[u8]) -> QueryResult<usize> {
    diesel::insert_into(media_files::table)
        .values((
            media_files::media_id.eq(id),
            media_files::name.eq(name),
            media_files::sha256.eq(sha256),
            media_files::data.eq(data),
        ))
        .execute(conn)
}

/// One file of upload `id` kept in the database.
pub fn file(conn: &mut Conn, id: MediaId, name: &str) -> QueryResult<Option<Vec<u8>>> {
    media_files::table.find((id, name)).select(media_files::data).first(conn).optional()
}

/// The names of upload `id`'s files kept in the database.
pub fn file_names(conn: &mut Conn, id: MediaId) -> QueryResult<Vec<String>> {
    media_files::table
        .filter(media_files::media_id.eq(id))
        .order(media_files::name)
        .select(media_files::name)
        .load(conn)
}
