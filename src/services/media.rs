//! Uploaded images: decoded and re-encoded (never stored or served as sent, so EXIF, GPS and
//! anything hidden in the file are gone), resized for `srcset`, with WebP beside the original
//! format. Files are named `full.jpg`, `960.jpg`, `960.webp`... and kept where `MediaStore`
//! says: under `media.dir/{file_key}/`, or in the database on PostgreSQL.

use std::io::Cursor;
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use chrono::Utc;
use image::{DynamicImage, ImageDecoder, ImageFormat, ImageReader};
use regex::Regex;

use crate::db::enums::MediaFormat;
use crate::db::ids::{MediaId, UserId};
use crate::db::media::{self, Media, NewMedia};
use crate::db::Tx;
use crate::error::AppError;
use crate::services::audit;

/// The resized widths made when the original is wider.
pub const WIDTHS: [u32; 3] = [480, 960, 1920];
const JPEG_QUALITY: u8 = 85;
const WEBP_QUALITY: f32 = 80.0;
/// WebP's own limit on a side (libwebp refuses more).
const MAX_SIDE: u32 = 16_383;

#[derive(Debug, Clone, Copy)]
pub struct UploadLimits {
    pub max_bytes: usize,
    pub max_pixels: u64,
}

impl UploadLimits {
    pub fn from_config(config: &crate::config::Config) -> UploadLimits {
        UploadLimits {
            max_bytes: config.media.max_upload_mb as usize * 1024 * 1024,
            max_pixels: u64::from(config.media.max_megapixels) * 1_000_000,
        }
    }
}

/// An image decoded and encoded again, ready to be written.
pub struct Processed {
    pub format: MediaFormat,
    pub width: u32,
    pub height: u32,
    /// (file name, bytes): the full size and every variant, both formats.
    pub files: Vec<(String, Vec<u8>)>,
    pub widths: Vec<u32>,
}

impl Processed {
    fn full_bytes(&self) -> usize {
        self.files.first().map_or(0, |(_, bytes)| bytes.len())
    }
}

fn refused(message: impl Into<String>) -> AppError {
    AppError::Invalid(message.into())
}

/// Decodes `bytes` (JPEG, PNG, GIF or WebP, told by content, never by name) within `limits`
/// and encodes the files to keep. CPU work: call it through `db::blocking`.
pub fn process(bytes: &[u8], limits: UploadLimits) -> Result<Processed, AppError> {
    if bytes.is_empty() {
        return Err(refused("The file is empty."));
    }
    if bytes.len() > limits.max_bytes {
        return Err(refused(format!(
            "The image is {:.1} MB; images up to {} MB can be uploaded.",
            bytes.len() as f64 / 1_048_576.0,
            limits.max_bytes / 1_048_576
        )));
    }
    let not_an_image = || refused("This file is not a JPEG, PNG, GIF or WebP image.");
    let reader = ImageReader::new(Cursor::new(bytes)).with_guessed_format().map_err(|_| not_an_image())?;
    let format = match reader.format() {
        Some(ImageFormat::Jpeg) => MediaFormat::Jpeg,
        Some(ImageFormat::Png) => MediaFormat::Png,
        Some(ImageFormat::Gif) => MediaFormat::Gif,
        Some(ImageFormat::WebP) => MediaFormat::Webp,
        _ => return Err(not_an_image()),
    };
    let (width, height) =
        ImageReader::with_format(Cursor::new(bytes), reader.format().unwrap_or(ImageFormat::Png))
            .into_dimensions()
            .map_err(|_| refused("The image could not be read (a damaged or unfinished file?)."))?;
    if width.max(height) > MAX_SIDE {
        return Err(refused(format!(
            "The image is {width}×{height} pixels; images up to {MAX_SIDE} pixels on a side can be uploaded."
        )));
    }
    if u64::from(width) * u64::from(height) > limits.max_pixels {
        return Err(refused(format!(
            "The image is {width}×{height} pixels; images up to {} megapixels can be uploaded.",
            limits.max_pixels / 1_000_000
        )));
    }
    let mut reader = reader;
    let mut decode_limits = image::Limits::default();
    decode_limits.max_image_width = Some(width);
    decode_limits.max_image_height = Some(height);
    // Room for the decoded picture at 8 bytes a pixel (16-bit RGBA) and the decoder's buffers.
    decode_limits.max_alloc = Some(limits.max_pixels.saturating_mul(8).saturating_add(64 << 20));
    reader.limits(decode_limits);
    let unreadable = |_| refused("The image could not be read (a damaged or unfinished file?).");
    let mut decoder = reader.into_decoder().map_err(unreadable)?;
    let orientation = decoder.orientation().map_err(unreadable)?;
    let mut picture = DynamicImage::from_decoder(decoder).map_err(unreadable)?;
    // EXIF says how the camera was held; it goes with the rest of the metadata, so apply it.
    picture.apply_orientation(orientation);
    let (width, height) = (picture.width(), picture.height());

    let mut files = vec![(format!("full.{}", format.extension()), encode(&picture, format)?)];
    files.push(("full.webp".into(), encode(&picture, MediaFormat::Webp)?));
    let widths: Vec<u32> = WIDTHS.iter().copied().filter(|w| *w < width).collect();
    for w in &widths {
        let h = ((u64::from(height) * u64::from(*w)) / u64::from(width)).max(1) as u32;
        let smaller = picture.resize_exact(*w, h, image::imageops::FilterType::Lanczos3);
        files.push((format!("{w}.{}", format.extension()), encode(&smaller, format)?));
        files.push((format!("{w}.webp"), encode(&smaller, MediaFormat::Webp)?));
    }
    Ok(Processed { format, width, height, files, widths })
}

fn encode(picture: &DynamicImage, format: MediaFormat) -> Result<Vec<u8>, AppError> {
    let failed = |e: image::ImageError| AppError::Internal(format!("image encoding: {e}"));
    let mut out = Vec::new();
    match format {
        MediaFormat::Jpeg => {
            let rgb = picture.to_rgb8();
            let encoder = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, JPEG_QUALITY);
            rgb.write_with_encoder(encoder).map_err(failed)?;
        }
        MediaFormat::Png => {
            picture.write_to(&mut Cursor::new(&mut out), ImageFormat::Png).map_err(failed)?;
        }
        MediaFormat::Gif => {
            // One frame: an animation keeps its first picture.
            picture.to_rgba8().write_to(&mut Cursor::new(&mut out), ImageFormat::Gif).map_err(failed)?;
        }
        MediaFormat::Webp => {
            let rgba = picture.to_rgba8();
            let encoded = webp::Encoder::from_rgba(rgba.as_raw(), rgba.width(), rgba.height())
                .encode_simple(false, WEBP_QUALITY)
                .map_err(|e| AppError::Internal(format!("WebP encoding: {e:?}")))?;
            out.extend_from_slice(&encoded);
        }
    }
    Ok(out)
}

/// Where uploads' files are kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MediaStore {
    /// `dir/{file_key}/{name}`: SQLite's default, one machine.
    Directory(PathBuf),
    /// The `media_files` table: PostgreSQL, so every instance serves every upload without a
    /// shared filesystem. The directory is where a PostgreSQL site kept uploads before that
    /// (`media.dir`, else `media/`): read when the database has no copy.
    Database(PathBuf),
}

/// Files read from the database at once: a large one holds a pooled connection while it
/// loads, so readers asking for many cannot take every connection from comments and pages.
static DATABASE_READS: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(2);

impl MediaStore {
    pub fn of(config: &crate::config::Config) -> MediaStore {
        MediaStore::for_database(&config.database.url, &config.media.dir)
    }

    /// The store of the database at `database_url`, `media_dir` (`media.dir`) for SQLite.
    pub fn for_database(database_url: &str, media_dir: &str) -> MediaStore {
        if crate::config::is_postgres_url(database_url) {
            MediaStore::Database(crate::config::media_dir_for(database_url, media_dir))
        } else {
            MediaStore::Directory(crate::config::media_dir_for(database_url, media_dir))
        }
    }

    /// One stored file of `media` (`file` as in its URL), or NotFound.
    pub async fn read(&self, db: &crate::db::Db, media: &Media, file: &str) -> Result<Vec<u8>, AppError> {
        if file.contains(['/', '\\']) || file.starts_with('.') {
            return Err(AppError::NotFound);
        }
        match self {
            MediaStore::Directory(dir) => {
                let (dir, key, file) = (dir.clone(), media.file_key.clone(), file.to_string());
                crate::db::blocking(move || read_file(&dir, &key, &file)).await
            }
            MediaStore::Database(earlier) => {
                let turn = DATABASE_READS
                    .acquire()
                    .await
                    .map_err(|e| AppError::Internal(format!("media read: {e}")))?;
                let (id, name) = (media.id, file.to_string());
                let kept = db.read(move |c| Ok(media::file(c, id, &name)?)).await?;
                drop(turn);
                match kept {
                    Some(bytes) => Ok(bytes),
                    None => {
                        let (dir, key, file) = (earlier.clone(), media.file_key.clone(), file.to_string());
                        crate::db::blocking(move || read_file(&dir, &key, &file)).await
                    }
                }
            }
        }
    }

    /// After `media`'s row is deleted: its files (in the database they went with the row).
    pub async fn remove(&self, media: &Media) {
        if let MediaStore::Directory(dir) = self {
            let (dir, key) = (dir.clone(), media.file_key.clone());
            let _ = crate::db::blocking(move || {
                remove_files(&dir, &key);
                Ok(())
            })
            .await;
        }
    }
}

/// What `copy_files` moved.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct FilesCopied {
    pub uploads: u64,
    pub files: u64,
    /// Uploads with no file in the source store (their images were already gone).
    pub missing: Vec<String>,
}

/// Every upload's files from the store of the database on `src` into the store of the one on
/// `dst` (`db copy`, inside its transaction: rows written to a directory stay if it fails,
/// and the hourly sweep removes them). Blocking.
pub fn copy_files(
    src: &mut crate::db::Conn,
    dst: &mut crate::db::Conn,
    from: &MediaStore,
    to: &MediaStore,
) -> Result<FilesCopied, AppError> {
    let mut copied = FilesCopied::default();
    let mut after = MediaId(0);
    loop {
        let page = media::page_by_id(src, after, 100)?;
        let Some(last) = page.last() else { break };
        after = last.id;
        for upload in &page {
            let files = match from {
                MediaStore::Directory(dir) => files_in(&dir.join(&upload.file_key))?,
                MediaStore::Database(earlier) => {
                    let mut files = Vec::new();
                    for name in media::file_names(src, upload.id)? {
                        if let Some(data) = media::file(src, upload.id, &name)? {
                            files.push((name, data));
                        }
                    }
                    if files.is_empty() {
                        files = files_in(&earlier.join(&upload.file_key))?;
                    }
                    files
                }
            };
            if files.is_empty() {
                copied.missing.push(upload.file_key.clone());
                continue;
            }
            match to {
                MediaStore::Directory(dir) => write_files(dir, &upload.file_key, &files)?,
                MediaStore::Database(_) => {
                    for (name, data) in &files {
                        media::add_file(dst, upload.id, name, &sha256_hex(data), data)?;
                    }
                }
            }
            copied.uploads += 1;
            copied.files += files.len() as u64;
        }
    }
    Ok(copied)
}

/// The files of one upload's directory, by name (none when it is missing).
fn files_in(dir: &Path) -> Result<Vec<(String, Vec<u8>)>, AppError> {
    let Ok(entries) = std::fs::read_dir(dir) else { return Ok(Vec::new()) };
    let mut files = Vec::new();
    for entry in entries.filter_map(Result::ok).filter(|e| e.file_type().is_ok_and(|t| t.is_file())) {
        let Ok(name) = entry.file_name().into_string() else { continue };
        if name.starts_with('.') {
            continue;
        }
        let data = std::fs::read(entry.path())
            .map_err(|e| AppError::Internal(format!("cannot read {}: {e}", entry.path().display())))?;
        files.push((name, data));
    }
    files.sort();
    Ok(files)
}

use crate::text::sha256_hex;

/// A random name for an upload's directory (never the uploaded name).
pub fn new_file_key() -> String {
    use rand::RngCore;
    let mut bytes = [0u8; 16];
    rand::thread_rng().fill_bytes(&mut bytes);
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Whether `key` could be a file key (checked before it meets the file system).
pub fn is_file_key(key: &str) -> bool {
    key.len() == 32 && key.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// Writes `files` (name, bytes) under `dir/key/`. Blocking file I/O: call it through
/// `db::blocking`.
pub fn write_files(dir: &Path, key: &str, files: &[(String, Vec<u8>)]) -> Result<(), AppError> {
    let target = dir.join(key);
    std::fs::create_dir_all(&target)
        .map_err(|e| AppError::Internal(format!("cannot create {}: {e}", target.display())))?;
    for (name, bytes) in files {
        let path = target.join(name);
        std::fs::write(&path, bytes)
            .map_err(|e| AppError::Internal(format!("cannot write {}: {e}", path.display())))?;
    }
    Ok(())
}

pub fn remove_files(dir: &Path, key: &str) {
    if is_file_key(key) {
        if let Err(e) = std::fs::remove_dir_all(dir.join(key)) {
            tracing::warn!(key, error = %e, "media files not removed");
        }
    }
}

/// Upload directories older than `age` (blocking: through `db::blocking`); the caller keeps
/// those with a row. A directory without one is left by a process that died between writing
/// the files and recording them, or by a delete whose file removal failed.
pub fn old_directories(dir: &Path, age: std::time::Duration) -> Vec<String> {
    let Ok(entries) = std::fs::read_dir(dir) else { return Vec::new() };
    entries
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
        .filter(|e| e.metadata().and_then(|m| m.modified()).is_ok_and(|t| t.elapsed().is_ok_and(|d| d > age)))
        .filter_map(|e| e.file_name().into_string().ok())
        .filter(|name| is_file_key(name))
        .collect()
}

/// Cleans an uploaded file's name for the library list (never used as a path).
pub fn display_name(name: &str) -> String {
    let base = name.rsplit(['/', '\\']).next().unwrap_or(name);
    let cleaned: String = base.chars().filter(|c| !c.is_control()).take(120).collect();
    if cleaned.trim().is_empty() {
        "image".into()
    } else {
        cleaned
    }
}

/// Records an upload whose files are written.
pub fn record(
    tx: &mut Tx<'_>,
    key: &str,
    original_name: &str,
    processed: &Processed,
    alt: &str,
    by: Option<UserId>,
) -> Result<Media, AppError> {
    let variants = serde_json::to_string(&processed.widths).map_err(|e| AppError::Internal(e.to_string()))?;
    let row = media::insert(
        tx,
        &NewMedia {
            file_key: key,
            original_name: &display_name(original_name),
            format: processed.format,
            width: processed.width as i32,
            height: processed.height as i32,
            bytes: i32::try_from(processed.full_bytes()).unwrap_or(i32::MAX),
            variants: &variants,
            alt_text: alt.trim(),
            uploaded_by: by,
            created_at: Utc::now().naive_utc(),
        },
    )?;
    tx.private_only();
    Ok(row)
}

/// A file sent with an admin form (held in memory: bounded by `media.max_upload_mb`).
pub struct Upload {
    /// The form field it came in.
    pub field: String,
    /// The name it had on the sender's machine (shown, never used as a path).
    pub file_name: String,
    pub bytes: Vec<u8>,
}

/// Decoding takes hundreds of MB for a large photo: one at a time per process.
static PROCESSING: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(1);

/// Stores the files of a form that came in `fields` (others are refused, nothing stored),
/// each with `alt`; returns (field, row) in the order sent.
pub async fn store_uploads(
    db: &crate::db::Db,
    config: &crate::config::Config,
    files: Vec<Upload>,
    fields: &[&str],
    alt: &str,
    by: Option<UserId>,
) -> Result<Vec<(String, Media)>, AppError> {
    if let Some(other) = files.iter().find(|f| !fields.contains(&f.field.as_str())) {
        return Err(refused(format!("This form takes no file in “{}”.", other.field)));
    }
    let mut stored = Vec::with_capacity(files.len());
    for file in files {
        let row = store_upload(
            db,
            MediaStore::of(config),
            UploadLimits::from_config(config),
            file.file_name.clone(),
            file.bytes,
            alt.to_string(),
            by,
        )
        .await
        .map_err(|e| match e {
            AppError::Invalid(message) => {
                AppError::Invalid(format!("{}: {message}", display_name(&file.file_name)))
            }
            other => other,
        })?;
        stored.push((file.field, row));
    }
    Ok(stored)
}

/// An upload end to end: decoded and encoded off the async workers, then its files and row
/// stored (files written to a directory first, and removed again if the row fails; in the
/// database both in one transaction).
pub async fn store_upload(
    db: &crate::db::Db,
    store: MediaStore,
    limits: UploadLimits,
    original_name: String,
    bytes: Vec<u8>,
    alt: String,
    by: Option<UserId>,
) -> Result<Media, AppError> {
    let turn = PROCESSING.acquire().await.map_err(|e| AppError::Internal(format!("image turn: {e}")))?;
    let processed = Arc::new(crate::db::blocking(move || process(&bytes, limits)).await?);
    drop(turn);
    let key = new_file_key();
    let MediaStore::Directory(dir) = store else {
        return db
            .write(move |tx| {
                let row = record(tx, &key, &original_name, &processed, &alt, by)?;
                for (name, data) in &processed.files {
                    media::add_file(tx, row.id, name, &sha256_hex(data), data)?;
                }
                Ok(row)
            })
            .await;
    };
    let (files_dir, files_key, files) = (dir.clone(), key.clone(), processed.clone());
    crate::db::blocking(move || write_files(&files_dir, &files_key, &files.files)).await?;
    let (row_key, row) = (key.clone(), processed.clone());
    let recorded = db.write(move |tx| record(tx, &row_key, &original_name, &row, &alt, by)).await;
    if recorded.is_err() {
        crate::db::blocking(move || {
            remove_files(&dir, &key);
            Ok(())
        })
        .await?;
    }
    recorded
}

/// The URL of `media`'s full size in its own format.
pub fn full_url(media: &Media) -> String {
    format!("/media/{}/full.{}", media.file_key, media.format.extension())
}

/// The URL of the smallest variant at least `width` wide (the full size if none is).
pub fn url_for_width(media: &Media, width: u32) -> String {
    match media.widths().into_iter().find(|w| *w >= width) {
        Some(w) => format!("/media/{}/{w}.{}", media.file_key, media.format.extension()),
        None => full_url(media),
    }
}

/// `srcset` of one format ("/media/k/480.jpg 480w, ..., /media/k/full.jpg 2400w").
pub fn srcset(media: &Media, extension: &str) -> String {
    let mut entries: Vec<String> =
        media.widths().iter().map(|w| format!("/media/{}/{w}.{extension} {w}w", media.file_key)).collect();
    entries.push(format!("/media/{}/full.{extension} {}w", media.file_key, media.width));
    entries.join(", ")
}

/// Which file of an upload a URL names: `full` or a width, and WebP or the original format.
pub fn variant_of(media: &Media, file: &str) -> Option<(&'static str, bool)> {
    let (stem, extension) = file.split_once('.')?;
    let webp = match extension {
        "webp" => true,
        other if other == media.format.extension() => false,
        _ => return None,
    };
    let known = stem == "full" || stem.parse::<u32>().is_ok_and(|w| media.widths().contains(&w));
    known.then(|| (if webp { "image/webp" } else { media.format.content_type() }, webp))
}

/// Reads one stored file (blocking: through `db::blocking`).
pub fn read_file(dir: &Path, key: &str, file: &str) -> Result<Vec<u8>, AppError> {
    if !is_file_key(key) || file.contains(['/', '\\']) || file.starts_with('.') {
        return Err(AppError::NotFound);
    }
    let path: PathBuf = dir.join(key).join(file);
    std::fs::read(&path).map_err(|_| AppError::NotFound)
}

fn img_pattern() -> &'static Regex {
    static PATTERN: OnceLock<Regex> = OnceLock::new();
    #[allow(clippy::expect_used)] // a constant pattern
    PATTERN.get_or_init(|| {
        Regex::new(r#"<img src="/media/([0-9a-f]{32})/full\.(?:jpg|png|gif|webp)"([^>]*)>"#)
            .expect("valid pattern")
    })
}

/// The upload keys that sanitized post HTML shows at full size.
pub fn keys_in(html: &str) -> Vec<String> {
    let mut keys: Vec<String> = img_pattern().captures_iter(html).map(|c| c[1].to_string()).collect();
    keys.sort();
    keys.dedup();
    keys
}

/// Sanitized post HTML with each uploaded image made responsive: a `<picture>` offering WebP,
/// `srcset` of the resized files, its size (no layout shift) and lazy loading. Everything
/// added comes from our own rows (hex keys, numbers, the alt text already in the tag).
pub fn responsive(html: &str, uploads: &[Media]) -> String {
    img_pattern()
        .replace_all(html, |caps: &regex::Captures<'_>| {
            let Some(m) = uploads.iter().find(|m| m.file_key == caps[1]) else {
                return caps[0].to_string();
            };
            let rest = caps[2].trim_end_matches('/');
            let sizes = "(max-width: 760px) 100vw, 760px";
            format!(
                "<picture><source type=\"image/webp\" srcset=\"{webp}\" sizes=\"{sizes}\"><img src=\"{src}\" srcset=\"{own}\" sizes=\"{sizes}\" width=\"{w}\" height=\"{h}\" loading=\"lazy\" decoding=\"async\"{rest}></picture>",
                webp = srcset(m, "webp"),
                own = srcset(m, m.format.extension()),
                src = url_for_width(m, 960),
                w = m.width,
                h = m.height,
            )
        })
        .into_owned()
}

/// Sets an upload's alt text.
pub fn set_alt(tx: &mut Tx<'_>, id: MediaId, alt: &str) -> Result<(), AppError> {
    media::find(tx, id)?.ok_or(AppError::NotFound)?;
    // Featured images and cards show it: undeclared, so every cached page goes.
    media::set_alt(tx, id, alt.trim())?;
    Ok(())
}

/// Deletes an upload's row; the caller removes its files after the commit. Posts showing it
/// keep their text (their images break), which the library warns about before.
pub fn delete(tx: &mut Tx<'_>, id: MediaId, actor: &str) -> Result<Media, AppError> {
    let row = media::find(tx, id)?.ok_or(AppError::NotFound)?;
    media::delete(tx, id)?;
    audit::record_admin_action(tx, actor, "media deleted", &format!("media {id} “{}”", row.original_name))?;
    Ok(row)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn png(width: u32, height: u32) -> Vec<u8> {
        let picture = DynamicImage::new_rgb8(width, height);
        let mut out = Vec::new();
        picture.write_to(&mut Cursor::new(&mut out), ImageFormat::Png).expect("encodes");
        out
    }

    const LIMITS: UploadLimits = UploadLimits { max_bytes: 10 << 20, max_pixels: 50_000_000 };

    #[test]
    fn resizes_below_the_original_width_only() {
        let processed = process(&png(1000, 500), LIMITS).expect("processed");
        assert_eq!(processed.widths, vec![480, 960]);
        assert_eq!(processed.format, MediaFormat::Png);
        let names: Vec<&str> = processed.files.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, ["full.png", "full.webp", "480.png", "480.webp", "960.png", "960.webp"]);
        assert!(processed.files[3].1.starts_with(b"RIFF"), "a WebP file");
    }

    #[test]
    fn refuses_what_is_not_an_image_or_too_big() {
        let err = process(b"<?php echo 1; ?>", LIMITS).err().expect("refused").to_string();
        assert!(err.contains("not a JPEG, PNG, GIF or WebP"), "{err}");
        let small = UploadLimits { max_bytes: 10 << 20, max_pixels: 1_000 };
        let err = process(&png(100, 100), small).err().expect("refused").to_string();
        assert!(err.contains("100×100 pixels"), "{err}");
        let tiny = UploadLimits { max_bytes: 10, max_pixels: 50_000_000 };
        assert!(process(&png(10, 10), tiny).is_err());
    }

    #[test]
    fn responsive_keeps_the_tag_and_adds_only_our_attributes() {
        let key = "0123456789abcdef0123456789abcdef";
        let html = crate::services::markup::render_body(
            crate::db::enums::BodyFormat::Markdown,
            &format!("![a > b \" onerror=x](/media/{key}/full.png)"),
        );
        let m = Media {
            id: MediaId(1),
            file_key: key.into(),
            original_name: "a.png".into(),
            format: MediaFormat::Png,
            width: 1000,
            height: 500,
            bytes: 1,
            variants: "[480,960]".into(),
            alt_text: String::new(),
            uploaded_by: None,
            created_at: Utc::now().naive_utc(),
        };
        let out = responsive(html.as_str(), &[m]);
        assert!(out.contains("<picture><source type=\"image/webp\""), "{out}");
        assert!(
            out.contains("alt=\"a &gt; b “ onerror=x\""),
            "the alt text stays one escaped attribute: {out}"
        );
        assert!(!out.contains("\" onerror"), "no attribute of its own: {out}");
        assert!(out.contains("width=\"1000\" height=\"500\""));
    }

    #[test]
    fn file_keys_are_hex_only() {
        assert!(is_file_key(&new_file_key()));
        assert!(!is_file_key("../../etc/passwd"));
        assert!(!is_file_key("ABCDEF0123456789ABCDEF0123456789"));
    }
}
