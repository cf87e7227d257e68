//! The register on the web: `GET /systems/export.{xlsx,csv,docx}`, and the import page
//! `/systems/import` (upload → the mapping to adjust → the preview with each row's errors and
//! would-be level → confirm), the uploaded file kept in the data folder between the steps.

use std::collections::HashMap;
use std::path::PathBuf;

use actix_multipart::Multipart;
use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use askama::Template;

use super::pages::csrf_for;
use super::systems::{error_page, login_redirect, respond};
use super::templates::{render, Chrome};
use crate::api::table_upload;
use crate::api::v1::system_register::{import_file, register_file};
use crate::auth::{csrf, AuthUser};
use crate::error::AppError;
use crate::services::system_import::{field_choices, ImportReport, Mode};
use crate::services::system_register::RegisterFormat;
use crate::services::Actor;
use crate::startup::AppState;

/// `GET /systems/export.{format}`: the register of the user's subtree.
pub async fn export(
    req: HttpRequest,
    state: web::Data<AppState>,
    user: Option<AuthUser>,
    format: web::Path<String>,
) -> HttpResponse {
    let Some(user) = user else {
        return login_redirect(&req);
    };
    let result = match RegisterFormat::parse(&format) {
        Ok(f) => register_file(&state, Actor::user(&user), f, None).await,
        Err(e) => Err(e),
    };
    result.unwrap_or_else(|e| error_page(&req, &state, &user, e))
}

#[derive(Template)]
#[template(path = "pages/system_import.html")]
pub struct ImportPage {
    pub chrome: Chrome,
    pub preview: Option<PreviewPart>,
    pub error: Option<String>,
    pub max_rows: usize,
}

/// The preview: mapping selects, the rows, and the buttons of the next step.
#[derive(Template)]
#[template(path = "partials/system_import_preview.html")]
pub struct PreviewPart {
    pub csrf_token: String,
    pub staged: String,
    pub report: ImportReport,
    pub fields: Vec<(&'static str, &'static str)>,
    /// The error of a refused step (mapping, commit) shown above the preview.
    pub error: Option<String>,
}

impl PreviewPart {
    pub fn action_label(&self, action: &Option<String>) -> &'static str {
        match action.as_deref() {
            Some("create") => "Tạo mới",
            Some("update") => "Cập nhật",
            _ => "—",
        }
    }

    pub fn is_field(&self, field: &Option<String>, key: &str) -> bool {
        field.as_deref() == Some(key)
    }
}

/// The staged upload of `user` named `token` (letters, digits, `-` and `_` only).
fn staged_path(state: &AppState, user: &AuthUser, token: &str) -> Result<PathBuf, AppError> {
    let ok = !token.is_empty()
        && token.len() <= 64
        && token
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    let user_part: String = user
        .id
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
        .collect();
    if !ok {
        return Err(AppError::field(
            "staged",
            "Tệp đã tải lên không còn; hãy tải lên lại",
        ));
    }
    Ok(state
        .config
        .data_dir
        .join("files")
        .join("tmp")
        .join(format!("import-{user_part}-{token}")))
}

fn alert_of(e: &AppError) -> String {
    match e {
        AppError::Validation { message, fields } => {
            let details: Vec<&str> = fields.values().flatten().map(String::as_str).collect();
            if details.is_empty() {
                message.clone()
            } else {
                format!("{message}: {}", details.join("; "))
            }
        }
        other => other.to_string(),
    }
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}

fn is_htmx(req: &HttpRequest) -> bool {
    req.headers().contains_key("HX-Request")
}

/// The page (or, for htmx, the preview part) after a step.
fn show(
    req: &HttpRequest,
    state: &AppState,
    user: &AuthUser,
    preview: Option<PreviewPart>,
    error: Option<String>,
    status: StatusCode,
) -> HttpResponse {
    let (token, cookie) = csrf_for(req, state);
    if is_htmx(req) {
        if let Some(p) = preview {
            return render(status, &p);
        }
        let message = error.unwrap_or_default();
        return HttpResponse::build(status)
            .content_type("text/html; charset=utf-8")
            .body(format!(
                "<div class=\"alert alert-danger\" role=\"alert\" id=\"import-error\"><p>{}</p></div>",
                escape(&message)
            ));
    }
    let page = ImportPage {
        chrome: Chrome::signed_in(token, &user.principal, "systems"),
        preview,
        error,
        max_rows: crate::services::system_import::MAX_ROWS,
    };
    respond(status, &page, cookie)
}

/// `GET /systems/import`.
pub async fn page(
    req: HttpRequest,
    state: web::Data<AppState>,
    user: Option<AuthUser>,
) -> HttpResponse {
    let Some(user) = user else {
        return login_redirect(&req);
    };
    show(&req, &state, &user, None, None, StatusCode::OK)
}

async fn dry_run_or_commit(
    state: &AppState,
    user: &AuthUser,
    staged: &str,
    mode: Mode,
    mapping: Option<HashMap<String, String>>,
) -> Result<ImportReport, AppError> {
    let path = staged_path(state, user, staged)?;
    let file = std::fs::File::open(&path).map_err(|_| {
        AppError::field(
            "staged",
            "Tệp đã tải lên không còn (quá 1 giờ?); hãy tải lên lại",
        )
    })?;
    let report = import_file(
        state,
        Actor::user(user),
        user.organization_id.clone(),
        file,
        mode,
        mapping,
    )
    .await?;
    if report.committed {
        let _ = std::fs::remove_file(&path);
    }
    Ok(report)
}

/// `POST /systems/import`: the uploaded file is kept and previewed with the automatic mapping.
pub async fn upload(
    req: HttpRequest,
    state: web::Data<AppState>,
    user: Option<AuthUser>,
    body: Multipart,
) -> HttpResponse {
    let Some(user) = user else {
        return login_redirect(&req);
    };
    let read = table_upload::read(
        body,
        &state.config.data_dir,
        state.config.upload_max_bytes,
        &["csrf_token"],
    )
    .await;
    let mut form = match read {
        Ok(f) => f,
        Err(e) => return show(&req, &state, &user, None, Some(alert_of(&e)), e_status(&e)),
    };
    let token = form.text.remove("csrf_token").unwrap_or_default();
    if !csrf::matches(&req, Some(&token)) {
        let e = AppError::Forbidden(super::form_post::CSRF_MESSAGE.into());
        return show(
            &req,
            &state,
            &user,
            None,
            Some(alert_of(&e)),
            StatusCode::FORBIDDEN,
        );
    }
    let Some(tmp) = form.file.take() else {
        let e = AppError::field("file", "Vui lòng chọn tệp XLSX hoặc CSV");
        return show(&req, &state, &user, None, Some(alert_of(&e)), e_status(&e));
    };
    let staged = csrf::new_token()
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .take(32)
        .collect::<String>();
    let kept = staged_path(&state, &user, &staged)
        .and_then(|path| tmp.persist(path).map_err(|e| AppError::internal(e.error)));
    if let Err(e) = kept {
        return show(&req, &state, &user, None, Some(alert_of(&e)), e_status(&e));
    }
    step(&req, &state, &user, staged, Mode::DryRun, None, None).await
}

fn e_status(e: &AppError) -> StatusCode {
    use actix_web::ResponseError;
    e.status_code()
}

/// Runs a step on the staged file and shows its outcome.
async fn step(
    req: &HttpRequest,
    state: &AppState,
    user: &AuthUser,
    staged: String,
    mode: Mode,
    mapping: Option<HashMap<String, String>>,
    refused: Option<String>,
) -> HttpResponse {
    let (csrf_token, _) = csrf_for(req, state);
    match dry_run_or_commit(state, user, &staged, mode, mapping.clone()).await {
        Ok(report) => {
            let preview = PreviewPart {
                csrf_token,
                staged,
                report,
                fields: field_choices(),
                error: refused,
            };
            show(req, state, user, Some(preview), None, StatusCode::OK)
        }
        // A refused commit: the preview again, with the reason above it.
        Err(e) if mode == Mode::Commit && matches!(e, AppError::Validation { .. }) => {
            let reason = alert_of(&e);
            Box::pin(step(
                req,
                state,
                user,
                staged,
                Mode::DryRun,
                mapping,
                Some(reason),
            ))
            .await
        }
        Err(AppError::Internal(e)) => error_page(req, state, user, AppError::Internal(e)),
        Err(e) => show(req, state, user, None, Some(alert_of(&e)), e_status(&e)),
    }
}

/// `POST /systems/import/staged`: the adjusted mapping previewed again, or the import committed.
pub async fn staged(
    req: HttpRequest,
    state: web::Data<AppState>,
    user: Option<AuthUser>,
    form: web::Form<Vec<(String, String)>>,
) -> HttpResponse {
    let Some(user) = user else {
        return login_redirect(&req);
    };
    let fields: HashMap<String, String> = form.into_inner().into_iter().collect();
    let token = fields
        .get("csrf_token")
        .map(String::as_str)
        .unwrap_or_default();
    if !super::form_post::csrf_header_or_field(&req, token) {
        let e = AppError::Forbidden(super::form_post::CSRF_MESSAGE.into());
        return show(
            &req,
            &state,
            &user,
            None,
            Some(alert_of(&e)),
            StatusCode::FORBIDDEN,
        );
    }
    let mode = match Mode::parse(fields.get("mode").map(String::as_str)) {
        Ok(m) => m,
        Err(e) => return show(&req, &state, &user, None, Some(alert_of(&e)), e_status(&e)),
    };
    // header_N names the file's column N, map_N the field chosen for it ("" to skip).
    let mut mapping = HashMap::new();
    for (key, header) in &fields {
        if let Some(n) = key.strip_prefix("header_") {
            if let Some(field) = fields.get(&format!("map_{n}")) {
                mapping.insert(header.clone(), field.clone());
            }
        }
    }
    let staged = fields.get("staged").cloned().unwrap_or_default();
    let mapping = (!mapping.is_empty()).then_some(mapping);
    step(&req, &state, &user, staged, mode, mapping, None).await
}
