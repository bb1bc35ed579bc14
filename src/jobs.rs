//! Background jobs started by `serve` (and by the tests' server): the outbox worker, the
//! digest and the purge of old spam and trash.

use std::time::Duration;

use chrono::Utc;

use crate::services::{mailer, notify, queue, settings};
use crate::state::AppState;

const PURGE_EVERY: Duration = Duration::from_secs(3600);
const DIGEST_CHECK_EVERY: Duration = Duration::from_secs(60);

/// The running jobs; `stop` ends them (a restart in tests, a clean shutdown).
pub struct Jobs(Vec<tokio::task::JoinHandle<()>>);

impl Jobs {
    pub fn stop(&self) {
        for job in &self.0 {
            job.abort();
        }
    }
}

pub fn spawn_all(state: &AppState) -> Jobs {
    let mut jobs = vec![mailer::spawn_worker(state.clone(), state.mailer.clone(), state.db.mail_wake())];
    jobs.extend(spawn_digest(state.clone()));
    jobs.push(spawn_purge(state.clone()));
    jobs.push(spawn_ip_retention(state.clone()));
    jobs.push(spawn_navigation_refresh(state.clone()));
    jobs.push(spawn_import_recovery(state.clone()));
    Jobs(jobs)
}

fn spawn_digest(state: AppState) -> Option<tokio::task::JoinHandle<()>> {
    if state.config.mail.digest == crate::config::Digest::Off {
        return None;
    }
    Some(tokio::spawn(async move {
        let mut interval = tokio::time::interval(DIGEST_CHECK_EVERY);
        loop {
            interval.tick().await;
            let notifier = state.notifier.clone();
            match state.db.write(move |c| notify::digest_if_due(&notifier, c, Utc::now().naive_utc())).await {
                Ok(0) => {}
                Ok(n) => {
                    tracing::info!(mails = n, "digest queued");
                }
                Err(e) => tracing::warn!(error = %e, "digest failed; will retry"),
            }
        }
    }))
}

const NAVIGATION_EVERY: Duration = Duration::from_secs(10);

/// Picks up pages changed by another process (an import from the command line).
fn spawn_navigation_refresh(state: AppState) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut interval = tokio::time::interval(NAVIGATION_EVERY);
        loop {
            interval.tick().await;
            let nav = state.navigation.clone();
            if let Err(e) = state.db.read(move |c| nav.refresh(c)).await {
                tracing::warn!(error = %e, "navigation refresh failed; will retry");
            }
        }
    })
}

/// Undoes WordPress imports whose process died half-way (at start, then hourly).
fn spawn_import_recovery(state: AppState) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut interval = tokio::time::interval(PURGE_EVERY);
        loop {
            interval.tick().await;
            let db = state.db.clone();
            let result =
                crate::db::blocking(move || crate::services::wordpress::import::recover_abandoned(&db)).await;
            let dir = crate::services::wordpress::background::upload_dir(&state.config.database.url);
            let removed = tokio::task::spawn_blocking(move || {
                crate::services::wordpress::background::remove_stale_uploads(&dir)
            })
            .await
            .unwrap_or(0);
            if removed > 0 {
                tracing::warn!(files = removed, "deleted uploads left by an interrupted import");
            }
            match result {
                Ok(0) => {}
                Ok(n) => tracing::warn!(runs = n, "undid imports that had stopped half-way"),
                Err(e) => tracing::warn!(error = %e, "checking for abandoned imports failed; will retry"),
            }
        }
    })
}

/// Truncates old IPs (privacy.ip_retention_days), hourly.
fn spawn_ip_retention(state: AppState) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut interval = tokio::time::interval(PURGE_EVERY);
        loop {
            interval.tick().await;
            let days = state.config.privacy.ip_retention_days;
            let db = state.db.clone();
            match crate::db::blocking(move || crate::services::privacy::purge_ips(&db, days)).await {
                Ok(0) => {}
                Ok(n) => tracing::info!(comments = n, "truncated old IP addresses"),
                Err(e) => tracing::warn!(error = %e, "IP retention failed; will retry"),
            }
        }
    })
}

/// Deletes spam and trash older than `comments.purge_after_days`, hourly.
fn spawn_purge(state: AppState) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut interval = tokio::time::interval(PURGE_EVERY);
        loop {
            interval.tick().await;
            let base = state.config.comments.clone();
            let result = state
                .db
                .write(move |c| {
                    let days = settings::effective_comments(c, &base)?.purge_after_days;
                    queue::purge_stale(c, days)
                })
                .await;
            match result {
                Ok(0) => {}
                Ok(n) => tracing::info!(deleted = n, "purged old spam and trash"),
                Err(e) => tracing::warn!(error = %e, "purge failed; will retry"),
            }
            let idle = state.config.security.session_idle_minutes;
            let now = chrono::Utc::now().naive_utc();
            if let Err(e) =
                state.db.write(move |c| crate::services::sessions::purge_expired(c, idle, now)).await
            {
                tracing::warn!(error = %e, "purging expired admin sessions failed; will retry");
            }
        }
    })
}
