//! POST /posts/{slug}/comments: 303 on acceptance, the article re-rendered with the reader's
//! text on refusal (422 invalid, 400 bad form token, 403 closed or bad reply, 409 duplicate,
//! 429 too fast).

use actix_web::http::{header, StatusCode};
use actix_web::{web, HttpRequest, HttpResponse};

use crate::db::enums::CommentStatus;
use crate::db::ids::CommentId;
use crate::error::AppError;
use crate::routes::embed::{self, EmbedTokens};
use crate::routes::public::render_article;
use crate::routes::{guard, visitor};
use crate::services::comment_form::RawCommentForm;
use crate::services::comments::{self, ClientInfo, Outcome, RefusalKind, Submission};
use crate::services::posts::Showing;
use crate::state::AppState;
use crate::views::forms::{FormState, Remembered};
use serde::Deserialize;

/// Comments up to this size are rendered on the request's own worker.
const INLINE_RENDER_BYTES: usize = 4 * 1024;

/// The answer to each kind of refusal; the form is shown again in every case.
fn refusal_status(kind: RefusalKind) -> StatusCode {
    match kind {
        RefusalKind::RateLimited | RefusalKind::Flood => StatusCode::TOO_MANY_REQUESTS,
        RefusalKind::Closed | RefusalKind::BadReply => StatusCode::FORBIDDEN,
        RefusalKind::BadToken => StatusCode::BAD_REQUEST,
        RefusalKind::Invalid => StatusCode::UNPROCESSABLE_ENTITY,
        RefusalKind::Duplicate => StatusCode::CONFLICT,
    }
}

/// The outcome in the metrics (status and refusal kind only, nothing the reader sent).
fn count(state: &AppState, outcome: &Outcome) {
    let (outcome, reason) = match outcome {
        Outcome::Accepted { status, .. } => (
            match status {
                CommentStatus::Approved => "approved",
                CommentStatus::Spam => "spam",
                _ => "held",
            },
            "",
        ),
        Outcome::Refused(refusal) => (
            "refused",
            match refusal.kind {
                RefusalKind::RateLimited => "rate_limited",
                RefusalKind::Flood => "flood",
                RefusalKind::Closed => "closed",
                RefusalKind::BadToken => "bad_token",
                RefusalKind::Invalid => "invalid",
                RefusalKind::BadReply => "bad_reply",
                RefusalKind::Duplicate => "duplicate",
            },
        ),
    };
    state.metrics.comment(outcome, reason);
}

/// `?embed=1`: sent by `embed.js` from another site's page; answered with the thread's HTML
/// (never a redirect), its own-comment tokens in the query instead of cookies.
#[derive(Debug, Default, Deserialize)]
pub struct EmbedPost {
    embed: Option<String>,
    /// The view time the thread came with (`X-Marginalia-Seen`).
    seen: Option<String>,
    #[serde(flatten)]
    tokens: EmbedTokens,
}

/// How the form is answered: the article page (the blog's own form) or the embedded thread.
enum Answer {
    Page(Vec<CommentId>),
    Embed(EmbedTokens),
}

impl Answer {
    async fn form(
        &self,
        state: &AppState,
        slug: String,
        form: FormState,
        status: StatusCode,
    ) -> Result<HttpResponse, AppError> {
        match self {
            Answer::Page(own) => {
                render_article(state, slug, own.clone(), form, Showing::default(), status, None).await
            }
            Answer::Embed(tokens) => {
                embed::render_thread(state, slug, tokens, None, form, Showing::default(), status).await
            }
        }
    }
}

/// Whether the post may take this request. From another origin only through the embed
/// (`?embed=1`, answered without cookies) and only for a thread of that origin's site; any
/// other foreign origin is refused. `?embed=1` for a post that is not a thread: 404.
async fn allowed_origin(
    state: &AppState,
    req: &HttpRequest,
    slug: &str,
    embed: bool,
) -> Result<bool, AppError> {
    let origin = embed::foreign_origin(req, state);
    if origin.is_none() && !embed {
        return Ok(!guard::is_cross_site(req, &state.config));
    }
    let slug = slug.to_string();
    let thread_site = state
        .db
        .read(move |c| {
            let Some(post) = crate::db::posts::find_by_slug(c, &slug)? else { return Ok(None) };
            Ok(crate::db::threads::find(c, post.id)?.map(|t| t.site))
        })
        .await?;
    if embed && thread_site.is_none() {
        return Err(AppError::NotFound);
    }
    Ok(match origin {
        None => !guard::is_cross_site(req, &state.config),
        Some(origin) => {
            let site = state.navigation.embed_sites().for_origin(origin).map(|s| s.name.clone());
            embed && site.is_some() && site == thread_site
        }
    })
}

pub async fn create(
    state: web::Data<AppState>,
    req: HttpRequest,
    slug: web::Path<String>,
    query: web::Query<EmbedPost>,
    form: web::Form<RawCommentForm>,
    mut client: ClientInfo,
) -> Result<HttpResponse, AppError> {
    let (slug, form, query) = (slug.into_inner(), form.into_inner(), query.into_inner());
    if query.embed.is_some() {
        client.form_viewed = query.seen.filter(|s| !s.is_empty());
    }
    let answer = if query.embed.is_some() {
        Answer::Embed(query.tokens)
    } else {
        Answer::Page(visitor::own_comment_ids(&req, &state.signer))
    };
    if !allowed_origin(&state, &req, &slug, matches!(answer, Answer::Embed(_))).await? {
        // Another site's page posted this (and would plant its remember-me cookie): refused,
        // with the text shown back in case a reader really typed it.
        state.metrics.comment("refused", "cross_site");
        let form = FormState::from_raw(&form).with_notice(crate::i18n::Text::new("refused-cross-site"));
        return answer.form(&state, slug, form, StatusCode::FORBIDDEN).await;
    }
    if form.preview.is_some() {
        return preview(&state, slug, &answer, form).await;
    }
    // Rendered here when short (microseconds, no thread hop), a long one (up to 64 KB, bounded
    // nesting) on the blocking pool; scored by the learned filter before the write turn.
    let prepared = if form.comment.len() <= INLINE_RENDER_BYTES {
        comments::prepare(&form)
    } else {
        let form = form.clone();
        crate::db::blocking(move || Ok(comments::prepare(&form))).await?
    };
    let prepared = if state.config.spam.learn {
        let form = form.clone();
        state.db.read(move |c| Ok(comments::assess(c, &form, prepared))).await?
    } else {
        prepared
    };
    let outcome = {
        let (state, slug, form) = (state.clone(), slug.clone(), form.clone());
        state
            .clone()
            .db
            // Group-committed: whatever POSTs wait share one transaction and one fsync.
            .write_grouped(move |c| {
                comments::submit(
                    c,
                    &Submission {
                        slug: &slug,
                        form: &form,
                        prepared: &prepared,
                        client: &client,
                        config: &state.config.comments,
                        spam: &state.config.spam,
                        signer: &state.signer,
                        limiter: &state.comment_limiter,
                        notifier: &state.notifier,
                    },
                )
            })
            .await?
    };

    count(&state, &outcome);
    match outcome {
        Outcome::Refused(refusal) => {
            let status = refusal_status(refusal.kind);
            let form = FormState::rejected(&form, &refusal.rejected);
            let mut response = answer.form(&state, slug, form, status).await?;
            if status == StatusCode::TOO_MANY_REQUESTS {
                response.headers_mut().insert(header::RETRY_AFTER, header::HeaderValue::from_static("60"));
            }
            Ok(response)
        }
        Outcome::Accepted { id, status, .. } => {
            let own = match answer {
                Answer::Page(own) => own,
                Answer::Embed(tokens) => {
                    let written = embed::Written { id, held: status != CommentStatus::Approved };
                    let (form, ok) = (FormState::default(), StatusCode::OK);
                    return embed::render_thread(
                        &state,
                        slug,
                        &tokens,
                        Some(written),
                        form,
                        Showing::default(),
                        ok,
                    )
                    .await;
                }
            };
            let mut response = accepted(&state, &req, &slug, &form, own, id, status);
            let now = chrono::Utc::now().timestamp();
            let cookie = visitor::edit_cookie(&req, &state.signer, id, now, state.config.is_https());
            response.add_cookie(&cookie).map_err(|e| AppError::Internal(format!("edit cookie: {e}")))?;
            Ok(response)
        }
    }
}

/// "Preview": the article again with the form as filled and the comment rendered above it
/// (or the form's errors); nothing stored. Private: it holds what the reader typed.
async fn preview(
    state: &AppState,
    slug: String,
    answer: &Answer,
    form: RawCommentForm,
) -> Result<HttpResponse, AppError> {
    let raw = form.clone();
    let rendered = crate::db::blocking(move || Ok(comments::preview(&raw))).await?;
    let (state_of_form, status) = match rendered {
        Ok(html) => (FormState { preview: Some(html), ..FormState::from_raw(&form) }, StatusCode::OK),
        Err(rejected) => (FormState::rejected(&form, &rejected), StatusCode::UNPROCESSABLE_ENTITY),
    };
    let mut response = answer.form(state, slug, state_of_form, status).await?;
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, header::HeaderValue::from_static("private, no-store"));
    Ok(response)
}

/// GET of the form's address (a refused form's page, reloaded): back to the article's form.
pub async fn back_to_form(slug: web::Path<String>) -> HttpResponse {
    let slug: String = form_urlencoded::byte_serialize(slug.as_bytes()).collect();
    HttpResponse::SeeOther().insert_header((header::LOCATION, format!("/posts/{slug}#respond"))).finish()
}

/// 303 to the new comment; a held one is remembered as the reader's own (so they see it),
/// and the reader's details are remembered (or forgotten) as they asked.
fn accepted(
    state: &AppState,
    req: &HttpRequest,
    slug: &str,
    form: &RawCommentForm,
    own: Vec<CommentId>,
    id: CommentId,
    status: CommentStatus,
) -> HttpResponse {
    let secure = state.config.is_https();
    let mut response = HttpResponse::SeeOther();
    response.insert_header((header::LOCATION, format!("/posts/{slug}#comment-{id}")));
    if status != CommentStatus::Approved {
        response.cookie(visitor::own_cookie(&state.signer, own, id, secure));
    }
    if form.remember.is_some() {
        let values = Remembered {
            author: form.author.trim().to_string(),
            email: form.email.trim().to_string(),
            url: form.url.trim().to_string(),
        };
        response.cookie(visitor::remember_cookie(&values, secure));
    } else if visitor::remembered(req).is_some() {
        response.cookie(visitor::forget_cookie(secure));
    }
    response.finish()
}
