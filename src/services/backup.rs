//! Backups of a SQLite site while it serves, their rotation, and restoring one.
//!
//! A backup is `NAME.db` (a consistent copy: one read snapshot, writers carry on) and, when the
//! site has uploads, `NAME.db.media/` beside it. Both are written under a temporary name and
//! renamed when complete, so a full disk leaves no half backup under the final name.

use std::fs::File;
use std::path::{Path, PathBuf};

use chrono::Utc;

use crate::config::Config;
use crate::db::{self, Db};
use crate::error::AppError;

/// Held (shared) by every `serve` of a SQLite database; `restore` needs it exclusively.
pub struct InUse {
    _file: File,
}

fn lock_path(database: &Path) -> PathBuf {
    let mut name = database.as_os_str().to_owned();
    name.push(".lock");
    PathBuf::from(name)
}

fn io(what: &str, path: &Path, e: std::io::Error) -> AppError {
    AppError::Internal(format!("cannot {what} {}: {e}", path.display()))
}

/// Marks the SQLite database at `database` as served by this process until dropped.
pub fn mark_in_use(database: &Path) -> Result<InUse, AppError> {
    let path = lock_path(database);
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent).map_err(|e| io("create", parent, e))?;
    }
    let file = File::options()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .map_err(|e| io("open", &path, e))?;
    file.lock_shared().map_err(|e| io("lock", &path, e))?;
    Ok(InUse { _file: file })
}

/// Where scheduled backups go: `backup.dir`, else `backups/` beside the database.
pub fn backup_dir(config: &Config) -> PathBuf {
    let configured = config.backup.dir.trim();
    if !configured.is_empty() {
        return PathBuf::from(configured);
    }
    crate::config::beside_database(&config.database.url, "backups")
}

/// What a backup wrote.
#[derive(Debug)]
pub struct Written {
    pub file: PathBuf,
    pub bytes: u64,
    pub media_files: u64,
}

fn media_path(backup: &Path) -> PathBuf {
    let mut name = backup.as_os_str().to_owned();
    name.push(".media");
    PathBuf::from(name)
}

fn partial_path(path: &Path) -> PathBuf {
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    path.with_file_name(format!(".{name}.partial"))
}

/// Copies the live database (and its uploads) to `output`, which must not exist yet.
/// Blocking: the command line, or a job through `db::blocking`.
pub fn backup_to(db: &Db, config: &Config, output: &Path) -> Result<Written, AppError> {
    if config.database.is_postgres() {
        return Err(AppError::Invalid(
            "on PostgreSQL, back up with pg_dump (see the README, \"Operating\")".into(),
        ));
    }
    if output.exists() {
        return Err(AppError::Invalid(format!("{} exists already: choose a new name", output.display())));
    }
    if let Some(parent) = output.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent).map_err(|e| io("create", parent, e))?;
    }
    let partial = partial_path(output);
    let _ = std::fs::remove_file(&partial); // left by a backup that died
    let made = db
        .read_now(|c| db::backup::vacuum_into(c, &partial))
        .and_then(|()| File::open(&partial).and_then(|f| f.sync_all()).map_err(|e| io("write", &partial, e)));
    if let Err(e) = made {
        let _ = std::fs::remove_file(&partial);
        return Err(e);
    }
    let media_files = match copy_media(&config.media_dir(), &media_path(output)) {
        Ok(n) => n,
        Err(e) => {
            let _ = std::fs::remove_file(&partial);
            return Err(e);
        }
    };
    std::fs::rename(&partial, output).map_err(|e| io("rename", &partial, e))?;
    let bytes = std::fs::metadata(output).map(|m| m.len()).unwrap_or(0);
    Ok(Written { file: output.to_path_buf(), bytes, media_files })
}

/// Copies every upload directory under `from` to `to` (written as a partial directory, then
/// renamed); nothing when there are no uploads. Uploads never change once written, so a copy
/// made beside a live site holds whole files.
fn copy_media(from: &Path, to: &Path) -> Result<u64, AppError> {
    let Ok(entries) = std::fs::read_dir(from) else { return Ok(0) };
    let partial = partial_path(to);
    let _ = std::fs::remove_dir_all(&partial);
    let mut copied = 0;
    for entry in entries.filter_map(Result::ok) {
        let name = entry.file_name().to_string_lossy().into_owned();
        if !crate::services::media::is_file_key(&name) || !entry.path().is_dir() {
            continue;
        }
        match copy_dir(&entry.path(), &partial.join(&name), Link::Allowed) {
            Ok(n) => copied += n,
            Err(e) => {
                let _ = std::fs::remove_dir_all(&partial);
                return Err(e);
            }
        }
    }
    if copied == 0 {
        let _ = std::fs::remove_dir_all(&partial);
        return Ok(0);
    }
    let _ = std::fs::remove_dir_all(to);
    std::fs::rename(&partial, to).map_err(|e| io("rename", &partial, e))?;
    Ok(copied)
}

#[derive(Clone, Copy, PartialEq)]
enum Link {
    /// Uploads never change once written: a backup may hard-link them (no second copy of
    /// every image per backup), falling back to a copy across filesystems.
    Allowed,
    Never,
}

/// The files of one upload directory (no deeper: uploads have none).
fn copy_dir(from: &Path, to: &Path, link: Link) -> Result<u64, AppError> {
    std::fs::create_dir_all(to).map_err(|e| io("create", to, e))?;
    let mut copied = 0;
    for entry in std::fs::read_dir(from).map_err(|e| io("read", from, e))?.filter_map(Result::ok) {
        if entry.path().is_file() {
            let target = to.join(entry.file_name());
            let _ = std::fs::remove_file(&target);
            let linked = link == Link::Allowed && std::fs::hard_link(entry.path(), &target).is_ok();
            if !linked {
                std::fs::copy(entry.path(), &target).map_err(|e| io("write", &target, e))?;
            }
            copied += 1;
        }
    }
    Ok(copied)
}

/// A scheduled backup into `backup_dir`, then all but the newest `backup.keep` removed.
pub fn scheduled(db: &Db, config: &Config) -> Result<Written, AppError> {
    let dir = backup_dir(config);
    let name = format!("marginalia-{}.db", Utc::now().format("%Y%m%d-%H%M%S"));
    let written = backup_to(db, config, &dir.join(name))?;
    rotate(&dir, config.backup.keep as usize)?;
    Ok(written)
}

/// Keeps the newest `keep` scheduled backups in `dir` (names sort by time), with their media.
pub fn rotate(dir: &Path, keep: usize) -> Result<Vec<PathBuf>, AppError> {
    let mut backups: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(|e| io("read", dir, e))?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| {
            p.is_file()
                && p.file_name()
                    .and_then(|n| n.to_str())
                    .is_some_and(|n| n.starts_with("marginalia-") && n.ends_with(".db"))
        })
        .collect();
    backups.sort();
    sweep_partials(dir);
    let excess = backups.len().saturating_sub(keep.max(1));
    let removed: Vec<PathBuf> = backups.into_iter().take(excess).collect();
    for old in &removed {
        std::fs::remove_file(old).map_err(|e| io("remove", old, e))?;
        let _ = std::fs::remove_dir_all(media_path(old));
    }
    Ok(removed)
}

/// At the start of a version with new migrations: a copy of the SQLite database as it was,
/// in `backup_dir` (`before-migrate-TIME.db`), before anything changes it.
pub fn before_migrate(config: &Config) -> Result<Option<Written>, AppError> {
    if !config.backup.before_migrate
        || config.database.is_postgres()
        || !db::has_data_to_migrate(&config.database.url)?
    {
        return Ok(None);
    }
    let db = Db::connect(&config.database.url, 1)?;
    let name = format!("before-migrate-{}.db", Utc::now().format("%Y%m%d-%H%M%S"));
    backup_to(&db, config, &backup_dir(config).join(name)).map(Some)
}

/// The database a restore is about to replace, copied to `DATABASE.before-restore-TIME`
/// (with what its write-ahead log holds); None when there is none.
fn keep_previous(database: &Path) -> Result<Option<PathBuf>, AppError> {
    if !std::fs::metadata(database).is_ok_and(|m| m.len() > 0) {
        return Ok(None);
    }
    let mut name = database.as_os_str().to_owned();
    name.push(format!(".before-restore-{}", Utc::now().format("%Y%m%d-%H%M%S")));
    let kept = PathBuf::from(name);
    let url = database.to_str().ok_or_else(|| AppError::Invalid("the database path is not UTF-8".into()))?;
    let vacuumed = Db::connect(url, 1).and_then(|db| db.read_now(|c| db::backup::vacuum_into(c, &kept)));
    if vacuumed.is_err() {
        // Not a database SQLite can read: kept byte for byte.
        let _ = std::fs::remove_file(&kept);
        std::fs::copy(database, &kept).map_err(|e| io("copy", database, e))?;
    }
    Ok(Some(kept))
}

/// `.NAME.partial` files and directories older than an hour: left by a backup that died.
fn sweep_partials(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.filter_map(Result::ok) {
        let name = entry.file_name().to_string_lossy().into_owned();
        let old = entry
            .metadata()
            .and_then(|m| m.modified())
            .is_ok_and(|t| t.elapsed().is_ok_and(|age| age > std::time::Duration::from_secs(3600)));
        if name.starts_with('.') && name.ends_with(".partial") && old {
            let path = entry.path();
            let _ = if path.is_dir() { std::fs::remove_dir_all(&path) } else { std::fs::remove_file(&path) };
        }
    }
}

/// What a restore put in place.
#[derive(Debug)]
pub struct Restored {
    pub check: db::backup::FileCheck,
    pub media_files: u64,
    /// The database it replaced, kept beside it.
    pub previous: Option<PathBuf>,
}

/// Replaces the SQLite database of `config` with the backup `file`, after checking the file,
/// and only while no `marginalia serve` has the database open.
pub fn restore(config: &Config, file: &Path) -> Result<Restored, AppError> {
    if config.database.is_postgres() {
        return Err(AppError::Invalid(
            "on PostgreSQL, restore with pg_restore or psql (see the README)".into(),
        ));
    }
    if !file.is_file() {
        return Err(AppError::Invalid(format!("{} cannot be restored: no such file", file.display())));
    }
    let database = PathBuf::from(&config.database.url);
    let lock = lock_path(&database);
    let held = File::options()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&lock)
        .map_err(|e| io("open", &lock, e))?;
    if held.try_lock().is_err() {
        return Err(AppError::Invalid(format!(
            "{} is in use by a running marginalia: stop it first, then restore",
            database.display()
        )));
    }
    let partial = partial_path(&database);
    let _ = std::fs::remove_file(&partial);
    std::fs::copy(file, &partial).map_err(|e| io("read", file, e))?;
    let check = match db::backup::check_file(&partial) {
        Ok(check) => check,
        Err(e) => {
            let _ = std::fs::remove_file(&partial);
            // The reason names the file the operator gave, not the copy.
            return Err(AppError::Invalid(
                e.to_string().replace(&partial.display().to_string(), &file.display().to_string()),
            ));
        }
    };
    File::open(&partial).and_then(|f| f.sync_all()).map_err(|e| io("write", &partial, e))?;
    let previous = keep_previous(&database)?;
    for suffix in ["-wal", "-shm"] {
        let mut name = database.as_os_str().to_owned();
        name.push(suffix);
        let _ = std::fs::remove_file(PathBuf::from(name));
    }
    std::fs::rename(&partial, &database).map_err(|e| io("rename", &partial, e))?;
    let mut media_files = 0;
    let backup_media = media_path(file);
    if backup_media.is_dir() {
        let media = config.media_dir();
        for entry in
            std::fs::read_dir(&backup_media).map_err(|e| io("read", &backup_media, e))?.filter_map(Result::ok)
        {
            let name = entry.file_name().to_string_lossy().into_owned();
            if crate::services::media::is_file_key(&name) && entry.path().is_dir() {
                media_files += copy_dir(&entry.path(), &media.join(&name), Link::Never)?;
            }
        }
    }
    drop(held);
    Ok(Restored { check, media_files, previous })
}
