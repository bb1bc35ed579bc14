//! Static files compiled into the binary, with ETags and long cache lifetimes for
//! versioned (`?v=`) URLs.

use actix_web::http::header;
use actix_web::{web, HttpRequest, HttpResponse};

use crate::error::AppError;
use crate::routes::page_cache;
use crate::services::media::MediaStore;
use crate::state::AppState;
use crate::templates::StaticFiles;

pub async fn static_file(req: HttpRequest, path: web::Path<String>) -> Result<HttpResponse, AppError> {
    serve(&req, &path)
}

pub async fn favicon(req: HttpRequest) -> Result<HttpResponse, AppError> {
    serve(&req, "favicon.svg")
}

/// Built from `server.base_url`: the Sitemap line must be an absolute URL.
pub async fn robots(state: web::Data<AppState>) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/plain; charset=utf-8")
        .insert_header((header::CACHE_CONTROL, "public, max-age=3600"))
        .body(format!(
            "User-agent: *\nDisallow: /admin/\nSitemap: {}/sitemap.xml\n",
            state.config.server.base_url
        ))
}

fn serve(req: &HttpRequest, path: &str) -> Result<HttpResponse, AppError> {
    let file = StaticFiles::get(path).ok_or(AppError::NotFound)?;
    let hash: String = file.metadata.sha256_hash()[..8].iter().map(|b| format!("{b:02x}")).collect();
    let etag = format!("\"{hash}\"");
    let cache = if req.query_string().starts_with("v=") {
        "public, max-age=31536000, immutable"
    } else {
        "public, max-age=3600"
    };
    let not_modified = req
        .headers()
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim() == etag || t.trim() == "*"));
    let mut response = if not_modified { HttpResponse::NotModified() } else { HttpResponse::Ok() };
    response.insert_header((header::ETAG, etag)).insert_header((header::CACHE_CONTROL, cache));
    if not_modified {
        return Ok(response.finish());
    }
    Ok(response.insert_header((header::CONTENT_TYPE, file.metadata.mimetype())).body(file.data.into_owned()))
}

/// `/media/{key}/{file}`: an uploaded image's stored file. Its content type comes from the
/// format found when it was decoded, never from the name; the URL never changes content.
pub async fn media_file(
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, AppError> {
    let (key, file) = path.into_inner();
    if !crate::services::media::is_file_key(&key) {
        return Err(AppError::NotFound);
    }
    let etag = format!("\"{key}-{file}\"");
    let lookup_key = key.clone();
    let row = state.db.read(move |c| Ok(crate::db::media::find_by_key(c, &lookup_key)?)).await?;
    let row = row.ok_or(AppError::NotFound)?;
    let (content_type, _) = crate::services::media::variant_of(&row, &file).ok_or(AppError::NotFound)?;
    let cache = "public, max-age=31536000, immutable";
    let not_modified = req
        .headers()
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim() == etag));
    if not_modified {
        return Ok(HttpResponse::NotModified()
            .insert_header((header::ETAG, etag))
            .insert_header((header::CACHE_CONTROL, cache))
            .finish());
    }
    let bytes = MediaStore::of(&state.config).read(&state.db, &row, &file).await?;
    let response = HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, content_type))
        .insert_header((header::ETAG, etag))
        .insert_header((header::CACHE_CONTROL, cache))
        .insert_header(("Content-Disposition", "inline"))
        .body(bytes);
    // Kept in memory like a page: from the database it would cost a query per hit.
    Ok(page_cache::cacheable(response, page_cache::CacheDeps { shows: Vec::new(), form: None }))
}
