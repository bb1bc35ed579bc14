//! Footnotes in article Markdown: pulldown-cmark leaves each definition where it was written
//! with no separator (the "stray number"), and uses the author's label as an HTML id. Here
//! references become numbered superscript links, and the definitions one list at the end,
//! after a rule, each with links back to where it was cited. Ids are numbers (`fn-1`,
//! `fnref-1`), never the label. A loop over a work list: no recursion.

use std::collections::HashMap;

use pulldown_cmark::{CowStr, Event, Tag, TagEnd};

/// The article's events with footnotes moved to the end. A definition never cited is left
/// out (as GitHub does); a reference to no definition stays the text it was.
pub(super) fn place_at_end<'a>(events: impl Iterator<Item = Event<'a>>) -> Vec<Event<'a>> {
    let mut body = Vec::new();
    let mut definitions: HashMap<CowStr<'a>, Vec<Event<'a>>> = HashMap::new();
    // The definition being read, and how deep its own definitions go (GFM has none; be safe).
    let mut open: Option<(CowStr<'a>, usize)> = None;
    for event in events {
        match (&mut open, event) {
            (None, Event::Start(Tag::FootnoteDefinition(label))) => open = Some((label, 0)),
            (Some((_, depth)), event @ Event::Start(Tag::FootnoteDefinition(_))) => {
                *depth += 1;
                push_to(&mut definitions, &open, event);
            }
            (Some((label, 0)), Event::End(TagEnd::FootnoteDefinition)) => {
                definitions.entry(label.clone()).or_default();
                open = None;
            }
            (Some((_, depth)), event @ Event::End(TagEnd::FootnoteDefinition)) => {
                *depth -= 1;
                push_to(&mut definitions, &open, event);
            }
            (Some(_), event) => push_to(&mut definitions, &open, event),
            (None, event) => body.push(event),
        }
    }
    let mut notes = Notes { numbers: HashMap::new(), order: Vec::new(), cited: Vec::new() };
    let mut out: Vec<Event<'a>> = body.into_iter().map(|e| notes.cite(e, &definitions)).collect();
    if notes.order.is_empty() {
        return out;
    }
    out.push(Event::Html("<section class=\"footnotes\" aria-label=\"Footnotes\">\n<hr>\n<ol>\n".into()));
    // Notes cited inside notes are numbered as they are met, so `order` grows as it is read.
    let mut index = 0;
    while let Some(label) = notes.order.get(index).cloned() {
        index += 1;
        let number = index;
        out.push(Event::Html(format!("<li id=\"fn-{number}\">\n").into()));
        let mut note: Vec<Event<'a>> = definitions
            .get(&label)
            .into_iter()
            .flatten()
            .cloned()
            .map(|e| notes.cite(e, &definitions))
            .collect();
        let back = back_links(number, notes.cited[number - 1]);
        // Inside the note's last paragraph, as readers expect the arrow at the end of the text.
        if matches!(note.last(), Some(Event::End(TagEnd::Paragraph))) {
            note.insert(note.len() - 1, Event::InlineHtml(back.into()));
        } else {
            note.push(Event::Html(back.into()));
        }
        out.extend(note);
        out.push(Event::Html("</li>\n".into()));
    }
    out.push(Event::Html("</ol>\n</section>\n".into()));
    out
}

fn push_to<'a>(
    definitions: &mut HashMap<CowStr<'a>, Vec<Event<'a>>>,
    open: &Option<(CowStr<'a>, usize)>,
    event: Event<'a>,
) {
    if let Some((label, _)) = open {
        definitions.entry(label.clone()).or_default().push(event);
    }
}

struct Notes<'a> {
    numbers: HashMap<CowStr<'a>, usize>,
    order: Vec<CowStr<'a>>,
    /// How often each note (by number - 1) was cited so far.
    cited: Vec<usize>,
}

impl<'a> Notes<'a> {
    /// A reference as its superscript link (numbered on first citation), other events as they are.
    fn cite(&mut self, event: Event<'a>, definitions: &HashMap<CowStr<'a>, Vec<Event<'a>>>) -> Event<'a> {
        let Event::FootnoteReference(label) = event else { return event };
        if !definitions.contains_key(&label) {
            return Event::Text(format!("[^{label}]").into());
        }
        let number = match self.numbers.get(&label) {
            Some(&number) => number,
            None => {
                self.order.push(label.clone());
                self.cited.push(0);
                self.numbers.insert(label, self.order.len());
                self.order.len()
            }
        };
        self.cited[number - 1] += 1;
        let id = ref_id(number, self.cited[number - 1]);
        Event::InlineHtml(
            format!("<sup class=\"footnote-ref\"><a href=\"#fn-{number}\" id=\"{id}\">{number}</a></sup>")
                .into(),
        )
    }
}

/// The first citation of note 2 is `fnref-2`, the next `fnref-2-2`, ...
fn ref_id(number: usize, nth: usize) -> String {
    if nth <= 1 {
        format!("fnref-{number}")
    } else {
        format!("fnref-{number}-{nth}")
    }
}

/// One "↩" per citation (a note cited twice links back to both places).
fn back_links(number: usize, cited: usize) -> String {
    (1..=cited.max(1))
        .map(|nth| {
            let mark = if nth == 1 { "↩".to_string() } else { format!("↩<sup>{nth}</sup>") };
            format!(
                " <a href=\"#{}\" class=\"footnote-back\" aria-label=\"Back to the text\">{mark}</a>",
                ref_id(number, nth)
            )
        })
        .collect()
}
