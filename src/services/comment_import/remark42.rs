//! Remark42's backup (`remark42 backup`, gzipped or not): a first line of site metadata, then
//! one JSON comment a line (`id`, `pid`, `text` as HTML, `user`, `locator.url`, `time`,
//! `title`, `delete`). Read line by line. Remark42 keeps no emails and has no pending state.

use std::io::{BufRead, BufReader, Read};

use serde::Deserialize;

use super::{parse_date, Body, Incoming};
use crate::db::enums::CommentStatus;
use crate::error::AppError;

#[derive(Deserialize)]
struct Line {
    id: Option<String>,
    #[serde(default)]
    pid: String,
    #[serde(default)]
    text: String,
    #[serde(default)]
    user: User,
    locator: Option<Locator>,
    #[serde(default)]
    time: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    delete: bool,
}

#[derive(Deserialize, Default)]
struct User {
    #[serde(default)]
    name: String,
}

#[derive(Deserialize)]
struct Locator {
    url: String,
}

pub fn read(input: impl Read) -> Result<Vec<Incoming>, AppError> {
    let mut input = BufReader::new(input);
    let gzipped = input.fill_buf().map_err(io)?.starts_with(&[0x1f, 0x8b]);
    let lines: Box<dyn BufRead> =
        if gzipped { Box::new(BufReader::new(flate2::read::GzDecoder::new(input))) } else { Box::new(input) };
    let mut out = Vec::new();
    for (n, line) in lines.lines().enumerate() {
        let line = line.map_err(io)?;
        if line.trim().is_empty() {
            continue;
        }
        let parsed: Line = serde_json::from_str(&line)
            .map_err(|e| AppError::Invalid(format!("line {}: not a Remark42 backup line ({e})", n + 1)))?;
        // The metadata line (version, users, posts) has no comment id or locator.
        let (Some(id), Some(locator)) = (parsed.id, parsed.locator) else { continue };
        out.push(Incoming {
            created_at: parse_date(&parsed.time)?,
            id,
            url: locator.url,
            title: parsed.title,
            parent: Some(parsed.pid).filter(|p| !p.is_empty()),
            author: parsed.user.name,
            email: String::new(),
            website: String::new(),
            ip: None,
            body: Body::Html(parsed.text),
            status: if parsed.delete { CommentStatus::Trash } else { CommentStatus::Approved },
        });
    }
    Ok(out)
}

fn io(e: std::io::Error) -> AppError {
    AppError::Invalid(format!("cannot read the backup: {e}"))
}
