//! `/api/v1/dossiers` and `/api/v1/systems/{id}/dossiers`: level-proposal dossiers, their
//! checklist and their workflow.

use actix_web::{web, HttpResponse};
use chrono::NaiveDate;
use serde::{Deserialize, Deserializer};

use super::PageQuery;
use crate::auth::AuthUser;
use crate::domain::dossier::{AppraisalOpinion, ComponentStatus, DossierStatus};
use crate::error::{AppError, ErrorBody};
use crate::rules::today_in_vietnam;
use crate::services::dossier_list::{
    self as list_service, parse_statuses, DossierList, ListQuery, ListRole,
};
use crate::services::dossier_views::DossierView;
use crate::services::dossier_workflow::{self as workflow, Transition};
use crate::services::dossiers::{self as service, ComponentChanges, NewDossier};
use crate::services::Actor;
use crate::startup::AppState;

/// `Some(None)` when the field is sent as `null` (clear it), `None` when it is absent.
fn nullable<'de, D: Deserializer<'de>, T: Deserialize<'de>>(
    d: D,
) -> Result<Option<Option<T>>, D::Error> {
    Option::<T>::deserialize(d).map(Some)
}

/// Lập hồ sơ đề xuất cấp độ; gửi `{}` để dùng cấp độ đề xuất của hệ thống.
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateDossier {
    /// Cấp độ đề xuất; nếu có, phải bằng cấp độ đề xuất của hệ thống.
    pub proposed_level: Option<u8>,
    /// Các hệ thống khác của cùng đơn vị chủ quản đưa vào danh mục của hồ sơ, khi văn bản cho
    /// phép (Nghị định 331: Điều 22 khoản 4 điểm a; Nghị định 85: không). Hồ sơ theo trình tự
    /// của cấp độ cao nhất; khi phê duyệt, `approved_level` áp dụng cho hệ thống đầu tiên, các
    /// hệ thống khác được phê duyệt theo cấp độ đề xuất của từng hệ thống.
    #[serde(default)]
    pub systems: Vec<String>,
}

/// Lọc danh sách hồ sơ.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct DossierQuery {
    /// `owner`: hồ sơ của hệ thống thuộc đơn vị mình; `appraiser`: hồ sơ gửi tới đơn vị mình
    /// để thẩm định, phê duyệt; bỏ trống: cả hai.
    pub role: Option<ListRole>,
    /// Một hoặc nhiều trạng thái, cách nhau bằng dấu phẩy, ví dụ `submitted,received`.
    pub status: Option<String>,
    /// Chỉ các hồ sơ có hệ thống này: là hệ thống đầu tiên hoặc một hệ thống khác trong danh
    /// mục của hồ sơ gồm nhiều hệ thống.
    pub system_id: Option<String>,
    pub page: Option<i64>,
    pub per_page: Option<i64>,
}

/// Cập nhật một thành phần hồ sơ; trường vắng mặt giữ nguyên, `null` xóa giá trị.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateComponent {
    pub status: Option<ComponentStatus>,
    /// Số, ký hiệu văn bản, ví dụ `2559/SCT-VP` hoặc `15/2024/TT-BTTTT`.
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<String>)]
    pub document_number: Option<Option<String>>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<NaiveDate>)]
    pub document_date: Option<Option<NaiveDate>>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<String>)]
    pub note: Option<Option<String>>,
}

/// Chuyển hồ sơ sang bước tiếp theo. Các trường dùng theo `to`:
/// `submitted`: document_number, document_date, recipient (bắt buộc), note;
/// `received`, `under_appraisal`: date (mặc định hôm nay), note;
/// `returned`: note (bắt buộc: nội dung cần hoàn thiện), date, document_number, document_date;
/// `appraised`: opinion, document_number, document_date (bắt buộc), note;
/// `approved`: document_number, document_date (bắt buộc), approved_level (mặc định cấp độ đề xuất), note.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TransitionRequest {
    pub to: DossierStatus,
    /// Số, ký hiệu văn bản gửi hồ sơ, văn bản trả lại, ý kiến thẩm định hoặc quyết định phê duyệt.
    pub document_number: Option<String>,
    pub document_date: Option<NaiveDate>,
    /// Đơn vị nhận hồ sơ (khi gửi).
    pub recipient: Option<String>,
    /// Ngày tiếp nhận, trả lại hoặc bắt đầu thẩm định.
    pub date: Option<NaiveDate>,
    pub opinion: Option<AppraisalOpinion>,
    pub approved_level: Option<u8>,
    pub note: Option<String>,
}

#[utoipa::path(post, path = "/api/v1/systems/{id}/dossiers", tag = "dossiers", security(("bearer" = [])),
    params(("id" = String, Path, description = "Mã định danh hệ thống")), request_body = CreateDossier,
    responses((status = 201, body = DossierView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<String>,
    body: web::Json<CreateDossier>,
) -> Result<HttpResponse, AppError> {
    let actor = Actor::user(&user);
    let id = id.into_inner();
    let body = body.into_inner();
    let input = NewDossier {
        proposed_level: body.proposed_level,
        systems: body.systems,
    };
    let registry = state.rules.clone();
    let view = state
        .db
        .run(move |conn| service::create(conn, &registry, &actor, &id, input, today_in_vietnam()))
        .await?;
    Ok(HttpResponse::Created().json(view))
}

#[utoipa::path(get, path = "/api/v1/dossiers/{id}", tag = "dossiers", security(("bearer" = [])),
    params(("id" = String, Path, description = "Mã hồ sơ")),
    responses((status = 200, body = DossierView), (status = 404, body = ErrorBody)))]
pub async fn get(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<String>,
) -> Result<web::Json<DossierView>, AppError> {
    let actor = Actor::user(&user);
    let id = id.into_inner();
    let registry = state.rules.clone();
    let view = state
        .db
        .run(move |conn| service::get(conn, &registry, &actor, &id, today_in_vietnam()))
        .await?;
    Ok(web::Json(view))
}

/// Hồ sơ người dùng được xem, mới cập nhật trước: của hệ thống thuộc đơn vị mình, và hồ sơ
/// gửi tới đơn vị mình để thẩm định, phê duyệt (trang “Hồ sơ gửi thẩm định”).
#[utoipa::path(get, path = "/api/v1/dossiers", tag = "dossiers", security(("bearer" = [])),
    params(DossierQuery),
    responses((status = 200, body = DossierList), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn list(
    state: web::Data<AppState>,
    user: AuthUser,
    query: web::Query<DossierQuery>,
) -> Result<web::Json<DossierList>, AppError> {
    let actor = Actor::user(&user);
    let q = query.into_inner();
    let page = PageQuery {
        page: q.page,
        per_page: q.per_page,
    }
    .page()?;
    let query = ListQuery {
        role: q.role,
        statuses: parse_statuses(q.status.as_deref())?,
        system_id: q.system_id,
    };
    let list = state
        .db
        .run(move |conn| list_service::list(conn, &actor, &query, page))
        .await?;
    Ok(web::Json(list))
}

#[utoipa::path(patch, path = "/api/v1/dossiers/{id}/components/{component}", tag = "dossiers", security(("bearer" = [])),
    params(("id" = String, Path, description = "Mã hồ sơ"),
        ("component" = String, Path, description = "Mã thành phần trong bộ quy tắc, ví dụ `overview`")),
    request_body = UpdateComponent,
    responses((status = 200, body = DossierView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn update_component(
    state: web::Data<AppState>,
    user: AuthUser,
    path: web::Path<(String, String)>,
    body: web::Json<UpdateComponent>,
) -> Result<web::Json<DossierView>, AppError> {
    let actor = Actor::user(&user);
    let (id, component) = path.into_inner();
    let body = body.into_inner();
    let changes = ComponentChanges {
        status: body.status,
        document_number: body.document_number,
        document_date: body.document_date,
        note: body.note,
    };
    let registry = state.rules.clone();
    let view = state
        .db
        .run(move |conn| {
            service::update_component(
                conn,
                &registry,
                &actor,
                &id,
                &component,
                changes,
                today_in_vietnam(),
            )
        })
        .await?;
    Ok(web::Json(view))
}

#[utoipa::path(post, path = "/api/v1/dossiers/{id}/transitions", tag = "dossiers", security(("bearer" = [])),
    params(("id" = String, Path, description = "Mã hồ sơ")), request_body = TransitionRequest,
    responses((status = 200, body = DossierView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, description = "Không thể chuyển bước: lý do bằng tiếng Việt", body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn transition(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<String>,
    body: web::Json<TransitionRequest>,
) -> Result<web::Json<DossierView>, AppError> {
    let actor = Actor::user(&user);
    let id = id.into_inner();
    let b = body.into_inner();
    let t = Transition {
        to: b.to,
        document_number: b.document_number,
        document_date: b.document_date,
        recipient: b.recipient,
        date: b.date,
        opinion: b.opinion,
        approved_level: b.approved_level,
        note: b.note,
    };
    let registry = state.rules.clone();
    let view = state
        .db
        .run(move |conn| workflow::transition(conn, &registry, &actor, &id, t, today_in_vietnam()))
        .await?;
    Ok(web::Json(view))
}
