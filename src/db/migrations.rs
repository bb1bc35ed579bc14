use diesel::SqliteConnection;
use diesel_migrations::{embed_migrations, EmbeddedMigrations, MigrationHarness};

use crate::error::AppError;

pub const MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations");

/// Applies every pending migration; returns how many ran.
pub fn run_pending(conn: &mut SqliteConnection) -> Result<usize, AppError> {
    let applied = conn
        .run_pending_migrations(MIGRATIONS)
        .map_err(|e| AppError::Internal(format!("migrations failed: {e}")))?;
    Ok(applied.len())
}
