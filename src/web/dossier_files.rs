//! Files of the dossier's components on the web: the upload form's post (multipart, with the
//! CSRF token as a form field) and the download link.

use actix_multipart::Multipart;
use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};

use super::dossier_forms::ComponentForm;
use super::dossier_page::Returned;
use super::dossiers::{fetch, render_page};
use super::form_post::Outcome;
use super::pages::redirect;
use super::systems::{error_page, login_redirect};
use crate::api::files;
use crate::api::v1::dossier_documents::upload_input;
use crate::auth::{csrf, AuthUser};
use crate::error::AppError;
use crate::rules::today_in_vietnam;
use crate::services::dossier_files as service;
use crate::services::Actor;
use crate::startup::AppState;
use crate::storage::BlobStore;

/// The parts of the web upload form.
const FIELDS: [&str; 2] = ["csrf_token", "component"];

/// What a refused upload shows on the component's card.
fn outcome_of(err: AppError) -> Result<Outcome, AppError> {
    match err {
        AppError::FileTooLarge(m) => Ok(Outcome::alert(m, StatusCode::PAYLOAD_TOO_LARGE)),
        AppError::UnsupportedFile(m) => Ok(Outcome::alert(m, StatusCode::UNSUPPORTED_MEDIA_TYPE)),
        AppError::PayloadTooLarge => Ok(Outcome::alert(
            AppError::PayloadTooLarge.to_string(),
            StatusCode::PAYLOAD_TOO_LARGE,
        )),
        AppError::Validation { fields, message } => {
            let text: Vec<String> = fields.into_values().flatten().collect();
            let message = if text.is_empty() {
                message
            } else {
                text.join(" ")
            };
            Ok(Outcome::alert(message, StatusCode::UNPROCESSABLE_ENTITY))
        }
        other => Outcome::from_error(other),
    }
}

/// `POST /dossiers/{id}/files`: one file for one component, then back to the dossier page.
pub async fn upload(
    req: HttpRequest,
    state: web::Data<AppState>,
    user: Option<AuthUser>,
    id: web::Path<String>,
    body: Multipart,
) -> HttpResponse {
    let Some(user) = user else {
        return login_redirect(&req);
    };
    let id = id.into_inner();
    let actor = Actor::user(&user);
    {
        // 404 before a byte of the body is written to disk.
        let (actor, id) = (actor.clone(), id.clone());
        if let Err(e) = state
            .db
            .run(move |conn| service::check_visible(conn, &actor, &id))
            .await
        {
            return error_page(&req, &state, &user, e);
        }
    }
    let store = BlobStore::new(&state.config.data_dir);
    let registry = state.rules.clone();
    let read =
        files::read_upload(body, &store, state.config.upload_max_bytes, "file", &FIELDS).await;
    let (component, result) = match read {
        Ok(mut form) => {
            let token = form.take("csrf_token").unwrap_or_default();
            let component = form.text.get("component").cloned().unwrap_or_default();
            // The staged file is dropped (and removed) unless the token matches.
            if !csrf::matches(&req, Some(&token)) {
                let err = AppError::Forbidden(super::form_post::CSRF_MESSAGE.into());
                (component, Err(err))
            } else {
                let target = id.clone();
                let run = async {
                    let input = upload_input(&mut form)?;
                    state
                        .db
                        .run(move |conn| {
                            service::upload(
                                conn,
                                &registry,
                                &store,
                                &actor,
                                &target,
                                input,
                                today_in_vietnam(),
                            )
                        })
                        .await
                };
                (component, run.await.map(|_| ()))
            }
        }
        Err(e) => (String::new(), Err(e)),
    };
    let outcome = match result {
        Ok(()) => {
            let part: String = url::form_urlencoded::byte_serialize(component.as_bytes()).collect();
            return redirect(&format!("/dossiers/{id}?saved={part}#c-{part}"));
        }
        Err(e) => match outcome_of(e) {
            Ok(o) => o,
            Err(e) => return error_page(&req, &state, &user, e),
        },
    };
    let loaded = match fetch(&state, &user, id).await {
        Ok(l) => l,
        Err(e) => return error_page(&req, &state, &user, e),
    };
    let stored = loaded
        .view
        .components
        .iter()
        .find(|c| c.component == component)
        .map(ComponentForm::from_view);
    let returned = match stored {
        Some(form) => Returned::Component(component, form, outcome),
        None => Returned::Page(outcome),
    };
    render_page(&req, &state, &user, loaded, returned, None, None)
}

/// `GET /dossiers/{id}/files/{file_id}`: the file as an attachment.
pub async fn download(
    req: HttpRequest,
    state: web::Data<AppState>,
    user: Option<AuthUser>,
    path: web::Path<(String, String)>,
) -> HttpResponse {
    let Some(user) = user else {
        return login_redirect(&req);
    };
    let actor = Actor::user(&user);
    let (id, file_id) = path.into_inner();
    let found = state
        .db
        .run(move |conn| service::find_for_download(conn, &actor, &id, &file_id))
        .await;
    let file = match found {
        Ok(f) => f,
        Err(e) => return error_page(&req, &state, &user, e),
    };
    let store = BlobStore::new(&state.config.data_dir);
    let size = u64::try_from(file.size).unwrap_or(0);
    match files::attachment(&store, &file.sha256, file.kind, &file.name, size) {
        Ok(res) => res,
        Err(e) => error_page(&req, &state, &user, e),
    }
}
