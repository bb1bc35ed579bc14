//! The reader's state machine: which element is open, the entry being built, and where each
//! closing element's text goes.

use quick_xml::events::BytesStart;

use super::*;

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
pub(super) struct State {
    stack: Vec<Open>,
    /// Text of the innermost element since its start tag (or since its last child ended).
    pub(super) text: String,
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

/// What an element named `name` opening under `stack` is.
fn start_kind(stack: &[Open], name: &str) -> StartKind {
    let Some(names) = path(stack) else { return StartKind::Other };
    match (&names[..stack.len()], name) {
        (["rss"], "channel") => StartKind::Channel,
        (["rss", "channel"], "wp:author" | "wp:category" | "wp:tag" | "wp:term" | "item") => StartKind::Entry,
        (["rss", "channel", "item"], "category") => StartKind::ItemTerm,
        (["rss", "channel", "item"], "wp:comment") => StartKind::Comment,
        (["rss", "channel", "item"], "wp:postmeta")
        | (["rss", "channel", "item", "wp:comment"], "wp:commentmeta")
        | (["rss", "channel", "wp:category" | "wp:tag" | "wp:term"], "wp:termmeta") => StartKind::Meta,
        _ => StartKind::Other,
    }
}

/// The entry a channel child named `name` starts.
fn new_entry(name: &str, offset: u64) -> Entry {
    match name {
        "wp:author" => Entry::Author(WxrAuthor::default()),
        "wp:category" => Entry::Category(WxrTerm { taxonomy: "category".into(), ..Default::default() }),
        "wp:tag" => Entry::Tag(WxrTerm { taxonomy: "post_tag".into(), ..Default::default() }),
        "wp:term" => Entry::Term(WxrTerm::default()),
        _ => Entry::Item(Box::new(WxrItem { offset, ..Default::default() })),
    }
}

/// An item's `<category>`: only terms with a nicename count (WXR 1.0 adds attribute-less
/// duplicates), and WXR 1.0's `tag` domain is `post_tag`.
fn item_term(start: &BytesStart<'_>, offset: u64) -> Result<Option<WxrItemTerm>, WxrError> {
    let Some(slug) = attribute(start, "nicename", offset)? else { return Ok(None) };
    let mut domain = attribute(start, "domain", offset)?.unwrap_or_default();
    if domain == "tag" {
        domain = "post_tag".into();
    }
    Ok(Some(WxrItemTerm { domain, slug, name: String::new() }))
}

fn check_version(version: &str, offset: u64) -> Result<(), WxrError> {
    if version.is_empty() {
        return Err(WxrError::syntax(offset, "not a WordPress export: empty <wp:wxr_version>"));
    }
    if !SUPPORTED_VERSIONS.contains(&version) {
        return Err(WxrError::syntax(offset, format!("unsupported WXR version {version}")));
    }
    Ok(())
}

fn fill_channel(channel: &mut WxrChannel, name: &str, text: &str) {
    match name {
        "title" => channel.title = trimmed(text),
        "link" => channel.link = trimmed(text),
        "description" => channel.description = trimmed(text),
        "language" => channel.language = trimmed(text),
        "wp:base_site_url" => channel.base_site_url = trimmed(text),
        "wp:base_blog_url" => channel.base_blog_url = trimmed(text),
        _ => {}
    }
}

fn fill_author(author: &mut WxrAuthor, name: &str, text: &str) {
    match name {
        "wp:author_id" => author.id = optional_int(text),
        "wp:author_login" => author.login = trimmed(text),
        "wp:author_email" => author.email = trimmed(text),
        "wp:author_display_name" => author.display_name = trimmed(text),
        "wp:author_first_name" => author.first_name = trimmed(text),
        "wp:author_last_name" => author.last_name = trimmed(text),
        _ => {}
    }
}

fn fill_term(term: &mut WxrTerm, name: &str, text: &str, meta: &mut Option<(String, String)>) {
    match name {
        "wp:term_id" => term.term_id = optional_int(text),
        "wp:category_nicename" | "wp:tag_slug" | "wp:term_slug" => term.slug = trimmed(text),
        "wp:cat_name" | "wp:tag_name" | "wp:term_name" => term.name = trimmed(text),
        "wp:category_parent" | "wp:term_parent" => term.parent = optional_string(text),
        "wp:category_description" | "wp:tag_description" | "wp:term_description" => {
            term.description = trimmed(text)
        }
        "wp:term_taxonomy" => term.taxonomy = trimmed(text),
        "wp:termmeta" => term.meta.extend(meta.take()),
        _ => {}
    }
}

/// An item's own fields; children (terms, meta, comments) are handed over as they close.
fn fill_item(item: &mut WxrItem, open: &Open, text: &str) -> Result<(), WxrError> {
    let name = open.name.as_str();
    match name {
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
        _ => {}
    }
    Ok(())
}

fn fill_comment(
    comment: &mut WxrComment,
    open: &Open,
    text: &str,
    meta: &mut Option<(String, String)>,
) -> Result<(), WxrError> {
    let name = open.name.as_str();
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
        "wp:commentmeta" => comment.meta.extend(meta.take()),
        _ => {}
    }
    Ok(())
}

fn fill_meta(meta: &mut Option<(String, String)>, name: &str, text: &str) {
    if let Some((key, value)) = meta.as_mut() {
        match name {
            "wp:meta_key" => *key = trimmed(text),
            "wp:meta_value" => *value = text.to_owned(),
            _ => {}
        }
    }
}

impl State {
    pub(super) fn start<E>(
        &mut self,
        start: &BytesStart<'_>,
        offset: u64,
        emit: &mut impl FnMut(WxrEvent) -> Result<(), ReadError<E>>,
    ) -> Result<(), ReadError<E>> {
        let name = std::str::from_utf8(start.name().as_ref()).map_err(|_| not_utf8(offset))?.to_owned();
        if self.stack.is_empty() {
            self.check_root(&name, offset)?;
        }
        self.text.clear();
        match start_kind(&self.stack, &name) {
            StartKind::Channel => self.channel_seen = true,
            StartKind::Entry => {
                self.emit_channel(offset, emit)?;
                self.comment = None;
                self.meta = None;
                self.item_term = None;
                self.entry = new_entry(&name, offset);
            }
            StartKind::ItemTerm => self.item_term = item_term(start, offset)?,
            StartKind::Comment => self.comment = Some(WxrComment::default()),
            StartKind::Meta => self.meta = Some(Default::default()),
            StartKind::Other => {}
        }
        self.stack.push(Open { name, offset });
        Ok(())
    }

    /// The document element: exactly one, and `<rss>`.
    fn check_root(&mut self, name: &str, offset: u64) -> Result<(), WxrError> {
        if self.root_seen {
            return Err(WxrError::syntax(offset, format!("unexpected <{name}> after the end of <rss>")));
        }
        if name != "rss" {
            return Err(WxrError::syntax(
                offset,
                format!("not a WordPress export: the document is <{name}>, not <rss>"),
            ));
        }
        self.root_seen = true;
        Ok(())
    }

    pub(super) fn end<E>(
        &mut self,
        emit: &mut impl FnMut(WxrEvent) -> Result<(), ReadError<E>>,
    ) -> Result<(), ReadError<E>> {
        let Some(open) = self.stack.pop() else { return Ok(()) };
        let text = std::mem::take(&mut self.text);
        match self.close(&open, &text)? {
            Action::Nothing => {}
            Action::Channel => self.emit_channel(open.offset, emit)?,
            Action::Version(version) => {
                check_version(&version, open.offset)?;
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
            (["rss"], _) if name == "channel" => return Ok(Action::Channel),
            (["rss", "channel"], _) => match name {
                "wp:author" | "wp:category" | "wp:tag" | "wp:term" | "item" => return Ok(Action::Entry),
                "wp:wxr_version" => return Ok(Action::Version(trimmed(text))),
                _ => fill_channel(&mut self.channel, name, text),
            },
            (["rss", "channel", "wp:author"], Entry::Author(author)) => fill_author(author, name, text),
            (
                ["rss", "channel", "wp:category" | "wp:tag" | "wp:term"],
                Entry::Category(term) | Entry::Tag(term) | Entry::Term(term),
            ) => fill_term(term, name, text, &mut self.meta),
            (["rss", "channel", "item"], Entry::Item(item)) => match name {
                "category" => {
                    if let Some(mut term) = self.item_term.take() {
                        term.name = trimmed(text);
                        item.terms.push(term);
                    }
                }
                "wp:postmeta" => item.meta.extend(self.meta.take()),
                "wp:comment" => item.comments.extend(self.comment.take()),
                _ => fill_item(item, open, text)?,
            },
            (["rss", "channel", "item", "wp:comment"], Entry::Item(_)) => {
                if let Some(comment) = self.comment.as_mut() {
                    fill_comment(comment, open, text, &mut self.meta)?;
                }
            }
            (
                ["rss", "channel", "item", "wp:postmeta"]
                | ["rss", "channel", "item", "wp:comment", "wp:commentmeta"]
                | ["rss", "channel", "wp:category" | "wp:tag" | "wp:term", "wp:termmeta"],
                _,
            ) => fill_meta(&mut self.meta, name, text),
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

    pub(super) fn finish<E>(
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
