//! WordPress content (classic-editor HTML, block-editor markup, shortcodes) to plain HTML.
//!
//! This is a port of the parts of WordPress' `the_content` / `comment_text` pipeline that decide the
//! *structure* of the rendered HTML:
//!
//! * `wpautop()` from `wp-includes/formatting.php`, step by step with the same regular expressions
//!   (the `regex` crate has no look-around or back-references, so the two places that use them are
//!   written out by hand, see [`autop`]);
//! * shortcode parsing after `get_shortcode_regex()` / `shortcode_parse_atts()` from
//!   `wp-includes/shortcodes.php`, with a few handlers (`[caption]` after `img_caption_shortcode()`,
//!   `[embed]`, media shortcodes) and everything else removed;
//! * block delimiter comments (`<!-- wp:name {json} -->` ... `<!-- /wp:name -->`, `<!-- wp:name /-->`)
//!   as parsed by `WP_Block_Parser`, which are dropped;
//! * `WP_Embed::autoembed()`: a URL alone on its line (or alone in a `<p>`) becomes a link.
//!
//! Texturizing, smilies, `make_clickable` and sanitizing are deliberately not done here (the output is
//! sanitized by the caller).

use std::collections::{BTreeMap, HashMap};
use std::sync::LazyLock;

use regex::{Captures, Regex};

/// What the conversion did, for the import summary: shortcode name -> count.
///
/// Shortcode names are lower-cased. URLs alone on their own line (oEmbed candidates) are counted as
/// `embed` in `converted`, like `[embed]`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ContentStats {
    pub converted: BTreeMap<String, u64>,
    pub removed: BTreeMap<String, u64>,
    pub block_documents: u64,
    pub classic_documents: u64,
}

impl ContentStats {
    /// Adds the counts of `other` to `self`.
    pub fn merge(&mut self, other: &ContentStats) {
        for (name, count) in &other.converted {
            *self.converted.entry(name.clone()).or_insert(0) += count;
        }
        for (name, count) in &other.removed {
            *self.removed.entry(name.clone()).or_insert(0) += count;
        }
        self.block_documents += other.block_documents;
        self.classic_documents += other.classic_documents;
    }

    fn add_converted(&mut self, name: &str, count: u64) {
        if count > 0 {
            *self.converted.entry(name.to_string()).or_insert(0) += count;
        }
    }

    fn add_removed(&mut self, name: &str) {
        *self.removed.entry(name.to_string()).or_insert(0) += 1;
    }
}

/// True when the content holds block-editor markup (`<!-- wp:`), like WordPress' `has_blocks()`.
#[must_use]
pub fn is_block_content(raw: &str) -> bool {
    raw.contains("<!-- wp:")
}

/// Post content to HTML.
///
/// * Block-editor content: block delimiter comments are dropped and the inner HTML is kept as is (no
///   autop, block content already has its `<p>`), except the inner content of `core/shortcode` blocks,
///   which WordPress renders through `wpautop()`.
/// * Classic content: `wpautop()` (blank lines make `<p>`, single newlines make `<br />` inside
///   paragraphs, block-level tags are not wrapped, `<pre>` content is untouched).
/// * Shortcodes in both (never inside `<pre>`, `<code>` or HTML tags/comments):
///   `[caption]` becomes a `<figure class="wp-caption alignX">` with a `<figcaption>`; `[embed]URL[/embed]`
///   and URLs alone on their own line become `<p><a href="URL">URL</a></p>`; `[audio]`, `[video]`,
///   `[gallery]`, `[playlist]` and the Jetpack-style embeds (`[youtube URL]`, ...) become a link to their
///   source when they have one and are removed otherwise; any other shortcode is removed (an enclosing
///   one keeps its inner content). `[[name]]` is the escaped, literal `[name]`.
///
/// `[word ...]` is only a shortcode when `word` looks like a shortcode name and is a well-known
/// shortcode, or has a matching `[/word]`, or has `key=value` attributes, so prose like `[1]`, `[sic]`
/// or `[citation needed]` is left alone.
pub fn post_to_html(raw: &str, stats: &mut ContentStats) -> String {
    let block = is_block_content(raw);
    if block {
        stats.block_documents += 1;
    } else {
        stats.classic_documents += 1;
    }
    if raw.trim().is_empty() {
        return String::new();
    }

    // Line endings as autop would standardize them; the private-use placeholder marker must not occur
    // in the input (it is written back as the equivalent character reference).
    let text = raw.replace("\r\n", "\n").replace('\r', "\n").replace(PLACEHOLDER_START, "&#57344;");
    let text = RE_MORE.replace_all(&text, "");

    // <pre> and <code> are not touched by shortcodes or auto-embeds.
    let (text, vault) = protect(&text);
    let mut text = do_shortcodes(&text, stats, 0);
    text = autoembed(&text, stats);
    let text = restore(&text, &vault);

    if block {
        strip_block_delimiters(&text)
    } else {
        autop(&text)
    }
}

/// Comment content to HTML as WordPress displays it: `wpautop()` only (comments have no blocks or
/// shortcodes).
#[must_use]
pub fn comment_to_html(raw: &str) -> String {
    autop(raw)
}

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

// ---------------------------------------------------------------------------------------------------
// Regexes (compiled once).
// ---------------------------------------------------------------------------------------------------

/// Compiles one of the constant patterns of this file. The patterns are string constants exercised by
/// the unit tests (`all_regexes_compile`), so this cannot fail at run time.
#[allow(clippy::expect_used)]
fn compile(pattern: &str) -> Regex {
    Regex::new(pattern).expect("constant regex pattern is valid")
}

/// Like [`compile`], with `\s` meaning PCRE's ASCII whitespace (WordPress' patterns have no `/u` flag,
/// so a no-break space is not whitespace for them).
fn compile_ascii_ws(pattern: &str) -> Regex {
    compile(&pattern.replace(r"\s", "[[:space:]]"))
}

/// wpautop's `$allblocks`.
const ALLBLOCKS: &str = "(?:table|thead|tfoot|caption|col|colgroup|tbody|tr|td|th|div|dl|dd|dt|ul|ol|li|pre\
|form|map|area|blockquote|address|math|style|p|h[1-6]|hr|fieldset|legend|section|article|aside|hgroup\
|header|footer|nav|figure|figcaption|details|menu|summary)";

macro_rules! lazy_re {
    ($name:ident, $pattern:expr) => {
        static $name: LazyLock<Regex> = LazyLock::new(|| compile_ascii_ws(&$pattern));
    };
}

// wpautop.
lazy_re!(RE_DOUBLE_BR, r"<br\s*/?>\s*<br\s*/?>");
lazy_re!(RE_BLOCK_OPEN, format!("(<{ALLBLOCKS}[[:space:]/>])"));
lazy_re!(RE_BLOCK_CLOSE, format!("(</{ALLBLOCKS}>)"));
lazy_re!(RE_HR, r"(<hr\s*?/?>)");
lazy_re!(RE_HTML_SPLIT, r"<(?:!--(?:>|->|(?s:.*?)(?:-->|\z))|!\[CDATA\[(?s:.*?)(?:\]\]>|\z)|[^>]*>?)");
lazy_re!(RE_OPTION_BEFORE, r"\s*<option");
lazy_re!(RE_OPTION_AFTER, r"</option>\s*");
lazy_re!(RE_OBJECT_OPEN, r"(<object[^>]*>)\s*");
lazy_re!(RE_OBJECT_CLOSE, r"\s*</object>");
lazy_re!(RE_PARAM_EMBED, r"\s*(</?(?:param|embed)[^>]*>)\s*");
lazy_re!(RE_MEDIA_OPEN, r"([<\[](?:audio|video)[^>\]]*[>\]])\s*");
lazy_re!(RE_MEDIA_CLOSE, r"\s*([<\[]/(?:audio|video)[>\]])");
lazy_re!(RE_SOURCE_TRACK, r"\s*(<(?:source|track)[^>]*>)\s*");
lazy_re!(RE_FIGCAPTION_OPEN, r"\s*(<figcaption[^>]*>)");
lazy_re!(RE_FIGCAPTION_CLOSE, r"</figcaption>\s*");
lazy_re!(RE_MANY_NEWLINES, r"\n\n+");
lazy_re!(RE_PARAGRAPH_SPLIT, r"\n\s*\n");
lazy_re!(RE_EMPTY_P, r"<p>\s*</p>");
lazy_re!(RE_P_UNCLOSED_IN_DIV, r"<p>([^<]+)</(div|address|form)>");
lazy_re!(RE_P_AROUND_BLOCK, format!(r"<p>\s*(</?{ALLBLOCKS}[^>]*>)\s*</p>"));
lazy_re!(RE_P_AROUND_LI, r"<p>(<li.+?)</p>");
lazy_re!(RE_P_BLOCKQUOTE, r"(?i)<p><blockquote([^>]*)>");
lazy_re!(RE_P_BEFORE_BLOCK, format!(r"<p>\s*(</?{ALLBLOCKS}[^>]*>)"));
lazy_re!(RE_P_AFTER_BLOCK, format!(r"(</?{ALLBLOCKS}[^>]*>)\s*</p>"));
lazy_re!(RE_PRESERVE_NEWLINES, r"(?s)<script.*?</script>|<style.*?</style>|<svg.*?</svg>");
lazy_re!(RE_NEWLINE, r"\s*\n");
lazy_re!(RE_BR_AFTER_BLOCK, format!(r"(</?{ALLBLOCKS}[^>]*>)\s*<br />"));
lazy_re!(RE_BR_BEFORE_BLOCK, r"<br />(\s*</?(?:p|li|div|dl|dd|dt|th|pre|td|ul|ol)[^>]*>)");
lazy_re!(RE_FINAL_NEWLINE_P, r"\n</p>(\n?)\z");
lazy_re!(RE_PRE_PLACEHOLDER, r"<pre wp-pre-tag-(\d+)></pre>");

// post_to_html.
lazy_re!(RE_MORE, r"<!--(?:more|nextpage|noteaser)(?:[^>]*)?-->");
lazy_re!(RE_PROTECT, r"(?is)<pre(?:\s[^>]*)?>.*?</pre\s*>|<code(?:\s[^>]*)?>.*?</code\s*>");
lazy_re!(RE_PLACEHOLDER, "\u{E000}([0-9]+)\u{E001}");
lazy_re!(RE_SKIP_TAG, r"\A<(?:!--(?:>|->|(?s:.*?)(?:-->|\z))|[a-zA-Z/!?][^>]*>)");
lazy_re!(RE_ATTR_WITH_EQ, r"[\w-]+=");
// shortcode_parse_atts(); `\s` here is the ASCII class, the no-break and zero-width spaces are
// replaced first as WordPress does.
lazy_re!(
    RE_SHORTCODE_ATTS,
    r#"([\w-]+)\s*=\s*"([^"]*)"(?:\s|\z)|([\w-]+)\s*=\s*'([^']*)'(?:\s|\z)|([\w-]+)\s*=\s*([^[:space:]'"]+)(?:\s|\z)|"([^"]*)"(?:\s|\z)|'([^']*)'(?:\s|\z)|(\S+)(?:\s|\z)"#
);
lazy_re!(RE_CAPTION_IMAGE, r"(?is)((?:<a [^>]+>\s*)?<img [^>]+>(?:\s*</a>)?)(.*)");
lazy_re!(RE_BARE_URL_LINE, r#"(?m)^([ \t]*)(https?://[^[:space:]<>"]+)([ \t]*)$"#);
lazy_re!(RE_URL_PARAGRAPH, r#"(?i)(<p(?: [^>]*)?>\s*)(https?://[^[:space:]<>"]+)(\s*</p>)"#);
lazy_re!(RE_SHORTCODE_BLOCK, r"(?s)<!--\s+wp:shortcode\s+(?:\{.*?\}\s+)?-->(.*?)<!--\s+/wp:shortcode\s+-->");
lazy_re!(
    RE_BLOCK_DELIMITER,
    r"(?s)<!--\s+/?wp:[a-z][a-z0-9_-]*(?:/[a-z][a-z0-9_-]*)?\s+(?:\{.*?\}\s+)?/?-->\n?"
);

// rewrite_links.
lazy_re!(RE_HTML_TAG, r#"<[a-zA-Z][a-zA-Z0-9:-]*(?:[^>"']|"[^"]*"|'[^']*')*>"#);
lazy_re!(RE_URL_ATTR, r#"(?i)(\s(?:href|src)\s*=\s*)(?:"([^"]*)"|'([^']*)')"#);
lazy_re!(RE_AMP_ENTITY, r"(?i)&(?:amp|#0*38|#x0*26);");

// ---------------------------------------------------------------------------------------------------
// wpautop
// ---------------------------------------------------------------------------------------------------

/// PHP's `trim()` character list.
const PHP_TRIM: &[char] = &[' ', '\t', '\n', '\r', '\0', '\x0B'];

fn replace(re: &Regex, text: &str, replacement: &str) -> String {
    re.replace_all(text, replacement).into_owned()
}

/// Port of `wpautop( $text, $br = true )`.
fn autop(input: &str) -> String {
    if input.trim_matches(PHP_TRIM).is_empty() {
        return String::new();
    }

    // Just to make things a little easier, pad the end.
    let mut text = format!("{input}\n");

    // Pre tags shouldn't be touched by autop: replace them with placeholders (same logic as WordPress,
    // including dropping a stray `</pre>` without an opening tag).
    let mut pre_tags: Vec<String> = Vec::new();
    if text.contains("<pre") {
        let mut parts: Vec<&str> = text.split("</pre>").collect();
        let last = parts.pop().unwrap_or("");
        let mut rebuilt = String::with_capacity(text.len());
        for part in parts {
            match part.find("<pre") {
                None => rebuilt.push_str(part),
                Some(start) => {
                    rebuilt.push_str(&part[..start]);
                    rebuilt.push_str("<pre wp-pre-tag-");
                    rebuilt.push_str(&pre_tags.len().to_string());
                    rebuilt.push_str("></pre>");
                    pre_tags.push(format!("{}</pre>", &part[start..]));
                }
            }
        }
        rebuilt.push_str(last);
        text = rebuilt;
    }

    // Change multiple <br>s into two line breaks, which will turn into paragraphs.
    text = replace(&RE_DOUBLE_BR, &text, "\n\n");
    // Double line breaks above block-level opening tags and below closing tags, and after <hr>.
    text = replace(&RE_BLOCK_OPEN, &text, "\n\n${1}");
    text = replace(&RE_BLOCK_CLOSE, &text, "${1}\n\n");
    text = replace(&RE_HR, &text, "${1}\n\n");
    // Standardize newline characters to "\n".
    text = text.replace("\r\n", "\n").replace('\r', "\n");
    // Find newlines in all elements and add placeholders.
    text =
        RE_HTML_SPLIT.replace_all(&text, |c: &Captures| c[0].replace('\n', " <!-- wpnl --> ")).into_owned();

    // Collapse line breaks before and after <option> elements so they don't get autop'd.
    if text.contains("<option") {
        text = replace(&RE_OPTION_BEFORE, &text, "<option");
        text = replace(&RE_OPTION_AFTER, &text, "</option>");
    }
    // Collapse line breaks inside <object> elements, before <param> and <embed> elements.
    if text.contains("</object>") {
        text = replace(&RE_OBJECT_OPEN, &text, "${1}");
        text = replace(&RE_OBJECT_CLOSE, &text, "</object>");
        text = replace(&RE_PARAM_EMBED, &text, "${1}");
    }
    // Collapse line breaks inside <audio> and <video> elements, around <source> and <track>.
    if text.contains("<source") || text.contains("<track") {
        text = replace(&RE_MEDIA_OPEN, &text, "${1}");
        text = replace(&RE_MEDIA_CLOSE, &text, "${1}");
        text = replace(&RE_SOURCE_TRACK, &text, "${1}");
    }
    // Collapse line breaks before and after <figcaption> elements.
    if text.contains("<figcaption") {
        text = replace(&RE_FIGCAPTION_OPEN, &text, "${1}");
        text = replace(&RE_FIGCAPTION_CLOSE, &text, "</figcaption>");
    }

    // Remove more than two contiguous line breaks, split into paragraphs and wrap each one in <p>.
    text = replace(&RE_MANY_NEWLINES, &text, "\n\n");
    let mut wrapped = String::with_capacity(text.len() + 64);
    for chunk in RE_PARAGRAPH_SPLIT.split(&text).filter(|c| !c.is_empty()) {
        wrapped.push_str("<p>");
        wrapped.push_str(chunk.trim_matches('\n'));
        wrapped.push_str("</p>\n");
    }
    text = wrapped;

    // Under certain strange conditions it could create a P of entirely whitespace.
    text = replace(&RE_EMPTY_P, &text, "");
    // Add a closing <p> inside <div>, <address>, or <form> tag if missing.
    text = replace(&RE_P_UNCLOSED_IN_DIV, &text, "<p>${1}</p></${2}>");
    // If an opening or closing block element tag is wrapped in a <p>, unwrap it.
    text = replace(&RE_P_AROUND_BLOCK, &text, "${1}");
    // In some cases <li> may get wrapped in <p>, fix them.
    text = replace(&RE_P_AROUND_LI, &text, "${1}");
    // If a <blockquote> is wrapped with a <p>, move it inside the <blockquote>.
    text = replace(&RE_P_BLOCKQUOTE, &text, "<blockquote${1}><p>");
    text = text.replace("</blockquote></p>", "</p></blockquote>");
    // An opening or closing block element tag preceded by <p> / followed by </p>: remove those.
    text = replace(&RE_P_BEFORE_BLOCK, &text, "${1}");
    text = replace(&RE_P_AFTER_BLOCK, &text, "${1}");

    // Insert line breaks. Newlines in <script>, <style> and <svg> are preserved.
    text = RE_PRESERVE_NEWLINES
        .replace_all(&text, |c: &Captures| c[0].replace('\n', "<WPPreserveNewline />"))
        .into_owned();
    text = text.replace("<br>", "<br />").replace("<br/>", "<br />");
    text = newlines_to_br(&text);
    text = text.replace("<WPPreserveNewline />", "\n");

    // If a <br /> tag is after an opening or closing block tag, or before a subset of them, remove it.
    text = replace(&RE_BR_AFTER_BLOCK, &text, "${1}");
    text = replace(&RE_BR_BEFORE_BLOCK, &text, "${1}");
    // PHP's `$` also matches before a final newline.
    text = replace(&RE_FINAL_NEWLINE_P, &text, "</p>${1}");

    // Replace placeholder <pre> tags with their original content.
    if !pre_tags.is_empty() {
        text = RE_PRE_PLACEHOLDER
            .replace_all(&text, |c: &Captures| {
                c[1].parse::<usize>()
                    .ok()
                    .and_then(|i| pre_tags.get(i))
                    .map_or_else(|| c[0].to_string(), String::clone)
            })
            .into_owned();
    }
    // Restore newlines in all elements.
    if text.contains("<!-- wpnl -->") {
        text = text.replace(" <!-- wpnl --> ", "\n").replace("<!-- wpnl -->", "\n");
    }
    text
}

/// `preg_replace( '|(?<!<br />)\s*\n|', "<br />\n", $text )` without look-behind: a candidate match
/// that starts right after `<br />` is rejected and the search resumes one character later, exactly
/// as PCRE tries the next start position.
fn newlines_to_br(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 64);
    let mut last = 0;
    let mut pos = 0;
    while let Some(m) = RE_NEWLINE.find_at(text, pos) {
        if text[..m.start()].ends_with("<br />") {
            // `\s` is ASCII, so the next character boundary is one byte further.
            pos = m.start() + 1;
            continue;
        }
        out.push_str(&text[last..m.start()]);
        out.push_str("<br />\n");
        last = m.end();
        pos = m.end();
    }
    out.push_str(&text[last..]);
    out
}

// ---------------------------------------------------------------------------------------------------
// Protection of <pre>/<code>, block delimiters, auto-embeds
// ---------------------------------------------------------------------------------------------------

const PLACEHOLDER_START: char = '\u{E000}';

/// Replaces `<pre>…</pre>` and `<code>…</code>` elements by private-use placeholders.
fn protect(text: &str) -> (String, Vec<String>) {
    let mut vault = Vec::new();
    if !text.contains("<pre") && !text.contains("<code") && !text.contains("<PRE") && !text.contains("<CODE")
    {
        return (text.to_string(), vault);
    }
    let out = RE_PROTECT
        .replace_all(text, |c: &Captures| {
            vault.push(c[0].to_string());
            format!("\u{E000}{}\u{E001}", vault.len() - 1)
        })
        .into_owned();
    (out, vault)
}

fn restore(text: &str, vault: &[String]) -> String {
    if vault.is_empty() {
        return text.to_string();
    }
    RE_PLACEHOLDER
        .replace_all(text, |c: &Captures| {
            c[1].parse::<usize>().ok().and_then(|i| vault.get(i)).cloned().unwrap_or_default()
        })
        .into_owned()
}

/// Drops block delimiter comments; `core/shortcode` blocks are rendered with autop like WordPress does.
fn strip_block_delimiters(text: &str) -> String {
    let text = if text.contains("wp:shortcode") {
        RE_SHORTCODE_BLOCK.replace_all(text, |c: &Captures| autop(&c[1])).into_owned()
    } else {
        text.to_string()
    };
    RE_BLOCK_DELIMITER.replace_all(&text, "").trim().to_string()
}

/// `WP_Embed::autoembed()`: a URL alone on its line or in its own paragraph. Without oEmbed it becomes
/// a link (WordPress' fallback when the provider is unknown).
fn autoembed(text: &str, stats: &mut ContentStats) -> String {
    if !text.contains("http") {
        return text.to_string();
    }
    let mut count = 0;
    let text = RE_URL_PARAGRAPH.replace_all(text, |c: &Captures| {
        count += 1;
        format!("{}{}{}", &c[1], link(&c[2]), &c[3])
    });
    let text = RE_BARE_URL_LINE
        .replace_all(&text, |c: &Captures| {
            count += 1;
            format!("{}<p>{}</p>{}", &c[1], link(&c[2]), &c[3])
        })
        .into_owned();
    stats.add_converted("embed", count);
    text
}

// ---------------------------------------------------------------------------------------------------
// Shortcodes
// ---------------------------------------------------------------------------------------------------

/// Shortcodes recognised even without attributes or closing tag: WordPress core and common plugins and
/// themes. Only names that are unlikely in prose between brackets (no "update", "note", "source",
/// "table"...). Matched case-sensitively, like WordPress' registered tags, so `[VIDEO]` is prose.
#[rustfmt::skip]
const KNOWN_SHORTCODES: &[&str] = &[
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
const MEDIA_SHORTCODES: &[&str] = &[
    "audio", "video", "gallery", "playlist", "youtube", "vimeo", "soundcloud", "dailymotion", "flickr",
    "instagram", "tweet", "spotify", "googlemaps", "slideshare", "scribd", "ted", "wpvideo", "vine",
    "gist", "embedyt", "su_youtube", "pdf-embedder", "pdfjs-viewer", "googlepdf",
];

/// Attributes that hold the source URL of a media shortcode (`src`, `url` and the per-format
/// attributes of `[audio]`/`[video]`).
#[rustfmt::skip]
const SOURCE_ATTRIBUTES: &[&str] = &[
    "src", "url", "mp3", "m4a", "ogg", "wav", "wma", "flac", "mp4", "m4v", "webm", "ogv", "wmv", "flv",
    "href",
];

/// Longest attribute text considered for a shortcode tag (keeps unclosed brackets in long posts cheap).
const MAX_TAG_LEN: usize = 16 * 1024;
/// Nesting depth for enclosing shortcodes.
const MAX_DEPTH: usize = 16;

/// A parsed shortcode occurrence in `text[start..end]`.
struct Shortcode<'a> {
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
struct ClosingTags {
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

fn is_name_char(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b == b'-'
}

/// Parses the shortcode whose `[` is at `start`, after `get_shortcode_regex()`, and decides whether it
/// is one (known name, closing tag or `key=value` attributes).
fn parse_shortcode<'a>(text: &'a str, start: usize, closers: &mut ClosingTags) -> Option<Shortcode<'a>> {
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
fn do_shortcodes(text: &str, stats: &mut ContentStats, depth: usize) -> String {
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

fn render_shortcode(sc: &Shortcode<'_>, stats: &mut ContentStats, depth: usize) -> String {
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
fn media_source(atts: &Atts) -> Option<String> {
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
fn caption(atts: &Atts, content: &str) -> String {
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
struct Atts {
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
fn link(url: &str) -> String {
    let url = escape_attr(url.trim());
    format!("<a href=\"{url}\">{url}</a>")
}

/// `esc_attr()`-like escaping that does not double-encode existing character references.
fn escape_attr(value: &str) -> String {
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
fn starts_with_entity(s: &str) -> bool {
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

// ---------------------------------------------------------------------------------------------------
// Link rewriting
// ---------------------------------------------------------------------------------------------------

/// An old site base URL: host (lower-case, without `www.`, with any port) and path (no trailing `/`).
struct Base {
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
fn strip_scheme(url: &str) -> Option<&str> {
    ["http://", "https://", "//"].iter().find_map(|scheme| {
        url.get(..scheme.len()).filter(|p| p.eq_ignore_ascii_case(scheme)).map(|_| &url[scheme.len()..])
    })
}

fn rewrite_url(value: &str, bases: &[Base], map: &impl Fn(&str) -> Option<String>) -> Option<String> {
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
fn escape_url_attr(url: &str, quote: char) -> String {
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

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    fn post(raw: &str) -> (String, ContentStats) {
        let mut stats = ContentStats::default();
        let html = post_to_html(raw, &mut stats);
        (html, stats)
    }

    #[test]
    fn all_regexes_compile() {
        let all: Vec<&LazyLock<Regex>> = vec![
            &RE_DOUBLE_BR,
            &RE_BLOCK_OPEN,
            &RE_BLOCK_CLOSE,
            &RE_HR,
            &RE_HTML_SPLIT,
            &RE_OPTION_BEFORE,
            &RE_OPTION_AFTER,
            &RE_OBJECT_OPEN,
            &RE_OBJECT_CLOSE,
            &RE_PARAM_EMBED,
            &RE_MEDIA_OPEN,
            &RE_MEDIA_CLOSE,
            &RE_SOURCE_TRACK,
            &RE_FIGCAPTION_OPEN,
            &RE_FIGCAPTION_CLOSE,
            &RE_MANY_NEWLINES,
            &RE_PARAGRAPH_SPLIT,
            &RE_EMPTY_P,
            &RE_P_UNCLOSED_IN_DIV,
            &RE_P_AROUND_BLOCK,
            &RE_P_AROUND_LI,
            &RE_P_BLOCKQUOTE,
            &RE_P_BEFORE_BLOCK,
            &RE_P_AFTER_BLOCK,
            &RE_PRESERVE_NEWLINES,
            &RE_NEWLINE,
            &RE_BR_AFTER_BLOCK,
            &RE_BR_BEFORE_BLOCK,
            &RE_FINAL_NEWLINE_P,
            &RE_PRE_PLACEHOLDER,
            &RE_MORE,
            &RE_PROTECT,
            &RE_PLACEHOLDER,
            &RE_SKIP_TAG,
            &RE_ATTR_WITH_EQ,
            &RE_SHORTCODE_ATTS,
            &RE_CAPTION_IMAGE,
            &RE_BARE_URL_LINE,
            &RE_URL_PARAGRAPH,
            &RE_SHORTCODE_BLOCK,
            &RE_BLOCK_DELIMITER,
            &RE_HTML_TAG,
            &RE_URL_ATTR,
            &RE_AMP_ENTITY,
        ];
        for re in all {
            LazyLock::force(re);
        }
    }

    #[test]
    fn classic_paragraphs_and_line_breaks() {
        let (html, stats) = post("First line\nsecond line\n\nSecond paragraph.\n\n\n\nThird.");
        assert_eq!(html, "<p>First line<br />\nsecond line</p>\n<p>Second paragraph.</p>\n<p>Third.</p>\n");
        assert_eq!(stats.classic_documents, 1);
        assert_eq!(stats.block_documents, 0);
    }

    #[test]
    fn classic_lists_and_headings_not_wrapped() {
        let (html, _) = post("<h2>Title</h2>\nIntro text\n<ul>\n<li>one</li>\n<li>two</li>\n</ul>\nAfter");
        assert_eq!(
            html,
            "<h2>Title</h2>\n<p>Intro text</p>\n<ul>\n<li>one</li>\n<li>two</li>\n</ul>\n<p>After</p>\n"
        );
    }

    #[test]
    fn classic_pre_untouched() {
        let raw = "Look at this code\n\n<pre>Line1<br />Line2<br>Line3<br/>Line4\nActual Line 2\n\nActual \
                   Line 3 [gallery] [foo bar=1]</pre>\n\nCool, huh?";
        let (html, stats) = post(raw);
        assert_eq!(
            html.trim(),
            "<p>Look at this code</p>\n<pre>Line1<br />Line2<br>Line3<br/>Line4\nActual Line 2\n\nActual \
             Line 3 [gallery] [foo bar=1]</pre>\n<p>Cool, huh?</p>"
        );
        assert!(stats.removed.is_empty());
    }

    /// `test_first_post` from WordPress' tests/phpunit/tests/formatting/Autop.php.
    #[test]
    fn wordpress_first_post_test() {
        let input = "\nWelcome to WordPress!  This post contains important information.\n\nFirst things first:\n<ul>\n<li><a href=\"%1$s\" title=\"Subscribe\">Subscribe</a></li>\n</ul>\nAs a subscriber, you will receive an email.\nWhen a new version is released, <a href=\"%2$s\" title=\"If you are logged in\">log in to the Dashboard</a> and follow the instructions.\nUpgrading is a couple of clicks!\n\nThen you can start enjoying the WordPress experience:\n<ul>\n<li>Edit at <a href=\"%3$s\">Users &#8250; Profile</a></li>\n<li>Start at <a href=\"%4$s\">Posts</a> and at <a href=\"%5$s\">Pages</a></li>\n</ul>\nTo keep this post for reference, <a href=\"%11$s\">click to edit it</a>, go to the Publish box.\n\nThank you for selecting WordPress.  We wish you happy publishing!\n\nPS.  Not yet subscribed?  <a href=\"%1$s\">Do it now!</a>\n";
        let expected = "<p>Welcome to WordPress!  This post contains important information.</p>\n<p>First things first:</p>\n<ul>\n<li><a href=\"%1$s\" title=\"Subscribe\">Subscribe</a></li>\n</ul>\n<p>As a subscriber, you will receive an email.<br />\nWhen a new version is released, <a href=\"%2$s\" title=\"If you are logged in\">log in to the Dashboard</a> and follow the instructions.<br />\nUpgrading is a couple of clicks!</p>\n<p>Then you can start enjoying the WordPress experience:</p>\n<ul>\n<li>Edit at <a href=\"%3$s\">Users &#8250; Profile</a></li>\n<li>Start at <a href=\"%4$s\">Posts</a> and at <a href=\"%5$s\">Pages</a></li>\n</ul>\n<p>To keep this post for reference, <a href=\"%11$s\">click to edit it</a>, go to the Publish box.</p>\n<p>Thank you for selecting WordPress.  We wish you happy publishing!</p>\n<p>PS.  Not yet subscribed?  <a href=\"%1$s\">Do it now!</a></p>\n";
        assert_eq!(comment_to_html(input), expected);
    }

    /// `test_param_embed_elements` (first case) and `test_skip_input_elements` from WordPress' tests.
    #[test]
    fn wordpress_object_and_input_tests() {
        let input = "\nParagraph one.\n\n<object width=\"400\" height=\"224\">\n\t<param name=\"src\" value=\"x.swf\" />\n\t<param name=\"allowfullscreen\" value=\"true\" />\n\n\t<embed width=\"400\" src=\"x.swf\" />\n</object>\n\nParagraph two.";
        let expected = "<p>Paragraph one.</p>\n<p><object width=\"400\" height=\"224\"><param name=\"src\" value=\"x.swf\" /><param name=\"allowfullscreen\" value=\"true\" /><embed width=\"400\" src=\"x.swf\" /></object></p>\n<p>Paragraph two.</p>";
        assert_eq!(autop(input).trim(), expected);

        let input = "Username: <input type=\"text\" id=\"username\" name=\"username\" /><br />Password: <input type=\"password\" id=\"password1\" name=\"password1\" />";
        assert_eq!(autop(input).trim(), format!("<p>{input}</p>"));
    }

    #[test]
    fn autop_newlines_inside_tags_and_scripts() {
        let input = "<a\nhref=\"x\">link</a> text\n<script>a = 1;\nb = 2;</script>";
        assert_eq!(
            autop(input),
            "<p><a\nhref=\"x\">link</a> text<br />\n<script>a = 1;\nb = 2;</script></p>\n"
        );
        assert_eq!(autop("  \n\t "), "");
        assert_eq!(autop("a<br />\nb"), "<p>a<br />\nb</p>\n");
        assert_eq!(autop("<blockquote>Quote</blockquote>"), "<blockquote><p>Quote</p></blockquote>\n");
    }

    #[test]
    fn block_post() {
        let raw = "<!-- wp:paragraph -->\n<p>Hello <strong>world</strong></p>\n<!-- /wp:paragraph -->\n\n\
                   <!-- wp:image {\"id\":12,\"sizeSlug\":\"large\"} -->\n<figure class=\"wp-block-image\">\
                   <img src=\"a.jpg\" alt=\"\"/></figure>\n<!-- /wp:image -->\n\n\
                   <!-- wp:latest-posts {\"postsToShow\":3} /-->\n\n\
                   <!-- wp:my-plugin/thing /-->\n\n<!-- wp:paragraph -->\n<p>Line\nbreak</p>\n<!-- /wp:paragraph -->";
        let (html, stats) = post(raw);
        assert_eq!(
            html,
            "<p>Hello <strong>world</strong></p>\n\n<figure class=\"wp-block-image\"><img src=\"a.jpg\" \
             alt=\"\"/></figure>\n\n\n\n<p>Line\nbreak</p>"
        );
        assert!(!html.contains("<!--"));
        assert!(!html.contains("<br"));
        assert_eq!(stats.block_documents, 1);
        assert_eq!(stats.classic_documents, 0);
        assert!(is_block_content(raw));
        assert!(!is_block_content("<p>Hi</p><!-- comment -->"));
    }

    #[test]
    fn block_shortcode_and_embed_blocks() {
        let raw = "<!-- wp:shortcode -->\n[audio src=\"https://x.test/a.mp3\"]\n<!-- /wp:shortcode -->\n\n\
                   <!-- wp:embed {\"url\":\"https://www.youtube.com/watch?v=abc\",\"type\":\"video\"} -->\n\
                   <figure class=\"wp-block-embed\"><div class=\"wp-block-embed__wrapper\">\n\
                   https://www.youtube.com/watch?v=abc\n</div></figure>\n<!-- /wp:embed -->";
        let (html, stats) = post(raw);
        assert!(
            html.starts_with("<p><a href=\"https://x.test/a.mp3\">https://x.test/a.mp3</a></p>"),
            "{html}"
        );
        assert!(html.contains(
            "<div class=\"wp-block-embed__wrapper\">\n<p><a href=\"https://www.youtube.com/watch?v=abc\">"
        ));
        assert_eq!(stats.converted.get("audio"), Some(&1));
        assert_eq!(stats.converted.get("embed"), Some(&1));
    }

    #[test]
    fn caption_shortcode() {
        let raw =
            "Before\n\n[caption id=\"attachment_5\" align=\"aligncenter\" width=\"300\"]<a href=\"big.jpg\">\
                   <img class=\"size-medium\" src=\"small.jpg\" alt=\"\" width=\"300\" height=\"200\" /></a> \
                   A caption with <em>style</em>[/caption]\n\nAfter";
        let (html, stats) = post(raw);
        assert_eq!(
            html,
            "<p>Before</p>\n<figure class=\"wp-caption aligncenter\"><a href=\"big.jpg\"><img \
             class=\"size-medium\" src=\"small.jpg\" alt=\"\" width=\"300\" height=\"200\" /></a>\
             <figcaption>A caption with <em>style</em></figcaption></figure>\n<p>After</p>\n"
        );
        assert_eq!(stats.converted.get("caption"), Some(&1));

        // Legacy caption attribute, default alignment.
        let (html, _) = post("[caption caption=\"Old style\"]<img src=\"a.jpg\" />[/caption]");
        assert_eq!(
            html,
            "<figure class=\"wp-caption alignnone\"><img src=\"a.jpg\" /><figcaption>Old \
             style</figcaption></figure>\n"
        );
        // No caption text: just the image.
        let (html, _) = post("[caption]<img src=\"a.jpg\" />[/caption]");
        assert_eq!(html, "<p><img src=\"a.jpg\" /></p>\n");
    }

    #[test]
    fn embed_and_media_shortcodes() {
        let raw = "Intro\n\n[embed]https://vimeo.com/123[/embed]\n\nhttps://twitter.com/x/status/1\n\n\
                   [video width=\"640\" mp4=\"https://x.test/v.mp4\"][/video]\n\n[gallery ids=\"1,2,3\"]\n\n\
                   [youtube https://www.youtube.com/watch?v=q&amp;t=1]\n\n[audio]";
        let (html, stats) = post(raw);
        assert_eq!(
            html,
            "<p>Intro</p>\n<p><a href=\"https://vimeo.com/123\">https://vimeo.com/123</a></p>\n\
             <p><a href=\"https://twitter.com/x/status/1\">https://twitter.com/x/status/1</a></p>\n\
             <p><a href=\"https://x.test/v.mp4\">https://x.test/v.mp4</a></p>\n\
             <p><a href=\"https://www.youtube.com/watch?v=q&amp;t=1\">https://www.youtube.com/watch?v=q&amp;t=1</a></p>\n"
        );
        assert_eq!(stats.converted.get("embed"), Some(&2));
        assert_eq!(stats.converted.get("video"), Some(&1));
        assert_eq!(stats.converted.get("youtube"), Some(&1));
        assert_eq!(stats.removed.get("gallery"), Some(&1));
        assert_eq!(stats.removed.get("audio"), Some(&1));
    }

    #[test]
    fn unknown_shortcodes_removed() {
        let (html, stats) =
            post("Hello [my_widget id=\"3\"] world.\n\n[highlight color=\"red\"]Keep <b>me</b>[/highlight]");
        assert_eq!(html, "<p>Hello  world.</p>\n<p>Keep <b>me</b></p>\n");
        assert_eq!(stats.removed.get("my_widget"), Some(&1));
        assert_eq!(stats.removed.get("highlight"), Some(&1));

        // Enclosing without attributes, self-closing with a known name, nested shortcodes.
        let (html, stats) =
            post("[box][vc_row][vc_column width=\"1/2\"]Text[/vc_column][/vc_row][/box] [contact-form-7 /]");
        assert_eq!(html, "<p>Text </p>\n");
        assert_eq!(stats.removed.get("box"), Some(&1));
        assert_eq!(stats.removed.get("vc_row"), Some(&1));
        assert_eq!(stats.removed.get("vc_column"), Some(&1));
        assert_eq!(stats.removed.get("contact-form-7"), Some(&1));
    }

    #[test]
    fn escaped_shortcodes() {
        let (html, stats) = post("Use [[gallery]] or [[caption]x[/caption]] or [[foo id=1]].");
        assert_eq!(html, "<p>Use [gallery] or [caption]x[/caption] or [foo id=1].</p>\n");
        assert!(stats.removed.is_empty() && stats.converted.is_empty());
    }

    #[test]
    fn prose_brackets_untouched() {
        let raw = "As noted [1], he said [sic] it [citation needed]. See [a] and [x] done, [Update: fixed] \
                   and [...] and [[Wiki Link]] and a[i] = b[j]; [note a = b]. [Table 1] [Source: AP] \
                   [VIDEO] [code] [1/2] [x]: [[x]] [_a] [a-b c]";
        let (html, stats) = post(raw);
        assert_eq!(html, format!("<p>{raw}</p>\n"));
        assert!(stats.removed.is_empty());
    }

    #[test]
    fn shortcodes_inside_code_pre_and_tags_untouched() {
        let raw = "Type <code>[gallery ids=\"1\"]</code> or <code class=\"x\">[foo]bar[/foo]</code>.\n\n\
                   <a title=\"[my_widget id=1]\" href=\"#\">x</a>";
        let (html, stats) = post(raw);
        assert_eq!(html, format!("<p>{}</p>\n", raw.replace("\n\n", "</p>\n<p>")));
        assert!(stats.removed.is_empty());
        // Block content too.
        let raw = "<!-- wp:code -->\n<pre class=\"wp-block-code\"><code>[embed]https://x.test[/embed]\n\
                   https://x.test</code></pre>\n<!-- /wp:code -->";
        let (html, stats) = post(raw);
        assert_eq!(
            html,
            "<pre class=\"wp-block-code\"><code>[embed]https://x.test[/embed]\nhttps://x.test</code></pre>"
        );
        assert!(stats.converted.is_empty());
    }

    #[test]
    fn non_ascii_and_emoji() {
        let (html, stats) =
            post("Ünïcödé — 日本語 😀\nnext\u{a0}line\n\n[caption]<img src=\"é.jpg\">Légende 🎉[/caption]");
        assert_eq!(
            html,
            "<p>Ünïcödé — 日本語 😀<br />\nnext\u{a0}line</p>\n<figure class=\"wp-caption alignnone\">\
             <img src=\"é.jpg\"><figcaption>Légende 🎉</figcaption></figure>\n"
        );
        assert_eq!(stats.converted.get("caption"), Some(&1));
        let (html, _) = post("a \u{E000}0\u{E001} b <code>x</code>");
        assert_eq!(html, "<p>a &#57344;0\u{E001} b <code>x</code></p>\n");
    }

    #[test]
    fn more_tag_removed() {
        let (html, _) = post("Teaser\n\n<!--more-->\n\nRest<!--nextpage-->Page 2");
        assert_eq!(html, "<p>Teaser</p>\n<p>RestPage 2</p>\n");
    }

    #[test]
    fn stats_merge() {
        let (_, a) = post("[gallery] [caption]<img src=x>t[/caption]");
        let (_, b) = post("<!-- wp:x /-->[gallery]");
        let mut total = ContentStats::default();
        total.merge(&a);
        total.merge(&b);
        assert_eq!(total.removed.get("gallery"), Some(&2));
        assert_eq!(total.converted.get("caption"), Some(&1));
        assert_eq!((total.block_documents, total.classic_documents), (1, 1));
    }

    fn mapper(path: &str) -> Option<String> {
        match path {
            "/2019/03/04/hello/" => Some("/posts/hello".to_string()),
            "/?p=12&x=1" => Some("/posts/twelve?a=1&b=2".to_string()),
            "/category/news/" => Some("https://new.test/c/news".to_string()),
            "/" => Some("/".to_string()),
            _ => None,
        }
    }

    #[test]
    fn link_rewriting() {
        let bases = vec!["https://old.example.com".to_string()];
        let html = "<p><a href=\"http://old.example.com/2019/03/04/hello/#comments\">a</a> \
                    <a class='x' href='https://www.old.example.com/?p=12&amp;x=1'>b</a> \
                    <a href=\"//OLD.example.com/category/news/\">c</a> \
                    <img src=\"https://old.example.com/unknown.jpg\"> \
                    <a href=\"https://other.example.com/2019/03/04/hello/\">d</a> \
                    <a href=\"https://old.example.community/\">e</a> \
                    <a href=\"/2019/03/04/hello/\">relative</a> \
                    <a href=\"https://old.example.com\">home</a></p>\
                    <p>href=\"https://old.example.com/\" in text</p>";
        let (out, count) = rewrite_links(html, &bases, mapper);
        assert_eq!(
            out,
            "<p><a href=\"/posts/hello#comments\">a</a> \
             <a class='x' href='/posts/twelve?a=1&amp;b=2'>b</a> \
             <a href=\"https://new.test/c/news\">c</a> \
             <img src=\"https://old.example.com/unknown.jpg\"> \
             <a href=\"https://other.example.com/2019/03/04/hello/\">d</a> \
             <a href=\"https://old.example.community/\">e</a> \
             <a href=\"/2019/03/04/hello/\">relative</a> \
             <a href=\"/\">home</a></p>\
             <p>href=\"https://old.example.com/\" in text</p>"
        );
        assert_eq!(count, 4);
    }

    #[test]
    fn link_rewriting_subdirectory_base() {
        let bases =
            vec!["http://www.old.example.com/blog/".to_string(), "http://old.example.com".to_string()];
        let seen = std::cell::RefCell::new(Vec::new());
        let html = "<a href=\"https://old.example.com/blog/2019/03/04/hello/\">a</a>\
                    <a href=\"https://old.example.com/blog?p=12\">b</a>\
                    <a href=\"https://old.example.com/blogger/\">c</a>\
                    <a href=\"https://old.example.com/blog\">d</a>";
        let (_, count) = rewrite_links(html, &bases, |p| {
            seen.borrow_mut().push(p.to_string());
            None
        });
        assert_eq!(count, 0);
        assert_eq!(*seen.borrow(), vec!["/blog/2019/03/04/hello/", "/blog?p=12", "/blogger/", "/blog"]);

        let blog_mapper = |p: &str| match p {
            "/blog/2019/03/04/hello/" => Some("/posts/hello".to_string()),
            "/blog" => Some("/".to_string()),
            _ => None,
        };
        let (out, count) = rewrite_links(html, &bases[..1], blog_mapper);
        assert_eq!(count, 2);
        assert!(out.starts_with("<a href=\"/posts/hello\">a</a>"));
        assert!(out.ends_with("<a href=\"/\">d</a>"));
        assert_eq!(rewrite_links(html, &[], mapper), (html.to_string(), 0));
    }

    #[test]
    fn comment_autop() {
        assert_eq!(
            comment_to_html("Great post!\nThanks.\n\nSecond para"),
            "<p>Great post!<br />\nThanks.</p>\n<p>Second para</p>\n"
        );
        assert_eq!(comment_to_html("[gallery] stays"), "<p>[gallery] stays</p>\n");
        assert_eq!(comment_to_html(""), "");
        assert_eq!(comment_to_html("Line\r\nbreak"), "<p>Line<br />\nbreak</p>\n");
    }

    #[test]
    fn fuzz_never_panics() {
        let pieces = [
            "<",
            ">",
            "[",
            "]",
            "/",
            "\n",
            " ",
            "\"",
            "'",
            "=",
            "a",
            "p",
            "pre",
            "code",
            "caption",
            "embed",
            "!--",
            "-->",
            "wp:",
            "/wp:",
            "{",
            "}",
            "http://x.y",
            "é",
            "😀",
            "\r",
            "\u{E000}",
            "\u{E001}",
            "[[",
            "]]",
            "&",
            "&amp;",
            "br",
            "li",
            "img ",
            "#",
            "?",
            "www.",
            "<!-- wp:p -->",
            "[/a]",
            "[/caption]",
        ];
        let mut seed: u64 = 0x2545_F491_4F6C_DD1D;
        let mut next = || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        let bases = vec!["http://x.y".to_string(), "https://www.a/b".to_string()];
        let mut stats = ContentStats::default();
        for _ in 0..3000 {
            let len = (next() % 80) as usize;
            let s: String = (0..len).map(|_| pieces[(next() % pieces.len() as u64) as usize]).collect();
            let _ = post_to_html(&s, &mut stats);
            let _ = comment_to_html(&s);
            let _ = rewrite_links(&s, &bases, |p| Some(format!("/n{p}")));
        }
        assert_eq!(stats.block_documents + stats.classic_documents, 3000);
    }

    #[test]
    fn performance_smoke() {
        let para = "Some text with a [1] reference and <a href=\"http://old.example.com/x/\">link</a>.\n";
        let doc = format!("{}\n\n[caption]<img src=\"a.jpg\">c[/caption]\n", para.repeat(20)).repeat(10);
        let start = std::time::Instant::now();
        let mut stats = ContentStats::default();
        for _ in 0..200 {
            let html = post_to_html(&doc, &mut stats);
            let _ = rewrite_links(&html, &["http://old.example.com".to_string()], |p| Some(p.to_string()));
        }
        // Pathological input stays fast (no quadratic rescans for closing tags).
        let nasty = "[a][b x=1][caption]".repeat(5000);
        let _ = post_to_html(&nasty, &mut stats);
        assert!(start.elapsed().as_secs() < 20);
    }
}
