//! Links from mails. Both kinds show a confirmation on GET and act on POST: mail scanners
//! prefetch every GET. Unsubscribe POSTs are also RFC 8058 one-click requests.

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use chrono::Utc;
use serde::Serialize;

use crate::db::queue as queue_db;
use crate::db::subscriptions;
use crate::error::AppError;
use crate::services::links::{self, LinkError};
use crate::services::markup::truncate_words;
use crate::services::moderation::actions::{self, LinkOutcome};
use crate::state::AppState;
use crate::views::{render, Layout};

#[derive(Serialize)]
struct LinkView {
    layout: Layout,
    heading: String,
    message: String,
    /// Set on the confirmation page: the button's label.
    confirm: Option<String>,
    excerpt: Option<String>,
    /// After a moderation link: where the comment and the queue are.
    comment: Option<CommentLinks>,
}

#[derive(Serialize)]
struct CommentLinks {
    edit_url: String,
    article_url: String,
}

/// A page about a mailed link (the confirmation's button posts back to the same address).
pub fn page(
    state: &AppState,
    status: StatusCode,
    heading: &str,
    message: String,
    confirm: Option<String>,
    excerpt: Option<String>,
) -> Result<HttpResponse, AppError> {
    finish(state, &link_view(state, heading, message, confirm, excerpt, None), status)
}

fn link_view(
    state: &AppState,
    heading: &str,
    message: String,
    confirm: Option<String>,
    excerpt: Option<String>,
    comment: Option<CommentLinks>,
) -> LinkView {
    let mut layout = Layout::new(&state.config, "/", Some(heading.to_string()));
    layout.noindex = true;
    LinkView { layout, heading: heading.to_string(), message, confirm, excerpt, comment }
}

fn finish(state: &AppState, view: &LinkView, status: StatusCode) -> Result<HttpResponse, AppError> {
    let mut response = render(&state.tera, "links/result.html", view, status)?;
    response.headers_mut().insert(
        actix_web::http::header::CACHE_CONTROL,
        actix_web::http::header::HeaderValue::from_static("no-store"),
    );
    Ok(response)
}

async fn moderation(
    state: web::Data<AppState>,
    token: String,
    commit: bool,
) -> Result<HttpResponse, AppError> {
    let link = match links::verify_moderation(&state.signer, &token, Utc::now().naive_utc()) {
        Ok(link) => link,
        Err(error) => return show(&state, link_error(error)),
    };
    let notifier = state.notifier.clone();
    let check = link.clone();
    let (outcome, row) = state
        .db
        .write(move |c| {
            let outcome = actions::follow_link(c, &notifier, &check, commit)?;
            let row = queue_db::find_with_post(c, check.comment)?;
            Ok((outcome, row))
        })
        .await?;
    let about = row
        .as_ref()
        .map(|(c, _, title)| format!("the comment by {} on “{}”", c.author, title))
        .unwrap_or_else(|| "this comment".into());
    let excerpt = row.as_ref().map(|(c, _, _)| truncate_words(&c.body_source, 300));
    let verb = link.action.name().replace('_', " ");
    let comment = row.as_ref().map(|(c, slug, _)| CommentLinks {
        edit_url: format!("/admin/comments/{}/edit", c.id),
        article_url: format!("/posts/{slug}#comment-{}", c.id),
    });
    let p = outcome_page(outcome, commit, &about, &verb, excerpt);
    finish(&state, &link_view(&state, p.heading, p.message, p.confirm, p.excerpt, comment), p.status)
}

/// What a link page says.
struct LinkPage {
    status: StatusCode,
    heading: &'static str,
    message: String,
    confirm: Option<String>,
    excerpt: Option<String>,
}

fn show(state: &AppState, p: LinkPage) -> Result<HttpResponse, AppError> {
    page(state, p.status, p.heading, p.message, p.confirm, p.excerpt)
}

fn notice(status: StatusCode, heading: &'static str, message: &str) -> LinkPage {
    LinkPage { status, heading, message: message.into(), confirm: None, excerpt: None }
}

fn link_error(error: LinkError) -> LinkPage {
    match error {
        LinkError::Expired => notice(
            StatusCode::GONE,
            "This link has expired",
            "Moderation links work for a few days. Please use the admin instead.",
        ),
        LinkError::Invalid => notice(
            StatusCode::BAD_REQUEST,
            "This link is not valid",
            "It may have been cut off or changed. Please use the admin instead.",
        ),
    }
}

fn outcome_page(
    outcome: LinkOutcome,
    commit: bool,
    about: &str,
    verb: &str,
    excerpt: Option<String>,
) -> LinkPage {
    match outcome {
        LinkOutcome::Done { to, .. } if commit => LinkPage {
            excerpt,
            ..notice(StatusCode::OK, "Done", &format!("{} is now {to}.", capitalize(about)))
        },
        LinkOutcome::Done { .. } => LinkPage {
            confirm: Some(capitalize(verb)),
            excerpt,
            // No question mark after the title: “Loss?”? reads as a typo.
            ..notice(StatusCode::OK, "Please confirm", &format!("{}: {about}.", capitalize(verb)))
        },
        LinkOutcome::AlreadyUsed => {
            notice(StatusCode::CONFLICT, "This link was already used", "Each link works once.")
        }
        LinkOutcome::AlreadyHandled(now) => LinkPage {
            excerpt,
            ..notice(
                StatusCode::CONFLICT,
                "Already handled",
                &format!(
                    "{} was already dealt with (here or in the admin): it is {now} now. Nothing was changed.",
                    capitalize(about)
                ),
            )
        },
        LinkOutcome::Gone => notice(StatusCode::GONE, "This comment is gone", "It was deleted."),
        LinkOutcome::Revoked => notice(
            StatusCode::FORBIDDEN,
            "This link no longer works",
            "The account it was sent to has been removed, no longer moderates, or has changed its \
             password since. Please use the admin instead.",
        ),
    }
}

fn capitalize(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

pub async fn moderation_confirm(
    state: web::Data<AppState>,
    token: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    moderation(state, token.into_inner(), false).await
}

pub async fn moderation_act(
    state: web::Data<AppState>,
    token: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    moderation(state, token.into_inner(), true).await
}

/// GET: asks (a prefetching scanner must not unsubscribe anyone).
pub async fn unsubscribe_confirm(
    state: web::Data<AppState>,
    token: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    unsubscribe(state, token.into_inner(), false).await
}

/// POST: the confirmation's button, or a mail client's RFC 8058 one-click request.
pub async fn unsubscribe_act(
    state: web::Data<AppState>,
    token: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    unsubscribe(state, token.into_inner(), true).await
}

async fn unsubscribe(
    state: web::Data<AppState>,
    token: String,
    commit: bool,
) -> Result<HttpResponse, AppError> {
    // A commenter's page (the link is in their mail): in the site's language.
    let locale = state.locale();
    let Some(comment) = links::verify_unsubscribe(&state.signer, &token) else {
        return page(
            &state,
            StatusCode::BAD_REQUEST,
            &locale.get_text("unsubscribe-invalid-heading"),
            locale.get_text("unsubscribe-invalid"),
            None,
            None,
        );
    };
    if !commit {
        return page(
            &state,
            StatusCode::OK,
            &locale.get_text("unsubscribe-ask-heading"),
            locale.get_text("unsubscribe-what"),
            Some(locale.get_text("unsubscribe-button")),
            None,
        );
    }
    state
        .db
        .write_private(move |c| Ok(subscriptions::cancel_for_comment(c, comment, Utc::now().naive_utc())?))
        .await?;
    page(
        &state,
        StatusCode::OK,
        &locale.get_text("unsubscribe-done-heading"),
        locale.get_text("unsubscribe-what"),
        None,
        None,
    )
}
