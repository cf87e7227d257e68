//! `/api/v1/systems/export` and `/api/v1/systems/import`: the register of the caller's subtree
//! as a file, and systems read back from one (dry run or commit).

use std::collections::HashMap;

use actix_multipart::Multipart;
use actix_web::http::header::{HeaderValue, CONTENT_TYPE};
use actix_web::{web, HttpResponse};
use serde::Deserialize;

use crate::api::table_upload;
use crate::auth::AuthUser;
use crate::error::{AppError, ErrorBody};
use crate::export::download::{docx_response, xlsx_response};
use crate::rules::today_in_vietnam;
use crate::services::system_import::{self, ImportReport, Mode};
use crate::services::system_import_rows::read_table;
use crate::services::system_register::{self as register, RegisterFormat};
use crate::services::Actor;
use crate::startup::AppState;

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct ExportParams {
    /// xlsx (mặc định), csv hoặc docx.
    pub format: Option<String>,
    /// Chỉ các hệ thống của đơn vị này và các đơn vị trực thuộc.
    pub organization_id: Option<String>,
}

/// Writes the register file of the caller's subtree (shared with the web UI).
pub async fn register_file(
    state: &AppState,
    actor: Actor,
    format: RegisterFormat,
    organization_id: Option<String>,
) -> Result<HttpResponse, AppError> {
    let today = today_in_vietnam();
    let file = state
        .db
        .run(move |conn| {
            let org = organization_id.as_deref();
            match format {
                RegisterFormat::Xlsx => register::xlsx(conn, &actor, org, today),
                RegisterFormat::Csv => register::csv(conn, &actor, org),
                RegisterFormat::Docx => {
                    crate::services::system_register_docx::docx(conn, &actor, org, today)
                }
            }
        })
        .await?;
    let name = format!(
        "danh-muc-he-thong-thong-tin-{}.{}",
        today.format("%Y%m%d"),
        format.extension()
    );
    Ok(match format {
        RegisterFormat::Xlsx => xlsx_response(file, &name),
        RegisterFormat::Docx => docx_response(file, &name),
        RegisterFormat::Csv => {
            let mut response = xlsx_response(file, &name);
            response.headers_mut().insert(
                CONTENT_TYPE,
                HeaderValue::from_static("text/csv; charset=utf-8"),
            );
            response
        }
    })
}

/// The register "Danh mục hệ thống thông tin thuộc phạm vi quản lý" of the caller's subtree:
/// the seed report's columns (STT, tên hệ thống với địa chỉ và nơi đặt máy chủ, đơn vị vận hành,
/// cấp độ đề xuất, hồ sơ và thời gian gửi HSĐXCĐ, cấp độ được phê duyệt, trạng thái) then the data
/// columns an import reads back (from «Mã hệ thống»).
#[utoipa::path(get, path = "/api/v1/systems/export", tag = "systems", security(("bearer" = [])),
    params(ExportParams),
    responses((status = 200, description = "Tệp XLSX, CSV (UTF-8 có BOM) hoặc DOCX"), (status = 401, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn export(
    state: web::Data<AppState>,
    user: AuthUser,
    query: web::Query<ExportParams>,
) -> Result<HttpResponse, AppError> {
    let q = query.into_inner();
    let format = RegisterFormat::parse(q.format.as_deref().unwrap_or("xlsx"))?;
    register_file(&state, Actor::user(&user), format, q.organization_id).await
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct ImportParams {
    /// dry_run (mặc định: xem trước, không ghi) hoặc commit (ghi tất cả hoặc không ghi gì).
    pub mode: Option<String>,
    /// Đối tượng JSON: tiêu đề cột → mã trường (chuỗi rỗng: bỏ qua cột), ví dụ {"Tên HT":"name"}.
    pub mapping: Option<String>,
}

/// The mapping a user sent (JSON object header → field key).
pub fn parse_mapping(raw: Option<&str>) -> Result<Option<HashMap<String, String>>, AppError> {
    match raw.map(str::trim).filter(|m| !m.is_empty()) {
        None => Ok(None),
        Some(m) => serde_json::from_str(m).map(Some).map_err(|_| {
            AppError::field(
                "mapping",
                "Cách gán cột phải là đối tượng JSON: tiêu đề cột → mã trường",
            )
        }),
    }
}

/// Runs an import of a staged file (shared with the web UI).
pub async fn import_file(
    state: &AppState,
    actor: Actor,
    default_org: String,
    mut file: std::fs::File,
    mode: Mode,
    mapping: Option<HashMap<String, String>>,
) -> Result<ImportReport, AppError> {
    let table = web::block(move || read_table(&mut file, system_import::MAX_ROWS)).await??;
    let registry = state.rules.clone();
    let today = today_in_vietnam();
    let options = system_import::ImportOptions {
        mapping,
        mode,
        default_org,
    };
    state
        .db
        .run(move |conn| system_import::run(conn, &registry, &actor, table, &options, today))
        .await
}

/// Imports systems from an XLSX or CSV file (multipart field `file`; told by content): the
/// mapping of its headers, every row with its errors (row, column, message) and the level it
/// would get, and whether it creates or updates a system (by Mã hệ thống, else Mã tham chiếu,
/// else name and owning unit). `commit` writes all rows in one transaction, or nothing (422)
/// when any row has an error. `mode` and `mapping` may also be sent as form fields.
#[utoipa::path(post, path = "/api/v1/systems/import", tag = "systems", security(("bearer" = [])),
    params(ImportParams),
    request_body(content_type = "multipart/form-data", description = "file: tệp XLSX hoặc CSV; mode, mapping (tùy chọn)"),
    responses((status = 200, body = ImportReport), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 413, body = ErrorBody), (status = 415, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn import(
    state: web::Data<AppState>,
    user: AuthUser,
    query: web::Query<ImportParams>,
    form: Multipart,
) -> Result<web::Json<ImportReport>, AppError> {
    let q = query.into_inner();
    let mut upload = table_upload::read(
        form,
        &state.config.data_dir,
        state.config.upload_max_bytes,
        &["mode", "mapping"],
    )
    .await?;
    let mode = Mode::parse(
        upload
            .text
            .get("mode")
            .map(String::as_str)
            .or(q.mode.as_deref()),
    )?;
    let mapping = parse_mapping(
        upload
            .text
            .remove("mapping")
            .as_deref()
            .or(q.mapping.as_deref()),
    )?;
    let Some(tmp) = upload.file.take() else {
        return Err(AppError::field(
            "file",
            "Vui lòng chọn tệp XLSX hoặc CSV để nhập",
        ));
    };
    let file = tmp.reopen().map_err(AppError::internal)?;
    let report = import_file(
        &state,
        Actor::user(&user),
        user.organization_id.clone(),
        file,
        mode,
        mapping,
    )
    .await?;
    drop(tmp);
    Ok(web::Json(report))
}
