//! `/api/v1/dossiers/{id}/documents`: files of the dossier's components, uploaded as
//! multipart forms, listed with every version, downloaded as attachments.

use actix_multipart::Multipart;
use actix_web::http::header;
use actix_web::{web, HttpResponse};
use chrono::NaiveDate;

use crate::api::files::{self, UploadForm};
use crate::auth::AuthUser;
use crate::error::{AppError, ErrorBody};
use crate::rules::today_in_vietnam;
use crate::services::dossier_files::{self as service, FileView, NewFile, UploadInput};
use crate::services::dossier_views::DossierView;
use crate::services::Actor;
use crate::startup::AppState;
use crate::storage::BlobStore;

/// The parts an upload form may have besides `file`.
pub const TEXT_FIELDS: [&str; 4] = ["component", "document_number", "document_date", "note"];

/// Biểu mẫu tải tệp lên một thành phần hồ sơ (multipart/form-data). Không gửi `file` để chỉ
/// ghi số, ký hiệu và ngày của văn bản đang lưu tại hệ thống quản lý văn bản.
#[derive(utoipa::ToSchema)]
#[allow(dead_code)] // documents the form for OpenAPI; the handler reads the parts one by one
pub struct UploadDocumentForm {
    /// Mã thành phần trong danh mục hồ sơ, ví dụ `overview`.
    component: String,
    /// PDF, DOC/DOCX, XLS/XLSX, ODT/ODS, PNG hoặc JPEG, xác định theo nội dung; tối đa theo cấu hình (mặc định 25 MB).
    #[schema(value_type = Option<String>, format = Binary)]
    file: Option<Vec<u8>>,
    /// Số, ký hiệu văn bản, ví dụ `2559/SCT-VP`.
    document_number: Option<String>,
    /// Ngày văn bản, `YYYY-MM-DD`.
    document_date: Option<NaiveDate>,
    note: Option<String>,
}

/// The upload input of a form read by `files::read_upload` (also for the web UI's form,
/// which adds its own fields such as the CSRF token before calling this).
pub fn upload_input(form: &mut UploadForm) -> Result<UploadInput, AppError> {
    let component = form
        .take("component")
        .ok_or_else(|| AppError::field("component", "Hãy chọn thành phần hồ sơ"))?;
    let document_date = match form.take("document_date") {
        None => None,
        Some(d) => Some(NaiveDate::parse_from_str(&d, "%Y-%m-%d").map_err(|_| {
            AppError::field(
                "document_date",
                "Ngày văn bản không hợp lệ (định dạng YYYY-MM-DD)",
            )
        })?),
    };
    Ok(UploadInput {
        component,
        file: form.file.take().map(|f| NewFile {
            blob: f.blob,
            original_name: f.original_name,
        }),
        document_number: form.take("document_number"),
        document_date,
        note: form.take("note"),
    })
}

#[utoipa::path(post, path = "/api/v1/dossiers/{id}/documents", tag = "dossiers", security(("bearer" = [])),
    params(("id" = String, Path, description = "Mã hồ sơ")),
    request_body(content = UploadDocumentForm, content_type = "multipart/form-data"),
    responses(
        (status = 201, description = "Đã lưu tệp (phiên bản mới của thành phần); header `Location` trỏ tới tệp", body = DossierView),
        (status = 200, description = "Không có tệp: đã ghi số, ngày văn bản lên thành phần", body = DossierView),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, description = "Trạng thái hồ sơ không cho sửa thành phần này", body = ErrorBody),
        (status = 413, description = "Tệp vượt quá dung lượng cho phép", body = ErrorBody),
        (status = 415, description = "Loại tệp (theo nội dung) không được chấp nhận", body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn upload(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<String>,
    form: Multipart,
) -> Result<HttpResponse, AppError> {
    let actor = Actor::user(&user);
    let id = id.into_inner();
    {
        // 404 before a byte of the body is written to disk.
        let (actor, id) = (actor.clone(), id.clone());
        state
            .db
            .run(move |conn| service::check_visible(conn, &actor, &id))
            .await?;
    }
    let store = BlobStore::new(&state.config.data_dir);
    let mut form = files::read_upload(
        form,
        &store,
        state.config.upload_max_bytes,
        "file",
        &TEXT_FIELDS,
    )
    .await?;
    let input = upload_input(&mut form)?;
    let registry = state.rules.clone();
    let uploaded = state
        .db
        .run(move |conn| {
            service::upload(
                conn,
                &registry,
                &store,
                &actor,
                &id,
                input,
                today_in_vietnam(),
            )
        })
        .await?;
    Ok(match &uploaded.file {
        Some(file) => HttpResponse::Created()
            .insert_header((
                header::LOCATION,
                format!(
                    "/api/v1/dossiers/{}/documents/{}",
                    uploaded.dossier.id, file.id
                ),
            ))
            .json(&uploaded.dossier),
        None => HttpResponse::Ok().json(&uploaded.dossier),
    })
}

#[utoipa::path(get, path = "/api/v1/dossiers/{id}/documents", tag = "dossiers", security(("bearer" = [])),
    params(("id" = String, Path, description = "Mã hồ sơ")),
    responses((status = 200, description = "Mọi phiên bản tệp theo thứ tự danh mục, mới nhất trước", body = Vec<FileView>),
        (status = 404, body = ErrorBody)))]
pub async fn list(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<String>,
) -> Result<web::Json<Vec<FileView>>, AppError> {
    let actor = Actor::user(&user);
    let id = id.into_inner();
    let files = state
        .db
        .run(move |conn| service::list(conn, &actor, &id))
        .await?;
    Ok(web::Json(files))
}

#[utoipa::path(get, path = "/api/v1/dossiers/{id}/documents/{file_id}", tag = "dossiers", security(("bearer" = [])),
    params(("id" = String, Path, description = "Mã hồ sơ"), ("file_id" = String, Path, description = "Mã tệp")),
    responses((status = 200, description = "Nội dung tệp, `Content-Disposition: attachment` với tên tệp gốc đã làm sạch",
            content_type = "application/octet-stream"),
        (status = 404, body = ErrorBody)))]
pub async fn download(
    state: web::Data<AppState>,
    user: AuthUser,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, AppError> {
    let actor = Actor::user(&user);
    let (id, file_id) = path.into_inner();
    let file = state
        .db
        .run(move |conn| service::find_for_download(conn, &actor, &id, &file_id))
        .await?;
    let store = BlobStore::new(&state.config.data_dir);
    files::attachment(
        &store,
        &file.sha256,
        file.kind,
        &file.name,
        u64::try_from(file.size).unwrap_or(0),
    )
}
