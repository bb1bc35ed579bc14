//! Your profile: the name readers see on your articles and replies, your author page's
//! address and bio, your picture.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use serde::{Deserialize, Serialize};

use super::session::{set_flash, take_flash, CsrfUpload, CurrentUser};
use crate::db::{media as media_rows, users};
use crate::error::AppError;
use crate::services::accounts::{self, Profile};
use crate::services::media;
use crate::state::AppState;
use crate::views::admin::AdminLayout;
use crate::views::render;

#[derive(Serialize, Deserialize, Default)]
pub struct ProfileForm {
    #[serde(default)]
    display_name: String,
    #[serde(default)]
    slug: String,
    #[serde(default)]
    bio: String,
    #[serde(default)]
    remove_avatar: Option<String>,
}

#[derive(Serialize)]
struct ProfileView {
    layout: AdminLayout,
    form: ProfileForm,
    username: String,
    avatar: Option<String>,
    error: Option<String>,
}

async fn page(
    state: &AppState,
    current: &CurrentUser,
    form: ProfileForm,
    error: Option<String>,
    flash: Option<String>,
) -> Result<HttpResponse, AppError> {
    let id = current.user.id;
    let avatar = state
        .db
        .read(move |c| {
            let user = users::find(c, id)?.ok_or(AppError::NotFound)?;
            Ok(match user.avatar_media_id {
                Some(m) => media_rows::find(c, m)?.map(|m| media::url_for_width(&m, 480)),
                None => None,
            })
        })
        .await?;
    let status = if error.is_some() { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::OK };
    let view = ProfileView {
        layout: AdminLayout::new("Your profile", current.viewer(), flash),
        form,
        username: current.user.username.clone(),
        avatar,
        error,
    };
    render(&state.tera, "admin/profile.html", &view, status)
}

pub async fn show(
    state: web::Data<AppState>,
    req: HttpRequest,
    current: CurrentUser,
) -> Result<HttpResponse, AppError> {
    let user = &current.user;
    let form = ProfileForm {
        display_name: user.display_name.clone(),
        slug: user.slug.clone().unwrap_or_default(),
        bio: user.bio.clone(),
        remove_avatar: None,
    };
    page(&state, &current, form, None, take_flash(&req)).await
}

pub async fn save(
    state: web::Data<AppState>,
    req: HttpRequest,
    form: CsrfUpload<ProfileForm>,
) -> Result<HttpResponse, AppError> {
    let CsrfUpload { current, form, files } = form;
    let mut avatar = if form.remove_avatar.is_some() { None } else { current.user.avatar_media_id };
    match media::store_uploads(&state.db, &state.config, files, &["avatar"], "", Some(current.user.id)).await
    {
        Ok(stored) => avatar = stored.into_iter().map(|(_, row)| row.id).next().or(avatar),
        Err(AppError::Invalid(message)) => return page(&state, &current, form, Some(message), None).await,
        Err(other) => return Err(other),
    }
    let profile = Profile {
        display_name: form.display_name.clone(),
        slug: form.slug.clone(),
        bio: form.bio.clone(),
        avatar,
    };
    let id = current.user.id;
    match state.db.write(move |tx| accounts::save_profile(tx, id, &profile)).await {
        Ok(()) => {
            set_flash(&req, "Profile saved.");
            Ok(super::redirect_back(Some("/admin/profile"), "/admin/profile"))
        }
        Err(AppError::Invalid(message)) => page(&state, &current, form, Some(message), None).await,
        Err(other) => Err(other),
    }
}
