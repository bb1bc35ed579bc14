//! Tera, built once at start from the templates compiled into the binary (fail fast), with
//! every filter and function registered here.

use std::collections::HashMap;

use fluent_bundle::FluentArgs;
use rust_embed::RustEmbed;
use tera::Tera;

use crate::error::AppError;
use crate::i18n::Locale;
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
    tera.register_function("t", translate_function(nav.clone()));
    tera.register_function("languages", |_: &HashMap<String, tera::Value>| {
        let list: Vec<_> = crate::i18n::shipped()
            .map(|code| serde_json::json!({ "code": code, "name": Locale::get(code).get_text("language-name") }))
            .collect();
        Ok(tera::Value::Array(list))
    });
    Ok(tera)
}

/// `t(key="comment-count", count=3)` or `t(msg=a_text)`: the message in the site's language
/// (`site.language`, read at each render: the admin may change it at any time).
fn translate_function(nav: Navigation) -> impl tera::Function {
    move |args: &HashMap<String, tera::Value>| -> tera::Result<tera::Value> {
        let locale = Locale::get(&nav.site().language);
        let mut fluent = FluentArgs::new();
        let id = match (args.get("key"), args.get("msg")) {
            (Some(tera::Value::String(key)), _) => key.clone(),
            // A `Text` built in Rust: {"id": .., "args": [[name, value], ..]}.
            (None, Some(tera::Value::Object(msg))) => {
                for pair in msg.get("args").and_then(|a| a.as_array()).into_iter().flatten() {
                    if let (Some(name), Some(value)) = (pair.get(0).and_then(|n| n.as_str()), pair.get(1)) {
                        set_arg(&mut fluent, name, value);
                    }
                }
                msg.get("id").and_then(|i| i.as_str()).unwrap_or_default().to_string()
            }
            (None, Some(tera::Value::Null)) => return Ok(tera::Value::String(String::new())),
            _ => return Err(tera::Error::msg("t needs key=\"...\" or msg=...")),
        };
        for (name, value) in args {
            if name != "key" && name != "msg" {
                set_arg(&mut fluent, name, value);
            }
        }
        Ok(tera::Value::String(locale.format(&id, Some(&fluent))))
    }
}

fn set_arg(fluent: &mut FluentArgs<'_>, name: &str, value: &tera::Value) {
    match value {
        tera::Value::Number(n) => match n.as_i64() {
            Some(i) => fluent.set(name.to_string(), i),
            None => fluent.set(name.to_string(), n.as_f64().unwrap_or_default()),
        },
        tera::Value::String(s) => fluent.set(name.to_string(), s.clone()),
        tera::Value::Bool(b) => fluent.set(name.to_string(), b.to_string()),
        _ => {}
    }
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
    fn translated_text_is_escaped_like_any_value() {
        let mut tera = build(&Navigation::default()).expect("templates parse");
        tera.add_raw_template("probe.html", r#"{{ t(key="search-none", query=q) }}|{{ t(key="nope") }}"#)
            .unwrap();
        let mut context = tera::Context::new();
        context.insert("q", "<script>x</script>");
        let html = tera.render("probe.html", &context).unwrap();
        assert!(html.contains("&lt;script&gt;x&lt;/script&gt;") && !html.contains("<script>"), "{html}");
        assert!(html.ends_with("|nope"), "a missing message shows its id, not an error: {html}");
    }

    #[test]
    fn every_avatar_tone_keeps_its_white_initials_readable() {
        // WCAG AA for normal text: 4.5:1 (axe flagged one tone on a translated page).
        let css = String::from_utf8(StaticFiles::get("css/site.css").unwrap().data.into_owned()).unwrap();
        let luminance = |hex: &str| {
            let channel = |i: usize| {
                let c = f64::from(u8::from_str_radix(&hex[i..i + 2], 16).unwrap()) / 255.0;
                if c <= 0.03928 {
                    c / 12.92
                } else {
                    ((c + 0.055) / 1.055).powf(2.4)
                }
            };
            0.2126 * channel(0) + 0.7152 * channel(2) + 0.0722 * channel(4)
        };
        let mut tones = 0;
        for part in css.split(".tone-").skip(1) {
            let hex = part.split("background: #").nth(1).map(|h| &h[..6]).unwrap();
            let contrast = 1.05 / (luminance(hex) + 0.05);
            assert!(contrast >= 4.5, "tone .tone-{part:.12}: #{hex} gives {contrast:.2}:1 against white");
            tones += 1;
        }
        assert_eq!(tones, 12);
    }

    #[test]
    fn every_template_parses() {
        build(&Navigation::default()).expect("templates parse");
    }
}
