//! `/api/v1/systems/{id}/compliance`: a system's checklist of baseline requirements, its yearly
//! reviews, the answer to each requirement and its evidence.

use actix_web::{web, HttpResponse};
use chrono::NaiveDate;
use serde::{Deserialize, Deserializer, Serialize};

use crate::auth::AuthUser;
use crate::domain::compliance::{ComplianceStatus, Tally};
use crate::error::{AppError, ErrorBody};
use crate::rules::today_in_vietnam;
use crate::services::compliance as service;
use crate::services::compliance_items::{self as items, ItemChanges};
use crate::services::compliance_plan::{security_plan, PlanSection};
use crate::services::compliance_views::{ChecklistView, ReviewView};
use crate::services::Actor;
use crate::startup::AppState;

/// `Some(None)` when the field is sent as `null` (clear it), `None` when it is absent.
fn nullable<'de, D: Deserializer<'de>, T: Deserialize<'de>>(
    d: D,
) -> Result<Option<Option<T>>, D::Error> {
    Option::<T>::deserialize(d).map(Some)
}

/// Danh mục yêu cầu được hỏi; mặc định: danh mục của chế độ pháp lý của hệ thống.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct BaselineQuery {
    /// Mã danh mục, ví dụ `tt12-2022` hoặc `nd331-2026`.
    pub baseline: Option<String>,
}

/// Lập bảng đánh giá (kỳ rà soát đầu tiên, hoặc kỳ mới sao chép từ kỳ trước).
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StartReview {
    /// Mã danh mục; mặc định: danh mục của chế độ pháp lý của hệ thống.
    pub baseline: Option<String>,
    /// Năm rà soát; mặc định: năm nay.
    pub year: Option<i32>,
}

/// Câu trả lời cho một yêu cầu; trường vắng mặt giữ nguyên, `null` xóa giá trị.
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateItem {
    pub status: Option<ComplianceStatus>,
    /// Lý do không áp dụng (bắt buộc khi `status` là `not_applicable`).
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<String>)]
    pub na_reason: Option<Option<String>>,
    /// Cách đáp ứng.
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<String>)]
    pub how_met: Option<Option<String>>,
    /// Người chịu trách nhiệm (tài khoản trong phạm vi của người cập nhật).
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<String>)]
    pub responsible_id: Option<Option<String>>,
    /// Ngày mục tiêu khắc phục, `YYYY-MM-DD`.
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<NaiveDate>)]
    pub target_date: Option<Option<NaiveDate>>,
}

/// Một kỳ rà soát với số yêu cầu theo mức đáp ứng.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ReviewSummary {
    #[serde(flatten)]
    pub review: ReviewView,
    pub tally: Tally,
    pub percent: Option<f64>,
}

#[utoipa::path(get, path = "/api/v1/systems/{id}/compliance", tag = "compliance", security(("bearer" = [])),
    params(("id" = String, Path, description = "Mã hệ thống"), BaselineQuery),
    responses((status = 200, description = "Bảng đánh giá của kỳ rà soát hiện hành", body = ChecklistView),
        (status = 404, description = "Không thấy hệ thống, hoặc chưa lập bảng đánh giá", body = ErrorBody),
        (status = 422, description = "Danh mục không áp dụng cho hệ thống", body = ErrorBody)))]
pub async fn get(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<String>,
    query: web::Query<BaselineQuery>,
) -> Result<web::Json<ChecklistView>, AppError> {
    Ok(web::Json(
        current(&state, &user, id.into_inner(), query.into_inner()).await?,
    ))
}

#[utoipa::path(post, path = "/api/v1/systems/{id}/compliance", tag = "compliance", security(("bearer" = [])),
    params(("id" = String, Path, description = "Mã hệ thống")),
    request_body = StartReview,
    responses((status = 201, description = "Đã lập bảng đánh giá của kỳ rà soát", body = ChecklistView),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, description = "Đã có kỳ rà soát của năm này hoặc năm sau, hoặc hệ thống chưa có cấp độ", body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn start(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<String>,
    body: web::Json<StartReview>,
) -> Result<HttpResponse, AppError> {
    let actor = Actor::user(&user);
    let registry = state.rules.clone();
    let body = body.into_inner();
    let view = state
        .db
        .run(move |conn| {
            service::start(
                conn,
                &registry,
                &actor,
                &id,
                body.baseline.as_deref(),
                body.year,
                today_in_vietnam(),
            )
        })
        .await?;
    Ok(HttpResponse::Created().json(view))
}

#[utoipa::path(get, path = "/api/v1/systems/{id}/compliance/reviews", tag = "compliance", security(("bearer" = [])),
    params(("id" = String, Path, description = "Mã hệ thống"), BaselineQuery),
    responses((status = 200, description = "Các kỳ rà soát, năm mới nhất trước", body = Vec<ReviewSummary>),
        (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn reviews(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<String>,
    query: web::Query<BaselineQuery>,
) -> Result<web::Json<Vec<ReviewSummary>>, AppError> {
    let actor = Actor::user(&user);
    let registry = state.rules.clone();
    let baseline = query.into_inner().baseline;
    let list = state
        .db
        .run(move |conn| {
            crate::services::compliance_views::review_history(
                conn,
                &registry,
                &actor,
                &id,
                baseline.as_deref(),
            )
        })
        .await?;
    Ok(web::Json(
        list.into_iter()
            .map(|(review, tally)| ReviewSummary {
                review,
                percent: tally.percent(),
                tally,
            })
            .collect(),
    ))
}

#[utoipa::path(patch, path = "/api/v1/systems/{id}/compliance/items/{code}", tag = "compliance", security(("bearer" = [])),
    params(("id" = String, Path, description = "Mã hệ thống"), ("code" = String, Path, description = "Mã yêu cầu, ví dụ `M1.1`"), BaselineQuery),
    request_body = UpdateItem,
    responses((status = 200, description = "Bảng đánh giá sau khi cập nhật", body = ChecklistView),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 422, description = "Ví dụ: không áp dụng mà không ghi lý do; quy chế đánh dấu đáp ứng khi chưa có số, ngày văn bản", body = ErrorBody)))]
pub async fn update_item(
    state: web::Data<AppState>,
    user: AuthUser,
    path: web::Path<(String, String)>,
    query: web::Query<BaselineQuery>,
    body: web::Json<UpdateItem>,
) -> Result<web::Json<ChecklistView>, AppError> {
    let actor = Actor::user(&user);
    let registry = state.rules.clone();
    let (id, code) = path.into_inner();
    let baseline = query.into_inner().baseline;
    let b = body.into_inner();
    let changes = ItemChanges {
        status: b.status,
        na_reason: b.na_reason,
        how_met: b.how_met,
        responsible_id: b.responsible_id,
        target_date: b.target_date,
    };
    let view = state
        .db
        .run(move |conn| {
            items::update_item(
                conn,
                &registry,
                &actor,
                &id,
                baseline.as_deref(),
                &code,
                changes,
                today_in_vietnam(),
            )
        })
        .await?;
    Ok(web::Json(view))
}

#[utoipa::path(get, path = "/api/v1/systems/{id}/compliance/plan", tag = "compliance", security(("bearer" = [])),
    params(("id" = String, Path, description = "Mã hệ thống"), BaselineQuery),
    responses((status = 200, description = "Nội dung phần phương án bảo đảm an toàn của thuyết minh, lấy từ bảng đánh giá hiện hành", body = Vec<PlanSection>),
        (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn plan(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<String>,
    query: web::Query<BaselineQuery>,
) -> Result<web::Json<Vec<PlanSection>>, AppError> {
    let view = current(&state, &user, id.into_inner(), query.into_inner()).await?;
    Ok(web::Json(security_plan(&view)))
}

/// The current checklist the actor asks for (GET of the checklist and of the plan).
async fn current(
    state: &AppState,
    user: &AuthUser,
    id: String,
    query: BaselineQuery,
) -> Result<ChecklistView, AppError> {
    let actor = Actor::user(user);
    let registry = state.rules.clone();
    state
        .db
        .run(move |conn| {
            service::checklist(
                conn,
                &registry,
                &actor,
                &id,
                query.baseline.as_deref(),
                today_in_vietnam(),
            )
        })
        .await
}
