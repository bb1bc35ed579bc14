//! Isso's own SQLite file: `threads (id, uri, title)` and `comments (tid, id, parent, created,
//! mode, remote_addr, text, author, email, website)`. `uri` is a path: `--site` names the site.
//! Modes: 1 public, 2 waiting for moderation, 4 deleted (kept as a placeholder for replies).

use diesel::prelude::*;
use diesel::sql_types::{Double, Integer, Nullable, Text};

use super::{Body, Incoming};
use crate::db::enums::CommentStatus;
use crate::error::AppError;

#[derive(QueryableByName)]
struct Row {
    #[diesel(sql_type = Integer)]
    id: i32,
    #[diesel(sql_type = Nullable<Integer>)]
    parent: Option<i32>,
    #[diesel(sql_type = Double)]
    created: f64,
    #[diesel(sql_type = Integer)]
    mode: i32,
    #[diesel(sql_type = Nullable<Text>)]
    remote_addr: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    text: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    author: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    email: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    website: Option<String>,
    #[diesel(sql_type = Text)]
    uri: String,
    #[diesel(sql_type = Nullable<Text>)]
    title: Option<String>,
}

/// The source comments are kept under: per site, since an Isso file holds paths only.
pub fn source_key(site: Option<&str>) -> String {
    match site {
        Some(site) => format!("isso:{site}"),
        None => "isso".into(),
    }
}

pub fn read(file: &std::path::Path) -> Result<Vec<Incoming>, AppError> {
    if !file.is_file() {
        return Err(AppError::Invalid(format!("{} is not a file", file.display())));
    }
    // Read-only: the old system's file is never changed.
    let path: String = file
        .to_string_lossy()
        .chars()
        .map(|c| match c {
            '?' => "%3f".to_string(),
            '#' => "%23".to_string(),
            '%' => "%25".to_string(),
            c => c.to_string(),
        })
        .collect();
    let url = format!("file:{path}?mode=ro");
    let mut conn = diesel::SqliteConnection::establish(&url)
        .map_err(|e| AppError::Invalid(format!("cannot open {}: {e}", file.display())))?;
    let rows: Vec<Row> = diesel::sql_query(
        "SELECT c.id, c.parent, c.created, c.mode, c.remote_addr, c.text, c.author, c.email, c.website, \
         t.uri, t.title FROM comments c JOIN threads t ON t.id = c.tid ORDER BY c.id",
    )
    .load(&mut conn)
    .map_err(|e| AppError::Invalid(format!("not an Isso database ({e})")))?;
    rows.into_iter()
        .map(|r| {
            let status = match r.mode {
                1 => CommentStatus::Approved,
                2 => CommentStatus::Pending,
                _ => CommentStatus::Trash,
            };
            let created_at = chrono::DateTime::from_timestamp(r.created as i64, 0)
                .filter(|_| r.created >= 0.0)
                .ok_or_else(|| AppError::Invalid(format!("comment {} has no usable date", r.id)))?
                .naive_utc();
            // Ids count from 1 in every Isso database: named with their page, so two blogs'
            // files (or two sites, see `source_key`) never take each other's place.
            Ok(Incoming {
                id: format!("{}#{}", r.uri, r.id),
                parent: r.parent.map(|p| format!("{}#{p}", r.uri)),
                url: r.uri,
                title: r.title.unwrap_or_default(),
                author: r.author.unwrap_or_default(),
                email: r.email.unwrap_or_default(),
                website: r.website.unwrap_or_default(),
                ip: r.remote_addr,
                body: Body::Markdown(r.text.unwrap_or_default()),
                created_at,
                status,
            })
        })
        .collect()
}
