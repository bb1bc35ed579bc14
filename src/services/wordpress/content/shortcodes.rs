//! Shortcodes: `[caption]` becomes a `<figure>`, media shortcodes a link, the rest are removed
//! and counted. Nesting is bounded (`MAX_DEPTH`).

use super::*;

/// Shortcodes recognised even without attributes or closing tag: WordPress core and common plugins and
/// themes. Only names that are unlikely in prose between brackets (no "update", "note", "source",
/// "table"...). Matched case-sensitively, like WordPress' registered tags, so `[VIDEO]` is prose.
#[rustfmt::skip]
pub(super) const KNOWN_SHORTCODES: &[&str] = &[
    // WordPress core.
    "caption", "wp_caption", "gallery", "playlist", "audio", "video", "embed",
    // Jetpack / WordPress.com.
    "youtube", "vimeo", "soundcloud", "dailymotion", "flickr", "instagram", "tweet", "twitter-timeline",
    "spotify", "googlemaps", "googleapps", "slideshare", "scribd", "wpvideo", "polldaddy", "crowdsignal",
    "contact-form", "contact-field", "jetpack_subscription_form", "blog_subscription_form",
    "jetpack-related-posts", "jetpack_portfolio", "jetpack_testimonials", "wufoo", "wpcom_ad",
    // Forms.
    "contact-form-7", "gravityform", "gravityforms", "ninja_form", "ninja_forms", "wpforms", "formidable",
    "mc4wp_form", "caldera_form", "everest_form", "fluentform",
    // Page builders and themes.
    "vc_row", "vc_row_inner", "vc_column", "vc_column_inner", "vc_column_text", "vc_single_image",
    "vc_separator", "vc_empty_space", "vc_btn", "vc_video", "vc_raw_html", "vc_custom_heading",
    "et_pb_section", "et_pb_row", "et_pb_column", "et_pb_text", "et_pb_image", "et_pb_button",
    "fusion_builder_container", "fusion_builder_row", "fusion_builder_column", "fusion_text", "one_half",
    "one_half_last", "one_third", "one_third_last", "two_third", "two_third_last", "one_fourth",
    "one_fourth_last", "three_fourth", "three_fourth_last",
    // Galleries, sliders, media.
    "nggallery", "ngg_images", "ngg", "imagebrowser", "singlepic", "envira-gallery", "foogallery",
    "metaslider", "rev_slider", "smartslider3", "layerslider", "soliloquy", "wonderplugin_slider",
    "video_lightbox_youtube", "embedyt", "su_youtube",
    // Code highlighting.
    "sourcecode",
    // Shop.
    "woocommerce_cart", "woocommerce_checkout", "woocommerce_my_account", "woocommerce_order_tracking",
    "product_page", "product_category", "product_categories", "add_to_cart", "add_to_cart_url",
    "shop_messages", "recent_products", "featured_products", "sale_products",
    // Misc plugins.
    "ez-toc", "tablepress", "wp_ad_camp_1", "adsense", "fb_like", "addtoany", "ssba", "shareaholic",
    "simple-social-share", "display-posts", "pdf-embedder", "pdfjs-viewer", "googlepdf", "wp-svg-icons",
    "mapsmarker", "wpgmza", "wpgmap", "su_button", "su_box", "su_note", "su_spoiler", "su_tabs", "su_tab",
    "su_column", "su_row",
];

/// Media-like shortcodes that become a link to their source when they have one.
#[rustfmt::skip]
pub(super) const MEDIA_SHORTCODES: &[&str] = &[
    "audio", "video", "gallery", "playlist", "youtube", "vimeo", "soundcloud", "dailymotion", "flickr",
    "instagram", "tweet", "spotify", "googlemaps", "slideshare", "scribd", "ted", "wpvideo", "vine",
    "gist", "embedyt", "su_youtube", "pdf-embedder", "pdfjs-viewer", "googlepdf",
];

/// Attributes that hold the source URL of a media shortcode (`src`, `url` and the per-format
/// attributes of `[audio]`/`[video]`).
#[rustfmt::skip]
pub(super) const SOURCE_ATTRIBUTES: &[&str] = &[
    "src", "url", "mp3", "m4a", "ogg", "wav", "wma", "flac", "mp4", "m4v", "webm", "ogv", "wmv", "flv",
    "href",
];

/// Longest attribute text considered for a shortcode tag (keeps unclosed brackets in long posts cheap).
pub(super) const MAX_TAG_LEN: usize = 16 * 1024;
/// Nesting depth for enclosing shortcodes.
pub(super) const MAX_DEPTH: usize = 16;

/// A parsed shortcode occurrence in `text[start..end]`.
pub(super) struct Shortcode<'a> {
    name: &'a str,
    attrs: &'a str,
    /// Index just after the opening tag's `]`.
    open_end: usize,
    /// Inner content of an enclosing shortcode.
    content: Option<&'a str>,
    end: usize,
}

/// Remembers where the next `[/name]` is, so that many opening tags do not rescan the document.
#[derive(Default)]
pub(super) struct ClosingTags {
    /// name -> (searched from, position found)
    cache: HashMap<String, (usize, Option<usize>)>,
    /// Same for the next `]`.
    bracket: Option<(usize, Option<usize>)>,
}

impl ClosingTags {
    fn next_bracket(&mut self, text: &str, from: usize) -> Option<usize> {
        if let Some((searched_from, found)) = self.bracket {
            if searched_from <= from {
                match found {
                    None => return None,
                    Some(pos) if pos >= from => return Some(pos),
                    Some(_) => {}
                }
            }
        }
        let found = text.get(from..).and_then(|rest| rest.find(']')).map(|i| i + from);
        self.bracket = Some((from, found));
        found
    }

    fn find(&mut self, text: &str, name: &str, from: usize) -> Option<usize> {
        if let Some(&(searched_from, found)) = self.cache.get(name) {
            if searched_from <= from {
                match found {
                    None => return None,
                    Some(pos) if pos >= from => return Some(pos),
                    Some(_) => {}
                }
            }
        }
        let needle = format!("[/{name}]");
        let found = text.get(from..).and_then(|rest| rest.find(&needle)).map(|i| i + from);
        self.cache.insert(name.to_string(), (from, found));
        found
    }
}

pub(super) fn is_name_char(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b == b'-'
}

/// Parses the shortcode whose `[` is at `start`, after `get_shortcode_regex()`, and decides whether it
/// is one (known name, closing tag or `key=value` attributes).
pub(super) fn parse_shortcode<'a>(
    text: &'a str,
    start: usize,
    closers: &mut ClosingTags,
) -> Option<Shortcode<'a>> {
    let bytes = text.as_bytes();
    let name_start = start + 1;
    if !bytes.get(name_start)?.is_ascii_alphabetic() {
        return None;
    }
    let mut name_end = name_start;
    while name_end < bytes.len() && is_name_char(bytes[name_end]) {
        name_end += 1;
    }
    let name = &text[name_start..name_end];
    // The opening tag ends at the first `]`; `/]` makes it self-closing.
    let close = closers.next_bracket(text, name_end).filter(|&i| i - name_end <= MAX_TAG_LEN)?;
    let raw_attrs = &text[name_end..close];
    let open_end = close + 1;
    let self_closing = raw_attrs.ends_with('/');
    let attrs = if self_closing { &raw_attrs[..raw_attrs.len() - 1] } else { raw_attrs };

    let (content, end) = match (self_closing, closers.find(text, name, open_end)) {
        (false, Some(pos)) => (Some(&text[open_end..pos]), pos + name.len() + 3),
        _ => (None, open_end),
    };
    let accepted = content.is_some() || KNOWN_SHORTCODES.contains(&name) || RE_ATTR_WITH_EQ.is_match(attrs);
    accepted.then_some(Shortcode { name, attrs, open_end, content, end })
}

/// `do_shortcode()`: scans `text` for shortcodes outside HTML tags and comments.
pub(super) fn do_shortcodes(text: &str, stats: &mut ContentStats, depth: usize) -> String {
    if depth > MAX_DEPTH || !text.contains('[') {
        return text.to_string();
    }
    let bytes = text.as_bytes();
    let mut closers = ClosingTags::default();
    let mut out = String::with_capacity(text.len());
    let mut last = 0;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'<' => {
                i = RE_SKIP_TAG.find(&text[i..]).map_or(i + 1, |m| i + m.end());
            }
            b'[' => {
                // Escaped shortcode: [[name ...]] or [[name]...[/name]] is the literal inner text.
                if bytes.get(i + 1) == Some(&b'[') {
                    if let Some(sc) = parse_shortcode(text, i + 1, &mut closers) {
                        let literal_end = if bytes.get(sc.end) == Some(&b']') {
                            Some(sc.end)
                        } else if bytes.get(sc.open_end) == Some(&b']') {
                            Some(sc.open_end)
                        } else {
                            None
                        };
                        if let Some(end) = literal_end {
                            out.push_str(&text[last..i]);
                            out.push_str(&text[i + 1..end]);
                            i = end + 1;
                            last = i;
                            continue;
                        }
                    }
                    i += 1;
                    continue;
                }
                match parse_shortcode(text, i, &mut closers) {
                    Some(sc) => {
                        out.push_str(&text[last..i]);
                        out.push_str(&render_shortcode(&sc, stats, depth));
                        i = sc.end;
                        last = i;
                    }
                    None => i += 1,
                }
            }
            _ => i += 1,
        }
    }
    out.push_str(&text[last..]);
    out
}

pub(super) fn render_shortcode(sc: &Shortcode<'_>, stats: &mut ContentStats, depth: usize) -> String {
    let name = sc.name.to_ascii_lowercase();
    let atts = Atts::parse(sc.attrs);
    match name.as_str() {
        "caption" | "wp_caption" => {
            stats.add_converted(&name, 1);
            let content = do_shortcodes(sc.content.unwrap_or(""), stats, depth + 1);
            caption(&atts, &content)
        }
        "embed" => {
            let inner = sc.content.map(str::trim).filter(|s| !s.is_empty());
            match inner.or_else(|| atts.get("src")).or_else(|| atts.get("url")) {
                Some(url) => {
                    stats.add_converted(&name, 1);
                    format!("<p>{}</p>", link(url))
                }
                None => {
                    stats.add_removed(&name);
                    String::new()
                }
            }
        }
        n if MEDIA_SHORTCODES.contains(&n) => match media_source(&atts) {
            Some(url) => {
                stats.add_converted(&name, 1);
                link(&url)
            }
            None => {
                stats.add_removed(&name);
                String::new()
            }
        },
        _ => {
            stats.add_removed(&name);
            sc.content.map(|c| do_shortcodes(c, stats, depth + 1)).unwrap_or_default()
        }
    }
}

/// The source URL of a media shortcode: a source attribute, or a positional URL (`[youtube URL]`,
/// `[youtube=URL]`).
pub(super) fn media_source(atts: &Atts) -> Option<String> {
    SOURCE_ATTRIBUTES
        .iter()
        .find_map(|key| atts.get(key).map(str::trim).filter(|v| !v.is_empty()))
        .or_else(|| {
            atts.positional
                .iter()
                .map(|v| v.trim_start_matches('='))
                .find(|v| v.starts_with("http://") || v.starts_with("https://") || v.starts_with("//"))
        })
        .map(str::to_string)
}

/// `img_caption_shortcode()`, HTML5 flavour, without the width/id attributes.
pub(super) fn caption(atts: &Atts, content: &str) -> String {
    let (image, text) = match atts.get("caption") {
        Some(text) => (content, text),
        None => match RE_CAPTION_IMAGE.captures(content) {
            Some(c) => (c.get(1).map_or("", |m| m.as_str()), c.get(2).map_or("", |m| m.as_str())),
            None => (content, ""),
        },
    };
    let text = text.trim_matches(PHP_TRIM);
    if text.is_empty() {
        return content.to_string();
    }
    let align = atts.get("align").unwrap_or("alignnone");
    let class = format!("wp-caption {align} {}", atts.get("class").unwrap_or(""));
    format!(
        "<figure class=\"{}\">{image}<figcaption>{text}</figcaption></figure>",
        escape_attr(class.trim_matches(PHP_TRIM))
    )
}

/// Shortcode attributes after `shortcode_parse_atts()`: named (lower-cased keys) and positional.
#[derive(Default)]
pub(super) struct Atts {
    named: Vec<(String, String)>,
    positional: Vec<String>,
}

impl Atts {
    fn parse(text: &str) -> Atts {
        let mut atts = Atts::default();
        if text.trim().is_empty() {
            return atts;
        }
        let text = text.replace(['\u{a0}', '\u{200b}'], " ");
        for c in RE_SHORTCODE_ATTS.captures_iter(&text) {
            let group = |i: usize| c.get(i).map(|m| m.as_str().to_string());
            let named = [(1, 2), (3, 4), (5, 6)]
                .iter()
                .find_map(|&(k, v)| Some((group(k)?.to_ascii_lowercase(), group(v).unwrap_or_default())));
            match named {
                Some(pair) => atts.named.push(pair),
                None => {
                    if let Some(value) = group(7).or_else(|| group(8)).or_else(|| group(9)) {
                        atts.positional.push(value);
                    }
                }
            }
        }
        atts
    }

    fn get(&self, key: &str) -> Option<&str> {
        // Like PHP arrays, a repeated key keeps the last value.
        self.named.iter().rev().find(|(k, _)| k == key).map(|(_, v)| v.as_str())
    }
}

/// `<a href="URL">URL</a>`.
pub(super) fn link(url: &str) -> String {
    let url = escape_attr(url.trim());
    format!("<a href=\"{url}\">{url}</a>")
}

/// `esc_attr()`-like escaping that does not double-encode existing character references.
pub(super) fn escape_attr(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for (i, ch) in value.char_indices() {
        match ch {
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#039;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' if !starts_with_entity(&value[i..]) => out.push_str("&amp;"),
            _ => out.push(ch),
        }
    }
    out
}

/// Whether `s` (starting with `&`) starts with a character reference like `&amp;`, `&#38;`, `&#x26;`.
pub(super) fn starts_with_entity(s: &str) -> bool {
    let body = &s.as_bytes()[1..];
    let (digits, rest) = match body {
        [b'#', b'x' | b'X', rest @ ..] => (rest.iter().take_while(|b| b.is_ascii_hexdigit()).count(), rest),
        [b'#', rest @ ..] => (rest.iter().take_while(|b| b.is_ascii_digit()).count(), rest),
        [first, ..] if first.is_ascii_alphabetic() => {
            (body.iter().take_while(|b| b.is_ascii_alphanumeric()).count(), body)
        }
        _ => return false,
    };
    digits > 0 && rest.get(digits) == Some(&b';')
}
