//! /api/v1: JSON moderation with `Authorization: Bearer <token>` (from `token create`).
//! Changes go through the same service and audit log as the web admin.

use std::future::Future;
use std::pin::Pin;

use actix_web::http::header;
use actix_web::{dev::Payload, web, FromRequest, HttpRequest, HttpResponse};
use serde::Deserialize;

use crate::db::enums::CommentStatus;
use crate::db::ids::CommentId;
use crate::db::queue;
use crate::db::users::User;
use crate::error::AppError;
use crate::services::accounts;
use crate::services::audit::Actor;
use crate::services::moderation::actions;
use crate::services::moderation::Action;
use crate::state::AppState;
use crate::views::api::ApiComment;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::scope("/api/v1")
            .route("/comments", web::get().to(list))
            // Public: approved counts of embedded threads (no token).
            .route("/counts", web::get().to(crate::routes::embed::counts))
            .route("/comments/{id}/{action}", web::post().to(act))
            .default_service(web::to(|| async { Err::<HttpResponse, _>(AppError::NotFound) })),
    );
}

/// The token's owner (an admin or moderator).
pub struct ApiUser(pub User);

impl FromRequest for ApiUser {
    type Error = AppError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, Self::Error>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let state = req.app_data::<web::Data<AppState>>().cloned();
        let token = req
            .headers()
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(|t| t.trim().to_string());
        Box::pin(async move {
            let (Some(state), Some(token)) = (state, token) else {
                return Err(AppError::Unauthorized);
            };
            let user = state.db.write_private(move |tx| accounts::authenticate_token(tx, &token)).await?;
            user.map(ApiUser).ok_or(AppError::Unauthorized)
        })
    }
}

#[derive(Deserialize)]
pub struct ListQuery {
    status: Option<String>,
    limit: Option<i64>,
    offset: Option<i64>,
}

pub async fn list(
    state: web::Data<AppState>,
    _user: ApiUser,
    query: web::Query<ListQuery>,
) -> Result<HttpResponse, AppError> {
    let status = match query.status.as_deref() {
        None | Some("all") => None,
        Some(s) => Some(s.parse::<CommentStatus>().map_err(|_| {
            AppError::Unprocessable(format!(
                "status must be one of pending, approved, spam, trash (got `{s}`)"
            ))
        })?),
    };
    let limit = query.limit.unwrap_or(100).clamp(1, 500);
    let offset = query.offset.unwrap_or(0).max(0);
    let rows = state.db.read(move |c| Ok(queue::api_list(c, status, offset, limit)?)).await?;
    let comments: Vec<ApiComment> = rows.into_iter().map(ApiComment::from).collect();
    Ok(HttpResponse::Ok().json(comments))
}

pub async fn act(
    state: web::Data<AppState>,
    user: ApiUser,
    path: web::Path<(i32, String)>,
) -> Result<HttpResponse, AppError> {
    let (id, action) = path.into_inner();
    let action = match action.as_str() {
        "approve" => Action::Approve,
        "spam" => Action::Spam,
        "trash" => Action::Trash,
        _ => return Err(AppError::NotFound),
    };
    let id = CommentId(id);
    let actor = Actor::user(&user.0);
    let notifier = state.notifier.clone();
    let row = state
        .db
        .write(move |c| {
            actions::apply(c, &notifier, &actor, id, action)?;
            queue::find_with_post(c, id)?.ok_or(AppError::NotFound)
        })
        .await?;
    Ok(HttpResponse::Ok().json(ApiComment::from(row)))
}
