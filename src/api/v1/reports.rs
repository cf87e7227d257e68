//! `/api/v1/reports/regime-change` (JSON pages or a streamed XLSX) and
//! `/api/v1/systems/{id}/regimes`: which systems change level with the change of regime.

use actix_web::{web, HttpResponse};
use serde::{Deserialize, Serialize};
use validator::Validate;

use super::{validated, PageQuery};
use crate::auth::AuthUser;
use crate::error::{AppError, ErrorBody};
use crate::export::download::xlsx_response;
use crate::rules::change::Direction;
use crate::rules::today_in_vietnam;
use crate::services::regime_report::{
    self as service, ReportFilter, ReportHeader, ReportRow, ReportTotals, SystemComparison,
};
use crate::services::Actor;
use crate::startup::AppState;

#[derive(Deserialize, Validate, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct ReportQuery {
    /// Chỉ các hệ thống của đơn vị này và các đơn vị trực thuộc.
    pub organization_id: Option<String>,
    /// `up`, `down`, `same` hoặc `undetermined`.
    pub direction: Option<String>,
    /// Cấp độ theo văn bản đang có hiệu lực.
    #[validate(range(min = 1, max = 5, message = "Cấp độ từ 1 đến 5"))]
    pub level: Option<u8>,
    /// Chỉ hệ thống đã (true) hoặc chưa (false) được phê duyệt cấp độ.
    pub approved: Option<bool>,
    /// `json` (mặc định) hoặc `xlsx`.
    pub format: Option<String>,
    #[validate(range(min = 1, message = "Số trang bắt đầu từ 1"))]
    pub page: Option<i64>,
    #[validate(range(min = 1, max = 500, message = "Mỗi trang có từ 1 đến 500 dòng"))]
    pub per_page: Option<i64>,
}

impl ReportQuery {
    pub fn filter(&self) -> Result<ReportFilter, AppError> {
        let direction = match self.direction.as_deref().filter(|d| !d.is_empty()) {
            None => None,
            Some(d) => Some(Direction::parse(d).ok_or_else(|| {
                AppError::field(
                    "direction",
                    "Chiều thay đổi là một trong: up (tăng), down (giảm), same (không đổi), undetermined (chưa xác định)",
                )
            })?),
        };
        Ok(ReportFilter {
            organization_id: self.organization_id.clone().filter(|o| !o.is_empty()),
            direction,
            level: self.level,
            approved: self.approved,
        })
    }
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct RegimeChangeReport {
    pub header: ReportHeader,
    /// Over every system that passes the filter, not only this page.
    pub totals: ReportTotals,
    pub items: Vec<ReportRow>,
    pub page: i64,
    pub per_page: i64,
}

/// The regime-change report of the caller's subtree: one row per system.
#[utoipa::path(get, path = "/api/v1/reports/regime-change", tag = "reports", security(("bearer" = [])), params(ReportQuery),
    responses((status = 200, body = RegimeChangeReport, description = "JSON; với format=xlsx là tệp Excel"),
        (status = 401, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn regime_change(
    state: web::Data<AppState>,
    user: AuthUser,
    query: web::Query<ReportQuery>,
) -> Result<HttpResponse, AppError> {
    let q = validated(query.into_inner())?;
    let filter = q.filter()?;
    let actor = Actor::user(&user);
    let registry = state.rules.clone();
    let today = today_in_vietnam();
    match q.format.as_deref().unwrap_or("json") {
        "json" => {
            let page = PageQuery {
                page: q.page,
                per_page: q.per_page,
            };
            let number = page.page.unwrap_or(1);
            let size = page.per_page.unwrap_or(50);
            let skip = ((number - 1) * size) as u64;
            let report = state
                .db
                .run(move |conn| {
                    let mut seen = 0u64;
                    let mut items = Vec::new();
                    let (header, totals) =
                        service::scan(conn, &registry, &actor, &filter, today, |row| {
                            if seen >= skip && items.len() < size as usize {
                                items.push(row);
                            }
                            seen += 1;
                            Ok(())
                        })?;
                    Ok(RegimeChangeReport {
                        header,
                        totals,
                        items,
                        page: number,
                        per_page: size,
                    })
                })
                .await?;
            Ok(HttpResponse::Ok().json(report))
        }
        "xlsx" => {
            let file = state
                .db
                .run(move |conn| {
                    crate::services::regime_report_xlsx::xlsx(
                        conn, &registry, &actor, &filter, today,
                    )
                })
                .await?;
            Ok(xlsx_response(
                file,
                &format!("bao-cao-thay-doi-cap-do-{}.xlsx", today.format("%Y%m%d")),
            ))
        }
        _ => Err(AppError::field("format", "Định dạng là json hoặc xlsx")),
    }
}

/// One system under the lapsed regime and the one in force, side by side.
#[utoipa::path(get, path = "/api/v1/systems/{id}/regimes", tag = "systems", security(("bearer" = [])),
    params(("id" = String, Path, description = "Mã định danh hệ thống")),
    responses((status = 200, body = SystemComparison), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn system_regimes(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<String>,
) -> Result<web::Json<SystemComparison>, AppError> {
    let actor = Actor::user(&user);
    let registry = state.rules.clone();
    let id = id.into_inner();
    let comparison = state
        .db
        .run(move |conn| service::compare_system(conn, &registry, &actor, &id, today_in_vietnam()))
        .await?;
    Ok(web::Json(comparison))
}
