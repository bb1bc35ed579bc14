//! Categories and tags.

use crate::db::Conn;
use crate::db::MultiBackend;
use diesel::prelude::*;
use serde::Serialize;

use super::enums::{PostKind, PostStatus};
use super::ids::{CategoryId, PostId, TagId};
use super::schema::{categories, post_tags, posts, tags};

#[derive(Debug, Clone, Queryable, Selectable, Serialize)]
#[diesel(table_name = categories, check_for_backend(MultiBackend))]
pub struct Category {
    pub id: CategoryId,
    pub name: String,
    pub slug: String,
}

#[derive(Debug, Clone, Queryable, Selectable, Serialize)]
#[diesel(table_name = tags, check_for_backend(MultiBackend))]
pub struct Tag {
    pub id: TagId,
    pub name: String,
    pub slug: String,
}

/// Finds the category by slug, creating it with `name` when it does not exist yet.
pub fn find_or_create_category(conn: &mut Conn, name: &str, slug: &str) -> QueryResult<Category> {
    if let Some(found) = find_category_by_slug(conn, slug)? {
        return Ok(found);
    }
    diesel::insert_into(categories::table)
        .values((categories::name.eq(name), categories::slug.eq(slug)))
        .returning(crate::db::returning::<Category>())
        .get_result(conn)
}

pub fn find_or_create_tag(conn: &mut Conn, name: &str, slug: &str) -> QueryResult<Tag> {
    if let Some(found) = find_tag_by_slug(conn, slug)? {
        return Ok(found);
    }
    diesel::insert_into(tags::table)
        .values((tags::name.eq(name), tags::slug.eq(slug)))
        .returning(crate::db::returning::<Tag>())
        .get_result(conn)
}

pub fn find_category_by_slug(conn: &mut Conn, slug: &str) -> QueryResult<Option<Category>> {
    categories::table.filter(categories::slug.eq(slug)).select(Category::as_select()).first(conn).optional()
}

pub fn find_tag_by_slug(conn: &mut Conn, slug: &str) -> QueryResult<Option<Tag>> {
    tags::table.filter(tags::slug.eq(slug)).select(Tag::as_select()).first(conn).optional()
}

pub fn categories_by_ids(conn: &mut Conn, ids: &[CategoryId]) -> QueryResult<Vec<Category>> {
    categories::table.filter(categories::id.eq_any(ids)).select(Category::as_select()).load(conn)
}

pub fn find_category(conn: &mut Conn, id: CategoryId) -> QueryResult<Option<Category>> {
    categories::table.find(id).select(Category::as_select()).first(conn).optional()
}

pub fn tags_for_post(conn: &mut Conn, post: PostId) -> QueryResult<Vec<Tag>> {
    tags::table
        .inner_join(post_tags::table)
        .filter(post_tags::post_id.eq(post))
        .order(tags::name.asc())
        .select(Tag::as_select())
        .load(conn)
}

/// Replaces the post's tags with exactly `tag_ids`.
pub fn set_post_tags(conn: &mut Conn, post: PostId, tag_ids: &[TagId]) -> QueryResult<()> {
    diesel::delete(post_tags::table.filter(post_tags::post_id.eq(post))).execute(conn)?;
    let rows: Vec<_> =
        tag_ids.iter().map(|tag| (post_tags::post_id.eq(post), post_tags::tag_id.eq(*tag))).collect();
    crate::db::per_backend!(conn, |c| diesel::insert_into(post_tags::table)
        .values(&rows)
        .on_conflict_do_nothing()
        .execute(c))?;
    Ok(())
}

/// Categories that have at least one published post (sitemap, navigation).
pub fn categories_in_use(conn: &mut Conn) -> QueryResult<Vec<Category>> {
    // One index probe per category (there are few), never a pass over the posts.
    categories::table
        .filter(diesel::dsl::exists(
            posts::table
                .filter(posts::category_id.eq(categories::id.nullable()))
                .filter(posts::kind.eq(PostKind::Article))
                .filter(posts::status.eq(PostStatus::Published)),
        ))
        .order(categories::name.asc())
        .select(Category::as_select())
        .load(conn)
}

/// Tags that have at least one published post (sitemap).
pub fn tags_in_use(conn: &mut Conn) -> QueryResult<Vec<Tag>> {
    tags::table
        .filter(diesel::dsl::exists(
            post_tags::table.filter(post_tags::tag_id.eq(tags::id)).filter(post_tags::listed.eq(true)),
        ))
        .order(tags::name.asc())
        .select(Tag::as_select())
        .load(conn)
}

/// Deletes those of `ids` that no post uses (undoing an import that created them).
pub fn delete_unused_categories(conn: &mut Conn, ids: &[CategoryId]) -> QueryResult<usize> {
    diesel::delete(categories::table.filter(categories::id.eq_any(ids)).filter(diesel::dsl::not(
        diesel::dsl::exists(posts::table.filter(posts::category_id.eq(categories::id.nullable()))),
    )))
    .execute(conn)
}

pub fn delete_unused_tags(conn: &mut Conn, ids: &[TagId]) -> QueryResult<usize> {
    diesel::delete(tags::table.filter(tags::id.eq_any(ids)).filter(diesel::dsl::not(diesel::dsl::exists(
        post_tags::table.filter(post_tags::tag_id.eq(tags::id)),
    ))))
    .execute(conn)
}

pub fn all_categories(conn: &mut Conn) -> QueryResult<Vec<Category>> {
    categories::table.order(categories::id.asc()).select(Category::as_select()).load(conn)
}

pub fn all_tags(conn: &mut Conn) -> QueryResult<Vec<Tag>> {
    tags::table.order(tags::id.asc()).select(Tag::as_select()).load(conn)
}
