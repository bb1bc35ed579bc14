//! Admin Tools: upload a WordPress export (imported in the background, progress on the page)
//! and download the whole site as one.

use std::io::Write;
use std::path::PathBuf;

use actix_multipart::Multipart;
use actix_web::http::{header, StatusCode};
use actix_web::{web, HttpRequest, HttpResponse};
use futures_util::StreamExt;
use serde::{Deserialize, Serialize};

use super::session::{set_flash, take_flash, AdminUser};
use crate::db::enums::RunState;
use crate::db::import_runs;
use crate::error::AppError;
use crate::services::auth;
use crate::services::wordpress::background::{upload_dir, JobState, JobStatus, Launch, UPLOAD_PREFIX};
use crate::services::wordpress::export::{self, SiteInfo};
use crate::services::wordpress::import::ImportOptions;
use crate::state::AppState;
use crate::views::admin::AdminLayout;
use crate::views::render;

#[derive(Serialize)]
struct ToolsView {
    layout: AdminLayout,
    job: JobStatus,
    running: bool,
    max_upload_mb: u32,
    history: Vec<RunRow>,
    /// Posts still showing images from the old WordPress site (linked, not copied).
    old_media: Vec<OldMediaPost>,
    old_media_total: i64,
}

#[derive(Serialize)]
struct OldMediaPost {
    id: i32,
    title: String,
}

/// One import run (from this server, another one, or the command line).
#[derive(Serialize)]
struct RunRow {
    file_name: String,
    state: String,
    started_at: String,
    finished_at: String,
}

const HISTORY: i64 = 10;

pub async fn show(
    state: web::Data<AppState>,
    req: HttpRequest,
    admin: AdminUser,
) -> Result<HttpResponse, AppError> {
    let job = state.imports.status();
    let (runs, (old_media, old_media_total)) = state
        .db
        .read(|c| Ok((import_runs::recent(c, HISTORY)?, crate::db::posts::linking_to_old_media(c, 50)?)))
        .await?;
    let at = |t: chrono::NaiveDateTime| t.format("%Y-%m-%d %H:%M UTC").to_string();
    let history = runs
        .into_iter()
        .map(|r| RunRow {
            file_name: r.file_name,
            state: match r.state {
                RunState::Running => "running",
                RunState::Done => "complete",
                RunState::Failed => "failed; undone",
                RunState::Undone => "stopped half-way; undone",
            }
            .into(),
            started_at: at(r.started_at),
            finished_at: r.finished_at.map(at).unwrap_or_default(),
        })
        .collect();
    let view = ToolsView {
        history,
        layout: AdminLayout::new("Tools", admin.0.viewer(), take_flash(&req)),
        running: job.state == JobState::Running,
        job,
        max_upload_mb: state.config.import.max_upload_mb,
        old_media: old_media.into_iter().map(|(id, title)| OldMediaPost { id: id.0, title }).collect(),
        old_media_total,
    };
    render(&state.tera, "admin/tools.html", &view, StatusCode::OK)
}

/// The import's progress, polled by the Tools page.
pub async fn status(state: web::Data<AppState>, _admin: AdminUser) -> HttpResponse {
    HttpResponse::Ok().json(state.imports.status())
}

/// The upload: `csrf_token` must come first in the form (it does: the page puts it first),
/// so nothing is written to disk for a forged request. The file is streamed to a temporary
/// file beside the database, never held in memory.
/// The uploaded file, saved beside the database under a name of ours, and the name it had
/// (shown in messages, never used as a path). Deleted on every early return of `upload`;
/// kept only when handed to the import.
async fn save_upload(
    state: &AppState,
    field: &mut actix_multipart::Field,
    limit: u64,
) -> Result<(SavedUpload, String), AppError> {
    let file_name = field
        .content_disposition()
        .and_then(|d| d.get_filename())
        .map(|f| f.chars().filter(|c| !c.is_control()).take(200).collect::<String>())
        .unwrap_or_else(|| "upload.xml".into());
    let saved = SavedUpload(Some(upload_path(state)));
    save_field(field, saved.path(), limit).await?;
    Ok((saved, file_name))
}

pub async fn upload(
    state: web::Data<AppState>,
    req: HttpRequest,
    admin: AdminUser,
    mut form: Multipart,
) -> Result<HttpResponse, AppError> {
    if state.imports.is_running() {
        return Err(AppError::RateLimited("An import is already running; wait for it to finish.".into()));
    }
    let limit = u64::from(state.config.import.max_upload_mb) * 1024 * 1024;
    let mut csrf_ok = false;
    let mut options = ImportOptions::default();
    let mut upload: Option<(SavedUpload, String)> = None;
    let unreadable = |_| AppError::Invalid("The upload could not be read; please try again.".into());
    while let Some(field) = form.next().await {
        let mut field = field.map_err(unreadable)?;
        let name = field.name().unwrap_or_default().to_string();
        if name == "file" {
            if !csrf_ok {
                return Err(AppError::forged_form());
            }
            if upload.is_some() {
                return Err(AppError::Invalid("Upload one file at a time.".into()));
            }
            upload = Some(save_upload(&state, &mut field, limit).await?);
            continue;
        }
        let value = match field.bytes(4096).await {
            Ok(Ok(bytes)) => String::from_utf8_lossy(&bytes).into_owned(),
            _ => return Err(AppError::Invalid("The form could not be read.".into())),
        };
        match name.as_str() {
            "csrf_token" => csrf_ok = auth::same_token(&admin.0.csrf, &value),
            "dry_run" => options.dry_run = !value.is_empty(),
            "skip_pingbacks" => options.skip_pingbacks = !value.is_empty(),
            _ => {}
        }
    }
    if !csrf_ok {
        return Err(AppError::forged_form());
    }
    let Some((saved, file_name)) = upload else {
        return Err(AppError::Invalid("Choose a WordPress export file (.xml) to upload.".into()));
    };
    let file = saved.keep();
    let started_by = admin.0.user.username.clone();
    options.display_name = Some(file_name.clone());
    state.imports.start(Launch {
        db: state.db.clone(),
        navigation: state.navigation.clone(),
        file,
        file_name: file_name.clone(),
        started_by,
        options,
    })?;
    set_flash(&req, format!("Import of {file_name} started."));
    Ok(HttpResponse::SeeOther().insert_header((header::LOCATION, "/admin/tools")).finish())
}

/// A fresh, unguessable name in the upload directory.
fn upload_path(state: &AppState) -> PathBuf {
    upload_dir(&state.config.database.url).join(format!("{UPLOAD_PREFIX}{}.xml", auth::random_token(12)))
}

/// An uploaded file that is deleted when dropped, unless `keep` hands it on.
struct SavedUpload(Option<PathBuf>);

impl SavedUpload {
    fn path(&self) -> &std::path::Path {
        self.0.as_deref().unwrap_or(std::path::Path::new(""))
    }

    fn keep(mut self) -> PathBuf {
        self.0.take().unwrap_or_default()
    }
}

impl Drop for SavedUpload {
    fn drop(&mut self) {
        if let Some(path) = self.0.take() {
            let _ = std::fs::remove_file(path);
        }
    }
}

/// Streams one multipart field to `path`, refusing more than `limit` bytes.
async fn save_field(
    field: &mut actix_multipart::Field,
    path: &std::path::Path,
    limit: u64,
) -> Result<(), AppError> {
    let io = |e: std::io::Error| AppError::Internal(format!("saving the upload: {e}"));
    let mut file = Some(std::fs::File::create(path).map_err(io)?);
    // (The caller's SavedUpload deletes the file if this fails.)
    let mut written = 0u64;
    let mut pending: Vec<u8> = Vec::new();
    const FLUSH_AT: usize = 1 << 20;
    while let Some(chunk) = field.next().await {
        let chunk =
            chunk.map_err(|_| AppError::Invalid("The upload was interrupted; please try again.".into()))?;
        written += chunk.len() as u64;
        if written > limit {
            return Err(AppError::Invalid(format!(
                "The file is larger than {} MiB (import.max_upload_mb); import it from the command line: marginalia import wxr FILE",
                limit / 1024 / 1024
            )));
        }
        pending.extend_from_slice(&chunk);
        if pending.len() >= FLUSH_AT {
            file = Some(write_off_thread(file.take(), std::mem::take(&mut pending)).await?);
        }
    }
    let file = write_off_thread(file, pending).await?;
    crate::db::blocking(move || file.sync_all().map_err(io)).await
}

async fn write_off_thread(file: Option<std::fs::File>, data: Vec<u8>) -> Result<std::fs::File, AppError> {
    let mut file = file.ok_or_else(|| AppError::Internal("upload file missing".into()))?;
    crate::db::blocking(move || {
        file.write_all(&data)
            .map(|()| file)
            .map_err(|e| AppError::Internal(format!("saving the upload: {e}")))
    })
    .await
}

#[derive(Debug, Deserialize)]
pub struct ExportQuery {
    #[serde(default)]
    no_spam: Option<String>,
}

/// The whole site as a WXR file, written as it is read: the response starts at once and
/// memory stays flat however large the site. Carries commenters' addresses: admins only, and
/// every download is in the audit log.
pub async fn export_download(
    state: web::Data<AppState>,
    admin: AdminUser,
    query: web::Query<ExportQuery>,
) -> Result<HttpResponse, AppError> {
    let with_spam = query.no_spam.is_none();
    let who = admin.0.user.username.clone();
    let detail =
        if with_spam { "WordPress export downloaded" } else { "WordPress export downloaded (no spam)" };
    state
        .db
        .write_private(move |c| crate::services::audit::record_admin_action(c, &who, "export", detail))
        .await?;
    let (tx, rx) = tokio::sync::mpsc::channel::<Result<web::Bytes, std::io::Error>>(8);
    let db = state.db.clone();
    let site = SiteInfo::from_config(&state.config);
    std::thread::Builder::new()
        .name("wxr-export".into())
        .spawn(move || {
            let mut writer = ChannelWriter { tx: tx.clone(), buffer: Vec::with_capacity(CHUNK) };
            let result = export::export(&db, &site, &mut writer, with_spam);
            if let Err(e) = result {
                tracing::warn!(error = %e, "export download failed");
                let _ = tx.blocking_send(Err(std::io::Error::other("export failed")));
            }
        })
        .map_err(|e| AppError::Internal(format!("cannot start the export: {e}")))?;
    let body =
        futures_util::stream::unfold(rx, |mut rx| async move { rx.recv().await.map(|item| (item, rx)) });
    let name = format!("marginalia-{}.xml", chrono::Utc::now().format("%Y-%m-%d"));
    Ok(HttpResponse::Ok()
        .content_type("application/xml; charset=utf-8")
        .insert_header((header::CONTENT_DISPOSITION, format!("attachment; filename=\"{name}\"")))
        .streaming(body))
}

const CHUNK: usize = 64 * 1024;
const STALL_LIMIT: std::time::Duration = std::time::Duration::from_secs(120);

/// Hands the export to the response body in chunks; a closed download stops the export.
struct ChannelWriter {
    tx: tokio::sync::mpsc::Sender<Result<web::Bytes, std::io::Error>>,
    buffer: Vec<u8>,
}

impl ChannelWriter {
    fn send(&mut self) -> std::io::Result<()> {
        if self.buffer.is_empty() {
            return Ok(());
        }
        let mut chunk = Ok(web::Bytes::from(std::mem::replace(&mut self.buffer, Vec::with_capacity(CHUNK))));
        // A client that stops reading but keeps the connection open must not hold a
        // database connection and this thread for ever.
        let started = std::time::Instant::now();
        loop {
            match self.tx.try_send(chunk) {
                Ok(()) => return Ok(()),
                Err(tokio::sync::mpsc::error::TrySendError::Full(back))
                    if started.elapsed() < STALL_LIMIT =>
                {
                    chunk = back;
                    std::thread::sleep(std::time::Duration::from_millis(20));
                }
                Err(_) => {
                    return Err(std::io::Error::new(
                        std::io::ErrorKind::BrokenPipe,
                        "download closed or stalled",
                    ))
                }
            }
        }
    }
}

impl Write for ChannelWriter {
    fn write(&mut self, data: &[u8]) -> std::io::Result<usize> {
        self.buffer.extend_from_slice(data);
        if self.buffer.len() >= CHUNK {
            self.send()?;
        }
        Ok(data.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.send()
    }
}
