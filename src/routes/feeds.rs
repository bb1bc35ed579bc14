//! Atom feed and sitemap.

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use atom_syndication::{
    ContentBuilder, EntryBuilder, FeedBuilder, FixedDateTime, LinkBuilder, PersonBuilder, Text,
};
use chrono::{NaiveDateTime, TimeZone, Utc};
use serde::Serialize;

use crate::db::comments;
use crate::error::AppError;
use crate::services::posts;
use crate::state::AppState;

const FEED_ENTRIES: i64 = 20;

/// The feed as XML, without characters XML 1.0 cannot carry (rows older than the form's
/// refusal of them could hold some, and one would make the feed unreadable for everyone).
fn xml_text(feed: atom_syndication::Feed) -> String {
    crate::text::strip_forbidden(&feed.to_string()).into_owned()
}

fn utc(at: NaiveDateTime) -> FixedDateTime {
    Utc.from_utc_datetime(&at).fixed_offset()
}

pub async fn atom(state: web::Data<AppState>) -> Result<HttpResponse, AppError> {
    let items = state.db.read(|c| posts::feed(c, FEED_ENTRIES)).await?;
    let base = &state.config.server.base_url;
    let entries = items
        .iter()
        .map(|post| {
            let url = format!("{base}/posts/{}", post.slug);
            EntryBuilder::default()
                .title(post.title.clone())
                .id(url.clone())
                .updated(utc(post.updated_at.max(post.published_at)))
                .published(Some(utc(post.published_at)))
                .links(vec![LinkBuilder::default().href(url).rel("alternate").build()])
                .summary(Some(Text::plain(post.excerpt.clone())))
                .content(Some(html_content(&post.body_html)))
                .build()
        })
        .collect();
    let site = &state.config.site;
    Ok(feed_response(
        &state,
        FeedHead {
            title: site.title.clone(),
            subtitle: Some(site.description.clone()),
            id_path: "/",
            self_path: "/feed.xml",
            updated: items.iter().map(|p| p.updated_at.max(p.published_at)).max(),
            max_age: 300,
        },
        entries,
    ))
}

/// What differs between the site's two feeds.
struct FeedHead {
    title: String,
    subtitle: Option<String>,
    id_path: &'static str,
    self_path: &'static str,
    updated: Option<NaiveDateTime>,
    max_age: u32,
}

fn html_content(html: &str) -> atom_syndication::Content {
    ContentBuilder::default().content_type(Some("html".to_string())).value(Some(html.to_string())).build()
}

fn feed_response(state: &AppState, head: FeedHead, entries: Vec<atom_syndication::Entry>) -> HttpResponse {
    let base = &state.config.server.base_url;
    let site = &state.config.site;
    let feed = FeedBuilder::default()
        .title(head.title)
        .subtitle(head.subtitle.map(Text::plain))
        .id(format!("{base}{}", head.id_path))
        .updated(utc(head.updated.unwrap_or(chrono::DateTime::UNIX_EPOCH.naive_utc())))
        .lang(Some(site.language.clone()))
        .authors(vec![PersonBuilder::default().name(site.title.clone()).build()])
        .links(vec![
            LinkBuilder::default().href(format!("{base}{}", head.self_path)).rel("self").build(),
            LinkBuilder::default().href(format!("{base}/")).rel("alternate").build(),
        ])
        .entries(entries)
        .build();
    HttpResponse::Ok()
        .content_type("application/atom+xml; charset=utf-8")
        .insert_header(("Cache-Control", format!("public, max-age={}", head.max_age)))
        .body(xml_text(feed))
}

#[derive(Serialize)]
struct SitemapUrl {
    loc: String,
    lastmod: Option<String>,
}

#[derive(Serialize)]
struct SitemapView {
    urls: Vec<SitemapUrl>,
}

pub async fn sitemap(state: web::Data<AppState>) -> Result<HttpResponse, AppError> {
    let data = state.db.read(posts::sitemap).await?;
    let base = &state.config.server.base_url;
    let lastmod = |at: NaiveDateTime| Some(at.format("%Y-%m-%d").to_string());
    let mut urls = vec![SitemapUrl {
        loc: format!("{base}/"),
        lastmod: data.posts.iter().map(|p| p.updated_at).max().and_then(lastmod),
    }];
    urls.extend(data.posts.iter().map(|p| SitemapUrl {
        loc: format!("{base}/posts/{}", p.slug),
        lastmod: lastmod(p.updated_at.max(p.published_at)),
    }));
    urls.extend(data.pages.iter().map(|(slug, updated_at)| SitemapUrl {
        loc: format!("{base}/pages/{slug}"),
        lastmod: lastmod(*updated_at),
    }));
    urls.extend(
        data.categories
            .iter()
            .map(|c| SitemapUrl { loc: format!("{base}/category/{}", c.slug), lastmod: None }),
    );
    urls.extend(
        data.tags.iter().map(|t| SitemapUrl { loc: format!("{base}/tag/{}", t.slug), lastmod: None }),
    );
    let context = tera::Context::from_serialize(SitemapView { urls })?;
    let xml = state.tera.render("feeds/sitemap.xml", &context)?;
    Ok(HttpResponse::build(StatusCode::OK).content_type("application/xml; charset=utf-8").body(xml))
}

const COMMENT_FEED_ENTRIES: i64 = 30;

/// Approved comments, newest first. Names and text only: no email, no IP.
pub async fn comments_atom(state: web::Data<AppState>) -> Result<HttpResponse, AppError> {
    let items = state.db.read(|c| Ok(comments::recent_approved(c, COMMENT_FEED_ENTRIES)?)).await?;
    let base = &state.config.server.base_url;
    let entries = items
        .iter()
        .map(|comment| {
            let url = format!("{base}/posts/{}#comment-{}", comment.post_slug, comment.id);
            EntryBuilder::default()
                .title(format!("Comment on {} by {}", comment.post_title, comment.author))
                .id(url.clone())
                .updated(utc(comment.created_at))
                .published(Some(utc(comment.created_at)))
                .authors(vec![PersonBuilder::default().name(comment.author.clone()).build()])
                .links(vec![LinkBuilder::default().href(url).rel("alternate").build()])
                .content(Some(html_content(&comment.body_html)))
                .build()
        })
        .collect();
    Ok(feed_response(
        &state,
        FeedHead {
            title: format!("Comments on {}", state.config.site.title),
            subtitle: None,
            id_path: "/comments/",
            self_path: "/comments/feed.xml",
            updated: items.iter().map(|c| c.created_at).max(),
            max_age: 60,
        },
        entries,
    ))
}
