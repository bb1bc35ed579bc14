//! Page view structs for the public site, built from service results.

use serde::Serialize;

use super::comment::{build_tree, CommentNode};
use super::{DateView, Layout};
use crate::config::Config;
use crate::db::posts::PostSummary;
use crate::db::taxonomy::{Category, Tag};
use crate::services::markup::SafeHtml;
use crate::services::posts::{ArticleData, ListingPage};

#[derive(Debug, Serialize)]
pub struct Link {
    pub name: String,
    pub url: String,
}

impl Link {
    pub fn category(category: &Category) -> Link {
        Link {
            name: category.name.clone(),
            url: format!("/category/{}", category.slug),
        }
    }
    pub fn tag(tag: &Tag) -> Link {
        Link {
            name: tag.name.clone(),
            url: format!("/tag/{}", tag.slug),
        }
    }
}

#[derive(Debug, Serialize)]
pub struct PostCard {
    pub title: String,
    pub url: String,
    pub excerpt: String,
    pub date: DateView,
    pub category: Option<Link>,
}

impl PostCard {
    pub fn new(post: &PostSummary, category: Option<&Category>) -> PostCard {
        PostCard {
            title: post.title.clone(),
            url: format!("/posts/{}", post.slug),
            excerpt: post.excerpt.clone(),
            date: DateView::new(post.published_at),
            category: category.map(Link::category),
        }
    }
}

#[derive(Debug, Serialize)]
pub struct Pagination {
    pub page: u32,
    pub total_pages: u32,
    pub newer_url: Option<String>,
    pub older_url: Option<String>,
}

impl Pagination {
    fn new(path: &str, page: u32, total_pages: u32) -> Pagination {
        let url = |n: u32| {
            if n == 1 {
                path.to_string()
            } else {
                format!("{path}?page={n}")
            }
        };
        Pagination {
            page,
            total_pages,
            newer_url: (page > 1).then(|| url(page - 1)),
            older_url: (page < total_pages).then(|| url(page + 1)),
        }
    }
}

/// The index and both archives.
#[derive(Debug, Serialize)]
pub struct ListingView {
    pub layout: Layout,
    /// "Category: Health and Fitness"; absent on the index.
    pub heading: Option<String>,
    pub posts: Vec<PostCard>,
    pub pagination: Pagination,
}

impl ListingView {
    pub fn new(config: &Config, path: &str, heading: Option<String>, data: &ListingPage) -> ListingView {
        let canonical = if data.page == 1 {
            path.to_string()
        } else {
            format!("{path}?page={}", data.page)
        };
        let mut title = heading.clone();
        if data.page > 1 {
            title = Some(format!(
                "{} (page {})",
                heading.as_deref().unwrap_or("Articles"),
                data.page
            ));
        }
        ListingView {
            layout: Layout::new(config, &canonical, title),
            heading,
            posts: data
                .posts
                .iter()
                .map(|(p, c)| PostCard::new(p, c.as_ref()))
                .collect(),
            pagination: Pagination::new(path, data.page, data.total_pages),
        }
    }
}

#[derive(Debug, Serialize)]
pub struct ArticleView {
    pub layout: Layout,
    pub title: String,
    pub slug: String,
    pub body_html: SafeHtml,
    pub date: DateView,
    pub updated: DateView,
    pub category: Option<Link>,
    pub tags: Vec<Link>,
    pub related: Vec<PostCard>,
    pub comments: Vec<CommentNode>,
    pub approved_count: i64,
    pub thread_depth: u32,
}

impl ArticleView {
    pub fn new(config: &Config, data: ArticleData) -> ArticleView {
        let post = data.post;
        let mut layout = Layout::new(config, &format!("/posts/{}", post.slug), Some(post.title.clone()));
        layout.og_type = "article";
        layout.description = post.excerpt.clone();
        ArticleView {
            layout,
            title: post.title,
            slug: post.slug,
            body_html: SafeHtml::from_stored(post.body_html),
            date: DateView::new(post.published_at),
            updated: DateView::new(post.updated_at),
            category: data.category.as_ref().map(Link::category),
            tags: data.tags.iter().map(Link::tag).collect(),
            related: data
                .related
                .iter()
                .map(|(p, c)| PostCard::new(p, c.as_ref()))
                .collect(),
            comments: build_tree(data.comments, config.comments.thread_depth),
            approved_count: data.approved_count,
            thread_depth: config.comments.thread_depth,
        }
    }
}

/// The themed error page.
#[derive(Debug, Serialize)]
pub struct ErrorView {
    pub layout: Layout,
    pub status: u16,
    pub heading: &'static str,
    pub message: String,
}
