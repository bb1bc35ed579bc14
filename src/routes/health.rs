use actix_web::{web, HttpResponse};
use diesel::connection::SimpleConnection;

use crate::error::AppError;
use crate::state::AppState;

/// `200 ok` when the database answers.
pub async fn healthz(state: web::Data<AppState>) -> Result<HttpResponse, AppError> {
    state.db.read(|c| Ok(c.batch_execute("SELECT 1")?)).await?;
    Ok(HttpResponse::Ok()
        .content_type("text/plain; charset=utf-8")
        .insert_header(("Cache-Control", "no-store"))
        .body("ok"))
}
