//! The run lifecycle and its undo log: a run starts (refused while another is alive), and
//! a failed or abandoned run is taken back batch by batch.

use super::*;

/// An import that has not moved for this long has died (its process stopped or crashed).
pub(super) const ABANDONED_AFTER_SECONDS: i64 = 300;

/// Starts a run, first undoing runs that died half-way; refused while another one is alive.
pub(super) fn begin_run(db: &Db, site: &str, file_name: &str) -> Result<i32, AppError> {
    recover_abandoned(db)?;
    db.write_now(|tx| {
        if let Some(alive) = import_runs::running(tx)?.into_iter().next() {
            return Err(AppError::RateLimited(format!(
                "Another import ({}, started {} UTC) is still running; try again when it has finished.",
                alive.file_name,
                alive.started_at.format("%Y-%m-%d %H:%M")
            )));
        }
        Ok(import_runs::start(tx, site, file_name, Utc::now().naive_utc())?)
    })
}

/// Undoes every run whose process died mid-import (its heartbeat is old); returns how many.
/// Called before each import and when the server starts.
pub fn recover_abandoned(db: &Db) -> Result<usize, AppError> {
    let cutoff = Utc::now().naive_utc() - chrono::Duration::seconds(ABANDONED_AFTER_SECONDS);
    let abandoned: Vec<_> = db
        .read_now(|c| Ok(import_runs::running(c)?))?
        .into_iter()
        .filter(|r| r.heartbeat_at < cutoff)
        .collect();
    for run in &abandoned {
        tracing::warn!(run = run.id, file = %run.file_name, "undoing an import that stopped half-way");
        undo_run(db, run.id, &run.site, RunState::Undone)?;
    }
    Ok(abandoned.len())
}

pub(super) const UNDO_BATCH: i64 = 1000;

/// Takes back what run `run` wrote, newest first, a batch per transaction; each batch also
/// deletes its log entries, so an undo interrupted in turn resumes where it stopped.
pub(super) fn undo_run(db: &Db, run: i32, site: &str, final_state: RunState) -> Result<(), AppError> {
    loop {
        let done = db.write_now(|tx| {
            let entries = import_runs::newest_entries(tx, run, UNDO_BATCH)?;
            if entries.is_empty() {
                import_runs::finish(tx, run, final_state, Utc::now().naive_utc())?;
                return Ok::<bool, AppError>(true);
            }
            for (_, kind, ref_id, detail) in &entries {
                undo_entry(tx, site, *kind, *ref_id, detail.as_deref())?;
            }
            let ids: Vec<i32> = entries.iter().map(|e| e.0).collect();
            import_runs::delete_entries(tx, &ids)?;
            Ok(false)
        })?;
        if done {
            // Posts the import wrote may sit in lists of posts it did not write.
            crate::services::related::rebuild_all(db)?;
            return Ok(());
        }
    }
}

pub(super) fn undo_entry(
    conn: &mut Conn,
    site: &str,
    kind: UndoKind,
    ref_id: Option<i32>,
    detail: Option<&str>,
) -> Result<(), AppError> {
    match (kind, ref_id) {
        (UndoKind::CommentCreated, Some(id)) => {
            // What it taught the spam filter goes with it (a re-import teaches it again).
            crate::services::classifier::learn(conn, CommentId(id), None)?;
            wp_db::delete_comment(conn, CommentId(id))?;
        }
        (UndoKind::PostCreated, Some(id)) => {
            posts::delete(conn, PostId(id))?;
        }
        (UndoKind::PostUpdated, Some(_)) => {
            let snapshot: PostSnapshot = serde_json::from_str(detail.unwrap_or_default())
                .map_err(|e| AppError::Internal(format!("unreadable undo entry: {e}")))?;
            posts::update(conn, snapshot.post.id, &changes_of(&snapshot.post))?;
            taxonomy::set_post_tags(conn, snapshot.post.id, &snapshot.tags)?;
            wp_db::set_synced(conn, site, snapshot.wp_id, snapshot.synced_at)?;
        }
        (UndoKind::CategoryCreated, Some(id)) => {
            taxonomy::delete_unused_categories(conn, &[CategoryId(id)])?;
        }
        (UndoKind::TagCreated, Some(id)) => {
            taxonomy::delete_unused_tags(conn, &[TagId(id)])?;
        }
        (UndoKind::MappedPost, Some(wp_id)) => wp_db::unmap_post(conn, site, wp_id)?,
        (UndoKind::MappedComment, Some(wp_id)) => wp_db::unmap_comment(conn, site, wp_id)?,
        (UndoKind::Redirect, _) => {
            if let Some(from) = detail {
                redirects::delete(conn, from)?;
            }
        }
        _ => {}
    }
    Ok(())
}
