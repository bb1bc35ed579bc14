//! Old WordPress links: the key a request is looked up by, and the answer.

use crate::db::Conn;

use crate::db::redirects::{self, Target};
use crate::error::AppError;
use crate::services::posts::public_path;

/// The lookup key of a path and query as a browser sends it: the path without its trailing
/// slash, plus `?p=N` or `?page_id=N` when present (WordPress's id links); other query
/// parameters are ignored. `None` for the site root itself.
pub fn key(path: &str, query: &str) -> Option<String> {
    let path = if path.is_empty() { "/" } else { path };
    let trimmed = path.trim_end_matches('/');
    let id_param = query.split('&').find_map(|pair| {
        let (name, value) = pair.split_once('=')?;
        let wanted = name == "p" || name == "page_id";
        (wanted && !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()))
            .then(|| format!("?{name}={value}"))
    });
    match (trimmed, id_param) {
        (_, Some(param)) => Some(format!("{trimmed}/{param}")),
        ("", None) => None,
        (_, None) => Some(trimmed.to_string()),
    }
}

/// The key of an absolute URL on the old site (`base` is its wp:base_site_url): only URLs
/// on that host and under that path have one.
pub fn key_for_url(url: &str, base: &str) -> Option<String> {
    let (url_host, url_rest) = split_url(url)?;
    let (base_host, base_path) = split_url(base)?;
    if !same_host(url_host, base_host) {
        return None;
    }
    let base_path = base_path.trim_end_matches('/');
    if !url_rest.starts_with(base_path) {
        return None;
    }
    let without_fragment = url_rest.split('#').next().unwrap_or("");
    let (path, query) = without_fragment.split_once('?').unwrap_or((without_fragment, ""));
    key(path, query)
}

/// (host, path-and-query) of an http(s) URL.
fn split_url(url: &str) -> Option<(&str, &str)> {
    let rest = url.strip_prefix("https://").or_else(|| url.strip_prefix("http://"))?;
    Some(match rest.find(['/', '?', '#']) {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, "/"),
    })
}

fn same_host(a: &str, b: &str) -> bool {
    let bare = |h: &str| h.trim_start_matches("www.").to_ascii_lowercase();
    bare(a) == bare(b)
}

/// Where the request for `path`/`query` should go, if an imported redirect knows it.
pub fn lookup(conn: &mut Conn, path: &str, query: &str) -> Result<Option<String>, AppError> {
    let Some(key) = key(path, query) else { return Ok(None) };
    Ok(redirects::resolve(conn, &key)?.map(|target| match target {
        Target::Post { kind, slug } => public_path(kind, &slug),
        Target::Path(path) => path,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_drop_the_trailing_slash_and_keep_id_params() {
        assert_eq!(key("/2019/03/04/hello/", ""), Some("/2019/03/04/hello".into()));
        assert_eq!(key("/about", "utm_source=x"), Some("/about".into()));
        assert_eq!(key("/", "p=12"), Some("/?p=12".into()));
        assert_eq!(key("/", "page_id=3&x=1"), Some("/?page_id=3".into()));
        assert_eq!(key("/blog/", "p=7"), Some("/blog/?p=7".into()));
        assert_eq!(key("/", ""), None);
        assert_eq!(key("/", "p=abc"), None);
    }

    #[test]
    fn urls_on_the_old_host_have_keys() {
        let base = "https://old.example.com";
        assert_eq!(
            key_for_url("http://www.old.example.com/2019/03/04/hello/#x", base),
            Some("/2019/03/04/hello".into())
        );
        assert_eq!(key_for_url("https://old.example.com/?p=10", base), Some("/?p=10".into()));
        assert_eq!(key_for_url("https://other.example.com/hello/", base), None);
        assert_eq!(
            key_for_url("https://old.example.com/blog/x/", "https://old.example.com/blog"),
            Some("/blog/x".into())
        );
        assert_eq!(key_for_url("https://old.example.com/x/", "https://old.example.com/blog"), None);
    }
}
