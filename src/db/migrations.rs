use diesel::connection::SimpleConnection;
use diesel::PgConnection;
use diesel_migrations::{embed_migrations, EmbeddedMigrations, MigrationHarness};

use super::Conn;
use crate::error::AppError;

pub const SQLITE: EmbeddedMigrations = embed_migrations!("migrations/sqlite");
pub const POSTGRES: EmbeddedMigrations = embed_migrations!("migrations/postgres");

/// Held while an instance migrates PostgreSQL: instances starting together migrate once (the
/// others wait, then find nothing pending).
const POSTGRES_MIGRATION_LOCK: i64 = 7236112;

type MigrationError = Box<dyn std::error::Error + Send + Sync>;

fn failed(e: MigrationError) -> AppError {
    AppError::Internal(format!("migrations failed: {e}"))
}

/// Applies every pending migration; returns how many ran. On SQLite each runs on a
/// connection of its own from `connect` (a migration that edits the schema text, as
/// 2026-12-01-000010 widens a CHECK, leaves its connection's parsed schema stale).
pub fn run_pending(connect: impl Fn() -> Result<Conn, AppError>) -> Result<usize, AppError> {
    let mut applied = 0;
    loop {
        match connect()? {
            Conn::Sqlite(mut conn) => {
                if !conn.has_pending_migration(SQLITE).map_err(failed)? {
                    return Ok(applied);
                }
                conn.run_next_migration(SQLITE).map_err(failed)?;
                applied += 1;
            }
            Conn::Pg(mut conn) => return run_postgres(&mut conn),
        }
    }
}

/// The versions of this binary's SQLite migrations (as `__diesel_schema_migrations` keeps them).
pub fn sqlite_versions() -> Vec<String> {
    use diesel::migration::MigrationSource;
    MigrationSource::<diesel::sqlite::Sqlite>::migrations(&SQLITE)
        .map(|all| all.iter().map(|m| m.name().version().to_string()).collect())
        .unwrap_or_default()
}

/// Whether any migration was ever applied to `conn`'s database.
pub fn applied_any(conn: &mut Conn) -> Result<bool, AppError> {
    let applied = match conn {
        Conn::Sqlite(conn) => conn.applied_migrations().map_err(failed)?,
        Conn::Pg(conn) => conn.applied_migrations().map_err(failed)?,
    };
    Ok(!applied.is_empty())
}

/// Whether `conn`'s database lacks migrations this binary has.
pub fn pending(conn: &mut Conn) -> Result<bool, AppError> {
    match conn {
        Conn::Sqlite(conn) => conn.has_pending_migration(SQLITE).map_err(failed),
        Conn::Pg(conn) => conn.has_pending_migration(POSTGRES).map_err(failed),
    }
}

fn run_postgres(conn: &mut PgConnection) -> Result<usize, AppError> {
    conn.batch_execute(&format!("SELECT pg_advisory_lock({POSTGRES_MIGRATION_LOCK})"))?;
    let applied = conn.run_pending_migrations(POSTGRES).map(|ran| ran.len()).map_err(failed);
    let unlocked = conn.batch_execute(&format!("SELECT pg_advisory_unlock({POSTGRES_MIGRATION_LOCK})"));
    let applied = applied?;
    unlocked?;
    Ok(applied)
}
