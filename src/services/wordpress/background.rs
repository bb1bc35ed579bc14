//! The admin Tools page's import: one at a time, on its own thread, with its progress kept
//! in memory for the page to show while it runs.

use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Instant;

use chrono::Utc;
use serde::Serialize;

use super::import::{self, ImportOptions, Progress, Summary};
use crate::db::Db;
use crate::error::AppError;
use crate::services::navigation::Navigation;

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum JobState {
    #[default]
    Idle,
    Running,
    Done,
    Failed,
}

/// What the Tools page shows (and `/admin/tools/import/status` answers in JSON).
#[derive(Debug, Clone, Default, Serialize)]
pub struct JobStatus {
    pub state: JobState,
    pub file_name: String,
    pub started_by: String,
    pub dry_run: bool,
    /// "checking" (bytes of the file) or "importing" (items).
    pub phase: String,
    pub done: u64,
    pub total: u64,
    pub comments_done: u64,
    pub comments_total: u64,
    pub percent: u32,
    pub rate_per_second: u64,
    pub eta_seconds: Option<u64>,
    pub started_at: String,
    pub finished_at: String,
    /// The summary table, when done.
    pub summary: Option<String>,
    pub error: Option<String>,
    /// Problems after a successful import (the import itself is kept).
    pub warnings: Vec<String>,
}

#[derive(Debug, Clone, Default)]
pub struct ImportJobs {
    status: Arc<Mutex<JobStatus>>,
    phase_started: Arc<Mutex<Option<Instant>>>,
}

/// Everything the background thread needs.
pub struct Launch {
    pub db: Db,
    pub navigation: Navigation,
    /// The uploaded file; deleted when the import ends.
    pub file: PathBuf,
    pub file_name: String,
    pub started_by: String,
    pub options: ImportOptions,
}

impl ImportJobs {
    pub fn status(&self) -> JobStatus {
        self.status.lock().map(|s| s.clone()).unwrap_or_default()
    }

    pub fn is_running(&self) -> bool {
        self.status().state == JobState::Running
    }

    /// Starts the import on its own thread; refused while another one runs.
    pub fn start(&self, launch: Launch) -> Result<(), AppError> {
        {
            let mut status =
                self.status.lock().map_err(|_| AppError::Internal("import state poisoned".into()))?;
            if status.state == JobState::Running {
                let _ = std::fs::remove_file(&launch.file);
                return Err(AppError::RateLimited(
                    "An import is already running; wait for it to finish.".into(),
                ));
            }
            *status = JobStatus {
                state: JobState::Running,
                file_name: launch.file_name.clone(),
                started_by: launch.started_by.clone(),
                dry_run: launch.options.dry_run,
                phase: "starting".into(),
                started_at: Utc::now().format("%Y-%m-%d %H:%M:%S UTC").to_string(),
                ..JobStatus::default()
            };
        }
        let jobs = self.clone();
        std::thread::Builder::new()
            .name("wxr-import".into())
            .spawn(move || jobs.run(launch))
            .map_err(|e| AppError::Internal(format!("cannot start the import thread: {e}")))?;
        Ok(())
    }

    fn run(&self, launch: Launch) {
        // A panic in a library must not leave the page saying "running" forever.
        let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| self.import(&launch)))
            .unwrap_or_else(|_| Err(AppError::Internal("the import stopped unexpectedly".into())));
        let _ = std::fs::remove_file(&launch.file);
        let warnings = match &result {
            Ok(summary) if !launch.options.dry_run => self.after_import(&launch, summary),
            _ => Vec::new(),
        };
        if let Ok(mut status) = self.status.lock() {
            status.finished_at = Utc::now().format("%Y-%m-%d %H:%M:%S UTC").to_string();
            status.eta_seconds = None;
            status.warnings = warnings;
            match result {
                Ok(summary) => {
                    status.state = JobState::Done;
                    status.percent = 100;
                    status.summary = Some(summary.to_string());
                }
                Err(e) => {
                    tracing::warn!(error = %e, "admin import failed");
                    status.state = JobState::Failed;
                    status.error = Some(e.public_message());
                }
            }
        }
    }

    fn import(&self, launch: &Launch) -> Result<Summary, AppError> {
        import::import_file(&launch.db, &launch.file, &launch.options, self)
    }

    /// The import is committed by now: what fails here is reported, never as a failed import.
    fn after_import(&self, launch: &Launch, summary: &Summary) -> Vec<String> {
        let mut warnings = Vec::new();
        let detail = format!(
            "imported {}: {} articles and {} pages created, {} comments, {} redirects",
            launch.file_name,
            summary.articles_created,
            summary.pages_created,
            summary.comments_total() + summary.pingbacks + summary.trackbacks,
            summary.redirects
        );
        let audited = launch
            .db
            .write_now(|tx| {
                crate::services::audit::record_admin_action(tx, &launch.started_by, "import", &detail)
            })
            .and_then(|()| launch.db.read_now(|c| launch.navigation.refresh(c)));
        if let Err(e) = audited {
            tracing::warn!(error = %e, "import done; audit entry or navigation refresh failed");
            warnings.push(
                "The import is complete, but its audit entry or the navigation could not be updated.".into(),
            );
        }
        warnings
    }
}

/// Upload files older than this are left over from a server that stopped mid-import.
const STALE_UPLOAD_SECONDS: u64 = 24 * 3600;

/// Deletes `.marginalia-upload-*` files left beside the database by a server that stopped
/// during an import (they hold commenters' addresses); returns how many.
pub fn remove_stale_uploads(dir: &std::path::Path) -> usize {
    let Ok(entries) = std::fs::read_dir(dir) else { return 0 };
    let mut removed = 0;
    for entry in entries.flatten() {
        let name = entry.file_name();
        if !name.to_string_lossy().starts_with(UPLOAD_PREFIX) {
            continue;
        }
        let age = entry.metadata().ok().and_then(|m| m.modified().ok()).and_then(|t| t.elapsed().ok());
        if age.is_some_and(|a| a.as_secs() > STALE_UPLOAD_SECONDS)
            && std::fs::remove_file(entry.path()).is_ok()
        {
            removed += 1;
        }
    }
    removed
}

pub const UPLOAD_PREFIX: &str = ".marginalia-upload-";

/// Uploads are saved beside a SQLite database (the same disk as the data, unlike /tmp); with
/// PostgreSQL, whose data is elsewhere, in the temp directory.
pub fn upload_dir(database_url: &str) -> PathBuf {
    if crate::db::BackendKind::of(database_url) == crate::db::BackendKind::Postgres {
        return std::env::temp_dir();
    }
    crate::config::database_dir(database_url)
}

impl Progress for ImportJobs {
    fn phase(&self, name: &str, items: u64, comments: u64) {
        if let Ok(mut started) = self.phase_started.lock() {
            *started = Some(Instant::now());
        }
        if let Ok(mut status) = self.status.lock() {
            status.phase = name.to_string();
            status.total = items;
            status.done = 0;
            status.comments_total = comments;
            status.comments_done = 0;
            status.percent = 0;
        }
    }

    fn advance(&self, items: u64, comments: u64) {
        let elapsed = self
            .phase_started
            .lock()
            .ok()
            .and_then(|s| *s)
            .map(|s| s.elapsed().as_secs_f64())
            .unwrap_or(0.0)
            .max(0.001);
        if let Ok(mut status) = self.status.lock() {
            status.done = items;
            status.comments_done = comments;
            let rate = items as f64 / elapsed;
            status.rate_per_second = rate as u64;
            status.percent = (items * 100).checked_div(status.total).map_or(0, |p| p.min(100) as u32);
            status.eta_seconds =
                (rate > 0.0).then(|| (status.total.saturating_sub(items) as f64 / rate).ceil() as u64);
        }
    }
}
