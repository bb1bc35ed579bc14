//! Public search over published posts (SQLite FTS5). The reader's words become a query of
//! quoted terms, so no FTS syntax they type can fail or be slow; nothing is logged.

use diesel::SqliteConnection;

use crate::db::search::{self, SearchHit};
use crate::error::AppError;

pub const PER_PAGE: u32 = 10;
const MAX_TERMS: usize = 8;
const MAX_TERM_CHARS: usize = 40;

/// The FTS5 query for what a reader typed: every word must appear (the last one as a
/// prefix, so results come while typing); None when there is no word.
pub fn fts_query(typed: &str) -> Option<String> {
    let words: Vec<String> = typed
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .take(MAX_TERMS)
        .map(|w| w.chars().take(MAX_TERM_CHARS).collect())
        .collect();
    let last = words.len().checked_sub(1)?;
    Some(
        words
            .iter()
            .enumerate()
            .map(
                |(i, w)| {
                    if i == last && w.chars().count() >= 3 {
                        format!("\"{w}\"*")
                    } else {
                        format!("\"{w}\"")
                    }
                },
            )
            .collect::<Vec<_>>()
            .join(" "),
    )
}

pub struct SearchPage {
    pub hits: Vec<SearchHit>,
    pub total: i64,
    pub page: u32,
    pub total_pages: u32,
}

pub fn search(conn: &mut SqliteConnection, typed: &str, page: u32) -> Result<SearchPage, AppError> {
    let Some(query) = fts_query(typed) else {
        return Ok(SearchPage { hits: Vec::new(), total: 0, page: 1, total_pages: 1 });
    };
    let total = search::count(conn, &query)?;
    let total_pages = crate::services::posts::total_pages(total, PER_PAGE);
    let page = page.clamp(1, total_pages);
    let offset = i64::from(page - 1) * i64::from(PER_PAGE);
    let hits = search::search(conn, &query, offset, i64::from(PER_PAGE))?;
    Ok(SearchPage { hits, total, page, total_pages })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn readers_words_are_quoted_terms() {
        assert_eq!(fts_query("hair loss").as_deref(), Some("\"hair\" \"loss\"*"));
        assert_eq!(fts_query("NEAR(\"a\" OR b)*").as_deref(), Some("\"NEAR\" \"a\" \"OR\" \"b\""));
        assert_eq!(fts_query("  ** \" ").as_deref(), None);
        assert_eq!(fts_query("Saç dökülmesi").as_deref(), Some("\"Saç\" \"dökülmesi\"*"));
    }
}
