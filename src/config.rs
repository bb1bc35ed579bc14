//! Configuration: a typed, validated value (never a global). Loaded from the compiled-in
//! `config/default.toml`, then `--config FILE`, then `MARGINALIA_<SECTION>__<KEY>`.

use std::net::SocketAddr;
use std::path::Path;

use figment::providers::{Env, Format, Toml};
use figment::Figment;
use serde::{Deserialize, Serialize};

pub const DEFAULT_TOML: &str = include_str!("../config/default.toml");

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    pub server: ServerConfig,
    pub site: SiteConfig,
    pub database: DatabaseConfig,
    pub mail: MailConfig,
    pub comments: CommentsConfig,
    pub privacy: PrivacyConfig,
    pub security: SecurityConfig,
    pub import: ImportConfig,
    pub cache: CacheConfig,
    pub spam: SpamConfig,
    #[serde(default)]
    pub media: MediaConfig,
    #[serde(default)]
    pub backup: BackupConfig,
    #[serde(default)]
    pub log: LogConfig,
    #[serde(default)]
    pub metrics: MetricsConfig,
    #[serde(default)]
    pub embed: EmbedConfig,
}

/// Other sites whose pages embed marginalia's threads (`embed.js`).
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct EmbedConfig {
    pub sites: Vec<EmbedSite>,
    /// New threads one address may start per hour (each is a page's first visit).
    pub threads_per_hour: u32,
    /// A thread is made only for a page that answers our own GET (200, HTML): made-up URLs
    /// make none. Its title comes from that page. Off: the embed's `data-title` is used.
    pub verify_pages: bool,
}

impl Default for EmbedConfig {
    fn default() -> Self {
        EmbedConfig { sites: Vec::new(), threads_per_hour: 60, verify_pages: true }
    }
}

#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct EmbedSite {
    /// Short and stable (it names the site's threads): letters, digits, `-`.
    pub name: String,
    /// `https://blog.example.org` (scheme, host and port; no path).
    pub origins: Vec<String>,
    /// Query keys that make a different page (e.g. `p` for `/?p=12`); all others are dropped.
    #[serde(default)]
    pub keep_query: Vec<String>,
}

/// A site's rules (config and admin alike); its origins are normalized in place.
pub fn check_embed_site(site: &mut EmbedSite) -> Result<(), String> {
    site.name = site.name.trim().to_string();
    let good_name = !site.name.is_empty()
        && site.name.len() <= 40
        && site.name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-');
    if !good_name {
        return Err("a site's name is 1 to 40 letters, digits and -".into());
    }
    if site.origins.is_empty() || site.origins.len() > 20 {
        return Err(format!("site `{}` needs 1 to 20 origins", site.name));
    }
    for origin in &mut site.origins {
        *origin = normalize_origin(origin)
            .ok_or_else(|| format!("`{origin}` is not an origin like https://blog.example.org (no path)"))?;
    }
    site.keep_query.retain(|k| !k.trim().is_empty());
    if site.keep_query.len() > 20 || site.keep_query.iter().any(|k| k.len() > 40) {
        return Err("keep at most 20 query keys of up to 40 characters".into());
    }
    Ok(())
}

/// `scheme://host[:port]` in lower case, or None when `origin` is not one.
pub fn normalize_origin(origin: &str) -> Option<String> {
    let origin = origin.trim().trim_end_matches('/').to_ascii_lowercase();
    let rest = origin.strip_prefix("https://").or_else(|| origin.strip_prefix("http://"))?;
    let ok = !rest.is_empty()
        && rest.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']'));
    ok.then_some(origin)
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct MetricsConfig {
    /// A listener of its own for `/metrics` (keep it private); empty: none.
    pub bind: String,
    /// When set, `/metrics` is also on the public port, for `Authorization: Bearer TOKEN`.
    pub token: Secret,
}

impl Default for MetricsConfig {
    fn default() -> Self {
        MetricsConfig { bind: "127.0.0.1:9898".into(), token: Secret::new("") }
    }
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct BackupConfig {
    /// Hours between scheduled backups of a SQLite site; 0: none.
    pub every_hours: u32,
    /// Scheduled backups kept (older ones are removed).
    pub keep: u32,
    /// Where scheduled backups go; empty: `backups/` next to the database file.
    pub dir: String,
    /// A backup before any pending migration runs at start.
    pub before_migrate: bool,
}

impl Default for BackupConfig {
    fn default() -> Self {
        BackupConfig { every_hours: 24, keep: 7, dir: String::new(), before_migrate: true }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    #[default]
    Text,
    Json,
}

#[derive(Debug, Clone, Deserialize, Serialize, Default)]
#[serde(deny_unknown_fields, default)]
pub struct LogConfig {
    /// `text` for people, `json` (one object a line) for log shippers.
    pub format: LogFormat,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct MediaConfig {
    /// Where uploaded images are written; empty: `media/` next to the database file.
    pub dir: String,
    /// Largest image accepted, in MiB.
    pub max_upload_mb: u32,
    /// Largest image accepted, in megapixels (a small file can decode to a huge picture).
    pub max_megapixels: u32,
}

impl Default for MediaConfig {
    fn default() -> Self {
        MediaConfig { dir: String::new(), max_upload_mb: 10, max_megapixels: 40 }
    }
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct SpamConfig {
    /// The learned filter scores new comments (it learns from decisions either way).
    pub learn: bool,
    pub threshold_spam: f64,
    pub threshold_hold: f64,
    /// Decisions of each kind before the filter may mark spam (below, it only holds).
    pub min_training: u32,
    pub max_tokens: u32,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct CacheConfig {
    /// Rendered pages for anonymous readers, kept in memory.
    pub enabled: bool,
    /// The bound, in MiB, gzip and brotli variants included.
    pub max_mb: u32,
    /// A kept page is rendered again after this long even if nothing changed (writes by
    /// another process, such as `marginalia import wxr`, are seen by then).
    pub max_age_seconds: u32,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ImportConfig {
    /// Largest WXR file the admin Tools page accepts, in MiB.
    pub max_upload_mb: u32,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct PrivacyConfig {
    pub ip_retention_days: u32,
    pub store_ip: bool,
    pub show_note: bool,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ServerConfig {
    pub bind: SocketAddr,
    pub base_url: String,
    pub workers: usize,
    pub trusted_proxies: Vec<std::net::IpAddr>,
    /// A request body (a form) must arrive within this many seconds, else 408.
    pub body_timeout_seconds: u32,
    /// The same for the admin's WordPress upload.
    pub upload_timeout_seconds: u32,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct SiteConfig {
    pub title: String,
    /// The line under the title in the header; empty: the description.
    #[serde(default)]
    pub tagline: String,
    pub description: String,
    pub language: String,
    pub per_page: u32,
    /// A line in every page's footer.
    #[serde(default)]
    pub footer: String,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct DatabaseConfig {
    pub url: String,
    pub pool_size: u32,
}

impl DatabaseConfig {
    /// `postgres://` or `postgresql://` names PostgreSQL; anything else is a SQLite file.
    pub fn is_postgres(&self) -> bool {
        is_postgres_url(&self.url)
    }
}

pub fn is_postgres_url(url: &str) -> bool {
    url.starts_with("postgres://") || url.starts_with("postgresql://")
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct MailConfig {
    pub smtp_url: Secret,
    pub from: String,
    pub notify: NotifyTarget,
    pub notify_on: NotifyOn,
    pub digest: Digest,
    pub max_attempts: u32,
    pub retry_base_seconds: u32,
    pub retry_max_seconds: u32,
    pub link_expiry_days: u32,
    pub timeout_seconds: u32,
}

/// Which new comments moderators hear about.
#[derive(Debug, Clone, Copy, Deserialize, Serialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum NotifyOn {
    Held,
    All,
}

#[derive(Debug, Clone, Copy, Deserialize, Serialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum Digest {
    Off,
    Hourly,
    Daily,
}

/// `"moderators"` or a list of addresses.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(untagged)]
pub enum NotifyTarget {
    Role(NotifyRole),
    Addresses(Vec<String>),
}

#[derive(Debug, Clone, Copy, Deserialize, Serialize, PartialEq)]
#[serde(rename_all = "lowercase")]
pub enum NotifyRole {
    Moderators,
}

#[derive(Debug, Clone, Copy, Deserialize, Serialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum ModerationMode {
    All,
    FirstTime,
    None,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct CommentsConfig {
    pub moderation: ModerationMode,
    pub max_links: u32,
    pub min_submit_seconds: u32,
    pub rate_limit_per_minute: u32,
    pub flood_seconds: u32,
    pub thread_depth: u32,
    pub close_after_days: u32,
    pub per_page: u32,
    pub moderation_words: Vec<String>,
    pub disallowed_words: Vec<String>,
    pub builtin_disallowed: bool,
    pub trusted_emails: Vec<String>,
    pub purge_after_days: u32,
    /// A commenter may change or delete their own comment this long after posting (from the
    /// same browser, until it has a reply); 0: never.
    #[serde(default = "default_edit_minutes")]
    pub edit_minutes: u32,
}

fn default_edit_minutes() -> u32 {
    15
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct SecurityConfig {
    pub secret_key: Secret,
    pub session_idle_minutes: u32,
}

/// A string that never shows up in `Debug` output or logs.
#[derive(Clone, Default, Deserialize, Serialize, PartialEq, Eq)]
#[serde(transparent)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Self {
        Secret(value.into())
    }
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(if self.0.is_empty() { "\"\"" } else { "\"***\"" })
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("config file {0} does not exist")]
    MissingFile(String),
    #[error("bad configuration: {0}")]
    Parse(String),
    #[error("bad configuration: {key}: {message}")]
    Invalid { key: &'static str, message: String },
}

impl Config {
    /// Defaults, then the optional file, then the environment.
    pub fn load(file: Option<&Path>) -> Result<Config, ConfigError> {
        let mut figment = Figment::from(Toml::string(DEFAULT_TOML));
        if let Some(path) = file {
            if !path.is_file() {
                return Err(ConfigError::MissingFile(path.display().to_string()));
            }
            figment = figment.merge(Toml::file(path));
        }
        figment = figment.merge(Env::prefixed("MARGINALIA_").split("__"));
        let mut config: Config = figment.extract().map_err(|errors| {
            let all: Vec<String> = errors.into_iter().map(describe_figment_error).collect();
            ConfigError::Parse(all.join("; "))
        })?;
        config.validate()?;
        Ok(config)
    }

    /// The compiled-in defaults only (no file, no environment): for tests.
    pub fn defaults() -> Result<Config, ConfigError> {
        let mut config: Config = Figment::from(Toml::string(DEFAULT_TOML))
            .extract()
            .map_err(|e| ConfigError::Parse(describe_figment_error(e)))?;
        config.validate()?;
        Ok(config)
    }

    /// Checks what types alone cannot, and normalizes (trailing slash of base_url).
    pub fn validate(&mut self) -> Result<(), ConfigError> {
        let base = self.server.base_url.trim().trim_end_matches('/').to_string();
        let rest = base
            .strip_prefix("https://")
            .or_else(|| base.strip_prefix("http://"))
            .ok_or_else(|| invalid("server.base_url", "must start with http:// or https://"))?;
        if rest.is_empty() || rest.contains(char::is_whitespace) {
            return Err(invalid("server.base_url", "must name a host, e.g. https://blog.example.org"));
        }
        self.server.base_url = base;
        check_range("site.per_page", self.site.per_page, 1, 100)?;
        check_range("server.body_timeout_seconds", self.server.body_timeout_seconds, 1, 300)?;
        check_range("server.upload_timeout_seconds", self.server.upload_timeout_seconds, 1, 86_400)?;
        check_range("database.pool_size", self.database.pool_size, 1, 64)?;
        check_range("comments.thread_depth", self.comments.thread_depth, 1, 10)?;
        check_range("comments.per_page", self.comments.per_page, 1, 500)?;
        check_range("comments.edit_minutes", self.comments.edit_minutes, 0, 24 * 60)?;
        check_range("privacy.ip_retention_days", self.privacy.ip_retention_days, 1, 3650)?;
        check_range("security.session_idle_minutes", self.security.session_idle_minutes, 5, 7 * 24 * 60)?;
        check_range("import.max_upload_mb", self.import.max_upload_mb, 1, 16 * 1024)?;
        check_range("cache.max_mb", self.cache.max_mb, 0, 64 * 1024)?;
        check_range("cache.max_age_seconds", self.cache.max_age_seconds, 1, 7 * 24 * 3600)?;
        check_range("spam.min_training", self.spam.min_training, 1, 1_000_000)?;
        check_range("media.max_upload_mb", self.media.max_upload_mb, 1, 200)?;
        check_range("media.max_megapixels", self.media.max_megapixels, 1, 500)?;
        check_range("backup.every_hours", self.backup.every_hours, 0, 8760)?;
        check_range("backup.keep", self.backup.keep, 1, 1000)?;
        if !self.metrics.bind.trim().is_empty() && self.metrics.bind.trim().parse::<SocketAddr>().is_err() {
            return Err(invalid(
                "metrics.bind",
                "expected an address and port like 127.0.0.1:9898, or empty",
            ));
        }
        let token = self.metrics.token.expose();
        if !token.is_empty() && token.len() < 24 {
            return Err(invalid("metrics.token", "use at least 24 characters (or leave it empty)"));
        }
        check_range("spam.max_tokens", self.spam.max_tokens, 1000, 10_000_000)?;
        check_range("embed.threads_per_hour", self.embed.threads_per_hour, 1, 100_000)?;
        let mut names = std::collections::HashSet::new();
        for site in &mut self.embed.sites {
            check_embed_site(site).map_err(|message| invalid("embed.sites", &message))?;
            if !names.insert(site.name.clone()) {
                return Err(invalid("embed.sites", &format!("two sites are named `{}`", site.name)));
            }
        }
        let mut origins = std::collections::HashSet::new();
        if let Some(twice) = self.embed.sites.iter().flat_map(|s| &s.origins).find(|o| !origins.insert(*o)) {
            return Err(invalid("embed.sites", &format!("`{twice}` is listed for two sites")));
        }
        let (hold, spam) = (self.spam.threshold_hold, self.spam.threshold_spam);
        if !(0.5..=1.0).contains(&hold) || !(0.5..=1.0).contains(&spam) || hold > spam {
            return Err(invalid(
                "spam.threshold_hold",
                "thresholds must be between 0.5 and 1, threshold_hold no higher than threshold_spam",
            ));
        }

        if self.database.url.trim().is_empty() {
            return Err(invalid("database.url", "must be a file path"));
        }
        let key = self.security.secret_key.expose();
        if !key.is_empty() && key.len() < 32 {
            return Err(invalid(
                "security.secret_key",
                "must be at least 32 characters (or empty to generate one)",
            ));
        }
        if let NotifyTarget::Addresses(list) = &self.mail.notify {
            if let Some(bad) = list.iter().find(|a| !a.contains('@')) {
                return Err(invalid("mail.notify", &format!("`{bad}` is not an email address")));
            }
        }
        if self.mail.from.parse::<lettre::message::Mailbox>().is_err() {
            return Err(invalid("mail.from", "must be an address like `Blog <blog@example.org>`"));
        }
        if lettre::AsyncSmtpTransport::<lettre::Tokio1Executor>::from_url(self.mail.smtp_url.expose())
            .is_err()
        {
            return Err(invalid(
                "mail.smtp_url",
                "must be a URL like smtp://host:port or smtps://user:pass@host",
            ));
        }
        check_range("mail.max_attempts", self.mail.max_attempts, 1, 100)?;
        check_range("mail.retry_base_seconds", self.mail.retry_base_seconds, 1, 86_400)?;
        check_range("mail.retry_max_seconds", self.mail.retry_max_seconds, 1, 7 * 86_400)?;
        check_range("mail.link_expiry_days", self.mail.link_expiry_days, 1, 90)?;
        check_range("mail.timeout_seconds", self.mail.timeout_seconds, 1, 300)?;
        Ok(())
    }

    /// Where a SQLite site's uploaded images live: `media.dir`, else `media/` beside the
    /// database (PostgreSQL sites keep them in the database).
    pub fn media_dir(&self) -> std::path::PathBuf {
        media_dir_for(&self.database.url, &self.media.dir)
    }

    /// True when the public site is served over TLS (cookies get `Secure`).
    pub fn is_https(&self) -> bool {
        self.server.base_url.starts_with("https://")
    }

    /// The site's host, lowercased, without port or `www.` (`https://www.Blog.example:8443/x`
    /// -> `blog.example`).
    pub fn site_host(&self) -> String {
        let rest = self.server.base_url.split_once("://").map(|(_, r)| r).unwrap_or(&self.server.base_url);
        let host = rest.split(['/', ':', '?', '#']).next().unwrap_or("").to_lowercase();
        host.strip_prefix("www.").map(str::to_string).unwrap_or(host)
    }
}

fn describe_figment_error(error: figment::Error) -> String {
    let key = error.path.join(".");
    let source = error.metadata.as_ref().map(|m| format!(" (from {})", m.name)).unwrap_or_default();
    let kind = error.kind.to_string();
    if key.is_empty() {
        format!("{kind}{source}")
    } else {
        format!("key `{key}`: {kind}{source}")
    }
}

fn invalid(key: &'static str, message: &str) -> ConfigError {
    ConfigError::Invalid { key, message: message.to_string() }
}

fn check_range(key: &'static str, value: u32, min: u32, max: u32) -> Result<(), ConfigError> {
    if value < min || value > max {
        return Err(invalid(key, &format!("{value} is out of range {min} to {max}")));
    }
    Ok(())
}

/// `configured` (`media.dir`) if set, else `media/` beside the SQLite file `database_url`.
pub fn media_dir_for(database_url: &str, configured: &str) -> std::path::PathBuf {
    if !configured.trim().is_empty() {
        return std::path::PathBuf::from(configured.trim());
    }
    if is_postgres_url(database_url) {
        // Never a path made from the URL ("postgres:/user@host/...").
        return std::path::PathBuf::from("media");
    }
    beside_database(database_url, "media")
}

/// The directory of the SQLite file `database_url` (the working directory for a bare name).
pub fn database_dir(database_url: &str) -> std::path::PathBuf {
    Path::new(database_url)
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or_else(|| Path::new("."))
        .to_path_buf()
}

/// `name` beside the SQLite file `database_url`.
pub fn beside_database(database_url: &str, name: &str) -> std::path::PathBuf {
    database_dir(database_url).join(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_parse_and_validate() {
        let config = Config::defaults().expect("defaults load");
        assert_eq!(config.server.bind.to_string(), "127.0.0.1:8080");
        assert_eq!(config.comments.moderation, ModerationMode::FirstTime);
        assert_eq!(config.mail.notify, NotifyTarget::Role(NotifyRole::Moderators));
    }

    #[test]
    fn secret_is_redacted_in_debug() {
        let secret = Secret::new("hunter2hunter2hunter2hunter2hunter2");
        assert_eq!(format!("{secret:?}"), "\"***\"");
    }

    #[test]
    fn base_url_must_be_http() {
        let mut config = Config::defaults().expect("defaults load");
        config.server.base_url = "ftp://x".into();
        let err = config.validate().expect_err("ftp refused").to_string();
        assert!(err.contains("server.base_url"), "{err}");
    }
}
