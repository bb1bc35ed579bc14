//! "Related Articles", ranked when a post is written and stored in `related_posts`, so an
//! article view reads three rows instead of ranking the site.
//!
//! When post X is written, X's own list is ranked again; a post Y whose list could change
//! because of X is updated exactly: if X now ranks at least as well for Y as before, Y's list
//! is merged with X (the other candidates did not change); if X ranks worse for Y, or is no
//! longer listed, Y's list is ranked again.

use std::collections::HashMap;

use crate::db::Conn;
use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::enums::{PostKind, PostStatus};
use crate::db::ids::{CategoryId, PostId};
use crate::db::posts::{self, Post};
use crate::db::schema::{post_tags, posts as posts_table, related_posts};
use crate::db::{Change, Db, Tx};
use crate::error::AppError;
use crate::services::posts::{rank_related, RelatedCandidate, RELATED_LIMIT};

/// A post's place in another's list: what it is ranked by, best first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Ranked {
    pub id: PostId,
    pub score: i64,
    pub published_at: NaiveDateTime,
}

impl Ranked {
    /// Ordering key: higher is better.
    fn key(&self) -> (i64, NaiveDateTime, PostId) {
        (self.score, self.published_at, self.id)
    }
}

fn listed(post: &Post) -> bool {
    post.kind == PostKind::Article && post.status == PostStatus::Published
}

/// The best `RELATED_LIMIT` other published articles for `post` (empty unless it is one).
pub fn ranked_for(conn: &mut Conn, post: &Post) -> Result<Vec<Ranked>, AppError> {
    if !listed(post) {
        return Ok(Vec::new());
    }
    let tag_ids: Vec<_> =
        crate::db::taxonomy::tags_for_post(conn, post.id)?.into_iter().map(|t| t.id).collect();
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
    for summary in posts::find_summaries(conn, &ids)? {
        if let Some(candidate) = candidates.get_mut(&summary.id) {
            candidate.published_at = summary.published_at;
            candidate.same_category |=
                summary.category_id.is_some() && summary.category_id == post.category_id;
        }
    }
    let scores: HashMap<PostId, (i64, NaiveDateTime)> =
        candidates.values().map(|c| (c.id, (c.score(), c.published_at))).collect();
    Ok(rank_related(candidates.into_values().collect(), RELATED_LIMIT)
        .into_iter()
        .filter_map(|id| scores.get(&id).map(|&(score, published_at)| Ranked { id, score, published_at }))
        .collect())
}

fn stored(conn: &mut Conn, post: PostId) -> QueryResult<Vec<Ranked>> {
    let rows: Vec<(i32, i32, NaiveDateTime)> = related_posts::table
        .filter(related_posts::post_id.eq(post.0))
        .order(related_posts::rank.asc())
        .select((related_posts::related_id, related_posts::score, related_posts::published_at))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(id, score, published_at)| Ranked { id: PostId(id), score: i64::from(score), published_at })
        .collect())
}

/// Replaces `post`'s stored list; tells the page cache when it changed.
fn store(tx: &mut Tx<'_>, post: PostId, list: &[Ranked]) -> Result<(), AppError> {
    if stored(tx, post)? == list {
        return Ok(());
    }
    diesel::delete(related_posts::table.filter(related_posts::post_id.eq(post.0))).execute(&mut **tx)?;
    for (rank, r) in list.iter().enumerate() {
        diesel::insert_into(related_posts::table)
            .values((
                related_posts::post_id.eq(post.0),
                related_posts::rank.eq(rank as i32),
                related_posts::related_id.eq(r.id.0),
                related_posts::score.eq(i32::try_from(r.score).unwrap_or(i32::MAX)),
                related_posts::published_at.eq(r.published_at),
            ))
            .execute(&mut **tx)?;
    }
    tx.changed(Change::Related(post));
    Ok(())
}

/// How well `post` now ranks for every other listed article it shares a tag or its category
/// with.
fn scores_against(conn: &mut Conn, post: &Post) -> Result<HashMap<PostId, i64>, AppError> {
    let mut scores: HashMap<PostId, i64> = HashMap::new();
    let tags: Vec<i32> =
        post_tags::table.filter(post_tags::post_id.eq(post.id.0)).select(post_tags::tag_id).load(conn)?;
    if !tags.is_empty() {
        let shared: Vec<(i32, i64)> = post_tags::table
            .filter(post_tags::tag_id.eq_any(&tags))
            .filter(post_tags::listed.eq(true))
            .filter(post_tags::post_id.ne(post.id.0))
            .group_by(post_tags::post_id)
            .select((post_tags::post_id, diesel::dsl::count_star()))
            .load(conn)?;
        for (id, count) in shared {
            scores.insert(PostId(id), 2 * count);
        }
    }
    if let Some(category) = post.category_id {
        for id in same_category(conn, category, post.id)? {
            *scores.entry(id).or_insert(0) += 1;
        }
    }
    Ok(scores)
}

fn same_category(conn: &mut Conn, category: CategoryId, except: PostId) -> QueryResult<Vec<PostId>> {
    posts_table::table
        .filter(posts_table::category_id.eq(category))
        .filter(posts_table::kind.eq(PostKind::Article))
        .filter(posts_table::status.eq(PostStatus::Published))
        .filter(posts_table::id.ne(except))
        .select(posts_table::id)
        .load(conn)
}

/// Posts whose stored list holds `post`, with its entry there.
fn listing(conn: &mut Conn, post: PostId) -> QueryResult<Vec<(PostId, Ranked)>> {
    let rows: Vec<(i32, i32, NaiveDateTime)> = related_posts::table
        .filter(related_posts::related_id.eq(post.0))
        .select((related_posts::post_id, related_posts::score, related_posts::published_at))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(owner, score, published_at)| {
            (PostId(owner), Ranked { id: post, score: i64::from(score), published_at })
        })
        .collect())
}

fn rank_again(tx: &mut Tx<'_>, id: PostId) -> Result<(), AppError> {
    let list = match posts::find(tx, id)? {
        Some(post) => ranked_for(tx, &post)?,
        None => Vec::new(),
    };
    store(tx, id, &list)
}

/// After post `id` was written (created, edited, published or unpublished): its list and
/// every list it enters, leaves or moves in.
pub fn refresh_around(tx: &mut Tx<'_>, id: PostId) -> Result<(), AppError> {
    let Some(post) = posts::find(tx, id)? else {
        return Ok(()); // deleted: its rows went with it (callers rebuild the lists that held it)
    };
    rank_again(tx, id)?;
    let now_listed = listed(&post);
    let scores = if now_listed { scores_against(tx, &post)? } else { HashMap::new() };
    let mut holding: HashMap<PostId, Ranked> = listing(tx, id)?.into_iter().collect();
    for (owner, before) in &holding {
        let after =
            Ranked { id, score: scores.get(owner).copied().unwrap_or(0), published_at: post.published_at };
        if !now_listed || after.key() < before.key() {
            rank_again(tx, *owner)?; // it may drop out: the next candidate is not stored
        } else if after != *before {
            merge(tx, *owner, after)?;
        }
    }
    for (owner, score) in scores {
        if score <= 0 || holding.remove(&owner).is_some() {
            continue;
        }
        merge(tx, owner, Ranked { id, score, published_at: post.published_at })?;
    }
    Ok(())
}

/// `owner`'s list with `entry` taken into account (the rest of the ranking is unchanged).
fn merge(tx: &mut Tx<'_>, owner: PostId, entry: Ranked) -> Result<(), AppError> {
    let mut list = stored(tx, owner)?;
    list.retain(|r| r.id != entry.id);
    list.push(entry);
    list.sort_by_key(|r| std::cmp::Reverse(r.key()));
    list.truncate(RELATED_LIMIT);
    store(tx, owner, &list)
}

/// Ranks every post's list again (after an import or an undo), a batch per transaction.
pub fn rebuild_all(db: &Db) -> Result<usize, AppError> {
    const BATCH: i64 = 500;
    let mut after = PostId(0);
    let mut done = 0;
    loop {
        let ids: Vec<PostId> = db.read_now(|c| {
            Ok(posts_table::table
                .filter(posts_table::id.gt(after))
                .order(posts_table::id.asc())
                .limit(BATCH)
                .select(posts_table::id)
                .load(c)?)
        })?;
        let Some(last) = ids.last().copied() else { break };
        db.write_now(|tx| {
            tx.changed(Change::Everything);
            ids.iter().try_for_each(|id| rank_again(tx, *id))
        })?;
        done += ids.len();
        after = last;
    }
    Ok(done)
}
