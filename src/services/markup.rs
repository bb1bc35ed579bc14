//! Markdown -> HTML -> ammonia. `SafeHtml` is the only thing templates print unescaped,
//! and only the functions here can build one.

use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

use pulldown_cmark::{html, Event, Options, Parser, Tag, TagEnd};
use serde::Serialize;

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

fn article_cleaner() -> &'static ammonia::Builder<'static> {
    static CLEANER: OnceLock<ammonia::Builder<'static>> = OnceLock::new();
    CLEANER.get_or_init(|| {
        let mut builder = ammonia::Builder::default();
        let extra_tags = [
            "figure",
            "figcaption",
            "section",
            "aside",
            "mark",
            "details",
            "summary",
            "input",
        ];
        builder.add_tags(extra_tags);
        let mut tag_attributes: HashMap<&str, HashSet<&str>> = HashMap::new();
        for heading in ["h1", "h2", "h3", "h4", "h5", "h6"] {
            tag_attributes.insert(heading, HashSet::from(["id"]));
        }
        tag_attributes.insert("div", HashSet::from(["class", "id"]));
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
    truncate_words(
        text.split_whitespace().collect::<Vec<_>>().join(" ").as_str(),
        max_chars,
    )
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

#[cfg(test)]
mod tests {
    use super::*;

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
    fn truncate_handles_multibyte_text() {
        assert_eq!(truncate_words("ąęść żółć", 6), "ąęść…");
        assert_eq!(truncate_words("short", 10), "short");
    }
}
