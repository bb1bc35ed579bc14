//! Threads of other sites' pages: a post of kind `thread` and its row in `threads` (site, URL).

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::enums::{BodyFormat, PostKind, PostStatus};
use super::ids::PostId;
use super::posts::{NewPost, Post};
use super::schema::{posts, threads};
use crate::db::{Conn, MultiBackend};

#[derive(Debug, Clone, Queryable, Selectable, serde::Serialize)]
#[diesel(table_name = threads, check_for_backend(MultiBackend))]
pub struct Thread {
    pub post_id: PostId,
    pub site: String,
    pub url: String,
    pub created_at: NaiveDateTime,
}

pub fn find(conn: &mut Conn, post: PostId) -> QueryResult<Option<Thread>> {
    threads::table.find(post).select(Thread::as_select()).first(conn).optional()
}

/// The thread of a (normalized) page URL and its post's slug.
pub fn find_by_url(conn: &mut Conn, url: &str) -> QueryResult<Option<(Thread, String)>> {
    threads::table
        .inner_join(posts::table)
        .filter(threads::url.eq(url))
        .select((Thread::as_select(), posts::slug))
        .first(conn)
        .optional()
}

/// A new thread: its post (published, no body) and its row. `slug` is unique (a hash of the
/// URL): of two first visits racing on PostgreSQL, the second waits for the first and gets
/// None (the caller reads the thread the first made) instead of a unique violation.
pub fn insert(
    conn: &mut Conn,
    site: &str,
    url: &str,
    title: &str,
    slug: &str,
    now: NaiveDateTime,
) -> QueryResult<Option<Post>> {
    let new = NewPost {
        slug,
        title,
        body_source: "",
        body_html: "",
        excerpt: "",
        status: PostStatus::Published,
        category_id: None,
        published_at: now,
        created_at: now,
        updated_at: now,
        comments_open: true,
        kind: PostKind::Thread,
        body_format: BodyFormat::Html,
        author_name: None,
        menu_order: 0,
        in_navigation: false,
        author_id: None,
        featured_media_id: None,
        excerpt_source: "",
    };
    // Threads are not in the search index, so the plain insert (not posts::insert) is enough.
    let post: Option<Post> = crate::db::per_backend!(conn, |c| diesel::insert_into(posts::table)
        .values(&new)
        .on_conflict_do_nothing()
        .returning(crate::db::returning::<Post>())
        .get_result(c)
        .optional())?;
    let Some(post) = post else { return Ok(None) };
    diesel::insert_into(threads::table)
        .values((
            threads::post_id.eq(post.id),
            threads::site.eq(site),
            threads::url.eq(url),
            threads::created_at.eq(now),
        ))
        .execute(conn)?;
    Ok(Some(post))
}

/// Approved comment counts of the threads at `urls` (URLs without a thread are left out).
pub fn counts(conn: &mut Conn, urls: &[String]) -> QueryResult<Vec<(String, i32)>> {
    threads::table
        .inner_join(posts::table)
        .filter(threads::url.eq_any(urls))
        .select((threads::url, posts::approved_comments))
        .load(conn)
}

/// The site names of these posts' threads (the admin shows them beside the title).
pub fn sites_of(conn: &mut Conn, posts: &[PostId]) -> QueryResult<Vec<(PostId, String)>> {
    threads::table.filter(threads::post_id.eq_any(posts)).select((threads::post_id, threads::site)).load(conn)
}

/// Threads per site with their approved comments.
pub fn per_site(conn: &mut Conn) -> QueryResult<Vec<(String, i64, Option<i64>)>> {
    use diesel::dsl::{count_star, sum};
    threads::table
        .inner_join(posts::table)
        .group_by(threads::site)
        .select((threads::site, count_star(), sum(posts::approved_comments)))
        .load(conn)
}
