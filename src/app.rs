//! The HTTP application, used by both `serve` and the tests.

use std::net::TcpListener;
use std::time::Instant;

use std::future::Future;

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{Server, Service, ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, HeaderValue};
use actix_web::http::StatusCode;
use actix_web::middleware::{DefaultHeaders, ErrorHandlerResponse, ErrorHandlers};
use actix_web::{web, App, HttpResponse, HttpServer, ResponseError};
use futures_util::future::{ready, Either, Ready};

use crate::error::{AppError, PublicMessage};
use crate::routes::{self, guard};
use crate::state::AppState;
use crate::views::pages::ErrorView;
use crate::views::Layout;

use crate::routes::CSP;

/// Starts the server on an already bound listener (tests bind 127.0.0.1:0).
pub fn run(listener: TcpListener, state: AppState) -> std::io::Result<Server> {
    let workers = state.config.server.workers;
    let data = web::Data::new(state);
    let mut server = HttpServer::new(move || {
        App::new()
            .app_data(data.clone())
            .app_data(web::QueryConfig::default().error_handler(|err, _req| {
                tracing::info!(error = %err, "unreadable query");
                AppError::Invalid("That address has a part this page does not understand.".into()).into()
            }))
            .app_data(form_config())
            .configure(|cfg| routes::configure(cfg, &data))
            .wrap_fn(guard_request)
            .wrap(ErrorHandlers::new().default_handler(error_page))
            .wrap(security_headers())
            .wrap_fn(log_request)
            .wrap_fn(routes::page_cache::serve)
            .wrap_fn(routes::embed::cors)
            .wrap_fn(count_request)
    })
    .listen(listener)?
    // On SIGTERM, requests in flight get this long (the systemd unit waits 45 s).
    .shutdown_timeout(30);
    if workers > 0 {
        server = server.workers(workers);
    }
    Ok(server.run())
}

/// `/metrics` alone, on its own listener (`metrics.bind`: localhost or a private network).
pub fn run_metrics(listener: TcpListener, state: AppState) -> std::io::Result<Server> {
    let data = web::Data::new(state);
    Ok(HttpServer::new(move || {
        App::new().app_data(data.clone()).route("/metrics", web::get().to(routes::health::metrics))
    })
    .listen(listener)?
    .workers(1)
    .shutdown_timeout(5)
    .run())
}

/// Every answer in the metrics (cache hits included: outermost), by route pattern, never by
/// path: `/posts/{slug}`, not a slug.
fn count_request<S, B>(
    req: ServiceRequest,
    srv: &S,
) -> impl Future<Output = Result<ServiceResponse<B>, actix_web::Error>> + 'static
where
    S: Service<ServiceRequest, Response = ServiceResponse<B>, Error = actix_web::Error>,
    S::Future: 'static,
    B: 'static,
{
    let started = Instant::now();
    let state = req.app_data::<web::Data<AppState>>().cloned();
    let route = req.match_pattern().unwrap_or_else(|| "unmatched".into());
    // Any other method string a client sends would be a new label.
    let method: &'static str = match req.method().as_str() {
        "GET" => "GET",
        "HEAD" => "HEAD",
        "POST" => "POST",
        "PUT" => "PUT",
        "PATCH" => "PATCH",
        "DELETE" => "DELETE",
        "OPTIONS" => "OPTIONS",
        _ => "other",
    };
    let response = srv.call(req);
    async move {
        let response = response.await?;
        if let Some(state) = state {
            state.metrics.request(
                &route,
                method,
                response.status().as_u16(),
                started.elapsed().as_secs_f64(),
            );
        }
        Ok(response)
    }
}

/// Room for a 65,525-byte comment even when every byte is percent-encoded.
fn form_config() -> web::FormConfig {
    web::FormConfig::default().limit(256 * 1024).error_handler(|err, _req| {
        tracing::info!(error = %err, "unreadable form");
        AppError::Invalid("We could not read what your browser sent. Please go back and try again.".into())
            .into()
    })
}

fn security_headers() -> DefaultHeaders {
    DefaultHeaders::new()
        .add((header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .add((header::REFERRER_POLICY, "strict-origin-when-cross-origin"))
        .add((header::X_FRAME_OPTIONS, "DENY"))
        .add((header::CONTENT_SECURITY_POLICY, CSP))
}

type Answer = Result<ServiceResponse<BoxBody>, actix_web::Error>;

/// `routes::guard` for every request: HEAD as GET, the body deadline (408), cross-site posts
/// refused (403). Inside the error pages, so its answers are themed too.
fn guard_request<S, B>(
    mut req: ServiceRequest,
    srv: &S,
) -> Either<Ready<Answer>, impl Future<Output = Answer> + 'static>
where
    S: Service<ServiceRequest, Response = ServiceResponse<B>, Error = actix_web::Error>,
    S::Future: 'static,
    B: MessageBody + 'static,
{
    let config = req.app_data::<web::Data<AppState>>().map(|s| s.config.clone());
    guard::head_as_get(&mut req);
    let deadline = config.as_ref().map(|c| guard::body_deadline(&mut req, c));
    if config
        .as_ref()
        .is_some_and(|c| guard::refuses_cross_site(&req) && guard::is_cross_site(req.request(), c))
    {
        let refused = req.error_response(AppError::Forbidden(guard::CROSS_SITE_MESSAGE.into()));
        return Either::Left(ready(Ok(refused.map_into_boxed_body())));
    }
    let response = srv.call(req);
    Either::Right(async move {
        let response = response.await?;
        if deadline.is_some_and(|d| d.missed()) {
            let (req, _) = response.into_parts();
            let late = ServiceResponse::new(req, AppError::BodyTimeout.error_response());
            return Ok(late.map_into_boxed_body());
        }
        Ok(response.map_into_boxed_body())
    })
}

/// One line per request: method, path (tokens in paths as their route pattern), status and
/// duration. Never an address or an email.
fn log_request<S, B>(
    req: ServiceRequest,
    srv: &S,
) -> impl Future<Output = Result<ServiceResponse<B>, actix_web::Error>> + 'static
where
    S: Service<ServiceRequest, Response = ServiceResponse<B>, Error = actix_web::Error>,
    S::Future: 'static,
    B: 'static,
{
    let started = Instant::now();
    let method = req.method().clone();
    let path = match req.match_pattern() {
        Some(pattern) if pattern.contains("{token}") => pattern,
        _ => req.path().to_string(),
    };
    let response = srv.call(req);
    async move {
        let response = response.await?;
        let ms = started.elapsed().as_millis() as u64;
        tracing::info!(%method, %path, status = response.status().as_u16(), ms, "request");
        Ok(response)
    }
}

/// Turns every error response that is not already a page (HTML) or API answer (JSON) into
/// the themed error page, or a JSON body under /api. The one place errors become pages.
fn error_page<B: MessageBody + 'static>(
    res: ServiceResponse<B>,
) -> actix_web::Result<ErrorHandlerResponse<B>> {
    let content_type = res.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("");
    if content_type.starts_with("text/html") || content_type.starts_with("application/json") {
        return Ok(ErrorHandlerResponse::Response(res.map_into_left_body()));
    }
    let status = res.status();
    let message = res
        .response()
        .extensions()
        .get::<PublicMessage>()
        .map(|m| m.0.clone())
        .unwrap_or_else(|| default_message(status).to_string());
    let is_api = res.request().path().starts_with("/api/");
    let (req, old) = res.into_parts();
    let mut new = if is_api {
        HttpResponse::build(status).json(serde_json::json!({ "error": message }))
    } else {
        render_error_html(&req, status, message)
    };
    // Keep headers such as Retry-After and Allow; the body and its type are ours now.
    for (name, value) in old.headers() {
        if name != header::CONTENT_TYPE && name != header::CONTENT_LENGTH {
            new.headers_mut().insert(name.clone(), value.clone());
        }
    }
    Ok(ErrorHandlerResponse::Response(ServiceResponse::new(req, new).map_into_right_body()))
}

fn render_error_html(req: &actix_web::HttpRequest, status: StatusCode, message: String) -> HttpResponse {
    let heading = match status.as_u16() {
        404 => "error-heading-not-found",
        403 => "error-heading-forbidden",
        429 => "error-heading-rate-limited",
        s if s >= 500 => "error-heading-server",
        _ => "error-heading-failed",
    };
    let rendered = req.app_data::<web::Data<AppState>>().and_then(|state| {
        // Messages are written in English (the API and the logs read them); the page is in
        // the site's language.
        let locale = state.locale();
        let heading = locale.get_text(heading);
        let view = ErrorView {
            layout: Layout { noindex: true, ..Layout::new(&state.config, req.path(), Some(heading.clone())) },
            status: status.as_u16(),
            heading,
            message: locale.translate_english(&message).into_owned(),
        };
        let context = tera::Context::from_serialize(&view).ok()?;
        match state.tera.render("errors/error.html", &context) {
            Ok(html) => Some(html),
            Err(e) => {
                tracing::error!(error = ?e, "error page failed to render");
                None
            }
        }
    });
    match rendered {
        Some(html) => HttpResponse::build(status).content_type("text/html; charset=utf-8").body(html),
        None => HttpResponse::build(status)
            .content_type("text/plain; charset=utf-8")
            .insert_header((header::CACHE_CONTROL, HeaderValue::from_static("no-store")))
            .body(message),
    }
}

fn default_message(status: StatusCode) -> &'static str {
    match status.as_u16() {
        404 => "We could not find that page. It may have moved, or never existed.",
        405 => "That address does not accept this kind of request.",
        413 => "That was more than we can accept in one go.",
        s if s >= 500 => "Something went wrong on our side. Please try again.",
        _ => "The request could not be understood.",
    }
}
