//! SQLite backups: a consistent copy of the live database (`VACUUM INTO`, one read snapshot,
//! writers carry on), and the checks a file must pass before it is restored.

use super::Count;
use std::path::Path;

use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use diesel::sql_types::Text;
use diesel::SqliteConnection;
use diesel_migrations::MigrationHarness;

use super::{migrations, BackendKind, Conn};
use crate::error::AppError;

/// Writes a copy of the database on `conn` to `path` (which must not exist). SQLite only.
pub fn vacuum_into(conn: &mut Conn, path: &Path) -> Result<(), AppError> {
    if conn.kind() != BackendKind::Sqlite {
        return Err(AppError::Invalid(
            "on PostgreSQL, back up with pg_dump (see the README, \"Operating\")".into(),
        ));
    }
    let target = path.to_str().ok_or_else(|| AppError::Invalid("the backup path is not UTF-8".into()))?;
    diesel::sql_query("VACUUM INTO ?").bind::<Text, _>(target).execute(conn)?;
    Ok(())
}

#[derive(QueryableByName)]
struct Line {
    #[diesel(sql_type = Text)]
    line: String,
}

/// What a checked backup holds.
#[derive(Debug)]
pub struct FileCheck {
    pub posts: i64,
    pub comments: i64,
    /// Migrations it lacks (applied when the restored site starts).
    pub behind: usize,
}

/// Opens the SQLite file at `path` and checks that it is whole (`PRAGMA integrity_check`), is
/// a marginalia database, and was not made by a newer binary. The reason it is refused, in
/// words, otherwise.
pub fn check_file(path: &Path) -> Result<FileCheck, AppError> {
    let refused = |why: String| AppError::Invalid(format!("{} cannot be restored: {why}", path.display()));
    if !path.is_file() {
        return Err(refused("no such file".into()));
    }
    let url = path.to_str().ok_or_else(|| refused("the path is not UTF-8".into()))?;
    let mut conn = SqliteConnection::establish(url).map_err(|e| refused(e.to_string()))?;
    conn.batch_execute("PRAGMA query_only = ON").map_err(|e| refused(e.to_string()))?;
    let lines = diesel::sql_query("SELECT integrity_check AS line FROM pragma_integrity_check")
        .load::<Line>(&mut conn)
        .map_err(|e| refused(format!("it is not a readable SQLite database ({e})")))?;
    if lines.len() != 1 || lines[0].line != "ok" {
        let first: Vec<String> = lines.into_iter().take(3).map(|l| l.line).collect();
        return Err(refused(format!("it is damaged ({})", first.join("; "))));
    }
    let marginalia = diesel::sql_query(
        "SELECT COUNT(*) AS n FROM sqlite_master WHERE type = 'table' AND name IN ('__diesel_schema_migrations', 'posts', 'comments')",
    )
    .get_result::<Count>(&mut conn)
    .map_err(|e| refused(e.to_string()))?;
    if marginalia.n != 3 {
        return Err(refused("it is not a marginalia database".into()));
    }
    let applied = conn.applied_migrations().map_err(|e| refused(e.to_string()))?;
    let known = migrations::sqlite_versions();
    if let Some(newer) = applied.iter().map(ToString::to_string).find(|v| !known.contains(v)) {
        return Err(refused(format!(
            "it was made by a newer marginalia (migration {newer} is unknown to this one): upgrade first"
        )));
    }
    let count = |conn: &mut SqliteConnection, table: &str| {
        diesel::sql_query(format!("SELECT COUNT(*) AS n FROM {table}")).get_result::<Count>(conn).map(|c| c.n)
    };
    Ok(FileCheck {
        posts: count(&mut conn, "posts").map_err(|e| refused(e.to_string()))?,
        comments: count(&mut conn, "comments").map_err(|e| refused(e.to_string()))?,
        behind: known.len().saturating_sub(applied.len()),
    })
}
