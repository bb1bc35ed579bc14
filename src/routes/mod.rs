//! The whole route table on one screen.

pub mod admin;
pub mod api;
pub mod assets;
pub mod comments;
pub mod embed;
pub mod extract;
pub mod feeds;
pub mod guard;
pub mod health;
pub mod links;
pub mod own_comments;
pub mod page_cache;
pub mod privacy;
pub mod public;
pub mod visitor;

use actix_web::web;

use crate::error::AppError;

/// Content-Security-Policy: no inline scripts or styles, nothing from other origins except
/// images over https (articles brought over from WordPress keep their media where it was;
/// comments can never carry an image: their allowlist has no <img>). Framed by nobody, but a
/// thread's page by its own site (`frame_ancestors`).
pub const CSP: &str =
    "default-src 'self'; img-src 'self' data: https:; style-src 'self'; script-src 'self'; \
                   form-action 'self'; frame-ancestors 'none'; base-uri 'self'; object-src 'none'";

/// The policy with `form-action` also allowing `origin` (a form whose answer leads there).
pub fn csp_forms_to(origin: &str) -> String {
    CSP.replace("form-action 'self'", &format!("form-action 'self' {origin}"))
}

/// The policy with `frame-ancestors` naming `origins` instead of none.
pub fn csp_framed_by(origins: &[String]) -> String {
    CSP.replace("frame-ancestors 'none'", &format!("frame-ancestors 'self' {}", origins.join(" ")))
}
use crate::state::AppState;

pub fn configure(cfg: &mut web::ServiceConfig, state: &AppState) {
    admin::configure(cfg, state);
    api::configure(cfg);
    cfg.route("/", web::get().to(public::index))
        .route("/posts/{slug}", web::get().to(public::article))
        .route("/posts/{slug}/comments", web::post().to(comments::create))
        .route("/posts/{slug}/comments", web::get().to(comments::back_to_form))
        .route("/posts/{slug}/comments.xml", web::get().to(feeds::post_comments_atom))
        .route("/author/{slug}", web::get().to(public::author))
        .route("/comments/{id}/edit", web::get().to(own_comments::edit_form))
        .route("/comments/{id}/edit", web::post().to(own_comments::edit_save))
        .route("/search", web::get().to(public::search))
        .route("/media/{key}/{file}", web::get().to(assets::media_file))
        .route("/pages/{slug}", web::get().to(public::page))
        .route("/threads/{slug}", web::get().to(public::thread))
        .route("/thread", web::get().to(embed::thread_page))
        .route("/embed.js", web::get().to(embed::script))
        .route("/embed/thread", web::get().to(embed::thread))
        .route("/category/{slug}", web::get().to(public::category))
        .route("/tag/{slug}", web::get().to(public::tag))
        .route("/feed.xml", web::get().to(feeds::atom))
        .route("/comments/feed.xml", web::get().to(feeds::comments_atom))
        .route("/sitemap.xml", web::get().to(feeds::sitemap_index))
        .route("/sitemap-site.xml", web::get().to(feeds::sitemap_site))
        .route("/sitemap-posts-{n:[0-9]{1,6}}.xml", web::get().to(feeds::sitemap_posts))
        .route("/healthz", web::get().to(health::healthz))
        .route("/metrics", web::get().to(health::metrics_public))
        .route("/privacy", web::get().to(privacy::policy))
        .route("/privacy/manage", web::get().to(privacy::request_form))
        .route("/privacy/manage", web::post().to(privacy::request_link))
        .route("/privacy/manage/{token}", web::get().to(privacy::confirm_link))
        .route("/privacy/manage/{token}", web::post().to(privacy::follow_link))
        .route("/privacy/me", web::get().to(privacy::me))
        .route("/privacy/me/download", web::post().to(privacy::download))
        .route("/privacy/me/delete", web::post().to(privacy::delete))
        .route("/privacy/me/stop-mail", web::post().to(privacy::stop_mail))
        .route("/m/{token}", web::get().to(links::moderation_confirm))
        .route("/m/{token}", web::post().to(links::moderation_act))
        .route("/unsubscribe/{token}", web::get().to(links::unsubscribe_confirm))
        .route("/unsubscribe/{token}", web::post().to(links::unsubscribe_act))
        .route("/static/{path:.*}", web::get().to(assets::static_file))
        .route("/favicon.ico", web::get().to(assets::favicon))
        .route("/robots.txt", web::get().to(assets::robots))
        .default_service(web::to(not_found));
}

/// Unknown URLs: an imported WordPress permalink redirects, anything else is a 404 page.
async fn not_found(
    state: web::Data<AppState>,
    req: actix_web::HttpRequest,
) -> Result<actix_web::HttpResponse, AppError> {
    if req.method() != actix_web::http::Method::GET && req.method() != actix_web::http::Method::HEAD {
        return Err(AppError::NotFound);
    }
    public::old_link(&state, &req).await
}
