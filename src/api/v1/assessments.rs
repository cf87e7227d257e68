//! `/api/v1/assessments`: periodic inspections and assessments, and recording one as done.

use actix_web::web;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::PageQuery;
use crate::auth::AuthUser;
use crate::error::{AppError, ErrorBody};
use crate::rules::today_in_vietnam;
use crate::services::assessments::{self as service, AssessmentView, Completion};
use crate::services::Actor;
use crate::startup::AppState;

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct AssessmentQuery {
    /// `open` (mặc định), `due` (đến hạn trong 30 ngày, gồm cả quá hạn), `overdue`, `done`, `all`.
    pub status: Option<String>,
    /// Chỉ các đơn vị thuộc cây của đơn vị này.
    pub organization_id: Option<String>,
    pub page: Option<i64>,
    pub per_page: Option<i64>,
}

/// Danh sách các đợt kiểm tra, đánh giá.
#[derive(Serialize, utoipa::ToSchema)]
pub struct AssessmentList {
    pub items: Vec<AssessmentView>,
    pub total: i64,
    pub page: i64,
    pub per_page: i64,
}

/// Ghi nhận đã thực hiện kiểm tra, đánh giá; capdo lập kế hoạch đợt tiếp theo theo bộ quy tắc.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CompleteAssessment {
    /// Ngày thực hiện xong.
    pub done_on: NaiveDate,
    /// Tổ chức, bộ phận thực hiện, ví dụ "Trung tâm Giám sát an toàn không gian mạng quốc gia".
    pub assessor: String,
    /// Kết quả, kết luận.
    pub result: String,
    /// Số, ký hiệu văn bản kết quả (báo cáo, biên bản), ví dụ `15/BC-SCT`.
    pub document_number: Option<String>,
    pub document_date: Option<NaiveDate>,
    pub note: Option<String>,
}

#[utoipa::path(get, path = "/api/v1/assessments", tag = "assessments", security(("bearer" = [])),
    params(AssessmentQuery),
    responses((status = 200, body = AssessmentList), (status = 422, body = ErrorBody)))]
pub async fn list(
    state: web::Data<AppState>,
    user: AuthUser,
    query: web::Query<AssessmentQuery>,
) -> Result<web::Json<AssessmentList>, AppError> {
    let q = query.into_inner();
    let page = PageQuery {
        page: q.page,
        per_page: q.per_page,
    }
    .page()?;
    let today = today_in_vietnam();
    let status = service::parse_state(q.status.as_deref(), today)?;
    let actor = Actor::user(&user);
    let calendar = state.calendar.clone();
    let (items, total) = state
        .db
        .run(move |conn| {
            service::list(
                conn,
                &calendar,
                &actor,
                q.organization_id.as_deref(),
                status,
                today,
                page,
            )
        })
        .await?;
    Ok(web::Json(AssessmentList {
        items,
        total,
        page: page.number,
        per_page: page.size,
    }))
}

#[utoipa::path(post, path = "/api/v1/assessments/{id}/complete", tag = "assessments", security(("bearer" = [])),
    params(("id" = String, Path, description = "Mã đợt kiểm tra, đánh giá")), request_body = CompleteAssessment,
    responses((status = 200, body = AssessmentView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn complete(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<String>,
    body: web::Json<CompleteAssessment>,
) -> Result<web::Json<AssessmentView>, AppError> {
    let b = body.into_inner();
    let input = Completion {
        done_on: b.done_on,
        assessor: b.assessor,
        result: b.result,
        document_number: b.document_number,
        document_date: b.document_date,
        note: b.note,
    };
    let actor = Actor::user(&user);
    let (registry, calendar) = (state.rules.clone(), state.calendar.clone());
    let id = id.into_inner();
    let view = state
        .db
        .run(move |conn| {
            service::complete(
                conn,
                &registry,
                &calendar,
                &actor,
                &id,
                input,
                today_in_vietnam(),
            )
        })
        .await?;
    Ok(web::Json(view))
}
