//! Public comment views: built from `PublicCommentRow`, so they have no email or IP to leak.

use std::collections::HashMap;

use serde::Serialize;

use super::DateView;
use crate::db::comments::PublicCommentRow;
use crate::db::enums::CommentStatus;
use crate::db::ids::CommentId;
use crate::services::markup::SafeHtml;

#[derive(Debug, Clone, Serialize)]
pub struct CommentNode {
    pub id: CommentId,
    pub author: String,
    pub url: Option<String>,
    pub initials: String,
    /// One of 12 avatar colours, derived from the name (never the email, no third party).
    pub avatar_tone: u32,
    pub date: DateView,
    pub body_html: SafeHtml,
    pub awaiting_moderation: bool,
    pub by_moderator: bool,
    pub depth: u32,
    /// Replies are offered below the deepest level only.
    pub can_reply: bool,
    pub children: Vec<CommentNode>,
}

/// Nests comments under their parents, oldest first. Comments whose parent is not visible
/// (or nested deeper than `max_depth`) attach to the deepest visible ancestor level.
pub fn build_tree(rows: Vec<PublicCommentRow>, max_depth: u32) -> Vec<CommentNode> {
    let visible: std::collections::HashSet<CommentId> = rows.iter().map(|r| r.id).collect();
    let mut children: HashMap<Option<CommentId>, Vec<PublicCommentRow>> = HashMap::new();
    for row in rows {
        let parent = row.parent_id.filter(|p| visible.contains(p));
        children.entry(parent).or_default().push(row);
    }
    attach(&mut children, None, 1, max_depth.max(1))
}

fn attach(
    children: &mut HashMap<Option<CommentId>, Vec<PublicCommentRow>>,
    parent: Option<CommentId>,
    depth: u32,
    max_depth: u32,
) -> Vec<CommentNode> {
    let rows = children.remove(&parent).unwrap_or_default();
    let mut nodes = Vec::with_capacity(rows.len());
    for row in rows {
        let mut kids = attach(children, Some(row.id), depth + 1, max_depth);
        let mut node = node_from(row, depth.min(max_depth), depth < max_depth);
        if depth >= max_depth {
            // Past the deepest level replies are shown as siblings, in time order.
            nodes.push(node);
            nodes.append(&mut flatten(kids, max_depth));
        } else {
            node.children = std::mem::take(&mut kids);
            nodes.push(node);
        }
    }
    nodes
}

fn flatten(nodes: Vec<CommentNode>, depth: u32) -> Vec<CommentNode> {
    let mut out = Vec::new();
    for mut node in nodes {
        let kids = std::mem::take(&mut node.children);
        node.depth = depth;
        node.can_reply = false;
        out.push(node);
        out.extend(flatten(kids, depth));
    }
    out.sort_by(|a, b| a.date.iso.cmp(&b.date.iso).then(a.id.cmp(&b.id)));
    out
}

fn node_from(row: PublicCommentRow, depth: u32, can_reply: bool) -> CommentNode {
    CommentNode {
        id: row.id,
        initials: initials(&row.author),
        avatar_tone: avatar_hue(&row.author) / 30,
        author: row.author,
        url: row.url,
        date: DateView::new(row.created_at),
        body_html: SafeHtml::from_stored(row.body_html),
        awaiting_moderation: row.status != CommentStatus::Approved,
        by_moderator: row.user_id.is_some(),
        depth,
        can_reply: can_reply && row.status == CommentStatus::Approved,
        children: Vec::new(),
    }
}

/// Up to two letters from the name ("Ada Lovelace" -> "AL").
pub fn initials(name: &str) -> String {
    let letters: String = name
        .split_whitespace()
        .filter_map(|word| word.chars().find(|c| c.is_alphanumeric()))
        .take(2)
        .flat_map(char::to_uppercase)
        .collect();
    if letters.is_empty() {
        "?".to_string()
    } else {
        letters
    }
}

/// A stable colour per name (FNV-1a), so avatars differ without any third-party service.
pub fn avatar_hue(name: &str) -> u32 {
    let mut hash: u32 = 0x811c_9dc5;
    for byte in name.trim().to_lowercase().bytes() {
        hash ^= u32::from(byte);
        hash = hash.wrapping_mul(0x0100_0193);
    }
    hash % 360
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(id: i32, parent: Option<i32>, minute: u32) -> PublicCommentRow {
        PublicCommentRow {
            id: CommentId(id),
            parent_id: parent.map(CommentId),
            status: CommentStatus::Approved,
            author: format!("Reader {id}"),
            url: None,
            body_html: "<p>x</p>".into(),
            user_id: None,
            created_at: chrono::NaiveDate::from_ymd_opt(2026, 1, 1)
                .and_then(|d| d.and_hms_opt(0, minute, 0))
                .expect("valid time"),
        }
    }

    #[test]
    fn replies_nest_under_parents() {
        let tree = build_tree(vec![row(1, None, 0), row(2, Some(1), 1), row(3, None, 2)], 5);
        assert_eq!(tree.len(), 2);
        assert_eq!(tree[0].children.len(), 1);
        assert_eq!(tree[0].children[0].depth, 2);
    }

    #[test]
    fn replies_past_max_depth_become_siblings() {
        let rows = vec![row(1, None, 0), row(2, Some(1), 1), row(3, Some(2), 2), row(4, Some(3), 3)];
        let tree = build_tree(rows, 2);
        let level2 = &tree[0].children;
        assert_eq!(level2.iter().map(|n| n.id.0).collect::<Vec<_>>(), vec![2, 3, 4]);
        assert!(level2.iter().all(|n| n.depth == 2 && !n.can_reply));
        assert!(tree[0].can_reply);
    }

    #[test]
    fn orphans_attach_at_top_level() {
        let tree = build_tree(vec![row(5, Some(99), 0)], 5);
        assert_eq!(tree.len(), 1);
    }

    #[test]
    fn initials_and_hue() {
        assert_eq!(initials("Ada  Lovelace Byron"), "AL");
        assert_eq!(initials("  "), "?");
        assert_eq!(avatar_hue("Ada"), avatar_hue(" ada "));
        assert!(avatar_hue("x") < 360);
    }
}
