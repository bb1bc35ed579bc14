//! Public search over published posts (SQLite FTS5 or PostgreSQL text search). The reader's
//! words become quoted terms, so no search syntax they type can fail or be slow; nothing is
//! logged.

use crate::db::Conn;

use crate::db::search::{self, SearchHit, SearchTerms};
use crate::error::AppError;

pub const PER_PAGE: u32 = 10;
const MAX_TERMS: usize = 8;
const MAX_TERM_CHARS: usize = 40;

/// The terms of what a reader typed: every word must appear (the last one as a prefix, so
/// results come while typing); None when there is no word. Words are letters and digits
/// only, so no search syntax they type can fail or be slow.
pub fn search_terms(typed: &str) -> Option<SearchTerms> {
    let words: Vec<String> = typed
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .take(MAX_TERMS)
        .map(|w| w.chars().take(MAX_TERM_CHARS).collect())
        .collect();
    let last_is_prefix = words.last()?.chars().count() >= 3;
    Some(SearchTerms { words, last_is_prefix })
}

pub struct SearchPage {
    pub hits: Vec<SearchHit>,
    pub total: i64,
    pub page: u32,
    pub total_pages: u32,
}

pub fn search(conn: &mut Conn, typed: &str, page: u32) -> Result<SearchPage, AppError> {
    let Some(query) = search_terms(typed) else {
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
        let fts5 = |typed: &str| search_terms(typed).map(|t| t.fts5());
        let tsquery = |typed: &str| search_terms(typed).map(|t| t.tsquery());
        assert_eq!(fts5("hair loss").as_deref(), Some("\"hair\" \"loss\"*"));
        assert_eq!(fts5("NEAR(\"a\" OR b)*").as_deref(), Some("\"NEAR\" \"a\" \"OR\" \"b\""));
        assert_eq!(fts5("  ** \" ").as_deref(), None);
        assert_eq!(fts5("Saç dökülmesi").as_deref(), Some("\"Saç\" \"dökülmesi\"*"));
        assert_eq!(tsquery("hair loss").as_deref(), Some("'hair' & 'loss':*"));
        assert_eq!(tsquery("a & b | !c").as_deref(), Some("'a' & 'b' & 'c'"));
    }
}
