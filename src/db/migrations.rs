use diesel::SqliteConnection;
use diesel_migrations::{embed_migrations, EmbeddedMigrations, MigrationHarness};

use crate::error::AppError;

pub const MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations");

/// Applies every pending migration, each on a connection of its own from `connect` (a
/// migration that edits the schema text, as 2026-12-01-000010 widens a CHECK, leaves its
/// connection's parsed schema stale); returns how many ran.
pub fn run_pending(connect: impl Fn() -> Result<SqliteConnection, AppError>) -> Result<usize, AppError> {
    let failed =
        |e: Box<dyn std::error::Error + Send + Sync>| AppError::Internal(format!("migrations failed: {e}"));
    let mut applied = 0;
    loop {
        let mut conn = connect()?;
        if !conn.has_pending_migration(MIGRATIONS).map_err(failed)? {
            return Ok(applied);
        }
        conn.run_next_migration(MIGRATIONS).map_err(failed)?;
        applied += 1;
    }
}
