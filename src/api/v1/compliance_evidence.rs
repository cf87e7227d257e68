//! `/api/v1/systems/{id}/compliance/…/evidence`: adding evidence to a requirement (a file,
//! a document by number and date, or both), downloading its file, removing it.

use actix_multipart::Multipart;
use actix_web::http::header;
use actix_web::{web, FromRequest, HttpMessage, HttpRequest, HttpResponse};
use chrono::NaiveDate;
use serde::Deserialize;

use super::compliance::BaselineQuery;
use crate::api::files;
use crate::auth::AuthUser;
use crate::domain::file_kind::FileKind;
use crate::error::{AppError, ErrorBody};
use crate::rules::today_in_vietnam;
use crate::services::compliance_evidence::{self as items, EvidenceInput};
use crate::services::compliance_items::check_editable;
use crate::services::compliance_views::EvidenceView;
use crate::services::dossier_files::NewFile;
use crate::services::Actor;
use crate::startup::AppState;
use crate::storage::BlobStore;

/// The parts an evidence form may have besides `file`.
pub const TEXT_FIELDS: [&str; 3] = ["title", "document_number", "document_date"];

/// Minh chứng là văn bản (số, ký hiệu, ngày), không kèm tệp.
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewEvidence {
    pub title: Option<String>,
    /// Số, ký hiệu văn bản, ví dụ `15/QĐ-SCT`.
    pub document_number: Option<String>,
    /// Ngày văn bản, `YYYY-MM-DD`.
    pub document_date: Option<NaiveDate>,
}

/// Biểu mẫu tải minh chứng lên (multipart/form-data).
#[derive(utoipa::ToSchema)]
#[allow(dead_code)] // documents the form for OpenAPI; the handler reads the parts one by one
pub struct EvidenceForm {
    /// PDF, DOC/DOCX, XLS/XLSX, ODT/ODS, PNG hoặc JPEG, xác định theo nội dung; tối đa theo cấu hình (mặc định 25 MB).
    #[schema(value_type = Option<String>, format = Binary)]
    file: Option<Vec<u8>>,
    title: Option<String>,
    /// Số, ký hiệu văn bản, ví dụ `15/QĐ-SCT`.
    document_number: Option<String>,
    /// Ngày văn bản, `YYYY-MM-DD`.
    document_date: Option<NaiveDate>,
}

fn document_date(value: Option<String>) -> Result<Option<NaiveDate>, AppError> {
    value
        .map(|d| {
            NaiveDate::parse_from_str(&d, "%Y-%m-%d").map_err(|_| {
                AppError::field(
                    "document_date",
                    "Ngày văn bản không hợp lệ (định dạng YYYY-MM-DD)",
                )
            })
        })
        .transpose()
}

#[utoipa::path(post, path = "/api/v1/systems/{id}/compliance/items/{code}/evidence", tag = "compliance", security(("bearer" = [])),
    params(("id" = String, Path, description = "Mã hệ thống"), ("code" = String, Path, description = "Mã yêu cầu"), BaselineQuery),
    request_body(content(
        (EvidenceForm = "multipart/form-data"),
        (NewEvidence = "application/json"))),
    responses((status = 201, description = "Đã thêm minh chứng; header `Location` trỏ tới tệp khi có tệp", body = EvidenceView),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 413, description = "Tệp vượt quá dung lượng cho phép", body = ErrorBody),
        (status = 415, description = "Loại tệp (theo nội dung) không được chấp nhận", body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn add_evidence(
    state: web::Data<AppState>,
    user: AuthUser,
    req: HttpRequest,
    path: web::Path<(String, String)>,
    query: web::Query<BaselineQuery>,
    payload: web::Payload,
) -> Result<HttpResponse, actix_web::Error> {
    let actor = Actor::user(&user);
    let (id, code) = path.into_inner();
    let baseline = query.into_inner().baseline;
    let store = BlobStore::new(&state.config.data_dir);
    let mut payload = payload.into_inner();
    let input = if req.content_type().starts_with("multipart/") {
        {
            // 404, 403 or an unknown requirement before a byte of the body reaches the disk.
            let (actor, id, code, baseline) =
                (actor.clone(), id.clone(), code.clone(), baseline.clone());
            let registry = state.rules.clone();
            state
                .db
                .run(move |conn| {
                    check_editable(conn, &registry, &actor, &id, baseline.as_deref(), &code)
                })
                .await?;
        }
        let form = Multipart::from_request(&req, &mut payload).await?;
        let mut form = files::read_upload(
            form,
            &store,
            state.config.upload_max_bytes,
            "file",
            &TEXT_FIELDS,
        )
        .await?;
        EvidenceInput {
            title: form.take("title"),
            document_number: form.take("document_number"),
            document_date: document_date(form.take("document_date"))?,
            file: form.file.take().map(|f| NewFile {
                blob: f.blob,
                original_name: f.original_name,
            }),
        }
    } else {
        // Errors answer as every JSON body's do (the app's `JsonConfig`).
        let body = web::Json::<NewEvidence>::from_request(&req, &mut payload)
            .await?
            .into_inner();
        EvidenceInput {
            title: body.title,
            document_number: body.document_number,
            document_date: body.document_date,
            file: None,
        }
    };
    let registry = state.rules.clone();
    let view = state
        .db
        .run(move |conn| {
            items::add_evidence(
                conn,
                &registry,
                &store,
                &actor,
                &id,
                baseline.as_deref(),
                &code,
                input,
                today_in_vietnam(),
            )
        })
        .await?;
    let mut res = HttpResponse::Created();
    if let Some(path) = &view.download_path {
        res.insert_header((header::LOCATION, path.clone()));
    }
    Ok(res.json(view))
}

#[utoipa::path(get, path = "/api/v1/systems/{id}/compliance/evidence/{evidence_id}", tag = "compliance", security(("bearer" = [])),
    params(("id" = String, Path, description = "Mã hệ thống"), ("evidence_id" = String, Path, description = "Mã minh chứng")),
    responses((status = 200, description = "Nội dung tệp, `Content-Disposition: attachment` với tên tệp gốc đã làm sạch",
            content_type = "application/octet-stream"),
        (status = 404, body = ErrorBody)))]
pub async fn download(
    state: web::Data<AppState>,
    user: AuthUser,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, AppError> {
    let actor = Actor::user(&user);
    let (id, evidence_id) = path.into_inner();
    let row = state
        .db
        .run(move |conn| items::evidence_for_download(conn, &actor, &id, &evidence_id))
        .await?;
    let (Some(sha256), Some(kind)) = (
        row.sha256.as_deref(),
        row.content_type.as_deref().and_then(FileKind::from_mime),
    ) else {
        return Err(AppError::NotFound("Không tìm thấy tệp minh chứng".into()));
    };
    let store = BlobStore::new(&state.config.data_dir);
    files::attachment(
        &store,
        sha256,
        kind,
        row.file_name.as_deref().unwrap_or("minh-chung"),
        row.size_bytes
            .and_then(|s| u64::try_from(s).ok())
            .unwrap_or(0),
    )
}

#[utoipa::path(delete, path = "/api/v1/systems/{id}/compliance/evidence/{evidence_id}", tag = "compliance", security(("bearer" = [])),
    params(("id" = String, Path, description = "Mã hệ thống"), ("evidence_id" = String, Path, description = "Mã minh chứng")),
    responses((status = 204, description = "Đã xóa minh chứng"),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn delete_evidence(
    state: web::Data<AppState>,
    user: AuthUser,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, AppError> {
    let actor = Actor::user(&user);
    let (id, evidence_id) = path.into_inner();
    state
        .db
        .run(move |conn| items::remove_evidence(conn, &actor, &id, &evidence_id))
        .await?;
    Ok(HttpResponse::NoContent().finish())
}
