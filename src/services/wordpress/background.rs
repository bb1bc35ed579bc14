//! The admin Tools page's import: one at a time, on its own thread, with its progress kept
//! in memory for the page to show while it runs.

use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Instant;

use chrono::Utc;
use serde::Serialize;

use super::import::{self, ImportOptions, Progress};
use crate::db::DbPool;
use crate::error::AppError;
use crate::services::navigation::Navigation;
use crate::services::queue;

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
}

#[derive(Debug, Clone, Default)]
pub struct ImportJobs {
    status: Arc<Mutex<JobStatus>>,
    phase_started: Arc<Mutex<Option<Instant>>>,
}

/// Everything the background thread needs.
pub struct Launch {
    pub pool: DbPool,
    pub write_lock: Arc<Mutex<()>>,
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
        let result = launch.pool.get().map_err(AppError::from).and_then(|mut conn| {
            let summary = import::import_file(
                &mut conn,
                &launch.file,
                &launch.options,
                Some(&launch.write_lock),
                self,
            )?;
            if !launch.options.dry_run {
                let detail = format!(
                    "imported {}: {} articles and {} pages created, {} comments, {} redirects",
                    launch.file_name,
                    summary.articles_created,
                    summary.pages_created,
                    summary.comments_total() + summary.pingbacks + summary.trackbacks,
                    summary.redirects
                );
                queue::record_admin_action(&mut conn, &launch.started_by, "import", &detail)?;
                launch.navigation.refresh(&mut conn)?;
            }
            Ok(summary)
        });
        let _ = std::fs::remove_file(&launch.file);
        if let Ok(mut status) = self.status.lock() {
            status.finished_at = Utc::now().format("%Y-%m-%d %H:%M:%S UTC").to_string();
            status.eta_seconds = None;
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
