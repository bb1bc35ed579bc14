use actix_web::http::header;
use actix_web::{web, HttpRequest, HttpResponse};
use diesel::connection::SimpleConnection;

use crate::error::AppError;
use crate::services::metrics::Snapshot;
use crate::state::AppState;

/// `200 ok` when the database answers.
pub async fn healthz(state: web::Data<AppState>) -> Result<HttpResponse, AppError> {
    state.db.read(|c| Ok(c.batch_execute("SELECT 1")?)).await?;
    Ok(HttpResponse::Ok()
        .content_type("text/plain; charset=utf-8")
        .insert_header(("Cache-Control", "no-store"))
        .body("ok"))
}

/// `/metrics` on the public port: only with `metrics.token`, to `Authorization: Bearer TOKEN`.
pub async fn metrics_public(state: web::Data<AppState>, req: HttpRequest) -> Result<HttpResponse, AppError> {
    let token = state.config.metrics.token.expose();
    if token.is_empty() {
        return Err(AppError::NotFound);
    }
    let sent = req
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .unwrap_or("");
    if !crate::services::auth::same_token(sent, token) {
        return Err(AppError::Unauthorized);
    }
    metrics(state).await
}

/// `/metrics` on its own listener (`metrics.bind`), and after the token check above.
pub async fn metrics(state: web::Data<AppState>) -> Result<HttpResponse, AppError> {
    let tally = state.db.read(|c| Ok(crate::db::outbox::tally(c)?)).await?;
    let now = chrono::Utc::now().naive_utc();
    let outbox = tally
        .into_iter()
        .map(|(s, mails, oldest)| (s, mails, oldest.map_or(0, |t| (now - t).num_seconds().max(0))))
        .collect();
    let cache = state.page_cache.stats();
    let text = state.metrics.render(&Snapshot {
        cache_hits: cache.hits,
        cache_misses: cache.misses,
        cache_pages: cache.pages,
        cache_bytes: cache.bytes,
        outbox,
        pool: state.db.pool_stats(),
    })?;
    Ok(HttpResponse::Ok()
        .content_type("text/plain; version=0.0.4; charset=utf-8")
        .insert_header(("Cache-Control", "no-store"))
        .body(text))
}
