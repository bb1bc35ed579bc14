//! Markdown -> HTML -> ammonia. `SafeHtml` is the only thing templates print unescaped,
//! and only the functions here can build one.

use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

use pulldown_cmark::{html, Event, Options, Parser, Tag, TagEnd};
use serde::Serialize;

use crate::db::enums::{BodyFormat, CommentFormat};

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
    html::push_html(&mut raw, Parser::new_ext(markdown, article_options()));
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
        tag_attributes.insert("section", HashSet::from(["class"]));
        tag_attributes.insert("input", HashSet::from(["type", "checked", "disabled"]));
        tag_attributes.insert("th", HashSet::from(["style", "align"]));
        tag_attributes.insert("td", HashSet::from(["style", "align"]));
        builder.add_tag_attributes_from(tag_attributes);
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
    for event in Parser::new_ext(markdown, article_options()) {
        match event {
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
    let mut events = Vec::new();
    let mut in_link = 0usize;
    let mut in_code_block = false;
    for event in Parser::new_ext(text, Options::ENABLE_STRIKETHROUGH) {
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
        assert!(html.contains("footnote-reference"), "{html}");
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
