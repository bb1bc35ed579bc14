//! Whether an embedding page exists: our own GET of it (before its thread is made), and its
//! title. Only ever to the origins an admin allowed, with a short deadline and a size cap.

use std::time::Duration;

use futures_util::StreamExt;

const MAX_BYTES: usize = 512 * 1024;
const TIMEOUT: Duration = Duration::from_secs(5);

/// The page's title (`data-title` of the thread's element, else `<title>`), or why the page
/// does not count as one: not 2xx, not HTML, too slow, or redirected off the site.
pub async fn title_of(url: &str, origins: &[String]) -> Result<String, String> {
    let allowed = origins.to_vec();
    let client = reqwest::Client::builder()
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
    Ok(title_in(&String::from_utf8_lossy(&body)))
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
    fn the_thread_elements_title_first_then_the_pages() {
        let page = "<html><head><title>Site &amp; page</title></head><body>\
                    <div id=\"marginalia-thread\" data-title=\"Hugo &lt;3 post\"></div>";
        assert_eq!(title_in(page), "Hugo <3 post");
        assert_eq!(title_in("<TITLE lang=en>Only &#8216;this&#8217;</TITLE>"), "Only \u{2018}this\u{2019}");
        assert_eq!(title_in("<p>no title</p>"), "");
        assert_eq!(title_in("<title>unclosed"), "");
    }
}
