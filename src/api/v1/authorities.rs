//! `/api/v1/organizations/{id}/authorities`: the units that appraise and approve the dossiers of
//! an organisation's subtree, with their dated history.

use actix_web::{web, HttpResponse};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::auth::AuthUser;
use crate::error::{AppError, ErrorBody};
use crate::services::authorities::{
    self as service, AssignmentCreated, AssignmentView, AuthorityRole, NewAssignment,
};
use crate::services::Actor;
use crate::startup::AppState;

/// Phân công đơn vị thẩm định hoặc phê duyệt từ một ngày. Phân công đang có hiệu lực của cùng
/// vai trò và khoảng cấp độ giao nhau kết thúc vào ngày trước `valid_from`.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateAssignment {
    pub role: AuthorityRole,
    /// Khoảng cấp độ áp dụng, từ 1 đến 5.
    pub min_level: u8,
    pub max_level: u8,
    /// Đơn vị có trong capdo (có thể là tổ chức loại `external`).
    pub unit_id: Option<String>,
    /// Tên đơn vị; bắt buộc khi đơn vị không có trong capdo, mặc định tên của `unit_id`.
    pub unit_name: Option<String>,
    pub valid_from: NaiveDate,
    /// Ngày cuối cùng có hiệu lực; bỏ trống khi chưa xác định.
    pub valid_until: Option<NaiveDate>,
    /// Căn cứ, ví dụ quyết định của UBND tỉnh giao nhiệm vụ.
    pub basis: Option<String>,
    pub note: Option<String>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct AssignmentList {
    pub items: Vec<AssignmentView>,
}

/// Lịch sử phân công của tổ chức, mới nhất trước (quản trị và cán bộ chuyên trách).
#[utoipa::path(get, path = "/api/v1/organizations/{id}/authorities", tag = "organizations", security(("bearer" = [])),
    params(("id" = String, Path, description = "Mã định danh tổ chức")),
    responses((status = 200, body = AssignmentList), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn list(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<String>,
) -> Result<web::Json<AssignmentList>, AppError> {
    let actor = Actor::user(&user);
    let id = id.into_inner();
    let items = state
        .db
        .run(move |conn| service::list(conn, &actor, &id))
        .await?;
    Ok(web::Json(AssignmentList { items }))
}

/// Thêm phân công (quản trị của cây đơn vị chứa tổ chức).
#[utoipa::path(post, path = "/api/v1/organizations/{id}/authorities", tag = "organizations", security(("bearer" = [])),
    params(("id" = String, Path, description = "Mã định danh tổ chức")), request_body = CreateAssignment,
    responses((status = 201, body = AssignmentCreated), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, description = "Hai đơn vị sẽ cùng có hiệu lực trong một ngày", body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn create(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<String>,
    body: web::Json<CreateAssignment>,
) -> Result<HttpResponse, AppError> {
    let actor = Actor::user(&user);
    let id = id.into_inner();
    let b = body.into_inner();
    let input = NewAssignment {
        role: b.role,
        min_level: b.min_level,
        max_level: b.max_level,
        unit_id: b.unit_id,
        unit_name: b.unit_name,
        valid_from: b.valid_from,
        valid_until: b.valid_until,
        basis: b.basis,
        note: b.note,
    };
    let created = state
        .db
        .run(move |conn| service::create(conn, &actor, &id, input))
        .await?;
    Ok(HttpResponse::Created().json(created))
}
