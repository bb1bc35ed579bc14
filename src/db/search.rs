//! Public search: an FTS5 index of published posts' titles and text, kept by `db::posts` on
//! every write (rowid = post id).

use diesel::prelude::*;
use diesel::sql_types::{BigInt, Integer, Text, Timestamp};

use super::enums::{PostKind, PostStatus};
use super::ids::PostId;
use super::posts::Post;

/// Highlight marks in what `search` returns (control characters never indexed, so the caller
/// can escape the text and then turn them into `<mark>`).
pub const MARK_START: char = '\u{1}';
pub const MARK_END: char = '\u{2}';

/// Adds, replaces or removes `post` in the index as its status says.
pub fn index_post(conn: &mut SqliteConnection, post: &Post) -> QueryResult<()> {
    remove_post(conn, post.id)?;
    if post.status != PostStatus::Published {
        return Ok(());
    }
    diesel::sql_query("INSERT INTO post_search (rowid, title, body) VALUES (?, ?, ?)")
        .bind::<Integer, _>(post.id.0)
        .bind::<Text, _>(clean(&post.title))
        .bind::<Text, _>(plain_text(&post.body_html))
        .execute(conn)?;
    Ok(())
}

pub fn remove_post(conn: &mut SqliteConnection, id: PostId) -> QueryResult<()> {
    diesel::sql_query("DELETE FROM post_search WHERE rowid = ?").bind::<Integer, _>(id.0).execute(conn)?;
    Ok(())
}

#[derive(QueryableByName)]
struct Count {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

/// Fills the index when it is empty and published posts exist (a database from before the
/// index, or one restored without it).
pub fn ensure_index(conn: &mut SqliteConnection) -> QueryResult<usize> {
    // One row is enough to know (COUNT(*) would read the whole index into memory at start).
    let indexed = diesel::sql_query("SELECT COUNT(*) AS n FROM (SELECT rowid FROM post_search LIMIT 1)")
        .get_result::<Count>(conn)?
        .n;
    if indexed > 0 {
        return Ok(0);
    }
    // One transaction: a commit (and an fsync) per post made this minutes on a big site.
    conn.transaction(|conn| {
        let mut after = PostId(0);
        let mut filled = 0;
        loop {
            let page = super::posts::page_by_id(conn, after, 500)?;
            let Some(last) = page.last() else { break };
            after = last.id;
            for post in page.iter().filter(|p| p.status == PostStatus::Published) {
                index_post(conn, post)?;
                filled += 1;
            }
        }
        Ok(filled)
    })
}

#[derive(Debug, QueryableByName)]
pub struct SearchHit {
    #[diesel(sql_type = Integer)]
    pub id: PostId,
    #[diesel(sql_type = Text)]
    pub slug: String,
    #[diesel(sql_type = Text)]
    pub kind: PostKind,
    #[diesel(sql_type = Timestamp)]
    pub published_at: chrono::NaiveDateTime,
    /// The title with matches between `MARK_START` and `MARK_END`.
    #[diesel(sql_type = Text)]
    pub title: String,
    /// Some words around the best match, marked the same way.
    #[diesel(sql_type = Text)]
    pub snippet: String,
}

/// Best matches first (bm25, titles weighing five times the text).
pub fn search(
    conn: &mut SqliteConnection,
    fts_query: &str,
    offset: i64,
    limit: i64,
) -> QueryResult<Vec<SearchHit>> {
    diesel::sql_query(
        "SELECT p.id, p.slug, p.kind, p.published_at, \
         highlight(post_search, 0, char(1), char(2)) AS title, \
         snippet(post_search, 1, char(1), char(2), '…', 24) AS snippet \
         FROM post_search JOIN posts p ON p.id = post_search.rowid \
         WHERE post_search MATCH ? AND p.status = 'published' \
         ORDER BY bm25(post_search, 5.0, 1.0), p.id DESC LIMIT ? OFFSET ?",
    )
    .bind::<Text, _>(fts_query)
    .bind::<BigInt, _>(limit)
    .bind::<BigInt, _>(offset)
    .load(conn)
}

pub fn count(conn: &mut SqliteConnection, fts_query: &str) -> QueryResult<i64> {
    Ok(diesel::sql_query("SELECT COUNT(*) AS n FROM post_search WHERE post_search MATCH ?")
        .bind::<Text, _>(fts_query)
        .get_result::<Count>(conn)?
        .n)
}

/// `text` without the highlight marks.
fn clean(text: &str) -> String {
    text.chars().filter(|c| *c != MARK_START && *c != MARK_END).collect()
}

/// The text of rendered HTML: tags dropped (blocks become spaces), common entities decoded.
pub fn plain_text(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(open) = rest.find('<') {
        push_decoded(&mut out, &rest[..open]);
        out.push(' ');
        rest = match rest[open..].find('>') {
            Some(close) => &rest[open + close + 1..],
            None => "",
        };
    }
    push_decoded(&mut out, rest);
    let words: Vec<&str> = out.split_whitespace().collect();
    clean(&words.join(" "))
}

fn push_decoded(out: &mut String, text: &str) {
    if !text.contains('&') {
        out.push_str(text);
        return;
    }
    out.push_str(
        &text
            .replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&quot;", "\"")
            .replace("&#39;", "'")
            .replace("&#x27;", "'")
            .replace("&nbsp;", " ")
            .replace("&amp;", "&"),
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_text_drops_tags_and_decodes_entities() {
        assert_eq!(plain_text("<p>Fish &amp; <em>chips</em></p><p>again</p>"), "Fish & chips again");
        assert_eq!(plain_text("a<b"), "a");
        assert_eq!(plain_text("x\u{1}y"), "xy");
    }
}
