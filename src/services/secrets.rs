//! The site's signing key: from config, or generated once and kept in the database.

use rand::RngCore;

use crate::config::{Config, Secret};
use crate::db::{settings, Tx};
use crate::error::AppError;

const SETTING: &str = "security.secret_key";

pub fn secret_key(conn: &mut Tx<'_>, config: &Config) -> Result<Secret, AppError> {
    let configured = config.security.secret_key.expose();
    if !configured.is_empty() {
        return Ok(Secret::new(configured));
    }
    {
        if let Some(stored) = settings::get(conn, SETTING)? {
            return Ok(Secret::new(stored));
        }
        let mut bytes = [0u8; 32];
        rand::rngs::OsRng.fill_bytes(&mut bytes);
        let generated: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
        settings::set(conn, SETTING, &generated)?;
        tracing::info!("generated a new secret key and stored it in the database");
        Ok(Secret::new(generated))
    }
}
