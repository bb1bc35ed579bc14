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
use quick_xml::events::{BytesDecl, BytesRef, Event};
use quick_xml::Reader;

use state::State;

mod state;
#[cfg(test)]
mod tests;

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
            Event::GeneralRef(reference) => push_reference(&mut state.text, &reference, at)?,
            Event::Decl(decl) => check_encoding(&decl, at)?,
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

/// `&name;` or `&#233;` resolved into `text`; entities XML does not define are refused.
fn push_reference(text: &mut String, reference: &BytesRef<'_>, at: u64) -> Result<(), WxrError> {
    let name = reference.decode().map_err(|_| not_utf8(at))?;
    let resolved = reference
        .resolve_char_ref()
        .map_err(|err| WxrError::syntax(at, format!("invalid character reference &{name};: {err}")))?;
    if let Some(ch) = resolved {
        text.push(ch);
    } else if let Some(value) = resolve_predefined_entity(&name) {
        text.push_str(value);
    } else {
        return Err(WxrError::syntax(
            at,
            format!(
                "unknown entity &{name}; (XML only knows &amp; &lt; &gt; &quot; &apos; \
                 and numeric references like &#233;)"
            ),
        ));
    }
    Ok(())
}

/// Only UTF-8 exports are read (WordPress writes nothing else).
fn check_encoding(decl: &BytesDecl<'_>, at: u64) -> Result<(), WxrError> {
    if let Some(Ok(encoding)) = decl.encoding() {
        let encoding = String::from_utf8_lossy(&encoding).into_owned();
        if !encoding.eq_ignore_ascii_case("utf-8") && !encoding.eq_ignore_ascii_case("utf8") {
            return Err(WxrError::syntax(
                at,
                format!("unsupported file encoding {encoding}: only UTF-8 exports can be read"),
            ));
        }
    }
    Ok(())
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
