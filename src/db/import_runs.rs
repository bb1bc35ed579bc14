//! Import runs and their undo log (written in the same transactions as the import's writes).

use crate::db::Conn;
use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::enums::{RunState, UndoKind};
use super::schema::{import_runs, import_undo};

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = import_runs, check_for_backend(crate::db::MultiBackend))]
pub struct ImportRun {
    pub id: i32,
    pub site: String,
    pub file_name: String,
    pub state: RunState,
    pub started_at: NaiveDateTime,
    pub heartbeat_at: NaiveDateTime,
    pub finished_at: Option<NaiveDateTime>,
}

pub fn start(conn: &mut Conn, site: &str, file_name: &str, now: NaiveDateTime) -> QueryResult<i32> {
    diesel::insert_into(import_runs::table)
        .values((
            import_runs::site.eq(site),
            import_runs::file_name.eq(file_name),
            import_runs::state.eq(RunState::Running),
            import_runs::started_at.eq(now),
            import_runs::heartbeat_at.eq(now),
        ))
        .returning(import_runs::id)
        .get_result(conn)
}

pub fn heartbeat(conn: &mut Conn, run: i32, now: NaiveDateTime) -> QueryResult<()> {
    diesel::update(import_runs::table.find(run)).set(import_runs::heartbeat_at.eq(now)).execute(conn)?;
    Ok(())
}

/// Ends a run; its undo log is no longer needed.
pub fn finish(conn: &mut Conn, run: i32, state: RunState, now: NaiveDateTime) -> QueryResult<()> {
    diesel::delete(import_undo::table.filter(import_undo::run_id.eq(run))).execute(conn)?;
    diesel::update(import_runs::table.find(run))
        .set((
            import_runs::state.eq(state),
            import_runs::finished_at.eq(now),
            import_runs::heartbeat_at.eq(now),
        ))
        .execute(conn)?;
    Ok(())
}

pub fn running(conn: &mut Conn) -> QueryResult<Vec<ImportRun>> {
    import_runs::table
        .filter(import_runs::state.eq(RunState::Running))
        .order(import_runs::id.asc())
        .select(ImportRun::as_select())
        .load(conn)
}

pub fn log(
    conn: &mut Conn,
    run: i32,
    kind: UndoKind,
    ref_id: Option<i32>,
    detail: Option<&str>,
) -> QueryResult<()> {
    diesel::insert_into(import_undo::table)
        .values((
            import_undo::run_id.eq(run),
            import_undo::kind.eq(kind),
            import_undo::ref_id.eq(ref_id),
            import_undo::detail.eq(detail),
        ))
        .execute(conn)?;
    Ok(())
}

/// (id, kind, ref_id, detail) of a run's undo log.
pub type UndoEntry = (i32, UndoKind, Option<i32>, Option<String>);

/// The newest `limit` entries of the run's log (undo goes backwards).
pub fn newest_entries(conn: &mut Conn, run: i32, limit: i64) -> QueryResult<Vec<UndoEntry>> {
    import_undo::table
        .filter(import_undo::run_id.eq(run))
        .order(import_undo::id.desc())
        .limit(limit)
        .select((import_undo::id, import_undo::kind, import_undo::ref_id, import_undo::detail))
        .load(conn)
}

pub fn delete_entries(conn: &mut Conn, ids: &[i32]) -> QueryResult<usize> {
    diesel::delete(import_undo::table.filter(import_undo::id.eq_any(ids))).execute(conn)
}

/// The newest runs, for the Tools page's history.
pub fn recent(conn: &mut Conn, limit: i64) -> QueryResult<Vec<ImportRun>> {
    import_runs::table.order(import_runs::id.desc()).limit(limit).select(ImportRun::as_select()).load(conn)
}
