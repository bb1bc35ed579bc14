//! Request extractors.

use std::future::{ready, Ready};

use actix_web::{dev::Payload, http::header, FromRequest, HttpRequest};

use crate::error::AppError;
use crate::services::comments::ClientInfo;

const USER_AGENT_MAX: usize = 512;

impl FromRequest for ClientInfo {
    type Error = AppError;
    type Future = Ready<Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let ip = req.peer_addr().map(|addr| addr.ip().to_string());
        let user_agent = req
            .headers()
            .get(header::USER_AGENT)
            .and_then(|v| v.to_str().ok())
            .map(|ua| ua.chars().take(USER_AGENT_MAX).collect::<String>());
        ready(Ok(ClientInfo { ip, user_agent }))
    }
}
