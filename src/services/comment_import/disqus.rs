//! Disqus's XML export (Admin > Moderate > Export): `<thread dsq:id>` elements with the page's
//! link and title, then `<post>` elements naming their thread and parent. Read as a stream.

use std::collections::HashMap;
use std::io::BufRead;

use quick_xml::events::Event;
use quick_xml::Reader;

use super::{parse_date, Body, Incoming};
use crate::db::enums::CommentStatus;
use crate::error::AppError;

#[derive(Default)]
struct Post {
    id: String,
    thread: String,
    parent: Option<String>,
    message: String,
    created_at: String,
    name: String,
    email: String,
    ip: String,
    deleted: bool,
    spam: bool,
    approved: bool,
}

pub fn read(input: impl BufRead) -> Result<Vec<Incoming>, AppError> {
    let mut xml = Reader::from_reader(input);
    xml.config_mut().expand_empty_elements = true;
    let bad = |e: &dyn std::fmt::Display| AppError::Invalid(format!("not a Disqus export: {e}"));
    let mut path: Vec<String> = Vec::new();
    let mut text = String::new();
    // dsq:id -> (link, title, deleted: its comments were not shown).
    let mut threads: HashMap<String, (String, String, bool)> = HashMap::new();
    let (mut thread_id, mut link, mut title) = (String::new(), String::new(), String::new());
    let mut thread_deleted = false;
    let mut post: Option<Post> = None;
    let mut posts = Vec::new();
    let mut buf = Vec::new();
    let mut saw_root = false;
    loop {
        buf.clear();
        match xml.read_event_into(&mut buf).map_err(|e| bad(&e))? {
            Event::Start(start) => {
                let name = String::from_utf8_lossy(start.local_name().as_ref()).into_owned();
                let dsq_id = start
                    .attributes()
                    .flatten()
                    .find(|a| a.key.as_ref() == b"dsq:id")
                    .map(|a| String::from_utf8_lossy(&a.value).into_owned());
                saw_root |= path.is_empty() && name == "disqus";
                match (path.len(), name.as_str()) {
                    (1, "thread") => {
                        (thread_id, link, title) = (dsq_id.unwrap_or_default(), String::new(), String::new());
                        thread_deleted = false;
                    }
                    (1, "post") => {
                        post =
                            Some(Post { id: dsq_id.unwrap_or_default(), approved: true, ..Post::default() })
                    }
                    (2, "thread") => {
                        if let Some(p) = post.as_mut() {
                            p.thread = dsq_id.unwrap_or_default();
                        }
                    }
                    (2, "parent") => {
                        if let Some(p) = post.as_mut() {
                            p.parent = dsq_id;
                        }
                    }
                    _ => {}
                }
                path.push(name);
                text.clear();
            }
            Event::Text(t) => text.push_str(&t.decode().map_err(|e| bad(&e))?),
            Event::CData(c) => text.push_str(&c.decode().map_err(|e| bad(&e))?),
            Event::GeneralRef(r) => {
                let name = r.decode().map_err(|e| bad(&e))?;
                match r.resolve_char_ref().map_err(|e| bad(&e))? {
                    Some(ch) => text.push(ch),
                    None => text.push_str(quick_xml::escape::resolve_predefined_entity(&name).unwrap_or("")),
                }
            }
            Event::End(_) => {
                let name = path.pop().unwrap_or_default();
                let value = std::mem::take(&mut text);
                let parent = path.last().map(String::as_str);
                let in_post = path.get(1).map(String::as_str) == Some("post");
                match (path.len(), name.as_str(), parent) {
                    (1, "thread", _) => {
                        threads.insert(
                            std::mem::take(&mut thread_id),
                            (std::mem::take(&mut link), std::mem::take(&mut title), thread_deleted),
                        );
                    }
                    (2, "link", Some("thread")) => link = value.trim().to_string(),
                    (2, "title", Some("thread")) => title = value.trim().to_string(),
                    (2, "isDeleted", Some("thread")) => thread_deleted = value.trim() == "true",
                    (1, "post", _) => posts.extend(post.take()),
                    _ if in_post => {
                        if let Some(p) = post.as_mut() {
                            let flag = value.trim() == "true";
                            match (path.len(), name.as_str()) {
                                (2, "message") => p.message = value,
                                (2, "createdAt") => p.created_at = value.trim().to_string(),
                                (2, "isDeleted") => p.deleted = flag,
                                (2, "isSpam") => p.spam = flag,
                                (2, "isApproved") => p.approved = flag,
                                (2, "ipAddress") => p.ip = value.trim().to_string(),
                                (3, "name") => p.name = value.trim().to_string(),
                                (3, "email") => p.email = value.trim().to_string(),
                                _ => {}
                            }
                        }
                    }
                    _ => {}
                }
            }
            Event::Eof if !saw_root => return Err(bad(&"no <disqus> element")),
            Event::Eof => break,
            _ => {}
        }
    }
    posts
        .into_iter()
        .map(|p| {
            let (url, title, thread_deleted) = threads.get(&p.thread).cloned().ok_or_else(|| {
                AppError::Invalid(format!("post {} names thread {} that is not in the file", p.id, p.thread))
            })?;
            let status = if p.spam {
                CommentStatus::Spam
            } else if p.deleted || thread_deleted {
                CommentStatus::Trash
            } else if p.approved {
                CommentStatus::Approved
            } else {
                CommentStatus::Pending
            };
            let created_at = parse_date(&p.created_at)
                .map_err(|e| AppError::Invalid(format!("post {}: {}", p.id, e.public_message())))?;
            Ok(Incoming {
                created_at,
                id: p.id,
                url,
                title,
                parent: p.parent,
                author: p.name,
                email: p.email,
                website: String::new(),
                ip: Some(p.ip),
                body: Body::Html(p.message),
                status,
            })
        })
        .collect()
}
