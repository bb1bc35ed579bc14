//! `/comments/{id}/edit`: a commenter changes or deletes their own comment, from the browser
//! that sent it (its signed edit cookie), within the edit window, until someone replies.

use actix_web::http::{header, StatusCode};
use actix_web::{web, HttpRequest, HttpResponse};
use chrono::Utc;
use serde::{Deserialize, Serialize};

use crate::db::ids::CommentId;
use crate::error::AppError;
use crate::routes::{guard, visitor};
use crate::services::own_comments;
use crate::state::AppState;
use crate::views::{render, Layout};

#[derive(Serialize)]
struct EditView {
    layout: Layout,
    id: i32,
    text: String,
    article_url: String,
    article_title: String,
    error: Option<String>,
}

#[derive(Deserialize)]
pub struct EditForm {
    #[serde(default)]
    comment: String,
    /// `save` or `delete`.
    #[serde(default)]
    action: String,
}

const NOT_THIS_BROWSER: &str = "A comment can only be changed from the browser that sent it.";

fn from_this_browser(req: &HttpRequest, state: &AppState, id: CommentId) -> bool {
    visitor::edit_entries(req, &state.signer).iter().any(|(own, _)| *own == id)
}

/// (article title, its address) of the comment `id`.
async fn article_of(state: &AppState, id: CommentId) -> Result<(String, String), AppError> {
    state
        .db
        .read(move |c| {
            let comment = crate::db::queue::find(c, id)?.ok_or(AppError::NotFound)?;
            let post = crate::db::posts::find(c, comment.post_id)?.ok_or(AppError::NotFound)?;
            // A thread's comments are read on its own site's page.
            if let Some(thread) = crate::db::threads::find(c, post.id)? {
                return Ok((post.title, thread.url));
            }
            Ok((post.title, crate::services::posts::public_path(post.kind, &post.slug)))
        })
        .await
}

async fn page(
    state: &AppState,
    id: CommentId,
    text: String,
    error: Option<String>,
    status: StatusCode,
) -> Result<HttpResponse, AppError> {
    let (article_title, article_url) = article_of(state, id).await?;
    let locale = state.locale();
    let mut layout =
        Layout::new(&state.config, &format!("/comments/{id}/edit"), Some(locale.get_text("edit-title")));
    layout.noindex = true;
    // Refusals are written in English (they are errors too); shown in the page's language.
    let error = error.map(|e| locale.translate_english(&e).into_owned());
    let view = EditView { layout, id: id.0, text, article_url, article_title, error };
    let origin = url::Url::parse(&view.article_url).ok().map(|u| u.origin().ascii_serialization());
    let mut response = render(&state.tera, "posts/edit_comment.html", &view, status)?;
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, header::HeaderValue::from_static("private, no-store"));
    if let Some(origin) = origin.filter(|o| o != "null") {
        // A thread's comment: saving leads back to the other site's page (a redirect the
        // browser follows only if form-action allows it).
        let csp = header::HeaderValue::from_str(&crate::routes::csp_forms_to(&origin))
            .map_err(|e| AppError::Internal(format!("csp: {e}")))?;
        response.headers_mut().insert(header::CONTENT_SECURITY_POLICY, csp);
    }
    Ok(response)
}

/// `?edit=`: the edit token an embed kept (its page may be on another site, where our cookie
/// is not sent); opened here, it becomes this browser's cookie for the save.
#[derive(Deserialize)]
pub struct EditQuery {
    edit: Option<String>,
}

pub async fn edit_form(
    state: web::Data<AppState>,
    req: HttpRequest,
    id: web::Path<i32>,
    query: web::Query<EditQuery>,
) -> Result<HttpResponse, AppError> {
    let id = CommentId(id.into_inner());
    let token = query
        .edit
        .as_deref()
        .filter(|t| visitor::edit_entries_in(&state.signer, t).iter().any(|(own, _)| *own == id));
    if token.is_none() && !from_this_browser(&req, &state, id) {
        return Err(AppError::Forbidden(NOT_THIS_BROWSER.into()));
    }
    let base = state.config.comments.clone();
    let editable =
        state.db.read(move |c| own_comments::editable(c, &base, id, Utc::now().naive_utc())).await?;
    let mut response = page(&state, id, editable.text, None, StatusCode::OK).await?;
    if let Some(token) = token {
        // Added to what this browser may already edit, never replacing it.
        let mut entries = visitor::edit_entries(&req, &state.signer);
        entries.extend(visitor::edit_entries_in(&state.signer, token));
        let cookie =
            visitor::edit_cookie_of(&visitor::edit_value(&state.signer, &entries), state.config.is_https());
        response.add_cookie(&cookie).map_err(|e| AppError::Internal(format!("edit cookie: {e}")))?;
    }
    Ok(response)
}

pub async fn edit_save(
    state: web::Data<AppState>,
    req: HttpRequest,
    id: web::Path<i32>,
    form: web::Form<EditForm>,
) -> Result<HttpResponse, AppError> {
    let (id, form) = (CommentId(id.into_inner()), form.into_inner());
    // Refused with the text shown back: nothing typed is lost.
    let refuse =
        |message: &str, status| page(&state, id, form.comment.clone(), Some(message.to_string()), status);
    if guard::is_cross_site(&req, &state.config) {
        return refuse(guard::CROSS_SITE_MESSAGE, StatusCode::FORBIDDEN).await;
    }
    if !from_this_browser(&req, &state, id) {
        return refuse(NOT_THIS_BROWSER, StatusCode::FORBIDDEN).await;
    }
    let (base, spam, notifier, now) = (
        state.config.comments.clone(),
        state.config.spam.clone(),
        state.notifier.clone(),
        Utc::now().naive_utc(),
    );
    let (_, article_url) = article_of(&state, id).await?;
    let result = if form.action == "delete" {
        state.db.write(move |tx| own_comments::delete(tx, &base, id, now).map(|_| None)).await
    } else {
        let text = form.comment.clone();
        state
            .db
            .write(move |tx| own_comments::edit(tx, &base, &spam, &notifier, id, &text, now).map(Some))
            .await
    };
    match result {
        Ok(Some(_)) => Ok(see_other(&format!("{article_url}#comment-{id}"))),
        Ok(None) => Ok(see_other(&format!("{article_url}#comments"))),
        Err(AppError::Forbidden(message)) => refuse(&message, StatusCode::FORBIDDEN).await,
        Err(AppError::Invalid(message)) => refuse(&message, StatusCode::UNPROCESSABLE_ENTITY).await,
        Err(other) => Err(other),
    }
}

fn see_other(location: &str) -> HttpResponse {
    HttpResponse::SeeOther().insert_header((header::LOCATION, location.to_string())).finish()
}
