//! The web admin under /admin: sessions and CSRF on every state change.

pub mod audit;
pub mod embed;
pub mod login;
pub mod mail;
pub mod media;
pub mod posts;
pub mod privacy;
pub mod profile;
pub mod queue;
pub mod session;
pub mod sessions;
pub mod settings;
pub mod site;
pub mod tools;
pub mod users;

use actix_session::config::{BrowserSession, CookieContentSecurity};
use actix_session::storage::CookieSessionStore;
use actix_session::SessionMiddleware;
use actix_web::cookie::SameSite;
use actix_web::http::header;
use actix_web::{web, HttpResponse};

use crate::state::AppState;

pub const SESSION_COOKIE: &str = "marginalia_admin";

pub fn configure(cfg: &mut web::ServiceConfig, state: &AppState) {
    let sessions = SessionMiddleware::builder(CookieSessionStore::default(), state.session_key.clone())
        .cookie_name(SESSION_COOKIE.to_string())
        .cookie_path("/admin".to_string())
        .cookie_http_only(true)
        .cookie_same_site(SameSite::Lax)
        .cookie_secure(state.config.is_https())
        .cookie_content_security(CookieContentSecurity::Private)
        .session_lifecycle(BrowserSession::default())
        .build();
    cfg.service(
        web::scope("/admin")
            .wrap(sessions)
            .wrap(actix_web::middleware::DefaultHeaders::new().add((header::CACHE_CONTROL, "no-store")))
            .route("", web::get().to(queue::dashboard))
            .route("/", web::get().to(queue::dashboard))
            .route("/login", web::get().to(login::show))
            .route("/login", web::post().to(login::submit))
            .route("/logout", web::post().to(login::logout))
            .route("/comments", web::get().to(queue::list))
            .route("/comments/moderate", web::post().to(queue::moderate))
            .route("/comments/{id}/edit", web::get().to(queue::edit_form))
            .route("/comments/{id}/edit", web::post().to(queue::edit_save))
            .route("/comments/{id}/reply", web::post().to(queue::reply))
            .route("/mail/test", web::post().to(mail::test))
            .route("/mail/{id}/retry", web::post().to(mail::retry))
            .route("/privacy", web::get().to(privacy::show))
            .route("/privacy/export", web::post().to(privacy::export))
            .route("/privacy/erase", web::post().to(privacy::erase))
            .route("/sessions", web::get().to(sessions::list))
            .route("/sessions/end-others", web::post().to(sessions::end_others))
            .route("/sessions/{id}/end", web::post().to(sessions::end_one))
            .route("/settings", web::get().to(settings::show))
            .route("/settings", web::post().to(settings::save))
            .route("/audit", web::get().to(audit::list))
            .route("/users", web::get().to(users::list))
            .route("/users", web::post().to(users::add))
            .route("/users/{id}/remove", web::post().to(users::remove))
            .route("/users/{id}/password", web::post().to(users::password))
            .route("/posts", web::get().to(posts::list))
            .route("/posts/new", web::get().to(posts::new_form))
            .route("/posts/new", web::post().to(posts::save))
            .route("/posts/{id}/edit", web::get().to(posts::edit_form))
            .route("/posts/{id}/edit", web::post().to(posts::save_existing))
            .route("/posts/{id}/{action:trash|restore|delete}", web::post().to(posts::act))
            .route("/media", web::get().to(media::library))
            .route("/media/upload", web::post().to(media::upload))
            .route("/media/{id}/alt", web::post().to(media::set_alt))
            .route("/media/{id}/delete", web::post().to(media::delete))
            .route("/embed", web::get().to(embed::show))
            .route("/embed", web::post().to(embed::save))
            .route("/embed/{name}/remove", web::post().to(embed::remove))
            .route("/site", web::get().to(site::show))
            .route("/site", web::post().to(site::save))
            .route("/profile", web::get().to(profile::show))
            .route("/profile", web::post().to(profile::save))
            .route("/tools", web::get().to(tools::show))
            .route("/tools/import", web::post().to(tools::upload))
            .route("/tools/import/status", web::get().to(tools::status))
            .route("/tools/export.xml", web::get().to(tools::export_download)),
    );
}

/// A path of this site's admin (never another site: no open redirect).
pub fn is_admin_path(path: &str) -> bool {
    (path == "/admin" || path.starts_with("/admin/")) && !path.contains("//") && !path.contains('\\')
}

/// 303 to an admin page; `back` is only followed when it stays inside /admin.
pub fn redirect_back(back: Option<&str>, fallback: &str) -> HttpResponse {
    let target = back.filter(|b| is_admin_path(b)).unwrap_or(fallback);
    HttpResponse::SeeOther().insert_header((header::LOCATION, target.to_string())).finish()
}
