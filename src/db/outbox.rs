//! The mail outbox. Rows are claimed with an UPDATE ... RETURNING so two workers (two
//! instances) never both take the same mail.

use crate::db::Conn;
use crate::db::MultiBackend;
use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::enums::{MailKind, OutboxState};
use super::ids::{CommentId, MailId};
use super::schema::outbox;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = outbox, check_for_backend(MultiBackend))]
pub struct Mail {
    pub id: MailId,
    pub kind: MailKind,
    pub recipient: String,
    pub subject: String,
    pub body_text: String,
    pub body_html: String,
    pub unsubscribe_url: Option<String>,
    pub message_id: String,
    pub comment_id: Option<CommentId>,
    pub state: OutboxState,
    pub attempts: i32,
    pub next_attempt_at: NaiveDateTime,
    pub claimed_until: Option<NaiveDateTime>,
    pub last_error: Option<String>,
    pub created_at: NaiveDateTime,
    pub sent_at: Option<NaiveDateTime>,
}

#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = outbox)]
pub struct NewMail {
    pub kind: MailKind,
    pub recipient: String,
    pub subject: String,
    pub body_text: String,
    pub body_html: String,
    pub unsubscribe_url: Option<String>,
    pub message_id: String,
    pub comment_id: Option<CommentId>,
    pub state: OutboxState,
    pub next_attempt_at: NaiveDateTime,
    pub created_at: NaiveDateTime,
}

pub fn insert(conn: &mut Conn, mail: &NewMail) -> QueryResult<MailId> {
    diesel::insert_into(outbox::table).values(mail).returning(outbox::id).get_result(conn)
}

/// Takes up to `limit` due mails (pending and due, or 'sending' whose claim lapsed after a
/// crash) and marks them 'sending' until `claim_until`. Call inside a write transaction: on
/// SQLite the write lock taken at its start keeps two workers from claiming the same row; on
/// PostgreSQL the rows are also locked `FOR UPDATE SKIP LOCKED`, so workers of any number of
/// instances never claim one twice.
pub fn claim_due(
    conn: &mut Conn,
    now: NaiveDateTime,
    claim_until: NaiveDateTime,
    limit: i64,
) -> QueryResult<Vec<Mail>> {
    let due = outbox::table
        .filter(
            outbox::state
                .eq(OutboxState::Pending)
                .and(outbox::next_attempt_at.le(now))
                .or(outbox::state.eq(OutboxState::Sending).and(outbox::claimed_until.lt(now))),
        )
        .order(outbox::id.asc())
        .limit(limit)
        .select(outbox::id);
    let due: Vec<MailId> = match conn {
        Conn::Sqlite(c) => due.load(c)?,
        Conn::Pg(c) => due.for_update().skip_locked().load(c)?,
    };
    if due.is_empty() {
        return Ok(Vec::new());
    }
    diesel::update(outbox::table.filter(outbox::id.eq_any(due)))
        .set((outbox::state.eq(OutboxState::Sending), outbox::claimed_until.eq(claim_until)))
        .returning(crate::db::returning::<Mail>())
        .get_results(conn)
}

pub fn find(conn: &mut Conn, id: MailId) -> QueryResult<Option<Mail>> {
    outbox::table.find(id).select(Mail::as_select()).first(conn).optional()
}

/// Claimed mails put back in the queue, due now (an instance shutting down): each only while
/// the claim is still the one this instance made (another may have taken it over since).
pub fn release(conn: &mut Conn, claims: &[(MailId, NaiveDateTime)]) -> QueryResult<usize> {
    let mut released = 0;
    for (id, claimed_until) in claims {
        released += diesel::update(
            outbox::table
                .find(*id)
                .filter(outbox::state.eq(OutboxState::Sending))
                .filter(outbox::claimed_until.eq(*claimed_until)),
        )
        .set((outbox::state.eq(OutboxState::Pending), outbox::claimed_until.eq(None::<NaiveDateTime>)))
        .execute(conn)?;
    }
    Ok(released)
}

pub fn mark_sent(conn: &mut Conn, id: MailId, now: NaiveDateTime) -> QueryResult<usize> {
    diesel::update(outbox::table.find(id))
        .set((
            outbox::state.eq(OutboxState::Sent),
            outbox::attempts.eq(outbox::attempts + 1),
            outbox::sent_at.eq(now),
            outbox::claimed_until.eq(None::<NaiveDateTime>),
            outbox::last_error.eq(None::<String>),
        ))
        .execute(conn)
}

/// Records a failed attempt: back to 'pending' at `retry_at`, or 'failed' when `give_up`.
pub fn mark_failed_attempt(
    conn: &mut Conn,
    id: MailId,
    error: &str,
    retry_at: NaiveDateTime,
    give_up: bool,
) -> QueryResult<usize> {
    let state = if give_up { OutboxState::Failed } else { OutboxState::Pending };
    diesel::update(outbox::table.find(id))
        .set((
            outbox::state.eq(state),
            outbox::attempts.eq(outbox::attempts + 1),
            outbox::next_attempt_at.eq(retry_at),
            outbox::claimed_until.eq(None::<NaiveDateTime>),
            outbox::last_error.eq(error),
        ))
        .execute(conn)
}

/// "Retry" in the admin: a failed mail goes back in the queue, due now.
pub fn retry(conn: &mut Conn, id: MailId, now: NaiveDateTime) -> QueryResult<usize> {
    diesel::update(outbox::table.find(id).filter(outbox::state.eq(OutboxState::Failed)))
        .set((
            outbox::state.eq(OutboxState::Pending),
            outbox::attempts.eq(0),
            outbox::next_attempt_at.eq(now),
        ))
        .execute(conn)
}

pub fn list_in_state(conn: &mut Conn, state: OutboxState, limit: i64) -> QueryResult<Vec<Mail>> {
    outbox::table
        .filter(outbox::state.eq(state))
        .order(outbox::id.desc())
        .limit(limit)
        .select(Mail::as_select())
        .load(conn)
}

/// Mails per state, each with its oldest mail's creation time.
pub fn tally(conn: &mut Conn) -> QueryResult<Vec<(OutboxState, i64, Option<NaiveDateTime>)>> {
    outbox::table
        .group_by(outbox::state)
        .select((outbox::state, diesel::dsl::count_star(), diesel::dsl::min(outbox::created_at)))
        .load(conn)
}

pub fn count_in_state(conn: &mut Conn, state: OutboxState) -> QueryResult<i64> {
    outbox::table.filter(outbox::state.eq(state)).count().get_result(conn)
}

/// Whether a mail of `kind` about `comment` was already queued (so it is never sent twice).
pub fn exists_for_comment(conn: &mut Conn, kind: MailKind, comment: CommentId) -> QueryResult<bool> {
    let n: i64 = outbox::table
        .filter(outbox::kind.eq(kind))
        .filter(outbox::comment_id.eq(comment))
        .count()
        .get_result(conn)?;
    Ok(n > 0)
}

/// Cancels unsent mail to an address (privacy erasure, unsubscribe-all).
pub fn cancel_pending_to(conn: &mut Conn, recipient: &str) -> QueryResult<usize> {
    diesel::update(
        outbox::table.filter(outbox::recipient.eq(recipient)).filter(outbox::state.eq(OutboxState::Pending)),
    )
    .set(outbox::state.eq(OutboxState::Cancelled))
    .execute(conn)
}
