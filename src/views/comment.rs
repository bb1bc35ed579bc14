//! Public comment views: built from `PublicCommentRow`, so they have no email or IP to leak.

use std::collections::HashMap;

use serde::Serialize;

use super::DateView;
use crate::db::comments::{Mention, PublicCommentRow};
use crate::db::enums::CommentStatus;
use crate::db::ids::CommentId;
use crate::db::privacy::ERASED_AUTHOR;
use crate::i18n::{Locale, Text};
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
    /// Its author changed it after posting.
    pub edited: bool,
    /// This reader wrote it and may still change it ("Edit" under it).
    pub editable: bool,
    pub children: Vec<CommentNode>,
}

/// Marks the comments of `ids` that have no reply shown as editable (walked with a stack:
/// no recursion over stored chains).
pub fn mark_editable(nodes: &mut [CommentNode], ids: &[CommentId]) {
    if ids.is_empty() {
        return;
    }
    let mut stack: Vec<&mut CommentNode> = nodes.iter_mut().collect();
    while let Some(node) = stack.pop() {
        node.editable = node.children.is_empty() && ids.contains(&node.id);
        stack.extend(node.children.iter_mut());
    }
}

/// Nests comments under their parents, oldest first. Comments whose parent is not visible
/// attach at the top level; comments nested deeper than `max_depth` are shown as siblings at
/// the deepest level, in time order. No recursion: stored chains may be arbitrarily deep
/// (data written before depth was capped), so the walk uses an explicit queue.
pub fn build_tree(rows: Vec<PublicCommentRow>, max_depth: u32, locale: &Locale) -> Vec<CommentNode> {
    let max_depth = max_depth.max(1);
    let index: HashMap<CommentId, usize> = rows.iter().enumerate().map(|(i, r)| (r.id, i)).collect();
    let mut children: Vec<Vec<usize>> = vec![Vec::new(); rows.len()];
    let mut roots = Vec::new();
    for (i, row) in rows.iter().enumerate() {
        match row.parent_id.and_then(|p| index.get(&p).copied()).filter(|&p| p != i) {
            Some(parent) => children[parent].push(i),
            None => roots.push(i),
        }
    }
    // Breadth first from the roots: each comment gets its shown depth and shown parent.
    // A comment left unreached sits on a parent cycle: the first such becomes a root.
    let mut placed: Vec<Option<(u32, Option<usize>)>> = vec![None; rows.len()];
    let mut queue = std::collections::VecDeque::new();
    for start in roots.into_iter().chain(0..rows.len()) {
        if placed[start].is_some() {
            continue;
        }
        placed[start] = Some((1, None));
        queue.push_back(start);
        while let Some(at) = queue.pop_front() {
            let Some((depth, shown_parent)) = placed[at] else { continue };
            for &child in &children[at] {
                if placed[child].is_some() {
                    continue;
                }
                placed[child] =
                    Some(if depth < max_depth { (depth + 1, Some(at)) } else { (max_depth, shown_parent) });
                queue.push_back(child);
            }
        }
    }
    // Build bottom up, deepest level first; input order is time order, so siblings keep it.
    let mut nodes: Vec<Option<CommentNode>> = Vec::with_capacity(rows.len());
    let mut shown: Vec<(u32, Option<usize>)> = Vec::with_capacity(rows.len());
    for (row, place) in rows.into_iter().zip(placed) {
        let (depth, parent) = place.unwrap_or((1, None));
        shown.push((depth, parent));
        nodes.push(Some(node_from(row, depth, depth < max_depth, locale)));
    }
    let mut kids: Vec<Vec<CommentNode>> = vec![Vec::new(); nodes.len()];
    for depth in (2..=max_depth).rev() {
        for i in 0..nodes.len() {
            if shown[i].0 != depth {
                continue;
            }
            if let (Some(parent), Some(mut node)) = (shown[i].1, nodes[i].take()) {
                node.children = std::mem::take(&mut kids[i]);
                kids[parent].push(node);
            }
        }
    }
    nodes
        .into_iter()
        .enumerate()
        .filter_map(|(i, node)| {
            let mut node = node?;
            node.children = std::mem::take(&mut kids[i]);
            Some(node)
        })
        .collect()
}

/// The comment list's markup, built here from escaped fields and sanitized bodies (the same
/// markup the comment macro of the templates had, written out without Tera: on an article
/// with hundreds of comments the template engine was most of the page's cost).
#[derive(Debug, Clone, Default, Serialize)]
#[serde(transparent)]
pub struct CommentListHtml(String);

impl CommentListHtml {
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// Renders `nodes` and their replies, depth first, with an explicit stack.
pub fn render_list(nodes: &[CommentNode], locale: &Locale) -> CommentListHtml {
    use crate::templates::escape_html as esc;
    use std::fmt::Write;
    // The same words under every comment: put into words once per list.
    let moderator = esc(&locale.get_text("comment-moderator"));
    let edited = esc(&locale.get_text("comment-edited"));
    let awaiting = esc(&locale.get_text("comment-awaiting-moderation"));
    let edit_link = esc(&locale.get_text("comment-edit-link"));
    let reply = esc(&locale.get_text("comment-reply"));
    enum Step<'a> {
        Open(&'a CommentNode),
        Close(bool),
    }
    let mut out = String::with_capacity(nodes.len() * 1200);
    let mut stack: Vec<Step<'_>> = nodes.iter().rev().map(Step::Open).collect();
    while let Some(step) = stack.pop() {
        let c = match step {
            Step::Close(had_children) => {
                if had_children {
                    out.push_str("\n  </ol>\n  ");
                }
                out.push_str("\n</li>\n");
                continue;
            }
            Step::Open(c) => c,
        };
        let pending = if c.awaiting_moderation { " comment-pending" } else { "" };
        let _ = write!(
            out,
            "\n<li id=\"comment-{id}\" class=\"comment depth-{depth}{pending}\">\n  <article class=\"comment-body\">\n    <header class=\"comment-meta\">\n      <span class=\"avatar tone-{tone}\" aria-hidden=\"true\">{initials}</span>\n      <span class=\"comment-author\">",
            id = c.id,
            depth = c.depth,
            tone = c.avatar_tone,
            initials = esc(&c.initials),
        );
        let author = esc(&c.author);
        match &c.url {
            Some(url) => {
                let _ = write!(
                    out,
                    "<a href=\"{}\" rel=\"nofollow ugc noopener\" class=\"url\">{author}</a>",
                    esc(url)
                );
            }
            None => out.push_str(&author),
        }
        out.push_str("</span>");
        if c.by_moderator {
            let _ = write!(out, "\n      <span class=\"badge moderator-badge\">{moderator}</span>");
        }
        let _ = write!(
            out,
            "\n      <a class=\"comment-date\" href=\"#comment-{id}\"><time datetime=\"{iso}\">{display}</time></a>{edited}\n    </header>\n    ",
            id = c.id,
            iso = esc(&c.date.iso),
            display = esc(&c.date.display),
            edited = if c.edited { format!(" <span class=\"comment-edited\">{edited}</span>") } else { String::new() },
        );
        if c.awaiting_moderation {
            let _ = write!(out, "<p class=\"awaiting-moderation\">{awaiting}</p>");
        }
        out.push_str("\n    <div class=\"comment-content\">");
        out.push_str(c.body_html.as_str());
        out.push_str("</div>\n    ");
        if c.editable {
            let _ = write!(
                out,
                "<a class=\"comment-edit-link\" href=\"/comments/{id}/edit\" rel=\"nofollow\">{edit_link}</a> ",
                id = c.id,
            );
        }
        if c.can_reply {
            let label = locale.text(&Text::new("comment-reply-to").string("author", c.author.as_str()));
            let _ = write!(
                out,
                "<a class=\"comment-reply-link\" href=\"?replytocom={id}#respond\" rel=\"nofollow\" data-comment-id=\"{id}\" aria-label=\"{label}\">{reply}</a>",
                id = c.id,
                label = esc(&label),
            );
        }
        out.push_str("\n  </article>\n  ");
        let had_children = !c.children.is_empty();
        stack.push(Step::Close(had_children));
        if had_children {
            out.push_str("\n  <ol class=\"children\">\n    ");
            stack.extend(c.children.iter().rev().map(Step::Open));
        }
    }
    CommentListHtml(out)
}

/// The "Mentions" list: who linked here, oldest first (only http(s) links become links).
pub fn render_mentions(mentions: &[Mention], locale: &Locale) -> CommentListHtml {
    use crate::templates::escape_html as esc;
    use std::fmt::Write;
    let mut out = String::with_capacity(mentions.len() * 260);
    for m in mentions {
        let kind = m.kind.as_str();
        let _ = write!(out, "\n    <li id=\"comment-{}\" class=\"mention mention-{kind}\">\n      ", m.id);
        let author = esc(&m.author);
        match m.url.as_deref().filter(|u| u.starts_with("https://") || u.starts_with("http://")) {
            Some(url) => {
                let _ = write!(out, "<a href=\"{}\" rel=\"nofollow ugc noopener\">{author}</a>", esc(url));
            }
            None => out.push_str(&author),
        }
        let date = DateView::new(m.created_at, locale);
        let _ = write!(
            out,
            "\n      <span class=\"meta\">{} · <time datetime=\"{}\">{}</time></span>\n    </li>",
            esc(&locale.get_text(&format!("mention-kind-{kind}"))),
            esc(&date.iso),
            esc(&date.display)
        );
    }
    CommentListHtml(out)
}

fn node_from(mut row: PublicCommentRow, depth: u32, can_reply: bool, locale: &Locale) -> CommentNode {
    // Erased at its author's request (or imported without a name): stored in English, shown
    // in the page's language.
    if row.author == ERASED_AUTHOR {
        row.author = locale.get_text("comment-anonymous");
        if row.body_html == removed_html().as_str() {
            row.body_html = crate::services::markup::render_comment(&locale.get_text("comment-removed"))
                .html
                .into_string();
        }
    }
    CommentNode {
        id: row.id,
        initials: initials(&row.author, locale),
        avatar_tone: avatar_hue(&row.author) / 30,
        author: row.author,
        url: row.url,
        date: DateView::with_time(row.created_at, locale),
        body_html: SafeHtml::from_stored(row.body_html),
        awaiting_moderation: row.status != CommentStatus::Approved,
        by_moderator: row.user_id.is_some(),
        depth,
        can_reply: can_reply && row.status == CommentStatus::Approved,
        edited: row.edited_at.is_some(),
        editable: false,
        children: Vec::new(),
    }
}

/// The stored markup of an erased comment's text.
fn removed_html() -> &'static SafeHtml {
    static HTML: std::sync::LazyLock<SafeHtml> = std::sync::LazyLock::new(|| {
        crate::services::markup::render_comment(crate::services::privacy::REMOVED_TEXT).html
    });
    &HTML
}

/// Up to two letters from the name ("Ada Lovelace" -> "AL").
pub fn initials(name: &str, locale: &Locale) -> String {
    // Turkish dotted and dotless i: "ilknur" starts with İ, "ışık" with I.
    let turkish = locale.code() == "tr";
    let letters: String = name
        .split_whitespace()
        .filter_map(|word| word.chars().find(|c| c.is_alphanumeric()))
        .take(2)
        .flat_map(|c| match (turkish, c) {
            (true, 'i') => "İ".chars().collect::<Vec<_>>(),
            (true, 'ı') => vec!['I'],
            _ => c.to_uppercase().collect(),
        })
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
            edited_at: None,
            created_at: chrono::NaiveDate::from_ymd_opt(2026, 1, 1)
                .and_then(|d| d.and_hms_opt(0, minute, 0))
                .expect("valid time"),
        }
    }

    #[test]
    fn replies_nest_under_parents() {
        let tree =
            build_tree(vec![row(1, None, 0), row(2, Some(1), 1), row(3, None, 2)], 5, Locale::english());
        assert_eq!(tree.len(), 2);
        assert_eq!(tree[0].children.len(), 1);
        assert_eq!(tree[0].children[0].depth, 2);
    }

    #[test]
    fn replies_past_max_depth_become_siblings() {
        let rows = vec![row(1, None, 0), row(2, Some(1), 1), row(3, Some(2), 2), row(4, Some(3), 3)];
        let tree = build_tree(rows, 2, Locale::english());
        let level2 = &tree[0].children;
        assert_eq!(level2.iter().map(|n| n.id.0).collect::<Vec<_>>(), vec![2, 3, 4]);
        assert!(level2.iter().all(|n| n.depth == 2 && !n.can_reply));
        assert!(tree[0].can_reply);
    }

    #[test]
    fn a_chain_of_a_hundred_thousand_replies_is_shown_without_recursion() {
        let rows: Vec<_> = (1..=100_000).map(|id| row(id, (id > 1).then(|| id - 1), 0)).collect();
        let tree = build_tree(rows, 3, Locale::english());
        assert_eq!(tree.len(), 1);
        assert_eq!(tree[0].children.len(), 1);
        assert_eq!(tree[0].children[0].children.len(), 99_998);
        assert!(tree[0].children[0].children.iter().all(|n| n.depth == 3 && n.children.is_empty()));
    }

    #[test]
    fn parent_cycles_are_shown_once_each() {
        let tree = build_tree(
            vec![row(1, Some(2), 0), row(2, Some(1), 1), row(3, Some(3), 2)],
            5,
            Locale::english(),
        );
        let ids: Vec<i32> = tree.iter().map(|n| n.id.0).collect();
        assert_eq!(ids, vec![1, 3]);
        assert_eq!(tree[0].children[0].id.0, 2);
    }

    #[test]
    fn orphans_attach_at_top_level() {
        let tree = build_tree(vec![row(5, Some(99), 0)], 5, Locale::english());
        assert_eq!(tree.len(), 1);
    }

    #[test]
    fn initials_and_hue() {
        assert_eq!(initials("Ada  Lovelace Byron", Locale::english()), "AL");
        assert_eq!(initials("  ", Locale::english()), "?");
        assert_eq!(initials("ilknur şahin", Locale::get("tr")), "İŞ");
        assert_eq!(initials("ışıl öz", Locale::get("tr")), "IÖ");
        assert_eq!(initials("ilknur şahin", Locale::english()), "IŞ");
        assert_eq!(avatar_hue("Ada"), avatar_hue(" ada "));
        assert!(avatar_hue("x") < 360);
    }
}
