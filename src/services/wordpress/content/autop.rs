//! WordPress's wpautop: paragraphs and line breaks for classic-editor text, as PHP does it.

use super::*;

/// PHP's `trim()` character list.
pub(super) const PHP_TRIM: &[char] = &[' ', '\t', '\n', '\r', '\0', '\x0B'];

pub(super) fn replace(re: &Regex, text: &str, replacement: &str) -> String {
    re.replace_all(text, replacement).into_owned()
}

/// Port of `wpautop( $text, $br = true )`, step by step as WordPress runs it.
pub(super) fn autop(input: &str) -> String {
    if input.trim_matches(PHP_TRIM).is_empty() {
        return String::new();
    }
    // Just to make things a little easier, pad the end.
    let (text, pre_tags) = hide_pre(format!("{input}\n"));
    let text = collapse_inside_elements(separate_blocks(text));
    let text = insert_line_breaks(tidy_paragraphs(wrap_paragraphs(text)));
    restore_pre(text, &pre_tags)
}

/// Pre tags shouldn't be touched by autop: they become placeholders (same logic as WordPress,
/// including dropping a stray `</pre>` without an opening tag).
fn hide_pre(mut text: String) -> (String, Vec<String>) {
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

    (text, pre_tags)
}

/// Line breaks around block-level tags, one newline style, newlines inside tags hidden.
fn separate_blocks(mut text: String) -> String {
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

    text
}

/// No paragraphs inside <option>, <object>, <audio>/<video> and <figcaption>.
fn collapse_inside_elements(mut text: String) -> String {
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

    text
}

fn wrap_paragraphs(mut text: String) -> String {
    // Remove more than two contiguous line breaks, split into paragraphs and wrap each one in <p>.
    text = replace(&RE_MANY_NEWLINES, &text, "\n\n");
    let mut wrapped = String::with_capacity(text.len() + 64);
    for chunk in RE_PARAGRAPH_SPLIT.split(&text).filter(|c| !c.is_empty()) {
        wrapped.push_str("<p>");
        wrapped.push_str(chunk.trim_matches('\n'));
        wrapped.push_str("</p>\n");
    }
    text = wrapped;

    text
}

/// Paragraphs that wrap block tags, or are empty, put right.
fn tidy_paragraphs(mut text: String) -> String {
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

    text
}

fn insert_line_breaks(mut text: String) -> String {
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

    text
}

fn restore_pre(mut text: String, pre_tags: &[String]) -> String {
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
pub(super) fn newlines_to_br(text: &str) -> String {
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
