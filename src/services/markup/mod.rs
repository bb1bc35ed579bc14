//! Markdown -> HTML -> ammonia. `SafeHtml` is the only thing templates print unescaped,
//! and only the functions here can build one.

use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

use pulldown_cmark::{html, Event, Options, Parser, Tag, TagEnd};
use serde::Serialize;

use crate::db::enums::{BodyFormat, CommentFormat};

mod footnotes;

/// HTML that went through an ammonia policy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct SafeHtml(String);

impl SafeHtml {
    pub fn as_str(&self) -> &str {
        &self.0
    }
    pub fn into_string(self) -> String {
        self.0
    }
    /// For HTML this module produced earlier and the database stored (already cleaned).
    pub fn from_stored(html: String) -> SafeHtml {
        SafeHtml(html)
    }
}

fn article_options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_SMART_PUNCTUATION
        | Options::ENABLE_HEADING_ATTRIBUTES
}

/// Owner-written article Markdown. Trusted, but still cleaned with a generous allowlist so a
/// pasted `<script>` or `onclick` from elsewhere cannot run on the site.
pub fn render_article(markdown: &str) -> SafeHtml {
    let mut raw = String::with_capacity(markdown.len() * 3 / 2);
    let events = footnotes::place_at_end(Parser::new_ext(markdown, article_options()));
    html::push_html(&mut raw, events.into_iter());
    SafeHtml(article_cleaner().clean(&raw).to_string())
}

/// An article body in its stored format: Markdown written here, or HTML brought over from
/// WordPress (already converted from its editor formats by the importer).
pub fn render_body(format: BodyFormat, source: &str) -> SafeHtml {
    match format {
        BodyFormat::Markdown => render_article(source),
        BodyFormat::Html => SafeHtml(article_cleaner().clean(source).to_string()),
    }
}

fn article_cleaner() -> &'static ammonia::Builder<'static> {
    static CLEANER: OnceLock<ammonia::Builder<'static>> = OnceLock::new();
    CLEANER.get_or_init(|| {
        let mut builder = ammonia::Builder::default();
        let extra_tags = ["figure", "figcaption", "section", "aside", "mark", "details", "summary", "input"];
        builder.add_tags(extra_tags);
        let mut tag_attributes: HashMap<&str, HashSet<&str>> = HashMap::new();
        for heading in ["h1", "h2", "h3", "h4", "h5", "h6"] {
            tag_attributes.insert(heading, HashSet::from(["id"]));
        }
        tag_attributes.insert("div", HashSet::from(["class", "id"]));
        tag_attributes.insert("figure", HashSet::from(["class"]));
        tag_attributes.insert("sup", HashSet::from(["class", "id"]));
        tag_attributes.insert("code", HashSet::from(["class"]));
        tag_attributes.insert("section", HashSet::from(["class", "aria-label"]));
        // Footnotes: the list items are link targets, the citations and back-links too.
        tag_attributes.insert("li", HashSet::from(["id"]));
        tag_attributes.insert("a", HashSet::from(["id", "aria-label"]));
        tag_attributes.insert("input", HashSet::from(["type", "checked", "disabled"]));
        tag_attributes.insert("th", HashSet::from(["style", "align"]));
        tag_attributes.insert("td", HashSet::from(["style", "align"]));
        builder.add_tag_attributes_from(tag_attributes);
        // Only this class on links (a class list, not any class: ammonia keeps them apart).
        builder.add_allowed_classes("a", &["footnote-back"]);
        builder.filter_style_properties(HashSet::from(["text-align"]));
        builder.url_schemes(HashSet::from(["http", "https", "mailto"]));
        builder.link_rel(Some("noopener"));
        builder
    })
}

trait AddTagAttributes {
    fn add_tag_attributes_from(&mut self, map: HashMap<&'static str, HashSet<&'static str>>);
}

impl AddTagAttributes for ammonia::Builder<'static> {
    fn add_tag_attributes_from(&mut self, map: HashMap<&'static str, HashSet<&'static str>>) {
        for (tag, attributes) in map {
            self.add_tag_attributes(tag, attributes);
        }
    }
}

/// Plain text of the first paragraph, cut at a word boundary to at most `max_chars` characters.
pub fn excerpt(markdown: &str, max_chars: usize) -> String {
    let mut text = String::new();
    let mut in_paragraph = false;
    // A footnote's text is not the article's first paragraph.
    let mut in_note = 0usize;
    for event in Parser::new_ext(markdown, article_options()) {
        match event {
            Event::Start(Tag::FootnoteDefinition(_)) => in_note += 1,
            Event::End(TagEnd::FootnoteDefinition) => in_note = in_note.saturating_sub(1),
            _ if in_note > 0 => {}
            Event::Start(Tag::Paragraph) => in_paragraph = true,
            Event::End(TagEnd::Paragraph) if !text.trim().is_empty() => break,
            Event::End(TagEnd::Paragraph) => in_paragraph = false,
            Event::Text(t) | Event::Code(t) if in_paragraph => text.push_str(&t),
            Event::SoftBreak | Event::HardBreak if in_paragraph => text.push(' '),
            _ => {}
        }
    }
    truncate_words(text.split_whitespace().collect::<Vec<_>>().join(" ").as_str(), max_chars)
}

/// Plain text of cleaned HTML (tags dropped, entities decoded), cut like `excerpt`.
pub fn excerpt_html(html: &str, max_chars: usize) -> String {
    let mut text = String::with_capacity(html.len().min(4 * max_chars));
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => {
                in_tag = true;
                text.push(' ');
            }
            '>' if in_tag => in_tag = false,
            c if !in_tag => text.push(c),
            _ => {}
        }
        // Enough text for the excerpt (entities make the raw text longer than the result).
        if text.len() > max_chars * 8 {
            break;
        }
    }
    let text = text.replace("&nbsp;", " ");
    let decoded = quick_xml::escape::unescape(&text).map(|t| t.into_owned()).unwrap_or(text);
    truncate_words(decoded.split_whitespace().collect::<Vec<_>>().join(" ").as_str(), max_chars)
}

/// Cuts `text` to at most `max_chars` characters at a word boundary, adding an ellipsis.
pub fn truncate_words(text: &str, max_chars: usize) -> String {
    if text.chars().count() <= max_chars {
        return text.to_string();
    }
    let cut: String = text.chars().take(max_chars.saturating_sub(1)).collect();
    let at_word = match cut.rfind(' ') {
        Some(space) if space > 0 => &cut[..space],
        _ => cut.as_str(),
    };
    format!("{}…", at_word.trim_end_matches([',', ';', ':', '.', ' ']))
}

/// A reader's comment, rendered and cleaned, with the number of links it carries.
#[derive(Debug, Clone)]
pub struct RenderedComment {
    pub html: SafeHtml,
    pub links: usize,
}

/// Reader comments: a small Markdown subset (paragraphs, line breaks, emphasis, code, quotes,
/// links, lists). Raw HTML is shown as text, bare URLs become links, and the result passes a
/// strict ammonia allowlist: no images, styles, event handlers or iframes; links only
/// http/https/mailto, each `rel="nofollow ugc noopener"`.
pub fn render_comment(text: &str) -> RenderedComment {
    // The parser also ends a line at a lone `\r`: one line ending, so the bound sees every line.
    let text: std::borrow::Cow<'_, str> =
        if text.contains('\r') { text.replace("\r\n", "\n").replace('\r', "\n").into() } else { text.into() };
    let text = bound_nesting(&text);
    let mut events = Vec::new();
    let mut in_link = 0usize;
    let mut in_code_block = false;
    for event in Parser::new_ext(&text, Options::ENABLE_STRIKETHROUGH) {
        match event {
            Event::Start(Tag::Link { .. }) => {
                in_link += 1;
                events.push(event);
            }
            Event::End(TagEnd::Link) => {
                in_link = in_link.saturating_sub(1);
                events.push(event);
            }
            Event::Start(Tag::CodeBlock(_)) => {
                in_code_block = true;
                events.push(event);
            }
            Event::End(TagEnd::CodeBlock) => {
                in_code_block = false;
                events.push(event);
            }
            // Typed HTML is shown as typed, never interpreted.
            Event::Html(raw) | Event::InlineHtml(raw) => events.push(Event::Text(raw)),
            Event::SoftBreak => events.push(Event::HardBreak),
            Event::Text(t) if in_link == 0 && !in_code_block => autolink(&t, &mut events),
            other => events.push(other),
        }
    }
    let mut raw = String::with_capacity(text.len() * 3 / 2);
    html::push_html(&mut raw, events.into_iter());
    let clean = comment_cleaner().clean(&raw).to_string();
    let links = clean.matches("<a href=").count();
    RenderedComment { html: SafeHtml(clean), links }
}

/// Quotes and lists nest at most this deep in a comment; deeper markers are shown as text.
pub const MAX_COMMENT_NESTING: usize = 32;

/// Escapes the block markers (`>`, `-`, `+`, `*`, `1.`) past `MAX_COMMENT_NESTING` on each
/// line, so they read as text. The parser's cost grows with the square of nesting depth:
/// a 64 KB line of `"- "` took seconds before this bound.
fn bound_nesting(text: &str) -> std::borrow::Cow<'_, str> {
    let mut out: Option<String> = None;
    let mut line_start = 0;
    for line in text.split_inclusive('\n') {
        if let Some(cut) = excess_marker(line) {
            let out = out.get_or_insert_with(|| {
                let mut s = String::with_capacity(text.len() + 64);
                s.push_str(&text[..line_start]);
                s
            });
            out.push_str(&line[..cut]);
            out.push('\\');
            out.push_str(&line[cut..]);
        } else if let Some(out) = out.as_mut() {
            out.push_str(line);
        }
        line_start += line.len();
    }
    match out {
        Some(bounded) => std::borrow::Cow::Owned(bounded),
        None => std::borrow::Cow::Borrowed(text),
    }
}

/// Byte offset of the first container marker on `line` past the nesting limit, if any.
fn excess_marker(line: &str) -> Option<usize> {
    let bytes = line.as_bytes();
    let mut at = 0;
    let mut depth = 0;
    loop {
        while at < bytes.len() && (bytes[at] == b' ' || bytes[at] == b'\t') {
            at += 1;
        }
        let marker_len = match bytes.get(at) {
            Some(b'>') => 1,
            Some(b'-' | b'+' | b'*') if is_gap(bytes.get(at + 1)) => 1,
            Some(b'0'..=b'9') => {
                let digits = bytes[at..].iter().take(10).take_while(|b| b.is_ascii_digit()).count();
                match bytes.get(at + digits) {
                    Some(b'.' | b')') if digits <= 9 && is_gap(bytes.get(at + digits + 1)) => digits + 1,
                    _ => return None,
                }
            }
            _ => return None,
        };
        depth += 1;
        if depth > MAX_COMMENT_NESTING {
            return Some(at);
        }
        at += marker_len;
    }
}

fn is_gap(byte: Option<&u8>) -> bool {
    matches!(byte, None | Some(b' ' | b'\t' | b'\n' | b'\r'))
}

/// A comment as WordPress stored it (HTML without paragraphs): WordPress's paragraphs, then
/// the same strict allowlist as a reader's comment, so an old `<script>` can never run.
pub fn render_imported_comment(raw: &str) -> RenderedComment {
    let html = crate::services::wordpress::content::comment_to_html(raw);
    let clean = comment_cleaner().clean(&html).to_string();
    let links = clean.matches("<a href=").count();
    RenderedComment { html: SafeHtml(clean), links }
}

/// A comment in its stored format.
pub fn render_comment_as(format: CommentFormat, source: &str) -> RenderedComment {
    match format {
        CommentFormat::Text => render_comment(source),
        CommentFormat::Html => render_imported_comment(source),
    }
}

/// Splits text into plain runs and links for bare URLs and email addresses.
fn autolink<'a>(text: &str, events: &mut Vec<Event<'a>>) {
    let finder = linkify::LinkFinder::new();
    for span in finder.spans(text) {
        let piece = span.as_str().to_string();
        let href = match span.kind() {
            Some(linkify::LinkKind::Url) => piece.clone(),
            Some(linkify::LinkKind::Email) => format!("mailto:{piece}"),
            _ => {
                events.push(Event::Text(piece.into()));
                continue;
            }
        };
        events.push(Event::Start(Tag::Link {
            link_type: pulldown_cmark::LinkType::Autolink,
            dest_url: href.into(),
            title: "".into(),
            id: "".into(),
        }));
        events.push(Event::Text(piece.into()));
        events.push(Event::End(TagEnd::Link));
    }
}

fn comment_cleaner() -> &'static ammonia::Builder<'static> {
    static CLEANER: OnceLock<ammonia::Builder<'static>> = OnceLock::new();
    CLEANER.get_or_init(|| {
        let mut builder = ammonia::Builder::empty();
        builder
            .tags(HashSet::from([
                "p",
                "br",
                "em",
                "strong",
                "del",
                "code",
                "pre",
                "blockquote",
                "a",
                "ul",
                "ol",
                "li",
            ]))
            .tag_attributes(HashMap::from([("a", HashSet::from(["href"]))]))
            .url_schemes(HashSet::from(["http", "https", "mailto"]))
            .url_relative(ammonia::UrlRelative::Deny)
            .link_rel(Some("nofollow ugc noopener"))
            .clean_content_tags(HashSet::from([
                "script", "style", "iframe", "object", "svg", "math", "template",
            ]));
        builder
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_excerpts_are_plain_text() {
        assert_eq!(excerpt_html("<p>Fish &amp; <em>chips</em></p><p>more</p>", 200), "Fish & chips more");
    }

    #[test]
    fn article_markdown_keeps_tables_footnotes_and_strikethrough() {
        let html = render_article("| a | b |\n|---|---|\n| 1 | 2 |\n\n~~old~~ new[^1]\n\n[^1]: note\n");
        let html = html.as_str();
        assert!(html.contains("<table>"), "{html}");
        assert!(html.contains("<del>old</del>"), "{html}");
        assert!(html.contains("<sup class=\"footnote-ref\">"), "{html}");
    }

    #[test]
    fn footnotes_are_numbered_links_to_a_list_after_a_rule_with_links_back() {
        let md = "Claim[^src] and more[^x], again[^src].\n\n[^src]: The *source*.\n\n\
                  Middle text.\n\n[^x]: Other.\n\n[^unused]: Never cited.\n\nEnd [^none].\n";
        let html = render_article(md).into_string();
        let cite = |n: &str, id: &str| format!("<sup class=\"footnote-ref\"><a href=\"#fn-{n}\" id=\"{id}\"");
        assert!(html.contains(&cite("1", "fnref-1")) && html.contains(&cite("2", "fnref-2")), "{html}");
        assert!(html.contains(&cite("1", "fnref-1-2")), "a second citation has its own id: {html}");
        let (text, notes) = html.split_once("<section class=\"footnotes\"").expect(&html);
        assert!(text.contains("Middle text") && text.contains("End [^none]."), "{html}");
        assert!(!text.contains("The <em>source</em>"), "no note left where it was written: {html}");
        assert!(notes.contains("<hr>") && notes.contains("<ol>"), "{notes}");
        let first = notes.find("<li id=\"fn-1\">").expect(notes);
        let second = notes.find("<li id=\"fn-2\">").expect(notes);
        assert!(first < second && notes.contains("The <em>source</em>."), "{notes}");
        assert!(notes.contains("<a href=\"#fnref-1\" class=\"footnote-back\""), "{notes}");
        assert!(notes.contains("<a href=\"#fnref-1-2\" class=\"footnote-back\""), "{notes}");
        assert!(notes.contains("↩</a></p>"), "the back-link ends the note's paragraph: {notes}");
        assert!(!html.contains("Never cited"), "an uncited note is left out, as on GitHub: {html}");
        assert!(!html.contains("id=\"src\""), "labels are not ids: {html}");
        assert_eq!(excerpt(md, 200), "Claim and more, again.");
    }

    #[test]
    fn footnote_markup_lets_no_other_ids_classes_or_handlers_through() {
        let md = "<a href=\"#x\" class=\"evil\" onclick=\"y\">a</a> <li id=\"z\" class=\"w\">b</li>";
        let html = render_article(md).into_string();
        assert!(
            !html.contains("evil") && !html.contains("onclick") && !html.contains("class=\"w\""),
            "{html}"
        );
        // Comments keep their own small allowlist: no ids, no classes, no superscripts.
        let comment = render_comment("see[^1]\n\n[^1]: note <sup id=\"a\">x</sup>").html.into_string();
        assert!(!comment.contains("footnote") && !comment.contains("<sup"), "{comment}");
    }

    #[test]
    fn article_html_is_still_cleaned() {
        let html = render_article("hi <script>alert(1)</script><a href=\"javascript:x\" onclick=\"y\">l</a>");
        let html = html.as_str();
        assert!(!html.contains("<script"), "{html}");
        assert!(!html.contains("javascript:"), "{html}");
        assert!(!html.contains("onclick"), "{html}");
    }

    #[test]
    fn excerpt_takes_first_paragraph_as_plain_text() {
        let md = "# Title\n\nSMP or *small* micro pigmentation\nis common.\n\nSecond paragraph.";
        assert_eq!(excerpt(md, 200), "SMP or small micro pigmentation is common.");
    }

    #[test]
    fn excerpt_cuts_at_a_word_boundary() {
        let md = "one two three four five six";
        assert_eq!(excerpt(md, 12), "one two…");
        assert!(excerpt(md, 12).chars().count() <= 12);
    }

    #[test]
    fn comment_subset_renders_and_autolinks() {
        let c = render_comment(
            "Hi *there*\nsecond line\n\n> quoted\n\n- a\n- b\n\nsee https://example.org/x and `code`",
        );
        let html = c.html.as_str();
        assert!(html.contains("<em>there</em><br>"), "{html}");
        assert!(html.contains("<blockquote>"), "{html}");
        assert!(html.contains("<li>a</li>"), "{html}");
        assert!(html.contains("<a href=\"https://example.org/x\" rel=\"nofollow ugc noopener\">"), "{html}");
        assert!(html.contains("<code>code</code>"), "{html}");
        assert_eq!(c.links, 1);
    }

    #[test]
    fn comment_html_is_shown_as_text() {
        let c = render_comment("<b>bold</b> <script>alert(1)</script>");
        assert!(c.html.as_str().contains("&lt;b&gt;bold&lt;/b&gt;"), "{}", c.html.as_str());
        assert!(!c.html.as_str().contains("<script"));
    }

    #[test]
    fn comment_drops_images_and_bad_schemes() {
        let c = render_comment(
            "![x](https://e.org/i.png) [a](javascript:alert(1)) [b](/relative) [m](mailto:a@b.org)",
        );
        let html = c.html.as_str();
        assert!(!html.contains("<img"), "{html}");
        assert!(!html.contains("javascript"), "{html}");
        assert!(!html.contains("/relative"), "{html}");
        assert!(html.contains("mailto:a@b.org"), "{html}");
    }

    #[test]
    fn nesting_past_the_limit_is_shown_as_text() {
        let deep = format!("{}x", "> ".repeat(40));
        let html = render_comment(&deep).html.into_string();
        assert_eq!(html.matches("<blockquote>").count(), MAX_COMMENT_NESTING, "{html}");
        assert!(html.contains("&gt; &gt;"), "the rest is text: {html}");
        let list = format!("{}x", "- ".repeat(40));
        let html = render_comment(&list).html.into_string();
        assert_eq!(html.matches("<ul>").count(), MAX_COMMENT_NESTING);
        let ordered = format!("{}x", "1. ".repeat(40));
        assert_eq!(render_comment(&ordered).html.as_str().matches("<ol>").count(), MAX_COMMENT_NESTING);
        // A lone carriage return ends a line for the parser, so it does for the bound too.
        let after_cr = format!("x\r{}y", "- ".repeat(40));
        assert_eq!(render_comment(&after_cr).html.as_str().matches("<ul>").count(), MAX_COMMENT_NESTING);
        // Shallow text is untouched.
        assert!(matches!(bound_nesting("> a\n- b\n1. c"), std::borrow::Cow::Borrowed(_)));
    }

    #[test]
    fn hostile_64_kb_comments_render_quickly() {
        let patterns = [
            "- ".repeat(16_000) + "x",
            "x\r".to_string() + &"- ".repeat(16_000),
            "> \r".repeat(16_000),
            "> ".repeat(32_000) + "x",
            ">".repeat(64_000),
            "* ".repeat(16_000) + "x",
            "1. ".repeat(10_000) + "x",
            "- > ".repeat(8_000) + "x",
            "*a **".repeat(10_000),
            "[".repeat(30_000) + &"]".repeat(30_000),
            "[a](".repeat(15_000),
            "`".repeat(60_000),
            "<".repeat(60_000),
            "http://a.b/ ".repeat(5_000),
            (0..3_000).map(|i| format!("{}- x\n", "  ".repeat(i % 200))).collect::<String>(),
        ];
        for text in &patterns {
            let started = std::time::Instant::now();
            let rendered = render_comment(&text[..text.len().min(65_000)]);
            let took = started.elapsed();
            // Generous for unoptimized test builds; the bench holds the real target.
            assert!(took < std::time::Duration::from_secs(2), "{took:?} for {:?}", &text[..20]);
            assert!(!rendered.html.as_str().is_empty());
        }
    }

    #[test]
    fn code_is_not_autolinked() {
        let c = render_comment("`https://example.org`");
        assert_eq!(c.links, 0, "{}", c.html.as_str());
    }

    #[test]
    fn truncate_handles_multibyte_text() {
        assert_eq!(truncate_words("ąęść żółć", 6), "ąęść…");
        assert_eq!(truncate_words("short", 10), "short");
    }
}
