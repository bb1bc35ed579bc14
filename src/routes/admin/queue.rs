//! The moderation queue: dashboard, lists by status with search, single and bulk actions,
//! editing, and replying as a moderator.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use serde::{Deserialize, Serialize};

use super::redirect_back;
use super::session::{set_flash, take_flash, CsrfForm, CurrentUser};
use crate::db::enums::CommentStatus;
use crate::db::ids::CommentId;
use crate::db::queue::{self as queue_db, QueueFilter};
use crate::error::AppError;
use crate::services::audit::Actor;
use crate::services::moderation::actions::{self as queue, Outcome};
use crate::services::moderation::queue::{self as inbox, StatusCounts};
use crate::services::moderation::waves::{self, Wave};
use crate::services::moderation::Action;
use crate::state::AppState;
use crate::views::admin::{AdminLayout, ModCommentView};
use crate::views::render;

const PER_PAGE: u32 = 20;

#[derive(Serialize)]
struct DashboardView {
    #[serde(flatten)]
    queue: QueueView,
    outbox: super::mail::OutboxSummary,
    cache: crate::routes::page_cache::CacheStats,
    filter: crate::views::admin::FilterRecordView,
}
const DASHBOARD_PENDING: u32 = 5;

#[derive(Serialize)]
struct QueueView {
    layout: AdminLayout,
    counts: StatusCounts,
    status: Option<CommentStatus>,
    search: String,
    comments: Vec<ModCommentView>,
    page: u32,
    total_pages: u32,
    total: i64,
    back: String,
    newer_url: Option<String>,
    older_url: Option<String>,
    /// Held and spam comments sharing a link domain or near-identical text.
    waves: Vec<Wave>,
}

fn views(page: inbox::QueuePage) -> (Vec<ModCommentView>, inbox::QueuePage) {
    let comments = page
        .rows
        .iter()
        .cloned()
        .map(|row| {
            let site = page.sites.get(&row.0.post_id).cloned();
            ModCommentView { site, ..ModCommentView::new(row, &page.parents) }
        })
        .collect();
    (comments, page)
}

pub async fn dashboard(
    state: web::Data<AppState>,
    req: HttpRequest,
    current: CurrentUser,
) -> Result<HttpResponse, AppError> {
    let filter = QueueFilter { status: Some(CommentStatus::Pending), search: None };
    let own_host = state.config.site_host();
    let (page, outbox, record, waves) = state
        .db
        .read(move |c| {
            Ok((
                inbox::queue_page(c, &filter, 1, DASHBOARD_PENDING)?,
                super::mail::summary(c)?,
                crate::db::spam_filter::record(c)?,
                waves::find(c, &own_host)?,
            ))
        })
        .await?;
    let (comments, page) = views(page);
    let view = DashboardView {
        outbox,
        cache: state.page_cache.stats(),
        filter: crate::views::admin::FilterRecordView::new(record, &state.config.spam),
        queue: QueueView {
            layout: AdminLayout::new("Dashboard", current.viewer(), take_flash(&req)),
            counts: page.counts,
            status: Some(CommentStatus::Pending),
            search: String::new(),
            comments,
            page: 1,
            total_pages: 1,
            total: page.total,
            back: "/admin".into(),
            newer_url: None,
            older_url: None,
            waves,
        },
    };
    render(&state.tera, "admin/dashboard.html", &view, StatusCode::OK)
}

#[derive(Deserialize)]
pub struct ListQuery {
    status: Option<String>,
    q: Option<String>,
    page: Option<u32>,
}

pub async fn list(
    state: web::Data<AppState>,
    req: HttpRequest,
    current: CurrentUser,
    query: web::Query<ListQuery>,
) -> Result<HttpResponse, AppError> {
    let status = match query.status.as_deref() {
        None | Some("") | Some("all") => None,
        Some(s) => Some(
            s.parse::<CommentStatus>().map_err(|_| AppError::Invalid(format!("No such status `{s}`.")))?,
        ),
    };
    let search = query.q.clone().unwrap_or_default();
    let filter = QueueFilter { status, search: Some(search.clone()) };
    let requested = query.page.unwrap_or(1);
    let own_host = state.config.site_host();
    let with_waves =
        matches!(status, None | Some(CommentStatus::Pending | CommentStatus::Spam)) && search.is_empty();
    let (page, waves) = state
        .db
        .read(move |c| {
            let waves = if with_waves { waves::find(c, &own_host)? } else { Vec::new() };
            Ok((inbox::queue_page(c, &filter, requested, PER_PAGE)?, waves))
        })
        .await?;
    let (comments, page) = views(page);
    let base = format!(
        "/admin/comments?status={}&q={}",
        status.map(|s| s.as_str()).unwrap_or("all"),
        url_encode(&search)
    );
    let view = QueueView {
        layout: AdminLayout::new("Comments", current.viewer(), take_flash(&req)),
        counts: page.counts,
        status,
        search,
        comments,
        page: page.page,
        total_pages: page.total_pages,
        total: page.total,
        back: format!("{base}&page={}", page.page),
        newer_url: (page.page > 1).then(|| format!("{base}&page={}", page.page - 1)),
        older_url: (page.page < page.total_pages).then(|| format!("{base}&page={}", page.page + 1)),
        waves,
    };
    render(&state.tera, "admin/queue.html", &view, StatusCode::OK)
}

fn url_encode(text: &str) -> String {
    form_urlencoded::byte_serialize(text.as_bytes()).collect()
}

/// One form for both: `single=ID:action` from a comment's own button, or `action` + `ids`
/// from the bulk bar. Permanent deletion asks for confirmation first.
#[derive(Deserialize)]
pub struct ModerateForm {
    #[serde(default)]
    ids: Vec<i32>,
    #[serde(default)]
    action: String,
    #[serde(default)]
    single: Option<String>,
    #[serde(default)]
    confirmed: Option<String>,
    #[serde(default)]
    back: Option<String>,
    /// From a spam wave's form: comments approved or trashed since the page was drawn are
    /// left alone.
    #[serde(default)]
    held_only: Option<String>,
}

#[derive(Serialize)]
struct ConfirmView {
    layout: AdminLayout,
    ids: Vec<i32>,
    back: String,
}

pub async fn moderate(
    state: web::Data<AppState>,
    req: HttpRequest,
    form: CsrfForm<ModerateForm>,
) -> Result<HttpResponse, AppError> {
    let CsrfForm { current, form } = form;
    let (action, ids) = match form.single.as_deref().and_then(|s| s.split_once(':')) {
        Some((id, action)) => (action.to_string(), id.parse::<i32>().ok().into_iter().collect()),
        None => (form.action.clone(), form.ids.clone()),
    };
    let action: Action = action.parse()?;
    if ids.is_empty() {
        set_flash(&req, "Select at least one comment.");
        return Ok(redirect_back(form.back.as_deref(), "/admin/comments"));
    }
    if action == Action::Delete && form.confirmed.as_deref() != Some("yes") {
        let view = ConfirmView {
            layout: AdminLayout::new("Delete permanently?", current.viewer(), None),
            ids,
            back: form.back.unwrap_or_else(|| "/admin/comments?status=trash".into()),
        };
        return render(&state.tera, "admin/confirm.html", &view, StatusCode::OK);
    }
    let actor = Actor::user(&current.user);
    let notifier = state.notifier.clone();
    let held_only = form.held_only.as_deref() == Some("yes");
    let outcomes = state
        .db
        .write(move |c| {
            let mut outcomes = Vec::with_capacity(ids.len());
            for id in ids {
                outcomes.push(if held_only {
                    queue::apply_if_held(c, &notifier, &actor, CommentId(id), action)
                } else {
                    queue::apply(c, &notifier, &actor, CommentId(id), action)
                });
            }
            Ok(outcomes)
        })
        .await?;
    for error in outcomes.iter().filter_map(|o| o.as_ref().err()) {
        if !matches!(error, AppError::NotFound) {
            tracing::error!(error = %error, "moderation action failed");
        }
    }
    let changed =
        outcomes.iter().filter(|o| matches!(o, Ok(Outcome::Changed { .. } | Outcome::Deleted))).count();
    let skipped = outcomes.len() - changed;
    let noun = if changed == 1 { "comment" } else { "comments" };
    let mut message = format!("{changed} {noun}: {}.", describe(action));
    if skipped > 0 {
        message.push_str(&format!(" {skipped} skipped (already there, or the action does not apply)."));
    }
    set_flash(&req, message);
    Ok(redirect_back(form.back.as_deref(), "/admin/comments?status=pending"))
}

fn describe(action: Action) -> &'static str {
    match action {
        Action::Approve => "approved",
        Action::ApproveAndTrust => "approved, author trusted",
        Action::Unapprove => "moved back to pending",
        Action::Spam => "marked as spam",
        Action::SpamAndBlock => "marked as spam, email and IP blocked",
        Action::NotSpam => "restored from spam",
        Action::Trash => "moved to the trash",
        Action::Restore => "restored from the trash",
        Action::Delete => "deleted permanently",
    }
}

#[derive(Serialize)]
struct EditView {
    layout: AdminLayout,
    comment: ModCommentView,
}

pub async fn edit_form(
    state: web::Data<AppState>,
    req: HttpRequest,
    current: CurrentUser,
    id: web::Path<i32>,
) -> Result<HttpResponse, AppError> {
    let id = CommentId(id.into_inner());
    let (row, parents) = state
        .db
        .read(move |c| {
            let row = queue_db::find_with_post(c, id)?.ok_or(AppError::NotFound)?;
            let parents = queue_db::excerpts(c, &row.0.parent_id.into_iter().collect::<Vec<_>>())?;
            Ok((row, parents))
        })
        .await?;
    let parents = parents.into_iter().map(|(id, a, t)| (id, (a, t))).collect();
    let view = EditView {
        layout: AdminLayout::new("Edit comment", current.viewer(), take_flash(&req)),
        comment: ModCommentView::new(row, &parents),
    };
    render(&state.tera, "admin/comment_edit.html", &view, StatusCode::OK)
}

#[derive(Deserialize)]
pub struct TextForm {
    #[serde(default)]
    text: String,
}

pub async fn edit_save(
    state: web::Data<AppState>,
    req: HttpRequest,
    id: web::Path<i32>,
    form: CsrfForm<TextForm>,
) -> Result<HttpResponse, AppError> {
    let id = CommentId(id.into_inner());
    let actor = Actor::user(&form.current.user);
    let text = form.form.text;
    state.db.write(move |c| queue::edit_text(c, &actor, id, &text)).await?;
    set_flash(&req, "Comment saved.");
    Ok(redirect_back(Some(&format!("/admin/comments/{id}/edit")), "/admin"))
}

pub async fn reply(
    state: web::Data<AppState>,
    req: HttpRequest,
    id: web::Path<i32>,
    form: CsrfForm<TextForm>,
) -> Result<HttpResponse, AppError> {
    let parent = CommentId(id.into_inner());
    let user = form.current.user.clone();
    let text = form.form.text;
    let notifier = state.notifier.clone();
    let reply =
        state.db.write(move |c| queue::reply_as_moderator(c, &notifier, &user, parent, &text)).await?;
    set_flash(&req, format!("Reply #{reply} published."));
    Ok(redirect_back(Some(&format!("/admin/comments/{parent}/edit")), "/admin"))
}
