//! `/api/v1/organizations/{id}/assessment-intervals`: the organisation's own assessment intervals where the pack lets the agency change them.

use actix_web::web;

use crate::auth::AuthUser;
use crate::error::{AppError, ErrorBody};
use crate::services::assessment_intervals::{self as service, IntervalInput, IntervalsView};
use crate::services::Actor;
use crate::startup::AppState;

/// Chu kỳ kiểm tra, đánh giá áp dụng cho tổ chức: chu kỳ tự đặt (của tổ chức hoặc cấp trên gần nhất) và mặc định của các bộ quy tắc.
#[utoipa::path(get, path = "/api/v1/organizations/{id}/assessment-intervals", tag = "assessments", security(("bearer" = [])),
    params(("id" = String, Path, description = "Mã định danh tổ chức")),
    responses((status = 200, body = IntervalsView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn get(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<String>,
) -> Result<web::Json<IntervalsView>, AppError> {
    let actor = Actor::user(&user);
    let (id, registry) = (id.into_inner(), state.rules.clone());
    let view = state
        .db
        .run(move |conn| service::get(conn, &registry, &actor, &id))
        .await?;
    Ok(web::Json(view))
}

/// Thay toàn bộ chu kỳ tự đặt của tổ chức bằng danh sách gửi lên (danh sách rỗng: trở về mặc định của bộ quy tắc). Chỉ nơi bộ quy tắc cho phép điều chỉnh; có lý do; ghi nhật ký.
#[utoipa::path(put, path = "/api/v1/organizations/{id}/assessment-intervals", tag = "assessments", security(("bearer" = [])),
    params(("id" = String, Path, description = "Mã định danh tổ chức")), request_body = Vec<IntervalInput>,
    responses((status = 200, body = IntervalsView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 422, description = "Giá trị không hợp lệ hoặc bộ quy tắc không cho điều chỉnh", body = ErrorBody)))]
pub async fn put(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<String>,
    body: web::Json<Vec<IntervalInput>>,
) -> Result<web::Json<IntervalsView>, AppError> {
    let actor = Actor::user(&user);
    let (id, registry, input) = (id.into_inner(), state.rules.clone(), body.into_inner());
    let view = state
        .db
        .run(move |conn| service::put(conn, &registry, &actor, &id, input))
        .await?;
    Ok(web::Json(view))
}
