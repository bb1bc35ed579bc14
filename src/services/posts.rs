//! Reading articles for the public pages: listings with pagination, the article page data,
//! and "Related Articles".

use std::collections::HashMap;

use crate::db::Conn;
use chrono::NaiveDateTime;

use crate::config::CommentsConfig;
use crate::db::comments::{self, Mention, PublicCommentRow};
use crate::db::enums::PostKind;
use crate::db::ids::{CategoryId, CommentId, MediaId, PostId, UserId};
use crate::db::media::{self as media_rows, Media};
use crate::db::posts::{self, Listing, Post, PostSummary};
use crate::db::taxonomy::{self, Category, Tag};
use crate::db::users;
use crate::error::AppError;
use crate::services::settings;

pub const RELATED_LIMIT: usize = 3;

/// One page of a listing; `page` is 1-based.
#[derive(Debug)]
pub struct ListingPage {
    pub posts: Vec<(PostSummary, Option<Category>)>,
    /// The featured images of the posts that have one.
    pub images: HashMap<MediaId, Media>,
    pub page: u32,
    pub total_pages: u32,
    pub total_posts: i64,
}

/// A page of published posts. Page 1 of an empty listing exists; any page past the end is
/// `NotFound`, as WordPress answers `/page/999`.
pub fn listing_page(
    conn: &mut Conn,
    listing: Listing,
    page: u32,
    per_page: u32,
) -> Result<ListingPage, AppError> {
    let total_posts = posts::count_published(conn, listing)?;
    let total_pages = total_pages(total_posts, per_page);
    if page == 0 || page > total_pages {
        return Err(AppError::NotFound);
    }
    let offset = i64::from(page - 1) * i64::from(per_page);
    let summaries = posts::list_published(conn, listing, offset, i64::from(per_page))?;
    let images = featured_images(conn, &summaries)?;
    let posts = with_categories(conn, summaries)?;
    Ok(ListingPage { posts, images, page, total_pages, total_posts })
}

/// The featured images of `summaries` (no query when none has one).
pub fn featured_images(
    conn: &mut Conn,
    summaries: &[PostSummary],
) -> Result<HashMap<MediaId, Media>, AppError> {
    let ids: Vec<MediaId> = summaries.iter().filter_map(|p| p.featured_media_id).collect();
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    Ok(media_rows::find_many(conn, &ids)?.into_iter().map(|m| (m.id, m)).collect())
}

/// Who wrote a post, as readers may see it (never the account's email or anything private).
#[derive(Debug, Clone)]
pub struct Author {
    pub name: String,
    /// `/author/{slug}` exists once the profile was saved.
    pub slug: Option<String>,
    pub bio: String,
    pub avatar: Option<Media>,
}

pub fn author(conn: &mut Conn, id: UserId) -> Result<Option<Author>, AppError> {
    let Some(user) = users::find(conn, id)? else { return Ok(None) };
    let Some(name) = user.display_name() else { return Ok(None) };
    let avatar = match user.avatar_media_id {
        Some(m) => media_rows::find(conn, m)?,
        None => None,
    };
    Ok(Some(Author { name: name.to_string(), slug: user.slug.clone(), bio: user.bio.clone(), avatar }))
}

/// An author's page: who, and a page of their published articles.
pub struct AuthorPage {
    pub author: Author,
    pub listing: ListingPage,
}

pub fn author_page(conn: &mut Conn, slug: &str, page: u32, per_page: u32) -> Result<AuthorPage, AppError> {
    let user = users::find_by_slug(conn, slug)?.ok_or(AppError::NotFound)?;
    let author = author(conn, user.id)?.ok_or(AppError::NotFound)?;
    Ok(AuthorPage { author, listing: listing_page(conn, Listing::Author(user.id), page, per_page)? })
}

/// At least one page, even when empty.
pub fn total_pages(total_posts: i64, per_page: u32) -> u32 {
    let per_page = i64::from(per_page.max(1));
    let pages = (total_posts + per_page - 1) / per_page;
    u32::try_from(pages.max(1)).unwrap_or(u32::MAX)
}

fn with_categories(
    conn: &mut Conn,
    summaries: Vec<PostSummary>,
) -> Result<Vec<(PostSummary, Option<Category>)>, AppError> {
    let mut ids: Vec<CategoryId> = summaries.iter().filter_map(|p| p.category_id).collect();
    ids.sort();
    ids.dedup();
    let categories: HashMap<CategoryId, Category> =
        taxonomy::categories_by_ids(conn, &ids)?.into_iter().map(|c| (c.id, c)).collect();
    Ok(summaries
        .into_iter()
        .map(|p| {
            let category = p.category_id.and_then(|id| categories.get(&id).cloned());
            (p, category)
        })
        .collect())
}

/// Everything the article page shows.
#[derive(Debug)]
pub struct ArticleData {
    pub post: Post,
    pub category: Option<Category>,
    pub tags: Vec<Tag>,
    pub related: Vec<(PostSummary, Option<Category>)>,
    pub author: Option<Author>,
    pub featured: Option<Media>,
    /// This page's threads.
    pub comments: Vec<PublicCommentRow>,
    pub comment_page: CommentPage,
    /// Approved pingbacks and trackbacks: the newest `MENTIONS_SHOWN`, or all when asked.
    pub mentions: Vec<Mention>,
    pub mention_count: i64,
    pub approved_count: i64,
    /// Comment settings in force (config with admin overrides).
    pub settings: CommentsConfig,
    /// For a thread: the other site's page it belongs to.
    pub thread: Option<crate::db::threads::Thread>,
}

/// Pingbacks shown under the comments unless the reader asks for all of them (a post linked
/// from hundreds of places would otherwise repeat them all on every page of comments).
pub const MENTIONS_SHOWN: i64 = 20;

/// What part of an article's discussion a request shows.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Showing {
    /// Page of threads (1-based); the newest page when None.
    pub comment_page: Option<u32>,
    /// Every mention, not only the newest `MENTIONS_SHOWN`.
    pub all_mentions: bool,
}

/// Which page of threads is shown (1-based; the newest, last, page by default).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CommentPage {
    pub page: u32,
    pub total_pages: u32,
}

impl CommentPage {
    /// The page asked for (clamped), and which threads it holds: (skip from the newest, count).
    pub fn of(threads: i64, per_page: u32, asked: Option<u32>) -> (CommentPage, i64, i64) {
        let per_page = i64::from(per_page.max(1));
        let total_pages = total_pages(threads, per_page as u32);
        let page = asked.unwrap_or(total_pages).clamp(1, total_pages);
        let start = i64::from(page - 1) * per_page;
        let end = (start + per_page).min(threads);
        (CommentPage { page, total_pages }, threads - end, (end - start).max(0))
    }
}

/// Where a post lives: articles under `/posts/`, pages under `/pages/` (a prefix, so a page
/// can never shadow `/feed.xml`, `/admin` or any route added later).
pub fn public_path(kind: PostKind, slug: &str) -> String {
    match kind {
        PostKind::Article => format!("/posts/{slug}"),
        PostKind::Page => format!("/pages/{slug}"),
        PostKind::Thread => format!("/threads/{slug}"),
    }
}

/// The published article or page `slug`, with one page of the comments this viewer may see
/// (`own_ids`: held comments the viewer wrote). Reads only that page's threads.
pub fn article(
    conn: &mut Conn,
    slug: &str,
    own_ids: &[CommentId],
    base: &CommentsConfig,
    showing: Showing,
) -> Result<ArticleData, AppError> {
    let post = posts::find_published_by_slug(conn, slug)?.ok_or(AppError::NotFound)?;
    let category = match post.category_id {
        Some(id) => taxonomy::find_category(conn, id)?,
        None => None,
    };
    let tags = taxonomy::tags_for_post(conn, post.id)?;
    let related = match post.kind {
        PostKind::Article => {
            let related = posts::related_of(conn, post.id)?;
            with_categories(conn, related)?
        }
        PostKind::Page | PostKind::Thread => Vec::new(),
    };
    let settings = settings::effective_comments(conn, base)?;
    let thread = match post.kind {
        PostKind::Thread => crate::db::threads::find(conn, post.id)?,
        _ => None,
    };
    let threads = i64::from(post.approved_threads) + comments::own_held_roots(conn, post.id, own_ids)?;
    let (comment_page, skip, count) = CommentPage::of(threads, settings.per_page, showing.comment_page);
    let roots = comments::thread_roots(conn, post.id, own_ids, skip, count)?;
    let comments = comments::threads(conn, &roots, own_ids)?;
    let mention_count = comments::mention_count(conn, post.id)?;
    let mentions =
        comments::mentions_for_post(conn, post.id, (!showing.all_mentions).then_some(MENTIONS_SHOWN))?;
    let approved_count = i64::from(post.approved_comments);
    let author = match post.author_id {
        Some(id) => author(conn, id)?,
        None => None,
    };
    let featured = match post.featured_media_id {
        Some(id) => media_rows::find(conn, id)?,
        None => None,
    };
    Ok(ArticleData {
        post,
        category,
        tags,
        related,
        author,
        featured,
        comments,
        comment_page,
        mentions,
        mention_count,
        approved_count,
        settings,
        thread,
    })
}

/// A post that might be related to the one being read.
#[derive(Debug, Clone, PartialEq)]
pub struct RelatedCandidate {
    pub id: PostId,
    pub shared_tags: i64,
    pub same_category: bool,
    pub published_at: NaiveDateTime,
}

impl RelatedCandidate {
    pub fn new(id: PostId) -> Self {
        RelatedCandidate { id, shared_tags: 0, same_category: false, published_at: NaiveDateTime::MIN }
    }

    /// A shared tag says more than a shared category (categories are broad).
    pub fn score(&self) -> i64 {
        self.shared_tags * 2 + i64::from(self.same_category)
    }
}

/// Best first: score, then newer, then higher id; only candidates with a positive score.
pub fn rank_related(mut candidates: Vec<RelatedCandidate>, limit: usize) -> Vec<PostId> {
    candidates.retain(|c| c.score() > 0);
    candidates.sort_by(|a, b| {
        b.score().cmp(&a.score()).then(b.published_at.cmp(&a.published_at)).then(b.id.cmp(&a.id))
    });
    candidates.into_iter().take(limit).map(|c| c.id).collect()
}

/// The sitemap's other file: the front page, pages and archives.
#[derive(Debug)]
pub struct SitemapSite {
    /// When the newest article was last changed (the front page's lastmod).
    pub newest: Option<NaiveDateTime>,
    pub categories: Vec<Category>,
    pub tags: Vec<Tag>,
    /// (slug, updated_at) of the published pages.
    pub pages: Vec<(String, NaiveDateTime)>,
}

/// Articles per sitemap file (the protocol allows 50,000 URLs).
pub const SITEMAP_CHUNK: i64 = 40_000;

/// How many article files the sitemap has (at least one), and the newest change.
pub fn sitemap_chunks(conn: &mut Conn) -> Result<(u32, Option<NaiveDateTime>), AppError> {
    let count = posts::count_published(conn, Listing::All)?;
    let chunks = u32::try_from(((count + SITEMAP_CHUNK - 1) / SITEMAP_CHUNK).max(1)).unwrap_or(u32::MAX);
    Ok((chunks, posts::newest_published_change(conn)?))
}

/// (slug, last change) of the articles in sitemap file `n` (1-based); past the end: NotFound.
pub fn sitemap_posts(conn: &mut Conn, n: u32) -> Result<Vec<(String, NaiveDateTime)>, AppError> {
    let (chunks, _) = sitemap_chunks(conn)?;
    if n == 0 || n > chunks {
        return Err(AppError::NotFound);
    }
    let offset = i64::from(n - 1) * SITEMAP_CHUNK;
    Ok(posts::published_dates(conn, offset, SITEMAP_CHUNK)?)
}

pub fn sitemap_site(conn: &mut Conn) -> Result<SitemapSite, AppError> {
    Ok(SitemapSite {
        newest: posts::newest_published_change(conn)?,
        categories: taxonomy::categories_in_use(conn)?,
        tags: taxonomy::tags_in_use(conn)?,
        pages: posts::published_page_dates(conn)?,
    })
}

/// The newest published articles with their bodies, for the Atom feed.
/// The feed's posts and their featured images.
pub fn feed(conn: &mut Conn, limit: i64) -> Result<(Vec<Post>, HashMap<MediaId, Media>), AppError> {
    let posts = posts::list_published_full(conn, limit)?;
    let ids: Vec<MediaId> = posts.iter().filter_map(|p| p.featured_media_id).collect();
    let images = if ids.is_empty() {
        HashMap::new()
    } else {
        media_rows::find_many(conn, &ids)?.into_iter().map(|m| (m.id, m)).collect()
    };
    Ok((posts, images))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(day: u32) -> NaiveDateTime {
        chrono::NaiveDate::from_ymd_opt(2026, 1, day)
            .and_then(|d| d.and_hms_opt(0, 0, 0))
            .expect("valid date")
    }

    fn candidate(id: i32, shared_tags: i64, same_category: bool, day: u32) -> RelatedCandidate {
        RelatedCandidate { id: PostId(id), shared_tags, same_category, published_at: at(day) }
    }

    #[test]
    fn more_shared_tags_rank_first() {
        let ranked = rank_related(
            vec![candidate(1, 1, false, 5), candidate(2, 2, false, 1), candidate(3, 0, true, 9)],
            3,
        );
        assert_eq!(ranked, vec![PostId(2), PostId(1), PostId(3)]);
    }

    #[test]
    fn a_tag_outweighs_the_category_and_both_beat_either() {
        let ranked = rank_related(
            vec![candidate(1, 0, true, 9), candidate(2, 1, false, 1), candidate(3, 1, true, 1)],
            3,
        );
        assert_eq!(ranked, vec![PostId(3), PostId(2), PostId(1)]);
    }

    #[test]
    fn ties_go_to_the_newer_post_and_limit_applies() {
        let ranked = rank_related(
            vec![candidate(1, 1, false, 1), candidate(2, 1, false, 3), candidate(3, 1, false, 2)],
            2,
        );
        assert_eq!(ranked, vec![PostId(2), PostId(3)]);
    }

    #[test]
    fn unrelated_posts_are_left_out() {
        assert!(rank_related(vec![candidate(1, 0, false, 1)], 3).is_empty());
    }

    #[test]
    fn page_count_boundaries() {
        assert_eq!(total_pages(0, 10), 1);
        assert_eq!(total_pages(10, 10), 1);
        assert_eq!(total_pages(11, 10), 2);
    }
}
