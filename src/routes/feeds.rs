//! Atom feed and sitemap.

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use atom_syndication::{
    ContentBuilder, EntryBuilder, FeedBuilder, FixedDateTime, LinkBuilder, PersonBuilder, Text,
};
use chrono::{NaiveDateTime, TimeZone, Utc};

use crate::db::comments;
use crate::db::Change;
use crate::error::AppError;
use crate::i18n::{self, Locale};
use crate::routes::page_cache::{cacheable, CacheDeps};
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
    let (items, images) = state.db.read(|c| posts::feed(c, FEED_ENTRIES)).await?;
    let base = &state.config.server.base_url;
    let entries = items
        .iter()
        .map(|post| {
            let url = format!("{base}/posts/{}", post.slug);
            let image = post.featured_media_id.and_then(|id| images.get(&id)).map(|m| {
                format!(
                    "<p><img src=\"{base}{}\" alt=\"\"></p>",
                    crate::services::media::url_for_width(m, 960)
                )
            });
            // Feed readers resolve no relative URL: uploaded images get the site's address.
            let own = post
                .body_html
                .replace("src=\"/media/", &format!("src=\"{base}/media/"))
                .replace(", /media/", &format!(", {base}/media/"))
                .replace("srcset=\"/media/", &format!("srcset=\"{base}/media/"));
            let body = match image {
                Some(image) => format!("{image}{own}"),
                None => own,
            };
            EntryBuilder::default()
                .title(post.title.clone())
                .id(url.clone())
                .updated(utc(post.updated_at.max(post.published_at)))
                .published(Some(utc(post.published_at)))
                .links(vec![LinkBuilder::default().href(url).rel("alternate").build()])
                .summary(Some(Text::plain(post.excerpt.clone())))
                .content(Some(html_content(&body)))
                .build()
        })
        .collect();
    let site = state.navigation.site();
    Ok(feed_response(
        &state,
        FeedHead {
            title: site.title.clone(),
            subtitle: Some(site.description.clone()),
            id_path: "/".into(),
            self_path: "/feed.xml".into(),
            updated: items.iter().map(|p| p.updated_at.max(p.published_at)).max(),
            max_age: 300,
            shows: std::iter::once(Change::PostList)
                .chain(items.iter().map(|p| Change::Post(p.id)))
                .collect(),
        },
        entries,
    ))
}

/// What differs between the site's two feeds.
struct FeedHead {
    title: String,
    subtitle: Option<String>,
    id_path: String,
    self_path: String,
    updated: Option<NaiveDateTime>,
    max_age: u32,
    /// What the feed shows (the page cache's dependencies).
    shows: Vec<Change>,
}

fn html_content(html: &str) -> atom_syndication::Content {
    ContentBuilder::default().content_type(Some("html".to_string())).value(Some(html.to_string())).build()
}

fn feed_response(state: &AppState, head: FeedHead, entries: Vec<atom_syndication::Entry>) -> HttpResponse {
    let base = &state.config.server.base_url;
    let site = state.navigation.site();
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
    let response = HttpResponse::Ok()
        .content_type("application/atom+xml; charset=utf-8")
        .insert_header(("Cache-Control", format!("public, max-age={}", head.max_age)))
        .body(xml_text(feed));
    cacheable(response, CacheDeps { shows: head.shows, form: None })
}

/// `/sitemap.xml`: the index of the sitemaps (articles in files of at most
/// `posts::SITEMAP_CHUNK` URLs, then one for everything else).
pub async fn sitemap_index(state: web::Data<AppState>) -> Result<HttpResponse, AppError> {
    let (chunks, newest) = state.db.read(posts::sitemap_chunks).await?;
    let base = &state.config.server.base_url;
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for n in 1..=chunks {
        sitemap_entry(&mut xml, "sitemap", &format!("{base}/sitemap-posts-{n}.xml"), newest);
    }
    sitemap_entry(&mut xml, "sitemap", &format!("{base}/sitemap-site.xml"), newest);
    xml.push_str("</sitemapindex>\n");
    Ok(sitemap_response(xml))
}

/// `/sitemap-posts-N.xml`: the Nth chunk of published articles, newest first.
pub async fn sitemap_posts(state: web::Data<AppState>, n: web::Path<u32>) -> Result<HttpResponse, AppError> {
    let n = n.into_inner();
    let entries = state.db.read(move |c| posts::sitemap_posts(c, n)).await?;
    let base = &state.config.server.base_url;
    let mut xml = urlset_start();
    for (slug, at) in &entries {
        sitemap_entry(&mut xml, "url", &format!("{base}/posts/{slug}"), Some(*at));
    }
    xml.push_str("</urlset>\n");
    Ok(sitemap_response(xml))
}

/// `/sitemap-site.xml`: the front page, pages, categories and tags.
pub async fn sitemap_site(state: web::Data<AppState>) -> Result<HttpResponse, AppError> {
    let data = state.db.read(posts::sitemap_site).await?;
    let base = &state.config.server.base_url;
    let mut xml = urlset_start();
    sitemap_entry(&mut xml, "url", &format!("{base}/"), data.newest);
    for (slug, at) in &data.pages {
        sitemap_entry(&mut xml, "url", &format!("{base}/pages/{slug}"), Some(*at));
    }
    for category in &data.categories {
        sitemap_entry(&mut xml, "url", &format!("{base}/category/{}", category.slug), None);
    }
    for tag in &data.tags {
        sitemap_entry(&mut xml, "url", &format!("{base}/tag/{}", tag.slug), None);
    }
    xml.push_str("</urlset>\n");
    Ok(sitemap_response(xml))
}

fn urlset_start() -> String {
    String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    )
}

/// `<url>` or `<sitemap>` with its escaped `<loc>` and the day of `lastmod`.
fn sitemap_entry(xml: &mut String, element: &str, loc: &str, lastmod: Option<NaiveDateTime>) {
    use std::fmt::Write;
    let loc = quick_xml::escape::escape(loc);
    let _ = match lastmod {
        Some(at) => writeln!(
            xml,
            "  <{element}><loc>{loc}</loc><lastmod>{}</lastmod></{element}>",
            at.format("%Y-%m-%d")
        ),
        None => writeln!(xml, "  <{element}><loc>{loc}</loc></{element}>"),
    };
}

fn sitemap_response(xml: String) -> HttpResponse {
    let response = HttpResponse::build(StatusCode::OK)
        .content_type("application/xml; charset=utf-8")
        .body(crate::text::strip_forbidden(&xml).into_owned());
    cacheable(response, CacheDeps { shows: vec![Change::PostList], form: None })
}

const COMMENT_FEED_ENTRIES: i64 = 30;

fn comment_entries(
    base: &str,
    locale: &Locale,
    items: &[comments::FeedComment],
) -> Vec<atom_syndication::Entry> {
    items
        .iter()
        .map(|comment| {
            let url = format!("{base}/posts/{}#comment-{}", comment.post_slug, comment.id);
            EntryBuilder::default()
                .title(
                    locale.text(
                        &i18n::Text::new("feed-comment-entry")
                            .string("title", comment.post_title.clone())
                            .string("author", comment.author.clone()),
                    ),
                )
                .id(url.clone())
                .updated(utc(comment.created_at))
                .published(Some(utc(comment.created_at)))
                .authors(vec![PersonBuilder::default().name(comment.author.clone()).build()])
                .links(vec![LinkBuilder::default().href(url).rel("alternate").build()])
                .content(Some(html_content(&comment.body_html)))
                .build()
        })
        .collect()
}

/// Approved comments, newest first. Names and text only: no email, no IP.
pub async fn comments_atom(state: web::Data<AppState>) -> Result<HttpResponse, AppError> {
    let items = state.db.read(|c| Ok(comments::recent_approved(c, COMMENT_FEED_ENTRIES)?)).await?;
    let locale = state.locale();
    let entries = comment_entries(&state.config.server.base_url, locale, &items);
    let site_title = state.navigation.site().title.clone();
    Ok(feed_response(
        &state,
        FeedHead {
            title: locale.text(&i18n::Text::new("feed-comments-title").string("site", site_title)),
            subtitle: None,
            id_path: "/comments/".into(),
            self_path: "/comments/feed.xml".into(),
            updated: items.iter().map(|c| c.created_at).max(),
            max_age: 60,
            shows: vec![Change::CommentFeed, Change::PostList],
        },
        entries,
    ))
}

/// `/posts/{slug}/comments.xml`: one article's approved comments, newest first.
pub async fn post_comments_atom(
    state: web::Data<AppState>,
    slug: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let slug = slug.into_inner();
    let (post, items) = state
        .db
        .read(move |c| {
            let post = crate::db::posts::find_published_by_slug(c, &slug)?
                .filter(|p| p.kind == crate::db::enums::PostKind::Article)
                .ok_or(AppError::NotFound)?;
            let items = comments::recent_approved_for_post(c, post.id, COMMENT_FEED_ENTRIES)?;
            Ok((post, items))
        })
        .await?;
    let locale = state.locale();
    let entries = comment_entries(&state.config.server.base_url, locale, &items);
    Ok(feed_response(
        &state,
        FeedHead {
            title: locale
                .text(&i18n::Text::new("feed-post-comments-title").string("title", post.title.clone())),
            subtitle: None,
            id_path: format!("/posts/{}", post.slug),
            self_path: format!("/posts/{}/comments.xml", post.slug),
            updated: items.iter().map(|c| c.created_at).max().or(Some(post.published_at)),
            max_age: 60,
            shows: vec![Change::Comments(post.id), Change::Post(post.id)],
        },
        entries,
    ))
}
