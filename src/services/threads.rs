//! Where a reply is stored in its thread. Stored depth stays bounded: a reply to a comment at
//! the deepest allowed level is attached beside it (to that comment's parent), as WordPress
//! does, so no chain of replies can grow without limit.

use crate::db::Conn;

use crate::db::comments;
use crate::db::ids::CommentId;

/// The deepest nesting any setting allows (`comments.thread_depth` is 1..=10).
pub const MAX_THREAD_DEPTH: u32 = 10;

/// The parent to store for a reply to `chain[0]`, where `chain` is that comment followed by
/// its ancestors up to the top level (so `chain.len()` is its depth). `None`: top level.
pub fn capped_parent(chain: &[CommentId], max_depth: u32) -> Option<CommentId> {
    let max_depth = max_depth.max(1) as usize;
    let depth = chain.len();
    if depth == 0 || max_depth == 1 {
        return None;
    }
    if depth < max_depth {
        return chain.first().copied();
    }
    // The ancestor at depth max_depth - 1: chain[k] is at depth (depth - k).
    chain.get(depth - (max_depth - 1)).copied()
}

/// The parent to store for a reply to `parent` under `max_depth`.
pub fn reply_parent(
    conn: &mut Conn,
    parent: CommentId,
    max_depth: u32,
) -> diesel::QueryResult<Option<CommentId>> {
    let chain = comments::ancestry(conn, parent)?;
    Ok(capped_parent(&chain, max_depth))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chain(ids: &[i32]) -> Vec<CommentId> {
        ids.iter().copied().map(CommentId).collect()
    }

    #[test]
    fn shallow_replies_keep_their_parent() {
        assert_eq!(capped_parent(&chain(&[7]), 3), Some(CommentId(7)));
        assert_eq!(capped_parent(&chain(&[7, 1]), 3), Some(CommentId(7)));
    }

    #[test]
    fn a_reply_at_the_deepest_level_goes_beside_its_parent() {
        // 9 is at depth 3 (9 -> 4 -> 1); with max 3 the reply is stored under 4, at depth 3.
        assert_eq!(capped_parent(&chain(&[9, 4, 1]), 3), Some(CommentId(4)));
    }

    #[test]
    fn a_reply_into_an_old_deep_chain_is_placed_at_the_deepest_level() {
        let deep: Vec<i32> = (1..=5000).rev().collect();
        // The ancestor at depth 2 is id 2.
        assert_eq!(capped_parent(&chain(&deep), 3), Some(CommentId(2)));
    }

    #[test]
    fn depth_one_means_no_replies_nest() {
        assert_eq!(capped_parent(&chain(&[7]), 1), None);
        assert_eq!(capped_parent(&[], 3), None);
    }
}
