//! Background jobs started by `serve`.

use std::time::Duration;

use crate::services::{queue, settings};
use crate::state::AppState;

const PURGE_EVERY: Duration = Duration::from_secs(3600);

/// Deletes spam and trash older than `comments.purge_after_days`, hourly.
pub fn spawn_purge(state: AppState) {
    actix_web::rt::spawn(async move {
        let mut interval = actix_web::rt::time::interval(PURGE_EVERY);
        loop {
            interval.tick().await;
            let base = state.config.comments.clone();
            let result = state
                .db(move |c| {
                    let days = settings::effective_comments(c, &base)?.purge_after_days;
                    queue::purge_stale(c, days)
                })
                .await;
            match result {
                Ok(0) => {}
                Ok(n) => tracing::info!(deleted = n, "purged old spam and trash"),
                Err(e) => tracing::warn!(error = %e, "purge failed; will retry"),
            }
        }
    });
}
