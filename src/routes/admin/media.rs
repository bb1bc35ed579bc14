//! The media library: uploads (also from the editor, as JSON), alt text, deleting with a
//! warning when posts use the image.

use actix_web::http::{header, StatusCode};
use actix_web::{web, HttpRequest, HttpResponse};
use serde::{Deserialize, Serialize};

use super::session::{set_flash, take_flash, AdminUser, CsrfForm, CsrfUpload};
use crate::db::ids::MediaId;
use crate::db::media as media_rows;
use crate::error::AppError;
use crate::services::media;
use crate::state::AppState;
use crate::views::admin::AdminLayout;
use crate::views::render;

const PER_PAGE: i64 = 40;

#[derive(Serialize)]
struct MediaItem {
    id: i32,
    name: String,
    url: String,
    thumb: String,
    markdown: String,
    alt: String,
    width: i32,
    height: i32,
    kilobytes: i32,
    format: String,
    uploaded: String,
}

#[derive(Serialize)]
struct LibraryView {
    layout: AdminLayout,
    items: Vec<MediaItem>,
    page: u32,
    total_pages: u32,
    total: i64,
    max_upload_mb: u32,
    max_megapixels: u32,
}

fn item(m: &media_rows::Media) -> MediaItem {
    MediaItem {
        id: m.id.0,
        name: m.original_name.clone(),
        url: media::full_url(m),
        thumb: media::url_for_width(m, 480),
        markdown: markdown_for(m),
        alt: m.alt_text.clone(),
        width: m.width,
        height: m.height,
        kilobytes: m.bytes / 1024,
        format: m.format.to_string(),
        uploaded: m.created_at.format("%Y-%m-%d %H:%M").to_string(),
    }
}

fn markdown_for(m: &media_rows::Media) -> String {
    format!("![{}]({})", m.alt_text.replace(['[', ']'], ""), media::full_url(m))
}

#[derive(Deserialize)]
pub struct PageQuery {
    page: Option<u32>,
}

pub async fn library(
    state: web::Data<AppState>,
    req: HttpRequest,
    admin: AdminUser,
    query: web::Query<PageQuery>,
) -> Result<HttpResponse, AppError> {
    admin.0.require_admin()?;
    let page = query.page.unwrap_or(1).max(1);
    let offset = i64::from(page - 1) * PER_PAGE;
    let (rows, total) =
        state.db.read(move |c| Ok((media_rows::list(c, offset, PER_PAGE)?, media_rows::count(c)?))).await?;
    let view = LibraryView {
        layout: AdminLayout::new("Media", admin.0.viewer(), take_flash(&req)),
        items: rows.iter().map(item).collect(),
        page,
        total_pages: crate::services::posts::total_pages(total, PER_PAGE as u32),
        total,
        max_upload_mb: state.config.media.max_upload_mb,
        max_megapixels: state.config.media.max_megapixels,
    };
    render(&state.tera, "admin/media.html", &view, StatusCode::OK)
}

#[derive(Deserialize)]
pub struct UploadForm {
    #[serde(default)]
    alt: String,
}

fn wants_json(req: &HttpRequest) -> bool {
    req.headers()
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("application/json"))
}

/// `POST /admin/media/upload`: from the library's form (303 back) or the editor (JSON).
pub async fn upload(
    state: web::Data<AppState>,
    req: HttpRequest,
    form: CsrfUpload<UploadForm>,
) -> Result<HttpResponse, AppError> {
    let CsrfUpload { current, form, files } = form;
    current.require_admin()?;
    let json = wants_json(&req);
    let (stored, failure) = if files.is_empty() {
        (Vec::new(), Some("Choose an image file to upload.".to_string()))
    } else {
        match media::store_uploads(
            &state.db,
            &state.config,
            files,
            &["file"],
            &form.alt,
            Some(current.user.id),
        )
        .await
        {
            Ok(stored) => (stored.into_iter().map(|(_, row)| row).collect::<Vec<_>>(), None),
            Err(AppError::Invalid(message)) => (Vec::new(), Some(message)),
            Err(other) => return Err(other),
        }
    };
    if json {
        return Ok(match (stored.first(), failure) {
            (_, Some(message)) => {
                HttpResponse::UnprocessableEntity().json(serde_json::json!({ "error": message }))
            }
            (Some(row), None) => HttpResponse::Ok().json(serde_json::json!({
                "id": row.id.0,
                "url": media::full_url(row),
                "markdown": markdown_for(row),
            })),
            (None, None) => {
                HttpResponse::UnprocessableEntity().json(serde_json::json!({ "error": "Nothing uploaded." }))
            }
        });
    }
    let message = match failure {
        Some(message) => message,
        None => format!(
            "{} uploaded.",
            stored.iter().map(|m| m.original_name.as_str()).collect::<Vec<_>>().join(", ")
        ),
    };
    set_flash(&req, message);
    Ok(super::redirect_back(Some("/admin/media"), "/admin/media"))
}

#[derive(Deserialize)]
pub struct AltForm {
    #[serde(default)]
    alt: String,
}

pub async fn set_alt(
    state: web::Data<AppState>,
    req: HttpRequest,
    id: web::Path<i32>,
    form: CsrfForm<AltForm>,
) -> Result<HttpResponse, AppError> {
    let CsrfForm { current, form } = form;
    current.require_admin()?;
    let id = MediaId(id.into_inner());
    let alt: String = form.alt.chars().take(500).collect();
    state.db.write(move |tx| media::set_alt(tx, id, &alt)).await?;
    set_flash(&req, "Alt text saved (new insertions use it; posts keep the text they have).");
    Ok(super::redirect_back(Some(&format!("/admin/media#media-{id}")), "/admin/media"))
}

#[derive(Deserialize)]
pub struct DeleteForm {
    #[serde(default)]
    confirm: Option<String>,
}

#[derive(Serialize)]
struct UsedBy {
    id: i32,
    title: String,
}

#[derive(Serialize)]
struct ConfirmDeleteView {
    layout: AdminLayout,
    item: MediaItem,
    used_by: Vec<UsedBy>,
    /// Accounts with this picture.
    avatars: i64,
    /// The site's logo or icon.
    in_frame: bool,
}

/// Deletes at once when no post uses the image; otherwise asks first, naming the posts.
pub async fn delete(
    state: web::Data<AppState>,
    req: HttpRequest,
    id: web::Path<i32>,
    form: CsrfForm<DeleteForm>,
) -> Result<HttpResponse, AppError> {
    let CsrfForm { current, form } = form;
    current.require_admin()?;
    let id = MediaId(id.into_inner());
    let (row, used_by, avatars) = state
        .db
        .read(move |c| {
            let row = media_rows::find(c, id)?.ok_or(AppError::NotFound)?;
            let used = crate::db::posts::using_media(c, id, &format!("/media/{}/", row.file_key))?;
            Ok((row, used, crate::db::users::count_with_avatar(c, id)?))
        })
        .await?;
    let site = state.navigation.site();
    let in_frame = [&site.logo, &site.favicon].iter().any(|url| url.contains(&row.file_key));
    if (!used_by.is_empty() || avatars > 0 || in_frame) && form.confirm.is_none() {
        let view = ConfirmDeleteView {
            layout: AdminLayout::new("Delete image?", current.viewer(), None),
            item: item(&row),
            used_by: used_by.into_iter().map(|(id, title)| UsedBy { id: id.0, title }).collect(),
            avatars,
            in_frame,
        };
        return render(&state.tera, "admin/media_delete.html", &view, StatusCode::OK);
    }
    let actor = current.user.username.clone();
    let deleted = state.db.write(move |tx| media::delete(tx, id, &actor)).await?;
    media::MediaStore::of(&state.config).remove(&deleted).await;
    set_flash(&req, format!("{} deleted.", deleted.original_name));
    Ok(super::redirect_back(Some("/admin/media"), "/admin/media"))
}
