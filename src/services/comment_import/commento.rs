//! Commento's JSON export (Dashboard > Export): `comments` (`commentHex`, `domain`, `path`,
//! `parentHex` or `root`, `markdown`, `state`, `creationDate`, `deleted`) and `commenters`
//! (`commenterHex`, `email`, `name`, `link`).

use std::collections::HashMap;
use std::io::Read;

use serde::Deserialize;

use super::{parse_date, Body, Incoming};
use crate::db::enums::CommentStatus;
use crate::error::AppError;

#[derive(Deserialize)]
struct Export {
    #[serde(default)]
    comments: Vec<Comment>,
    #[serde(default)]
    commenters: Vec<Commenter>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Comment {
    comment_hex: String,
    domain: String,
    path: String,
    #[serde(default)]
    commenter_hex: String,
    #[serde(default)]
    markdown: String,
    #[serde(default)]
    parent_hex: String,
    #[serde(default)]
    state: String,
    creation_date: String,
    #[serde(default)]
    deleted: bool,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Commenter {
    commenter_hex: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    link: String,
}

pub fn read(input: impl Read) -> Result<Vec<Incoming>, AppError> {
    let export: Export = serde_json::from_reader(std::io::BufReader::new(input))
        .map_err(|e| AppError::Invalid(format!("not a Commento export ({e})")))?;
    let people: HashMap<String, Commenter> =
        export.commenters.into_iter().map(|c| (c.commenter_hex.clone(), c)).collect();
    export
        .comments
        .into_iter()
        .map(|c| {
            let who = people.get(&c.commenter_hex);
            let status = match (c.deleted, c.state.as_str()) {
                (true, _) => CommentStatus::Trash,
                (false, "approved") => CommentStatus::Approved,
                // "unapproved" and "flagged" were waiting for a moderator.
                _ => CommentStatus::Pending,
            };
            let path = if c.path.starts_with('/') { c.path.clone() } else { format!("/{}", c.path) };
            Ok(Incoming {
                created_at: parse_date(&c.creation_date)?,
                url: format!("https://{}{path}", c.domain),
                title: String::new(),
                parent: Some(c.parent_hex).filter(|p| !p.is_empty() && p != "root"),
                author: who.map(|w| w.name.clone()).unwrap_or_default(),
                email: who.map(|w| w.email.clone()).unwrap_or_default(),
                website: who.map(|w| w.link.clone()).filter(|l| l != "undefined").unwrap_or_default(),
                ip: None,
                body: Body::Markdown(c.markdown),
                id: c.comment_hex,
                status,
            })
        })
        .collect()
}
