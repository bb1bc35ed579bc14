//! The learned spam filter's model: token counts, how many decisions of each kind trained it,
//! its record, and which label each comment was trained as (so a changed mind untrains it).

use crate::db::Conn;
use std::collections::HashMap;

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::ids::CommentId;
use super::schema::{comments, spam_filter, spam_tokens};

/// What a comment was trained as. Stored as text with a CHECK constraint.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Label {
    Spam,
    Ham,
}

impl Label {
    pub fn as_str(self) -> &'static str {
        match self {
            Label::Spam => "spam",
            Label::Ham => "ham",
        }
    }
    fn parse(s: &str) -> Option<Label> {
        match s {
            "spam" => Some(Label::Spam),
            "ham" => Some(Label::Ham),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TokenCounts {
    pub spam: i64,
    pub ham: i64,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ModelTotals {
    pub spam_docs: i64,
    pub ham_docs: i64,
}

/// The filter's standing, for `spam stats` and the dashboard.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Queryable)]
pub struct FilterRecord {
    pub spam_docs: i64,
    pub ham_docs: i64,
    /// Comments the filter marked spam by itself.
    pub marked_spam: i64,
    /// Of those, how many moderators said were not spam.
    pub reversed: i64,
    /// Comments the filter held for a moderator.
    pub held: i64,
    pub tokens: i64,
}

/// The totals row; a missing row reads as an untrained model.
pub fn totals(conn: &mut Conn) -> QueryResult<ModelTotals> {
    let row: Option<(i64, i64)> = spam_filter::table
        .filter(spam_filter::id.eq(1))
        .select((spam_filter::spam_docs, spam_filter::ham_docs))
        .first(conn)
        .optional()?;
    Ok(row.map(|(spam_docs, ham_docs)| ModelTotals { spam_docs, ham_docs }).unwrap_or_default())
}

pub fn record(conn: &mut Conn) -> QueryResult<FilterRecord> {
    let row: Option<(i64, i64, i64, i64, i64)> = spam_filter::table
        .filter(spam_filter::id.eq(1))
        .select((
            spam_filter::spam_docs,
            spam_filter::ham_docs,
            spam_filter::marked_spam,
            spam_filter::reversed,
            spam_filter::held,
        ))
        .first(conn)
        .optional()?;
    let tokens = spam_tokens::table.count().get_result(conn)?;
    let (spam_docs, ham_docs, marked_spam, reversed, held) = row.unwrap_or_default();
    Ok(FilterRecord { spam_docs, ham_docs, marked_spam, reversed, held, tokens })
}

/// Counts of the tokens the model knows among `tokens`: one statement, prepared once per
/// connection (the list is bound as a JSON array; `eq_any` would be prepared on every call).
pub fn counts(conn: &mut Conn, tokens: &[String]) -> QueryResult<HashMap<String, TokenCounts>> {
    if tokens.is_empty() {
        return Ok(HashMap::new());
    }
    let list =
        serde_json::to_string(tokens).map_err(|e| diesel::result::Error::SerializationError(Box::new(e)))?;
    let rows: Vec<CountRow> = KnownTokens { kind: conn.kind(), list }.load(conn)?;
    Ok(rows.into_iter().map(|r| (r.token, TokenCounts { spam: r.spam, ham: r.ham })).collect())
}

#[derive(QueryableByName)]
struct CountRow {
    #[diesel(sql_type = diesel::sql_types::Text)]
    token: String,
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    spam: i64,
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    ham: i64,
}

#[derive(diesel::query_builder::QueryId)]
struct KnownTokens {
    kind: crate::db::BackendKind,
    list: String,
}

impl diesel::query_builder::Query for KnownTokens {
    type SqlType = diesel::sql_types::Untyped;
}

impl RunQueryDsl<Conn> for KnownTokens {}

impl diesel::query_builder::QueryFragment<crate::db::MultiBackend> for KnownTokens {
    fn walk_ast<'b>(
        &'b self,
        mut out: diesel::query_builder::AstPass<'_, 'b, crate::db::MultiBackend>,
    ) -> QueryResult<()> {
        let (open, close, join) = match self.kind {
            crate::db::BackendKind::Sqlite => ("json_each(", ")", " j CROSS JOIN "),
            crate::db::BackendKind::Postgres => ("json_array_elements_text(CAST(", " AS json))", " j JOIN "),
        };
        out.push_sql("SELECT t.token, t.spam, t.ham FROM ");
        out.push_sql(open);
        out.push_bind_param::<diesel::sql_types::Text, _>(&self.list)?;
        out.push_sql(close);
        out.push_sql(join);
        out.push_sql("spam_tokens t ON t.token = j.value");
        Ok(())
    }
}

/// Adds one document of `label` with these tokens.
pub fn train(
    conn: &mut Conn,
    tokens: &[String],
    label: Label,
    docs: i64,
    now: NaiveDateTime,
) -> QueryResult<()> {
    let sums: HashMap<String, i64> = tokens.iter().map(|t| (t.clone(), docs)).collect();
    train_sums(conn, &sums, label, docs, now)
}

/// Adds `docs` documents of `label` whose tokens occurred `sums` times in all.
pub fn train_sums(
    conn: &mut Conn,
    sums: &HashMap<String, i64>,
    label: Label,
    docs: i64,
    now: NaiveDateTime,
) -> QueryResult<()> {
    use diesel::upsert::excluded;
    let rows: Vec<_> = sums
        .iter()
        .map(|(token, n)| {
            let (spam, ham) = match label {
                Label::Spam => (*n, 0),
                Label::Ham => (0, *n),
            };
            (
                spam_tokens::token.eq(token.as_str()),
                spam_tokens::spam.eq(spam),
                spam_tokens::ham.eq(ham),
                spam_tokens::trained_at.eq(now),
            )
        })
        .collect();
    for chunk in rows.chunks(200) {
        crate::db::per_backend!(conn, |c| diesel::insert_into(spam_tokens::table)
            .values(chunk)
            .on_conflict(spam_tokens::token)
            .do_update()
            .set((
                spam_tokens::spam.eq(spam_tokens::spam + excluded(spam_tokens::spam)),
                spam_tokens::ham.eq(spam_tokens::ham + excluded(spam_tokens::ham)),
                spam_tokens::trained_at.eq(excluded(spam_tokens::trained_at)),
            ))
            .execute(c))?;
    }
    add_docs(conn, label, docs)
}

/// Takes one document of `label` back (never below zero; a token no longer counted in either
/// kind is dropped).
pub fn untrain(conn: &mut Conn, tokens: &[String], label: Label) -> QueryResult<()> {
    for chunk in tokens.chunks(400) {
        let target = spam_tokens::table.filter(spam_tokens::token.eq_any(chunk));
        match label {
            Label::Spam => diesel::update(target.filter(spam_tokens::spam.gt(0)))
                .set(spam_tokens::spam.eq(spam_tokens::spam - 1))
                .execute(conn)?,
            Label::Ham => diesel::update(target.filter(spam_tokens::ham.gt(0)))
                .set(spam_tokens::ham.eq(spam_tokens::ham - 1))
                .execute(conn)?,
        };
        diesel::delete(
            spam_tokens::table
                .filter(spam_tokens::token.eq_any(chunk))
                .filter(spam_tokens::spam.eq(0))
                .filter(spam_tokens::ham.eq(0)),
        )
        .execute(conn)?;
    }
    add_docs(conn, label, -1)
}

fn add_docs(conn: &mut Conn, label: Label, docs: i64) -> QueryResult<()> {
    ensure_row(conn)?;
    let row = spam_filter::table.filter(spam_filter::id.eq(1));
    match label {
        Label::Spam => diesel::update(row)
            .set(spam_filter::spam_docs.eq(diesel::dsl::sql::<diesel::sql_types::BigInt>(&format!(
                "CASE WHEN spam_docs + {docs} < 0 THEN 0 ELSE spam_docs + {docs} END"
            ))))
            .execute(conn)?,
        Label::Ham => diesel::update(row)
            .set(spam_filter::ham_docs.eq(diesel::dsl::sql::<diesel::sql_types::BigInt>(&format!(
                "CASE WHEN ham_docs + {docs} < 0 THEN 0 ELSE ham_docs + {docs} END"
            ))))
            .execute(conn)?,
    };
    Ok(())
}

fn ensure_row(conn: &mut Conn) -> QueryResult<()> {
    crate::db::per_backend!(conn, |c| diesel::insert_into(spam_filter::table)
        .values(spam_filter::id.eq(1))
        .on_conflict_do_nothing()
        .execute(c))?;
    Ok(())
}

/// Which record counter a filter verdict or reversal adds to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tally {
    MarkedSpam,
    Reversed,
    Held,
}

pub fn tally(conn: &mut Conn, what: Tally) -> QueryResult<()> {
    ensure_row(conn)?;
    let row = spam_filter::table.filter(spam_filter::id.eq(1));
    match what {
        Tally::MarkedSpam => diesel::update(row)
            .set(spam_filter::marked_spam.eq(spam_filter::marked_spam + 1))
            .execute(conn)?,
        Tally::Reversed => {
            diesel::update(row).set(spam_filter::reversed.eq(spam_filter::reversed + 1)).execute(conn)?
        }
        Tally::Held => diesel::update(row).set(spam_filter::held.eq(spam_filter::held + 1)).execute(conn)?,
    };
    Ok(())
}

/// The fields a comment is trained on, and what it was trained as.
#[derive(Debug, Clone)]
pub struct TrainingView {
    pub author: String,
    pub email: String,
    pub url: Option<String>,
    pub body_source: String,
    pub trained_as: Option<Label>,
    /// What the filter said when the comment came in (`spam`, `held`), if anything.
    pub filter_verdict: Option<String>,
}

pub fn training_view(conn: &mut Conn, id: CommentId) -> QueryResult<Option<TrainingView>> {
    type Row = (String, String, Option<String>, String, Option<String>, Option<String>);
    let row: Option<Row> = comments::table
        .find(id)
        .select((
            comments::author,
            comments::email,
            comments::url,
            comments::body_source,
            comments::trained_as,
            comments::filter_verdict,
        ))
        .first(conn)
        .optional()?;
    Ok(row.map(|(author, email, url, body_source, trained_as, filter_verdict)| TrainingView {
        author,
        email,
        url,
        body_source,
        trained_as: trained_as.as_deref().and_then(Label::parse),
        filter_verdict,
    }))
}

pub fn set_trained_as(conn: &mut Conn, id: CommentId, label: Option<Label>) -> QueryResult<()> {
    diesel::update(comments::table.find(id))
        .set(comments::trained_as.eq(label.map(Label::as_str)))
        .execute(conn)?;
    Ok(())
}

pub fn set_filter_verdict(conn: &mut Conn, id: CommentId, verdict: &str) -> QueryResult<()> {
    diesel::update(comments::table.find(id)).set(comments::filter_verdict.eq(Some(verdict))).execute(conn)?;
    Ok(())
}

pub fn clear_filter_verdict(conn: &mut Conn, id: CommentId) -> QueryResult<()> {
    diesel::update(comments::table.find(id))
        .set(comments::filter_verdict.eq(None::<String>))
        .execute(conn)?;
    Ok(())
}

/// Keeps the model bounded: past `max_tokens`, the tokens seen once are dropped, least
/// recently trained first. Returns how many went.
pub fn prune(conn: &mut Conn, max_tokens: i64) -> QueryResult<usize> {
    let total: i64 = spam_tokens::table.count().get_result(conn)?;
    if total <= max_tokens {
        return Ok(0);
    }
    let over = total - max_tokens;
    let rare: Vec<String> = spam_tokens::table
        .filter((spam_tokens::spam + spam_tokens::ham).le(1))
        .order(spam_tokens::trained_at.asc())
        .limit(over)
        .select(spam_tokens::token)
        .load(conn)?;
    let mut gone = 0;
    for chunk in rare.chunks(400) {
        gone += diesel::delete(spam_tokens::table.filter(spam_tokens::token.eq_any(chunk))).execute(conn)?;
    }
    Ok(gone)
}

/// A comment to learn from an import: approved or spam, never trained yet.
#[derive(Debug, Clone)]
pub struct Untrained {
    pub id: CommentId,
    pub view: TrainingView,
    pub spam: bool,
}

/// The next `limit` comments imported from WordPress site `site` after `after` (by id) that
/// are approved or spam and not yet trained.
pub fn untrained_imported(
    conn: &mut Conn,
    site: &str,
    after: CommentId,
    limit: i64,
) -> QueryResult<Vec<Untrained>> {
    use super::enums::{CommentKind, CommentStatus};
    use super::schema::wordpress_comments as wp;
    let imported = wp::table.filter(wp::site.eq(site)).select(wp::comment_id.assume_not_null());
    let rows: Vec<(CommentId, CommentStatus, String, String, Option<String>, String)> = comments::table
        .filter(comments::id.gt(after))
        .filter(comments::id.eq_any(imported))
        .filter(comments::kind.eq(CommentKind::Comment))
        .filter(comments::status.eq_any([CommentStatus::Approved, CommentStatus::Spam]))
        .filter(comments::trained_as.is_null())
        .order(comments::id.asc())
        .limit(limit)
        .select((
            comments::id,
            comments::status,
            comments::author,
            comments::email,
            comments::url,
            comments::body_source,
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(id, status, author, email, url, body_source)| Untrained {
            id,
            spam: status == CommentStatus::Spam,
            view: TrainingView { author, email, url, body_source, trained_as: None, filter_verdict: None },
        })
        .collect())
}

/// Marks many comments trained as `label`.
pub fn set_many_trained_as(conn: &mut Conn, ids: &[CommentId], label: Label) -> QueryResult<()> {
    for chunk in ids.chunks(400) {
        diesel::update(comments::table.filter(comments::id.eq_any(chunk)))
            .set(comments::trained_as.eq(Some(label.as_str())))
            .execute(conn)?;
    }
    Ok(())
}
