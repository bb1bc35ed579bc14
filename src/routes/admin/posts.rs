//! Admins write articles in the web admin: Markdown with preview, sharing the import code path.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use chrono::{NaiveDateTime, Utc};
use serde::{Deserialize, Serialize};

use super::redirect_back;
use super::session::{set_flash, take_flash, AdminUser, CsrfForm};
use crate::db::enums::{BodyFormat, PostKind, PostStatus};
use crate::db::ids::PostId;
use crate::db::{posts, taxonomy};
use crate::error::AppError;
use crate::services::articles::{self, ArticleSource};
use crate::services::markup::{self, SafeHtml};
use crate::services::slug;
use crate::state::AppState;
use crate::views::admin::AdminLayout;
use crate::views::render;

#[derive(Serialize)]
struct PostRow {
    id: i32,
    title: String,
    status: PostStatus,
    kind: PostKind,
    url: String,
    date: String,
}

#[derive(Serialize)]
struct PostsView {
    layout: AdminLayout,
    posts: Vec<PostRow>,
    page: u32,
    total_pages: u32,
    total: i64,
}

const ADMIN_PER_PAGE: u32 = 50;

#[derive(Deserialize)]
pub struct ListQuery {
    page: Option<u32>,
}

pub async fn list(
    state: web::Data<AppState>,
    req: HttpRequest,
    admin: AdminUser,
    query: web::Query<ListQuery>,
) -> Result<HttpResponse, AppError> {
    let total = state.db.read(|c| Ok(posts::count_all(c)?)).await?;
    let total_pages = crate::services::posts::total_pages(total, ADMIN_PER_PAGE);
    let page = query.page.unwrap_or(1).clamp(1, total_pages);
    let offset = i64::from(page - 1) * i64::from(ADMIN_PER_PAGE);
    let rows = state.db.read(move |c| Ok(posts::list_all(c, offset, i64::from(ADMIN_PER_PAGE))?)).await?;
    let view = PostsView {
        layout: AdminLayout::new(
            &state.config.site.title,
            "Articles and pages",
            admin.0.viewer(),
            take_flash(&req),
        ),
        posts: rows
            .into_iter()
            .map(|(id, slug, title, status, kind, at)| PostRow {
                id: id.0,
                url: crate::services::posts::public_path(kind, &slug),
                title,
                status,
                kind,
                date: at.format("%Y-%m-%d").to_string(),
            })
            .collect(),
        page,
        total_pages,
        total,
    };
    render(&state.tera, "admin/posts.html", &view, StatusCode::OK)
}

/// The editor's fields, as typed.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct PostForm {
    #[serde(default)]
    title: String,
    #[serde(default)]
    slug: String,
    #[serde(default)]
    date: String,
    #[serde(default)]
    category: String,
    #[serde(default)]
    tags: String,
    #[serde(default)]
    body: String,
    #[serde(default)]
    publish: Option<String>,
    #[serde(default)]
    comments_open: Option<String>,
    #[serde(default)]
    intent: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    format: String,
    #[serde(default)]
    in_navigation: Option<String>,
}

impl PostForm {
    fn to_source(&self) -> Result<ArticleSource, AppError> {
        let title = self.title.trim().to_string();
        if title.is_empty() {
            return Err(AppError::Invalid("The title cannot be empty.".into()));
        }
        let slug =
            if self.slug.trim().is_empty() { slug::slugify(&title) } else { self.slug.trim().to_string() };
        if !slug::is_valid(&slug) {
            return Err(AppError::Invalid(
                "The slug must be lowercase letters, digits and single hyphens.".into(),
            ));
        }
        let published_at = match self.date.trim() {
            "" => Utc::now().naive_utc(),
            date => NaiveDateTime::parse_from_str(date, "%Y-%m-%dT%H:%M")
                .or_else(|_| NaiveDateTime::parse_from_str(date, "%Y-%m-%dT%H:%M:%S"))
                .map_err(|_| AppError::Invalid("The date must look like 2026-11-23T10:00.".into()))?,
        };
        let category = Some(self.category.trim().to_string()).filter(|c| !c.is_empty());
        let tags = self.tags.split(',').map(str::trim).filter(|t| !t.is_empty()).map(String::from).collect();
        Ok(ArticleSource {
            title,
            slug,
            published_at,
            category,
            tags,
            status: if self.publish.is_some() { PostStatus::Published } else { PostStatus::Draft },
            excerpt: None,
            comments_open: self.comments_open.is_some(),
            kind: self.kind.parse().unwrap_or(PostKind::Article),
            body_format: self.body_format(),
            in_navigation: self.in_navigation.is_some(),
            body: self.body.replace("\r\n", "\n"),
        })
    }

    fn body_format(&self) -> BodyFormat {
        self.format.parse().unwrap_or(BodyFormat::Markdown)
    }
}

#[derive(Serialize)]
struct EditorView {
    layout: AdminLayout,
    form: PostForm,
    action: String,
    existing: bool,
    preview: Option<SafeHtml>,
    error: Option<String>,
}

fn editor(
    state: &AppState,
    admin: &AdminUser,
    form: PostForm,
    existing: Option<PostId>,
    preview: Option<SafeHtml>,
    error: Option<String>,
    flash: Option<String>,
) -> Result<HttpResponse, AppError> {
    let action = match existing {
        Some(id) => format!("/admin/posts/{id}/edit"),
        None => "/admin/posts/new".into(),
    };
    let status = if error.is_some() { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::OK };
    let title = if existing.is_some() { "Edit article" } else { "New article" };
    let view = EditorView {
        layout: AdminLayout::new(&state.config.site.title, title, admin.0.viewer(), flash),
        form,
        action,
        existing: existing.is_some(),
        preview,
        error,
    };
    render(&state.tera, "admin/post_form.html", &view, status)
}

pub async fn new_form(state: web::Data<AppState>, admin: AdminUser) -> Result<HttpResponse, AppError> {
    let form = PostForm {
        comments_open: Some("yes".into()),
        in_navigation: Some("yes".into()),
        ..PostForm::default()
    };
    editor(&state, &admin, form, None, None, None, None)
}

pub async fn edit_form(
    state: web::Data<AppState>,
    req: HttpRequest,
    admin: AdminUser,
    id: web::Path<i32>,
) -> Result<HttpResponse, AppError> {
    let id = PostId(id.into_inner());
    let form = state
        .db
        .read(move |c| {
            let post = posts::find(c, id)?.ok_or(AppError::NotFound)?;
            let category = match post.category_id {
                Some(cid) => taxonomy::find_category(c, cid)?.map(|c| c.name),
                None => None,
            };
            let tags: Vec<String> =
                taxonomy::tags_for_post(c, post.id)?.into_iter().map(|t| t.name).collect();
            Ok(PostForm {
                title: post.title,
                slug: post.slug,
                date: post.published_at.format("%Y-%m-%dT%H:%M").to_string(),
                category: category.unwrap_or_default(),
                tags: tags.join(", "),
                body: post.body_source,
                publish: (post.status == PostStatus::Published).then(|| "yes".into()),
                comments_open: post.comments_open.then(|| "yes".into()),
                intent: String::new(),
                kind: post.kind.to_string(),
                format: post.body_format.to_string(),
                in_navigation: post.in_navigation.then(|| "yes".into()),
            })
        })
        .await?;
    editor(&state, &admin, form, Some(id), None, None, take_flash(&req))
}

async fn save_form(
    state: web::Data<AppState>,
    req: HttpRequest,
    form: CsrfForm<PostForm>,
    existing: Option<PostId>,
) -> Result<HttpResponse, AppError> {
    let CsrfForm { current, mut form } = form;
    current.require_admin()?;
    let admin = AdminUser(current);
    if let Some(id) = existing {
        // The slug names the article (links point at it); it stays as created.
        let slug = state
            .db
            .read(move |c| Ok(posts::find(c, id)?.map(|p| p.slug)))
            .await?
            .ok_or(AppError::NotFound)?;
        form.slug = slug;
    }
    if form.intent == "preview" {
        let preview = markup::render_body(form.body_format(), &form.body);
        return editor(&state, &admin, form, existing, Some(preview), None, None);
    }
    let source = match form.to_source() {
        Ok(source) => source,
        Err(AppError::Invalid(message)) => {
            return editor(&state, &admin, form, existing, None, Some(message), None)
        }
        Err(other) => return Err(other),
    };
    let slug = source.slug.clone();
    let outcome = state.db.write(move |c| articles::import_article(c, &source)).await?;
    // A page published, renamed or unpublished shows in the navigation at once.
    let nav = state.navigation.clone();
    state.db.read(move |c| nav.refresh(c)).await?;
    let post = state.db.read(move |c| Ok(posts::find_by_slug(c, &slug)?)).await?.ok_or(AppError::NotFound)?;
    set_flash(&req, format!("Article {}: {}.", post.title, format!("{outcome:?}").to_lowercase()));
    Ok(redirect_back(Some(&format!("/admin/posts/{}/edit", post.id)), "/admin/posts"))
}

pub async fn save(
    state: web::Data<AppState>,
    req: HttpRequest,
    form: CsrfForm<PostForm>,
) -> Result<HttpResponse, AppError> {
    save_form(state, req, form, None).await
}

pub async fn save_existing(
    state: web::Data<AppState>,
    req: HttpRequest,
    id: web::Path<i32>,
    form: CsrfForm<PostForm>,
) -> Result<HttpResponse, AppError> {
    save_form(state, req, form, Some(PostId(id.into_inner()))).await
}
