//! Admins write and manage articles in the web admin: Markdown with a preview in the site's
//! style, images uploaded in the editor, drafts, scheduling, the trash.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use chrono::{NaiveDateTime, Utc};
use serde::{Deserialize, Serialize};

use super::redirect_back;
use super::session::{set_flash, take_flash, AdminUser, CsrfForm, CsrfUpload, UploadedFile};
use crate::db::enums::{BodyFormat, PostKind, PostStatus};
use crate::db::ids::{MediaId, PostId};
use crate::db::media::Media;
use crate::db::posts::{AdminFilter, AdminSort};
use crate::db::{media as media_rows, posts, taxonomy};
use crate::error::AppError;
use crate::services::articles::{self, ArticleSource};
use crate::services::markup::SafeHtml;
use crate::services::media as media_service;
use crate::services::{post_admin, slug};
use crate::state::AppState;
use crate::views::admin::AdminLayout;
use crate::views::{render, DateView};

#[derive(Serialize)]
struct PostRow {
    id: i32,
    title: String,
    status: PostStatus,
    kind: PostKind,
    url: String,
    date: String,
    author: String,
    approved: i32,
    pending: i64,
}

#[derive(Serialize)]
struct StatusLink {
    value: &'static str,
    label: &'static str,
    count: i64,
    current: bool,
}

#[derive(Serialize)]
struct PostsView {
    layout: AdminLayout,
    posts: Vec<PostRow>,
    page: u32,
    total_pages: u32,
    total: i64,
    statuses: Vec<StatusLink>,
    status: String,
    q: String,
    sort: String,
    /// The query string of this list without `page` (pagination links add it).
    query: String,
}

const ADMIN_PER_PAGE: u32 = 50;

#[derive(Deserialize)]
pub struct ListQuery {
    page: Option<u32>,
    #[serde(default)]
    status: String,
    #[serde(default)]
    q: String,
    #[serde(default)]
    sort: String,
}

impl ListQuery {
    fn filter(&self) -> AdminFilter {
        let search = self.q.trim();
        AdminFilter {
            status: self.status.parse().ok(),
            search: (!search.is_empty()).then(|| search.chars().take(200).collect()),
            sort: match self.sort.as_str() {
                "oldest" => AdminSort::Oldest,
                "title" => AdminSort::Title,
                "comments" => AdminSort::MostComments,
                _ => AdminSort::Newest,
            },
        }
    }
}

pub async fn list(
    state: web::Data<AppState>,
    req: HttpRequest,
    admin: AdminUser,
    query: web::Query<ListQuery>,
) -> Result<HttpResponse, AppError> {
    admin.0.require_admin()?;
    let filter = query.filter();
    let page = query.page.unwrap_or(1).max(1);
    let offset = i64::from(page - 1) * i64::from(ADMIN_PER_PAGE);
    let (rows, total, counts) = state
        .db
        .read(move |c| {
            let (rows, total) = post_admin::admin_page(c, &filter, offset, i64::from(ADMIN_PER_PAGE))?;
            Ok((rows, total, posts::count_by_status(c)?))
        })
        .await?;
    let count_of = |s: PostStatus| counts.iter().find(|(status, _)| *status == s).map_or(0, |(_, n)| *n);
    let not_trashed: i64 = counts.iter().filter(|(s, _)| *s != PostStatus::Trash).map(|(_, n)| n).sum();
    let mut statuses =
        vec![StatusLink { value: "", label: "All", count: not_trashed, current: query.status.is_empty() }];
    for (status, label) in [
        (PostStatus::Published, "Published"),
        (PostStatus::Scheduled, "Scheduled"),
        (PostStatus::Draft, "Drafts"),
        (PostStatus::Trash, "Trash"),
    ] {
        statuses.push(StatusLink {
            value: status.as_str(),
            label,
            count: count_of(status),
            current: query.status == status.as_str(),
        });
    }
    let mut query_string = form_urlencoded::Serializer::new(String::new());
    for (key, value) in [("status", &query.status), ("q", &query.q), ("sort", &query.sort)] {
        if !value.is_empty() {
            query_string.append_pair(key, value);
        }
    }
    let view = PostsView {
        layout: AdminLayout::new("Articles and pages", admin.0.viewer(), take_flash(&req)),
        posts: rows
            .into_iter()
            .map(|row| PostRow {
                id: row.id.0,
                url: crate::services::posts::public_path(row.kind, &row.slug),
                title: row.title,
                status: row.status,
                kind: row.kind,
                date: row.published_at.format("%Y-%m-%d %H:%M").to_string(),
                author: row.author.unwrap_or_default(),
                approved: row.approved_comments,
                pending: row.pending_comments,
            })
            .collect(),
        page,
        total_pages: crate::services::posts::total_pages(total, ADMIN_PER_PAGE),
        total,
        statuses,
        status: query.status.clone(),
        q: query.q.clone(),
        sort: query.sort.clone(),
        query: query_string.finish(),
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
    excerpt: String,
    #[serde(default)]
    comments_open: Option<String>,
    /// `draft`, `publish` or `preview` (the button pressed).
    #[serde(default)]
    intent: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    format: String,
    #[serde(default)]
    in_navigation: Option<String>,
    /// The featured image's id, or empty.
    #[serde(default)]
    featured: String,
    /// Alt text for an image sent with the form.
    #[serde(default)]
    image_alt: String,
    /// The post's status when the editor was opened (shown, not trusted).
    #[serde(default)]
    status: String,
}

impl PostForm {
    fn to_source(&self, author: crate::db::ids::UserId) -> Result<ArticleSource, AppError> {
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
        let excerpt = self.excerpt.trim();
        if excerpt.chars().count() > 1000 {
            return Err(AppError::Invalid("The excerpt can be at most 1,000 characters.".into()));
        }
        Ok(ArticleSource {
            title,
            slug,
            published_at,
            category,
            tags,
            // "Publish" with a date to come schedules (articles::scheduled_or_not).
            status: if self.intent == "publish" { PostStatus::Published } else { PostStatus::Draft },
            excerpt: (!excerpt.is_empty()).then(|| excerpt.replace("\r\n", "\n")),
            comments_open: self.comments_open.is_some(),
            kind: self.kind.parse().unwrap_or(PostKind::Article),
            body_format: self.body_format(),
            in_navigation: self.in_navigation.is_some(),
            body: self.body.replace("\r\n", "\n"),
            author: Some(author),
            featured_media: Some(self.featured_id()),
        })
    }

    fn body_format(&self) -> BodyFormat {
        self.format.parse().unwrap_or(BodyFormat::Markdown)
    }

    fn featured_id(&self) -> Option<MediaId> {
        self.featured.trim().parse().ok().map(MediaId)
    }
}

#[derive(Serialize)]
struct MediaChoice {
    id: i32,
    name: String,
    thumb: String,
    selected: bool,
}

#[derive(Serialize)]
struct PreviewView {
    title: String,
    date: DateView,
    byline: String,
    image: Option<String>,
    body: SafeHtml,
}

#[derive(Serialize)]
struct EditorView {
    layout: AdminLayout,
    form: PostForm,
    action: String,
    existing: Option<i32>,
    preview: Option<PreviewView>,
    error: Option<String>,
    media: Vec<MediaChoice>,
    max_upload_mb: u32,
}

struct Editor<'a> {
    state: &'a AppState,
    admin: &'a AdminUser,
    existing: Option<PostId>,
}

impl Editor<'_> {
    async fn show(
        &self,
        form: PostForm,
        preview: Option<PreviewView>,
        error: Option<String>,
        flash: Option<String>,
    ) -> Result<HttpResponse, AppError> {
        let action = match self.existing {
            Some(id) => format!("/admin/posts/{id}/edit"),
            None => "/admin/posts/new".into(),
        };
        let status = if error.is_some() { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::OK };
        let title = if self.existing.is_some() { "Edit article" } else { "New article" };
        let chosen = form.featured_id();
        let recent = self.state.db.read(move |c| recent_media(c, chosen)).await?;
        let view = EditorView {
            layout: AdminLayout::new(title, self.admin.0.viewer(), flash),
            media: recent
                .iter()
                .map(|m| MediaChoice {
                    id: m.id.0,
                    name: m.original_name.clone(),
                    thumb: media_service::url_for_width(m, 480),
                    selected: Some(m.id) == chosen,
                })
                .collect(),
            form,
            action,
            existing: self.existing.map(|id| id.0),
            preview,
            error,
            max_upload_mb: self.state.config.media.max_upload_mb,
        };
        render(&self.state.tera, "admin/post_form.html", &view, status)
    }
}

/// The newest uploads to pick a featured image from, and the chosen one even if older.
fn recent_media(c: &mut crate::db::Conn, chosen: Option<MediaId>) -> Result<Vec<Media>, AppError> {
    let mut recent = media_rows::list(c, 0, 24)?;
    if let Some(id) = chosen.filter(|id| !recent.iter().any(|m| m.id == *id)) {
        recent.extend(media_rows::find(c, id)?);
    }
    Ok(recent)
}

pub async fn new_form(state: web::Data<AppState>, admin: AdminUser) -> Result<HttpResponse, AppError> {
    admin.0.require_admin()?;
    let form = PostForm {
        comments_open: Some("yes".into()),
        in_navigation: Some("yes".into()),
        ..PostForm::default()
    };
    Editor { state: &state, admin: &admin, existing: None }.show(form, None, None, None).await
}

pub async fn edit_form(
    state: web::Data<AppState>,
    req: HttpRequest,
    admin: AdminUser,
    id: web::Path<i32>,
) -> Result<HttpResponse, AppError> {
    admin.0.require_admin()?;
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
                excerpt: post.excerpt_source,
                comments_open: post.comments_open.then(|| "yes".into()),
                intent: String::new(),
                kind: post.kind.to_string(),
                format: post.body_format.to_string(),
                in_navigation: post.in_navigation.then(|| "yes".into()),
                featured: post.featured_media_id.map(|m| m.to_string()).unwrap_or_default(),
                image_alt: String::new(),
                status: post.status.to_string(),
            })
        })
        .await?;
    Editor { state: &state, admin: &admin, existing: Some(id) }.show(form, None, None, take_flash(&req)).await
}

/// Files sent with the editor: `image` goes into the body as Markdown, `featured_image`
/// becomes the featured image.
async fn take_uploads(
    state: &AppState,
    admin: &AdminUser,
    form: &mut PostForm,
    files: Vec<UploadedFile>,
) -> Result<(), AppError> {
    let alt = form.image_alt.trim().to_string();
    let stored = media_service::store_uploads(
        &state.db,
        &state.config,
        files,
        &["image", "featured_image"],
        &alt,
        Some(admin.0.user.id),
    )
    .await?;
    for (field, row) in stored {
        if field == "featured_image" {
            form.featured = row.id.to_string();
            continue;
        }
        let markdown =
            format!("![{}]({})", row.alt_text.replace([']', '['], ""), media_service::full_url(&row));
        if !form.body.is_empty() && !form.body.ends_with('\n') {
            form.body.push('\n');
        }
        form.body.push_str(&format!("\n{markdown}\n"));
        form.image_alt.clear();
    }
    Ok(())
}

async fn save_form(
    state: web::Data<AppState>,
    req: HttpRequest,
    upload: CsrfUpload<PostForm>,
    existing: Option<PostId>,
) -> Result<HttpResponse, AppError> {
    let CsrfUpload { current, mut form, files } = upload;
    current.require_admin()?;
    let admin = AdminUser(current);
    let editor = Editor { state: &state, admin: &admin, existing };
    if let Some(id) = existing {
        // The slug names the article (links point at it); it stays as created.
        let slug = state
            .db
            .read(move |c| Ok(posts::find(c, id)?.map(|p| p.slug)))
            .await?
            .ok_or(AppError::NotFound)?;
        form.slug = slug;
    }
    match take_uploads(&state, &admin, &mut form, files).await {
        Ok(()) => {}
        Err(AppError::Invalid(message)) => return editor.show(form, None, Some(message), None).await,
        Err(other) => return Err(other),
    }
    if form.intent == "preview" {
        let preview = preview_of(&state, &admin, &form).await?;
        return editor.show(form, Some(preview), None, None).await;
    }
    let source = match form.to_source(admin.0.user.id) {
        Ok(source) => source,
        Err(AppError::Invalid(message)) => return editor.show(form, None, Some(message), None).await,
        Err(other) => return Err(other),
    };
    let slug = source.slug.clone();
    let outcome = match state.db.write(move |c| articles::import_article(c, &source)).await {
        Err(AppError::Invalid(message)) => return editor.show(form, None, Some(message), None).await,
        other => other?,
    };
    let post = state.db.read(move |c| Ok(posts::find_by_slug(c, &slug)?)).await?.ok_or(AppError::NotFound)?;
    let said = match (post.status, outcome) {
        (_, articles::ImportOutcome::Unchanged) => "nothing changed".to_string(),
        (PostStatus::Published, _) => "published".to_string(),
        (PostStatus::Scheduled, _) => {
            format!("scheduled for {} UTC", post.published_at.format("%Y-%m-%d %H:%M"))
        }
        (PostStatus::Draft, _) => "saved as a draft".to_string(),
        (PostStatus::Trash, _) => "in the trash".to_string(),
    };
    set_flash(&req, format!("“{}”: {said}.", post.title));
    Ok(redirect_back(Some(&format!("/admin/posts/{}/edit", post.id)), "/admin/posts"))
}

/// The preview as the article page shows it: title, date, byline, featured image, body.
async fn preview_of(state: &AppState, admin: &AdminUser, form: &PostForm) -> Result<PreviewView, AppError> {
    let (format, body, featured) = (form.body_format(), form.body.replace("\r\n", "\n"), form.featured_id());
    let (html, image) = state
        .db
        .read(move |c| {
            let html =
                articles::with_responsive_images(c, crate::services::markup::render_body(format, &body))?;
            let image = match featured {
                Some(id) => media_rows::find(c, id)?.map(|m| media_service::url_for_width(&m, 960)),
                None => None,
            };
            Ok((html, image))
        })
        .await?;
    let date = NaiveDateTime::parse_from_str(form.date.trim(), "%Y-%m-%dT%H:%M")
        .unwrap_or_else(|_| Utc::now().naive_utc());
    Ok(PreviewView {
        title: form.title.clone(),
        date: DateView::new(date, state.locale()),
        byline: admin.0.user.public_name().to_string(),
        image,
        body: html,
    })
}

pub async fn save(
    state: web::Data<AppState>,
    req: HttpRequest,
    form: CsrfUpload<PostForm>,
) -> Result<HttpResponse, AppError> {
    save_form(state, req, form, None).await
}

pub async fn save_existing(
    state: web::Data<AppState>,
    req: HttpRequest,
    id: web::Path<i32>,
    form: CsrfUpload<PostForm>,
) -> Result<HttpResponse, AppError> {
    save_form(state, req, form, Some(PostId(id.into_inner()))).await
}

#[derive(Deserialize)]
pub struct PostAction {
    #[serde(default)]
    back: Option<String>,
}

/// `POST /admin/posts/{id}/{trash|restore|delete}`.
pub async fn act(
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<(i32, String)>,
    form: CsrfForm<PostAction>,
) -> Result<HttpResponse, AppError> {
    let CsrfForm { current, form } = form;
    current.require_admin()?;
    let (id, action) = path.into_inner();
    let id = PostId(id);
    let actor = current.user.username.clone();
    let message = match action.as_str() {
        "trash" => {
            let post = state.db.write(move |tx| post_admin::trash(tx, id, &actor)).await?;
            format!(
                "“{}” moved to the trash with its comments; it is deleted for good after {} days.",
                post.title,
                post_admin::TRASH_DAYS
            )
        }
        "restore" => {
            let post = state.db.write(move |tx| post_admin::restore(tx, id, &actor)).await?;
            format!("“{}” restored as {}.", post.title, post.status)
        }
        "delete" => {
            let post = state.db.write(move |tx| post_admin::delete_permanently(tx, id, &actor)).await?;
            format!("“{}” and its comments deleted for good.", post.title)
        }
        _ => return Err(AppError::NotFound),
    };
    set_flash(&req, message);
    Ok(redirect_back(form.back.as_deref(), "/admin/posts"))
}
