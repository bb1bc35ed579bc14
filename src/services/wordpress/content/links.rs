//! Rewriting links to the old site into links to the new one.

use super::*;

/// Rewrites `href`/`src` attribute URLs that point at the old site.
///
/// `old_bases` are base URLs like `"https://old.example.com"` or `"http://old.example.com/blog"` (http
/// and https match alike, as do protocol-relative `//host` URLs; `www.` is optional on both sides; a
/// trailing slash is optional). For each matching URL, `map` receives the path-and-query from the
/// host's root, the base's own path included (e.g. `"/2019/03/04/hello/"`, `"/blog/?p=12"`, with
/// `&amp;` decoded to `&`) and returns `Some(new_url)` to replace the whole attribute value (a
/// `#fragment` of the old URL is appended unless the new URL has its own), or `None` to leave it.
/// The new URL is HTML-escaped for the attribute. When several bases match, the one with the longest
/// path wins. Relative URLs are not touched. Only attributes inside HTML tags are considered, with
/// values quoted with `"` or `'`.
///
/// Returns the new HTML and the number of links rewritten.
pub fn rewrite_links(
    html: &str,
    old_bases: &[String],
    map: impl Fn(&str) -> Option<String>,
) -> (String, u64) {
    let mut bases: Vec<Base> = old_bases.iter().filter_map(|b| Base::parse(b)).collect();
    if bases.is_empty() {
        return (html.to_string(), 0);
    }
    // Cheap pre-check: most documents link nowhere near the old site.
    let lower = html.to_ascii_lowercase();
    if !bases.iter().any(|b| lower.contains(b.host.as_str())) {
        return (html.to_string(), 0);
    }
    bases.sort_by_key(|b| std::cmp::Reverse(b.path.len()));

    let mut count = 0u64;
    let out = RE_HTML_TAG.replace_all(html, |tag: &Captures| {
        RE_URL_ATTR
            .replace_all(&tag[0], |attr: &Captures| {
                let (quote, value) = match (attr.get(2), attr.get(3)) {
                    (Some(v), _) => ('"', v.as_str()),
                    (None, Some(v)) => ('\'', v.as_str()),
                    (None, None) => return attr[0].to_string(),
                };
                match rewrite_url(value, &bases, &map) {
                    Some(new_url) => {
                        count += 1;
                        format!("{}{quote}{}{quote}", &attr[1], escape_url_attr(&new_url, quote))
                    }
                    None => attr[0].to_string(),
                }
            })
            .into_owned()
    });
    (out.into_owned(), count)
}

/// An old site base URL: host (lower-case, without `www.`, with any port) and path (no trailing `/`).
pub(super) struct Base {
    host: String,
    path: String,
}

impl Base {
    fn parse(base: &str) -> Option<Base> {
        let base = base.trim();
        let rest = strip_scheme(base).unwrap_or(base);
        let host_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
        let host = rest[..host_end].to_ascii_lowercase();
        let host = host.strip_prefix("www.").unwrap_or(&host).to_string();
        if host.is_empty() {
            return None;
        }
        let path = rest[host_end..].split(['?', '#']).next().unwrap_or("").trim_end_matches('/');
        Some(Base { host, path: path.to_string() })
    }
}

/// `http://`, `https://` or `//` (case-insensitive) stripped, or None for other URLs.
pub(super) fn strip_scheme(url: &str) -> Option<&str> {
    ["http://", "https://", "//"].iter().find_map(|scheme| {
        url.get(..scheme.len()).filter(|p| p.eq_ignore_ascii_case(scheme)).map(|_| &url[scheme.len()..])
    })
}

pub(super) fn rewrite_url(
    value: &str,
    bases: &[Base],
    map: &impl Fn(&str) -> Option<String>,
) -> Option<String> {
    let url = RE_AMP_ENTITY.replace_all(value.trim(), "&");
    let rest = strip_scheme(&url)?;
    let host_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let host = rest[..host_end].to_ascii_lowercase();
    let host = host.strip_prefix("www.").unwrap_or(&host);
    let tail = &rest[host_end..];
    for base in bases.iter().filter(|b| b.host == host) {
        if !base.path.is_empty() {
            let prefix = tail.get(..base.path.len()).filter(|p| p.eq_ignore_ascii_case(&base.path));
            let Some(after) = prefix.map(|p| &tail[p.len()..]) else { continue };
            if !(after.is_empty() || after.starts_with(['/', '?', '#'])) {
                continue;
            }
        }
        // The whole path from the host's root (base path included): old links are keyed so.
        let full = if tail.starts_with('/') { tail.to_string() } else { format!("/{tail}") };
        let (path_and_query, fragment) = match full.find('#') {
            Some(i) => full.split_at(i),
            None => (full.as_str(), ""),
        };
        return map(path_and_query).map(|new_url| {
            if fragment.is_empty() || new_url.contains('#') {
                new_url
            } else {
                format!("{new_url}{fragment}")
            }
        });
    }
    None
}

/// Escapes a URL for an attribute value quoted with `quote`.
pub(super) fn escape_url_attr(url: &str, quote: char) -> String {
    let mut out = String::with_capacity(url.len() + 8);
    for ch in url.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' if quote == '"' => out.push_str("&quot;"),
            '\'' if quote == '\'' => out.push_str("&#39;"),
            _ => out.push(ch),
        }
    }
    out
}
