//! Evidence of a checklist requirement on the web: the upload form's post (multipart, the CSRF
//! token first), removal, and the file download.

use actix_multipart::Multipart;
use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};

use super::compliance_checklist::{again, back, opt};
use super::compliance_checklist_forms::{anchor, date, EvidenceForm, SimpleForm};
use super::compliance_checklist_model::Returned;
use super::form_post::{self, Outcome, Posted};
use super::systems::{error_page, login_redirect};
use crate::api::files;
use crate::auth::{csrf, AuthUser};
use crate::domain::file_kind::FileKind;
use crate::error::{AppError, FieldErrors};
use crate::rules::today_in_vietnam;
use crate::services::compliance_evidence::{self as items, EvidenceInput};
use crate::services::dossier_files::NewFile;
use crate::services::{self, Actor};
use crate::startup::AppState;
use crate::storage::BlobStore;

/// The parts of the evidence form.
const FIELDS: [&str; 5] = [
    "csrf_token",
    "baseline",
    "title",
    "document_number",
    "document_date",
];

/// What a refused upload shows on the requirement's evidence form.
fn upload_outcome(err: AppError) -> Result<Outcome, AppError> {
    match err {
        AppError::FileTooLarge(m) => Ok(Outcome::alert(m, StatusCode::PAYLOAD_TOO_LARGE)),
        AppError::UnsupportedFile(m) => Ok(Outcome::alert(m, StatusCode::UNSUPPORTED_MEDIA_TYPE)),
        AppError::PayloadTooLarge => Ok(Outcome::alert(
            AppError::PayloadTooLarge.to_string(),
            StatusCode::PAYLOAD_TOO_LARGE,
        )),
        other => Outcome::from_error(other),
    }
}

/// `POST /systems/{id}/compliance/items/{code}/evidence` (multipart, the token first).
pub async fn add_evidence(
    req: HttpRequest,
    state: web::Data<AppState>,
    user: Option<AuthUser>,
    path: web::Path<(String, String)>,
    payload: Multipart,
) -> HttpResponse {
    let Some(user) = user else {
        return login_redirect(&req);
    };
    let (id, code) = path.into_inner();
    {
        // 404 before a byte of the body is written to disk.
        let (actor, id) = (Actor::user(&user), id.clone());
        if let Err(e) = state
            .db
            .run(move |conn| services::systems::find_visible(conn, &actor, &id).map(|_| ()))
            .await
        {
            return error_page(&req, &state, &user, e);
        }
    }
    let store = BlobStore::new(&state.config.data_dir);
    let read = files::read_upload(
        payload,
        &store,
        state.config.upload_max_bytes,
        "file",
        &FIELDS,
    )
    .await;
    let mut typed = EvidenceForm::default();
    let mut baseline = None;
    let result: Result<String, AppError> = match read {
        Ok(mut form) => {
            let token = form.take("csrf_token").unwrap_or_default();
            baseline = form.take("baseline");
            typed = EvidenceForm {
                title: form.text.get("title").cloned().unwrap_or_default(),
                document_number: form
                    .text
                    .get("document_number")
                    .cloned()
                    .unwrap_or_default(),
                document_date: form.text.get("document_date").cloned().unwrap_or_default(),
            };
            if !csrf::matches(&req, Some(&token)) {
                Err(AppError::Forbidden(form_post::CSRF_MESSAGE.into()))
            } else {
                let mut errors = FieldErrors::new();
                let document_date = date(&mut errors, "document_date", &typed.document_date);
                if errors.is_empty() {
                    let input = EvidenceInput {
                        title: form.take("title"),
                        document_number: form.take("document_number"),
                        document_date,
                        file: form.file.take().map(|f| NewFile {
                            blob: f.blob,
                            original_name: f.original_name,
                        }),
                    };
                    let (actor, registry, target, part, b) = (
                        Actor::user(&user),
                        state.rules.clone(),
                        id.clone(),
                        code.clone(),
                        baseline.clone(),
                    );
                    state
                        .db
                        .run(move |conn| {
                            items::add_evidence(
                                conn,
                                &registry,
                                &store,
                                &actor,
                                &target,
                                b.as_deref(),
                                &part,
                                input,
                                today_in_vietnam(),
                            )
                        })
                        .await
                        .map(|_| baseline.clone().unwrap_or_default())
                } else {
                    Err(AppError::fields(errors))
                }
            }
        }
        Err(e) => Err(e),
    };
    let outcome = match result {
        Ok(b) => {
            let a = anchor(&code);
            return back(&id, &b, &format!("&added=1#{a}"));
        }
        Err(e) => match upload_outcome(e) {
            Ok(o) => o,
            Err(e) => return error_page(&req, &state, &user, e),
        },
    };
    again(
        &req,
        &state,
        &user,
        id,
        baseline,
        Returned::Evidence(code, typed, outcome),
        None,
    )
    .await
}

/// `POST /systems/{id}/compliance/evidence/{eid}/delete`.
pub async fn remove_evidence(
    req: HttpRequest,
    state: web::Data<AppState>,
    user: Option<AuthUser>,
    path: web::Path<(String, String)>,
    body_bytes: web::Bytes,
) -> HttpResponse {
    let Some(user) = user else {
        return login_redirect(&req);
    };
    let Some(form) = form_post::read(&body_bytes, SimpleForm::parse) else {
        return error_page(&req, &state, &user, AppError::PayloadTooLarge);
    };
    let (id, eid) = path.into_inner();
    let (actor, target) = (Actor::user(&user), id.clone());
    let run = state
        .db
        .run(move |conn| items::remove_evidence(conn, &actor, &target, &eid));
    let baseline = opt(&form.baseline);
    match form_post::submit(&req, &form.csrf_token, FieldErrors::new(), run).await {
        Posted::Done(()) => back(&id, baseline.as_deref().unwrap_or_default(), "&removed=1"),
        Posted::Again(o) => again(&req, &state, &user, id, baseline, Returned::None, Some(o)).await,
        Posted::Failed(e) => error_page(&req, &state, &user, e),
    }
}

/// `GET /systems/{id}/compliance/evidence/{eid}`: the evidence file as an attachment.
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
    let (id, eid) = path.into_inner();
    let found = state
        .db
        .run(move |conn| items::evidence_for_download(conn, &actor, &id, &eid))
        .await;
    let e = match found {
        Ok(e) => e,
        Err(e) => return error_page(&req, &state, &user, e),
    };
    let (Some(sha256), Some(kind)) = (
        e.sha256.as_deref(),
        e.content_type.as_deref().and_then(FileKind::from_mime),
    ) else {
        return error_page(&req, &state, &user, AppError::not_found());
    };
    let store = BlobStore::new(&state.config.data_dir);
    let size = e
        .size_bytes
        .and_then(|s| u64::try_from(s).ok())
        .unwrap_or(0);
    let name = e.file_name.as_deref().unwrap_or("minh-chung");
    match files::attachment(&store, sha256, kind, name, size) {
        Ok(res) => res,
        Err(e) => error_page(&req, &state, &user, e),
    }
}
