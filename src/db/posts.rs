//! Articles: rows, inserts, updates and the queries the public pages need.

use super::Count;
use crate::db::MultiBackend;
use crate::db::{BackendKind, Conn};
use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::enums::{BodyFormat, PostKind, PostStatus};
use super::ids::{CategoryId, MediaId, PostId, TagId, UserId};
use super::schema::{listing_counts, post_tags, posts, related_posts};

#[derive(Debug, Clone, Queryable, Selectable, Identifiable, serde::Serialize, serde::Deserialize)]
#[diesel(table_name = posts, check_for_backend(MultiBackend))]
pub struct Post {
    pub id: PostId,
    pub slug: String,
    pub title: String,
    pub body_source: String,
    pub body_html: String,
    pub excerpt: String,
    pub status: PostStatus,
    pub category_id: Option<CategoryId>,
    pub published_at: NaiveDateTime,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub comments_open: bool,
    pub kind: PostKind,
    pub body_format: BodyFormat,
    pub author_name: Option<String>,
    pub menu_order: i32,
    pub in_navigation: bool,
    /// Kept by triggers on `comments` (older undo snapshots lack them).
    #[serde(default)]
    pub approved_comments: i32,
    /// Approved top-level comments: the threads comment pages count.
    #[serde(default)]
    pub approved_threads: i32,
    /// The status before it went to the trash (restore puts it back).
    #[serde(default)]
    pub trashed_from: Option<PostStatus>,
    #[serde(default)]
    pub trashed_at: Option<NaiveDateTime>,
    /// The account that wrote it here (imported posts keep `author_name` instead).
    #[serde(default)]
    pub author_id: Option<UserId>,
    #[serde(default)]
    pub featured_media_id: Option<MediaId>,
    /// The excerpt as written by hand; empty when made from the body.
    #[serde(default)]
    pub excerpt_source: String,
}

/// What listings need: no body, so a page of 10,000 articles stays cheap.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = posts, check_for_backend(MultiBackend))]
pub struct PostSummary {
    pub id: PostId,
    pub slug: String,
    pub title: String,
    pub excerpt: String,
    pub category_id: Option<CategoryId>,
    pub published_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub approved_comments: i32,
    pub featured_media_id: Option<MediaId>,
}

impl Post {
    /// Whether `changes` would change nothing but `updated_at` (re-imports report these as
    /// unchanged).
    pub fn same_as(&self, changes: &PostChanges<'_>) -> bool {
        self.title == changes.title
            && self.body_source == changes.body_source
            && self.body_html == changes.body_html
            && self.excerpt == changes.excerpt
            && self.status == changes.status
            && self.category_id == changes.category_id
            && self.published_at == changes.published_at
            && self.comments_open == changes.comments_open
            && self.kind == changes.kind
            && self.body_format == changes.body_format
            && self.author_name.as_deref() == changes.author_name
            && self.menu_order == changes.menu_order
            && self.in_navigation == changes.in_navigation
            && self.author_id == changes.author_id
            && self.featured_media_id == changes.featured_media_id
            && self.excerpt_source == changes.excerpt_source
    }
}

#[derive(Debug, Insertable)]
#[diesel(table_name = posts)]
pub struct NewPost<'a> {
    pub slug: &'a str,
    pub title: &'a str,
    pub body_source: &'a str,
    pub body_html: &'a str,
    pub excerpt: &'a str,
    pub status: PostStatus,
    pub category_id: Option<CategoryId>,
    pub published_at: NaiveDateTime,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub comments_open: bool,
    pub kind: PostKind,
    pub body_format: BodyFormat,
    pub author_name: Option<&'a str>,
    pub menu_order: i32,
    pub in_navigation: bool,
    pub author_id: Option<UserId>,
    pub featured_media_id: Option<MediaId>,
    pub excerpt_source: &'a str,
}

impl<'a> NewPost<'a> {
    /// A new post at `slug` with the fields of `changes`, created at `now`.
    pub fn from_changes(slug: &'a str, changes: &PostChanges<'a>, now: NaiveDateTime) -> NewPost<'a> {
        NewPost {
            slug,
            title: changes.title,
            body_source: changes.body_source,
            body_html: changes.body_html,
            excerpt: changes.excerpt,
            status: changes.status,
            category_id: changes.category_id,
            published_at: changes.published_at,
            created_at: now,
            updated_at: now,
            comments_open: changes.comments_open,
            kind: changes.kind,
            body_format: changes.body_format,
            author_name: changes.author_name,
            menu_order: changes.menu_order,
            in_navigation: changes.in_navigation,
            author_id: changes.author_id,
            featured_media_id: changes.featured_media_id,
            excerpt_source: changes.excerpt_source,
        }
    }
}

#[derive(Debug, AsChangeset)]
#[diesel(table_name = posts, treat_none_as_null = true)]
pub struct PostChanges<'a> {
    pub title: &'a str,
    pub body_source: &'a str,
    pub body_html: &'a str,
    pub excerpt: &'a str,
    pub status: PostStatus,
    pub category_id: Option<CategoryId>,
    pub published_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub comments_open: bool,
    pub kind: PostKind,
    pub body_format: BodyFormat,
    pub author_name: Option<&'a str>,
    pub menu_order: i32,
    pub in_navigation: bool,
    pub author_id: Option<UserId>,
    pub featured_media_id: Option<MediaId>,
    pub excerpt_source: &'a str,
}

// Every write of a post goes through the functions below, which keep the search index true.

pub fn insert(conn: &mut Conn, new: &NewPost<'_>) -> QueryResult<Post> {
    let post = diesel::insert_into(posts::table)
        .values(new)
        .returning(crate::db::returning::<Post>())
        .get_result(conn)?;
    super::search::index_post(conn, &post)?;
    Ok(post)
}

/// Deletes a post (its comments, tags and redirects go with it).
pub fn delete(conn: &mut Conn, id: PostId) -> QueryResult<usize> {
    super::search::remove_post(conn, id)?;
    diesel::delete(posts::table.find(id)).execute(conn)
}

pub fn update(conn: &mut Conn, id: PostId, changes: &PostChanges<'_>) -> QueryResult<Post> {
    let post = diesel::update(posts::table.find(id))
        .set(changes)
        .returning(crate::db::returning::<Post>())
        .get_result(conn)?;
    super::search::index_post(conn, &post)?;
    Ok(post)
}

/// Moves a post to the trash, remembering its status; its comments stay as they are.
pub fn trash(conn: &mut Conn, post: &Post, now: NaiveDateTime) -> QueryResult<Post> {
    let post = diesel::update(posts::table.find(post.id))
        .set((
            posts::status.eq(PostStatus::Trash),
            posts::trashed_from.eq(Some(post.status)),
            posts::trashed_at.eq(Some(now)),
        ))
        .returning(crate::db::returning::<Post>())
        .get_result(conn)?;
    super::search::index_post(conn, &post)?;
    Ok(post)
}

/// Sets a post's status (restore from the trash, a scheduled post's time come).
pub fn set_status(conn: &mut Conn, id: PostId, status: PostStatus) -> QueryResult<Post> {
    let post = diesel::update(posts::table.find(id))
        .set((
            posts::status.eq(status),
            posts::trashed_from.eq(None::<PostStatus>),
            posts::trashed_at.eq(None::<NaiveDateTime>),
        ))
        .returning(crate::db::returning::<Post>())
        .get_result(conn)?;
    super::search::index_post(conn, &post)?;
    Ok(post)
}

/// Scheduled posts whose date has come, oldest first.
pub fn due_scheduled(conn: &mut Conn, now: NaiveDateTime, limit: i64) -> QueryResult<Vec<PostId>> {
    posts::table
        .filter(posts::status.eq(PostStatus::Scheduled))
        .filter(posts::published_at.le(now))
        .order(posts::published_at.asc())
        .limit(limit)
        .select(posts::id)
        .load(conn)
}

/// Trashed posts older than `before` (the hourly purge deletes them).
pub fn trashed_before(conn: &mut Conn, before: NaiveDateTime) -> QueryResult<Vec<PostId>> {
    posts::table
        .filter(posts::status.eq(PostStatus::Trash))
        .filter(posts::trashed_at.lt(before))
        .select(posts::id)
        .load(conn)
}

/// How the admin's post list is ordered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum AdminSort {
    #[default]
    Newest,
    Oldest,
    Title,
    MostComments,
}

/// What the admin's post list shows.
#[derive(Debug, Clone, Default)]
pub struct AdminFilter {
    /// None: everything but the trash.
    pub status: Option<PostStatus>,
    /// Words in the title.
    pub search: Option<String>,
    pub sort: AdminSort,
}

#[derive(Debug, QueryableByName)]
pub struct AdminPostRow {
    #[diesel(sql_type = diesel::sql_types::Integer)]
    pub id: PostId,
    #[diesel(sql_type = diesel::sql_types::Text)]
    pub slug: String,
    #[diesel(sql_type = diesel::sql_types::Text)]
    pub title: String,
    #[diesel(sql_type = diesel::sql_types::Text)]
    pub status: PostStatus,
    #[diesel(sql_type = diesel::sql_types::Text)]
    pub kind: PostKind,
    #[diesel(sql_type = diesel::sql_types::Timestamp)]
    pub published_at: NaiveDateTime,
    #[diesel(sql_type = diesel::sql_types::Integer)]
    pub approved_comments: i32,
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    pub pending_comments: i64,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Text>)]
    pub author: Option<String>,
}

fn admin_where(kind: BackendKind, filter: &AdminFilter) -> String {
    let mut clauses = vec![
        match filter.status {
            Some(_) => "p.status = ?".to_string(),
            None => "p.status <> 'trash'".to_string(),
        },
        // Other sites' threads are not posts written here (the Embed page lists them).
        "p.kind <> 'thread'".to_string(),
    ];
    if filter.search.is_some() {
        // SQLite's LIKE ignores ASCII case; PostgreSQL's needs ILIKE for the same.
        clauses.push(match kind {
            BackendKind::Sqlite => "p.title LIKE ? ESCAPE '\\'".to_string(),
            BackendKind::Postgres => "p.title ILIKE ? ESCAPE '\\'".to_string(),
        });
    }
    clauses.join(" AND ")
}

/// A page of the admin's post list with each post's approved and pending comment counts.
pub fn admin_list(
    conn: &mut Conn,
    filter: &AdminFilter,
    offset: i64,
    limit: i64,
) -> QueryResult<Vec<AdminPostRow>> {
    use diesel::sql_types::BigInt;
    let order = match filter.sort {
        AdminSort::Newest => "p.published_at DESC, p.id DESC",
        AdminSort::Oldest => "p.published_at ASC, p.id ASC",
        AdminSort::Title => match conn.kind() {
            BackendKind::Sqlite => "p.title COLLATE NOCASE ASC, p.id ASC",
            BackendKind::Postgres => "lower(p.title) ASC, p.id ASC",
        },
        AdminSort::MostComments => "p.approved_comments DESC, p.id DESC",
    };
    // Pending counts come from the (post_id, status, created_at) index, one probe per row.
    let sql = format!(
        "SELECT p.id, p.slug, p.title, p.status, p.kind, p.published_at, p.approved_comments,          (SELECT COUNT(*) FROM comments c WHERE c.post_id = p.id AND c.status = 'pending') AS pending_comments,          COALESCE(NULLIF(u.display_name, ''), u.username, p.author_name) AS author          FROM posts p LEFT JOIN users u ON u.id = p.author_id WHERE {} ORDER BY {order} LIMIT ? OFFSET ?",
        admin_where(conn.kind(), filter)
    );
    with_filter_binds(super::numbered(conn.kind(), &sql).into_owned(), filter)
        .bind::<BigInt, _>(limit)
        .bind::<BigInt, _>(offset)
        .load(conn)
}

pub fn admin_count(conn: &mut Conn, filter: &AdminFilter) -> QueryResult<i64> {
    let sql = format!("SELECT COUNT(*) AS n FROM posts p WHERE {}", admin_where(conn.kind(), filter));
    Ok(with_filter_binds(super::numbered(conn.kind(), &sql).into_owned(), filter)
        .get_result::<Count>(conn)?
        .n)
}

/// `sql` (whose WHERE is `admin_where(filter)`) with the filter's values bound, in order.
fn with_filter_binds(
    sql: String,
    filter: &AdminFilter,
) -> diesel::query_builder::BoxedSqlQuery<'static, MultiBackend, diesel::query_builder::SqlQuery> {
    use diesel::sql_types::Text;
    let mut query = diesel::sql_query(sql).into_boxed::<MultiBackend>();
    if let Some(status) = filter.status {
        query = query.bind::<Text, _>(status.as_str());
    }
    if let Some(search) = &filter.search {
        query = query.bind::<Text, _>(format!("%{}%", super::like_escape(search)));
    }
    query
}

/// Posts per status, for the list's filter links.
pub fn count_by_status(conn: &mut Conn) -> QueryResult<Vec<(PostStatus, i64)>> {
    posts::table
        .filter(posts::kind.ne(PostKind::Thread))
        .group_by(posts::status)
        .select((posts::status, diesel::dsl::count_star()))
        .load(conn)
}

/// Posts whose body links to `needle` or that feature `media` (a media file about to go).
pub fn using_media(conn: &mut Conn, media: MediaId, needle: &str) -> QueryResult<Vec<(PostId, String)>> {
    posts::table
        .filter(
            posts::featured_media_id
                .eq(media)
                .or(posts::body_source.like(format!("%{}%", super::like_escape(needle))).escape('\\')),
        )
        .order(posts::id.asc())
        .select((posts::id, posts::title))
        .load(conn)
}

/// (id, slug, title, status, kind, published_at) for the admin's list.
pub type PostListing = (PostId, String, String, PostStatus, PostKind, NaiveDateTime);

/// A page of every post, drafts and pages included, newest first (the admin list).
pub fn list_all(conn: &mut Conn, offset: i64, limit: i64) -> QueryResult<Vec<PostListing>> {
    posts::table
        .order((posts::published_at.desc(), posts::id.desc()))
        .offset(offset)
        .limit(limit)
        .select((posts::id, posts::slug, posts::title, posts::status, posts::kind, posts::published_at))
        .load(conn)
}

pub fn count_all(conn: &mut Conn) -> QueryResult<i64> {
    posts::table.count().get_result(conn)
}

pub fn find(conn: &mut Conn, id: PostId) -> QueryResult<Option<Post>> {
    posts::table.find(id).select(Post::as_select()).first(conn).optional()
}

pub fn find_by_slug(conn: &mut Conn, slug: &str) -> QueryResult<Option<Post>> {
    posts::table.filter(posts::slug.eq(slug)).select(Post::as_select()).first(conn).optional()
}

/// A published article or page (the caller checks the kind against the URL it was asked for).
pub fn find_published_by_slug(conn: &mut Conn, slug: &str) -> QueryResult<Option<Post>> {
    posts::table
        .filter(posts::slug.eq(slug))
        .filter(posts::status.eq(PostStatus::Published))
        .select(Post::as_select())
        .first(conn)
        .optional()
}

/// Which published posts a listing shows.
#[derive(Debug, Clone, Copy)]
pub enum Listing {
    All,
    Category(CategoryId),
    Tag(TagId),
    /// An author's articles (`/author/{slug}`).
    Author(UserId),
}

/// Published articles of the front page, a category or an author (tags go through
/// `post_tags`).
fn published_in(listing: Listing) -> posts::BoxedQuery<'static, MultiBackend> {
    let query = posts::table
        .filter(posts::kind.eq(PostKind::Article))
        .filter(posts::status.eq(PostStatus::Published))
        .into_boxed();
    match listing {
        Listing::Category(id) => query.filter(posts::category_id.eq(id)),
        Listing::Author(id) => query.filter(posts::author_id.eq(id)),
        Listing::All | Listing::Tag(_) => query,
    }
}

/// A tag's listed posts, from the copies triggers keep on `post_tags`.
fn listed_with_tag(tag: TagId) -> post_tags::BoxedQuery<'static, MultiBackend> {
    post_tags::table.filter(post_tags::tag_id.eq(tag)).filter(post_tags::listed.eq(true)).into_boxed()
}

/// From `listing_counts`, kept by triggers (counting the index would read every entry).
pub fn count_published(conn: &mut Conn, listing: Listing) -> QueryResult<i64> {
    let key = match listing {
        Listing::All => "all".to_string(),
        Listing::Category(id) => format!("category:{id}"),
        Listing::Tag(id) => format!("tag:{id}"),
        // Not kept by triggers: counted through the (author_id, ...) index.
        Listing::Author(_) => return published_in(listing).count().get_result(conn),
    };
    let count: Option<i32> =
        listing_counts::table.find(key).select(listing_counts::posts).first(conn).optional()?;
    Ok(i64::from(count.unwrap_or(0).max(0)))
}

/// Newest first; ties broken by id so pages never overlap. Every listing is read in order
/// from an index (deep pages skip index entries, never sort the table).
pub fn list_published(
    conn: &mut Conn,
    listing: Listing,
    offset: i64,
    limit: i64,
) -> QueryResult<Vec<PostSummary>> {
    if let Listing::Tag(tag) = listing {
        let ids: Vec<PostId> = listed_with_tag(tag)
            .order((post_tags::published_at.desc(), post_tags::post_id.desc()))
            .offset(offset)
            .limit(limit)
            .select(post_tags::post_id)
            .load(conn)?;
        return summaries_in_order(conn, &ids);
    }
    published_in(listing)
        .order((posts::published_at.desc(), posts::id.desc()))
        .offset(offset)
        .limit(limit)
        .select(PostSummary::as_select())
        .load(conn)
}

/// Summaries of the published articles `ids`, in that order.
fn summaries_in_order(conn: &mut Conn, ids: &[PostId]) -> QueryResult<Vec<PostSummary>> {
    let mut found: std::collections::HashMap<PostId, PostSummary> =
        find_summaries(conn, ids)?.into_iter().map(|s| (s.id, s)).collect();
    Ok(ids.iter().filter_map(|id| found.remove(id)).collect())
}

/// The stored "Related Articles" of `post`, best first.
pub fn related_of(conn: &mut Conn, post: PostId) -> QueryResult<Vec<PostSummary>> {
    let ids: Vec<PostId> = related_posts::table
        .filter(related_posts::post_id.eq(post))
        .order(related_posts::rank.asc())
        .select(related_posts::related_id)
        .load::<i32>(conn)?
        .into_iter()
        .map(PostId)
        .collect();
    summaries_in_order(conn, &ids)
}

/// (slug, last change) of published articles, newest first (the sitemap's files).
pub fn published_dates(
    conn: &mut Conn,
    offset: i64,
    limit: i64,
) -> QueryResult<Vec<(String, NaiveDateTime)>> {
    let rows: Vec<(String, NaiveDateTime, NaiveDateTime)> = published_in(Listing::All)
        .order((posts::published_at.desc(), posts::id.desc()))
        .offset(offset)
        .limit(limit)
        .select((posts::slug, posts::published_at, posts::updated_at))
        .load(conn)?;
    Ok(rows.into_iter().map(|(slug, published, updated)| (slug, published.max(updated))).collect())
}

/// When the newest published article was last changed (read through the listing index).
pub fn newest_published_change(conn: &mut Conn) -> QueryResult<Option<NaiveDateTime>> {
    let newest: Option<(NaiveDateTime, NaiveDateTime)> = published_in(Listing::All)
        .order((posts::published_at.desc(), posts::id.desc()))
        .select((posts::published_at, posts::updated_at))
        .first(conn)
        .optional()?;
    Ok(newest.map(|(published, updated)| published.max(updated)))
}

/// Published posts with the full body, newest first (the Atom feed).
pub fn list_published_full(conn: &mut Conn, limit: i64) -> QueryResult<Vec<Post>> {
    posts::table
        .filter(posts::kind.eq(PostKind::Article))
        .filter(posts::status.eq(PostStatus::Published))
        .order((posts::published_at.desc(), posts::id.desc()))
        .limit(limit)
        .select(Post::as_select())
        .load(conn)
}

pub fn find_summaries(conn: &mut Conn, ids: &[PostId]) -> QueryResult<Vec<PostSummary>> {
    posts::table
        .filter(posts::id.eq_any(ids))
        .filter(posts::kind.eq(PostKind::Article))
        .filter(posts::status.eq(PostStatus::Published))
        .select(PostSummary::as_select())
        .load(conn)
}

#[derive(Debug, QueryableByName)]
pub struct TagMatch {
    #[diesel(sql_type = diesel::sql_types::Integer)]
    pub id: i32,
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    pub shared: i64,
}

/// The `limit` best other published posts sharing tags with `post`, ranked in SQL (two points
/// per shared tag, one for the same category, then newest), so a popular tag on a site of
/// thousands of articles costs one indexed scan, not thousands of rows in Rust.
pub fn best_tag_matches(
    conn: &mut Conn,
    post: PostId,
    category: Option<CategoryId>,
    tag_ids: &[TagId],
    limit: i64,
) -> QueryResult<Vec<TagMatch>> {
    if tag_ids.is_empty() {
        return Ok(Vec::new());
    }
    // Ids are integers from our own rows: safe to inline; the rest is bound.
    let list: Vec<String> = tag_ids.iter().map(|t| t.0.to_string()).collect();
    // From the copies on post_tags (listed, published_at) and the covering `posts_rank`
    // index: a candidate's row (its body comes first) is never read.
    let sql = match conn.kind() {
        BackendKind::Sqlite => format!(
            "SELECT pt.post_id AS id, COUNT(*) AS shared FROM post_tags pt \
             WHERE pt.tag_id IN ({}) AND pt.listed = 1 AND pt.post_id <> ? \
             GROUP BY pt.post_id \
             ORDER BY 2 * COUNT(*) + COALESCE((SELECT p.category_id = ? FROM posts p INDEXED BY posts_rank \
             WHERE p.id = pt.post_id), 0) DESC, MAX(pt.published_at) DESC, pt.post_id DESC \
             LIMIT ?",
            list.join(",")
        ),
        BackendKind::Postgres => format!(
            "SELECT pt.post_id AS id, COUNT(*) AS shared FROM post_tags pt \
             WHERE pt.tag_id IN ({}) AND pt.listed AND pt.post_id <> $1 \
             GROUP BY pt.post_id \
             ORDER BY 2 * COUNT(*) + COALESCE((SELECT (p.category_id = $2)::integer FROM posts p \
             WHERE p.id = pt.post_id), 0) DESC, MAX(pt.published_at) DESC, pt.post_id DESC \
             LIMIT $3",
            list.join(",")
        ),
    };
    diesel::sql_query(sql)
        .bind::<diesel::sql_types::Integer, _>(post.0)
        .bind::<diesel::sql_types::Nullable<diesel::sql_types::Integer>, _>(category.map(|c| c.0))
        .bind::<diesel::sql_types::BigInt, _>(limit)
        .load(conn)
}

/// The newest other published posts of a category (candidates for "Related Articles").
pub fn newest_in_category(
    conn: &mut Conn,
    post: PostId,
    category: CategoryId,
    limit: i64,
) -> QueryResult<Vec<PostId>> {
    posts::table
        .filter(posts::category_id.eq(category))
        .filter(posts::id.ne(post))
        .filter(posts::kind.eq(PostKind::Article))
        .filter(posts::status.eq(PostStatus::Published))
        .order((posts::published_at.desc(), posts::id.desc()))
        .limit(limit)
        .select(posts::id)
        .load(conn)
}

/// (title, slug) of the published pages, in menu order then title (the site navigation).
pub fn published_pages(conn: &mut Conn) -> QueryResult<Vec<(String, String)>> {
    posts::table
        .filter(posts::kind.eq(PostKind::Page))
        .filter(posts::status.eq(PostStatus::Published))
        .filter(posts::in_navigation.eq(true))
        .order((posts::menu_order.asc(), posts::title.asc()))
        .select((posts::title, posts::slug))
        .load(conn)
}

/// (slug, updated_at) of the published pages (the sitemap).
pub fn published_page_dates(conn: &mut Conn) -> QueryResult<Vec<(String, NaiveDateTime)>> {
    posts::table
        .filter(posts::kind.eq(PostKind::Page))
        .filter(posts::status.eq(PostStatus::Published))
        .order(posts::slug.asc())
        .select((posts::slug, posts::updated_at))
        .load(conn)
}

/// Every slug in use (an import picks free ones for new posts).
pub fn all_slugs(conn: &mut Conn) -> QueryResult<Vec<(PostId, String)>> {
    posts::table.select((posts::id, posts::slug)).load(conn)
}

/// The next `limit` posts after `after` by id, any kind and status (the exporter's pages).
pub fn page_by_id(conn: &mut Conn, after: PostId, limit: i64) -> QueryResult<Vec<Post>> {
    posts::table
        .filter(posts::id.gt(after))
        .order(posts::id.asc())
        .limit(limit)
        .select(Post::as_select())
        .load(conn)
}

/// Every author name shown on a post.
pub fn author_names(conn: &mut Conn) -> QueryResult<Vec<String>> {
    posts::table
        .filter(posts::author_name.is_not_null())
        .select(posts::author_name.assume_not_null())
        .distinct()
        .order(posts::author_name.assume_not_null().asc())
        .load(conn)
}

/// Posts whose body still points at WordPress's uploads (the import cannot fetch them):
/// (id, title), newest first, and how many there are. Reads every body: an admin page only.
pub fn linking_to_old_media(conn: &mut Conn, limit: i64) -> QueryResult<(Vec<(PostId, String)>, i64)> {
    let old = posts::body_source.like("%/wp-content/uploads/%");
    let total =
        posts::table.filter(old).filter(posts::status.ne(PostStatus::Trash)).count().get_result(conn)?;
    let rows = posts::table
        .filter(posts::body_source.like("%/wp-content/uploads/%"))
        .filter(posts::status.ne(PostStatus::Trash))
        .order((posts::published_at.desc(), posts::id.desc()))
        .limit(limit)
        .select((posts::id, posts::title))
        .load(conn)?;
    Ok((rows, total))
}
