//! Tera, built once at start from the templates compiled into the binary (fail fast), with
//! every filter and function registered here.

use std::collections::HashMap;

use rust_embed::RustEmbed;
use tera::Tera;

use crate::error::AppError;
use crate::services::navigation::Navigation;

#[derive(RustEmbed)]
#[folder = "templates/"]
struct TemplateFiles;

#[derive(RustEmbed)]
#[folder = "static/"]
pub struct StaticFiles;

pub fn build(nav: &Navigation) -> Result<Tera, AppError> {
    let mut sources = Vec::new();
    for name in TemplateFiles::iter() {
        let file = TemplateFiles::get(&name)
            .ok_or_else(|| AppError::Internal(format!("template {name} vanished")))?;
        let text = String::from_utf8(file.data.into_owned())
            .map_err(|_| AppError::Internal(format!("template {name} is not UTF-8")))?;
        sources.push((name.to_string(), text));
    }
    let mut tera = Tera::default();
    tera.add_raw_templates(sources)?;
    tera.set_escape_fn(escape_html);
    tera.register_function("static_url", static_url_function());
    tera.register_function("nav_pages", nav.tera_function());
    tera.register_function("site_identity", nav.site_function());
    Ok(tera)
}

/// Short content hash of each static file, used for cache-busting URLs and ETags.
pub fn static_hashes() -> HashMap<String, String> {
    StaticFiles::iter()
        .filter_map(|name| {
            let file = StaticFiles::get(&name)?;
            let hash: String = file.metadata.sha256_hash()[..6].iter().map(|b| format!("{b:02x}")).collect();
            Some((name.to_string(), hash))
        })
        .collect()
}

/// `static_url(path="css/site.css")` -> `/static/css/site.css?v=<hash>`.
fn static_url_function() -> impl tera::Function {
    let hashes = static_hashes();
    move |args: &HashMap<String, tera::Value>| -> tera::Result<tera::Value> {
        let path = args
            .get("path")
            .and_then(|v| v.as_str())
            .ok_or_else(|| tera::Error::msg("static_url needs path=\"...\""))?;
        let hash = hashes.get(path).ok_or_else(|| tera::Error::msg(format!("no static file {path}")))?;
        Ok(tera::Value::String(format!("/static/{path}?v={hash}")))
    }
}

/// Escapes the characters that matter in HTML text and quoted attributes. Unlike Tera's
/// default it leaves `/` alone, so URLs in attributes stay readable; every attribute in our
/// templates is quoted.
pub fn escape_html(input: &str) -> String {
    // Byte by byte (the five are ASCII, so UTF-8 sequences are copied whole in the runs
    // between them): a page escapes tens of kilobytes.
    let mut out = String::with_capacity(input.len() + input.len() / 8);
    let mut run_start = 0;
    for (i, byte) in input.bytes().enumerate() {
        let entity = match byte {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            b'\'' => "&#x27;",
            _ => continue,
        };
        out.push_str(&input[run_start..i]);
        out.push_str(entity);
        run_start = i + 1;
    }
    out.push_str(&input[run_start..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_quotes() {
        assert_eq!(
            escape_html(r#"<a href="x" onclick='y'>&</a>"#),
            "&lt;a href=&quot;x&quot; onclick=&#x27;y&#x27;&gt;&amp;&lt;/a&gt;"
        );
        assert_eq!(escape_html("/posts/a-b"), "/posts/a-b");
    }

    #[test]
    fn every_template_parses() {
        build(&Navigation::default()).expect("templates parse");
    }
}
