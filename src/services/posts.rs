//! Reading articles for the public pages: listings with pagination, the article page data,
//! and "Related Articles".

use std::collections::HashMap;

use chrono::NaiveDateTime;
use diesel::SqliteConnection;

use crate::config::CommentsConfig;
use crate::db::comments::{self, Mention, PublicCommentRow};
use crate::db::enums::PostKind;
use crate::db::ids::{CategoryId, CommentId, PostId};
use crate::db::posts::{self, Listing, Post, PostSummary};
use crate::db::taxonomy::{self, Category, Tag};
use crate::error::AppError;
use crate::services::settings;

pub const RELATED_LIMIT: usize = 3;

/// One page of a listing; `page` is 1-based.
#[derive(Debug)]
pub struct ListingPage {
    pub posts: Vec<(PostSummary, Option<Category>)>,
    pub page: u32,
    pub total_pages: u32,
    pub total_posts: i64,
    /// Approved comments per listed post.
    pub comment_counts: HashMap<PostId, i64>,
}

/// A page of published posts. Page 1 of an empty listing exists; any page past the end is
/// `NotFound`, as WordPress answers `/page/999`.
pub fn listing_page(
    conn: &mut SqliteConnection,
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
    let ids: Vec<PostId> = summaries.iter().map(|p| p.id).collect();
    let comment_counts = comments::approved_counts(conn, &ids)?.into_iter().collect();
    let posts = with_categories(conn, summaries)?;
    Ok(ListingPage { posts, page, total_pages, total_posts, comment_counts })
}

/// At least one page, even when empty.
pub fn total_pages(total_posts: i64, per_page: u32) -> u32 {
    let per_page = i64::from(per_page.max(1));
    let pages = (total_posts + per_page - 1) / per_page;
    u32::try_from(pages.max(1)).unwrap_or(u32::MAX)
}

fn with_categories(
    conn: &mut SqliteConnection,
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
    pub comments: Vec<PublicCommentRow>,
    /// Approved pingbacks and trackbacks.
    pub mentions: Vec<Mention>,
    pub approved_count: i64,
    /// Comment settings in force (config with admin overrides).
    pub settings: CommentsConfig,
}

/// Where a post lives: articles under `/posts/`, pages under `/pages/` (a prefix, so a page
/// can never shadow `/feed.xml`, `/admin` or any route added later).
pub fn public_path(kind: PostKind, slug: &str) -> String {
    match kind {
        PostKind::Article => format!("/posts/{slug}"),
        PostKind::Page => format!("/pages/{slug}"),
    }
}

/// The published article or page `slug`, with the comments this viewer may see (`own_ids`: held
/// comments the viewer wrote).
pub fn article(
    conn: &mut SqliteConnection,
    slug: &str,
    own_ids: &[CommentId],
    base: &CommentsConfig,
) -> Result<ArticleData, AppError> {
    let post = posts::find_published_by_slug(conn, slug)?.ok_or(AppError::NotFound)?;
    let category = match post.category_id {
        Some(id) => taxonomy::find_category(conn, id)?,
        None => None,
    };
    let tags = taxonomy::tags_for_post(conn, post.id)?;
    let related = match post.kind {
        PostKind::Article => related_posts(conn, &post, &tags)?,
        PostKind::Page => Vec::new(),
    };
    let comments = comments::list_public_for_post(conn, post.id, own_ids)?;
    let mentions = comments::mentions_for_post(conn, post.id)?;
    let approved_count = comments::count_approved_for_post(conn, post.id)?;
    let settings = settings::effective_comments(conn, base)?;
    Ok(ArticleData { post, category, tags, related, comments, mentions, approved_count, settings })
}

fn related_posts(
    conn: &mut SqliteConnection,
    post: &Post,
    tags: &[Tag],
) -> Result<Vec<(PostSummary, Option<Category>)>, AppError> {
    let tag_ids: Vec<_> = tags.iter().map(|t| t.id).collect();
    let mut candidates: HashMap<PostId, RelatedCandidate> = HashMap::new();
    let limit = RELATED_LIMIT as i64;
    for found in posts::best_tag_matches(conn, post.id, post.category_id, &tag_ids, limit)? {
        let id = PostId(found.id);
        candidates.entry(id).or_insert_with(|| RelatedCandidate::new(id)).shared_tags = found.shared;
    }
    if let Some(category) = post.category_id {
        for id in posts::newest_in_category(conn, post.id, category, limit)? {
            candidates.entry(id).or_insert_with(|| RelatedCandidate::new(id)).same_category = true;
        }
    }
    let ids: Vec<PostId> = candidates.keys().copied().collect();
    let summaries: HashMap<PostId, PostSummary> =
        posts::find_summaries(conn, &ids)?.into_iter().map(|s| (s.id, s)).collect();
    // Category of a tag-only match is not known from the query above; fill it in.
    for (id, summary) in &summaries {
        if let Some(candidate) = candidates.get_mut(id) {
            candidate.published_at = summary.published_at;
            candidate.same_category |=
                summary.category_id.is_some() && summary.category_id == post.category_id;
        }
    }
    let ranked = rank_related(candidates.into_values().collect(), RELATED_LIMIT);
    let mut summaries = summaries;
    let chosen: Vec<PostSummary> = ranked.into_iter().filter_map(|id| summaries.remove(&id)).collect();
    with_categories(conn, chosen)
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
    fn new(id: PostId) -> Self {
        RelatedCandidate { id, shared_tags: 0, same_category: false, published_at: NaiveDateTime::MIN }
    }

    /// A shared tag says more than a shared category (categories are broad).
    fn score(&self) -> i64 {
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

/// Everything the sitemap lists.
#[derive(Debug)]
pub struct SitemapData {
    pub posts: Vec<PostSummary>,
    pub categories: Vec<Category>,
    pub tags: Vec<Tag>,
    /// (slug, updated_at) of the published pages.
    pub pages: Vec<(String, NaiveDateTime)>,
}

/// Sitemaps hold at most 50,000 URLs.
const SITEMAP_POSTS: i64 = 45_000;

pub fn sitemap(conn: &mut SqliteConnection) -> Result<SitemapData, AppError> {
    Ok(SitemapData {
        posts: posts::list_published(conn, Listing::All, 0, SITEMAP_POSTS)?,
        categories: taxonomy::categories_in_use(conn)?,
        tags: taxonomy::tags_in_use(conn)?,
        pages: posts::published_page_dates(conn)?,
    })
}

/// The newest published articles with their bodies, for the Atom feed.
pub fn feed(conn: &mut SqliteConnection, limit: i64) -> Result<Vec<Post>, AppError> {
    Ok(posts::list_published_full(conn, limit)?)
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
