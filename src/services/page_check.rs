//! Whether an embedding page exists: our own GET of it (before its thread is made), and its
//! title. Only ever to the origins an admin allowed, with a short deadline and a size cap; a
//! host name must resolve to public addresses (an origin written as a private address or
//! `localhost` was chosen by the admin and is used as written).

use std::net::{IpAddr, SocketAddr};
use std::time::Duration;

use futures_util::StreamExt;

const MAX_BYTES: usize = 512 * 1024;
const TIMEOUT: Duration = Duration::from_secs(5);

/// A page that embeds the thread: where it ended up (after redirects on the site) and its title.
#[derive(Debug, PartialEq, Eq)]
pub struct Page {
    pub url: String,
    pub title: String,
}

/// Resolves names to public addresses only, and connects to what it checked (no second
/// lookup a rebinding DNS server could answer differently).
struct PublicOnly;

impl reqwest::dns::Resolve for PublicOnly {
    fn resolve(&self, name: reqwest::dns::Name) -> reqwest::dns::Resolving {
        let host = name.as_str().to_string();
        Box::pin(async move {
            let found: Vec<SocketAddr> = tokio::net::lookup_host((host.as_str(), 0)).await?.collect();
            let public: Vec<SocketAddr> = found.into_iter().filter(|a| is_public(a.ip())).collect();
            if public.is_empty() {
                let refused = std::io::Error::other(format!("{host} has no public address"));
                return Err(Box::new(refused) as Box<dyn std::error::Error + Send + Sync>);
            }
            Ok(Box::new(public.into_iter()) as reqwest::dns::Addrs)
        })
    }
}

/// Not loopback, private, link-local, unspecified, shared (CGNAT) or documentation space.
pub fn is_public(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => {
            let [a, b, ..] = v4.octets();
            !(v4.is_loopback()
                || v4.is_private()
                || v4.is_link_local()
                || v4.is_unspecified()
                || v4.is_broadcast()
                || v4.is_documentation()
                || (a == 100 && (64..128).contains(&b))
                || a == 0)
        }
        IpAddr::V6(v6) => {
            let first = v6.segments()[0];
            !(v6.is_loopback()
                || v6.is_unspecified()
                || (first & 0xfe00) == 0xfc00
                || (first & 0xffc0) == 0xfe80
                || v6.to_ipv4_mapped().is_some_and(|v4| !is_public(IpAddr::V4(v4))))
        }
    }
}

/// The page at `url`, or why it does not count as one: not 2xx, not HTML, no
/// `marginalia-thread` element (it does not embed us), too slow, or redirected off the site.
pub async fn page_at(url: &str, origins: &[String]) -> Result<Page, String> {
    let allowed = origins.to_vec();
    let host = url::Url::parse(url).map_err(|e| e.to_string())?.host_str().unwrap_or("").to_string();
    // Written as an address (or localhost) by the admin: as written. A name: public only.
    let literal = host == "localhost" || host.trim_matches(['[', ']']).parse::<IpAddr>().is_ok();
    let mut builder = reqwest::Client::builder();
    if !literal {
        builder = builder.dns_resolver(std::sync::Arc::new(PublicOnly));
    }
    let client = builder
        .timeout(TIMEOUT)
        .user_agent(concat!("marginalia/", env!("CARGO_PKG_VERSION"), " (thread check)"))
        .redirect(reqwest::redirect::Policy::custom(move |attempt| {
            let on_site = allowed.contains(&attempt.url().origin().ascii_serialization());
            if attempt.previous().len() < 3 && on_site {
                attempt.follow()
            } else {
                attempt.stop()
            }
        }))
        .build()
        .map_err(|e| format!("client: {e}"))?;
    let response = client.get(url).send().await.map_err(|e| format!("request: {e}"))?;
    let landed = response.url().to_string();
    if !response.status().is_success() {
        return Err(format!("status {}", response.status().as_u16()));
    }
    let html = response
        .headers()
        .get(reqwest::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.to_ascii_lowercase().starts_with("text/html"));
    if !html {
        return Err("not an HTML page".into());
    }
    let mut body = Vec::new();
    let mut stream = response.bytes_stream();
    while let Some(chunk) = stream.next().await {
        let chunk = chunk.map_err(|e| format!("body: {e}"))?;
        body.extend_from_slice(&chunk[..chunk.len().min(MAX_BYTES - body.len())]);
        if body.len() >= MAX_BYTES {
            break;
        }
    }
    let html = String::from_utf8_lossy(&body);
    if !html.contains("marginalia-thread") {
        return Err("the page has no marginalia-thread element".into());
    }
    Ok(Page { url: landed, title: title_in(&html) })
}

/// `data-title` on the `marginalia-thread` element, else the `<title>`, entities decoded.
pub fn title_in(html: &str) -> String {
    let from_div = html.find("id=\"marginalia-thread\"").and_then(|at| {
        let start = html[..at].rfind('<')?;
        let end = at + html[at..].find('>')?;
        attribute(&html[start..end], "data-title")
    });
    let raw = from_div.or_else(|| {
        let lower = html.to_ascii_lowercase();
        let open = lower.find("<title")?;
        let start = open + lower[open..].find('>')? + 1;
        let end = start + lower[start..].find("</title")?;
        Some(html[start..end].to_string())
    });
    let raw = raw.unwrap_or_default();
    quick_xml::escape::unescape(&raw).map(|t| t.into_owned()).unwrap_or(raw)
}

fn attribute(tag: &str, name: &str) -> Option<String> {
    let at = tag.find(&format!("{name}=\""))? + name.len() + 2;
    let end = at + tag[at..].find('"')?;
    Some(tag[at..end].to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_public_addresses_count_as_public() {
        for private in [
            "127.0.0.1",
            "10.1.2.3",
            "192.168.0.1",
            "172.16.5.5",
            "169.254.169.254",
            "100.64.0.1",
            "0.0.0.0",
            "::1",
            "fd00::1",
            "fe80::1",
            "::ffff:127.0.0.1",
        ] {
            assert!(!is_public(private.parse().unwrap()), "{private}");
        }
        for public in ["93.184.216.34", "2606:2800:220:1:248:1893:25c8:1946"] {
            assert!(is_public(public.parse().unwrap()), "{public}");
        }
    }

    #[test]
    fn the_thread_elements_title_first_then_the_pages() {
        let page = "<html><head><title>Site &amp; page</title></head><body>\
                    <div id=\"marginalia-thread\" data-title=\"Hugo &lt;3 post\"></div>";
        assert_eq!(title_in(page), "Hugo <3 post");
        assert_eq!(title_in("<TITLE lang=en>Only &#8216;this&#8217;</TITLE>"), "Only \u{2018}this\u{2019}");
        assert_eq!(title_in("<p>no title</p>"), "");
        assert_eq!(title_in("<title>unclosed"), "");
    }
}
