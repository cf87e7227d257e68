//! `/api/v1/systems`: the register of information systems.

use actix_web::{web, HttpResponse};
use chrono::NaiveDate;
use serde::{Deserialize, Deserializer, Serialize};
use validator::Validate;

use super::{validated, PageQuery};
use crate::auth::AuthUser;
use crate::domain::system::{HostingKind, SystemStatus};
use crate::domain::SystemFacts;
use crate::error::{AppError, ErrorBody};
use crate::repo::systems::SystemFilter;
use crate::rules::today_in_vietnam;
use crate::services::audit::AuditEntry;
use crate::services::systems::{self as service, Product, SystemInput, SystemSummary, SystemView};
use crate::services::Actor;
use crate::startup::AppState;

/// `Some(None)` when the field is sent as `null` (clear it), `None` when it is absent.
fn nullable<'de, D: Deserializer<'de>, T: Deserialize<'de>>(
    d: D,
) -> Result<Option<Option<T>>, D::Error> {
    Option::<T>::deserialize(d).map(Some)
}

#[derive(Deserialize, Validate, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateSystem {
    /// Đơn vị quản lý hệ thống trong capdo; mặc định là đơn vị của người dùng.
    pub organization_id: Option<String>,
    /// Tên hệ thống thông tin.
    pub name: String,
    #[serde(default)]
    pub description: String,
    /// Loại hệ thống theo từ vựng của bộ quy tắc (portal, database, …).
    pub kind: Option<String>,
    /// Địa chỉ web hoặc tên miền.
    #[serde(default)]
    pub urls: Vec<String>,
    pub hosting_kind: Option<HostingKind>,
    /// Tên nhà cung cấp hạ tầng hoặc dịch vụ.
    pub hosting_provider: Option<String>,
    /// Dữ liệu được lưu trữ tại Việt Nam.
    pub data_in_vietnam: Option<bool>,
    /// Chủ quản hệ thống thông tin, ví dụ "UBND tỉnh Đồng Nai".
    pub owner_name: String,
    /// Đơn vị vận hành (có thể là tổ chức bên ngoài).
    pub operator_id: Option<String>,
    /// Đơn vị thẩm định hồ sơ đề xuất cấp độ.
    pub appraiser_name: Option<String>,
    #[serde(default = "in_operation")]
    pub status: SystemStatus,
    pub go_live_on: Option<NaiveDate>,
    /// Người phụ trách (mã tài khoản).
    #[serde(default)]
    pub contact_ids: Vec<String>,
    /// Phần mềm, sản phẩm hệ thống sử dụng.
    #[serde(default)]
    pub products: Vec<Product>,
    /// Dữ kiện phân loại (hợp đồng §1), không gồm components.
    pub facts: SystemFacts,
    /// Các hệ thống thành phần đã đăng ký.
    #[serde(default)]
    pub component_ids: Vec<String>,
    /// Cấp độ đề xuất; mặc định bằng cấp độ xác định theo tiêu chí.
    pub proposed_level: Option<u8>,
    /// Giải trình, bắt buộc khi đề xuất thấp hơn cấp độ xác định theo tiêu chí.
    pub proposal_justification: Option<String>,
    /// Dự án đầu tư, xây dựng trước ngày Luật An ninh mạng 2025 có hiệu lực (Điều 39 khoản 1 NĐ 331).
    #[serde(default)]
    pub investment_before_law: bool,
    /// Văn bản được chọn để xác định cấp độ của dự án chuyển tiếp (mặc định: văn bản đang có hiệu lực).
    pub chosen_regime: Option<String>,
}

fn in_operation() -> SystemStatus {
    SystemStatus::InOperation
}

/// Only the fields sent are changed; `null` clears an optional field.
#[derive(Deserialize, Validate, utoipa::ToSchema, Default)]
#[serde(deny_unknown_fields)]
pub struct UpdateSystem {
    pub organization_id: Option<String>,
    pub name: Option<String>,
    pub description: Option<String>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<String>)]
    pub kind: Option<Option<String>>,
    pub urls: Option<Vec<String>>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<HostingKind>)]
    pub hosting_kind: Option<Option<HostingKind>>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<String>)]
    pub hosting_provider: Option<Option<String>>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<bool>)]
    pub data_in_vietnam: Option<Option<bool>>,
    pub owner_name: Option<String>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<String>)]
    pub operator_id: Option<Option<String>>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<String>)]
    pub appraiser_name: Option<Option<String>>,
    pub status: Option<SystemStatus>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<NaiveDate>)]
    pub go_live_on: Option<Option<NaiveDate>>,
    pub contact_ids: Option<Vec<String>>,
    pub products: Option<Vec<Product>>,
    pub facts: Option<SystemFacts>,
    pub component_ids: Option<Vec<String>>,
    /// `null` makes the proposal follow the computed level again.
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<u8>)]
    pub proposed_level: Option<Option<u8>>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<String>)]
    pub proposal_justification: Option<Option<String>>,
    pub investment_before_law: Option<bool>,
    /// `null` returns to the regime in force.
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<String>)]
    pub chosen_regime: Option<Option<String>>,
}

impl UpdateSystem {
    /// Applies the sent fields to the current record.
    pub fn apply(self, input: &mut SystemInput) {
        macro_rules! set {
            ($($field:ident),*) => { $(if let Some(v) = self.$field { input.$field = v; })* };
        }
        set!(
            organization_id,
            name,
            description,
            kind,
            urls,
            hosting_kind,
            hosting_provider,
            data_in_vietnam,
            owner_name,
            operator_id,
            appraiser_name,
            status,
            go_live_on,
            contact_ids,
            products,
            facts,
            component_ids,
            proposed_level,
            proposal_justification,
            investment_before_law,
            chosen_regime
        );
    }
}

#[derive(Deserialize, Validate, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RecordApproval {
    /// Cấp độ được phê duyệt.
    pub level: u8,
    /// Số, ký hiệu quyết định phê duyệt, ví dụ "2559/QĐ-UBND".
    pub decision_number: String,
    pub decision_date: NaiveDate,
    /// Văn bản của quyết định (ví dụ `nd85-2016`); mặc định: văn bản có hiệu lực vào ngày quyết định,
    /// hoặc Nghị định 85 cho dự án chuyển tiếp đã chọn (Điều 39 khoản 1 NĐ 331).
    pub regime: Option<String>,
}

#[derive(Deserialize, Validate, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct SystemQuery {
    /// Tìm trong tên, địa chỉ, mô tả (không phân biệt dấu).
    #[validate(length(max = 100, message = "Từ khóa tìm kiếm quá dài"))]
    pub q: Option<String>,
    /// Cấp độ xác định theo tiêu chí.
    pub level: Option<i32>,
    pub status: Option<SystemStatus>,
    /// Hệ thống của đơn vị này và mọi đơn vị trực thuộc.
    pub organization_id: Option<String>,
    pub kind: Option<String>,
    pub below_criteria: Option<bool>,
    pub redetermination_required: Option<bool>,
    /// name, -name, level, -level, updated, -updated
    pub sort: Option<String>,
    pub page: Option<i64>,
    pub per_page: Option<i64>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct SystemList {
    pub items: Vec<SystemSummary>,
    pub total: i64,
    pub page: i64,
    pub per_page: i64,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct SystemHistory {
    pub items: Vec<AuditEntry>,
    pub total: i64,
}

impl CreateSystem {
    pub fn into_input(self, actor_org: &str) -> SystemInput {
        SystemInput {
            organization_id: self
                .organization_id
                .unwrap_or_else(|| actor_org.to_string()),
            name: self.name,
            description: self.description,
            kind: self.kind,
            urls: self.urls,
            hosting_kind: self.hosting_kind,
            hosting_provider: self.hosting_provider,
            data_in_vietnam: self.data_in_vietnam,
            owner_name: self.owner_name,
            operator_id: self.operator_id,
            appraiser_name: self.appraiser_name,
            status: self.status,
            go_live_on: self.go_live_on,
            contact_ids: self.contact_ids,
            products: self.products,
            facts: self.facts,
            component_ids: self.component_ids,
            proposed_level: self.proposed_level,
            proposal_justification: self.proposal_justification,
            investment_before_law: self.investment_before_law,
            chosen_regime: self.chosen_regime,
        }
    }
}

#[utoipa::path(get, path = "/api/v1/systems", tag = "systems", security(("bearer" = [])), params(SystemQuery),
    responses((status = 200, body = SystemList), (status = 401, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn list(
    state: web::Data<AppState>,
    user: AuthUser,
    query: web::Query<SystemQuery>,
) -> Result<web::Json<SystemList>, AppError> {
    let q = validated(query.into_inner())?;
    let page = PageQuery {
        page: q.page,
        per_page: q.per_page,
    }
    .page()?;
    let sort = service::parse_sort(q.sort.as_deref())?;
    let filter = SystemFilter {
        organization_id: q.organization_id,
        level: q.level,
        status: q.status.map(|s| s.as_str().to_string()),
        kind: q.kind,
        below_criteria: q.below_criteria,
        redetermination_required: q.redetermination_required,
        search: q.q.filter(|s| !s.trim().is_empty()),
    };
    let actor = Actor::user(&user);
    let (items, total) = state
        .db
        .run(move |conn| service::list(conn, &actor, filter, sort, page))
        .await?;
    Ok(web::Json(SystemList {
        items,
        total,
        page: page.number,
        per_page: page.size,
    }))
}

#[utoipa::path(post, path = "/api/v1/systems", tag = "systems", security(("bearer" = [])), request_body = CreateSystem,
    responses((status = 201, body = SystemView), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create(
    state: web::Data<AppState>,
    user: AuthUser,
    body: web::Json<CreateSystem>,
) -> Result<HttpResponse, AppError> {
    let input = validated(body.into_inner())?.into_input(&user.organization_id);
    let actor = Actor::user(&user);
    let rules = state.rules.clone();
    let view = state
        .db
        .run(move |conn| service::create(conn, &rules, &actor, input, today_in_vietnam()))
        .await?;
    Ok(HttpResponse::Created().json(view))
}

#[utoipa::path(get, path = "/api/v1/systems/{id}", tag = "systems", security(("bearer" = [])),
    params(("id" = String, Path, description = "Mã định danh hệ thống")),
    responses((status = 200, body = SystemView), (status = 404, body = ErrorBody)))]
pub async fn get(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<String>,
) -> Result<web::Json<SystemView>, AppError> {
    let actor = Actor::user(&user);
    let id = id.into_inner();
    Ok(web::Json(
        state
            .db
            .run(move |conn| service::get(conn, &actor, &id))
            .await?,
    ))
}

#[utoipa::path(patch, path = "/api/v1/systems/{id}", tag = "systems", security(("bearer" = [])),
    params(("id" = String, Path, description = "Mã định danh hệ thống")), request_body = UpdateSystem,
    responses((status = 200, body = SystemView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn update(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<String>,
    body: web::Json<UpdateSystem>,
) -> Result<web::Json<SystemView>, AppError> {
    let patch = validated(body.into_inner())?;
    let actor = Actor::user(&user);
    let id = id.into_inner();
    let rules = state.rules.clone();
    let view = state
        .db
        .run(move |conn| {
            service::update(
                conn,
                &rules,
                &actor,
                &id,
                |input| {
                    patch.apply(input);
                    Ok(())
                },
                today_in_vietnam(),
            )
        })
        .await?;
    Ok(web::Json(view))
}

#[utoipa::path(delete, path = "/api/v1/systems/{id}", tag = "systems", security(("bearer" = [])),
    params(("id" = String, Path, description = "Mã định danh hệ thống")),
    responses((status = 204, description = "Đã xóa"), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn delete(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let actor = Actor::user(&user);
    let id = id.into_inner();
    let rules = state.rules.clone();
    state
        .db
        .run(move |conn| service::delete(conn, &rules, &actor, &id, today_in_vietnam()))
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

#[utoipa::path(post, path = "/api/v1/systems/{id}/approval", tag = "systems", security(("bearer" = [])),
    params(("id" = String, Path, description = "Mã định danh hệ thống")), request_body = RecordApproval,
    responses((status = 200, body = SystemView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn approve(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<String>,
    body: web::Json<RecordApproval>,
) -> Result<web::Json<SystemView>, AppError> {
    let body = validated(body.into_inner())?;
    let actor = Actor::user(&user);
    let id = id.into_inner();
    let registry = state.rules.clone();
    let view = state
        .db
        .run(move |conn| {
            service::record_approval(
                conn,
                &registry,
                &actor,
                &id,
                service::Approval {
                    level: body.level,
                    decision_number: body.decision_number,
                    decision_date: body.decision_date,
                    regime: body.regime,
                },
                today_in_vietnam(),
            )
        })
        .await?;
    Ok(web::Json(view))
}

#[utoipa::path(get, path = "/api/v1/systems/{id}/history", tag = "systems", security(("bearer" = [])),
    params(("id" = String, Path, description = "Mã định danh hệ thống"), PageQuery),
    responses((status = 200, body = SystemHistory), (status = 404, body = ErrorBody)))]
pub async fn history(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<String>,
    query: web::Query<PageQuery>,
) -> Result<web::Json<SystemHistory>, AppError> {
    let page = query.page()?;
    let actor = Actor::user(&user);
    let id = id.into_inner();
    let (items, total) = state
        .db
        .run(move |conn| service::history(conn, &actor, &id, page))
        .await?;
    Ok(web::Json(SystemHistory { items, total }))
}
