//! `GET /api/v1/reports/annual`: the annual report's figures of the caller's subtree for a
//! report year, as JSON, an XLSX workbook or a DOCX section.

use actix_web::{web, HttpResponse};
use serde::Deserialize;

use crate::auth::AuthUser;
use crate::error::{AppError, ErrorBody};
use crate::export::download::{docx_response, xlsx_response};
use crate::rules::today_in_vietnam;
use crate::services::annual_report::{self as service, AnnualReport};
use crate::services::Actor;
use crate::startup::AppState;

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct AnnualQuery {
    /// Năm báo cáo (kỳ từ 15/12 năm trước đến 14/12); mặc định là năm đang lập báo cáo.
    pub year: Option<String>,
    /// Chỉ các hệ thống của đơn vị này và các đơn vị trực thuộc.
    pub organization_id: Option<String>,
    /// `json` (mặc định), `xlsx` hoặc `docx`.
    pub format: Option<String>,
}

/// The report's figures: systems by level, dossiers, assessments, warnings, compliance.
#[utoipa::path(get, path = "/api/v1/reports/annual", tag = "reports", security(("bearer" = [])), params(AnnualQuery),
    responses((status = 200, body = AnnualReport, description = "JSON; với format=xlsx là tệp Excel, với format=docx là tệp Word"),
        (status = 401, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn annual(
    state: web::Data<AppState>,
    user: AuthUser,
    query: web::Query<AnnualQuery>,
) -> Result<HttpResponse, AppError> {
    let q = query.into_inner();
    let today = today_in_vietnam();
    let year = service::parse_year(q.year.as_deref(), today)?;
    let format = q.format.as_deref().unwrap_or("json").to_string();
    if !["json", "xlsx", "docx"].contains(&format.as_str()) {
        return Err(AppError::field(
            "format",
            "Định dạng là json, xlsx hoặc docx",
        ));
    }
    let actor = Actor::user(&user);
    let registry = state.rules.clone();
    let org = q.organization_id;
    let report = state
        .db
        .run(move |conn| service::gather(conn, &registry, &actor, org.as_deref(), year, today))
        .await?;
    let name = format!("bao-cao-nam-{year}");
    match format.as_str() {
        "xlsx" => {
            let file =
                web::block(move || crate::services::annual_report_xlsx::xlsx(&report)).await??;
            Ok(xlsx_response(file, &format!("{name}.xlsx")))
        }
        "docx" => {
            let file =
                web::block(move || crate::services::annual_report_docx::docx(&report)).await??;
            Ok(docx_response(file, &format!("{name}.docx")))
        }
        _ => Ok(HttpResponse::Ok().json(report)),
    }
}
