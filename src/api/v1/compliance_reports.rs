//! `/api/v1/compliance/summary`, `/compliance/gaps` and `/compliance/gaps/export`: compliance
//! with the baseline requirements across the caller's subtree.

use actix_web::{web, HttpResponse};
use serde::Deserialize;

use super::PageQuery;
use crate::auth::AuthUser;
use crate::error::{AppError, ErrorBody};
use crate::export::download::xlsx_response;
use crate::rules::today_in_vietnam;
use crate::services::compliance_report::{
    self as service, GapPage, GapQuery, Summary, SummaryQuery, SummarySort,
};
use crate::services::Actor;
use crate::startup::AppState;

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct SummaryParams {
    /// Chỉ các hệ thống của đơn vị này và các đơn vị trực thuộc.
    pub organization_id: Option<String>,
    /// Mã danh mục yêu cầu (mặc định: mọi danh mục).
    pub baseline: Option<String>,
    pub page: Option<i64>,
    /// `percent` (mặc định, thấp nhất trước), `-percent` hoặc `name`.
    pub sort: Option<String>,
}

/// Compliance of the caller's subtree: totals, per group and per system (worst first).
#[utoipa::path(get, path = "/api/v1/compliance/summary", tag = "compliance", security(("bearer" = [])),
    params(SummaryParams),
    responses((status = 200, body = Summary), (status = 401, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn summary(
    state: web::Data<AppState>,
    user: AuthUser,
    query: web::Query<SummaryParams>,
) -> Result<web::Json<Summary>, AppError> {
    let q = query.into_inner();
    let sort = match q.sort.as_deref().filter(|s| !s.is_empty()) {
        None => SummarySort::default(),
        Some(s) => SummarySort::parse(s).ok_or_else(|| {
            AppError::field("sort", "Cách sắp xếp là percent, -percent hoặc name")
        })?,
    };
    let page = q.page.unwrap_or(1);
    if page < 1 {
        return Err(AppError::field("page", "Số trang bắt đầu từ 1"));
    }
    let input = SummaryQuery {
        organization_id: q.organization_id,
        baseline: q.baseline,
        page,
        sort,
    };
    let actor = Actor::user(&user);
    let registry = state.rules.clone();
    let out = state
        .db
        .run(move |conn| service::summary(conn, &registry, &actor, input, today_in_vietnam()))
        .await?;
    Ok(web::Json(out))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct GapParams {
    pub organization_id: Option<String>,
    pub baseline: Option<String>,
    /// Người chịu trách nhiệm (mã người dùng).
    pub responsible_id: Option<String>,
    /// `to_review`, `partial` hoặc `not_met`.
    pub status: Option<String>,
    /// Chỉ các tồn tại đã quá ngày mục tiêu.
    pub overdue_only: Option<bool>,
    pub page: Option<i64>,
    pub per_page: Option<i64>,
}

/// The gaps of the caller's subtree, by target date (undated last), system and position.
#[utoipa::path(get, path = "/api/v1/compliance/gaps", tag = "compliance", security(("bearer" = [])),
    params(GapParams),
    responses((status = 200, body = GapPage), (status = 401, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn gaps(
    state: web::Data<AppState>,
    user: AuthUser,
    query: web::Query<GapParams>,
) -> Result<web::Json<GapPage>, AppError> {
    let q = query.into_inner();
    let page = PageQuery {
        page: q.page,
        per_page: q.per_page,
    }
    .page()?;
    let input = GapQuery {
        organization_id: q.organization_id,
        baseline: q.baseline,
        responsible_id: q.responsible_id,
        status: q.status,
        overdue_only: q.overdue_only.unwrap_or(false),
        page,
    };
    let actor = Actor::user(&user);
    let registry = state.rules.clone();
    let out = state
        .db
        .run(move |conn| service::gaps(conn, &registry, &actor, input, today_in_vietnam()))
        .await?;
    Ok(web::Json(out))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct ExportParams {
    pub organization_id: Option<String>,
    pub baseline: Option<String>,
}

/// The gap report of the caller's subtree as an Excel workbook.
#[utoipa::path(get, path = "/api/v1/compliance/gaps/export", tag = "compliance", security(("bearer" = [])),
    params(ExportParams),
    responses((status = 200, description = "Tệp Excel (sheet Tồn tại và Tổng hợp)"), (status = 401, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn export(
    state: web::Data<AppState>,
    user: AuthUser,
    query: web::Query<ExportParams>,
) -> Result<HttpResponse, AppError> {
    let q = query.into_inner();
    let actor = Actor::user(&user);
    let registry = state.rules.clone();
    let today = today_in_vietnam();
    let file = state
        .db
        .run(move |conn| {
            crate::services::compliance_xlsx::gaps_xlsx(
                conn,
                &registry,
                &actor,
                q.organization_id.as_deref(),
                q.baseline.as_deref(),
                today,
            )
        })
        .await?;
    Ok(xlsx_response(
        file,
        &format!("ton-tai-dap-ung-yeu-cau-{}.xlsx", today.format("%Y%m%d")),
    ))
}
