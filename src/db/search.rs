//! Public search: an index of published posts' titles and text (SQLite FTS5; on PostgreSQL a
//! table with a generated `tsvector`), kept by `db::posts` on every write (rowid = post id).

use super::Count;
use crate::db::{BackendKind, Conn};
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
pub fn index_post(conn: &mut Conn, post: &Post) -> QueryResult<()> {
    remove_post(conn, post.id)?;
    // Threads have no text of their own: their page is on another site.
    if post.status != PostStatus::Published || post.kind == super::enums::PostKind::Thread {
        return Ok(());
    }
    diesel::sql_query(super::numbered(
        conn.kind(),
        "INSERT INTO post_search (rowid, title, body) VALUES (?, ?, ?)",
    ))
    .bind::<Integer, _>(post.id.0)
    .bind::<Text, _>(clean(&post.title))
    .bind::<Text, _>(plain_text(&post.body_html))
    .execute(conn)?;
    Ok(())
}

pub fn remove_post(conn: &mut Conn, id: PostId) -> QueryResult<()> {
    diesel::sql_query(super::numbered(conn.kind(), "DELETE FROM post_search WHERE rowid = ?"))
        .bind::<Integer, _>(id.0)
        .execute(conn)?;
    Ok(())
}

/// Fills the index when it is empty and published posts exist (a database from before the
/// index, or one restored without it).
pub fn ensure_index(conn: &mut Conn) -> QueryResult<usize> {
    // One row is enough to know (COUNT(*) would read the whole index into memory at start).
    let indexed =
        diesel::sql_query("SELECT COUNT(*) AS n FROM (SELECT rowid FROM post_search LIMIT 1) AS one")
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

/// What a reader searches for: words that must all appear, the last maybe as a prefix.
/// Words hold letters and digits only (`services::search` makes them).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchTerms {
    pub words: Vec<String>,
    pub last_is_prefix: bool,
}

impl SearchTerms {
    /// As an FTS5 query of quoted terms.
    pub fn fts5(&self) -> String {
        self.joined(" ", |w| format!("\"{w}\""), "*")
    }

    /// As a PostgreSQL `tsquery` of quoted lexemes.
    pub fn tsquery(&self) -> String {
        self.joined(" & ", |w| format!("'{w}'"), ":*")
    }

    fn joined(&self, and: &str, quote: impl Fn(&str) -> String, prefix: &str) -> String {
        let last = self.words.len().saturating_sub(1);
        let terms: Vec<String> = self
            .words
            .iter()
            .enumerate()
            .map(|(i, w)| {
                // Only letters and digits reach here; anything else would be query syntax.
                let w: String = w.chars().filter(|c| c.is_alphanumeric()).collect();
                let quoted = quote(&w);
                if i == last && self.last_is_prefix {
                    quoted + prefix
                } else {
                    quoted
                }
            })
            .collect();
        terms.join(and)
    }
}

/// Best matches first (titles weighing more than the text).
pub fn search(conn: &mut Conn, terms: &SearchTerms, offset: i64, limit: i64) -> QueryResult<Vec<SearchHit>> {
    let (sql, query) = match conn.kind() {
        BackendKind::Sqlite => (
            "SELECT p.id, p.slug, p.kind, p.published_at, \
             highlight(post_search, 0, char(1), char(2)) AS title, \
             snippet(post_search, 1, char(1), char(2), '…', 24) AS snippet \
             FROM post_search JOIN posts p ON p.id = post_search.rowid \
             WHERE post_search MATCH ? AND p.status = 'published' \
             ORDER BY bm25(post_search, 5.0, 1.0), p.id DESC LIMIT ? OFFSET ?",
            terms.fts5(),
        ),
        BackendKind::Postgres => (
            "SELECT p.id, p.slug, p.kind, p.published_at, \
             ts_headline('marginalia_search', s.title, q.q, 'HighlightAll=true, StartSel=' || chr(1) || ', StopSel=' || chr(2)) AS title, \
             ts_headline('marginalia_search', s.body, q.q, 'MaxFragments=1, MaxWords=24, MinWords=12, FragmentDelimiter=…, StartSel=' \
               || chr(1) || ', StopSel=' || chr(2)) AS snippet \
             FROM (SELECT to_tsquery('marginalia_search', $1) AS q) q CROSS JOIN post_search s JOIN posts p ON p.id = s.rowid \
             WHERE s.document @@ q.q AND p.status = 'published' \
             ORDER BY ts_rank(s.document, q.q) DESC, p.id DESC LIMIT $2 OFFSET $3",
            terms.tsquery(),
        ),
    };
    diesel::sql_query(sql)
        .bind::<Text, _>(query)
        .bind::<BigInt, _>(limit)
        .bind::<BigInt, _>(offset)
        .load(conn)
}

pub fn count(conn: &mut Conn, terms: &SearchTerms) -> QueryResult<i64> {
    let (sql, query) = match conn.kind() {
        BackendKind::Sqlite => {
            ("SELECT COUNT(*) AS n FROM post_search WHERE post_search MATCH ?", terms.fts5())
        }
        BackendKind::Postgres => (
            "SELECT COUNT(*) AS n FROM post_search WHERE document @@ to_tsquery('marginalia_search', $1)",
            terms.tsquery(),
        ),
    };
    Ok(diesel::sql_query(sql).bind::<Text, _>(query).get_result::<Count>(conn)?.n)
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
