//! Streaming reader for WordPress eXtended RSS (WXR) exports.
//!
//! WXR is what WordPress' "Tools > Export" writes: an RSS 2.0 document whose `<channel>` holds
//! the site settings (`wp:wxr_version`, `wp:base_site_url`, ...), then `<wp:author>`,
//! `<wp:category>`, `<wp:tag>` and `<wp:term>` entries, then one `<item>` per post, page,
//! attachment, menu item, etc. Elements are matched by their qualified name exactly as WordPress
//! writes them (`wp:post_id`, `content:encoded`, ...), which is also what the official importer
//! does, whatever namespace URI version (1.0, 1.1, 1.2) the file declares.
//!
//! Format notes the parser relies on:
//! - Text values are usually CDATA sections; a literal `]]>` inside a value is written as
//!   `]]]]><![CDATA[>`, so an element's text is the concatenation of all its text and CDATA pieces.
//! - Item terms are `<category domain="category|post_tag|..." nicename="slug">Name</category>`.
//!   WXR 1.0 also wrote a duplicate `<category>Name</category>` without attributes (skipped, as the
//!   importer does) and used the domain `tag` for post tags (reported here as `post_tag`).
//! - WXR 1.0 files (WordPress before 3.1) usually have no `<wp:author>` entries and no
//!   `<wp:term_id>` in channel terms (both came with 1.1). In every version a category's parent is
//!   given as the parent's slug, not its id.
//! - `wp:base_blog_url` falls back to `wp:base_site_url` when missing (importer behaviour).
//!
//! Line endings and every byte of text and CDATA content are kept as written (no `\r\n`
//! normalisation), so content survives byte-exact.

use std::fmt;
use std::io::{BufRead, Read};

use quick_xml::escape::resolve_predefined_entity;
use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;

/// The WXR versions WordPress has written and this reader accepts.
pub const SUPPORTED_VERSIONS: [&str; 3] = ["1.0", "1.1", "1.2"];

#[derive(Debug, Clone, Default, PartialEq)]
pub struct WxrChannel {
    pub title: String,
    pub link: String,
    /// The channel `<description>` (the site tagline).
    pub description: String,
    pub language: String,
    pub base_site_url: String,
    /// Falls back to `base_site_url` when the file has no `<wp:base_blog_url>`.
    pub base_blog_url: String,
    pub wxr_version: String,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct WxrAuthor {
    pub id: Option<i64>,
    pub login: String,
    pub email: String,
    pub display_name: String,
    pub first_name: String,
    pub last_name: String,
}

/// A channel-level <wp:category> (slug=category_nicename, name=cat_name, parent=category_parent) or
/// <wp:tag> (tag_slug, tag_name) or <wp:term>.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct WxrTerm {
    pub term_id: Option<i64>,
    /// `category` for `<wp:category>`, `post_tag` for `<wp:tag>`, `<wp:term_taxonomy>` for `<wp:term>`.
    pub taxonomy: String,
    pub slug: String,
    pub name: String,
    /// The parent's slug (`wp:category_parent` / `wp:term_parent`); `None` when empty or missing.
    pub parent: Option<String>,
    pub description: String,
    /// `<wp:termmeta>` key/value pairs, in file order.
    pub meta: Vec<(String, String)>,
}

/// An item's <category domain="category|post_tag|..." nicename="x">Name</category>
#[derive(Debug, Clone, Default, PartialEq)]
pub struct WxrItemTerm {
    pub domain: String,
    pub slug: String,
    pub name: String,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct WxrComment {
    pub id: i64,
    pub author: String,
    pub author_email: String,
    pub author_url: String,
    pub author_ip: String,
    pub date: String,
    pub date_gmt: String,
    pub content: String,
    /// "1", "0", "spam", "trash", "post-trashed"...
    pub approved: String,
    /// "", "comment", "pingback", "trackback"
    pub comment_type: String,
    pub parent: i64,
    pub user_id: i64,
    pub meta: Vec<(String, String)>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct WxrItem {
    pub title: String,
    pub link: String,
    pub pub_date: String,
    pub creator: String,
    pub guid: String,
    pub description: String,
    /// content:encoded
    pub content: String,
    /// excerpt:encoded
    pub excerpt: String,
    pub post_id: i64,
    pub post_date: String,
    pub post_date_gmt: String,
    /// `wp:post_modified` (written by WordPress 6.4+; empty otherwise).
    pub post_modified: String,
    pub post_modified_gmt: String,
    pub comment_status: String,
    pub ping_status: String,
    pub post_name: String,
    pub status: String,
    pub post_parent: i64,
    pub menu_order: i64,
    pub post_type: String,
    pub post_password: String,
    pub is_sticky: bool,
    /// `wp:attachment_url` (attachments only).
    pub attachment_url: String,
    pub terms: Vec<WxrItemTerm>,
    pub meta: Vec<(String, String)>,
    pub comments: Vec<WxrComment>,
    /// Byte offset of the <item> start tag in the file (so callers can report where an item is).
    pub offset: u64,
}

#[derive(Debug, Clone, PartialEq)]
pub enum WxrEvent {
    Channel(WxrChannel),
    Author(WxrAuthor),
    Category(WxrTerm),
    Tag(WxrTerm),
    Term(WxrTerm),
    Item(Box<WxrItem>),
}

#[derive(Debug, thiserror::Error)]
pub enum WxrError {
    /// Malformed XML or not a WXR file; `offset` is the byte offset where the problem was found.
    #[error("{message}")]
    Syntax { offset: u64, message: String },
    #[error("cannot read the file: {0}")]
    Io(#[from] std::io::Error),
}

impl WxrError {
    /// The byte offset of the problem, for syntax errors (turn it into a line with [`locate`]).
    pub fn offset(&self) -> Option<u64> {
        match self {
            WxrError::Syntax { offset, .. } => Some(*offset),
            WxrError::Io(_) => None,
        }
    }

    fn syntax(offset: u64, message: impl Into<String>) -> Self {
        WxrError::Syntax { offset, message: message.into() }
    }
}

/// Error of [`read_wxr`]: either the file is at fault, or the callback stopped the read.
#[derive(Debug)]
pub enum ReadError<E> {
    Wxr(WxrError),
    Callback(E),
}

impl<E> From<WxrError> for ReadError<E> {
    fn from(err: WxrError) -> Self {
        ReadError::Wxr(err)
    }
}

impl<E: fmt::Display> fmt::Display for ReadError<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReadError::Wxr(err) => err.fmt(f),
            ReadError::Callback(err) => err.fmt(f),
        }
    }
}

impl<E: std::error::Error + 'static> std::error::Error for ReadError<E> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            ReadError::Wxr(err) => Some(err),
            ReadError::Callback(err) => Some(err),
        }
    }
}

impl ReadError<std::convert::Infallible> {
    /// With a callback that cannot fail, the only possible error is the file's.
    pub fn into_wxr(self) -> WxrError {
        match self {
            ReadError::Wxr(err) => err,
            ReadError::Callback(never) => match never {},
        }
    }
}

/// Reads the whole export, calling `on_event` for each piece in document order.
///
/// The channel event is emitted exactly once, before the first Author/Category/Tag/Term/Item
/// event (as soon as the first such element starts, or at `</channel>` if there are none), with
/// the channel fields seen so far. At that point a `<wp:wxr_version>` must have been seen, as
/// WordPress' importer refuses files without one. Only one item is held in memory at a time.
/// An error returned by `on_event` stops the read and is returned as `Err(ReadError::Callback(e))`.
pub fn read_wxr<R: BufRead, E>(
    reader: R,
    mut on_event: impl FnMut(WxrEvent) -> Result<(), E>,
) -> Result<(), ReadError<E>> {
    let mut xml = Reader::from_reader(reader);
    let config = xml.config_mut();
    config.check_end_names = true;
    config.expand_empty_elements = true;
    config.trim_text(false);

    let mut emit = |event: WxrEvent| on_event(event).map_err(ReadError::Callback);
    let mut state = State::default();
    let mut buf = Vec::new();
    loop {
        buf.clear();
        let at = xml.buffer_position();
        let event = match xml.read_event_into(&mut buf) {
            Ok(event) => event,
            Err(err) => return Err(xml_error(err, xml.error_position()).into()),
        };
        match event {
            Event::Start(start) => state.start(&start, at, &mut emit)?,
            Event::Empty(start) => {
                // Not produced with `expand_empty_elements`, handled anyway.
                state.start(&start, at, &mut emit)?;
                state.end(&mut emit)?;
            }
            Event::End(_) => state.end(&mut emit)?,
            Event::Text(text) => state.text.push_str(&text.decode().map_err(|_| not_utf8(at))?),
            Event::CData(cdata) => state.text.push_str(&cdata.decode().map_err(|_| not_utf8(at))?),
            Event::GeneralRef(reference) => {
                let name = reference.decode().map_err(|_| not_utf8(at))?;
                let resolved = reference.resolve_char_ref().map_err(|err| {
                    WxrError::syntax(at, format!("invalid character reference &{name};: {err}"))
                })?;
                if let Some(ch) = resolved {
                    state.text.push(ch);
                } else if let Some(value) = resolve_predefined_entity(&name) {
                    state.text.push_str(value);
                } else {
                    return Err(WxrError::syntax(
                        at,
                        format!(
                            "unknown entity &{name}; (XML only knows &amp; &lt; &gt; &quot; &apos; \
                             and numeric references like &#233;)"
                        ),
                    )
                    .into());
                }
            }
            Event::Decl(decl) => {
                if let Some(Ok(encoding)) = decl.encoding() {
                    let encoding = String::from_utf8_lossy(&encoding).into_owned();
                    if !encoding.eq_ignore_ascii_case("utf-8") && !encoding.eq_ignore_ascii_case("utf8") {
                        return Err(WxrError::syntax(
                            at,
                            format!("unsupported file encoding {encoding}: only UTF-8 exports can be read"),
                        )
                        .into());
                    }
                }
            }
            Event::Eof => return state.finish(xml.buffer_position(), &mut emit),
            Event::Comment(_) | Event::PI(_) | Event::DocType(_) => {}
        }
    }
}

/// Turns a byte offset into (line, column), both 1-based, column counted in characters, by
/// re-reading the source. An offset past the end gives the position at the end.
pub fn locate<R: Read>(source: R, offset: u64) -> std::io::Result<(u64, u64)> {
    let mut reader = std::io::BufReader::new(source);
    let (mut line, mut column, mut pos) = (1u64, 1u64, 0u64);
    while pos < offset {
        let chunk = match reader.fill_buf() {
            Ok(chunk) => chunk,
            Err(err) if err.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(err) => return Err(err),
        };
        if chunk.is_empty() {
            break;
        }
        let take = usize::try_from(offset - pos).map_or(chunk.len(), |left| left.min(chunk.len()));
        for &byte in &chunk[..take] {
            if byte == b'\n' {
                line += 1;
                column = 1;
            } else if byte & 0xC0 != 0x80 {
                // Count characters, not bytes: skip UTF-8 continuation bytes.
                column += 1;
            }
        }
        reader.consume(take);
        pos += take as u64;
    }
    Ok((line, column))
}

fn not_utf8(offset: u64) -> WxrError {
    WxrError::syntax(offset, "the file is not valid UTF-8 text")
}

fn xml_error(err: quick_xml::Error, offset: u64) -> WxrError {
    use quick_xml::errors::{IllFormedError, SyntaxError};
    use quick_xml::Error;
    let message = match err {
        Error::Io(io) => return WxrError::Io(std::io::Error::new(io.kind(), io.to_string())),
        Error::Syntax(syntax) => match syntax {
            SyntaxError::UnclosedTag => "a tag is not closed with '>' (is the file truncated?)".to_owned(),
            SyntaxError::UnclosedCData => {
                "a <![CDATA[ section is never closed (is the file truncated?)".to_owned()
            }
            SyntaxError::UnclosedComment => {
                "a <!-- comment is never closed (is the file truncated?)".to_owned()
            }
            other => format!("malformed XML: {other}"),
        },
        Error::IllFormed(ill) => match ill {
            IllFormedError::MismatchedEndTag { expected, found } => {
                format!("mismatched tags: found </{found}> where </{expected}> was expected")
            }
            IllFormedError::UnmatchedEndTag(name) => format!("found </{name}> without a matching <{name}>"),
            IllFormedError::MissingEndTag(name) => {
                format!("the file ends before <{name}> is closed (is the file truncated?)")
            }
            IllFormedError::UnclosedReference => "an '&' is not followed by an entity name and ';' \
                                                  (write a literal & as &amp;)"
                .to_owned(),
            other => format!("malformed XML: {other}"),
        },
        Error::Encoding(_) => "the file is not valid UTF-8 text".to_owned(),
        Error::Escape(escape) => format!("bad character or entity reference: {escape}"),
        other => format!("malformed XML: {other}"),
    };
    WxrError::Syntax { offset, message }
}

/// An open element: its qualified name and the byte offset of its start tag.
struct Open {
    name: String,
    offset: u64,
}

/// The top-level entry being built (a child of `<channel>`).
#[derive(Default)]
enum Entry {
    #[default]
    None,
    Author(WxrAuthor),
    Category(WxrTerm),
    Tag(WxrTerm),
    Term(WxrTerm),
    Item(Box<WxrItem>),
}

/// What an opening element is, decided while the element stack is borrowed.
enum StartKind {
    Channel,
    Entry,
    ItemTerm,
    Comment,
    Meta,
    Other,
}

/// What closing an element asks for, decided while the element stack is borrowed.
enum Action {
    Nothing,
    Channel,
    Version(String),
    Entry,
}

#[derive(Default)]
struct State {
    stack: Vec<Open>,
    /// Text of the innermost element since its start tag (or since its last child ended).
    text: String,
    root_seen: bool,
    channel_seen: bool,
    channel: WxrChannel,
    channel_emitted: bool,
    entry: Entry,
    comment: Option<WxrComment>,
    meta: Option<(String, String)>,
    item_term: Option<WxrItemTerm>,
}

/// The names of the open elements, outermost first (only the first few levels matter).
fn path(stack: &[Open]) -> Option<[&str; 6]> {
    if stack.len() > 6 {
        return None;
    }
    let mut names = [""; 6];
    for (slot, open) in names.iter_mut().zip(stack) {
        *slot = open.name.as_str();
    }
    Some(names)
}

fn trimmed(text: &str) -> String {
    text.trim_matches(|c| matches!(c, ' ' | '\t' | '\r' | '\n')).to_owned()
}

fn int_or_zero(text: &str) -> i64 {
    text.trim().parse().unwrap_or(0)
}

fn optional_int(text: &str) -> Option<i64> {
    text.trim().parse().ok()
}

fn optional_string(text: &str) -> Option<String> {
    Some(trimmed(text)).filter(|value| !value.is_empty())
}

fn required_id(text: &str, element: &str, offset: u64) -> Result<i64, WxrError> {
    let value = text.trim();
    if value.is_empty() {
        return Ok(0);
    }
    value.parse().map_err(|_| WxrError::syntax(offset, format!("<{element}> is not a number: {value:?}")))
}

fn attribute(start: &BytesStart<'_>, name: &str, offset: u64) -> Result<Option<String>, WxrError> {
    let bad = |err: &dyn fmt::Display| WxrError::syntax(offset, format!("malformed attribute: {err}"));
    match start.try_get_attribute(name).map_err(|err| bad(&err))? {
        Some(attr) => Ok(Some(
            attr.normalized_value(quick_xml::XmlVersion::Implicit1_0).map_err(|err| bad(&err))?.into_owned(),
        )),
        None => Ok(None),
    }
}

impl State {
    fn start<E>(
        &mut self,
        start: &BytesStart<'_>,
        offset: u64,
        emit: &mut impl FnMut(WxrEvent) -> Result<(), ReadError<E>>,
    ) -> Result<(), ReadError<E>> {
        let name = std::str::from_utf8(start.name().as_ref()).map_err(|_| not_utf8(offset))?.to_owned();
        if self.stack.is_empty() {
            if self.root_seen {
                return Err(
                    WxrError::syntax(offset, format!("unexpected <{name}> after the end of <rss>")).into()
                );
            }
            if name != "rss" {
                return Err(WxrError::syntax(
                    offset,
                    format!("not a WordPress export: the document is <{name}>, not <rss>"),
                )
                .into());
            }
            self.root_seen = true;
        }
        self.text.clear();
        let kind = match path(&self.stack) {
            None => StartKind::Other,
            Some(names) => match (&names[..self.stack.len()], name.as_str()) {
                (["rss"], "channel") => StartKind::Channel,
                (["rss", "channel"], "wp:author" | "wp:category" | "wp:tag" | "wp:term" | "item") => {
                    StartKind::Entry
                }
                (["rss", "channel", "item"], "category") => StartKind::ItemTerm,
                (["rss", "channel", "item"], "wp:comment") => StartKind::Comment,
                (["rss", "channel", "item"], "wp:postmeta")
                | (["rss", "channel", "item", "wp:comment"], "wp:commentmeta")
                | (["rss", "channel", "wp:category" | "wp:tag" | "wp:term"], "wp:termmeta") => {
                    StartKind::Meta
                }
                _ => StartKind::Other,
            },
        };
        match kind {
            StartKind::Channel => self.channel_seen = true,
            StartKind::Entry => {
                self.emit_channel(offset, emit)?;
                self.comment = None;
                self.meta = None;
                self.item_term = None;
                self.entry = match name.as_str() {
                    "wp:author" => Entry::Author(WxrAuthor::default()),
                    "wp:category" => {
                        Entry::Category(WxrTerm { taxonomy: "category".into(), ..Default::default() })
                    }
                    "wp:tag" => Entry::Tag(WxrTerm { taxonomy: "post_tag".into(), ..Default::default() }),
                    "wp:term" => Entry::Term(WxrTerm::default()),
                    _ => Entry::Item(Box::new(WxrItem { offset, ..Default::default() })),
                };
            }
            StartKind::ItemTerm => {
                // Only terms with a nicename count (WXR 1.0 adds attribute-less duplicates).
                self.item_term = match attribute(start, "nicename", offset)? {
                    Some(slug) => {
                        let mut domain = attribute(start, "domain", offset)?.unwrap_or_default();
                        if domain == "tag" {
                            domain = "post_tag".into();
                        }
                        Some(WxrItemTerm { domain, slug, name: String::new() })
                    }
                    None => None,
                };
            }
            StartKind::Comment => self.comment = Some(WxrComment::default()),
            StartKind::Meta => self.meta = Some(Default::default()),
            StartKind::Other => {}
        }
        self.stack.push(Open { name, offset });
        Ok(())
    }

    fn end<E>(
        &mut self,
        emit: &mut impl FnMut(WxrEvent) -> Result<(), ReadError<E>>,
    ) -> Result<(), ReadError<E>> {
        let Some(open) = self.stack.pop() else { return Ok(()) };
        let text = std::mem::take(&mut self.text);
        let action = self.close(&open, &text)?;
        match action {
            Action::Nothing => {}
            Action::Channel => self.emit_channel(open.offset, emit)?,
            Action::Version(version) => {
                if version.is_empty() {
                    return Err(WxrError::syntax(
                        open.offset,
                        "not a WordPress export: empty <wp:wxr_version>",
                    )
                    .into());
                }
                if !SUPPORTED_VERSIONS.contains(&version.as_str()) {
                    return Err(
                        WxrError::syntax(open.offset, format!("unsupported WXR version {version}")).into()
                    );
                }
                self.channel.wxr_version = version;
            }
            Action::Entry => {
                let event = match std::mem::take(&mut self.entry) {
                    Entry::None => return Ok(()),
                    Entry::Author(author) => WxrEvent::Author(author),
                    Entry::Category(term) => WxrEvent::Category(term),
                    Entry::Tag(term) => WxrEvent::Tag(term),
                    Entry::Term(term) => WxrEvent::Term(term),
                    Entry::Item(item) => WxrEvent::Item(item),
                };
                emit(event)?;
            }
        }
        Ok(())
    }

    /// Stores the text of the element that just closed where it belongs.
    fn close(&mut self, open: &Open, text: &str) -> Result<Action, WxrError> {
        let Some(names) = path(&self.stack) else { return Ok(Action::Nothing) };
        let parents = &names[..self.stack.len()];
        let name = open.name.as_str();
        match (parents, &mut self.entry) {
            ([], _) => {}
            (["rss"], _) if name == "channel" => return Ok(Action::Channel),
            (["rss", "channel"], _) => match name {
                "wp:author" | "wp:category" | "wp:tag" | "wp:term" | "item" => return Ok(Action::Entry),
                "wp:wxr_version" => return Ok(Action::Version(trimmed(text))),
                "title" => self.channel.title = trimmed(text),
                "link" => self.channel.link = trimmed(text),
                "description" => self.channel.description = trimmed(text),
                "language" => self.channel.language = trimmed(text),
                "wp:base_site_url" => self.channel.base_site_url = trimmed(text),
                "wp:base_blog_url" => self.channel.base_blog_url = trimmed(text),
                _ => {}
            },
            (["rss", "channel", "wp:author"], Entry::Author(author)) => match name {
                "wp:author_id" => author.id = optional_int(text),
                "wp:author_login" => author.login = trimmed(text),
                "wp:author_email" => author.email = trimmed(text),
                "wp:author_display_name" => author.display_name = trimmed(text),
                "wp:author_first_name" => author.first_name = trimmed(text),
                "wp:author_last_name" => author.last_name = trimmed(text),
                _ => {}
            },
            (
                ["rss", "channel", "wp:category" | "wp:tag" | "wp:term"],
                Entry::Category(term) | Entry::Tag(term) | Entry::Term(term),
            ) => match name {
                "wp:term_id" => term.term_id = optional_int(text),
                "wp:category_nicename" | "wp:tag_slug" | "wp:term_slug" => term.slug = trimmed(text),
                "wp:cat_name" | "wp:tag_name" | "wp:term_name" => term.name = trimmed(text),
                "wp:category_parent" | "wp:term_parent" => term.parent = optional_string(text),
                "wp:category_description" | "wp:tag_description" | "wp:term_description" => {
                    term.description = trimmed(text)
                }
                "wp:term_taxonomy" => term.taxonomy = trimmed(text),
                "wp:termmeta" => term.meta.extend(self.meta.take()),
                _ => {}
            },
            (["rss", "channel", "item"], Entry::Item(item)) => match name {
                "title" => item.title = trimmed(text),
                "link" => item.link = trimmed(text),
                "pubDate" => item.pub_date = trimmed(text),
                "dc:creator" => item.creator = trimmed(text),
                "guid" => item.guid = trimmed(text),
                "description" => item.description = trimmed(text),
                "content:encoded" => item.content = text.to_owned(),
                "excerpt:encoded" => item.excerpt = text.to_owned(),
                "wp:post_id" => item.post_id = required_id(text, name, open.offset)?,
                "wp:post_date" => item.post_date = trimmed(text),
                "wp:post_date_gmt" => item.post_date_gmt = trimmed(text),
                "wp:post_modified" => item.post_modified = trimmed(text),
                "wp:post_modified_gmt" => item.post_modified_gmt = trimmed(text),
                "wp:comment_status" => item.comment_status = trimmed(text),
                "wp:ping_status" => item.ping_status = trimmed(text),
                "wp:post_name" => item.post_name = trimmed(text),
                "wp:status" => item.status = trimmed(text),
                "wp:post_parent" => item.post_parent = int_or_zero(text),
                "wp:menu_order" => item.menu_order = int_or_zero(text),
                "wp:post_type" => item.post_type = trimmed(text),
                "wp:post_password" => item.post_password = text.to_owned(),
                "wp:is_sticky" => item.is_sticky = int_or_zero(text) != 0,
                "wp:attachment_url" => item.attachment_url = trimmed(text),
                "category" => {
                    if let Some(mut term) = self.item_term.take() {
                        term.name = trimmed(text);
                        item.terms.push(term);
                    }
                }
                "wp:postmeta" => item.meta.extend(self.meta.take()),
                "wp:comment" => item.comments.extend(self.comment.take()),
                _ => {}
            },
            (["rss", "channel", "item", "wp:comment"], Entry::Item(_)) => {
                let Some(comment) = self.comment.as_mut() else { return Ok(Action::Nothing) };
                match name {
                    "wp:comment_id" => comment.id = required_id(text, name, open.offset)?,
                    "wp:comment_author" => comment.author = trimmed(text),
                    "wp:comment_author_email" => comment.author_email = trimmed(text),
                    "wp:comment_author_url" => comment.author_url = trimmed(text),
                    "wp:comment_author_IP" => comment.author_ip = trimmed(text),
                    "wp:comment_date" => comment.date = trimmed(text),
                    "wp:comment_date_gmt" => comment.date_gmt = trimmed(text),
                    "wp:comment_content" => comment.content = text.to_owned(),
                    "wp:comment_approved" => comment.approved = trimmed(text),
                    "wp:comment_type" => comment.comment_type = trimmed(text),
                    "wp:comment_parent" => comment.parent = int_or_zero(text),
                    "wp:comment_user_id" => comment.user_id = int_or_zero(text),
                    "wp:commentmeta" => comment.meta.extend(self.meta.take()),
                    _ => {}
                }
            }
            (
                ["rss", "channel", "item", "wp:postmeta"]
                | ["rss", "channel", "item", "wp:comment", "wp:commentmeta"]
                | ["rss", "channel", "wp:category" | "wp:tag" | "wp:term", "wp:termmeta"],
                _,
            ) => {
                if let Some((key, value)) = self.meta.as_mut() {
                    match name {
                        "wp:meta_key" => *key = trimmed(text),
                        "wp:meta_value" => *value = text.to_owned(),
                        _ => {}
                    }
                }
            }
            _ => {}
        }
        Ok(Action::Nothing)
    }

    fn emit_channel<E>(
        &mut self,
        offset: u64,
        emit: &mut impl FnMut(WxrEvent) -> Result<(), ReadError<E>>,
    ) -> Result<(), ReadError<E>> {
        if self.channel_emitted {
            return Ok(());
        }
        if self.channel.wxr_version.is_empty() {
            return Err(WxrError::syntax(offset, "not a WordPress export: no <wp:wxr_version>").into());
        }
        self.channel_emitted = true;
        let mut channel = self.channel.clone();
        if channel.base_blog_url.is_empty() {
            channel.base_blog_url = channel.base_site_url.clone();
        }
        emit(WxrEvent::Channel(channel))
    }

    fn finish<E>(
        &mut self,
        eof: u64,
        emit: &mut impl FnMut(WxrEvent) -> Result<(), ReadError<E>>,
    ) -> Result<(), ReadError<E>> {
        if let Some(open) = self.stack.last() {
            return Err(WxrError::syntax(
                eof,
                format!(
                    "the file ends before <{}> (opened at byte {}) is closed; it looks truncated",
                    open.name, open.offset
                ),
            )
            .into());
        }
        if !self.root_seen {
            return Err(WxrError::syntax(eof, "not a WordPress export: the file has no <rss> element").into());
        }
        if !self.channel_seen {
            return Err(WxrError::syntax(eof, "not a WordPress export: no <channel>").into());
        }
        self.emit_channel(eof, emit)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use std::convert::Infallible;

    fn read_all(xml: &str) -> Result<Vec<WxrEvent>, WxrError> {
        let mut events = Vec::new();
        read_wxr(xml.as_bytes(), |event| {
            events.push(event);
            Ok::<(), Infallible>(())
        })
        .map_err(ReadError::into_wxr)?;
        Ok(events)
    }

    fn items(events: &[WxrEvent]) -> Vec<&WxrItem> {
        events
            .iter()
            .filter_map(|event| match event {
                WxrEvent::Item(item) => Some(item.as_ref()),
                _ => None,
            })
            .collect()
    }

    fn syntax_error(xml: &str) -> (u64, String) {
        match read_all(xml) {
            Err(WxrError::Syntax { offset, message }) => (offset, message),
            other => panic!("expected a syntax error, got {other:?}"),
        }
    }

    const HEADER: &str = r#"<?xml version="1.0" encoding="UTF-8" ?>
<rss version="2.0"
	xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/"
	xmlns:content="http://purl.org/rss/1.0/modules/content/"
	xmlns:wfw="http://wellformedweb.org/CommentAPI/"
	xmlns:dc="http://purl.org/dc/elements/1.1/"
	xmlns:wp="http://wordpress.org/export/1.2/"
>
"#;

    fn wxr12(body: &str) -> String {
        format!(
            "{HEADER}<channel>\n\t<title>Test Blog</title>\n\t<wp:wxr_version>1.2</wp:wxr_version>\n{body}\n\
             </channel>\n</rss>\n"
        )
    }

    const FULL: &str = r#"<?xml version="1.0" encoding="UTF-8" ?>
<!-- generator="WordPress/6.4.3" created="2024-03-01 10:00" -->
<rss version="2.0"
	xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/"
	xmlns:content="http://purl.org/rss/1.0/modules/content/"
	xmlns:wfw="http://wellformedweb.org/CommentAPI/"
	xmlns:dc="http://purl.org/dc/elements/1.1/"
	xmlns:wp="http://wordpress.org/export/1.2/"
>

<channel>
	<title>My Blog</title>
	<link>https://example.com</link>
	<description>Just another WordPress site</description>
	<pubDate>Fri, 01 Mar 2024 10:00:00 +0000</pubDate>
	<language>en-US</language>
	<wp:wxr_version>1.2</wp:wxr_version>
	<wp:base_site_url>https://example.com</wp:base_site_url>
	<wp:base_blog_url>https://example.com/blog</wp:base_blog_url>

	<wp:author><wp:author_id>1</wp:author_id><wp:author_login><![CDATA[admin]]></wp:author_login><wp:author_email><![CDATA[admin@example.com]]></wp:author_email><wp:author_display_name><![CDATA[Ada Admin]]></wp:author_display_name><wp:author_first_name><![CDATA[Ada]]></wp:author_first_name><wp:author_last_name><![CDATA[]]></wp:author_last_name></wp:author>

	<wp:category>
		<wp:term_id>1</wp:term_id>
		<wp:category_nicename><![CDATA[news]]></wp:category_nicename>
		<wp:category_parent><![CDATA[]]></wp:category_parent>
		<wp:cat_name><![CDATA[News]]></wp:cat_name>
	</wp:category>
	<wp:category>
		<wp:term_id>2</wp:term_id>
		<wp:category_nicename><![CDATA[local]]></wp:category_nicename>
		<wp:category_parent><![CDATA[news]]></wp:category_parent>
		<wp:cat_name><![CDATA[Local &amp; Regional]]></wp:cat_name>
		<wp:category_description><![CDATA[Close to home]]></wp:category_description>
	</wp:category>
	<wp:tag>
		<wp:term_id>3</wp:term_id>
		<wp:tag_slug><![CDATA[rust]]></wp:tag_slug>
		<wp:tag_name><![CDATA[Rust]]></wp:tag_name>
	</wp:tag>
	<wp:term><wp:term_id>4</wp:term_id><wp:term_taxonomy><![CDATA[nav_menu]]></wp:term_taxonomy><wp:term_slug><![CDATA[main]]></wp:term_slug><wp:term_name><![CDATA[Main]]></wp:term_name><wp:termmeta><wp:meta_key><![CDATA[color]]></wp:meta_key><wp:meta_value><![CDATA[blue]]></wp:meta_value></wp:termmeta></wp:term>

	<generator>https://wordpress.org/?v=6.4.3</generator>

	<item>
		<title><![CDATA[Hello world!]]></title>
		<link>https://example.com/blog/hello-world/</link>
		<pubDate>Fri, 01 Mar 2024 09:00:00 +0000</pubDate>
		<dc:creator><![CDATA[admin]]></dc:creator>
		<guid isPermaLink="false">https://example.com/?p=1</guid>
		<description></description>
		<content:encoded><![CDATA[<!-- wp:paragraph -->
<p>Welcome to WordPress.</p>
<!-- /wp:paragraph -->]]></content:encoded>
		<excerpt:encoded><![CDATA[]]></excerpt:encoded>
		<wp:post_id>1</wp:post_id>
		<wp:post_date><![CDATA[2024-03-01 09:00:00]]></wp:post_date>
		<wp:post_date_gmt><![CDATA[2024-03-01 09:00:00]]></wp:post_date_gmt>
		<wp:post_modified><![CDATA[2024-03-01 09:30:00]]></wp:post_modified>
		<wp:post_modified_gmt><![CDATA[2024-03-01 09:30:00]]></wp:post_modified_gmt>
		<wp:comment_status><![CDATA[open]]></wp:comment_status>
		<wp:ping_status><![CDATA[open]]></wp:ping_status>
		<wp:post_name><![CDATA[hello-world]]></wp:post_name>
		<wp:status><![CDATA[publish]]></wp:status>
		<wp:post_parent>0</wp:post_parent>
		<wp:menu_order>0</wp:menu_order>
		<wp:post_type><![CDATA[post]]></wp:post_type>
		<wp:post_password><![CDATA[]]></wp:post_password>
		<wp:is_sticky>1</wp:is_sticky>
		<category domain="category" nicename="news"><![CDATA[News]]></category>
		<category domain="category" nicename="local"><![CDATA[Local &amp; Regional]]></category>
		<category domain="post_tag" nicename="rust"><![CDATA[Rust]]></category>
		<wp:postmeta>
		<wp:meta_key><![CDATA[_edit_last]]></wp:meta_key>
		<wp:meta_value><![CDATA[1]]></wp:meta_value>
		</wp:postmeta>
		<wp:comment>
			<wp:comment_id>1</wp:comment_id>
			<wp:comment_author><![CDATA[A WordPress Commenter]]></wp:comment_author>
			<wp:comment_author_email><![CDATA[wapuu@wordpress.example]]></wp:comment_author_email>
			<wp:comment_author_url>https://wordpress.org/</wp:comment_author_url>
			<wp:comment_author_IP><![CDATA[127.0.0.1]]></wp:comment_author_IP>
			<wp:comment_date><![CDATA[2024-03-01 09:05:00]]></wp:comment_date>
			<wp:comment_date_gmt><![CDATA[2024-03-01 09:05:00]]></wp:comment_date_gmt>
			<wp:comment_content><![CDATA[Hi, this is a comment.
To get started...]]></wp:comment_content>
			<wp:comment_approved><![CDATA[1]]></wp:comment_approved>
			<wp:comment_type><![CDATA[comment]]></wp:comment_type>
			<wp:comment_parent>0</wp:comment_parent>
			<wp:comment_user_id>0</wp:comment_user_id>
			<wp:commentmeta>
				<wp:meta_key><![CDATA[rating]]></wp:meta_key>
				<wp:meta_value><![CDATA[5]]></wp:meta_value>
			</wp:commentmeta>
		</wp:comment>
		<wp:comment>
			<wp:comment_id>2</wp:comment_id>
			<wp:comment_author><![CDATA[Ada Admin]]></wp:comment_author>
			<wp:comment_author_email><![CDATA[admin@example.com]]></wp:comment_author_email>
			<wp:comment_author_url></wp:comment_author_url>
			<wp:comment_author_IP><![CDATA[10.0.0.1]]></wp:comment_author_IP>
			<wp:comment_date><![CDATA[2024-03-01 09:10:00]]></wp:comment_date>
			<wp:comment_date_gmt><![CDATA[2024-03-01 09:10:00]]></wp:comment_date_gmt>
			<wp:comment_content><![CDATA[  Thanks!  ]]></wp:comment_content>
			<wp:comment_approved><![CDATA[1]]></wp:comment_approved>
			<wp:comment_type><![CDATA[comment]]></wp:comment_type>
			<wp:comment_parent>1</wp:comment_parent>
			<wp:comment_user_id>1</wp:comment_user_id>
		</wp:comment>
		<wp:comment>
			<wp:comment_id>3</wp:comment_id>
			<wp:comment_author><![CDATA[Other Blog]]></wp:comment_author>
			<wp:comment_author_email><![CDATA[]]></wp:comment_author_email>
			<wp:comment_author_url>https://other.example/post</wp:comment_author_url>
			<wp:comment_author_IP><![CDATA[192.0.2.7]]></wp:comment_author_IP>
			<wp:comment_date><![CDATA[2024-03-01 09:20:00]]></wp:comment_date>
			<wp:comment_date_gmt><![CDATA[2024-03-01 09:20:00]]></wp:comment_date_gmt>
			<wp:comment_content><![CDATA[[&#8230;] linked here [&#8230;]]]></wp:comment_content>
			<wp:comment_approved><![CDATA[spam]]></wp:comment_approved>
			<wp:comment_type><![CDATA[pingback]]></wp:comment_type>
			<wp:comment_parent>0</wp:comment_parent>
			<wp:comment_user_id>0</wp:comment_user_id>
		</wp:comment>
	</item>
	<item>
		<title><![CDATA[About]]></title>
		<link>https://example.com/about/</link>
		<pubDate>Fri, 01 Mar 2024 09:00:00 +0000</pubDate>
		<dc:creator><![CDATA[admin]]></dc:creator>
		<guid isPermaLink="false">https://example.com/?page_id=2</guid>
		<description></description>
		<content:encoded><![CDATA[About us.]]></content:encoded>
		<excerpt:encoded><![CDATA[]]></excerpt:encoded>
		<wp:post_id>2</wp:post_id>
		<wp:post_date><![CDATA[2024-03-01 09:00:00]]></wp:post_date>
		<wp:post_date_gmt><![CDATA[0000-00-00 00:00:00]]></wp:post_date_gmt>
		<wp:comment_status><![CDATA[closed]]></wp:comment_status>
		<wp:ping_status><![CDATA[closed]]></wp:ping_status>
		<wp:post_name><![CDATA[about]]></wp:post_name>
		<wp:status><![CDATA[draft]]></wp:status>
		<wp:post_parent>0</wp:post_parent>
		<wp:menu_order>3</wp:menu_order>
		<wp:post_type><![CDATA[page]]></wp:post_type>
		<wp:post_password><![CDATA[s3cret]]></wp:post_password>
		<wp:is_sticky>0</wp:is_sticky>
		<wp:postmeta>
		<wp:meta_key><![CDATA[_wp_page_template]]></wp:meta_key>
		<wp:meta_value><![CDATA[default]]></wp:meta_value>
		</wp:postmeta>
	</item>
</channel>
</rss>
"#;

    #[test]
    fn reads_a_full_wxr_1_2_export_in_order() {
        let events = read_all(FULL).unwrap();
        let kinds: Vec<&str> = events
            .iter()
            .map(|event| match event {
                WxrEvent::Channel(_) => "channel",
                WxrEvent::Author(_) => "author",
                WxrEvent::Category(_) => "category",
                WxrEvent::Tag(_) => "tag",
                WxrEvent::Term(_) => "term",
                WxrEvent::Item(_) => "item",
            })
            .collect();
        assert_eq!(kinds, ["channel", "author", "category", "category", "tag", "term", "item", "item"]);

        assert_eq!(
            events[0],
            WxrEvent::Channel(WxrChannel {
                title: "My Blog".into(),
                link: "https://example.com".into(),
                description: "Just another WordPress site".into(),
                language: "en-US".into(),
                base_site_url: "https://example.com".into(),
                base_blog_url: "https://example.com/blog".into(),
                wxr_version: "1.2".into(),
            })
        );
        assert_eq!(
            events[1],
            WxrEvent::Author(WxrAuthor {
                id: Some(1),
                login: "admin".into(),
                email: "admin@example.com".into(),
                display_name: "Ada Admin".into(),
                first_name: "Ada".into(),
                last_name: String::new(),
            })
        );
        assert_eq!(
            events[2],
            WxrEvent::Category(WxrTerm {
                term_id: Some(1),
                taxonomy: "category".into(),
                slug: "news".into(),
                name: "News".into(),
                parent: None,
                description: String::new(),
                meta: vec![],
            })
        );
        let WxrEvent::Category(local) = &events[3] else { panic!() };
        assert_eq!(local.parent.as_deref(), Some("news"));
        // CDATA is verbatim: an escaped entity inside it stays escaped.
        assert_eq!(local.name, "Local &amp; Regional");
        assert_eq!(local.description, "Close to home");
        let WxrEvent::Tag(tag) = &events[4] else { panic!() };
        assert_eq!((tag.term_id, tag.slug.as_str(), tag.name.as_str()), (Some(3), "rust", "Rust"));
        assert_eq!(tag.taxonomy, "post_tag");
        let WxrEvent::Term(term) = &events[5] else { panic!() };
        assert_eq!(term.taxonomy, "nav_menu");
        assert_eq!((term.slug.as_str(), term.name.as_str()), ("main", "Main"));
        assert_eq!(term.meta, [("color".to_string(), "blue".to_string())]);

        let items = items(&events);
        let post = items[0];
        assert_eq!(post.title, "Hello world!");
        assert_eq!(post.link, "https://example.com/blog/hello-world/");
        assert_eq!(post.creator, "admin");
        assert_eq!(post.guid, "https://example.com/?p=1");
        assert_eq!(
            post.content,
            "<!-- wp:paragraph -->\n<p>Welcome to WordPress.</p>\n<!-- /wp:paragraph -->"
        );
        assert_eq!(post.excerpt, "");
        assert_eq!(post.post_id, 1);
        assert_eq!(post.post_date, "2024-03-01 09:00:00");
        assert_eq!(post.post_modified, "2024-03-01 09:30:00");
        assert_eq!(post.status, "publish");
        assert_eq!(post.post_type, "post");
        assert!(post.is_sticky);
        assert_eq!(
            post.terms,
            [
                WxrItemTerm { domain: "category".into(), slug: "news".into(), name: "News".into() },
                WxrItemTerm {
                    domain: "category".into(),
                    slug: "local".into(),
                    name: "Local &amp; Regional".into()
                },
                WxrItemTerm { domain: "post_tag".into(), slug: "rust".into(), name: "Rust".into() },
            ]
        );
        assert_eq!(post.meta, [("_edit_last".to_string(), "1".to_string())]);
        assert_eq!(post.comments.len(), 3);
        let first = &post.comments[0];
        assert_eq!(first.id, 1);
        assert_eq!(first.author, "A WordPress Commenter");
        assert_eq!(first.author_url, "https://wordpress.org/");
        assert_eq!(first.author_ip, "127.0.0.1");
        assert_eq!(first.content, "Hi, this is a comment.\nTo get started...");
        assert_eq!(first.comment_type, "comment");
        assert_eq!(first.meta, [("rating".to_string(), "5".to_string())]);
        let reply = &post.comments[1];
        assert_eq!((reply.id, reply.parent, reply.user_id), (2, 1, 1));
        assert_eq!(reply.content, "  Thanks!  ", "comment content is not trimmed");
        assert!(reply.meta.is_empty());
        let ping = &post.comments[2];
        assert_eq!((ping.comment_type.as_str(), ping.approved.as_str()), ("pingback", "spam"));
        assert_eq!(ping.content, "[&#8230;] linked here [&#8230;]");

        let page = items[1];
        assert_eq!((page.post_id, page.post_type.as_str(), page.status.as_str()), (2, "page", "draft"));
        assert_eq!(page.menu_order, 3);
        assert_eq!(page.post_password, "s3cret");
        assert_eq!(page.post_date_gmt, "0000-00-00 00:00:00");
        assert!(!page.is_sticky);
        assert!(page.terms.is_empty() && page.comments.is_empty());
        assert_eq!(page.meta, [("_wp_page_template".to_string(), "default".to_string())]);

        // Offsets point at the `<item>` start tags.
        for item in items {
            let at = usize::try_from(item.offset).unwrap();
            assert!(FULL[at..].starts_with("<item>"), "offset {at}");
        }
    }

    #[test]
    fn split_cdata_joins_into_the_literal_terminator() {
        let xml = wxr12(
            "<item><wp:post_id>7</wp:post_id>\
             <content:encoded><![CDATA[a ]]]]><![CDATA[> b]]></content:encoded>\
             <title><![CDATA[x]]]]><![CDATA[>y]]></title></item>",
        );
        let events = read_all(&xml).unwrap();
        let item = items(&events)[0];
        assert_eq!(item.content, "a ]]> b");
        assert_eq!(item.title, "x]]>y");
    }

    #[test]
    fn entities_are_unescaped_in_text_but_not_in_cdata() {
        let xml = wxr12(
            "<item><title>Tom &amp; Jerry&#8217;s &lt;b&gt; &#x1F600; &quot;q&quot; &apos;a&apos;</title>\
             <content:encoded>&lt;p&gt;mixed &amp; <![CDATA[<b>&amp;</b>]]></content:encoded>\
             <category domain=\"post_tag\" nicename=\"r&amp;d\">R&amp;D</category>\
             <wp:post_id>1</wp:post_id></item>",
        );
        let events = read_all(&xml).unwrap();
        let item = items(&events)[0];
        assert_eq!(item.title, "Tom & Jerry\u{2019}s <b> 😀 \"q\" 'a'");
        assert_eq!(item.content, "<p>mixed & <b>&amp;</b>");
        assert_eq!(
            item.terms[0],
            WxrItemTerm { domain: "post_tag".into(), slug: "r&d".into(), name: "R&D".into() }
        );
    }

    #[test]
    fn unicode_emoji_and_backslashes_survive_byte_exact() {
        let content = "Ünïcödé 日本語 👩‍💻🎉 C:\\path\\to \\\\server \\n \\\" \r\n  trailing  \n";
        let xml = wxr12(&format!(
            "<item><title>Émoji 🎉</title><wp:post_id>1</wp:post_id>\
             <content:encoded><![CDATA[{content}]]></content:encoded>\
             <excerpt:encoded><![CDATA[ \\o/ ]]></excerpt:encoded>\
             <wp:postmeta><wp:meta_key>_data</wp:meta_key>\
             <wp:meta_value><![CDATA[a:1:{{s:1:\"k\";s:4:\"\\\\x \";}}]]></wp:meta_value></wp:postmeta>\
             <category domain=\"category\" nicename=\"%e6%97%a5%e6%9c%ac\"><![CDATA[日本]]></category></item>"
        ));
        let events = read_all(&xml).unwrap();
        let item = items(&events)[0];
        assert_eq!(item.content, content);
        assert_eq!(item.title, "Émoji 🎉");
        assert_eq!(item.excerpt, " \\o/ ");
        assert_eq!(item.meta, [("_data".to_string(), "a:1:{s:1:\"k\";s:4:\"\\\\x \";}".to_string())]);
        assert_eq!(item.terms[0].slug, "%e6%97%a5%e6%9c%ac");
        assert_eq!(item.terms[0].name, "日本");
    }

    const WXR_1_0: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<!-- generator="WordPress/2.9.2" created="2010-03-01 12:00"-->
<rss version="2.0"
	xmlns:excerpt="http://wordpress.org/export/1.0/excerpt/"
	xmlns:content="http://purl.org/rss/1.0/modules/content/"
	xmlns:wfw="http://wellformedweb.org/CommentAPI/"
	xmlns:dc="http://purl.org/dc/elements/1.1/"
	xmlns:wp="http://wordpress.org/export/1.0/"
>
<channel>
	<title>Old Blog</title>
	<link>http://old.example</link>
	<description>Old times</description>
	<pubDate>Mon, 01 Mar 2010 12:00:00 +0000</pubDate>
	<generator>http://wordpress.org/?v=2.9.2</generator>
	<language>en</language>
	<wp:wxr_version>1.0</wp:wxr_version>
	<wp:base_site_url>http://old.example</wp:base_site_url>
	<wp:category><wp:category_nicename>uncategorized</wp:category_nicename><wp:category_parent></wp:category_parent><wp:cat_name><![CDATA[Uncategorized]]></wp:cat_name></wp:category>
	<wp:category><wp:category_nicename>kids</wp:category_nicename><wp:category_parent>uncategorized</wp:category_parent><wp:cat_name><![CDATA[Kids]]></wp:cat_name></wp:category>
	<wp:tag><wp:tag_slug>old</wp:tag_slug><wp:tag_name><![CDATA[old]]></wp:tag_name></wp:tag>
<item>
<title>Hello</title>
<link>http://old.example/?p=1</link>
<pubDate>Mon, 01 Mar 2010 11:00:00 +0000</pubDate>
<dc:creator><![CDATA[admin]]></dc:creator>

		<category><![CDATA[Uncategorized]]></category>

		<category domain="category" nicename="uncategorized"><![CDATA[Uncategorized]]></category>

		<category domain="tag"><![CDATA[old]]></category>

		<category domain="tag" nicename="old"><![CDATA[old]]></category>

<guid isPermaLink="false">http://old.example/?p=1</guid>
<description></description>
<content:encoded><![CDATA[Old post]]></content:encoded>
<excerpt:encoded><![CDATA[]]></excerpt:encoded>
<wp:post_id>1</wp:post_id>
<wp:post_date>2010-03-01 11:00:00</wp:post_date>
<wp:post_date_gmt>2010-03-01 11:00:00</wp:post_date_gmt>
<wp:comment_status>open</wp:comment_status>
<wp:ping_status>open</wp:ping_status>
<wp:post_name>hello</wp:post_name>
<wp:status>publish</wp:status>
<wp:post_parent>0</wp:post_parent>
<wp:menu_order>0</wp:menu_order>
<wp:post_type>post</wp:post_type>
<wp:post_password></wp:post_password>
<wp:comment>
<wp:comment_id>5</wp:comment_id>
<wp:comment_author><![CDATA[Bob]]></wp:comment_author>
<wp:comment_author_email>bob@example.com</wp:comment_author_email>
<wp:comment_author_url></wp:comment_author_url>
<wp:comment_author_IP>127.0.0.1</wp:comment_author_IP>
<wp:comment_date>2010-03-01 11:30:00</wp:comment_date>
<wp:comment_date_gmt>2010-03-01 11:30:00</wp:comment_date_gmt>
<wp:comment_content><![CDATA[Nice]]></wp:comment_content>
<wp:comment_approved>1</wp:comment_approved>
<wp:comment_type></wp:comment_type>
<wp:comment_parent>0</wp:comment_parent>
<wp:comment_user_id>0</wp:comment_user_id>
</wp:comment>
</item>
</channel>
</rss>
"#;

    #[test]
    fn reads_wxr_1_0() {
        let events = read_all(WXR_1_0).unwrap();
        let WxrEvent::Channel(channel) = &events[0] else { panic!("{events:?}") };
        assert_eq!(channel.wxr_version, "1.0");
        assert_eq!(channel.base_blog_url, "http://old.example", "falls back to base_site_url");
        let WxrEvent::Category(kids) = &events[2] else { panic!() };
        assert_eq!(kids.term_id, None);
        assert_eq!((kids.slug.as_str(), kids.name.as_str()), ("kids", "Kids"));
        assert_eq!(kids.parent.as_deref(), Some("uncategorized"));
        let WxrEvent::Tag(tag) = &events[3] else { panic!() };
        assert_eq!((tag.slug.as_str(), tag.name.as_str()), ("old", "old"));
        let item = items(&events)[0];
        assert_eq!(
            item.terms,
            [
                WxrItemTerm {
                    domain: "category".into(),
                    slug: "uncategorized".into(),
                    name: "Uncategorized".into()
                },
                WxrItemTerm { domain: "post_tag".into(), slug: "old".into(), name: "old".into() },
            ]
        );
        assert!(!item.is_sticky);
        assert_eq!(item.comments[0].id, 5);
        assert_eq!(item.comments[0].comment_type, "");
        assert_eq!(item.comments[0].author, "Bob");
    }

    #[test]
    fn missing_optional_tags_give_defaults() {
        let xml = format!(
            "{HEADER}<channel><wp:wxr_version> 1.1 </wp:wxr_version>\n\
             <item><title>Bare</title><wp:post_id>9</wp:post_id><wp:post_parent></wp:post_parent>\
             <wp:menu_order/><wp:comment><wp:comment_content>x</wp:comment_content>\
             <wp:comment_parent/></wp:comment></item>\n<item/></channel></rss>"
        );
        let events = read_all(&xml).unwrap();
        let WxrEvent::Channel(channel) = &events[0] else { panic!() };
        assert_eq!(channel, &WxrChannel { wxr_version: "1.1".into(), ..Default::default() });
        let items = items(&events);
        assert_eq!(items.len(), 2);
        let bare = items[0];
        assert_eq!((bare.post_id, bare.post_parent, bare.menu_order), (9, 0, 0));
        assert_eq!(bare.content, "");
        assert_eq!(bare.post_type, "");
        assert_eq!(bare.comments[0], WxrComment { content: "x".into(), ..Default::default() });
        assert_eq!(items[1].post_id, 0);
    }

    #[test]
    fn channel_without_entries_is_emitted_at_its_end() {
        let events = read_all(&wxr12("")).unwrap();
        assert_eq!(events.len(), 1);
        assert!(matches!(&events[0], WxrEvent::Channel(c) if c.title == "Test Blog"));
    }

    #[test]
    fn mismatched_tag_is_located() {
        let xml = wxr12("<item>\n\t<title>Oops</titel>\n</item>");
        let (offset, message) = syntax_error(&xml);
        assert!(message.contains("</titel>") && message.contains("</title>"), "{message}");
        let (line, column) = locate(xml.as_bytes(), offset).unwrap();
        let expected_line = xml.lines().position(|l| l.contains("</titel>")).unwrap() as u64 + 1;
        assert_eq!(line, expected_line);
        // `\t<title>Oops</titel>`: the bad end tag starts at character 13 (1-based).
        assert_eq!(column, 13, "offset {offset}: {message}");
    }

    #[test]
    fn locate_counts_characters_not_bytes() {
        let text = "ab\nçé😀x";
        let offset = text.find('x').unwrap() as u64;
        assert_eq!(locate(text.as_bytes(), offset).unwrap(), (2, 4));
        assert_eq!(locate(text.as_bytes(), 0).unwrap(), (1, 1));
        assert_eq!(locate(text.as_bytes(), 1000).unwrap(), (2, 5));
    }

    #[test]
    fn truncated_files_are_errors() {
        let full = FULL;
        for cut in [full.len() - 8, full.find("<wp:post_id>2").unwrap() + 5, full.find("Welcome").unwrap()] {
            let (offset, message) = syntax_error(&full[..cut]);
            assert!(offset <= cut as u64, "{offset} > {cut}");
            assert!(message.contains("truncated"), "cut at {cut}: {message}");
        }
    }

    #[test]
    fn file_without_wxr_version_is_refused() {
        let xml = format!(
            "{HEADER}<channel><title>t</title><item><wp:post_id>1</wp:post_id></item></channel></rss>"
        );
        let (offset, message) = syntax_error(&xml);
        assert_eq!(message, "not a WordPress export: no <wp:wxr_version>");
        assert!(xml[usize::try_from(offset).unwrap()..].starts_with("<item>"));

        let empty = format!("{HEADER}<channel><title>t</title></channel></rss>");
        assert_eq!(syntax_error(&empty).1, "not a WordPress export: no <wp:wxr_version>");
    }

    #[test]
    fn other_documents_are_refused() {
        assert!(syntax_error("<html><body/></html>").1.contains("not a WordPress export"));
        assert!(syntax_error("").1.contains("not a WordPress export"));
        assert!(syntax_error("<rss version=\"2.0\"></rss>").1.contains("no <channel>"));
        let bad = syntax_error(&wxr12("").replace(">1.2<", ">2.0<"));
        assert_eq!(bad.1, "unsupported WXR version 2.0");
    }

    #[test]
    fn bad_ids_and_entities_are_errors() {
        let xml = wxr12("<item><wp:post_id>12a</wp:post_id></item>");
        let (offset, message) = syntax_error(&xml);
        assert_eq!(message, "<wp:post_id> is not a number: \"12a\"");
        assert!(xml[usize::try_from(offset).unwrap()..].starts_with("<wp:post_id>"));

        let xml = wxr12("<item><wp:comment><wp:comment_id>x</wp:comment_id></wp:comment></item>");
        assert!(syntax_error(&xml).1.contains("<wp:comment_id> is not a number"));

        // HTML entities (WordPress plugins write them outside CDATA) are read, not refused;
        // an unknown one is an error at its position.
        let xml = wxr12("<item><title>a &nbsp;&raquo; b</title></item>");
        assert_eq!(items(&read_all(&xml).unwrap())[0].title, "a \u{a0}\u{bb} b");
        let xml = wxr12("<item><title>a &bogus; b</title></item>");
        let (offset, message) = syntax_error(&xml);
        assert!(message.contains("&bogus;"), "{message}");
        assert!(xml[usize::try_from(offset).unwrap()..].starts_with("&bogus;"));

        let xml = wxr12("<item><title>a & b</title></item>");
        let (_, message) = syntax_error(&xml);
        assert!(message.contains('&'), "{message}");
    }

    #[test]
    fn stray_nesting_does_not_panic() {
        let xml = wxr12(
            "<item><wp:post_id>1</wp:post_id><item><wp:post_id>2</wp:post_id><title>inner</title></item>\
             <wp:comment><wp:comment><wp:comment_id>3</wp:comment_id></wp:comment></wp:comment>\
             <wp:postmeta><wp:postmeta><wp:meta_key>k</wp:meta_key></wp:postmeta></wp:postmeta>\
             <category domain=\"category\" nicename=\"a\"><category nicename=\"b\">x</category></category>\
             <content:encoded><p>not <b>cdata</b></p></content:encoded>\
             <a><b><c><d><e><f><g><h>deep</h></g></f></e></d></c></b></a></item>",
        );
        let events = read_all(&xml).unwrap();
        let items = items(&events);
        assert_eq!(items.len(), 1);
        assert_eq!(items[0].post_id, 1);
        assert_eq!(items[0].title, "");
    }

    #[test]
    fn callback_errors_stop_the_read() {
        let mut seen = 0;
        let result = read_wxr(FULL.as_bytes(), |event| {
            seen += 1;
            match event {
                WxrEvent::Category(_) => Err("stop"),
                _ => Ok(()),
            }
        });
        assert!(matches!(result, Err(ReadError::Callback("stop"))));
        assert_eq!(seen, 3);
        assert_eq!(ReadError::<&str>::Callback("stop").to_string(), "stop");
    }

    #[test]
    fn reads_through_a_small_buffer() {
        let reader = std::io::BufReader::with_capacity(7, FULL.as_bytes());
        let mut events = Vec::new();
        read_wxr(reader, |event| {
            events.push(event);
            Ok::<(), Infallible>(())
        })
        .unwrap();
        assert_eq!(events, read_all(FULL).unwrap());
    }

    #[test]
    fn non_utf8_is_refused() {
        let decl = "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><rss></rss>";
        assert!(syntax_error(decl).1.contains("ISO-8859-1"));
        let mut bytes = wxr12("<item><title>caf_</title></item>").into_bytes();
        let at = bytes.iter().position(|&b| b == b'_').unwrap();
        bytes[at] = 0xE9;
        let result = read_wxr(bytes.as_slice(), |_| Ok::<(), Infallible>(()));
        let err = result.unwrap_err().into_wxr();
        assert!(err.to_string().contains("UTF-8"), "{err}");
    }

    #[test]
    fn byte_order_mark_is_accepted() {
        let xml = format!("\u{feff}{}", wxr12(""));
        assert_eq!(read_all(&xml).unwrap().len(), 1);
    }
}
