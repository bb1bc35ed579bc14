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

mod autop;
mod links;
mod shortcodes;
#[cfg(test)]
mod tests;

use autop::*;
pub use links::rewrite_links;
use shortcodes::*;

// Regexes (compiled once).

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

// Protection of <pre>/<code>, block delimiters, auto-embeds.

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
