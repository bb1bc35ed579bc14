//! `marginalia export wxr`: the whole blog as a WXR 1.2 file, written as it is read (a page of
//! posts at a time), in the layout WordPress's own exporter writes so its importer reads it.

use std::collections::HashMap;
use std::fmt;
use std::io::Write;
use std::path::Path;

use crate::db::Conn;
use chrono::NaiveDateTime;

use crate::config::Config;
use crate::db::comments::Comment;
use crate::db::enums::{BodyFormat, CommentFormat, CommentKind, CommentStatus, PostKind, PostStatus};
use crate::db::ids::{CategoryId, PostId};
use crate::db::posts::{self, Post};
use crate::db::taxonomy::{self, Category};
use crate::db::wordpress as wp_db;
use crate::db::Db;
use crate::error::AppError;
use crate::services::{posts as post_service, slug};

const POSTS_PER_PAGE: i64 = 200;
/// dc:creator of posts without an author name.
const DEFAULT_LOGIN: &str = "admin";

/// What the channel says about the site.
#[derive(Debug, Clone)]
pub struct SiteInfo {
    pub title: String,
    pub description: String,
    pub language: String,
    pub base_url: String,
}

impl SiteInfo {
    pub fn from_config(config: &Config) -> SiteInfo {
        SiteInfo {
            title: config.site.title.clone(),
            description: config.site.description.clone(),
            language: config.site.language.clone(),
            base_url: config.server.base_url.trim_end_matches('/').to_string(),
        }
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ExportCounts {
    pub articles: u64,
    pub pages: u64,
    pub comments: u64,
}

impl fmt::Display for ExportCounts {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} articles, {} pages, {} comments", self.articles, self.pages, self.comments)
    }
}

/// Writes to `path` through a temporary file beside it, renamed at the end: a failed export
/// never leaves a truncated file under the name asked for.
pub fn export_to_file(
    db: &Db,
    site: &SiteInfo,
    path: &Path,
    with_spam: bool,
) -> Result<ExportCounts, AppError> {
    let io = |e: std::io::Error| AppError::Invalid(format!("{}: {e}", path.display()));
    let dir = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let partial = dir.join(format!(".{name}.partial"));
    let file = std::fs::File::create(&partial).map_err(io)?;
    let result = export(db, site, std::io::BufWriter::with_capacity(1 << 16, file), with_spam);
    match result {
        Ok(counts) => {
            std::fs::rename(&partial, path).map_err(io)?;
            Ok(counts)
        }
        Err(e) => {
            let _ = std::fs::remove_file(&partial);
            Err(e)
        }
    }
}

/// Writes the export to `out`, from one read transaction: a consistent snapshot even while
/// the site takes comments (a reply is never exported without its parent).
pub fn export<W: Write>(db: &Db, site: &SiteInfo, out: W, with_spam: bool) -> Result<ExportCounts, AppError> {
    db.snapshot_now(|c| export_snapshot(c, site, out, with_spam))
}

fn export_snapshot<W: Write>(
    conn: &mut Conn,
    site: &SiteInfo,
    mut out: W,
    with_spam: bool,
) -> Result<ExportCounts, AppError> {
    let io = |e: std::io::Error| AppError::Internal(format!("writing the export: {e}"));
    let categories = taxonomy::all_categories(conn)?;
    let tags = taxonomy::all_tags(conn)?;
    let authors = posts::author_names(conn)?;
    write_header(&mut out, site, &categories, &tags, &authors).map_err(io)?;
    let by_id: HashMap<CategoryId, Category> = categories.into_iter().map(|c| (c.id, c)).collect();
    let mut counts = ExportCounts::default();
    let mut after = PostId(0);
    loop {
        let page = posts::page_by_id(conn, after, POSTS_PER_PAGE)?;
        let Some(last) = page.last() else { break };
        after = last.id;
        for post in &page {
            let post_tags = taxonomy::tags_for_post(conn, post.id)?;
            let comments = wp_db::comments_for_export(conn, post.id, with_spam)?;
            let category = post.category_id.and_then(|id| by_id.get(&id));
            write_item(&mut out, site, post, category, &post_tags, &comments).map_err(io)?;
            match post.kind {
                // A thread of another site's page goes out as a post (its comments with it).
                PostKind::Article | PostKind::Thread => counts.articles += 1,
                PostKind::Page => counts.pages += 1,
            }
            counts.comments += comments.len() as u64;
        }
    }
    out.write_all(b"</channel>\n</rss>\n").map_err(io)?;
    out.flush().map_err(io)?;
    Ok(counts)
}

fn write_header<W: Write>(
    out: &mut W,
    site: &SiteInfo,
    categories: &[Category],
    tags: &[taxonomy::Tag],
    authors: &[String],
) -> std::io::Result<()> {
    let now = chrono::Utc::now();
    writeln!(out, "<?xml version=\"1.0\" encoding=\"UTF-8\" ?>")?;
    writeln!(
        out,
        "<!-- This is a WordPress eXtended RSS file generated by marginalia as an export of your site. -->"
    )?;
    writeln!(out, "<!-- To import it into WordPress, use Tools > Import > WordPress. -->")?;
    writeln!(
        out,
        "<rss version=\"2.0\"\n\txmlns:excerpt=\"http://wordpress.org/export/1.2/excerpt/\"\n\
         \txmlns:content=\"http://purl.org/rss/1.0/modules/content/\"\n\
         \txmlns:wfw=\"http://wellformedweb.org/CommentAPI/\"\n\
         \txmlns:dc=\"http://purl.org/dc/elements/1.1/\"\n\
         \txmlns:wp=\"http://wordpress.org/export/1.2/\"\n>\n"
    )?;
    writeln!(out, "<channel>")?;
    writeln!(out, "\t<title>{}</title>", text(&site.title))?;
    writeln!(out, "\t<link>{}</link>", text(&site.base_url))?;
    writeln!(out, "\t<description>{}</description>", text(&site.description))?;
    writeln!(out, "\t<pubDate>{}</pubDate>", now.to_rfc2822())?;
    writeln!(out, "\t<language>{}</language>", text(&site.language))?;
    writeln!(out, "\t<wp:wxr_version>1.2</wp:wxr_version>")?;
    writeln!(out, "\t<wp:base_site_url>{}</wp:base_site_url>", text(&site.base_url))?;
    writeln!(out, "\t<wp:base_blog_url>{}</wp:base_blog_url>", text(&site.base_url))?;
    write_authors(out, authors)?;
    write_terms(out, categories, tags)?;
    writeln!(
        out,
        "\n\t<generator>https://github.com/marginalia?v={}</generator>\n",
        env!("CARGO_PKG_VERSION")
    )?;
    Ok(())
}

fn write_authors<W: Write>(out: &mut W, authors: &[String]) -> std::io::Result<()> {
    let mut logins = vec![(DEFAULT_LOGIN.to_string(), "Admin".to_string())];
    logins.extend(authors.iter().map(|name| (login_for(Some(name)), name.clone())));
    logins.dedup_by(|a, b| a.0 == b.0);
    for (id, (login, name)) in logins.iter().enumerate() {
        writeln!(
            out,
            "\t<wp:author><wp:author_id>{}</wp:author_id><wp:author_login>{}</wp:author_login>\
             <wp:author_email>{}</wp:author_email><wp:author_display_name>{}</wp:author_display_name>\
             <wp:author_first_name>{}</wp:author_first_name><wp:author_last_name>{}</wp:author_last_name></wp:author>",
            id + 1,
            cdata(login),
            cdata(""),
            cdata(name),
            cdata(""),
            cdata("")
        )?;
    }
    writeln!(out)
}

fn write_terms<W: Write>(
    out: &mut W,
    categories: &[Category],
    tags: &[taxonomy::Tag],
) -> std::io::Result<()> {
    for category in categories {
        writeln!(
            out,
            "\t<wp:category>\n\t\t<wp:term_id>{}</wp:term_id>\n\t\t<wp:category_nicename>{}</wp:category_nicename>\n\
             \t\t<wp:category_parent>{}</wp:category_parent>\n\t\t<wp:cat_name>{}</wp:cat_name>\n\t</wp:category>",
            category.id.0,
            cdata(&category.slug),
            cdata(""),
            cdata(&category.name)
        )?;
    }
    for tag in tags {
        writeln!(
            out,
            "\t<wp:tag>\n\t\t<wp:term_id>{}</wp:term_id>\n\t\t<wp:tag_slug>{}</wp:tag_slug>\n\
             \t\t<wp:tag_name>{}</wp:tag_name>\n\t</wp:tag>",
            tag.id.0,
            cdata(&tag.slug),
            cdata(&tag.name)
        )?;
    }
    Ok(())
}

fn write_item<W: Write>(
    out: &mut W,
    site: &SiteInfo,
    post: &Post,
    category: Option<&Category>,
    tags: &[taxonomy::Tag],
    comments: &[Comment],
) -> std::io::Result<()> {
    let link = format!("{}{}", site.base_url, post_service::public_path(post.kind, &post.slug));
    // WordPress knows no Markdown: it gets our rendered HTML, in a Custom HTML block so its
    // editor keeps it as it is (no paragraphs added).
    let html = match post.body_format {
        BodyFormat::Html => post.body_source.as_str(),
        BodyFormat::Markdown => post.body_html.as_str(),
    };
    let content = format!("<!-- wp:html -->\n{}\n<!-- /wp:html -->", html.trim_end());
    let (post_type, status) = (
        match post.kind {
            PostKind::Article | PostKind::Thread => "post",
            PostKind::Page => "page",
        },
        match post.status {
            PostStatus::Published => "publish",
            PostStatus::Draft => "draft",
            PostStatus::Scheduled => "future",
            PostStatus::Trash => "trash",
        },
    );
    writeln!(out, "\t<item>")?;
    writeln!(out, "\t\t<title>{}</title>", cdata(&post.title))?;
    writeln!(out, "\t\t<link>{}</link>", text(&link))?;
    writeln!(out, "\t\t<pubDate>{}</pubDate>", post.published_at.and_utc().to_rfc2822())?;
    writeln!(out, "\t\t<dc:creator>{}</dc:creator>", cdata(&login_for(post.author_name.as_deref())))?;
    writeln!(out, "\t\t<guid isPermaLink=\"false\">{}/?p={}</guid>", text(&site.base_url), post.id.0)?;
    writeln!(out, "\t\t<description></description>")?;
    writeln!(out, "\t\t<content:encoded>{}</content:encoded>", cdata(&content))?;
    writeln!(out, "\t\t<excerpt:encoded>{}</excerpt:encoded>", cdata(&post.excerpt))?;
    writeln!(out, "\t\t<wp:post_id>{}</wp:post_id>", post.id.0)?;
    writeln!(out, "\t\t<wp:post_date>{}</wp:post_date>", cdata(&wp_date(post.published_at)))?;
    writeln!(out, "\t\t<wp:post_date_gmt>{}</wp:post_date_gmt>", cdata(&wp_date(post.published_at)))?;
    writeln!(out, "\t\t<wp:post_modified>{}</wp:post_modified>", cdata(&wp_date(post.updated_at)))?;
    writeln!(out, "\t\t<wp:post_modified_gmt>{}</wp:post_modified_gmt>", cdata(&wp_date(post.updated_at)))?;
    let open = if post.comments_open { "open" } else { "closed" };
    writeln!(out, "\t\t<wp:comment_status>{}</wp:comment_status>", cdata(open))?;
    writeln!(out, "\t\t<wp:ping_status>{}</wp:ping_status>", cdata("closed"))?;
    writeln!(out, "\t\t<wp:post_name>{}</wp:post_name>", cdata(&post.slug))?;
    writeln!(out, "\t\t<wp:status>{}</wp:status>", cdata(status))?;
    writeln!(out, "\t\t<wp:post_parent>0</wp:post_parent>")?;
    writeln!(out, "\t\t<wp:menu_order>{}</wp:menu_order>", post.menu_order)?;
    writeln!(out, "\t\t<wp:post_type>{}</wp:post_type>", cdata(post_type))?;
    writeln!(out, "\t\t<wp:post_password>{}</wp:post_password>", cdata(""))?;
    writeln!(out, "\t\t<wp:is_sticky>0</wp:is_sticky>")?;
    write_item_terms(out, category, tags)?;
    for comment in comments {
        write_comment(out, comment)?;
    }
    writeln!(out, "\t</item>")
}

fn write_item_terms<W: Write>(
    out: &mut W,
    category: Option<&Category>,
    tags: &[taxonomy::Tag],
) -> std::io::Result<()> {
    if let Some(category) = category {
        writeln!(
            out,
            "\t\t<category domain=\"category\" nicename=\"{}\">{}</category>",
            text(&category.slug),
            cdata(&category.name)
        )?;
    }
    for tag in tags {
        writeln!(
            out,
            "\t\t<category domain=\"post_tag\" nicename=\"{}\">{}</category>",
            text(&tag.slug),
            cdata(&tag.name)
        )?;
    }
    Ok(())
}

fn write_comment<W: Write>(out: &mut W, comment: &Comment) -> std::io::Result<()> {
    // WordPress stores comment HTML: a reader's text goes out as we show it.
    let content = match comment.body_format {
        CommentFormat::Html => comment.body_source.as_str(),
        CommentFormat::Text => comment.body_html.as_str(),
    };
    let approved = match comment.status {
        CommentStatus::Approved => "1",
        CommentStatus::Pending => "0",
        CommentStatus::Spam => "spam",
        CommentStatus::Trash => "trash",
    };
    let kind = match comment.kind {
        CommentKind::Comment => "comment",
        CommentKind::Pingback => "pingback",
        CommentKind::Trackback => "trackback",
    };
    let date = wp_date(comment.created_at);
    writeln!(out, "\t\t<wp:comment>")?;
    writeln!(out, "\t\t\t<wp:comment_id>{}</wp:comment_id>", comment.id.0)?;
    writeln!(out, "\t\t\t<wp:comment_author>{}</wp:comment_author>", cdata(&comment.author))?;
    writeln!(out, "\t\t\t<wp:comment_author_email>{}</wp:comment_author_email>", cdata(&comment.email))?;
    writeln!(
        out,
        "\t\t\t<wp:comment_author_url>{}</wp:comment_author_url>",
        text(comment.url.as_deref().unwrap_or(""))
    )?;
    writeln!(
        out,
        "\t\t\t<wp:comment_author_IP>{}</wp:comment_author_IP>",
        cdata(comment.ip.as_deref().unwrap_or(""))
    )?;
    writeln!(out, "\t\t\t<wp:comment_date>{}</wp:comment_date>", cdata(&date))?;
    writeln!(out, "\t\t\t<wp:comment_date_gmt>{}</wp:comment_date_gmt>", cdata(&date))?;
    writeln!(out, "\t\t\t<wp:comment_content>{}</wp:comment_content>", cdata(content))?;
    writeln!(out, "\t\t\t<wp:comment_approved>{}</wp:comment_approved>", cdata(approved))?;
    writeln!(out, "\t\t\t<wp:comment_type>{}</wp:comment_type>", cdata(kind))?;
    writeln!(
        out,
        "\t\t\t<wp:comment_parent>{}</wp:comment_parent>",
        comment.parent_id.map(|p| p.0).unwrap_or(0)
    )?;
    writeln!(out, "\t\t\t<wp:comment_user_id>0</wp:comment_user_id>")?;
    if let Some(agent) = comment.user_agent.as_deref().filter(|a| !a.is_empty()) {
        writeln!(
            out,
            "\t\t\t<wp:commentmeta>\n\t\t\t\t<wp:meta_key>{}</wp:meta_key>\n\t\t\t\t<wp:meta_value>{}</wp:meta_value>\n\t\t\t</wp:commentmeta>",
            cdata("marginalia_user_agent"),
            cdata(agent)
        )?;
    }
    writeln!(out, "\t\t</wp:comment>")
}

fn login_for(author: Option<&str>) -> String {
    let login = author.map(slug::slugify).unwrap_or_default();
    if login.is_empty() {
        DEFAULT_LOGIN.to_string()
    } else {
        login
    }
}

fn wp_date(at: NaiveDateTime) -> String {
    at.format("%Y-%m-%d %H:%M:%S").to_string()
}

/// Characters XML 1.0 cannot carry at all (stray control characters in old data).
fn xml_safe(c: char) -> bool {
    !crate::text::is_forbidden(c)
}

/// `<![CDATA[...]]>` as WordPress writes it: `]]>` inside is split across two sections.
fn cdata(value: &str) -> String {
    let clean: String = value.chars().filter(|c| xml_safe(*c)).collect();
    format!("<![CDATA[{}]]>", clean.replace("]]>", "]]]]><![CDATA[>"))
}

/// Escaped element text or attribute value.
fn text(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for c in value.chars().filter(|c| xml_safe(*c)) {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            other => out.push(other),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cdata_splits_its_terminator_and_drops_control_characters() {
        assert_eq!(cdata("a]]>b\u{1}"), "<![CDATA[a]]]]><![CDATA[>b]]>");
        assert_eq!(text("<a & \"b\">"), "&lt;a &amp; &quot;b&quot;&gt;");
    }

    #[test]
    fn logins_come_from_author_names() {
        assert_eq!(login_for(Some("Ada Admin")), "ada-admin");
        assert_eq!(login_for(None), "admin");
    }
}
