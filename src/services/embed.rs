//! Threads for other sites' pages (`embed.js`): which origins may embed, one canonical URL per
//! page, and the thread a page's first visit starts (only for a page that exists, and at most
//! `embed.threads_per_hour` per address).

use chrono::{Duration, NaiveDateTime, Utc};
use sha2::{Digest, Sha256};

use crate::config::{normalize_origin, EmbedConfig, EmbedSite};
use crate::db::threads::{self, Thread};
use crate::db::{Change, Db};
use crate::error::AppError;
use crate::services::rate_limit::RateLimiter;
use crate::services::signing::Signer;

/// The allowed sites: `embed.sites` from config, then those added on the admin's Embed page.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct EmbedSites(pub Vec<EmbedSite>);

/// The admin's sites, stored as JSON in `settings`.
pub const SETTING_KEY: &str = "embed.sites";

impl EmbedSites {
    pub fn new(config: &[EmbedSite], stored: Vec<EmbedSite>) -> EmbedSites {
        let mut sites = config.to_vec();
        sites.extend(stored.into_iter().filter(|s| !config.iter().any(|c| c.name == s.name)));
        EmbedSites(sites)
    }

    /// The site whose origins include `origin` (as a browser sends it in `Origin`).
    pub fn for_origin(&self, origin: &str) -> Option<&EmbedSite> {
        // Exactly as browsers send it (lower case, no slash): what CORS echoes is what matched.
        let normal = normalize_origin(origin)?;
        if normal != origin {
            return None;
        }
        self.0.iter().find(|s| s.origins.contains(&normal))
    }

    /// The site an absolute URL is on (its origin one of the site's).
    pub fn for_url(&self, raw: &str) -> Option<&EmbedSite> {
        let origin = url::Url::parse(raw.trim()).ok()?.origin().ascii_serialization();
        self.for_origin(&origin)
    }

    pub fn by_name(&self, name: &str) -> Option<&EmbedSite> {
        self.0.iter().find(|s| s.name == name)
    }
}

/// The sites stored by the admin (config's are not among them).
pub fn stored_sites(conn: &mut crate::db::Conn) -> Result<Vec<EmbedSite>, AppError> {
    let stored: Vec<EmbedSite> = crate::db::settings::get(conn, SETTING_KEY)?
        .and_then(|json| serde_json::from_str(&json).ok())
        .unwrap_or_default();
    // Checked again as read: whatever wrote the setting, only well-formed sites are used.
    Ok(stored
        .into_iter()
        .filter_map(|mut s| crate::config::check_embed_site(&mut s).ok().map(|()| s))
        .collect())
}

/// Adds (or replaces) a stored site; refused when the name or an origin is config's or
/// another site's. Every instance reads the change (`Change::Everything`).
pub fn save_site(
    tx: &mut crate::db::Tx<'_>,
    config: &[EmbedSite],
    own_origin: &str,
    mut site: EmbedSite,
) -> Result<(), AppError> {
    crate::config::check_embed_site(&mut site).map_err(AppError::Invalid)?;
    if normalize_origin(own_origin).is_some_and(|own| site.origins.contains(&own)) {
        return Err(AppError::Invalid(format!("{own_origin} is this comment server itself.")));
    }
    let mut stored = stored_sites(tx)?;
    stored.retain(|s| s.name != site.name);
    if config.iter().any(|s| s.name == site.name) {
        return Err(AppError::Invalid(format!(
            "`{}` is set in the config file; change it there.",
            site.name
        )));
    }
    let taken = config.iter().chain(&stored).find(|s| s.origins.iter().any(|o| site.origins.contains(o)));
    if let Some(other) = taken {
        return Err(AppError::Invalid(format!(
            "An origin of this site already belongs to `{}`.",
            other.name
        )));
    }
    stored.push(site);
    write_sites(tx, &stored)
}

/// Removes a stored site (its threads and comments stay; its pages can no longer embed them).
pub fn remove_site(tx: &mut crate::db::Tx<'_>, name: &str) -> Result<bool, AppError> {
    let mut stored = stored_sites(tx)?;
    let before = stored.len();
    stored.retain(|s| s.name != name);
    if stored.len() == before {
        return Ok(false);
    }
    write_sites(tx, &stored)?;
    Ok(true)
}

fn write_sites(tx: &mut crate::db::Tx<'_>, sites: &[EmbedSite]) -> Result<(), AppError> {
    let json = serde_json::to_string(sites).map_err(|e| AppError::Internal(format!("embed sites: {e}")))?;
    crate::db::settings::set(tx, SETTING_KEY, &json)?;
    tx.changed(Change::Everything);
    Ok(())
}

/// Why a page gets no thread (the embed shows it in the browser's console).
#[derive(Debug, PartialEq, Eq)]
pub enum NotEmbeddable {
    /// The `Origin` is not in `embed.sites`.
    Origin,
    /// The URL is not a page of that site (or not a URL at all).
    Url,
}

const MAX_URL: usize = 2000;

/// One thread per page: the URL without its fragment, with only the site's kept query keys
/// (in their order), on one of the site's origins.
pub fn canonical_url(site: &EmbedSite, raw: &str) -> Result<String, NotEmbeddable> {
    let raw = raw.trim();
    if raw.len() > MAX_URL {
        return Err(NotEmbeddable::Url);
    }
    let mut url = url::Url::parse(raw).map_err(|_| NotEmbeddable::Url)?;
    let origin = url.origin().ascii_serialization();
    if !site.origins.contains(&origin) || !url.username().is_empty() || url.password().is_some() {
        return Err(NotEmbeddable::Url);
    }
    url.set_fragment(None);
    // Kept keys once each (the first value), sorted: `?b=2&a=1` and `?a=1&b=2&a=3` are one page.
    let mut kept: Vec<(String, String)> = Vec::new();
    for (k, v) in url.query_pairs() {
        if site.keep_query.iter().any(|q| *q == k) && !kept.iter().any(|(seen, _)| *seen == k) {
            kept.push((k.into(), v.into()));
        }
    }
    kept.sort();
    if kept.is_empty() {
        url.set_query(None);
    } else {
        url.query_pairs_mut().clear().extend_pairs(kept);
    }
    let path = normal_path(url.path());
    url.set_path(&path);
    Ok(url.to_string())
}

/// A path in one spelling (RFC 3986 6.2.2): unreserved characters decoded (`%69` is `i`),
/// other escapes in upper case, empty segments (`//`) merged.
fn normal_path(path: &str) -> String {
    let bytes = path.as_bytes();
    let mut out = String::with_capacity(path.len());
    let mut i = 0;
    while i < bytes.len() {
        // (A URL's path is ASCII: `get` only guards the slicing.)
        let hex = if bytes[i] == b'%' { path.get(i + 1..i + 3) } else { None };
        let escaped = hex.and_then(|h| u8::from_str_radix(h, 16).ok());
        match escaped {
            Some(b) if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') => {
                out.push(char::from(b));
                i += 3;
            }
            Some(_) => {
                out.push('%');
                out.push_str(&hex.unwrap_or_default().to_ascii_uppercase());
                i += 3;
            }
            None => {
                let c = path[i..].chars().next().unwrap_or('/');
                if !(c == '/' && out.ends_with('/')) {
                    out.push(c);
                }
                i += c.len_utf8();
            }
        }
    }
    out
}

/// The thread's slug (`/threads/{slug}`): stable for a URL, unguessable from nothing.
pub fn slug_for(url: &str) -> String {
    let digest = Sha256::digest(url.as_bytes());
    let hex: String = digest.iter().take(8).map(|b| format!("{b:02x}")).collect();
    format!("t-{hex}")
}

/// A title as a line of text: control characters gone, spaces collapsed, at most 200 chars.
pub fn clean_title(raw: &str) -> String {
    let words: Vec<&str> =
        raw.split(|c: char| c.is_whitespace() || c.is_control()).filter(|w| !w.is_empty()).collect();
    let line = words.join(" ");
    let line = crate::text::strip_forbidden(&line);
    line.chars().take(200).collect()
}

/// What a page's first visit needs besides its URL.
pub struct FirstVisit<'a> {
    pub config: &'a EmbedConfig,
    /// The title the embed read from the page (`data-title`, else `<title>`).
    pub title_hint: &'a str,
    pub client_ip: &'a str,
    pub limiter: &'a RateLimiter,
    pub signer: &'a Signer,
}

/// Why a page's first visit started no thread.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NotStarted {
    /// This address started `embed.threads_per_hour` already.
    TooMany,
    /// The page did not answer our GET as a page.
    NoSuchPage,
}

/// The thread of `url` (canonical, on `site`) and its slug, started now if this is the page's
/// first visit.
pub async fn thread_for(
    db: &Db,
    site: &EmbedSite,
    url: String,
    visit: FirstVisit<'_>,
) -> Result<Result<(Thread, String), NotStarted>, AppError> {
    let lookup = url.clone();
    if let Some(found) = db.read(move |c| Ok(threads::find_by_url(c, &lookup)?)).await? {
        return Ok(Ok(found));
    }
    let per_hour = visit.config.threads_per_hour;
    let address = address_key(visit.client_ip);
    if !visit.limiter.allow(&address, per_hour) {
        return Ok(Err(NotStarted::TooMany));
    }
    let (url, title) = if visit.config.verify_pages {
        match super::page_check::page_at(&url, &site.origins).await {
            // Keyed where the page is (after its redirects on the site), once.
            Ok(page) => match canonical_url(site, &page.url) {
                Ok(landed) if landed != url => {
                    let lookup = landed.clone();
                    if let Some(found) = db.read(move |c| Ok(threads::find_by_url(c, &lookup)?)).await? {
                        return Ok(Ok(found));
                    }
                    (landed, page.title)
                }
                _ => (url, page.title),
            },
            Err(why) => {
                tracing::info!(site = %site.name, reason = %why, "embedded page did not answer: no thread");
                return Ok(Err(NotStarted::NoSuchPage));
            }
        }
    } else {
        (url, visit.title_hint.to_string())
    };
    let title = match clean_title(&title) {
        t if t.is_empty() => url.clone(),
        t => t,
    };
    let (name, key) = (site.name.clone(), visit.signer.digest("thread-rate", &address));
    db.write(move |tx| {
        let hour = chrono::DurationRound::duration_trunc(now(), Duration::hours(1)).unwrap_or_else(|_| now());
        // Shared across instances on PostgreSQL (one SQLite process counts in memory).
        if tx.kind() == crate::db::BackendKind::Postgres
            && !crate::db::instances::hit(tx, "thread", &key, hour, per_hour)?
        {
            return Ok(Err(NotStarted::TooMany));
        }
        // And per site, whatever the addresses: many of them cannot make threads without end.
        if !crate::db::instances::hit(tx, "thread-site", &name, hour, per_hour.saturating_mul(SITE_FACTOR))? {
            return Ok(Err(NotStarted::TooMany));
        }
        if let Some(found) = threads::find_by_url(tx, &url)? {
            return Ok(Ok(found)); // another first visit won the race
        }
        let slug = slug_for(&url);
        // None: made by a first visit on another instance just now (read below).
        if let Some(post) = threads::insert(tx, &name, &url, &title, &slug, now())? {
            tx.changed(Change::Post(post.id));
        }
        threads::find_by_url(tx, &url)?.map(Ok).ok_or(AppError::NotFound)
    })
    .await
}

/// New threads a site may get per hour, in multiples of one address's allowance.
const SITE_FACTOR: u32 = 20;

/// The key an address is counted under: IPv4 as it is, IPv6 by its /64 (one subscriber's
/// network hands out any address in it).
pub fn address_key(ip: &str) -> String {
    match ip.parse::<std::net::IpAddr>() {
        Ok(std::net::IpAddr::V6(v6)) => {
            let s = v6.segments();
            format!("{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
        }
        _ => ip.to_string(),
    }
}

fn now() -> NaiveDateTime {
    Utc::now().naive_utc()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site() -> EmbedSite {
        EmbedSite {
            name: "blog".into(),
            origins: vec!["https://blog.example".into(), "http://127.0.0.1:8000".into()],
            keep_query: vec!["p".into()],
        }
    }

    #[test]
    fn one_url_per_page() {
        let s = site();
        assert_eq!(canonical_url(&s, "https://blog.example/a/#comments").unwrap(), "https://blog.example/a/");
        assert_eq!(
            canonical_url(&s, "https://BLOG.example/a/?utm_source=x&p=3&fbclid=y").unwrap(),
            "https://blog.example/a/?p=3"
        );
        assert_eq!(canonical_url(&s, "https://blog.example").unwrap(), "https://blog.example/");
        assert_eq!(
            canonical_url(&s, "http://127.0.0.1:8000/x.html").unwrap(),
            "http://127.0.0.1:8000/x.html"
        );
        // One spelling of a path and of its kept keys.
        for same in [
            "https://blog.example/%69ndex.html",
            "https://blog.example//index.html",
            "https://blog.example/index%2ehtml",
        ] {
            assert_eq!(canonical_url(&s, same).unwrap(), "https://blog.example/index.html", "{same}");
        }
        assert_eq!(canonical_url(&s, "https://blog.example/a%2fb").unwrap(), "https://blog.example/a%2Fb");
        assert_eq!(
            canonical_url(&s, "https://blog.example/caf%c3%a9").unwrap(),
            "https://blog.example/caf%C3%A9"
        );
        let mut two = site();
        two.keep_query = vec!["a".into(), "b".into()];
        assert_eq!(
            canonical_url(&two, "https://blog.example/?b=2&a=1&a=3").unwrap(),
            "https://blog.example/?a=1&b=2"
        );
    }

    #[test]
    fn other_origins_and_junk_are_not_pages_of_the_site() {
        let s = site();
        for bad in [
            "https://evil.example/a",
            "http://blog.example/a",
            "https://blog.example.evil/a",
            "https://user:pw@blog.example/a",
            "javascript:alert(1)",
            "/relative",
            "",
        ] {
            assert_eq!(canonical_url(&s, bad), Err(NotEmbeddable::Url), "{bad}");
        }
        assert_eq!(
            canonical_url(&s, &format!("https://blog.example/{}", "a".repeat(3000))),
            Err(NotEmbeddable::Url)
        );
    }

    #[test]
    fn sites_are_found_by_origin_config_first() {
        let stored = vec![
            EmbedSite {
                name: "blog".into(),
                origins: vec!["https://other.example".into()],
                keep_query: vec![],
            },
            EmbedSite {
                name: "docs".into(),
                origins: vec!["https://docs.example".into()],
                keep_query: vec![],
            },
        ];
        let sites = EmbedSites::new(&[site()], stored);
        assert_eq!(sites.0.len(), 2);
        assert_eq!(sites.for_origin("https://blog.example").map(|s| s.name.as_str()), Some("blog"));
        // Only as browsers send it: what CORS echoes is exactly what matched.
        for odd in ["https://Blog.Example", "https://blog.example/", " https://blog.example"] {
            assert!(sites.for_origin(odd).is_none(), "{odd}");
        }
        assert_eq!(sites.for_origin("https://docs.example").map(|s| s.name.as_str()), Some("docs"));
        assert!(sites.for_origin("https://other.example").is_none());
        assert!(sites.for_origin("null").is_none());
    }

    #[test]
    fn ipv6_addresses_count_by_their_network() {
        assert_eq!(address_key("2001:db8:1:2:aaaa::1"), address_key("2001:db8:1:2:ffff::9"));
        assert_ne!(address_key("2001:db8:1:2::1"), address_key("2001:db8:1:3::1"));
        assert_eq!(address_key("203.0.113.7"), "203.0.113.7");
    }

    #[test]
    fn titles_are_one_short_line() {
        assert_eq!(clean_title("  Hello\n\t world \u{0}"), "Hello world");
        assert_eq!(clean_title(&"x".repeat(500)).len(), 200);
        assert_eq!(slug_for("https://blog.example/a/").len(), 18);
    }
}
