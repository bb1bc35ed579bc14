//! Background jobs started by `serve` (and by the tests' server): the outbox worker, the
//! digest, the hourly purges and retention, the navigation refresh, and the recovery of
//! imports that died half-way.

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use chrono::{NaiveDateTime, Utc};
use tokio::sync::Notify;

use crate::config::MailConfig;
use crate::db::ids::MailId;
use crate::db::outbox::{self, Mail};
use crate::db::Db;
use crate::error::AppError;
use crate::services::mailer::{self, Mailer};
use crate::services::moderation::actions as queue;
use crate::services::wordpress::{background, import as wp_import};
use crate::services::{notify, privacy, sessions, settings};
use crate::state::AppState;

const HOURLY: Duration = Duration::from_secs(3600);
const DIGEST_CHECK_EVERY: Duration = Duration::from_secs(60);
const NAVIGATION_EVERY: Duration = Duration::from_secs(10);
/// Mails claimed per pass.
const BATCH: i64 = 20;
/// How long a worker owns a claimed mail before another may take it over (crash recovery).
const CLAIM_SECONDS: i64 = 300;
/// Polling interval for retries that come due; new mail wakes the worker at once.
const POLL: Duration = Duration::from_secs(2);

/// The running jobs; `stop` ends them (a restart in tests), `shut_down` also hands back the
/// mails this process claimed and did not send.
pub struct Jobs {
    handles: Vec<tokio::task::JoinHandle<()>>,
    claims: Claims,
}

/// Mails the outbox worker claimed and has not finished with, with the claim's end it set.
type Claims = Arc<std::sync::Mutex<Vec<(MailId, NaiveDateTime)>>>;

impl Jobs {
    pub fn stop(&self) {
        for job in &self.handles {
            job.abort();
        }
    }

    /// At shutdown: the jobs stopped, then the mails claimed here and not sent put back in the
    /// queue at once (another instance, or the next start, sends them without waiting for the
    /// claim to run out). One interrupted mid-send may go out twice: delivery is at least once.
    pub fn shut_down(&self, db: &Db) {
        self.stop();
        let ids = std::mem::take(&mut *self.claims.lock().unwrap_or_else(|p| p.into_inner()));
        if ids.is_empty() {
            return;
        }
        match db.write_private_now(|tx| Ok(outbox::release(tx, &ids)?)) {
            Ok(released) => tracing::info!(released, "unsent mails handed back to the queue"),
            Err(e) => {
                tracing::warn!(error = %e, "claimed mails not handed back; they are retried when the claim ends")
            }
        }
    }
}

pub fn spawn_all(state: &AppState) -> Jobs {
    let claims = Claims::default();
    let mut jobs = vec![spawn_outbox_worker(
        state.db.clone(),
        state.mailer.clone(),
        state.config.mail.clone(),
        claims.clone(),
    )];
    if state.config.mail.digest != crate::config::Digest::Off {
        jobs.push(every(DIGEST_CHECK_EVERY, "digest", state.clone(), digest));
    }
    jobs.push(once_per_period(HOURLY, "purge of old spam and trash", state.clone(), purge_stale_comments));
    jobs.push(once_per_period(
        HOURLY,
        "purge of expired sessions, privacy links and login counters",
        state.clone(),
        purge_expired_sessions,
    ));
    jobs.push(once_per_period(HOURLY, "IP retention", state.clone(), ip_retention));
    jobs.push(once_per_period(HOURLY, "spam filter pruning", state.clone(), prune_spam_model));
    jobs.push(every(NAVIGATION_EVERY, "navigation refresh", state.clone(), refresh_navigation));
    jobs.push(every(HOURLY, "import recovery", state.clone(), recover_imports));
    jobs.push(every(SCHEDULER_EVERY, "scheduled posts", state.clone(), publish_scheduled));
    jobs.push(once_per_period(HOURLY, "purge of trashed posts", state.clone(), purge_trashed_posts));
    jobs.push(every(HOURLY, "media without a row", state.clone(), sweep_media));
    jobs.push(once_per_period(
        HOURLY,
        "purge of the change log and rate limits",
        state.clone(),
        purge_shared,
    ));
    jobs.push(every(FOLLOW_EVERY, "changes from other instances", state.clone(), follow_others));
    let backups = &state.config.backup;
    if backups.every_hours > 0 && !state.config.database.is_postgres() {
        let period = Duration::from_secs(u64::from(backups.every_hours) * 3600);
        jobs.push(once_per_period(period, "scheduled backup", state.clone(), scheduled_backup));
    }
    Jobs { handles: jobs, claims }
}

/// How soon a page cached here shows a write made by another instance (or the command line).
const FOLLOW_EVERY: Duration = Duration::from_millis(250);

/// `every`, but of the instances sharing the database only the one that takes the job's
/// lease runs it in a period. (Start-up recovery and local sweeps stay per instance.)
fn once_per_period<F, Fut>(
    period: Duration,
    name: &'static str,
    state: AppState,
    job: F,
) -> tokio::task::JoinHandle<()>
where
    F: Fn(AppState) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Result<(), AppError>> + Send,
{
    let job = Arc::new(job);
    every(period, name, state, move |state| {
        let job = job.clone();
        async move {
            if take_lease(&state, name, period).await? {
                job(state).await
            } else {
                Ok(())
            }
        }
    })
}

/// The job's lease until a little before its next period, when nobody else holds it.
async fn take_lease(state: &AppState, name: &'static str, period: Duration) -> Result<bool, AppError> {
    let holder = state.db.instance().to_string();
    let now = Utc::now().naive_utc();
    let period = chrono::Duration::from_std(period).unwrap_or(chrono::Duration::hours(1));
    // Short of the period, so the holder's own next tick finds it free.
    let until = now + period - chrono::Duration::seconds(5);
    state
        .db
        .write_private(move |tx| Ok(crate::db::instances::take_lease(tx, name, &holder, now, until)?))
        .await
}

/// Drops the change log and rate-limit windows older than an hour.
async fn purge_shared(state: AppState) -> Result<(), AppError> {
    let before = Utc::now().naive_utc() - chrono::Duration::hours(1);
    state
        .db
        .write_private(move |tx| {
            crate::db::instances::prune_changes(tx, before)?;
            crate::db::instances::prune_rate_limits(tx, before)?;
            Ok(())
        })
        .await
}

async fn follow_others(state: AppState) -> Result<(), AppError> {
    state.db.follow_others().await.map(|_| ())
}

/// Runs `job` now and then every `period`; a failure is logged and retried next time.
fn every<F, Fut>(period: Duration, name: &'static str, state: AppState, job: F) -> tokio::task::JoinHandle<()>
where
    F: Fn(AppState) -> Fut + Send + 'static,
    Fut: Future<Output = Result<(), AppError>> + Send,
{
    tokio::spawn(async move {
        let mut interval = tokio::time::interval(period);
        loop {
            interval.tick().await;
            let outcome = job(state.clone()).await;
            state.metrics.job(name, outcome.is_err());
            if let Err(e) = outcome {
                tracing::warn!(error = %e, job = name, "background job failed; will retry");
            }
        }
    })
}

async fn digest(state: AppState) -> Result<(), AppError> {
    let notifier = state.notifier.clone();
    let mails = state
        .db
        .write_private(move |tx| notify::digest_if_due(&notifier, tx, Utc::now().naive_utc()))
        .await?;
    if mails > 0 {
        tracing::info!(mails, "digest queued");
    }
    Ok(())
}

/// How often scheduled posts are looked at: a post goes live within this of its time.
const SCHEDULER_EVERY: Duration = Duration::from_secs(5);

/// Publishes scheduled posts whose time has come (the write happens only when one has).
async fn publish_scheduled(state: AppState) -> Result<(), AppError> {
    let now = Utc::now().naive_utc();
    let due = state.db.read(move |c| Ok(crate::db::posts::due_scheduled(c, now, 1)?)).await?;
    if due.is_empty() {
        return Ok(());
    }
    let published = state.db.write(move |tx| crate::services::post_admin::publish_due(tx, now)).await?;
    for post in &published {
        tracing::info!(post = %post.id, "scheduled post published");
    }
    Ok(())
}

/// Posts in the trash for more than 30 days are deleted for good, with their comments.
async fn purge_trashed_posts(state: AppState) -> Result<(), AppError> {
    let deleted =
        state.db.write(|tx| crate::services::post_admin::purge_trash(tx, Utc::now().naive_utc())).await?;
    if deleted > 0 {
        tracing::info!(deleted, "deleted posts trashed long ago");
    }
    Ok(())
}

/// A backup of the live SQLite database (and uploads) into `backup.dir`, old ones rotated out.
async fn scheduled_backup(state: AppState) -> Result<(), AppError> {
    let written =
        crate::db::blocking(move || crate::services::backup::scheduled(&state.db, &state.config)).await?;
    tracing::info!(file = %written.file.display(), bytes = written.bytes, "scheduled backup written");
    Ok(())
}

/// Upload directories no row knows (older than an hour, so never one being stored now).
async fn sweep_media(state: AppState) -> Result<(), AppError> {
    let crate::services::media::MediaStore::Directory(dir) =
        crate::services::media::MediaStore::of(&state.config)
    else {
        return Ok(()); // in the database, files go with their row
    };
    let listed = dir.clone();
    let candidates = crate::db::blocking(move || {
        Ok(crate::services::media::old_directories(&listed, Duration::from_secs(3600)))
    })
    .await?;
    let mut removed = 0;
    for key in candidates {
        let lookup = key.clone();
        if state.db.read(move |c| Ok(crate::db::media::find_by_key(c, &lookup)?)).await?.is_some() {
            continue;
        }
        let dir = dir.clone();
        crate::db::blocking(move || {
            crate::services::media::remove_files(&dir, &key);
            Ok(())
        })
        .await?;
        removed += 1;
    }
    if removed > 0 {
        tracing::info!(removed, "removed upload directories without a row");
    }
    Ok(())
}

/// Spam and trash older than `comments.purge_after_days`.
async fn purge_stale_comments(state: AppState) -> Result<(), AppError> {
    let base = state.config.comments.clone();
    let deleted = state
        .db
        .write_private(move |tx| {
            let days = settings::effective_comments(tx, &base)?.purge_after_days;
            queue::purge_stale(tx, days)
        })
        .await?;
    if deleted > 0 {
        tracing::info!(deleted, "purged old spam and trash");
    }
    Ok(())
}

/// Expired admin sessions, expired self-service link requests, and login counters that have
/// decayed to nothing.
async fn purge_expired_sessions(state: AppState) -> Result<(), AppError> {
    let idle = state.config.security.session_idle_minutes;
    let now = Utc::now().naive_utc();
    state
        .db
        .write_private(move |tx| {
            sessions::purge_expired(tx, idle, now)?;
            crate::services::privacy::purge_expired_links(tx, now)?;
            crate::services::auth::purge_throttle(tx, now)
        })
        .await?;
    Ok(())
}

/// Keeps the learned filter's model within `spam.max_tokens`.
async fn prune_spam_model(state: AppState) -> Result<(), AppError> {
    let max = i64::from(state.config.spam.max_tokens);
    let pruned = state.db.write_private(move |tx| Ok(crate::db::spam_filter::prune(tx, max)?)).await?;
    if pruned > 0 {
        tracing::info!(pruned, "pruned rare tokens from the spam filter");
    }
    Ok(())
}

/// IPs older than `privacy.ip_retention_days` cut to their network.
async fn ip_retention(state: AppState) -> Result<(), AppError> {
    let days = state.config.privacy.ip_retention_days;
    let db = state.db.clone();
    let comments = crate::db::blocking(move || privacy::purge_ips(&db, days)).await?;
    if comments > 0 {
        tracing::info!(comments, "truncated old IP addresses");
    }
    Ok(())
}

/// Picks up pages changed by another process (an import from the command line).
async fn refresh_navigation(state: AppState) -> Result<(), AppError> {
    let nav = state.navigation.clone();
    state.db.read(move |c| nav.refresh(c)).await
}

/// Undoes WordPress imports whose process died half-way, and deletes their uploads.
async fn recover_imports(state: AppState) -> Result<(), AppError> {
    let db = state.db.clone();
    let dir = background::upload_dir(&state.config.database.url);
    let (runs, files) = crate::db::blocking(move || {
        let runs = wp_import::recover_abandoned(&db)?;
        Ok((runs, background::remove_stale_uploads(&dir)))
    })
    .await?;
    if files > 0 {
        tracing::warn!(files, "deleted uploads left by an interrupted import");
    }
    if runs > 0 {
        tracing::warn!(runs, "undid imports that had stopped half-way");
    }
    Ok(())
}

/// The outbox worker: wakes on new mail (the `Db` hook) or every POLL.
fn spawn_outbox_worker(
    db: Db,
    mailer: Mailer,
    config: MailConfig,
    claims: Claims,
) -> tokio::task::JoinHandle<()> {
    let wake: Arc<Notify> = db.mail_wake();
    tokio::spawn(async move {
        loop {
            match deliver_claimed(&db, &mailer, &config, &claims).await {
                Ok(n) if n == BATCH as usize => continue,
                Ok(_) => {}
                Err(e) => tracing::warn!(error = %e, "outbox pass failed; will retry"),
            }
            tokio::select! {
                _ = wake.notified() => {}
                _ = tokio::time::sleep(POLL) => {}
            }
        }
    })
}

/// Sends every due mail once; returns how many were sent.
pub async fn deliver_due(db: &Db, mailer: &Mailer, config: &MailConfig) -> Result<usize, AppError> {
    deliver_claimed(db, mailer, config, &Claims::default()).await
}

/// `deliver_due`, keeping in `claims` what is claimed and not yet done with.
async fn deliver_claimed(
    db: &Db,
    mailer: &Mailer,
    config: &MailConfig,
    claims: &Claims,
) -> Result<usize, AppError> {
    let now = Utc::now().naive_utc();
    let claim_until = now + chrono::Duration::seconds(CLAIM_SECONDS);
    let batch = db.write_private(move |tx| Ok(outbox::claim_due(tx, now, claim_until, BATCH)?)).await?;
    let held = || claims.lock().unwrap_or_else(|p| p.into_inner());
    held().extend(batch.iter().map(|m| (m.id, claim_until)));
    let mut sent = 0;
    for mail in batch {
        let outcome = deliver(db, mailer, config, &mail).await;
        held().retain(|(id, _)| *id != mail.id);
        if outcome?.is_ok() {
            sent += 1;
        }
    }
    Ok(sent)
}

/// Sends one mail and records the outcome: sent, or the next attempt (failed for good after
/// `mail.max_attempts`). The inner result is the SMTP server's answer.
pub async fn deliver(
    db: &Db,
    mailer: &Mailer,
    config: &MailConfig,
    mail: &Mail,
) -> Result<Result<(), String>, AppError> {
    let (id, attempts) = (mail.id, mail.attempts);
    let result = mailer.send(mail).await;
    match &result {
        Ok(()) => {
            tracing::info!(mail = id.0, kind = %mail.kind, "mail sent");
            db.write_private(move |tx| Ok(outbox::mark_sent(tx, id, Utc::now().naive_utc())?)).await?;
        }
        Err(error) => {
            let give_up = attempts + 1 >= config.max_attempts as i32;
            let retry_at: NaiveDateTime = Utc::now().naive_utc() + mailer::backoff(config, attempts);
            tracing::warn!(mail = id.0, attempt = attempts + 1, give_up, %error, "mail not sent");
            let error = error.clone();
            db.write_private(move |tx| Ok(outbox::mark_failed_attempt(tx, id, &error, retry_at, give_up)?))
                .await?;
        }
    }
    Ok(result)
}
